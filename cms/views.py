"""Web pages around course content: my courses, progress marks and the staff progress table.

The course, module and lesson pages themselves are Wagtail pages (cms.models)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.errors import Forbidden
from lms.models import Role

from . import selectors, services
from .models import LessonProgress


def nav_items(request, schools) -> list[dict]:
    """The `nav_items` hook: "My courses" for the people who take or teach courses."""
    roles = {role for _school, school_roles in schools for role in school_roles}
    if not roles & {Role.STUDENT, Role.TEACHER}:
        return []
    url = reverse("my_courses")
    return [{"label": _("My courses"), "url": url, "active": request.path.startswith(url)}]


def dashboard_panels(request, schools) -> list[dict]:
    """The `dashboard_panels` hook: the reader's courses with their progress."""
    roles = {role for _school, school_roles in schools for role in school_roles}
    if not roles & {Role.STUDENT, Role.TEACHER}:
        return []
    courses = selectors.my_courses(user=request.user)
    if not courses:
        return []
    return [{"template": "cms/_dashboard_courses.html", "courses": courses[:6]}]


@login_required
def my_courses(request):
    return render(
        request, "cms/my_courses.html", {"courses": selectors.my_courses(user=request.user)}
    )


def _done_fragment(request, lesson, done: bool):
    context = {"lesson": lesson, "done": done}
    if request.htmx:
        return render(request, "cms/_lesson_done.html", context)
    return redirect(lesson.url)


@login_required
@require_POST
def lesson_done(request, lesson_id: int):
    lesson, _access = selectors.lesson_readable_by(user=request.user, lesson_id=lesson_id)
    source = request.POST.get("source") or LessonProgress.Source.BUTTON
    if source not in (LessonProgress.Source.BUTTON, LessonProgress.Source.READ):
        source = LessonProgress.Source.BUTTON
    services.lesson_progress_mark(user=request.user, lesson=lesson, source=source)
    return _done_fragment(request, lesson, True)


@login_required
@require_POST
def lesson_undo(request, lesson_id: int):
    lesson, _access = selectors.lesson_readable_by(user=request.user, lesson_id=lesson_id)
    services.lesson_progress_undo(user=request.user, lesson=lesson)
    return _done_fragment(request, lesson, False)


@login_required
def course_progress(request, course_id: int):
    """Every student's progress through the course, for its teachers and the school's admins."""
    course, page, access = selectors.course_readable_by(user=request.user, course_id=course_id)
    if not access.staff:
        raise Forbidden()
    report = selectors.course_progress_report(course=course, course_page=page)
    return render(
        request,
        "cms/course_progress.html",
        {
            "course": course,
            "course_page": page,
            "report": report,
            "lessons": [
                (lesson, report.done_by_lesson.get(lesson.id, 0)) for lesson in report.lessons
            ],
        },
    )
