"""The calibration contract on the one national population of the run: every row of
docs/calibration-targets.csv that the synthetic population carries so far, measured by the
fit script's independent functions (benchmarks/measure.py: plain pandas)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from benchmarks import fit_generator, measure

from bulletin.core.formatting import FILTERS

ROOT = Path(__file__).resolve().parents[1]
POPULATION = ROOT / "data/public/population/ons_mid-year_population_estimates_2012_to_2024.csv"
REPORTED = {"D1"}  # illustrative; cannot hold together with A1, A2 and B1 (precedence rule)
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
def measured(national_extract: Path) -> dict[str, float]:
    return fit_generator.measure_all(national_extract)


@pytest.mark.national
@pytest.mark.parametrize("row", ROWS)
def test_calibration_row(row: str, measured: dict[str, float]) -> None:
    lo, hi = _targets()[row]
    value = measured[row]
    print(f"{row}: {value:,.4f} (target {lo:g} to {hi:g})")
    if row in REPORTED:
        assert value > 0
        return
    assert lo <= value <= hi, f"{row} = {value:,.4f}, outside {lo:g} to {hi:g}"


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
def test_group_effects_hold_on_the_models_own_probabilities(
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
    """bulletin's own national findings: each row's value is within its range (D1 reported)
    and, where the row gives one, its formatter prints the expected wording."""
    key = row["id"]
    value = _value(national_findings[key])
    print(f"{key}: {value} (target {row['lo']} to {row['hi']})")
    if key not in REPORTED:
        assert Decimal(row["lo"]) <= value <= Decimal(row["hi"]), f"{key} = {value}"
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
    assert wording == row["expected_wording"], f"{key}: {wording!r} for {value}"
