"""Every report as a table (headers + rows), rendered as CSV or XLSX by the same code."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import MarkStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def _percent(value) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _status_label(mark) -> str:
    if mark is None:
        return ""
    return str(dict(MarkStatus.choices).get(mark.status, mark.status))


def lesson_table(session, rows) -> tuple[list, list]:
    headers = [
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
    ]
    body = []
    for row in rows:
        mark = row.mark
        body.append(
            [
                row.user.full_name,
                row.user.email,
                _status_label(mark),
                str(dict(MarkStatus.choices).get(mark.computed_status, "")) if mark else "",
                round(mark.attended_seconds / 60, 1) if mark else "",
                _percent(mark.share) if mark else "",
                _local(mark.first_join_at) if mark else "",
                _local(mark.last_leave_at) if mark else "",
                mark.checks_asked if mark else "",
                mark.checks_answered if mark else "",
                "; ".join(mark.flag_labels()) if mark else "",
                mark.evidence_source if mark else "",
                mark.override_reason if mark else "",
            ]
        )
    return headers, body


def history_table(history) -> tuple[list, list]:
    headers = [_("Course"), _("Lesson"), _("Starts at"), _("Mark"), _("Share of the lesson")]
    body = [
        [
            mark.course.code,
            mark.session.display_title,
            _local(mark.session.starts_at),
            _status_label(mark),
            _percent(mark.share),
        ]
        for mark in history["marks"]
    ]
    body.append(["", _("Attendance rate"), "", "", _percent(history["rate"])])
    return headers, body


def matrix_table(matrix) -> tuple[list, list]:
    headers = [_("Student"), _("E-mail")]
    headers += [_local(s.starts_at) for s in matrix["sessions"]]
    headers.append(_("Attendance rate"))
    body = []
    for row in matrix["rows"]:
        body.append(
            [row["user"].full_name, row["user"].email]
            + [_status_label(mark) for mark in row["marks"]]
            + [_percent(row["rate"])]
        )
    body.append(
        [_("Lesson rate"), ""] + [_percent(rate) for rate in matrix["session_rates"]] + [""]
    )
    return headers, body


def school_table(report) -> tuple[list, list]:
    headers = [_("Section"), _("Name"), _("Marks counted"), _("Attendance rate")]
    body = []
    for row in report["courses"]:
        body.append(
            [
                _("Course"),
                f"{row['course'].code} · {row['course'].title}",
                row["counted"],
                _percent(row["rate"]),
            ]
        )
    for row in report["weeks"]:
        body.append(
            [_("Week"), row["week"].strftime("%Y-%m-%d"), row["counted"], _percent(row["rate"])]
        )
    for row in report["under"]:
        body.append(
            [
                _("Under the threshold"),
                f"{row['name']} <{row['email']}>",
                row["counted"],
                _percent(row["rate"]),
            ]
        )
    return headers, body


def render(fmt: str, headers: list, rows: list, *, filename: str) -> HttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=_("Attendance")[:31])
        sheet.append([str(h) for h in headers])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheets open UTF-8 (Vietnamese names) correctly with a BOM
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(h) for h in headers])
    for row in rows:
        # A cell starting with = + - @ would run as a formula in a spreadsheet.
        writer.writerow(
            ["'" + c if isinstance(c, str) and c[:1] in ("=", "+", "-", "@") else c for c in row]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
