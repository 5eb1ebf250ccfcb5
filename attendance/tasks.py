"""Celery tasks: take ids, load, call one service. Each is idempotent."""

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(name="attendance.tasks.presence_fold", ignore_result=True)
def presence_fold(session_id: int, user_id: int | None, claim: str = "") -> int:
    """Fold a lesson's waiting evidence (debounced: one task per lesson per time slot)."""
    return services.presence_fold(session_id=session_id, user_id=user_id, claim=claim)


@shared_task(name="attendance.tasks.session_marks_compute", ignore_result=True)
def session_marks_compute(session_id: int) -> int:
    from classrooms.models import LiveSession

    session = LiveSession.objects.select_related("course").filter(pk=session_id).first()
    if session is None:
        return 0
    return len(services.session_marks_compute(session=session))


@shared_task(name="attendance.tasks.session_alerts_send", ignore_result=True)
def session_alerts_send(session_id: int) -> int:
    return services.session_alerts_send(session_id=session_id)


@shared_task(name="attendance.tasks.every_minute", ignore_result=True)
def every_minute() -> None:
    """Evidence a dead worker left unfolded; random presence checks that are due; marks of
    lessons whose end hook was missed; absence alerts whose review period is over; the fold
    progress of lessons long over."""
    for job in (
        services.folds_sweep,
        services.progress_prune,
        services.random_checks_run_due,
        services.marks_compute_due,
        services.alerts_send_due,
    ):
        try:
            job()
        except Exception:  # one failing job must not stop the others; the next run retries
            log.exception("attendance: %s failed", job.__name__)
