"""Charts (model): what a figure shows, as data: its values, its alt text, its description
and its data file.

A chart spec is built from findings without drawing anything (so the report can use its
alt text without importing matplotlib); `bulletin.charts.draw` turns it into an SVG. Every
value is a `Measure` (an exact number, or a GSS symbol such as ``c``), and every value
printed anywhere (axis, label, alt text, description, CSV) goes through the chart's `fmt`,
a formatter of `bulletin.core.formatting`.

The kinds: `LineChart`, `BarChart`, `GroupedBarChart`, `DotPlot` (ranked, with intervals),
`Distribution` (pre-binned counts) and `SequenceChart` (sequences as horizontal bars).
The alt text (`chart.alt`) is written from the data unless the builder passes its own
(`alt_override=`); a copy made with `dataclasses.replace` writes it again from its data.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from bulletin.core.formatting import data_text, fmt_count
from bulletin.core.measure import Measure
from bulletin.core.spreadsheet import to_csv as csv_text

Fmt = Callable[[Measure], str]  # a formatter of bulletin.core.formatting (fmt_count, pct_1dp...)

MAX_SERIES = 4  # at most 4 colours in a chart (Analysis Function guidance)
FOREST_MAX = 30  # a dot plot of up to this many points names every point on its axis
SEQUENCE_SEPARATOR = " > "  # between statuses in a data file, as in the findings
SAME_FIGURES = "The same figures are in the table that follows the chart."
_MACHINE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Series:
    key: str  # machine name: the CSV column
    label: str  # as people read it: the line's direct label, the legend
    values: tuple[Measure, ...]


@dataclass(frozen=True)
class Point:
    """One point of a dot plot: a local authority, a group..."""

    key: str  # machine value: the CSV's key column ("E09000001", "CINO")
    label: str  # as people read it ("City of London", "Child in need only")
    value: Measure
    low: Measure | None = None  # the interval, when there is one
    high: Measure | None = None


# -- the kinds ----------------------------------------------------------------------------


class _Alt:
    """The alt text: the builder's own (`alt_override`), else written from the data."""

    alt_override: str

    def _write_alt(self) -> str:
        raise NotImplementedError

    @property
    def alt(self) -> str:
        return self.alt_override or self._write_alt()


@dataclass(frozen=True, kw_only=True)
class LineChart(_Alt):
    """Series over ordered categories (years): a line each, with markers and direct labels."""

    id: str  # stable: the file name of its SVG and data file, and its HTML anchor
    subject: str  # what it shows, for the alt text: "the number of children in need ..."
    category_key: str  # machine name of the x values (CSV header): "time_period"
    categories: tuple[str, ...]  # as printed on the axis and in the data file: "2018"
    series: tuple[Series, ...]  # 1 to 4
    value_label: str  # the short axis label, shown above the value axis
    fmt: Fmt
    alt_override: str = ""  # the builder's own alt text; else written from the data

    def __post_init__(self) -> None:
        _check(self, self.categories, [s.key for s in self.series], _values(self))
        _series_fit(self.id, self.series, self.categories, 1)
        self._write_alt()  # written once now, so that a problem shows where the chart is made

    kind = "Line chart"

    def _write_alt(self) -> str:
        return _line_alt(self)

    def rows(self) -> list[list[str]]:
        return _wide(self.category_key, self.categories, self.series, self.fmt)

    @property
    def description(self) -> str:
        lines = [f"{self.kind} of {self.subject}."]
        for s in self.series:
            listed = "; ".join(
                f"{c}: {self.fmt(v)}" for c, v in zip(self.categories, s.values, strict=True)
            )
            lines.append(f"{s.label}: {listed}.")
        return _described(lines, _values(self))


@dataclass(frozen=True, kw_only=True)
class BarChart(_Alt):
    """One value per category: vertical bars, or horizontal ones for long labels."""

    id: str
    subject: str
    category_key: str
    categories: tuple[str, ...]
    value_key: str  # machine name of the values (CSV header)
    values: tuple[Measure, ...]
    value_label: str
    fmt: Fmt
    horizontal: bool = False
    alt_override: str = ""

    def __post_init__(self) -> None:
        _check(self, self.categories, [self.value_key], self.values)
        _fit(self.id, self.values, self.categories)
        self._write_alt()  # written once now, so that a problem shows where the chart is made

    @property
    def kind(self) -> str:
        return "Horizontal bar chart" if self.horizontal else "Bar chart"

    def _write_alt(self) -> str:
        return _bar_alt(self)

    def rows(self) -> list[list[str]]:
        return _one_series(self, self.categories, self.values)

    @property
    def description(self) -> str:
        return _listed(f"{self.kind} of {self.subject}.", self.categories, self.values, self.fmt)


