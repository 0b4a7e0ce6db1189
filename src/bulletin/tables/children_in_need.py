"""Tables (children in need): the national series and the table by region and local
authority, printed from the real B1 file as published (`bulletin.data.real`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bulletin.core.context import ContextTable
from bulletin.core.context import Row as ContextRow
from bulletin.core.formatting import fmt_count, fmt_date, fmt_rate_1dp
from bulletin.tables.build import Format, from_context
from bulletin.tables.model import Table

AT_31_MARCH = (("at_31_march", fmt_count), ("at_31_march_rate", fmt_rate_1dp))


def cin_by_year(series: ContextTable) -> Table:
    """tbl-cin-by-year: children in need at 31 March and the published rate, each year."""
    return from_context(
        series,
        id="tbl-cin-by-year",
        header="date",
        row_header=lambda row: fmt_date(dt.date(int(row.labels["year"]), 3, 31)),
        keys=("year",),
        columns=AT_31_MARCH,
    )


def cin_by_region(areas: ContextTable) -> Table:
    """tbl-cin-by-region: children in need at 31 March and the published rate, by area."""
    return by_area(areas, "tbl-cin-by-region", AT_31_MARCH)


def by_area(areas: ContextTable, table_id: str, columns: Sequence[tuple[str, Format]]) -> Table:
    """A table by area: England, then each region followed by its subregions (Inner and
    Outer London) and its local authorities (alphabetical), with `columns`."""
    rows = list(areas.rows)
    ordered = [r for r in rows if r.labels["level"] == "national"]

    def place(area: ContextRow) -> None:
        ordered.append(area)
        code = area.labels["area_code"]
        for sub in rows:
            if sub.labels["level"] == "subregional" and sub.labels["parent"] == code:
                place(sub)
        las = [
            r for r in rows if r.labels["level"] == "local authority" and r.labels["parent"] == code
        ]
        ordered.extend(sorted(las, key=lambda r: r.labels["area_name"]))

    for region in rows:
        if region.labels["level"] == "regional":
            place(region)
    left_out = {r.labels["area_code"] for r in rows} - {r.labels["area_code"] for r in ordered}
    if left_out:
        raise ValueError(f"areas in no region: {', '.join(sorted(left_out))}")
    return from_context(
        areas,
        id=table_id,
        header="area_name",
        row_header=lambda row: row.labels["area_name"],
        keys=("level", "area_code"),
        columns=columns,
        rows=ordered,
        level=lambda row: row.labels["level"].replace(" ", "-"),
    )
