"""Data: the ONS mid-year estimates of children aged 0 to 17, as DfE ships them.

Trap: the file's `time_period` is the mid-year (2017 = mid-2017), although its
`time_identifier` says "Reporting year". Reporting year Y uses `time_period` Y-1.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bulletin.core.problems import InputError, Problem, shown
from bulletin.core.rates import population_year, rate_per_10000
from bulletin.core.symbols import Symbol, parse_cell
from bulletin.data.ees import GEOGRAPHIC_LEVELS, geography_code, read_ees_csv

POPULATION_FILE = "population/ons_mid-year_population_estimates_2012_to_2024.csv"
COLUMNS = (
    "time_period",
    "geographic_level",
    "country_code",
    "region_code",
    "new_la_code",
    "age_group",
    "population_estimate",
)


@dataclass(frozen=True)
class Population:
    """Children aged 0 to 17 by mid-year, geographic level and area code."""

    estimates: dict[tuple[int, str, str], int | Symbol]

    def for_reporting_year(self, reporting_year: int, level: str, code: str) -> int | Symbol:
        """The estimate that the rate for `reporting_year` (ending 31 March) is based on."""
        return self.estimates[(population_year(reporting_year), level, code)]

    def rate(self, count: int, reporting_year: int, level: str, code: str) -> Decimal | Symbol:
        """`count` per 10,000 children in that area, on the reporting year's population."""
        population = self.for_reporting_year(reporting_year, level, code)
        if isinstance(population, Symbol):
            return population
        return rate_per_10000(count, population)


def load_population(public_data: Path) -> Population:
    table = read_ees_csv(public_data, POPULATION_FILE, COLUMNS)
    problems: list[Problem] = []
    estimates: dict[tuple[int, str, str], int | Symbol] = {}
    for number, row in enumerate(table.rows, start=2):
        level = row["geographic_level"]
        if level not in GEOGRAPHIC_LEVELS:
            problems.append(
                Problem(table.label, number, "geographic_level", f"unknown level {shown(level)}")
            )
            continue
        try:
            value = parse_cell(row["population_estimate"])
        except ValueError as exc:
            problems.append(Problem(table.label, number, "population_estimate", str(exc)))
            continue
        if not row["time_period"].isdigit():
            problems.append(Problem(table.label, number, "time_period", "not a year"))
            continue
        if isinstance(value, Decimal) and value != value.to_integral_value():
            problems.append(
                Problem(table.label, number, "population_estimate", "not a whole number")
            )
            continue
        key = (int(row["time_period"]), level, geography_code(row))
        if key in estimates:
            problems.append(Problem(table.label, number, None, f"duplicate row for {key}"))
        estimates[key] = value if isinstance(value, Symbol) else int(value)
    if problems:
        raise InputError(problems)
    return Population(estimates)
