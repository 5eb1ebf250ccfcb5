from django.http import Http404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import CoursePage
from .permissions import access_for


@hooks.register("before_serve_document")
def course_documents_for_course_readers(document, request):
    """A document uploaded to a course's collection is served to whoever may read its lessons."""
    page = (
        CoursePage.objects.filter(collection_id=document.collection_id)
        .select_related("course")
        .first()
    )
    if page is not None and not access_for(request.user, page.course).content:
        raise Http404


@hooks.register("insert_global_admin_css")
def lophoc_colours():
    return format_html('<link rel="stylesheet" href="{}">', static("cms/wagtail_admin.css"))


@hooks.register("register_admin_menu_item")
def back_to_lophoc():
    """The way back from the lesson editor to the rest of Lophoc, first in the sidebar."""
    return MenuItem(
        _("Back to Lophoc"),
        reverse("dashboard"),
        name="lophoc",
        icon_name="arrow-left",
        order=1,
        attrs={"data-testid": "back-to-lophoc"},
    )


@hooks.register("construct_main_menu")
def hide_wagtails_own_help(request, menu_items):
    """Wagtail's help menu (what's new in Wagtail, its English editor guide) is about another
    product; teachers get help from their school. Superusers keep it."""
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "help"]
