"""The calibration ledger: docs/calibration.md, calibration.json and the provenance of the
parameters file agree with what the fit script declares (benchmarks/fit_generator.py), and
the declarations keep their rules: every row one kind, no parameter fitted to a validated
row, the validated rule holding at least a quarter of sections B and C from both.

The seed results the ledger prints (docs/calibration-seeds.json, saved by the fit script)
must belong to this generator and these parameters; from them, every fitted and
constrained row passes for every seed, and sits two seed sds inside its range or is named
with its reason."""

from __future__ import annotations

import math
import re
import statistics
from decimal import Decimal

import pytest
from benchmarks import fit_generator as fit
from benchmarks import ledger

from bulletin.core.settings import load_settings
from bulletin.synthetic.params import load_parameters
from tests.conftest import ROOT

DATE = re.compile(r"20\d\d-[01]\d-[0-3]\d: \S.{20,}", re.DOTALL)


def _parameters() -> str:
    return ledger.PARAMETERS.read_text(encoding="utf-8")


def _ids() -> list[str]:
    return [r["id"] for r in ledger.contract()]


def test_the_ledger_is_written_from_the_declarations() -> None:
    results = ledger.load_results()
    want = ledger.render(_parameters(), results, load_settings(ROOT).seed)
    assert ledger.LEDGER.read_text(encoding="utf-8") == want, (
        "docs/calibration.md is stale: python -m benchmarks.fit_generator --ledger"
    )


def test_the_classification_the_generator_copies_is_written_from_the_declarations() -> None:
    assert ledger.CLASSIFICATION.read_text(encoding="utf-8") == ledger.classification_text()


def test_the_parameters_file_marks_fitted_exactly_what_the_fit_script_sets() -> None:
    """Both ways: every number a stage sets is marked `fitted` with its stage and targets,
    and nothing else is marked `fitted`."""
    marked = ledger.marked(_parameters())["fitted"]
    declared = ledger.provenance()
    found = {(t, p) for t, paths in marked.items() for p in paths}
    wanted = {(t, p) for t, paths in declared.items() for p in paths}
    assert found - wanted == set(), "marked fitted, but no stage sets them"
    assert wanted - found == set(), "set by a stage, but not marked fitted"
    assert marked == declared


def test_every_declared_knob_is_a_number_of_the_parameters_file() -> None:
    text = _parameters()
    for stage in fit.STAGES:
        for knob in stage.knobs:
            for path in knob.paths():
                value = load_parameters(ledger.PARAMETERS)[knob.table.split(".")[0]][
                    knob.table.split(".")[1]
                ]
                if path is None:
                    assert isinstance(value, int | float | dict), knob
                else:
                    assert math.isfinite(fit.get_param(text, knob.table, path)), knob


def test_every_hand_value_has_a_date_and_a_reason_and_is_not_also_fitted() -> None:
    marks = ledger.marked(_parameters())
    assert marks["hand"], "the hand steps of earlier sessions are recorded"
    for table, paths in marks["hand"].items():
        for path, text in paths.items():
            assert DATE.fullmatch(text), (table, path, text)
            assert path not in marks["fitted"].get(table, {}), (table, path)
            if path is not None:
                fit.get_param(_parameters(), table, path)  # a number of the file


def test_every_row_of_the_contract_is_one_kind() -> None:
    fitted = set(fit.fitted_rows())
    constrained = set(fit.CONSTRAINED)
    validated = set(fit.validated_rows())
    assert fitted & constrained == set()
    assert fitted & validated == set(), "a parameter is fitted to a validated row"
    assert constrained & validated == set()
    assert fitted | constrained | validated == set(_ids())
    assert set(fit.PLANTED) <= fitted


def test_every_validated_finding_is_named_for_readers() -> None:
    """The statement for readers names every validated row of sections B, C and D (the
    findings; A4 and A6 count the whole population), and names nothing that is not one."""
    validated = set(fit.validated_rows())
    named = {row for _, rows in fit.EMERGENT_FOR_READERS for row in rows}
    assert named == {row for row in validated if row[0] in "BCD"}
    assert ledger.classification()["emergent_named"] == [p for p, _ in fit.EMERGENT_FOR_READERS]


