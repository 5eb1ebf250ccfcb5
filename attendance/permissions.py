"""Who may see and change attendance: thin answers from the project's access module.

A student sees only their own marks; course staff their course; a school administrator their
school. Anything else does not exist for the asker (404).
"""

from classrooms.selectors import session_for
from lms.errors import NotFound

from .access import Cap, role_can, role_of


def may_read_all(role: str | None) -> bool:
    """Every mark of the course: its staff and the school's administrators."""
    return role_can(role, Cap.ATTENDANCE_READ_ALL)


def may_override(role: str | None) -> bool:
    return role_can(role, Cap.ATTENDANCE_OVERRIDE)


def may_check(role: str | None) -> bool:
    return role_can(role, Cap.ATTENDANCE_CHECK)


def may_compute(role: str | None) -> bool:
    return role_can(role, Cap.ATTENDANCE_COMPUTE)


def may_attend(role: str | None) -> bool:
    return role_can(role, Cap.LIVE_JOIN)


def session_access(user, pk):
    """(session, role) for a course member or the school's administrator; 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not -(2**63) < pk < 2**63:
        raise NotFound()
    return session_for(user, pk)


def session_staff_access(user, pk):
    session, role = session_access(user, pk)
    if not may_read_all(role):
        raise NotFound()
    return session, role


def mark_access(user, mark) -> str:
    """The asker's role for this mark ('self' for the student's own); 404 for anyone else."""
    if mark is None or not user.is_authenticated:
        raise NotFound()
    role = role_of(user, mark.course)
    if may_read_all(role):
        return role
    if mark.user_id == user.pk:
        return "self"
    raise NotFound()
