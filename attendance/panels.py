"""What attendance adds to other apps' pages (hooks declared on AttendanceConfig): the live
page's presence reporting and roster, the navigation, dashboard and course-page panels."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lms import notifications
from lms.access import CourseRole

from . import conf, permissions, selectors
from .access import SchoolCap, can_school, role_of


def live_page_extras(request, session, role) -> list[dict]:
    """Hook for the classrooms live page: presence reporting, check prompts, teacher roster."""
    if not permissions.may_attend(role):
        return []
    return [
        {
            "template": "attendance/_live_extras.html",
            "session": session,
            "is_staff": permissions.may_check(role),
            "is_student": role == CourseRole.STUDENT,
            "heartbeat_seconds": conf.heartbeat_seconds(),
            "poll_seconds": conf.check_poll_seconds(),
        }
    ]


def nav_items(request, schools) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    url = reverse("attendance:index")
    return [{"label": _("Attendance"), "url": url, "active": request.path.startswith(url)}]


def dashboard_panels(request, schools) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    panels = [
        {"template": "attendance/_school_panel.html", **selectors.school_glance(school)}
        for school, roles in schools
        if can_school(user, school, SchoolCap.SCHOOL_REPORT)
    ]
    marks = selectors.recent_marks(user)
    review = selectors.sessions_to_review(user)
    if not marks and not review:
        return panels
    return panels + [
        {
            "template": "attendance/_dashboard_panel.html",
            "marks": marks,
            "review": review,
            "unread": notifications.unread_count(user),
        }
    ]


def course_page_panels(request, course) -> list[dict]:
    role = role_of(request.user, course)
    if role is None:
        return []
    return [
        {
            "template": "attendance/_course_panel.html",
            "course": course,
            "is_reader": permissions.may_read_all(role),
        }
    ]
