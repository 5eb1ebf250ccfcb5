"""Gradebook arithmetic: weights, coefficients (hệ số), drop-lowest, scales and score parsing."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grading.gradebook.math import (
    CATEGORIES,
    COEFFICIENTS,
    Category,
    Item,
    Rules,
    ScoreError,
    course_total,
    display_for,
    format_score,
    late_penalty,
    letter_for,
    on_scale,
    parse_score,
    round_half_up,
)


def test_vietnamese_coefficient_average():
    # Circular 22: (Σ regular + 2·mid-term + 3·final) / (n + 5)
    items = [
        Item("oral", "tx", D(10), D("8")),
        Item("15min", "tx", D(10), D("7")),
        Item("mid", "gk", D(10), D("6.5")),
        Item("final", "ck", D(10), D("9")),
    ]
    categories = [Category("tx", D(1)), Category("gk", D(2)), Category("ck", D(3))]
    result = course_total(items, categories, Rules(weighting=COEFFICIENTS))
    expected = (D(8) + D(7) + 2 * D("6.5") + 3 * D(9)) / 7  # 55/7 = 7.857...
    assert result.fraction * 10 == expected
    assert result.ten == D("7.9")
    assert on_scale(result, "ten") == "7.9"


def test_half_up_rounding_on_ten_point_scale():
    result = course_total([Item("a", None, D(100), D("84.5"))])
    assert result.ten == D("8.5")  # 8.45 -> 8.5, not banker's 8.4
    assert round_half_up(D("8.25")) == D("8.3")


def test_category_weights_with_points():
    items = [
        Item("h1", "hw", D(10), D(10)),
        Item("h2", "hw", D(30), D(15)),  # homework 25/40
        Item("exam", "ex", D(100), D(80)),
    ]
    categories = [Category("hw", D(40)), Category("ex", D(60))]
    result = course_total(items, categories, Rules(weighting=CATEGORIES))
    assert result.fraction == (D(40) * D(25) / D(40) + D(60) * D("0.8")) / D(100)
    assert result.percent == D("73.0")


def test_excused_and_missing():
    items = [
        Item("a", None, D(10), D(8)),
        Item("b", None, D(10), None, excused=True),
        Item("c", None, D(10), None, missing=True),
        Item("d", None, D(10), None),  # not due yet: not counted
    ]
    assert course_total(items, rules=Rules(missing_counts_zero=True)).ten == D("4.0")
    assert course_total(items, rules=Rules(missing_counts_zero=False)).ten == D("8.0")
    assert course_total([Item("x", None, D(10), None)]).fraction is None
    assert on_scale(course_total([]), "ten") == ""


def test_drop_lowest_only_when_it_helps():
    items = [
        Item("q1", "quiz", D(10), D(3)),
        Item("q2", "quiz", D(10), D(9)),
        Item("final", "final", D(10), D(9)),
    ]
    categories = [Category("quiz", D(1), drop_lowest=1), Category("final", D(3))]
    result = course_total(items, categories)
    assert result.dropped == ["q1"]
    assert result.ten == D("9.0")
    # A "lowest" item above the average of a high-coefficient final is kept.
    items = [
        Item("q1", "quiz", D(10), D(9)),
        Item("q2", "quiz", D(10), D(10)),
        Item("final", "final", D(10), D(0)),
    ]
    result = course_total(items, categories)
    assert result.dropped == []


def test_attendance_column():
    items = [Item("a", None, D(10), D(6))]
    rules = Rules(attendance_weight=D(1))
    assert course_total(items, rules=rules, attendance_rate=D(1)).ten == D("8.0")
    assert course_total(items, rules=rules, attendance_rate=None).ten == D("6.0")
    assert course_total(items, rules=Rules(), attendance_rate=D(1)).ten == D("6.0")


def test_letters():
    assert letter_for(D("90")) == "A"
    assert letter_for(D("89.9")) == "B"
    assert letter_for(D("0")) == "F"
    assert on_scale(course_total([Item("a", None, D(10), D("7.5"))]), "letter") == "C"
    assert on_scale(course_total([Item("a", None, D(10), D("7.5"))]), "percent") == "75.0"


def test_late_penalty_is_capped_by_score():
    assert late_penalty(D(8), D(10), D(10)) == D("1.00")
    assert late_penalty(D("0.5"), D(10), D(50)) == D("0.5")
    assert late_penalty(D(8), D(10), D(0)) == 0
    assert late_penalty(D(8), D(10), D(250)) == D(8)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("8,5", D("8.5")),
        ("8.5", D("8.5")),
        (" 10 ", D(10)),
        ("0", D(0)),
        ("", None),
        (None, None),
        ("9,25", D("9.25")),
        (7, D(7)),
        (7.5, D("7.5")),
        ("\u00a08,5", D("8.5")),
    ],
)
def test_parse_score(text, expected):
    assert parse_score(text) == expected


@pytest.mark.parametrize("text", ["abc", "8,5,1", "1.000,5", "NaN", "inf", "8a", "--1", ",", "1e3"])
def test_parse_score_refuses(text):
    with pytest.raises(ScoreError):
        parse_score(text)


def test_format_score():
    assert format_score(D("8.5"), "vi") == "8,5"
    assert format_score(D("8.50"), "en") == "8.5"
    assert format_score(D("10.00"), "vi") == "10"
    assert format_score(D("7.125"), "vi") == "7,13"
    assert format_score(None) == ""
    assert format_score(D("8"), "vi", places=1) == "8,0"


# Property-based: the totals against a straightforward recomputation.

scores = st.decimals(min_value=0, max_value=10, places=2, allow_nan=False, allow_infinity=False)
points = st.sampled_from([D(1), D(5), D(10), D(20), D(100)])
category_keys = st.sampled_from(["tx", "gk", "ck"])


@st.composite
def gradebook(draw):
    n = draw(st.integers(min_value=0, max_value=12))
    items = []
    for i in range(n):
        p = draw(points)
        score = draw(st.none() | scores.map(lambda s, p=p: s * p / 10))
        items.append(
            Item(
                f"i{i}",
                draw(category_keys),
                p,
                score,
                excused=draw(st.booleans()) if draw(st.integers(0, 5)) == 0 else False,
                missing=draw(st.booleans()),
            )
        )
    cats = [
        Category(k, draw(st.sampled_from([D(1), D(2), D(3), D("0.5")])), draw(st.integers(0, 2)))
        for k in ("tx", "gk", "ck")
    ]
    rules = Rules(
        weighting=draw(st.sampled_from([CATEGORIES, COEFFICIENTS])),
        missing_counts_zero=draw(st.booleans()),
        attendance_weight=draw(st.sampled_from([D(0), D(1), D(2)])),
    )
    rate = draw(st.none() | st.decimals(min_value=0, max_value=1, places=3))
    return items, cats, rules, rate


def naive_total(items, cats, rules, rate):
    """The textbook formula, written without any of course_total's helpers (no dropping)."""
    weight = {c.key: c.weight for c in cats}
    used = {}
    for it in items:
        if it.excused:
            continue
        if it.score is None and not (it.missing and rules.missing_counts_zero):
            continue
        used.setdefault(it.category, []).append((it.score or D(0), it.points))
    num = den = D(0)
    for key, rows in used.items():
        if rules.weighting == CATEGORIES:
            num += weight[key] * sum(s for s, _ in rows) / sum(p for _, p in rows)
            den += weight[key]
        else:
            for s, p in rows:
                num += weight[key] * s / p
                den += weight[key]
    if rate is not None and rules.attendance_weight:
        num += rules.attendance_weight * rate
        den += rules.attendance_weight
    return None if den == 0 else num / den


