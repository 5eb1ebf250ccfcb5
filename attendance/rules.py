"""The rules of attendance in one place: the mark a student gets from the time they were in
the room (DESIGN.md, per course), and the attendance rate computed from marks.

The rate is credited / counted over final marks; excused lessons are not counted at all. Every
report, alert and the gradebook column get it from here (in Python with `tally`/`rate`, in SQL
with `counted_expression`/`credit_expression`), so they cannot disagree.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Case, Count, FloatField, Q, Sum, Value, When

from .models import MarkStatus

# What each mark is worth in the attendance rate; excused lessons are not counted at all.
CREDIT = {
    MarkStatus.PRESENT: 1.0,
    MarkStatus.LATE: 1.0,
    MarkStatus.LEFT_EARLY: 0.5,
    MarkStatus.ABSENT: 0.0,
}
NOT_COUNTED = (MarkStatus.EXCUSED,)
# Marks that alert the student (and guardian) once the register is reviewed.
ALERT_STATUSES = (MarkStatus.ABSENT, MarkStatus.LEFT_EARLY)


def is_counted(status: str) -> bool:
    return status not in NOT_COUNTED


def credit_of(status: str) -> float:
    return CREDIT.get(status, 0.0)


def rate(counted: int, credited: float) -> float | None:
    return credited / counted if counted else None


def tally(statuses: Iterable[str | None]) -> tuple[int, float]:
    """(counted, credited) of final marks' statuses (None: no mark, not counted)."""
    return tally_counts(Counter(statuses))


def tally_counts(counts: Mapping[str | None, int]) -> tuple[int, float]:
    """The same from {status: how many}: a report counts in one pass, then asks here."""
    counted, credited = 0, 0.0
    for status, n in counts.items():
        if status is not None and is_counted(status):
            counted += n
            credited += CREDIT.get(status, 0.0) * n
    return counted, credited


def counted_expression():
    """COUNT of counted marks, for .annotate()/.aggregate() over AttendanceMark rows."""
    return Count("pk", filter=~Q(status__in=NOT_COUNTED))


def credit_expression():
    """SUM of the credit of marks (excused and unknown statuses add nothing)."""
    return Sum(
        Case(
            *[When(status=status, then=Value(value)) for status, value in CREDIT.items()],
            default=Value(0.0),
            output_field=FloatField(),
        )
    )


@dataclass(frozen=True)
class Thresholds:
    on_time_seconds: float = 600
    present_share: float = 0.75
    partial_share: float = 0.25

    @classmethod
    def from_policy(cls, policy) -> "Thresholds":
        return cls(
            on_time_seconds=policy.on_time_minutes * 60,
            present_share=policy.present_percent / 100,
            partial_share=policy.partial_percent / 100,
        )


def share_of(attended_seconds: float, scheduled_seconds: float) -> float:
    if scheduled_seconds <= 0:
        return 0.0
    return max(0.0, min(1.0, attended_seconds / scheduled_seconds))


def status_for(
    *,
    attended_seconds: float,
    scheduled_seconds: float,
    first_join: float | None,
    start: float,
    thresholds: Thresholds,
) -> str:
    """present / late / left_early / absent. Shares are compared on whole seconds so a
    threshold is met exactly at its boundary (75% of 60 minutes is 45:00, not 44:59.999)."""
    if first_join is None or attended_seconds <= 0:
        return MarkStatus.ABSENT
    attended = round(attended_seconds)
    if attended >= round(thresholds.present_share * scheduled_seconds):
        if first_join <= start + thresholds.on_time_seconds:
            return MarkStatus.PRESENT
        return MarkStatus.LATE
    if attended >= round(thresholds.partial_share * scheduled_seconds):
        return MarkStatus.LEFT_EARLY
    return MarkStatus.ABSENT