@dataclass(frozen=True, kw_only=True)
class GroupedBarChart(_Alt):
    """Groups x series: one bar per series in each group, told apart by colour and pattern,
    each bar labelled with its value."""

    id: str
    subject: str
    category_key: str  # machine name of the groups (CSV header): "stage"
    categories: tuple[str, ...]  # the groups: "Early years", "Key stage 2"...
    series: tuple[Series, ...]  # 2 to 4: the bars in each group
    value_label: str
    fmt: Fmt
    horizontal: bool = False
    alt_override: str = ""

    def __post_init__(self) -> None:
        _check(self, self.categories, [s.key for s in self.series], _values(self))
        _series_fit(self.id, self.series, self.categories, 2)
        self._write_alt()  # written once now, so that a problem shows where the chart is made

    @property
    def kind(self) -> str:
        return "Grouped horizontal bar chart" if self.horizontal else "Grouped bar chart"

    def _write_alt(self) -> str:
        return _grouped_alt(self)

    def rows(self) -> list[list[str]]:
        return _wide(self.category_key, self.categories, self.series, self.fmt)

    @property
    def description(self) -> str:
        lines = [f"{self.kind} of {self.subject}."]
        for i, c in enumerate(self.categories):
            listed = "; ".join(f"{s.label}: {self.fmt(s.values[i])}" for s in self.series)
            lines.append(f"{c}: {listed}.")
        return _described(lines, _values(self))


@dataclass(frozen=True, kw_only=True)
class DotPlot(_Alt):
    """Points with their intervals, ranked by value or in the order given, and an optional
    reference line (an average, or 1 for a ratio). Up to `FOREST_MAX` points, each is named
    on the vertical axis with its value; more, and they are ranked along the horizontal
    axis with the highest and the lowest named."""

    id: str
    subject: str
    item_key: str  # machine name of Point.key (CSV header): "la_code", "group"
    label_key: str  # machine name of Point.label (CSV header): "la_name", "group_name"
    items: str  # what the points are, plural, for words: "local authorities", "groups"
    points: tuple[Point, ...]
    value_key: str  # CSV header of the value; the interval is value_key_lower, _upper
    value_label: str
    fmt: Fmt
    ranked: bool = True  # False keeps the given order (groups with a natural order)
    reference: Measure | None = None  # a reference line
    reference_label: str = ""  # what the reference is: "England average", "never in need"
    interval_label: str = "95% confidence interval"
    alt_override: str = ""

    def __post_init__(self) -> None:
        _check(self, [p.label for p in self.points], [self.value_key], _values(self))
        for name in (self.item_key, self.label_key):
            _machine(self.id, name)
        if self.reference is not None and not self.reference.shown:
            raise ValueError(f"{self.id}: the reference line needs a value")
        if self.reference is not None and not self.reference_label:
            raise ValueError(f"{self.id}: the reference line needs a label")
        for p in self.points:
            if (p.low is None) != (p.high is None):
                raise ValueError(f"{self.id}: {p.label} has only one end of its interval")
            ends = [m for m in (p.low, p.value, p.high) if m is not None and m.shown]
            if any(a.exact > b.exact for a, b in itertools.pairwise(ends)):
                raise ValueError(f"{self.id}: {p.label}: the interval does not hold the value")
        self._write_alt()  # written once now, so that a problem shows where the chart is made

    kind = "Dot plot"

    @property
    def has_intervals(self) -> bool:
        return any(p.low is not None for p in self.points)

    @property
    def forest(self) -> bool:
        """Every point named on the axis (few points), or ranked along the axis (many)."""
        return len(self.points) <= FOREST_MAX

    def ordered(self) -> tuple[Point, ...]:
        """The points as drawn and described: ranked from lowest to highest, or as given;
        those without a value last, in the order given."""
        if not self.ranked:
            return self.points
        shown = sorted((p for p in self.points if p.value.shown), key=lambda p: p.value.exact)
        return (*shown, *(p for p in self.points if not p.value.shown))

    def _write_alt(self) -> str:
        return _dot_alt(self)

    def rows(self) -> list[list[str]]:
        k = self.value_key
        header = [self.item_key, self.label_key, k]
        if self.has_intervals:
            header += [f"{k}_lower", f"{k}_upper"]
        rows = [header]
        for p in self.ordered():
            row = [p.key, p.label, data_text(p.value, self.fmt)]
            if self.has_intervals:
                row += [_data_or_empty(p.low, self.fmt), _data_or_empty(p.high, self.fmt)]
            rows.append(row)
        return rows

    @property
    def description(self) -> str:
        order = "ranked from lowest to highest" if self.ranked else "in this order"
        lines = [
            f"{self.kind} of {self.subject}, {fmt_count(len(self.points))} {self.items}, {order}."
        ]
        if self.reference is not None:
            lines.append(f"Reference line: {self.reference_label}, {self.fmt(self.reference)}.")
        for p in self.ordered():
            interval = ""
            if p.low is not None and p.high is not None and p.value.shown:
                interval = f" ({self.interval_label} {self.fmt(p.low)} to {self.fmt(p.high)})"
            lines.append(f"{p.label}: {self.fmt(p.value)}{interval}.")
        return _described(lines, _values(self))


