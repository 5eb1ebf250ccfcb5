"""The course matrix as JSON, written straight from the grid.

`MatrixSerializer` documents the shape. At 300 students × 35 lessons, building 300 row dicts
and 10,500 list items for the renderer cost as much as reading the marks. A cell is one of a
few shared `Cell`s, so each is encoded once; names, e-mails and times are written as the
encoder of DRF's renderer writes them. tests/attendance/test_matrix_json.py holds the output
equal to the serializer's.
"""

from json.encoder import encode_basestring

from rest_framework.utils.encoders import JSONEncoder

_ROW = '{"user":{"id":%d,"name":%s,"email":%s},"marks":[%s],"rate":%s}'


# DRF's renderer settings: UTF-8 as is, compact; its encoder writes datetimes as it does.
_dumps = JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


# What that encoder does with a string (names and e-mails are never null), without the call.
_text = encode_basestring


def _rate(value) -> float | None:
    return None if value is None else round(value, 4)


class _Encoded(dict):
    """Each distinct cell's JSON, made the first time it is met."""

    def __missing__(self, cell) -> str:
        text = self[cell] = "null" if cell is None else _dumps(cell.status)
        return text


def matrix_json(course_pk: int, matrix: dict) -> bytes:
    head = _dumps(
        {
            "course": course_pk,
            "sessions": [
                {"id": x["pk"], "starts_at": x["starts_at"], "rate": _rate(r)}
                for x, r in zip(matrix["sessions"], matrix["session_rates"], strict=True)
            ],
        }
    )
    encoded = _Encoded().__getitem__
    rows = [
        _ROW
        % (
            row["user"].pk,
            _text(row["user"].full_name),
            _text(row["user"].email),
            ",".join(map(encoded, row["marks"])),
            _dumps(_rate(row["rate"])),
        )
        for row in matrix["rows"]
    ]
    body = head[:-1] + ',"rows":[' + ",".join(rows) + "]}"
    # DRF's renderer escapes these two (valid JSON, but not valid JavaScript before ES2019).
    return body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()
