"""The gradebook read: students × items with totals, in a fixed number of queries.

Staff see every grade (drafts marked as such); a student's view is built from released grades
only, so nothing about an unreleased grade (score, comment, its existence) reaches them.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from courses.models import Course, Enrollment
from lms.memory import collector_paused

from ..models import Assignment, Category, Extension, Grade, GradebookSettings, Submission
from . import math
from .collation import name_sort_key


@dataclass
class Column:
    id: int
    title: str
    points: Decimal
    category: str
    due_at: datetime
    released: int = 0  # how many of its grades are released (staff view)


@dataclass(slots=True)
class Cell:
    assignment_id: int
    grade_id: int | None = None
    score: Decimal | None = None
    excused: bool = False
    released: bool = False
    version: int = 0
    submitted: bool = False
    late: bool = False
    missing: bool = False
    dropped: bool = False
    # Set by pages: the score as people read it, and the column's title.
    text: str = ""
    title: str = ""


@dataclass
class Row:
    student_id: int
    full_name: str
    email: str
    cells: list[Cell]
    total: math.Result
    display: str
    attendance_rate: Decimal | None = None

    @property
    def has_missing(self) -> bool:
        return any(c.missing for c in self.cells)

    @property
    def has_late(self) -> bool:
        return any(c.late for c in self.cells)


@dataclass
class Gradebook:
    course: Course
    settings: GradebookSettings
    categories: list[Category]
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    attendance_column: bool = False


def gradebook_settings(course: Course) -> GradebookSettings:
    found = GradebookSettings.objects.filter(course=course).first()
    return found or GradebookSettings(course=course)


def _rules(settings: GradebookSettings, attendance_column: bool) -> math.Rules:
    return math.Rules(
        weighting=settings.weighting,
        missing_counts_zero=settings.missing_counts_zero,
        attendance_weight=settings.attendance_weight if attendance_column else math.ZERO,
    )


def _attendance(course: Course, enrollments) -> tuple[bool, dict]:
    """Whether the course's attendance policy asks for the column, and the stored rates."""
    from attendance.models import AttendancePolicy, AttendanceRate

    on = AttendancePolicy.objects.filter(course=course, gradebook_column=True).exists()
    if not on:
        return False, {}
    rates = {
        user_id: Decimal(str(rate))
        for user_id, rate in AttendanceRate.objects.filter(
            Exists(enrollments.filter(user_id=OuterRef("user_id"))),
            course=course,
            rate__isnull=False,
        ).values_list("user_id", "rate")
    }
    return True, rates


