import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

import pytest

from classrooms import recurrence, services
from classrooms.models import LiveSeries, LiveSession
from lms.errors import Conflict, ServiceError
from tests.factories.courses import CourseFactory, enrol

BERLIN = "Europe/Berlin"
# Sunday 28 March 2027 Europe/Berlin springs forward; Sunday 31 October 2027 falls back.
BEFORE_SPRING = datetime(2027, 3, 1, tzinfo=UTC)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def course(course, teacher):
    """The services check the acting user: the teacher teaches the course."""
    enrol(course, teacher, "teacher")
    return course


def taught(teacher, **fields):
    course = CourseFactory(**fields)
    enrol(course, teacher, "teacher")
    return course


def test_occurrences_keep_the_wall_clock_across_daylight_saving():
    occurrences = recurrence.occurrences(
        weekdays=[0, 2],  # Monday, Wednesday
        start_time=time(18, 0),
        duration_minutes=120,
        first_date=date(2027, 3, 22),
        last_date=date(2027, 3, 31),
        time_zone=BERLIN,
    )
    assert [o.local_date for o in occurrences] == [
        date(2027, 3, 22),
        date(2027, 3, 24),
        date(2027, 3, 29),
        date(2027, 3, 31),
    ]
    # CET (UTC+1) before the switch, CEST (UTC+2) after: 18:00 local each time.
    assert [o.starts_at for o in occurrences] == [
        utc(2027, 3, 22, 17),
        utc(2027, 3, 24, 17),
        utc(2027, 3, 29, 16),
        utc(2027, 3, 31, 16),
    ]
    zone = zoneinfo.ZoneInfo(BERLIN)
    assert {o.starts_at.astimezone(zone).time() for o in occurrences} == {time(18, 0)}
    assert all(o.ends_at - o.starts_at == timedelta(hours=2) for o in occurrences)


def test_new_york_fall_back():
    occurrences = recurrence.occurrences(
        weekdays=[5, 0],
        start_time=time(9, 30),
        duration_minutes=45,
        first_date=date(2027, 10, 30),
        last_date=date(2027, 11, 8),
        time_zone="America/New_York",
    )
    # EDT (UTC-4) on Saturday 30 October, EST (UTC-5) from Sunday 7 November 2027.
    assert [o.starts_at for o in occurrences] == [
        utc(2027, 10, 30, 13, 30),
        utc(2027, 11, 1, 13, 30),
        utc(2027, 11, 6, 13, 30),
        utc(2027, 11, 8, 14, 30),
    ]


def test_series_create_in_a_dst_course_makes_rows(school, teacher):
    course = taught(teacher, school=school, time_zone=BERLIN)
    series = services.live_series_create(
        course=course,
        by=teacher,
        weekdays=[0, 2],
        start_time=time(18, 0),
        duration_minutes=120,
        first_date=date(2027, 3, 22),
        last_date=date(2027, 4, 7),
        now=BEFORE_SPRING,
    )
    assert series.time_zone == BERLIN  # the course's zone by default
    sessions = list(series.sessions.order_by("starts_at"))
    assert len(sessions) == 6
    assert sessions[0].starts_at == utc(2027, 3, 22, 17)
    assert sessions[2].starts_at == utc(2027, 3, 29, 16)
    assert all(s.status == LiveSession.Status.SCHEDULED for s in sessions)
    assert all(s.course_id == course.pk for s in sessions)
    assert len({s.room_name for s in sessions}) == 6


def _series(course, teacher, **overrides):
    values = {
        "course": course,
        "by": teacher,
        "weekdays": [0, 2],
        "start_time": time(18, 0),
        "duration_minutes": 90,
        "first_date": date(2027, 3, 1),
        "last_date": date(2027, 3, 31),
        "time_zone": BERLIN,
        "title": "Đại số",
        "now": BEFORE_SPRING - timedelta(days=1),
    }
    values.update(overrides)
    return services.live_series_create(**values)


def test_past_dates_are_not_created(course, teacher):
    series = _series(course, teacher, now=utc(2027, 3, 15, 12))
    assert min(s.series_date for s in series.sessions.all()) == date(2027, 3, 15)


