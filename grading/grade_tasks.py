"""Scheduled release of grades (registered by GradingConfig.ready; run by beat every minute)."""

from celery import shared_task


@shared_task(name="grading.grade_tasks.grades_release_due", ignore_result=True)
def grades_release_due() -> int:
    from .services.release import grades_release_due as release_due

    return release_due()
