"""Importing scores from a spreadsheet: a preview with a verdict per row, then an atomic apply.

The file has an `email` column and one column per assignment, named as the export names it
("Title [id]") or by the assignment's exact title. Empty cells change nothing. Applying
re-checks everything against the database of that moment and refuses the whole file while any
row has an error: a half-imported gradebook is worse than none.
"""

import csv
import io
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Course, Enrollment
from courses.roster import decode
from lms.errors import ServiceError

from .. import grade_access as access
from ..gradebook.math import ScoreError, format_score, parse_score
from ..models import Assignment, AssignmentGrading, Grade, GradeChange
from .grades import grade_save

MAX_ROWS = 5000
ID_SUFFIX = re.compile(r"\[(\d+)\]\s*$")
EXCUSED = {"ex", "excused", "miễn", "mien"}


@dataclass
class ImportRow:
    line: int
    email: str
    verdict: str = "error"  # "change", "unchanged" or "error"
    message: str = ""
    changes: list[dict] = field(default_factory=list)
    student_id: int | None = field(default=None, repr=False)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("student_id")
        return data


def _columns(header: list[str], assignments: list[Assignment]):
    by_id = {a.pk: a for a in assignments}
    by_title: dict[str, list[Assignment]] = {}
    for a in assignments:
        by_title.setdefault(a.title.strip().casefold(), []).append(a)
    email_at = None
    columns: dict[int, Assignment] = {}
    for index, raw in enumerate(header):
        name = raw.strip().strip("\ufeff").lstrip("'")
        key = name.casefold()
        if key in ("email", "e-mail", "e_mail"):
            email_at = index if email_at is None else email_at
            continue
        found = ID_SUFFIX.search(name)
        if found:
            assignment = by_id.get(int(found.group(1)))
            if assignment is None:
                raise ServiceError(
                    _("Column “%(name)s” names an assignment that is not in this course.")
                    % {"name": name[:100]},
                    code="unknown_column",
                    field="file",
                )
            columns[index] = assignment
        elif len(by_title.get(key, [])) == 1:
            columns[index] = by_title[key][0]
    if email_at is None:
        raise ServiceError(
            _("The first row must have an “email” column."), code="wrong_columns", field="file"
        )
    if not columns:
        raise ServiceError(
            _("No column matches an assignment of this course. Start from an exported file."),
            code="wrong_columns",
            field="file",
        )
    return email_at, columns


def _read(text: str):
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ("\t" if "\t" in first else ",")
    if delimiter == "," and ";" in first and first.count(";") > first.count(","):
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(reader.line_num, values) for values in reader]
    except csv.Error as exc:
        raise ServiceError(
            _("Line %(line)s cannot be read as CSV (%(error)s). Nothing was imported.")
            % {"line": reader.line_num, "error": exc},
            code="bad_csv",
            field="file",
        ) from None
    if not rows:
        raise ServiceError(_("The file is empty."), code="empty_file", field="file")
    if len(rows) > MAX_ROWS + 1:
        raise ServiceError(
            _("The file has more than %(max)s rows.") % {"max": MAX_ROWS},
            code="too_many_rows",
            field="file",
        )
    return rows[0][1], rows[1:]


