"""Periodic work: reminders before lessons and closing lessons whose time is over.

Both are idempotent: running twice, or in two workers at once, changes nothing more.
"""

from celery import shared_task

from . import services


@shared_task(name="classrooms.tasks.send_due_reminders", ignore_result=True)
def send_due_reminders() -> int:
    return services.live_reminders_send_due()


@shared_task(name="classrooms.tasks.close_overdue_sessions", ignore_result=True)
def close_overdue_sessions() -> int:
    return services.live_sessions_close_overdue()


@shared_task(name="classrooms.tasks.every_minute", ignore_result=True)
def every_minute() -> None:
    close_overdue_sessions()
    send_due_reminders()
