from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomsConfig(AppConfig):
    name = "classrooms"
    verbose_name = _("Live lessons")
    default_auto_field = "django.db.models.BigAutoField"
    hooks = {
        "dashboard_panels": [
            "classrooms.panels.school_dashboard_panels",
            "classrooms.panels.dashboard_panels",
        ],
        "course_page_panels": ["classrooms.panels.course_page_panels"],
        "next_live_lesson": ["classrooms.panels.next_live_lesson"],
        "nav_items": ["classrooms.panels.nav_items"],
        "demo_seed": ["classrooms.demo.seed"],
    }

    def ready(self):
        from lms.celery import app

        # Every minute: close lessons whose time is over, then send due reminders. Both tasks
        # are idempotent, so an overlapping or repeated run is harmless.
        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "classrooms-every-minute": {
                "task": "classrooms.tasks.every_minute",
                "schedule": 60.0,
            },
        }
