from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class PortalPage(Page):
    """The root of the public site: lists the schools that publish on this Lophoc."""

    intro = RichTextField(_("introduction"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.SchoolHomePage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("portal page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["schools"] = SchoolHomePage.objects.child_of(self).live().select_related("school")
        return context


class SchoolHomePage(Page):
    """A school's public home in the CMS; course pages live below it."""

    school = models.OneToOneField(
        "lms.School", on_delete=models.PROTECT, related_name="home_page", verbose_name=_("school")
    )
    intro = RichTextField(_("introduction"), blank=True)

    parent_page_types = ["cms.PortalPage"]
    subpage_types: list[str] = []
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("school home page")

    def serve(self, request, *args, **kwargs):
        if self.school_id is None:
            raise Http404
        return super().serve(request, *args, **kwargs)
