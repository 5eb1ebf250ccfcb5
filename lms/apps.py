from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Accounts and schools")
    hooks = {
        # The administrator's school at a glance: people and pending invitations.
        "dashboard_panels": ["lms.dashboard.school_panels"],
    }

    def ready(self):
        from .converters import register

        register()  # before any URL module is imported
        from .api import schema  # noqa: F401  registers the OpenAPI extension for bearer tokens
