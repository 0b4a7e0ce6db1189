"""Charts (children in need): the national series at 31 March, with alt text from its data."""

from __future__ import annotations

from bulletin.charts.model import LineChart, Series, listing
from bulletin.core.formatting import fmt_count, fmt_year
from bulletin.findings.national import NationalFindings


def cin_by_year(findings: NationalFindings) -> LineChart:
    """fig-cin-by-year: children in need at 31 March in England, each year."""
    years = tuple(fmt_year(p.year) for p in findings.series)
    values = tuple(p.children for p in findings.series)
    shown = tuple(fmt_count(v) for v in values)
    alt = (
        f"Line chart of the number of children in need in England at 31 March of each year "
        f"from {years[0]} to {years[-1]}. The number was {listing(years, shown)}. "
        "The same figures are in the table that follows the chart."
    )
    return LineChart(
        id="fig-cin-by-year",
        subject="the number of children in need in England at 31 March of each year",
        category_key="time_period",
        categories=years,
        series=(Series("children_in_need_at_31_march", "Children in need", values),),
        value_label="Children in need at 31 March",
        fmt=fmt_count,
        alt_override=alt,
    )
