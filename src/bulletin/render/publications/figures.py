"""Render (publications, figures): the review's charts, built from the contexts.

Each builder picks the values a chart shows from a findings or real table and gives them
to a chart kind of `bulletin.charts` (which writes the alt text and the description from
the data). Where two publications show the same chart, they call the same builder.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bulletin.charts.model import (
    BarChart,
    Distribution,
    DotPlot,
    GroupedBarChart,
    LineChart,
    Point,
    SequenceChart,
    Series,
)
from bulletin.core.context import Context, ContextTable
from bulletin.core.formatting import fmt_2dp, fmt_count, pct_1dp, signed_2dp
from bulletin.core.measure import Measure, Unit
from bulletin.render.publications.common import CARE_GROUPS, group_label


def _column(table: ContextTable, column: str, **labels: str) -> Measure:
    return table.row(**labels).values[column].measure


def cin_by_year(series: ContextTable) -> LineChart:
    """fig-cin-by-year: children in need at 31 March in England, each year (real B1)."""
    return LineChart(
        id="fig-cin-by-year",
        subject="the number of children in need in England at 31 March of each year",
        category_key="time_period",
        categories=tuple(r.labels["year"] for r in series.rows),
        series=(
            Series(
                "children_in_need_at_31_march",
                "Children in need",
                tuple(v.measure for v in series.column("at_31_march")),
            ),
        ),
        value_label="Children in need at 31 March",
        fmt=fmt_count,
    )


#: The characteristics a chart compares (the table has them all).
CHARACTERISTICS = (
    ("special educational needs", "K", "SEN support"),
    ("special educational needs", "E", "EHC plan or statement"),
    ("free school meals", "eligible", "Free school meals"),
    ("gender", "M", "Male"),
    ("age", "10 to 15", "Aged 10 to 15"),
)


def characteristics(findings: Context) -> GroupedBarChart:
    """fig-characteristics: pupils in need and other pupils with each characteristic."""
    table = findings.tables["tbl-characteristics"]
    groups = (("in need", "In need"), ("other pupils", "Other pupils"))
    return GroupedBarChart(
        id="fig-characteristics",
        subject="the share of pupils with each characteristic, pupils in need and other pupils",
        category_key="characteristic",
        categories=tuple(label for *_, label in CHARACTERISTICS),
        series=tuple(
            Series(
                key.replace(" ", "_"),
                label,
                tuple(
                    _column(table, "share", characteristic=c, category=k, group=key)
                    for c, k, _ in CHARACTERISTICS
                ),
            )
            for key, label in groups
        ),
        value_label="Share of pupils",
        fmt=pct_1dp,
        horizontal=True,
    )


def factors(real: ContextTable, most: int = 10) -> BarChart:
    """fig-factors-2018: the factors identified most often at the end of assessment."""
    named = [
        (
            r.labels["factor"].replace("_", " ").capitalize()
            + (f": {r.labels['person']}" if r.labels["person"] else ""),
            r.values["episodes"].measure,
        )
        for r in real.rows
        if r.values["episodes"].measure.shown
    ]
    top = sorted(named, key=lambda pair: pair[1].exact, reverse=True)[:most]
    return BarChart(
        id="fig-factors-2018",
        subject="the factors identified most often at the end of assessment",
        category_key="factor",
        categories=tuple(label for label, _ in top),
        value_key="episodes",
        values=tuple(m for _, m in top),
        value_label="Episodes of need",
        fmt=fmt_count,
        horizontal=True,
    )


def episodes(findings: Context) -> BarChart:
    """fig-episodes-per-child: children referred in the first year, by episodes of need."""
    table = findings.tables["tbl-journeys-episodes"]
    rows = [r for r in table.rows if r.labels["episodes"] != "all children"]
    return BarChart(
        id="fig-episodes-per-child",
        subject="the share of children referred in the first year by their number of episodes of need",
        category_key="episodes",
        categories=tuple(r.labels["episodes"] for r in rows),
        value_key="share",
        values=tuple(r.values["share"].measure for r in rows),
        value_label="Share of children",
        fmt=pct_1dp,
    )


def sequences(findings: Context) -> SequenceChart:
    """fig-sequences: the most common sequences of statuses, and the others together."""
    table = findings.tables["tbl-journeys-sequences"]
    named = [
        r for r in table.rows if r.labels["sequence"] not in ("other sequences", "all children")
    ]
    others = [r for r in table.rows if r.labels["sequence"] == "other sequences"]
    return SequenceChart(
        id="fig-sequences",
        subject="the most common sequences of social care statuses of children referred in the first year",
        sequences=tuple(tuple(r.labels["sequence"].split(" > ")) for r in named),
        value_key="share",
        values=tuple(r.values["share"].measure for r in named),
        value_label="Share of children",
        fmt=pct_1dp,
        others=others[0].values["share"].measure if others else None,
    )


def school_shares(findings: Context) -> Distribution:
    """fig-school-share-distribution: schools by the share of their pupils who had been in
    need in the window."""
    table = findings.tables["tbl-schools"]
    rows = [r for r in table.rows if r.labels["band"] != "all schools"]
    return Distribution(
        id="fig-school-share-distribution",
        subject="schools by the share of their pupils who had been in need in the window",
        category_key="band",
        categories=tuple(r.labels["band"] for r in rows),
        bands_label="Share of pupils who had been in need",
        value_key="schools",
        values=tuple(r.values["schools"].measure for r in rows),
        value_label="Schools",
        fmt=fmt_count,
    )


def absence(findings: Context, year: str, figure_id: str) -> GroupedBarChart:
    """Overall and persistent absence by social care group."""
    table = findings.tables[f"tbl-absence-{year}"]
    groups = (*CARE_GROUPS, "other pupils")
    measures = (("overall", "Sessions missed"), ("persistent_share", "Persistently absent"))
    return GroupedBarChart(
        id=figure_id,
        subject="overall absence and persistent absence by social care group",
        category_key="group",
        categories=tuple(group_label(g) for g in groups),
        series=tuple(
            Series(key, label, tuple(_column(table, key, group=g) for g in groups))
            for key, label in measures
        ),
        value_label="Share",
        fmt=pct_1dp,
    )


def attainment(findings: Context, year: str, figure_id: str) -> GroupedBarChart:
    """The share reaching the expected level at each stage, for pupils in need, pupils
    previously in need and pupils never in need."""
    stages = (
        ("eyfsp", "gld_share", "Good level of development"),
        ("ks2", "rwm_share", "Expected standard at key stage 2"),
        ("ks4", "grade5_share", "Grade 5 in English and maths"),
    )
    groups = ("children in need", "PREV", "NEVER")
    return GroupedBarChart(
        id=figure_id,
        subject="the share of pupils reaching the expected level at each stage, by social care group",
        category_key="stage",
        categories=tuple(label for *_, label in stages),
        series=tuple(
            Series(
                g.replace(" ", "_").lower(),
                group_label(g),
                tuple(
                    _column(findings.tables[f"tbl-{stage}-{year}"], column, group=g)
                    for stage, column, _ in stages
                ),
            )
            for g in groups
        ),
        value_label="Share of pupils",
        fmt=pct_1dp,
    )


def p8_by_la(table: ContextTable, names: dict[str, str], figure_id: str) -> DotPlot:
    """Progress 8 of pupils in need by the local authority of their school, ranked."""
    has_interval = "progress8_low" in table.columns
    return DotPlot(
        id=figure_id,
        subject="the mean Progress 8 score of pupils in need, by the local authority of their school",
        item_key="la_code",
        label_key="la_name",
        items="local authorities",
        points=tuple(
            Point(
                r.labels["la_code"],
                names.get(r.labels["la_code"], r.labels["la_code"]),
                r.values["progress8"].measure,
                r.values["progress8_low"].measure if has_interval else None,
                r.values["progress8_high"].measure if has_interval else None,
            )
            for r in table.rows
        ),
        value_key="progress8",
        value_label="Progress 8",
        fmt=signed_2dp,
    )


def area_names(real: Context) -> dict[str, str]:
    """Each area's name by its code, from the real B1 table by area."""
    return {
        r.labels["area_code"]: r.labels["area_name"] for r in real.tables["real-cin-by-area"].rows
    }


