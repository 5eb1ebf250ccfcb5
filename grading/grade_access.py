"""The capabilities grading asks of the shared access table (`lms.access`, `courses.access`).

Invisible courses are 404; visible ones without the capability are 403 (`lms.errors.Forbidden`).
"""

from courses.access import can, role_of
from courses.access import course_for as _course_for
from courses.access import require as _require
from courses.models import Course
from lms.access import Cap

GRADE = Cap.GRADE
GRADES_RELEASE = Cap.GRADES_RELEASE
GRADEBOOK_READ = Cap.GRADEBOOK_READ
# Rubrics are grading tools: whoever grades writes them.
RUBRICS_MANAGE = Cap.GRADE
# A student's own grades: the people who hand work in.
OWN_GRADES = Cap.SUBMIT_WORK

__all__ = ["GRADE", "GRADEBOOK_READ", "GRADES_RELEASE", "OWN_GRADES", "RUBRICS_MANAGE"]


def require(by, course: Course, cap: Cap) -> str:
    return _require(by, course, cap)


def course_for(by, pk, cap: Cap | None = None) -> Course:
    return _course_for(by, pk, cap)


__all__ += ["can", "course_for", "require", "role_of"]
