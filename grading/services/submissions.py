"""Writes of students' work: the autosaved draft and the submit that turns it into an attempt.

Submit is idempotent on the client's key and safe under concurrency: the student's enrolment row
is locked for the transaction, so two tabs or a double click are serialised, and the unique
constraints on (assignment, student, attempt / client key) stop anything that slips past.
"""

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courses.access import require
from courses.models import Enrollment
from lms.access import Cap
from lms.errors import Conflict, NotFound, ServiceError
from lms.mail import send_templated_mail
from media.models import Purpose
from media.services import download_url, files_for_use, upload_slot_create

from .. import tasks
from ..lateness import penalty_percent, seconds_late
from ..models import Assignment, Extension, Submission, SubmissionFile

CLIENT_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
LONGEST_TEXT = 200_000


def _lock_student(by, assignment: Assignment) -> Enrollment:
    """The student's enrolment row, locked: their hand-ins to this course go one at a time."""
    require(by, assignment.course, Cap.SUBMIT_WORK)
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(
            course_id=assignment.course_id,
            user=by,
            role=Enrollment.Role.STUDENT,
            status=Enrollment.Status.ACTIVE,
        )
        .first()
    )
    if enrollment is None or not assignment.is_published:
        raise NotFound()
    return enrollment


def deadlines_for(assignment: Assignment, extension: Extension | None) -> tuple[datetime, datetime]:
    """(due, cutoff) for one student: their extension's when they have one. No cutoff means
    nothing is accepted after the due time."""
    if extension is not None:
        return extension.due_at, extension.late_cutoff or extension.due_at
    return assignment.due_at, assignment.late_cutoff or assignment.due_at


def _clean_text(assignment: Assignment, text: str | None) -> str:
    text = (text or "").replace("\x00", "")
    if len(text) > LONGEST_TEXT:
        raise ServiceError(
            _("The text is too long (at most %(n)s characters).") % {"n": LONGEST_TEXT},
            field="text",
        )
    if text.strip() and not assignment.accepts_text:
        raise ServiceError(_("This assignment takes files only, not text."), field="text")
    return text


def _checked_files(by, assignment: Assignment, file_ids) -> list:
    """The student's verified files for this assignment, in their order, within its limits."""
    if not isinstance(file_ids, list | tuple):
        raise ServiceError(_("Send the files as a list of file ids."), field="files")
    if file_ids and not assignment.accepts_files:
        raise ServiceError(_("This assignment takes text only, not files."), field="files")
    if len(file_ids) > assignment.max_files:
        raise ServiceError(
            _("At most %(n)s files may be handed in.") % {"n": assignment.max_files},
            code="too_many_files",
            field="files",
        )
    if not file_ids:
        return []
    return files_for_use(
        by=by,
        ids=list(file_ids),
        purpose=Purpose.SUBMISSION,
        extensions=assignment.allowed_extensions or None,
        max_size=assignment.max_file_size,
    )


def _attach(submission: Submission, files: list) -> None:
    submission.files.all().delete()
    SubmissionFile.objects.bulk_create(
        SubmissionFile(
            submission=submission,
            file=file,
            position=i,
            name=file.name,
            size=file.size,
            content_type=file.content_type,
            sha256=file.sha256,
        )
        for i, file in enumerate(files)
    )


@transaction.atomic
def submission_draft_save(
    *, by, assignment: Assignment, text: str | None = None, file_ids: list | None = None
) -> Submission:
    """Keep the work in progress; called as the student types or uploads. Never counts as an
    attempt. `None` leaves that part as it was."""
    _lock_student(by, assignment)
    draft = Submission.objects.filter(
        assignment=assignment, student=by, state=Submission.State.DRAFT
    ).first()
    if draft is None:
        draft = Submission(assignment=assignment, student=by)
    if text is not None:
        draft.text = _clean_text(assignment, text)
    files = _checked_files(by, assignment, file_ids) if file_ids is not None else None
    draft.save()
    if files is not None:
        _attach(draft, files)
    return draft


def _check_window(assignment: Assignment, extension: Extension | None, now: datetime) -> None:
    if assignment.available_from and now < assignment.available_from:
        raise ServiceError(
            _("This assignment opens on %(when)s; you cannot hand in work before then.")
            % {
                "when": formats.date_format(
                    timezone.localtime(assignment.available_from), "DATETIME_FORMAT"
                )
            },
            code="not_open",
        )
    _due, cutoff = deadlines_for(assignment, extension)
    if now > cutoff:
        raise ServiceError(
            _("The deadline has passed (%(when)s); this assignment no longer accepts work.")
            % {"when": formats.date_format(timezone.localtime(cutoff), "DATETIME_FORMAT")},
            code="closed",
        )


