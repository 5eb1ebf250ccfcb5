"""The gradebook over HTTP: totals, filters, exports, imports, visibility and query counts."""

import io
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from attendance.models import AttendancePolicy, AttendanceRate
from courses.models import Enrollment
from grading.models import Category, Extension, Grade, GradebookSettings, GradeChange
from grading.services import release
from grading.services.grades import grade_save
from lms.models import Membership, User
from tests.factories.grades import assignment, submission, world


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient(headers={"accept-language": "en"})


@pytest.fixture
def w(db):
    return world(names=["Trần Văn Đức", "Nguyễn Thị Dung", "Lê An", "Phạm Ánh"])


def book(api_client, user, course, query=""):
    api_client.force_authenticate(user)
    response = api_client.get(f"/api/v1/courses/{course.pk}/gradebook/{query}")
    return response


def test_gradebook_totals_on_ten_point_scale_with_coefficients(w, api_client):
    Category.objects.create(course=w.course, name="tx", weight=1)
    Category.objects.create(course=w.course, name="gk", weight=2)
    Category.objects.create(course=w.course, name="ck", weight=3)
    oral = assignment(w.course, title="Miệng", category="tx")
    mid = assignment(w.course, title="Giữa kỳ", category="gk")
    final = assignment(w.course, title="Cuối kỳ", category="ck")
    s = w.students[0]
    for a, score in ((oral, "8"), (mid, "6.5"), (final, "9")):
        grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(score))
    data = book(api_client, w.teacher, w.course).json()
    assert [c["title"] for c in data["columns"]] == ["Miệng", "Giữa kỳ", "Cuối kỳ"]
    row = next(r for r in data["rows"] if r["student_id"] == s.pk)
    # (8 + 2·6.5 + 3·9) / 6 = 8.0
    assert row["display"] == "8.0"
    assert row["total"]["ten"] == "8.0"
    # Sorted by given name, Vietnamese-style: An, Ánh, Dung, Đức.
    assert [r["full_name"] for r in data["rows"]] == [
        "Lê An",
        "Phạm Ánh",
        "Nguyễn Thị Dung",
        "Trần Văn Đức",
    ]
    # Nothing handed in and past due: missing, counted as zero by default.
    other = next(r for r in data["rows"] if r["student_id"] == w.students[1].pk)
    assert all(c["missing"] for c in other["cells"])
    assert other["display"] == "0.0"


def test_missing_respects_extension_and_setting(w, api_client):
    a = assignment(w.course, due_in_days=-1)
    s = w.students[0]
    Extension.objects.create(
        assignment=a, student=s, due_at=timezone.now() + timedelta(days=2), reason="ốm"
    )
    data = book(api_client, w.teacher, w.course).json()
    cells = {r["student_id"]: r["cells"][0] for r in data["rows"]}
    assert cells[s.pk]["missing"] is False
    assert cells[w.students[1].pk]["missing"] is True
    GradebookSettings.objects.create(course=w.course, missing_counts_zero=False, scale="percent")
    data = book(api_client, w.teacher, w.course).json()
    assert {r["display"] for r in data["rows"]} == {""}
    data = book(api_client, w.teacher, w.course, "?missing=1").json()
    assert {r["student_id"] for r in data["rows"]} == {u.pk for u in w.students[1:]}


def test_late_filter_and_category_filter(w, api_client):
    a = assignment(w.course, category="tx")
    b = assignment(w.course, title="B", category="ck")
    submission(a, w.students[2], seconds_late=100, penalty=10)
    submission(b, w.students[1])
    data = book(api_client, w.teacher, w.course, "?late=1").json()
    assert [r["student_id"] for r in data["rows"]] == [w.students[2].pk]
    assert data["rows"][0]["cells"][0]["late"] is True
    data = book(api_client, w.teacher, w.course, "?category=ck").json()
    assert [c["id"] for c in data["columns"]] == [b.pk]
    assert all(len(r["cells"]) == 1 for r in data["rows"])


def test_attendance_column_follows_the_attendance_policy(w, api_client):
    a = assignment(w.course)
    s = w.students[0]
    grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(6))
    AttendanceRate.objects.create(course=w.course, user=s, lessons_counted=4, credited=4, rate=1.0)
    row = lambda: next(  # noqa: E731
        r for r in book(api_client, w.teacher, w.course).json()["rows"] if r["student_id"] == s.pk
    )
    assert row()["display"] == "6.0"
    AttendancePolicy.objects.create(course=w.course, gradebook_column=True)
    assert row()["display"] == "8.0"  # (6 + 10) / 2 with weight 1
    assert row()["attendance_rate"] == "1.0000"


