"""Synthetic: attainment and outcomes after 16.

Each child has a latent ability (the opposite of learning need and deprivation, plus their
own). At each stage, the early years foundation stage profile (reception), key stage 2
(year 6) and key stage 4 (year 11), the outcome follows ability, the pupil's social care
history and the stage's own noise. The gap for children who needed a social worker widens
from the early years to key stage 2 without a larger social care term: key stage 2 has none
(its care terms are 0), and its expected standard asks for three subjects, each with its own
noise, so the same difference in ability parts more pupils at its bar. Key stage 4 passes are logistic in exactly
the controls of the regression in `calibration-targets.md` (prior attainment at key stage
2, SEN, free school meals, gender, ethnicity, first language, month of birth, school
moves) plus a social care group effect, so the model's own probabilities are known.
Outcomes after 16 follow the key stage 4 latent and social care in the year of GCSEs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bulletin.synthetic.params import Parameters
from bulletin.synthetic.streams import stream

Floats = npt.NDArray[np.float64]
FIRST_LEVELS_YEAR, SCALED_FROM = 200708, 201516  # key stage 2: levels until 2014/15
KS2_LEVELS = ("B", "N", "2", "3", "4", "5", "6")
WRITING_TA = ("GDS", "EXS", "WTS", "PKF", "BLW")
ACTIVITIES = ("education", "employment", "neet", "unknown")
# social care groups at key stage 4, assigned in this order (calibration-targets.md)
NEVER, PREV, CINO, CPPO, CLA = range(5)
GROUPS = ("never", "prev", "cino", "cppo", "cla")


def _sigmoid(x: Floats) -> Floats:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class Pupils:
    """What an assessment year needs about its pupils (main registrations)."""

    academic_year: int
    child: npt.NDArray[np.int64]
    ncyear: npt.NDArray[np.int16]
    school: npt.NDArray[np.int32]
    sen: npt.NDArray[np.int8]
    fsm: npt.NDArray[np.bool_]
    language: npt.NDArray[np.int8]
    status: npt.NDArray[np.int8]  # most intense social care status in the reporting year
    earlier: npt.NDArray[np.bool_]  # in need in an earlier year of the window


@dataclass
class OutcomeState:
    """What carries over between census years: each pupil's key stage 2 prior attainment,
    the school at the previous census and the school moves in years 8 to 11."""

    ability: Floats
    ks2_points: Floats  # average reading and maths fine points; NaN without a result
    last_school: npt.NDArray[np.int32]
    moves: npt.NDArray[np.int8]


def start(
    params: Parameters,
    seed: int,
    deprivation: npt.NDArray[np.floating[Any]],
    learning: npt.NDArray[np.floating[Any]],
) -> OutcomeState:
    o = params["outcomes"]["ability"]
    rng = stream(seed, "ability")
    dep = (deprivation - deprivation.mean()) / deprivation.std()
    a, b = float(o["learning"]), float(o["deprivation"])
    own = np.sqrt(max(0.0, 1 - a**2 - b**2)) * rng.standard_normal(len(dep))
    n = len(dep)
    return OutcomeState(
        ability=(-a * learning - b * dep + own).astype(np.float64),
        ks2_points=np.full(n, np.nan),
        last_school=np.full(n, -1, np.int32),
        moves=np.zeros(n, np.int8),
    )


def _care_effect(effects: dict[str, float], pupils: Pupils) -> Floats:
    """A stage's social care effect: by status this year, else earlier need."""
    status = pupils.status
    return np.select(
        [status == 3, status == 2, status == 1, pupils.earlier],
        [effects["cla"], effects["cppo"], effects["cino"], effects["prev"]],
        0.0,
    )


def _year_shift(table: dict[str, float], year: int) -> float:
    return float(table.get(str(year), 0.0))


