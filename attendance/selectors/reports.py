"""Reports built from plain rows (values_list), never a model instance per mark: a course of
300 students x 35 lessons is 10,500 tuples. Rates come from `rules` only. A fixed number of
queries whatever the number of students and lessons."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncWeek
from django.utils import timezone

from classrooms.models import LiveSession
from courses.models import Course, Enrollment
from lms.memory import collector_paused
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
    is_final: bool

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


def _rows(queryset) -> list[tuple]:
    """The rows of a values_list queryset straight from the cursor. On PostgreSQL the columns
    read here need no conversion, and Django's per-row iteration costs as much as the fetch on
    10,500 marks; SQLite returns booleans as integers, so there Django converts."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Cells(dict):
    """(status, override, final) -> its one shared `Cell`, made when first met."""

    def __missing__(self, key) -> Cell:
        cell = self[key] = Cell(*key)
        return cell


class _Lines(dict):
    """user id -> their marks, one place per lesson; a line is made for a dropped student."""

    def __init__(self, users, width: int):
        super().__init__((pk, [None] * width) for pk in users)
        self.width = width

    def __missing__(self, user_id) -> list:
        line = self[user_id] = [None] * self.width
        return line


@collector_paused()
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
    width = len(sessions)
    people = {
        row[0]: Person(*row)
        for row in _rows(
            Enrollment.objects.filter(course=course, role=STUDENT, status=Enrollment.Status.ACTIVE)
            .order_by()
            .values_list("user_id", "user__full_name", "user__email")
        )
    }
    lines = _Lines(people, width)
    cells = _Cells()  # only a few distinct cells exist: each is made once and shared
    # No ORDER BY: the model's default ordering joins lessons and users to sort 10,500 rows
    # that are placed by column here anyway (that sort was most of the report's time).
    for session_id, user_id, status, override, is_final in _rows(
        AttendanceMark.objects.filter(course=course)
        .order_by()
        .values_list("session_id", "user_id", "status", "override_status", "is_final")
    ):
        lines[user_id][column[session_id]] = cells[status, override, is_final]
    missing = [u for u in lines if u not in people]
    if missing:
        people.update(
            (row[0], Person(*row))
            for row in User.objects.filter(pk__in=missing).values_list("pk", "full_name", "email")
        )
    # Rates count final marks only. Each line and each column is counted at C speed by the
    # status of its final marks (None for the others); rules sums the few counts.
    final = {
        None: None,
        **{cell: cell.status if cell.is_final else None for cell in cells.values()},
    }

    def tally(marks) -> tuple[int, float]:
        return rules.tally_counts(Counter(map(final.__getitem__, marks)))

    rows = []
    for person in sorted(people.values(), key=lambda p: name_key(p.full_name, p.email)):
        line = lines[person.pk]
        counted, credited = tally(line)
        rows.append(
            {
                "user": person,
                "marks": line,
                "counted": counted,
                "rate": rules.rate(counted, credited),
            }
        )
    columns = zip(*lines.values(), strict=True) if lines else [()] * width
    return {
        "course": course,
        "sessions": sessions,
        "rows": rows,
        "session_rates": [rules.rate(*tally(c)) for c in columns],
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
