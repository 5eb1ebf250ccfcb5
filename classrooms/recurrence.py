"""Occurrences of a weekly schedule, computed on the wall clock of the series' time zone.

A lesson at 18:00 in Europe/Berlin stays at 18:00 local time on both sides of a daylight-saving
switch, so its UTC instant moves by an hour. The duration is elapsed time.
"""

import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta


@dataclass(frozen=True)
class Occurrence:
    local_date: date
    starts_at: datetime  # aware, UTC
    ends_at: datetime  # aware, UTC


def local_to_utc(day: date, at: time, time_zone: str) -> datetime:
    """The UTC instant of a wall-clock time. A time skipped by a spring-forward switch is read
    with the offset in force before the switch (zoneinfo's fold=0), i.e. one hour later."""
    zone = zoneinfo.ZoneInfo(time_zone)
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone)
    # Round-trip through UTC so a non-existent local time comes out normalised.
    return local.astimezone(UTC)


def dates(weekdays: Iterable[int], first: date, last: date) -> Iterator[date]:
    wanted = set(weekdays)
    day = first
    while day <= last:
        if day.weekday() in wanted:
            yield day
        day += timedelta(days=1)


def occurrences(
    *,
    weekdays: Iterable[int],
    start_time: time,
    duration_minutes: int,
    first_date: date,
    last_date: date,
    time_zone: str,
) -> list[Occurrence]:
    duration = timedelta(minutes=duration_minutes)
    result = []
    for day in dates(weekdays, first_date, last_date):
        starts_at = local_to_utc(day, start_time, time_zone)
        result.append(Occurrence(local_date=day, starts_at=starts_at, ends_at=starts_at + duration))
    return result


def local_date_of(instant: datetime, time_zone: str) -> date:
    return instant.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
