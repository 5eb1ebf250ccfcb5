"""Checks shared by every write that puts a lesson on the calendar."""

import zoneinfo
from datetime import date, datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses import access
from courses.models import Course
from lms.access import Cap
from lms.errors import Conflict, ServiceError

from .. import selectors
from ..models import LiveSession

MAX_DURATION_MINUTES = 12 * 60
MAX_SERIES_DAYS = 2 * 366
MAX_OCCURRENCES = 500
Status = LiveSession.Status


def _clean_weekdays(weekdays) -> list[int]:
    try:
        days = sorted({int(day) for day in weekdays or []})
    except (TypeError, ValueError):
        days = [-1]
    if not days:
        raise ServiceError(_("Choose at least one day of the week."), field="weekdays")
    if any(day < 0 or day > 6 for day in days):
        raise ServiceError(
            _("Days of the week are numbers from 0 (Monday) to 6 (Sunday)."), field="weekdays"
        )
    return days


def _clean_duration(minutes) -> int:
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if minutes <= 0:
        raise ServiceError(_("A lesson must last at least one minute."), field="duration_minutes")
    if minutes > MAX_DURATION_MINUTES:
        raise ServiceError(
            _("A lesson may last at most %(hours)d hours.") % {"hours": MAX_DURATION_MINUTES // 60},
            field="duration_minutes",
        )
    return minutes


def _clean_time_zone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ServiceError(
            _("“%(value)s” is not a known time zone.") % {"value": name}, field="time_zone"
        ) from None
    return name


def _clean_dates(first: date, last: date) -> None:
    if last < first:
        raise ServiceError(
            _("The schedule ends before it starts: the last date is before the first date."),
            field="last_date",
        )
    if (last - first).days > MAX_SERIES_DAYS:
        raise ServiceError(_("A schedule may span at most two years."), field="last_date")


def _clean_interval(starts_at: datetime, ends_at: datetime) -> None:
    if starts_at is None or ends_at is None:
        raise ServiceError(_("Give a start and an end."), field="starts_at")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ServiceError(_("Times must include a time zone."), field="starts_at")
    if ends_at <= starts_at:
        raise ServiceError(_("The lesson ends before it starts."), field="ends_at")
    if ends_at - starts_at > timedelta(minutes=MAX_DURATION_MINUTES):
        raise ServiceError(
            _("A lesson may last at most %(hours)d hours.") % {"hours": MAX_DURATION_MINUTES // 60},
            field="ends_at",
        )


def _local(instant: datetime, time_zone: str) -> str:
    return formats.date_format(
        instant.astimezone(zoneinfo.ZoneInfo(time_zone)), "DATETIME_FORMAT", use_l10n=True
    )


def _check_overlap(course: Course, intervals, *, confirm: bool, exclude=None) -> None:
    if confirm:
        return
    clashes = selectors.overlapping_sessions(course, intervals, exclude=exclude)
    if clashes:
        session, _start = clashes[0]
        raise Conflict(
            _(
                "This overlaps the live lesson “%(title)s” on %(when)s (%(count)d clash(es) in "
                "all). Confirm to schedule it anyway."
            )
            % {
                "title": session.display_title,
                "when": _local(session.starts_at, course.effective_time_zone),
                "count": len(clashes),
            },
            code="overlap",
        )


def _require(by, course: Course, cap: Cap = Cap.LIVE_MANAGE) -> str:
    """The acting user's role if it holds `cap` (SYSTEM passes): 404 for people without a
    role in the course, 403 for members lacking the capability."""
    return access.require(by, course, cap)


def _person(by):
    """Who to record as the author: nobody for the system."""
    return None if access.is_system(by) else by
