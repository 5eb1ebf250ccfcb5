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

from .. import tasks
from ..lateness import penalty_percent, seconds_late
from ..models import Assignment, Extension, Submission

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


@transaction.atomic
def submission_draft_save(*, by, assignment: Assignment, text: str | None = None) -> Submission:
    """Keep the work in progress; called as the student types. Never counts as an attempt."""
    _lock_student(by, assignment)
    draft = Submission.objects.filter(
        assignment=assignment, student=by, state=Submission.State.DRAFT
    ).first()
    if draft is None:
        draft = Submission(assignment=assignment, student=by)
    if text is not None:
        draft.text = _clean_text(assignment, text)
    draft.save()
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


def submission_submit(
    *, by, assignment: Assignment, client_key: str, text: str | None = None
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
        return _submit(by=by, assignment=assignment, client_key=client_key, text=text)
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
def _submit(*, by, assignment: Assignment, client_key: str, text: str | None):
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
    if not draft.text.strip():
        raise ServiceError(_("There is nothing to hand in yet: write your answer."), field="text")

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
