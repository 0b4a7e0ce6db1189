"""Fit the synthetic generator's parameters, verify at scale 1.0, print the calibration table.

    .venv/bin/python -m benchmarks.fit_generator --fit        # fit at small scale, write parameters.toml
    .venv/bin/python -m benchmarks.fit_generator              # verify: default seed, scale 1.0
    .venv/bin/python -m benchmarks.fit_generator --seeds 1 2 3 4 5   # mean and sd over seeds
    .venv/bin/python -m benchmarks.fit_generator --seeds 1 2 3 4 5 20190618 --save
    .venv/bin/python -m benchmarks.fit_generator --ledger     # write the ledger (no generating)

What is fitted, and to what, is declared here once (`STAGES`, `CONSTRAINED`, `VALIDATED`,
`PLANTED`): the fitting code takes its knobs from the stages; `--ledger` writes from the
same declarations the `fitted` provenance of parameters.toml, the calibration ledger
(docs/calibration.md, with the seed results saved by `--save`) and the classification
the generator copies into every extract's dataset.json (calibration.json beside the
parameters). A stage fits only rows of the contract it names, or public figures that are
not rows; no parameter is fitted to a validated row. The measurements in the table come
from `benchmarks/measure.py` (plain pandas, independent of bulletin.findings).
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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks import measure
from bulletin.core.settings import load_settings
from bulletin.data.geography import load_geography
from bulletin.synthetic import World, generate
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
# DfE, Level 2 and 3 attainment by young people aged 19 (2016): about 85% had level 2 by 19
LEVEL2_19 = 0.85
# DfE destination measures (the rationale of [outcomes.post16]): about 6% of young people
# were not in education, employment or training in the year after turning 18, and about 26%
# were in higher education at 18
NEET_18, HE_18 = 0.06, 0.26
KS4_LA_FILE = ROOT / "data/public/cin_outcomes/ks4_la.csv"
FIT_SCALE = 0.05
ROWS = (
    "A3",
    "A4",
    "A5_2017",
    "A5_2018",
    "A6",
    *(f"A1_{y}" for y in range(2013, 2019)),
    *(f"A2_{y}" for y in range(2013, 2019)),
    "B1",
    "B2",
    "B3",
    "B4",
    "B5",
    "C1",
    "C2_cin",
    "C2_all",
    "D1",
    "D2",
    "A7_cino_overall",
    "A7_cino_persistent",
    "A7_cla_overall",
    "A7_cla_persistent",
    "B6_cin",
    "B6_all",
    "B9",
    "B10",
    "B11",
    "C3_cin",
    "C3_all",
    "C3_ratio",
    "C4_cin",
    "C4_all",
    "C4_ratio",
    "C5_cin",
    "C5_all",
    "C5_ratio",
    "C6_max",
    "C6_min",
    "C7",
    "B7_model",
    "B8_model",
)


# -- what is fitted, to what; what is constrained; what is validated -------------------------


@dataclass(frozen=True)
class Knob:
    """A fitted number of the parameters file: `key` None for the value itself (every
    number of it when it is a table), "median" or "care/cino" inside a table; "care/*"
    moves the three groups in the year together and earlier need by half as much."""

    table: str
    key: str | None
    step: float = 0.0  # finite-difference step (iterative stages)
    low: float = -math.inf
    high: float = math.inf

    def paths(self) -> tuple[str | None, ...]:
        """The numbers of the parameters file this knob sets."""
        if self.key is not None and self.key.endswith("/*"):
            head = self.key[:-2]
            return tuple(f"{head}/{group}" for group in ("cla", "cppo", "cino", "prev"))
        return (self.key,)


@dataclass(frozen=True)
class Stage:
    """A step of the fit: the knobs it sets, jointly, and the calibration rows or public
    figures (not rows) they are fitted to, and how."""

    name: str
    how: str
    knobs: tuple[Knob, ...]
    rows: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()


#: Public figures outside the contract that stages are fitted to.
FIGURES = {
    "mid-year": "the national mid-year totals 2012 to 2017 of the shipped population file",
    "fsm": f"{FSM_2018:.1%} of pupils eligible for free school meals, January 2018 (DfE, "
    "Schools, pupils and their characteristics)",
    "ehc": "the share of pupils with a statement or EHC plan, January 2017 (the shipped SEN "
    "file, all pupils)",
    "sen": "the share of pupils with SEN by January census 2012 to 2018 (DfE, Special "
    "educational needs in England; January 2017 from the shipped SEN file)",
    "absence": "overall absence 4.8% and persistent absence 11.2% of pupils, 2017/18 (DfE, "
    "Pupil absence in schools in England)",
    "p8": "the national Progress 8 of pupils in need at 31 March, key stage 4 2018/19 (the "
    "shipped KS4 file: CINO, CPPO and CLA weighted by their pupils)",
    "p8-spread": "the spread between authorities of the Progress 8 of CINO at 31 March, key "
    "stage 4 2018/19 (the shipped KS4 file, net of each authority's sampling variance)",
    "level2": f"about {LEVEL2_19:.0%} of young people had level 2 by 19 (DfE, Level 2 and 3 "
    "attainment by young people aged 19, 2016)",
    "neet": f"about {NEET_18:.0%} of young people not in education, employment or training "
    "in the year after turning 18 (DfE destination measures)",
    "he": f"about {HE_18:.0%} of young people in higher education at 18 (DfE destination measures)",
}

A1_ROWS = tuple(f"A1_{y}" for y in range(2013, 2019))
A2_ROWS = tuple(f"A2_{y}" for y in range(2013, 2019))
A7_ROWS = tuple(f"A7_{g}_{r}" for g in ("cino", "cla") for r in ("overall", "persistent"))
#: Adjusted relative likelihoods the key stage 4 group effects are solved for, on the model's
#: own probabilities ("up to 50% less likely", "just as likely to do poorly": B7, B8; the
#: review found looked-after children did a little better than other children in need, and
#: those in need earlier in between).
RELATIVE_LIKELIHOOD = {"cla": 0.53, "cppo": 0.51, "cino": 0.52, "prev": 0.74}

STAGES = (
    Stage(
        "population",
        "least squares on the six mid-year totals at scale 0.2 (the model is linear in both)",
        (
            Knob("population.stock_resident_growth", None),
            Knob("population.immigration_per_year", None),
        ),
        rows=("A3",),
        figures=("mid-year",),
    ),
    Stage(
        "pupils in scope",
        "the participation of nursery years and sixth forms scaled together, in rounds on a "
        "population at scale 0.05",
        tuple(Knob("census.participation", k) for k in ("-2", "-1", "12", "13")),
        rows=("A5_2017", "A5_2018"),
    ),
    Stage(
        "free school meals",
        "the intercept moved by the difference in log-odds, in the same rounds",
        (Knob("census.fsm_intercept", None),),
        figures=("fsm",),
    ),
    Stage(
        "plans",
        "the bar moved by the difference in normal quantiles, in the same rounds",
        (Knob("census.sen_ehc_threshold", None),),
        figures=("ehc",),
    ),
    Stage(
        "SEN support by year",
        "each year's bar moved by the difference in normal quantiles, in the same rounds "
        "(January 2016 to the middle of C2_all)",
        (Knob("census.sen_support_year_shift", None),),
        rows=("C2_all",),
        figures=("sen",),
    ),
    Stage(
        "flow of cases",
        "Levenberg-Marquardt at scale 0.2 on the six-year means of A1 and A2 and on B1, three "
        "rounds, each followed by the years and the spread between schools; then two "
        "iterations at scale 1.0 (the counts move with scale)",
        (
            Knob("care.referral_log_rate", None, 0.1),
            Knob("care.history_effect", None, 0.2, 0.0, 3.0),
            Knob("care.cin_days", "median", 30.0, 20.0, 2000.0),
        ),
        rows=(*A1_ROWS, *A2_ROWS, "B1"),
    ),
    Stage(
        "years of referral",
        "after each step of the flow, each year's effect moved by the log-ratio of the wanted "
        "to the measured count at any point (centred: the level stays with the flow)",
        (Knob("care.referral_year_effect", None),),
        rows=A1_ROWS,
    ),
    Stage(
        "years of length",
        "after each step of the flow, each start year's effect moved by 1.5 times the "
        "log-ratio of the wanted to the measured count at 31 March (centred)",
        (Knob("care.episode_length_year_effect", None),),
        rows=A2_ROWS,
    ),
    Stage(
        "schools",
        "in each round of the flow, Levenberg-Marquardt at scale 0.2 of the first two on B4 "
        "and B5, and secant steps at scale 0.25 of the third on B3; then Levenberg-Marquardt "
        "of all three on B3, B4 and B5 together at scale 1.0 (B3 counts schools and depends "
        "on scale), towards the aims below (SCHOOL_AIMS: B4 and B5 pull against each other, "
        "so they are aimed where each is equally many seed sds inside its range)",
        (
            Knob("characteristics.deprivation_neighbourhood_sd", None, 0.1, 0.1, 2.0),
            Knob("care.need_weights", "deprivation", 0.1, 0.1, 0.9),
            Knob("characteristics.small_school_deprivation", None, -0.3, -5.0, 1.0),
        ),
        rows=("B3", "B4", "B5"),
    ),
    Stage(
        "SEN among children in need",
        "secant steps at scale 0.2",
        (Knob("care.sen_in_need_effect", "support", 0.1, 0.0, 3.0),),
        rows=("C2_cin",),
    ),
    Stage(
        "absence",
        "Levenberg-Marquardt on the January 2018 pupils of a population at scale 0.2",
        (
            Knob("absence.rate", "intercept", 0.05),
            Knob("absence.rate", "person_sd", 0.05, 0.05, 2.0),
            Knob("absence.rate", "deprivation", 0.05, 0.0, 2.0),
            Knob("absence.social_care", "in_need", 0.1, -1.0, 3.0),
            Knob("absence.social_care", "looked_after", 0.1, -3.0, 3.0),
            Knob("absence.rate", "in_need_sd", 0.1, 0.0, 3.0),
        ),
        rows=A7_ROWS,
        figures=("absence",),
    ),
    Stage(
        "early years and key stage 2",
        "Levenberg-Marquardt on C3 and C4 (parts and ratios) and the widening C7 together, "
        "towards the aims below (OUTCOME_AIMS): three iterations at scale 0.1, then one at "
        "scale 1.0",
        (
            Knob("outcomes.eyfsp", "intercept", 0.1),
            Knob("outcomes.eyfsp", "care/*", 0.1, -4.0, 0.0),
            Knob("outcomes.ks2", "year/201516", 0.1),
        ),
        rows=("C3_all", "C3_cin", "C3_ratio", "C4_all", "C4_cin", "C4_ratio", "C7"),
    ),
    Stage(
        "key stage 4",
        "Levenberg-Marquardt, the group effects solved after every evaluation: three "
        "iterations at scale 0.1, then three at scale 1.0",
        (
            Knob("outcomes.ks4", "intercept", 0.1),
            Knob("outcomes.ks4", "prior", 0.1, 0.1, 5.0),
            Knob("outcomes.ks4", "grade4_margin", 0.1, 0.1, 4.0),
        ),
        rows=("B6_all", "B6_cin", "C5_all"),
    ),
    Stage(
        "key stage 4 group effects",
        "bisection on the model's own probabilities of the 2017/18 cohort (exact: the base "
        "log-odds do not depend on them) to fixed relative likelihoods: "
        + ", ".join(f"{g} {v:.2f}" for g, v in RELATIVE_LIKELIHOOD.items()),
        tuple(Knob("outcomes.ks4", f"care/{g}") for g in RELATIVE_LIKELIHOOD),
        rows=("B7", "B8"),
    ),
    Stage(
        "Progress 8 of pupils in need",
        "the shift by secant steps at scale 0.1 (measured on the pupils in need at 31 March "
        "2018), again after key stage 4 is fitted at scale 1.0; the spread computed from the "
        "file: ten times the standard deviation between authorities less their sampling "
        "variance",
        (
            Knob("outcomes.ks4", "a8_care", 1.0, -30.0, 10.0),
            Knob("outcomes.ks4", "la_care_sd"),
        ),
        figures=("p8", "p8-spread"),
    ),
    Stage(
        "after 16",
        "Levenberg-Marquardt at scale 0.1 on the all-pupil rates, again after key stage 4 "
        "is fitted at scale 1.0",
        (
            Knob("outcomes.post16", "level2_intercept", 0.2, -4.0, 4.0),
            Knob("outcomes.post16", "neet_intercept", 0.2, -8.0, 0.0),
            Knob("outcomes.post16", "he_intercept", 0.2, -6.0, 2.0),
        ),
        figures=("level2", "neet", "he"),
    ),
)

#: Rows that hold by a structural choice, and the choice.
CONSTRAINED = {
    "B2": "B1 over the facts file's public estimate of the children of the window, a fixed "
    "number: B1's whole range over it lies inside B2's, so B2 holds whenever B1 does",
    "C1": "A1_2017 over the shipped mid-2016 estimate, a fixed number: A1_2017's whole range "
    "over it lies inside C1's, so C1 holds whenever A1_2017 does",
    **dict.fromkeys(
        ("R1", "R2", "R3_n", "R3_rate", "R4", "R5", "R6"),
        "printed from the real file (R5: recomputed from the shipped population file); the "
        "synthetic population plays no part",
    ),
}
#: Rows that hold by construction on the model's own probabilities: findings that recover
#: effects the generator was given.
PLANTED = ("B7", "B8")
#: The rule that chooses the validated rows, clause by clause, with the rows each gives.
VALIDATED = (
    (
        "Held-out GCSE cohorts. The key stage 4 model is fitted on one cohort, 2017/18 (B6, "
        "and the planted B7 and B8), and on each year's all-pupil level (C5_all); every row "
        "about children in need in another key stage 4 cohort is held out: 2015/16 at key "
        "stage 4 (C5_cin, C5_ratio, C6_max, C6_min), 2012/13 and 2014/15 after 16 (B9, B10, "
        "B11). What those rows depend on and the fit sets comes from all pupils or from a "
        "later year's published figures, never from the rows.",
        ("C5_cin", "C5_ratio", "C6_max", "C6_min", "B9", "B10", "B11"),
    ),
    (
        "Section D, the interim findings' three-year evidence. The social care model is "
        "fitted to each year and to the six-year window, never to the three years 2014-15 "
        "to 2016-17 or to the pupils of January 2017.",
        ("D1", "D2"),
    ),
    (
        "The two counts of the whole population the fit does not target: the distinct "
        "children of the window (A4: births, the stock and arrivals, each fitted or sourced, "
        "make it) and the schools (A6: pupils and the published sizes of schools make it).",
        ("A4", "A6"),
    ),
)
#: The validated rows named for readers: what the statement for readers of a publication
#: built on synthetic data says the model predicts (dataset.json's `calibration`,
#: `emergent_named`). Every validated row of sections B, C and D is in one (a test checks).
EMERGENT_FOR_READERS = (
    ("GCSE results in earlier years", ("C5_cin", "C5_ratio")),
    ("the spread of Progress 8 between local authorities", ("C6_max", "C6_min")),
    ("what pupils did after 16", ("B9", "B10", "B11")),
    ("the counts of the interim findings", ("D1", "D2")),
)
#: Fitted or constrained rows whose mean over seeds is not two seed sds inside their range,
#: and why: where it cannot be, or where this fit did not get there (the ledger lists every
#: such row; a test checks none is missing). Every one passes for every seed.
MARGIN_EXCEPTIONS: dict[str, str] = {
    "B3": "cannot hold: the range is 99 schools wide (450 to 549) and the seed sd is about "
    "28 schools, so no mean is two sds inside both ends (that needs 112); the stage aims at "
    "the middle",
    "B4": "not reached by this fit (2026-12-07): B4 and B5 move together along one line "
    "under the three knobs of the schools (SCHOOL_AIMS), and the aims were balanced with "
    "issue 8's seed sds (B4 0.0021, B5 0.0016); with these seeds' sds (B4 0.0028, B5 "
    "0.0007) the balance point is lower in B4 (about 0.326, B5 about 0.1213, each about 2 "
    "sds inside or more), which a refit of the schools at scale 1.0, and of what follows "
    "it, should reach",
    "A1_2018": "not reached by this fit (2026-12-07): the flow at scale 1.0 fits the "
    "six-year means of A1 and A2 and B1 on seed 1, two iterations, and every count of the "
    "window came out about 0.5% below the middle of its range, 2018 the lowest; a third "
    "iteration needs everything after the flow refitted (about two hours at scale 1.0)",
    "A2_2018": "not reached by this fit (2026-12-07): as A1_2018, the level of the flow "
    "after two iterations at scale 1.0 (1.98 sds inside)",
}
#: The aims of the schools stage, with residuals in units of one seed sd (issue 8's seeds 1
#: to 5: B3 15.9, B4 0.0021, B5 0.0016). B3 at its middle. B4 and B5 pull against each
#: other: the three knobs move them along one line, measured at scale 1.0 (seed 1) from
#: (B4, B5) = (0.3277, 0.1217) to (0.3216, 0.1243), so B4 cannot come down to its middle
#: (0.306) with B5 inside its range. Their aims are the point of that line where each is
#: equally many seed sds inside the upper end of its range (about 1.6).
SCHOOL_AIMS = {"B3": (499.5, 15.9), "B4": (0.3285, 0.0021), "B5": (0.1214, 0.0016)}
#: The aims of the early years and key stage 2 stage: inside every range, placed so that
#: the gap widens from the early years to key stage 2 (C7), with each part and ratio at
#: least two seed sds inside its range (issue 10's seed sds: C3_cin 0.0033, C3_ratio 0.0048,
#: C4_cin 0.0031, C4_ratio 0.0058). C3_cin was aimed at 0.430, one sd from the top of the
#: band where its mean is two sds inside (0.4066 to 0.4334): fitted on seed 1, which sits
#: 1.5 sds below the mean of six seeds, the mean came out 0.4363 and the default seed
#: failed (0.4415). It is aimed at 0.422 now, near the middle of that band (0.420), so that
#: a seed offset like seed 1's leaves two sds; C7 is aimed at the widening the other aims give.
OUTCOME_AIMS = {
    "C3_all": (0.690, 0.005),
    "C3_cin": (0.422, 0.005),
    "C3_ratio": (0.422 / 0.690, 0.01),
    "C4_all": (0.540, 0.005),
    "C4_cin": (0.252, 0.005),
    "C4_ratio": (0.252 / 0.540, 0.01),
    "C7": (100 * (0.540 - 0.252 - 0.690 + 0.422), 0.5),
}


def stage(name: str) -> Stage:
    return next(s for s in STAGES if s.name == name)


def fitted_rows() -> dict[str, list[Stage]]:
    """Each fitted row, and the stages fitted to it."""
    rows: dict[str, list[Stage]] = {}
    for s in STAGES:
        for row in s.rows:
            rows.setdefault(row, []).append(s)
    return rows


def validated_rows() -> dict[str, str]:
    return {row: clause for clause, rows in VALIDATED for row in rows}


def kind_of_rows() -> dict[str, str]:
    """fitted, constrained or validated, for every row the declarations name."""
    kinds = dict.fromkeys(fitted_rows(), "fitted")
    kinds |= dict.fromkeys(CONSTRAINED, "constrained")
    kinds |= dict.fromkeys(validated_rows(), "validated")
    return kinds


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


def get_param(text: str, table: str, key: str | None) -> float:
    """A number of the parameters file: `key` None for a plain value, else a path into an
    inline table ("median", or "care/cino" for a table inside a table)."""
    component, name = table.split(".")
    value = load_parameters_from(text)[component][name]
    for part in [] if key is None else key.split("/"):
        value = value[part]
    return float(value)


def _inline(value: object) -> str:
    if isinstance(value, dict):
        parts = (
            f"{k if k.isidentifier() else repr(k).replace(chr(39), chr(34))} = {_inline(v)}"
            for k, v in value.items()
        )
        return "{ " + ", ".join(parts) + " }"
    if isinstance(value, float):
        return f"{value:.4g}" if "e" not in f"{value:.4g}" else repr(value)
    return str(value).lower() if isinstance(value, bool) else repr(value).replace("'", '"')


def set_param(text: str, table: str, key: str | None, value: float) -> str:
    """Set a number of the parameters file (see `get_param` for `key`)."""
    if key is None:
        return set_value(text, table, f"{value:.4g}")
    component, name = table.split(".")
    values = load_parameters_from(text)[component][name]
    node = values
    *path, last = key.split("/")
    for part in path:
        node = node[part]
    node[last] = float(value)
    return set_value(text, table, _inline(values))


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


# -- social care, schools, SEN and absence: Gauss-Newton on a small population ------------


# DfE, Pupil absence in schools in England 2017/18: overall 4.8%, persistent 11.2%
ABSENCE_2018 = {"absence_all_overall": (0.046, 0.050), "absence_all_persistent": (0.107, 0.117)}


def _goals(names: list[str]) -> dict[str, tuple[float, float]]:
    aims = {k: (c - h, c + h) for k, (c, h) in SCHOOL_AIMS.items()}
    goal = targets() | ABSENCE_2018 | outcome_goals() | aims
    for prefix in ("A1", "A2"):
        years = range(2013, 2019)
        goal[f"{prefix}_mean"] = (
            statistics.fmean(goal[f"{prefix}_{y}"][0] for y in years),
            statistics.fmean(goal[f"{prefix}_{y}"][1] for y in years),
        )
    return {n: goal[n] for n in names}


CARE_GOALS = ["A1_mean", "A2_mean", "B1"]
SCHOOL_GOALS = ["B4", "B5"]
ABSENCE_GOALS = [
    "absence_all_overall",
    "absence_all_persistent",
    "A7_cino_overall",
    "A7_cino_persistent",
    "A7_cla_overall",
    "A7_cla_persistent",
]


def quick_measures(world: World) -> tuple[dict[str, float], object]:
    """The fit's own quick measures, in memory (the table's come from measure.py). Social
    care records that will not link to a pupil count as not in need on the school side,
    as they do in the extract."""
    from bulletin.synthetic.absence import PupilYear

    care, scale = world.care, world.scale
    any_point, at_31 = care.any_point > 0, care.at_31_march > 0
    out = {}
    for i, year_ending in enumerate(range(2013, 2019), start=1):
        out[f"A1_{year_ending}"] = any_point[i].sum() / scale
        out[f"A2_{year_ending}"] = at_31[i].sum() / scale
    out["A1_mean"] = statistics.fmean(out[f"A1_{y}"] for y in range(2013, 2019))
    out["A2_mean"] = statistics.fmean(out[f"A2_{y}"] for y in range(2013, 2019))
    out["B1"] = any_point[1:].any(axis=0).sum() / scale
    linked = ~world.unlinkable
    ever = any_point[1:].any(axis=0) & linked
    pupils_2018 = None
    for y, year in enumerate(world.census()):
        main = year.status < 2
        child, school = year.child[main], year.school[main]
        if year.academic_year == 201516:
            in_need = at_31[4][child] & linked[child]
            sen = year.sen[main] > 0
            out["C2_cin"], out["C2_all"] = float(sen[in_need].mean()), float(sen.mean())
        if year.academic_year == 201718:
            size = np.bincount(school, minlength=len(world.schools))
            count = np.bincount(school, weights=ever[child], minlength=len(world.schools))
            has = size > 0
            share = count[has] / size[has]
            out["B3"] = float((count[has] == 0).sum()) / scale
            out["B4"] = float(((share >= 0.05) & (share <= 0.10)).mean())
            out["B5"] = float((share > 0.20).mean())
            pupils_2018 = PupilYear(
                year.academic_year,
                child,
                year.ncyear[main],
                year.sen[main],
                world.traits.deprivation[child],
                care.at_31_march[y][child],
            )
    return out, pupils_2018


def absence_measures(
    params: Parameters, seed: int, pupils: object, n_children: int
) -> dict[str, float]:
    from bulletin.synthetic.absence import absence_and_exclusions, person_effect
    from bulletin.synthetic.socialcare import CIN, CLA

    rows, _ = absence_and_exclusions(params, seed, pupils, person_effect(params, seed, n_children))  # type: ignore[arg-type]
    missed = rows["sessions_authorised"] + rows["sessions_unauthorised"]
    possible = rows["sessions_possible"]
    keep = (pupils.ncyear >= 1) & (pupils.ncyear <= 11)  # type: ignore[attr-defined]
    codes = pupils.status_31_march[keep]  # type: ignore[attr-defined]  # same order as rows
    out = {
        "absence_all_overall": float(missed.sum() / possible.sum()),
        "absence_all_persistent": float((missed / possible >= 0.10).mean()),
    }
    for label, code in (("cino", CIN), ("cla", CLA)):
        group = codes == code
        out[f"A7_{label}_overall"] = float(missed[group].sum() / possible[group].sum())
        out[f"A7_{label}_persistent"] = float((missed[group] / possible[group] >= 0.10).mean())
    return out


def _levenberg_marquardt(
    text: str,
    knobs: tuple[Knob, ...],
    goals: list[str],
    evaluate: Callable[[str], dict[str, float]],
    iterations: int,
    after_each: Callable[[str, dict[str, float]], str] = lambda text, _: text,
) -> str:
    """Steps on the knobs minimising the residuals, each scaled by its goal's half-width."""
    wanted = _goals(goals)
    centre = np.array([sum(wanted[n]) / 2 for n in goals])
    width = np.array([(wanted[n][1] - wanted[n][0]) / 2 for n in goals])
    for iteration in range(iterations):
        base = evaluate(text)
        values = np.array([base[n] for n in goals])
        print(
            f"  iteration {iteration}: " + ", ".join(f"{n}={base[n]:.4g}" for n in goals),
            file=sys.stderr,
            flush=True,
        )
        jacobian = np.zeros((len(goals), len(knobs)))
        for j, knob in enumerate(knobs):
            x, h = _get(text, knob), knob.step
            if not knob.low <= x + h <= knob.high:  # at a bound: the difference inwards
                h = -h
            after = evaluate(_set(text, knob, x + h))
            jacobian[:, j] = (np.array([after[n] for n in goals]) - values) / width / h
        residual = (values - centre) / width
        damping = 0.3 * np.diag(np.diag(jacobian.T @ jacobian) + 1e-9)
        step = np.linalg.solve(jacobian.T @ jacobian + damping, -jacobian.T @ residual)
        text = after_each(text, base)
        for knob, delta in zip(knobs, step, strict=True):
            limit = 8 * abs(knob.step)  # no wild jumps from a noisy derivative
            text = _set(text, knob, _get(text, knob) + float(np.clip(delta, -limit, limit)))
    final = evaluate(text)
    print(
        "  final: " + ", ".join(f"{n}={final[n]:.4g}" for n in goals), file=sys.stderr, flush=True
    )
    return text


