"""Date arithmetic of the generator against Python's datetime, and the alias sampler
against exact probabilities."""

from __future__ import annotations

import datetime as dt

import numpy as np

from bulletin.synthetic import calendar as cal
from bulletin.synthetic.schools import Alias

EPOCH = dt.date(1970, 1, 1)


def test_year_month_day_and_back() -> None:
    days = np.arange(
        cal.day(dt.date(1950, 1, 1)), cal.day(dt.date(2030, 12, 31)), 7, dtype=np.int32
    )
    years, months, doms = cal.year_month_day(days)
    for d, y, m, dd in zip(days, years, months, doms, strict=True):
        date = EPOCH + dt.timedelta(days=int(d))
        assert (date.year, date.month, date.day) == (y, m, dd)
    assert (cal.from_year_month_day(years, months, doms) == days).all()


def test_eighteenth_birthdays() -> None:
    births = [
        dt.date(2000, 2, 29),
        dt.date(1999, 12, 31),
        dt.date(2000, 3, 1),
        dt.date(2012, 6, 15),
    ]
    expected = [
        dt.date(2018, 3, 1),
        dt.date(2017, 12, 31),
        dt.date(2018, 3, 1),
        dt.date(2030, 6, 15),
    ]
    got = cal.add_years(np.array([cal.day(b) for b in births], np.int32), 18)
    assert [EPOCH + dt.timedelta(days=int(d)) for d in got] == expected


def test_census_day_is_the_third_thursday_of_january() -> None:
    assert cal.to_date(cal.census_day(201718)) == dt.date(2018, 1, 18)
    assert cal.to_date(cal.census_day(201617)) == dt.date(2017, 1, 19)
    assert cal.to_date(cal.census_day(201112)) == dt.date(2012, 1, 19)


def test_alias_sampler_matches_the_weights() -> None:
    pool = np.array([0, 0, 0, 1, 1, 2])
    weight = np.array([1.0, 2.0, 7.0, 5.0, 5.0, 3.0])
    alias = Alias.build(pool, weight, np.arange(6, dtype=np.int32))
    rng = np.random.default_rng(0)
    n = 200_000
    for p, expected in ((0, [0.1, 0.2, 0.7]), (1, [0.5, 0.5]), (2, [1.0])):
        drawn = alias.draw(np.full(n, p), rng.random(n))
        shares = np.bincount(drawn, minlength=6)[np.flatnonzero(pool == p)] / n
        # binomial standard error at most 0.0012; allow 5 of them
        assert np.abs(shares - expected).max() < 0.006
