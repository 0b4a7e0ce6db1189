"""Every chart kind on small hand-made data: the alt text, description and data file worked
out by hand; the SVG read back (its marks by their ids, its colours, its text) to check
that a symbol is never drawn as a number, that colour is never the only cue, and that
the bytes are the same every time."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal as D
from functools import cache
from xml.etree import ElementTree as ET

import pytest

from bulletin.charts import (
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
from bulletin.charts.draw import draw_all, svg
from bulletin.core.formatting import fmt_2dp, fmt_count, pct_1dp, signed_1dp
from bulletin.core.measure import Measure, Unit
from bulletin.core.symbols import Symbol
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
SUPPRESSED = "The symbol c means confidential: suppressed to protect individuals."
SAME = "The same figures are in the table that follows the chart."


def n(x: int) -> Measure:
    return Measure.count(x)


def share(a: int, b: int) -> Measure:
    return Measure.share(a, b)


def c(unit: Unit) -> Measure:
    return Measure.hidden(Symbol.SUPPRESSED, unit)


def score(x: str) -> Measure:
    return Measure(D(x), Unit.SCORE)


def ratio(x: str) -> Measure:
    return Measure(D(x), Unit.RATIO)


LINE = LineChart(
    id="fig-test-line",
    subject="the number of things",
    category_key="time_period",
    categories=("2016", "2017", "2018", "2019"),
    series=(
        Series("things_a", "Things A", (n(1200), c(Unit.COUNT), n(3400), n(2500))),
        Series("things_b", "Things B", (n(500), n(600), n(700), n(800))),
    ),
    value_label="Things",
    fmt=fmt_count,
)
BAR = BarChart(
    id="fig-test-bar",
    subject="the share of pupils who were absent",
    category_key="region",
    categories=("North", "South", "East"),
    value_key="percent",
    values=(share(1, 8), c(Unit.SHARE), share(0, 10)),
    value_label="Pupils who were absent",
    fmt=pct_1dp,
)
GROUPED = GroupedBarChart(
    id="fig-test-grouped",
    subject="the share of pupils reaching the expected standard",
    category_key="stage",
    categories=("Early years", "Key stage 2", "Key stage 4"),
    series=(
        Series("in_need", "In need", (share(2, 5), share(3, 10), share(1, 4))),
        Series("cla", "Looked after", (share(1, 5), c(Unit.SHARE), share(1, 10))),
        Series("all_pupils", "All pupils", (share(7, 10), share(13, 20), share(3, 5))),
    ),
    value_label="Pupils reaching the standard",
    fmt=pct_1dp,
)
FOREST = DotPlot(
    id="fig-test-forest",
    subject="the likelihood of a strong pass relative to pupils never in need",
    item_key="group",
    label_key="group_name",
    items="groups",
    points=(
        Point("prev", "Previously in need", ratio("0.74"), ratio("0.72"), ratio("0.76")),
        Point("cino", "Child in need only", ratio("0.52"), ratio("0.50"), ratio("0.55")),
        Point("cppo", "Child protection plan", *(c(Unit.RATIO),) * 3),
        Point("cla", "Looked after", ratio("1.05"), ratio("0.95"), ratio("1.15")),
    ),
    value_key="relative_likelihood",
    value_label="Likelihood relative to never in need",
    fmt=fmt_2dp,
    ranked=False,
    reference=ratio("1"),
    reference_label="never in need",
)


def _authority(i: int) -> Point:
    """Authority i scores (7i mod 40 - 20) / 10: every tenth from -2.0 to +1.9 once, out of
    order; its interval is 0.2 either side. Authority 07 (-1.1) is suppressed."""
    if i == 7:
        return Point("la07", "Authority 07", c(Unit.SCORE), c(Unit.SCORE), c(Unit.SCORE))
    v = D(i * 7 % 40 - 20) / 10
    return Point(
        f"la{i:02d}",
        f"Authority {i:02d}",
        score(str(v)),
        score(str(v - D("0.2"))),
        score(str(v + D("0.2"))),
    )


RANKED = DotPlot(
    id="fig-test-ranked",
    subject="the mean Progress 8 score in each authority",
    item_key="la_code",
    label_key="la_name",
    items="local authorities",
    points=tuple(_authority(i) for i in range(40)),
    value_key="progress8",
    value_label="Mean Progress 8 score",
    fmt=signed_1dp,
    reference=score("0"),
    reference_label="England average",
)
DISTRIBUTION = Distribution(
    id="fig-test-distribution",
    subject="schools by the share of their pupils who were in need",
    category_key="band",
    categories=("none", "under 5%", "5% to 10%", "over 10%"),
    bands_label="Share of pupils who were in need",
    value_key="schools",
    values=(n(490), n(12000), n(9750), c(Unit.COUNT)),
    value_label="Schools",
    fmt=fmt_count,
)
SEQUENCES = SequenceChart(
    id="fig-test-sequences",
    subject="the share of children who followed each sequence of statuses",
    sequences=(("CIN",), ("CIN", "CPP"), ("CIN", "CPP", "CLA")),
    value_key="percent_of_children",
    values=(share(1, 2), share(1, 4), c(Unit.SHARE)),
    value_label="Share of children",
    fmt=pct_1dp,
    others=share(1, 8),
)
ALL: tuple[Chart, ...] = (LINE, BAR, GROUPED, FOREST, RANKED, DISTRIBUTION, SEQUENCES)


@cache
def drawn(chart_id: str) -> str:
    return svg(next(ch for ch in ALL if ch.id == chart_id))


def tree(chart: Chart) -> ET.Element:
    return ET.fromstring(drawn(chart.id))


def texts(chart: Chart) -> list[str]:
    return [t.text or "" for t in tree(chart).iter(f"{SVG}text")]


def mark(chart: Chart, gid: str) -> ET.Element | None:
    return next((g for g in tree(chart).iter(f"{SVG}g") if g.get("id") == gid), None)


# -- words and data, by hand -------------------------------------------------------------

ALT = {
    "fig-test-line": (
        "Line chart of the number of things, from 2016 to 2019. Things A rose from 1,200 in "
        "2016 to 2,500 in 2019; the highest was 3,400 in 2018 and the lowest 1,200 in 2016. "
        f"Things B rose from 500 in 2016 to 800 in 2019. {SUPPRESSED} {SAME}"
    ),
    "fig-test-bar": (
        "Bar chart of the share of pupils who were absent. The highest is North (12.5%) and "
        f"the lowest East (0.0%). {SUPPRESSED} {SAME}"
    ),
    "fig-test-grouped": (
        "Grouped bar chart of the share of pupils reaching the expected standard, with 3 bars "
        "(In need, Looked after and All pupils) for each of Early years, Key stage 2 and Key "
        "stage 4. In each, the highest is All pupils (60.0% to 70.0%). "
        f"{SUPPRESSED} {SAME}"
    ),
    "fig-test-forest": (
        "Dot plot of the likelihood of a strong pass relative to pupils never in need, for 4 "
        "groups, each with its 95% confidence interval. The values range from 0.52 (Child in "
        "need only) to 1.05 (Looked after). Of the 3 intervals, 0 lie wholly above the "
        "reference line at 1.00 (never in need), 2 wholly below it and 1 include it. "
        f"{SUPPRESSED} {SAME}"
    ),
    "fig-test-ranked": (
        "Dot plot of the mean Progress 8 score in each authority, for 40 local authorities, "
        "ranked from lowest to highest, each with its 95% confidence interval. The values "
        "range from \u22122.0 (Authority 00) to +1.9 (Authority 17). Of the 39 intervals, 17 "
        "lie wholly above the reference line at 0.0 (England average), 17 wholly below it "
        f"and 5 include it. {SUPPRESSED} {SAME}"
    ),
    "fig-test-distribution": (
        "Histogram of schools by the share of their pupils who were in need, in 4 bands from "
        "none to over 10%. The most common band is under 5% (12,000) and the least common "
        f"none (490). {SUPPRESSED} {SAME}"
    ),
    "fig-test-sequences": (
        "Horizontal bar chart of the share of children who followed each sequence of "
        "statuses: the 3 most common sequences. The most common is CIN (50.0%); then CIN, "
        f"then CPP (25.0%). All other sequences together: 12.5%. {SUPPRESSED} {SAME}"
    ),
}

CSV = {
    "fig-test-line": [
        "time_period,things_a,things_b",
        "2016,1200,500",
        "2017,c,600",
        "2018,3400,700",
        "2019,2500,800",
    ],
    "fig-test-bar": ["region,percent", "North,12.5", "South,c", "East,0.0"],
    "fig-test-grouped": [
        "stage,in_need,cla,all_pupils",
        "Early years,40.0,20.0,70.0",
        "Key stage 2,30.0,c,65.0",
        "Key stage 4,25.0,10.0,60.0",
    ],
    "fig-test-forest": [
        "group,group_name,relative_likelihood,relative_likelihood_lower,relative_likelihood_upper",
        "prev,Previously in need,0.74,0.72,0.76",
        "cino,Child in need only,0.52,0.50,0.55",
        "cppo,Child protection plan,c,c,c",
        "cla,Looked after,1.05,0.95,1.15",
    ],
    "fig-test-distribution": [
        "band,schools",
        "none,490",
        "under 5%,12000",
        "5% to 10%,9750",
        "over 10%,c",
    ],
    "fig-test-sequences": [
        "sequence,percent_of_children",
        "CIN,50.0",
        "CIN > CPP,25.0",
        "CIN > CPP > CLA,c",
        "All other sequences,12.5",
    ],
}


@pytest.mark.parametrize("chart", ALL, ids=lambda ch: ch.id)
def test_alt_text_is_written_from_the_data(chart: Chart) -> None:
    assert chart.alt == ALT[chart.id]


@pytest.mark.parametrize("chart", [ch for ch in ALL if ch.id in CSV], ids=lambda ch: ch.id)
def test_the_data_file_holds_every_value_as_open_data(chart: Chart) -> None:
    assert to_csv(chart).splitlines() == CSV[chart.id]


def test_the_ranked_data_file_is_in_rank_order_with_ascii_minus() -> None:
    lines = to_csv(RANKED).splitlines()
    assert lines[0] == "la_code,la_name,progress8,progress8_lower,progress8_upper"
    assert lines[1] == "la00,Authority 00,-2.0,-2.2,-1.8"  # 7 x 0 mod 40 = 0: -2.0
    assert lines[-2] == "la17,Authority 17,1.9,1.7,2.1"  # 7 x 17 = 119 = 2 x 40 + 39: +1.9
    assert lines[-1] == "la07,Authority 07,c,c,c"  # no rank: last
    values = [D(line.split(",")[2]) for line in lines[1:-1]]
    assert values == [D(t) / 10 for t in range(-20, 20) if t != -11]  # 7 x 7 = 49: -1.1 hidden


def test_the_description_names_every_value() -> None:
    assert LINE.description == (
        "Line chart of the number of things.\n"
        "Things A: 2016: 1,200; 2017: c; 2018: 3,400; 2019: 2,500.\n"
        "Things B: 2016: 500; 2017: 600; 2018: 700; 2019: 800.\n"
        f"{SUPPRESSED}\n"
    )
    assert FOREST.description == (
        "Dot plot of the likelihood of a strong pass relative to pupils never in need, "
        "4 groups, in this order.\n"
        "Reference line: never in need, 1.00.\n"
        "Previously in need: 0.74 (95% confidence interval 0.72 to 0.76).\n"
        "Child in need only: 0.52 (95% confidence interval 0.50 to 0.55).\n"
        "Child protection plan: c.\n"
        "Looked after: 1.05 (95% confidence interval 0.95 to 1.15).\n"
        f"{SUPPRESSED}\n"
    )
    assert SEQUENCES.description.splitlines()[1:] == [
        "CIN: 50.0%.",
        "CIN, then CPP: 25.0%.",
        "CIN, then CPP, then CLA: c.",
        "All other sequences: 12.5%.",
        SUPPRESSED,
    ]


@pytest.mark.parametrize("chart", ALL, ids=lambda ch: ch.id)
def test_every_value_is_in_the_description(chart: Chart) -> None:
    for m in _measures(chart):
        assert f": {chart.fmt(m)}" in chart.description or chart.fmt(m) in chart.description


def _measures(chart: Chart) -> list[Measure]:
    if isinstance(chart, LineChart | GroupedBarChart):
        return [v for s in chart.series for v in s.values]
    if isinstance(chart, DotPlot):
        return [m for p in chart.points for m in (p.value, p.low, p.high) if m is not None]
    if isinstance(chart, SequenceChart):
        return list(chart.all_values())
    return list(chart.values)


# -- the drawing -------------------------------------------------------------------------


@pytest.mark.parametrize("chart", ALL, ids=lambda ch: ch.id)
def test_a_symbol_is_written_where_its_value_would_be(chart: Chart) -> None:
    written = texts(chart)
    assert "c" in written or "Not shown (c): 1 of the 40 local authorities" in written


def test_a_suppressed_point_leaves_a_gap_in_its_line() -> None:
    line = mark(LINE, "line-things_a")
    assert line is not None
    path = line.find(f"{SVG}path")
    assert path is not None
    d = path.get("d", "")
    # three points (2016, 2018, 2019) in two pieces: the line stops at 2016, starts at 2018
    assert (d.count("M"), d.count("L")) == (2, 1)
    whole = mark(LINE, "line-things_b")
    assert whole is not None
    assert whole.find(f"{SVG}path").get("d", "").count("L") == 3  # type: ignore[union-attr]


def test_a_suppressed_value_gets_no_bar_and_zero_gets_an_empty_one() -> None:
    assert mark(BAR, "bar-percent-0") is not None
    assert mark(BAR, "bar-percent-1") is None  # South: c
    assert mark(BAR, "bar-percent-2") is not None  # East: 0.0%, a bar of no length
    assert [t for t in texts(BAR) if t in {"12.5%", "c", "0.0%"}] == ["12.5%", "c", "0.0%"]
    assert mark(GROUPED, "bar-cla-1") is None
    assert mark(GROUPED, "bar-cla-0") is not None
    assert mark(DISTRIBUTION, "bar-schools-3") is None
    assert mark(SEQUENCES, "bar-percent_of_children-2") is None


def test_a_suppressed_point_is_not_plotted_and_is_counted_under_the_axis() -> None:
    points = [
        g.get("id") for g in tree(RANKED).iter(f"{SVG}g") if g.get("id", "").startswith("point-")
    ]
    assert len(points) == 39
    assert "point-la07" not in points
    assert "Not shown (c): 1 of the 40 local authorities" in texts(RANKED)  # a line of its own
    assert "Lowest: Authority 00, \u22122.0" in texts(RANKED)
    assert "Highest: Authority 17, +1.9" in texts(RANKED)


def test_axis_ticks_are_printed_by_the_formatters_and_exactly() -> None:
    # 0 to 3,400 in at most 6 steps of 1, 2 or 5 times a power of ten: steps of 1,000
    assert [t for t in texts(LINE) if t[:1].isdigit() and t not in _printed(LINE)] == [
        "0",
        "1,000",
        "2,000",
        "3,000",
        "4,000",
    ]
    # 0 to 12.5%: steps of 5% (2% would need 7), printed as whole percentages
    assert [t for t in texts(BAR) if t.endswith("%") and t not in {"12.5%", "0.0%"}] == [
        "0%",
        "5%",
        "10%",
        "15%",
    ]


def _printed(chart: Chart) -> set[str]:
    """The values and category labels the chart writes (not its ticks)."""
    return {chart.fmt(m) for m in _measures(chart)} | set(getattr(chart, "categories", ()))


@pytest.mark.parametrize("chart", ALL, ids=lambda ch: ch.id)
def test_labels_are_text_not_outlines(chart: Chart) -> None:
    svg_text = drawn(chart.id)
    assert "DejaVuSans-" not in svg_text  # no glyph outlines
    assert "font-family: 'DejaVu Sans'" in svg_text
    written = " ".join(texts(chart))
    assert chart.value_label in written
    if isinstance(chart, LineChart) or (isinstance(chart, DotPlot) and not chart.forest):
        return  # lines write their names and symbols; a long ranking its two extremes
    for m in _measures(chart):  # every other kind writes every value
        assert chart.fmt(m) in written


def _colours(chart: Chart) -> set[str]:
    found = set(re.findall(r"(?:fill|stroke): (#[0-9a-f]{6})", drawn(chart.id)))
    return {c for c in found if not c[1:3] == c[3:5] == c[5:7]}  # greys are not colours


@pytest.mark.parametrize("chart", ALL, ids=lambda ch: ch.id)
def test_at_most_four_colours(chart: Chart) -> None:
    assert 1 <= len(_colours(chart)) <= 4


def test_a_fifth_series_is_refused() -> None:
    five = tuple(Series(f"s{i}", f"S{i}", (n(1),)) for i in range(5))
    with pytest.raises(ValueError, match="5 series"):
        LineChart(
            id="fig-five",
            subject="x",
            category_key="x",
            categories=("a",),
            series=five,
            value_label="x",
            fmt=fmt_count,
        )


def _lightness(hex_colour: str) -> float:
    """CIE L* of an sRGB colour, written out from the sRGB and CIELAB definitions."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 116 * y ** (1 / 3) - 16 if y > (6 / 29) ** 3 else y * (29 / 3) ** 3


