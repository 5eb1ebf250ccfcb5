"""Every write about live lessons. Keyword-only, one transaction each, side effects on commit."""

import logging
import zoneinfo
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from courses import access
from courses.models import Course
from lms import hooks
from lms.access import Cap
from lms.errors import Conflict, Gone, ServiceError
from lms.mail import send_templated_mail
from lms.validators import clean_line

from . import conf, jitsi, permissions, recurrence, selectors
from .models import (
    CalendarFeed,
    LiveSeries,
    LiveSession,
    ReminderPreference,
    ReminderSent,
    new_feed_key,
)

logger = logging.getLogger(__name__)

MAX_DURATION_MINUTES = 12 * 60
MAX_SERIES_DAYS = 2 * 366
MAX_OCCURRENCES = 500
Status = LiveSession.Status


# --- validation --------------------------------------------------------------------------------


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


def _on_commit_hook(name: str, session: LiveSession) -> None:
    transaction.on_commit(lambda: hooks.run(name, session=session))


# --- series --------------------------------------------------------------------------------------


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


# --- one session ---------------------------------------------------------------------------------


@transaction.atomic
def live_session_create(
    *,
    course: Course,
    by,
    starts_at: datetime,
    ends_at: datetime,
    title: str = "",
    confirm_overlap: bool = False,
    now: datetime | None = None,
) -> LiveSession:
    """A one-off live lesson."""
    _require(by, course)
    now = now or timezone.now()
    _clean_interval(starts_at, ends_at)
    if ends_at <= now:
        raise ServiceError(_("This lesson would already be over."), field="starts_at")
    Course.objects.select_for_update().filter(pk=course.pk).first()
    _check_overlap(course, [(starts_at, ends_at)], confirm=confirm_overlap)
    return LiveSession.objects.create(
        course=course, title=clean_line(title, field="title"), starts_at=starts_at, ends_at=ends_at
    )


def _locked(session: LiveSession) -> LiveSession:
    return (
        LiveSession.objects.select_for_update(of=("self",))
        .select_related("course", "course__school", "series")
        .get(pk=session.pk)
    )


def _refuse_closed(session: LiveSession) -> None:
    if session.status == Status.CANCELLED:
        raise Gone(_("This lesson was cancelled."), code="cancelled")
    if session.status == Status.ENDED:
        raise Gone(_("This lesson has ended."), code="ended")


@transaction.atomic
def live_session_cancel(*, session: LiveSession, by, reason: str = "") -> LiveSession:
    _require(by, session.course)
    session = _locked(session)
    if session.status == Status.CANCELLED:
        return session
    if session.status != Status.SCHEDULED:
        raise Conflict(
            _("Only a lesson that has not started can be cancelled."), code="not_scheduled"
        )
    session.status = Status.CANCELLED
    session.cancelled_at = timezone.now()
    session.cancelled_by = _person(by)
    session.cancel_reason = (reason or "").strip()[:300]
    session.save()
    return session


@transaction.atomic
def live_session_move(
    *,
    session: LiveSession,
    by,
    starts_at: datetime,
    ends_at: datetime | None = None,
    confirm_overlap: bool = False,
    now: datetime | None = None,
) -> LiveSession:
    """Move one lesson. It keeps its room; it no longer follows changes to its series."""
    _require(by, session.course)
    now = now or timezone.now()
    session = _locked(session)
    _refuse_closed(session)
    if session.status != Status.SCHEDULED:
        raise Conflict(_("A lesson that is running cannot be moved."), code="not_scheduled")
    if ends_at is None and starts_at is not None:
        ends_at = starts_at + (session.ends_at - session.starts_at)
    _clean_interval(starts_at, ends_at)
    if starts_at <= now:
        raise ServiceError(_("A lesson cannot be moved into the past."), field="starts_at")
    Course.objects.select_for_update().filter(pk=session.course_id).first()
    _check_overlap(
        session.course,
        [(starts_at, ends_at)],
        confirm=confirm_overlap,
        exclude=LiveSession.objects.filter(pk=session.pk),
    )
    if session.original_starts_at is None:
        session.original_starts_at = session.starts_at
    session.starts_at, session.ends_at = starts_at, ends_at
    session.moved_at = now
    session.moved_by = _person(by)
    session.save()
    return session


