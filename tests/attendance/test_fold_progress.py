"""Folds continue from the stored progress: each reads only the evidence that arrived since
the last, and the intervals are those that folding all the evidence again gives."""

import random
from datetime import timedelta

import pytest

from attendance.models import FoldProgress, PresenceEvent, PresenceInterval
from attendance.services import folds, progress
from attendance.services.folds import presence_refold
from tests.conftest import member
from tests.factories import attendance as f

pytestmark = pytest.mark.django_db


def _store(session, user, kind, at, connection, source="event_sync"):
    return PresenceEvent(
        session=session,
        user=user,
        kind=kind,
        occurred_at=at,
        source=source,
        room_name=session.room_name,
        connection=connection,
        fingerprint="device" if source == "client" else "",
    )


def _intervals(session):
    return sorted(
        PresenceInterval.objects.filter(session=session).values_list(
            "user_id", "source", "started_at", "ended_at", "is_open", "last_seen_at", "connections"
        )
    )


def _evidence_read(monkeypatch) -> list[int]:
    """Counts the evidence rows each fold reads."""
    read = []
    original = progress.evidence_rows

    def counting(events):
        rows = original(events)
        read.append(len(rows))
        return rows

    for module in (folds, progress):
        monkeypatch.setattr(module, "evidence_rows", counting)
    return read


def _a_lesson_of_reconnects(session, people, start, minutes):
    """Each person reconnects every minute (server) with the page beating every 20 s, and now
    and then a beat arrives late: what a real lesson's evidence looks like."""
    rng = random.Random(7)
    batches = []
    for minute in range(minutes):
        batch = []
        for n, person in enumerate(people):
            at = start + timedelta(minutes=minute, seconds=n)
            batch.append(_store(session, person, "joined", at, f"{person.pk}-{minute}"))
            left = at + timedelta(seconds=rng.choice([40, 55, 70]))
            batch.append(_store(session, person, "left", left, f"{person.pk}-{minute}"))
            for beat in (0, 20, 40):
                when = at + timedelta(seconds=beat)
                batch.append(_store(session, person, "heartbeat", when, "tab", "client"))
        batches.append(batch)
    return batches


def _live_lesson(school, teacher, students: int, minutes_ago: int = 30):
    people = [member(school, "student") for _ in range(students)]
    course = f.course_with(school, teacher, people)
    session = f.lesson(course, minutes_ago=minutes_ago, length=60, status="live")
    return session, people, session.starts_at, [p.pk for p in people]


def test_folding_in_steps_gives_what_folding_everything_again_gives(school, teacher):
    session, people, start, ids = _live_lesson(school, teacher, 3)
    for minute, batch in enumerate(_a_lesson_of_reconnects(session, people, start, 12)):
        PresenceEvent.objects.bulk_create(batch)
        if minute == 7:  # a beat from minute 2 arrives late: that person is folded again
            late = start + timedelta(minutes=2, seconds=50)
            _store(session, people[0], "heartbeat", late, "tab", "client").save()
        presence_refold(session=session, user_ids=ids, now=start + timedelta(minutes=minute + 1))
    assert FoldProgress.objects.filter(session=session).count() == 3
    stepwise = _intervals(session)
    assert stepwise

    PresenceInterval.objects.filter(session=session).delete()
    FoldProgress.objects.filter(session=session).delete()
    PresenceEvent.objects.filter(session=session).update(folded=False)
    presence_refold(session=session, user_ids=ids, now=start + timedelta(minutes=12))
    assert _intervals(session) == stepwise


def test_a_fold_reads_only_the_evidence_that_arrived_since(school, teacher, monkeypatch):
    session, people, start, ids = _live_lesson(school, teacher, 4)
    batches = _a_lesson_of_reconnects(session, people, start, 10)
    for batch in batches[:-1]:
        PresenceEvent.objects.bulk_create(batch)
    presence_refold(session=session, user_ids=ids, now=start + timedelta(minutes=9))
    read = _evidence_read(monkeypatch)
    PresenceEvent.objects.bulk_create(batches[-1])
    presence_refold(session=session, user_ids=ids, now=start + timedelta(minutes=10))
    # The room's events (none) and the new evidence: not the nine minutes before it.
    assert sorted(read) == [0, len(batches[-1])]
    stepwise = _intervals(session)

    read.clear()
    FoldProgress.objects.filter(session=session).update(state={"v": 0})  # another shape
    presence_refold(session=session, user_ids=ids, now=start + timedelta(minutes=10))
    assert sorted(read) == [0, 0, sum(len(b) for b in batches)]  # everything, once
    assert _intervals(session) == stepwise


