from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    name = "grading"
    verbose_name = _("Assignments and grading")
    hooks = {
        "dashboard_panels": ["grading.panels.dashboard_panels"],
        "course_page_panels": ["grading.panels.course_page_panels"],
    }
