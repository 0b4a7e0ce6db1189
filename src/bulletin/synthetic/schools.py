"""Synthetic: the schools in scope, and which school each child would attend.

The number of schools of a phase follows from the pupils expected in that phase and the
phase's mean school size (a behavioural parameter); schools are shared out between local
authorities in proportion to their expected pupils, and each school gets a log-normal
capacity weight, which gives the small-school tail. A child's neighbourhood is a primary
school's catchment; each primary school feeds one secondary school.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bulletin.synthetic import calendar as cal
from bulletin.synthetic.params import Parameters
from bulletin.synthetic.streams import stream

PHASES = ("nursery", "primary", "secondary", "special", "pru")
NURSERY, PRIMARY, SECONDARY, SPECIAL, PRU = range(len(PHASES))
TYPES = ("la_maintained", "academy", "free_school")

Index = npt.NDArray[np.int32]


@dataclass
class Schools:
    """One element per school."""

    urn: npt.NDArray[np.int32]
    la: npt.NDArray[np.int16]
    phase: npt.NDArray[np.int8]
    school_type: npt.NDArray[np.int8]
    capacity: npt.NDArray[np.float64]  # relative size within its authority and phase
    open_date: cal.Days
    small: npt.NDArray[np.bool_]  # a small (mostly rural) primary school

    def __len__(self) -> int:
        return len(self.urn)


@dataclass(frozen=True)
class Alias:
    """Walker's alias tables for many categorical distributions at once (one per pool):
    a draw costs two array look-ups, whatever the number of categories."""

    offset: npt.NDArray[np.int64]  # start of each pool's table
    size: npt.NDArray[np.int64]  # categories in each pool
    keep: npt.NDArray[np.float64]  # probability of keeping the slot's own category
    alias: npt.NDArray[np.int64]  # the other category of each slot (global position)
    value: npt.NDArray[np.int32]  # what each global position stands for

    @classmethod
    def build(
        cls,
        pool: npt.NDArray[np.int64],
        weight: npt.NDArray[np.float64],
        value: npt.NDArray[np.int32],
    ) -> Alias:
        """`pool`, `weight`, `value`: one element per category, grouped by pool (sorted)."""
        n_pools = int(pool.max()) + 1 if len(pool) else 0
        size = np.bincount(pool, minlength=n_pools).astype(np.int64)
        offset = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
        totals = np.bincount(pool, weights=weight, minlength=n_pools)
        scaled = weight / totals[pool] * size[pool]  # mean 1 within each pool
        keep = np.ones(len(weight))
        alias = np.arange(len(weight), dtype=np.int64)
        for p in range(n_pools):  # Vose's method, one pool at a time (pools are small)
            lo, hi = int(offset[p]), int(offset[p] + size[p])
            s = scaled[lo:hi].copy()
            small = [i for i in range(hi - lo) if s[i] < 1.0]
            large = [i for i in range(hi - lo) if s[i] >= 1.0]
            while small and large:
                a, b = small.pop(), large[-1]
                keep[lo + a], alias[lo + a] = s[a], lo + b
                s[b] -= 1.0 - s[a]
                if s[b] < 1.0:
                    small.append(large.pop())
        return cls(offset, size, keep, alias, value)

    def draw(
        self, pool: npt.NDArray[np.int64], u: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.int32]:
        """One category of each given pool, from uniforms `u` in [0, 1)."""
        scaled = u * self.size[pool]
        slot = np.minimum(scaled.astype(np.int64), self.size[pool] - 1)
        position = self.offset[pool] + slot
        chosen = np.where(scaled - slot < self.keep[position], position, self.alias[position])
        return self.value[chosen]


@dataclass(frozen=True)
class Pools:
    """Draw a school of one phase for each child, in proportion to capacity, from the
    child's authority, or its region (else England) when the authority has no school of
    that phase."""

    table: Alias
    pool_of_la: npt.NDArray[np.int64]  # the pool each authority draws from

    def draw(self, rng: np.random.Generator, la: npt.NDArray[np.int16]) -> Index:
        return self.draw_with(la, rng.random(len(la)))

    def draw_with(self, la: npt.NDArray[np.int16], u: npt.NDArray[np.floating[Any]]) -> Index:
        """The school a uniform `u` picks: the same `u` always picks the same school."""
        pool = self.pool_of_la[la]
        if (pool < 0).any():
            raise ValueError("no school of this phase anywhere")
        return self.table.draw(pool, u.astype(np.float64))

    def has_school(self) -> bool:
        return len(self.table.value) > 0


def pools(schools: Schools, phase: int, la_region: npt.NDArray[np.int16]) -> Pools:
    chosen = np.flatnonzero(schools.phase == phase).astype(np.int32)
    n_la = len(la_region)
    national = n_la + int(la_region.max()) + 1
    la_has = np.bincount(schools.la[chosen], minlength=n_la) > 0
    region_has = np.bincount(la_region[schools.la[chosen]], minlength=national - n_la) > 0
    # an authority draws from its own schools of the phase, else its region's, else England's
    region_key = n_la + la_region.astype(np.int64)
    own_key = np.where(
        la_has, np.arange(n_la), np.where(region_has[la_region], region_key, national)
    )
    la_of = schools.la[chosen].astype(np.int64)
    school_key = np.concatenate(
        [la_of, n_la + la_region[la_of].astype(np.int64), np.full(len(chosen), national)]
    )
    school_idx = np.concatenate([chosen, chosen, chosen])
    keys, pool_number = np.unique(school_key, return_inverse=True)
    order = np.lexsort((school_idx, pool_number))
    table = Alias.build(pool_number[order], schools.capacity[school_idx[order]], school_idx[order])
    position = {int(k): i for i, k in enumerate(keys)}
    pool_of_la = np.array([position.get(int(k), -1) for k in own_key], dtype=np.int64)
    return Pools(table, pool_of_la)


def _share_out(total: int, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Split `total` in proportion to `weights` by largest remainders."""
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), np.int64)
    exact = total * weights / weights.sum()
    counts: npt.NDArray[np.int64] = np.floor(exact).astype(np.int64)
    remainder = total - int(counts.sum())
    counts[np.argsort(-(exact - counts), kind="stable")[:remainder]] += 1
    return counts


