"""Findings (section 6): what happens after 16 to pupils who needed a social worker.

Two key stage 4 cohorts, each split by whether the pupil was in need in the year of their
GCSEs (CLA, CPPO or CINO in the reporting year
ending in that academic year: the children in need in the year) or not: level 2 and level 3
by 19 and by 21, not in education, employment or training (NEET) at 18, and higher
education at 18. The cohort that is 21 by the end of the window (2012/13) gives B9, the share
of pupils in need in the year of their GCSEs without level 2 by 21; the latest cohort whose
outcomes at 19 are known (2014/15) gives B10 and B11, how likely pupils in need were to be
NEET, and to be in higher education, at 18 relative to other pupils. An outcome is counted
over the whole cohort (a pupil with no record of it has not achieved it); an outcome that no
pupil of the cohort has a record of (the cohort is not old enough yet) is shown as `x`.

A cohort is the rows of `post16` with that `ks4_year` (the pupils followed up after 16),
whether or not the pupil has a `ks4` row that year: a pupil at the end of key stage 4 with
no `post16` row was not followed up and is in no after-16 finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bulletin.core.measure import Measure, Unit
from bulletin.core.symbols import Symbol
from bulletin.disclosure import Counted, ProtectedTable
from bulletin.findings.linked import (
    GROUPS,
    SOURCE_AFTER16,
    Linked,
    Params,
    academic_year,
    groups_in_year,
    left_join,
    query,
)
from bulletin.findings.publish import (
    Entry,
    FindingsTable,
    frame_of,
    of_row,
    ratio,
    read_share,
    shares_table,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

IN_NEED, OTHER, ALL = "in need in the year of GCSEs", "other pupils", "all pupils"
ROWS = (IN_NEED, OTHER, ALL)
NO_LEVEL2_BY_21 = "no_level2_by_21"
#: The outcomes: column -> (the field recorded, what it counts).
OUTCOMES = {
    "level2_by_19": ("level2_by_19", "level 2 (5 good GCSEs or equivalent) by 19"),
    "level3_by_19": ("level3_by_19", "level 3 (2 A levels or equivalent) by 19"),
    "level2_by_21": ("level2_by_21", "level 2 by 21"),
    NO_LEVEL2_BY_21: ("level2_by_21", "not level 2 by 21"),
    "level3_by_21": ("level3_by_21", "level 3 by 21"),
    "neet_18": ("activity_18", "not in education, employment or training (NEET) at 18"),
    "higher_education_18": ("higher_education_18", "in higher education at 18"),
}
FIELDS = tuple(dict.fromkeys(f for f, _ in OUTCOMES.values()))
QUERY = ("after16.outcomes",)
#: The cells behind B9, B10 and B11 (headline findings).
HEADLINE = (
    (IN_NEED, NO_LEVEL2_BY_21),
    *((row, column) for row in (IN_NEED, OTHER) for column in ("neet_18", "higher_education_18")),
    *((row, "pupils") for row in ROWS),
)


@dataclass(frozen=True)
class After16Findings:
    cohorts: dict[int, FindingsTable]  # key stage 4 year -> table
    b9: Measure  # in need in the year of GCSEs, first cohort: share without level 2 by 21
    b10: tuple[Measure, Measure, Measure]  # NEET at 18: in need, other pupils, ratio
    b11: tuple[Measure, Measure, Measure]  # higher education at 18: the same

    def entries(self) -> tuple[Entry, ...]:
        out = [Entry("B9", self.b9, Counted.PUPILS, QUERY)]
        for key, (cin, other, ratio_) in (("B10", self.b10), ("B11", self.b11)):
            out += [
                Entry(f"{key}_cin", cin, Counted.PUPILS, QUERY),
                Entry(f"{key}_other", other, Counted.PUPILS, QUERY),
                Entry(key, ratio_, Counted.PUPILS, QUERY),
            ]
        return tuple(out)

    def tables(self) -> tuple[FindingsTable, ...]:
        return tuple(self.cohorts.values())


@query("after16.outcomes")
def q_outcomes(linked: Linked, params: Params) -> ir.Table:
    """Pupils of each key stage 4 cohort followed after 16, by whether they were in need in
    the year of their GCSEs: how many, how many achieved each outcome, and how many have a
    record of each field."""
    import ibis

    parts = []
    for year in params.after16_years:
        p = linked["post16"]
        p = p.filter(p.ks4_year == academic_year(year))
        groups = groups_in_year(linked, params, year)
        in_need = groups.filter(groups.group.isin(GROUPS)).select(
            "child_id", in_need=ibis.literal(1)
        )
        r = left_join(p, in_need, "child_id")
        parts.append(
            r.group_by(in_need=r.in_need.notnull())
            .aggregate(
                pupils=r.count(),
                level2_by_19=r.level2_by_19.sum(),
                level3_by_19=r.level3_by_19.sum(),
                level2_by_21=r.level2_by_21.sum(),
                level3_by_21=r.level3_by_21.sum(),
                neet_18=(r.activity_18 == "neet").sum(),
                higher_education_18=r.higher_education_18.sum(),
                **{f"known_{f}": r[f].count() for f in FIELDS},
            )
            .mutate(year=ibis.literal(year, "int64"))
        )
    return ibis.union(*parts, distinct=False)


def compute(linked: Linked, params: Params) -> After16Findings:
    import pandas as pd

    frame = pd.DataFrame(linked.run("after16.outcomes", params))
    cohorts: dict[int, tuple[FindingsTable, ProtectedTable, set[str]]] = {
        year: _cohort(frame[frame["year"] == year], year, params) for year in params.after16_years
    }
    first, latest = params.after16_years

    def share(year: int, column: str, row: str, words: str) -> Measure:
        _, published, known = cohorts[year]
        if column not in known:
            return Measure.hidden(
                Symbol.NOT_AVAILABLE, Unit.SHARE, definition=words, source=SOURCE_AFTER16
            )
        return read_share(published, (row, column), words, SOURCE_AFTER16)

    def pupils(year: int, row: str) -> str:
        which = "were" if row == IN_NEED else "were not"
        return (
            f"pupils at the end of key stage 4 in {_ay(year)} who {which} in need at some point "
            f"in {_ry(year)} (the year of their GCSEs)"
        )

    b9 = share(
        first,
        NO_LEVEL2_BY_21,
        IN_NEED,
        f"{pupils(first, IN_NEED)} without level 2 by 21, as a share of them",
    )

    def compare(column: str, words: str) -> tuple[Measure, Measure, Measure]:
        cin = share(
            latest, column, IN_NEED, f"{pupils(latest, IN_NEED)} {words}, as a share of them"
        )
        other = share(latest, column, OTHER, f"{pupils(latest, OTHER)} {words}, as a share of them")
        return (
            cin,
            other,
            ratio(
                cin,
                other,
                definition=f"how likely pupils in need in the year of their GCSEs ({_ry(latest)}) "
                f"were to be {words}, relative to other pupils (key stage 4 {_ay(latest)})",
                source=SOURCE_AFTER16,
            ),
        )

    return After16Findings(
        cohorts={year: table for year, (table, _, _) in cohorts.items()},
        b9=b9,
        b10=compare("neet_18", OUTCOMES["neet_18"][1]),
        b11=compare("higher_education_18", OUTCOMES["higher_education_18"][1]),
    )


def _ay(year: int) -> str:
    return f"{year - 1}/{year % 100:02d}"


def _ry(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _cohort(
    frame: pd.DataFrame, year: int, params: Params
) -> tuple[FindingsTable, ProtectedTable, set[str]]:
    """One cohort's table, protected; and the outcomes it has records of."""
    import pandas as pd

    t = params.disclosure
    by_row = {bool(k): row for k, row in frame.set_index("in_need").iterrows()}
    known = {
        column
        for column, (field, _) in OUTCOMES.items()
        if sum(int(row[f"known_{field}"]) for row in by_row.values()) > 0
    }
    values: dict[tuple[str, str], int] = {}
    for row, key in ((IN_NEED, True), (OTHER, False)):
        source = by_row.get(key)
        for column in ("pupils", *OUTCOMES):
            if column == NO_LEVEL2_BY_21:
                continue
            value = None if source is None else source[column]
            values[(row, column)] = 0 if value is None or pd.isna(value) else int(value)
        values[(row, NO_LEVEL2_BY_21)] = values[(row, "pupils")] - values[(row, "level2_by_21")]
    for column in ("pupils", *OUTCOMES):
        values[(ALL, column)] = values[(IN_NEED, column)] + values[(OTHER, column)]
    cells = {k: v for k, v in values.items() if k[1] == "pupils" or k[1] in known}
    published = shares_table(
        cells,
        of_row("pupils"),
        t,
        row_relations=[(ALL, [IN_NEED, OTHER])],
        column_relations=[("pupils", ["level2_by_21", NO_LEVEL2_BY_21])],
        headline=[key for key in HEADLINE if key in cells],
    )
    ay = _ay(year)
    rows = []
    for row in ROWS:
        line: dict[str, object] = {"group": row, "pupils": published.count((row, "pupils"))}
        for column, (_, words) in OUTCOMES.items():
            definition = (
                f"pupils at the end of key stage 4 in {ay}, {row}, with {words}, as a share of "
                "the group's pupils"
            )
            if column in known:
                line[column] = published.count((row, column))
                line[f"{column}_share"] = read_share(
                    published, (row, column), definition, SOURCE_AFTER16
                )
            else:
                line[column] = Measure.hidden(Symbol.NOT_AVAILABLE, Unit.COUNT)
                line[f"{column}_share"] = Measure.hidden(
                    Symbol.NOT_AVAILABLE, Unit.SHARE, definition=definition, source=SOURCE_AFTER16
                )
        rows.append(line)
    columns = ["group", "pupils"]
    for column in OUTCOMES:
        columns += [column, f"{column}_share"]
    found = FindingsTable(
        id=f"tbl-after16-{academic_year(year)}",
        title=f"Outcomes after 16 of pupils at the end of key stage 4 in {ay}",
        definition=(
            f"pupils at the end of key stage 4 in {ay} followed up after 16 (the post16 rows of "
            f"that key stage 4 year), by whether they were in need at some "
            f"point in {_ry(year)} (the year of their GCSEs: looked after, on a child protection "
            "plan or in need), and what they achieved by 19 and 21 and did at 18; shares of the "
            "group's pupils; x: the cohort is not old enough for it yet"
        ),
        source=SOURCE_AFTER16,
        counted=Counted.PUPILS,
        frame=frame_of(rows, columns),
        labels=("group",),
        query=QUERY,
    )
    return found, published, known
