"""Every write of the attendance app, by responsibility:

- `evidence`: presence events in (one insert each, the fold scheduled on commit);
- `folds`: events folded into intervals (the debounced task, the whole lesson, the sweep);
- `marks`: marks in bulk, overrides, the register's confirmation;
- `checks`: presence checks and their prompts;
- `disputes`: a student contests a mark, staff answer;
- `alerts`: absence alerts after review, chronic absence;
- `policy`: a course's rules and a lesson's window.

Keyword-only, typed, one transaction each; e-mail and tasks are scheduled on commit. Services
take the acting user (`by`) and check its capability themselves.
"""

from .alerts import (
    absence_alert_send,
    alerts_send_due,
    chronic_absence_evaluate,
    school_rates,
    session_alerts_send,
)
from .checks import (
    presence_check_ask,
    presence_prompt_answer,
    random_checks_plan,
    random_checks_run_due,
    session_started,
    users_in_room,
)
from .disputes import dispute_open, dispute_resolve
from .evidence import (
    bare_room_name,
    client_event_record,
    client_fingerprint,
    event_record,
    fold_schedule,
    resolution_cache_clear,
)
from .folds import folds_sweep, presence_fold, presence_refold, progress_prune
from .marks import (
    attendance_override,
    marks_compute,
    marks_compute_due,
    rates_update,
    register_confirm,
    session_marks_compute,
)
from .policy import policy_for, policy_update, session_is_over, session_window

__all__ = [
    "absence_alert_send",
    "alerts_send_due",
    "attendance_override",
    "bare_room_name",
    "chronic_absence_evaluate",
    "client_event_record",
    "client_fingerprint",
    "dispute_open",
    "dispute_resolve",
    "event_record",
    "fold_schedule",
    "folds_sweep",
    "marks_compute",
    "marks_compute_due",
    "policy_for",
    "policy_update",
    "presence_check_ask",
    "presence_fold",
    "presence_prompt_answer",
    "presence_refold",
    "progress_prune",
    "random_checks_plan",
    "random_checks_run_due",
    "rates_update",
    "register_confirm",
    "resolution_cache_clear",
    "school_rates",
    "session_alerts_send",
    "session_is_over",
    "session_marks_compute",
    "session_started",
    "session_window",
    "users_in_room",
]
