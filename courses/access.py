"""Access to courses and schools: the predicates every app, page and API view asks.

The table of who holds which capability lives in `lms.access`; this module finds the acting
user's role on a course or school and asks the table. Loading a course through `course_for`
computes the role in the same query (`course.my_role`), so later checks cost nothing.

- Anonymous users and people with no role in a course get `NotFound` (404): for them the
  course does not exist. Members lacking a capability get `Forbidden` (403).
- The platform operator (`is_superuser`) has no implicit role: see `lms.access`.
- `SYSTEM` is the one named acting user for code with no person behind it (Celery tasks,
  `seed_demo`, imports run by the platform): services accept it where documented and it passes
  every check. `None` is never accepted as "the system", so forgetting to pass `by` fails.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import (
    Case,
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
from rest_framework.permissions import BasePermission

from lms.access import Cap, CourseRole, SchoolCap, role_can, school_role_can
from lms.errors import Forbidden, NotFound
from lms.models import Membership, Role, School

from .models import Course, Enrollment

__all__ = [
    "SYSTEM",
    "CourseCapability",
    "can",
    "can_school",
    "course_capability",
    "course_for",
    "course_required",
    "courses_with_role",
    "is_system",
    "require",
    "require_school",
    "role_of",
    "with_role",
]


class _System:
    """The acting user for work no person asked for (tasks, demo data). Holds every capability."""

    pk = None
    is_authenticated = True
    is_superuser = False

    def __repr__(self) -> str:
        return "SYSTEM"

    def __bool__(self) -> bool:  # so `changed_by=by or None` style code records no person
        return False


SYSTEM = _System()


def is_system(by) -> bool:
    return by is SYSTEM


def _is_person(by) -> bool:
    return by is not None and not is_system(by) and bool(getattr(by, "is_authenticated", False))


def courses_with_role(user) -> QuerySet[Course]:
    """Courses the user has a role in, each annotated with `my_role` (and `administers`) in the
    same query. Strangers and anonymous users get an empty queryset."""
    if not _is_person(user):
        return Course.objects.none()
    enrolled_role = Subquery(
        # No ordering: one enrolment per (course, user), and the default ordering would join
        # courses and users into every course-scoped request's query.
        Enrollment.objects.filter(course=OuterRef("pk"), user=user, status=Enrollment.Status.ACTIVE)
        .order_by()
        .values("role")[:1]
    )
    administers = Exists(
        Membership.objects.filter(school=OuterRef("school"), user=user, role=Role.ADMIN)
    )
    return (
        Course.objects.annotate(enrolled_role=enrolled_role, administers=administers)
        .filter(Q(enrolled_role__isnull=False) | Q(administers=True))
        .annotate(
            my_role=Coalesce(
                "enrolled_role", Case(When(administers=True, then=Value(CourseRole.SCHOOL_ADMIN)))
            ),
            role_for_user_id=Value(user.pk, output_field=IntegerField()),
        )
        .select_related("school")
    )


def _as_pk(pk) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not -(2**63) < value < 2**63:
        raise NotFound()
    return value


def course_for(
    by, pk, cap: Cap | None = None, *, queryset: QuerySet[Course] | None = None
) -> Course:
    """The course with the acting user's role in `course.my_role`, loaded in one query.

    NotFound when the user has no role (or `pk` is junk); Forbidden when lacking `cap`.
    `queryset` (built on `courses_with_role(by)`) lets a caller add annotations to that query.
    """
    pk = _as_pk(pk)
    courses = queryset if queryset is not None else courses_with_role(by)
    course = courses.filter(pk=pk).first()
    if course is None:
        raise NotFound()
    if cap is not None and not _holds(by, course, course.my_role, cap):
        raise Forbidden()
    return course


def role_of(by, course: Course | None) -> str | None:
    """'teacher', 'assistant', 'student', 'admin' (the school's administrator) or None.

    A course loaded through `course_for` / `courses_with_role` carries the answer (no query).
    """
    if course is None or not _is_person(by):
        return None
    if getattr(course, "role_for_user_id", None) == by.pk:
        return course.my_role
    role = (
        Enrollment.objects.filter(course=course, user=by, status=Enrollment.Status.ACTIVE)
        .values_list("role", flat=True)
        .first()
    )
    if role is None and (
        Membership.objects.filter(user=by, school_id=course.school_id, role=Role.ADMIN).exists()
    ):
        role = CourseRole.SCHOOL_ADMIN.value
    return role


def with_role(course: Course, by, role: str | None) -> Course:
    """Remember `by`'s role on a course loaded some other way (e.g. through a lesson), as
    `course_for` does, so the checks that follow cost no query."""
    course.my_role, course.role_for_user_id = role, getattr(by, "pk", None)
    return course


def _holds(by, course: Course, role: str | None, cap: Cap) -> bool:
    """Whether `by`, holding `role` on the course, has `cap`. A school's administrator who is
    also enrolled in one of its courses (as its teacher, say) keeps what administering gives;
    that costs a query only when the enrolled role alone is refused."""
    if role_can(role, cap):
        return True
    if role in (None, CourseRole.SCHOOL_ADMIN) or not role_can(CourseRole.SCHOOL_ADMIN, cap):
        return False
    if getattr(course, "role_for_user_id", None) == by.pk and hasattr(course, "administers"):
        return bool(course.administers)
    return Membership.objects.filter(user=by, school_id=course.school_id, role=Role.ADMIN).exists()


def can(by, course: Course | None, cap: Cap) -> bool:
    if is_system(by):
        return course is not None
    role = role_of(by, course)
    return role is not None and _holds(by, course, role, cap)


def require(by, course: Course | None, cap: Cap) -> str:
    """The acting user's role if it holds `cap`; NotFound without a role, Forbidden without
    the capability. `SYSTEM` passes and gets "system"."""
    if course is None:
        raise NotFound()
    if is_system(by):
        return "system"
    role = role_of(by, course)
    if role is None:
        raise NotFound()
    if not _holds(by, course, role, cap):
        raise Forbidden()
    return role


def school_roles_of(by, school: School) -> set[str]:
    if school is None or not _is_person(by):
        return set()
    cached = getattr(school, "my_roles_for", None)
    if cached is not None and cached[0] == by.pk:
        return cached[1]
    roles = set(Membership.objects.filter(user=by, school=school).values_list("role", flat=True))
    school.my_roles_for = (by.pk, roles)
    return roles


def can_school(by, school: School | None, cap: SchoolCap) -> bool:
    if is_system(by):
        return school is not None
    return school_role_can(school_roles_of(by, school), cap)


def require_school(by, school: School | None, cap: SchoolCap) -> None:
    """NotFound for people with no role in the school; Forbidden for members lacking `cap`."""
    if school is None:
        raise NotFound()
    if is_system(by):
        return
    roles = school_roles_of(by, school)
    if not roles:
        raise NotFound()
    if not school_role_can(roles, cap):
        raise Forbidden()


# -- DRF and pages ---------------------------------------------------------------------------


def _cap_for_method(declared, method: str) -> Cap | None:
    if isinstance(declared, dict):
        return declared.get(method, declared.get("*"))
    return declared


class CourseCapability(BasePermission):
    """DRF permission in the manner of pretix's EventPermission.

    The view declares `course_cap = Cap.X` (or a dict by HTTP method, "*" for the others) and
    `course_kwarg` (the URL kwarg holding the course id, "pk" by default); or the view uses
    `course_capability(cap, kwarg)`. The course is loaded with the role once and kept on
    `request.course` / `request.course_role` (and `view.course`) for the view to use.
    """

    cap = None
    kwarg = None

    def has_permission(self, request, view) -> bool:
        if not _is_person(request.user):
            return False
        declared = self.cap if self.cap is not None else getattr(view, "course_cap", None)
        kwarg = self.kwarg or getattr(view, "course_kwarg", "pk")
        cap = _cap_for_method(declared, request.method)
        # A view may add to the query that loads the course (e.g. member counts).
        queryset = view.course_queryset() if hasattr(view, "course_queryset") else None
        course = course_for(request.user, view.kwargs.get(kwarg), cap, queryset=queryset)
        request.course = view.course = course
        request.course_role = course.my_role
        return True


def course_capability(cap, kwarg: str = "pk") -> type[CourseCapability]:
    """A CourseCapability bound to a capability (or dict by method) and URL kwarg."""
    return type("BoundCourseCapability", (CourseCapability,), {"cap": cap, "kwarg": kwarg})


def course_required(cap: Cap | None = Cap.COURSE_VIEW, kwarg: str = "course_id"):
    """Page decorator: sign-in required, then the course by `kwarg` with `cap`.

    Puts `request.course` and `request.course_role`. Strangers get 404, members lacking the
    capability a 403 page (lms's ServiceErrorMiddleware renders `Forbidden`).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _is_person(request.user):
                return redirect_to_login(request.get_full_path())
            course = course_for(request.user, kwargs.get(kwarg), cap)
            request.course = course
            request.course_role = course.my_role
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
