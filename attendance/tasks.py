"""Celery tasks: take ids, load, call one service. Each is idempotent."""

from celery import shared_task

from . import services


@shared_task(name="attendance.tasks.session_marks_compute", ignore_result=True)
def session_marks_compute(session_id: int) -> int:
    from classrooms.models import LiveSession

    session = LiveSession.objects.filter(pk=session_id).first()
    if session is None:
        return 0
    return len(services.session_marks_compute(session=session))


@shared_task(name="attendance.tasks.session_alerts_send", ignore_result=True)
def session_alerts_send(session_id: int, user_ids=None) -> int:
    return services.session_alerts_send(session_id=session_id, user_ids=user_ids)


@shared_task(name="attendance.tasks.every_minute", ignore_result=True)
def every_minute() -> None:
    """Random presence checks that are due; marks of lessons whose end hook was missed."""
    services.random_checks_run_due()
    services.marks_compute_due()
