"""Independent measurements of a linked extract, for the calibration table.

Written in plain pandas and numpy, without `bulletin.findings` (or any of bulletin's own
code): the second oracle that the findings are compared against. Each function takes the
extract folder (and, for the population rows, the generator-only files under
`_generator/`) and returns {calibration id: value}.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

MID_YEARS = range(2012, 2018)


def _read(folder: Path, table: str, columns: list[str]) -> pd.DataFrame:
    return pq.read_table(folder / f"{table}.parquet", columns=columns).to_pandas()


def _yyyymmdd(dates: pd.Series) -> np.ndarray:
    d = pd.to_datetime(dates)
    return (d.dt.year * 10000 + d.dt.month * 100 + d.dt.day).to_numpy(np.int64)


def population_rows(folder: Path) -> dict[str, float]:
    """A3 (mid-year counts 2012 to 2017, as a dict too) and A4 from the full population."""
    full = pq.read_table(folder / "_generator" / "population.parquet").to_pandas()
    birth = _yyyymmdd(full["birth_date"])
    entry = _yyyymmdd(full["entry_date"])
    exit_ = np.where(
        full["exit_date"].isna(),
        99_991_231,
        _yyyymmdd(full["exit_date"].fillna(pd.Timestamp("2100-01-01"))),
    )
    out: dict[str, float] = {}
    for year in MID_YEARS:
        day = year * 10000 + 630
        # aged 0 to 17 on the day: born by then, and fewer than 18 years (as yyyymmdd) before
        resident = (birth <= day) & (day - birth < 180_000) & (entry <= day) & (exit_ > day)
        out[f"mid_{year}"] = float(resident.sum())
    start, end = 20120401, 20180331
    # on any day of 2012-13 to 2017-18: arrived by the end, left after the start, under 18
    # on some day of the window (the 18th birthday falls after its first day)
    present = (entry <= end) & (exit_ > start) & (start - birth < 180_000) & (birth <= end)
    out["A4"] = float(present.sum())
    return out


def population_check(folder: Path, population_file: Path) -> dict[str, float]:
    """A3: the largest relative difference from the shipped national mid-year estimates."""
    shipped = pd.read_csv(population_file, dtype=str)
    national = shipped[shipped["geographic_level"] == "National"].set_index("time_period")
    rows = population_rows(folder)
    diffs = [
        abs(rows[f"mid_{y}"] / int(national.loc[str(y), "population_estimate"]) - 1)
        for y in MID_YEARS
    ]
    return {"A3": max(diffs), "A4": rows["A4"]} | {
        k: v for k, v in rows.items() if k.startswith("mid_")
    }


def census_day(year_ending: int) -> dt.date:
    """The third Thursday of January."""
    first = dt.date(year_ending, 1, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


def pupils_and_schools(folder: Path) -> dict[str, float]:
    """A5 (pupils in scope at their main registration, January 2017 and 2018) and A6
    (schools in scope open in January 2018, in total and by phase)."""
    census = _read(folder, "school_census", ["child_id", "academic_year", "enrolment_status"])
    main = census[census["enrolment_status"].astype(str).isin(["C", "M"])]
    out: dict[str, float] = {}
    for code, label in ((201617, "A5_2017"), (201718, "A5_2018")):
        out[label] = float(main.loc[main["academic_year"] == code, "child_id"].nunique())
    schools = _read(folder, "schools", ["urn", "phase", "open_date", "close_date"])
    day = pd.Timestamp(census_day(2018))
    is_open = (pd.to_datetime(schools["open_date"]) <= day) & (
        schools["close_date"].isna() | (pd.to_datetime(schools["close_date"]) > day)
    )
    open_schools = schools[is_open]
    out["A6"] = float(len(open_schools))
    for phase, n in open_schools["phase"].astype(str).value_counts().items():
        out[f"A6_{phase}"] = float(n)
    return out


def fsm_and_sen(folder: Path, academic_year: int) -> dict[str, float]:
    """Shares of pupils (main registration) eligible for free school meals and with SEN."""
    census = _read(
        folder,
        "school_census",
        ["academic_year", "enrolment_status", "fsm_eligible", "sen_provision"],
    )
    year = census[
        (census["academic_year"] == academic_year)
        & census["enrolment_status"].astype(str).isin(["C", "M"])
    ]
    sen = year["sen_provision"].astype(str)
    return {
        "fsm": float(year["fsm_eligible"].mean()),
        "sen_any": float((sen != "N").mean()),
        "sen_support": float((sen == "K").mean()),
        "sen_ehc": float((sen == "E").mean()),
    }
