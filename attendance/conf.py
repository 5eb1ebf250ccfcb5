"""Settings of the attendance app, read with defaults so lms/settings.py need not know them.

Each name is looked up in Django settings first, then in the environment.
"""

from lms.conf import setting as _get
from lms.conf import setting_int as _get_int


def event_sync_token() -> str:
    """The bearer token the prosody `event_sync` component sends (its api_headers)."""
    return _get("ATTENDANCE_EVENT_SYNC_TOKEN")


def jaas_webhook_secret() -> str:
    """The JaaS webhook endpoint secret, as the console shows it (with its whsec_ prefix)."""
    return _get("ATTENDANCE_JAAS_WEBHOOK_SECRET")


def jaas_tolerance_seconds() -> int:
    """A JaaS signature older (or newer) than this is refused as a replay."""
    return max(1, _get_int("ATTENDANCE_JAAS_TOLERANCE_SECONDS", 300))


def heartbeat_seconds() -> int:
    """How often the live page reports that the user is still in the room."""
    return max(5, _get_int("ATTENDANCE_HEARTBEAT_SECONDS", 30))


def heartbeat_timeout_seconds() -> int:
    """Client evidence older than this (no heartbeat) closes the user's presence."""
    return max(heartbeat_seconds() * 2, _get_int("ATTENDANCE_HEARTBEAT_TIMEOUT_SECONDS", 90))


def client_events_per_minute() -> int:
    return max(1, _get_int("ATTENDANCE_CLIENT_EVENTS_PER_MINUTE", 30))


def check_poll_seconds() -> int:
    return max(2, _get_int("ATTENDANCE_CHECK_POLL_SECONDS", 5))


def fold_delay_seconds() -> int:
    """Events for one person within this many seconds are folded together by one task."""
    return max(0, _get_int("ATTENDANCE_FOLD_DELAY_SECONDS", 2))


def sweep_after_seconds() -> int:
    """The periodic sweep folds evidence left unfolded this long (a worker died mid-task)."""
    return max(5, _get_int("ATTENDANCE_SWEEP_AFTER_SECONDS", 30))


def alert_review_hours() -> float:
    """Absence alerts wait for the teacher's register confirmation, or this long after the
    lesson's final marks (DESIGN.md: never the second a lesson ends)."""
    try:
        hours = float(_get("ATTENDANCE_ALERT_REVIEW_HOURS", "12"))
    except ValueError:
        hours = 12.0
    return min(max(0.0, hours), 24.0 * 14)


def chronic_threshold() -> int:
    """Percent: a student under it over the window is reported to the school's admins."""
    return max(1, min(100, _get_int("ATTENDANCE_CHRONIC_THRESHOLD", 80)))


def chronic_weeks() -> int:
    return max(1, _get_int("ATTENDANCE_CHRONIC_WEEKS", 4))


def chronic_min_lessons() -> int:
    """No chronic-absence alert before a student has this many counted lessons in the window."""
    return max(1, _get_int("ATTENDANCE_CHRONIC_MIN_LESSONS", 3))
