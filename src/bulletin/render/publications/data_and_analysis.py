"""Render (data and analysis): the figures and tables of the statistical publication.

Children in need of help and protection: data and analysis (content brief §1). Real
national figures come from the real context (public.json); everything about the linked
window from the findings context (findings.json).
"""

from __future__ import annotations

from bulletin.charts.model import Chart
from bulletin.core.context import Context
from bulletin.core.formatting import fmt_1dp, fmt_count, pct_1dp, signed_2dp
from bulletin.core.schema import ETHNICITY_MAJOR, GENDERS, SEN_PROVISION
from bulletin.render.publications import Content, Inputs, common
from bulletin.render.publications import figures as fig
from bulletin.tables.build import from_context, pivot
from bulletin.tables.children_in_need import cin_by_region, cin_by_year
from bulletin.tables.model import Cell, Column, Row, Table

#: Each characteristic's categories in words, in the order printed.
CATEGORIES: dict[str, dict[str, str]] = {
    "gender": {k: v[:1].upper() + v[1:] for k, v in GENDERS.items()},
    "age": {a: f"Aged {a}" for a in ("under 5", "5 to 9", "10 to 15", "16 and over")},
    "ethnicity": ETHNICITY_MAJOR,
    "special educational needs": {
        "N": "No special educational need",
        "K": "SEN support",
        "E": "Education, health and care plan or statement",
    },
    "free school meals": {
        "eligible": "Eligible for free school meals",
        "not eligible": "Not eligible",
    },
    "all": {"total": "All pupils in the group"},
}
assert set(CATEGORIES["special educational needs"]) == set(SEN_PROVISION)


def content(inputs: Inputs) -> Content:
    findings, real = inputs.findings, inputs.real
    series = real.tables["real-cin-by-year"]
    figures: list[Chart] = [
        fig.cin_by_year(series),
        fig.characteristics(findings),
        fig.factors(real.tables["real-factors"]),
        fig.episodes(findings),
        fig.sequences(findings),
        fig.school_shares(findings),
        fig.absence(findings, "201718", "fig-absence-by-group"),
        fig.attainment(findings, "201718", "fig-attainment-by-stage"),
        fig.adjusted_likelihood(findings),
        fig.post16(findings, "201213", "201415"),
    ]
    tables = [
        cin_by_year(series),
        cin_by_region(real.tables["real-cin-by-area"]),
        characteristics(findings),
        primary_need(findings),
        common.factors(real.tables["real-factors"], "tbl-factors-2018"),
        episodes(findings),
        sequences(findings),
        durations(findings),
        common.schools(findings),
        common.absence(findings, "201718", "tbl-absence"),
        common.exclusions(findings, "201718", "tbl-exclusions"),
        common.attainment(findings, "201718", "tbl-attainment"),
        common.regression(findings),
        common.post16(findings, "201213", "201415"),
        definitions(),
    ]
    p8 = findings.tables["tbl-progress8-la-201718"]
    if any(r.values["progress8"].measure.shown for r in p8.rows):  # none on a tiny extract
        figures.append(fig.p8_by_la(p8, fig.area_names(real), "fig-p8-by-la"))
        tables.append(p8_by_la(findings, real))
    return Content({f.id: f for f in figures}, {t.id: t for t in tables})


def characteristics(findings: Context) -> Table:
    """tbl-characteristics: pupils who were in need at some point in the window, and all
    other pupils, by gender, age, ethnicity, special educational needs and free school
    meals (January 2018)."""
    table = findings.tables["tbl-characteristics"]
    rows = [
        (label, {"characteristic": characteristic, "category": category})
        for characteristic, categories in CATEGORIES.items()
        for category, label in categories.items()
    ]
    return pivot(
        id="tbl-characteristics",
        header="category",
        rows=rows,
        keys=(
            ("characteristic", lambda labels: labels["characteristic"]),
            ("category_code", lambda labels: labels["category"]),
        ),
        columns=(
            ("in_need_pupils", table, {"group": "in need"}, "pupils", fmt_count),
            ("in_need_share", table, {"group": "in need"}, "share", pct_1dp),
            ("other_pupils_share", table, {"group": "other pupils"}, "share", pct_1dp),
            ("all_pupils_share", table, {"group": "all pupils"}, "share", pct_1dp),
        ),
        source=table.source,
        about=table.definition,
        title=table.title,
    )


def primary_need(findings: Context) -> Table:
    table = findings.tables["tbl-primary-need"]
    return from_context(
        table,
        id="tbl-primary-need",
        header="need",
        row_header=lambda row: row.labels["meaning"][:1].upper() + row.labels["meaning"][1:],
        keys=("need",),
        columns=(("episodes", fmt_count), ("share", pct_1dp)),
    )


def _shares(findings: Context, table_id: str, new_id: str, label: str, count: str) -> Table:
    table = findings.tables[table_id]
    return from_context(
        table,
        id=new_id,
        header=label,
        row_header=lambda row: row.labels[label][:1].upper() + row.labels[label][1:],
        keys=(label,),
        columns=((count, fmt_count), ("share", pct_1dp)),
    )


def episodes(findings: Context) -> Table:
    return _shares(
        findings, "tbl-journeys-episodes", "tbl-episodes-per-child", "episodes", "children"
    )


def sequences(findings: Context) -> Table:
    return _shares(findings, "tbl-journeys-sequences", "tbl-sequences", "sequence", "children")


def durations(findings: Context) -> Table:
    table = findings.tables["tbl-journeys-durations"]
    status = {"CIN": "Child in need", "CPP": "Child protection plan", "CLA": "Looked after"}
    return from_context(
        table,
        id="tbl-durations",
        header="status",
        row_header=lambda row: status.get(row.labels["status"], row.labels["status"]),
        keys=("status",),
        columns=(("completed", fmt_count), ("median_days", fmt_1dp), ("open", fmt_count)),
    )


def p8_by_la(findings: Context, real: Context) -> Table:
    """tbl-p8-by-la: Progress 8 of pupils in need in 2017/18, by the local authority of their
    school, each mean with its 95% confidence interval."""
    table = findings.tables["tbl-progress8-la-201718"]
    names = {
        r.labels["area_code"]: r.labels["area_name"] for r in real.tables["real-cin-by-area"].rows
    }
    rows = sorted(table.rows, key=lambda r: names.get(r.labels["la_code"], r.labels["la_code"]))
    return from_context(
        table,
        id="tbl-p8-by-la",
        header="local_authority",
        row_header=lambda row: names.get(row.labels["la_code"], row.labels["la_code"]),
        keys=("la_code",),
        columns=(
            ("pupils", fmt_count),
            ("progress8", signed_2dp),
            ("progress8_low", signed_2dp),
            ("progress8_high", signed_2dp),
        ),
        rows=rows,
    )


#: The social care groups of the attainment sections (docs/methodology.md).
DEFINITIONS = (
    ("CLA", "Looked after by a local authority at any point in the year."),
    ("CPPO", "On a child protection plan at any point in the year, and not looked after."),
    ("CINO", "In need at any point in the year, and not looked after or on a plan."),
    ("PREV", "In need at some point in the earlier years of the window, but not in the year."),
    ("NEVER", "Not in need at any point in the window."),
)


def definitions() -> Table:
    """tbl-definitions: the social care groups, in words."""
    rows = tuple(
        Row(common.group_label(code), (code,), (Cell(text),)) for code, text in DEFINITIONS
    )
    return Table(
        "tbl-definitions",
        "group",
        (Column("code", False),),
        (Column("definition", False),),
        rows,
        "Department for Education, children in need review",
        title="The social care groups",
    )