def test_edit_series_from_a_date_on(course, teacher):
    series = _series(course, teacher)
    by_date = {s.series_date: s for s in series.sessions.all()}
    assert len(by_date) == 10  # Mondays and Wednesdays of March 2027
    past = by_date[date(2027, 3, 1)]
    cancelled = services.live_session_cancel(
        session=by_date[date(2027, 3, 22)], by=teacher, reason="Holiday"
    )
    moved = services.live_session_move(
        session=by_date[date(2027, 3, 24)],
        by=teacher,
        starts_at=utc(2027, 3, 25, 8),
        now=BEFORE_SPRING,
    )
    kept_room = by_date[date(2027, 3, 17)].room_name
    # "From 15 March: Wednesdays and Thursdays at 19:00, one hour", seen on 10 March.
    services.live_series_update(
        series=series,
        by=teacher,
        from_date=date(2027, 3, 15),
        weekdays=[2, 3],
        start_time=time(19, 0),
        duration_minutes=60,
        title="Hình học",
        now=utc(2027, 3, 10, 12),
    )
    sessions = {s.series_date: s for s in LiveSession.objects.filter(series=series)}
    # Before the date: untouched (times, title).
    past.refresh_from_db()
    assert past.starts_at == utc(2027, 3, 1, 17) and past.title == "Đại số"
    assert sessions[date(2027, 3, 8)].title == "Đại số"
    # Mondays from the 15th on are gone; Wednesdays moved to 19:00 and kept their room.
    assert date(2027, 3, 15) not in sessions and date(2027, 3, 29) not in sessions
    assert sessions[date(2027, 3, 17)].starts_at == utc(2027, 3, 17, 18)
    assert sessions[date(2027, 3, 17)].ends_at == utc(2027, 3, 17, 19)
    assert sessions[date(2027, 3, 17)].room_name == kept_room
    assert sessions[date(2027, 3, 17)].title == "Hình học"
    # New Thursdays at 19:00 CET = 18:00 UTC; after the switch on the 28th, 19:00 CEST = 17:00.
    assert sessions[date(2027, 3, 18)].starts_at == utc(2027, 3, 18, 18)
    assert sessions[date(2027, 3, 25)].starts_at == utc(2027, 3, 25, 18)
    assert sessions[date(2027, 3, 31)].starts_at == utc(2027, 3, 31, 17)
    # Cancelled and moved ones stay as they were.
    cancelled.refresh_from_db()
    moved.refresh_from_db()
    assert cancelled.status == LiveSession.Status.CANCELLED
    assert cancelled.starts_at == utc(2027, 3, 22, 17)
    assert moved.starts_at == utc(2027, 3, 25, 8) and moved.title == "Đại số"
    assert sessions[date(2027, 3, 24)].pk == moved.pk
    series.refresh_from_db()
    assert series.weekdays == [2, 3] and series.start_time == time(19, 0)


def test_edit_series_end_early(course, teacher):
    series = _series(course, teacher)
    services.live_series_update(
        series=series,
        by=teacher,
        from_date=date(2027, 3, 15),
        last_date=date(2027, 3, 14),
        now=BEFORE_SPRING,
    )
    assert max(s.series_date for s in series.sessions.all()) == date(2027, 3, 10)


def test_cancel_and_move_one(course, teacher):
    series = _series(course, teacher)
    first, second = list(series.sessions.order_by("starts_at")[:2])
    services.live_session_cancel(session=first, by=teacher, reason="Ốm")
    first.refresh_from_db()
    assert first.status == "cancelled" and first.cancel_reason == "Ốm"
    assert first.cancelled_by == teacher and first.cancelled_at
    moved = services.live_session_move(
        session=second,
        by=teacher,
        starts_at=utc(2027, 3, 4, 10),
        now=BEFORE_SPRING,
    )
    assert moved.original_starts_at == utc(2027, 3, 3, 17)
    assert moved.ends_at - moved.starts_at == timedelta(minutes=90)
    assert moved.is_moved and moved.moved_by == teacher
    with pytest.raises(ServiceError, match="past"):
        services.live_session_move(
            session=moved,
            by=teacher,
            starts_at=utc(2027, 2, 1, 10),
            now=BEFORE_SPRING,
        )
    # A cancelled lesson cannot be moved or joined.
    with pytest.raises(ServiceError, match="cancelled"):
        services.live_session_move(session=first, by=teacher, starts_at=utc(2027, 3, 5, 10))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"weekdays": []}, "weekdays", "at least one day"),
        ({"duration_minutes": 0}, "duration_minutes", "at least one minute"),
        ({"duration_minutes": -30}, "duration_minutes", "at least one minute"),
        ({"last_date": date(2027, 2, 1)}, "last_date", "ends before it starts"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a known time zone"),
        ({"weekdays": [7]}, "weekdays", "0 \\(Monday\\)"),
    ],
)
def test_bad_schedules_are_refused_and_nothing_is_created(
    course, teacher, overrides, field, message
):
    with pytest.raises(ServiceError, match=message) as caught:
        _series(course, teacher, **overrides)
    assert caught.value.field == field
    assert not LiveSeries.objects.exists() and not LiveSession.objects.exists()


def test_overlapping_series_needs_confirmation(course, teacher):
    _series(course, teacher)
    with pytest.raises(Conflict) as caught:
        _series(course, teacher, weekdays=[2], start_time=time(19, 0), title="Lý")
    assert caught.value.code == "overlap"
    assert "Đại số" in str(caught.value.message)
    assert LiveSeries.objects.count() == 1 and LiveSession.objects.count() == 10
    _series(course, teacher, weekdays=[2], start_time=time(19, 0), confirm_overlap=True)
    assert LiveSeries.objects.count() == 2 and LiveSession.objects.count() == 10 + 5
    # Back to back is not an overlap.
    _series(course, teacher, weekdays=[0], start_time=time(19, 30), duration_minutes=30)


def test_overlap_in_another_course_is_fine(course, teacher, school):
    _series(course, teacher)
    _series(taught(teacher, school=school), teacher)
    assert LiveSeries.objects.count() == 2


def test_one_off_validation(course, teacher):
    start = utc(2027, 3, 2, 10)
    with pytest.raises(ServiceError, match="ends before it starts"):
        services.live_session_create(
            course=course, by=teacher, starts_at=start, ends_at=start, now=BEFORE_SPRING
        )
    session = services.live_session_create(
        course=course,
        by=teacher,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        title="Ôn tập",
        now=BEFORE_SPRING,
    )
    assert session.series is None and session.display_title == "Ôn tập"