def _fills(chart: Chart) -> dict[str, tuple[str, str]]:
    """Each series' bar (of the first group): its colour and its pattern ('' for none)."""
    root = tree(chart)
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    out = {}
    assert isinstance(chart, GroupedBarChart)
    for s in chart.series:
        g = mark(chart, f"bar-{s.key}-0")
        assert g is not None
        fill = re.search(r"fill: ([^;\"]+)", g.find(f"{SVG}path").get("style", ""))  # type: ignore[union-attr]
        assert fill is not None
        value = fill.group(1)
        if value.startswith("url(#"):
            pattern = patterns[value[5:-1]]
            background = pattern.find(f"{SVG}rect")
            assert background is not None
            colour = re.search(
                r"#[0-9a-f]{6}", background.get("style", "") + str(background.get("fill"))
            )
            assert colour is not None
            out[s.key] = (
                colour.group(0),
                "".join(p.get("d", "") for p in pattern.iter(f"{SVG}path")),
            )
        else:
            out[s.key] = (value, "")
    return out


def test_grouped_bars_are_told_apart_in_greyscale() -> None:
    fills = list(_fills(GROUPED).values())
    assert len({colour for colour, _ in fills}) == 3
    for i, (a, hatch_a) in enumerate(fills):
        for b, hatch_b in fills[i + 1 :]:
            # 20 points of L* apart, or a different pattern
            assert abs(_lightness(a) - _lightness(b)) >= 20 or hatch_a != hatch_b, (a, b)
    # and the AF palette's first and third colours do look alike, so one has a pattern
    assert abs(_lightness("#12436d") - _lightness("#801650")) < 20
    assert sum(1 for _, hatch in fills if hatch) == 1


