"""Who may grade, release and read grades in a course.

Until the shared `courses.access` lands this answers from `courses.selectors`: one query loads
the course with the asker's role. Invisible courses are 404; visible ones without the
capability are 403 (`PermissionDenied`), as the shared contract does.
"""

from django.core.exceptions import PermissionDenied

from courses.models import Course, Enrollment
from courses.selectors import SCHOOL_ADMIN, course_for_user, course_role_for

GRADE = "grade"
GRADES_RELEASE = "grades_release"
GRADEBOOK_READ = "gradebook_read"
RUBRICS_MANAGE = "rubrics_manage"
OWN_GRADES = "own_grades"

_ROLES = {
    GRADE: {Enrollment.Role.TEACHER, Enrollment.Role.ASSISTANT},
    GRADES_RELEASE: {Enrollment.Role.TEACHER},
    RUBRICS_MANAGE: {Enrollment.Role.TEACHER, Enrollment.Role.ASSISTANT},
    GRADEBOOK_READ: {Enrollment.Role.TEACHER, Enrollment.Role.ASSISTANT, SCHOOL_ADMIN},
    OWN_GRADES: {Enrollment.Role.STUDENT},
}


def role_of(by, course: Course) -> str | None:
    return course_role_for(by, course)


def can(by, course: Course, cap: str) -> bool:
    return role_of(by, course) in _ROLES[cap]


def require(by, course: Course, cap: str) -> str:
    role = role_of(by, course)
    if role is None:
        from lms.errors import NotFound

        raise NotFound()
    if role not in _ROLES[cap]:
        raise PermissionDenied()
    return role


def course_for(by, pk, cap: str | None = None) -> Course:
    course = course_for_user(by, pk)
    if cap is not None:
        require(by, course, cap)
    return course
