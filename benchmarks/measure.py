"""Independent measurements of a linked extract, for the calibration table.

Written in plain pandas and numpy, without `bulletin.findings` (or any of bulletin's own
code): the second oracle that the findings are compared against. Each function takes the
extract folder (and, for the population rows, the generator-only files under
`_generator/`) and returns {calibration id: value}.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

MID_YEARS = range(2012, 2018)


def _read(
    folder: Path, table: str, columns: list[str], years: tuple[int, ...] = ()
) -> pd.DataFrame:
    """Columns of a table (dates as numpy datetimes); with `years`, only the rows of those
    academic years."""
    filters = [("academic_year", "in", list(years))] if years else None
    frame: pd.DataFrame = pq.read_table(
        folder / f"{table}.parquet", columns=columns, filters=filters
    ).to_pandas(date_as_object=False)
    return frame


def _yyyymmdd(dates: pd.Series) -> np.ndarray:
    d = pd.to_datetime(dates)
    return (d.dt.year * 10000 + d.dt.month * 100 + d.dt.day).to_numpy(np.int64)


def _full_population(folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Birth, entry and exit dates (as yyyymmdd; no exit: 9999-12-31) of every child of the
    generator-only full population. The dates are read as numpy datetimes, not as Python
    date objects (a national population has about 17 million children)."""
    columns = ["birth_date", "entry_date", "exit_date"]
    full = pq.read_table(folder / "_generator" / "population.parquet", columns=columns)
    frame = full.to_pandas(date_as_object=False)
    birth = _yyyymmdd(frame["birth_date"])
    entry = _yyyymmdd(frame["entry_date"])
    exit_ = np.where(
        frame["exit_date"].isna(),
        99_991_231,
        _yyyymmdd(frame["exit_date"].fillna(pd.Timestamp("2100-01-01"))),
    )
    return birth, entry, exit_


WINDOW = (20120401, 20180331)  # 2012-13 to 2017-18


def population_rows(folder: Path) -> dict[str, float]:
    """A3 (mid-year counts 2012 to 2017, as a dict too) and A4 from the full population."""
    birth, entry, exit_ = _full_population(folder)
    out: dict[str, float] = {}
    for year in MID_YEARS:
        day = year * 10000 + 630
        # aged 0 to 17 on the day: born by then, and fewer than 18 years (as yyyymmdd) before
        resident = (birth <= day) & (day - birth < 180_000) & (entry <= day) & (exit_ > day)
        out[f"mid_{year}"] = float(resident.sum())
    start, end = WINDOW
    # on any day of 2012-13 to 2017-18: arrived by the end, left after the start, under 18
    # on some day of the window (the 18th birthday falls after its first day)
    present = (entry <= end) & (exit_ > start) & (start - birth < 180_000) & (birth <= end)
    out["A4"] = float(present.sum())
    return out


def window_parts(folder: Path) -> dict[str, float]:
    """The parts of the facts file's estimate of the distinct children of the window, counted
    on the full population: those living in England on its first day (aged 0 to 17), those
    born in it, those who arrived from abroad in it (the gross inflow), and those who left
    in it (emigrated or died). A child of the window is in exactly one of the first three."""
    birth, entry, exit_ = _full_population(folder)
    start, end = WINDOW
    under_18 = start - birth < 180_000  # under 18 on some day of the window
    living = (entry <= start) & (exit_ > start) & (birth <= start) & under_18
    came = (entry > start) & (entry <= end)
    born = came & (entry == birth)
    return {
        "stock": float(living.sum()),
        "births": float(born.sum()),
        "arrivals": float((came & ~born).sum()),
        "leavers": float(((living | came) & (exit_ <= end)).sum()),
    }


def population_check(folder: Path, population_file: Path) -> dict[str, float]:
    """A3: the largest relative difference from the shipped national mid-year estimates."""
    shipped = pd.read_csv(population_file, dtype=str)
    national = shipped[shipped["geographic_level"] == "National"].set_index("time_period")
    rows = population_rows(folder)
    diffs = [
        abs(rows[f"mid_{y}"] / int(str(national.loc[str(y), "population_estimate"])) - 1)
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
    census = _read(
        folder,
        "school_census",
        ["child_id", "academic_year", "enrolment_status"],
        years=(201617, 201718),
    )
    main = census[census["enrolment_status"].isin(["C", "M"])]
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
        years=(academic_year,),
    )
    year = census[
        (census["academic_year"] == academic_year) & census["enrolment_status"].isin(["C", "M"])
    ]
    sen = year["sen_provision"].astype(str)
    return {
        "fsm": float(year["fsm_eligible"].mean()),
        "sen_any": float((sen != "N").mean()),
        "sen_support": float((sen == "K").mean()),
        "sen_ehc": float((sen == "E").mean()),
    }