def generate_schools(
    params: Parameters,
    seed: int,
    expected_pupils: npt.NDArray[np.float64],
    phases: tuple[int, ...],
) -> Schools:
    """Schools of the given phases from the pupils expected in each (phase, authority):
    `expected_pupils` has shape (5, n_la). URNs are assigned later (`with_urns`)."""
    p = params["schools"]
    las, kinds, types, capacity, smalls = [], [], [], [], []
    for phase in phases:
        name = PHASES[phase]
        rng = stream(seed, "schools", name)
        n = max(0, round(expected_pupils[phase].sum() / float(p["mean_pupils"][name])))
        per_la = _share_out(n, expected_pupils[phase])
        la = np.repeat(np.arange(len(per_la), dtype=np.int16), per_la)
        las.append(la)
        kinds.append(np.full(len(la), phase, np.int8))
        academy, free = float(p["academy_share"][name]), float(p["free_school_share"][name])
        u = rng.random(len(la))
        types.append(np.where(u < free, 2, np.where(u < free + academy, 1, 0)).astype(np.int8))
        size = rng.lognormal(0.0, float(p["size_sigma"][name]), len(la))
        is_small = np.zeros(len(la), bool)
        if phase == PRIMARY:
            small = p["small_primary"]
            is_small = rng.random(len(la)) < float(small["share"])
            ratio = float(small["median"]) / float(p["mean_pupils"][name])
            size[is_small] = ratio * rng.lognormal(0.0, float(small["sigma"]), int(is_small.sum()))
        capacity.append(size)
        smalls.append(is_small)
    n_total = sum(len(x) for x in las)
    rng = stream(seed, "schools-opened", *phases)
    first, last = cal.day(cal.EPOCH.replace(year=1950)), cal.day(cal.WINDOW_START) - 200
    return Schools(
        np.zeros(n_total, np.int32),
        np.concatenate(las),
        np.concatenate(kinds),
        np.concatenate(types),
        np.concatenate(capacity),
        rng.integers(first, last, n_total).astype(np.int32),
        np.concatenate(smalls),
    )


def combine(first: Schools, second: Schools) -> Schools:
    """Both frames, `first`'s schools keeping their positions."""
    return Schools(
        *(
            np.concatenate([getattr(first, f), getattr(second, f)])
            for f in ("urn", "la", "phase", "school_type", "capacity", "open_date", "small")
        )
    )


def with_urns(schools: Schools, seed: int) -> Schools:
    """Give every school a distinct random 6-digit unique reference number."""
    rng = stream(seed, "urns")
    schools.urn = (100_000 + rng.choice(900_000, size=len(schools), replace=False)).astype(np.int32)
    return schools


def normal_above(threshold: float, sd: float = 1.0) -> float:
    """P(X > threshold) for X ~ N(0, sd^2)."""
    return 0.5 * math.erfc(threshold / (sd * math.sqrt(2)))
