"""Disclosure on the way out of the findings, and the published form of a value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bulletin.core.measure import Measure, Unit
from bulletin.core.settings import Disclosure
from bulletin.core.symbols import Symbol
from bulletin.disclosure import Counted
from bulletin.findings.journeys import BASE, CIN, CLA, CPP, ENDED, sequence_label
from bulletin.findings.publish import cell, count, published_part, published_value, share

T = Disclosure()


@pytest.mark.parametrize(
    ("n", "counted", "text"),
    [
        (0, Counted.CHILDREN, "0"),
        (1, Counted.CHILDREN, "c"),
        (5, Counted.PUPILS, "c"),
        (6, Counted.PUPILS, "10"),  # rounded to the nearest 10
        (124, Counted.CHILDREN, "120"),
        (125, Counted.EPISODES, "130"),  # halves up
        (5, Counted.SCHOOLS, "c"),  # schools: suppressed too...
        (6, Counted.SCHOOLS, "6"),  # ...but never rounded
        (501, Counted.SCHOOLS, "501"),
    ],
)
def test_counts(n: int, counted: Counted, text: str) -> None:
    assert cell(count(n, T, counted, definition="d", source="s")) == text


@pytest.mark.parametrize(
    ("numerator", "denominator", "public", "text"),
    [
        (1, 8, False, "c"),  # numerator 1 to 5, and a denominator under 10
        (6, 9, False, "c"),  # a denominator under 10
        (6, 10, False, "0.600"),
        (0, 12, False, "0.000"),  # zero is shown
        (3, 100, False, "c"),
        (0, 0, False, "z"),  # not applicable
        (1, 2000, False, "c"),
        (10, 20_000, False, "0.001"),  # 0.0005: halves up
        (2, 3 * 10**6, True, "c"),
        (128, 15_800_000, True, "0.000"),
        (1_629_874, 15_800_000, True, "0.103"),
    ],
)
def test_shares(numerator: int, denominator: int, public: bool, text: str) -> None:
    m = share(numerator, denominator, T, definition="d", source="s", public_denominator=public)
    assert cell(m) == text
    assert m.unit is Unit.SHARE


def test_a_share_hidden_by_its_caller() -> None:
    assert cell(share(60, 100, T, definition="d", source="s", hidden=True)) == "c"


def test_published_parts_round_like_counts_unless_they_count_schools() -> None:
    m = share(1_629_874, 15_800_000, T, definition="d", source="s", public_denominator=True)
    assert published_part(m.numerator, m, Counted.CHILDREN, T) == 1_629_870
    assert published_part(m.denominator, m, Counted.CHILDREN, T) == 15_800_000
    schools = share(7449, 22249, T, definition="d", source="s")
    assert published_part(schools.numerator, schools, Counted.SCHOOLS, T) == 7449
    hidden = share(3, 20, T, definition="d", source="s")
    assert published_part(hidden.numerator, hidden, Counted.CHILDREN, T) is None


def test_published_values_of_other_units() -> None:
    assert published_value(Measure(Decimal("60.5"), Unit.DAYS)) == "60.5"
    assert published_value(Measure(Decimal("120.0"), Unit.DAYS)) == "120"
    assert published_value(Measure.hidden(Symbol.SUPPRESSED, Unit.DAYS)) is None


@pytest.mark.parametrize(
    ("digits", "label"),
    [
        ([CIN, ENDED], "CIN > no longer in need"),
        ([CIN, CPP, CIN, ENDED], "CIN > CPP > CIN > no longer in need"),
        ([CIN, CLA], "CIN > CLA"),
        ([CLA, CPP, CIN, CLA, CIN, CPP], "CLA > CPP > CIN > CLA > CIN > CPP"),
    ],
)
def test_sequence_numbers_read_back(digits: list[int], label: str) -> None:
    """A sequence is sum(digit x 5^position), first status in the lowest place."""
    code = sum(d * BASE**k for k, d in enumerate(digits))
    assert sequence_label(code) == label
