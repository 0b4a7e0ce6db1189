"""Data: the real published children in need tables (EES files) the publications print from.

Rates are read from the files' rate columns and never recomputed (DESIGN.md decision 7).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bulletin.core.problems import InputError, Problem, shown
from bulletin.core.symbols import Symbol
from bulletin.data.ees import geography_code, read_ees_csv

B1_2023 = "cin_characteristics/release_2023/b1_children_in_need_2013_to_2023.csv"
#: Each public file the publications print from, and the release that published it: the
#: source its values carry. Values of a release are already public, so the disclosure
#: check exempts them (`bulletin.qa.disclosure`).
RELEASES = {
    B1_2023: "Department for Education, Characteristics of children in need, table B1 (2023 release)",
}
B1_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "new_la_code",
    "la_name",
    "At31_episodes",
    "At31_episodes_rate",
    "Anypoint_child",
    "Anypoint_child_rate",
)
AREA_COLUMNS = (*B1_COLUMNS, "country_name", "region_name")

#: Inner and Outer London: a second split of London, published as regional rows.
SUBREGIONS = {"E13000001": "E12000007", "E13000002": "E12000007"}


@dataclass(frozen=True)
class NationalYear:
    """One reporting year of the national children in need series (B1 file)."""

    year: int  # reporting year ending 31 March
    at_31_march: Decimal | Symbol
    at_31_march_rate: Decimal | Symbol
    any_point: Decimal | Symbol
    any_point_rate: Decimal | Symbol
    row: int | None = None  # where it is in the file, as a spreadsheet numbers rows
    file: str = B1_2023


def national_series(public_data: Path) -> tuple[NationalYear, ...]:
    """The national rows of B1 (release 2023), oldest first; every bad cell reported."""
    table = read_ees_csv(public_data, B1_2023, B1_COLUMNS)
    problems: list[Problem] = []
    years: dict[int, NationalYear] = {}
    for number, row in zip(table.numbers, table.rows, strict=True):
        if row["geographic_level"] != "National":
            continue
        cells: dict[str, Decimal | Symbol] = {}
        for column in B1_COLUMNS[7:]:
            try:
                cells[column] = table.number(row, column)
            except ValueError as exc:
                problems.append(Problem(table.label, number, column, str(exc)))
        period = row["time_period"]
        if not (period.isdigit() and len(period) == 4):
            problems.append(
                Problem(table.label, number, "time_period", f"{shown(period)} is not a year")
            )
            continue
        if int(period) in years:
            problems.append(
                Problem(table.label, number, None, f"a second national row for {period}")
            )
            continue
        if len(cells) == 4:
            years[int(period)] = NationalYear(
                int(period),
                cells["At31_episodes"],
                cells["At31_episodes_rate"],
                cells["Anypoint_child"],
                cells["Anypoint_child_rate"],
                number,
            )
    if problems:
        raise InputError(problems)
    return tuple(years[y] for y in sorted(years))


@dataclass(frozen=True)
class AreaYear:
    """One area's row of B1 (release 2023) for one reporting year, as published."""

    level: str  # "National", "Regional" or "Local authority"
    code: str
    name: str
    region_code: str  # the region an LA is in ("" for England); London for Inner/Outer London
    at_31_march: Decimal | Symbol
    at_31_march_rate: Decimal | Symbol


def areas(public_data: Path, year: int) -> tuple[AreaYear, ...]:
    """England, the regions and the local authorities in B1 for one year, in file order,
    each named as the code lookup names its code (`public_files.area_names`)."""
    from bulletin.data.public_files import area_names

    table = read_ees_csv(public_data, B1_2023, AREA_COLUMNS)
    names = area_names(public_data)
    problems: list[Problem] = []
    found: list[AreaYear] = []
    for number, row in zip(table.numbers, table.rows, strict=True):
        if row["time_period"] != str(year):
            continue
        try:
            code = geography_code(row)
        except ValueError as exc:
            problems.append(Problem(table.label, number, "geographic_level", str(exc)))
            continue
        cells: dict[str, Decimal | Symbol] = {}
        for column in ("At31_episodes", "At31_episodes_rate"):
            try:
                cells[column] = table.number(row, column)
            except ValueError as exc:
                problems.append(Problem(table.label, number, column, str(exc)))
        level = row["geographic_level"]
        region = row["region_code"] if level == "Local authority" else ""
        if code not in names:
            problems.append(Problem(table.label, number, None, f"{code} is not in the code lookup"))
            continue
        if len(cells) == 2:
            found.append(
                AreaYear(
                    level,
                    code,
                    names[code],
                    SUBREGIONS.get(code, region),
                    cells["At31_episodes"],
                    cells["At31_episodes_rate"],
                )
            )
    if not found and not problems:
        problems.append(Problem(table.label, None, "time_period", f"no rows for {year}"))
    if problems:
        raise InputError(problems)
    return tuple(found)