def test_lines_are_told_apart_by_marker_and_direct_label() -> None:
    root = tree(LINE)
    shapes = []
    for key in ("things_a", "things_b"):
        g = mark(LINE, f"line-{key}")
        assert g is not None
        use = g.find(f".//{SVG}use")
        assert use is not None
        ref = use.get("{http://www.w3.org/1999/xlink}href", "")[1:]
        shape = next(p for p in root.iter(f"{SVG}path") if p.get("id") == ref)
        shapes.append(shape.get("d"))
    assert shapes[0] != shapes[1]
    assert {"Things A", "Things B"} <= set(texts(LINE))


def test_the_svg_is_the_same_twice_in_process_across_processes_and_in_a_pool() -> None:
    here = [svg(chart) for chart in ALL]
    assert here == [drawn(chart.id) for chart in ALL]
    code = (
        "import hashlib; from tests.charts.test_kinds import ALL, svg;"
        "print(*(hashlib.sha256(svg(c).encode()).hexdigest() for c in ALL))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert there == [hashlib.sha256(s.encode()).hexdigest() for s in here]
    assert draw_all(ALL, workers=2) == here
    assert all("<dc:date>" not in s for s in here)


# -- what is refused ---------------------------------------------------------------------


BAR_SPEC = {
    "id": "fig-a",
    "subject": "x",
    "category_key": "k",
    "categories": ("a",),
    "value_key": "v",
    "values": (n(1),),
    "value_label": "x",
    "fmt": fmt_count,
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"categories": ("a", "b")}, "1 values for 2 categories"),
        ({"category_key": "Region"}, "machine name"),
        ({"categories": ("a", "b"), "values": (n(1), share(1, 2))}, "different units"),
        ({"id": "chart"}, "figure id"),
        ({"categories": ("a", "a"), "values": (n(1), n(2))}, "not unique"),
        ({"subject": ""}, "say what the chart shows"),
    ],
)
def test_a_spec_refuses_what_cannot_be_drawn_honestly(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        BarChart(**(BAR_SPEC | changes))  # type: ignore[arg-type]


def test_other_kinds_refuse_what_cannot_be_drawn_honestly() -> None:
    with pytest.raises(ValueError, match="does not match"):
        LineChart(
            id="fig-a",
            subject="x",
            category_key="x",
            categories=("a", "b"),
            series=(Series("s", "S", (n(1),)),),
            value_label="x",
            fmt=fmt_count,
        )
    with pytest.raises(ValueError, match="does not hold the value"):
        DotPlot(
            id="fig-a",
            subject="x",
            item_key="k",
            label_key="l",
            items="xs",
            points=(Point("a", "A", ratio("0.5"), ratio("0.6"), ratio("0.7")),),
            value_key="v",
            value_label="x",
            fmt=fmt_2dp,
        )
    with pytest.raises(ValueError, match="most common first"):
        SequenceChart(
            id="fig-a",
            subject="x",
            sequences=(("A",), ("B",)),
            value_key="v",
            values=(share(1, 4), share(1, 2)),
            value_label="x",
            fmt=pct_1dp,
        )


def test_a_given_alt_text_is_kept_and_a_copy_writes_its_own() -> None:
    chart = BarChart(**(BAR_SPEC | {"alt_override": "Written by the builder."}))  # type: ignore[arg-type]
    assert chart.alt == "Written by the builder."
    plain = BarChart(**BAR_SPEC)  # type: ignore[arg-type]
    assert plain.alt.startswith("Bar chart of x.")
    assert replace(plain, horizontal=True).alt.startswith("Horizontal bar chart of x.")


def test_the_legend_names_a_series_whose_first_value_is_suppressed() -> None:
    chart = GroupedBarChart(
        id="fig-a",
        subject="x",
        category_key="k",
        categories=("a", "b"),
        series=(
            Series("s", "First", (c(Unit.SHARE), share(1, 2))),
            Series("t", "Second", (share(1, 4), share(1, 3))),
        ),
        value_label="x",
        fmt=pct_1dp,
    )
    legend = [t.text for t in ET.fromstring(svg(chart)).iter(f"{SVG}text")]
    assert {"First", "Second"} <= set(legend)


def test_ticks_on_a_narrow_range_are_still_printed_exactly() -> None:
    """Scores from -0.63 to -0.60, printed to 1 decimal place: ticks 0.05 apart would print
    -0.65 as -0.7 (a false label), so the axis widens to +-0.1 about -0.615 (-0.715 to
    -0.515) and ticks every 0.1 inside it: -0.7 and -0.6."""
    chart = DotPlot(
        id="fig-a",
        subject="x",
        item_key="k",
        label_key="l",
        items="areas",
        points=(
            Point("a", "A", score("-0.62"), score("-0.63"), score("-0.61")),
            Point("b", "B", score("-0.61"), score("-0.62"), score("-0.60")),
        ),
        value_key="v",
        value_label="x",
        fmt=signed_1dp,
    )
    written = [t.text for t in ET.fromstring(svg(chart)).iter(f"{SVG}text")]
    assert [t for t in written if t and re.fullmatch(r"[\u2212+]?\d\.\d", t)] == [
        "\u22120.7",
        "\u22120.6",
    ]


REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)


