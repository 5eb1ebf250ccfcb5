"""Every write of the attendance app: evidence in, intervals, marks, checks, disputes, alerts.

Keyword-only, typed, one transaction each; e-mail and tasks are scheduled on commit.
"""

import hashlib
import logging
import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, F, FloatField, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from classrooms.models import LiveSession
from courses.models import Course, Enrollment
from lms import notifications
from lms.errors import Conflict, Gone, NotFound, ServiceError
from lms.models import Membership, Role, School, User

from . import conf, folding, rules
from .models import (
    SERVER_SOURCES,
    AttendanceMark,
    AttendancePolicy,
    AttendanceRate,
    ChronicAbsence,
    Dispute,
    Flag,
    MarkChange,
    MarkStatus,
    PresenceCheck,
    PresenceEvent,
    PresenceInterval,
    PresencePrompt,
    Source,
)

log = logging.getLogger(__name__)

Kind = PresenceEvent.Kind
SessionStatus = LiveSession.Status
STUDENT = Enrollment.Role.STUDENT
OVERRIDERS = ("teacher", "admin")
CHECKERS = ("teacher", "assistant")
MEMBERS = ("teacher", "assistant", "student")
ALERT_STATUSES = (MarkStatus.ABSENT, MarkStatus.LEFT_EARLY)


class Forbidden(ServiceError):
    """The caller may see the object but not do this to it (posting for someone else)."""

    status = 403
    default_code = "forbidden"


# --- time and policy -----------------------------------------------------------------------------


def _ts(value: datetime) -> float:
    return value.timestamp()


def _dt(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, tz=UTC)


def policy_for(course: Course) -> AttendancePolicy:
    """The course's policy, or the defaults (an unsaved row) when it has none."""
    policy = getattr(course, "_attendance_policy", None)
    if policy is None:
        policy = AttendancePolicy.objects.filter(course=course).first() or AttendancePolicy(
            course=course
        )
        course._attendance_policy = policy
    return policy


def session_window(session: LiveSession, policy: AttendancePolicy) -> folding.Window:
    """The scheduled time, shortened when the teacher ended the lesson early."""
    end = session.ends_at
    if session.ended_at and session.starts_at < session.ended_at < session.ends_at:
        end = session.ended_at
    return folding.Window(
        start=_ts(session.starts_at), end=_ts(end), grace=policy.grace_minutes * 60.0
    )


def session_is_over(session: LiveSession, now: datetime) -> bool:
    if session.status == SessionStatus.ENDED:
        return True
    return session.status != SessionStatus.LIVE and now >= session.ends_at


@transaction.atomic
def policy_update(*, course: Course, role: str | None, **values) -> AttendancePolicy:
    if role not in OVERRIDERS:
        raise NotFound()
    policy = AttendancePolicy.objects.select_for_update().filter(course=course).first()
    policy = policy or AttendancePolicy(course=course)
    for name, value in values.items():
        if value is not None:
            setattr(policy, name, value)
    if not 0 <= policy.partial_percent <= policy.present_percent <= 100:
        raise ServiceError(
            _("The partial threshold must be between 0 and the present threshold (≤ 100%)."),
            field="partial_percent",
        )
    if not 10 <= policy.check_seconds <= 600:
        raise ServiceError(_("Give between 10 and 600 seconds."), field="check_seconds")
    if policy.random_checks > 10:
        raise ServiceError(_("At most 10 random checks per lesson."), field="random_checks")
    policy.save()
    course._attendance_policy = policy
    return policy


# --- evidence in ---------------------------------------------------------------------------------