def join_state(session: LiveSession, *, now: datetime | None = None) -> str:
    """'open', 'early', 'cancelled' or 'ended' for joining right now."""
    now = now or timezone.now()
    if session.status == Status.CANCELLED:
        return "cancelled"
    if session.status == Status.ENDED:
        return "ended"
    if session.status == Status.LIVE:
        overrun = timedelta(minutes=conf.overrun_minutes())
        return "open" if now < session.ends_at + overrun else "ended"
    if now >= session.ends_at:
        return "ended"
    if now >= opens_at(session):
        return "open"
    return "early"


def opens_at(session: LiveSession) -> datetime:
    return session.starts_at - timedelta(minutes=conf.join_window_minutes())


@transaction.atomic
def live_session_start(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    """A teacher opens the room, early if they like; everyone may join from then on."""
    _require(by, session.course)
    now = now or timezone.now()
    session = _locked(session)
    _refuse_closed(session)
    if session.status == Status.LIVE:
        return session
    if now >= session.ends_at:
        raise Gone(_("The time of this lesson is over."), code="ended")
    session.status = Status.LIVE
    session.started_at = now
    session.started_by = _person(by)
    session.save()
    _on_commit_hook("live_session_started", session)
    return session


@transaction.atomic
def live_session_end(*, session: LiveSession, by, now: datetime | None = None) -> LiveSession:
    _require(by, session.course)
    now = now or timezone.now()
    session = _locked(session)
    if session.status == Status.ENDED:
        return session
    if session.status == Status.CANCELLED:
        raise Gone(_("This lesson was cancelled."), code="cancelled")
    if session.status == Status.SCHEDULED and now < opens_at(session):
        raise Conflict(_("This lesson has not started yet."), code="not_started")
    session.status = Status.ENDED
    session.ended_at = now
    session.ended_by = _person(by)
    session.save()
    _on_commit_hook("live_session_ended", session)
    return session


def live_sessions_close_overdue(*, now: datetime | None = None) -> int:
    """End lessons whose time is over: scheduled ones at their end, live ones after the overrun.

    Each is closed in its own transaction, skipping rows another worker holds.
    """
    now = now or timezone.now()
    overrun = timedelta(minutes=conf.overrun_minutes())
    ids = list(
        LiveSession.objects.filter(status=Status.SCHEDULED, ends_at__lte=now).values_list(
            "pk", flat=True
        )[:500]
    ) + list(
        LiveSession.objects.filter(status=Status.LIVE, ends_at__lte=now - overrun).values_list(
            "pk", flat=True
        )[:500]
    )
    closed = 0
    for pk in ids:
        with transaction.atomic():
            session = (
                LiveSession.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=selectors.OPEN_STATUSES)
                .first()
            )
            if session is None:
                continue
            session.status = Status.ENDED
            session.ended_at = now if session.started_at else session.ends_at
            session.save(update_fields=["status", "ended_at", "updated_at"])
            _on_commit_hook("live_session_ended", session)
            closed += 1
    return closed


# --- joining -------------------------------------------------------------------------------------

LOW_BANDWIDTH_OVERWRITE = {
    "startAudioOnly": True,
    "resolution": 180,
    "constraints": {"video": {"height": {"ideal": 180, "max": 180, "min": 90}}},
    "channelLastN": 1,
    "disableAudioLevels": True,
}


def _config_overwrite(session: LiveSession, user, role: str, language: str) -> dict:
    moderator = permissions.is_moderator(role)
    observer = permissions.is_observer(role)
    return {
        "subject": f"{session.course.code} · {session.display_title}",
        "defaultLanguage": language,
        "prejoinPageEnabled": False,
        "prejoinConfig": {"enabled": False},
        # The name shown in the room is the person's real name; nobody can change it there.
        "readOnlyName": True,
        "disableProfile": True,
        "disableDeepLinking": True,
        "startWithAudioMuted": not moderator,
        "startWithVideoMuted": observer,
        "disableRemoteMute": not moderator,
        "remoteVideoMenu": {"disableKick": not moderator, "disableGrantModerator": True},
        "enableWelcomePage": False,
        "enableClosePage": False,
        "p2p": {"enabled": False},
    }


