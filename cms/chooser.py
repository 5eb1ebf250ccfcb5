"""Wagtail's page chooser shows a teacher only the pages of their own courses.

Registered from CmsConfig.ready() (not in wagtail_hooks.py, which the admin's look owns).
Without it the chooser listed the titles of every school's courses and lessons.
"""

from django.db.models import Q
from wagtail import hooks

STEPLEN = 4  # Wagtail's treebeard path step


def chooser_pages_for(pages, user):
    from courses.access import courses_with_role

    from .models import CoursePage

    if user.is_superuser:
        return pages
    course_paths = list(
        CoursePage.objects.filter(course__in=courses_with_role(user).values("pk")).values_list(
            "path", flat=True
        )
    )
    if not course_paths:
        return pages.none()
    # The way down to each course page (to browse to it), then everything below it.
    ancestors = {path[:end] for path in course_paths for end in range(STEPLEN, len(path), STEPLEN)}
    below = Q()
    for path in course_paths:
        below |= Q(path__startswith=path)
    return pages.filter(below | Q(path__in=ancestors))


@hooks.register("construct_page_chooser_queryset")
def pages_of_my_courses(pages, request):
    return chooser_pages_for(pages, request.user)
