"""Charts (drawing): a chart spec to a deterministic SVG, in the Analysis Function style.

matplotlib with the afcharts style sheet and palettes. Bytes are identical run to run: a
fixed `svg.hashsalt` for element ids and no date in the metadata. Text stays text (not
glyph outlines, which make WeasyPrint several times slower, and cannot be read or zoomed
as text): laid out with DejaVu Sans, the font the PDF uses, and named first in the SVG's
font list. The title that states the message is the page's caption, not drawn here; the
SVG has the short value label above its value axis.

No chart relies on colour alone: lines have direct labels and a marker shape each, bars
their values written at their ends, and bars whose colours are close in greyscale get a
pattern too. A value shown as a GSS symbol is never drawn as a number: a gap, and the
symbol written in its place. `draw_all` draws many figures in a process pool.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bulletin.charts.model import (
    BarChart,
    Chart,
    Distribution,
    DotPlot,
    Fmt,
    GroupedBarChart,
    LineChart,
    Point,
    SequenceChart,
)
from bulletin.core.formatting import data_text, fmt_count, pct_1dp, pct_whole
from bulletin.core.measure import Measure, Unit

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH = 8.0  # inches; 576 pt, shown at the text width of the page (about 0.85 in the PDF)
HEIGHT = 4.5
ROW = 0.42  # inches per bar or named point of a horizontal chart
TEXT = "#0b0c0c"
MARKERS = ("o", "s", "^", "D")
HATCHES = ("", "//", "..", "xx")
SAME_LIGHTNESS = 20.0  # CIE L*: colours closer than this look the same in greyscale
LABEL_SIZE = 12  # direct labels (pt); the style's axis text is 14 pt
WRAP = 28  # characters per line of a long category label
ARROW = " \u2192 "  # between the statuses of a sequence, as drawn


def svg(chart: Chart) -> str:
    """The chart as SVG text."""
    import io

    with _style():
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(WIDTH, _height(chart)), layout="constrained")
        try:
            ax = fig.add_subplot()
            try:
                _DRAW[type(chart)](fig, ax, chart)
            except ValueError as error:
                raise ValueError(f"{chart.id}: {error}") from None
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    return out.getvalue()


def draw_all(charts: Sequence[Chart], workers: int = 1) -> list[str]:
    """Every chart's SVG, in order; with `workers` > 1, in that many processes at once.

    The workers fork from a server process that has imported matplotlib once (not from
    the build's process, which may hold DuckDB's threads); the bytes are the same either
    way."""
    if workers <= 1 or len(charts) < 2:
        return [svg(chart) for chart in charts]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from bulletin.core.atomic import in_system_temp

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["bulletin.charts.draw", "matplotlib.pyplot", "afcharts"])
    with in_system_temp(), ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(svg, charts))


# -- style -------------------------------------------------------------------------------


@contextmanager
def _style() -> Iterator[None]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with (
        plt.style.context("afcharts.afcharts"),
        plt.rc_context(
            {
                "svg.hashsalt": "bulletin",  # the same element ids every time
                "svg.fonttype": "none",  # text as text
                "font.family": "sans-serif",
                "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
                "hatch.linewidth": 1.5,
                "hatch.color": "white",
            }
        ),
    ):
        yield


def palette(n: int) -> list[str]:
    """The Analysis Function colours for n series: the focus palette's dark blue alone,
    the duo palette for two, the first n of the categorical palette for three or four."""
    colours = _af("focus")[:1] if n == 1 else _af("categorical", n)
    return [c.lower() for c in colours]


def _af(name: str, n: int | None = None) -> list[str]:
    """An afcharts palette: "focus" (dark blue, light grey), "categorical" (the fifth is
    its dark grey), "sequential" (n = 3: its middle blue is 4.9:1 on white)."""
    from afcharts.af_colours import get_af_colours

    return [str(c).lower() for c in get_af_colours(name, number_of_colours=n)]


def lightness(colour: str) -> float:
    """CIE L* (0 black to 100 white) of an sRGB colour: how light it looks in greyscale."""
    from matplotlib.colors import to_rgb

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in to_rgb(colour))
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def hatches(colours: Sequence[str]) -> list[str]:
    """A pattern for each colour, so that any two colours that look alike in greyscale
    differ in pattern: each takes the first pattern no earlier look-alike has."""
    chosen: list[str] = []
    for i, colour in enumerate(colours):
        taken = {
            chosen[j]
            for j in range(i)
            if abs(lightness(colours[j]) - lightness(colour)) < SAME_LIGHTNESS
        }
        chosen.append(next(h for h in HATCHES if h not in taken))
    return chosen


def _height(chart: Chart) -> float:
    if isinstance(chart, DotPlot) and chart.forest:
        return max(2.5, 1.3 + ROW * len(chart.points))
    if isinstance(chart, SequenceChart):
        return max(2.5, 1.1 + ROW * len(chart.all_values()))
    if isinstance(chart, BarChart) and chart.horizontal:
        return max(2.5, 1.1 + ROW * len(chart.categories))
    if isinstance(chart, GroupedBarChart) and chart.horizontal:
        per_group = 0.3 * len(chart.series) + 0.25
        return max(2.5, 1.6 + per_group * len(chart.categories))
    return HEIGHT


# -- the value axis ----------------------------------------------------------------------


def _number(value: float) -> Decimal:
    """A tick position as an exact decimal (locators give 0.30000000000000004)."""
    return Decimal(repr(round(float(value), 10))).normalize() + 0


def _printed_exactly(fmt: Fmt, value: Decimal, unit: Unit) -> bool:
    """Whether `fmt` prints `value` without rounding it (so a tick label is true)."""
    text = fmt(Measure(value, unit))
    number = Decimal(data_text(Measure(value, unit), fmt))
    share = text.endswith("%") and unit is not Unit.PERCENT  # a share prints as a percentage
    return (number / 100 if share else number) == value


def _resolution(fmt: Fmt, unit: Unit) -> float:
    """The smallest power of ten that `fmt` prints exactly: 1 for counts, 0.1 for a score
    to 1 decimal place, 0.001 for a percentage to 1 decimal place."""
    for places in range(6, -7, -1):
        try:
            if _printed_exactly(fmt, Decimal(1).scaleb(-places), unit):
                return float(Decimal(1).scaleb(-places))
        except ValueError:  # a count is whole
            continue
    raise ValueError(f"{fmt.__name__} prints no power of ten exactly")


def _value_axis(
    ax: Axes, which: str, values: Sequence[Measure], fmt: Fmt, *, zero: bool, pad: float = 0
) -> tuple[float, float]:
    """Ticks on the value axis that `fmt` prints exactly, labelled through the formatting
    module. The axis spans every value, and zero when asked: from tick to tick (a gridline
    above the highest bar), or, with a margin `pad` (a share of the range), just the values
    and the margin. Returns the axis limits."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    unit = values[0].unit if values else Unit.COUNT
    shown = [float(v.exact) for v in values if v.shown]
    low, high = (min(shown), max(shown)) if shown else (0.0, 1.0)
    if zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    margin = (high - low) * pad
    low, high = (low if zero and low == 0 else low - margin), high + margin
    step = _resolution(fmt, unit)
    if high - low < 2 * step:  # then ticks one step apart at least are printed exactly
        middle = (low + high) / 2
        low, high = (0.0, 2 * step) if zero and low == 0 else (middle - step, middle + step)
    ticks: list[Decimal] = []
    for bins in (6, 5, 4, 3, 2, 1):
        locator = MaxNLocator(nbins=bins, steps=[1, 2, 5, 10], integer=unit is Unit.COUNT)
        ticks = [_number(t) for t in locator.tick_values(low, high)]
        if all(_printed_exactly(fmt, t, unit) for t in ticks):
            break
    tick_fmt = fmt
    if fmt is pct_1dp and all(_printed_exactly(pct_whole, t, unit) for t in ticks):
        tick_fmt = pct_whole  # 10%, not 10.0%
    limits = (float(ticks[0]), float(ticks[-1])) if not pad else (low, high)
    labels = {float(t): tick_fmt(Measure(t, unit)) for t in ticks if low <= t <= high or not pad}
    axis = ax.yaxis if which == "y" else ax.xaxis
    axis.set_major_locator(FixedLocator(list(labels)))
    axis.set_major_formatter(FuncFormatter(lambda x, _: labels.get(x, "")))
    (ax.set_ylim if which == "y" else ax.set_xlim)(*limits)
    return limits