def _rows(queryset) -> list[tuple]:
    """The rows of a values_list queryset straight from the cursor: on PostgreSQL the columns
    here need no conversion, and Django's per-row machinery costs more than the fetch on 20,000
    cells. SQLite returns decimals as floats and booleans as integers, so there Django converts."""
    if connections[queryset.db].vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # an empty IN (): nothing to fetch
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _late_or_ungraded(course: Course, enrollments) -> dict[int, dict[int, int]]:
    """student -> assignment -> the latest-handed-in attempt's seconds late, for the cells that
    need it: late work, and work not graded yet (graded cells know their attempt from the grade,
    which keeps this read small in a graded course).

    A LEFT JOIN rather than NOT EXISTS: PostgreSQL runs the anti-join as one hash join, where the
    correlated subquery ran once per submission."""
    try:
        students_sql, students_params = (
            enrollments.values("user_id").order_by().query.sql_with_params()
        )
    except EmptyResultSet:  # no students asked for
        return {}
    sql = f"""
        SELECT s.assignment_id, s.student_id, MAX(s.seconds_late)
        FROM {Submission._meta.db_table} s
        JOIN {Assignment._meta.db_table} a ON a.id = s.assignment_id
        LEFT JOIN {Grade._meta.db_table} g
          ON g.assignment_id = s.assignment_id AND g.student_id = s.student_id
        WHERE a.course_id = %s AND a.status = %s AND s.state = %s
          AND (s.seconds_late > 0 OR g.id IS NULL)
          AND s.student_id IN ({students_sql})
        GROUP BY s.assignment_id, s.student_id
    """
    params = [course.pk, Assignment.Status.PUBLISHED, Submission.State.SUBMITTED, *students_params]
    with connections[Submission.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        found: dict[int, dict[int, int]] = {}
        for assignment_id, student_id, late in cursor.fetchall():
            found.setdefault(student_id, {})[assignment_id] = late
        return found


@collector_paused()
def course_gradebook(
    *,
    course: Course,
    category: str | None = None,
    student_ids: list[int] | None = None,
    released_only: bool = False,
    now: datetime | None = None,
) -> Gradebook:
    """Every active student of the course × every published assignment (eight queries).

    `category` narrows the columns shown, not the totals; `released_only` builds the
    view a student may see.
    """
    now = now or timezone.now()
    settings = gradebook_settings(course)
    categories = list(Category.objects.filter(course=course))
    assignments = list(
        Assignment.objects.filter(course=course, status=Assignment.Status.PUBLISHED)
        .order_by("due_at", "pk")
        .only("pk", "title", "points", "category", "due_at")
    )
    enrollments = Enrollment.objects.filter(
        course=course, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
    )
    if student_ids is not None:
        enrollments = enrollments.filter(user_id__in=student_ids)
    students = list(enrollments.values_list("user_id", "user__full_name", "user__email"))
    # Subqueries rather than IN (500 ids): binding hundreds of parameters costs more than the
    # join, and the statement stays the same size whatever the class.
    enrolled = Exists(enrollments.filter(user_id=OuterRef("student_id")))
    published = {"assignment__course": course, "assignment__status": Assignment.Status.PUBLISHED}

    grades = Grade.objects.filter(enrolled, **published).order_by()
    released = ExpressionWrapper(Q(released_at__isnull=False), output_field=BooleanField())
    grade_rows: dict[int, dict] = {}  # student -> assignment -> row
    for g in _rows(
        grades.annotate(released=released).values_list(
            "pk",
            "assignment_id",
            "student_id",
            "score",
            "excused",
            "released",
            "version",
            "submission_id",
        )
    ):
        grade_rows.setdefault(g[2], {})[g[1]] = g
    submitted = _late_or_ungraded(course, enrollments)
    extended = {
        (a, s): due
        for a, s, due in Extension.objects.filter(enrolled, **published)
        .order_by()
        .values_list("assignment_id", "student_id", "due_at")
    }
    attendance_on, rates = _attendance(course, enrollments)

    columns = [Column(a.pk, a.title, a.points, a.category, a.due_at) for a in assignments]
    shown = {c.id for c in columns if c.category == category} if category else None
    cats = [math.Category(c.name, c.weight, c.drop_lowest) for c in categories]
    rules = _rules(settings, attendance_on)
    rows, released_count = _grid(
        students, assignments, grade_rows, submitted, extended, rates, cats, rules,
        shown=shown, scale=settings.scale, released_only=released_only, now=now,
    )  # fmt: skip
    for column in columns:
        column.released = released_count.get(column.id, 0)
    rows.sort(key=lambda r: (name_sort_key(r.full_name), r.email))
    return Gradebook(
        course=course,
        settings=settings,
        categories=categories,
        columns=columns if shown is None else [c for c in columns if c.id in shown],
        rows=rows,
        attendance_column=attendance_on,
    )


def _grid(students, assignments, grade_rows, submitted, extended, rates, cats, rules, *,
          shown, scale, released_only, now):  # fmt: skip
    """The rows of the gradebook with their totals, and how many grades each column has
    released. Plain tuples and positional constructors: 20,000 cells go through this loop."""
    released_count: dict[int, int] = {}
    rows = []
    plain = [(a.pk, a.category, a.points, a.due_at) for a in assignments]
    Item = math.Item
    nothing: dict = {}
    for user_id, full_name, email in students:
        cells = []
        items = []
        graded = grade_rows.get(user_id, nothing)
        handed = submitted.get(user_id, nothing)
        for pk, category_name, points, due_at in plain:
            g = graded.get(pk)
            late_seconds = handed.get(pk)
            handed_in = late_seconds is not None
            late = bool(late_seconds)
            if g is not None and released_only and not g[5]:
                # Graded but not released: the student sees neither the grade nor a "missing".
                g, handed_in = None, True
            if g is None:
                missing = not handed_in and extended.get((pk, user_id), due_at) < now
                cell = Cell(pk, None, None, False, False, 0, handed_in, late, missing)
                items.append(Item(pk, category_name, points, None, False, missing))
            else:
                grade_id, _, _, score, excused, released, version, submission_id = g
                handed_in = handed_in or submission_id is not None
                missing = (
                    not handed_in
                    and score is None
                    and not excused
                    and extended.get((pk, user_id), due_at) < now
                )
                cell = Cell(
                    pk, grade_id, score, excused, released, version, handed_in, late, missing
                )
                items.append(Item(pk, category_name, points, score, excused, missing))
                if released:
                    released_count[pk] = released_count.get(pk, 0) + 1
            cells.append(cell)
        rate = rates.get(user_id)
        total = math.course_total(items, cats, rules, rate)
        if total.dropped:
            for cell in cells:
                cell.dropped = cell.assignment_id in total.dropped
        rows.append(
            Row(
                student_id=user_id,
                full_name=full_name,
                email=email,
                cells=cells if shown is None else [c for c in cells if c.assignment_id in shown],
                total=total,
                display=math.on_scale(total, scale),
                attendance_rate=rate,
            )
        )
    return rows, released_count


def filter_rows(book: Gradebook, *, missing: bool = False, late: bool = False) -> Gradebook:
    if missing:
        book.rows = [r for r in book.rows if r.has_missing]
    if late:
        book.rows = [r for r in book.rows if r.has_late]
    return book
