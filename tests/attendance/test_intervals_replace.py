"""Stored intervals: only the rows that changed are rewritten, and only for those people."""

from datetime import timedelta

import pytest

from attendance.models import PresenceInterval
from attendance.services.folds import intervals_replace
from tests.factories import attendance as f

pytestmark = pytest.mark.django_db


def test_only_changed_people_are_rewritten(school, teacher, student):
    course = f.course_with(school, teacher, [student])
    session = f.lesson(course, minutes_ago=70, length=90, status="live")
    # Stored times are compared with the new ones to the microsecond, read back as numbers.
    start = session.starts_at.replace(microsecond=987_654)
    mine = [
        ("event_sync", start, start + timedelta(minutes=20), False, None, 1),
        ("client", start, start + timedelta(minutes=25), True, start + timedelta(minutes=25), 1),
    ]
    assert intervals_replace(session.pk, {student.pk: mine}) == 1
    first = set(PresenceInterval.objects.filter(session=session).values_list("pk", flat=True))
    assert len(first) == 2
    # The same intervals in another order: nothing rewritten, the rows keep their ids.
    assert intervals_replace(session.pk, {student.pk: list(reversed(mine))}) == 0
    assert set(PresenceInterval.objects.values_list("pk", flat=True)) == first
    longer = [mine[0][:2] + (start + timedelta(minutes=30),) + mine[0][3:], mine[1]]
    assert intervals_replace(session.pk, {student.pk: longer}) == 1
    stored = PresenceInterval.objects.get(session=session, source="event_sync")
    assert stored.ended_at == start + timedelta(minutes=30) and stored.pk not in first
    # Only the changed row was rewritten: the page's interval is the row it was.
    assert PresenceInterval.objects.get(session=session, source="client").pk in first
    assert intervals_replace(session.pk, {student.pk: longer[:1]}) == 1  # one fewer
    assert PresenceInterval.objects.filter(session=session).count() == 1
    assert intervals_replace(session.pk, {student.pk: []}) == 1
    assert not PresenceInterval.objects.exists()


def test_evidence_times_are_exact_whatever_the_database(school, teacher, student):
    """The database's epoch seconds (PostgreSQL) are the same doubles as Python's timestamps:
    folding sees the same times, and stored intervals compare equal on the next fold."""
    from attendance.models import PresenceEvent
    from attendance.services.progress import _AT, _NAME, _USER, evidence_rows

    course = f.course_with(school, teacher, [student])
    session = f.lesson(course, minutes_ago=70, length=90, status="live")
    times = [
        session.starts_at + timedelta(microseconds=us)
        for us in (0, 1, 7, 999_999, 123_456_789, 3_599_999_999)
    ]
    PresenceEvent.objects.bulk_create(
        PresenceEvent(
            session=session,
            user=student,
            kind="joined",
            source="event_sync",
            occurred_at=at,
            room_name=session.room_name,
            connection=f"c{i}",
            display_name="Tên",
        )  # fmt: skip
        for i, at in enumerate(times)
    )
    rows = evidence_rows(PresenceEvent.objects.filter(session=session))
    assert sorted(row[_AT] for row in rows) == sorted(at.timestamp() for at in times)
    assert {(row[_USER], row[_NAME]) for row in rows} == {(student.pk, "Tên")}
