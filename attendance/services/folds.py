"""Folding evidence into intervals: the people waiting in a lesson (the debounced task), and
the sweep that folds what a dead worker left behind.

The interval rows are a projection of the evidence: each fold continues from a person's stored
progress, or folds all their evidence again, and both give the same rows, so folding twice,
late, or out of order changes nothing (folding.py is pure; progress.py keeps the progress).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from classrooms.models import LiveSession

from .. import conf, folding
from ..models import (
    SERVER_SOURCES,
    AttendanceMark,
    FoldProgress,
    PresenceEvent,
    PresenceInterval,
    Source,
)
from .policy import dt, policy_for, session_is_over, session_window, ts
from .progress import (
    PersonFold,
    _EpochMicroseconds,
    _event,
    _micro,
    evidence_mode,
    evidence_rows,
    people_fold,
    progress_save,
)

Kind = PresenceEvent.Kind
BATCH = 500  # people folded together by one task at most


def lock_lesson(session_id: int) -> None:
    """Serialise what folds a lesson's evidence (the fold tasks, the sweep, marks) until the
    transaction ends: each continues the progress the last one stored. PostgreSQL; SQLite
    serialises writes. Taken before the lesson's row, always: no deadlock between them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LESSON_LOCK, session_id])


_LESSON_LOCK = 1_954  # the first number of the lock's key: what kind of thing is locked


# An interval as stored, in this order: plain tuples until a person's intervals changed (at the
# end of a lesson most were folded already by the worker, and 500 people have 10,000s of them).
_SHAPE = ("source", "started_at", "ended_at", "is_open", "last_seen_at", "connections")


def interval_rows(result: PersonFold) -> list[tuple]:
    """This person's intervals as `_SHAPE` tuples (written by `intervals_replace`)."""

    def rows(folded, source):
        return [
            (source, dt(i.start), dt(i.end), i.open, dt(i.last_seen), i.connections)
            for i in folded.intervals
        ]

    if result.mode == "server":
        out = rows(result.shown, Source.EVENT_SYNC)
        if result.client is not None:
            out += rows(result.client, Source.CLIENT)
        return out
    return rows(result.shown, Source.CLIENT)


def _stored_intervals(session_id: int, user_ids: list[int]):
    """(pk, user_id, *_SHAPE) of these people's stored intervals, times as integer
    microseconds: PostgreSQL sends them as numbers (parsing 50,000 timestamps was half of a
    large fold)."""
    rows = PresenceInterval.objects.filter(session_id=session_id, user_id__in=user_ids).order_by()
    fields = ["pk", "user_id", *_SHAPE]
    if connection.vendor == "postgresql":
        for name in ("started_at", "ended_at", "last_seen_at"):
            fields[fields.index(name)] = _EpochMicroseconds(name)
        return rows.values_list(*fields)
    return (_comparable(row) for row in rows.values_list(*fields))


def _comparable(row: tuple) -> tuple:
    """A `_SHAPE` tuple (or one led by pk and user) with its times as integer microseconds."""
    *head, source, started, ended, is_open, last_seen, count = row
    return (*head, source, _micro(started), _micro(ended), is_open, _micro(last_seen), count)


