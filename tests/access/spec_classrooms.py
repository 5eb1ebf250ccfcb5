"""Access matrix entries for classrooms: live lessons, series, joining, calendars, reminders."""

from datetime import date, time, timedelta

from django.utils import timezone

from tests.access.matrix import (
    LOGIN,
    NOT_ALLOWED,
    OBSERVERS,
    OK,
    SIGNED_IN,
    STAFF,
    Route,
    expect,
)

MANAGERS = STAFF  # Cap.LIVE_MANAGE
session = lambda w: {"pk": w.session.pk}  # noqa: E731
foreign = lambda w: [{"course": w.foreign_course.pk}, {"course": w.sibling_course.pk}]  # noqa: E731


def manage(extra_ok=()):
    """Teachers and assistants; the other people with a role in the course get 403."""
    return expect(ok=MANAGERS | set(extra_ok), forbidden=OBSERVERS - MANAGERS - set(extra_ok))


def build(w):
    from classrooms.models import CalendarFeed, LiveSeries

    w.series = LiveSeries.objects.create(
        course=w.course,
        title="Chiều thứ Hai",
        weekdays=[0],
        start_time=time(18, 0),
        duration_minutes=90,
        first_date=date.today() + timedelta(days=30),
        last_date=date.today() + timedelta(days=60),
        time_zone="Asia/Ho_Chi_Minh",
        created_by=w.users["teacher"],
    )
    w.feed = CalendarFeed.objects.create(user=w.users["student"])


def _new_session(w, method):
    start = timezone.now().replace(microsecond=0) + timedelta(days=90)
    return {
        "course": w.course.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
    }


def _new_series(w, method):
    return {
        "course": w.course.pk,
        "weekdays": [2],
        "start_time": "07:00",
        "duration_minutes": 45,
        "first_date": (date.today() + timedelta(days=100)).isoformat(),
        "last_date": (date.today() + timedelta(days=120)).isoformat(),
    }


def _move(w, method):
    start = timezone.now().replace(microsecond=0) + timedelta(days=80)
    return {"starts_at": start.isoformat()}


SPEC = {
    "classrooms:schedule": Route(
        kwargs=lambda w: {"course_id": w.course.pk}, GET=expect(ok=OBSERVERS), POST=manage()
    ),
    "classrooms:schedule_new": Route(
        kwargs=lambda w: {"course_id": w.course.pk}, GET=manage(), POST=manage()
    ),
    "classrooms:series_edit": Route(
        kwargs=lambda w: {"pk": w.series.pk}, GET=manage(), POST=manage()
    ),
    "classrooms:live": Route(kwargs=session, GET=expect(ok=OBSERVERS)),
    "classrooms:lesson_ics": Route(kwargs=session, GET=expect(ok=OBSERVERS)),
    "classrooms:move": Route(kwargs=session, GET=manage(), POST=manage()),
    "classrooms:action": Route(
        kwargs=lambda w: {"pk": w.session.pk, "action": "cancel"},
        GET=expect(default=NOT_ALLOWED, anonymous=LOGIN),
        POST=manage(),
    ),
    "classrooms:calendar": Route(GET=expect(ok=SIGNED_IN), POST=expect(ok=SIGNED_IN)),
    # The feed is reached by its secret key alone (calendar apps carry no session).
    "classrooms:feed": Route(
        kwargs=lambda w: {"key": w.feed.key}, GET=expect(default=OK, anonymous=OK)
    ),
    "api-live-series": Route(
        GET=expect(ok=SIGNED_IN), POST=manage(), data=_new_series, filters=foreign
    ),
    "api-live-series-detail": Route(
        kwargs=lambda w: {"pk": w.series.pk},
        GET=expect(ok=OBSERVERS),
        PATCH=manage(),
        data=lambda w, m: {"from_date": (date.today() + timedelta(days=40)).isoformat()},
    ),
    "api-live-sessions": Route(
        GET=expect(ok=SIGNED_IN), POST=manage(), data=_new_session, filters=foreign
    ),
    "api-live-session-detail": Route(kwargs=session, GET=expect(ok=OBSERVERS)),
    "api-live-session-join": Route(kwargs=session, POST=expect(ok=OBSERVERS)),
    "api-live-session-start": Route(kwargs=session, POST=manage()),
    "api-live-session-end": Route(kwargs=session, POST=manage()),
    "api-live-session-cancel": Route(kwargs=session, POST=manage()),
    "api-live-session-move": Route(kwargs=session, POST=manage(), data=_move),
    "api-calendar-feed": Route(GET=expect(ok=SIGNED_IN)),
    "api-calendar-feed-rotate": Route(POST=expect(ok=SIGNED_IN)),
    "api-live-reminders": Route(
        GET=expect(ok=SIGNED_IN),
        PUT=expect(ok=SIGNED_IN),
        data=lambda w, m: {"email_enabled": True},
    ),
}
