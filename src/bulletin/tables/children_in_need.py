"""Tables (children in need): the national series and the table by region and local authority."""

from __future__ import annotations

from bulletin.core.formatting import fmt_count, fmt_date, fmt_rate_1dp, fmt_year
from bulletin.findings.national import Area, Level, NationalFindings
from bulletin.tables.model import Cell, Column, Row, Table

COLUMNS = (Column("children_in_need_at_31_march"), Column("rate_per_10000_children"))


def cin_by_year(findings: NationalFindings) -> Table:
    """tbl-cin-by-year: children in need at 31 March and the published rate, each year."""
    rows = tuple(
        Row(
            fmt_date(point.census_date),
            (fmt_year(point.year),),
            (Cell.of(point.children, fmt_count), Cell.of(point.rate, fmt_rate_1dp)),
        )
        for point in findings.series
    )
    source = findings.latest.children.source
    return Table("tbl-cin-by-year", "date", (Column("time_period", False),), COLUMNS, rows, source)


def cin_by_region(findings: NationalFindings) -> Table:
    """tbl-cin-by-region: England, then each region followed by its subregions (Inner and
    Outer London) and its local authorities (alphabetical), in the latest year."""
    areas = findings.areas
    ordered: list[Area] = [a for a in areas if a.level is Level.NATIONAL]

    def place(area: Area) -> None:
        ordered.append(area)
        for sub in areas:
            if sub.level is Level.SUBREGIONAL and sub.parent == area.code:
                place(sub)
        las = [a for a in areas if a.level is Level.LOCAL_AUTHORITY and a.parent == area.code]
        ordered.extend(sorted(las, key=lambda a: a.name))

    for region in areas:
        if region.level is Level.REGIONAL:
            place(region)
    left_out = {a.code for a in areas} - {a.code for a in ordered}
    if left_out:
        raise ValueError(f"areas in no region: {', '.join(sorted(left_out))}")
    rows = tuple(
        Row(
            area.name,
            (str(area.level), area.code),
            (Cell.of(area.children, fmt_count), Cell.of(area.rate, fmt_rate_1dp)),
            level=str(area.level).replace(" ", "-"),
        )
        for area in ordered
    )
    keys = (Column("geographic_level", False), Column("area_code", False))
    source = findings.latest.children.source
    return Table("tbl-cin-by-region", "area_name", keys, COLUMNS, rows, source)


def titles(findings: NationalFindings) -> dict[str, str]:
    """The titles of the two tables, as the spreadsheet and the data guidance give them."""
    first, latest = findings.first, findings.latest
    return {
        "tbl-cin-by-year": (
            f"Children in need at 31 March, England, {fmt_year(first.year)} to "
            f"{fmt_year(latest.year)}"
        ),
        "tbl-cin-by-region": (
            f"Children in need at {fmt_date(latest.census_date)}, by region and local authority"
        ),
    }
