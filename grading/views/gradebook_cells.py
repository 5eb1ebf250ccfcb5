"""The gradebook page's cells as HTML, written in Python.

The template loop cost about 90 µs a cell: two seconds for 500 students × 40 items. The same
markup written here costs a few microseconds a cell. Every text goes through `escape`.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _


def _classes(cell) -> str:
    return (
        ("missing " if cell.missing else "")
        + ("late " if cell.late else "")
        + ("dropped" if cell.dropped else "")
    )


def cells_html(book, *, editable: bool) -> None:
    """Set `row.cells_html` on every row: its cells, inputs when the reader may grade."""
    draft = f'<span class="small muted" title="{escape(_("draft: not released"))}">•</span>'
    titles = {column.id: escape(column.title) for column in book.columns}
    texts: dict[str, str] = {}
    for r, row in enumerate(book.rows):
        name = escape(row.full_name)
        parts = []
        for c, cell in enumerate(row.cells):
            text = texts.get(cell.text)
            if text is None:
                text = texts[cell.text] = escape(cell.text)
            if editable:
                body = (
                    f'<input aria-label="{name} · {titles[cell.assignment_id]}" value="{text}" '
                    f'inputmode="decimal" data-grid="{r},{c}">'
                )
            else:
                body = f"<span>{text or '—'}</span>"
            parts.append(
                f'<td class="{_classes(cell)}" data-assignment="{cell.assignment_id}" '
                f'data-version="{cell.version}">{body}'
                f"{draft if cell.grade_id and not cell.released else ''}</td>"
            )
        row.cells_html = mark_safe("".join(parts))  # every part escaped above
