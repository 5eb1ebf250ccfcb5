"""The course services check the acting user themselves (`by=`), whoever calls them.

A page, API view, task or management command cannot forget the check: people with no role in
the course (or the school) get NotFound, members lacking the capability Forbidden, and
`courses.access.SYSTEM` passes. A refused call changes nothing.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from courses import services
from courses.access import SYSTEM
from courses.models import Course, Enrollment, EnrollmentChange, PendingEnrollment
from lms.errors import Forbidden, NotFound
from lms.models import Role
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import member

pytestmark = pytest.mark.django_db

OK = "ok"


class World:
    pass


@pytest.fixture
def w(course, school, course_teacher, enrolled_student, admin_user, other_admin):
    world = World()
    world.school, world.course = school, course
    assistant = member(school, Role.TEACHER)
    enrol(course, assistant, "assistant")
    other_teacher = member(school, Role.TEACHER)
    enrol(CourseFactory(school=school), other_teacher, "teacher")
    world.people = {
        "teacher": course_teacher,
        "assistant": assistant,
        "student": enrolled_student,
        "admin": admin_user,
        "other_teacher": other_teacher,  # teaches another course of the same school
        "other_admin": other_admin,  # administers another school
        "system": SYSTEM,
    }
    world.newcomer = member(school, Role.STUDENT)
    world.pending = PendingEnrollment.objects.create(
        course=course, email="sap-toi@example.test", role="student", invited_by=course_teacher
    )
    return world


def _state(w) -> tuple:
    course = Course.objects.get(pk=w.course.pk)
    return (
        Course.objects.filter(school=w.school).count(),
        course.title,
        course.status,
        course.join_code,
        course.join_code_enabled,
        Enrollment.objects.filter(course=course, user=w.newcomer).exists(),
        PendingEnrollment.objects.filter(pk=w.pending.pk).exists(),
    )


CALLS = {
    "course_create": lambda w, by: services.course_create(
        by=by, school=w.school, code="MOI-1", title="Khoá mới"
    ),
    "course_update": lambda w, by: services.course_update(
        by=by, course=w.course, title="Toán nâng cao"
    ),
    "course_archive": lambda w, by: services.course_archive(by=by, course=w.course),
    "join_code_rotate": lambda w, by: services.join_code_rotate(by=by, course=w.course),
    "join_code_update": lambda w, by: services.join_code_update(
        by=by, course=w.course, enabled=False
    ),
    "enrollment_create": lambda w, by: services.enrollment_create(
        by=by, course=w.course, user=w.newcomer
    ),
    "enrollment_create_by_email": lambda w, by: services.enrollment_create_by_email(
        by=by, course=w.course, email=w.newcomer.email
    ),
    "pending_enrollment_cancel": lambda w, by: services.pending_enrollment_cancel(
        by=by, pending=w.pending
    ),
}

# Creating a course is a school capability: every member of the school is refused with 403.
CREATE = {
    "admin": OK,
    "system": OK,
    "teacher": Forbidden,
    "assistant": Forbidden,
    "student": Forbidden,
    "other_teacher": Forbidden,
    "other_admin": NotFound,
}
# The course record (COURSE_EDIT) belongs to the school's administrators.
EDIT = {
    "admin": OK,
    "system": OK,
    "teacher": Forbidden,
    "assistant": Forbidden,
    "student": Forbidden,
    "other_teacher": NotFound,
    "other_admin": NotFound,
}
# The roster and the join code (ROSTER_MANAGE): the course's teachers and the school's admins.
ROSTER = {
    "teacher": OK,
    "admin": OK,
    "system": OK,
    "assistant": Forbidden,
    "student": Forbidden,
    "other_teacher": NotFound,
    "other_admin": NotFound,
}
EXPECTED = {
    "course_create": CREATE,
    "course_update": EDIT,
    "course_archive": EDIT,
    "join_code_rotate": ROSTER,
    "join_code_update": ROSTER,
    "enrollment_create": ROSTER,
    "enrollment_create_by_email": ROSTER,
    "pending_enrollment_cancel": ROSTER,
}
CELLS = [(name, who, outcome) for name, row in EXPECTED.items() for who, outcome in row.items()]


@pytest.mark.parametrize(("name", "who", "outcome"), CELLS, ids=[f"{n}-{p}" for n, p, _o in CELLS])
def test_the_service_checks_the_acting_user(w, name, who, outcome):
    before = _state(w)
    if outcome is OK:
        CALLS[name](w, w.people[who])
        assert _state(w) != before
    else:
        with pytest.raises(outcome):
            CALLS[name](w, w.people[who])
        assert _state(w) == before


@pytest.mark.parametrize("name", CALLS)
def test_nobody_is_not_the_system(w, name):
    """`None` and anonymous users are strangers; leaving `by` out is a programming error."""
    before = _state(w)
    for by in (None, AnonymousUser()):
        with pytest.raises(NotFound):
            CALLS[name](w, by)
    with pytest.raises(TypeError):
        _call_without_by(name, w)
    assert _state(w) == before


def _call_without_by(name, w):
    kwargs = {
        "course_create": {"school": w.school, "code": "MOI-1", "title": "Khoá mới"},
        "course_update": {"course": w.course, "title": "x"},
        "course_archive": {"course": w.course},
        "join_code_rotate": {"course": w.course},
        "join_code_update": {"course": w.course, "enabled": False},
        "enrollment_create": {"course": w.course, "user": w.newcomer},
        "enrollment_create_by_email": {"course": w.course, "email": w.newcomer.email},
        "pending_enrollment_cancel": {"pending": w.pending},
    }[name]
    return getattr(services, name)(**kwargs)


def test_archiving_through_update_needs_the_same_capability(w):
    with pytest.raises(Forbidden):
        services.course_update(by=w.people["teacher"], course=w.course, status="archived")
    assert Course.objects.get(pk=w.course.pk).status == Course.Status.ACTIVE


def test_the_history_names_the_person_and_not_the_system(w):
    teacher = w.people["teacher"]
    by_teacher = services.enrollment_create(by=teacher, course=w.course, user=w.newcomer)
    assert by_teacher.changes.get().changed_by == teacher
    by_system = services.enrollment_create(
        by=SYSTEM, course=w.course, user=member(w.school, Role.STUDENT)
    )
    change = by_system.changes.get()
    assert change.action == EnrollmentChange.Action.ENROLLED and change.changed_by is None


def test_a_roster_import_by_the_system_records_nobody(w):
    """Enrolments, promised enrolments and invitations made by SYSTEM name no person."""
    from lms.models import Invitation
    from tests.factories.courses import roster_csv

    domain = w.school.allowed_email_domains[0]
    data = roster_csv(
        [(w.newcomer.email, w.newcomer.full_name, "student"), (f"moi@{domain}", "Mới", "student")]
    )
    upload, _rows = services.roster_import_upload(course=w.course, data=data, by=SYSTEM)
    assert upload.uploaded_by is None
    result = services.roster_import_apply(upload=upload, by=SYSTEM)
    assert (result["enrolled"], result["invited"]) == (1, 1)
    enrolment = Enrollment.objects.get(course=w.course, user=w.newcomer)
    assert enrolment.changes.get().changed_by is None
    assert PendingEnrollment.objects.get(email=f"moi@{domain}").invited_by is None
    assert Invitation.objects.get(email=f"moi@{domain}").invited_by is None


def test_an_administrator_who_also_teaches_the_course_still_edits_and_archives_it(w):
    admin = w.people["admin"]
    enrol(w.course, admin, "teacher")
    services.course_update(course=w.course, by=admin, title="Toán 10 (mới)")
    services.course_archive(course=w.course, by=admin)
    course = Course.objects.get(pk=w.course.pk)
    assert (course.title, course.status) == ("Toán 10 (mới)", Course.Status.ARCHIVED)