# -- social care (issue 8 rows) ----------------------------------------------------------------

FACTS = Path(__file__).resolve().parents[1] / "data/public/facts.toml"


def public_estimate_children(facts: Path = FACTS) -> int:
    """The facts file's estimate of the distinct children of the window (B2's denominator)."""
    value: int = tomllib.loads(facts.read_text(encoding="utf-8"))["children_in_window"]["value"]
    return value


def _day(year: int, month: int, day: int) -> pd.Timestamp:
    return pd.Timestamp(year, month, day)


def need_episodes(folder: Path) -> pd.DataFrame:
    """Episodes of need: referrals that did not end in no further action or in an assessment
    that found the child not in need (closure RC8), as the children in need statistics count.
    A referral still open at the end of the data counts: its outcome is not known yet."""
    e = _read(
        folder,
        "cin_episodes",
        ["child_id", "referral_date", "referral_nfa", "closure_date", "closure_reason"],
    )
    e = e[~e["referral_nfa"] & (e["closure_reason"].astype("string").fillna("") != "RC8")].copy()
    e["start"] = pd.to_datetime(e["referral_date"])
    e["end"] = pd.to_datetime(e["closure_date"]).fillna(pd.Timestamp("2262-01-01"))
    return e[["child_id", "start", "end"]]


