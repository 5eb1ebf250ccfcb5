"""Who may do what to a course.

A course loaded through `selectors.courses_for_user` carries the answers (`my_role`,
`administers`), so these predicates cost no query; otherwise they ask the database.
"""

from lms.selectors import is_school_admin

from .selectors import ROSTER_MANAGERS, ROSTER_READERS, course_role_for


def administers(user, course) -> bool:
    if getattr(course, "role_for_user_id", None) == getattr(user, "pk", None):
        return bool(course.administers)
    return is_school_admin(user, course.school)


def may_read_roster(user, course) -> bool:
    return course_role_for(user, course) in ROSTER_READERS or administers(user, course)


def may_manage_roster(user, course) -> bool:
    """Add and drop people, import rosters, manage the join code: teachers and school admins."""
    return course_role_for(user, course) in ROSTER_MANAGERS or administers(user, course)


def may_edit_course(user, course) -> bool:
    """Edit and archive courses: the school's administrators."""
    return administers(user, course)


def may_create_course(user, school) -> bool:
    return is_school_admin(user, school)
