from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Course content")
    hooks = {
        "school_created": ["cms.services.school_home_page_ensure"],
        "membership_granted": ["cms.services.membership_sync_editor"],
        "course_created": ["cms.services.course_page_ensure"],
        "course_archived": ["cms.services.course_page_archive"],
        "enrollment_changed": ["cms.services.course_editor_sync"],
        "enrollments_changed": ["cms.services.course_editors_sync"],
        "nav_items": ["cms.views.nav_items"],
        "dashboard_panels": ["cms.views.dashboard_panels"],
        "demo_seed": ["cms.demo.seed"],
    }

    def ready(self):
        from . import chooser  # noqa: F401  (registers the page chooser's limits)
