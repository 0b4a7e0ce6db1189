"""Findings (national): children in need at 31 March, for England over time and by area.

Built from the real B1 table (release 2023). Its counts and rates are DfE's published
values, already rounded and suppressed by DfE, so they are kept exactly as published: a
rate is the file's rate, never recomputed (DESIGN.md decision 7), and a symbol stays a
symbol. No further disclosure control applies to a value that is already public.

The headline (the first and the latest year's count and rate) must be numbers: a GSS
symbol there, or a year missing from the file, stops the build with an `InputError`
naming the file, the row and column, and the finding that needs the number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bulletin.core.measure import Measure, Unit
from bulletin.core.problems import InputError, Problem
from bulletin.core.symbols import Symbol
from bulletin.data.public import B1_2023, RELEASES, AreaYear, NationalYear

SOURCE = RELEASES[B1_2023]
AT_31_MARCH = "children in need at 31 March"
RATE = "children in need at 31 March per 10,000 children aged 0 to 17"


class Level(StrEnum):
    NATIONAL = "national"
    REGIONAL = "regional"
    SUBREGIONAL = "subregional"  # Inner and Outer London
    LOCAL_AUTHORITY = "local authority"


@dataclass(frozen=True)
class YearPoint:
    """One reporting year (ending 31 March) of the national series."""

    year: int
    children: Measure  # in need at 31 March
    rate: Measure  # per 10,000 children aged 0 to 17, as published

    @property
    def census_date(self) -> dt.date:
        return dt.date(self.year, 3, 31)


@dataclass(frozen=True)
class Area:
    """One area (England, a region or a local authority) in the latest year."""

    level: Level
    code: str
    name: str
    parent: str  # the code of the region it is in; "" for England and the regions
    children: Measure
    rate: Measure


@dataclass(frozen=True)
class NationalFindings:
    series: tuple[YearPoint, ...]  # oldest first
    areas: tuple[Area, ...]  # the latest year, in the published file's order

    @property
    def first(self) -> YearPoint:
        return self.series[0]

    @property
    def latest(self) -> YearPoint:
        return self.series[-1]


def compute(
    series: Sequence[NationalYear], areas: Sequence[AreaYear], first_year: int, last_year: int
) -> NationalFindings:
    """The national series for `first_year` to `last_year` and every area in `last_year`."""
    by_year = {point.year: point for point in series}
    missing = [y for y in range(first_year, last_year + 1) if y not in by_year]
    if missing:
        years = ", ".join(map(str, missing))
        message = (
            f"no National row for {years}: the national series of the publication needs "
            f"every year from {first_year} to {last_year}"
        )
        raise InputError([Problem(B1_2023, None, "time_period", message)])
    _headline_numbers([by_year[first_year], by_year[last_year]])
    points = tuple(
        YearPoint(
            y,
            _measure(by_year[y].at_31_march, Unit.COUNT, AT_31_MARCH),
            _measure(by_year[y].at_31_march_rate, Unit.RATE, RATE),
        )
        for y in range(first_year, last_year + 1)
    )
    return NationalFindings(points, tuple(_area(a) for a in areas))


def _headline_numbers(years: Sequence[NationalYear]) -> None:
    """Stop on a GSS symbol where the headline needs a number."""
    problems = []
    for point in years:
        cells = (
            ("At31_episodes", point.at_31_march, f"{AT_31_MARCH} {point.year}"),
            (
                "At31_episodes_rate",
                point.at_31_march_rate,
                f"the rate of {AT_31_MARCH} {point.year}",
            ),
        )
        for column, cell, finding in cells:
            if isinstance(cell, Symbol):
                message = (
                    f"{cell.value!r} ({cell.meaning}) where the headline needs a number: {finding}"
                )
                problems.append(Problem(point.file, point.row, column, message))
    if problems:
        raise InputError(problems)


def _area(row: AreaYear) -> Area:
    if row.level == "National":
        level = Level.NATIONAL
    elif row.level == "Regional":
        level = Level.SUBREGIONAL if row.region_code else Level.REGIONAL
    else:
        level = Level.LOCAL_AUTHORITY
    return Area(
        level,
        row.code,
        row.name,
        row.region_code,
        _measure(row.at_31_march, Unit.COUNT, AT_31_MARCH),
        _measure(row.at_31_march_rate, Unit.RATE, RATE),
    )


def _measure(cell: Decimal | Symbol, unit: Unit, definition: str) -> Measure:
    if isinstance(cell, Symbol):
        return Measure.hidden(cell, unit, source=SOURCE, definition=definition)
    numerator = int(cell) if unit is Unit.COUNT else None
    return Measure(cell, unit, numerator=numerator, source=SOURCE, definition=definition)
