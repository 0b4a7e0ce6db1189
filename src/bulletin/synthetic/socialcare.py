"""Synthetic: children's social care as a process over time.

Each child has a latent need for help (family deprivation, their own learning need and
individual circumstances). Referrals arrive at a rate that rises with need, varies with
age, and rises again after earlier episodes; a closed case is re-referred soon after with
some probability. A referral leads to no further action, to an assessment that finds the
child not in need, or to an episode of need, which may include a child protection plan and
a period of being looked after, each with its own length. Simulated from
`care.history_start` (or birth, or arrival) so that the cases open on 1 April 2011 have
realistic histories; only what overlaps the window is written.

Vectorised in rounds: each round draws every active child's next referral at once; a
child leaves the rounds when their next referral falls after they leave the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from bulletin.synthetic import calendar as cal
from bulletin.synthetic.params import Parameters
from bulletin.synthetic.population import Population
from bulletin.synthetic.streams import stream
from bulletin.synthetic.traits import Traits

YEAR = 365.25
NO_DAY = cal.NEVER
REPORTING_YEARS = tuple(range(2012, 2019))  # 2011-12 to 2017-18
NONE, CIN, CPP, CLA = 0, 1, 2, 3  # statuses, in order of intensity
NFA, NOT_IN_NEED, IN_NEED = 0, 1, 2  # referral outcomes

Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.int32]


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-x))


def _lognormal_days(rng: np.random.Generator, median: float, sigma: float, n: int) -> Days:
    return np.maximum(1, np.round(median * np.exp(sigma * rng.standard_normal(n)))).astype(np.int32)


def _categories(
    rng: np.random.Generator, shares: dict[str, float], n: int
) -> tuple[tuple[str, ...], npt.NDArray[np.int8]]:
    labels = tuple(shares)
    p = np.array([shares[k] for k in labels], np.float64)
    return labels, rng.choice(len(labels), size=n, p=p / p.sum()).astype(np.int8)


@dataclass
class Care:
    """The social care records (episode rows overlap the window) and yearly statuses."""

    episodes: dict[str, Any] = field(default_factory=dict)
    assessments: dict[str, Any] = field(default_factory=dict)
    factors: dict[str, Any] = field(default_factory=dict)
    plans: dict[str, Any] = field(default_factory=dict)
    looked_after: dict[str, Any] = field(default_factory=dict)
    # per reporting year (rows, 2011-12 to 2017-18) and child (columns): the most intense
    # status at any point in the year, and the status on 31 March
    any_point: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros((0, 0), np.int8))
    at_31_march: npt.NDArray[np.int8] = field(default_factory=lambda: np.zeros((0, 0), np.int8))
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)


def need_of(params: Parameters, seed: int, traits: Traits) -> npt.NDArray[np.float64]:
    w = params["care"]["need_weights"]
    a, b = float(w["deprivation"]), float(w["learning"])
    rng = stream(seed, "need")
    dep = (traits.deprivation - traits.deprivation.mean()) / traits.deprivation.std()
    own = np.sqrt(max(0.0, 1 - a**2 - b**2)) * rng.standard_normal(len(dep))
    need: npt.NDArray[np.float64] = (a * dep + b * traits.learning + own).astype(np.float64)
    return need


def _age_bands(params: Parameters) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    table = params["care"]["referral_age_effect"]
    starts = np.array(sorted(float(k) for k in table))
    effects = np.array([float(table[k]) for k in sorted(table, key=float)])
    return starts, effects


def simulate_care(params: Parameters, seed: int, population: Population, traits: Traits) -> Care:
    c = params["care"]
    rng = stream(seed, "care")
    need = need_of(params, seed, traits)
    history_start = cal.day(dt.date.fromisoformat(c["history_start"]))
    window_start, window_end = cal.day(cal.WINDOW_START), cal.day(cal.WINDOW_END) + 1
    arrived = population.origin == 2
    start = np.where(arrived, population.entry, np.maximum(population.birth, history_start)).astype(
        np.int64
    )
    leave = np.minimum(np.minimum(population.exit, population.birthday18), window_end).astype(
        np.int64
    )
    birth = population.birth.astype(np.int64)
    band_starts, band_effects = _age_bands(params)
    year_table = c["referral_year_effect"]
    year_starts = np.array([cal.day(dt.date(int(y) - 1, 4, 1)) for y in sorted(year_table)])
    year_effects = np.array([float(year_table[y]) for y in sorted(year_table)])
    top_effect = band_effects.max() + max(0.0, year_effects.max())

    base = float(c["referral_log_rate"]) + float(c["referral_need_effect"]) * need
    history_effect = float(c["history_effect"])
    rr, nin = c["rereferral"], c["not_in_need"]
    aside = ThreadPoolExecutor(max_workers=1)  # while the first referrals are drawn
    probabilities = aside.submit(
        lambda: (
            _sigmoid(float(rr["intercept"]) + float(rr["need"]) * need),
            _sigmoid(float(nin["intercept"]) + float(nin["need"]) * need),
        )
    )
    aside.shutdown(wait=False)
    p_nfa = float(c["no_further_action"])

    never = np.iinfo(np.int64).max
    active = np.flatnonzero(leave > start)
    t = start[active].copy()
    prior = np.zeros(len(active), np.int64)  # earlier episodes of need
    pending = np.full(len(active), never)  # a scheduled re-referral
    rows: list[dict[str, Any]] = []
    while len(active):
        # the next referral by thinning: propose at the highest age rate, accept by age
        until = np.minimum(leave[active], pending)
        born = birth[active]
        mean_wait = YEAR / np.exp(base[active] + history_effect * np.minimum(prior, 3) + top_effect)
        next_referral = np.full(len(active), never)
        proposal = t.copy()
        undecided = np.arange(len(active))
        while len(undecided):
            # the same draws as rng.exponential(mean_wait[undecided]), twice as fast
            gap = rng.standard_exponential(len(undecided)) * mean_wait[undecided]
            proposal_u = proposal[undecided] + np.ceil(gap).astype(np.int64)
            beyond = proposal_u >= until[undecided]
            age = (proposal_u - born[undecided]) * (1 / YEAR)
            effect = band_effects[np.searchsorted(band_starts, age, side="right") - 1]
            year = np.maximum(np.searchsorted(year_starts, proposal_u, side="right") - 1, 0)
            effect = effect + year_effects[year]
            accept = ~beyond & (rng.random(len(undecided)) < np.exp(effect - top_effect))
            next_referral[undecided[accept]] = proposal_u[accept]
            keep = ~beyond & ~accept
            proposal[undecided[keep]] = proposal_u[keep]
            undecided = undecided[keep]
        when = np.minimum(next_referral, pending)
        going = when < leave[active]
        active, when, prior, t = active[going], when[going], prior[going], t[going]
        if not len(active):
            break
        was_rereferral = when == pending[going]
        p_rereferral, p_not_in_need = probabilities.result()
        outcome, closure, row = _referrals(
            params, rng, active, when, need, birth, leave, p_nfa, p_not_in_need
        )
        row["rereferral"] = was_rereferral
        overlaps = row["closure"] >= window_start  # only what overlaps the window is kept
        rows.append({k: v[overlaps] for k, v in row.items()})
        prior = prior + (outcome == IN_NEED)
        t = closure.astype(np.int64) + 1
        again = rng.random(len(active)) < p_rereferral[active]
        wait = np.ceil(rng.exponential(float(rr["mean_days"]), len(active))).astype(np.int64)
        pending = np.where(again, t + wait, never)
        still = t < leave[active]
        active, t, prior, pending = active[still], t[still], prior[still], pending[still]
    return _assemble(params, seed, rows, population, traits, window_end)


def _referrals(
    params: Parameters,
    rng: np.random.Generator,
    child: Ints,
    when: Ints,
    need: npt.NDArray[np.float64],
    birth: Ints,
    leave: Ints,
    p_nfa: float,
    p_not_in_need: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.int8], Ints, dict[str, Any]]:
    """One referral for each given child: its outcome and, for an episode of need, what it
    holds (assessment, plan, period of care) and when it closes (capped at leaving)."""
    c = params["care"]
    n = len(child)
    u = rng.random(n)
    outcome = np.where(
        u < p_nfa,
        NFA,
        np.where(u < p_nfa + (1 - p_nfa) * p_not_in_need[child], NOT_IN_NEED, IN_NEED),
    ).astype(np.int8)
    a = c["assessment_days"]
    assess_start = when + rng.integers(0, 10, n)
    assess_end = assess_start + _lognormal_days(rng, float(a["median"]), float(a["sigma"]), n)
    in_need = outcome == IN_NEED
    x = need[child]
    age = (when - birth[child]) / YEAR

    p = c["protection_plan"]
    has_plan = in_need & (rng.random(n) < _sigmoid(float(p["intercept"]) + float(p["need"]) * x))
    plan_start = assess_end + rng.integers(0, 30, n)
    plan_end = plan_start + _lognormal_days(rng, float(p["median_days"]), float(p["sigma"]), n)

    la = c["looked_after"]
    age_effect = np.where(age < 1, float(la["infant"]), np.where(age >= 12, float(la["teen"]), 0.0))
    has_care = in_need & (
        rng.random(n) < _sigmoid(float(la["intercept"]) + float(la["need"]) * x + age_effect)
    )
    care_start = np.where(
        has_plan, plan_start + rng.integers(0, 120, n), when + rng.integers(0, 90, n)
    )
    short = rng.random(n) < float(la["short_share"])
    care_days = np.where(
        short,
        _lognormal_days(rng, float(la["short_median_days"]), float(la["sigma"]), n),
        _lognormal_days(rng, float(la["long_median_days"]), float(la["sigma"]), n),
    )
    care_end = care_start + care_days

    cin = c["cin_days"]
    table = c["episode_length_year_effect"]
    starts = np.array([cal.day(dt.date(int(y) - 1, 4, 1)) for y in sorted(table)])
    effects = np.array([float(table[y]) for y in sorted(table)])
    year = np.searchsorted(starts, when, side="right") - 1
    factor = np.where(year >= 0, np.exp(effects[np.maximum(year, 0)]), 1.0)
    length = _lognormal_days(rng, float(cin["median"]), float(cin["sigma"]), n)
    cin_end = when + np.maximum(1, np.round(length * factor)).astype(np.int64)
    cin_end = np.maximum(cin_end, assess_end)
    cin_end = np.where(
        has_plan, np.maximum(cin_end, plan_end + rng.integers(0, int(p["after_days"]), n)), cin_end
    )
    cin_end = np.where(has_care, np.maximum(cin_end, care_end), cin_end)
    closure = np.where(outcome == NFA, when, np.where(outcome == NOT_IN_NEED, assess_end, cin_end))
    ends = leave[child]
    truncated = closure >= ends  # open when the child leaves or the window ends
    closure = np.minimum(closure, ends - 1)
    has_plan &= plan_start <= closure  # a plan or care due after the child left never began
    has_care &= care_start <= closure
    row = {
        "child": child,
        "referral": when,
        "outcome": outcome,
        "assess_start": np.where(outcome == NFA, NO_DAY, assess_start),
        "assess_end": np.where(outcome == NFA, NO_DAY, assess_end),
        "closure": closure,
        "truncated": truncated,
        "plan_start": np.where(has_plan, plan_start, NO_DAY),
        "plan_end": np.where(has_plan, np.minimum(plan_end, closure), NO_DAY),
        "care_start": np.where(has_care, np.minimum(care_start, closure), NO_DAY),
        "care_end": np.where(has_care, np.minimum(care_end, closure), NO_DAY),
    }
    return outcome, closure, row


def _overlap_status(
    status: npt.NDArray[np.int8],
    child: Ints,
    start: Ints,
    end: Ints,
    code: int,
    first: int,
    last: int,
) -> None:
    """Raise `status` to `code` for children with an interval [start, end] meeting [first,
    last]; with first = last + 1, for intervals open on `last` (closing after it). Callers
    raise in increasing order of code, so a plain assignment is the maximum."""
    meets = (start <= last) & (end >= first) & (start != NO_DAY)
    status[child[meets]] = code


def _assemble(
    params: Parameters,
    seed: int,
    rounds: list[dict[str, Any]],
    population: Population,
    traits: Traits,
    window_end: int,
) -> Care:
    c = params["care"]
    rng = stream(seed, "care-records")
    keys = rounds[0].keys() if rounds else []
    rows = {k: np.concatenate([r[k] for r in rounds]) for k in keys}
    order = np.lexsort((rows["referral"], rows["child"]))
    rows = {k: v[order] for k, v in rows.items()}
    n = len(order)
    care = Care()

    # the assessment factors are drawn on a second thread, from where the stream will be
    # after the four draws of n uniforms below (closure reasons, ages, needs, sources)
    assessed = np.flatnonzero(rows["assess_start"] != NO_DAY)  # every referral not NFA
    authorised = rows["assess_end"][assessed]
    authorised = np.where(authorised > rows["closure"][assessed], NO_DAY, authorised)
    done = np.flatnonzero(authorised != NO_DAY)
    factor_codes = tuple(c["assessment_factors"])
    factor_shares = np.array([float(c["assessment_factors"][k]) for k in factor_codes])
    factors = _Ahead(
        rng, 4 * n, (len(done), len(factor_codes)), lambda u: np.nonzero(u < factor_shares)
    )
    leaves = population.exit[rows["child"]] < window_end
    aged_out = population.birthday18[rows["child"]] - 1 <= rows["closure"]
    open_at_end = rows["truncated"] & ~leaves & ~aged_out
    in_need = rows["outcome"] == IN_NEED

    # closure reasons: RC8 for referrals closed without need; for episodes of need, by share,
    # with RC6 or RC7 for those who reach 18, and RC1, RC3, RC4 only after a period of care
    reasons = ("RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8")
    shares = c["closure_reasons"]
    p = np.array([float(shares.get(r, 0.0)) for r in reasons])
    closure_reason = rng.choice(len(reasons), size=n, p=p / p.sum()).astype(np.int8)
    rc = {r: np.int8(i) for i, r in enumerate(reasons)}
    had_care = rows["care_start"] != NO_DAY
    orders = np.isin(closure_reason, [rc["RC1"], rc["RC3"], rc["RC4"]])
    closure_reason[orders & ~had_care] = rc["RC7"]
    adult = rng.random(n) < 0.1
    closure_reason[aged_out & in_need] = np.where(adult, rc["RC6"], rc["RC7"])[aged_out & in_need]
    closure_reason[~in_need] = rc["RC8"]
    closure_reason[open_at_end] = -1

    episode_id = np.arange(1, n + 1, dtype=np.int64)
    need_labels, primary = _categories(rng, c["primary_need"], n)
    primary = primary.astype(np.int8)
    primary[rows["outcome"] == NFA] = -1
    disabled = traits.learning[rows["child"]] > float(c["disability_learning_threshold"])
    care.episodes = {
        "episode_id": episode_id,
        "child": rows["child"],
        "la": population.la[rows["child"]],
        "referral_date": rows["referral"],
        "referral_source": None,  # drawn below
        "referral_nfa": rows["outcome"] == NFA,
        "primary_need": primary,
        "disabled": disabled & in_need,
        "closure_date": np.where(open_at_end, NO_DAY, rows["closure"]),
        "closure_reason": closure_reason,
        "in_need": in_need,
        "rereferral": rows["rereferral"],
    }
    sources = dict.fromkeys(
        (
            "1A",
            "1B",
            "1C",
            "1D",
            "2A",
            "2B",
            "3A",
            "3B",
            "3C",
            "3D",
            "3E",
            "3F",
            "4",
            "5A",
            "5B",
            "5C",
            "5D",
            "6",
            "7",
            "8",
            "9",
            "10",
        ),
        1.0,
    )
    sources |= {
        "2A": 18.0,
        "6": 29.0,
        "3C": 5.0,
        "3B": 3.0,
        "5A": 4.0,
        "1A": 5.0,
        "5D": 4.0,
        "8": 8.0,
        "10": 2.0,
    }
    care.labels["referral_source"], care.episodes["referral_source"] = _categories(rng, sources, n)
    care.labels["reason"] = reasons
    care.labels["need"] = need_labels

    # assessments (every referral not closed with no further action) and their factors
    assessment_id = episode_id[assessed]
    care.assessments = {
        "assessment_id": assessment_id,
        "episode_id": episode_id[assessed],
        "start_date": rows["assess_start"][assessed],
        "authorised_date": authorised,
    }
    factors.skip(rng)  # the factors' uniforms, drawn on the second thread
    care.labels["factor"] = factor_codes

    # child protection plans and periods of care
    planned = np.flatnonzero(rows["plan_start"] != NO_DAY)
    plan_open = open_at_end[planned] & (rows["plan_end"][planned] >= rows["closure"][planned])
    care.labels["category"], category = _categories(rng, c["abuse_category"], len(planned))
    care.plans = {
        "plan_id": np.arange(1, len(planned) + 1, dtype=np.int64),
        "episode_id": episode_id[planned],
        "start_date": rows["plan_start"][planned],
        "end_date": np.where(plan_open, NO_DAY, rows["plan_end"][planned]),
        "initial_category": category,
    }
    cared = np.flatnonzero(rows["care_start"] != NO_DAY)
    care_open = open_at_end[cared] & (rows["care_end"][cared] >= rows["closure"][cared])
    first_start, last_end = (
        rows["care_start"][cared],
        np.where(care_open, NO_DAY, rows["care_end"][cared]),
    )
    moves = rng.random(len(cared)) < float(c["placement_move"])
    middle = first_start + (rows["care_end"][cared] - first_start) // 2
    split = moves & (middle > first_start)
    child_rows = np.concatenate([rows["child"][cared], rows["child"][cared][split]])
    starts = np.concatenate([first_start, middle[split]])
    ends = np.concatenate([np.where(split, middle, last_end), last_end[split]])
    care.labels["legal"], legal = _categories(rng, c["legal_status"], len(starts))
    care.labels["placement"], placement = _categories(rng, c["placement"], len(starts))
    care.looked_after = {
        "cla_id": np.arange(1, len(starts) + 1, dtype=np.int64),
        "child": child_rows,
        "la": population.la[child_rows],
        "start_date": starts,
        "end_date": ends,
        "legal_status": legal,
        "placement": placement,
    }

    # statuses by reporting year, for the census (SEN, absence) and the fit script
    n_children = len(population)
    care.any_point = np.zeros((len(REPORTING_YEARS), n_children), np.int8)
    care.at_31_march = np.zeros((len(REPORTING_YEARS), n_children), np.int8)
    # counted as in need: episodes of need, and referrals still open when the window ends
    # (their assessment's outcome is not known yet, so the statistics count them)
    counted = in_need | (open_at_end & (rows["outcome"] != NFA))
    need_rows = np.flatnonzero(counted)
    child = rows["child"][need_rows]
    still_open = open_at_end[need_rows]

    def until(end: Ints) -> Ints:
        """End of a status interval: the window's end when the case is still open then."""
        return np.where(still_open & (end >= rows["closure"][need_rows]), window_end, end)

    intervals = (
        (CIN, rows["referral"][need_rows], until(rows["closure"][need_rows])),
        (CPP, rows["plan_start"][need_rows], until(rows["plan_end"][need_rows])),
        (CLA, rows["care_start"][need_rows], until(rows["care_end"][need_rows])),
    )
    for i, year in enumerate(REPORTING_YEARS):
        first, last = cal.day(dt.date(year - 1, 4, 1)), cal.day(dt.date(year, 3, 31))
        for code_, begin, end in intervals:
            _overlap_status(care.any_point[i], child, begin, end, code_, first, last)
            _overlap_status(care.at_31_march[i], child, begin, end, code_, last + 1, last)

    which, factor = factors.result.result()
    care.factors = {"assessment_id": assessment_id[done][which], "factor": factor.astype(np.int8)}
    return care


class _Ahead:
    """`use(rng.random(shape))`, drawn on a second thread from `skip` steps ahead of where
    `rng` is now; the caller calls `skip(rng)` when it reaches that point, and its later
    draws are the same as if it had drawn the uniforms itself (each uniform double takes
    exactly one step of PCG64, and `skip` checks that the stream is where it should be)."""

    def __init__(
        self,
        rng: np.random.Generator,
        skip: int,
        shape: tuple[int, int],
        use: Callable[[npt.NDArray[np.float64]], tuple[Any, ...]],
    ) -> None:
        bits = rng.bit_generator
        assert isinstance(bits, np.random.PCG64)
        self.at, self.size = bits.jumped(0), shape[0] * shape[1]  # a copy of the state
        self.at.advance(skip)
        ahead = np.random.PCG64()
        ahead.state = self.at.state
        pool = ThreadPoolExecutor(max_workers=1)
        self.result = pool.submit(lambda: use(np.random.Generator(ahead).random(shape)))
        pool.shutdown(wait=False)

    def skip(self, rng: np.random.Generator) -> None:
        bits = rng.bit_generator
        assert isinstance(bits, np.random.PCG64)
        assert bits.state == self.at.state, "the stream is not where the draws were made"
        bits.advance(self.size)
