"""Synthetic: the January school census, one academic year at a time.

A child resident on census day is a pupil in scope when their year group's participation
allows it (nursery classes and sixth forms take only some children; independent schools
are out of scope). Pupils stay at their school from year to year, move sometimes (more
often when disadvantaged), go from a primary school to its feeder secondary school, and a
few attend special schools, pupil referral units, or hold a second registration.
Free school meals and special educational needs follow the latent traits.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bulletin.synthetic import calendar as cal
from bulletin.synthetic.params import Parameters
from bulletin.synthetic.population import Population, ncyear
from bulletin.synthetic.schools import (
    NURSERY,
    PRIMARY,
    PRU,
    SECONDARY,
    SPECIAL,
    Pools,
    Schools,
    normal_above,
)
from bulletin.synthetic.streams import stream
from bulletin.synthetic.traits import Traits

FIRST_NC, LAST_NC = -2, 13
SEN_CODES = ("N", "K", "E")
STATUS_CODES = ("C", "M", "S")
Mask = npt.NDArray[np.bool_]


def participation(params: Parameters) -> npt.NDArray[np.float64]:
    """Share of year group nc (index nc + 2) in state-funded schools, among non-independents."""
    table = params["census"]["participation"]
    return np.array([float(table[str(nc)]) for nc in range(FIRST_NC, LAST_NC + 1)])


def sen_thresholds(params: Parameters) -> npt.NDArray[np.float64]:
    """SEN support threshold by national curriculum year (index nc + 2)."""
    t = params["census"]["sen_support_threshold"]
    stage = ["early"] * 3 + ["primary"] * 6 + ["secondary"] * 7  # N1, N2, R | 1-6 | 7-13
    return np.array([float(t[s]) for s in stage])


def stage_of(nc: npt.NDArray[np.int16]) -> npt.NDArray[np.int8]:
    """The phase a mainstream pupil of year group nc attends (NURSERY for N1 and N2)."""
    return np.where(nc < 0, NURSERY, np.where(nc <= 6, PRIMARY, SECONDARY)).astype(np.int8)


def expected_pupils(
    population: Population,
    params: Parameters,
    n_la: int,
    learning: npt.NDArray[np.float32] | None = None,
    helped: npt.NDArray[np.bool_] | None = None,
) -> npt.NDArray[np.float64]:
    """Pupils expected in January 2018 by phase (rows) and authority (columns). Given each
    child's learning need and whether they have needed a social worker, the share with a
    plan (which fills special schools) is exact; without, it is the model's average."""
    c, s = params["census"], params["schools"]
    day = cal.census_day(201718)
    nc = population.ncyear(201718)
    alive = population.resident_on(day) & (nc >= FIRST_NC) & (nc <= LAST_NC)
    nc, la = nc[alive], population.la[alive]
    base = (1 - float(c["independent_share"])) * participation(params)[nc + 2]
    p_ehc: float | npt.NDArray[np.float64] = normal_above(float(c["sen_ehc_threshold"]))
    if learning is not None and helped is not None:
        effect = float(params["care"]["sen_in_need_effect"]["plan"])
        bar = float(c["sen_ehc_threshold"]) - effect * helped[alive]
        p_ehc = (learning[alive] > bar).astype(np.float64)
    sd = float(np.hypot(1.0, float(c["sen_year_sd"])))
    shift = float(c["sen_support_year_shift"]["201718"])
    p_support = np.array([normal_above(t + shift, sd) for t in sen_thresholds(params)])[nc + 2]
    p_support -= p_ehc
    special = base * (
        p_ehc * float(s["special_school_share_ehc"])
        + np.maximum(p_support, 0) * float(s["special_school_share_support"])
    )
    pru = np.where((nc >= 5) & (nc <= 11), (base - special) * float(s["pru_share"]), 0.0)
    mainstream = base - special - pru
    stage = stage_of(nc)
    nursery = np.where(stage == NURSERY, mainstream * float(s["nursery_school_share"]), 0.0)
    primary = np.where(stage <= PRIMARY, mainstream, 0.0) - nursery
    secondary = np.where(stage == SECONDARY, mainstream, 0.0)
    out = np.zeros((5, n_la))
    for phase, values in (
        (NURSERY, nursery),
        (PRIMARY, primary),
        (SECONDARY, secondary),
        (SPECIAL, special),
        (PRU, pru),
    ):
        out[phase] = np.bincount(la, weights=values, minlength=n_la)
    return out


@dataclass
class CensusYear:
    """The rows of one January census (child is an index into the population)."""

    academic_year: int
    child: npt.NDArray[np.int64]
    school: npt.NDArray[np.int32]
    status: npt.NDArray[np.int8]  # index into STATUS_CODES
    ncyear: npt.NDArray[np.int16]
    fsm: Mask
    sen: npt.NDArray[np.int8]  # index into SEN_CODES
    language: npt.NDArray[np.int8]


def _other_uniform(u: npt.NDArray[np.float64], k: float) -> npt.NDArray[np.float64]:
    """A second persistent uniform from `u` (the fractional part of a multiple)."""
    return np.modf(u * k)[0]


