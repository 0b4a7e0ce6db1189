"""Fit the synthetic generator's parameters, verify at scale 1.0, print the calibration table.

    .venv/bin/python -m benchmarks.fit_generator --fit        # fit at small scale, write parameters.toml
    .venv/bin/python -m benchmarks.fit_generator              # verify: default seed, scale 1.0
    .venv/bin/python -m benchmarks.fit_generator --seeds 1 2 3 4 5   # mean and sd over seeds

Fitting sets only the parameters marked `fitted` in parameters.toml, each to public
figures: the shipped population file's mid-year totals, the SEN file's pupil counts and
shares, and the published SEN and free school meal series. The measurements in the table
come from `benchmarks/measure.py` (plain pandas, independent of bulletin.findings).
"""

from __future__ import annotations

import argparse
import csv
import math
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchmarks import measure
from bulletin.core.settings import load_settings
from bulletin.data.geography import load_geography
from bulletin.synthetic import generate
from bulletin.synthetic.params import Parameters, default_path, load_parameters
from bulletin.synthetic.population import generate_population

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ROOT / "docs" / "calibration-targets.csv"
POPULATION = ROOT / "data/public/population/ons_mid-year_population_estimates_2012_to_2024.csv"
SEN_FILE = ROOT / "data/public/cin_outcomes/sen_national.csv"
# derived counts of schools by phase, January 2018 (calibration-targets.md, row A6)
A6_BY_PHASE = {"nursery": 390, "primary": 16_770, "secondary": 3_440, "special": 1_040, "pru": 350}
# DfE, Schools, pupils and their characteristics, January 2018: 13.6% eligible for free meals
FSM_2018 = 0.136
# DfE, Special educational needs in England (January): share of pupils with SEN by year;
# January 2016 is fitted to the middle of calibration row C2_all instead
SEN_ANY = {201112: 0.187, 201213: 0.179, 201314: 0.179, 201415: 0.154, 201718: 0.146}
FIT_SCALE = 0.05
ROWS = ("A3", "A4", "A5_2017", "A5_2018", "A6")


# -- parameters file -------------------------------------------------------------------------


def set_value(text: str, table: str, value: str) -> str:
    """Replace the `value = ...` line of `[table]` in the parameters file's text."""
    pattern = re.compile(rf"(\[{re.escape(table)}\]\n(?:.*\n)*?value = ).*\n")
    new, count = pattern.subn(lambda m: m.group(1) + value + "\n", text, count=1)
    if count != 1:
        raise KeyError(table)
    return new


def toml_dict(values: dict[str, float], digits: int) -> str:
    return "{ " + ", ".join(f'"{k}" = {round(v, digits)}' for k, v in values.items()) + " }"


# -- fitting -------------------------------------------------------------------------------


def targets() -> dict[str, tuple[float, float]]:
    with TARGETS.open(encoding="utf-8") as handle:
        return {
            row["id"]: (float(row["lo"]), float(row["hi"]))
            for row in csv.DictReader(handle)
            if row["lo"]
        }


def _mid_year_counts(params: Parameters, weights: np.ndarray, scale: float) -> np.ndarray:
    import datetime as dt

    from bulletin.synthetic import calendar as cal

    pop = generate_population(params, 1, scale, weights)
    return np.array(
        [pop.resident_on(cal.day(dt.date(y, 6, 30))).sum() / scale for y in measure.MID_YEARS]
    )


