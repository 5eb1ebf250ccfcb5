"""Gradebook exports: CSV and XLSX, with formulas neutralised and names sorted for Vietnamese.

Column headers of assignments end with "[id]", so an edited export imports back unambiguously.
"""

import csv
import io
import re

from django.utils.translation import gettext as _

from .selectors import Gradebook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_text(value) -> str:
    """Text a spreadsheet shows as typed: control characters removed, and a leading formula
    character (also after leading tab/CR tricks) made inert with an apostrophe."""
    text = CONTROL.sub("", str(value or ""))
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text.replace("\t", " ").replace("\r", " ")


def column_header(column) -> str:
    return f"{column.title} [{column.id}]"


def _header(book: Gradebook) -> list[str]:
    header = ["email", "full_name"]
    header += [safe_text(column_header(c)) for c in book.columns]
    if book.attendance_column:
        header.append("attendance_percent")
    header += ["total_percent", "total"]
    return header


def _numbers(book: Gradebook, row) -> list:
    values = []
    for cell in row.cells:
        if cell.excused:
            values.append("EX")
        else:
            values.append(cell.score)
    if book.attendance_column:
        rate = row.attendance_rate
        values.append(None if rate is None else round(rate * 100, 1))
    values += [row.total.percent, row.display]
    return values


def export_csv(book: Gradebook) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_header(book))
    for row in book.rows:
        values = [
            "" if v is None else (safe_text(v) if isinstance(v, str) else format(v, "f"))
            for v in _numbers(book, row)
        ]
        writer.writerow([safe_text(row.email), safe_text(row.full_name), *values])
    return buffer.getvalue()


def export_xlsx(book: Gradebook) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_text(book.course.code)[:31] or "gradebook"
    sheet.append(_header(book))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in book.rows:
        values = [safe_text(row.email), safe_text(row.full_name)]
        for v in _numbers(book, row):
            values.append(safe_text(v) if isinstance(v, str) else (None if v is None else float(v)))
        sheet.append(values)
        for cell in sheet[sheet.max_row][2:]:
            if isinstance(cell.value, float):
                cell.number_format = "0.0#"
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 28
    out = io.BytesIO()
    workbook.properties.title = safe_text(_("Gradebook") + " " + book.course.title)
    workbook.save(out)
    return out.getvalue()
