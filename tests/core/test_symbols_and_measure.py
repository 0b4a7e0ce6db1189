"""GSS symbols on input and the Measure value type."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from bulletin.core.measure import Measure, Unit
from bulletin.core.symbols import Symbol, parse_cell


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("c", Symbol.SUPPRESSED),
        ("x", Symbol.NOT_AVAILABLE),
        (":", Symbol.NOT_AVAILABLE),  # the older symbol for x
        ("z", Symbol.NOT_APPLICABLE),
        ("low", Symbol.LOW),
        ("k", Symbol.LOW),  # the older symbol for low
        ("u", Symbol.LOW_RELIABILITY),
        (" c ", Symbol.SUPPRESSED),
        ("404710", D("404710")),
        ("404,710", D("404710")),
        ("1,234,567.5", D("1234567.5")),
        ("341.0", D("341.0")),
        ("-0.3", D("-0.3")),
    ],
)
def test_parse_cell(text: str, expected: D | Symbol) -> None:
    got = parse_cell(text)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize("text", ["", "1,23", "12,34,567", "NaN", "inf", "abc", "<b>1</b>", "C"])
def test_parse_cell_refuses_what_is_not_a_number_or_symbol(text: str) -> None:
    with pytest.raises(ValueError, match=r"neither a number nor a GSS symbol|not a finite number"):
        parse_cell(text)


def test_measure_has_a_value_or_a_symbol() -> None:
    with pytest.raises(ValueError, match="either"):
        Measure(None, Unit.COUNT)
    with pytest.raises(ValueError, match="either"):
        Measure(D(1), Unit.COUNT, symbol=Symbol.SUPPRESSED)


def test_measure_refuses_floats_and_fractional_counts() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        Measure(0.5, Unit.SHARE)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="whole"):
        Measure(D("1.5"), Unit.COUNT)
    with pytest.raises(TypeError, match="int"):
        Measure(D(1), Unit.SHARE, numerator=1.0)  # type: ignore[arg-type]


def test_share_keeps_the_exact_fraction() -> None:
    third = Measure.share(1, 3, definition="one of three")
    assert third.exact == F(1, 3)
    assert third.value == D(1) / D(3)
    assert (third.numerator, third.denominator) == (1, 3)
    with pytest.raises(ValueError, match="positive"):
        Measure.share(1, 0)


def test_hidden_measure() -> None:
    m = Measure.hidden(Symbol.SUPPRESSED, Unit.COUNT)
    assert not m.shown
    with pytest.raises(ValueError, match="not shown"):
        _ = m.exact
    assert Measure.count(5).shown


def test_measure_is_frozen() -> None:
    m = Measure.count(3)
    with pytest.raises(AttributeError):
        m.value = D(4)  # type: ignore[misc]