def _lock(session_id: int, user_id: int) -> None:
    """Serialise refolds of one person in one session (PostgreSQL; SQLite serialises writes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [session_id, user_id])


def _match_user(occupant_id: str) -> User | None:
    try:
        pk = int(str(occupant_id).strip())
    except (TypeError, ValueError):
        return None
    if pk <= 0 or pk > 2**62:
        return None
    return User.objects.filter(pk=pk).only("pk", "full_name").first()


def bare_room_name(value: str) -> str:
    """'room@conference.host' or 'appid/room' -> 'room'."""
    value = (value or "").strip()
    value = value.rsplit("/", 1)[-1]
    return value.split("@", 1)[0].lower()


def event_record(
    *,
    source: str,
    kind: str,
    occurred_at: datetime,
    room_name: str = "",
    occupant_id: str = "",
    connection_id: str = "",
    display_name: str = "",
    fingerprint: str = "",
    raw: dict | None = None,
    dedupe_key: str | None = None,
    session: LiveSession | None = None,
    user: User | None = None,
) -> PresenceEvent | None:
    """Store one piece of evidence and refold its person's intervals.

    Unknown rooms and people are stored as unmatched evidence (reported, never an error).
    Returns None for a replay (same dedupe key), which changes nothing.
    """
    room = bare_room_name(room_name) if room_name else ""
    if session is None and room:
        session = LiveSession.objects.select_related("course").filter(room_name=room).first()
    person_event = kind in (Kind.JOINED, Kind.LEFT, Kind.HEARTBEAT)
    if user is None and person_event and occupant_id:
        user = _match_user(occupant_id)
    unmatched = PresenceEvent.Unmatched.NONE
    if session is None:
        unmatched = PresenceEvent.Unmatched.ROOM
    elif person_event and user is None:
        unmatched = PresenceEvent.Unmatched.USER
    with transaction.atomic():
        if session is not None and user is not None:
            _lock(session.pk, user.pk)
        event = PresenceEvent(
            source=source,
            kind=kind,
            occurred_at=occurred_at,
            room_name=(room or (session.room_name if session else ""))[:255],
            session=session,
            user=user,
            occupant_id=str(occupant_id or "")[:255],
            connection=str(connection_id or "")[:255],
            display_name=str(display_name or "")[:255],
            fingerprint=fingerprint[:64],
            unmatched=unmatched,
            dedupe_key=dedupe_key,
            raw=raw or {},
        )
        try:
            with transaction.atomic():
                event.save()
        except IntegrityError:
            if dedupe_key and PresenceEvent.objects.filter(dedupe_key=dedupe_key).exists():
                return None
            raise
        if session is not None and user is not None:
            presence_refold(session=session, user=user)
            if AttendanceMark.objects.filter(session=session, user=user).exists() or (
                session.status == SessionStatus.ENDED
            ):
                # Late evidence for a lesson already marked: recompute this person's mark.
                marks_compute(session=session, user_ids=[user.pk], final=True)
        elif session is not None and kind == Kind.ROOM_DESTROYED:
            # Closing the room closes everyone still in it.
            transaction.on_commit(lambda: _refold_open(session.pk))
    return event


def _refold_open(session_id: int) -> None:
    session = LiveSession.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        return
    user_ids = set(
        PresenceInterval.objects.filter(session=session, is_open=True).values_list(
            "user_id", flat=True
        )
    )
    for user in User.objects.filter(pk__in=user_ids):
        with transaction.atomic():
            _lock(session.pk, user.pk)
            presence_refold(session=session, user=user)


def _fold_event(row) -> folding.Event:
    return folding.Event(
        at=_ts(row["occurred_at"]),
        kind=row["kind"],
        connection=row["connection"],
        source=folding.CLIENT if row["source"] == Source.CLIENT else folding.SERVER,
        fingerprint=row["fingerprint"],
    )


_EVENT_FIELDS = (
    "user_id",
    "kind",
    "occurred_at",
    "connection",
    "source",
    "fingerprint",
    "display_name",
)


def _evidence_mode(session: LiveSession, policy: AttendancePolicy, has_server: bool) -> str:
    """'server' when the video server reported on this lesson; else 'client' if the course
    counts the page's own reports; else 'none'."""
    if has_server:
        return "server"
    return "client" if policy.count_client_evidence else "none"


def _fold_user(rows, room_rows, window, mode, until) -> folding.Folded:
    wanted_client = mode != "server"
    events = [_fold_event(r) for r in rows if (r["source"] == Source.CLIENT) == wanted_client]
    return folding.fold(
        events,
        window=window,
        room_events=[_fold_event(r) for r in room_rows],
        until=until,
        heartbeat_timeout=conf.heartbeat_timeout_seconds(),
    )


