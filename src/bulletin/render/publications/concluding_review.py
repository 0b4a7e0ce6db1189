"""Render (concluding review): the figures and tables of the review's conclusion (June 2019).

Help, protection, education: concluding the children in need review (content brief §3),
on the final linked window: the same findings as the data and analysis publication,
through the same builders, so the two print the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping

from bulletin.charts.model import Chart
from bulletin.core.provenance import Sourced
from bulletin.data.facts import Fact
from bulletin.render.publications import Content, Inputs, common
from bulletin.render.publications import figures as fig
from bulletin.tables.model import Cell, Column, Row, Table

#: The areas for action, by their facts (the facts file holds their words and sources).
AREAS = (
    ("Visibility", "area_visibility"),
    ("Keeping children in education", "area_keeping_in_education"),
    ("Aspiration", "area_aspiration"),
    ("Support in and around school", "area_support"),
)


def content(inputs: Inputs) -> Content:
    findings = inputs.findings
    tables = [
        common.schools(findings),
        common.absence(findings, "201718", "tbl-absence"),
        common.attainment(findings, "201718", "tbl-attainment"),
        common.post16(findings, "201213", "201415"),
        common.regression(findings),
        areas_for_action(inputs.facts),
    ]
    figures: list[Chart] = [
        fig.school_shares(findings),
        fig.absence(findings, "201718", "fig-absence-by-group"),
        fig.attainment(findings, "201718", "fig-attainment-by-stage"),
        fig.adjusted_likelihood(findings),
        fig.post16(findings, "201213", "201415"),
    ]
    return Content({f.id: f for f in figures}, {t.id: t for t in tables})


def areas_for_action(facts: Mapping[str, Sourced | Fact]) -> Table:
    """tbl-areas-for-action: the four areas in which the review commits to act, in the
    words of the facts file."""
    rows = []
    for title, key in AREAS:
        fact = facts[key]
        if not isinstance(fact, Fact):
            raise TypeError(f"{key}: the area for action must be a text fact")
        text = str(fact.value)
        rows.append(Row(title, (key,), (Cell(text[:1].upper() + text[1:] + "."),)))
    return Table(
        "tbl-areas-for-action",
        "area",
        (Column("fact", False),),
        (Column("commitment", False),),
        tuple(rows),
        str(facts[AREAS[0][1]].source if isinstance(facts[AREAS[0][1]], Fact) else ""),
        title="The areas in which the review commits the government to act",
    )
