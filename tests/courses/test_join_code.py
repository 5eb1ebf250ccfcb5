import datetime

import pytest
from django.utils import timezone

from courses import services
from courses.access import SYSTEM
from courses.models import Course, Enrollment, EnrollmentChange
from lms.errors import Conflict, Gone, NotFound
from lms.models import Role
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_course(school):
    return services.course_create(
        by=SYSTEM, school=school, code="SU-9", title="Lịch sử 9", status=Course.Status.ACTIVE
    )


def test_codes_are_short_unambiguous_and_unique(school):
    codes = {
        services.course_create(by=SYSTEM, school=school, code=f"C{i}", title="t").join_code
        for i in range(40)
    }
    assert len(codes) == 40
    for code in codes:
        assert len(code) == 7
        assert not set(code) & set("01OIL")


def test_student_joins_with_the_code_typed_loosely(open_course, student):
    typed = open_course.join_code_display.lower().replace("-", " - ")
    enrollment = services.enrollment_join_by_code(user=student, code=typed)
    assert enrollment.course == open_course
    assert enrollment.role == Enrollment.Role.STUDENT
    assert enrollment.changes.get().source == EnrollmentChange.Source.JOIN_CODE
    with pytest.raises(Conflict) as exc:
        services.enrollment_join_by_code(user=student, code=open_course.join_code)
    assert exc.value.code == "already_enrolled"


def test_rotate_invalidates_the_old_code(open_course, student):
    old = open_course.join_code
    services.join_code_rotate(by=SYSTEM, course=open_course)
    assert open_course.join_code != old
    with pytest.raises(NotFound):
        services.enrollment_join_by_code(user=student, code=old)
    assert services.enrollment_join_by_code(user=student, code=open_course.join_code)