def _fit_lengths(text: str, measured: dict[str, float]) -> str:
    """Shift each year's episode length effect by the log-ratio of wanted to measured
    children in need at 31 March, after the referral effects (centred: the level of
    lengths stays with the median)."""
    goal = targets()
    logs = {
        str(y): math.log(sum(goal[f"A2_{y}"]) / 2 / measured[f"A2_{y}"]) for y in range(2013, 2019)
    }
    centre = statistics.fmean(logs.values())
    effects = load_parameters_from(text)["care"]["episode_length_year_effect"]
    new = {y: float(v) + 1.5 * (logs.get(y, 0.0) - centre) for y, v in effects.items()}
    return set_value(text, "care.episode_length_year_effect", toml_dict(new, 3))


def _fit_years(text: str, measured: dict[str, float]) -> str:
    """Shift each year's referral effect by the log-ratio of wanted to measured children in
    need at any point (centred, so that the level stays with the referral rate)."""
    goal = targets()
    logs = {
        str(y): math.log(sum(goal[f"A1_{y}"]) / 2 / measured[f"A1_{y}"]) for y in range(2013, 2019)
    }
    centre = statistics.fmean(logs.values())
    effects = load_parameters_from(text)["care"]["referral_year_effect"]
    new = {y: float(v) + (logs.get(y, logs["2013"]) - centre) for y, v in effects.items()}
    return set_value(text, "care.referral_year_effect", toml_dict(new, 3))