def children_in_need(episodes: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> pd.Series:
    """Distinct children in need at some point from `first` to `last` (inclusive)."""
    meets = (episodes["start"] <= last) & (episodes["end"] >= first)
    return pd.Series(episodes.loc[meets, "child_id"].unique())


def open_on(episodes: pd.DataFrame, day: pd.Timestamp) -> pd.Series:
    """Distinct children with an episode open on `day` (closing after it)."""
    is_open = (episodes["start"] <= day) & (episodes["end"] > day)
    return pd.Series(episodes.loc[is_open, "child_id"].unique())


def care_rows(folder: Path, population_file: Path) -> dict[str, float]:
    e = need_episodes(folder)
    out: dict[str, float] = {}
    for year in range(2013, 2019):
        out[f"A1_{year}"] = float(len(children_in_need(e, _day(year - 1, 4, 1), _day(year, 3, 31))))
        out[f"A2_{year}"] = float(len(open_on(e, _day(year, 3, 31))))
    out["B1"] = float(len(children_in_need(e, _day(2012, 4, 1), _day(2018, 3, 31))))
    out["B2"] = out["B1"] / public_estimate_children()
    out["D1"] = float(len(children_in_need(e, _day(2014, 4, 1), _day(2017, 3, 31))))
    shipped = pd.read_csv(population_file, dtype=str)
    mid_2016 = int(
        shipped[(shipped["geographic_level"] == "National") & (shipped["time_period"] == "2016")][
            "population_estimate"
        ].iloc[0]
    )
    out["C1"] = out["A1_2017"] / mid_2016
    return out


def _main_pupils(folder: Path, academic_year: int, columns: list[str]) -> pd.DataFrame:
    census = _read(
        folder,
        "school_census",
        ["child_id", "academic_year", "enrolment_status", *columns],
        years=(academic_year,),
    )
    keep = (census["academic_year"] == academic_year) & census["enrolment_status"].isin(["C", "M"])
    return census[keep]


def school_rows(folder: Path) -> dict[str, float]:
    """B3, B4, B5 (schools by their share of pupils in need in the window, January 2018)
    and D2 (pupils in January 2017 in need at some point 2011-12 to 2016-17)."""
    e = need_episodes(folder)
    ever = set(children_in_need(e, _day(2012, 4, 1), _day(2018, 3, 31)))
    pupils = _main_pupils(folder, 201718, ["urn"])
    pupils = pupils.assign(in_need=pupils["child_id"].isin(ever))
    by_school = pupils.groupby("urn")["in_need"].agg(["sum", "size"])
    share = by_school["sum"] / by_school["size"]
    out = {
        "B3": float((by_school["sum"] == 0).sum()),
        "B4": float(((share >= 0.05) & (share <= 0.10)).mean()),
        "B5": float((share > 0.20).mean()),
    }
    earlier = set(children_in_need(e, _day(2011, 4, 1), _day(2017, 3, 31)))
    pupils_2017 = _main_pupils(folder, 201617, [])
    out["D2"] = float(pupils_2017["child_id"].isin(earlier).mean())
    return out


def sen_rows(folder: Path) -> dict[str, float]:
    """C2: SEN among pupils in need at 31 March 2016 and among all pupils, January 2016."""
    e = need_episodes(folder)
    at_31 = set(open_on(e, _day(2016, 3, 31)))
    pupils = _main_pupils(folder, 201516, ["sen_provision"])
    has_sen = pupils["sen_provision"].astype(str) != "N"
    return {
        "C2_cin": float(has_sen[pupils["child_id"].isin(at_31)].mean()),
        "C2_all": float(has_sen.mean()),
    }


def absence_rows(folder: Path) -> dict[str, float]:
    """A7: overall and persistent absence 2017/18 of pupils in need at 31 March 2018 who
    were not on a plan or looked after, and of pupils looked after at 31 March 2018."""
    day = _day(2018, 3, 31)
    e = need_episodes(folder)
    in_need = set(open_on(e, day))
    episodes = _read(folder, "cin_episodes", ["episode_id", "child_id"])
    plans = _read(folder, "child_protection_plans", ["episode_id", "start_date", "end_date"])
    plans = plans.merge(episodes, on="episode_id")
    on_plan = plans[
        (pd.to_datetime(plans["start_date"]) <= day)
        & (pd.to_datetime(plans["end_date"]).fillna(pd.Timestamp("2262-01-01")) > day)
    ]
    cla = _read(folder, "cla_episodes", ["child_id", "start_date", "end_date"])
    looked_after = cla[
        (pd.to_datetime(cla["start_date"]) <= day)
        & (pd.to_datetime(cla["end_date"]).fillna(pd.Timestamp("2262-01-01")) > day)
    ]
    cla_ids, plan_ids = set(looked_after["child_id"]), set(on_plan["child_id"])
    cino = in_need - plan_ids - cla_ids
    a = _read(
        folder,
        "absence",
        [
            "child_id",
            "academic_year",
            "sessions_possible",
            "sessions_authorised",
            "sessions_unauthorised",
        ],
        years=(201718,),
    )
    a = a[a["academic_year"] == 201718]
    missed = a["sessions_authorised"] + a["sessions_unauthorised"]
    out = {
        "absence_all_overall": float(missed.sum() / a["sessions_possible"].sum()),
        "absence_all_persistent": float((missed / a["sessions_possible"] >= 0.10).mean()),
    }
    for label, ids in (("cino", cino), ("cla", cla_ids)):
        group = a["child_id"].isin(ids)
        out[f"A7_{label}_overall"] = float(
            missed[group].sum() / a.loc[group, "sessions_possible"].sum()
        )
        out[f"A7_{label}_persistent"] = float(
            (missed[group] / a.loc[group, "sessions_possible"] >= 0.10).mean()
        )
    return out


def table_rows(folder: Path) -> dict[str, int]:
    """Rows in every table of an extract (from the Parquet footers)."""
    return {p.stem: pq.ParquetFile(p).metadata.num_rows for p in sorted(folder.glob("*.parquet"))}


# -- attainment and outcomes after 16 (issue 10 rows) ------------------------------------------


def _in_need_in(folder: Path, year_ending: int) -> set[int]:
    """Children in need at any point in the reporting year ending 31 March `year_ending`."""
    return set(
        children_in_need(
            need_episodes(folder), _day(year_ending - 1, 4, 1), _day(year_ending, 3, 31)
        )
    )


def _share(frame: pd.DataFrame, column: str, mask: pd.Series | None = None) -> float:
    values = frame[column] if mask is None else frame.loc[mask, column]
    return float(values.astype(bool).mean())


def attainment_rows(folder: Path) -> dict[str, float]:
    """B6, C3, C4, C5 (parts and ratios), C6 and C7."""
    out: dict[str, float] = {}
    eyfsp = _read(folder, "eyfsp", ["child_id", "academic_year", "gld"])
    ks2 = _read(folder, "ks2", ["child_id", "academic_year", "rwm_expected"])
    ks4 = _read(
        folder, "ks4", ["child_id", "academic_year", "urn", "progress8", "em_grade4", "em_grade5"]
    )
    cin_2016 = _in_need_in(folder, 2016)
    for row, frame, column in (
        ("C3", eyfsp, "gld"),
        ("C4", ks2, "rwm_expected"),
        ("C5", ks4, "em_grade4"),
    ):
        year = frame[frame["academic_year"] == 201516]
        cin = year["child_id"].isin(cin_2016)
        out[f"{row}_cin"] = _share(year, column, cin)
        out[f"{row}_all"] = _share(year, column)
        out[f"{row}_ratio"] = out[f"{row}_cin"] / out[f"{row}_all"]
    gaps = [100 * (out[f"{r}_all"] - out[f"{r}_cin"]) for r in ("C3", "C4", "C5")]
    out["C7"] = min(gaps[1] - gaps[0], gaps[2] - gaps[1])
    year = ks4[ks4["academic_year"] == 201718]
    cin_2018 = year["child_id"].isin(_in_need_in(folder, 2018))
    out["B6_cin"] = _share(year, "em_grade5", cin_2018)
    out["B6_all"] = _share(year, "em_grade5")
    # C6: Progress 8 of pupils in need in 2015-16, by the local authority of their school
    schools = _read(folder, "schools", ["urn", "la_code"])
    year = ks4[(ks4["academic_year"] == 201516) & ks4["child_id"].isin(cin_2016)].merge(
        schools, on="urn"
    )
    year = year.dropna(subset=["progress8"])
    by_la = year.groupby("la_code")["progress8"].agg(["mean", "size"])
    by_la = by_la[by_la["size"] >= 30]
    out["C6_max"], out["C6_min"] = float(by_la["mean"].max()), float(by_la["mean"].min())
    return out


def after16_rows(folder: Path) -> dict[str, float]:
    """B9 (KS4 2012/13), B10 and B11 (KS4 2014/15), by need in the year of GCSEs."""
    post = _read(
        folder,
        "post16",
        ["child_id", "ks4_year", "level2_by_21", "activity_18", "higher_education_18"],
    )
    out: dict[str, float] = {}
    cohort = post[post["ks4_year"] == 201213]
    cin = cohort["child_id"].isin(_in_need_in(folder, 2013))
    out["B9"] = float(1 - cohort.loc[cin, "level2_by_21"].astype(bool).mean())
    cohort = post[post["ks4_year"] == 201415]
    cin = cohort["child_id"].isin(_in_need_in(folder, 2015))
    neet = cohort["activity_18"].astype(str) == "neet"
    he = cohort["higher_education_18"].astype(bool)
    out["B10"] = float(neet[cin].mean() / neet[~cin].mean())
    out["B11"] = float(he[cin].mean() / he[~cin].mean())
    return out


def after16_all_rows(folder: Path) -> dict[str, float]:
    """The all-pupil rates the after-16 model is fitted to (public figures, not calibration
    rows): level 2 by 19 of the KS4 2012/13 cohort; NEET and higher education at 18 of the
    KS4 2014/15 cohort."""
    post = _read(
        folder,
        "post16",
        ["ks4_year", "level2_by_19", "activity_18", "higher_education_18"],
    )
    older, younger = post[post["ks4_year"] == 201213], post[post["ks4_year"] == 201415]
    return {
        "level2_19_all": float(older["level2_by_19"].astype(bool).mean()),
        "neet_18_all": float((younger["activity_18"].astype(str) == "neet").mean()),
        "he_18_all": float(younger["higher_education_18"].astype(bool).mean()),
    }


def progress8_in_need(folder: Path) -> dict[str, float]:
    """Mean Progress 8 (key stage 4 2017/18) of the pupils in need on 31 March 2018: the
    Attainment 8 shift of pupils in need is fitted to it (a public figure of a later year)."""
    ks4 = _read(folder, "ks4", ["child_id", "academic_year", "progress8"], years=(201718,))
    ks4 = ks4[(ks4["academic_year"] == 201718) & ks4["progress8"].notna()]
    in_need = ks4["child_id"].isin(set(open_on(need_episodes(folder), _day(2018, 3, 31))))
    return {"p8_in_need_2018": float(ks4.loc[in_need, "progress8"].mean())}