def _interval_rows(session, user_id, folded: folding.Folded, mode: str) -> list[PresenceInterval]:
    source = Source.CLIENT if mode != "server" else Source.EVENT_SYNC
    return [
        PresenceInterval(
            session=session,
            user_id=user_id,
            source=source,
            started_at=_dt(i.start),
            ended_at=_dt(i.end),
            is_open=i.open,
            last_seen_at=_dt(i.last_seen),
            connections=i.connections,
        )
        for i in folded.intervals
    ]


def presence_refold(
    *, session: LiveSession, user: User, now: datetime | None = None
) -> folding.Folded:
    """Rebuild one person's intervals in one session from all their evidence."""
    now = now or timezone.now()
    policy = policy_for(session.course)
    rows = list(PresenceEvent.objects.filter(session=session, user=user).values(*_EVENT_FIELDS))
    room_rows = list(
        PresenceEvent.objects.filter(
            session=session, kind__in=(Kind.ROOM_DESTROYED,), source__in=SERVER_SOURCES
        ).values(*_EVENT_FIELDS)
    )
    has_server = (
        any(r["source"] != Source.CLIENT for r in rows)
        or bool(room_rows)
        or (PresenceEvent.objects.filter(session=session, source__in=SERVER_SOURCES).exists())
    )
    mode = _evidence_mode(session, policy, has_server)
    until = None if session_is_over(session, now) else _ts(now)
    folded = _fold_user(rows, room_rows, session_window(session, policy), mode, until)
    PresenceInterval.objects.filter(session=session, user=user).delete()
    PresenceInterval.objects.bulk_create(_interval_rows(session, user.pk, folded, mode))
    return folded


def client_fingerprint(*, ip: str, user_agent: str) -> str:
    return hashlib.sha256(f"{ip}|{user_agent}".encode()).hexdigest()[:32]


def client_event_record(
    *,
    session: LiveSession,
    user: User,
    role: str | None,
    kind: str,
    connection_id: str,
    fingerprint: str = "",
    for_user: int | None = None,
    now: datetime | None = None,
) -> PresenceEvent:
    """The live page reports the signed-in user (never anyone else) in or out of the room."""
    if role not in MEMBERS:
        raise NotFound()
    if for_user is not None and for_user != user.pk:
        raise Forbidden(_("You can only report your own presence."), code="not_yourself")
    if kind not in (Kind.JOINED, Kind.LEFT, Kind.HEARTBEAT):
        raise ServiceError(_("Unknown event."), field="kind")
    now = now or timezone.now()
    if session.status == SessionStatus.CANCELLED:
        raise Gone(_("This lesson was cancelled."), code="cancelled")
    policy = policy_for(session.course)
    opens = session.starts_at - timedelta(minutes=policy.grace_minutes)
    if now < opens or session_is_over(session, now):
        raise Conflict(_("This lesson is not running now."), code="outside_window")
    return event_record(
        source=Source.CLIENT,
        kind=kind,
        occurred_at=now,
        session=session,
        user=user,
        room_name=session.room_name,
        occupant_id=str(user.pk),
        connection_id=connection_id[:64],
        display_name=user.full_name,
        fingerprint=fingerprint,
        raw={"kind": kind, "connection": connection_id[:64]},
    )


# --- marks ---------------------------------------------------------------------------------------


def _norm_name(value: str) -> str:
    return " ".join((value or "").casefold().split())


def _credit_expression():
    return Case(
        *[When(status=status, then=Value(credit)) for status, credit in rules.CREDIT.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )


def rates_update(*, course_id: int, user_ids) -> None:
    """Keep AttendanceRate current for these students (one aggregate, one upsert)."""
    user_ids = list(user_ids)
    if not user_ids:
        return
    totals = (
        AttendanceMark.objects.filter(course_id=course_id, user_id__in=user_ids, is_final=True)
        .exclude(status=MarkStatus.EXCUSED)
        .values("user_id")
        .annotate(counted=Count("pk"), credited=Sum(_credit_expression()))
    )
    found = {row["user_id"]: row for row in totals}
    rows = []
    for user_id in user_ids:
        row = found.get(user_id, {"counted": 0, "credited": 0.0})
        counted = row["counted"]
        credited = float(row["credited"] or 0)
        rows.append(
            AttendanceRate(
                course_id=course_id,
                user_id=user_id,
                lessons_counted=counted,
                credited=credited,
                rate=(credited / counted) if counted else None,
                updated_at=timezone.now(),
            )
        )
    AttendanceRate.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["course", "user"],
        update_fields=["lessons_counted", "credited", "rate", "updated_at"],
    )