def care_measures(world: World) -> dict[str, float]:
    """Children in need by year and over the window, from the world alone (no census)."""
    any_point, at_31 = world.care.any_point > 0, world.care.at_31_march > 0
    years = range(1, 7)  # 2012-13 to 2017-18
    out = {
        "A1_mean": statistics.fmean(any_point[i].sum() for i in years) / world.scale,
        "A2_mean": statistics.fmean(at_31[i].sum() for i in years) / world.scale,
        "B1": any_point[1:].any(axis=0).sum() / world.scale,
    }
    for i, year in enumerate(range(2013, 2019), start=1):
        out[f"A1_{year}"] = any_point[i].sum() / world.scale
        out[f"A2_{year}"] = at_31[i].sum() / world.scale
    return out


def _secant(
    text: str, knob: Knob, goal: str, measure_of: Callable[[str], float], rounds: int = 3
) -> str:
    """Secant steps on one knob towards the middle of one goal."""
    lo, hi = _goals([goal])[goal]
    wanted = (lo + hi) / 2
    x0 = get_param(text, knob.table, knob.key)
    y0 = measure_of(text)
    x1 = min(max(x0 + knob.step, knob.low), knob.high)
    for _ in range(rounds):
        y1 = measure_of(set_param(text, knob.table, knob.key, x1))
        print(
            f"  {knob.table} {knob.key or ''} {x0:.4g} -> {goal} {y0:.4g}; {x1:.4g} -> {y1:.4g}",
            file=sys.stderr,
            flush=True,
        )
        if y1 == y0:
            break
        x0, y0, x1 = x1, y1, x1 + (wanted - y1) * (x1 - x0) / (y1 - y0)
        x1 = min(max(x1, knob.low), knob.high)
    return set_param(text, knob.table, knob.key, x1)


