"""Figures the benchmark scripts print."""


def percentile(values: list[float], p: float) -> float:
    """The `p`th percentile by nearest rank: one of the measured values, never an average."""
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
