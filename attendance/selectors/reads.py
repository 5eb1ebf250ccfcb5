"""Single objects, the live roster and lists of work to do, narrowed to what the asker may see."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from classrooms.models import LiveSession
from courses.access import require_school
from courses.models import Course, Enrollment
from lms.errors import NotFound
from lms.models import Membership, Role, School, User

from .. import conf, permissions
from ..access import SchoolCap, role_of
from ..models import (
    AttendanceMark,
    Dispute,
    LessonRegister,
    MarkChange,
    MarkStatus,
    PresenceCheck,
    PresenceEvent,
    PresenceInterval,
    PresencePrompt,
    Source,
)
from ..people import sort_people

STUDENT = Enrollment.Role.STUDENT


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


@dataclass
class RosterRow:
    user: User
    in_now: bool = False
    without_video: bool = False
    since: datetime | None = None
    first_join: datetime | None = None
    seconds: int = 0
    prompts: int = 0
    answered: int = 0


def live_roster(session: LiveSession, *, now: datetime | None = None) -> dict:
    """Who is in the room now and since when, who is here without video (the live page
    reports them, the video server does not), who has not come. Four queries."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.heartbeat_timeout_seconds())
    students = [
        e.user
        for e in Enrollment.objects.filter(
            course_id=session.course_id, role=STUDENT, status=Enrollment.Status.ACTIVE
        ).select_related("user")
    ]
    rows = {u.pk: RosterRow(user=u) for u in sort_people(students)}
    intervals = list(
        PresenceInterval.objects.filter(session=session, user_id__in=list(rows)).order_by(
            "started_at"
        )
    )
    server_mode = any(i.source != Source.CLIENT for i in intervals)
    client_alive: dict[int, datetime] = {}
    for interval in intervals:
        row = rows[interval.user_id]
        is_client = interval.source == Source.CLIENT
        alive = interval.is_open and (
            not is_client or (interval.last_seen_at or interval.ended_at) >= stale
        )
        if is_client and server_mode:
            # The page's own reports: shown beside the server's, never added to its time.
            if alive:
                client_alive.setdefault(interval.user_id, interval.started_at)
            continue
        end = now if alive else interval.ended_at
        row.seconds += max(0, int((min(end, now) - interval.started_at).total_seconds()))
        row.first_join = row.first_join or interval.started_at
        if alive:
            row.in_now, row.since = True, interval.started_at
    for user_id, since in client_alive.items():
        row = rows[user_id]
        if not row.in_now:
            row.without_video, row.since = True, since
            row.first_join = row.first_join or since
    for prompt in PresencePrompt.objects.filter(session=session).values("user_id", "answered_at"):
        row = rows.get(prompt["user_id"])
        if row:
            row.prompts += 1
            row.answered += 1 if prompt["answered_at"] else 0
    ordered = list(rows.values())
    return {
        "in_now": [r for r in ordered if r.in_now],
        "without_video": [r for r in ordered if r.without_video],
        "left": [r for r in ordered if not r.in_now and not r.without_video and r.first_join],
        "not_come": [r for r in ordered if not r.first_join],
        "check": running_check(session, now=now),
        "now": now,
    }


def register_of(session: LiveSession):
    return LessonRegister.objects.filter(session=session).first()


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


def schools_administered(user) -> QuerySet[School]:
    if not user.is_authenticated:
        return School.objects.none()
    return School.objects.filter(memberships__user=user, memberships__role=Role.ADMIN).distinct()


def school_for_admin(user, slug: str) -> School:
    """A school whose report the user may see: 404 for strangers, 403 for other members."""
    school = School.objects.filter(slug=str(slug)[:100]).first()
    require_school(user, school, SchoolCap.SCHOOL_REPORT)
    return school


def course_for_reader(user, pk) -> tuple[Course, str]:
    """A course whose whole attendance the user may read (staff, school admin); 404 else."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    course = Course.objects.select_related("school").filter(pk=pk).first()
    role = role_of(user, course) if course else None
    if not permissions.may_read_all(role):
        raise NotFound()
    return course, role


def course_for_member(user, pk) -> tuple[Course, str]:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    course = Course.objects.select_related("school").filter(pk=pk).first()
    role = role_of(user, course) if course else None
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


__all__ = [
    "RosterRow",
    "course_for_member",
    "course_for_reader",
    "course_student",
    "dispute_for",
    "live_roster",
    "mark_evidence",
    "mark_for",
    "open_disputes_for",
    "pending_prompt",
    "register_of",
    "prompt_for",
    "recent_marks",
    "running_check",
    "school_for_admin",
    "schools_administered",
    "sessions_to_review",
    "unmatched_events",
]
