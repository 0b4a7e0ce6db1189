"""Render (publications, shared): the tables the review's publications have in common.

Each builder makes a printed table from the findings context (or the real context): the
rows a reader needs, in the order they read them, with labels in words. Where two
publications print the same table they call the same builder, so they print the same
numbers from the same measures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bulletin.core.context import Context, ContextTable
from bulletin.core.formatting import (
    fmt_1dp,
    fmt_2dp,
    fmt_academic_year,
    fmt_count,
    fmt_date,
    pct_1dp,
    signed_2dp,
)
from bulletin.tables.build import Format, from_context, pivot
from bulletin.tables.model import Cell, Column, Row, Table

#: The social care groups, as readers see them (docs/methodology.md defines them).
GROUPS = {
    "CLA": "Looked after",
    "CPPO": "On a child protection plan",
    "CINO": "Other children in need",
    "children in need": "All children in need",
    "PREV": "Previously in need",
    "NEVER": "Never in need",
    "other pupils": "Other pupils",
    "all pupils": "All pupils",
    "in need": "In need",
    "in need in the year of GCSEs": "In need in the year of their GCSEs",
}
#: The groups in need in the year, then those before, then the rest.
CARE_GROUPS = ("CLA", "CPPO", "CINO")
ATTAINMENT_GROUPS = (*CARE_GROUPS, "children in need", "PREV", "NEVER", "all pupils")


def group_label(code: str) -> str:
    return GROUPS.get(code, code[:1].upper() + code[1:])


def by_group(
    table: ContextTable,
    *,
    id: str,
    groups: Sequence[str],
    columns: Sequence[tuple[str, Format]],
) -> Table:
    """A findings table by social care group, in the order given, labelled in words."""
    rows = [table.row(group=g) for g in groups]
    return from_context(
        table,
        id=id,
        header="group",
        row_header=lambda row: group_label(row.labels["group"]),
        keys=("group",),
        columns=columns,
        rows=rows,
    )


# -- the tables --------------------------------------------------------------------------


def schools(findings: Context) -> Table:
    """tbl-schools: schools by the share of their pupils who were in need in the window."""
    table = findings.tables["tbl-schools"]
    return from_context(
        table,
        id="tbl-schools",
        header="band",
        row_header=lambda row: row.labels["band"][:1].upper() + row.labels["band"][1:],
        keys=("band",),
        columns=(("schools", fmt_count), ("share", pct_1dp)),
    )


def absence(findings: Context, year: str, table_id: str) -> Table:
    """Absence by social care group in academic year `year` (201718)."""
    return by_group(
        findings.tables[f"tbl-absence-{year}"],
        id=table_id,
        groups=(*CARE_GROUPS, "other pupils", "all pupils"),
        columns=(
            ("pupils", fmt_count),
            ("overall", pct_1dp),
            ("persistent_share", pct_1dp),
        ),
    )


def exclusions(findings: Context, year: str, table_id: str) -> Table:
    """Exclusions by social care group in academic year `year` (201718)."""
    return by_group(
        findings.tables[f"tbl-exclusions-{year}"],
        id=table_id,
        groups=(*CARE_GROUPS, "other pupils", "all pupils"),
        columns=(
            ("pupils", fmt_count),
            ("fixed_share", pct_1dp),
            ("permanent_share", pct_1dp),
        ),
    )


def attainment(findings: Context, year: str, table_id: str) -> Table:
    """Attainment at each stage by social care group in academic year `year`: a good level
    of development, the expected standard at key stage 2, grade 4 and grade 5 in English
    and maths, Attainment 8 and Progress 8."""
    eyfsp, ks2, ks4 = (findings.tables[f"tbl-{s}-{year}"] for s in ("eyfsp", "ks2", "ks4"))
    return pivot(
        id=table_id,
        header="group",
        rows=[(group_label(g), {"group": g}) for g in ATTAINMENT_GROUPS],
        keys=(("group", lambda labels: labels["group"]),),
        columns=(
            ("eyfsp_gld_share", eyfsp, {}, "gld_share", pct_1dp),
            ("ks2_rwm_share", ks2, {}, "rwm_share", pct_1dp),
            ("ks4_grade4_share", ks4, {}, "grade4_share", pct_1dp),
            ("ks4_grade5_share", ks4, {}, "grade5_share", pct_1dp),
            ("ks4_attainment8", ks4, {}, "attainment8", fmt_1dp),
            ("ks4_progress8", ks4, {}, "progress8", signed_2dp),
        ),
        source=ks4.source,
        about=f"{eyfsp.definition}; {ks2.definition}; {ks4.definition}",
        title=f"Attainment at each stage by social care group, {fmt_academic_year(year)}",
    )


def post16(findings: Context, level2_year: str, neet_year: str) -> Table:
    """tbl-post16: level 2 and 3 by 19 and 21 (the cohort at the end of key stage 4 in
    `level2_year`), not in education, employment or training and in higher education at 18
    (the cohort of `neet_year`), for pupils in need in the year of their GCSEs and others."""
    early = findings.tables[f"tbl-after16-{level2_year}"]
    later = findings.tables[f"tbl-after16-{neet_year}"]
    groups = ("in need in the year of GCSEs", "other pupils", "all pupils")
    outcomes = (
        ("Level 2 by 19", early, "level2_by_19_share"),
        ("Level 2 by 21", early, "level2_by_21_share"),
        ("No level 2 by 21", early, "no_level2_by_21_share"),
        ("Level 3 by 21", early, "level3_by_21_share"),
        ("Not in education, employment or training at 18", later, "neet_18_share"),
        ("In higher education at 18", later, "higher_education_18_share"),
    )
    rows = []
    for label, table, column in outcomes:
        cells = [table.row(group=g).values[column] for g in groups]
        rows.append((label, cells))
    return Table(
        "tbl-post16",
        "outcome",
        (),
        tuple(Column(g.replace(" ", "_")) for g in groups),
        tuple(Row(label, (), tuple(Cell.of(c, pct_1dp) for c in cells)) for label, cells in rows),
        early.source,
        f"{early.definition}; {later.definition}",
        "Outcomes after 16 of pupils in need in the year of their GCSEs and of other pupils",
    )


def regression(findings: Context) -> Table:
    """tbl-regression: pupils, the pass rate, the adjusted relative likelihood and the odds
    ratio with their 95% confidence intervals, by group."""
    return by_group(
        findings.tables["tbl-regression"],
        id="tbl-regression",
        groups=("NEVER", "PREV", "CINO", "CPPO", "CLA"),
        columns=(
            ("pupils", fmt_count),
            ("pass rate", pct_1dp),
            ("rr", fmt_2dp),
            ("rr_low", fmt_2dp),
            ("rr_high", fmt_2dp),
            ("odds", fmt_2dp),
            ("odds_low", fmt_2dp),
            ("odds_high", fmt_2dp),
        ),
    )


def factors(real: ContextTable, table_id: str) -> Table:
    """The factors identified at the end of assessment, as published, with
    the factors that concern a person split by the child, a parent or another person."""
    names: dict[str, str] = {}
    for row in real.rows:
        factor = row.labels["factor"]
        names.setdefault(factor, factor.replace("_", " ").capitalize())
    return pivot(
        id=table_id,
        header="factor",
        rows=[(label, {"factor": factor}) for factor, label in names.items()],
        keys=(("factor_code", lambda labels: labels["factor"]),),
        columns=(
            ("child", real, {"person": "child"}, "episodes", fmt_count),
            ("parent", real, {"person": "parent"}, "episodes", fmt_count),
            ("other_person", real, {"person": "other person"}, "episodes", fmt_count),
            ("not_split", real, {"person": ""}, "episodes", fmt_count),
        ),
        source=real.source,
        about=real.definition,
        title=real.title,
    )


def census_dates(series: ContextTable) -> Mapping[str, str]:
    """'2018' -> '31 March 2018' for the years of a series."""
    import datetime as dt

    return {r.labels["year"]: fmt_date(dt.date(int(r.labels["year"]), 3, 31)) for r in series.rows}


__all__ = [
    "absence",
    "attainment",
    "by_group",
    "census_dates",
    "exclusions",
    "factors",
    "group_label",
    "post16",
    "regression",
    "schools",
]
