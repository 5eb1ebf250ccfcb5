"""Demo grading: a rubric, graded and released work, a draft grade and a regrade request.

Runs after the demo courses exist; safe to run again (keyed on the demo assignment's title).
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from courses.models import Course, Enrollment

from .models import Assignment, Category, Grade, RegradeRequest, Submission
from .services import release, rubrics
from .services.grades import grade_save, grading_options_update

TITLE = "Kiểm tra 15 phút: hàm số bậc nhất"


def seed(*, people) -> None:
    course = Course.objects.filter(school=people.school, code="TOAN10").first()
    if course is None or Assignment.objects.filter(course=course, title=TITLE).exists():
        return
    teacher = (
        Enrollment.objects.filter(course=course, role=Enrollment.Role.TEACHER)
        .select_related("user")
        .first()
    )
    if teacher is None:
        return
    teacher = teacher.user
    students = [
        e.user
        for e in Enrollment.objects.filter(
            course=course, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
        ).select_related("user")[:4]
    ]
    for name, weight in (("Thường xuyên", 1), ("Giữa kỳ", 2), ("Cuối kỳ", 3)):
        Category.objects.get_or_create(course=course, name=name, defaults={"weight": weight})
    now = timezone.now()
    assignment = Assignment.objects.create(
        course=course,
        title=TITLE,
        instructions="<p>Vẽ đồ thị hàm số y = 2x + 1 và giải thích cách làm.</p>",
        points=Decimal(10),
        category="Thường xuyên",
        available_from=now - timedelta(days=7),
        due_at=now - timedelta(days=2),
        late_cutoff=now + timedelta(days=5),
        late_penalty_percent=Decimal(10),
        status=Assignment.Status.PUBLISHED,
        published_at=now - timedelta(days=7),
        created_by=teacher,
    )
    rubric = rubrics.rubric_create(
        by=teacher,
        course=course,
        title="Thang điểm trình bày bài toán",
        criteria=[
            {
                "title": "Lời giải đúng",
                "levels": [
                    {"points": 6, "description": "Đúng và đủ"},
                    {"points": 4, "description": "Đúng một phần"},
                    {"points": 0, "description": "Chưa đúng"},
                ],
            },
            {
                "title": "Trình bày",
                "levels": [
                    {"points": 4, "description": "Rõ ràng, có hình vẽ"},
                    {"points": 2, "description": "Còn thiếu bước"},
                ],
            },
        ],
    )
    grading_options_update(by=teacher, assignment=assignment, rubric=rubric)
    criteria = list(rubric.criteria.prefetch_related("levels"))
    for index, student in enumerate(students):
        late = index == 1
        Submission.objects.create(
            assignment=assignment,
            student=student,
            attempt=1,
            state=Submission.State.SUBMITTED,
            submitted_at=assignment.due_at + timedelta(hours=5 if late else -20),
            due_at=assignment.due_at,
            seconds_late=5 * 3600 if late else 0,
            penalty_percent=Decimal(10) if late else Decimal(0),
            text="Đồ thị là đường thẳng đi qua (0; 1) và (−0,5; 0).",
        )
        if index >= 3:
            continue  # left to grade in the demo
        levels = [list(c.levels.all())[min(index, len(c.levels.all()) - 1)] for c in criteria]
        grade_save(
            by=teacher,
            assignment=assignment,
            student_id=student.pk,
            version=None,
            rubric_selections=[
                {"criterion": c.pk, "level": lv.pk, "comment": "Cần ghi rõ toạ độ giao điểm."}
                for c, lv in zip(criteria, levels, strict=True)
            ],
            comment="Bài làm cẩn thận, cố gắng trình bày gọn hơn.",
        )
    graded = Grade.objects.filter(assignment=assignment, score__isnull=False).order_by("pk")
    for grade in graded[:2]:
        release.grade_release(by=teacher, grade=grade)
    first = Grade.objects.filter(assignment=assignment, released_at__isnull=False).first()
    if first and not RegradeRequest.objects.filter(grade=first).exists():
        release.regrade_request_create(
            by=first.student,
            grade=first,
            reason="Em đã vẽ đủ hình, xin thầy cô xem lại phần trình bày.",
        )
