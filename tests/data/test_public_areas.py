"""The B1 table by area: England, the regions and the local authorities for one year."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bulletin.core.problems import InputError
from bulletin.core.symbols import Symbol
from bulletin.data.public import B1_2023, areas
from tests.conftest import ROOT

PUBLIC = ROOT / "data" / "public"


def test_2018_has_england_eleven_regional_rows_and_152_local_authorities() -> None:
    rows = areas(PUBLIC, 2018)
    levels = [r.level for r in rows]
    assert levels.count("National") == 1
    assert levels.count("Regional") == 11  # 9 regions, Inner and Outer London
    assert levels.count("Local authority") == 152
    england = rows[0]
    # the national row of the file for 2018, read by hand: 404710 and 341
    assert (england.code, england.name) == ("E92000001", "England")
    assert (england.at_31_march, england.at_31_march_rate) == (Decimal("404710"), Decimal("341"))


def test_london_boroughs_sit_in_inner_or_outer_london_which_sit_in_london() -> None:
    by_code = {r.code: r for r in areas(PUBLIC, 2018)}
    assert by_code["E13000001"].region_code == "E12000007"  # Inner London in London
    assert by_code["E09000007"].name == "Camden"
    assert by_code["E09000007"].region_code == "E13000001"  # Camden in Inner London
    assert by_code["E06000005"].region_code == "E12000001"  # Darlington in the North East


def _copy_with(tmp_path: Path, edit: dict[str, dict[str, str]]) -> tuple[Path, dict[str, int]]:
    """A copy of the B1 file with cells changed in the rows of some areas (by LA name),
    beside the code lookup (the population file), which names every area."""
    import csv
    import shutil

    from bulletin.data.population import POPULATION_FILE

    (tmp_path / POPULATION_FILE).parent.mkdir(parents=True)
    shutil.copy(PUBLIC / POPULATION_FILE, tmp_path / POPULATION_FILE)

    source = PUBLIC / B1_2023
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lines: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if row["time_period"] == "2018" and row["la_name"] in edit:
            row.update(edit[row["la_name"]])
            lines[row["la_name"]] = number
    target = tmp_path / B1_2023
    target.parent.mkdir(parents=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path, lines


def test_symbols_are_kept_as_symbols(tmp_path: Path) -> None:
    folder, _ = _copy_with(tmp_path, {"Rutland": {"At31_episodes": "c", "At31_episodes_rate": "x"}})
    rutland = next(r for r in areas(folder, 2018) if r.name == "Rutland")
    assert (rutland.at_31_march, rutland.at_31_march_rate) == (
        Symbol.SUPPRESSED,
        Symbol.NOT_AVAILABLE,
    )


def test_every_bad_cell_is_reported_with_row_and_column(tmp_path: Path) -> None:
    folder, lines = _copy_with(
        tmp_path,
        {"Rutland": {"At31_episodes": "many"}, "Darlington": {"At31_episodes_rate": ""}},
    )
    with pytest.raises(InputError) as caught:
        areas(folder, 2018)
    text = str(caught.value)
    assert f"row {lines['Rutland']}, column At31_episodes: 'many' is neither" in text
    assert f"row {lines['Darlington']}, column At31_episodes_rate:" in text


def test_a_year_with_no_rows_is_a_problem() -> None:
    with pytest.raises(InputError, match="column time_period: no rows for 2031"):
        areas(PUBLIC, 2031)


def test_names_come_from_the_code_lookup_by_code(tmp_path: Path) -> None:
    """The B1 file's own name for E09000007 is not printed: the lookup's name is (the checks
    of the public files refuse a file whose names disagree; this is the one source)."""
    folder, _ = _copy_with(tmp_path, {"Camden": {"la_name": "Camden Town"}})
    by_code = {r.code: r for r in areas(folder, 2018)}
    assert by_code["E09000007"].name == "Camden"
