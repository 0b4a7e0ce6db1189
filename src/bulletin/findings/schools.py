"""Findings (section 3.1): where pupils who needed a social worker are, school by school.

Schools in scope (those with pupils at main registration in the January census at the
window's end) by their share of pupils who were in need at some point in the window: the
schools with no such pupil (B3), with 5% to 10% (B4) and with over 20% (B5), the whole
distribution by band, and a finer one by bins of 2.5 percentage points up to 50% (for a
histogram), each bin inside one band. Shares are compared in whole numbers (k pupils of n:
40k >= 3n is 7.5% or more), never in floating point. Bands and bins are one table, so
that neither reveals a school count the other hides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bulletin.core.measure import Measure
from bulletin.disclosure import Counted
from bulletin.findings.linked import (
    SOURCE_PUPILS,
    Linked,
    Params,
    in_need_between,
    left_join,
    main_pupils,
    query,
)
from bulletin.findings.publish import (
    Entry,
    FindingsTable,
    frame_of,
    of_column,
    share_key,
    shares_table,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir

SCHOOLS, TOTAL, ANY, NONE = "schools", "all schools", "at least one", "none"
QUERY = ("schools.bands",)
#: The bands of a school's share k / n of pupils in need.
BANDS = (NONE, "under 5%", "5% to 10%", "over 10% to 15%", "over 15% to 20%", "over 20%")
STEP = 40  # bins are fortieths of a school's pupils: 2.5 percentage points
LAST = 20  # the last bin ends at 20/40 (50%); "over 50%" is beyond


def _percent(fortieths: int) -> str:
    return f"{2.5 * fortieths:g}%"


def _bins() -> dict[str, str]:
    """Each bin (in order) and its band. Up to 10% a bin includes its lower end (5%, like
    the band 5% to 10%), above it its upper end (10% is in 7.5% to 10%); over 50% is one bin."""
    bins = {NONE: NONE, f"over 0% to under {_percent(1)}": BANDS[1]}
    bins[f"{_percent(1)} to under {_percent(2)}"] = BANDS[1]
    bins[f"{_percent(2)} to under {_percent(3)}"] = BANDS[2]
    bins[f"{_percent(3)} to {_percent(4)}"] = BANDS[2]
    for j in range(4, LAST):
        bins[f"over {_percent(j)} to {_percent(j + 1)}"] = BANDS[3 + min(j // 2 - 2, 2)]
    bins[f"over {_percent(LAST)}"] = BANDS[-1]
    return bins


#: The bins of the share, in order, each with the band it lies in.
BINS = _bins()


@dataclass(frozen=True)
class SchoolsFindings:
    schools: Measure  # schools in scope
    b3: Measure  # schools with no pupil who was in need in the window
    with_any: Measure  # share of schools with at least one such pupil
    b4: Measure  # share of schools where such pupils are 5% to 10% of pupils
    b5: Measure  # share of schools where they are over 20%
    distribution: FindingsTable  # schools by band of the share
    bins: FindingsTable  # schools by bin of 2.5 percentage points of the share

    def entries(self) -> tuple[Entry, ...]:
        return (
            Entry("schools", self.schools, Counted.SCHOOLS, QUERY),
            Entry("B3", self.b3, Counted.SCHOOLS, QUERY),
            Entry("schools_with_any", self.with_any, Counted.SCHOOLS, QUERY),
            Entry("B4", self.b4, Counted.SCHOOLS, QUERY),
            Entry("B5", self.b5, Counted.SCHOOLS, QUERY),
        )

    def tables(self) -> tuple[FindingsTable, ...]:
        return (self.distribution, self.bins)


@query("schools.bands")
def q_bands(linked: Linked, params: Params) -> ir.Table:
    """Schools in the January census at the window's end by bin (`BINS`) of their share of
    pupils who were in need in the window."""
    ever = in_need_between(linked, params)
    pupils = main_pupils(linked, params, params.last_year).select("child_id", "urn")
    joined = left_join(pupils, ever, "child_id")
    by_school = joined.group_by("urn").aggregate(n=joined.count(), k=joined.in_need.count())
    return by_school.group_by(bin=share_bin(by_school.k, by_school.n)).aggregate(
        schools=by_school.count()
    )


def share_bin(k: ir.IntegerValue, n: ir.IntegerValue) -> ir.StringValue:
    """The bin (`BINS`) of the share k / n, in whole numbers: 40k against j x n is the share
    against j/40."""
    import ibis

    share = STEP * k
    below = [(0, share < n), (1, share < 2 * n), (2, share < 3 * n), (3, share <= 4 * n)]
    above = [(j, share <= (j + 1) * n) for j in range(4, LAST)]
    labels = list(BINS)
    return ibis.cases(
        (k == 0, NONE),
        *((condition, labels[1 + j]) for j, condition in [*below, *above]),
        else_=labels[-1],
    )


def compute(linked: Linked, params: Params) -> SchoolsFindings:
    import pandas as pd

    t = params.disclosure
    result = pd.DataFrame(linked.run("schools.bands", params))
    by_bin = dict(zip(result["bin"], result["schools"].astype(int), strict=True))
    values = {(b, SCHOOLS): int(by_bin.get(b, 0)) for b in BINS}
    nested = {band: [b for b, of in BINS.items() if of == band] for band in BANDS}
    for band, bins in nested.items():
        values[(band, SCHOOLS)] = sum(values[(b, SCHOOLS)] for b in bins)
    values[(TOTAL, SCHOOLS)] = sum(values[(band, SCHOOLS)] for band in BANDS)
    values[(ANY, SCHOOLS)] = values[(TOTAL, SCHOOLS)] - values[(NONE, SCHOOLS)]
    published = shares_table(
        values,
        of_column(TOTAL),
        t,
        row_relations=[
            (TOTAL, list(BANDS)),
            (TOTAL, [NONE, ANY]),
            *((band, bins) for band, bins in nested.items() if band != NONE),
        ],
        counted=Counted.SCHOOLS,
        # the schools in scope and the cells of B3, B4 and B5 (the other bands are totals
        # of their bins; at least one is the complement of none)
        headline=[(row, SCHOOLS) for row in (TOTAL, NONE, "5% to 10%", "over 20%")],
    )
    census = f"the January {params.last_year} school census"
    window = f"{params.first_year - 1}-{params.first_year % 100:02d} to {params.last_year - 1}-{params.last_year % 100:02d}"
    in_scope = f"schools with pupils at main registration in {census}"
    such = f"pupils on roll (main registration) who were in need at some point in {window}"

    def band_share(band: str, words: str) -> Measure:
        return replace(
            published.rate(share_key((band, SCHOOLS))),
            definition=f"{in_scope} where {such} are {words} of pupils, as a share of all of them",
            source=SOURCE_PUPILS,
        )

    def table(table_id: str, title: str, column: str, rows: list[str]) -> FindingsTable:
        lines = [
            {
                column: row,
                "schools": published.count((row, SCHOOLS)),
                "share": published.rate(share_key((row, SCHOOLS))),
            }
            for row in [*rows, TOTAL]
        ]
        return FindingsTable(
            id=table_id,
            title=title,
            definition=f"{in_scope}, by the share of their pupils who are {such}",
            source=SOURCE_PUPILS,
            counted=Counted.SCHOOLS,
            frame=frame_of(lines, [column, "schools", "share"]),
            labels=(column,),
            query=QUERY,
        )

    return SchoolsFindings(
        schools=replace(
            published.count((TOTAL, SCHOOLS)), definition=in_scope, source=SOURCE_PUPILS
        ),
        b3=replace(
            published.count((NONE, SCHOOLS)),
            definition=f"{in_scope} with none of their {such}",
            source=SOURCE_PUPILS,
        ),
        with_any=replace(
            published.rate(share_key((ANY, SCHOOLS))),
            definition=f"{in_scope} with at least one of their {such}, as a share of all of them",
            source=SOURCE_PUPILS,
        ),
        b4=band_share("5% to 10%", "from 5% to 10% (inclusive)"),
        b5=band_share("over 20%", "over 20%"),
        distribution=table(
            "tbl-schools",
            "Schools by the share of their pupils who were in need at some point in the window",
            "band",
            list(BANDS),
        ),
        bins=table(
            "tbl-school-share-distribution",
            "Schools by the share of their pupils who were in need at some point in the "
            "window, in steps of 2.5 percentage points",
            "bin",
            list(BINS),
        ),
    )
