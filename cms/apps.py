from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Course content")
    hooks = {
        "school_created": ["cms.services.school_home_page_ensure"],
        "membership_granted": ["cms.services.membership_sync_editor"],
        "demo_seed": ["cms.demo.seed"],
    }
