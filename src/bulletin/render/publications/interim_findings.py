"""Render (interim findings): the figures and tables of the interim findings (December 2018).

Improving the educational outcomes of children in need of help and protection: interim
findings (content brief §2), on the interim evidence: D1's three years, D2's six,
attainment in 2015/16, absence and exclusions in 2016/17.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from bulletin.charts.model import Chart
from bulletin.core.context import Context
from bulletin.core.formatting import fmt_1dp, fmt_2dp, fmt_count, pct_1dp, signed_2dp
from bulletin.core.measure import Measure, Unit
from bulletin.core.provenance import Sourced
from bulletin.core.symbols import Symbol
from bulletin.data.facts import Fact
from bulletin.render.publications import Content, Inputs, common
from bulletin.render.publications import figures as fig
from bulletin.tables.build import from_context
from bulletin.tables.model import Cell, Column, Row, Table

FORMATS = {"share": pct_1dp, "points": fmt_1dp, "ratio": fmt_2dp}
#: The stages of the gap, each with its calibration ids (in need, all pupils, gap, ratio).
STAGES = (
    ("Good level of development, early years", "C3", "C7_eyfsp"),
    ("Expected standard in reading, writing and maths, key stage 2", "C4", "C7_ks2"),
    ("Grade 4 or above in English and maths, key stage 4", "C5", "C7_ks4"),
)


def content(inputs: Inputs) -> Content:
    findings, real = inputs.findings, inputs.real
    tables = [
        gap_by_stage(findings),
        sen(findings),
        p8_by_la(findings, real),
        common.absence(findings, "201617", "tbl-absence-2017"),
        common.exclusions(findings, "201617", "tbl-exclusions-2017"),
    ]
    figures: list[Chart] = [
        fig.gap_by_stage(findings),
        fig.p8_by_la(
            findings.tables["tbl-progress8-la-201516"], fig.area_names(real), "fig-p8-la-range-2016"
        ),
        fig.absence(findings, "201617", "fig-absence-2017"),
    ]
    return Content(
        {f.id: f for f in figures},
        {t.id: t for t in tables},
        {"D1_gap": d1_gap(findings, inputs.facts)},
    )


def d1_gap(findings: Context, facts: Mapping[str, Sourced | Fact]) -> Sourced:
    """How far the count of children in need over the interim window (D1) falls below the
    count the preliminary longitudinal analysis published (the facts file)."""
    d1, published = findings["D1"], facts["published_d1"]
    assert isinstance(published, Sourced)
    if d1.measure.value is None or published.measure.value is None:
        return Sourced("D1_gap", Measure.hidden(Symbol.NOT_AVAILABLE, Unit.COUNT), d1.source)
    gap = published.measure.value - d1.measure.value
    what = "the published count over the interim window less the count of this build (D1)"
    source = replace(d1.source, reference=f"facts file: {published.source.fact}")
    return Sourced("D1_gap", Measure(gap, Unit.COUNT, definition=what), source)


def gap_by_stage(findings: Context) -> Table:
    """tbl-gap-by-stage-2016: pupils in need and all pupils reaching each stage's expected
    level in 2015/16, the gap in percentage points and how likely pupils in need were."""
    rows = []
    for label, part, gap in STAGES:
        values: list[tuple[Sourced, str]] = [
            (findings[f"{part}_cin"], "share"),
            (findings[f"{part}_all"], "share"),
            (findings[gap], "points"),
            (findings[f"{part}_ratio"], "ratio"),
        ]
        cells = tuple(Cell.of(v, FORMATS[kind]) for v, kind in values)
        rows.append(Row(label, (part,), cells))
    return Table(
        "tbl-gap-by-stage-2016",
        "stage",
        (Column("finding", False),),
        (
            Column("in_need_share"),
            Column("all_pupils_share"),
            Column("gap_points"),
            Column("ratio"),
        ),
        tuple(rows),
        findings["C3_cin"].measure.source,
        "pupils in need at some point in 2015-16 and all pupils, at the end of each stage in "
        "2015/16: the share reaching the expected level, the gap in percentage points (all "
        "pupils less pupils in need) and the ratio of the shares",
        "Pupils in need and all pupils reaching the expected level at each stage, 2015/16",
    )


def sen(findings: Context) -> Table:
    """tbl-sen-2016: special educational needs of pupils in need at 31 March 2016 and of
    all pupils, January 2016."""
    table = findings.tables["tbl-sen-201516"]
    groups = ("in need on 31 March 2016", "other pupils", "all pupils")
    rows = [table.row(group=g, sen=code) for g in groups for code in ("K", "E", "any")]
    return from_context(
        table,
        id="tbl-sen-2016",
        header="group",
        row_header=lambda row: (
            f"{common.group_label(row.labels['group'])}: {row.labels['meaning']}"
        ),
        keys=("group", "sen"),
        columns=(("pupils", fmt_count), ("share", pct_1dp)),
        rows=rows,
    )


def p8_by_la(findings: Context, real: Context) -> Table:
    """tbl-p8-la-2016: Progress 8 of pupils in need in 2015/16, by the local authority of
    their school (authorities with enough such pupils)."""
    table = findings.tables["tbl-progress8-la-201516"]
    names = {
        r.labels["area_code"]: r.labels["area_name"] for r in real.tables["real-cin-by-area"].rows
    }
    rows = sorted(table.rows, key=lambda r: names.get(r.labels["la_code"], r.labels["la_code"]))
    return from_context(
        table,
        id="tbl-p8-la-2016",
        header="local_authority",
        row_header=lambda row: names.get(row.labels["la_code"], row.labels["la_code"]),
        keys=("la_code",),
        columns=(("pupils", fmt_count), ("progress8", signed_2dp)),
        rows=rows,
    )
