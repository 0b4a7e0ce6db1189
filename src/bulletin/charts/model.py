"""Charts (model): what a figure shows, as data: its points, its alt text and its data file.

A chart spec is built from findings without drawing anything (so the report can use its
alt text without importing matplotlib); `bulletin.charts.draw` turns it into an SVG.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bulletin.core.measure import Measure
from bulletin.core.spreadsheet import to_csv as csv_text


@dataclass(frozen=True)
class Series:
    key: str  # machine name: the CSV header
    label: str  # shown in a legend when a chart has more than one series
    values: tuple[Measure, ...]


@dataclass(frozen=True)
class LineChart:
    id: str  # stable: the file name of its SVG and data file, and its HTML anchor
    x_key: str  # machine name of the x values (CSV header)
    x_labels: tuple[str, ...]  # as printed on the axis and in the data file
    series: tuple[Series, ...]
    y_label: str  # what the y axis counts, shown above it
    fmt: Callable[[Measure], str]  # how every value is printed (axis, alt text, data file)
    alt: str  # written from the data (see the builders)

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.x_labels):
                raise ValueError(f"{self.id}: series {s.key} does not match the x values")


def to_csv(chart: LineChart) -> str:
    """The numbers the chart shows, as an open-data CSV (no thousands separators); no text
    cell can be read as a formula (`bulletin.core.spreadsheet`)."""
    header = [chart.x_key, *(s.key for s in chart.series)]
    rows = (
        [x, *(chart.fmt(s.values[i]).replace(",", "") for s in chart.series)]
        for i, x in enumerate(chart.x_labels)
    )
    return csv_text(header, rows)


def listing(labels: tuple[str, ...], values: tuple[str, ...]) -> str:
    """'a in x, b in y and c in z': every value of a series, for alt text."""
    parts = [f"{v} in {x}" for x, v in zip(labels, values, strict=True)]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
