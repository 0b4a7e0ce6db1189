"""Synthetic: dates as whole days since 1970-01-01 (int32 arrays), and the school calendar."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import numpy.typing as npt

Days = npt.NDArray[np.int32]

EPOCH = dt.date(1970, 1, 1)
WINDOW_START = dt.date(2011, 4, 1)
WINDOW_END = dt.date(2018, 3, 31)  # inclusive
NEVER = np.iinfo(np.int32).max  # an exit date that does not happen in the window


def day(date: dt.date) -> int:
    return (date - EPOCH).days


def to_date(days: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(days))


_FIRST_YEAR, _LAST_YEAR = 1900, 2100


@functools.cache
def _tables() -> tuple[npt.NDArray[np.int32], ...]:
    """Look-up tables over 1900 to 2100: the year, month and day of each day, and the first
    day of each month. A gather is much faster than date arithmetic on millions of days."""
    first, last = dt.date(_FIRST_YEAR, 1, 1), dt.date(_LAST_YEAR, 12, 31)
    all_days = np.arange(day(first), day(last) + 1)
    dates = all_days.astype("datetime64[D]")
    years = dates.astype("datetime64[Y]").astype(np.int32) + 1970
    months = dates.astype("datetime64[M]").astype(np.int32) % 12 + 1
    month_start = (
        np.arange(
            np.datetime64(f"{_FIRST_YEAR}-01"),
            np.datetime64(f"{_LAST_YEAR + 1}-01"),
            dtype="datetime64[M]",
        )
        .astype("datetime64[D]")
        .astype(np.int32)
    )
    doms = (all_days - month_start[(years - _FIRST_YEAR) * 12 + months - 1] + 1).astype(np.int32)
    return years, months, doms, month_start


def year_month_day(days: Days) -> tuple[npt.NDArray[np.int32], ...]:
    """Calendar year, month and day of days since 1970 (dates from 1900 to 2100)."""
    years, months, doms, _ = _tables()
    i = days.astype(np.int64) - day(dt.date(_FIRST_YEAR, 1, 1))
    return years[i], months[i], doms[i]


def from_year_month_day(
    year: npt.NDArray[np.int32], month: npt.NDArray[np.int32], dom: npt.NDArray[np.int32]
) -> Days:
    """Days since 1970 of calendar dates (from 1900 to 2100)."""
    month_start = _tables()[3]
    days: Days = (
        month_start[(year.astype(np.int64) - _FIRST_YEAR) * 12 + month - 1] + dom - 1
    ).astype(np.int32)
    return days


def add_years(days: Days, years: int) -> Days:
    """The same calendar day `years` later (29 February becomes 1 March)."""
    y, m, d = year_month_day(days)
    y = y + years
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    moved = (m == 2) & (d == 29) & ~leap
    return from_year_month_day(y, np.where(moved, 3, m), np.where(moved, 1, d))


def academic_years() -> tuple[int, ...]:
    """Census years of the window as codes: 201112 to 201718."""
    return tuple(int(f"{y}{(y + 1) % 100:02d}") for y in range(2011, 2018))


def census_day(academic_year: int) -> int:
    """The January census day (the third Thursday of January) of an academic year."""
    year = academic_year % 100 + 2000
    first = dt.date(year, 1, 1)
    first_thursday = first + dt.timedelta(days=(3 - first.weekday()) % 7)
    return day(first_thursday + dt.timedelta(days=14))


def ncyear(birth: Days, academic_year: int) -> npt.NDArray[np.int16]:
    """National curriculum year: age on 31 August before the academic year, minus 4
    (a child aged 4 on 31 August starts reception, year 0)."""
    start = academic_year // 100
    years, months, _ = year_month_day(birth)
    age = start - years - (months > 8).astype(np.int32)  # born September onwards: a year younger
    return (age - 4).astype(np.int16)
