"""Roster import as a school meets it: Gmail addresses, honest preview counts, translated roles,
Vietnamese headers, the invitation e-mail, and rosters in Vietnamese name order."""

import csv
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from courses import services
from courses.models import Course, PendingEnrollment
from lms.models import Invitation, Role
from tests.factories.courses import CourseFactory, enrol, roster_csv
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


def _upload(client, course, data, name="lop.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/courses/{course.pk}/roster/import/",
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_gmail_rows_are_invited_although_the_school_limits_self_signup(
    course, course_teacher, school, django_capture_on_commit_callbacks
):
    assert school.allowed_email_domains and not school.accepts_email("lan@gmail.com")
    upload, rows = services.roster_import_upload(
        course=course,
        data=roster_csv([("Lan.Tran@Gmail.com", "Trần Thị Lan", "student")]),
        by=course_teacher,
    )
    assert rows[0].verdict == "new"
    with django_capture_on_commit_callbacks(execute=True):
        result = services.roster_import_apply(upload=upload, by=course_teacher)
    assert result["invitations_sent"] == 1
    assert Invitation.objects.get().email == "lan.tran@gmail.com"
    assert PendingEnrollment.objects.get().email == "lan.tran@gmail.com"


def test_four_bad_rows_of_five_are_counted_not_called_nothing_to_change(
    client, course, course_teacher, school
):
    domain = school.allowed_email_domains[0]
    enrolled = enrol(course, member(school, email=f"an@{domain}", full_name="Lê Văn An")).user
    data = roster_csv(
        [
            (enrolled.email, enrolled.full_name, "student"),
            ("sai", "Sai Một", "student"),
            ("", "Sai Hai", "student"),
            (f"ba@{domain}", "Sai Ba", "hiệu trưởng"),
            (enrolled.email, "Trùng", "student"),
        ]
    )
    client.force_login(course_teacher)
    response = _upload(client, course, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "0 of 5 rows will change the course" in body
    assert "4 rows are refused" in body and "1 row needs no change" in body
    assert "Nothing can be applied: 4 rows have errors" in body
    assert "everyone in the file is already in the course" not in body
    assert 'data-testid="apply"' not in body


def test_preview_speaks_vietnamese_roles_and_says_what_an_assistant_becomes(
    client, course, admin_user, school
):
    # Only the school's administrators bring new staff in by roster (issue #8).
    course_teacher = admin_user
    data = roster_csv(
        [
            ("tro.giang@gmail.com", "Phạm Trợ Giảng", "Trợ giảng"),
            ("hs@gmail.com", "Vũ Học Sinh", "Học sinh"),
        ],
        header=("Email", "Họ và tên", "Vai trò"),
    )
    course_teacher.preferred_language = "vi"
    course_teacher.save()
    client.force_login(course_teacher)
    with translation.override("vi"):
        response = client.post(
            f"/courses/{course.pk}/roster/import/",
            {"file": _file(data)},
            headers={"accept-language": "vi"},
        )
    body = response.content.decode()
    assert response.status_code == 200, body
    assert ">trợ giảng<" in body and ">học sinh<" in body
    assert ">assistant<" not in body and ">student<" not in body
    assert "trở thành trợ giảng của khoá học" in body
    assert "với vai trò giáo viên" not in body
    # the help text names the Vietnamese headers and role words
    page = client.get(f"/courses/{course.pk}/roster/", headers={"accept-language": "vi"})
    text = page.content.decode()
    assert "“họ tên”" in text and "“vai trò”" in text and "“trợ giảng”" in text


def _file(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("lop.csv", data, content_type="text/csv")


def test_invitation_email_names_the_person_course_teacher_and_school_unescaped(
    school, django_capture_on_commit_callbacks
):
    school.name = "Trường Lê & Trần"
    school.save()
    course = CourseFactory(school=school, code="TOAN-10A", title="Toán & Lý 10A")
    teacher = member(school, Role.TEACHER, full_name="Trần Thị O'Hara")
    enrol(course, teacher, "teacher")
    upload, _rows = services.roster_import_upload(
        course=course,
        data=roster_csv([("an.nguyen@gmail.com", 'Nguyễn Văn "An" O\'Neil', "")]),
        by=teacher,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.roster_import_apply(upload=upload, by=teacher)
    (message,) = mail.outbox
    body = message.body
    assert body.startswith('Xin chào Nguyễn Văn "An" O\'Neil,')
    assert "Trần Thị O'Hara mời bạn tham gia Trường Lê & Trần" in body
    assert "TOAN-10A · Toán & Lý 10A: với vai trò học sinh; giáo viên: Trần Thị O'Hara" in body
    assert "&amp;" not in body and "&#x27;" not in body and "&quot;" not in body
    assert message.subject == "Bạn được mời tham gia Trường Lê & Trần trên Lophoc"


NAMES = [
    "Trần Thị Bình",
    "Đặng Văn Đức",
    "Nguyễn Văn An",
    "Lê Thị Ánh",
    "Phạm Văn Dũng",
    "Vũ Thị Ân",
    "Hoàng Văn Em",
]
ORDER = [
    "Nguyễn Văn An",
    "Lê Thị Ánh",
    "Vũ Thị Ân",
    "Trần Thị Bình",
    "Phạm Văn Dũng",
    "Đặng Văn Đức",
    "Hoàng Văn Em",
]


def _course_with(school, extra: int) -> Course:
    course = CourseFactory(school=school)
    for name in NAMES:
        enrol(course, member(school, full_name=name))
    for i in range(extra):
        enrol(course, member(school, full_name=f"Zơ Văn {i} Zung"))
    return course


def _check_lists(client, api_client, course) -> tuple[int, int, int]:
    """Roster page, API and export in Vietnamese order; the queries each took."""
    with CaptureQueriesContext(connection) as page_queries:
        body = client.get(f"/courses/{course.pk}/roster/").content.decode()
    positions = [body.index(name) for name in ORDER]
    assert positions == sorted(positions)
    assert body.index("Lý Dung") < body.index("Đỗ Đạt")  # the pending list too

    with CaptureQueriesContext(connection) as api_queries:
        rows = api_client.get(f"/api/v1/courses/{course.pk}/enrollments/?page_size=200").json()
    names = [r["user"]["full_name"] for r in rows["results"]]
    assert names[: len(ORDER)] == ORDER

    with CaptureQueriesContext(connection) as export_queries:
        text = client.get(f"/courses/{course.pk}/roster/export.csv").content.decode("utf-8-sig")
    exported = [row["full_name"] for row in csv.DictReader(io.StringIO(text))]
    assert exported[: len(ORDER)] == ORDER
    assert exported[-2:] == ["Lý Dung", "Đỗ Đạt"]
    return len(page_queries), len(api_queries), len(export_queries)


def test_roster_page_api_and_export_in_vietnamese_order_with_constant_queries(
    client, api_client, school, admin_user
):
    client.force_login(admin_user)
    api_client.force_authenticate(admin_user)
    counts = []
    for extra in (0, 40):
        course = _course_with(school, extra)
        PendingEnrollment.objects.create(course=course, email="z@gmail.com", full_name="Đỗ Đạt")
        PendingEnrollment.objects.create(course=course, email="d@gmail.com", full_name="Lý Dung")
        counts.append(_check_lists(client, api_client, course))
    assert counts[0] == counts[1]


def test_api_preview_counts_changes_and_translates_roles(api_client, course, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    course_teacher = admin_user  # only the school's administrators bring new staff in (#8)
    data = roster_csv([("a@gmail.com", "Lê An", "trợ giảng"), ("sai", "Sai", "")])
    api_client.force_authenticate(course_teacher)
    response = api_client.post(
        f"/api/v1/courses/{course.pk}/roster/preview/",
        {"file": SimpleUploadedFile("lop.csv", data, content_type="text/csv")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["summary"]["changes"] == 1 and body["summary"]["refused"] == 1
    assert body["rows"][0]["role"] == "assistant"
    assert body["rows"][0]["role_label"] == "trợ giảng"
