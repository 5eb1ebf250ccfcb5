from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Assignments and grading")
    hooks = {
        "dashboard_panels": ["grading.panels.dashboard_panels"],
        "course_page_panels": ["grading.panels.course_page_panels"],
        "calendar_feed_events": ["grading.panels.calendar_feed_events"],
        "demo_seed": ["grading.demo.seed"],
        "lesson_assignment": ["grading.panels.lesson_assignment"],
    }

    def ready(self):
        from lms.celery import app

        # Reminders go out once per student and deadline (keyed in the inbox), so a run every
        # quarter hour is at most 15 minutes late and never repeats itself.
        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "grading-deadline-reminders": {
                "task": "grading.tasks.deadline_reminders_send",
                "schedule": 15 * 60.0,
            },
        }
