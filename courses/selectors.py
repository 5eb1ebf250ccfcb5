"""Reads about courses and enrolments, narrowed to what the asker may see.

Who may do what is answered by `courses.access` (the role) and `lms.access` (the table).
"""

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from lms.access import Cap, CourseRole, roles_with
from lms.collation import name_sort_key, sorted_by_name
from lms.errors import NotFound
from lms.models import Membership, Role, School

from . import access
from .models import Course, Enrollment, PendingEnrollment

# What course_role_for answers besides an enrolment role: a school admin observes every course
# of the school. The roles holding a capability come from the one table in lms.access.
SCHOOL_ADMIN = CourseRole.SCHOOL_ADMIN.value
ROSTER_MANAGERS = tuple(roles_with(Cap.ROSTER_MANAGE))
ROSTER_READERS = tuple(roles_with(Cap.ROSTER_READ))

# Kept for the apps that ask it by this name; `courses.access.role_of` answers.
course_role_for = access.role_of


def is_course_staff(user, course: Course) -> bool:
    return course_role_for(user, course) in Enrollment.STAFF_ROLES


def courses_visible_to(user) -> QuerySet[Course]:
    """Courses the user is an active member of, plus every course of schools they administer."""
    if not user.is_authenticated:
        return Course.objects.none()
    member = Exists(
        Enrollment.objects.filter(course=OuterRef("pk"), user=user, status=Enrollment.Status.ACTIVE)
    )
    admin = Exists(Membership.objects.filter(school=OuterRef("school"), user=user, role=Role.ADMIN))
    return Course.objects.filter(Q(member) | Q(admin)).select_related("school")


def _active_count(*roles: str):
    counted = (
        Enrollment.objects.filter(
            course=OuterRef("pk"), status=Enrollment.Status.ACTIVE, role__in=roles
        )
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_counts(courses: QuerySet[Course]) -> QuerySet[Course]:
    return courses.annotate(
        student_count=_active_count(Enrollment.Role.STUDENT),
        staff_count=_active_count(*Enrollment.STAFF_ROLES),
    )


def courses_for_user(
    user, *, school: School | None = None, status: str | None = None, role: str | None = None
) -> QuerySet[Course]:
    """What `courses_visible_to` answers, each course annotated with `my_role` (the user's
    role_of) and its member counts: one query however many courses and students."""
    courses = access.courses_with_role(user)
    if school is not None:
        courses = courses.filter(school=school)
    if status:
        courses = courses.filter(status=status)
    if role:
        courses = courses.filter(my_role=role)
    return with_counts(courses).order_by("school__name", "code", "pk")


def course_for_user(user, pk, cap: Cap | None = None) -> Course:
    """A course the user may see, with `my_role` and counts; 404 otherwise, so ids cannot be
    probed; 403 for a member lacking `cap`."""
    return access.course_for(user, pk, cap, queryset=with_counts(access.courses_with_role(user)))


def course_with_roster_access(user, pk, *, manage: bool = False) -> Course:
    """A course whose roster the user may read (staff, school admin) or change (teacher,
    school admin)."""
    return course_for_user(user, pk, Cap.ROSTER_MANAGE if manage else Cap.ROSTER_READ)


def school_courses(*, school: School, status: str | None = None, query: str = ""):
    courses = Course.objects.filter(school=school).select_related("school")
    if status:
        courses = courses.filter(status=status)
    if query:
        courses = courses.filter(Q(code__icontains=query) | Q(title__icontains=query))
    return with_counts(courses).order_by("code", "pk")


def courses_taught_by(user) -> QuerySet[Course]:
    """Active and draft courses where the user is teacher or assistant."""
    if not user.is_authenticated:
        return Course.objects.none()
    return (
        courses_for_user(user)
        .filter(enrolled_role__in=Enrollment.STAFF_ROLES)
        .exclude(status=Course.Status.ARCHIVED)
    )


def course_roster(
    *, course: Course, role: str | None = None, status: str | None = None, query: str = ""
) -> QuerySet[Enrollment]:
    """Enrolments of a course with their people (one query whatever the size); staff first."""
    enrollments = Enrollment.objects.filter(course=course).select_related("user")
    if role:
        enrollments = enrollments.filter(role=role)
    if status:
        enrollments = enrollments.filter(status=status)
    if query:
        enrollments = enrollments.filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )
    role_order = Case(
        When(role=Enrollment.Role.TEACHER, then=Value(0)),
        When(role=Enrollment.Role.ASSISTANT, then=Value(1)),
        default=Value(2),
    )
    return enrollments.order_by("status", role_order, "user__full_name", "user__email", "pk")


ROLE_ORDER = {Enrollment.Role.TEACHER: 0, Enrollment.Role.ASSISTANT: 1, Enrollment.Role.STUDENT: 2}


def roster_in_name_order(enrollments) -> list[Enrollment]:
    """Active first, staff before students, then Vietnamese name order.

    Sorted in Python after the one query: the database's collation cannot put "Đ" after "D"
    or file people by given name.
    """
    return sorted(
        enrollments,
        key=lambda e: (
            e.status != Enrollment.Status.ACTIVE,
            ROLE_ORDER.get(e.role, 3),
            name_sort_key(e.user.full_name),
            e.user.email,
        ),
    )


def pending_in_name_order(pending) -> list[PendingEnrollment]:
    return sorted_by_name(pending, key=lambda p: p.full_name)


def course_pending_enrollments(*, course: Course) -> QuerySet[PendingEnrollment]:
    return PendingEnrollment.objects.filter(course=course, fulfilled_at__isnull=True).order_by(
        "email"
    )


def enrollment_in_course(*, course: Course, pk) -> Enrollment:
    enrollment = Enrollment.objects.select_related("user").filter(course=course, pk=pk).first()
    if enrollment is None:
        raise NotFound()
    return enrollment


def roster_import_for(*, course: Course, pk) -> "RosterImport":  # noqa: F821
    from .models import RosterImport

    upload = RosterImport.objects.filter(course=course, pk=pk).first()
    if upload is None:
        raise NotFound()
    return upload
