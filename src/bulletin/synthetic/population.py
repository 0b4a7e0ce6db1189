"""Synthetic: every child aged 0 to 17 in England on any day of the window.

Three origins: the stock resident on 1 April 2011 (births in England grown by net
migration before the window), births in the window, and children arriving from abroad.
Children leave by death or emigration, and age out on their 18th birthday. Each child lives
in one local authority, drawn in proportion to the authority's children. All vectorised:
one array per attribute, one element per child.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from bulletin.synthetic import calendar as cal
from bulletin.synthetic.params import Parameters
from bulletin.synthetic.streams import stream

STOCK, BORN, ARRIVED = 0, 1, 2
YEAR_DAYS = 365.25


@dataclass
class Population:
    """One element per child (arrays of equal length)."""

    birth: cal.Days  # date of birth
    entry: cal.Days  # first day resident in the window (1 April 2011, birth or arrival)
    exit: cal.Days  # day of death or emigration (cal.NEVER: not in the window)
    origin: npt.NDArray[np.int8]  # STOCK, BORN or ARRIVED
    la: npt.NDArray[np.int16]  # index of the local authority
    male: npt.NDArray[np.bool_]
    birth_year: npt.NDArray[np.int32]
    birth_month: npt.NDArray[np.int32]
    birthday18: cal.Days  # the day the child ages out

    def __len__(self) -> int:
        return len(self.birth)

    def ncyear(self, academic_year: int) -> npt.NDArray[np.int16]:
        """National curriculum year: age on 31 August before the academic year, minus 4
        (a child aged 4 on 31 August starts reception, year 0)."""
        return ncyear(self.birth_year, self.birth_month, academic_year)

    def resident_on(self, day: int) -> npt.NDArray[np.bool_]:
        """Children aged 0 to 17 living in England on `day`."""
        return (self.entry <= day) & (self.exit > day) & (self.birthday18 > day)


def ncyear(
    birth_year: npt.NDArray[np.int32], birth_month: npt.NDArray[np.int32], academic_year: int
) -> npt.NDArray[np.int16]:
    """National curriculum year in `academic_year` of children born in these years and
    months (see `Population.ncyear`)."""
    age = academic_year // 100 - birth_year - (birth_month > 8)
    return np.clip(age - 4, -100, 100).astype(np.int16)


def _months(first: tuple[int, int], last: tuple[int, int]) -> npt.NDArray[np.int32]:
    """Months (as months since 1970-01) from `first` to `last` inclusive."""
    a = (first[0] - 1970) * 12 + first[1] - 1
    b = (last[0] - 1970) * 12 + last[1] - 1
    return np.arange(a, b + 1, dtype=np.int32)


def _expected_births(months: npt.NDArray[np.int32], p: dict[str, Any]) -> npt.NDArray[np.float64]:
    births = {int(k): float(v) for k, v in p["births_england"].items()}
    shares = np.asarray(p["birth_month_share"], dtype=np.float64)
    years = months // 12 + 1970
    return np.array([births[int(y)] for y in years]) * shares[months % 12]


def _days_in_months(rng: np.random.Generator, months: npt.NDArray[np.int32]) -> cal.Days:
    """A uniformly random day within each given month."""
    start = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    end = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return (start + np.floor(rng.random(len(months)) * (end - start))).astype(np.int32)


def expected_stock(
    p: dict[str, Any], scale: float
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
    """Expected children resident on 1 April 2011 by month of birth (before the window)."""
    months = _months((1993, 4), (2011, 3))
    start = cal.day(cal.WINDOW_START)
    mid = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + 15
    age = (start - mid) / YEAR_DAYS
    survival = (1 - float(p["infant_mortality"])) * (1 - float(p["child_mortality"])) ** np.maximum(
        age - 1, 0
    )
    growth = 1 + float(p["stock_resident_growth"]) * age
    return months, _expected_births(months, p) * survival * growth * scale


def generate_population(
    params: Parameters, seed: int, scale: float, la_weights: npt.NDArray[np.float64]
) -> Population:
    p = params["population"]
    rng = stream(seed, "population")
    start, end = cal.day(cal.WINDOW_START), cal.day(cal.WINDOW_END) + 1

    # the stock on 1 April 2011
    months, expected = expected_stock(p, scale)
    counts = rng.poisson(expected)
    stock_birth = _days_in_months(rng, np.repeat(months, counts))
    stock_birth = stock_birth[cal.add_years(stock_birth, 18) > start]

    # births in the window
    months = _months((2011, 4), (2018, 3))
    counts = rng.poisson(_expected_births(months, p) * scale)
    born = _days_in_months(rng, np.repeat(months, counts))

    # arrivals from abroad: evenly over the window, ages evenly over 0 to 17
    n_arrived = rng.poisson(float(p["immigration_per_year"]) * scale * (end - start) / YEAR_DAYS)
    arrival = (start + np.floor(rng.random(n_arrived) * (end - start))).astype(np.int32)
    arrived_birth = (arrival - np.floor(rng.random(n_arrived) * 18 * YEAR_DAYS)).astype(np.int32)
    arrived_birth = np.minimum(arrived_birth, arrival)

    birth = np.concatenate([stock_birth, born, arrived_birth]).astype(np.int32)
    entry = np.concatenate([np.full(len(stock_birth), start, np.int32), born, arrival]).astype(
        np.int32
    )
    origin = np.concatenate(
        [
            np.full(len(stock_birth), STOCK, np.int8),
            np.full(len(born), BORN, np.int8),
            np.full(n_arrived, ARRIVED, np.int8),
        ]
    )
    n = len(birth)

    # leaving: infant deaths, then a constant hazard of death or emigration
    exit_day = np.full(n, cal.NEVER, np.int32)
    infant = (origin == BORN) & (rng.random(n) < float(p["infant_mortality"]))
    exit_day[infant] = birth[infant] + np.floor(rng.random(int(infant.sum())) * 365).astype(
        np.int32
    )
    hazard = float(p["emigration_rate"]) + float(p["child_mortality"])
    waiting = rng.exponential(YEAR_DAYS / hazard, n)
    leaves = ~infant & (entry + waiting < end)
    exit_day[leaves] = (entry[leaves] + np.floor(waiting[leaves]) + 1).astype(np.int32)

    from bulletin.synthetic.schools import Alias

    authorities = Alias.build(
        np.zeros(len(la_weights), np.int64), la_weights, np.arange(len(la_weights), dtype=np.int32)
    )
    la = authorities.draw(np.zeros(n, np.int64), rng.random(n)).astype(np.int16)
    male = rng.random(n) < float(p["male_share_at_birth"])
    years, months, _ = cal.year_month_day(birth)
    return Population(
        birth, entry, exit_day, origin, la, male, years, months, cal.add_years(birth, 18)
    )
