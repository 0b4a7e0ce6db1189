"""The calibration contract on the one national population of the run: every row of
docs/calibration-targets.csv that the synthetic population carries, measured by the fit
script's independent functions (benchmarks/measure.py: plain pandas), and by the build's
own findings.

What each row is comes from the ledger (docs/calibration.md; the fit script's
declarations): a fitted or constrained row must be within its range; a validated row is a
prediction, reported pass or fail, and must be exactly the value the ledger reports for the
default seed (so the ledger tells the truth about this build)."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from benchmarks import fit_generator, ledger, measure

from bulletin.core.formatting import FILTERS
from bulletin.core.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
POPULATION = ROOT / "data/public/population/ons_mid-year_population_estimates_2012_to_2024.csv"
KINDS = fit_generator.kind_of_rows()
ROWS = [
    "A3", "A4", "A5_2017", "A5_2018", "A6",
    *(f"A1_{y}" for y in range(2013, 2019)),
    *(f"A2_{y}" for y in range(2013, 2019)),
    "A7_cino_overall", "A7_cino_persistent", "A7_cla_overall", "A7_cla_persistent",
    "B1", "B2", "B3", "B4", "B5", "C1", "C2_cin", "C2_all", "D1", "D2",
    "B6_cin", "B6_all", "B9", "B10", "B11",
    *(f"C{n}_{part}" for n in (3, 4, 5) for part in ("cin", "all", "ratio")),
    "C6_max", "C6_min", "C7",
]  # fmt: skip


def _targets() -> dict[str, tuple[float, float]]:
    with (ROOT / "docs/calibration-targets.csv").open(encoding="utf-8") as handle:
        return {
            r["id"]: (float(r["lo"]), float(r["hi"])) for r in csv.DictReader(handle) if r["lo"]
        }


@pytest.fixture(scope="module")
def measured(national_measured: dict[str, float]) -> dict[str, float]:
    return national_measured


def _ledger_default(row: str) -> float:
    """The value the ledger reports for the default seed (docs/calibration-seeds.json)."""
    seeds = ledger.load_results()["seeds"]
    value = seeds[str(load_settings(ROOT).seed)][row]
    assert value is not None, row
    return float(value)


@pytest.mark.national
@pytest.mark.parametrize("row", ROWS)
def test_calibration_row(row: str, measured: dict[str, float]) -> None:
    lo, hi = _targets()[row]
    value = measured[row]
    print(f"{row} ({KINDS[row]}): {value:,.4f} (target {lo:g} to {hi:g})")
    if KINDS[row] == "validated":
        assert value == pytest.approx(_ledger_default(row), rel=1e-12, abs=1e-12)
        return
    assert lo <= value <= hi, f"{row} = {value:,.4f}, outside {lo:g} to {hi:g}"


def _d1_statement() -> tuple[int, int]:
    """The methodology's statement of D1: below its range's floor by less than an amount."""
    text = (ROOT / "docs/methodology.md").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", text)
    found = re.search(
        r"D1 [^.]*? lies below the floor of its range, ([\d,]+), by less than ([\d,]+) children",
        text,
    )
    assert found, "docs/methodology.md states where D1 lies"
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


def test_the_methodology_states_d1_against_the_contract() -> None:
    floor, amount = _d1_statement()
    assert floor == _targets()["D1"][0]
    assert 0 < amount <= 0.05 * floor  # a small shortfall, as the precedence rule explains


@pytest.mark.national
def test_d1_lies_below_its_range_by_less_than_the_methodology_says(
    measured: dict[str, float],
) -> None:
    floor, amount = _d1_statement()
    assert 0 < floor - measured["D1"] < amount, measured["D1"]


@pytest.mark.national
@pytest.mark.parametrize(("phase", "derived"), sorted(fit_generator.A6_BY_PHASE.items()))
def test_schools_by_phase_within_ten_percent(
    phase: str, derived: int, measured: dict[str, float]
) -> None:
    assert abs(measured[f"A6_{phase}"] / derived - 1) <= 0.10


@pytest.mark.national
def test_the_generator_extract_is_whole(national_extract: Path) -> None:
    """Independent row counts: the national extract has the scale of the real data."""
    rows = measure.table_rows(national_extract)
    assert 45_000_000 < rows["school_census"] < 60_000_000
    assert 2_000_000 < rows["cin_episodes"] < 6_000_000


@pytest.mark.national
@pytest.mark.parametrize(("row", "target"), [("B7_model", "B7"), ("B8_model", "B8")])
def test_planted_group_effects_hold_on_the_models_own_probabilities(
    row: str, target: str, measured: dict[str, float]
) -> None:
    """B7 and B8 on the outcome model's noise-free probabilities (the regression that
    estimates them from the data is checked against the same targets)."""
    lo, hi = _targets()[target]
    assert lo <= measured[row] <= hi, f"{row} = {measured[row]:.4f}, outside {lo:g} to {hi:g}"


# -- the findings of the build itself: value and wording -------------------------------------

#: Rows measured by the fit script only: the generator's own population (A3 to A6), and the
#: synthetic check of C1 (the publications print R6 from the real file instead).
GENERATOR_ONLY = {"A3", "A4", "A5_2017", "A5_2018", "A6", "C1"}
#: Formatters that take several measures: the finding's parts, in the formatter's order.
PARTS = {
    "B8": ("rr_cla", "rr_cino", "rr_cppo"),  # similar_likelihood(reference, *others)
    "C7": (("C7_eyfsp", "C7_ks2", "C7_ks4"),),  # gap_trend(gaps)
}


def _rows() -> list[dict[str, str]]:
    with (ROOT / "docs/calibration-targets.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def national_findings(national: Path) -> dict[str, Any]:
    """The measures of the national build's own findings.json (bulletin.findings)."""
    found = sorted((national / ".cache/bulletin/stages/findings").glob("*/findings.json"))
    assert len(found) == 1, found
    measures: dict[str, Any] = json.loads(found[0].read_text(encoding="utf-8"))["measures"]
    return measures