def test_a_changed_lesson_or_a_closed_room_folds_everything_again(school, teacher, student):
    course = f.course_with(school, teacher, [student])
    session = f.lesson(course, minutes_ago=30, length=60, status="live")
    start = session.starts_at
    PresenceEvent.objects.bulk_create(
        [
            _store(session, student, "joined", start + timedelta(minutes=1), "a"),
            _store(session, student, "left", start + timedelta(minutes=20), "a"),
            _store(session, student, "joined", start + timedelta(minutes=20, seconds=20), "b"),
        ]
    )
    presence_refold(session=session, user_ids=[student.pk], now=start + timedelta(minutes=25))
    assert [(i[2], i[3], i[4]) for i in _intervals(session)] == [
        (start + timedelta(minutes=1), start + timedelta(minutes=25), True)
    ]
    # The teacher ended the lesson at minute 15: the progress was folded for another window.
    session.ended_at = start + timedelta(minutes=15)
    session.save(update_fields=["ended_at"])
    presence_refold(session=session, user_ids=[student.pk], now=start + timedelta(minutes=26))
    assert [(i[2], i[3]) for i in _intervals(session)] == [
        (start + timedelta(minutes=1), start + timedelta(minutes=15))
    ]
    session.ended_at = None
    session.save(update_fields=["ended_at"])
    # The room was destroyed at minute 24 with "b" still in it: b's stay ends there.
    PresenceEvent.objects.create(
        session=session,
        kind="room_destroyed",
        source="event_sync",
        occurred_at=start + timedelta(minutes=24),
        room_name=session.room_name,
    )
    presence_refold(session=session, user_ids=[student.pk], now=start + timedelta(minutes=27))
    assert [(i[2], i[3], i[4]) for i in _intervals(session)] == [
        (start + timedelta(minutes=1), start + timedelta(minutes=24), False)
    ]


def test_marks_from_the_progress_are_the_marks_from_all_the_evidence(school, teacher):
    from attendance import services
    from attendance.models import AttendanceMark

    session, people, start, ids = _live_lesson(school, teacher, 4, minutes_ago=70)
    for minute, batch in enumerate(_a_lesson_of_reconnects(session, people[:3], start, 30)):
        for event in batch:
            if event.source == "event_sync":
                event.display_name = "Someone else" if event.user == people[1] else ""
        PresenceEvent.objects.bulk_create(batch)
        presence_refold(session=session, user_ids=ids, now=start + timedelta(minutes=minute + 1))
    session.status = "ended"
    session.save(update_fields=["status"])

    def marks():
        return sorted(
            AttendanceMark.objects.filter(session=session).values_list(
                "user_id", "computed_status", "attended_seconds", "first_join_at",
                "last_leave_at", "flags", "evidence_source",
            )
        )  # fmt: skip

    services.marks_compute(session=session, final=True)
    from_progress, intervals = marks(), _intervals(session)
    assert {m[1] for m in from_progress} >= {"absent"} and len(from_progress) == 4
    assert "other_name" in {m[0]: m[5] for m in from_progress}[people[1].pk]

    AttendanceMark.objects.filter(session=session).delete()
    PresenceInterval.objects.filter(session=session).delete()
    FoldProgress.objects.filter(session=session).delete()
    PresenceEvent.objects.filter(session=session).update(folded=False)
    services.marks_compute(session=session, final=True)
    assert marks() == from_progress
    assert _intervals(session) == intervals


def test_the_progress_of_lessons_long_over_is_dropped_and_late_evidence_still_folds(
    school, teacher, student
):
    from attendance.services import progress_prune

    course = f.course_with(school, teacher, [student])
    old = f.lesson(course, minutes_ago=8 * 24 * 60, length=60, status="ended")
    recent = f.lesson(course, minutes_ago=2 * 24 * 60, length=60, status="ended")
    for session in (old, recent):
        start = session.starts_at
        PresenceEvent.objects.bulk_create(
            [
                _store(session, student, "joined", start, "a"),
                _store(session, student, "left", start + timedelta(minutes=30), "a"),
            ]
        )
        presence_refold(session=session, user_ids=[student.pk])
    assert progress_prune() == 1
    assert list(FoldProgress.objects.values_list("session_id", flat=True)) == [recent.pk]
    # A webhook delayed by days: folded from all the evidence, and the progress is back.
    late = old.starts_at + timedelta(minutes=30, seconds=20)  # a reconnect: one stay
    PresenceEvent.objects.bulk_create(
        [
            _store(old, student, "joined", late, "b"),
            _store(old, student, "left", late + timedelta(minutes=10), "b"),
        ]
    )
    presence_refold(session=old, user_ids=[student.pk])
    assert [(i[2], i[3]) for i in _intervals(old)] == [
        (old.starts_at, late + timedelta(minutes=10))
    ]
    assert FoldProgress.objects.filter(session=old).exists()
