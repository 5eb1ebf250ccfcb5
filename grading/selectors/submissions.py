"""Reads about submissions: the teacher's roster of a class, a student's attempts, receipts."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from courses.models import Enrollment
from lms.collation import sorted_by_name
from lms.errors import NotFound

from ..models import Assignment, Extension, Submission, SubmissionFile

STATUSES = ("missing", "draft", "submitted", "late")
SORTS = ("name", "-name", "submitted_at", "-submitted_at", "status")


@dataclass
class RosterRow:
    student_id: int
    full_name: str
    email: str
    status: str
    attempts: int
    last_attempt_id: int | None
    last_submitted_at: datetime | None
    seconds_late: int
    penalty_percent: object
    extension_due_at: datetime | None
    extension_late_cutoff: datetime | None
    extension_reason: str


def submission_roster(
    assignment: Assignment, *, status: str | None = None, sort: str = "name", query: str = ""
) -> list[RosterRow]:
    """Every active student of the course with where they are: missing, draft, submitted or
    late (the last attempt after its due time). One query whatever the class size."""
    submitted = Submission.objects.filter(
        assignment=assignment, student=OuterRef("user_id"), state=Submission.State.SUBMITTED
    )
    last = submitted.order_by("-attempt")
    extension = Extension.objects.filter(assignment=assignment, student=OuterRef("user_id"))
    enrollments = (
        Enrollment.objects.filter(
            course_id=assignment.course_id,
            role=Enrollment.Role.STUDENT,
            status=Enrollment.Status.ACTIVE,
        )
        .annotate(
            attempts=Count(
                "user__submissions",
                filter=Q(
                    user__submissions__assignment=assignment,
                    user__submissions__state=Submission.State.SUBMITTED,
                ),
            ),
            last_attempt_id=Subquery(last.values("pk")[:1]),
            last_submitted_at=Subquery(last.values("submitted_at")[:1]),
            last_seconds_late=Subquery(last.values("seconds_late")[:1]),
            last_penalty=Subquery(last.values("penalty_percent")[:1]),
            has_draft=Exists(
                Submission.objects.filter(
                    assignment=assignment, student=OuterRef("user_id"), state="draft"
                )
            ),
            ext_due=Subquery(extension.values("due_at")[:1]),
            ext_cutoff=Subquery(extension.values("late_cutoff")[:1]),
            ext_reason=Subquery(extension.values("reason")[:1]),
        )
        .values(
            "user_id",
            "user__full_name",
            "user__email",
            "attempts",
            "last_attempt_id",
            "last_submitted_at",
            "last_seconds_late",
            "last_penalty",
            "has_draft",
            "ext_due",
            "ext_cutoff",
            "ext_reason",
        )
    )
    if query:
        enrollments = enrollments.filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )
    rows = []
    for e in enrollments:
        if e["last_attempt_id"]:
            state = "late" if e["last_seconds_late"] else "submitted"
        else:
            state = "draft" if e["has_draft"] else "missing"
        rows.append(
            RosterRow(
                student_id=e["user_id"],
                full_name=e["user__full_name"],
                email=e["user__email"],
                status=state,
                attempts=e["attempts"],
                last_attempt_id=e["last_attempt_id"],
                last_submitted_at=e["last_submitted_at"],
                seconds_late=e["last_seconds_late"] or 0,
                penalty_percent=e["last_penalty"] or 0,
                extension_due_at=e["ext_due"],
                extension_late_cutoff=e["ext_cutoff"],
                extension_reason=e["ext_reason"] or "",
            )
        )
    if status:
        rows = [r for r in rows if r.status == status]
    rows = sorted_by_name(rows)
    if sort == "-name":
        rows.reverse()
    elif sort in ("submitted_at", "-submitted_at"):
        # Those who have not handed in come last either way.
        handed = [r for r in rows if r.last_submitted_at]
        handed.sort(key=lambda r: r.last_submitted_at, reverse=sort.startswith("-"))
        rows = handed + [r for r in rows if not r.last_submitted_at]
    elif sort == "status":
        rows.sort(key=lambda r: STATUSES.index(r.status))
    return rows


def attempts_of(assignment: Assignment, student_id: int) -> QuerySet[Submission]:
    """Newest first, each with its files (two queries however many)."""
    return (
        Submission.objects.filter(
            assignment=assignment, student_id=student_id, state=Submission.State.SUBMITTED
        )
        .prefetch_related("files")
        .order_by("-attempt")
    )


def draft_of(assignment: Assignment, student) -> Submission | None:
    return (
        Submission.objects.filter(
            assignment=assignment, student=student, state=Submission.State.DRAFT
        )
        .prefetch_related("files")
        .first()
    )


def submitted_file(submission: Submission, file_id) -> SubmissionFile:
    found = submission.files.select_related("file").filter(file_id=file_id).first()
    if found is None:
        raise NotFound()
    return found


def submission_for(assignment: Assignment, pk, *, by, may_read_all: bool) -> Submission:
    """One attempt of this assignment: the student's own, or any for staff. 404 otherwise."""
    submissions = Submission.objects.select_related("student").filter(
        assignment=assignment, state=Submission.State.SUBMITTED
    )
    if not may_read_all:
        submissions = submissions.filter(student=by)
    try:
        submission = submissions.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        submission = None
    if submission is None:
        raise NotFound()
    return submission


def receipt_for(submission: Submission) -> dict:
    """What proves the hand-in: attempt id and number, the time, the lateness and each file."""
    return {
        "attempt_id": submission.pk,
        "attempt": submission.attempt,
        "assignment": submission.assignment.title,
        "assignment_id": submission.assignment_id,
        "course": str(submission.assignment.course),
        "submitted_at": submission.submitted_at,
        "due_at": submission.due_at,
        "seconds_late": submission.seconds_late,
        "penalty_percent": submission.penalty_percent,
        "text_length": len(submission.text),
        "files": [
            {
                "id": f.file_id,
                "name": f.name,
                "size": f.size,
                "sha256": f.sha256,
                "content_type": f.content_type,
            }
            for f in submission.files.all()
        ],
    }