def _subtitle(fig: Figure, text: str) -> None:
    """The short value label, at the top left of the figure (the message is the page's)."""
    fig.suptitle(text, x=0.005, ha="left", fontsize=14)


def _text_width(text: str, size: float) -> float:
    """The width in points of one line of text in DejaVu Sans."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family="DejaVu Sans", size=size)
    return float(TextToPath().get_text_width_height_descent(text, prop, ismath=False)[0])


def _wrap(label: str, width: int = WRAP) -> str:
    return "\n".join(textwrap.wrap(label, width, break_on_hyphens=False)) or label


def _write(ax: Axes, x: float, y: float, text: str, **kw: Any) -> None:
    """A direct label: near-black text, placed at an offset in points from (x, y) unless
    told otherwise, never clipped by the axes."""
    options: dict[str, Any] = {
        "fontsize": LABEL_SIZE,
        "color": TEXT,
        "textcoords": "offset points",
        "annotation_clip": False,
    }
    ax.annotate(text, (x, y), **(options | kw))


# -- line --------------------------------------------------------------------------------


def _line(fig: Figure, ax: Axes, chart: Chart) -> None:
    assert isinstance(chart, LineChart)
    colours = palette(len(chart.series))
    xs = list(range(len(chart.categories)))
    values = [v for s in chart.series for v in s.values]
    span = _value_axis(
        ax, "y", values, chart.fmt, zero=all(v.exact >= 0 for v in values if v.shown)
    )
    ends: list[tuple[float, float, str]] = []
    for i, (colour, s) in enumerate(zip(colours, chart.series, strict=True)):
        ys = [float(v.exact) if v.shown else float("nan") for v in s.values]
        ax.plot(xs, ys, color=colour, marker=MARKERS[i], markersize=7, gid=f"line-{s.key}")
        for x, v in enumerate(s.values):
            if not v.shown:
                at = _gap_height(ys, x, sum(span) / 2)
                _write(ax, x, at, chart.fmt(v), xytext=(0, 8), ha="center", va="bottom")
        last = max((x for x, v in enumerate(s.values) if v.shown), default=None)
        if last is not None and len(chart.series) > 1:
            ends.append((ys[last], last, s.label))
    ax.set_xticks(xs, chart.categories)
    ax.set_xlim(-0.3, len(xs) - 0.7)
    ax.tick_params(axis="x", length=0)
    _subtitle(fig, chart.value_label)
    _end_labels(ax, ends, len(xs) - 1, span, fig)


def _gap_height(ys: list[float], x: int, default: float) -> float:
    """Where to write the symbol of a missing point: between its neighbours' values."""
    near = [ys[j] for j in (x - 1, x + 1) if 0 <= j < len(ys) and ys[j] == ys[j]]
    return sum(near) / len(near) if near else default