def eyfsp(params: Parameters, seed: int, state: OutcomeState, pupils: Pupils) -> dict[str, Any]:
    """Good level of development at the end of reception (year group 0)."""
    o = params["outcomes"]["eyfsp"]
    rng = stream(seed, "eyfsp", pupils.academic_year)
    who = np.flatnonzero(pupils.ncyear == 0)
    p = pupils_subset(pupils, who)
    logit = (
        float(o["intercept"])
        + _year_shift(o["year"], p.academic_year)
        + float(o["ability"]) * state.ability[p.child]
        + _care_effect(o["care"], p)
    )
    return {
        "child": p.child,
        "academic_year": np.full(len(who), p.academic_year, np.int32),
        "gld": rng.random(len(who)) < _sigmoid(logit),
    }


def pupils_subset(pupils: Pupils, who: npt.NDArray[np.intp]) -> Pupils:
    return Pupils(
        pupils.academic_year,
        pupils.child[who],
        pupils.ncyear[who],
        pupils.school[who],
        pupils.sen[who],
        pupils.fsm[who],
        pupils.language[who],
        pupils.status[who],
        pupils.earlier[who],
    )


def ks2(
    params: Parameters, seed: int, state: OutcomeState, pupils: Pupils, year_group: int = 6
) -> dict[str, Any]:
    """Key stage 2 at the end of year 6. Before 2015/16: levels and fine points (level 4 =
    27 points, 6 points a level); from 2015/16: scaled scores (100 = the expected standard)
    and a writing teacher assessment. `year_group` > 6 gives the results of pupils who took
    key stage 2 before the window (first seen in a later year group)."""
    o = params["outcomes"]["ks2"]
    year = pupils.academic_year - 101 * (year_group - 6)  # 201112 -> 201011 per year back
    rng = stream(seed, "ks2", year)
    who = np.flatnonzero(pupils.ncyear == year_group)
    p = pupils_subset(pupils, who)
    n = len(who)
    latent = (
        state.ability[p.child]
        + _care_effect(o["care"], p)
        + float(o["stage_sd"]) * rng.standard_normal(n)
    )
    shift = _year_shift(o["year"], year)
    reading = latent + shift + float(o["subject_sd"]) * rng.standard_normal(n)
    maths = latent + shift + float(o["subject_sd"]) * rng.standard_normal(n)
    writing = latent + shift + float(o["subject_sd"]) * rng.standard_normal(n)
    out: dict[str, Any] = {"child": p.child, "academic_year": np.full(n, year, np.int32)}
    empty_codes = np.full(n, -1, np.int8)
    if year < SCALED_FROM:
        points = float(o["points_per_sd"])
        fine = [np.clip(np.round(27.5 + points * x, 1), 9, 39) for x in (reading, maths)]
        out["reading_fine_points"], out["maths_fine_points"] = fine
        out["reading_level"], out["maths_level"] = (_level(f) for f in fine)
        writing_level = _level(np.clip(27.5 + points * writing, 9, 39))
        level4 = KS2_LEVELS.index("4")
        out["rwm_expected"] = (
            (out["reading_level"] >= level4)
            & (out["maths_level"] >= level4)
            & (writing_level >= level4)
        )
        out["reading_scaled"] = out["maths_scaled"] = np.full(n, -1, np.int32)
        out["writing_ta"] = empty_codes
        state.ks2_points[p.child] = (fine[0] + fine[1]) / 2
    else:
        scale = float(o["scaled_per_sd"])
        scaled = [
            np.clip(np.round(103 + scale * x), 80, 120).astype(np.int32) for x in (reading, maths)
        ]
        out["reading_scaled"], out["maths_scaled"] = scaled
        ta = np.select(
            [writing > 1.2, writing > -0.25, writing > -1.5, writing > -2.5],
            [0, 1, 2, 3],
            4,
        ).astype(np.int8)
        out["writing_ta"] = ta
        out["rwm_expected"] = (scaled[0] >= 100) & (scaled[1] >= 100) & (ta <= 1)
        out["reading_level"] = out["maths_level"] = empty_codes
        out["reading_fine_points"] = out["maths_fine_points"] = np.full(n, np.nan)
    return out


