"""One lesson's life: created, moved or cancelled, then started and ended."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Course
from lms import hooks
from lms.errors import Conflict, Gone, ServiceError
from lms.validators import clean_line

from .. import conf, selectors
from ..models import LiveSession
from .validation import Status, _check_overlap, _clean_interval, _person, _require


def _on_commit_hook(name: str, session: LiveSession) -> None:
    transaction.on_commit(lambda: hooks.run(name, session=session))


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