def fit_schools_with_none(text: str, geography: object, scale: float, rounds: int = 2) -> str:
    """B3 by secant steps on the small schools' deprivation (the third knob of the schools)."""
    from bulletin.synthetic import build_world

    def b3(candidate: str) -> float:
        params = load_parameters_from(candidate)
        world = build_world(geography, seed=1, scale=scale, params=params)  # type: ignore[arg-type]
        return quick_measures(world)[0]["B3"]

    return _secant(text, stage("schools").knobs[2], "B3", b3, rounds=rounds)


def fit_schools(text: str, geography: object, scale: float, iterations: int = 1) -> str:
    """All three knobs of the schools on B3, B4 and B5 together (the polish at 1.0)."""
    from bulletin.synthetic import build_world

    def schools(candidate: str) -> dict[str, float]:
        params = load_parameters_from(candidate)
        world = build_world(geography, seed=1, scale=scale, params=params)  # type: ignore[arg-type]
        return quick_measures(world)[0]

    return _levenberg_marquardt(
        text, stage("schools").knobs, ["B3", "B4", "B5"], schools, iterations
    )


def fit_flow(text: str, geography: object, scale: float, iterations: int) -> str:
    """The flow of cases (level, repetition, length) on the six-year means of A1 and A2 and
    on B1, each step followed by the years of referral and of length."""
    from bulletin.synthetic import build_world

    def measured(candidate: str) -> dict[str, float]:
        params = load_parameters_from(candidate)
        return care_measures(build_world(geography, seed=1, scale=scale, params=params))  # type: ignore[arg-type]

    def years_after(candidate: str, values: dict[str, float]) -> str:
        return _fit_lengths(_fit_years(candidate, values), values)

    return _levenberg_marquardt(
        text, stage("flow of cases").knobs, CARE_GOALS, measured, iterations, after_each=years_after
    )


