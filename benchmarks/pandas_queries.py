"""Benchmark (findings): every query of the findings in idiomatic vectorised pandas.

The same definitions as the registered queries of `bulletin.findings` (docs/methodology.md),
written as a pandas user would: read the Parquet files with pyarrow dtypes (dates as
datetime64, codes as strings), then boolean masks, `merge`, `isin`, `groupby` and
`concat`; no `apply`, no loops over rows. `run(folder)` returns a frame per query, named
as in the registry, with the same columns as the query gives (counts before disclosure
control), so that benchmarks/findings.py can check the two agree.

Only the dates and years come from `bulletin.findings` (the windows, the census years), with
the constants the definitions name (age bands, the 30 pupils of C6, the status weights and
the base of the journeys' sequence numbers): the queries themselves are written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from bulletin.findings.linked import Params

#: The status ranks of a group (higher wins) and the groups in need.
RANK = {"CINO": 1, "CPPO": 2, "CLA": 3}
IN_NEED = ("CLA", "CPPO", "CINO")
MAIN = ["C", "M"]


def findings_params() -> Params:
    """The parameters `bulletin findings` runs with (pipeline.findings_json)."""
    from bulletin.core.settings import load_settings
    from bulletin.data.facts import load_facts, whole_number
    from bulletin.findings.linked import Params

    settings = load_settings(Path(__file__).resolve().parents[1])
    first, last = settings.publication("data-and-analysis").years()
    children = whole_number(load_facts(settings.paths.public_data), "children_in_window")
    return Params(settings.disclosure, children, first, last)


def run(folder: Path, seconds: dict[str, float] | None = None) -> dict[str, pd.DataFrame]:
    """Every findings query on the extract in `folder`, by its registered name; the wall
    seconds of each step (reading, then each section) into `seconds` when given."""
    import time

    import numpy as np
    import pandas as pd

    from bulletin.findings import attainment, journeys, prevalence, schools
    from bulletin.findings.linked import (
        academic_year,
        group_years,
        need_windows,
        year_end,
        year_start,
    )

    params = findings_params()
    first_year, last_year = params.first_year, params.last_year
    years = range(first_year, last_year + 1)

    def day(d: dt.date) -> pd.Timestamp:
        return pd.Timestamp(d)

    def read(table: str, columns: list[str], **kwargs: Any) -> pd.DataFrame:
        frame = pd.read_parquet(
            folder / f"{table}.parquet", columns=columns, dtype_backend="pyarrow", **kwargs
        )
        for column, kind in frame.dtypes.items():
            if str(kind).startswith("date32"):
                frame[column] = pd.to_datetime(frame[column])
            elif str(kind).startswith("dictionary"):
                frame[column] = frame[column].astype("string[pyarrow]")
        return frame

    def meets(start: pd.Series, end: pd.Series, first: dt.date, last: dt.date) -> pd.Series:
        return (start <= day(last)) & (end.isna() | (end >= day(first)))

    def open_on(start: pd.Series, end: pd.Series, on: dt.date) -> pd.Series:
        return (start <= day(on)) & (end.isna() | (end > day(on)))

    out: dict[str, pd.DataFrame] = {}
    clock = [time.perf_counter()]

    def mark(step: str) -> None:
        now = time.perf_counter()
        if seconds is not None:
            seconds[step] = now - clock[0]
        clock[0] = now

    # -- social care: episodes of need, each child's flags, plans, care ------------------------
    e = read(
        "cin_episodes",
        [
            "episode_id",
            "child_id",
            "referral_date",
            "referral_nfa",
            "primary_need",
            "disabled",
            "closure_date",
            "closure_reason",
        ],
    )
    need = e[~e["referral_nfa"] & (e["closure_reason"].fillna("") != "RC8")]
    start, end = need["referral_date"], need["closure_date"]
    conditions = {name: meets(start, end, a, b) for name, (a, b) in need_windows(params).items()}
    for y in years:
        conditions[f"at_31_march_{y}"] = open_on(start, end, year_end(y))
    conditions["disabled"] = need["disabled"] & conditions["window"]
    flags = pd.DataFrame(conditions).groupby(need["child_id"]).any()

    def children_with(name: str) -> pd.Index:
        return flags.index[flags[name]]

    plans = read("child_protection_plans", ["episode_id", "start_date", "end_date"]).merge(
        e[["episode_id", "child_id"]], on="episode_id"
    )
    cla = read("cla_episodes", ["child_id", "start_date", "end_date"])
    statuses = (
        (need, "referral_date", "closure_date", RANK["CINO"]),
        (plans, "start_date", "end_date", RANK["CPPO"]),
        (cla, "start_date", "end_date", RANK["CLA"]),
    )

    def groups_at(year: int) -> pd.Series:
        """Group on 31 March `year` by child: CLA, else CPPO, else CINO."""
        ranked = pd.concat(
            [
                t.loc[open_on(t[a], t[b], year_end(year)), ["child_id"]].assign(rank=r)
                for t, a, b, r in statuses
            ]
        )
        rank = ranked.groupby("child_id")["rank"].max()
        return rank.map({r: g for g, r in RANK.items()}).rename("group")

    def groups_in_year(year: int) -> pd.Series:
        """Group in reporting year `year` by child: CLA, CPPO, CINO, else PREV (NEVER: none)."""
        first, last = year_start(year), year_end(year)
        ranked = [
            t.loc[meets(t[a], t[b], first, last), ["child_id"]].assign(rank=r)
            for t, a, b, r in statuses
        ]
        earlier = flags[[f"any_point_{y}" for y in range(first_year, year)]].any(axis=1)
        ranked.append(pd.DataFrame({"child_id": flags.index[earlier], "rank": 0}))
        rank = pd.concat(ranked).groupby("child_id")["rank"].max()
        return rank.map({**{r: g for g, r in RANK.items()}, 0: "PREV"}).rename("group")

    mark("read: social care, flags, groups")

    # -- pupils: the January censuses the findings read ---------------------------------------
    regression_years = [academic_year(y) for y in range(last_year - 3, last_year + 1)]
    census_years = sorted(
        {*regression_years, *(academic_year(y) for y in group_years(params))}
        | {academic_year(params.attainment_years[1])}
    )
    census = read(
        "school_census",
        [
            "child_id",
            "academic_year",
            "urn",
            "enrolment_status",
            "ncyear",
            "fsm_eligible",
            "sen_provision",
            "first_language",
        ],
        filters=[("academic_year", "in", census_years)],
    )
    main = census[census["enrolment_status"].isin(MAIN)]

    def pupils_in(year: int) -> pd.DataFrame:
        return main[main["academic_year"] == academic_year(year)]

    children = read(
        "children", ["child_id", "gender", "ethnicity_major", "birth_year", "birth_month"]
    )

    mark("read: censuses, children")

    # -- prevalence ------------------------------------------------------------------------------
    out["prevalence.windows"] = flags.sum().to_frame().T
    pupils = pupils_in(params.interim_year)
    out["prevalence.d2"] = pd.DataFrame(
        {
            "pupils": [len(pupils)],
            "in_need": [pupils["child_id"].isin(children_with("previous")).sum()],
        }
    )
    pupils = pupils_in(last_year).merge(children, on="child_id")
    age = (last_year - 1) - pupils["birth_year"] - (pupils["birth_month"] >= 9).astype("int64")
    limits = [-np.inf, *(below for _, below in prevalence.AGE_BANDS[:-1]), np.inf]
    bands = [name for name, _ in prevalence.AGE_BANDS]
    out["prevalence.characteristics"] = (
        pupils.assign(
            in_need=pupils["child_id"].isin(children_with("window")),
            age=pd.cut(age.astype("float64"), limits, right=False, labels=bands),
        )
        .rename(columns={"ethnicity_major": "ethnicity", "sen_provision": "sen"})
        .assign(fsm=pupils["fsm_eligible"])
        .groupby(["in_need", "gender", "age", "ethnicity", "sen", "fsm"], observed=True)
        .size()
        .rename("pupils")
        .reset_index()
    )
    first, last = params.window
    inside = need[meets(start, end, first, last)]
    out["prevalence.primary_need"] = (
        inside.groupby(inside["primary_need"].fillna("").rename("need"))["episode_id"]
        .nunique()
        .rename("episodes")
        .reset_index()
    )

    mark("prevalence")

    # -- journeys ------------------------------------------------------------------------------
    out |= _journeys(need, plans, cla, params, journeys)

    mark("journeys")

    # -- schools -------------------------------------------------------------------------------
    pupils = pupils_in(last_year)
    by_school = (
        pupils.assign(in_need=pupils["child_id"].isin(children_with("window")))
        .groupby("urn")
        .agg(n=("child_id", "size"), k=("in_need", "sum"))
    )
    # the bin of 2.5 percentage points: j/40 <= k/n < (j+1)/40 up to 10% (10% itself in the
    # last of those), j/40 < k/n <= (j+1)/40 above, over 50% one bin
    k, n = by_school["k"].to_numpy(dtype="int64"), by_school["n"].to_numpy(dtype="int64")
    j = np.where(10 * k <= n, np.minimum(40 * k // n, 3), (40 * k - 1) // n)
    labels = np.array([*schools.BINS][1:])  # after "none"
    bin_ = np.where(k == 0, schools.NONE, labels[np.minimum(j, len(labels) - 1)])
    out["schools.bands"] = (
        pd.Series(bin_, name="bin").value_counts().rename("schools").reset_index()
    )

    mark("schools")

    # -- experiences ---------------------------------------------------------------------------
    absence = read(
        "absence",
        [
            "child_id",
            "academic_year",
            "sessions_possible",
            "sessions_authorised",
            "sessions_unauthorised",
        ],
        filters=[("academic_year", "in", [academic_year(y) for y in group_years(params)])],
    )
    exclusions = read(
        "exclusions",
        ["child_id", "academic_year", "fixed_period_count", "permanent"],
        filters=[("academic_year", "in", [academic_year(y) for y in group_years(params)])],
    )
    absent, excluded = [], []
    for year in group_years(params):
        groups = groups_at(year)
        a = absence[absence["academic_year"] == academic_year(year)]
        a = a[a["child_id"].isin(pupils_in(year)["child_id"])]  # census pupils only
        a = pd.DataFrame(
            {
                "child_id": a["child_id"],
                "possible": a["sessions_possible"],
                "missed": a["sessions_authorised"] + a["sessions_unauthorised"],
            }
        )
        a["persistent"] = 10 * a["missed"] >= a["possible"]
        a = a.merge(groups, left_on="child_id", right_index=True, how="left")
        absent.append(
            _with_all(
                a,
                year,
                pupils=("child_id", "size"),
                possible=("possible", "sum"),
                missed=("missed", "sum"),
                persistent=("persistent", "sum"),
            )
        )
        x = exclusions[exclusions["academic_year"] == academic_year(year)]
        x = x.assign(fixed=x["fixed_period_count"] > 0)[["child_id", "fixed", "permanent"]]
        pupils = pupils_in(year)[["child_id"]].merge(groups, on="child_id", how="left")
        counts = _with_all(pupils, year, pupils=("child_id", "size"))
        sums = _with_all(
            pupils.merge(x, on="child_id"),
            year,
            fixed=("fixed", "sum"),
            permanent=("permanent", "sum"),
        )
        excluded.append(counts.merge(sums, on=["group", "year"], how="left").fillna(0))
    out["experiences.absence"] = pd.concat(absent)
    out["experiences.exclusions"] = pd.concat(excluded)

    mark("experiences")

    # -- attainment ----------------------------------------------------------------------------
    in_year = {y: groups_in_year(y) for y in params.status_years}

    def by_group(
        table: str, columns: list[str], sums: Callable[[pd.DataFrame], dict[str, pd.Series]]
    ) -> pd.DataFrame:
        rows = read(table, ["child_id", "academic_year", *columns])
        parts = []
        for year in params.attainment_years:
            r = rows[rows["academic_year"] == academic_year(year)]
            r = r.merge(in_year[year], left_on="child_id", right_index=True, how="left")
            r["group"] = r["group"].fillna("NEVER")
            g = pd.DataFrame(sums(r)).groupby(r["group"])
            parts.append(g.sum(min_count=1).assign(pupils=g.size(), year=year).reset_index())
        return pd.concat(parts)

    def hundredths(x: pd.Series) -> pd.Series:
        return (x * 100).round().astype("int64[pyarrow]")

    out["attainment.eyfsp"] = by_group("eyfsp", ["gld"], lambda r: {"gld": r["gld"]})
    out["attainment.ks2"] = by_group("ks2", ["rwm_expected"], lambda r: {"rwm": r["rwm_expected"]})
    out["attainment.ks4"] = by_group(
        "ks4",
        ["em_grade4", "em_grade5", "attainment8", "progress8"],
        lambda r: {
            "grade4": r["em_grade4"],
            "grade5": r["em_grade5"],
            "attainment8": hundredths(r["attainment8"]),
            "progress8_pupils": r["progress8"].notna(),
            "progress8": hundredths(r["progress8"]),
        },
    )
    las = read("schools", ["urn", "la_code"])
    by_year = []
    for year in params.attainment_years:
        ks4 = read(
            "ks4",
            ["child_id", "urn", "progress8"],
            filters=[("academic_year", "==", academic_year(year))],
        )
        groups = in_year[year]
        cin = groups.index[groups.isin(IN_NEED)]
        ks4 = ks4[ks4["progress8"].notna() & ks4["child_id"].isin(cin)].merge(las, on="urn")
        score = hundredths(ks4["progress8"])
        by_la = (
            ks4.assign(progress8=score, progress8_squares=score * score)
            .groupby("la_code")
            .agg(
                pupils=("child_id", "size"),
                progress8=("progress8", "sum"),
                progress8_squares=("progress8_squares", "sum"),
            )
            .reset_index()
            .assign(year=year)
        )
        by_year.append(by_la[by_la["pupils"] >= attainment.LA_MINIMUM])
    out["attainment.progress8_by_la"] = pd.concat(by_year)
    year = params.attainment_years[1]
    pupils = pupils_in(year)
    out["attainment.sen"] = (
        pupils.assign(
            in_need=pupils["child_id"].isin(children_with(f"at_31_march_{year}")),
            sen=pupils["sen_provision"],
        )
        .groupby(["in_need", "sen"])
        .size()
        .rename("pupils")
        .reset_index()
    )

    mark("attainment")

    # -- after 16 ------------------------------------------------------------------------------
    post16 = read(
        "post16",
        [
            "child_id",
            "ks4_year",
            "level2_by_19",
            "level3_by_19",
            "level2_by_21",
            "level3_by_21",
            "activity_18",
            "higher_education_18",
        ],
        filters=[("ks4_year", "in", [academic_year(y) for y in params.after16_years])],
    )
    fields = [c for c in post16.columns if c not in ("child_id", "ks4_year")]
    parts = []
    for year in params.after16_years:
        p = post16[post16["ks4_year"] == academic_year(year)]
        groups = in_year[year]
        in_need = p["child_id"].isin(groups.index[groups.isin(IN_NEED)]).rename("in_need")
        outcomes = p[[f for f in fields if f != "activity_18"]].assign(
            neet_18=p["activity_18"] == "neet"
        )
        g = outcomes.groupby(in_need)
        known = p[fields].notna().groupby(in_need).sum().add_prefix("known_")
        parts.append(
            g.sum(min_count=1).assign(pupils=g.size(), year=year).join(known).reset_index()
        )
    out["after16.outcomes"] = pd.concat(parts)

    mark("after16")

    # -- the regression's cohort ---------------------------------------------------------------
    out["regression.cohort"] = _cohort(read, need, plans, cla, flags, main, children, params)
    mark("regression")
    return out


def _with_all(rows: pd.DataFrame, year: int, **aggregates: tuple[str, str]) -> pd.DataFrame:
    """The aggregates of all `rows` (group "all pupils") and of each group's (no group: not
    counted but in all pupils), with the year."""
    import pandas as pd

    every = rows.assign(group="all pupils").groupby("group").agg(**aggregates)
    groups = rows.groupby("group").agg(**aggregates)
    return pd.concat([every, groups]).reset_index().assign(year=year)


def _journeys(
    need: pd.DataFrame, plans: pd.DataFrame, cla: pd.DataFrame, params: Any, journeys: Any
) -> dict[str, pd.DataFrame]:
    """journeys.per_child, journeys.sequences and journeys.durations: the children first
    referred in the window's first year, followed to its end."""
    import numpy as np
    import pandas as pd

    from bulletin.findings.linked import year_end, year_start

    first = pd.Timestamp(year_start(params.first_year))
    last = pd.Timestamp(year_end(params.last_year))
    end = last + pd.Timedelta(days=1)
    referred = need[need["referral_date"].between(first, pd.Timestamp(year_end(params.first_year)))]
    cohort = referred.groupby("child_id")["referral_date"].min().rename("start")

    eps = need.merge(cohort, left_on="child_id", right_index=True)
    eps = eps[(eps["referral_date"] >= eps["start"]) & (eps["referral_date"] <= last)]
    per_child = eps.groupby("child_id").agg(
        episodes=("episode_id", "nunique"), start=("start", "min")
    )
    later = eps[eps["referral_date"] > eps["start"]]
    per_child["next"] = later.groupby("child_id")["referral_date"].min()
    repeat = np.select(
        [
            per_child["next"].isna().to_numpy(),
            (per_child["next"] < per_child["start"] + pd.DateOffset(months=12)).to_numpy(),
        ],
        [journeys.NONE, journeys.WITHIN],
        journeys.AFTER,
    )
    out = {
        "journeys.per_child": per_child.groupby(
            [per_child["episodes"].clip(upper=len(journeys.EPISODES)).rename("episodes"), repeat]
        )
        .size()
        .rename_axis(["episodes", "repeat"])
        .rename("children")
        .reset_index()
    }

    # intervals at each status from the child's start, [start, end), at least a day
    spans = pd.concat(
        [
            pd.DataFrame({"child_id": t["child_id"], "kind": kind, "a": t[a], "b": t[b]})
            for t, a, b, kind in (
                (need, "referral_date", "closure_date", journeys.CIN),
                (plans, "start_date", "end_date", journeys.CPP),
                (cla, "start_date", "end_date", journeys.CLA),
            )
        ]
    ).merge(cohort, left_on="child_id", right_index=True)
    stop = spans["b"].where(spans["b"] < end, end)  # open or later: the end
    spans["until"] = stop.where(stop > spans["a"], spans["a"] + pd.Timedelta(days=1))
    spans = spans[(spans["a"] < end) & (spans["until"] > spans["start"])]
    weight = spans["kind"].map(journeys.WEIGHT)
    events = pd.concat(
        [
            pd.DataFrame(
                {
                    "child_id": spans["child_id"],
                    "date": spans["a"].where(spans["a"] > spans["start"], spans["start"]),
                    "delta": weight,
                }
            ),
            pd.DataFrame({"child_id": spans["child_id"], "date": spans["until"], "delta": -weight})[
                spans["until"] < end
            ],
        ]
    )
    # the weighted open intervals after each day's events, so a status per day
    level = events.groupby(["child_id", "date"])["delta"].sum().groupby(level="child_id").cumsum()
    w = journeys.WEIGHT
    status = pd.Series(
        np.select(
            [level >= w[journeys.CLA], level >= w[journeys.CPP], level > 0],
            [journeys.CLA, journeys.CPP, journeys.CIN],
            0,
        ),
        index=level.index,
    ).reset_index(name="status")
    child = status["child_id"]
    runs = status[status["status"] != status.groupby(child)["status"].shift()]
    runs = runs.assign(until=runs.groupby("child_id")["date"].shift(-1))

    spells = runs[runs["status"] != 0]
    done = spells["until"].notna()
    days = (spells["until"] - spells["date"]).dt.days.where(done)
    by_status = spells.assign(done=done, open=~done, days=days).groupby("status")
    out["journeys.durations"] = by_status.agg(
        completed=("done", "sum"), open=("open", "sum"), median_days=("days", "median")
    ).reset_index()

    kept = runs[(runs["status"] != 0) | runs["until"].isna()]
    digit = kept["status"].where(kept["status"] != 0, journeys.ENDED)
    steps = kept.assign(digit=digit)
    steps = steps[steps["digit"] != steps.groupby("child_id")["digit"].shift()]
    position = steps.groupby("child_id").cumcount()  # from 0, as ibis.row_number()
    steps = steps.assign(value=steps["digit"] * journeys.BASE ** position.astype("int64"))
    sequence = steps.groupby("child_id").agg(length=("value", "size"), code=("value", "sum"))
    code = sequence["code"].where(sequence["length"] <= journeys.LONGEST, -1)
    out["journeys.sequences"] = (
        code.value_counts().rename_axis("code").rename("children").reset_index()
    )
    return out


