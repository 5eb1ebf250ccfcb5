"""Periodic clean-up of uploads that never finished. Idempotent: a second run finds nothing."""

from celery import shared_task

from . import services


@shared_task(name="media.tasks.remove_abandoned_uploads", ignore_result=True)
def remove_abandoned_uploads() -> int:
    return services.uploads_remove_abandoned()
