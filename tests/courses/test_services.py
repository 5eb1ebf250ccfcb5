import datetime

import pytest

from courses import selectors, services
from courses.access import SYSTEM
from courses.models import Course, Enrollment, EnrollmentChange
from lms.errors import Conflict, Gone, ServiceError
from lms.models import Role
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import member

pytestmark = pytest.mark.django_db


def test_course_create_runs_hook_and_gets_a_join_code(school, hook_calls):
    course = services.course_create(by=SYSTEM, school=school, code=" VAN-11 ", title="Ngữ văn 11")
    assert course.code == "VAN-11"
    assert course.status == Course.Status.DRAFT
    assert len(course.join_code) == services.JOIN_CODE_LENGTH
    assert set(course.join_code) <= set(services.JOIN_CODE_ALPHABET)
    assert [name for name, _kw in hook_calls] == ["course_created"]
    assert hook_calls[0][1]["course"] == course


def test_course_create_refuses_duplicates_and_bad_terms(school, course):
    with pytest.raises(Conflict) as exc:
        services.course_create(by=SYSTEM, school=school, code=course.code.lower(), title="x")
    assert exc.value.field == "code"
    with pytest.raises(ServiceError) as exc:
        services.course_create(
            by=SYSTEM,
            school=school,
            code="NEW",
            title="x",
            term_start=datetime.date(2026, 9, 1),
            term_end=datetime.date(2026, 6, 1),
        )
    assert exc.value.field == "term_end"
    with pytest.raises(ServiceError) as exc:
        services.course_create(by=SYSTEM, school=school, code="NEW", title="  ")
    assert exc.value.field == "title"
    with pytest.raises(ServiceError) as exc:
        services.course_create(
            by=SYSTEM, school=school, code="NEW", title="t", time_zone="Mars/Base"
        )
    assert exc.value.field == "time_zone"


def test_course_update_and_archive(course, hook_calls):
    services.course_update(by=SYSTEM, course=course, title="Toán nâng cao", in_catalogue=True)
    course.refresh_from_db()
    assert course.title == "Toán nâng cao" and course.in_catalogue
    services.course_update(by=SYSTEM, course=course, status=Course.Status.ARCHIVED)
    course.refresh_from_db()
    assert course.status == Course.Status.ARCHIVED
    names = [name for name, _kw in hook_calls]
    assert names == ["course_updated", "course_updated", "course_archived"]
    services.course_archive(by=SYSTEM, course=course)  # archiving twice runs the hook once
    assert [n for n, _kw in hook_calls].count("course_archived") == 1
    with pytest.raises(ServiceError):
        services.course_update(by=SYSTEM, course=course, school_id=1)


def test_enrolment_needs_the_right_school_membership(course, school, other_school):
    outsider = member(other_school, Role.STUDENT)
    with pytest.raises(ServiceError) as exc:
        services.enrollment_create(by=SYSTEM, course=course, user=outsider)
    assert exc.value.code == "not_a_member"
    student = member(school, Role.STUDENT)
    with pytest.raises(ServiceError) as exc:  # a student cannot be staff
        services.enrollment_create(by=SYSTEM, course=course, user=student, role="teacher")
    assert "not a teacher" in str(exc.value.message)
    teacher = member(school, Role.TEACHER)
    assert services.enrollment_create(
        by=SYSTEM, course=course, user=teacher, role="assistant"
    ).is_staff


def test_drop_keeps_history_and_readding_reactivates(course, student, teacher, hook_calls):
    enrol(course, teacher, "teacher")  # the one who drops must manage the roster
    enrollment = services.enrollment_create(course=course, user=student, by=teacher)
    with pytest.raises(Conflict):
        services.enrollment_create(by=SYSTEM, course=course, user=student)
    services.enrollment_drop(enrollment=enrollment, by=teacher)
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.DROPPED
    assert enrollment.dropped_at is not None
    assert selectors.course_role_for(student, course) is None
    services.enrollment_drop(enrollment=enrollment, by=SYSTEM)  # idempotent, no second hook
    again = services.enrollment_create(course=course, user=student, by=teacher)
    assert again.pk == enrollment.pk
    assert again.status == Enrollment.Status.ACTIVE and again.dropped_at is None
    assert Enrollment.objects.filter(course=course, user=student).count() == 1
    history = list(enrollment.changes.values_list("action", flat=True))
    assert history == ["enrolled", "dropped", "reactivated"]
    assert [n for n, _kw in hook_calls] == ["enrollment_changed"] * 3


def test_role_change_is_recorded(course, school):
    teacher = member(school, Role.TEACHER)
    services.enrollment_create(by=SYSTEM, course=course, user=teacher, role="assistant")
    enrollment = services.enrollment_create(by=SYSTEM, course=course, user=teacher, role="teacher")
    assert enrollment.role == "teacher"
    assert enrollment.changes.last().action == EnrollmentChange.Action.ROLE_CHANGED


def test_archived_course_takes_nobody(course, student):
    services.course_archive(by=SYSTEM, course=course)
    with pytest.raises(Gone):
        services.enrollment_create(by=SYSTEM, course=course, user=student)


def test_course_role_for_contract(course, school, student, teacher, admin_user, other_admin):
    enrol(course, student)
    enrol(course, teacher, "teacher")
    assistant = member(school, Role.TEACHER)
    enrol(course, assistant, "assistant")
    assert selectors.course_role_for(student, course) == "student"
    assert selectors.course_role_for(teacher, course) == "teacher"
    assert selectors.course_role_for(assistant, course) == "assistant"
    assert selectors.course_role_for(admin_user, course) == "admin"
    assert selectors.course_role_for(other_admin, course) is None
    annotated = selectors.courses_for_user(teacher).get(pk=course.pk)
    assert selectors.course_role_for(teacher, annotated) == "teacher"


def test_courses_for_user_annotates_role_and_counts(course, school, student, admin_user):
    other = CourseFactory(school=school)
    enrol(course, student)
    for _i in range(3):
        enrol(course, member(school))
    mine = list(selectors.courses_for_user(student))
    assert [(c.pk, c.my_role, c.student_count) for c in mine] == [(course.pk, "student", 4)]
    as_admin = {c.pk: c.my_role for c in selectors.courses_for_user(admin_user)}
    assert as_admin == {course.pk: "admin", other.pk: "admin"}