def test_names_under_vertical_bars_break_between_words_only() -> None:
    chart = BarChart(**(BAR_SPEC | {"categories": REGIONS, "values": tuple(map(n, range(9)))}))  # type: ignore[arg-type]
    words = {w for name in REGIONS for w in name.split()}
    lines = [t for t in texts_of(chart) if t and not t.replace(",", "").isdigit() and t != "x"]
    assert " ".join(lines).split() == " ".join(REGIONS).split()  # every name, in order
    assert all(set(line.split()) <= words for line in lines)
    assert any(line == "Yorkshire" for line in lines)  # nine bars: too narrow for two words


def test_names_too_long_to_stand_under_a_bar_are_refused() -> None:
    long = ("Bath and North East Somerset", "Kingston upon Hull, City of") * 6
    chart = BarChart(
        **(
            BAR_SPEC
            | {"categories": tuple(f"{c} {i}" for i, c in enumerate(long)), "values": (n(1),) * 12}
        )  # type: ignore[arg-type]
    )
    with pytest.raises(ValueError, match=r"fig-a: a category name is too long .* horizontal"):
        svg(chart)
    assert svg(replace(chart, horizontal=True)).count("Somerset") == 6


def texts_of(chart: Chart) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg(chart)).iter(f"{SVG}text")]
