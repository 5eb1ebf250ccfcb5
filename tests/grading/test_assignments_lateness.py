"""Lateness rules, checked as properties over many inputs."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from grading.lateness import UNIT_SECONDS, penalty_percent, seconds_late

DUE = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
percents = st.decimals(min_value=0, max_value=100, places=2)
units = st.sampled_from(["day", "hour"])
lateness = st.integers(min_value=0, max_value=400 * 86_400)


@given(st.integers(min_value=-(10**7), max_value=10**7))
def test_seconds_late_is_never_negative_and_rounds_up(microseconds):
    late = seconds_late(DUE + timedelta(microseconds=microseconds), DUE)
    assert late >= 0
    if microseconds <= 0:
        assert late == 0
    else:
        assert late - 1 < microseconds / 1e6 <= late


@given(lateness, percents, units, percents)
def test_penalty_is_capped_and_zero_when_on_time(late, percent, unit, cap):
    penalty = penalty_percent(late, percent_per_unit=percent, unit=unit, cap=cap)
    assert Decimal(0) <= penalty <= min(cap, Decimal(100))
    if late == 0:
        assert penalty == 0


@given(lateness, lateness, percents, units, percents)
def test_penalty_grows_with_lateness(a, b, percent, unit, cap):
    early, later = sorted((a, b))
    kwargs = {"percent_per_unit": percent, "unit": unit, "cap": cap}
    assert penalty_percent(early, **kwargs) <= penalty_percent(later, **kwargs)


@given(st.integers(min_value=1, max_value=30), units)
def test_each_started_unit_costs_once(n, unit):
    size = UNIT_SECONDS[unit]
    kwargs = {"percent_per_unit": Decimal(2), "unit": unit, "cap": Decimal(100)}
    assert penalty_percent(1, **kwargs) == Decimal(2)
    assert penalty_percent(n * size, **kwargs) == Decimal(2 * n)
    assert penalty_percent(n * size + 1, **kwargs) == Decimal(2 * (n + 1))
