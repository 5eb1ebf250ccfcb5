"""Who may do what in attendance: the project's one access module, under the names the
attendance services use. No role lists here; capabilities are answered by `lms.access`."""

from courses.access import SYSTEM, can, can_school, require, role_of
from lms.access import Cap, SchoolCap, role_can
from lms.errors import Forbidden

require_course = require

__all__ = [
    "SYSTEM",
    "Cap",
    "Forbidden",
    "SchoolCap",
    "can",
    "can_school",
    "require_course",
    "role_can",
    "role_of",
]
