"""Releasing grades to students, now or at a scheduled time, and regrade requests.

A student sees a grade (score, comment, rubric, feedback files) only once `released_at` is set.
Release notifies each student once per grade and release (the inbox key names both), in their
own language, after the transaction commits.
"""

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.errors import Conflict, NotFound, ServiceError

from .. import grade_access as access
from ..gradebook.math import ScoreError, parse_score
from ..models import Assignment, AssignmentGrading, Grade, GradeChange, RegradeRequest
from .grades import grade_save

logger = logging.getLogger(__name__)


def _releasable(grades):
    return grades.filter(released_at__isnull=True).filter(Q(score__isnull=False) | Q(excused=True))


def _release(grade_ids: list[int], by) -> int:
    now = timezone.now()
    grades = list(
        Grade.objects.select_for_update().filter(pk__in=grade_ids, released_at__isnull=True)
    )
    if not grades:
        return 0
    Grade.objects.filter(pk__in=[g.pk for g in grades]).update(released_at=now, release_at=None)
    GradeChange.objects.bulk_create(
        GradeChange(
            grade=g,
            action=GradeChange.Action.RELEASED,
            old_score=g.score,
            new_score=g.score,
            old_excused=g.excused,
            new_excused=g.excused,
            changed_by=by,
        )
        for g in grades
    )
    ids = [g.pk for g in grades]
    transaction.on_commit(lambda: notify_released(ids))
    return len(grades)


def grade_release(*, by, grade: Grade) -> Grade:
    access.require(by, grade.assignment.course, access.GRADES_RELEASE)
    if grade.released_at:
        return grade
    if grade.score is None and not grade.excused:
        raise ServiceError(_("Grade the work before releasing it."), code="not_graded")
    with transaction.atomic():
        _release([grade.pk], by)
    grade.refresh_from_db()
    return grade


def assignment_release(*, by, assignment: Assignment, at: datetime | None = None) -> dict:
    """Release every graded, unreleased grade of the assignment now; or, with a future `at`,
    schedule it (grades given before that time are released then too)."""
    access.require(by, assignment.course, access.GRADES_RELEASE)
    now = timezone.now()
    with transaction.atomic():
        options, _created = AssignmentGrading.objects.select_for_update().get_or_create(
            assignment=assignment
        )
        if at is not None and at > now:
            options.release_at = at
            options.save(update_fields=["release_at", "updated_at"])
            scheduled = Grade.objects.filter(
                assignment=assignment, released_at__isnull=True
            ).update(release_at=at)
            return {"released": 0, "scheduled": scheduled, "release_at": at}
        if options.release_at:
            options.release_at = None
            options.save(update_fields=["release_at", "updated_at"])
        graded = _releasable(Grade.objects.filter(assignment=assignment))
        ids = list(graded.values_list("pk", flat=True))
        released = _release(ids, by)
    return {"released": released, "scheduled": 0, "release_at": None}


def grades_release_due(*, now: datetime | None = None) -> int:
    """The scheduled releases whose time has come (the beat task calls this)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            _releasable(Grade.objects.filter(release_at__lte=now)).values_list("pk", flat=True)
        )
        released = _release(ids, None)
        AssignmentGrading.objects.filter(release_at__lte=now).update(release_at=None)
    return released


def notify_released(grade_ids: list[int]) -> None:
    """Tell each student, in their language, that a grade is out. Failures are logged: the
    release itself has committed and must stand."""
    from lms.notifications import notify

    grades = Grade.objects.filter(pk__in=grade_ids).select_related(
        "student", "assignment", "assignment__course"
    )
    for grade in grades:
        student = grade.student
        try:
            url = reverse("grading:my-grades", args=[grade.assignment.course_id])
        except NoReverseMatch:
            url = ""
        try:
            with translation.override(student.preferred_language or "vi"):
                notify(
                    user=student,
                    kind="grade_released",
                    key=f"grade-released:{grade.pk}:{grade.released_at:%Y%m%d%H%M%S}",
                    title=_("Grade released: %(title)s") % {"title": grade.assignment.title},
                    body=_("Your grade for “%(title)s” in %(course)s is ready to read.")
                    % {"title": grade.assignment.title, "course": grade.assignment.course.title},
                    url=url,
                )
        except Exception:
            logger.exception("release notification failed for grade %s", grade.pk)


def _parsed(score):
    try:
        return parse_score(score)
    except ScoreError:
        raise ServiceError(
            _("The score must be a number."), code="not_a_number", field="score"
        ) from None


def regrade_request_create(*, by, grade: Grade, reason: str) -> RegradeRequest:
    if grade.student_id != by.pk or grade.released_at is None:
        raise NotFound()
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(
            _("Say what you would like looked at again."), code="reason_required", field="reason"
        )
    with transaction.atomic():
        Grade.objects.select_for_update().filter(pk=grade.pk).first()
        if RegradeRequest.objects.filter(grade=grade, status=RegradeRequest.Status.OPEN).exists():
            raise Conflict(
                _("You already asked for a regrade of this work; wait for the answer."),
                code="regrade_open",
            )
        return RegradeRequest.objects.create(grade=grade, student=by, reason=reason[:5000])


def regrade_request_answer(
    *, by, request: RegradeRequest, status: str, answer: str, score=None, version=None
) -> RegradeRequest:
    """Accept (optionally with a new score, recorded as a regrade in the history) or decline."""
    grade = request.grade
    access.require(by, grade.assignment.course, access.GRADE)
    if status not in (RegradeRequest.Status.ACCEPTED, RegradeRequest.Status.DECLINED):
        raise ServiceError(_("Accept or decline the request."), field="status")
    answer = (answer or "").strip()
    if not answer:
        raise ServiceError(_("Write an answer for the student."), field="answer")
    with transaction.atomic():
        locked = RegradeRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RegradeRequest.Status.OPEN:
            raise Conflict(_("This request has already been answered."), code="answered")
        if status == RegradeRequest.Status.ACCEPTED and score not in (None, ""):
            grade_save(
                by=by,
                assignment=grade.assignment,
                student_id=grade.student_id,
                version=grade.version if version is None else version,
                score=_parsed(score),
                reason=(_("Regrade: %(answer)s") % {"answer": answer})[:480],
                action=GradeChange.Action.REGRADED,
            )
        locked.status = status
        locked.answer = answer[:5000]
        locked.answered_by = by
        locked.answered_at = timezone.now()
        locked.save()
    return locked