def _require_content(assignment: Assignment, text: str, files: list) -> None:
    has_text = bool(text.strip())
    if assignment.submission_type == Assignment.SubmissionType.TEXT and not has_text:
        raise ServiceError(_("There is nothing to hand in yet: write your answer."), field="text")
    if assignment.submission_type == Assignment.SubmissionType.FILES and not files:
        raise ServiceError(_("There is nothing to hand in yet: add a file."), field="files")
    if not has_text and not files:
        raise ServiceError(
            _("There is nothing to hand in yet: write your answer or add a file."), field="text"
        )


def submission_submit(
    *,
    by,
    assignment: Assignment,
    client_key: str,
    text: str | None = None,
    file_ids: list | None = None,
) -> tuple[Submission, bool]:
    """Hand in the draft (or the given text) as the next attempt.

    Returns (attempt, created). The same `client_key` always answers the same attempt, even
    after the deadline or when the attempts are used up, so a retry shows the receipt again.
    """
    if not CLIENT_KEY_RE.match(client_key or ""):
        raise ServiceError(
            _("Send a client key of 8 to 64 letters, digits, “-” or “_”."), field="client_key"
        )
    try:
        return _submit(
            by=by, assignment=assignment, client_key=client_key, text=text, file_ids=file_ids
        )
    except IntegrityError:
        # Only reachable if the lock was bypassed (e.g. the enrolment changed meanwhile).
        existing = Submission.objects.filter(
            assignment=assignment, student=by, client_key=client_key
        ).first()
        if existing is None:
            raise Conflict(
                _("Another attempt was being handed in at the same time; try again.")
            ) from None
        return existing, False


@transaction.atomic
def _submit(*, by, assignment: Assignment, client_key: str, text: str | None, file_ids):
    _lock_student(by, assignment)
    mine = Submission.objects.filter(assignment=assignment, student=by)
    same_key = mine.filter(client_key=client_key, state=Submission.State.SUBMITTED).first()
    if same_key is not None:
        return same_key, False

    now = timezone.now()
    extension = Extension.objects.filter(assignment=assignment, student=by).first()
    _check_window(assignment, extension, now)
    done = mine.filter(state=Submission.State.SUBMITTED).count()
    if assignment.max_attempts is not None and done >= assignment.max_attempts:
        raise ServiceError(
            _("You have used all %(n)s attempts for this assignment.")
            % {"n": assignment.max_attempts},
            code="no_attempts_left",
        )

    draft = mine.filter(state=Submission.State.DRAFT).first() or Submission(
        assignment=assignment, student=by
    )
    if text is not None:
        draft.text = _clean_text(assignment, text)
    if file_ids is None:
        # The draft's files, checked again: the assignment's limits may have changed.
        file_ids = list(draft.files.values_list("file_id", flat=True)) if draft.pk else []
    files = _checked_files(by, assignment, file_ids)
    _require_content(assignment, draft.text, files)

    due, _cutoff = deadlines_for(assignment, extension)
    late = seconds_late(now, due)
    draft.state = Submission.State.SUBMITTED
    draft.attempt = done + 1
    draft.client_key = client_key
    draft.submitted_at = now
    draft.due_at = due
    draft.seconds_late = late
    draft.penalty_percent = penalty_percent(
        late,
        percent_per_unit=assignment.late_penalty_percent,
        unit=assignment.late_penalty_unit,
        cap=assignment.late_penalty_cap,
    )
    draft.save()
    _attach(draft, files)
    # A task after commit: a failing mail server never undoes an accepted attempt.
    tasks.submission_receipt_send.delay_on_commit(draft.pk)
    return draft, True


def receipt_send(*, submission_id: int) -> None:
    """E-mail the receipt in the student's language and time zone."""
    from ..selectors.submissions import receipt_for

    submission = (
        Submission.objects.select_related("student", "assignment__course")
        .filter(pk=submission_id, state=Submission.State.SUBMITTED)
        .first()
    )
    if submission is None:
        return
    student = submission.student
    with timezone.override(student.time_zone):
        send_templated_mail(
            template="grading/email/submission_receipt",
            to=student.email,
            language=student.preferred_language,
            context={"receipt": receipt_for(submission), "submission": submission},
        )


def upload_slot_for(
    *, by, assignment: Assignment, name: str, size: int, content_type: str = ""
) -> dict:
    """An upload slot for this assignment's work, with its type and size limits."""
    require(by, assignment.course, Cap.SUBMIT_WORK)
    if not assignment.accepts_files:
        raise ServiceError(_("This assignment takes text only, not files."), field="name")
    return upload_slot_create(
        by=by,
        school=assignment.course.school,
        purpose=Purpose.SUBMISSION,
        name=name,
        size=size,
        content_type=content_type,
        max_size=assignment.max_file_size,
        extensions=assignment.allowed_extensions or None,
    )


def submitted_file_url(*, submission: Submission, file_id) -> str:
    """The download link of one file of an attempt; the caller checked who may see it."""
    from ..selectors.submissions import submitted_file

    attached = submitted_file(submission, file_id)
    return download_url(file=attached.file, as_name=attached.name)
