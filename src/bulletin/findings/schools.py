"""Findings (section 3.1): where pupils who needed a social worker are, school by school.

Schools in scope (those with pupils at main registration in the January census at the
window's end) by their share of pupils who were in need at some point in the window: the
schools with no such pupil (B3), with 5% to 10% (B4) and with over 20% (B5), and the whole
distribution. Shares are compared in whole numbers (k pupils of n: 20k >= n is 5% or more),
never in floating point.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bulletin.core.measure import Measure
from bulletin.disclosure import PERCENT, Counted, Level, Rate, grid_table
from bulletin.findings.linked import (
    SOURCE_PUPILS,
    Linked,
    Params,
    in_need_between,
    left_join,
    main_pupils,
    query,
)
from bulletin.findings.publish import Entry, FindingsTable, frame_of, protected

if TYPE_CHECKING:
    import ibis.expr.types as ir

SCHOOLS, TOTAL, ANY = "schools", "all schools", "at least one"
#: The bands of a school's share k / n of pupils in need, as whole-number conditions.
BANDS = ("none", "under 5%", "5% to 10%", "over 10% to 15%", "over 15% to 20%", "over 20%")


@dataclass(frozen=True)
class SchoolsFindings:
    schools: Measure  # schools in scope
    b3: Measure  # schools with no pupil who was in need in the window
    with_any: Measure  # share of schools with at least one such pupil
    b4: Measure  # share of schools where such pupils are 5% to 10% of pupils
    b5: Measure  # share of schools where they are over 20%
    distribution: FindingsTable  # schools by band of the share

    def entries(self) -> tuple[Entry, ...]:
        return (
            Entry("schools", self.schools, Counted.SCHOOLS),
            Entry("B3", self.b3, Counted.SCHOOLS),
            Entry("schools_with_any", self.with_any, Counted.SCHOOLS),
            Entry("B4", self.b4, Counted.SCHOOLS),
            Entry("B5", self.b5, Counted.SCHOOLS),
        )

    def tables(self) -> tuple[FindingsTable, ...]:
        return (self.distribution,)


@query("schools.bands")
def q_bands(linked: Linked, params: Params) -> ir.Table:
    """Schools in the January census at the window's end by band of their share of pupils
    who were in need in the window; and those pupils in all."""
    import ibis

    ever = in_need_between(linked, params)
    pupils = main_pupils(linked, params, params.last_year).select("child_id", "urn")
    joined = left_join(pupils, ever, "child_id")
    by_school = joined.group_by("urn").aggregate(n=joined.count(), k=joined.in_need.count())
    k, n = by_school.k, by_school.n
    bands = {
        "none": k == 0,
        "under 5%": (k > 0) & (20 * k < n),
        "5% to 10%": (20 * k >= n) & (10 * k <= n),
        "over 10% to 15%": (10 * k > n) & (20 * k <= 3 * n),
        "over 15% to 20%": (20 * k > 3 * n) & (5 * k <= n),
        "over 20%": 5 * k > n,
    }
    band = ibis.cases(*((cond, name) for name, cond in bands.items()))
    return by_school.group_by(band=band).aggregate(schools=by_school.count())


def compute(linked: Linked, params: Params) -> SchoolsFindings:
    import pandas as pd

    t = params.disclosure
    result = pd.DataFrame(linked.run("schools.bands", params))
    by_band = dict(zip(result["band"], result["schools"].astype(int), strict=True))
    values = {(band, SCHOOLS): int(by_band.get(band, 0)) for band in BANDS}
    values[(TOTAL, SCHOOLS)] = sum(values.values())
    values[(ANY, SCHOOLS)] = values[(TOTAL, SCHOOLS)] - values[("none", SCHOOLS)]
    rates = [Rate((row, "share"), (row, SCHOOLS), (TOTAL, SCHOOLS), PERCENT) for row, _ in values]
    table = grid_table(
        values,
        [(TOTAL, list(BANDS)), (TOTAL, ["none", ANY])],
        levels=Level.NATIONAL,
        counted=Counted.SCHOOLS,
        rates=rates,
    )
    published = protected(table, t, keep=[(TOTAL, SCHOOLS)])
    census = f"the January {params.last_year} school census"
    window = f"{params.first_year - 1}-{params.first_year % 100:02d} to {params.last_year - 1}-{params.last_year % 100:02d}"
    in_scope = f"schools with pupils at main registration in {census}"
    such = f"pupils on roll (main registration) who were in need at some point in {window}"

    def band_share(band: str, words: str) -> Measure:
        return replace(
            published.rate((band, "share")),
            definition=f"{in_scope} where {such} are {words} of pupils, as a share of all of them",
            source=SOURCE_PUPILS,
        )

    rows = [
        {
            "band": row,
            "schools": published.count((row, SCHOOLS)),
            "share": published.rate((row, "share")),
        }
        for row in (*BANDS, TOTAL)
    ]
    return SchoolsFindings(
        schools=replace(
            published.count((TOTAL, SCHOOLS)), definition=in_scope, source=SOURCE_PUPILS
        ),
        b3=replace(
            published.count(("none", SCHOOLS)),
            definition=f"{in_scope} with none of their {such}",
            source=SOURCE_PUPILS,
        ),
        with_any=replace(
            published.rate((ANY, "share")),
            definition=f"{in_scope} with at least one of their {such}, as a share of all of them",
            source=SOURCE_PUPILS,
        ),
        b4=band_share("5% to 10%", "from 5% to 10% (inclusive)"),
        b5=band_share("over 20%", "over 20%"),
        distribution=FindingsTable(
            id="tbl-schools",
            title="Schools by the share of their pupils who were in need at some point in the window",
            definition=f"{in_scope}, by the share of their pupils who are {such}",
            source=SOURCE_PUPILS,
            counted=Counted.SCHOOLS,
            frame=frame_of(rows, ["band", "schools", "share"]),
            labels=("band",),
        ),
    )
