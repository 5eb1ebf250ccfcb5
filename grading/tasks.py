"""Celery tasks of grading: take ids, load, call one service; safe to run twice."""

from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def submission_receipt_send(submission_id: int) -> None:
    from .services.submissions import receipt_send

    receipt_send(submission_id=submission_id)
