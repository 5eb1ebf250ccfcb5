"""Path converters shared by every app's URLs."""

from django.urls import register_converter
from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    """A database id: digits that fit a 64-bit integer. A longer number is no id of ours, so it
    answers 404 instead of reaching a database that cannot compare it (SQLite overflows)."""

    regex = "[0-9]{1,18}"


def register() -> None:
    register_converter(IdConverter, "id")