def _level(points: Floats) -> npt.NDArray[np.int8]:
    """Index into KS2_LEVELS of fine points: below 15 is 'B', then a level every 6 points."""
    level = np.clip(np.floor((points - 3) / 6), 2, 6).astype(np.int8)  # 15 -> 2, 27 -> 4
    return np.where(points < 15, 0, level).astype(np.int8)


def track_moves(state: OutcomeState, pupils: Pupils) -> None:
    """Count changes of school between consecutive January censuses in years 8 to 11."""
    child, school = pupils.child, pupils.school
    counted = (pupils.ncyear >= 9) & (pupils.ncyear <= 11)
    before = state.last_school[child]
    moved = counted & (before >= 0) & (before != school)
    state.moves[child[moved]] = np.minimum(state.moves[child[moved]] + 1, 2)
    state.last_school[child] = school


def ks4_group(pupils: Pupils) -> npt.NDArray[np.int8]:
    """CLA, else CPPO, else CINO (in the year), else PREV (in need earlier), else NEVER."""
    s = pupils.status
    return np.select(
        [s == 3, s == 2, s == 1, pupils.earlier], [CLA, CPPO, CINO, PREV], NEVER
    ).astype(np.int8)


def ks4_linear(
    params: Parameters,
    state: OutcomeState,
    pupils: Pupils,
    month: npt.NDArray[np.int32],
    male: npt.NDArray[np.bool_],
    major: npt.NDArray[np.int8],
) -> tuple[Floats, Floats]:
    """The log-odds of a grade 5 pass in English and maths, without and with the social
    care group effect: linear in the regression's controls (no unobserved term)."""
    o = params["outcomes"]["ks4"]
    prior = state.ks2_points[pupils.child]
    known = ~np.isnan(prior)
    # pupils without key stage 2 results: their ability stands in for the prior
    standard = np.where(
        known,
        (prior - 27.5) / float(params["outcomes"]["ks2"]["points_per_sd"]),
        state.ability[pupils.child],
    )
    ethnicity = np.array(
        [float(o["ethnicity"][g]) for g in ("WHIT", "MIXD", "ASIA", "BLAC", "OTHR", "UNCL")]
    )
    language = np.array([float(o["language"][g]) for g in ("ENG", "OTH", "UNK")])
    sen = np.array([0.0, float(o["sen_support"]), float(o["sen_plan"])])
    months_young = (month - 9) % 12  # September-born 0 (oldest) to August-born 11
    base = (
        float(o["intercept"])
        + _year_shift(o["year"], pupils.academic_year)
        + float(o["prior"]) * standard
        + sen[pupils.sen]
        + float(o["fsm"]) * pupils.fsm
        + float(o["male"]) * male
        + ethnicity[major]
        + language[pupils.language]
        + float(o["month"]) * months_young
        + float(o["moves"]) * state.moves[pupils.child]
    )
    effect = np.array([0.0, *(float(o["care"][g]) for g in GROUPS[1:])])
    return base, base + effect[ks4_group(pupils)]


