"""Who may do what with assignments. Every check starts from the user's role in the course.

Until the shared access core lands, the role comes from `courses.selectors.course_role_for`;
these predicates keep the call sites unchanged when it does.
"""

from courses.selectors import SCHOOL_ADMIN, course_role_for

STAFF_ROLES = ("teacher", "assistant")


def role_in(user, course) -> str | None:
    return course_role_for(user, course)


def may_manage(role: str | None) -> bool:
    """Create, edit and publish assignments; grant extensions (ASSIGNMENT_MANAGE)."""
    return role in STAFF_ROLES


def may_read_all(role: str | None) -> bool:
    """See every student's submissions (SUBMISSIONS_READ_ALL): staff and the school's admins."""
    return role in (*STAFF_ROLES, SCHOOL_ADMIN)


def may_submit(role: str | None) -> bool:
    return role == "student"


def may_view(role: str | None) -> bool:
    return may_read_all(role) or may_submit(role)
