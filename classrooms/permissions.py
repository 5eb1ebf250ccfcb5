"""Who may do what with live lessons. Every check starts from `course_role_for`."""

from courses.selectors import SCHOOL_ADMIN

STAFF_ROLES = ("teacher", "assistant")
MEMBER_ROLES = ("teacher", "assistant", "student")


def may_view(role: str | None) -> bool:
    """Members and the school's administrators (observers) see a course's live lessons."""
    return role in (*MEMBER_ROLES, SCHOOL_ADMIN)


def may_manage(role: str | None) -> bool:
    """Teachers and assistants schedule, start, end, cancel and move lessons."""
    return role in STAFF_ROLES


def is_moderator(role: str | None) -> bool:
    """Only the course's teachers run the room (owner affiliation, lobby bypass)."""
    return role == "teacher"


def is_observer(role: str | None) -> bool:
    return role == SCHOOL_ADMIN