@dataclass(frozen=True, kw_only=True)
class Distribution(_Alt):
    """How many fall in each band of a measure, from pre-binned counts: adjacent columns,
    bands in order along the horizontal axis."""

    id: str
    subject: str
    category_key: str  # machine name of the bands (CSV header): "band"
    categories: tuple[str, ...]  # the bands in order: "none", "under 5%", "5% to 10%"...
    bands_label: str  # what the bands measure, under the horizontal axis
    value_key: str
    values: tuple[Measure, ...]
    value_label: str
    fmt: Fmt
    alt_override: str = ""

    def __post_init__(self) -> None:
        _check(self, self.categories, [self.value_key], self.values)
        _fit(self.id, self.values, self.categories)
        self._write_alt()  # written once now, so that a problem shows where the chart is made

    kind = "Histogram"

    def _write_alt(self) -> str:
        return _distribution_alt(self)

    def rows(self) -> list[list[str]]:
        return _one_series(self, self.categories, self.values)

    @property
    def description(self) -> str:
        opening = f"{self.kind} of {self.subject}, by {self.bands_label.lower()}."
        return _listed(opening, self.categories, self.values, self.fmt)


@dataclass(frozen=True, kw_only=True)
class SequenceChart(_Alt):
    """The most common sequences of statuses ("CIN > CPP > CLA"), each a horizontal bar
    with its value, most common first, and the rest together at the foot."""

    id: str
    subject: str
    sequences: tuple[tuple[str, ...], ...]  # each a sequence of statuses: ("CIN", "CPP")
    value_key: str
    values: tuple[Measure, ...]
    value_label: str
    fmt: Fmt
    others: Measure | None = None  # all the other sequences together
    others_label: str = "All other sequences"
    category_key: str = "sequence"
    alt_override: str = ""

    def __post_init__(self) -> None:
        if any(not steps or not all(steps) for steps in self.sequences):
            raise ValueError(f"{self.id}: a sequence needs at least one named status")
        _check(self, self.labels(SEQUENCE_SEPARATOR), [self.value_key], _values(self))
        _fit(self.id, self.values, self.sequences)
        shown = [v.exact for v in self.values if v.shown]
        if any(a < b for a, b in itertools.pairwise(shown)):
            raise ValueError(f"{self.id}: give the sequences most common first")
        self._write_alt()  # written once now, so that a problem shows where the chart is made

    kind = "Horizontal bar chart"

    def labels(self, separator: str) -> tuple[str, ...]:
        """Each sequence's label, its statuses joined by `separator`; then the others."""
        joined = tuple(separator.join(steps) for steps in self.sequences)
        return (*joined, self.others_label) if self.others is not None else joined

    def all_values(self) -> tuple[Measure, ...]:
        return (*self.values, self.others) if self.others is not None else self.values

    def _write_alt(self) -> str:
        return _sequence_alt(self)

    def rows(self) -> list[list[str]]:
        return _one_series(self, self.labels(SEQUENCE_SEPARATOR), self.all_values())

    @property
    def description(self) -> str:
        opening = f"{self.kind} of {self.subject}, most common first."
        return _listed(opening, self.labels(", then "), self.all_values(), self.fmt)


