"""Optional settings of the apps, looked up without lms/settings.py having to name each one.

A name is read from Django settings first, then from the environment, then the default.
"""

import os

from django.conf import settings


def setting(name: str, default: str = "") -> str:
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name, default)
    return value if value is not None else default


def setting_int(name: str, default: int) -> int:
    try:
        return int(setting(name, str(default)))
    except (TypeError, ValueError):
        return default