def fit_population(text: str, weights: np.ndarray) -> str:
    """Net migration before the window and arrivals during it, by least squares on the six
    national mid-year totals (the model is linear in both)."""
    import csv as _csv

    with POPULATION.open(encoding="utf-8") as handle:
        national = {
            int(r["time_period"]): int(r["population_estimate"])
            for r in _csv.DictReader(handle)
            if r["geographic_level"] == "National"
        }
    wanted = np.array([national[y] for y in measure.MID_YEARS], float)
    scale = 0.2
    params = load_parameters_from(text)
    g0 = float(params["population"]["stock_resident_growth"])
    i0 = float(params["population"]["immigration_per_year"])
    base = _mid_year_counts(params, weights, scale)
    dg, di = 0.001, 20_000.0
    d_g = (
        _mid_year_counts(
            load_parameters_from(set_value(text, "population.stock_resident_growth", str(g0 + dg))),
            weights,
            scale,
        )
        - base
    )
    d_i = (
        _mid_year_counts(
            load_parameters_from(set_value(text, "population.immigration_per_year", str(i0 + di))),
            weights,
            scale,
        )
        - base
    )
    jacobian = np.column_stack([d_g / dg, d_i / di])
    step, *_ = np.linalg.lstsq(jacobian, wanted - base, rcond=None)
    text = set_value(text, "population.stock_resident_growth", f"{g0 + step[0]:.5f}")
    return set_value(text, "population.immigration_per_year", str(int(round(i0 + step[1], -2))))


def load_parameters_from(text: str) -> Parameters:
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False, encoding="utf-8") as handle:
        handle.write(text)
    try:
        return load_parameters(Path(handle.name))
    finally:
        Path(handle.name).unlink()


