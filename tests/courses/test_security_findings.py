"""Issue #8's findings in courses, each shown fixed (each test failed before its fix)."""

import pytest

from courses import roster, selectors, services
from courses.access import SYSTEM
from courses.models import Enrollment
from lms.errors import Conflict, ServiceError
from lms.models import Invitation, Membership, Role
from tests.factories.courses import enrol, roster_csv
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


def test_roster_export_neutralises_formulas_in_email_addresses(course, school):
    sneaky = member(school, email="=1+2@b.example", full_name="Sneaky")
    enrol(course, sneaky)
    text = roster.export_csv(selectors.course_roster(course=course))
    line = next(row for row in text.splitlines() if "Sneaky" in row)
    assert line.startswith("'=1+2@b.example,")
    # Imported back, the address is the real one again.
    rows = roster.parse(text)
    assert any(row[1] == "=1+2@b.example" for row in rows)


def test_a_teacher_cannot_make_anyone_a_teacher_of_the_school_through_a_roster(
    course, course_teacher, school, admin_user
):
    student = member(school, Role.STUDENT, email=f"hs@{school.allowed_email_domains[0]}")
    newcomer = f"moi@{school.allowed_email_domains[0]}"
    data = roster_csv([(student.email, "Học Sinh", "teacher"), (newcomer, "Mới", "assistant")])
    upload, rows = services.roster_import_upload(course=course, data=data, by=course_teacher)
    assert [r.verdict for r in rows] == ["error", "error"]
    assert "administrators" in rows[0].message
    services.roster_import_apply(upload=upload, by=course_teacher)
    assert not Invitation.objects.filter(role=Role.TEACHER).exists()
    assert not Membership.objects.filter(user=student, role=Role.TEACHER).exists()
    # The school's administrator may.
    upload, rows = services.roster_import_upload(course=course, data=data, by=admin_user)
    assert {r.verdict for r in rows} <= {"invite", "new"}


def test_the_last_teacher_cannot_be_dropped(course, course_teacher, school):
    own = Enrollment.objects.get(course=course, user=course_teacher)
    with pytest.raises(Conflict) as exc:
        services.enrollment_drop(enrollment=own, by=course_teacher)
    assert exc.value.code == "last_teacher"
    co_teacher = member(school, Role.TEACHER)
    enrol(course, co_teacher, "teacher")
    services.enrollment_drop(enrollment=own, by=co_teacher)  # another teacher remains
    last = Enrollment.objects.get(course=course, user=co_teacher)
    with pytest.raises(Conflict):
        services.enrollment_drop(enrollment=last, by=SYSTEM)


def test_the_last_teacher_cannot_drop_themselves_through_the_api(
    api_client, course, course_teacher
):
    own = Enrollment.objects.get(course=course, user=course_teacher)
    api_client.force_authenticate(course_teacher)
    response = api_client.post(f"/api/v1/courses/{course.pk}/enrollments/{own.pk}/drop/")
    assert response.status_code == 409 and response.json()["code"] == "last_teacher"


def test_control_characters_are_refused_in_course_titles(course):
    with pytest.raises(ServiceError) as exc:
        services.course_update(by=SYSTEM, course=course, title="Toán\u0007 10")
    assert exc.value.field == "title" and exc.value.code == "control_characters"


def test_roster_rows_with_control_characters_in_names_are_refused(course, school):
    data = roster_csv([(f"a@{school.allowed_email_domains[0]}", "An\u0001", "student")])
    _upload, rows = services.roster_import_upload(course=course, data=data, by=SYSTEM)
    assert rows[0].verdict == "error" and "control characters" in rows[0].message