def ks4(
    params: Parameters,
    seed: int,
    state: OutcomeState,
    pupils: Pupils,
    month: npt.NDArray[np.int32],
    male: npt.NDArray[np.bool_],
    major: npt.NDArray[np.int8],
    school_la: npt.NDArray[np.int16],
) -> dict[str, Any]:
    """Key stage 4 at the end of year 11. Attainment 8 follows the pass latent, plus, for
    pupils in need in the year, a shift and their school's local authority's effect (how
    well the authority supports them), which leave the pass probabilities as they are."""
    o = params["outcomes"]["ks4"]
    rng = stream(seed, "ks4", pupils.academic_year)
    who = np.flatnonzero(pupils.ncyear == 11)
    p = pupils_subset(pupils, who)
    n = len(who)
    base, linear = ks4_linear(params, state, p, month[p.child], male[p.child], major[p.child])
    latent = linear + rng.logistic(0.0, 1.0, n)  # P(latent > 0) = sigmoid(linear)
    la_effect = stream(seed, "ks4-authorities").normal(
        0.0, float(o["la_care_sd"]), int(school_la.max()) + 1
    )
    in_need = p.status > 0
    a8 = np.clip(
        float(o["a8_mean"])
        + float(o["a8_per_unit"]) * latent
        + np.where(in_need, float(o["a8_care"]) + la_effect[school_la[p.school]], 0.0)
        + float(o["a8_sd"]) * rng.standard_normal(n),
        0,
        87,
    )
    a8 = np.round(a8, 1)
    prior = state.ks2_points[p.child]
    progress = np.full(n, np.nan)
    if p.academic_year >= SCALED_FROM:
        known = ~np.isnan(prior)
        band = np.round(prior[known]).astype(np.int64)
        totals = np.bincount(band, weights=a8[known])
        counts = np.bincount(band)
        expected = totals[band] / counts[band]
        progress[known] = np.clip(np.round((a8[known] - expected) / 10, 2), -7, 7)  # the schema
    return {
        "child": p.child,
        "academic_year": np.full(n, p.academic_year, np.int32),
        "school": p.school,
        "attainment8": a8,
        "progress8": progress,
        "em_grade4": latent > -float(o["grade4_margin"]),
        "em_grade5": latent > 0,
        "latent": latent,
        "status": p.status,
        "base": base,  # the log-odds of a grade 5 pass without the social care effect
        "group": ks4_group(p),
        "has_prior": ~np.isnan(prior),
    }


def post16(params: Parameters, seed: int, ks4_rows: dict[str, Any]) -> dict[str, Any]:
    """Level 2 and 3 by 19 and 21, activity and higher education at 18, for one key stage 4
    cohort; what has not happened by the end of the data (2017/18) is left empty."""
    o = params["outcomes"]["post16"]
    year = int(ks4_rows["academic_year"][0]) if len(ks4_rows["child"]) else 0
    rng = stream(seed, "post16", year)
    latent, status = ks4_rows["latent"], ks4_rows["status"]
    n = len(latent)
    in_need = (status > 0).astype(np.float64)
    l2_19 = ks4_rows["em_grade4"] | (
        rng.random(n)
        < _sigmoid(
            float(o["level2_intercept"])
            + float(o["level2_latent"]) * latent
            + float(o["level2_care"]) * in_need
        )
    )
    l2_21 = l2_19 | (rng.random(n) < float(o["level2_catch_up"]))
    l3_19 = l2_19 & (
        rng.random(n)
        < _sigmoid(
            float(o["level3_intercept"])
            + float(o["level3_latent"]) * latent
            + float(o["level3_care"]) * in_need
        )
    )
    l3_21 = l3_19 | (l2_21 & (rng.random(n) < float(o["level3_catch_up"])))
    neet = rng.random(n) < _sigmoid(
        float(o["neet_intercept"])
        + float(o["neet_latent"]) * latent
        + float(o["neet_care"]) * in_need
    )
    unknown = ~neet & (rng.random(n) < float(o["unknown_share"]))
    education = (
        ~neet
        & ~unknown
        & (
            rng.random(n)
            < _sigmoid(float(o["education_intercept"]) + float(o["education_latent"]) * latent)
        )
    )
    activity = np.select([neet, unknown, education], [2, 3, 0], 1).astype(np.int8)
    higher = education & (
        rng.random(n)
        < _sigmoid(
            float(o["he_intercept"])
            + float(o["he_latent"]) * latent
            + float(o["he_care"]) * in_need
        )
    )
    end = 201718  # the last academic year of the data

    def age(years: int) -> bool:  # has the cohort reached 16 + years by the data's end?
        return year + 101 * years <= end

    nothing = np.zeros(n, bool)
    return {
        "child": ks4_rows["child"],
        "ks4_year": np.full(n, year, np.int32),
        "level2_by_19": (l2_19, nothing if age(3) else ~nothing),
        "level3_by_19": (l3_19, nothing if age(3) else ~nothing),
        "level2_by_21": (l2_21, nothing if age(5) else ~nothing),
        "level3_by_21": (l3_21, nothing if age(5) else ~nothing),
        "activity_18": np.where(age(2), activity, -1).astype(np.int8),
        "higher_education_18": (higher, nothing if age(2) else ~nothing),
    }