def marks_compute(
    *,
    session: LiveSession,
    user_ids=None,
    final: bool = True,
    now: datetime | None = None,
) -> list[AttendanceMark]:
    """Compute (or recompute) the marks of a lesson from its evidence.

    One mark per active student of the course (plus anyone who already has one: a student
    dropped later keeps their marks). Overrides stay; every change of the computed mark is a
    MarkChange row. A constant number of queries whatever the number of students.
    """
    now = now or timezone.now()
    with transaction.atomic():
        session = (
            LiveSession.objects.select_related("course", "course__school")
            .select_for_update(of=("self",))
            .get(pk=session.pk)
        )
        course = session.course
        policy = policy_for(course)
        window = session_window(session, policy)
        thresholds = rules.Thresholds.from_policy(policy)
        scheduled = window.seconds

        students = Enrollment.objects.filter(
            course=course, role=STUDENT, status=Enrollment.Status.ACTIVE
        )
        existing_marks = AttendanceMark.objects.filter(session=session)
        if user_ids is not None:
            students = students.filter(user_id__in=user_ids)
            existing_marks = existing_marks.filter(user_id__in=user_ids)
        existing = {m.user_id: m for m in existing_marks}
        people = {
            u.pk: u
            for u in User.objects.filter(
                Q(pk__in=students.values("user_id")) | Q(pk__in=list(existing))
            ).only("pk", "full_name")
        }
        events = PresenceEvent.objects.filter(session=session, user_id__in=list(people))
        by_user = defaultdict(list)
        names = defaultdict(set)
        has_server = PresenceEvent.objects.filter(
            session=session, source__in=SERVER_SOURCES
        ).exists()
        for row in events.values(*_EVENT_FIELDS):
            by_user[row["user_id"]].append(row)
            if row["source"] != Source.CLIENT and row["display_name"]:
                names[row["user_id"]].add(row["display_name"])
        room_rows = list(
            PresenceEvent.objects.filter(
                session=session, kind=Kind.ROOM_DESTROYED, source__in=SERVER_SOURCES
            ).values(*_EVENT_FIELDS)
        )
        checks = {
            row["user_id"]: row
            for row in PresencePrompt.objects.filter(session=session, user_id__in=list(people))
            .values("user_id")
            .annotate(
                asked=Count("pk"),
                answered=Count(
                    "pk",
                    filter=Q(answered_at__isnull=False, answered_at__lte=F("deadline_at")),
                ),
            )
        }
        mode = _evidence_mode(session, policy, has_server)
        until = None if final or session_is_over(session, now) else _ts(now)

        intervals, created, updated, changes = [], [], [], []
        for user_id, person in people.items():
            folded = _fold_user(by_user.get(user_id, []), room_rows, window, mode, until)
            # A course that does not count the page's reports gives no credit without a server.
            folded_for_mark = folding.Folded() if mode == "none" else folded
            intervals.extend(_interval_rows(session, user_id, folded, mode))
            status = rules.status_for(
                attended_seconds=folded_for_mark.attended_seconds,
                scheduled_seconds=scheduled,
                first_join=folded_for_mark.first_join,
                start=window.start,
                thresholds=thresholds,
            )
            flags = []
            if folded.two_places:
                flags.append(Flag.TWO_PLACES)
            if mode == "client" and folded.intervals:
                flags.append(Flag.CLIENT_ONLY)
            if mode == "none" and folded.intervals:
                flags.append(Flag.NO_SERVER_EVIDENCE)
            if any(_norm_name(n) != _norm_name(person.full_name) for n in names.get(user_id, ())):
                flags.append(Flag.OTHER_NAME)
            counts = checks.get(user_id, {"asked": 0, "answered": 0})
            if counts["asked"] > counts["answered"]:
                flags.append(Flag.MISSED_CHECKS)
            values = {
                "computed_status": status,
                "attended_seconds": int(round(folded_for_mark.attended_seconds)),
                "scheduled_seconds": int(round(scheduled)),
                "share": rules.share_of(folded_for_mark.attended_seconds, scheduled),
                "first_join_at": _dt(folded.first_join),
                "last_leave_at": _dt(folded.last_leave),
                "checks_asked": counts["asked"],
                "checks_answered": counts["answered"],
                "flags": [str(f) for f in flags],
                "evidence_source": mode,
                "is_final": final,
                "computed_at": now,
            }
            mark = existing.get(user_id)
            if mark is None:
                mark = AttendanceMark(
                    session=session, course=course, user_id=user_id, status=status, **values
                )
                created.append(mark)
                changes.append((mark, MarkChange.Action.COMPUTED, "", status))
            else:
                before = mark.computed_status
                for name, value in values.items():
                    setattr(mark, name, value)
                mark.status = mark.override_status or status
                updated.append(mark)
                if before != status:
                    changes.append((mark, MarkChange.Action.RECOMPUTED, before, status))

        PresenceInterval.objects.filter(session=session, user_id__in=list(people)).delete()
        PresenceInterval.objects.bulk_create(intervals, batch_size=1000)
        AttendanceMark.objects.bulk_create(created, batch_size=1000)
        if updated:
            AttendanceMark.objects.bulk_update(updated, ["status", *values.keys()], batch_size=1000)
        MarkChange.objects.bulk_create(
            [
                MarkChange(mark=mark, action=action, from_status=before, to_status=after)
                for mark, action, before, after in changes
            ],
            batch_size=1000,
        )
        if final:
            rates_update(course_id=course.pk, user_ids=people.keys())
            session_id, alert_ids = session.pk, None if user_ids is None else list(user_ids)
            transaction.on_commit(lambda: _schedule_alerts(session_id, alert_ids))
    return created + updated