Chart = LineChart | BarChart | GroupedBarChart | DotPlot | Distribution | SequenceChart


def to_csv(chart: Chart) -> str:
    """The numbers the chart shows, as an open-data CSV: machine column names, no thousands
    separators, no percent signs, an ASCII minus, a symbol as itself; no text cell can be
    read as a formula (`bulletin.core.spreadsheet`)."""
    header, *rows = chart.rows()
    return csv_text(header, rows)


def listing(labels: Sequence[str], values: Sequence[str]) -> str:
    """'a in x, b in y and c in z': every value of a series, for alt text."""
    parts = [f"{v} in {x}" for x, v in zip(labels, values, strict=True)]
    return _and(parts)


# -- checks ------------------------------------------------------------------------------


def count_columns(chart: Chart) -> list[str]:
    """The columns of the chart's data file that hold counts: every column but its labels
    (the `..._key` columns other than the values'), when its values are counts."""
    from dataclasses import fields

    from bulletin.core.measure import Unit

    if not any(m.unit is Unit.COUNT for m in _values(chart)):
        return []
    labels = {
        getattr(chart, f.name)
        for f in fields(chart)
        if f.name.endswith("_key") and f.name != "value_key"
    }
    return [column for column in chart.rows()[0] if column not in labels]


def measures_of(chart: Chart) -> tuple[Measure, ...]:
    """Every value a chart shows (with its interval and reference line, if any)."""
    return _values(chart)


def _values(chart: Chart) -> tuple[Measure, ...]:
    if isinstance(chart, LineChart | GroupedBarChart):
        return tuple(v for s in chart.series for v in s.values)
    if isinstance(chart, DotPlot):
        return tuple(
            m
            for p in chart.points
            for m in (p.value, p.low, p.high, chart.reference)
            if m is not None
        )
    if isinstance(chart, SequenceChart):
        return chart.all_values()
    return chart.values


def _machine(chart_id: str, key: str) -> None:
    if not _MACHINE.fullmatch(key):
        raise ValueError(f"{chart_id}: {key!r} is not a machine name (a-z, 0-9, _)")


def _check(
    chart: Chart, labels: Sequence[str], keys: Sequence[str], values: Sequence[Measure]
) -> None:
    """What every kind needs: an id, a subject, something to show, machine names, one unit."""
    if not re.fullmatch(r"fig-[a-z0-9-]+", chart.id):
        raise ValueError(f"{chart.id!r}: a figure id looks like fig-cin-by-year")
    if not chart.subject:
        raise ValueError(f"{chart.id}: say what the chart shows (subject)")
    if not labels:
        raise ValueError(f"{chart.id}: nothing to show")
    if len(set(labels)) != len(labels):
        raise ValueError(f"{chart.id}: the labels are not unique")
    for key in (*keys, getattr(chart, "category_key", "x")):
        _machine(chart.id, key)
    if len(set(keys)) != len(keys):
        raise ValueError(f"{chart.id}: the machine names are not unique")
    units = {v.unit for v in values}
    if len(units) > 1:
        raise ValueError(f"{chart.id}: values of different units ({sorted(units)}) on one axis")


def _fit(chart_id: str, values: Sequence[Measure], categories: Sequence[object]) -> None:
    if len(values) != len(categories):
        raise ValueError(f"{chart_id}: {len(values)} values for {len(categories)} categories")


def _series_fit(
    chart_id: str, series: Sequence[Series], categories: Sequence[str], least: int
) -> None:
    if not least <= len(series) <= MAX_SERIES:
        raise ValueError(
            f"{chart_id}: {len(series)} series; this kind shows {least} to {MAX_SERIES}"
        )
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"{chart_id}: series {s.key} does not match the categories")


def _one_series(
    chart: BarChart | Distribution | SequenceChart,
    categories: Sequence[str],
    values: Sequence[Measure],
) -> list[list[str]]:
    series = (Series(chart.value_key, chart.value_label, tuple(values)),)
    return _wide(chart.category_key, categories, series, chart.fmt)


def _listed(opening: str, labels: Sequence[str], values: Sequence[Measure], fmt: Fmt) -> str:
    """A description: its opening line, then a line for each value."""
    lines = [opening, *(f"{c}: {fmt(v)}." for c, v in zip(labels, values, strict=True))]
    return _described(lines, values)


