"""Who may do what with live lessons: names over the one table in `lms.access`."""

from lms.access import Cap, CourseRole, role_can


def may_view(role: str | None) -> bool:
    """Members and the school's administrators (observers) see a course's live lessons."""
    return role_can(role, Cap.COURSE_VIEW)


def may_manage(role: str | None) -> bool:
    """Teachers and assistants schedule, start, end, cancel and move lessons."""
    return role_can(role, Cap.LIVE_MANAGE)


def is_moderator(role: str | None) -> bool:
    """Only the course's teachers run the room (owner affiliation, lobby bypass)."""
    return role_can(role, Cap.ROOM_MODERATE)


def is_observer(role: str | None) -> bool:
    return role == CourseRole.SCHOOL_ADMIN
