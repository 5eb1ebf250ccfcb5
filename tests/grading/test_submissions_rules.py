"""Submitting: the rules, each with its own message, idempotence on the client key, receipts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from grading.models import Submission
from grading.services import assignments as assignment_services
from grading.services import submissions as services
from lms.errors import Forbidden, NotFound, ServiceError

from .assign_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


_capture = None


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    """What a service schedules after commit (the receipt mail) runs as each call returns."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def submit(assignment, student, key="key-00000001", text="Bài làm"):
    with _capture(execute=True):
        return services.submission_submit(
            by=student, assignment=assignment, client_key=key, text=text
        )


def test_submit_records_one_attempt_and_mails_the_receipt(assignment, student):
    attempt, created = submit(assignment, student)
    assert created and attempt.attempt == 1 and attempt.state == "submitted"
    assert attempt.seconds_late == 0 and attempt.penalty_percent == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [student.email]
    assert assignment.title in message.subject
    assert f"Receipt number: {attempt.pk}" in message.body


def test_receipt_mail_is_in_the_students_language(assignment, student):
    student.preferred_language = "vi"
    student.save()
    submit(assignment, student)
    assert "Số biên nhận" in mail.outbox[0].body


def test_same_client_key_gives_the_same_attempt(assignment, student):
    first, created = submit(assignment, student)
    again, created_again = submit(assignment, student, text="something else")
    assert created and not created_again
    assert again.pk == first.pk
    assert Submission.objects.filter(state="submitted").count() == 1
    assert Submission.objects.get(pk=first.pk).text == "Bài làm"
    assert len(mail.outbox) == 1


def test_retry_after_cutoff_still_answers_the_receipt(assignment, student):
    first, _ = submit(assignment, student)
    assignment.due_at = timezone.now() - timedelta(days=1)
    assignment.save()
    again, created = submit(assignment, student)
    assert again.pk == first.pk and not created


def test_attempt_limit(assignment, student):
    submit(assignment, student, key="key-00000001")
    second, _ = submit(assignment, student, key="key-00000002")
    assert second.attempt == 2
    with pytest.raises(ServiceError, match="used all 2 attempts") as error:
        submit(assignment, student, key="key-00000003")
    assert error.value.code == "no_attempts_left"
    assert Submission.objects.filter(state="submitted").count() == 2


def test_not_before_available_from(assignment, student):
    assignment.available_from = timezone.now() + timedelta(hours=1)
    assignment.save()
    with pytest.raises(ServiceError, match="opens on") as error:
        submit(assignment, student)
    assert error.value.code == "not_open"


def test_after_due_before_cutoff_is_late_with_penalty(assignment, student):
    now = timezone.now()
    assignment.due_at = now - timedelta(hours=25)
    assignment.late_cutoff = now + timedelta(days=2)
    assignment.late_penalty_percent = Decimal(10)
    assignment.late_penalty_unit = "day"
    assignment.late_penalty_cap = Decimal(15)
    assignment.save()
    attempt, _ = submit(assignment, student)
    assert attempt.seconds_late >= 25 * 3600
    assert attempt.penalty_percent == Decimal(15)  # two started days, capped at 15
    assert "late penalty of 15" in mail.outbox[0].body


def test_after_cutoff_is_refused_and_nothing_changes(assignment, student):
    submit(assignment, student, key="key-00000001")
    assignment.due_at = timezone.now() - timedelta(hours=2)
    assignment.late_cutoff = timezone.now() - timedelta(hours=1)
    assignment.save()
    with pytest.raises(ServiceError, match="deadline has passed") as error:
        submit(assignment, student, key="key-00000002")
    assert error.value.code == "closed"
    assert list(Submission.objects.values_list("attempt", flat=True)) == [1]


def test_no_cutoff_means_nothing_after_due(assignment, student):
    assignment.due_at = timezone.now() - timedelta(seconds=1)
    assignment.save()
    with pytest.raises(ServiceError, match="deadline has passed"):
        submit(assignment, student)


def test_extension_opens_the_door_for_that_student_only(assignment, student, people, teacher):
    assignment.due_at = timezone.now() - timedelta(hours=1)
    assignment.save()
    assignment_services.extension_grant(
        by=teacher,
        assignment=assignment,
        student_id=student.pk,
        due_at=timezone.now() + timedelta(days=1),
        reason="Ốm",
    )
    attempt, _ = submit(assignment, student)
    assert attempt.seconds_late == 0 and attempt.due_at > timezone.now()
    with pytest.raises(ServiceError, match="deadline has passed"):
        submit(assignment, people["other_student"])


def test_extension_late_period_is_marked_late(assignment, student, teacher):
    now = timezone.now()
    assignment.due_at = now - timedelta(days=3)
    assignment.late_penalty_percent = Decimal(5)
    assignment.late_penalty_unit = "hour"
    assignment.save()
    assignment_services.extension_grant(
        by=teacher,
        assignment=assignment,
        student_id=student.pk,
        due_at=now - timedelta(minutes=30),
        late_cutoff=now + timedelta(hours=1),
        reason="Mất điện",
    )
    attempt, _ = submit(assignment, student)
    assert 1800 <= attempt.seconds_late < 1900
    assert attempt.penalty_percent == Decimal(5)


def test_draft_autosave_then_submit_uses_it(assignment, student):
    services.submission_draft_save(by=student, assignment=assignment, text="nháp 1")
    draft = services.submission_draft_save(by=student, assignment=assignment, text="nháp 2")
    assert Submission.objects.filter(state="draft").count() == 1
    attempt, _ = services.submission_submit(
        by=student, assignment=assignment, client_key="key-00000001"
    )
    assert attempt.pk == draft.pk and attempt.text == "nháp 2" and attempt.attempt == 1
    # The next draft starts fresh; the attempt is never changed by it.
    services.submission_draft_save(by=student, assignment=assignment, text="lần 2")
    assert Submission.objects.get(pk=attempt.pk).text == "nháp 2"


def test_empty_work_is_refused(assignment, student):
    with pytest.raises(ServiceError, match="nothing to hand in"):
        submit(assignment, student, text="   ")


def test_text_refused_when_files_only(assignment, student):
    assignment.submission_type = "files"
    assignment.save()
    with pytest.raises(ServiceError, match="files only"):
        submit(assignment, student)


@pytest.mark.parametrize("key", ["", "short", "has space 123", "x" * 65, "../../etc/pw"])
def test_client_key_is_checked(assignment, student, key):
    with pytest.raises(ServiceError, match="client key"):
        submit(assignment, student, key=key)


def test_outsiders_and_staff_cannot_submit(assignment, people):
    for who in ("teacher", "admin"):
        with pytest.raises(Forbidden):
            submit(assignment, people[who])
    for who in ("outsider_student", "other_teacher", "other_admin"):
        with pytest.raises(NotFound):
            submit(assignment, people[who])
    assert not Submission.objects.exists()


def test_unpublished_assignment_takes_no_work(assignment, student):
    assignment.status = "draft"
    assignment.save()
    with pytest.raises(NotFound):
        submit(assignment, student)
