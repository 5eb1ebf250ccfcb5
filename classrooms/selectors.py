"""Reads about live lessons, narrowed to what the asker may see and O(1) in queries."""

import zoneinfo
from datetime import date, datetime, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from courses import access
from courses.models import Course, Enrollment
from courses.selectors import courses_visible_to
from lms.access import Cap
from lms.errors import NotFound

from .models import CalendarFeed, LiveSeries, LiveSession, ReminderPreference

OPEN_STATUSES = (LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE)


def _sessions() -> QuerySet[LiveSession]:
    return LiveSession.objects.select_related("course", "course__school", "series")


def course_for(user, course_id, cap: Cap = Cap.COURSE_VIEW) -> tuple[Course, str]:
    """The course and the user's role in it, in one query; 404 for people without a role,
    403 for members lacking `cap`."""
    course = access.course_for(user, course_id, cap)
    return course, course.my_role


def course_for_staff(user, course_id) -> tuple[Course, str]:
    return course_for(user, course_id, Cap.LIVE_MANAGE)


def _with_role(user, obj, cap: Cap):
    if obj is None:
        raise NotFound()
    role = access.require(user, obj.course, cap)
    access.with_role(obj.course, user, role)
    return obj, role


def session_for(user, session_id, cap: Cap = Cap.COURSE_VIEW) -> tuple[LiveSession, str]:
    """A session and the user's role in its course; 404 for anyone outside the course, 403 for
    members lacking `cap`."""
    return _with_role(user, _sessions().filter(pk=session_id).first(), cap)


def series_for(user, series_id, cap: Cap = Cap.COURSE_VIEW) -> tuple[LiveSeries, str]:
    series = LiveSeries.objects.select_related("course", "course__school").filter(pk=series_id)
    return _with_role(user, series.first(), cap)


def sessions_visible_to(user) -> QuerySet[LiveSession]:
    return _sessions().filter(course__in=courses_visible_to(user).values("pk"))


def series_visible_to(user) -> QuerySet[LiveSeries]:
    return LiveSeries.objects.select_related("course").filter(
        course__in=courses_visible_to(user).values("pk")
    )


def filter_sessions(
    queryset: QuerySet[LiveSession],
    *,
    course_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | None = None,
) -> QuerySet[LiveSession]:
    """Sessions overlapping [start, end), of one course and one status when given."""
    if course_id is not None:
        queryset = queryset.filter(course_id=course_id)
    if start is not None:
        queryset = queryset.filter(ends_at__gt=start)
    if end is not None:
        queryset = queryset.filter(starts_at__lt=end)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("starts_at", "pk")


def course_sessions(course: Course, *, start=None, end=None) -> QuerySet[LiveSession]:
    return filter_sessions(_sessions().filter(course=course), start=start, end=end)


def _enrolled_course_ids(user):
    return Enrollment.objects.filter(user=user, status=Enrollment.Status.ACTIVE).values("course_id")


def member_sessions(user) -> QuerySet[LiveSession]:
    """Lessons of the courses the user is enrolled in, with the user's role as `my_role`."""
    if not user.is_authenticated:
        return LiveSession.objects.none()
    role = Enrollment.objects.filter(
        course=OuterRef("course_id"), user=user, status=Enrollment.Status.ACTIVE
    ).values("role")[:1]
    return (
        _sessions()
        .filter(course__in=_enrolled_course_ids(user))
        .annotate(my_role=Subquery(role))
        .order_by("starts_at", "pk")
    )


def user_zone(user) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return zoneinfo.ZoneInfo("UTC")