def adjusted_likelihood(findings: Context) -> DotPlot:
    """fig-adjusted-likelihood: each group's relative likelihood of a strong pass against
    pupils never in need, with its 95% confidence interval, and a line at 1."""
    table = findings.tables["tbl-regression"]
    groups = ("PREV", "CINO", "CPPO", "CLA")
    reference = Measure(Decimal(1), Unit.RATIO)  # as likely as pupils never in need
    return DotPlot(
        id="fig-adjusted-likelihood",
        subject="the likelihood of grade 5 or above in English and maths of each social care group, relative to pupils never in need, after taking account of other factors",
        item_key="group",
        label_key="group_name",
        items="groups",
        points=tuple(
            Point(
                g,
                group_label(g),
                table.row(group=g).values["rr"].measure,
                table.row(group=g).values["rr_low"].measure,
                table.row(group=g).values["rr_high"].measure,
            )
            for g in groups
        ),
        value_key="relative_likelihood",
        value_label="Relative likelihood",
        fmt=fmt_2dp,
        ranked=False,
        reference=reference,
        reference_label="pupils never in need",
    )


def post16(findings: Context, level2_year: str, neet_year: str) -> GroupedBarChart:
    """fig-post16: level 2 by 21, not in education, employment or training at 18, and
    higher education at 18, for pupils in need in the year of their GCSEs and others."""
    early = findings.tables[f"tbl-after16-{level2_year}"]
    later = findings.tables[f"tbl-after16-{neet_year}"]
    outcomes: Sequence[tuple[ContextTable, str, str]] = (
        (early, "no_level2_by_21_share", "No level 2 by 21"),
        (later, "neet_18_share", "Not in education, employment or training at 18"),
        (later, "higher_education_18_share", "Higher education at 18"),
    )
    groups = (
        ("in need in the year of GCSEs", "In need in the year of their GCSEs"),
        ("other pupils", "Other pupils"),
    )
    return GroupedBarChart(
        id="fig-post16",
        subject="outcomes after 16 of pupils in need in the year of their GCSEs and of other pupils",
        category_key="outcome",
        categories=tuple(label for *_, label in outcomes),
        series=tuple(
            Series(
                key.replace(" ", "_").lower(),
                label,
                tuple(_column(t, column, group=key) for t, column, _ in outcomes),
            )
            for key, label in groups
        ),
        value_label="Share of pupils",
        fmt=pct_1dp,
        horizontal=True,
    )


def gap_by_stage(findings: Context) -> GroupedBarChart:
    """fig-gap-by-stage-2016: pupils in need and all pupils reaching each stage's expected
    level in 2015/16 (the calibration's C3, C4 and C5 parts)."""
    stages = (
        ("C3", "Good level of development"),
        ("C4", "Expected standard at key stage 2"),
        ("C5", "Grade 4 in English and maths"),
    )
    groups = (("cin", "In need"), ("all", "All pupils"))
    return GroupedBarChart(
        id="fig-gap-by-stage-2016",
        subject="the share of pupils reaching the expected level at each stage, pupils in need and all pupils",
        category_key="stage",
        categories=tuple(label for _, label in stages),
        series=tuple(
            Series(
                "in_need" if key == "cin" else "all_pupils",
                label,
                tuple(findings[f"{part}_{key}"].measure for part, _ in stages),
            )
            for key, label in groups
        ),
        value_label="Share of pupils",
        fmt=pct_1dp,
    )