def fit_care(text: str, geography: object, scale: float = 0.2) -> str:
    """In turn: the flow of cases (level, repetition, length) with the yearly pattern;
    how unevenly need is spread between schools; the schools with no such pupils; SEN
    among children in need; absence."""
    from bulletin.synthetic import build_world

    def world_of(candidate: str, at: float = scale) -> World:
        return build_world(geography, seed=1, scale=at, params=load_parameters_from(candidate))  # type: ignore[arg-type]

    for round_ in range(3):
        print(f"fitting the flow of cases (round {round_ + 1})", file=sys.stderr)
        text = fit_flow(text, geography, scale, iterations=3)
        print(f"fitting the spread between schools (round {round_ + 1})", file=sys.stderr)
        text = _levenberg_marquardt(
            text,
            stage("schools").knobs[:2],
            SCHOOL_GOALS,
            lambda c: quick_measures(world_of(c))[0],
            2,
        )
        print(f"fitting schools with no pupil in need, B3 (round {round_ + 1})", file=sys.stderr)
        text = fit_schools_with_none(text, geography, 0.25)

    print("fitting SEN among children in need (C2_cin)", file=sys.stderr)
    text = _secant(
        text,
        stage("SEN among children in need").knobs[0],
        "C2_cin",
        lambda c: quick_measures(world_of(c))[0]["C2_cin"],
        rounds=2,
    )

    print("fitting absence", file=sys.stderr)
    world = world_of(text)
    _, pupils = quick_measures(world)
    n = len(world.population)
    return _levenberg_marquardt(
        text,
        stage("absence").knobs,
        ABSENCE_GOALS,
        lambda candidate: absence_measures(load_parameters_from(candidate), 1, pupils, n),
        iterations=10,
    )


