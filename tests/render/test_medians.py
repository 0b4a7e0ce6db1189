"""A median of whole days is a whole or a half number (findings.journeys: the mean of the
two middle spells of an even count). Every template that prints one must format a half:
at scale 0.02 of the default seed the median period in need is 173.5 days, and a
whole-number formatter stopped the build there."""

from __future__ import annotations

import re
from decimal import Decimal

from bulletin.core.formatting import FILTERS
from tests.conftest import ROOT

PRINTED_MEDIAN = re.compile(r"m\.(journeys_median_days_\w+)\s*\|\s*(\w+)")


def test_every_printed_median_of_days_can_be_a_half() -> None:
    found = [
        (path.relative_to(ROOT).as_posix(), name, fmt)
        for path in sorted((ROOT / "templates").rglob("*.jinja"))
        for name, fmt in PRINTED_MEDIAN.findall(path.read_text(encoding="utf-8"))
    ]
    assert found, "the data and analysis publication prints the median periods"
    for where, name, fmt in found:
        assert FILTERS[fmt](Decimal("173.5")) == "173.5", (where, name, fmt)
        assert FILTERS[fmt](Decimal("174")) == "174.0", (where, name, fmt)  # as its table
