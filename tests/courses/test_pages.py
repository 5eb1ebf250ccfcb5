import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Course, Enrollment, PendingEnrollment
from lms.models import Role
from tests.factories.courses import CourseFactory, bulk_enrol, bulk_members, enrol, roster_csv
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(school, course, admin_user, other_admin):
    student = member(school, Role.STUDENT)
    enrol(course, student)
    teacher = member(school, Role.TEACHER)
    enrol(course, teacher, "teacher")
    return {
        "member": student,
        "non_member": member(school, Role.STUDENT),
        "other_teacher": member(school, Role.TEACHER),
        "staff": teacher,
        "school_admin": admin_user,
        "other_school_admin": other_admin,
    }


def _get(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("/courses/{pk}/roster/", {"staff", "school_admin"}),
        ("/courses/{pk}/roster/export.csv", {"staff", "school_admin"}),
        ("/schools/{slug}/courses/", {"school_admin"}),
        ("/schools/{slug}/courses/new/", {"school_admin"}),
        ("/schools/{slug}/courses/{pk}/edit/", {"school_admin"}),
    ],
)
def test_page_visibility_matrix(client, course, school, actors, url, allowed):
    url = url.format(pk=course.pk, slug=school.slug)
    got = {name: _get(client, user, url) for name, user in actors.items()}
    # A member of the course sees it and lacks the capability (403); anyone else: 404.
    sees_course = {"member"} if url.startswith("/courses/") else set()
    assert got == {
        name: 200 if name in allowed else 403 if name in sees_course else 404 for name in actors
    }


def test_other_admin_cannot_reach_a_course_through_their_own_school(
    client, course, other_admin, other_school
):
    client.force_login(other_admin)
    assert client.get(f"/schools/{other_school.slug}/courses/{course.pk}/edit/").status_code == 404
    response = client.post(f"/schools/{other_school.slug}/courses/{course.pk}/archive/")
    assert response.status_code == 404
    course.refresh_from_db()
    assert course.status == Course.Status.ACTIVE


def test_roster_writes_are_refused_to_non_managers(client, course, school, actors):
    target = Enrollment.objects.get(course=course, user=actors["member"])
    assistant = member(school, Role.TEACHER)
    enrol(course, assistant, "assistant")
    for user, expected in [
        (actors["member"], 403),  # members see the course, lack the capability
        (actors["non_member"], 404),
        (actors["other_school_admin"], 404),
        (assistant, 403),
    ]:
        client.force_login(user)
        response = client.post(f"/courses/{course.pk}/roster/{target.pk}/drop/")
        assert response.status_code == expected
        response = client.post(f"/courses/{course.pk}/join-code/", {"action": "rotate"})
        assert response.status_code == expected
    target.refresh_from_db()
    assert target.status == "active"
    client.force_login(assistant)
    page = client.get(f"/courses/{course.pk}/roster/").content.decode()
    assert 'data-testid="join-code-box"' not in page  # assistants read, teachers manage


def test_admin_creates_edits_and_archives_a_course(client, school, admin_user):
    client.force_login(admin_user)
    response = client.post(
        f"/schools/{school.slug}/courses/new/",
        {"code": "ANH-6", "title": "Tiếng Anh 6", "status": "active", "term_start": "2026-09-05"},
    )
    course = Course.objects.get(code="ANH-6")
    assert response.status_code == 302 and response["Location"] == f"/courses/{course.pk}/roster/"
    assert course.join_code
    response = client.post(
        f"/schools/{school.slug}/courses/new/", {"code": "anh-6", "title": "x", "status": "draft"}
    )
    assert response.status_code == 200
    assert "already uses this code" in response.content.decode()
    response = client.post(
        f"/schools/{school.slug}/courses/{course.pk}/edit/",
        {
            "code": "ANH-6",
            "title": "Tiếng Anh 6 nâng cao",
            "status": "active",
            "term_start": "2026-09-05",
            "term_end": "2026-05-01",
        },
    )
    assert "cannot end before it starts" in response.content.decode()
    client.post(f"/schools/{school.slug}/courses/{course.pk}/archive/")
    course.refresh_from_db()
    assert course.status == Course.Status.ARCHIVED
    listing = client.get(f"/schools/{school.slug}/courses/?status=archived").content.decode()
    assert "Tiếng Anh 6" in listing


