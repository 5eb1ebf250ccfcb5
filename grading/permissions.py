"""What each course role may do with assignments, asked of the one table in `lms.access`."""

from courses.access import role_of
from lms.access import Cap, role_can


def role_in(user, course) -> str | None:
    return role_of(user, course)


def may_manage(role: str | None) -> bool:
    """Create, edit and publish assignments; grant extensions."""
    return role_can(role, Cap.ASSIGNMENT_MANAGE)


def may_read_all(role: str | None) -> bool:
    """See every student's submissions: staff and the school's administrators."""
    return role_can(role, Cap.SUBMISSIONS_READ_ALL)


def may_submit(role: str | None) -> bool:
    return role_can(role, Cap.SUBMIT_WORK)


def may_view(role: str | None) -> bool:
    return role_can(role, Cap.COURSE_VIEW)
