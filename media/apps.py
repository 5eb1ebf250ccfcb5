from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "media"
    verbose_name = _("Files")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lms.celery import app

        # Hourly is plenty: an abandoned upload only has to be gone about a day after it began.
        app.conf.beat_schedule = {
            **(app.conf.beat_schedule or {}),
            "media-remove-abandoned-uploads": {
                "task": "media.tasks.remove_abandoned_uploads",
                "schedule": 60.0 * 60,
            },
        }