def test_teacher_adds_and_drops_on_the_roster_page(client, course, school, course_teacher):
    client.force_login(course_teacher)
    student = member(school, Role.STUDENT, full_name="Phạm Thu Trang")
    response = client.post(
        f"/courses/{course.pk}/roster/", {"email": student.email, "role": "student"}
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(course=course, user=student)
    response = client.post(
        f"/courses/{course.pk}/roster/", {"email": "ghost@x.test", "role": "student"}
    )
    assert response.status_code == 400 and "Nobody with this e-mail" in response.content.decode()
    client.post(f"/courses/{course.pk}/roster/{enrollment.pk}/drop/")
    enrollment.refresh_from_db()
    assert enrollment.status == "dropped" and enrollment.dropped_at
    page = client.get(f"/courses/{course.pk}/roster/?status=dropped").content.decode()
    assert "Phạm Thu Trang" in page


def test_import_preview_and_apply_on_the_page(client, course, school, course_teacher):
    client.force_login(course_teacher)
    domain = school.allowed_email_domains[0]
    known = member(school, Role.STUDENT, email=f"an@{domain}", full_name="Lê Văn An")
    data = roster_csv(
        [
            (known.email, "Lê Văn An", "student"),
            (f"hoa@{domain}", "Nguyễn Thị Hoa", "student"),
            (f"x@{domain}", "X", "headmaster"),
        ]
    )
    response = client.post(
        f"/courses/{course.pk}/roster/import/", {"file": SimpleUploadedFile("lop.csv", data)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-verdict="error"' in page and "Unknown role" in page
    assert "Nguyễn Thị Hoa" in page
    assert not Enrollment.objects.filter(course=course, user=known).exists()
    upload = course.roster_imports.get()
    response = client.post(f"/courses/{course.pk}/roster/import/{upload.pk}/apply/", follow=True)
    assert "1 enrolled, 1 invited" in response.content.decode()
    assert Enrollment.objects.filter(course=course, user=known, status="active").exists()
    assert PendingEnrollment.objects.filter(course=course, email=f"hoa@{domain}").exists()
    bad = client.post(
        f"/courses/{course.pk}/roster/import/",
        {"file": SimpleUploadedFile("x.csv", "tên,điện thoại\n".encode())},
    )
    assert bad.status_code == 400 and "must name the columns" in bad.content.decode()


def test_export_download(client, course, school, course_teacher):
    enrol(course, member(school, full_name="Võ Thị Yến"))
    client.force_login(course_teacher)
    response = client.get(f"/courses/{course.pk}/roster/export.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith("\ufeff".encode())
    assert "Võ Thị Yến" in response.content.decode()


def test_nav_and_dashboard_panels(client, school, course, course_teacher, admin_user, student):
    client.force_login(course_teacher)
    page = client.get("/dashboard/").content.decode()
    assert "Courses I teach" in page and f"/courses/{course.pk}/roster/" in page
    client.force_login(student)
    page = client.get("/dashboard/").content.decode()
    assert "/courses/join/" in page and "Courses I teach" not in page
    client.force_login(admin_user)
    page = client.get("/dashboard/").content.decode()
    assert f"/schools/{school.slug}/courses/" in page


def test_roster_page_queries_do_not_grow(client, course, school, course_teacher):
    client.force_login(course_teacher)
    bulk_enrol(course, bulk_members(school, 5))
    client.get(f"/courses/{course.pk}/roster/")  # warm the session

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/courses/{course.pk}/roster/").status_code == 200
        return len(queries)

    small = count()
    bulk_enrol(course, bulk_members(school, 195, prefix="big"))
    PendingEnrollment.objects.bulk_create(
        PendingEnrollment(course=course, email=f"p{i}@x.test") for i in range(20)
    )
    CourseFactory(school=school)
    assert count() == small


def test_pages_speak_vietnamese(client, course, school, course_teacher, student):
    course_teacher.preferred_language = "vi"
    course_teacher.save()
    client.force_login(course_teacher)
    page = client.get(f"/courses/{course.pk}/roster/").content.decode()
    assert "Mã tham gia" in page and "Nhập danh sách lớp" in page
    student.preferred_language = "vi"
    student.save()
    client.force_login(student)
    response = client.post("/courses/join/", {"code": "SAIMA99"})
    assert "Không có khoá học nào có mã này" in response.content.decode()
