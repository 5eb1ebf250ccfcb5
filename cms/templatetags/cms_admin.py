"""Template helpers for Lophoc's overrides of Wagtail admin templates."""

from django import template

from cms.models import CourseContentMixin, CoursePage, ModulePage

register = template.Library()

# Pages whose point is what they hold: a click on them in the explorer lists their children.
CONTAINER_PAGES = (CoursePage, ModulePage)


@register.filter
def opens_listing(page) -> bool:
    """True for a course or a chapter: the explorer opens its lessons, not its edit form.

    The explorer lists plain Page rows; `specific_class` comes from the cached content type, so
    this costs no query per row.
    """
    specific_class = getattr(page, "specific_class", None)
    return specific_class is not None and issubclass(specific_class, CONTAINER_PAGES)


@register.inclusion_tag("wagtailadmin/_lophoc_course_link.html", takes_context=True)
def lophoc_course_link(context, page):
    """On the editor of a course's page: where that course (and this page) is in Lophoc."""
    page = getattr(page, "specific_deferred", page)
    if not isinstance(page, CourseContentMixin):
        return {"course_page": None}
    request = context.get("request")
    course_page = page.course_page
    course_url = course_page.get_url(request) if course_page and course_page.live else None
    page_url = page.get_url(request) if page.live else None
    return {"course_page": course_page, "course_url": course_url, "page_url": page_url}
