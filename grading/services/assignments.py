"""Writes about assignments: create, update, publish, extensions. Staff of the course only."""

import re
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.access import require
from courses.models import Course, Enrollment
from lms.access import Cap
from lms.errors import NotFound, ServiceError

from .. import tasks
from ..models import Assignment, Extension
from ..sanitise import clean_instructions

EDITABLE = (
    "title",
    "instructions",
    "points",
    "category",
    "available_from",
    "due_at",
    "late_cutoff",
    "late_penalty_percent",
    "late_penalty_unit",
    "late_penalty_cap",
    "max_attempts",
    "submission_type",
    "allowed_extensions",
    "max_file_size",
    "max_files",
)
EXTENSION_RE = re.compile(r"^[a-z0-9]{1,10}$")
# Media refuses anything larger anyway; this keeps a typo from promising 5 GB uploads.
LARGEST_FILE = 500 * 1024 * 1024


def require_manager(by, course: Course) -> str:
    return require(by, course, Cap.ASSIGNMENT_MANAGE)


def _clean_extensions(values) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    cleaned = []
    for value in values:
        ext = str(value).strip().lower().lstrip(".")
        if not ext:
            continue
        if not EXTENSION_RE.match(ext):
            raise ServiceError(
                _("“%(ext)s” is not a file type. Use extensions such as pdf, docx, jpg.")
                % {"ext": value},
                field="allowed_extensions",
            )
        if ext not in cleaned:
            cleaned.append(ext)
    return cleaned


def _validate(values: dict) -> None:
    """Rules that span fields, with a message for the field at fault."""
    if not (values.get("title") or "").strip():
        raise ServiceError(_("Give the assignment a title."), field="title")
    due_at: datetime | None = values.get("due_at")
    if due_at is None:
        raise ServiceError(_("Set when the work is due."), field="due_at")
    available_from = values.get("available_from")
    if available_from and available_from > due_at:
        raise ServiceError(_("The assignment must open before it is due."), field="available_from")
    cutoff = values.get("late_cutoff")
    if cutoff and cutoff < due_at:
        raise ServiceError(
            _("Late work cannot stop being accepted before the due time."), field="late_cutoff"
        )
    for name in ("late_penalty_percent", "late_penalty_cap"):
        value = Decimal(values.get(name) or 0)
        if not Decimal(0) <= value <= Decimal(100):
            raise ServiceError(_("Give a percentage between 0 and 100."), field=name)
    if Decimal(values.get("points") or 0) < 0:
        raise ServiceError(_("Points cannot be negative."), field="points")
    attempts = values.get("max_attempts")
    if attempts is not None and attempts < 1:
        raise ServiceError(
            _("Allow at least one attempt, or leave it empty for no limit."), field="max_attempts"
        )
    if not 1 <= int(values.get("max_files") or 0) <= 50:
        raise ServiceError(_("Allow between 1 and 50 files."), field="max_files")
    if not 1 <= int(values.get("max_file_size") or 0) <= LARGEST_FILE:
        raise ServiceError(_("The largest file may be at most 500 MB."), field="max_file_size")


def _apply(assignment: Assignment, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ServiceError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if "instructions" in fields:
        fields["instructions"] = clean_instructions(fields["instructions"])
    if "allowed_extensions" in fields:
        fields["allowed_extensions"] = _clean_extensions(fields["allowed_extensions"])
    if "title" in fields:
        fields["title"] = (fields["title"] or "").strip()
    for name, value in fields.items():
        setattr(assignment, name, value)
    _validate({name: getattr(assignment, name) for name in EDITABLE})


@transaction.atomic
def assignment_create(*, by, course: Course, publish: bool = False, **fields) -> Assignment:
    require_manager(by, course)
    assignment = Assignment(course=course, created_by=by)
    _apply(assignment, fields)
    assignment.save()
    if publish:
        _publish(assignment)
    return assignment


@transaction.atomic
def assignment_update(*, by, assignment: Assignment, **fields) -> Assignment:
    require_manager(by, assignment.course)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _apply(assignment, fields)
    assignment.save()
    return assignment


def _publish(assignment: Assignment) -> None:
    assignment.status = Assignment.Status.PUBLISHED
    assignment.published_at = timezone.now()
    assignment.save(update_fields=["status", "published_at", "updated_at"])
    tasks.assignment_published_notify.delay_on_commit(assignment.pk)


@transaction.atomic
def assignment_publish(*, by, assignment: Assignment) -> Assignment:
    """Students see it from now on and are told about it once."""
    require_manager(by, assignment.course)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.is_published:
        _publish(assignment)
    return assignment


@transaction.atomic
def assignment_unpublish(*, by, assignment: Assignment) -> Assignment:
    require_manager(by, assignment.course)
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.submissions.filter(state="submitted").exists():
        raise ServiceError(
            _("Students have handed in work for this assignment; it stays published."),
            code="has_submissions",
        )
    assignment.status = Assignment.Status.DRAFT
    assignment.save(update_fields=["status", "updated_at"])
    return assignment


@transaction.atomic
def extension_grant(
    *,
    by,
    assignment: Assignment,
    student_id: int,
    due_at: datetime,
    late_cutoff: datetime | None = None,
    reason: str,
) -> Extension:
    """Give one student their own deadline (replacing an earlier extension)."""
    require_manager(by, assignment.course)
    is_student = Enrollment.objects.filter(
        course_id=assignment.course_id,
        user_id=student_id,
        role=Enrollment.Role.STUDENT,
        status=Enrollment.Status.ACTIVE,
    ).exists()
    if not is_student:
        raise NotFound(_("No such student in this course."))
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the extension is granted."), field="reason")
    if due_at is None:
        raise ServiceError(_("Set the new due time."), field="due_at")
    if late_cutoff and late_cutoff < due_at:
        raise ServiceError(
            _("Late work cannot stop being accepted before the due time."), field="late_cutoff"
        )
    extension, _created = Extension.objects.update_or_create(
        assignment=assignment,
        student_id=student_id,
        defaults={
            "due_at": due_at,
            "late_cutoff": late_cutoff,
            "reason": reason[:500],
            "granted_by": by,
        },
    )
    return extension


@transaction.atomic
def extension_revoke(*, by, assignment: Assignment, student_id: int) -> None:
    require_manager(by, assignment.course)
    deleted, _rows = Extension.objects.filter(assignment=assignment, student_id=student_id).delete()
    if not deleted:
        raise NotFound()
