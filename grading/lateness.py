"""Lateness rules, pure: how late a submission is and what penalty that costs."""

import math
from datetime import datetime
from decimal import Decimal

UNIT_SECONDS = {"day": 86_400, "hour": 3_600}


def seconds_late(submitted_at: datetime, due_at: datetime) -> int:
    """Whole seconds after the deadline, rounded up (one microsecond late is one second)."""
    delta = (submitted_at - due_at).total_seconds()
    return max(0, math.ceil(delta))


def penalty_percent(
    late_seconds: int, *, percent_per_unit: Decimal, unit: str, cap: Decimal
) -> Decimal:
    """The penalty for `late_seconds`: each started day (or hour) costs `percent_per_unit`,
    never more than `cap` nor 100."""
    if late_seconds <= 0 or percent_per_unit <= 0:
        return Decimal(0)
    units = math.ceil(late_seconds / UNIT_SECONDS[unit])
    return min(Decimal(percent_per_unit) * units, Decimal(cap), Decimal(100)).quantize(
        Decimal("0.01")
    )
