"""Charts (above findings): figures drawn from data, with alt text, a description and a
data file each."""

from bulletin.charts.model import (
    BarChart,
    Chart,
    Distribution,
    DotPlot,
    GroupedBarChart,
    LineChart,
    Point,
    SequenceChart,
    Series,
    to_csv,
)

__all__ = [
    "BarChart",
    "Chart",
    "Distribution",
    "DotPlot",
    "GroupedBarChart",
    "LineChart",
    "Point",
    "SequenceChart",
    "Series",
    "to_csv",
]
