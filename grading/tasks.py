"""Celery tasks of grading: take ids, load, call one service; safe to run twice."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def submission_receipt_send(submission_id: int) -> None:
    from .services.submissions import receipt_send

    receipt_send(submission_id=submission_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def assignment_published_notify(assignment_id: int) -> int:
    from .services.reminders import assignment_published_notify as notify_students

    return notify_students(assignment_id=assignment_id)


@shared_task
def deadline_reminders_send() -> int:
    from .services.reminders import deadline_reminders_send as send

    return send()


@shared_task(acks_late=True)
def submission_archive_build(archive_id: int) -> None:
    from .services.archives import archive_build

    archive_build(archive_id=archive_id)
