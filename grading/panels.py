"""What grading adds to pages other apps own (declared as hooks on GradingConfig)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.access import role_of
from lms.errors import NotFound

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


def calendar_feed_events(user) -> list[dict]:
    """Deadlines of the user's published assignments (their extension's when they have one),
    from a month back to half a year ahead, for the private calendar feed."""
    now = timezone.now()
    events = []
    with translation.override(user.preferred_language):
        for assignment in selectors.deadlines_for_feed(user, now=now):
            due = assignment.my_due_at or assignment.due_at
            url = settings.SITE_URL + reverse("grading:assignment", args=[assignment.pk])
            events.append(
                {
                    "uid": f"assignment-{assignment.pk}-due-{user.pk}",
                    "summary": _("Due: %(title)s (%(course)s)")
                    % {"title": assignment.title, "course": assignment.course.code},
                    "start": due,
                    "end": due,
                    "url": url,
                    "description": _("Hand in: %(link)s") % {"link": url},
                }
            )
    return events


def lesson_assignment(request, course, assignment_id) -> list[dict]:
    """The lesson block's assignment, when it belongs to the lesson's course and the reader may
    see it (students: published ones only)."""
    try:
        assignment, role = selectors.assignment_for(request.user, assignment_id)
    except NotFound:
        return []
    if assignment.course_id != course.pk:
        return []
    due, handed_in = assignment.due_at, False
    if permissions.may_submit(role):
        mine = selectors.assignments_of_course(request.user, course, role).filter(pk=assignment.pk)
        own = mine.first()
        if own is not None:
            due, handed_in = own.my_due_at or own.due_at, bool(own.my_attempts)
    return [
        {
            "template": "grading/_lesson_assignment.html",
            "assignment": assignment,
            "due_at": due,
            "handed_in": handed_in,
        }
    ]