@settings(max_examples=300, deadline=None)
@given(gradebook())
def test_total_matches_recomputation_and_bounds(book):
    items, cats, rules, rate = book
    plain = [Category(c.key, c.weight, 0) for c in cats]
    result = course_total(items, plain, rules, rate)
    expected = naive_total(items, cats, rules, rate)
    assert result.fraction == expected
    if result.fraction is not None:
        assert D(0) <= result.fraction <= D(1)
        assert D(0) <= result.ten <= D(10)
        assert D(0) <= result.percent <= D(100)


@settings(max_examples=300, deadline=None)
@given(gradebook())
def test_drop_lowest_never_lowers_the_total(book):
    items, cats, rules, rate = book
    plain = [Category(c.key, c.weight, 0) for c in cats]
    without = course_total(items, plain, rules, rate)
    with_drops = course_total(items, cats, rules, rate)
    if without.fraction is None:
        assert with_drops.fraction is None
        return
    assert with_drops.fraction >= without.fraction
    assert D(0) <= with_drops.fraction <= D(1)
    assert set(with_drops.dropped) <= {i.key for i in items}
    for cat in cats:
        dropped_here = [i for i in items if i.key in with_drops.dropped and i.category == cat.key]
        assert len(dropped_here) <= cat.drop_lowest


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2))
def test_parse_and_format_round_trip(value):
    for language in ("vi", "en"):
        assert parse_score(format_score(value, language)) == value


def test_vietnamese_name_order():
    from grading.gradebook.collation import name_sort_key

    names = ["Trần Văn Đức", "Nguyễn Thị Dung", "Lê An", "Phạm Ánh", "Vũ Ăn", "Hoàng Bình", "Lê Ân"]
    assert sorted(names, key=name_sort_key) == [
        "Lê An",
        "Phạm Ánh",
        "Vũ Ăn",
        "Lê Ân",
        "Hoàng Bình",
        "Nguyễn Thị Dung",
        "Trần Văn Đức",
    ]


def test_a_total_reads_with_the_decimal_comma_in_vietnamese():
    assert display_for("8.5", "vi") == "8,5"
    assert display_for("8.5", "en") == "8.5"
    assert display_for("B+", "vi") == "B+"
    assert display_for("", "vi") == ""
