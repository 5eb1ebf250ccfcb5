"""Every write about live lessons. Keyword-only, one transaction each, side effects on commit.

Callers import from here; the modules below split the work by responsibility.
"""

from .joining import INTERFACE_CONFIG_OVERWRITE, LOW_BANDWIDTH_OVERWRITE, live_session_join
from .reminders import (
    calendar_feed_get,
    calendar_feed_rotate,
    calendar_feed_touch,
    live_reminder_send,
    live_reminders_send_due,
    reminder_preference_set,
)
from .series import live_series_create, live_series_update
from .sessions import (
    join_state,
    live_session_cancel,
    live_session_create,
    live_session_end,
    live_session_move,
    live_session_start,
    live_sessions_close_overdue,
    opens_at,
)
from .validation import MAX_DURATION_MINUTES, MAX_OCCURRENCES, MAX_SERIES_DAYS, Status

__all__ = [
    "INTERFACE_CONFIG_OVERWRITE",
    "LOW_BANDWIDTH_OVERWRITE",
    "MAX_DURATION_MINUTES",
    "MAX_OCCURRENCES",
    "MAX_SERIES_DAYS",
    "Status",
    "calendar_feed_get",
    "calendar_feed_rotate",
    "calendar_feed_touch",
    "join_state",
    "live_reminder_send",
    "live_reminders_send_due",
    "live_series_create",
    "live_series_update",
    "live_session_cancel",
    "live_session_create",
    "live_session_end",
    "live_session_join",
    "live_session_move",
    "live_session_start",
    "live_sessions_close_overdue",
    "opens_at",
    "reminder_preference_set",
]
