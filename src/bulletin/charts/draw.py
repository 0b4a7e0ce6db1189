"""Charts (drawing): a chart spec to a deterministic SVG, in the Analysis Function style.

matplotlib with the afcharts style sheet and palette. Bytes are identical run to run: a
fixed `svg.hashsalt` for element ids and no date in the metadata. Text stays text (not
glyph outlines, which make WeasyPrint several times slower): laid out with DejaVu Sans,
the font the PDF uses, and named first in the SVG's font list.
"""

from __future__ import annotations

import io
from decimal import Decimal

from bulletin.charts.model import LineChart
from bulletin.core.measure import Measure


def svg(chart: LineChart) -> str:
    """The chart as SVG text. A value shown as a GSS symbol leaves a gap in the line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from afcharts.af_colours import get_af_colours
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    colours = get_af_colours("categorical", number_of_colours=max(2, len(chart.series)))
    unit = chart.series[0].values[0].unit

    def tick(value: float, _: int) -> str:
        return chart.fmt(Measure(Decimal(int(value)), unit)) if value == int(value) else ""

    with (
        plt.style.context("afcharts.afcharts"),
        plt.rc_context(
            {
                "svg.hashsalt": "bulletin",
                "svg.fonttype": "none",
                "font.family": "sans-serif",
                "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
            }
        ),
    ):
        fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
        try:
            x = range(len(chart.x_labels))
            for colour, series in zip(colours, chart.series, strict=False):
                ys = [float("nan") if v.value is None else float(v.value) for v in series.values]
                ax.plot(x, ys, color=colour, marker="o", label=series.label)
            ax.set_xticks(list(x), chart.x_labels)
            locator = MaxNLocator(nbins=5, integer=True)
            highest = max(
                (v for s in chart.series for v in s.values if v.value is not None),
                key=lambda v: v.exact,
                default=None,
            )
            top = float(highest.value) if highest is not None and highest.value else 1.0
            ax.set_ylim(0, locator.tick_values(0, top)[-1])  # the top gridline above the data
            ax.yaxis.set_major_locator(locator)
            ax.yaxis.set_major_formatter(FuncFormatter(tick))
            ax.set_title(chart.y_label, loc="left", pad=12)
            if len(chart.series) > 1:
                ax.legend()
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    return out.getvalue()