# -- attainment and outcomes after 16 ---------------------------------------------------------------

GROUP_CODES = {"prev": 1, "cino": 2, "cppo": 3, "cla": 4}


def _get(text: str, knob: Knob) -> float:
    key = knob.key.replace("*", "cino") if knob.key else None
    return get_param(text, knob.table, key)


def _set(text: str, knob: Knob, value: float) -> str:
    """Set a knob; "care/*" moves the three current groups together, earlier need half."""
    value = min(max(value, knob.low), knob.high)
    if knob.key and knob.key.endswith("/*"):
        head = knob.key[:-2]
        for group in ("cla", "cppo", "cino"):
            text = set_param(text, knob.table, f"{head}/{group}", value)
        return set_param(text, knob.table, f"{head}/prev", value / 2)
    return set_param(text, knob.table, knob.key, value)


def ks4_la_figures(path: Path = KS4_LA_FILE) -> dict[str, float]:
    """From the shipped KS4 file, key stage 4 2018/19: the national Progress 8 of pupils in
    need at 31 March (CINO, CPPO and CLA, weighted by their pupils), and the standard
    deviation between authorities of CINO's Progress 8 less the mean sampling variance of
    an authority's mean (its 95% interval is 2 x 1.96 standard errors wide)."""
    with path.open(encoding="utf-8-sig") as handle:
        rows = [r for r in csv.DictReader(handle) if r["time_period"] == "201819"]
    national = [r for r in rows if r["geographic_level"] == "National"]
    pupils = sum(int(r["t_pupils"]) for r in national)
    p8 = sum(int(r["t_pupils"]) * float(r["avg_p8score"]) for r in national) / pupils
    means, variances = [], []
    for r in rows:
        if r["geographic_level"] == "Local authority" and r["social_care_group"] == (
            "CINO at 31 March"
        ):
            try:
                mean, low, high = (
                    float(r[k]) for k in ("avg_p8score", "p8score_CI_low", "p8score_CI_upp")
                )
            except ValueError:  # suppressed
                continue
            means.append(mean)
            variances.append(((high - low) / (2 * 1.96)) ** 2)
    spread = math.sqrt(max(0.0, statistics.pvariance(means) - statistics.fmean(variances)))
    return {"p8_in_need_2018": p8, "p8_la_sd": spread}


def outcome_goals() -> dict[str, tuple[float, float]]:
    """The outcome stages' goals as ranges: the rows of the contract, the early years and
    key stage 2 aims (centre plus or minus the half-width the fit scales residuals by), and
    the public figures."""
    goal = targets()
    aims = {k: (c - h, c + h) for k, (c, h) in OUTCOME_AIMS.items()}
    p8 = ks4_la_figures()["p8_in_need_2018"]
    return (
        {k: goal[k] for k in ("B6_all", "B6_cin", "C5_all")}
        | aims
        | {
            "p8_in_need_2018": (p8 - 0.05, p8 + 0.05),
            "level2_19_all": (LEVEL2_19 - 0.01, LEVEL2_19 + 0.01),
            "neet_18_all": (NEET_18 - 0.005, NEET_18 + 0.005),
            "he_18_all": (HE_18 - 0.01, HE_18 + 0.01),
        }
    )


def _outcome_measures(out: Path) -> dict[str, float]:
    return (
        measure.attainment_rows(out)
        | measure.after16_all_rows(out)
        | measure.progress8_in_need(out)
    )


