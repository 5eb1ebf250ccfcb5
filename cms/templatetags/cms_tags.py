from django import template

from lms import hooks

register = template.Library()


@register.inclusion_tag("cms/_next_live_lesson.html", takes_context=True)
def next_live_lesson(context, value=None):
    """The course's next live lesson, as the `next_live_lesson` hook reports it.

    Hook functions take the course and return a list of dicts with "title", "starts_at"
    (a datetime) and optionally "url" and "template" (to render it their own way). When no
    app answers, nothing is shown.
    """
    course = context.get("course")
    if course is None and context.get("page") is not None:
        course = getattr(context["page"], "course", None)
    found = hooks.collect("next_live_lesson", course) if course is not None else []
    return {
        "live": found[0] if found else None,
        "intro": value.get("intro") if value else "",
        "request": context.get("request"),
    }