def _data_or_empty(m: Measure | None, fmt: Fmt) -> str:
    return "" if m is None else data_text(m, fmt)


def _wide(
    key: str, categories: Sequence[str], series: Sequence[Series], fmt: Fmt
) -> list[list[str]]:
    rows = [[key, *(s.key for s in series)]]
    for i, c in enumerate(categories):
        rows.append([c, *(data_text(s.values[i], fmt) for s in series)])
    return rows


# -- words -------------------------------------------------------------------------------


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _symbols_note(values: Sequence[Measure]) -> str:
    """'The symbol c means confidential: suppressed to protect individuals.', each symbol."""
    symbols = dict.fromkeys(v.symbol for v in values if v.symbol is not None)
    return " ".join(f"The symbol {s.value} means {s.meaning}." for s in symbols)


def _described(lines: list[str], values: Sequence[Measure]) -> str:
    note = _symbols_note(values)
    return "\n".join([*lines, note] if note else lines) + "\n"


def _finish(sentences: list[str], values: Sequence[Measure]) -> str:
    hidden = [v for v in values if not v.shown]
    if hidden:
        sentences.append(_symbols_note(hidden))
    sentences.append(SAME_FIGURES)
    return " ".join(sentences)


def _shown(pairs: Sequence[tuple[str, Measure]]) -> list[tuple[str, Measure]]:
    return [(label, m) for label, m in pairs if m.shown]


def _highest(pairs: Sequence[tuple[str, Measure]]) -> tuple[str, Measure]:
    """The first of the highest (ties: the first given)."""
    return max(pairs, key=lambda p: p[1].exact)


def _lowest(pairs: Sequence[tuple[str, Measure]]) -> tuple[str, Measure]:
    return min(pairs, key=lambda p: p[1].exact)


def _line_alt(chart: LineChart) -> str:
    fmt = chart.fmt
    first, last = chart.categories[0], chart.categories[-1]
    sentences = [f"{chart.kind} of {chart.subject}, from {first} to {last}."]
    for s in chart.series:
        pairs = _shown(list(zip(chart.categories, s.values, strict=True)))
        if not pairs:
            sentences.append(f"{s.label}: no value is shown.")
            continue
        (x0, a), (x1, b) = pairs[0], pairs[-1]
        if len(pairs) == 1:
            sentences.append(f"{s.label}: {fmt(a)} in {x0}, the only value shown.")
            continue
        move = "rose" if b.exact > a.exact else "fell" if b.exact < a.exact else "was the same"
        trend = (
            f"{s.label} was {fmt(a)} in both {x0} and {x1}"
            if move == "was the same"
            else f"{s.label} {move} from {fmt(a)} in {x0} to {fmt(b)} in {x1}"
        )
        (xh, h), (xl, lo) = _highest(pairs), _lowest(pairs)
        ends = {x0, x1}
        if xh not in ends or xl not in ends:
            trend += f"; the highest was {fmt(h)} in {xh} and the lowest {fmt(lo)} in {xl}"
        sentences.append(trend + ".")
    return _finish(sentences, _values(chart))


def _bar_alt(chart: BarChart) -> str:
    return _extremes_alt(
        f"{chart.kind} of {chart.subject}.",
        list(zip(chart.categories, chart.values, strict=True)),
        chart.fmt,
        "The highest is {h} ({hv}) and the lowest {l} ({lv}).",
    )


def _distribution_alt(chart: Distribution) -> str:
    n, first, last = fmt_count(len(chart.categories)), chart.categories[0], chart.categories[-1]
    return _extremes_alt(
        f"{chart.kind} of {chart.subject}, in {n} bands from {first} to {last}.",
        list(zip(chart.categories, chart.values, strict=True)),
        chart.fmt,
        "The most common band is {h} ({hv}) and the least common {l} ({lv}).",
    )


def _extremes_alt(opening: str, pairs: list[tuple[str, Measure]], fmt: Fmt, words: str) -> str:
    sentences = [opening]
    shown = _shown(pairs)
    if len(shown) == 1:
        sentences.append(f"The only value shown is {shown[0][0]} ({fmt(shown[0][1])}).")
    elif shown:
        (h, hv), (lo, lv) = _highest(shown), _lowest(shown)
        sentences.append(words.format(h=h, hv=fmt(hv), l=lo, lv=fmt(lv)))
    return _finish(sentences, [m for _, m in pairs])


