"""Reports built from plain rows (values_list), never a model instance per mark: a course of
300 students x 35 lessons is 10,500 tuples. Rates come from `rules` only. A fixed number of
queries whatever the number of students and lessons."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple

from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncWeek
from django.utils import timezone

from classrooms.models import LiveSession
from courses.models import Course, Enrollment
from lms.models import School, User

from .. import conf, permissions, rules
from ..models import AttendanceMark, AttendanceRate, Dispute, MarkStatus, PresenceInterval
from ..people import name_key, sort_people

STUDENT = Enrollment.Role.STUDENT
LABELS = dict(MarkStatus.choices)


class Cell(NamedTuple):
    """One mark in a matrix: shared between cells (there are only a few distinct ones)."""

    status: str
    override_status: str

    def get_status_display(self) -> str:
        return str(LABELS.get(self.status, self.status))


class Person(NamedTuple):
    pk: int
    full_name: str
    email: str


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
    for user_id in set(disputes.values_list("mark__user_id", flat=True)):
        if user_id in rows:
            rows[user_id].open_dispute = True
    return sort_people(rows.values(), name=lambda r: r.user.full_name, email=lambda r: r.user.email)


def student_history(*, user: User, course: Course | None = None, viewer=None) -> dict:
    """A student's marks (one course or every course the viewer may see) and rates."""
    from courses.selectors import courses_for_user

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
    counted, credited = rules.tally(m.status for m in marks)
    return {
        "student": user,
        "marks": marks,
        "rates": list(rates.order_by("course__code")),
        "counted": counted,
        "rate": rules.rate(counted, credited),
    }


def course_matrix(course: Course) -> dict:
    """Students x lessons with each mark, and each student's and lesson's rate (4 queries).

    `sessions` are dicts (pk, starts_at), `rows` have a `Person`, one `Cell` or None per
    lesson, and the rate; dropped students keep their history.
    """
    sessions = list(
        LiveSession.objects.filter(course=course)
        .filter(Exists(AttendanceMark.objects.filter(session=OuterRef("pk"))))
        .order_by("starts_at", "pk")
        .values("pk", "starts_at")
    )
    column = {s["pk"]: i for i, s in enumerate(sessions)}
    people = {
        row[0]: Person(*row)
        for row in Enrollment.objects.filter(
            course=course, role=STUDENT, status=Enrollment.Status.ACTIVE
        ).values_list("user_id", "user__full_name", "user__email")
    }
    cells: dict[tuple, Cell] = {}
    lines: dict[int, list] = {}
    width = len(sessions)
    # No ORDER BY: the model's default ordering joins lessons and users to sort 10,500 rows
    # that are placed by column here anyway (that sort was most of the report's time).
    marks = list(
        AttendanceMark.objects.filter(course=course)
        .order_by()
        .values_list("session_id", "user_id", "status", "override_status", "is_final")
    )
    for session_id, user_id, status, override, _is_final in marks:
        line = lines.get(user_id)
        if line is None:
            line = lines[user_id] = [None] * width
        cell = cells.get((status, override))
        if cell is None:
            cell = cells[(status, override)] = Cell(status, override)
        line[column[session_id]] = cell
    # Rates count final marks only. Counting (who, status) pairs in one C-level Counter pass,
    # then spreading the few totals, costs half of incrementing nested counters per mark.
    final = [mark for mark in marks if mark[4]]
    statuses = list(map(itemgetter(2), final))
    by_user: dict[int, Counter] = defaultdict(Counter)
    for (user_id, status), n in Counter(
        zip(map(itemgetter(1), final), statuses, strict=True)
    ).items():
        by_user[user_id][status] = n
    by_session = [Counter() for _ in sessions]
    for (session_id, status), n in Counter(
        zip(map(itemgetter(0), final), statuses, strict=True)
    ).items():
        by_session[column[session_id]][status] = n
    missing = [u for u in lines if u not in people]
    if missing:  # dropped students keep their history
        people.update(
            (row[0], Person(*row))
            for row in User.objects.filter(pk__in=missing).values_list("pk", "full_name", "email")
        )
    rows = []
    for person in sorted(people.values(), key=lambda p: name_key(p.full_name, p.email)):
        counted, credited = rules.tally_counts(by_user.get(person.pk, {}))
        rows.append(
            {
                "user": person,
                "marks": lines.get(person.pk, [None] * width),
                "counted": counted,
                "rate": rules.rate(counted, credited),
            }
        )
    return {
        "course": course,
        "sessions": sessions,
        "rows": rows,
        "session_rates": [rules.rate(*rules.tally_counts(c)) for c in by_session],
    }


