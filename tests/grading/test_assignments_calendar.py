"""Deadlines reach the private calendar feed through the `calendar_feed_events` hook."""

from datetime import timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from classrooms import services as classroom_services
from grading.services import assignments as assignment_services

from .assign_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _events(user):
    feed = classroom_services.calendar_feed_get(user=user)
    response = Client().get(f"/live/calendar/{feed.key}.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    return [e for e in calendar.walk("VEVENT") if str(e["uid"]).startswith("assignment-")]


def test_feed_lists_deadlines_with_the_students_extension(assignment, people, teacher):
    student, other = people["student"], people["other_student"]
    assignment_services.extension_grant(
        by=teacher,
        assignment=assignment,
        student_id=other.pk,
        due_at=assignment.due_at + timedelta(days=2),
        reason="Ốm",
    )
    mine = _events(student)
    assert len(mine) == 1 and assignment.title in str(mine[0]["summary"])
    assert mine[0].decoded("dtstart") == assignment.due_at.replace(microsecond=0)
    theirs = _events(other)
    assert theirs[0].decoded("dtstart") == (assignment.due_at + timedelta(days=2)).replace(
        microsecond=0
    )


def test_feed_leaves_out_drafts_and_other_courses(assignment, people):
    assignment.status = "draft"
    assignment.save()
    assert _events(people["student"]) == []
    assert _events(people["outsider_student"]) == []


def test_feed_is_in_the_users_language(assignment, people):
    student = people["student"]
    student.preferred_language = "vi"
    student.save()
    assignment.due_at = timezone.now() + timedelta(days=1)
    assignment.save()
    assert str(_events(student)[0]["summary"]).startswith("Hạn nộp:")
