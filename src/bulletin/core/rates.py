"""Core: rates per 10,000 children aged 0 to 17, as the children in need release computes them.

A rate a real file publishes is printed from that file, never recomputed (DESIGN.md
decision 7); this function is for rates no file publishes, and its test reproduces every
published rate of the release-2024 B1 file from the shipped population file.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from bulletin.core.formatting import round_half_up

PER = 10_000


def rate_per_10000(count: int, population: int) -> Decimal:
    """`count` per 10,000 of `population`, to 1 decimal place, halves up."""
    if population <= 0:
        raise ValueError(f"a rate needs a positive population, got {population}")
    if count < 0:
        raise ValueError(f"a rate needs a count of at least 0, got {count}")
    return round_half_up(Fraction(count * PER, population), 1)


def population_year(reporting_year: int) -> int:
    """The population file's `time_period` (a mid-year) for a reporting year ending 31 March.

    Reporting year Y (1 April Y-1 to 31 March Y) uses the mid-(Y-1) estimate.
    """
    return reporting_year - 1