def _end_labels(
    ax: Axes,
    ends: list[tuple[float, float, str]],
    right: float,
    span: tuple[float, float],
    fig: Figure,
) -> None:
    """Each line's name to the right of its last point, at its height, moved apart just
    enough that no two overlap (and none rises above the axis)."""
    if not ends:
        return
    per_point = (span[1] - span[0]) / ((fig.get_figheight() - 1.0) * 72)
    items = sorted(ends)
    labels = [_wrap(label, 22) for _, _, label in items]
    heights = [(label.count("\n") + 1) * LABEL_SIZE * 1.25 * per_point for label in labels]
    at: list[float] = []
    for (y, _, _), h in zip(items, heights, strict=True):
        at.append(max(y, at[-1] + (heights[len(at) - 1] + h) / 2) if at else y)
    ceiling = span[1] - heights[-1] / 2
    for i in reversed(range(len(at))):  # then down from the top, where they overflow
        at[i] = min(at[i], ceiling)
        ceiling = at[i] - (heights[i] + heights[i - 1]) / 2 if i else ceiling
    for (y, x, _), label, where in zip(items, labels, at, strict=True):
        _write(ax, x, y, label, xytext=(right + 0.15, where), textcoords="data", va="center")


# -- bars --------------------------------------------------------------------------------


