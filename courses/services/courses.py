"""A course's own details: creating, changing and archiving it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms import hooks
from lms.access import Cap, SchoolCap
from lms.errors import Conflict, ServiceError
from lms.models import School
from lms.validators import clean_line

from .. import access
from ..models import Course
from .join_codes import _assign_join_code

COURSE_FIELDS = (
    "code",
    "title",
    "description",
    "term_start",
    "term_end",
    "status",
    "in_catalogue",
    "time_zone",
)


def _validate_course(course: Course) -> None:
    course.code = clean_line(course.code, field="code")
    course.title = clean_line(course.title, field="title")
    if not course.code:
        raise ServiceError(_("Give the course a short code, such as TOAN-10A."), field="code")
    if not course.title:
        raise ServiceError(_("Give the course a title."), field="title")
    if course.term_start and course.term_end and course.term_end < course.term_start:
        raise ServiceError(_("The term cannot end before it starts."), field="term_end")
    duplicate = Course.objects.filter(school_id=course.school_id, code__iexact=course.code)
    if course.pk:
        duplicate = duplicate.exclude(pk=course.pk)
    if duplicate.exists():
        raise Conflict(_("Another course of this school already uses this code."), field="code")
    try:
        course.full_clean(exclude=["school", "join_code"], validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(messages[0], field=field) from None


@transaction.atomic
def course_create(
    *,
    by,
    school: School,
    code: str,
    title: str,
    description: str = "",
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
    status: str = Course.Status.DRAFT,
    in_catalogue: bool = False,
    time_zone: str = "",
) -> Course:
    """A new course of the school. `by` needs COURSE_CREATE in the school (or is `SYSTEM`)."""
    access.require_school(by, school, SchoolCap.COURSE_CREATE)
    if status == Course.Status.ARCHIVED:
        raise ServiceError(_("A new course cannot start archived."), field="status")
    course = Course(
        school=school,
        code=code,
        title=title,
        description=description or "",
        term_start=term_start,
        term_end=term_end,
        status=status,
        in_catalogue=in_catalogue,
        time_zone=time_zone or "",
    )
    _validate_course(course)
    course.save()
    _assign_join_code(course)
    hooks.run("course_created", course=course)
    return course


@transaction.atomic
def course_update(*, course: Course, by, **changes) -> Course:
    """Change a course's details. Archiving goes through `course_archive`; an archived course
    may be reopened by setting its status to draft or active.

    `by` needs COURSE_EDIT on the course (or is `SYSTEM`).
    """
    access.require(by, course, Cap.COURSE_EDIT)
    unknown = set(changes) - set(COURSE_FIELDS)
    if unknown:
        raise ServiceError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    archive = changes.get("status") == Course.Status.ARCHIVED
    if archive:
        changes.pop("status")
    for name, value in changes.items():
        if value is None and name in ("code", "title", "description", "time_zone"):
            value = ""
        setattr(course, name, value)
    _validate_course(course)
    course.save()
    hooks.run("course_updated", course=course)
    if archive:
        course_archive(course=course, by=by)
    return course


@transaction.atomic
def course_archive(*, course: Course, by) -> Course:
    """Close a course: nobody joins any more, nothing is deleted.

    `by` needs COURSE_EDIT on the course (or is `SYSTEM`).
    """
    access.require(by, course, Cap.COURSE_EDIT)
    if course.status != Course.Status.ARCHIVED:
        course.status = Course.Status.ARCHIVED
        course.save(update_fields=["status", "updated_at"])
        hooks.run("course_archived", course=course)
    return course
