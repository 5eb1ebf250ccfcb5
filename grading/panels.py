"""What grading adds to pages other apps own (declared as hooks on GradingConfig)."""

from django.utils import timezone

from courses.access import role_of

from . import permissions
from .selectors import assignments as selectors


def dashboard_panels(request, schools) -> list[dict]:
    """Work the student still owes in the next week."""
    if not request.user.is_authenticated or not schools:
        return []
    soon = selectors.assignments_due_soon(request.user, now=timezone.now())
    if not soon:
        return []
    return [{"template": "grading/_due_soon.html", "assignments": soon}]


def course_page_panels(request, course) -> list[dict]:
    role = role_of(request.user, course)
    if not permissions.may_view(role):
        return []
    assignments = selectors.assignments_of_course(request.user, course, role)
    return [
        {
            "template": "grading/_course_assignments.html",
            "course": course,
            "assignments": list(assignments[:10]),
            "is_staff": permissions.may_read_all(role),
        }
    ]
