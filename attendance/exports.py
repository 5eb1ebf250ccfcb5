"""Every report as tables, rendered as CSV (one table per file) or XLSX (one sheet per table).

Cells are plain values: numbers stay numbers (a rate is a fraction with a percent format in
XLSX, a percent number in CSV), dates are local. Text that a spreadsheet would run as a formula
(= + - @, tab, CR) gets a leading apostrophe, and control characters that XLSX cannot store are
dropped, so a name typed as "=HYPERLINK(...)" or containing "\\x01" is data, never a formula or
a 500.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import MarkStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
SEPARATORS = ("comma", "semicolon")
PERCENT, DECIMAL, DATETIME, TEXT = "0%", "0.0", "yyyy-mm-dd hh:mm", None
# openpyxl's ILLEGAL_CHARACTERS_RE: what an XLSX cell cannot hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LABELS = dict(MarkStatus.choices)


@dataclass
class Table:
    name: str
    headers: list[str]
    formats: list  # one per column: PERCENT, DECIMAL, DATETIME or TEXT
    rows: list[list] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)


def safe_text(value: str) -> str:
    value = _CONTROL.sub("", value)
    if value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _clean(value):
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    return value


def _label(status: str | None) -> str:
    return str(LABELS.get(status, status or "")) if status else ""


def lesson_tables(session, rows) -> list[Table]:
    table = Table(
        _("Lesson"),
        [
            _("Student"),
            _("E-mail"),
            _("Mark"),
            _("Computed mark"),
            _("Minutes in the room"),
            _("Share of the lesson"),
            _("First joined"),
            _("Last left"),
            _("Checks asked"),
            _("Checks answered"),
            _("Flags"),
            _("Evidence"),
            _("Override reason"),
        ],
        [
            TEXT,
            TEXT,
            TEXT,
            TEXT,
            DECIMAL,
            PERCENT,
            DATETIME,
            DATETIME,
            TEXT,
            TEXT,
            TEXT,
            TEXT,
            TEXT,
        ],
    )
    for row in rows:
        mark = row.mark
        if mark is None:
            table.rows.append([row.user.full_name, row.user.email] + [None] * 11)
            continue
        table.rows.append(
            [
                row.user.full_name,
                row.user.email,
                _label(mark.status),
                _label(mark.computed_status),
                round(mark.attended_seconds / 60, 1),
                round(mark.share, 4),
                mark.first_join_at,
                mark.last_leave_at,
                mark.checks_asked,
                mark.checks_answered,
                "; ".join(mark.flag_labels()),
                mark.evidence_source,
                mark.override_reason,
            ]
        )
    return [table]


def history_tables(history) -> list[Table]:
    table = Table(
        _("Attendance"),
        [_("Course"), _("Lesson"), _("Starts at"), _("Mark"), _("Share of the lesson")],
        [TEXT, TEXT, DATETIME, TEXT, PERCENT],
    )
    for mark in history["marks"]:
        table.rows.append(
            [
                mark.course.code,
                mark.session.display_title,
                mark.session.starts_at,
                _label(mark.status),
                round(mark.share, 4),
            ]
        )
    return [table]


def matrix_tables(matrix) -> list[Table]:
    sessions = matrix["sessions"]
    marks = Table(
        _("Marks"),
        [_("Student"), _("E-mail")]
        + [timezone.localtime(s["starts_at"]).strftime("%Y-%m-%d %H:%M") for s in sessions]
        + [_("Attendance rate")],
        [TEXT, TEXT] + [TEXT] * len(sessions) + [PERCENT],
    )
    for row in matrix["rows"]:
        marks.rows.append(
            [row["user"].full_name, row["user"].email]
            + [_label(c.status) if c else "" for c in row["marks"]]
            + [row["rate"]]
        )
    lessons = Table(
        pgettext("live lessons", "Lessons"),
        [_("Lesson"), _("Attendance rate")],
        [DATETIME, PERCENT],
        [[s["starts_at"], rate] for s, rate in zip(sessions, matrix["session_rates"], strict=True)],
    )
    return [marks, lessons]


def school_tables(report) -> list[Table]:
    courses = Table(
        _("Courses"),
        [_("Course code"), _("Course"), _("Marks counted"), _("Attendance rate")],
        [TEXT, TEXT, TEXT, PERCENT],
        [
            [r["course"]["code"], r["course"]["title"], r["counted"], r["rate"]]
            for r in report["courses"]
        ],
    )
    weeks = Table(
        _("Weeks"),
        [_("Week of"), _("Marks counted"), _("Attendance rate")],
        [TEXT, TEXT, PERCENT],
        [[r["week"].date(), r["counted"], r["rate"]] for r in report["weeks"]],
    )
    under = Table(
        _("Under the threshold"),
        [_("Student"), _("E-mail"), _("Marks counted"), _("Attendance rate")],
        [TEXT, TEXT, TEXT, PERCENT],
        [[r["name"], r["email"], r["counted"], r["rate"]] for r in report["under"]],
    )
    return [courses, weeks, under]


def _xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    used = set()
    for table in tables:
        title = safe_text(str(table.name)).lstrip("'")[:31] or "Sheet"
        for bad in "[]:*?/\\":
            title = title.replace(bad, " ")
        while title in used:
            title = title[:28] + f" {len(used)}"
        used.add(title)
        sheet = book.create_sheet(title=title)
        widths = [len(str(h)) for h in table.headers]
        cells = []
        for row in table.rows:
            for i, value in enumerate(row):
                widths[i] = max(widths[i], len(str(value)) if value is not None else 0)
        for i, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(i + 1)].width = min(60, max(8, width + 2))
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for h in table.headers:
            cell = WriteOnlyCell(sheet, value=safe_text(str(h)))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            cells = []
            for value, fmt in zip(row, table.formats, strict=True):
                cell = WriteOnlyCell(sheet, value=_clean(value))
                if fmt and isinstance(value, int | float | datetime | date):
                    cell.number_format = fmt
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value, fmt, decimal_comma: bool):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if fmt == PERCENT:
            value = round(value * 100, 1)
        text = f"{value:g}"
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, str):
        return safe_text(value)
    return value


def _csv(table: Table, separator: str | None) -> str:
    semicolon = separator == "semicolon"
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheets open UTF-8 (Vietnamese names) correctly with a BOM
    writer = csv.writer(buffer, delimiter=";" if semicolon else ",", lineterminator="\r\n")
    headers = [
        f"{h} (%)" if fmt == PERCENT else str(h)
        for h, fmt in zip(table.headers, table.formats, strict=True)
    ]
    writer.writerow([safe_text(h) for h in headers])
    for row in table.rows:
        writer.writerow(
            [_csv_value(v, f, semicolon) for v, f in zip(row, table.formats, strict=True)]
        )
    return buffer.getvalue()


def render(
    fmt: str,
    tables: list[Table],
    *,
    filename: str,
    separator: str | None = None,
    table: str | int | None = None,
) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(_xlsx(tables), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    try:
        index = int(table or 0)
    except ValueError:
        index = 0
    index = index if 0 <= index < len(tables) else 0
    suffix = f"-{index + 1}" if len(tables) > 1 and index else ""
    body = _csv(tables[index], separator)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}{suffix}.csv"'
    return response