def classify(course: Course, data: bytes, *, reason: str = "") -> list[ImportRow]:
    """What applying the file would change, row by row (five queries whatever its size)."""
    text = decode(data)
    header, body = _read(text)
    assignments = list(Assignment.objects.filter(course=course))
    email_at, columns = _columns(header, assignments)
    options = {
        o.assignment_id: o
        for o in AssignmentGrading.objects.filter(assignment__in=[a.pk for a in columns.values()])
    }
    students = {
        email.casefold(): uid
        for uid, email in Enrollment.objects.filter(
            course=course, role=Enrollment.Role.STUDENT, status=Enrollment.Status.ACTIVE
        ).values_list("user_id", "user__email")
    }
    grades = {
        (g.assignment_id, g.student_id): g
        for g in Grade.objects.filter(
            assignment__in=[a.pk for a in columns.values()], student_id__in=students.values()
        ).only("pk", "assignment_id", "student_id", "raw_score", "excused", "released_at")
    }
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    for line, values in body:
        if not any(v.strip() for v in values):
            continue
        email = values[email_at].strip().casefold() if email_at < len(values) else ""
        row = ImportRow(line=line, email=email)
        rows.append(row)
        if email in seen:
            row.message = _("Duplicate of line %(line)s.") % {"line": seen[email]}
            continue
        seen[email] = line
        student_id = students.get(email)
        if student_id is None:
            row.message = (
                _("“%(email)s” is not a student of this course.") % {"email": email}
                if email
                else _("The e-mail address is missing.")
            )
            continue
        row.student_id = student_id
        problems = []
        for index, assignment in columns.items():
            cell = values[index].strip() if index < len(values) else ""
            if cell == "":
                continue
            grade = grades.get((assignment.pk, student_id))
            excused = cell.casefold() in EXCUSED
            if excused:
                new_score = grade.raw_score if grade else None
            else:
                try:
                    new_score = parse_score(cell.lstrip("'"))
                except ScoreError:
                    problems.append(
                        _("“%(value)s” for %(title)s is not a number.")
                        % {"value": cell[:20], "title": assignment.title}
                    )
                    continue
                extra = options.get(assignment.pk)
                if new_score < 0 or (
                    new_score > assignment.points and not (extra and extra.extra_credit)
                ):
                    problems.append(
                        _("%(value)s for %(title)s is outside 0–%(max)s.")
                        % {
                            "value": cell[:20],
                            "title": assignment.title,
                            "max": format_score(assignment.points, "en"),
                        }
                    )
                    continue
                if new_score.as_tuple().exponent < -2:
                    problems.append(
                        _("%(value)s for %(title)s has more than two decimals.")
                        % {"value": cell[:20], "title": assignment.title}
                    )
                    continue
            old_score = grade.raw_score if grade else None
            old_excused = grade.excused if grade else False
            if new_score == old_score and excused == old_excused:
                continue
            if grade is not None and grade.released_at and not reason.strip():
                problems.append(
                    _("%(title)s is already released: give a reason for the change.")
                    % {"title": assignment.title}
                )
                continue
            row.changes.append(
                {
                    "assignment": assignment.pk,
                    "title": assignment.title,
                    "old": None if old_score is None else str(old_score),
                    "new": None if new_score is None else str(new_score),
                    "excused": excused,
                }
            )
        if problems:
            row.message = " ".join(problems)
            row.changes = []
        elif row.changes:
            row.verdict = "change"
        else:
            row.verdict = "unchanged"
    if not rows:
        raise ServiceError(_("The file lists no students."), code="empty_file", field="file")
    return rows


def summarize(rows: list[ImportRow]) -> dict:
    return {
        "rows": len(rows),
        "change": sum(r.verdict == "change" for r in rows),
        "unchanged": sum(r.verdict == "unchanged" for r in rows),
        "error": sum(r.verdict == "error" for r in rows),
        "scores": sum(len(r.changes) for r in rows),
    }


def import_preview(*, by, course: Course, data: bytes, reason: str = "") -> dict:
    access.require(by, course, access.GRADE)
    rows = classify(course, data, reason=reason)
    return {"summary": summarize(rows), "rows": [r.as_dict() for r in rows]}


def import_apply(*, by, course: Course, data: bytes, reason: str = "") -> dict:
    """Every change of the file, or none."""
    access.require(by, course, access.GRADE)
    with transaction.atomic():
        rows = classify(course, data, reason=reason)
        summary = summarize(rows)
        if summary["error"]:
            raise ServiceError(
                _("Nothing was imported: %(n)s rows have errors. Fix them and try again.")
                % {"n": summary["error"]},
                code="import_has_errors",
                field="file",
            )
        assignments = {a.pk: a for a in Assignment.objects.filter(course=course)}
        versions = dict(
            Grade.objects.select_for_update()
            .filter(assignment__course=course)
            .values_list("pk", "version")
        )
        current = {
            (a, s): (pk, versions[pk])
            for pk, a, s in Grade.objects.filter(pk__in=versions).values_list(
                "pk", "assignment_id", "student_id"
            )
        }
        for row in rows:
            for change in row.changes:
                known = current.get((change["assignment"], row.student_id))
                arguments = {"excused": change["excused"]}
                if not change["excused"]:
                    arguments["score"] = Decimal(change["new"])
                grade_save(
                    by=by,
                    assignment=assignments[change["assignment"]],
                    student_id=row.student_id,
                    version=known[1] if known else None,
                    reason=reason.strip(),
                    action=GradeChange.Action.IMPORTED,
                    **arguments,
                )
    return {"summary": summary, "rows": [r.as_dict() for r in rows]}
