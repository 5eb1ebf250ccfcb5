"""The mark a student gets from the time they were in the room (DESIGN.md, per course)."""

from dataclasses import dataclass

from .models import MarkStatus

# What each mark is worth in the attendance rate; excused lessons are not counted at all.
CREDIT = {
    MarkStatus.PRESENT: 1.0,
    MarkStatus.LATE: 1.0,
    MarkStatus.LEFT_EARLY: 0.5,
    MarkStatus.ABSENT: 0.0,
}


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