def intervals_replace(session_id: int, rows_by_user: dict[int, list[tuple]]) -> int:
    """Store these people's intervals (`_SHAPE` tuples), writing only the rows that changed
    (a fold during a lesson usually extends or adds a person's last interval, and rewriting
    their whole history made each fold cost more as the lesson went on). Returns the people
    whose intervals changed."""
    stored: dict[int, dict[tuple, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pk, user_id, *shape in _stored_intervals(session_id, list(rows_by_user)):
        stored[user_id][tuple(shape)].append(pk)
    gone, new, people = [], [], 0
    for user_id, rows in rows_by_user.items():
        kept = stored.get(user_id, {})
        added = []
        for row in rows:
            same = kept.get(_comparable(row))
            if same:
                same.pop()
            else:
                added.append(row)
        stale = [pk for pks in kept.values() for pk in pks]
        if added or stale:
            people += 1
            gone += stale
            new += [
                PresenceInterval(
                    session_id=session_id, user_id=user_id, **dict(zip(_SHAPE, r, strict=True))
                )
                for r in added
            ]
    if gone:
        PresenceInterval.objects.filter(pk__in=gone).delete()
    if new:
        PresenceInterval.objects.bulk_create(new, batch_size=2000)
    return people


@dataclass
class LessonContext:
    """What folding a lesson's evidence depends on besides the evidence."""

    mode: str
    window: folding.Window
    until: float | None
    rules: folding.Rules


def lesson_context(session: LiveSession, *, now: datetime, final: bool) -> LessonContext:
    """The lesson's window, evidence mode and room events (two queries)."""
    policy = policy_for(session.course)
    room_events = [
        _event(r)
        for r in evidence_rows(
            PresenceEvent.objects.filter(
                # user__isnull: a room's events have no person, and the index then finds them
                session=session,
                user__isnull=True,
                kind=Kind.ROOM_DESTROYED,
                source__in=SERVER_SOURCES,
            )
        )
    ]
    has_server = (
        bool(room_events)
        or PresenceEvent.objects.filter(session=session, source__in=SERVER_SOURCES).exists()
    )
    window = session_window(session, policy)
    return LessonContext(
        mode=evidence_mode(has_server, policy.count_client_evidence),
        window=window,
        until=None if final or session_is_over(session, now) else ts(now),
        rules=folding.Rules(
            window, folding.destroyed_times(room_events), conf.heartbeat_timeout_seconds()
        ),
    )


def presence_refold(
    *, session: LiveSession, user_ids, now: datetime | None = None
) -> dict[int, PersonFold]:
    """Bring these people's intervals in one lesson up to date with their evidence."""
    now = now or timezone.now()
    context = lesson_context(session, now=now, final=False)
    results, progress, ids = people_fold(
        session.pk, list(user_ids), context.rules, context.mode, context.until
    )
    folds_store(session.pk, results, progress, ids)
    return results


def folds_store(session_id: int, results: dict, progress: dict, event_ids: list) -> None:
    """What `people_fold` answered: the changed intervals, the progress to continue from, and
    the events read marked folded (in the caller's transaction, all or nothing)."""
    intervals_replace(session_id, {u: interval_rows(r) for u, r in results.items()})
    progress_save(session_id, progress)
    PresenceEvent.objects.filter(pk__in=event_ids, folded=False).update(folded=True)


def presence_fold(
    *, session_id: int, user_id: int | None, now: datetime | None = None, claim: str = ""
) -> int:
    """The fold task: the evidence waiting in a lesson into intervals, everyone's in one load
    (up to BATCH people; another fold is queued when more wait), or everyone's for a closed
    room. Marks are recomputed for these people when the lesson already has marks.
    Idempotent."""
    from .evidence import fold_schedule
    from .marks import marks_compute

    if claim:
        # Run early (eagerly, in the request): the slot's later events must queue their own.
        cache.delete(claim)
    now = now or timezone.now()
    session = LiveSession.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        return 0
    with transaction.atomic():
        lock_lesson(session_id)
        events = PresenceEvent.objects.filter(session=session, user__isnull=False)
        if user_id is None:
            # A closed room ends everyone's open stay: refold everyone with evidence.
            people = set(events.order_by().values_list("user_id", flat=True).distinct())
        else:
            people = set(
                events.filter(folded=False)
                .order_by()
                .values_list("user_id", flat=True)
                .distinct()[:BATCH]
            )
        if not people and user_id is not None:
            return 0  # another task folded this person's evidence already
        people = sorted(people)
        presence_refold(session=session, user_ids=people, now=now)
        if user_id is not None and len(people) == BATCH:
            fold_schedule(session_id=session_id, user_id=user_id)  # more may wait
        if user_id is None:
            PresenceEvent.objects.filter(session=session, user__isnull=True, folded=False).update(
                folded=True
            )
        over = session_is_over(session, now)
        marked = set(
            AttendanceMark.objects.filter(session=session, user_id__in=people).values_list(
                "user_id", flat=True
            )
        )
        late = sorted(people if over else marked)
        if late:
            # Late evidence for a lesson already marked: recompute only these people.
            marks_compute(session=session, user_ids=late, final=over, now=now)
    return len(people)


def folds_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Fold evidence left unfolded for a while (a worker killed mid-task loses nothing)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=conf.sweep_after_seconds())
    pairs = list(
        PresenceEvent.objects.filter(folded=False, received_at__lt=cutoff, session__isnull=False)
        .order_by()
        .values_list("session_id", "user_id")
        .distinct()[:limit]
    )
    for session_id, user_id in pairs:
        if session_id is None:
            continue
        presence_fold(session_id=session_id, user_id=user_id, now=now)
    return len(pairs)


PROGRESS_KEPT = timedelta(days=7)  # after that, evidence still arriving is folded from scratch


def progress_prune(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Drop the fold progress of lessons that ended a week ago (a row per person and lesson
    would otherwise grow with the school's whole history). Evidence arriving later still
    folds: from all of it."""
    now = now or timezone.now()
    stale = FoldProgress.objects.filter(session__ends_at__lt=now - PROGRESS_KEPT)
    pks = list(stale.order_by().values_list("pk", flat=True)[:limit])
    if pks:
        FoldProgress.objects.filter(pk__in=pks).delete()
    return len(pks)
