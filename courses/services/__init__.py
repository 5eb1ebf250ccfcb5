"""Every write about courses, enrolments, join codes and rosters.

Each function is one transaction. Every enrolment change runs the `enrollment_changed` hook (a
roster import runs `enrollments_changed` once for all its rows) so the apps above (Wagtail edit
rights, calendars, ...) follow it.

Callers import from here (the `membership_granted` hook is registered by this path); the modules
below split the work by responsibility.
"""

# Callers have long caught `services.ServiceError`; the old module carried it as an import.
from lms.errors import ServiceError

from .courses import COURSE_FIELDS, course_archive, course_create, course_update
from .enrolments import (
    enrollment_create,
    enrollment_create_by_email,
    enrollment_drop,
    membership_role_for,
    pending_enrollment_cancel,
    pending_enrollments_fulfil,
)
from .join_codes import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    JOIN_CODE_MAX_FAILURES,
    JOIN_CODE_WINDOW,
    Forbidden,
    TooManyAttempts,
    enrollment_join_by_code,
    join_code_rotate,
    join_code_update,
    normalize_join_code,
)
from .rosters import roster_import_apply, roster_import_upload

__all__ = [
    "COURSE_FIELDS",
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "JOIN_CODE_MAX_FAILURES",
    "JOIN_CODE_WINDOW",
    "Forbidden",
    "ServiceError",
    "TooManyAttempts",
    "course_archive",
    "course_create",
    "course_update",
    "enrollment_create",
    "enrollment_create_by_email",
    "enrollment_drop",
    "enrollment_join_by_code",
    "join_code_rotate",
    "join_code_update",
    "membership_role_for",
    "normalize_join_code",
    "pending_enrollment_cancel",
    "pending_enrollments_fulfil",
    "roster_import_apply",
    "roster_import_upload",
]
