"""Findings (section 1): how many children needed a social worker, and who they are.

Children in need over the window and in each year (B1, B2, D1, A1 and A2 from the linked
data), pupils who had been in need (D2), the characteristics of pupils who were in need at
some point in the window against all other pupils, disability among children in need, and
episodes of need by primary need.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from bulletin.core import schema
from bulletin.core.measure import Measure
from bulletin.disclosure import PERCENT, Counted, Rate
from bulletin.findings.linked import (
    SOURCE_CIN,
    SOURCE_PUPILS,
    Linked,
    Params,
    flag,
    in_need_between,
    left_join,
    main_pupils,
    meets,
    need_episodes,
    need_flag_names,
    need_flags,
    query,
)
from bulletin.findings.publish import (
    Entry,
    FindingsTable,
    count,
    frame_of,
    of_column,
    share,
    share_key,
    shares_table,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

IN_NEED, OTHER, ALL = "in need", "other pupils", "all pupils"
IN_NEED_OF_ALL = "in need, of all pupils"
TOTAL = "total"
#: Age bands (age on 31 August before the census), each up to the age before the next.
AGE_BANDS = (("under 5", 5), ("5 to 9", 10), ("10 to 15", 16), ("16 and over", None))
FSM = {True: "eligible", False: "not eligible"}
MEANINGS = schema.PRIMARY_NEEDS | {
    "not recorded": "no primary need recorded",
    TOTAL: "all episodes of need",
}
CHARACTERISTICS = {
    "gender": tuple(schema.GENDERS),
    "age": tuple(band for band, _ in AGE_BANDS),
    "ethnicity": tuple(schema.ETHNICITY_MAJOR),
    "special educational needs": tuple(schema.SEN_PROVISION),
    "free school meals": tuple(FSM.values()),
}


@dataclass(frozen=True)
class PrevalenceFindings:
    b1: Measure  # distinct children in need in the window
    b2: Measure  # B1 / all children in the window (facts file)
    d1: Measure  # distinct children in need over the interim window (2014-15 to 2016-17)
    d2: Measure  # pupils in January 2017 in need at some point 2011-12 to 2016-17
    disabled: Measure  # children in need in the window with a disability recorded
    pupils_in_need: Measure  # pupils in January at the window's end who were in need in it
    by_year: FindingsTable  # children in need at any point and at 31 March, each year
    characteristics: FindingsTable  # pupils in January: in need in the window vs others
    primary_need: FindingsTable  # episodes of need in the window by primary need
    first_year: int
    last_year: int

    def entries(self) -> tuple[Entry, ...]:
        windows = ("prevalence.windows",)
        years = [
            Entry(f"{prefix}_{row['year']}", row[column], Counted.CHILDREN, windows)
            for prefix, column in (("A1", "any_point"), ("A2", "at_31_march"))
            for _, row in self.by_year.frame.iterrows()
        ]
        return (
            Entry("B1", self.b1, Counted.CHILDREN, windows),
            Entry("B2", self.b2, Counted.CHILDREN, windows),
            Entry("D1", self.d1, Counted.CHILDREN, windows),
            Entry("D2", self.d2, Counted.PUPILS, ("prevalence.d2",)),
            Entry("cin_disabled", self.disabled, Counted.CHILDREN, windows),
            Entry(
                "pupils_in_need",
                self.pupils_in_need,
                Counted.PUPILS,
                ("prevalence.characteristics",),
            ),
            *years,
        )

    def tables(self) -> tuple[FindingsTable, ...]:
        return (self.by_year, self.characteristics, self.primary_need)


# -- queries ----------------------------------------------------------------------------------


@query("prevalence.windows")
def q_windows(linked: Linked, params: Params) -> ir.Table:
    """Children in need at some point in each window of `need_windows` (B1, D1, each
    reporting year), on each 31 March, and in the window with a disability recorded."""
    flags = need_flags(linked, params)
    names = [name for name in need_flag_names(params) if name != "disabled"]
    return flags.aggregate(
        **{name: flag(flags, params, name).sum() for name in names},
        disabled=(flag(flags, params, "disabled") & flag(flags, params, "window")).sum(),
    )


@query("prevalence.d2")
def q_d2(linked: Linked, params: Params) -> ir.Table:
    """Pupils in the January census of the interim year, and those of them in need at some
    point in the six reporting years up to it."""
    ever = in_need_between(linked, params, "previous")
    pupils = main_pupils(linked, params, params.interim_year).select("child_id")
    joined = left_join(pupils, ever, "child_id")
    return joined.aggregate(pupils=joined.count(), in_need=joined.in_need.count())


@query("prevalence.characteristics")
def q_characteristics(linked: Linked, params: Params) -> ir.Table:
    """Pupils in the January census at the window's end by whether they were in need in the
    window, gender, age band (on 31 August before the census), ethnicity, SEN and FSM."""
    import ibis

    ever = in_need_between(linked, params)
    pupils = main_pupils(linked, params, params.last_year).drop("urn")
    c = linked["children"]
    traits = c.select("child_id", "gender", "ethnicity_major", "birth_year", "birth_month")
    joined = left_join(pupils.join(traits, "child_id"), ever, "child_id")
    age = (params.last_year - 1) - joined.birth_year - (joined.birth_month >= 9).cast("int64")
    *younger, (oldest, _) = AGE_BANDS
    band = ibis.cases(*((age < below, name) for name, below in younger), else_=oldest)
    return joined.group_by(
        in_need=joined.in_need.notnull(),
        gender=joined.gender,
        age=band,
        ethnicity=joined.ethnicity_major,
        sen=joined.sen_provision,
        fsm=joined.fsm_eligible,
    ).aggregate(pupils=joined.count())


@query("prevalence.primary_need")
def q_primary_need(linked: Linked, params: Params) -> ir.Table:
    """Episodes of need in the window by primary need at assessment (each episode once)."""
    e = need_episodes(linked)
    first, last = params.window
    inside = e.filter(meets(e.referral_date, e.closure_date, first, last))
    return inside.group_by(need=inside.primary_need.fill_null("")).aggregate(
        episodes=inside.episode_id.nunique()
    )


# -- the section ------------------------------------------------------------------------------


def compute(linked: Linked, params: Params) -> PrevalenceFindings:
    t = params.disclosure
    window = f"{_years(params.first_year, params.last_year)}"
    w = linked.run("prevalence.windows", params).iloc[0]
    b1_n = int(w["window"])
    b1 = count(
        b1_n,
        t,
        Counted.CHILDREN,
        definition=f"distinct children in need at some point in {window}",
        source=SOURCE_CIN,
    )
    b2 = share(
        b1_n,
        params.children_in_window,
        t,
        public_denominator=True,
        definition=(
            f"children in need at some point in {window}, as a share of all children aged 0 "
            f"to 17 who lived in England at some time in those years (public estimate, facts "
            f"file: children_in_window)"
        ),
        source=f"{SOURCE_CIN}; facts file",
    )
    interim = params.interim_year
    d1 = count(
        int(w["interim"]),
        t,
        Counted.CHILDREN,
        definition=f"distinct children in need at some point in {_years(interim - 2, interim)}",
        source=SOURCE_CIN,
    )
    d2_row = linked.run("prevalence.d2", params).iloc[0]
    d2 = share(
        int(d2_row["in_need"]),
        int(d2_row["pupils"]),
        t,
        definition=(
            f"pupils in the January {interim} school census (main registration) who were in "
            f"need at some point in {_years(interim - 5, interim)}, as a share of all those pupils"
        ),
        source=SOURCE_PUPILS,
    )
    disabled = share(
        int(w["disabled"]),
        b1_n,
        t,
        definition=(
            f"children in need at some point in {window} with a disability recorded in an "
            "episode of need in those years, as a share of all of them"
        ),
        source=SOURCE_CIN,
    )
    characteristics, pupils_in_need = _characteristics(
        linked.run("prevalence.characteristics", params), params
    )
    return PrevalenceFindings(
        b1=b1,
        b2=b2,
        d1=d1,
        d2=d2,
        disabled=disabled,
        pupils_in_need=pupils_in_need,
        by_year=_by_year(w, params),
        characteristics=characteristics,
        primary_need=_primary_need(linked.run("prevalence.primary_need", params), params),
        first_year=params.first_year,
        last_year=params.last_year,
    )


def _years(first: int, last: int) -> str:
    """Reporting years in words: 2012-13 to 2017-18."""
    return f"{first - 1}-{first % 100:02d} to {last - 1}-{last % 100:02d}"


def _by_year(w: pd.Series[Any], params: Params) -> FindingsTable:
    t = params.disclosure
    rows = []
    for year in range(params.first_year, params.last_year + 1):
        any_point = int(w[f"any_point_{year}"])
        at_31 = int(w[f"at_31_march_{year}"])
        label = f"{year - 1}-{year % 100:02d}"
        rows.append(
            {
                "year": str(year),
                "any_point": count(
                    any_point,
                    t,
                    Counted.CHILDREN,
                    definition=f"distinct children in need at some point in {label}",
                    source=SOURCE_CIN,
                ),
                "at_31_march": count(
                    at_31,
                    t,
                    Counted.CHILDREN,
                    definition=f"children in need on 31 March {year}",
                    source=SOURCE_CIN,
                ),
            }
        )
    return FindingsTable(
        id="tbl-linked-cin-by-year",
        title="Children in need at any point in the year and at 31 March, linked data",
        definition="episodes of need (not a referral with no further action, not closed RC8)",
        source=SOURCE_CIN,
        counted=Counted.CHILDREN,
        frame=frame_of(rows, ["year", "any_point", "at_31_march"]),
        labels=("year",),
        query=("prevalence.windows",),
    )


def _characteristics(frame: pd.DataFrame, params: Params) -> tuple[FindingsTable, Measure]:
    """Pupils by each characteristic, in need in the window or not: one table (the totals
    are shared), protected and audited as one; and the share of all pupils who were in
    need, from the same table (it shows the same totals)."""
    t = params.disclosure
    frame = frame.assign(fsm=frame["fsm"].map(FSM))
    frame["group"] = frame["in_need"].map({True: IN_NEED, False: OTHER})
    columns = {
        "gender": "gender",
        "age": "age",
        "ethnicity": "ethnicity",
        "special educational needs": "sen",
        "free school meals": "fsm",
    }
    values: dict[tuple[str, str], int] = {}
    for group in (IN_NEED, OTHER):
        part = frame[frame["group"] == group]
        values[(TOTAL, group)] = int(part["pupils"].sum())
        for name, column in columns.items():
            sums = part.groupby(column)["pupils"].sum()
            for category in CHARACTERISTICS[name]:
                values[(f"{name}: {category}", group)] = int(sums.get(category, 0))
    for row in {r for r, _ in values}:
        values[(row, ALL)] = values[(row, IN_NEED)] + values[(row, OTHER)]
    published = shares_table(
        values,
        of_column(TOTAL),
        t,
        row_relations=[
            (TOTAL, [f"{name}: {c}" for c in cats]) for name, cats in CHARACTERISTICS.items()
        ],
        column_relations=[(ALL, [IN_NEED, OTHER])],
        rates=[Rate((TOTAL, IN_NEED_OF_ALL), (TOTAL, IN_NEED), (TOTAL, ALL), PERCENT)],
        headline=[(TOTAL, group) for group in (IN_NEED, OTHER, ALL)],
    )
    rows = []
    lines = [(name, c) for name, cats in CHARACTERISTICS.items() for c in cats]
    for name, category in [*lines, ("all", TOTAL)]:
        row = TOTAL if category == TOTAL else f"{name}: {category}"
        for group in (IN_NEED, OTHER, ALL):
            rows.append(
                {
                    "characteristic": name,
                    "category": category,
                    "group": group,
                    "pupils": published.count((row, group)),
                    "share": published.rate(share_key((row, group))),
                }
            )
    census = f"the January {params.last_year} school census"
    pupils_in_need = replace(
        published.rate((TOTAL, IN_NEED_OF_ALL)),
        definition=(
            f"pupils at main registration in {census} who were in need at some point in "
            f"{_years(params.first_year, params.last_year)}, as a share of all those pupils"
        ),
        source=SOURCE_PUPILS,
    )
    found = FindingsTable(
        id="tbl-characteristics",
        title="Characteristics of pupils who were in need at some point in the window, and of "
        "all other pupils",
        definition=(
            f"pupils in the January {params.last_year} school census (main registration), by "
            f"whether they were in need at some point in "
            f"{_years(params.first_year, params.last_year)}; age on 31 August "
            f"{params.last_year - 1}; share of the group's pupils"
        ),
        source=SOURCE_PUPILS,
        counted=Counted.PUPILS,
        frame=frame_of(rows, ["characteristic", "category", "group", "pupils", "share"]),
        labels=("characteristic", "category", "group"),
        query=("prevalence.characteristics",),
    )
    return found, pupils_in_need


def _primary_need(frame: pd.DataFrame, params: Params) -> FindingsTable:
    t = params.disclosure
    by_need = dict(zip(frame["need"], frame["episodes"].astype(int), strict=True))
    needs = [*schema.PRIMARY_NEEDS, ""]  # "": no primary need recorded
    values = {(need or "not recorded", "episodes"): int(by_need.get(need, 0)) for need in needs}
    values[(TOTAL, "episodes")] = sum(values.values())
    published = shares_table(
        values,
        of_column(TOTAL),
        t,
        row_relations=[(TOTAL, [r for r, _ in values if r != TOTAL])],
        counted=Counted.EPISODES,
    )
    rows = [
        {
            "need": row,
            "meaning": MEANINGS[row],
            "episodes": published.count((row, "episodes")),
            "share": published.rate(share_key((row, "episodes"))),
        }
        for row, _ in values
    ]
    return FindingsTable(
        id="tbl-primary-need",
        title="Episodes of need in the window by primary need at assessment",
        definition=(
            f"episodes of need open at some point in {_years(params.first_year, params.last_year)}"
            ", by the primary need recorded at assessment; share of all those episodes"
        ),
        source=SOURCE_CIN,
        counted=Counted.EPISODES,
        frame=frame_of(rows, ["need", "meaning", "episodes", "share"]),
        labels=("need", "meaning"),
        query=("prevalence.primary_need",),
    )