def model_relative_likelihoods(text: str, out: Path) -> dict[str, float]:
    """RR_g on the model's own probabilities (no sampling noise): the mean probability of
    a grade 5 pass with every pupil (with key stage 2 results) in group g, over the same
    with every pupil in NEVER."""
    import pyarrow.parquet as pq

    model = pq.read_table(out / "_generator" / "ks4_2018_model.parquet").to_pandas()
    base = model.loc[model["has_prior"], "base"].to_numpy()
    effect = load_parameters_from(text)["outcomes"]["ks4"]["care"]
    never = float(np.mean(1 / (1 + np.exp(-base))))
    return {
        g: float(np.mean(1 / (1 + np.exp(-(base + float(effect[g])))))) / never for g in GROUP_CODES
    }


def _solve_group_effects(text: str, out: Path) -> str:
    """The group effects that give the wanted relative likelihoods, by bisection on the
    model's own probabilities (exact: the base log-odds do not depend on them)."""
    import pyarrow.parquet as pq

    model = pq.read_table(out / "_generator" / "ks4_2018_model.parquet").to_pandas()
    base = model.loc[model["has_prior"], "base"].to_numpy()
    never = float(np.mean(1 / (1 + np.exp(-base))))
    for knob in stage("key stage 4 group effects").knobs:
        wanted = RELATIVE_LIKELIHOOD[str(knob.key).removeprefix("care/")]
        lo, hi = -6.0, 2.0
        for _ in range(60):
            mid = (lo + hi) / 2
            rr = float(np.mean(1 / (1 + np.exp(-(base + mid))))) / never
            lo, hi = (mid, hi) if rr < wanted else (lo, mid)
        text = set_param(text, knob.table, knob.key, (lo + hi) / 2)
    return text


#: The outcome stages in the order outcomes depend on each other, with their goals.
OUTCOME_BLOCKS = (
    ("early years and key stage 2", tuple(OUTCOME_AIMS)),
    ("key stage 4", ("B6_all", "B6_cin", "C5_all")),
    ("Progress 8 of pupils in need", ("p8_in_need_2018",)),
    ("after 16", ("level2_19_all", "neet_18_all", "he_18_all")),
)


def fit_outcomes(
    text: str,
    geography: object,
    iterations: int = 3,
    scale: float = 0.1,
    blocks: tuple[str, ...] = (),
) -> str:
    """Each outcome stage in turn (`blocks`: only these; default all): Levenberg-Marquardt
    on its goals, the key stage 4 group effects solved after every evaluation (B7, B8); the
    authorities' spread of Progress 8 set from the shipped file."""
    from bulletin.synthetic import build_world

    params = load_parameters_from(text)
    world = build_world(geography, seed=1, scale=scale, params=params)  # type: ignore[arg-type]
    solved: dict[str, str] = {}
    measured: dict[str, dict[str, float]] = {}

    def run(candidate: str, out: Path) -> None:
        generate(
            geography,  # type: ignore[arg-type]
            out,
            seed=1,
            scale=scale,
            params=load_parameters_from(candidate),
            absence=False,
            world=world,
        )

    def evaluate(candidate: str, resolve: bool = False) -> dict[str, float]:
        """The outcome rows of a candidate: only the outcome parameters differ from the
        world's, so the world (population, social care, schools) is built once. With
        `resolve`, the group effects solved for the candidate's base are put in and the
        rows measured with them (key stage 4: its rows depend on them)."""
        if candidate in measured:
            return measured[candidate]
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "extract"
            run(candidate, out)
            solved[candidate] = _solve_group_effects(candidate, out)
            if resolve and solved[candidate] != candidate:
                out = Path(tmp) / "again"
                run(solved[candidate], out)
            measured[candidate] = _outcome_measures(out)
        return measured[candidate]

    for label, goals in OUTCOME_BLOCKS:
        if blocks and label not in blocks:
            continue
        print(f"fitting {label}", file=sys.stderr, flush=True)
        knobs = tuple(k for k in stage(label).knobs if k.step)
        if label == "Progress 8 of pupils in need":
            spread = 10 * ks4_la_figures()["p8_la_sd"]  # Attainment 8 points
            text = set_param(text, "outcomes.ks4", "la_care_sd", round(spread, 3))
            (goal,) = goals
            text = _secant(text, knobs[0], goal, lambda c: evaluate(c)[goal], rounds=2)  # noqa: B023
        else:
            resolve = label == "key stage 4"
            text = _levenberg_marquardt(
                text,
                knobs,
                list(goals),
                lambda c: evaluate(c, resolve),  # noqa: B023
                iterations,
                after_each=lambda candidate, _: solved.get(candidate, candidate),
            )
        evaluate(text)
        text = solved[text]
    return text


#: The stages fitted again at scale 1.0 (seed 1) after the fit at small scale: the flow
#: fitted at 0.2 leaves the counts of children in need about 1% high at 1.0 (A2_2013 failed
#: for all six seeds, B1 and A1 sat high); B3 counts schools and depends on scale (and B4,
#: B5 move with it); the attainment stages' rows of
#: children in need are too noisy at small scale for their margins (C3_cin, B6_cin, C7).
#: Progress 8 and after 16 follow key stage 4, and are fitted again after it (at 0.1: the
#: rates of all pupils are precise there).
POLISH = ("flow of cases", "schools", "early years and key stage 2", "key stage 4")


def polish(text: str, geography: object) -> str:
    print("polishing at scale 1.0: the flow of cases", file=sys.stderr, flush=True)
    text = fit_flow(text, geography, 1.0, iterations=2)
    print("polishing at scale 1.0: the schools", file=sys.stderr, flush=True)
    text = fit_schools(text, geography, 1.0)
    text = fit_outcomes(text, geography, iterations=1, scale=1.0, blocks=POLISH[2:3])
    return polish_ks4(text, geography)


def polish_ks4(text: str, geography: object, iterations: int = 3) -> str:
    """Key stage 4 at scale 1.0 (B6_cin moves slowly: one step took it from 0.077 to 0.080),
    then what follows it."""
    text = fit_outcomes(text, geography, iterations=iterations, scale=1.0, blocks=POLISH[3:])
    return fit_outcomes(text, geography, blocks=("Progress 8 of pupils in need", "after 16"))


