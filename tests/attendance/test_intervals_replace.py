"""Stored intervals are rewritten only for the people whose folded intervals changed."""

from datetime import timedelta

import pytest

from attendance.models import PresenceInterval
from attendance.services.folds import intervals_replace
from tests.factories import attendance as f

pytestmark = pytest.mark.django_db


def test_only_changed_people_are_rewritten(school, teacher, student):
    course = f.course_with(school, teacher, [student])
    session = f.lesson(course, minutes_ago=70, length=90, status="live")
    start = session.starts_at
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
    assert intervals_replace(session.pk, {student.pk: longer[:1]}) == 1  # one fewer
    assert PresenceInterval.objects.filter(session=session).count() == 1
    assert intervals_replace(session.pk, {student.pk: []}) == 1
    assert not PresenceInterval.objects.exists()
