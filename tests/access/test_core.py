"""The one table and the predicates every app asks (lms.access, courses.access)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from courses import access
from courses.models import Enrollment
from lms.access import COURSE_CAPABILITIES, Cap, CourseRole, SchoolCap, caps_of, role_can
from lms.errors import Forbidden, NotFound
from lms.models import Role
from tests.factories.courses import CourseFactory, enrol
from tests.factories.lms import SchoolFactory, member

pytestmark = pytest.mark.django_db


def test_every_capability_has_a_row_and_course_roles_match_enrolment_roles():
    assert set(COURSE_CAPABILITIES) == set(Cap)
    assert set(Enrollment.Role.values) <= set(CourseRole.values)
    assert CourseRole.SCHOOL_ADMIN == "admin"


@pytest.mark.parametrize(
    ("role", "cap", "expected"),
    [
        ("teacher", Cap.GRADES_RELEASE, True),
        ("teacher", Cap.COURSE_EDIT, False),  # the course record is the school's
        ("assistant", Cap.GRADE, True),
        ("assistant", Cap.GRADES_RELEASE, False),
        ("assistant", Cap.ATTENDANCE_OVERRIDE, False),
        ("assistant", Cap.ROSTER_MANAGE, False),
        ("assistant", Cap.ASSIGNMENT_MANAGE, False),
        ("assistant", Cap.ATTENDANCE_CHECK, True),
        ("student", Cap.SUBMIT_WORK, True),
        ("student", Cap.ROSTER_READ, False),
        ("student", Cap.SUBMISSIONS_READ_ALL, False),
        ("admin", Cap.GRADE, False),
        ("admin", Cap.GRADEBOOK_READ, True),
        ("admin", Cap.ATTENDANCE_OVERRIDE, True),
        ("admin", Cap.ATTENDANCE_COMPUTE, True),
        ("admin", Cap.ROOM_MODERATE, False),
        (None, Cap.COURSE_VIEW, False),
        ("nonsense", Cap.COURSE_VIEW, False),
    ],
)
def test_role_can(role, cap, expected):
    assert role_can(role, cap) is expected


def test_school_admin_reads_everything_readable():
    readable = {c for c in Cap if "read" in c.value or c.value.endswith("_view")}
    assert readable <= caps_of("admin")


@pytest.fixture
def world():
    school, other = SchoolFactory(), SchoolFactory()
    course = CourseFactory(school=school)
    people = {
        "teacher": member(school, Role.TEACHER),
        "student": member(school, Role.STUDENT),
        "stranger": member(school, Role.STUDENT),
        "admin": member(school, Role.ADMIN),
        "other_admin": member(other, Role.ADMIN),
        "operator": member(other, Role.STUDENT, is_superuser=True, is_staff=True),
    }
    enrol(course, people["teacher"], "teacher")
    enrol(course, people["student"])
    return school, course, people


def test_course_for_loads_the_role_in_one_query(world, django_assert_num_queries):
    _, course, people = world
    with django_assert_num_queries(1):
        loaded = access.course_for(people["teacher"], course.pk, Cap.GRADE)
        assert loaded.my_role == "teacher"
        assert access.role_of(people["teacher"], loaded) == "teacher"
        assert access.can(people["teacher"], loaded, Cap.GRADES_RELEASE)


def test_course_for_404_for_strangers_403_for_members_lacking_the_capability(world):
    _, course, people = world
    for name in ("stranger", "other_admin", "operator"):
        with pytest.raises(NotFound):
            access.course_for(people[name], course.pk)
    with pytest.raises(NotFound):
        access.course_for(people["teacher"], "1; drop table")
    with pytest.raises(NotFound):
        access.course_for(people["teacher"], 10**30)
    with pytest.raises(Forbidden):
        access.course_for(people["student"], course.pk, Cap.ROSTER_READ)
    assert access.course_for(people["admin"], course.pk, Cap.ROSTER_MANAGE).my_role == "admin"


def test_require_and_dropped_enrolments(world):
    _, course, people = world
    assert access.require(people["teacher"], course, Cap.LIVE_MANAGE) == "teacher"
    with pytest.raises(Forbidden):
        access.require(people["student"], course, Cap.GRADE)
    Enrollment.objects.filter(user=people["student"]).update(status=Enrollment.Status.DROPPED)
    with pytest.raises(NotFound):
        access.require(people["student"], course, Cap.COURSE_VIEW)
    with pytest.raises(NotFound):
        access.require(None, course, Cap.COURSE_VIEW)


def test_system_is_explicit_and_none_is_nobody(world):
    _, course, _people = world
    assert access.require(access.SYSTEM, course, Cap.GRADE) == "system"
    assert access.can(access.SYSTEM, course, Cap.GRADES_RELEASE)
    assert not access.can(None, course, Cap.COURSE_VIEW)


def test_school_capabilities(world):
    school, _, people = world
    assert access.can_school(people["admin"], school, SchoolCap.SCHOOL_REPORT)
    assert not access.can_school(people["teacher"], school, SchoolCap.PEOPLE_MANAGE)
    with pytest.raises(Forbidden):
        access.require_school(people["teacher"], school, SchoolCap.COURSE_CREATE)
    with pytest.raises(NotFound):
        access.require_school(people["other_admin"], school, SchoolCap.COURSE_CREATE)
    with pytest.raises(NotFound):
        access.require_school(people["operator"], school, SchoolCap.SCHOOL_REPORT)


class _GradeView(APIView):
    permission_classes = [access.CourseCapability]
    course_cap = {"GET": Cap.COURSE_VIEW, "POST": Cap.GRADE}
    course_kwarg = "course_id"

    def get(self, request, course_id):
        return HttpResponse(request.course_role)

    post = get


def test_drf_permission_and_page_decorator_agree(world):
    _, course, people = world
    factory = APIRequestFactory()
    bound = type("V", (APIView,), {"permission_classes": [access.course_capability(Cap.GRADE)]})
    bound.post = lambda self, request, pk: HttpResponse(request.course_role)

    @access.course_required(Cap.GRADE)
    def page(request, course_id):
        return HttpResponse(request.course_role)

    for name, expected in (("teacher", 200), ("student", 403), ("stranger", 404)):
        request = factory.post("/x/")
        force_authenticate(request, people[name])
        assert _GradeView.as_view()(request, course_id=course.pk).status_code == expected
        request = factory.post("/x/")
        force_authenticate(request, people[name])
        assert bound.as_view()(request, pk=course.pk).status_code == expected
        request = RequestFactory().get("/x/")
        request.user = people[name]
        try:
            status = page(request, course_id=course.pk).status_code
        except NotFound:
            status = 404
        except Forbidden:
            status = 403
        assert status == expected
    request = factory.get("/x/")
    force_authenticate(request, people["student"])
    assert _GradeView.as_view()(request, course_id=course.pk).content == b"student"
    anonymous = RequestFactory().get("/x/")
    from django.contrib.auth.models import AnonymousUser

    anonymous.user = AnonymousUser()
    assert page(anonymous, course_id=course.pk).status_code == 302