def _bars(
    fig: Figure,
    ax: Axes,
    categories: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Measure]]],  # key, label, values
    fmt: Fmt,
    *,
    horizontal: bool,
    adjacent: bool = False,
    tick_labels: Sequence[str] | None = None,
) -> None:
    """Bars from zero, each with its value at its end; a value shown as a symbol gets no
    bar, and its symbol is written at zero. Grouped bars differ in colour, and also in
    pattern where two colours look alike in greyscale; a legend names them."""
    n = len(series)
    colours = palette(n)
    patterns = hatches(colours)
    width = 1.0 if adjacent else (0.8 if n == 1 else 0.86) / n
    values = [v for _, _, vs in series for v in vs]
    _value_axis(ax, "x" if horizontal else "y", values, fmt, zero=True)
    size, rotation = _label_fit(values, fmt, width, len(categories), horizontal)
    draw = ax.barh if horizontal else ax.bar
    for j, (key, _, vs) in enumerate(series):
        offset = (j - (n - 1) / 2) * width
        for i, v in enumerate(vs):
            at = i + offset
            length = float(v.exact) if v.shown else 0.0
            if v.shown:
                draw(
                    at,
                    length,
                    width,
                    color=colours[j],
                    hatch=patterns[j] or None,
                    edgecolor="white",
                    linewidth=0.8 if adjacent else 0,
                    gid=f"bar-{key}-{i}",
                )
            out = -1 if length < 0 else 1
            if horizontal:
                _write(
                    ax,
                    length,
                    at,
                    fmt(v),
                    xytext=(4 * out, 0),
                    va="center",
                    ha="left" if out > 0 else "right",
                    fontsize=size,
                )
            else:
                _write(
                    ax,
                    at,
                    length,
                    fmt(v),
                    xytext=(0, 3 * out),
                    ha="center",
                    va="bottom" if out > 0 else "top",
                    fontsize=size,
                    rotation=rotation,
                )
    positions = list(range(len(categories)))
    names = tick_labels or [_wrap(c) for c in categories]
    if horizontal:
        ax.set_yticks(positions, names)
        ax.set_ylim(len(categories) - 0.5, -0.5)  # the first category at the top
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.spines["left"].set_visible(True)
        ax.spines["bottom"].set_visible(False)
        ax.tick_params(axis="y", length=0)
    else:
        names, size = _fit_under(tick_labels or categories, _plot_width() / len(categories) - 6)
        ax.set_xticks(positions, names)
        ax.set_xlim(-0.5, len(categories) - 0.5)
        ax.tick_params(axis="x", length=0, labelsize=size)
    if n > 1:  # under the value label, at the figure's left like it
        from matplotlib.patches import Patch
        from matplotlib.transforms import blended_transform_factory

        keys = [
            Patch(facecolor=colour, hatch=pattern or None, edgecolor="white", label=label)
            for colour, pattern, (_, label, _) in zip(colours, patterns, series, strict=True)
        ]
        ax.legend(
            handles=keys,
            loc="lower left",
            bbox_to_anchor=(0, 1.02),
            ncols=n,
            borderaxespad=0,
            bbox_transform=blended_transform_factory(fig.transFigure, ax.transAxes),
            handlelength=1.6,
            handleheight=1.2,
            fontsize=LABEL_SIZE,
        )


def _fit_under(names: Sequence[str], room: float) -> tuple[list[str], float]:
    """Category names under vertical bars, each wrapped between words to the bar's width
    (`room`, points), at the largest size from 14 pt down to 10 pt at which every word
    fits. Too long even then: an error, as bars named by long names belong across."""
    for size in (14.0, 12.0, 11.0, 10.0):
        wrapped = [_wrap_to(name, room, size) for name in names]
        if all(w is not None for w in wrapped):
            return [w for w in wrapped if w is not None], size
    raise ValueError("a category name is too long to stand under its bar; draw the bars horizontal")


def _wrap_to(text: str, room: float, size: float) -> str | None:
    """`text` in lines no wider than `room` points, broken only between words; None when
    a word alone is wider."""
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", size) <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "\n".join(lines) if all(_text_width(line, size) <= room for line in lines) else None


def _plot_width() -> float:
    """About the width of the plot, in points: the figure less the value axis labels."""
    return WIDTH * 72 - 90