def day_bounds(day: date, zone: zoneinfo.ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    return start, end


def dashboard_lessons(user, *, now: datetime | None = None, upcoming: int = 5) -> dict:
    """Today's lessons (in the user's time zone) and the next few after today: two queries."""
    now = now or timezone.now()
    zone = user_zone(user)
    today_start, today_end = day_bounds(now.astimezone(zone).date(), zone)
    base = member_sessions(user)
    today = list(base.filter(starts_at__gte=today_start, starts_at__lt=today_end))
    # A lesson that began yesterday evening and is still running counts as today's too.
    running = [s for s in today if s.ends_at > now]
    following = list(base.filter(starts_at__gte=today_end, status__in=OPEN_STATUSES)[:upcoming])
    return {"today": today, "next": following, "running": running}


def next_live_lesson(course: Course, *, now: datetime | None = None) -> list[LiveSession]:
    now = now or timezone.now()
    session = (
        _sessions()
        .filter(course=course, status__in=OPEN_STATUSES, ends_at__gt=now)
        .order_by("starts_at", "pk")
        .first()
    )
    return [session] if session else []


def upcoming_course_sessions(course: Course, *, now=None, limit: int = 10) -> list[LiveSession]:
    now = now or timezone.now()
    return list(
        _sessions().filter(course=course, ends_at__gt=now).order_by("starts_at", "pk")[:limit]
    )


def overlapping_sessions(
    course: Course, intervals: list[tuple[datetime, datetime]], *, exclude: QuerySet | None = None
) -> list[tuple[LiveSession, datetime]]:
    """Open lessons of the course that clash with any of the intervals: one query."""
    if not intervals:
        return []
    low = min(start for start, _end in intervals)
    high = max(end for _start, end in intervals)
    candidates = LiveSession.objects.filter(
        course=course, status__in=OPEN_STATUSES, starts_at__lt=high, ends_at__gt=low
    )
    if exclude is not None:
        candidates = candidates.exclude(pk__in=exclude.values("pk"))
    candidates = sorted(candidates, key=lambda s: s.starts_at)
    clashes = []
    ordered = sorted(intervals)
    for session in candidates:
        for start, end in ordered:
            if start >= session.ends_at:
                break
            if start < session.ends_at and session.starts_at < end:
                clashes.append((session, start))
                break
    return clashes


def feed_sessions(user, *, now: datetime | None = None) -> QuerySet[LiveSession]:
    """What the calendar feed lists: recent and coming lessons of the user's courses."""
    now = now or timezone.now()
    return member_sessions(user).filter(
        starts_at__gte=now - timedelta(days=60), starts_at__lt=now + timedelta(days=400)
    )[:2000]


def feed_by_key(key: str) -> CalendarFeed | None:
    if not key:
        return None
    return CalendarFeed.objects.select_related("user").filter(key=key, user__is_active=True).first()


def reminders_enabled(user) -> bool:
    return not ReminderPreference.objects.filter(user=user, email_enabled=False).exists()


def lessons_starting_between(start: datetime, end: datetime) -> QuerySet[LiveSession]:
    return _sessions().filter(status__in=OPEN_STATUSES, starts_at__gt=start, starts_at__lte=end)


def reminder_recipients(session: LiveSession):
    """Active members of the session's course who want reminders and have not had one."""
    from lms.models import User

    from .models import ReminderSent

    return (
        User.objects.filter(
            is_active=True,
            enrollments__course_id=session.course_id,
            enrollments__status=Enrollment.Status.ACTIVE,
        )
        .exclude(reminder_preference__email_enabled=False)
        .exclude(pk__in=ReminderSent.objects.filter(session=session).values("user_id"))
        .exclude(Q(email="") | Q(email__isnull=True))
        .distinct()
        .order_by("pk")
    )


def school_lessons_today(schools, *, now: datetime | None = None) -> dict[int, list[LiveSession]]:
    """Each school's lessons starting today in the school's own time zone: one query."""
    now = now or timezone.now()
    bounds = {}
    for school in schools:
        try:
            zone = zoneinfo.ZoneInfo(school.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            zone = zoneinfo.ZoneInfo("UTC")
        bounds[school.pk] = day_bounds(now.astimezone(zone).date(), zone)
    result: dict[int, list[LiveSession]] = {pk: [] for pk in bounds}
    if not bounds:
        return result
    window = Q()
    for pk, (start, end) in bounds.items():
        window |= Q(course__school_id=pk, starts_at__gte=start, starts_at__lt=end)
    for session in _sessions().filter(window).order_by("starts_at", "course__code", "pk"):
        result[session.course.school_id].append(session)
    return result