def _grouped_alt(chart: GroupedBarChart) -> str:
    fmt = chart.fmt
    n = fmt_count(len(chart.series))
    bars = _and([s.label for s in chart.series])
    sentences = [
        f"{chart.kind} of {chart.subject}, with {n} bars ({bars}) for each of "
        f"{_and(list(chart.categories))}."
    ]
    tops, bottoms = [], []
    for i in range(len(chart.categories)):
        pairs = _shown([(s.label, s.values[i]) for s in chart.series])
        if len(pairs) >= 2:
            tops.append(_highest(pairs)[0])
            bottoms.append(_lowest(pairs)[0])
    every = []  # a series that is highest (or lowest) in every group, and its range
    for names, words in ((tops, "highest"), (bottoms, "lowest")):
        if len(names) == len(chart.categories) and len(set(names)) == 1:
            s = next(s for s in chart.series if s.label == names[0])
            shown = _shown([(s.label, v) for v in s.values])
            low, high = _lowest(shown)[1], _highest(shown)[1]
            span = fmt(low) if low.exact == high.exact else f"{fmt(low)} to {fmt(high)}"
            every.append(f"the {words} is {s.label} ({span})")
    if every:
        sentences.append(f"In each, {_and(every)}.")
    return _finish(sentences, _values(chart))


def _dot_alt(chart: DotPlot) -> str:
    fmt = chart.fmt
    n = fmt_count(len(chart.points))
    order = ", ranked from lowest to highest" if chart.ranked else ""
    each = f", each with its {chart.interval_label}" if chart.has_intervals else ""
    sentences = [f"{chart.kind} of {chart.subject}, for {n} {chart.items}{order}{each}."]
    pairs = _shown([(p.label, p.value) for p in chart.points])
    if len(pairs) >= 2:
        (h, hv), (lo, lv) = _highest(pairs), _lowest(pairs)
        sentences.append(f"The values range from {fmt(lv)} ({lo}) to {fmt(hv)} ({h}).")
    elif pairs:
        sentences.append(f"The only value shown is {pairs[0][0]} ({fmt(pairs[0][1])}).")
    ref = chart.reference
    if ref is not None:
        where = f"the reference line at {fmt(ref)} ({chart.reference_label})"
        if chart.has_intervals:
            sentences.append(_interval_sides(chart, ref.exact, where))
        else:
            above = sum(1 for _, v in pairs if v.exact > ref.exact)
            below = sum(1 for _, v in pairs if v.exact < ref.exact)
            sentences.append(
                f"{fmt_count(above)} of them lie above {where} and {fmt_count(below)} below."
            )
    return _finish(sentences, [p.value for p in chart.points])


def _interval_sides(chart: DotPlot, ref: Fraction, where: str) -> str:
    """How many intervals lie wholly above or below the reference, and how many hold it."""
    intervals = [
        (p.low.exact, p.high.exact)
        for p in chart.points
        if p.low is not None and p.high is not None and p.low.shown and p.high.shown
    ]
    above = sum(1 for low, _ in intervals if low > ref)
    below = sum(1 for _, high in intervals if high < ref)
    across = len(intervals) - above - below
    total = fmt_count(len(intervals))
    if below == len(intervals):
        return f"All {total} intervals lie wholly below {where}."
    if above == len(intervals):
        return f"All {total} intervals lie wholly above {where}."
    return (
        f"Of the {total} intervals, {fmt_count(above)} lie wholly above {where}, "
        f"{fmt_count(below)} wholly below it and {fmt_count(across)} include it."
    )


def _sequence_alt(chart: SequenceChart) -> str:
    fmt = chart.fmt
    labels = chart.labels(", then ")
    pairs = _shown(list(zip(labels, chart.values, strict=False)))
    n = fmt_count(len(chart.sequences))
    sentences = [f"{chart.kind} of {chart.subject}: the {n} most common sequences."]
    top = [f"{label} ({fmt(v)})" for label, v in pairs[:3]]
    if top:
        sentences.append(
            f"The most common is {top[0]}" + (f"; then {_and(top[1:])}." if top[1:] else ".")
        )
    if chart.others is not None:
        sentences.append(f"{chart.others_label} together: {fmt(chart.others)}.")
    return _finish(sentences, chart.all_values())