def _label_fit(
    values: Sequence[Measure], fmt: Fmt, width: float, groups: int, horizontal: bool
) -> tuple[float, float]:
    """The font size and angle of the value labels of vertical bars: as large as fits the
    bar's width (down to 9 pt), else turned upright."""
    if horizontal or not values:
        return LABEL_SIZE, 0
    room = _plot_width() / groups * width - 6  # a gap between neighbours
    widest = max(_text_width(fmt(v), LABEL_SIZE) for v in values)
    size = LABEL_SIZE * min(1.0, room / widest)
    return (round(size, 1), 0) if size >= 9 else (LABEL_SIZE - 1, 90)


def _bar(fig: Figure, ax: Axes, chart: Chart) -> None:
    assert isinstance(chart, BarChart)
    series = [(chart.value_key, chart.value_label, chart.values)]
    _bars(fig, ax, chart.categories, series, chart.fmt, horizontal=chart.horizontal)
    _subtitle(fig, chart.value_label)


def _grouped(fig: Figure, ax: Axes, chart: Chart) -> None:
    assert isinstance(chart, GroupedBarChart)
    series = [(s.key, s.label, s.values) for s in chart.series]
    _bars(fig, ax, chart.categories, series, chart.fmt, horizontal=chart.horizontal)
    _subtitle(fig, chart.value_label)


def _distribution(fig: Figure, ax: Axes, chart: Chart) -> None:
    assert isinstance(chart, Distribution)
    series = [(chart.value_key, chart.value_label, chart.values)]
    _bars(fig, ax, chart.categories, series, chart.fmt, horizontal=False, adjacent=True)
    ax.set_xlabel(chart.bands_label, labelpad=8)
    _subtitle(fig, chart.value_label)


def _sequences(fig: Figure, ax: Axes, chart: Chart) -> None:
    assert isinstance(chart, SequenceChart)
    values = chart.all_values()
    names = [_wrap_steps(steps) for steps in chart.sequences]
    if chart.others is not None:
        names.append(_wrap(chart.others_label))
    series = [(chart.value_key, chart.value_label, values)]
    _bars(fig, ax, chart.labels(ARROW), series, chart.fmt, horizontal=True, tick_labels=names)
    if chart.others is not None:  # the rest together, set apart in the focus grey
        for patch in ax.patches:
            if patch.get_gid() == f"bar-{chart.value_key}-{len(values) - 1}":
                patch.set_facecolor(_af("focus")[1])
                patch.set_edgecolor(_af("categorical", 6)[4])
                patch.set_linewidth(1)
    _subtitle(fig, chart.value_label)


def _wrap_steps(steps: Sequence[str], width: int = WRAP) -> str:
    """A sequence's statuses joined by arrows, a line broken only between two statuses."""
    lines = [steps[0]]
    for step in steps[1:]:
        if len(lines[-1]) + len(ARROW) + len(step) > width:
            lines[-1] += ARROW.rstrip()
            lines.append(step)
        else:
            lines[-1] += ARROW + step
    return "\n".join(lines)


# -- dot plot ----------------------------------------------------------------------------


def _dots(fig: Figure, ax: Axes, chart: Chart) -> None:
    assert isinstance(chart, DotPlot)
    points = chart.ordered()
    everything = [m for p in points for m in (p.value, p.low, p.high) if m is not None]
    if chart.reference is not None:
        everything.append(chart.reference)
    which = "x" if chart.forest else "y"
    span = _value_axis(ax, which, everything, chart.fmt, zero=False, pad=0.04)
    (_forest if chart.forest else _caterpillar)(ax, chart, points, span)
    _subtitle(fig, chart.value_label)


def _ends(p: Point) -> tuple[float, float] | None:
    if p.low is None or p.high is None or not (p.low.shown and p.high.shown):
        return None
    return float(p.low.exact), float(p.high.exact)


