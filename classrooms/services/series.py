"""Weekly schedules: a series creates its future lessons and reshapes them when it changes."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Course
from lms.errors import ServiceError
from lms.validators import clean_line

from .. import recurrence
from ..models import LiveSeries, LiveSession
from .validation import (
    MAX_OCCURRENCES,
    Status,
    _check_overlap,
    _clean_dates,
    _clean_duration,
    _clean_time_zone,
    _clean_weekdays,
    _person,
    _require,
)


def _future(occurrences, now: datetime):
    return [occ for occ in occurrences if occ.starts_at > now]


@transaction.atomic
def live_series_create(
    *,
    course: Course,
    by,
    weekdays: list[int],
    start_time: time,
    duration_minutes: int,
    first_date: date,
    last_date: date,
    time_zone: str = "",
    title: str = "",
    confirm_overlap: bool = False,
    now: datetime | None = None,
) -> LiveSeries:
    """A weekly schedule and its occurrences from now on (past dates are not created)."""
    _require(by, course)
    now = now or timezone.now()
    weekdays = _clean_weekdays(weekdays)
    duration_minutes = _clean_duration(duration_minutes)
    if start_time is None:
        raise ServiceError(_("Give a start time."), field="start_time")
    if first_date is None or last_date is None:
        raise ServiceError(_("Give a first and a last date."), field="first_date")
    _clean_dates(first_date, last_date)
    time_zone = _clean_time_zone(time_zone or course.effective_time_zone)
    title = clean_line(title, field="title")
    # One schedule change at a time per course, so two overlapping series cannot slip past the
    # overlap check together.
    Course.objects.select_for_update().filter(pk=course.pk).first()

    occurrences = _future(
        recurrence.occurrences(
            weekdays=weekdays,
            start_time=start_time,
            duration_minutes=duration_minutes,
            first_date=first_date,
            last_date=last_date,
            time_zone=time_zone,
        ),
        now,
    )
    if not occurrences:
        raise ServiceError(
            _("This schedule has no lessons in the future: check the days and the dates."),
            field="weekdays",
        )
    if len(occurrences) > MAX_OCCURRENCES:
        raise ServiceError(
            _("A schedule may have at most %(count)d lessons.") % {"count": MAX_OCCURRENCES},
            field="last_date",
        )
    _check_overlap(course, [(o.starts_at, o.ends_at) for o in occurrences], confirm=confirm_overlap)
    series = LiveSeries.objects.create(
        course=course,
        title=title,
        weekdays=weekdays,
        start_time=start_time,
        duration_minutes=duration_minutes,
        first_date=first_date,
        last_date=last_date,
        time_zone=time_zone,
        created_by=_person(by),
    )
    LiveSession.objects.bulk_create(
        [
            LiveSession(
                course=course,
                series=series,
                series_date=occ.local_date,
                title=title,
                starts_at=occ.starts_at,
                ends_at=occ.ends_at,
            )
            for occ in occurrences
        ]
    )
    return series


@transaction.atomic
def live_series_update(
    *,
    series: LiveSeries,
    by,
    from_date: date,
    weekdays: list[int] | None = None,
    start_time: time | None = None,
    duration_minutes: int | None = None,
    last_date: date | None = None,
    time_zone: str | None = None,
    title: str | None = None,
    confirm_overlap: bool = False,
    now: datetime | None = None,
) -> LiveSeries:
    """Change the schedule from `from_date` on.

    Only occurrences on or after that date that are still ahead, scheduled and neither moved
    nor cancelled follow the change; past, running, moved and cancelled lessons stay as they are.
    """
    _require(by, series.course)
    now = now or timezone.now()
    if from_date is None:
        raise ServiceError(_("Say from which date the change applies."), field="from_date")
    series = LiveSeries.objects.select_for_update().select_related("course").get(pk=series.pk)
    course = series.course
    Course.objects.select_for_update().filter(pk=course.pk).first()

    weekdays = _clean_weekdays(series.weekdays if weekdays is None else weekdays)
    duration_minutes = _clean_duration(
        series.duration_minutes if duration_minutes is None else duration_minutes
    )
    start_time = series.start_time if start_time is None else start_time
    last_date = series.last_date if last_date is None else last_date
    time_zone = _clean_time_zone(time_zone or series.time_zone)
    title = series.title if title is None else clean_line(title, field="title")
    _clean_dates(series.first_date, last_date)
    if from_date < series.first_date:
        from_date = series.first_date

    followers = LiveSession.objects.filter(
        series=series,
        series_date__gte=from_date,
        starts_at__gt=now,
        status=Status.SCHEDULED,
        original_starts_at__isnull=True,
    )
    by_date = {session.series_date: session for session in followers}
    taken = set(
        LiveSession.objects.filter(series=series, series_date__gte=from_date)
        .exclude(pk__in=[s.pk for s in by_date.values()])
        .values_list("series_date", flat=True)
    )
    wanted = [
        occ
        for occ in _future(
            recurrence.occurrences(
                weekdays=weekdays,
                start_time=start_time,
                duration_minutes=duration_minutes,
                first_date=from_date,
                last_date=last_date,
                time_zone=time_zone,
            ),
            now,
        )
        if occ.local_date not in taken
    ]
    if len(wanted) > MAX_OCCURRENCES:
        raise ServiceError(
            _("A schedule may have at most %(count)d lessons.") % {"count": MAX_OCCURRENCES},
            field="last_date",
        )
    _check_overlap(
        course,
        [(o.starts_at, o.ends_at) for o in wanted],
        confirm=confirm_overlap,
        exclude=followers,
    )

    keep, create = [], []
    for occ in wanted:
        session = by_date.pop(occ.local_date, None)
        if session is None:
            create.append(
                LiveSession(
                    course=course,
                    series=series,
                    series_date=occ.local_date,
                    title=title,
                    starts_at=occ.starts_at,
                    ends_at=occ.ends_at,
                )
            )
        else:
            session.starts_at, session.ends_at, session.title = occ.starts_at, occ.ends_at, title
            keep.append(session)
    # Lessons that no longer fall on the schedule were never held: they go away.
    LiveSession.objects.filter(pk__in=[s.pk for s in by_date.values()]).delete()
    LiveSession.objects.bulk_update(keep, ["starts_at", "ends_at", "title", "updated_at"])
    LiveSession.objects.bulk_create(create)

    series.weekdays = weekdays
    series.start_time = start_time
    series.duration_minutes = duration_minutes
    series.last_date = last_date
    series.time_zone = time_zone
    series.title = title
    series.save()
    return series