def test_the_validated_rule_holds_a_quarter_of_sections_b_and_c_from_both() -> None:
    rows = [r for r in ledger.contract() if r["lo"] and r["id"][0] in "BC"]
    validated = [r["id"] for r in rows if fit.kind_of_rows()[r["id"]] == "validated"]
    assert 4 * len(validated) >= len(rows)
    assert {v[0] for v in validated} == {"B", "C"}


def test_what_the_constrained_rows_claim_holds() -> None:
    """B2 = B1 / the facts file's estimate and C1 = A1_2017 / the mid-2016 estimate: the
    whole range of B1 (A1_2017) over that fixed number lies inside B2's (C1's)."""
    from benchmarks import measure

    goal = fit.targets()
    estimate = measure.public_estimate_children()
    assert goal["B2"][0] <= goal["B1"][0] / estimate <= goal["B1"][1] / estimate <= goal["B2"][1]
    mid_2016 = 11_671_521  # the shipped file, national, time_period 2016
    assert goal["C1"][0] <= goal["A1_2017"][0] / mid_2016 <= goal["A1_2017"][1] / mid_2016
    assert goal["A1_2017"][1] / mid_2016 <= goal["C1"][1]


# -- the seed results the ledger prints -------------------------------------------------------


def _measured(row: str) -> str:
    """The fit script's measure of a row: the planted B7 and B8 on the outcome model's own
    probabilities (the build's regression measures them in tests/test_calibration.py)."""
    return f"{row}_model" if row in fit.PLANTED else row


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, float | None]]:
    saved = ledger.load_results()
    assert saved["digest"] == ledger.generator_digest(), (
        "the saved seed results belong to another generator or other parameters: "
        "python -m benchmarks.fit_generator --seeds 1 2 3 4 5 <default> --save"
    )
    assert saved["scale"] == 1.0
    seeds: dict[str, dict[str, float | None]] = saved["seeds"]
    assert set(seeds) >= {"1", "2", "3", "4", "5", str(load_settings(ROOT).seed)}
    return seeds


def test_every_fitted_and_constrained_row_passes_for_every_seed(
    results: dict[str, dict[str, float | None]],
) -> None:
    goal = fit.targets()
    kinds = fit.kind_of_rows()
    failing = []
    for row, kind in kinds.items():
        if kind == "validated" or row.startswith("R"):
            continue
        lo, hi = goal[row]
        for seed, values in results.items():
            value = values[_measured(row)]
            if value is None or not lo <= value <= hi:
                failing.append((row, seed, value))
    assert failing == []


def test_every_fitted_row_is_two_sds_inside_its_range_or_named(
    results: dict[str, dict[str, float | None]],
) -> None:
    goal = fit.targets()
    low = {}
    for row, kind in fit.kind_of_rows().items():
        if kind == "validated" or row.startswith("R"):
            continue
        found = (seed[_measured(row)] for seed in results.values())
        values = [float(v) for v in found if v is not None]
        mean, sd = statistics.fmean(values), statistics.stdev(values)
        lo, hi = goal[row]
        if min(mean - lo, hi - mean) < 2 * sd:
            low[row] = min(mean - lo, hi - mean) / sd
    assert set(low) == set(fit.MARGIN_EXCEPTIONS), low
    assert all(len(reason) > 40 for reason in fit.MARGIN_EXCEPTIONS.values())


def test_the_planted_effects_hold_on_the_models_own_probabilities_for_every_seed(
    results: dict[str, dict[str, float | None]],
) -> None:
    goal = fit.targets()
    for row in fit.PLANTED:
        lo, hi = goal[row]
        for values in results.values():
            assert lo <= Decimal(str(values[f"{row}_model"])) <= hi