def _key(parts: Sequence[str], width: int = 70) -> str:
    """The lines under the plot that say what the marks are: a part never split, parts
    joined on a line while they fit, each line starting with a capital."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 2 + len(part) <= width:
            lines[-1] += "; " + part
        else:
            lines.append(part[:1].upper() + part[1:])
    return "\n".join(lines)


def _forest(ax: Axes, chart: DotPlot, points: Sequence[Point], span: tuple[float, float]) -> None:
    """One named row per point, the first at the top, its value and interval written at
    the right of the plot; the reference line named above the first row."""
    colour, interval = palette(1)[0], _af("sequential", 3)[1]
    for i, p in enumerate(points):
        ends = _ends(p)
        if p.value.shown:
            if ends is not None:
                ax.hlines(i, *ends, color=interval, linewidth=2.5, gid=f"interval-{p.key}")
            ax.plot(
                [float(p.value.exact)],
                [i],
                marker="o",
                markersize=8,
                color=colour,
                linestyle="none",
                gid=f"point-{p.key}",
            )
        text = chart.fmt(p.value)
        if p.value.shown and ends is not None and p.low is not None and p.high is not None:
            text += f" ({chart.fmt(p.low)} to {chart.fmt(p.high)})"
        _write(ax, 1.0, i, text, xycoords=("axes fraction", "data"), xytext=(12, 0), va="center")
    ax.set_yticks(range(len(points)), [_wrap(p.label) for p in points])
    ax.set_ylim(len(points) - 0.5, -1.0)
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    if chart.reference is not None:
        ref = float(chart.reference.exact)
        ax.axvline(
            ref, color=_af("categorical", 6)[4], linestyle="--", linewidth=1.2, gid="reference"
        )
        left = ref < sum(span) / 2
        _write(
            ax,
            ref,
            -0.75,
            f"{chart.reference_label}: {chart.fmt(chart.reference)}",
            xytext=(5 if left else -5, 0),
            va="center",
            ha="left" if left else "right",
        )
    if chart.has_intervals:
        key = _key(["dots: the values", f"lines: their {chart.interval_label}s"])
        ax.set_xlabel(key, fontsize=LABEL_SIZE, labelpad=8)


def _caterpillar(
    ax: Axes, chart: DotPlot, points: Sequence[Point], span: tuple[float, float]
) -> None:
    """Many points ranked along the horizontal axis, intervals as vertical lines; the
    lowest and the highest named, the points without a value counted under the axis."""
    colour, interval = palette(1)[0], _af("sequential", 3)[1]
    shown = [p for p in points if p.value.shown]
    for rank, p in enumerate(shown, start=1):
        ends = _ends(p)
        if ends is not None:
            ax.vlines(rank, *ends, color=interval, linewidth=1.2, gid=f"interval-{p.key}")
        ax.plot(
            [rank],
            [float(p.value.exact)],
            marker="o",
            markersize=3.5,
            color=colour,
            linestyle="none",
            gid=f"point-{p.key}",
        )
    ax.set_xlim(0, len(shown) + 1)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    if shown:
        marks = [e for p in shown for e in (_ends(p) or (float(p.value.exact),) * 2)]
        bottom, top = min(marks), max(marks)
        first, last = shown[0], shown[-1]
        _write(
            ax,
            1,
            bottom,
            f"Lowest: {first.label}, {chart.fmt(first.value)}",
            xytext=(0, -6),
            ha="left",
            va="top",
        )
        _write(
            ax,
            len(shown),
            top,
            f"Highest: {last.label}, {chart.fmt(last.value)}",
            xytext=(0, 6),
            ha="right",
            va="bottom",
        )
        room = (span[1] - span[0]) * 0.12  # for the two names
        ax.set_ylim(min(span[0], bottom - room), max(span[1], top + room))
    if chart.reference is not None:
        ax.axhline(
            float(chart.reference.exact),
            color=_af("categorical", 6)[4],
            linestyle="--",
            linewidth=1.2,
            gid="reference",
        )
    parts = [f"{chart.items}, ranked from lowest to highest"]
    if chart.has_intervals:
        parts.append(f"lines: their {chart.interval_label}s")
    if chart.reference is not None:
        parts.append(f"dashed line: {chart.reference_label}, {chart.fmt(chart.reference)}")
    hidden = [p for p in points if not p.value.shown]
    if hidden:
        symbols = ", ".join(dict.fromkeys(chart.fmt(p.value) for p in hidden))
        parts.append(
            f"not shown ({symbols}): {fmt_count(len(hidden))} of the "
            f"{fmt_count(len(points))} {chart.items}"
        )
    ax.set_xlabel(_key(parts), fontsize=LABEL_SIZE, labelpad=8, loc="left")


_DRAW = {
    LineChart: _line,
    BarChart: _bar,
    GroupedBarChart: _grouped,
    Distribution: _distribution,
    SequenceChart: _sequences,
    DotPlot: _dots,
}