def _schedule_alerts(session_id: int, user_ids) -> None:
    from . import tasks

    tasks.session_alerts_send.delay(session_id, user_ids)


def session_marks_compute(*, session: LiveSession) -> list[AttendanceMark]:
    """The lesson ended (hook live_session_ended): refold everyone and compute final marks."""
    return marks_compute(session=session, final=True)


def marks_compute_due(*, now: datetime | None = None) -> int:
    """Lessons that ended without their marks (a missed hook): compute them. Idempotent."""
    now = now or timezone.now()
    due = (
        LiveSession.objects.filter(
            status=SessionStatus.ENDED,
            ends_at__gte=now - timedelta(days=2),
        )
        .exclude(attendance_marks__is_final=True)
        .filter(course__enrollments__role=STUDENT, course__enrollments__status="active")
        .distinct()
    )
    done = 0
    for session in due[:50]:
        marks_compute(session=session, final=True, now=now)
        done += 1
    return done


def _check_role(role: str | None, allowed=OVERRIDERS) -> None:
    if role not in allowed:
        raise NotFound()


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for the change."), field="reason")
    return reason


def _apply_override(*, mark, by, status, reason, action) -> AttendanceMark:
    if status not in MarkStatus.values:
        raise ServiceError(_("Choose a mark."), field="status")
    before = mark.status
    mark.override_status = status
    mark.status = status
    mark.override_reason = reason
    mark.overridden_by = by
    mark.overridden_at = timezone.now()
    mark.save(
        update_fields=[
            "override_status",
            "status",
            "override_reason",
            "overridden_by",
            "overridden_at",
            "updated_at",
        ]
    )
    MarkChange.objects.create(
        mark=mark, action=action, from_status=before, to_status=status, reason=reason, changed_by=by
    )
    rates_update(course_id=mark.course_id, user_ids=[mark.user_id])
    if mark.is_final and status in ALERT_STATUSES:
        mark_id = mark.pk
        transaction.on_commit(lambda: _absence_alert_by_id(mark_id))
    return mark


@transaction.atomic
def attendance_override(
    *, mark: AttendanceMark, by: User, role: str | None, status: str, reason: str
) -> AttendanceMark:
    """A teacher or the school's administrator sets a mark; the computed one is kept."""
    _check_role(role)
    reason = _require_reason(reason)
    mark = AttendanceMark.objects.select_for_update().get(pk=mark.pk)
    return _apply_override(
        mark=mark, by=by, status=status, reason=reason, action=MarkChange.Action.OVERRIDDEN
    )


