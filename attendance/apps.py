from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")
    default_auto_field = "django.db.models.BigAutoField"
    hooks = {
        "live_session_started": ["attendance.hooks.live_session_started"],
        "live_session_ended": ["attendance.hooks.live_session_ended"],
        # Declared here; classrooms' live page includes what it returns (see the README note).
        "live_page_extras": ["attendance.panels.live_page_extras"],
        "nav_items": ["attendance.panels.nav_items"],
        "dashboard_panels": ["attendance.panels.dashboard_panels"],
        "course_page_panels": ["attendance.panels.course_page_panels"],
        "demo_seed": ["attendance.demo.seed"],
    }

    def ready(self):
        from lms.celery import app

        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "attendance-every-minute": {
                "task": "attendance.tasks.every_minute",
                "schedule": 60.0,
            },
        }
