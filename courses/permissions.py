"""Who may do what to a course: thin names over `courses.access` and the table in lms.access.

A course loaded through `selectors.courses_for_user` carries the role (`my_role`), so these
predicates cost no query; otherwise they ask the database.
"""

from lms.access import Cap, SchoolCap

from .access import can, can_school


def administers(user, course) -> bool:
    return can(user, course, Cap.COURSE_EDIT)


def may_read_roster(user, course) -> bool:
    return can(user, course, Cap.ROSTER_READ)


def may_manage_roster(user, course) -> bool:
    """Add and drop people, import rosters, manage the join code: teachers and school admins."""
    return can(user, course, Cap.ROSTER_MANAGE)


def may_edit_course(user, course) -> bool:
    """Edit and archive courses: the school's administrators."""
    return can(user, course, Cap.COURSE_EDIT)


def may_create_course(user, school) -> bool:
    return can_school(user, school, SchoolCap.COURSE_CREATE)