def test_disabled_and_expired_codes(open_course, student):
    services.join_code_update(by=SYSTEM, course=open_course, enabled=False)
    with pytest.raises(Gone) as exc:
        services.enrollment_join_by_code(user=student, code=open_course.join_code)
    assert exc.value.code == "join_code_disabled"
    services.join_code_update(by=SYSTEM, course=open_course, enabled=True)
    services.join_code_update(
        by=SYSTEM, course=open_course, expires_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    Course.objects.filter(pk=open_course.pk).update(
        join_code_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(Gone) as exc:
        services.enrollment_join_by_code(user=student, code=open_course.join_code)
    assert exc.value.code == "join_code_expired"
    with pytest.raises(services.ServiceError) as exc:
        services.join_code_update(
            by=SYSTEM, course=open_course, expires_at=timezone.now() - datetime.timedelta(days=1)
        )
    assert exc.value.field == "expires_at"
    services.join_code_update(by=SYSTEM, course=open_course, expires_at=None)
    assert services.enrollment_join_by_code(user=student, code=open_course.join_code)


def test_closed_courses_cannot_be_joined(school, student):
    draft = CourseFactory(school=school, status=Course.Status.DRAFT, join_code="AAAAAAA")
    with pytest.raises(Gone) as exc:
        services.enrollment_join_by_code(user=student, code="AAAAAAA")
    assert exc.value.code == "course_closed"
    assert "not open yet" in str(exc.value.message)
    services.course_archive(by=SYSTEM, course=draft)
    with pytest.raises(Gone):
        services.enrollment_join_by_code(user=student, code="AAAAAAA")


def test_other_school_and_non_students_are_refused(open_course, other_school, school):
    outsider = member(other_school, Role.STUDENT)
    with pytest.raises(services.Forbidden) as exc:
        services.enrollment_join_by_code(user=outsider, code=open_course.join_code)
    assert exc.value.status == 403 and "another school" in str(exc.value.message)
    teacher = member(school, Role.TEACHER)
    with pytest.raises(services.Forbidden) as exc:
        services.enrollment_join_by_code(user=teacher, code=open_course.join_code)
    assert "Only students" in str(exc.value.message)


def test_dropped_student_can_come_back_with_the_code(open_course, student):
    enrollment = enrol(open_course, student)
    services.enrollment_drop(enrollment=enrollment, by=SYSTEM)
    again = services.enrollment_join_by_code(user=student, code=open_course.join_code)
    assert again.pk == enrollment.pk and again.status == Enrollment.Status.ACTIVE


def test_guessing_is_rate_limited(open_course, student, settings):
    for _i in range(services.JOIN_CODE_MAX_FAILURES):
        with pytest.raises(NotFound):
            services.enrollment_join_by_code(user=student, code="ZZZZZZZ")
    with pytest.raises(services.TooManyAttempts) as exc:  # even the right code must wait
        services.enrollment_join_by_code(user=student, code=open_course.join_code)
    assert exc.value.status == 429


# --- API ------------------------------------------------------------------------------------


def test_api_join(api_client, open_course, student, other_school):
    api_client.force_authenticate(student)
    response = api_client.post("/api/v1/courses/join/", {"code": "nope123"}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "invalid_code"
    assert response.json()["fields"]["code"]
    response = api_client.post(
        "/api/v1/courses/join/", {"code": open_course.join_code_display}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["course"]["id"] == open_course.pk
    assert body["course"]["my_role"] == "student"
    assert body["enrollment"]["status"] == "active"
    response = api_client.post(
        "/api/v1/courses/join/", {"code": open_course.join_code}, format="json"
    )
    assert response.status_code == 409
    outsider = member(other_school, Role.STUDENT)
    api_client.force_authenticate(outsider)
    response = api_client.post(
        "/api/v1/courses/join/", {"code": open_course.join_code}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_in_school"


def test_api_join_code_management(api_client, open_course, teacher, student):
    enrol(open_course, teacher, "teacher")
    enrol(open_course, student)
    url = f"/api/v1/courses/{open_course.pk}/join-code/"
    api_client.force_authenticate(student)
    assert api_client.get(url).status_code == 403  # students never see the code's settings
    api_client.force_authenticate(teacher)
    body = api_client.get(url).json()
    assert body["code"] == open_course.join_code and body["usable"] is True
    body = api_client.patch(url, {"enabled": False}, format="json").json()
    assert body["enabled"] is False and body["usable"] is False
    soon = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    body = api_client.patch(url, {"enabled": True, "expires_at": soon}, format="json").json()
    assert body["expires_at"] and body["usable"] is True
    old = body["code"]
    body = api_client.post(url + "rotate/").json()
    assert body["code"] != old


# --- Page -----------------------------------------------------------------------------------


def test_join_page(client, open_course, student):
    client.force_login(student)
    response = client.get(f"/courses/join/?code={open_course.join_code}")
    assert response.status_code == 200
    assert open_course.join_code in response.content.decode()
    response = client.post("/courses/join/", {"code": "WRONG99"})
    assert response.status_code == 404
    assert "No course has this code" in response.content.decode()
    response = client.post("/courses/join/", {"code": open_course.join_code})
    assert response.status_code == 302
    assert Enrollment.objects.filter(course=open_course, user=student, status="active").exists()
    services.join_code_update(by=SYSTEM, course=open_course, enabled=False)
    other = member(open_course.school, Role.STUDENT)
    client.force_login(other)
    response = client.post("/courses/join/", {"code": open_course.join_code})
    assert response.status_code == 410
    assert "switched off" in response.content.decode()


def test_staff_manage_the_code_on_the_roster_page(client, open_course, teacher):
    enrol(open_course, teacher, "teacher")
    client.force_login(teacher)
    old = open_course.join_code
    url = f"/courses/{open_course.pk}/join-code/"
    assert client.post(url, {"action": "rotate"}).status_code == 302
    open_course.refresh_from_db()
    assert open_course.join_code != old
    client.post(url, {"action": "disable"})
    open_course.refresh_from_db()
    assert open_course.join_code_enabled is False
    when = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(url, {"action": "expiry", "expires_at": when})
    open_course.refresh_from_db()
    assert open_course.join_code_expires_at is not None
    page = client.get(f"/courses/{open_course.pk}/roster/").content.decode()
    assert open_course.join_code_display in page