def school_report(
    school: School,
    *,
    now: datetime | None = None,
    weeks: int | None = None,
    threshold: int | None = None,
) -> dict:
    """Rate by course and by week, and the students under the threshold (3 queries)."""
    now = now or timezone.now()
    weeks = weeks or conf.chronic_weeks()
    threshold = threshold if threshold is not None else conf.chronic_threshold()
    since = now - timedelta(weeks=weeks)
    final = AttendanceMark.objects.filter(course__school=school, is_final=True)
    totals = {"counted": rules.counted_expression(), "credited": rules.credit_expression()}
    by_course = {
        row["course_id"]: row for row in final.values("course_id").annotate(**totals).order_by()
    }
    course_rows = []
    for pk, code, title in (
        Course.objects.filter(school=school)
        .order_by("code", "pk")
        .values_list("pk", "code", "title")
    ):
        found = by_course.get(pk, {})
        counted = found.get("counted", 0)
        course_rows.append(
            {
                "course": {"pk": pk, "code": code, "title": title},
                "counted": counted,
                "rate": rules.rate(counted, float(found.get("credited") or 0)),
            }
        )
    week_rows = [
        {
            "week": row["week"],
            "counted": row["counted"],
            "rate": rules.rate(row["counted"], float(row["credited"] or 0)),
        }
        for row in final.filter(session__starts_at__gte=now - timedelta(weeks=12))
        .annotate(week=TruncWeek("session__starts_at"))
        .values("week")
        .annotate(**totals)
        .order_by("week")
        if row["counted"]
    ]
    under = []
    min_lessons = conf.chronic_min_lessons()
    recent = (
        final.filter(session__starts_at__gte=since)
        .values("user_id", "user__full_name", "user__email")
        .annotate(**totals)
        .order_by()
    )
    for row in recent:
        rate = rules.rate(row["counted"], float(row["credited"] or 0))
        if rate is not None and rate * 100 < threshold:
            under.append(
                {
                    "user_id": row["user_id"],
                    "name": row["user__full_name"],
                    "email": row["user__email"],
                    "counted": row["counted"],
                    "rate": rate,
                    # Alerts wait for enough lessons: say why none has gone out yet.
                    "alert_waits_for": max(0, min_lessons - row["counted"]),
                }
            )
    under.sort(key=lambda r: name_key(r["name"], r["email"]))
    return {
        "school": school,
        "courses": course_rows,
        "weeks": week_rows,
        "under": under,
        "threshold": threshold,
        "window_weeks": weeks,
        "min_lessons": min_lessons,
        "has_marks": bool(by_course),
    }


def school_glance(school: School, *, now: datetime | None = None) -> dict:
    """The administrator's dashboard: this week's attendance across the school, who is under
    the threshold (and why no alert went out yet), open disputes. A fixed number of queries."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    week_start = (local - timedelta(days=local.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    week = AttendanceMark.objects.filter(
        course__school=school, is_final=True, session__starts_at__gte=week_start
    ).aggregate(counted=rules.counted_expression(), credited=rules.credit_expression())
    report = school_report(school, now=now)
    return {
        "school": school,
        "week_start": week_start,
        "week_counted": week["counted"] or 0,
        "week_rate": rules.rate(week["counted"] or 0, float(week["credited"] or 0)),
        "under": report["under"],
        "threshold": report["threshold"],
        "window_weeks": report["window_weeks"],
        "min_lessons": report["min_lessons"],
        "open_disputes": Dispute.objects.filter(
            status=Dispute.Status.OPEN, mark__course__school=school
        ).count(),
    }


__all__ = [
    "school_glance",
    "Cell",
    "LessonRow",
    "Person",
    "course_matrix",
    "lesson_report",
    "school_report",
    "student_history",
]
