"""Validators shared by every app."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters, DEL included. Tab, line feed and carriage return are allowed
# only where `multiline=True` (descriptions); names and titles are one line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

CONTROL_MESSAGE = _(
    "Remove the invisible control characters from this text (they can come with copy and paste)."
)


def has_control_characters(value, *, multiline: bool = False) -> bool:
    pattern = _CONTROL_MULTILINE if multiline else _CONTROL
    return isinstance(value, str) and bool(pattern.search(value))


def no_control_characters(value) -> None:
    """Names and titles: refused when they hold a control character (they break exports and
    can hide text in a page)."""
    if has_control_characters(value):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def no_control_characters_multiline(value) -> None:
    if has_control_characters(value, multiline=True):
        raise ValidationError(CONTROL_MESSAGE, code="control_characters")


def clean_line(value: str | None, *, field: str) -> str:
    """A one-line text for a service: stripped, and a ServiceError naming `field` when it holds
    a control character."""
    from .errors import ServiceError

    value = (value or "").strip()
    if has_control_characters(value):
        raise ServiceError(CONTROL_MESSAGE, code="control_characters", field=field)
    return value
