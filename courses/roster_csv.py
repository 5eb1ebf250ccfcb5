"""The roster file format: decoding an upload, reading its rows, and writing the roster out.

Knows nothing of courses or accounts; `roster` decides what each row would do.
"""

import csv
import io
import unicodedata

from django.utils.translation import gettext as _

from lms.errors import ServiceError

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = ("email", "full_name", "role")
HEADER_ALIASES = {
    "email": "email",
    "e_mail": "email",
    "mail": "email",
    "full_name": "full_name",
    "fullname": "full_name",
    "name": "full_name",
    "ho_ten": "full_name",
    "họ_tên": "full_name",
    "ho_va_ten": "full_name",
    "họ_và_tên": "full_name",
    "địa_chỉ_email": "email",
    "dia_chi_email": "email",
    "thư_điện_tử": "email",
    "role": "role",
    "vai_trò": "role",
    "vai_tro": "role",
    "status": "status",
}


def decode(data: bytes) -> str:
    """The file's text, or a ServiceError that says how to save it properly."""
    if len(data) > MAX_BYTES:
        raise ServiceError(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)},
            code="file_too_large",
            field="file",
        )
    if not data.strip():
        raise ServiceError(_("The file is empty."), code="empty_file", field="file")
    if b"\x00" in data:
        raise ServiceError(
            _(
                "This is not a CSV text file. In Excel or Google Sheets, save or download it as "
                "“CSV UTF-8”."
            ),
            code="not_csv",
            field="file",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(
            _(
                "The file is not in UTF-8, so Vietnamese names would be garbled. In Excel choose "
                "Save As → “CSV UTF-8 (Comma delimited)”."
            ),
            code="bad_encoding",
            field="file",
        ) from None


def _header_key(name: str) -> str:
    name = unicodedata.normalize("NFC", name.strip().strip("\ufeff").lower())
    return "_".join(name.replace("-", "_").split())


def parse(text: str, *, max_rows: int = MAX_ROWS) -> list[tuple[int, str, str, str, str]]:
    """(line, email, full_name, role, status) for each non-blank row; a ServiceError for a bad
    file. `status` is only present in files exported from Lophoc."""
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        if ";" in first_line:
            delimiter = ";"
        elif "\t" in first_line:
            delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if header is None:
            raise ServiceError(_("The file is empty."), code="empty_file", field="file")
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            key = HEADER_ALIASES.get(_header_key(name))
            if key and key not in positions:
                positions[key] = index
        missing = [c for c in COLUMNS if c not in positions]
        if missing:
            found = ", ".join(h.strip() for h in header if h.strip())[:200] or "—"
            raise ServiceError(
                _(
                    "The first row must name the columns email, full_name and role "
                    "(or in Vietnamese: email, họ tên, vai trò). "
                    "Missing: %(missing)s. Found: %(found)s."
                )
                % {"missing": ", ".join(missing), "found": found},
                code="wrong_columns",
                field="file",
            )
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= max_rows:
                raise ServiceError(
                    _("The file has more than %(max)s people. Split it into smaller files.")
                    % {"max": max_rows},
                    code="too_many_rows",
                    field="file",
                )

            def cell(name, values=values):
                index = positions.get(name, len(values))
                return values[index].strip() if index < len(values) else ""

            # An exported cell protected from formulas comes back without its apostrophe.
            name, email = _unsafe_cell(cell("full_name")), _unsafe_cell(cell("email"))
            status = cell("status").lower()
            rows.append((reader.line_num, email, name, cell("role"), status))
    except csv.Error as exc:
        raise ServiceError(
            _("Line %(line)s cannot be read as CSV (%(error)s). Nothing was imported.")
            % {"line": reader.line_num, "error": exc},
            code="bad_csv",
            field="file",
        ) from None
    if not rows:
        raise ServiceError(
            _("The file names the columns but lists nobody."), code="empty_file", field="file"
        )
    return rows


EXPORT_COLUMNS = ("email", "full_name", "role", "status", "enrolled_at", "dropped_at")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    """Keep spreadsheets from running a cell such as “=HYPERLINK(...)” as a formula (names, and
    e-mail addresses too: “=1+2@b.example” is a valid address)."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def _unsafe_cell(value: str) -> str:
    return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_STARTS else value


def export_csv(enrollments, pending=()) -> str:
    """The roster as CSV text (the caller adds a BOM so Excel reads Vietnamese correctly).

    The first three columns are the import format, so an exported file can be imported again.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for e in enrollments:
        writer.writerow(
            [
                _safe_cell(e.user.email),
                _safe_cell(e.user.full_name),
                e.role,
                e.status,
                e.enrolled_at.isoformat(timespec="seconds"),
                e.dropped_at.isoformat(timespec="seconds") if e.dropped_at else "",
            ]
        )
    for p in pending:
        writer.writerow([_safe_cell(p.email), _safe_cell(p.full_name), p.role, "invited", "", ""])
    return buffer.getvalue()
