"""Marks: computed in bulk from a lesson's evidence (the folds' stored progress and what came
since), overridden by staff with a reason, confirmed in a register. Every change keeps who,
when and why (MarkChange)."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classrooms.models import LiveSession
from courses.models import Enrollment
from lms.errors import Conflict, ServiceError
from lms.models import User

from .. import rules
from ..access import SYSTEM, Cap, require_course
from ..models import (
    AttendanceMark,
    AttendanceRate,
    Flag,
    LessonRegister,
    MarkChange,
    MarkStatus,
    PresencePrompt,
)
from .folds import folds_store, lesson_context, lock_lesson
from .policy import dt, policy_for, session_is_over
from .progress import people_fold

STUDENT = Enrollment.Role.STUDENT
MARK_FIELDS = (
    "status",
    "computed_status",
    "attended_seconds",
    "scheduled_seconds",
    "share",
    "first_join_at",
    "last_leave_at",
    "checks_asked",
    "checks_answered",
    "flags",
    "evidence_source",
    "is_final",
    "computed_at",
    "updated_at",
)


def _norm_name(value: str) -> str:
    return " ".join((value or "").casefold().split())


def rates_update(*, course_id: int, user_ids) -> None:
    """Keep AttendanceRate current for these students (one aggregate, one upsert)."""
    user_ids = list(user_ids)
    if not user_ids:
        return
    totals = {
        row["user_id"]: row
        for row in AttendanceMark.objects.filter(
            course_id=course_id, user_id__in=user_ids, is_final=True
        )
        .values("user_id")
        .annotate(counted=rules.counted_expression(), credited=rules.credit_expression())
    }
    now = timezone.now()
    rows = []
    for user_id in user_ids:
        row = totals.get(user_id, {})
        counted, credited = row.get("counted", 0), float(row.get("credited") or 0)
        rows.append(
            AttendanceRate(
                course_id=course_id,
                user_id=user_id,
                lessons_counted=counted,
                credited=credited,
                rate=rules.rate(counted, credited),
                updated_at=now,
            )
        )
    AttendanceRate.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["course", "user"],
        update_fields=["lessons_counted", "credited", "rate", "updated_at"],
    )


def marks_compute(
    *,
    session: LiveSession,
    user_ids=None,
    final: bool = True,
    by=SYSTEM,
    now: datetime | None = None,
) -> list[AttendanceMark]:
    """Compute (or recompute) the marks of a lesson from its evidence, in bulk.

    One mark per active student of the course (plus anyone who already has one: a student
    dropped later keeps their marks). With `user_ids`, only those people (late evidence).
    Overrides stay; every change of the computed mark is a MarkChange row. A constant number
    of queries whatever the number of students.
    """
    now = now or timezone.now()
    require_course(by, session.course, Cap.ATTENDANCE_COMPUTE)
    with transaction.atomic():
        lock_lesson(session.pk)  # as folds do, before the lesson's row
        session = (
            LiveSession.objects.select_related("course", "course__school")
            .select_for_update(of=("self",))
            .get(pk=session.pk)
        )
        course = session.course
        policy = policy_for(course)
        thresholds = rules.Thresholds.from_policy(policy)

        students = Enrollment.objects.filter(
            course=course, role=STUDENT, status=Enrollment.Status.ACTIVE
        )
        existing_marks = AttendanceMark.objects.filter(session=session)
        if user_ids is not None:
            user_ids = list(user_ids)
            students = students.filter(user_id__in=user_ids)
            existing_marks = existing_marks.filter(user_id__in=user_ids)
        existing = {
            row[1]: row
            for row in existing_marks.values_list(
                "pk", "user_id", "computed_status", "override_status"
            )
        }
        people = {
            row[0]: row[1]
            for row in User.objects.filter(
                Q(pk__in=students.values("user_id")) | Q(pk__in=list(existing))
            ).values_list("pk", "full_name")
        }
        context = lesson_context(session, now=now, final=final)
        folds, progress, event_ids = people_fold(
            session.pk, list(people), context.rules, context.mode, context.until
        )
        window = context.window
        scheduled = window.seconds
        checks = {
            row["user_id"]: row
            for row in PresencePrompt.objects.filter(session=session, user_id__in=list(people))
            .values("user_id")
            .annotate(
                asked=Count("pk"),
                answered=Count(
                    "pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("deadline_at"))
                ),
            )
        }
        rows, changes = [], []
        for user_id, full_name in people.items():
            result = folds[user_id]
            counted = result.folded
            status = rules.status_for(
                attended_seconds=counted.attended_seconds,
                scheduled_seconds=scheduled,
                first_join=counted.first_join,
                start=window.start,
                thresholds=thresholds,
            )
            flags = []
            if result.shown.two_places:
                flags.append(Flag.TWO_PLACES)
            if result.mode == "client" and result.shown.intervals:
                flags.append(Flag.CLIENT_ONLY)
            if result.mode == "none" and result.shown.intervals:
                flags.append(Flag.NO_SERVER_EVIDENCE)
            if result.client is not None and result.client.attended_seconds > max(
                60.0, counted.attended_seconds + 60.0
            ):
                # The page reported them well beyond what the video server saw.
                flags.append(Flag.WITHOUT_VIDEO)
            if any(_norm_name(n) != _norm_name(full_name) for n in progress[user_id].names):
                flags.append(Flag.OTHER_NAME)
            asked = checks.get(user_id, {"asked": 0, "answered": 0})
            if asked["asked"] > asked["answered"]:
                flags.append(Flag.MISSED_CHECKS)
            before = existing.get(user_id)
            rows.append(
                AttendanceMark(
                    session_id=session.pk,
                    course_id=course.pk,
                    user_id=user_id,
                    status=(before[3] if before and before[3] else status),
                    computed_status=status,
                    attended_seconds=int(round(counted.attended_seconds)),
                    scheduled_seconds=int(round(scheduled)),
                    share=rules.share_of(counted.attended_seconds, scheduled),
                    first_join_at=dt(result.shown.first_join),
                    last_leave_at=dt(result.shown.last_leave),
                    checks_asked=asked["asked"],
                    checks_answered=asked["answered"],
                    flags=[str(f) for f in flags],
                    evidence_source=result.mode,
                    is_final=final,
                    computed_at=now,
                    updated_at=now,
                )
            )
            if before is None:
                changes.append((user_id, MarkChange.Action.COMPUTED, "", status))
            elif before[2] != status:
                changes.append((user_id, MarkChange.Action.RECOMPUTED, before[2], status))

        folds_store(session.pk, folds, progress, event_ids)  # late evidence continues from here
        marks = AttendanceMark.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["session", "user"],
            update_fields=list(MARK_FIELDS),
        )
        mark_ids = {m.user_id: m.pk for m in marks}
        if any(m.pk is None for m in marks):  # a backend that does not return upserted ids
            mark_ids = dict(
                AttendanceMark.objects.filter(
                    session=session, user_id__in=list(people)
                ).values_list("user_id", "pk")
            )
        MarkChange.objects.bulk_create(
            [
                MarkChange(mark_id=mark_ids[u], action=a, from_status=b, to_status=t)
                for u, a, b, t in changes
            ],
            batch_size=2000,
        )
        if final:
            rates_update(course_id=course.pk, user_ids=people.keys())
            LessonRegister.objects.get_or_create(session=session, defaults={"final_at": now})
    return marks


def session_marks_compute(*, session: LiveSession) -> list[AttendanceMark]:
    """The lesson ended (hook live_session_ended): final marks for everyone."""
    return marks_compute(session=session, final=True)


def marks_compute_due(*, now: datetime | None = None) -> int:
    """Lessons that ended without their marks (a missed hook): compute them. Idempotent."""
    now = now or timezone.now()
    due = (
        LiveSession.objects.filter(
            status=LiveSession.Status.ENDED, ends_at__gte=now - timedelta(days=2)
        )
        .exclude(attendance_marks__is_final=True)
        .filter(course__enrollments__role=STUDENT, course__enrollments__status="active")
        .select_related("course")
        .distinct()
    )
    done = 0
    for session in due[:50]:
        marks_compute(session=session, final=True, now=now)
        done += 1
    return done


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Give a reason for the change."), field="reason")
    return reason


def apply_override(*, mark, by, status, reason, action) -> AttendanceMark:
    """Inside a transaction, with `mark` locked."""
    from .alerts import absence_alert_after_change

    if status not in MarkStatus.values:
        raise ServiceError(_("Choose a mark."), field="status")
    before = mark.status
    mark.override_status = status
    mark.status = status
    mark.override_reason = reason
    mark.overridden_by = by or None
    mark.overridden_at = timezone.now()
    mark.save(
        update_fields=[
            "override_status",
            "status",
            "override_reason",
            "overridden_by",
            "overridden_at",
            "updated_at",
        ]
    )
    MarkChange.objects.create(
        mark=mark,
        action=action,
        from_status=before,
        to_status=status,
        reason=reason,
        changed_by=by or None,
    )
    rates_update(course_id=mark.course_id, user_ids=[mark.user_id])
    absence_alert_after_change(mark=mark)
    return mark


@transaction.atomic
def attendance_override(
    *, mark: AttendanceMark, by: User, status: str, reason: str
) -> AttendanceMark:
    """A teacher or the school's administrator sets a mark; the computed one is kept."""
    require_course(by, mark.course, Cap.ATTENDANCE_OVERRIDE)
    reason = _require_reason(reason)
    mark = AttendanceMark.objects.select_for_update().select_related("course").get(pk=mark.pk)
    return apply_override(
        mark=mark, by=by, status=status, reason=reason, action=MarkChange.Action.OVERRIDDEN
    )


@transaction.atomic
def register_confirm(*, session: LiveSession, by: User) -> LessonRegister:
    """The teacher has reviewed the lesson's marks: the absence alerts may go out now."""
    from .alerts import alerts_schedule

    require_course(by, session.course, Cap.ATTENDANCE_OVERRIDE)
    if not session_is_over(session, timezone.now()):
        raise Conflict(_("The lesson is not over yet."), code="not_over")
    register = LessonRegister.objects.select_for_update().filter(session=session).first()
    if register is None:
        raise Conflict(_("Compute the marks first."), code="no_marks")
    if register.confirmed_at is None:
        register.confirmed_at = timezone.now()
        register.confirmed_by = by
        register.save(update_fields=["confirmed_at", "confirmed_by"])
    alerts_schedule(session_id=session.pk)
    return register