# --- presence checks -----------------------------------------------------------------------------


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
    *, session: LiveSession, by: User, role: str | None, now: datetime | None = None
) -> PresenceCheck:
    """The teacher presses "check presence": everyone in the room gets a prompt."""
    _check_role(role, CHECKERS)
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
    *, prompt: PresencePrompt, user: User, now: datetime | None = None
) -> PresencePrompt:
    now = now or timezone.now()
    prompt = PresencePrompt.objects.select_for_update().filter(pk=prompt.pk, user=user).first()
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


# --- disputes ------------------------------------------------------------------------------------


@transaction.atomic
def dispute_open(
    *, mark: AttendanceMark, user: User, message: str, requested_status: str = ""
) -> Dispute:
    if mark.user_id != user.pk:
        raise NotFound()
    message = (message or "").strip()
    if not message:
        raise ServiceError(_("Say why the mark is wrong."), field="message")
    if requested_status and requested_status not in MarkStatus.values:
        raise ServiceError(_("Choose a mark."), field="requested_status")
    if not mark.is_final:
        raise Conflict(_("The lesson is not over yet."), code="not_final")
    if Dispute.objects.filter(mark=mark, status=Dispute.Status.OPEN).exists():
        raise Conflict(_("This mark is already disputed."), code="open_dispute")
    return Dispute.objects.create(
        mark=mark, student=user, message=message[:4000], requested_status=requested_status
    )


@transaction.atomic
def dispute_resolve(
    *,
    dispute: Dispute,
    by: User,
    role: str | None,
    accept: bool,
    reply: str = "",
    status: str = "",
) -> Dispute:
    """Staff accept (the mark is overridden) or decline (a reply is required)."""
    _check_role(role)
    dispute = Dispute.objects.select_for_update().select_related("mark").get(pk=dispute.pk)
    if dispute.status != Dispute.Status.OPEN:
        raise Conflict(_("This dispute was already answered."), code="resolved")
    reply = (reply or "").strip()
    if accept:
        status = status or dispute.requested_status or MarkStatus.PRESENT
        mark = AttendanceMark.objects.select_for_update().get(pk=dispute.mark_id)
        _apply_override(
            mark=mark,
            by=by,
            status=status,
            reason=reply or dispute.message,
            action=MarkChange.Action.DISPUTE_ACCEPTED,
        )
        dispute.status = Dispute.Status.ACCEPTED
    else:
        if not reply:
            raise ServiceError(_("Tell the student why."), field="reply")
        dispute.status = Dispute.Status.DECLINED
    dispute.reply = reply
    dispute.resolved_by = by
    dispute.resolved_at = timezone.now()
    dispute.save(update_fields=["status", "reply", "resolved_by", "resolved_at"])
    return dispute


# --- alerts --------------------------------------------------------------------------------------


def _render(template: str, language: str, context: dict) -> tuple[str, str]:
    from django.template.loader import render_to_string

    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    return subject, body


def notify(
    *,
    key: str,
    kind: str,
    template: str,
    context: dict,
    language: str,
    user: User | None = None,
    email: str = "",
    url: str = "",
    mark: AttendanceMark | None = None,
):
    """Render the alert in the recipient's language and hand it to the inbox (once per key)."""
    title, body = _render(template, language, context)
    return notifications.notify(
        user=user,
        kind=kind,
        key=key,
        title=title,
        body=body,
        url=url,
        address=email,
        language=language,
        ref=f"attendance.mark:{mark.pk}" if mark is not None else "",
    )


def _site_url(path: str) -> str:
    from django.conf import settings

    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def absence_alert_send(*, mark: AttendanceMark) -> int:
    """To the student, and to the guardian's address when there is one. Once per mark."""
    if not mark.is_final or mark.status not in ALERT_STATUSES:
        return 0
    student = mark.user
    session = mark.session
    path = reverse("attendance:mark", args=[mark.pk])
    context = {
        "student": student,
        "session": session,
        "course": session.course,
        "mark": mark,
        "status": mark.status,
        "url": _site_url(path),
    }
    sent = 0
    if notify(
        key=f"absence:{mark.pk}:user:{student.pk}",
        kind="absence",
        template="attendance/email/absence",
        context={**context, "for_guardian": False},
        language=student.preferred_language,
        user=student,
        url=path,
        mark=mark,
    ):
        sent += 1
    if student.guardian_email and notify(
        key=f"absence:{mark.pk}:guardian",
        kind="absence",
        template="attendance/email/absence",
        context={**context, "for_guardian": True},
        language=session.course.school.default_language,
        email=student.guardian_email,
        mark=mark,
    ):
        sent += 1
    return sent


