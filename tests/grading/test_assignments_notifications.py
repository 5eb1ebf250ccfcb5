"""Students hear of new assignments and of deadlines in 24 hours, once each, in their language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from grading.services import assignments as assignment_services
from grading.services.reminders import deadline_reminders_send
from grading.services.submissions import submission_submit
from lms.models import Notification

from .assign_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_publishing_tells_each_student_once(
    course, people, teacher, django_capture_on_commit_callbacks
):
    people["student"].preferred_language = "vi"
    people["student"].save()
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignment_services.assignment_create(
            by=teacher,
            course=course,
            title="Thuyết trình",
            due_at=timezone.now() + timedelta(days=2),
            publish=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        assignment_services.assignment_publish(by=teacher, assignment=assignment)
    notes = Notification.objects.filter(kind="assignment_new")
    assert sorted(n.user_id for n in notes) == sorted(
        [people["student"].pk, people["other_student"].pk]
    )
    mine = notes.get(user=people["student"])
    assert mine.title == "Bài tập mới: Thuyết trình"
    assert mine.url.endswith(f"/assignments/{assignment.pk}/")


def test_deadline_reminder_once_and_not_for_those_who_handed_in(assignment, people, teacher):
    assignment.due_at = timezone.now() + timedelta(hours=5)
    assignment.save()
    submission_submit(
        by=people["student"], assignment=assignment, client_key="done-key-1", text="x"
    )
    assert deadline_reminders_send() == 1
    assert deadline_reminders_send() == 0
    note = Notification.objects.get(kind="assignment_due")
    assert note.user == people["other_student"]
    assert "Due in less than 24 hours" in note.title


def test_extension_moves_the_reminder(assignment, people, teacher):
    assignment.due_at = timezone.now() + timedelta(hours=5)
    assignment.save()
    assignment_services.extension_grant(
        by=teacher,
        assignment=assignment,
        student_id=people["other_student"].pk,
        due_at=timezone.now() + timedelta(days=3),
        reason="Ốm",
    )
    assert deadline_reminders_send() == 1
    assert Notification.objects.get(kind="assignment_due").user == people["student"]
    later = timezone.now() + timedelta(days=2, hours=12)
    assert deadline_reminders_send(now=later) == 1
    assert Notification.objects.filter(kind="assignment_due", user=people["other_student"]).exists()


def test_reminders_run_from_beat_every_quarter_hour():
    from lms.celery import app

    entry = app.conf.beat_schedule["grading-deadline-reminders"]
    assert entry["task"] == "grading.tasks.deadline_reminders_send"
    assert entry["schedule"] == 900