def _cohort(
    read: Callable[..., pd.DataFrame],
    need: pd.DataFrame,
    plans: pd.DataFrame,
    cla: pd.DataFrame,
    flags: pd.DataFrame,
    main: pd.DataFrame,
    children: pd.DataFrame,
    params: Any,
) -> pd.DataFrame:
    """regression.cohort: the pupils at the end of key stage 4 in the last year with their
    group, outcome and controls, one row each."""
    import pandas as pd

    from bulletin.findings.linked import academic_year, year_end, year_start
    from bulletin.findings.regression import KS2_YEARS_BEFORE, MOVES_YEARS

    year = params.last_year
    first, last = pd.Timestamp(year_start(year)), pd.Timestamp(year_end(year))
    cohort = read(
        "ks4", ["child_id", "em_grade5"], filters=[("academic_year", "==", academic_year(year))]
    ).rename(columns={"em_grade5": "passed"})

    def during(t: pd.DataFrame, a: str, b: str) -> pd.Series:
        return t["child_id"][(t[a] <= last) & (t[b].isna() | (t[b] >= first))]

    ks2 = read(
        "ks2",
        ["child_id", "reading_fine_points", "maths_fine_points"],
        filters=[("academic_year", "==", academic_year(year - KS2_YEARS_BEFORE))],
    )
    prior = ks2.assign(prior=(ks2["reading_fine_points"] + ks2["maths_fine_points"]) / 2)
    january = main[main["academic_year"] == academic_year(year)].rename(
        columns={"sen_provision": "sen", "fsm_eligible": "fsm", "first_language": "language"}
    )
    rows = main.loc[main["ncyear"].between(*MOVES_YEARS), ["child_id", "academic_year", "urn"]]
    previous = rows.assign(academic_year=rows["academic_year"] + 101)
    pairs = rows.merge(previous, on=["child_id", "academic_year"], suffixes=("", "_before"))
    moves = (pairs["urn"] != pairs["urn_before"]).astype("int64").groupby(pairs["child_id"]).sum()
    traits = children.rename(columns={"ethnicity_major": "ethnicity", "birth_month": "month"})

    joined = (
        cohort.merge(prior[["child_id", "prior"]], on="child_id", how="left")
        .merge(
            january[["child_id", "sen", "fsm", "language"]].assign(in_census=True),
            on="child_id",
            how="left",
        )
        .merge(moves.rename("moves"), left_on="child_id", right_index=True, how="left")
        .merge(traits[["child_id", "gender", "ethnicity", "month"]], on="child_id", how="left")
    )
    earlier = [f"any_point_{y}" for y in range(params.first_year, year)]
    child = joined["child_id"]
    group = pd.Series("NEVER", index=joined.index)
    group = group.mask(child.isin(flags.index[flags[earlier].any(axis=1)]), "PREV")
    group = group.mask(child.isin(flags.index[flags[f"any_point_{year}"]]), "CINO")
    group = group.mask(child.isin(during(plans, "start_date", "end_date")), "CPPO")
    group = group.mask(child.isin(during(cla, "start_date", "end_date")), "CLA")
    return joined.assign(
        group=group,
        in_census=joined["in_census"].fillna(False),
        moves=joined["moves"].fillna(0).clip(upper=2),
    )
