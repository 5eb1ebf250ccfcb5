"""Reads of attendance, already narrowed to what the asker may see.

Every report runs a fixed number of queries whatever the number of students and lessons: rows
are loaded in a few bulk queries and assembled in Python.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from classrooms.models import LiveSession
from courses.models import Course, Enrollment
from courses.selectors import SCHOOL_ADMIN, course_role_for, courses_for_user
from lms.errors import NotFound
from lms.models import Membership, Role, School, User

from . import conf, permissions, services
from .models import (
    AttendanceMark,
    AttendanceRate,
    Dispute,
    MarkChange,
    MarkStatus,
    PresenceCheck,
    PresenceEvent,
    PresenceInterval,
    PresencePrompt,
)

STUDENT = Enrollment.Role.STUDENT


def _rate(counted: int, credited: float) -> float | None:
    return credited / counted if counted else None


# --- single objects ------------------------------------------------------------------------------


def mark_for(user, pk) -> tuple[AttendanceMark, str]:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    mark = (
        AttendanceMark.objects.select_related(
            "user",
            "session",
            "session__series",
            "session__course",
            "course",
            "course__school",
            "overridden_by",
        )
        .filter(pk=pk)
        .first()
    )
    return mark, permissions.mark_access(user, mark)


def mark_evidence(mark: AttendanceMark) -> dict:
    """Everything a mark rests on (a fixed number of queries)."""
    return {
        "intervals": list(
            PresenceInterval.objects.filter(session_id=mark.session_id, user_id=mark.user_id)
        ),
        "prompts": list(
            PresencePrompt.objects.filter(session_id=mark.session_id, user_id=mark.user_id)
            .select_related("check_run")
            .order_by("deadline_at")
        ),
        "changes": list(MarkChange.objects.filter(mark=mark).select_related("changed_by")),
        "disputes": list(
            Dispute.objects.filter(mark=mark).select_related("resolved_by").order_by("created_at")
        ),
    }


def dispute_for(user, pk) -> tuple[Dispute, str]:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    dispute = (
        Dispute.objects.select_related("mark", "mark__course", "mark__course__school", "student")
        .filter(pk=pk)
        .first()
    )
    if dispute is None:
        raise NotFound()
    return dispute, permissions.mark_access(user, dispute.mark)


def prompt_for(user, pk) -> PresencePrompt:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    prompt = PresencePrompt.objects.filter(pk=pk, user=user).first()
    if prompt is None:
        raise NotFound()
    return prompt


def pending_prompt(session: LiveSession, user, *, now: datetime | None = None):
    now = now or timezone.now()
    return (
        PresencePrompt.objects.filter(
            session=session, user=user, answered_at__isnull=True, deadline_at__gt=now
        )
        .order_by("-deadline_at")
        .first()
    )


def running_check(session: LiveSession, *, now: datetime | None = None):
    now = now or timezone.now()
    check = (
        PresenceCheck.objects.filter(session=session, deadline_at__gt=now)
        .annotate(
            asked=Count("prompts"),
            answered=Count("prompts", filter=Q(prompts__answered_at__isnull=False)),
        )
        .order_by("-asked_at")
        .first()
    )
    return check


# --- the live roster -----------------------------------------------------------------------------


@dataclass
class RosterRow:
    user: User
    in_now: bool = False
    since: datetime | None = None
    first_join: datetime | None = None
    seconds: int = 0
    prompts: int = 0
    answered: int = 0


def live_roster(session: LiveSession, *, now: datetime | None = None) -> dict:
    """Who is in the room now and since when, who has not come (four queries)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.heartbeat_timeout_seconds())
    students = list(
        Enrollment.objects.filter(
            course_id=session.course_id, role=STUDENT, status=Enrollment.Status.ACTIVE
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    rows = {e.user_id: RosterRow(user=e.user) for e in students}
    for interval in PresenceInterval.objects.filter(
        session=session, user_id__in=list(rows)
    ).order_by("started_at"):
        row = rows[interval.user_id]
        alive = interval.is_open and (
            interval.source != "client" or (interval.last_seen_at or interval.ended_at) >= stale
        )
        end = now if alive else interval.ended_at
        row.seconds += max(0, int((min(end, now) - interval.started_at).total_seconds()))
        row.first_join = row.first_join or interval.started_at
        if alive:
            row.in_now, row.since = True, interval.started_at
    for prompt in PresencePrompt.objects.filter(session=session).values("user_id", "answered_at"):
        row = rows.get(prompt["user_id"])
        if row:
            row.prompts += 1
            row.answered += 1 if prompt["answered_at"] else 0
    ordered = list(rows.values())
    return {
        "in_now": [r for r in ordered if r.in_now],
        "left": [r for r in ordered if not r.in_now and r.first_join],
        "not_come": [r for r in ordered if not r.first_join],
        "check": running_check(session, now=now),
        "now": now,
    }


# --- reports -------------------------------------------------------------------------------------


@dataclass
class LessonRow:
    user: User
    mark: AttendanceMark | None = None
    intervals: list = field(default_factory=list)
    open_dispute: bool = False


def lesson_report(session: LiveSession, *, user=None, role: str | None = None) -> list[LessonRow]:
    """A lesson's roster with marks and evidence. A student gets only their own row."""
    marks = AttendanceMark.objects.filter(session=session).select_related("user", "overridden_by")
    students = Enrollment.objects.filter(
        course_id=session.course_id, role=STUDENT, status=Enrollment.Status.ACTIVE
    ).select_related("user")
    intervals = PresenceInterval.objects.filter(session=session).order_by("started_at")
    disputes = Dispute.objects.filter(mark__session=session, status=Dispute.Status.OPEN)
    if not permissions.may_read_all(role):
        marks = marks.filter(user=user)
        students = students.filter(user=user)
        intervals = intervals.filter(user=user)
        disputes = disputes.filter(mark__user=user)
    rows: dict[int, LessonRow] = {}
    for mark in marks:
        rows[mark.user_id] = LessonRow(user=mark.user, mark=mark)
    for enrollment in students:
        rows.setdefault(enrollment.user_id, LessonRow(user=enrollment.user))
    for interval in intervals:
        if interval.user_id in rows:
            rows[interval.user_id].intervals.append(interval)
    disputed = set(disputes.values_list("mark__user_id", flat=True))
    for user_id in disputed:
        if user_id in rows:
            rows[user_id].open_dispute = True
    return sorted(rows.values(), key=lambda r: (r.user.full_name.casefold(), r.user.email))


def student_history(*, user: User, course: Course | None = None, viewer=None) -> dict:
    """A student's marks (one course or every course the viewer may see) and rates."""
    marks = AttendanceMark.objects.filter(user=user, is_final=True).select_related(
        "session", "session__series", "session__course", "course"
    )
    rates = AttendanceRate.objects.filter(user=user).select_related("course")
    if course is not None:
        marks = marks.filter(course=course)
        rates = rates.filter(course=course)
    elif viewer is not None and viewer.pk != user.pk:
        visible = courses_for_user(viewer).values("pk")
        marks = marks.filter(course__in=visible)
        rates = rates.filter(course__in=visible)
    marks = list(marks.order_by("-session__starts_at", "-pk"))
    counted = sum(1 for m in marks if m.status != MarkStatus.EXCUSED)
    credited = sum(
        services.rules.CREDIT.get(m.status, 0.0) for m in marks if m.status != MarkStatus.EXCUSED
    )
    return {
        "student": user,
        "marks": marks,
        "rates": list(rates.order_by("course__code")),
        "counted": counted,
        "rate": _rate(counted, credited),
    }


def course_student(course: Course, user_id) -> User:
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    user = User.objects.filter(
        Q(enrollments__course=course, enrollments__role=STUDENT)
        | Q(attendance_marks__course=course),
        pk=user_id,
    ).first()
    if user is None:
        raise NotFound()
    return user


def course_matrix(course: Course) -> dict:
    """Students x lessons with each mark, and each student's and lesson's rate (4 queries)."""
    sessions = list(
        LiveSession.objects.filter(course=course, attendance_marks__isnull=False)
        .distinct()
        .order_by("starts_at", "pk")
    )
    students = {
        e.user_id: e.user
        for e in Enrollment.objects.filter(
            course=course, role=STUDENT, status=Enrollment.Status.ACTIVE
        ).select_related("user")
    }
    cells: dict[int, dict[int, AttendanceMark]] = defaultdict(dict)
    extra_ids = set()
    for mark in AttendanceMark.objects.filter(course=course).only(
        "pk", "session_id", "user_id", "status", "override_status", "share", "is_final"
    ):
        cells[mark.user_id][mark.session_id] = mark
        if mark.user_id not in students:
            extra_ids.add(mark.user_id)
    if extra_ids:  # dropped students keep their history
        students.update({u.pk: u for u in User.objects.filter(pk__in=extra_ids)})
    session_totals = defaultdict(lambda: [0, 0.0])
    rows = []
    for user in sorted(students.values(), key=lambda u: (u.full_name.casefold(), u.email)):
        counted, credited, line = 0, 0.0, []
        for session in sessions:
            mark = cells[user.pk].get(session.pk)
            line.append(mark)
            if mark is not None and mark.is_final and mark.status != MarkStatus.EXCUSED:
                credit = services.rules.CREDIT.get(mark.status, 0.0)
                counted += 1
                credited += credit
                session_totals[session.pk][0] += 1
                session_totals[session.pk][1] += credit
        rows.append({"user": user, "marks": line, "rate": _rate(counted, credited)})
    return {
        "course": course,
        "sessions": sessions,
        "rows": rows,
        "session_rates": [_rate(*session_totals[s.pk]) for s in sessions],
    }


def school_report(
    school: School,
    *,
    now: datetime | None = None,
    weeks: int | None = None,
    threshold: int | None = None,
) -> dict:
    """Rate by course and by week, and the students under the threshold (4 queries)."""
    now = now or timezone.now()
    weeks = weeks or services.conf_chronic_weeks()
    threshold = threshold if threshold is not None else services.conf_chronic_threshold()
    since = now - timedelta(weeks=weeks)
    counted_marks = AttendanceMark.objects.filter(course__school=school, is_final=True).exclude(
        status=MarkStatus.EXCUSED
    )
    credit = services._credit_expression()
    courses = {c.pk: c for c in Course.objects.filter(school=school).order_by("code", "pk")}
    by_course = {
        row["course_id"]: row
        for row in counted_marks.values("course_id").annotate(
            counted=Count("pk"), credited=Sum(credit)
        )
    }
    course_rows = [
        {
            "course": course,
            "counted": by_course.get(pk, {}).get("counted", 0),
            "rate": _rate(
                by_course.get(pk, {}).get("counted", 0),
                float(by_course.get(pk, {}).get("credited") or 0),
            ),
        }
        for pk, course in courses.items()
    ]
    week_rows = [
        {
            "week": row["week"],
            "counted": row["counted"],
            "rate": _rate(row["counted"], float(row["credited"] or 0)),
        }
        for row in counted_marks.filter(session__starts_at__gte=now - timedelta(weeks=12))
        .annotate(week=TruncWeek("session__starts_at"))
        .values("week")
        .annotate(counted=Count("pk"), credited=Sum(credit))
        .order_by("week")
    ]
    recent = (
        counted_marks.filter(session__starts_at__gte=since)
        .values("user_id", "user__full_name", "user__email")
        .annotate(counted=Count("pk"), credited=Sum(credit))
        .order_by("user__full_name", "user_id")
    )
    under = []
    for row in recent:
        rate = _rate(row["counted"], float(row["credited"] or 0))
        if rate is not None and rate * 100 < threshold:
            under.append(
                {
                    "user_id": row["user_id"],
                    "name": row["user__full_name"],
                    "email": row["user__email"],
                    "counted": row["counted"],
                    "rate": rate,
                }
            )
    return {
        "school": school,
        "courses": course_rows,
        "weeks": week_rows,
        "under": under,
        "threshold": threshold,
        "window_weeks": weeks,
    }


def schools_administered(user) -> QuerySet[School]:
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(memberships__user=user, memberships__role=Role.ADMIN).distinct()


def school_for_admin(user, slug: str) -> School:
    school = schools_administered(user).filter(slug=slug).first()
    if school is None:
        raise NotFound()
    return school


def course_for_reader(user, pk) -> tuple[Course, str]:
    """A course whose whole attendance the user may read (staff, school admin); 404 else."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    course = Course.objects.select_related("school").filter(pk=pk).first()
    role = course_role_for(user, course) if course else None
    if not permissions.may_read_all(role):
        raise NotFound()
    return course, role


def course_for_member(user, pk) -> tuple[Course, str]:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    course = Course.objects.select_related("school").filter(pk=pk).first()
    role = course_role_for(user, course) if course else None
    if role is None:
        raise NotFound()
    return course, role


def open_disputes_for(user) -> QuerySet[Dispute]:
    """Open disputes in the courses the user may resolve (teacher) or the schools they run."""
    taught = Enrollment.objects.filter(
        user=user, role=Enrollment.Role.TEACHER, status=Enrollment.Status.ACTIVE
    ).values("course_id")
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("school_id")
    return (
        Dispute.objects.filter(status=Dispute.Status.OPEN)
        .filter(Q(mark__course_id__in=taught) | Q(mark__course__school_id__in=admin_of))
        .select_related("mark", "mark__session", "mark__course", "student")
        .order_by("created_at")
    )


def unmatched_events(user) -> QuerySet[PresenceEvent]:
    """Evidence that matched no lesson or no person. Platform staff see all of it; a school's
    administrators see what arrived for their school's lessons."""
    events = PresenceEvent.objects.exclude(unmatched="").select_related("session")
    if user.is_staff:
        return events.order_by("-received_at")
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("school_id")
    return events.filter(session__course__school_id__in=admin_of).order_by("-received_at")


def recent_marks(user, *, limit: int = 5) -> list[AttendanceMark]:
    return list(
        AttendanceMark.objects.filter(user=user, is_final=True)
        .select_related("session", "session__series", "session__course", "course")
        .order_by("-session__starts_at")[:limit]
    )


def sessions_to_review(user, *, limit: int = 5) -> list[LiveSession]:
    """Ended lessons of the courses the user teaches, with how many marks need a look."""
    taught = Enrollment.objects.filter(
        user=user, role__in=Enrollment.STAFF_ROLES, status=Enrollment.Status.ACTIVE
    ).values("course_id")
    return list(
        LiveSession.objects.filter(course_id__in=taught, attendance_marks__is_final=True)
        .annotate(
            flagged=Count(
                "attendance_marks",
                filter=Q(attendance_marks__status__in=(MarkStatus.ABSENT, MarkStatus.LEFT_EARLY))
                | ~Q(attendance_marks__flags=[]),
            ),
            disputes=Count(
                "attendance_marks__disputes",
                filter=Q(attendance_marks__disputes__status=Dispute.Status.OPEN),
            ),
        )
        .select_related("course", "series")
        .order_by("-starts_at")
        .distinct()[:limit]
    )


def role_is_admin(role) -> bool:
    return role == SCHOOL_ADMIN
