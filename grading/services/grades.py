"""Writing grades: score or rubric, late penalty, excused, overrides, history, versions.

Every write takes the acting user, checks GRADE in the course, locks the grade row, compares
the version the grader saw, and writes one GradeChange line when the score or the excused flag
moves. A released grade changes only with a reason, which the student will see in the history.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from courses.models import Enrollment
from lms.errors import Conflict, NotFound, ServiceError

from .. import grade_access as access
from ..gradebook.math import format_score, late_penalty
from ..models import Assignment, AssignmentGrading, Grade, GradeChange, Level, Submission

UNSET = object()


class GradeConflict(Conflict):
    """Someone saved this grade since the grader loaded it; carries what is stored now."""

    def __init__(self, current: Grade, yours: dict):
        super().__init__(
            _(
                "Someone else saved this grade while you were editing it. Compare both "
                "versions and save again to keep yours."
            ),
            code="stale_version",
            field="version",
        )
        self.current = current
        self.yours = yours


@dataclass
class RubricScore:
    selections: list[dict]
    points: Decimal
    max_points: Decimal


def grading_options(assignment: Assignment) -> AssignmentGrading:
    options = getattr(assignment, "_grading_options", None)
    if options is None:
        options = AssignmentGrading.objects.filter(assignment=assignment).first()
        options = options or AssignmentGrading(assignment=assignment)
        assignment._grading_options = options
    return options


def _check_score(value, assignment: Assignment, extra_credit: bool, field: str = "score"):
    if value is None:
        return None
    try:
        value = Decimal(value)
    except Exception:
        raise ServiceError(
            _("The score must be a number."), code="not_a_number", field=field
        ) from None
    if not value.is_finite():
        raise ServiceError(_("The score must be a number."), code="not_a_number", field=field)
    if value < 0:
        raise ServiceError(_("The score cannot be negative."), code="negative", field=field)
    if value > assignment.points and not extra_credit:
        raise ServiceError(
            _("The score cannot be more than %(max)s points (extra credit is off).")
            % {"max": format_score(assignment.points, translation.get_language() or "vi")},
            code="above_maximum",
            field=field,
        )
    if value.as_tuple().exponent < -2 or value >= Decimal("100000"):
        raise ServiceError(
            _("Use at most two decimals and fewer than 100000 points."),
            code="too_precise",
            field=field,
        )
    return value.quantize(Decimal("0.01"))


def rubric_score(rubric, assignment: Assignment, selections: list[dict]) -> RubricScore:
    """The score from the chosen levels, scaled to the assignment's points; levels that are not
    from this rubric, or two levels for one criterion, are refused."""
    criteria = list(rubric.criteria.prefetch_related("levels"))
    levels = {level.pk: (c, level) for c in criteria for level in c.levels.all()}
    chosen: dict[int, dict] = {}
    for index, selection in enumerate(selections or []):
        if not isinstance(selection, dict):
            raise ServiceError(_("Each rubric selection needs a level."), field="rubric")
        level_id = selection.get("level")
        comment = str(selection.get("comment") or "")[:2000]
        criterion_id = selection.get("criterion")
        if level_id in (None, ""):
            if criterion_id is not None and comment:
                chosen.setdefault(int(criterion_id), {"level": None, "comment": comment})
            continue
        try:
            level_id = int(level_id)
        except (TypeError, ValueError):
            level_id = None
        if level_id not in levels:
            other = Level.objects.filter(pk=level_id).exists() if level_id else False
            raise ServiceError(
                _("Rubric line %(n)s: that level belongs to another rubric.") % {"n": index + 1}
                if other
                else _("Rubric line %(n)s: unknown level.") % {"n": index + 1},
                code="level_not_in_rubric",
                field="rubric",
            )
        criterion, level = levels[level_id]
        if criterion_id not in (None, "") and str(criterion_id) != str(criterion.pk):
            raise ServiceError(
                _("Rubric line %(n)s: that level belongs to another criterion.") % {"n": index + 1},
                code="level_not_in_rubric",
                field="rubric",
            )
        if chosen.get(criterion.pk, {}).get("level"):
            raise ServiceError(
                _("Choose one level for “%(criterion)s”.") % {"criterion": criterion.title},
                code="two_levels",
                field="rubric",
            )
        chosen[criterion.pk] = {"level": level, "comment": comment}
    max_points = sum(
        (max((lv.points for lv in c.levels.all()), default=Decimal(0)) for c in criteria),
        Decimal(0),
    )
    points = Decimal(0)
    stored = []
    for criterion in criteria:
        entry = chosen.get(criterion.pk)
        if entry is None:
            continue
        level = entry["level"]
        if level is not None:
            points += level.points
        stored.append(
            {
                "criterion": criterion.pk,
                "level": level.pk if level else None,
                "points": str(level.points) if level else None,
                "comment": entry["comment"],
            }
        )
    return RubricScore(stored, points, max_points)


def _snapshot(grade: Grade) -> dict:
    return {
        "score": None if grade.score is None else str(grade.score),
        "raw_score": None if grade.raw_score is None else str(grade.raw_score),
        "excused": grade.excused,
        "comment": grade.comment,
        "rubric_selections": grade.rubric_selections,
        "version": grade.version,
    }


def _latest_submission(assignment: Assignment, student_id: int) -> Submission | None:
    return (
        Submission.objects.filter(
            assignment=assignment, student_id=student_id, state=Submission.State.SUBMITTED
        )
        .order_by("-attempt")
        .first()
    )


def _student_in_course(assignment: Assignment, student_id) -> None:
    enrolled = Enrollment.objects.filter(
        course_id=assignment.course_id,
        user_id=student_id,
        role=Enrollment.Role.STUDENT,
    ).exists()
    if not enrolled:
        raise NotFound(_("This person is not a student of the course."))


def grade_save(
    *,
    by,
    assignment: Assignment,
    student_id: int,
    version: int | None,
    score=UNSET,
    rubric_selections=UNSET,
    comment=UNSET,
    excused=UNSET,
    penalty_override=UNSET,
    penalty_override_reason: str = "",
    feedback_files=UNSET,
    reason: str = "",
    action: str | None = None,
) -> Grade:
    """Create or change one grade. Arguments left out keep their stored value.

    `version` is the version the grader saw (None for a grade they saw as new); a different
    stored version raises GradeConflict, carrying the stored grade.
    """
    access.require(by, assignment.course, access.GRADE)
    _student_in_course(assignment, student_id)
    options = grading_options(assignment)
    reason = (reason or "").strip()[:500]

    with transaction.atomic():
        grade = (
            Grade.objects.select_for_update()
            .filter(assignment=assignment, student_id=student_id)
            .first()
        )
        yours = {
            k: (str(v) if isinstance(v, Decimal) else v)
            for k, v in {
                "score": score,
                "rubric_selections": rubric_selections,
                "comment": comment,
                "excused": excused,
            }.items()
            if v is not UNSET
        }
        if grade is None:
            if version not in (None, 0):
                raise NotFound(_("This grade no longer exists."))
            grade = Grade(assignment=assignment, student_id=student_id, version=0)
            created = True
        else:
            created = False
            if version is None or int(version) != grade.version:
                raise GradeConflict(grade, yours)
        old_score, old_excused = grade.score, grade.excused
        old_released = grade.is_released

        if rubric_selections is not UNSET:
            rubric = options.rubric
            if rubric is None and rubric_selections:
                raise ServiceError(
                    _("This assignment has no rubric."), code="no_rubric", field="rubric"
                )
            if rubric is not None:
                computed = rubric_score(rubric, assignment, rubric_selections)
                grade.rubric = rubric
                grade.rubric_selections = computed.selections
                has_levels = any(s["level"] for s in computed.selections)
                if score is UNSET and has_levels and computed.max_points > 0:
                    scaled = computed.points / computed.max_points * assignment.points
                    score = scaled.quantize(Decimal("0.01"))
        if score is not UNSET:
            grade.raw_score = _check_score(score, assignment, options.extra_credit)
        if comment is not UNSET:
            grade.comment = str(comment or "")[:20000]
        if excused is not UNSET:
            grade.excused = bool(excused)
        if feedback_files is not UNSET:
            grade.feedback_files = _feedback_files(by, feedback_files)
        if penalty_override is not UNSET:
            if penalty_override in (None, ""):
                grade.penalty_override = None
                grade.penalty_override_reason = ""
            else:
                if not penalty_override_reason.strip():
                    raise ServiceError(
                        _("Say why the late penalty changes."),
                        code="reason_required",
                        field="penalty_override_reason",
                    )
                grade.penalty_override = _check_score(
                    penalty_override, assignment, True, field="penalty_override"
                )
                grade.penalty_override_reason = penalty_override_reason.strip()[:500]

        submission = _latest_submission(assignment, student_id)
        grade.submission = submission
        grade.penalty_percent = submission.penalty_percent if submission else Decimal(0)
        if grade.raw_score is None:
            grade.late_penalty = Decimal(0)
            grade.score = None
        else:
            grade.late_penalty = late_penalty(
                grade.raw_score, assignment.points, grade.penalty_percent
            )
            penalty = grade.penalty_applied
            grade.score = max(grade.raw_score - penalty, Decimal(0))

        moved = created or grade.score != old_score or grade.excused != old_excused
        if old_released and moved and not reason:
            raise ServiceError(
                _("This grade is already released: say why it changes."),
                code="reason_required",
                field="reason",
            )
        grade.version += 1
        grade.graded_by = by
        grade.graded_at = timezone.now()
        if options.release_at and not grade.released_at:
            grade.release_at = options.release_at
        try:
            with transaction.atomic():
                grade.save()
        except IntegrityError:
            # Two first saves at once: the other one won.
            current = Grade.objects.get(assignment=assignment, student_id=student_id)
            raise GradeConflict(current, yours) from None
        if moved:
            if action is None:
                if excused is not UNSET and grade.excused != old_excused:
                    action = GradeChange.Action.EXCUSED
                else:
                    action = GradeChange.Action.GRADED if created else GradeChange.Action.CHANGED
            GradeChange.objects.create(
                grade=grade,
                action=action,
                old_score=old_score,
                new_score=grade.score,
                old_excused=old_excused,
                new_excused=grade.excused,
                reason=reason or grade.penalty_override_reason,
                changed_by=by,
            )
    return grade


def _feedback_files(by, ids) -> list[int]:
    if not ids:
        return []
    if not isinstance(ids, list | tuple):
        raise ServiceError(_("Feedback files must be a list of file ids."), field="feedback_files")
    from media.services import files_for_use

    files = files_for_use(by=by, ids=list(ids), purpose="feedback")
    return [f.pk for f in files]


def grading_options_update(
    *, by, assignment: Assignment, rubric=UNSET, extra_credit=UNSET
) -> AssignmentGrading:
    access.require(by, assignment.course, access.GRADE)
    with transaction.atomic():
        options, _created = AssignmentGrading.objects.select_for_update().get_or_create(
            assignment=assignment
        )
        if rubric is not UNSET:
            if rubric is not None and rubric.course_id != assignment.course_id:
                raise NotFound(_("No such rubric in this course."))
            options.rubric = rubric
        if extra_credit is not UNSET:
            options.extra_credit = bool(extra_credit)
        options.save()
    assignment._grading_options = options
    return options
