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


@register.inclusion_tag("cms/_assignment_link.html", takes_context=True)
def assignment_link(context, value=None):
    """The assignment a lesson links to, as the `lesson_assignment` hook reports it for the
    reader: a dict with "template" (and what it needs), or nothing when the reader may not see
    it (another course's assignment, a draft) or no app answers."""
    request = context.get("request")
    assignment_id = value.get("assignment_id") if value else None
    course = context.get("course")
    if course is None and context.get("page") is not None:
        course = getattr(context["page"], "course", None)
    found = (
        hooks.collect("lesson_assignment", request, course, assignment_id)
        if request is not None and course is not None and assignment_id
        else []
    )
    return {
        "found": found[0] if found else None,
        "intro": value.get("intro") if value else "",
        "request": request,
    }