def _absence_alert_by_id(mark_id: int) -> None:
    mark = (
        AttendanceMark.objects.select_related("user", "session__course__school")
        .filter(pk=mark_id)
        .first()
    )
    if mark is not None:
        absence_alert_send(mark=mark)


def school_rates(*, school: School, user_ids, now: datetime, weeks: int) -> dict[int, tuple]:
    """{user_id: (counted, credited)} over the school's lessons of the last `weeks` weeks."""
    since = now - timedelta(weeks=weeks)
    rows = (
        AttendanceMark.objects.filter(
            course__school=school,
            user_id__in=list(user_ids),
            is_final=True,
            session__starts_at__gte=since,
        )
        .exclude(status=MarkStatus.EXCUSED)
        .values("user_id")
        .annotate(counted=Count("pk"), credited=Sum(_credit_expression()))
    )
    return {r["user_id"]: (r["counted"], float(r["credited"] or 0)) for r in rows}


def chronic_absence_evaluate(*, school: School, user_ids, now: datetime | None = None) -> int:
    """Alert the school's administrators when a student falls under the threshold (once per
    crossing; going back above re-arms the alert)."""
    now = now or timezone.now()
    threshold = conf_chronic_threshold()
    weeks = conf_chronic_weeks()
    rates = school_rates(school=school, user_ids=user_ids, now=now, weeks=weeks)
    states = {
        s.user_id: s
        for s in ChronicAbsence.objects.filter(school=school, user_id__in=list(user_ids))
    }
    admins = None
    sent = 0
    for user_id in user_ids:
        counted, credited = rates.get(user_id, (0, 0.0))
        if counted < conf_chronic_min_lessons():
            continue
        rate = credited / counted
        state = states.get(user_id) or ChronicAbsence(school=school, user_id=user_id)
        state.last_rate = rate
        below = rate * 100 < threshold
        crossed = below and not state.is_below
        if crossed:
            state.crossings += 1
        state.is_below = below
        state.save()
        if not crossed:
            continue
        if admins is None:
            admins = list(
                User.objects.filter(
                    memberships__school=school, memberships__role=Role.ADMIN, is_active=True
                ).distinct()
            )
        student = User.objects.get(pk=user_id)
        path = reverse("attendance:school", args=[school.slug])
        for admin in admins:
            if notify(
                key=f"chronic:{school.pk}:{user_id}:{state.crossings}:{admin.pk}",
                kind="chronic",
                template="attendance/email/chronic",
                context={
                    "student": student,
                    "school": school,
                    "rate": round(rate * 100),
                    "threshold": threshold,
                    "weeks": weeks,
                    "url": _site_url(path),
                },
                language=admin.preferred_language,
                user=admin,
                url=path,
            ):
                sent += 1
    return sent


def conf_chronic_threshold() -> int:
    return max(1, min(100, conf._get_int("ATTENDANCE_CHRONIC_THRESHOLD", 80)))


def conf_chronic_weeks() -> int:
    return max(1, conf._get_int("ATTENDANCE_CHRONIC_WEEKS", 4))


def conf_chronic_min_lessons() -> int:
    return max(1, conf._get_int("ATTENDANCE_CHRONIC_MIN_LESSONS", 3))


def session_alerts_send(*, session_id: int, user_ids=None) -> int:
    """After a lesson's final marks: absence alerts, then the chronic-absence check."""
    marks = AttendanceMark.objects.filter(session_id=session_id, is_final=True)
    if user_ids is not None:
        marks = marks.filter(user_id__in=list(user_ids))
    marks = list(marks.select_related("user", "session__course__school"))
    sent = 0
    for mark in marks:
        if mark.status in ALERT_STATUSES:
            sent += absence_alert_send(mark=mark)
    if marks:
        school = marks[0].session.course.school
        with transaction.atomic():
            sent += chronic_absence_evaluate(school=school, user_ids=[m.user_id for m in marks])
    return sent


def membership_is_admin(user: User, school: School) -> bool:
    return Membership.objects.filter(user=user, school=school, role=Role.ADMIN).exists()
