"""The real context: values printed from the real files, with file, row and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bulletin.core.problems import InputError
from bulletin.core.symbols import Symbol
from bulletin.data.public_files import public_problems
from bulletin.data.real import B1 as B1_2023
from bulletin.data.real import real_context
from tests.conftest import ROOT

PUBLIC = ROOT / "data" / "public"


def areas(folder: Path, year: int) -> list[tuple[str, str, str, str, object, object]]:
    """(code, name, level, parent, at 31 March, rate) of every area of real-cin-by-area."""
    table = real_context(folder, year - 1, year).tables["real-cin-by-area"]
    return [
        (
            *(r.labels[k] for k in ("area_code", "area_name", "level", "parent")),
            *(r.values[c].measure.value or r.values[c].measure.symbol for c in table.columns),
        )
        for r in table.rows
    ]


def test_2018_has_england_eleven_regional_rows_and_152_local_authorities() -> None:
    rows = areas(PUBLIC, 2018)
    levels = [r[2] for r in rows]
    assert levels.count("national") == 1
    assert levels.count("regional") + levels.count("subregional") == 11  # and Inner/Outer London
    assert levels.count("local authority") == 152
    # the national row of the file for 2018, read by hand: 404710 and 341
    assert rows[0] == ("E92000001", "England", "national", "", Decimal("404710"), Decimal("341"))


def test_the_real_rows_name_their_file_row_and_column() -> None:
    """R1, R2 (B1, 2018), R6 (B1, 2017), R3 (C1, 2018) and R4 (D5, 2018), each as the
    file prints it; the row numbers found by hand with grep -n (the header is row 1)."""
    context = real_context(PUBLIC, 2013, 2018)
    expected = {
        "R1": ("b1", 820, "At31_episodes", "404710"),
        "R2": ("b1", 820, "At31_episodes_rate", "341"),
        "R6": ("b1", 984, "Anypoint_child_rate", "587.9"),
        "R3_n": ("c1", 820, "Referrals", "655630"),
        "R3_rate": ("c1", 820, "Referrals_rate", "552.5"),
        "R4": ("d5", 820, "CPP_At31", "53790"),
    }
    for key, (file, row, column, value) in expected.items():
        found = context[key]
        assert found.source.file.split("/")[-1].startswith(file), key
        assert (found.source.row, found.source.column) == (row, column), key
        assert found.measure.value == Decimal(value), key


def test_london_boroughs_sit_in_inner_or_outer_london_which_sit_in_london() -> None:
    by_code = {r[0]: r for r in areas(PUBLIC, 2018)}
    assert by_code["E13000001"][3] == "E12000007"  # Inner London in London
    assert by_code["E09000007"][1] == "Camden"
    assert by_code["E09000007"][3] == "E13000001"  # Camden in Inner London
    assert by_code["E06000005"][3] == "E12000001"  # Darlington in the North East


def _copy_with(tmp_path: Path, edit: dict[str, dict[str, str]]) -> tuple[Path, dict[str, int]]:
    """A copy of the B1 file with cells changed in the rows of some areas (by LA name)."""
    import csv

    source = PUBLIC / B1_2023
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lines: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if row["time_period"] == "2018" and row["la_name"] in edit:
            row.update(edit[row["la_name"]])
            lines[row["la_name"]] = number
    import shutil

    shutil.copytree(PUBLIC, tmp_path, dirs_exist_ok=True)
    target = tmp_path / B1_2023
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return tmp_path, lines


def test_symbols_are_kept_as_symbols(tmp_path: Path) -> None:
    folder, _ = _copy_with(tmp_path, {"Rutland": {"At31_episodes": "c", "At31_episodes_rate": "x"}})
    rutland = next(r for r in areas(folder, 2018) if r[1] == "Rutland")
    assert rutland[4:] == (
        Symbol.SUPPRESSED,
        Symbol.NOT_AVAILABLE,
    )


def test_every_bad_cell_is_reported_with_row_and_column_before_any_is_read(tmp_path: Path) -> None:
    folder, lines = _copy_with(
        tmp_path,
        {"Rutland": {"At31_episodes": "many"}, "Darlington": {"At31_episodes_rate": ""}},
    )
    text = "\n".join(map(str, public_problems(folder)))
    assert f"row {lines['Rutland']}, column At31_episodes: 'many' is neither" in text
    assert f"row {lines['Darlington']}, column At31_episodes_rate:" in text


def test_a_year_with_no_rows_is_a_problem() -> None:
    with pytest.raises(InputError, match="column time_period: expected one national row for 2031"):
        areas(PUBLIC, 2031)