def census_years(
    params: Parameters,
    seed: int,
    *,
    population: Population,
    traits: Traits,
    schools: Schools,
    pools: dict[int, Pools],
    neighbourhood: npt.NDArray[np.int32],
    in_need_so_far: npt.NDArray[np.bool_] | None = None,
) -> Iterator[CensusYear]:
    """Each January census of the window in turn (state carries over: school moves)."""
    c, s = params["census"], params["schools"]
    part = participation(params)
    support_t = sen_thresholds(params)
    ehc_t = float(c["sen_ehc_threshold"])
    year_shift = {int(k): float(v) for k, v in c["sen_support_year_shift"].items()}
    mobility_logit = np.log(float(s["mobility"]) / (1 - float(s["mobility"])))
    care_effect = params["care"]["sen_in_need_effect"]

    # only children of school age at some point in the window can be pupils
    who = np.flatnonzero(
        (population.ncyear(201718) >= FIRST_NC)
        & (population.ncyear(201112) <= LAST_NC)
        & ~traits.independent
    )
    entry, leave = (
        population.entry[who],
        np.minimum(population.exit[who], population.birthday18[who]),
    )
    la = population.la[who]
    born = population.birth_year[who], population.birth_month[who]
    deprivation, learning = traits.deprivation[who], traits.learning[who]
    u_school, u_special = traits.u_school[who], traits.u_special[who]

    # where each would go, drawn once: the neighbourhood's primary school, its feeder
    # secondary school (or another), and a persistent uniform for special schools, pupil
    # referral units and nursery schools
    rng = stream(seed, "choices")
    primary = neighbourhood[who].copy()
    primaries = np.flatnonzero(schools.phase == PRIMARY)
    feeder = np.full(len(schools), -1, np.int32)
    feeder[primaries] = pools[SECONDARY].draw(rng, schools.la[primaries])
    other = pools[SECONDARY].draw(rng, la)
    secondary = np.where(rng.random(len(who)) < float(s["feeder_share"]), feeder[primary], other)
    u_place = rng.random(len(who))
    nursery_las = np.bincount(schools.la[schools.phase == NURSERY], minlength=int(la.max()) + 1) > 0
    nursery_goes = nursery_las[la] & (rng.random(len(who)) < float(s["nursery_school_share"]))

    for y, year in enumerate(cal.academic_years()):
        rng = stream(seed, "census", year)
        day = cal.census_day(year)
        nc_all = ncyear(*born, year)
        in_age = (nc_all >= FIRST_NC) & (nc_all <= LAST_NC)
        scope = (entry <= day) & (leave > day) & in_age
        scope &= u_school < part[np.clip(nc_all, FIRST_NC, LAST_NC) + 2]
        idx = np.flatnonzero(scope)
        nc = nc_all[idx]
        k = len(idx)

        need = learning[idx]
        helped = np.zeros(k, bool) if in_need_so_far is None else in_need_so_far[y][who[idx]]
        ehc = need > ehc_t - float(care_effect["plan"]) * helped
        support = ~ehc & (
            need + rng.normal(0, float(c["sen_year_sd"]), k)
            > support_t[nc + 2] + year_shift[year] - float(care_effect["support"]) * helped
        )
        sen = np.where(ehc, 2, np.where(support, 1, 0)).astype(np.int8)

        u = u_special[idx]
        special = (ehc & (u < float(s["special_school_share_ehc"]))) | (
            support & (u < float(s["special_school_share_support"]))
        )
        key_stages_2_to_4 = (nc >= 5) & (nc <= 11)
        pru = ~special & key_stages_2_to_4 & (rng.random(k) < float(s["pru_share"]))
        stage = stage_of(nc)
        mainstream = ~special & ~pru

        # moves within phase, more likely for disadvantaged pupils
        logit = mobility_logit + float(s["mobility_deprivation_effect"]) * deprivation[idx]
        moves = mainstream & (rng.random(k) < 1 / (1 + np.exp(-logit)))
        for phase, current in ((PRIMARY, primary), (SECONDARY, secondary)):
            movers = idx[moves & (stage == phase)]
            current[movers] = pools[phase].draw(rng, la[movers])

        school = np.where(stage == SECONDARY, secondary[idx], primary[idx]).astype(np.int32)
        nursery = np.flatnonzero((stage == NURSERY) & nursery_goes[idx] & mainstream)
        school[nursery] = pools[NURSERY].draw_with(
            la[idx[nursery]], _other_uniform(u_place[idx[nursery]], 3.0)
        )
        at_special = np.flatnonzero(special)
        school[at_special] = pools[SPECIAL].draw_with(la[idx[at_special]], u_place[idx[at_special]])
        at_pru = np.flatnonzero(pru)
        school[at_pru] = pools[PRU].draw_with(
            la[idx[at_pru]], _other_uniform(u_place[idx[at_pru]], 7.0)
        )

        fsm_logit = (
            float(c["fsm_intercept"])
            + float(c["fsm_deprivation_effect"]) * deprivation[idx]
            + rng.normal(0, float(c["fsm_year_sd"]), k)
        )
        fsm = rng.random(k) < 1 / (1 + np.exp(-fsm_logit))

        dual = np.flatnonzero(
            mainstream & key_stages_2_to_4 & (rng.random(k) < float(s["dual_registration_share"]))
        )
        status = np.zeros(k, np.int8)
        status[dual] = 1
        second = pools[PRU].draw_with(la[idx[dual]], _other_uniform(u_place[idx[dual]], 7.0))
        rows = np.concatenate([idx, idx[dual]])
        yield CensusYear(
            academic_year=year,
            child=who[rows].astype(np.int64),
            school=np.concatenate([school, second]),
            status=np.concatenate([status, np.full(len(dual), 2, np.int8)]),
            ncyear=np.concatenate([nc, nc[dual]]),
            fsm=np.concatenate([fsm, fsm[dual]]),
            sen=np.concatenate([sen, sen[dual]]),
            language=traits.language[who[rows]],
        )