INTERFACE_CONFIG_OVERWRITE = {
    "SHOW_JITSI_WATERMARK": False,
    "SHOW_WATERMARK_FOR_GUESTS": False,
    "MOBILE_APP_PROMO": False,
    "DISABLE_JOIN_LEAVE_NOTIFICATIONS": True,
    "SHOW_CHROME_EXTENSION_BANNER": False,
}


def live_session_join(*, session: LiveSession, by, now: datetime | None = None) -> dict:
    """What a client needs to enter the room: domain, room, token and configuration.

    Course members and the school's administrators (as observers) only; nothing is written.
    """
    user = by
    role = _require(by, session.course, Cap.LIVE_JOIN)
    now = now or timezone.now()
    state = join_state(session, now=now)
    if state == "cancelled":
        raise Gone(_("This lesson was cancelled."), code="cancelled")
    if state == "ended":
        raise Gone(_("This lesson has ended."), code="ended")
    if state == "early":
        zone = selectors.user_zone(user)
        when = formats.date_format(opens_at(session).astimezone(zone), "DATETIME_FORMAT")
        raise Conflict(
            _("This lesson opens at %(when)s.") % {"when": when}, code="not_open", field=None
        )
    config = conf.jitsi()
    language = user.preferred_language or translation.get_language() or "en"
    return {
        "session": session.pk,
        "mode": config.mode,
        "domain": config.domain,
        "room": session.room_name,
        "room_path": config.room_path(session.room_name),
        "jwt": jitsi.token_for(session=session, user=user, role=role, now=now),
        "external_api_url": config.external_api_url,
        "display_name": user.get_full_name() or user.email,
        "email": user.email,
        "language": language,
        "role": role,
        "moderator": permissions.is_moderator(role),
        "observer": permissions.is_observer(role),
        "ends_at": session.ends_at,
        "config_overwrite": _config_overwrite(session, user, role, language),
        "interface_config_overwrite": INTERFACE_CONFIG_OVERWRITE,
        "low_bandwidth_overwrite": LOW_BANDWIDTH_OVERWRITE,
    }


# --- calendar feed and reminders -----------------------------------------------------------------


def calendar_feed_get(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.key = new_feed_key()
        feed.rotated_at = timezone.now()
        feed.save(update_fields=["key", "rotated_at"])
    return feed


def calendar_feed_touch(*, feed: CalendarFeed) -> None:
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)


@transaction.atomic
def reminder_preference_set(*, user, email_enabled: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"email_enabled": bool(email_enabled)}
    )
    return preference


def _send_reminder_mail(session: LiveSession, user) -> None:
    from django.conf import settings
    from django.urls import reverse

    zone = selectors.user_zone(user)
    language = user.preferred_language or "en"
    with translation.override(language), timezone.override(zone):
        when = formats.date_format(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        send_templated_mail(
            template="classrooms/email/reminder",
            to=user.email,
            language=language,
            context={
                "user": user,
                "session": session,
                "course": session.course,
                "when": when,
                "time_zone": str(zone),
                "link": settings.SITE_URL + reverse("classrooms:live", args=[session.pk]),
                "settings_link": settings.SITE_URL + reverse("classrooms:calendar"),
            },
        )


def live_reminder_send(*, session: LiveSession, user) -> bool:
    """Send one reminder unless it was sent already.

    The ReminderSent row is claimed and the message sent in one transaction: a second
    scheduler run waits on the unique row and then skips; a worker that dies before the commit
    leaves no row, so the next run sends it.
    """
    try:
        with transaction.atomic():
            ReminderSent.objects.create(session=session, user=user)
            _send_reminder_mail(session, user)
    except IntegrityError:
        return False
    return True


def live_reminders_send_due(*, now: datetime | None = None) -> int:
    """Remind every member of each lesson starting within the reminder lead time."""
    now = now or timezone.now()
    lead = timedelta(minutes=conf.reminder_minutes())
    sent = 0
    for session in selectors.lessons_starting_between(now, now + lead):
        for user in selectors.reminder_recipients(session):
            try:
                if live_reminder_send(session=session, user=user):
                    sent += 1
            except OSError:
                logger.exception("Reminder for session %s to user %s failed", session.pk, user.pk)
    return sent
