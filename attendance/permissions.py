"""Who may see and change attendance. Every answer starts from `course_role_for`.

A student sees only their own marks; course staff (teacher, assistant) their course; a school
administrator their school. Anything else does not exist for the asker (404).
"""

from classrooms.selectors import session_for
from courses.selectors import SCHOOL_ADMIN, course_role_for
from lms.errors import NotFound

READERS = ("teacher", "assistant", SCHOOL_ADMIN)
OVERRIDERS = ("teacher", SCHOOL_ADMIN)
CHECKERS = ("teacher", "assistant")


def may_read_all(role: str | None) -> bool:
    """Every mark of the course: its staff and the school's administrators."""
    return role in READERS


def may_override(role: str | None) -> bool:
    return role in OVERRIDERS


def may_check(role: str | None) -> bool:
    return role in CHECKERS


def session_access(user, pk):
    """(session, role) for a course member or the school's administrator; 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
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
    role = course_role_for(user, mark.course)
    if may_read_all(role):
        return role
    if mark.user_id == user.pk:
        return "self"
    raise NotFound()