def test_gradebook_access(w, api_client):
    assert book(api_client, w.teacher, w.course).status_code == 200
    assert book(api_client, w.assistant, w.course).status_code == 200
    assert book(api_client, w.admin, w.course).status_code == 200
    assert book(api_client, w.students[0], w.course).status_code == 403
    assert book(api_client, w.other_teacher, w.course).status_code == 404
    assert book(api_client, w.other_student, w.course).status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(f"/api/v1/courses/{w.course.pk}/gradebook/").status_code in (401, 403)


def _seed_size(w, students: int, items: int):
    school = w.school
    users = User.objects.bulk_create(
        User(email=f"sz{i}-{students}@example.test", full_name=f"Học Sinh {i}", password="!")
        for i in range(students)
    )
    Membership.objects.bulk_create(Membership(user=u, school=school, role="student") for u in users)
    Enrollment.objects.bulk_create(
        Enrollment(course=w.course, user=u, role="student") for u in users
    )
    Category.objects.create(course=w.course, name="tx", weight=1, drop_lowest=1)
    assignments = [
        assignment(w.course, title=f"Bài {i}", category="tx" if i % 2 else "ck")
        for i in range(items)
    ]
    now = timezone.now()
    Grade.objects.bulk_create(
        Grade(
            assignment=a,
            student=u,
            raw_score=D((i + j) % 11),
            score=D((i + j) % 11),
            released_at=now if j % 2 else None,
        )
        for i, u in enumerate(users)
        for j, a in enumerate(assignments)
        if (i + j) % 5
    )
    return users, assignments


@pytest.mark.parametrize("students,items", [(10, 5), (200, 40)])
def test_gradebook_queries_do_not_grow(w, api_client, students, items):
    _seed_size(w, students, items)
    AttendancePolicy.objects.create(course=w.course, gradebook_column=True)
    api_client.force_authenticate(w.teacher)
    url = f"/api/v1/courses/{w.course.pk}/gradebook/"
    api_client.get(url)  # sessions, caches warmed
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(url)
    assert response.status_code == 200
    assert len(response.json()["rows"]) == students + len(w.students)
    # auth + course/role + settings, categories, assignments, students, grades,
    # submissions, extensions, attendance policy, rates
    assert len(queries) == QUERIES["gradebook"]
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(f"/api/v1/courses/{w.course.pk}/gradebook/export/?as=xlsx")
    assert response.status_code == 200
    assert len(queries) == QUERIES["gradebook"]
    student = w.students[0]
    api_client.force_authenticate(student)
    with CaptureQueriesContext(connection) as queries:
        assert api_client.get(f"/api/v1/courses/{w.course.pk}/grades/mine/").status_code == 200
    assert len(queries) == QUERIES["mine"]


QUERIES = {"gradebook": 10, "mine": 11}


