"""Presence checks: a teacher (or a random schedule) asks everyone in the room to confirm."""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classrooms.models import LiveSession
from courses.models import Enrollment
from lms.errors import Conflict, Gone, NotFound
from lms.models import User

from .. import conf
from ..access import Cap, require_course
from ..models import PresenceCheck, PresenceInterval, PresencePrompt, Source
from .policy import policy_for, session_is_over

SessionStatus = LiveSession.Status
STUDENT = Enrollment.Role.STUDENT


def users_in_room(session: LiveSession, *, now: datetime | None = None) -> set[int]:
    """Who is in the room right now, from the stored intervals (one query)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.heartbeat_timeout_seconds())
    rows = PresenceInterval.objects.filter(session=session, is_open=True).filter(
        ~Q(source=Source.CLIENT) | Q(last_seen_at__gte=stale)
    )
    return set(rows.values_list("user_id", flat=True))


def _ask(check: PresenceCheck, session: LiveSession, now: datetime) -> PresenceCheck:
    policy = policy_for(session.course)
    deadline = now + timedelta(seconds=policy.check_seconds)
    students = set(
        Enrollment.objects.filter(
            course_id=session.course_id, role=STUDENT, status=Enrollment.Status.ACTIVE
        ).values_list("user_id", flat=True)
    )
    present = sorted(users_in_room(session, now=now) & students)
    check.asked_at = now
    check.deadline_at = deadline
    check.save(update_fields=["asked_at", "deadline_at"])
    PresencePrompt.objects.bulk_create(
        PresencePrompt(check_run=check, session=session, user_id=u, deadline_at=deadline)
        for u in present
    )
    check.prompt_count = len(present)
    return check


def _session_running(session: LiveSession, now: datetime) -> bool:
    if session.status == SessionStatus.CANCELLED or session_is_over(session, now):
        return False
    return session.status == SessionStatus.LIVE or now >= session.starts_at - timedelta(
        minutes=policy_for(session.course).grace_minutes
    )


@transaction.atomic
def presence_check_ask(
    *, session: LiveSession, by: User, now: datetime | None = None
) -> PresenceCheck:
    """The teacher presses "check presence": everyone in the room gets a prompt."""
    require_course(by, session.course, Cap.ATTENDANCE_CHECK)
    now = now or timezone.now()
    session = LiveSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    if not _session_running(session, now):
        raise Conflict(_("This lesson is not running now."), code="not_running")
    if PresenceCheck.objects.filter(session=session, deadline_at__gt=now).exists():
        raise Conflict(
            _("A presence check is still running; wait for it to finish."), code="running"
        )
    check = PresenceCheck.objects.create(
        session=session, kind=PresenceCheck.Kind.MANUAL, asked_by=by
    )
    return _ask(check, session, now)


@transaction.atomic
def presence_prompt_answer(
    *, prompt: PresencePrompt, by: User, now: datetime | None = None
) -> PresencePrompt:
    now = now or timezone.now()
    prompt = PresencePrompt.objects.select_for_update().filter(pk=prompt.pk, user=by).first()
    if prompt is None:
        raise NotFound()
    if prompt.answered_at:
        return prompt
    if now > prompt.deadline_at:
        raise Gone(_("Too late: this presence check is over."), code="expired")
    prompt.answered_at = now
    prompt.save(update_fields=["answered_at"])
    return prompt


def random_checks_plan(*, session: LiveSession, now: datetime | None = None) -> list:
    """When a lesson starts: plan the course's random checks at random moments of it."""
    now = now or timezone.now()
    policy = policy_for(session.course)
    if policy.random_checks <= 0:
        return []
    if PresenceCheck.objects.filter(session=session, kind=PresenceCheck.Kind.RANDOM).exists():
        return []
    begin = max(now, session.starts_at) + timedelta(minutes=5)
    end = session.ends_at - timedelta(minutes=5)
    if end <= begin:
        return []
    span = (end - begin).total_seconds()
    rng = random.SystemRandom()
    moments = sorted(
        begin + timedelta(seconds=rng.uniform(0, span)) for _ in range(policy.random_checks)
    )
    return PresenceCheck.objects.bulk_create(
        PresenceCheck(session=session, kind=PresenceCheck.Kind.RANDOM, scheduled_for=m)
        for m in moments
    )


def random_checks_run_due(*, now: datetime | None = None) -> int:
    """Ask the planned random checks that are due, in lessons still running. Idempotent."""
    now = now or timezone.now()
    asked = 0
    due = PresenceCheck.objects.filter(
        asked_at__isnull=True, scheduled_for__lte=now, scheduled_for__gte=now - timedelta(hours=6)
    ).values_list("pk", flat=True)
    for pk in list(due[:200]):
        with transaction.atomic():
            check = (
                PresenceCheck.objects.select_for_update(skip_locked=True)
                .select_related("session", "session__course")
                .filter(pk=pk, asked_at__isnull=True)
                .first()
            )
            if check is None:
                continue
            if not _session_running(check.session, now):
                check.asked_at = now  # the lesson is over: nobody to ask; never retried
                check.deadline_at = now
                check.save(update_fields=["asked_at", "deadline_at"])
                continue
            _ask(check, check.session, now)
            asked += 1
    return asked


def session_started(*, session: LiveSession) -> None:
    """Hook live_session_started."""
    random_checks_plan(session=session)
