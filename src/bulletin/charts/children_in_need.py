"""Charts (children in need): the national series at 31 March, with alt text from its data."""

from __future__ import annotations

from bulletin.charts.model import LineChart, Series, listing
from bulletin.core.context import ContextTable
from bulletin.core.formatting import fmt_count


def cin_by_year(series: ContextTable) -> LineChart:
    """fig-cin-by-year: children in need at 31 March in England, each year (the real B1
    series, `real-cin-by-year`)."""
    years = tuple(row.labels["year"] for row in series.rows)
    values = tuple(v.measure for v in series.column("at_31_march"))
    shown = tuple(fmt_count(v) for v in values)
    alt = (
        f"Line chart of the number of children in need in England at 31 March of each year "
        f"from {years[0]} to {years[-1]}. The number was {listing(years, shown)}. "
        "The same figures are in the table that follows the chart."
    )
    return LineChart(
        id="fig-cin-by-year",
        x_key="time_period",
        x_labels=years,
        series=(Series("children_in_need_at_31_march", "Children in need", values),),
        y_label="Children in need at 31 March",
        fmt=fmt_count,
        alt=alt,
    )