def test_exports_neutralise_formulas_and_keep_numbers(w, api_client):
    import openpyxl

    evil = w.students[0]
    evil.full_name = '=HYPERLINK("http://x")\x07 Hùng'
    evil.save()
    a = assignment(w.course, title="+cmd|' /C calc'!A0")
    grade_save(by=w.teacher, assignment=a, student_id=evil.pk, version=None, score=D("8.5"))
    grade_save(by=w.teacher, assignment=a, student_id=w.students[1].pk, version=None, excused=True)
    api_client.force_authenticate(w.teacher)
    text = api_client.get(f"/api/v1/courses/{w.course.pk}/gradebook/export/").content.decode()
    assert text.startswith("\ufeffemail,full_name,'+cmd")
    assert "'=HYPERLINK" in text and "\x07" not in text
    assert ",8.50," in text and ",EX," in text
    response = api_client.get(f"/api/v1/courses/{w.course.pk}/gradebook/export/?as=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    row = values[evil.email]
    assert row[1].value.startswith("'=HYPERLINK") and row[1].data_type == "s"
    assert row[2].value == 8.5 and row[2].data_type == "n"
    assert sheet.cell(1, 3).value.startswith("'+cmd")


def test_student_sees_only_released_grades_everywhere(w, api_client):
    a = assignment(w.course, title="Đã trả")
    b = assignment(w.course, title="Chưa trả")
    s = w.students[0]
    grade_save(by=w.teacher, assignment=a, student_id=s.pk, version=None, score=D(9), comment="ok")
    secret = grade_save(
        by=w.teacher, assignment=b, student_id=s.pk, version=None, score=D(2), comment="BÍ MẬT"
    )
    release.assignment_release(by=w.teacher, assignment=a)
    api_client.force_authenticate(s)
    mine = api_client.get(f"/api/v1/courses/{w.course.pk}/grades/mine/").json()
    assert [g["assignment_title"] for g in mine["grades"]] == ["Đã trả"]
    assert mine["display"] == "9.0"  # b is not released: not a 2, and not missing either
    everywhere = api_client.get("/api/v1/me/grades/").json()
    assert [g["assignment_title"] for g in everywhere["results"]] == ["Đã trả"]
    for url in (
        f"/api/v1/courses/{w.course.pk}/gradebook/",
        f"/api/v1/courses/{w.course.pk}/gradebook/export/",
        f"/api/v1/courses/{w.course.pk}/gradebook/export/?as=xlsx",
        f"/api/v1/assignments/{b.pk}/grades/",
        f"/api/v1/assignments/{b.pk}/grades/{s.pk}/",
        f"/api/v1/courses/{w.course.pk}/regrade-requests/",
    ):
        response = api_client.get(url)
        assert response.status_code in (403, 404), url
        assert b"BI\xcc\x81 M\xc3\x82T" not in response.content
        assert "BÍ MẬT".encode() not in response.content
    response = api_client.post(f"/api/v1/grades/{secret.pk}/regrade/", {"reason": "?"})
    assert response.status_code == 404


def test_import_preview_and_atomic_apply(w, api_client):
    a = assignment(w.course, title="Kiểm tra 15 phút")
    b = assignment(w.course, title="Giữa kỳ", points=10)
    first, second, third, fourth = w.students
    grade_save(by=w.teacher, assignment=a, student_id=second.pk, version=None, score=D(5))
    release.assignment_release(by=w.teacher, assignment=a)
    csv = (
        f"\ufeffemail,full_name,Kiểm tra 15 phút [{a.pk}],Giữa kỳ\r\n"
        f'{first.email},A,"8,5",7.25\r\n'
        f"{second.email},B,6,\r\n"
        f"{third.email},C,,ex\r\n"
        "nobody@example.test,X,5,5\r\n"
        f"{fourth.email},D,abc,11\r\n"
    ).encode()
    api_client.force_authenticate(w.teacher)
    url = f"/api/v1/courses/{w.course.pk}/gradebook/import/"

    def upload(path, **extra):
        return api_client.post(url + path, {"file": io.BytesIO(csv), **extra}, format="multipart")

    preview = upload("preview/").json()
    verdicts = [(r["email"], r["verdict"]) for r in preview["rows"]]
    assert verdicts == [
        (first.email, "change"),
        (second.email, "error"),  # released: needs a reason
        (third.email, "change"),
        ("nobody@example.test", "error"),
        (fourth.email, "error"),
    ]
    assert preview["rows"][0]["changes"][0]["new"] == "8.5"
    assert "not a student" in preview["rows"][3]["message"]
    assert "not a number" in preview["rows"][4]["message"]
    assert "outside 0–10" in preview["rows"][4]["message"]
    response = upload("apply/")
    assert response.status_code == 400
    assert response.json()["code"] == "import_has_errors"
    assert Grade.objects.count() == 1  # nothing half-applied

    csv = (
        f'email,Kiểm tra 15 phút [{a.pk}],Giữa kỳ\r\n{first.email},"8,5",7.25\r\n'
        f"{second.email},6,\r\n{third.email},,ex\r\n"
    ).encode()
    response = upload("apply/", reason="Nhập điểm giấy")
    assert response.status_code == 200, response.json()
    assert response.json()["summary"] == {
        "rows": 3,
        "change": 3,
        "unchanged": 0,
        "error": 0,
        "scores": 4,
    }
    scores = {(g.assignment_id, g.student_id): (g.score, g.excused) for g in Grade.objects.all()}
    assert scores[(a.pk, first.pk)] == (D("8.5"), False)
    assert scores[(b.pk, first.pk)] == (D("7.25"), False)
    assert scores[(a.pk, second.pk)] == (D(6), False)
    assert scores[(b.pk, third.pk)] == (None, True)
    assert GradeChange.objects.filter(action="imported").count() == 4
    changed = GradeChange.objects.get(action="imported", grade__student=second)
    assert changed.reason == "Nhập điểm giấy"
    # The same file again changes nothing.
    again = upload("preview/", reason="x").json()
    assert again["summary"]["unchanged"] == 3


def test_import_refuses_bad_files(w, api_client):
    api_client.force_authenticate(w.teacher)
    url = f"/api/v1/courses/{w.course.pk}/gradebook/import/preview/"
    for content, code in (
        (b"", "empty_file"),
        (b"name,score\r\nx,1\r\n", "wrong_columns"),
        (b"email,Unknown [999999]\r\nx,1\r\n", "unknown_column"),
        (b"\xff\xfe\x00e", "not_csv"),
    ):
        response = api_client.post(url, {"file": io.BytesIO(content)}, format="multipart")
        assert response.status_code == 400, content
        assert response.json()["code"] == code or response.json()["fields"], content
    api_client.force_authenticate(w.students[0])
    response = api_client.post(url, {"file": io.BytesIO(b"email\r\n")}, format="multipart")
    assert response.status_code == 403