def _value(measure: dict[str, Any]) -> Decimal:
    assert measure["symbol"] is None, measure
    return Decimal(measure["value"])


def test_the_fit_script_checks_rows_of_the_contract() -> None:
    """The fit script's rows are rows of the contract, the generator-only rows among them;
    every other row but the R rows (real data, checked where the publications print them)
    is checked on the build's findings below."""
    ids = {r["id"] for r in _rows()}
    assert set(ROWS) <= ids
    assert set(ROWS) >= GENERATOR_ONLY


@pytest.mark.national
@pytest.mark.parametrize(
    "row",
    [r for r in _rows() if r["id"] not in GENERATOR_ONLY and not r["id"].startswith("R")],
    ids=lambda r: r["id"],
)
def test_the_builds_findings_hold_every_row_value_and_wording(
    row: dict[str, str], national_findings: dict[str, Any]
) -> None:
    """bulletin's own national findings: each fitted or constrained row's value is within
    its range and, where the row gives one, its formatter prints the expected wording; a
    validated row passes or fails exactly as the ledger reports for the default seed, and
    prints the expected wording when it passes."""
    key = row["id"]
    value = _value(national_findings[key])
    print(f"{key} ({KINDS[key]}): {value} (target {row['lo']} to {row['hi']})")
    inside = Decimal(row["lo"]) <= value <= Decimal(row["hi"])
    if KINDS[key] == "validated":
        lo, hi = _targets()[key]
        assert inside == (lo <= _ledger_default(key) <= hi), f"{key} = {value}"
    else:
        assert inside, f"{key} = {value}"
    if not row["expected_wording"]:
        return
    fmt = FILTERS[row["formatter"]]
    if key in PARTS:
        args = [
            [_value(national_findings[k]) for k in part]
            if isinstance(part, tuple)
            else _value(national_findings[part])
            for part in PARTS[key]
        ]
        wording = fmt(*args)
    else:
        wording = fmt(value)
    print(f"{key}: {wording!r}")
    if KINDS[key] == "validated" and not inside:
        return  # the model's own prediction misses: its wording is whatever the value says
    assert wording == row["expected_wording"], f"{key}: {wording!r} for {value}"
