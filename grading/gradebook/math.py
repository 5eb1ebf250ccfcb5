"""Gradebook arithmetic, free of models so it can be tested exhaustively.

Everything is Decimal: a total of 8.45 must round to 8.5 on the 10-point scale, which binary
floats get wrong. Two ways of weighting exist because schools use both:

- ``CATEGORIES``: each category's share of the total is its weight (Canvas-style "homework 40%,
  exams 60%"); inside a category the points add up.
- ``COEFFICIENTS``: the Vietnamese "hệ số" average, where every item counts on its own, each
  multiplied by its category's coefficient: (Σ oral + 2·Σ one-period + 3·final) / (n + 2·m + 3).

"Drop the lowest N" only ever drops an item when that raises the total, so dropping never lowers
a student's grade (a low item in a high-coefficient world can be above the average).
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

ZERO = Decimal(0)
ONE = Decimal(1)
TEN = Decimal(10)
HUNDRED = Decimal(100)

CATEGORIES = "categories"
COEFFICIENTS = "coefficients"

SCALE_TEN = "ten"
SCALE_PERCENT = "percent"
SCALE_LETTER = "letter"

# Lowest percentage for each letter, best first.
DEFAULT_LETTERS: tuple[tuple[str, Decimal], ...] = (
    ("A", Decimal(90)),
    ("B", Decimal(80)),
    ("C", Decimal(70)),
    ("D", Decimal(60)),
    ("F", ZERO),
)

ATTENDANCE = "__attendance__"


class Item(NamedTuple):
    """One gradebook cell: a student's result on one assignment.

    A named tuple rather than a dataclass: a gradebook builds one per cell (20,000 for 500
    students × 40 items), and a tuple is several times cheaper to make."""

    key: Hashable
    category: Hashable | None
    points: Decimal
    score: Decimal | None = None
    excused: bool = False
    # Past the due date (the student's own, extensions included) with nothing handed in.
    missing: bool = False


@dataclass(frozen=True)
class Category:
    key: Hashable | None
    weight: Decimal = ONE
    drop_lowest: int = 0


@dataclass(frozen=True)
class Rules:
    weighting: str = COEFFICIENTS
    missing_counts_zero: bool = True
    # Weight (or coefficient) of the attendance column; zero means no column.
    attendance_weight: Decimal = ZERO


@dataclass
class Result:
    fraction: Decimal | None  # 0..1 (more with extra credit), None when nothing counts yet
    counted: list = field(default_factory=list)  # keys of the items that count
    dropped: list = field(default_factory=list)  # keys dropped by "drop the lowest N"
    category_fractions: dict = field(default_factory=dict)

    @property
    def percent(self) -> Decimal | None:
        return None if self.fraction is None else round_half_up(self.fraction * HUNDRED, 1)

    @property
    def ten(self) -> Decimal | None:
        return None if self.fraction is None else round_half_up(self.fraction * TEN, 1)


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# Inside course_total a counted item is an entry: (fraction, points, score, key).


def _groups(items: Iterable[Item], rules: Rules) -> dict:
    """The entries of the items that take part, by category: excused items never, ungraded
    ones only as zeros when missing (and missing work counts)."""
    zeros = rules.missing_counts_zero
    groups: dict = {}
    for key, category, points, score, excused, missing in items:
        if excused or points <= 0:
            continue
        if score is None:
            if not (missing and zeros):
                continue
            score = ZERO
        entry = (score / points, points, score, key)
        entries = groups.get(category)
        if entries is None:
            groups[category] = [entry]
        else:
            entries.append(entry)
    return groups


def _weight_of(categories: dict, key) -> Category:
    return categories.get(key) or Category(key, ONE, 0)


def _contribution(entries: list, weight: Decimal, rules: Rules) -> tuple[Decimal, Decimal]:
    """(numerator, denominator) of one category."""
    if rules.weighting == CATEGORIES:
        points = sum([e[1] for e in entries], ZERO)
        return weight * sum([e[2] for e in entries], ZERO) / points, weight
    return weight * sum([e[0] for e in entries], ZERO), weight * len(entries)


def _combine(parts, rules: Rules, attendance: Decimal | None) -> Decimal | None:
    numerator = ZERO
    denominator = ZERO
    for part_numerator, part_denominator in parts:
        numerator += part_numerator
        denominator += part_denominator
    if attendance is not None and rules.attendance_weight > 0:
        numerator += rules.attendance_weight * attendance
        denominator += rules.attendance_weight
    if denominator == 0:
        return None
    return numerator / denominator


def _lowest_first(entry) -> tuple:
    return (entry[0], -entry[1], repr(entry[3]))


def course_total(
    items: Sequence[Item],
    categories: Iterable[Category] = (),
    rules: Rules = Rules(),  # noqa: B008 - frozen, never mutated
    attendance_rate: Decimal | None = None,
) -> Result:
    """The student's total as a fraction of full marks, with what counted and what was dropped.

    `attendance_rate` is 0..1 or None (no lessons counted yet: the column is left out).
    """
    by_key = {c.key: c for c in categories}
    groups = _groups(items, rules)
    for key in [k for k in groups if _weight_of(by_key, k).weight <= 0]:
        del groups[key]
    weights = {key: _weight_of(by_key, key).weight for key in groups}
    parts = {key: _contribution(entries, weights[key], rules) for key, entries in groups.items()}

    dropped = []
    # Drop only what raises the total; each drop is re-evaluated against the new total.
    for key in sorted(groups, key=repr):
        allowed = _weight_of(by_key, key).drop_lowest
        if allowed <= 0 or len(groups[key]) <= 1:
            continue
        # Sorted once: taking the lowest again and again walks this order.
        for lowest in sorted(groups[key], key=_lowest_first)[:allowed]:
            entries = groups[key]
            if len(entries) <= 1:
                break
            before = _combine(parts.values(), rules, attendance_rate)
            if before is not None and rules.weighting == COEFFICIENTS and lowest[0] > before:
                # Removing an item above the average can only lower it.
                break
            rest = [e for e in entries if e is not lowest]
            trial = {**parts, key: _contribution(rest, weights[key], rules)}
            after = _combine(trial.values(), rules, attendance_rate)
            if before is None or after is None or after < before:
                break
            groups[key] = rest
            parts = trial
            dropped.append(lowest[3])

    fraction = _combine(parts.values(), rules, attendance_rate)
    fractions = {}
    for key, entries in groups.items():
        points = sum([e[1] for e in entries], ZERO)
        fractions[key] = sum([e[2] for e in entries], ZERO) / points
    return Result(
        fraction=fraction,
        counted=[e[3] for entries in groups.values() for e in entries],
        dropped=dropped,
        category_fractions=fractions,
    )


def letter_for(percent: Decimal, letters: Sequence[tuple[str, Decimal]] = DEFAULT_LETTERS) -> str:
    for letter, lowest in letters:
        if percent >= lowest:
            return letter
    return letters[-1][0]


def on_scale(result: Result, scale: str) -> str:
    """The total as the school shows it, in the neutral (dot) notation; "" when nothing counts."""
    if result.fraction is None:
        return ""
    if scale == SCALE_PERCENT:
        return str(result.percent)
    if scale == SCALE_LETTER:
        return letter_for(result.percent)
    return str(result.ten)


def late_penalty(score: Decimal, points: Decimal, percent: Decimal) -> Decimal:
    """Points taken off a score for lateness: a percentage of the assignment's points, never more
    than the score itself (a late piece of work is not worth less than nothing)."""
    if percent <= 0 or score <= 0:
        return ZERO
    penalty = round_half_up(points * min(percent, HUNDRED) / HUNDRED, 2)
    return min(penalty, score)


class ScoreError(ValueError):
    pass


def parse_score(text: str | int | float | Decimal | None) -> Decimal | None:
    """A score typed by a person or read from a spreadsheet: "8,5", "8.5", " 10 " -> Decimal.

    Empty means no score (None). Thousands separators are not accepted: no score has them and
    "1,500" would otherwise be ambiguous.
    """
    if text is None:
        return None
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int | float) and not isinstance(text, bool):
        value = Decimal(str(text))
    else:
        cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
        if cleaned == "":
            return None
        if cleaned.count(",") + cleaned.count(".") > 1:
            raise ScoreError(text)
        cleaned = cleaned.replace(",", ".")
        if not all(c.isdigit() or c in ".-+" for c in cleaned) or not any(
            c.isdigit() for c in cleaned
        ):
            raise ScoreError(text)
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ScoreError(text) from None
    if not value.is_finite():
        raise ScoreError(text)
    return value


def format_score(value: Decimal | None, language: str = "vi", places: int | None = None) -> str:
    """A score for people: at most two decimals, no trailing zeros, decimal comma in Vietnamese."""
    if value is None:
        return ""
    value = round_half_up(Decimal(value), 2 if places is None else places)
    text = format(value, "f")
    if places is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    if (language or "").startswith("vi"):
        text = text.replace(".", ",")
    return text


def display_for(display: str, language: str = "vi") -> str:
    """A total as `on_scale` gives it, for people: the decimal comma in Vietnamese; a letter
    grade or "" unchanged."""
    if display[:1].isdigit() and (language or "").startswith("vi"):
        return display.replace(".", ",")
    return display
