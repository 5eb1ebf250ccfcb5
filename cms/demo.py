# ruff: noqa: E501  (lesson text is data; wrapping Vietnamese prose deeper hurts more than it helps)
"""Demo content: two courses of the demo school with real-looking Vietnamese lessons."""

from courses.access import SYSTEM
from courses.models import Course, Enrollment
from courses.services import course_create, enrollment_create

from .models import CoursePage, LessonPage, ModulePage
from .services import (
    course_page_ensure,
    lesson_page_create,
    lesson_progress_mark,
    module_page_create,
    school_home_page_ensure,
)


def p(*paragraphs: str) -> dict:
    return {"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}


def h(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def callout(kind: str, text: str, title: str = "") -> dict:
    return {"type": "callout", "value": {"kind": kind, "title": title, "text": f"<p>{text}</p>"}}


def definition(term: str, text: str) -> dict:
    return {"type": "definition", "value": {"term": term, "definition": f"<p>{text}</p>"}}


def question(q: str, a: str) -> dict:
    return {"type": "question", "value": {"question": f"<p>{q}</p>", "answer": f"<p>{a}</p>"}}


def code(source: str, language: str = "python") -> dict:
    return {"type": "code", "value": {"language": language, "code": source}}


def quote(text: str, who: str) -> dict:
    return {"type": "quote", "value": {"quote": text, "attribution": who}}


NEXT_LIVE = {
    "type": "next_live_lesson",
    "value": {"intro": "Chúng ta sẽ chữa bài trong buổi học trực tuyến tới."},
}

COURSES = [
    {
        "code": "TOAN10",
        "title": "Toán 10 – Hàm số và đồ thị",
        "description": "Khái niệm hàm số, đồ thị, hàm số bậc hai và ứng dụng vào bài toán thực tế.",
        "in_catalogue": True,
        "modules": [
            (
                "Chương 1. Hàm số",
                "Khái niệm hàm số, tập xác định và cách đọc đồ thị.",
                [
                    (
                        "Khái niệm hàm số",
                        "Hàm số là gì, cách cho một hàm số và tập xác định.",
                        [
                            h("Hàm số là gì?"),
                            p(
                                "Trong đời sống ta thường gặp những đại lượng phụ thuộc vào nhau: "
                                "tiền điện phụ thuộc số kWh đã dùng, quãng đường phụ thuộc thời gian đi.",
                                "Toán học mô tả sự phụ thuộc ấy bằng khái niệm <b>hàm số</b>.",
                            ),
                            definition(
                                "Hàm số",
                                "Cho tập hợp khác rỗng D ⊂ ℝ. Nếu với mỗi giá trị x thuộc D có một và "
                                "chỉ một giá trị tương ứng y thuộc ℝ thì ta có một hàm số; x gọi là biến "
                                "số, y là giá trị của hàm số tại x, D là tập xác định.",
                            ),
                            h("Cách cho hàm số"),
                            p(
                                "Một hàm số có thể được cho bằng bảng, bằng biểu đồ hoặc bằng công thức "
                                "y = f(x). Khi cho bằng công thức mà không nói gì thêm, tập xác định là "
                                "tập các giá trị x làm cho biểu thức có nghĩa."
                            ),
                            callout(
                                "tip",
                                "Muốn tìm tập xác định, hãy tìm các điều kiện: mẫu số khác 0, biểu "
                                "thức dưới căn bậc hai không âm.",
                            ),
                            question(
                                "Tìm tập xác định của hàm số y = √(x − 2).",
                                "Điều kiện x − 2 ≥ 0, tức x ≥ 2. Vậy D = [2; +∞).",
                            ),
                            NEXT_LIVE,
                        ],
                    ),
                    (
                        "Đồ thị của hàm số",
                        "Đọc đồ thị, hàm số đồng biến và nghịch biến.",
                        [
                            h("Đồ thị là gì?"),
                            p(
                                "Đồ thị của hàm số y = f(x) xác định trên D là tập hợp tất cả các điểm "
                                "M(x; f(x)) trên mặt phẳng toạ độ với x thuộc D."
                            ),
                            h("Đồng biến, nghịch biến", "h3"),
                            p(
                                "Hàm số đồng biến trên khoảng (a; b) nếu khi x tăng thì f(x) tăng; "
                                "nghịch biến nếu khi x tăng thì f(x) giảm. Trên đồ thị: đồng biến là "
                                "đồ thị “đi lên” từ trái sang phải."
                            ),
                            callout(
                                "warning",
                                "Đừng nhầm giữa “đồ thị đi lên” và “giá trị dương”: một hàm số có thể "
                                "đồng biến mà vẫn nhận giá trị âm.",
                            ),
                            question(
                                "Hàm số y = −2x + 1 đồng biến hay nghịch biến trên ℝ?",
                                "Hệ số của x là −2 < 0 nên hàm số nghịch biến trên ℝ.",
                            ),
                        ],
                    ),
                ],
            ),
            (
                "Chương 2. Hàm số bậc hai",
                "Parabol, đỉnh, trục đối xứng và bài toán tối ưu.",
                [
                    (
                        "Hàm số bậc hai và parabol",
                        "Dạng y = ax² + bx + c và cách vẽ parabol.",
                        [
                            definition(
                                "Hàm số bậc hai",
                                "Hàm số cho bởi công thức y = ax² + bx + c, trong đó a, b, c là các "
                                "hằng số và a ≠ 0.",
                            ),
                            h("Đỉnh và trục đối xứng"),
                            p(
                                "Đồ thị là một parabol có đỉnh I(−b/2a; −Δ/4a) và trục đối xứng là "
                                "đường thẳng x = −b/2a. Nếu a > 0 parabol quay bề lõm lên trên, nếu "
                                "a < 0 thì quay xuống dưới."
                            ),
                            callout(
                                "info", "Δ = b² − 4ac, giống như khi giải phương trình bậc hai."
                            ),
                            question(
                                "Tìm toạ độ đỉnh của parabol y = x² − 4x + 3.",
                                "x = −b/2a = 2, y = 4 − 8 + 3 = −1. Đỉnh I(2; −1).",
                            ),
                        ],
                    ),
                    (
                        "Ứng dụng: bài toán tối ưu",
                        "Dùng đỉnh của parabol để tìm giá trị lớn nhất, nhỏ nhất.",
                        [
                            p(
                                "Bác Nam có 40 m lưới để rào một mảnh vườn hình chữ nhật sát bờ tường. "
                                "Hỏi kích thước nào cho diện tích lớn nhất?"
                            ),
                            p(
                                "Gọi x là chiều rộng (m), chiều dài là 40 − 2x. Diện tích "
                                "S(x) = x(40 − 2x) = −2x² + 40x, là hàm số bậc hai với a < 0, đạt giá "
                                "trị lớn nhất tại đỉnh x = 10."
                            ),
                            quote(
                                "Toán học là ngôn ngữ mà Thượng đế dùng để viết nên vũ trụ.",
                                "Galileo Galilei",
                            ),
                            question(
                                "Diện tích lớn nhất bằng bao nhiêu?",
                                "S(10) = 10 · 20 = 200 m².",
                            ),
                            NEXT_LIVE,
                        ],
                    ),
                ],
            ),
        ],
    },
    {
        "code": "TIN10",
        "title": "Tin học 10 – Lập trình Python cơ bản",
        "description": "Làm quen với Python: biến, kiểu dữ liệu, câu lệnh rẽ nhánh và vòng lặp.",
        "in_catalogue": False,
        "modules": [
            (
                "Bài mở đầu. Làm quen với Python",
                "Cài đặt, chạy chương trình đầu tiên, biến và kiểu dữ liệu.",
                [
                    (
                        "Biến và kiểu dữ liệu",
                        "Số nguyên, số thực, xâu kí tự và phép gán.",
                        [
                            p(
                                "Biến là tên dùng để lưu một giá trị trong bộ nhớ. Trong Python, ta "
                                "tạo biến bằng phép gán, không cần khai báo kiểu."
                            ),
                            code(
                                'ten = "Lan"\ntuoi = 16\ndiem_tb = 8.5\nprint(ten, tuoi, diem_tb)'
                            ),
                            definition(
                                "Kiểu dữ liệu",
                                "int (số nguyên), float (số thực), str (xâu kí tự), bool (đúng/sai).",
                            ),
                            callout(
                                "tip", "Dùng hàm type() để xem kiểu của một giá trị: type(8.5)."
                            ),
                            question(
                                "Kết quả của print(7 // 2, 7 % 2) là gì?",
                                "3 1 — phép chia lấy phần nguyên và phép chia lấy dư.",
                            ),
                        ],
                    ),
                    (
                        "Câu lệnh điều kiện if",
                        "Rẽ nhánh chương trình theo điều kiện.",
                        [
                            p(
                                "Câu lệnh if cho phép chương trình làm việc khác nhau tùy điều kiện."
                            ),
                            code(
                                "diem = float(input('Nhập điểm: '))\n"
                                "if diem >= 8:\n    print('Giỏi')\n"
                                "elif diem >= 6.5:\n    print('Khá')\n"
                                "else:\n    print('Cần cố gắng')"
                            ),
                            callout(
                                "warning",
                                "Python dùng thụt lề để xác định khối lệnh. Thụt lề sai sẽ gây lỗi "
                                "IndentationError.",
                            ),
                            NEXT_LIVE,
                        ],
                    ),
                ],
            ),
            (
                "Chương 1. Vòng lặp",
                "Lặp với số lần biết trước và lặp có điều kiện.",
                [
                    (
                        "Vòng lặp for",
                        "Lặp trên một dãy số với range().",
                        [
                            code(
                                "tong = 0\nfor i in range(1, 11):\n    tong += i\nprint(tong)  # 55"
                            ),
                            p(
                                "range(1, 11) sinh ra các số từ 1 đến 10. Vòng lặp for lần lượt gán "
                                "từng số cho biến i rồi thực hiện khối lệnh bên trong."
                            ),
                            question(
                                "Sửa chương trình để tính tổng các số chẵn từ 2 đến 100.",
                                "for i in range(2, 101, 2): tong += i — kết quả 2550.",
                            ),
                        ],
                    ),
                ],
            ),
        ],
    },
]


def _course(school, spec: dict) -> Course:
    course = Course.objects.filter(school=school, code=spec["code"]).first()
    if course is None:
        course = course_create(
            by=SYSTEM,  # demo data: the explicit system path
            school=school,
            code=spec["code"],
            title=spec["title"],
            description=spec["description"],
            status=Course.Status.ACTIVE,
            in_catalogue=spec["in_catalogue"],
        )
    return course


def _enrol(course: Course, user, role: str) -> None:
    if not Enrollment.objects.filter(course=course, user=user).exists():
        enrollment_create(course=course, user=user, role=role, by=SYSTEM)


def _content(page: CoursePage, modules: list) -> None:
    if ModulePage.objects.child_of(page).exists():
        return  # a teacher may have changed it since; the seed never overwrites
    for title, summary, lessons in modules:
        module = module_page_create(course_page=page, title=title, summary=summary)
        for lesson_title, lesson_summary, body in lessons:
            lesson_page_create(module=module, title=lesson_title, summary=lesson_summary, body=body)


def seed(*, people) -> None:
    page = school_home_page_ensure(school=people.school)
    if not page.intro:
        page.intro = (
            "<p>Chào mừng đến với trường học trực tuyến. Các lớp học trực tiếp, bài giảng, "
            "bài tập và điểm danh của trường đều ở đây.</p>"
        )
        page.save_revision().publish()
    for index, spec in enumerate(COURSES):
        course = _course(people.school, spec)
        if people.teachers:
            _enrol(course, people.teachers[index % len(people.teachers)], Enrollment.Role.TEACHER)
        for student in people.students:
            _enrol(course, student, Enrollment.Role.STUDENT)
        course_page = course_page_ensure(course=course)
        _content(course_page, spec["modules"])
    # A little progress, so the progress bars and the teacher's table show something.
    first = Course.objects.get(school=people.school, code=COURSES[0]["code"])
    ordered = list(LessonPage.objects.descendant_of(first.course_page).live().order_by("path"))
    for n, student in enumerate(people.students[:10]):
        for lesson in ordered[: n % (len(ordered) + 1)]:
            lesson_progress_mark(user=student, lesson=lesson)
