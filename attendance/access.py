"""Who may do what in attendance, asked of the project's one access module.

TEMPORARY until authz's "access core" lands on main: the same names (`Cap`, `SchoolCap`,
`require`, `can`, `role_of`, `SYSTEM`) answered from `courses.selectors.course_role_for`. After
the merge this module only re-exports `courses.access` / `lms.access`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.selectors import SCHOOL_ADMIN, course_role_for
from lms.errors import NotFound, ServiceError
from lms.models import Membership, Role


class Forbidden(ServiceError):
    status = 403
    default_code = "forbidden"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("You may not do this here."), **kwargs)


class Cap(models.TextChoices):
    ATTENDANCE_READ_ALL = "attendance_read_all"
    ATTENDANCE_OVERRIDE = "attendance_override"
    ATTENDANCE_CHECK = "attendance_check"
    ATTENDANCE_COMPUTE = "attendance_compute"
    LIVE_JOIN = "live_join"


class SchoolCap(models.TextChoices):
    SCHOOL_REPORT = "school_report"


_CAPS = {
    Cap.ATTENDANCE_READ_ALL: {"teacher", "assistant", SCHOOL_ADMIN},
    Cap.ATTENDANCE_OVERRIDE: {"teacher", SCHOOL_ADMIN},
    Cap.ATTENDANCE_CHECK: {"teacher", "assistant"},
    Cap.ATTENDANCE_COMPUTE: {"teacher", "assistant", SCHOOL_ADMIN},
    Cap.LIVE_JOIN: {"teacher", "assistant", "student"},
}


class _System:
    pk = None
    is_authenticated = True

    def __bool__(self) -> bool:
        return False


SYSTEM = _System()


def role_can(role, cap) -> bool:
    return role in _CAPS[Cap(cap)]


def role_of(by, course):
    if by is SYSTEM or course is None or not getattr(by, "is_authenticated", False):
        return None
    return course_role_for(by, course)


def can(by, course, cap) -> bool:
    return by is SYSTEM or role_can(role_of(by, course), cap)


def require_course(by, course, cap) -> str:
    if course is None:
        raise NotFound()
    if by is SYSTEM:
        return "system"
    role = role_of(by, course)
    if role is None:
        raise NotFound()
    if not role_can(role, cap):
        raise Forbidden()
    return role


def can_school(by, school, cap) -> bool:
    if by is SYSTEM:
        return school is not None
    return bool(
        school is not None
        and getattr(by, "is_authenticated", False)
        and Membership.objects.filter(user=by, school=school, role=Role.ADMIN).exists()
    )
