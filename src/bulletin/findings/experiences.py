"""Findings (sections 3.3 and 3.4): absence and exclusions by social care group.

Groups are those at 31 March of the academic year (CLA, else CPPO, else CINO; everyone else
is in "other pupils"). The pupils of a year are those at main registration in its January
census (`linked.main_pupils`), for absence as for exclusions. Absence (A7): the overall
absence rate, sessions missed (authorised and unauthorised) over sessions possible, and
persistent absence, the share of pupils who missed 10% or more of their sessions (10 x
missed >= possible, in whole numbers), of the pupils with an absence record in the year (an
absence row of a child with no census row that year is in no denominator). Exclusions: the
shares of the pupils with one or more fixed-period exclusions, and permanently excluded.
For the final publications' year (2017/18) and the interim findings' (2016/17).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bulletin.disclosure import Counted, ProtectedTable
from bulletin.findings.linked import (
    GROUPS,
    OTHER,
    SOURCE_ABSENCE,
    Linked,
    Params,
    academic_year,
    group_years,
    groups_at,
    main_pupils,
    query,
)
from bulletin.findings.publish import (
    Entry,
    FindingsTable,
    frame_of,
    of_row,
    read_share,
    share,
    shares_table,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

ALL = "all pupils"
ROWS = (*GROUPS, OTHER)
IDS = {"CLA": "cla", "CPPO": "cppo", "CINO": "cino", OTHER: "other", ALL: "all"}
ABSENCE, EXCLUSIONS = ("experiences.absence",), ("experiences.exclusions",)


@dataclass(frozen=True)
class ExperiencesFindings:
    absence: tuple[FindingsTable, ...]  # one a year, latest first
    exclusions: tuple[FindingsTable, ...]
    years: tuple[int, ...]  # the years ending each academic year, latest first

    def entries(self) -> tuple[Entry, ...]:
        """A7 (absence 2017/18 by group) and the exclusion shares of the same year."""
        out: list[Entry] = []
        absence = self.absence[0].frame
        for _, row in absence.iterrows():
            name = IDS[str(row["group"])]
            out.append(Entry(f"A7_{name}_overall", row["overall"], Counted.PUPILS, ABSENCE))
            out.append(
                Entry(f"A7_{name}_persistent", row["persistent_share"], Counted.PUPILS, ABSENCE)
            )
        for _, row in self.exclusions[0].frame.iterrows():
            name = IDS[str(row["group"])]
            for column, what in (("fixed_share", "fixed"), ("permanent_share", "permanent")):
                out.append(
                    Entry(f"exclusions_{name}_{what}", row[column], Counted.PUPILS, EXCLUSIONS)
                )
        return tuple(out)

    def tables(self) -> tuple[FindingsTable, ...]:
        return (*self.absence, *self.exclusions)


def _years(params: Params) -> tuple[int, ...]:
    return group_years(params)


def _by_group(linked: Linked, params: Params, rows: ir.Table, year: int, **counts: Any) -> ir.Table:
    """`counts(rows)` (functions of a table giving aggregates) for all of `rows` (group "all
    pupils") and for each group at 31 March `year`; other pupils are all less the groups."""
    import ibis

    groups = groups_at(linked, params, year)
    members = rows.join(groups, "child_id")
    return ibis.union(
        rows.aggregate(
            year=ibis.literal(year),
            group=ibis.literal(ALL),
            **{k: f(rows) for k, f in counts.items()},
        ),
        members.group_by("group")
        .aggregate(**{k: f(members) for k, f in counts.items()})
        .mutate(year=ibis.literal(year))
        .select("year", "group", *counts),
        distinct=False,
    )


@query("experiences.absence")
def q_absence(linked: Linked, params: Params) -> ir.Table:
    """Pupils (at main registration in the January census) with an absence record, their
    sessions possible and missed, and persistent absentees, by year, for all pupils and by
    group."""
    import ibis

    parts = []
    for year in _years(params):
        a = linked["absence"]
        a = a.filter(a.academic_year == academic_year(year))
        a = main_pupils(linked, params, year).select("child_id").join(a, "child_id")
        a = a.select(
            "child_id",
            possible=a.sessions_possible,
            missed=a.sessions_authorised + a.sessions_unauthorised,
        )
        parts.append(
            _by_group(
                linked,
                params,
                a,
                year,
                pupils=lambda r: r.count(),
                possible=lambda r: r.possible.sum(),
                missed=lambda r: r.missed.sum(),
                persistent=lambda r: (10 * r.missed >= r.possible).sum(),
            )
        )
    return ibis.union(*parts, distinct=False)


@query("experiences.exclusions")
def q_exclusions(linked: Linked, params: Params) -> ir.Table:
    """Pupils at main registration in the January census, and those of them with one or
    more fixed-period exclusions or permanently excluded in the year, by year, for all
    pupils and by group."""
    import ibis

    parts = []
    for year in _years(params):
        x = linked["exclusions"]
        x = x.filter(x.academic_year == academic_year(year)).select(
            "child_id", fixed=x.fixed_period_count > 0, permanent=x.permanent
        )
        pupils = main_pupils(linked, params, year).select("child_id")
        excluded = pupils.join(x, "child_id")
        zero = ibis.literal(0, "int64")
        parts.append(
            _by_group(linked, params, pupils, year, pupils=lambda r: r.count()).mutate(
                fixed=zero, permanent=zero
            )
        )
        parts.append(
            _by_group(
                linked,
                params,
                excluded,
                year,
                fixed=lambda r: r.fixed.sum(),
                permanent=lambda r: r.permanent.sum(),
            )
            .mutate(pupils=zero)
            .select("year", "group", "pupils", "fixed", "permanent")
        )
    counts = ibis.union(*parts, distinct=False)
    return counts.group_by("year", "group").aggregate(
        pupils=counts.pupils.sum(), fixed=counts.fixed.sum(), permanent=counts.permanent.sum()
    )


def compute(linked: Linked, params: Params) -> ExperiencesFindings:
    import pandas as pd

    absence = pd.DataFrame(linked.run("experiences.absence", params))
    exclusions = pd.DataFrame(linked.run("experiences.exclusions", params))
    years = _years(params)
    return ExperiencesFindings(
        absence=tuple(_absence_table(absence[absence["year"] == y], y, params) for y in years),
        exclusions=tuple(
            _exclusions_table(exclusions[exclusions["year"] == y], y, params) for y in years
        ),
        years=years,
    )


def _ay(year: int) -> str:
    return f"{year - 1}/{year % 100:02d}"


def _grid(
    frame: pd.DataFrame, counts: tuple[str, ...], params: Params
) -> tuple[dict[tuple[str, str], int], ProtectedTable]:
    """The counts by group (rows) and column, other pupils being all pupils less the
    groups, protected with each count's share of the group's pupils."""
    values = _values(frame, ("pupils", *counts))
    published = shares_table(
        values,
        of_row("pupils"),
        params.disclosure,
        row_relations=[(ALL, list(ROWS))],
        headline=[(ALL, c) for c in ("pupils", *counts)],
    )
    return values, published


def _absence_table(frame: pd.DataFrame, year: int, params: Params) -> FindingsTable:
    t = params.disclosure
    values, published = _grid(frame, ("persistent",), params)
    sessions = _values(frame, ("possible", "missed"))
    totals = {g: (sessions[(g, "possible")], sessions[(g, "missed")]) for g in (*ROWS, ALL)}
    ay = _ay(year)
    rows = []
    for group in (*ROWS, ALL):
        possible, missed = totals[group]
        pupils = published.count((group, "pupils"))
        rows.append(
            {
                "group": group,
                "pupils": pupils,
                "overall": share(
                    missed,
                    possible,
                    t,
                    hidden=not pupils.shown or values[(group, "pupils")] < t.min_denominator,
                    definition=f"overall absence {ay}, {group}: sessions missed (authorised or "
                    "unauthorised) as a share of sessions possible",
                    source=SOURCE_ABSENCE,
                ),
                "persistent": published.count((group, "persistent")),
                "persistent_share": read_share(
                    published,
                    (group, "persistent"),
                    f"persistent absence {ay}, {group}: pupils who missed 10% or more of their "
                    "possible sessions, as a share of the group's pupils",
                    SOURCE_ABSENCE,
                ),
            }
        )
    return FindingsTable(
        id=f"tbl-absence-{academic_year(year)}",
        title=f"Absence by social care group, {ay}",
        definition=(
            f"pupils at main registration in the January {year} school census with an absence "
            f"record in {ay}, by their group at 31 March {year}: looked after (CLA), else on a "
            "child protection plan (CPPO), else in need (CINO), else other pupils"
        ),
        source=SOURCE_ABSENCE,
        counted=Counted.PUPILS,
        frame=frame_of(rows, ["group", "pupils", "overall", "persistent", "persistent_share"]),
        labels=("group",),
        query=ABSENCE,
    )


def _exclusions_table(frame: pd.DataFrame, year: int, params: Params) -> FindingsTable:
    _, published = _grid(frame, ("fixed", "permanent"), params)
    ay = _ay(year)
    rows = []
    for group in (*ROWS, ALL):
        rows.append(
            {
                "group": group,
                "pupils": published.count((group, "pupils")),
                "fixed": published.count((group, "fixed")),
                "fixed_share": read_share(
                    published,
                    (group, "fixed"),
                    f"pupils with one or more fixed-period exclusions in {ay}, {group}, as a "
                    "share of the group's pupils",
                    SOURCE_ABSENCE,
                ),
                "permanent": published.count((group, "permanent")),
                "permanent_share": read_share(
                    published,
                    (group, "permanent"),
                    f"pupils permanently excluded in {ay}, {group}, as a share of the group's "
                    "pupils",
                    SOURCE_ABSENCE,
                ),
            }
        )
    return FindingsTable(
        id=f"tbl-exclusions-{academic_year(year)}",
        title=f"Exclusions by social care group, {ay}",
        definition=(
            f"pupils at main registration in the January {year} school census, by their group "
            f"at 31 March {year}"
        ),
        source=SOURCE_ABSENCE,
        counted=Counted.PUPILS,
        frame=frame_of(
            rows,
            ["group", "pupils", "fixed", "fixed_share", "permanent", "permanent_share"],
        ),
        labels=("group",),
        query=EXCLUSIONS,
    )


def _values(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[tuple[str, str], int]:
    """{(group, column): count} for the groups and all pupils; other pupils by subtraction."""
    by_group = frame.set_index("group")
    values: dict[tuple[str, str], int] = {}
    for column in columns:
        for group in (*GROUPS, ALL):
            values[(group, column)] = int(by_group[column].get(group, 0))
        values[(OTHER, column)] = values[(ALL, column)] - sum(values[(g, column)] for g in GROUPS)
    return values
