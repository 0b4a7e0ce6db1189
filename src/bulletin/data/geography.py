"""Data: load the 2018 local authorities, their regions and their child populations.

The authorities and regions are the 2018 rows of the real B1 file (release 2023), which
uses the codes current in 2023 (Buckinghamshire E06000060). Each authority's weight is
its mid-2017 estimate of children aged 0 to 17 from the population file; where that file
has no estimate on its revised basis (Bournemouth, Poole and old Dorset, merged in 2019;
Buckinghamshire under its older code E10000002), the estimate the first-published 2018
rate implies is used instead: children in need at 31 March x 10,000 / that rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from bulletin.core.geography import LONDON, Geography, LocalAuthority
from bulletin.core.problems import InputError, Problem
from bulletin.core.symbols import Symbol, parse_cell
from bulletin.data.ees import read_ees_csv
from bulletin.data.population import POPULATION_FILE, load_population
from bulletin.data.real import B1 as B1_2023

YEAR = 2018
GEOGRAPHY_FILES = (B1_2023, POPULATION_FILE)  # the public files `load_geography` reads
OLDER_CODES = {"E06000060": "E10000002"}  # Buckinghamshire before its 2020 code
LA_COLUMNS = (
    "time_period",
    "geographic_level",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "At31_episodes",
    "At31_episodes_rate",
)


def load_geography(public_data: Path) -> Geography:
    table = read_ees_csv(public_data, B1_2023, LA_COLUMNS)
    population = load_population(public_data)
    regions = {
        row["region_code"]: row["region_name"]
        for row in table.rows
        if row["geographic_level"] == "Regional" and row["region_code"].startswith("E12")
    }
    problems: list[Problem] = []
    authorities = []
    for number, row in enumerate(table.rows, start=2):
        if row["time_period"] != str(YEAR) or row["geographic_level"] != "Local authority":
            continue
        code, region = row["new_la_code"], row["region_code"]
        split = None
        if region.startswith("E13"):  # London authorities carry Inner or Outer London
            split, region = region, LONDON
        children = _children(population.estimates, code, row)
        rate = parse_cell(row["At31_episodes_rate"])
        if not isinstance(rate, Decimal):
            problems.append(
                Problem(B1_2023, number, "At31_episodes_rate", f"no published rate for {code}")
            )
            continue
        if children is None:
            problems.append(
                Problem(
                    str(POPULATION_FILE),
                    None,
                    "population_estimate",
                    f"no mid-{YEAR - 1} estimate for {code} and no published rate to imply one",
                )
            )
            continue
        authorities.append(
            LocalAuthority(
                code=code,
                old_code=row["old_la_code"],
                name=row["la_name"],
                region_code=region,
                region_name=regions.get(region, ""),
                london_split=split,
                children=children,
                need_rate=rate,
            )
        )
    if not authorities:
        problems.append(Problem(B1_2023, None, None, f"no local authority rows for {YEAR}"))
    if problems:
        raise InputError(problems)
    return Geography(tuple(sorted(authorities, key=lambda la: la.code)))


def _children(
    estimates: Mapping[tuple[int, str, str], int | Symbol], code: str, row: Mapping[str, str]
) -> int | None:
    for candidate in (code, OLDER_CODES.get(code, code)):
        value = estimates.get((YEAR - 1, "Local authority", candidate))
        if isinstance(value, int):
            return value
    count, rate = parse_cell(row["At31_episodes"]), parse_cell(row["At31_episodes_rate"])
    if isinstance(count, Decimal) and isinstance(rate, Decimal) and rate > 0:
        return round(Fraction(count) * 10_000 / Fraction(rate))
    return None