# -- verification ------------------------------------------------------------------------------


def measure_all(out: Path) -> dict[str, float]:
    values = measure.population_check(out, POPULATION) | measure.pupils_and_schools(out)
    values |= measure.care_rows(out, POPULATION) | measure.school_rows(out) | measure.sen_rows(out)
    values |= measure.absence_rows(out)
    if (out / "_generator" / "ks4_2018_model.parquet").is_file():
        values |= measure.attainment_rows(out) | measure.after16_rows(out)
        values |= measure.after16_all_rows(out) | measure.progress8_in_need(out)
        rr = model_relative_likelihoods(default_path().read_text(encoding="utf-8"), out)
        values["B7_model"] = min(rr.values())
        values["B8_model"] = max(abs(rr["cino"] - rr["cla"]), abs(rr["cppo"] - rr["cla"]))
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


COUNTS = {"A4", "A5_2017", "A5_2018", "A6", "B1", "B3", "D1"} | {
    f"A{i}_{y}" for i in (1, 2) for y in range(2013, 2019)
}


def table(results: dict[int, dict[str, float]], default_seed: int, scale: float = 1.0) -> str:
    """The calibration rows; counts below scale 1.0 are divided by the scale (a rough
    guide only: the contract is checked at scale 1.0)."""
    goal = targets()
    kinds = kind_of_rows()
    lines = [
        f"{'id':<10} {'kind':<11} {'target':<24} {'value':>14} {'result':<6} {'mean':>14} "
        f"{'sd':>10}"
    ]
    rows = list(ROWS) + [f"A6_{p}" for p in A6_BY_PHASE]
    for row in rows:
        if row.startswith("A6_"):
            derived = A6_BY_PHASE[row[3:]]
            lo, hi = derived * 0.9, derived * 1.1
        else:
            lo, hi = goal[row.removesuffix("_model")]
        per = 1 / scale if (row in COUNTS or row.startswith("A6_")) else 1.0
        values = [r.get(row, float("nan")) * per for r in results.values()]
        value = results.get(default_seed, next(iter(results.values()))).get(row, float("nan")) * per
        ok = "PASS" if lo <= value <= hi else "FAIL"
        mean = statistics.fmean(values)
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        kind = kinds.get(row.removesuffix("_model"), "")
        lines.append(
            f"{row:<10} {kind:<11} {f'{lo:g} to {hi:g}':<24} {value:>14,.4f} {ok:<6} "
            f"{mean:>14,.4f} {sd:>10,.4f}"
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
    parser.add_argument(
        "--fit-care", action="store_true", help="fit only social care, schools, SEN and absence"
    )
    parser.add_argument(
        "--fit-outcomes", action="store_true", help="fit only attainment and outcomes after 16"
    )
    parser.add_argument("--blocks", nargs="*", help="with --fit-outcomes: only these blocks")
    parser.add_argument("--iterations", type=int, default=3, help="with --fit-outcomes")
    parser.add_argument(
        "--fit-scale", type=float, default=0.1, help="with --fit-outcomes: the scale to fit at"
    )
    parser.add_argument(
        "--polish", action="store_true", help="only the polish at scale 1.0 (POLISH)"
    )
    parser.add_argument(
        "--polish-ks4",
        type=int,
        metavar="N",
        help="only N more iterations of key stage 4 at scale 1.0, and what follows it",
    )
    parser.add_argument(
        "--save", action="store_true", help="keep the seed results for the ledger (scale 1.0)"
    )
    parser.add_argument(
        "--ledger",
        action="store_true",
        help="write the ledger, calibration.json and the provenance of parameters.toml, "
        "from the declarations and the saved seed results, and stop",
    )
    args = parser.parse_args(argv)
    from benchmarks import ledger

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    settings = load_settings(ROOT)
    if args.ledger:
        ledger.write(settings.seed)
        log(f"written: {ledger.LEDGER}, {ledger.CLASSIFICATION}, {ledger.PARAMETERS}")
        return 0
    if args.fit_outcomes and not (args.fit or args.fit_care):
        geography = load_geography(ROOT / "data/public")
        path = default_path()
        blocks = tuple(args.blocks) if args.blocks else tuple(b for b, _ in OUTCOME_BLOCKS)
        text = fit_outcomes(
            path.read_text(encoding="utf-8"),
            geography,
            args.iterations,
            scale=args.fit_scale,
            blocks=blocks,
        )
        log("fitted: attainment and outcomes after 16")
        path.write_text(ledger.with_provenance(text), encoding="utf-8")
    if args.fit or args.fit_care:
        geography = load_geography(ROOT / "data/public")
        weights = np.array([la.children for la in geography.authorities], float)
        path = default_path()
        text = path.read_text(encoding="utf-8")
        if args.fit:
            text = fit_population(text, weights)
            log("fitted: population")
            text = fit_census(text, geography)
            log("fitted: census")
        text = fit_care(text, geography)
        log("fitted: social care, schools, SEN and absence")
        text = fit_census(text, geography, rounds=2)
        log("fitted: census again (SEN depends on social care)")
        text = fit_outcomes(text, geography)
        log("fitted: attainment and outcomes after 16")
        path.write_text(ledger.with_provenance(text), encoding="utf-8")
    if args.fit or args.polish:
        geography = load_geography(ROOT / "data/public")
        path = default_path()
        text = polish(path.read_text(encoding="utf-8"), geography)
        log("polished at scale 1.0")
        path.write_text(ledger.with_provenance(text), encoding="utf-8")
    if args.polish_ks4:
        geography = load_geography(ROOT / "data/public")
        path = default_path()
        text = polish_ks4(path.read_text(encoding="utf-8"), geography, args.polish_ks4)
        log("polished key stage 4 at scale 1.0")
        path.write_text(ledger.with_provenance(text), encoding="utf-8")
    seeds = args.seeds or [settings.seed]
    results = verify(seeds, args.scale, log)
    print(table(results, settings.seed, args.scale))
    if args.save:
        ledger.save_results(results, args.scale)
        log(f"saved: {ledger.SEED_RESULTS} (write the ledger with --ledger)")
    for seed, values in results.items():
        print(
            f"seed {seed}: "
            + ", ".join(f"{k}={v:,.4f}" for k, v in sorted(values.items()) if not k.startswith("A"))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