def _z(p: float) -> float:
    """The standard normal quantile of 1 - p (a threshold passed with probability p)."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(1 - p)


def fit_census(text: str, geography: object, rounds: int = 3) -> str:
    """Participation in nursery classes and sixth forms (A5), free school meals, and the
    SEN thresholds, by a few rounds of correction on a small generated population."""
    goal = targets()
    c2_mid = sum(goal["C2_all"]) / 2
    sen_goal = SEN_ANY | {201516: c2_mid, 201617: _sen_file(201617)}
    ehc_goal = _sen_file(201617, column="pt_statement_or_EHC_plan")
    for _ in range(rounds):
        params = load_parameters_from(text)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "extract"
            generate(geography, out, seed=1, scale=FIT_SCALE, params=params)  # type: ignore[arg-type]
            a5 = measure.pupils_and_schools(out)
            optional = _optional_pupils(out)
            shares = {y: measure.fsm_and_sen(out, y) for y in sorted(sen_goal)}
        c = params["census"]
        # pupils in scope: scale the non-compulsory years' participation
        wanted = (
            goal["A5_2017"][0] + goal["A5_2017"][1] + goal["A5_2018"][0] + goal["A5_2018"][1]
        ) / 2
        have = (a5["A5_2017"] + a5["A5_2018"]) / FIT_SCALE
        factor = 1 + (wanted - have) / (optional / FIT_SCALE)
        part = {
            k: float(v) * (factor if k in {"-2", "-1", "12", "13"} else 1.0)
            for k, v in c["participation"].items()
        }
        text = set_value(text, "census.participation", toml_dict(part, 4))
        # free school meals: shift the intercept by the difference in log-odds
        fsm = shares[201718]["fsm"]
        intercept = (
            float(c["fsm_intercept"])
            + math.log(FSM_2018 / (1 - FSM_2018))
            - math.log(fsm / (1 - fsm))
        )
        text = set_value(text, "census.fsm_intercept", f"{intercept:.4f}")
        # plans: shift the threshold by the difference in normal quantiles
        ehc = shares[201617]["sen_ehc"]
        text = set_value(
            text,
            "census.sen_ehc_threshold",
            f"{float(c['sen_ehc_threshold']) + _z(ehc_goal) - _z(ehc):.4f}",
        )
        # SEN support by year: shift each year's bar likewise (sd of need + noise about 1.06)
        shift = {}
        for year, goal_any in sen_goal.items():
            have_support = shares[year]["sen_support"]
            want_support = goal_any - ehc_goal
            old = float(c["sen_support_year_shift"][str(year)])
            shift[str(year)] = old + 1.06 * (_z(want_support) - _z(have_support))
        text = set_value(
            text, "census.sen_support_year_shift", toml_dict(dict(sorted(shift.items())), 3)
        )
    return text


def _sen_file(academic_year: int, column: str = "pt_all_SEN") -> float:
    with SEN_FILE.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if (
                row["time_period"] == str(academic_year)
                and row["social_care_group"] == "All pupils comparison"
            ):
                return float(row[column]) / 100
    raise KeyError(academic_year)


def _optional_pupils(out: Path) -> float:
    """Pupils in nursery years and sixth forms, January 2017 and 2018 together."""
    import pyarrow.parquet as pq

    census = pq.read_table(
        out / "school_census.parquet", columns=["academic_year", "ncyear", "enrolment_status"]
    ).to_pandas()
    main = census["enrolment_status"].astype(str).isin(["C", "M"])
    years = census["academic_year"].isin([201617, 201718])
    optional = census["ncyear"].isin([-2, -1, 12, 13])
    return float((main & years & optional).sum())


# -- verification ------------------------------------------------------------------------------


def measure_all(out: Path) -> dict[str, float]:
    values = measure.population_check(out, POPULATION) | measure.pupils_and_schools(out)
    values |= {
        "fsm_2018": measure.fsm_and_sen(out, 201718)["fsm"],
        "C2_all_generator": measure.fsm_and_sen(out, 201516)["sen_any"],
    }
    return values


def verify(
    seeds: list[int], scale: float, log: Callable[[str], None]
) -> dict[int, dict[str, float]]:
    geography = load_geography(ROOT / "data/public")
    results = {}
    for seed in seeds:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "extract"
            start = time.perf_counter()
            generate(geography, out, seed=seed, scale=scale)
            log(f"seed {seed}: generated in {time.perf_counter() - start:.1f} s")
            results[seed] = measure_all(out)
    return results


COUNTS = {"A4", "A5_2017", "A5_2018", "A6"}


def table(results: dict[int, dict[str, float]], default_seed: int, scale: float = 1.0) -> str:
    """The calibration rows; counts below scale 1.0 are divided by the scale (a rough
    guide only: the contract is checked at scale 1.0)."""
    goal = targets()
    lines = [f"{'id':<10} {'target':<24} {'value':>14} {'result':<6} {'mean':>14} {'sd':>10}"]
    rows = list(ROWS) + [f"A6_{p}" for p in A6_BY_PHASE]
    for row in rows:
        if row.startswith("A6_"):
            derived = A6_BY_PHASE[row[3:]]
            lo, hi = derived * 0.9, derived * 1.1
        else:
            lo, hi = goal[row]
        per = 1 / scale if (row in COUNTS or row.startswith("A6_")) else 1.0
        values = [r.get(row, float("nan")) * per for r in results.values()]
        value = results.get(default_seed, next(iter(results.values()))).get(row, float("nan")) * per
        ok = "PASS" if lo <= value <= hi else "FAIL"
        mean = statistics.fmean(values)
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        lines.append(
            f"{row:<10} {f'{lo:g} to {hi:g}':<24} {value:>14,.4f} {ok:<6} {mean:>14,.4f} {sd:>10,.4f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--fit", action="store_true", help="fit the parameters first (writes parameters.toml)"
    )
    parser.add_argument(
        "--seeds", type=int, nargs="*", help="seeds to verify (default: the settings' seed)"
    )
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    settings = load_settings(ROOT)
    if args.fit:
        geography = load_geography(ROOT / "data/public")
        weights = np.array([la.children for la in geography.authorities], float)
        path = default_path()
        text = path.read_text(encoding="utf-8")
        text = fit_population(text, weights)
        log("fitted: population")
        text = fit_census(text, geography)
        log("fitted: census")
        path.write_text(text, encoding="utf-8")
    seeds = args.seeds or [settings.seed]
    results = verify(seeds, args.scale, log)
    print(table(results, settings.seed, args.scale))
    for seed, values in results.items():
        print(
            f"seed {seed}: "
            + ", ".join(f"{k}={v:,.4f}" for k, v in sorted(values.items()) if not k.startswith("A"))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
