from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses and enrolment")
    hooks = {
        # Someone invited by a roster import joined the school: enrol them as promised.
        "membership_granted": ["courses.services.pending_enrollments_fulfil"],
        "nav_items": ["courses.views.nav_items"],
        "dashboard_panels": ["courses.views.dashboard_panels"],
        # The invitation e-mail names the courses and teachers waiting for the person.
        "invitation_courses": ["courses.invitations.invitation_courses"],
    }

    def ready(self):
        from celery.schedules import crontab

        from lms.celery import app

        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "courses-prune-roster-uploads": {
                "task": "courses.tasks.roster_uploads_prune",
                "schedule": crontab(hour=3, minute=17),
            },
        }
