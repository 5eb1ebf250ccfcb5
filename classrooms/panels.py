"""What classrooms adds to pages other apps own (declared as hooks on ClassroomsConfig)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.selectors import course_role_for

from . import permissions, selectors, services


def _decorate(sessions, now):
    for session in sessions:
        session.join_state = services.join_state(session, now=now)
        session.opens_at = services.opens_at(session)
    return sessions


def dashboard_panels(request, schools) -> list[dict]:
    """Today's and the next live lessons of the user's courses, with a Join button."""
    user = request.user
    if not user.is_authenticated or not schools:
        return []
    now = timezone.now()
    lessons = selectors.dashboard_lessons(user, now=now)
    if not lessons["today"] and not lessons["next"]:
        return []
    return [
        {
            "template": "classrooms/_today.html",
            "today": _decorate(lessons["today"], now),
            "next": _decorate(lessons["next"], now),
            "now": now,
        }
    ]


def course_page_panels(request, course) -> list[dict]:
    """The course's coming live lessons, for its members and the school's administrators."""
    role = course_role_for(request.user, course)
    if not permissions.may_view(role):
        return []
    now = timezone.now()
    return [
        {
            "template": "classrooms/_course_schedule.html",
            "course": course,
            "sessions": _decorate(selectors.upcoming_course_sessions(course, now=now), now),
            "is_staff": permissions.may_manage(role),
            "schedule_url": reverse("classrooms:schedule", args=[course.pk]),
        }
    ]


def next_live_lesson(course) -> list[dict]:
    """The course's next scheduled or running lesson, as the lesson pages show it."""
    return [
        {
            "title": session.title or course.title,
            "starts_at": session.starts_at,
            "url": reverse("classrooms:live", args=[session.pk]),
            "session": session,
        }
        for session in selectors.next_live_lesson(course)
    ]


def nav_items(request, schools) -> list[dict]:
    if not schools:
        return []
    url = reverse("classrooms:calendar")
    return [{"label": _("Calendar"), "url": url, "active": request.path.startswith(url)}]


def school_dashboard_panels(request, schools) -> list[dict]:
    """Today's live lessons across every school the user administers (one query), each in
    its school's time zone; an empty day says so."""
    from lms.models import Role

    admin_schools = [school for school, roles in schools if Role.ADMIN in roles]
    if not request.user.is_authenticated or not admin_schools:
        return []
    now = timezone.now()
    lessons = selectors.school_lessons_today(admin_schools, now=now)
    return [
        {
            "template": "classrooms/_school_today.html",
            "school": school,
            "lessons": _decorate(lessons[school.pk], now),
            "live_count": sum(1 for s in lessons[school.pk] if s.status == "live"),
        }
        for school in admin_schools
    ]
