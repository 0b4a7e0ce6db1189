"""Case tables for the single-number rules: primary suppression, rates, rounding."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from bulletin.core.measure import Unit
from bulletin.core.settings import Disclosure
from bulletin.core.symbols import Symbol
from bulletin.disclosure import (
    PER_10000,
    PERCENT,
    Counted,
    Level,
    count_measure,
    is_primary,
    rate_hidden,
    rate_measure,
    rounds,
)
from bulletin.disclosure.rules import rate_interval, rounding_interval

T = Disclosure()  # the project's thresholds: 1 to 5, denominators of 10, base 10


@pytest.mark.parametrize(
    ("value", "suppressed"),
    [(0, False), (1, True), (2, True), (5, True), (6, False), (1000, False)],
)
def test_primary_suppression_at_0_1_5_and_6(value: int, suppressed: bool) -> None:
    assert is_primary(value, T) is suppressed
    m = count_measure(value, T, level=Level.LOCAL_AUTHORITY, counted=Counted.CHILDREN)
    if suppressed:
        assert m.symbol is Symbol.SUPPRESSED
        assert m.value is None
    else:
        assert m.symbol is None
        assert m.value == D(value)


def test_thresholds_come_from_the_settings_object() -> None:
    wider = Disclosure(suppress_min=1, suppress_max=9)
    assert is_primary(6, wider)
    assert not is_primary(10, wider)


@pytest.mark.parametrize(
    ("level", "counted", "value", "shown"),  # rounded exactly when shown != value here
    [
        # national and regional counts of children, pupils and episodes: nearest 10, half up
        (Level.NATIONAL, Counted.CHILDREN, 404_714, 404_710),
        (Level.NATIONAL, Counted.CHILDREN, 404_715, 404_720),
        (Level.REGIONAL, Counted.PUPILS, 46_155, 46_160),
        (Level.NATIONAL, Counted.EPISODES, 753_836, 753_840),
        # schools are never rounded, local authority counts never are
        (Level.NATIONAL, Counted.SCHOOLS, 21_547, 21_547),
        (Level.REGIONAL, Counted.SCHOOLS, 2_503, 2_503),
        (Level.LOCAL_AUTHORITY, Counted.CHILDREN, 3_479, 3_479),
    ],
)
def test_rounding_of_national_counts_not_school_counts(
    level: Level, counted: Counted, value: int, shown: int
) -> None:
    m = count_measure(value, T, level=level, counted=counted)
    assert m.value == D(shown)
    assert rounds(level, counted) is (shown != value)


def test_a_national_count_of_3_is_suppressed_not_rounded() -> None:
    m = count_measure(3, T, level=Level.NATIONAL, counted=Counted.CHILDREN)
    assert m.symbol is Symbol.SUPPRESSED


def test_rounding_interval_is_r_minus_5_to_r_plus_4() -> None:
    assert rounding_interval(130, 10) == (125, 134)  # 125 rounds up to 130; 135 to 140
    assert rounding_interval(0, 10) == (0, 4)  # clipped at zero
    assert rounding_interval(10, 5) == (8, 12)  # base 5: 7.5 is not a whole number


@pytest.mark.parametrize(
    ("numerator", "denominator", "numerator_suppressed", "hidden"),
    [
        (3, 40, True, True),  # suppressed numerator
        (20, 400, True, True),  # suppressed numerator (secondary), large denominator
        (7, 9, False, True),  # denominator 9: under 10
        (7, 10, False, False),  # denominator 10: shown
        (0, 10, False, False),
    ],
)
def test_rate_and_percentage_suppression(
    numerator: int, denominator: int, numerator_suppressed: bool, hidden: bool
) -> None:
    assert rate_hidden(denominator, T, numerator_suppressed=numerator_suppressed) is hidden
    pct = rate_measure(
        numerator, denominator, T, scale=PERCENT, numerator_suppressed=numerator_suppressed
    )
    rate = rate_measure(
        numerator, denominator, T, scale=PER_10000, numerator_suppressed=numerator_suppressed
    )
    assert pct.unit is Unit.SHARE
    assert rate.unit is Unit.RATE
    if hidden:
        assert pct.symbol is Symbol.SUPPRESSED
        assert rate.symbol is Symbol.SUPPRESSED
    else:
        assert pct.exact == F(numerator, denominator)  # 7/10 -> 70.0% when printed
        # 7 / 10 x 10,000 = 7000.0; 0 / 10 = 0.0
        assert rate.value == D(numerator * 1000)


def test_a_suppressed_denominator_hides_the_rate() -> None:
    assert rate_hidden(500, T, numerator_suppressed=False, denominator_suppressed=True)


def test_rate_with_zero_denominator_is_not_applicable() -> None:
    assert rate_measure(0, 0, T, scale=PERCENT, numerator_suppressed=False).symbol is (
        Symbol.NOT_APPLICABLE
    )


def test_rate_interval_worked_by_hand() -> None:
    # 3 of a public 50 is 6.0%: 5.95% x 50 = 2.975 and 6.05% x 50 = 3.025, so n = 3 only
    assert rate_interval(D("6.0"), 50, PERCENT) == (3, 3)
    # 0.3 per 10,000 of 100,000: 0.25 x 10 = 2.5 up to 0.35 x 10 = 3.5 (excluded): n = 3
    assert rate_interval(D("0.3"), 100_000, PER_10000) == (3, 3)
    # 50.0% of 3,000: 49.95% x 3000 = 1498.5 to 50.05% x 3000 = 1501.5: 1499 to 1501
    assert rate_interval(D("50.0"), 3000, PERCENT) == (1499, 1501)
