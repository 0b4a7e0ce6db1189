"""Render (characteristics 2018): the figures and tables of the annual statistical release.

*Characteristics of children in need: 2017 to 2018*, the Department for Education's
release for the year ending 31 March 2018, rebuilt from the real open data files of three
later releases (`bulletin.data.characteristics`, in public.json). It reads nothing of the
linked data: every number is a cell of a real file, or a difference of two such cells
(`derived`: how much a rate moved when the 2024 release re-based it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bulletin.charts.model import BarChart, Chart, GroupedBarChart, LineChart, Series
from bulletin.core.context import Context, ContextTable
from bulletin.core.context import Row as ContextRow
from bulletin.core.formatting import (
    fmt_count,
    fmt_rate_1dp,
    fmt_reporting_year,
    percent_1dp,
    signed_1dp,
)
from bulletin.core.measure import Measure, Unit
from bulletin.core.provenance import Sourced
from bulletin.core.settings import Publication
from bulletin.render.publications import Content, Inputs, common
from bulletin.tables.build import Format, from_context, pivot
from bulletin.tables.children_in_need import by_area
from bulletin.tables.model import Cell, Column, Row, Table

#: The factors the census records for the child, a parent and another person, in the order
#: the chart shows them (C3's column names, without the person).
BY_PERSON = (
    "Domestic_Abuse",
    "Mental_Health",
    "Alcohol_Misuse",
    "Drug_Misuse",
    "Learning_Disability",
    "Physical_Disability",
)
PERSONS = (("child", "Child"), ("parent", "Parent"), ("other person", "Other person"))
#: The measures of the table of figures in each release's files, as readers see them.
RELEASES = ("2023", "2024", "2025")


def content(inputs: Inputs) -> Content:
    real = inputs.real
    check_years(inputs.publication, real.tables["ch-cin-by-year"])
    revisions = changes(real.tables["ch-rates-revised"])
    figures: list[Chart] = [
        trend(
            real,
            "ch-cin-by-year",
            "fig-ch-cin-by-year",
            "the number of children in need in England during each year and at 31 March",
            (
                ("during_year", "during_the_year", "During the year"),
                ("in_need", "at_31_march", "At 31 March"),
            ),
            "Children in need",
        ),
        trend(
            real,
            "ch-referrals-by-year",
            "fig-ch-referrals-by-year",
            "the number of referrals to children's social care in England, and of children "
            "referred, each year",
            (
                ("referrals", "referrals", "Referrals"),
                ("children", "children_referred", "Children referred"),
            ),
            "Referrals and children",
        ),
        factors_by_person(real.tables["real-factors"]),
        trend(
            real,
            "ch-enquiries-by-year",
            "fig-ch-enquiries-by-year",
            "the number of section 47 enquiries and of initial child protection conferences "
            "in England, each year",
            (
                ("enquiries", "section_47_enquiries", "Section 47 enquiries"),
                ("conferences", "initial_conferences", "Initial conferences"),
            ),
            "Enquiries and conferences",
        ),
        plans_duration(real),
        rate_by_region(real.tables["ch-cin-by-area"]),
        rates_revised(real.tables["ch-rates-revised"], revisions),
    ]
    tables = [
        by_year(real, "ch-cin-by-year", "tbl-ch-cin-by-year", CIN_COLUMNS),
        by_year(real, "ch-referrals-by-year", "tbl-ch-referrals-by-year", REFERRAL_COLUMNS),
        common.factors(real.tables["real-factors"], "tbl-ch-factors"),
        by_year(real, "ch-enquiries-by-year", "tbl-ch-enquiries-by-year", S47_COLUMNS),
        bands(
            real.tables["ch-enquiries-days"], "tbl-ch-enquiries-days", (("conferences", fmt_count),)
        ),
        plans_by_year(real),
        bands(
            real.tables["ch-plans-duration"],
            "tbl-ch-plans-duration",
            (("plans", fmt_count), ("plans_percent", percent_1dp)),
        ),
        by_area(real.tables["ch-cin-by-area"], "tbl-ch-cin-by-area", CIN_AREA_COLUMNS),
        by_area(
            real.tables["ch-referrals-by-area"], "tbl-ch-referrals-by-area", REFERRAL_AREA_COLUMNS
        ),
        plans_by_area(real),
        by_area(real.tables["ch-enquiries-by-area"], "tbl-ch-enquiries-by-area", S47_AREA_COLUMNS),
        revisions_table(real.tables["ch-rates-revised"], revisions),
        vintages(real.tables["ch-vintages"]),
    ]
    tables.append(sources(tables))
    return Content(
        {f.id: f for f in figures},
        {t.id: t for t in tables},
        {v.id: v for v in revisions.values()},
        linked_data=False,
    )


def check_years(publication: Publication, series: ContextTable) -> None:
    """The release's years must be those the public-data stage read (the window's)."""
    read = (int(series.rows[0].labels["year"]), int(series.rows[-1].labels["year"]))
    if publication.years() != read:
        raise ValueError(
            f"{publication.id}: its years {publication.years()} are not those of the real "
            f"tables, {read} (the public-data stage reads the data and analysis window)"
        )


# -- tables ------------------------------------------------------------------------------

CIN_COLUMNS: tuple[tuple[str, Format], ...] = (
    ("during_year", fmt_count),
    ("during_year_rate", fmt_rate_1dp),
    ("started", fmt_count),
    ("ended", fmt_count),
    ("in_need", fmt_count),
    ("in_need_rate", fmt_rate_1dp),
    ("awaiting", fmt_count),
)
REFERRAL_COLUMNS: tuple[tuple[str, Format], ...] = (
    ("referrals", fmt_count),
    ("referrals_rate", fmt_rate_1dp),
    ("re_referrals", fmt_count),
    ("re_referrals_percent", percent_1dp),
    ("no_further_action_percent", percent_1dp),
    ("not_in_need_percent", percent_1dp),
    ("children", fmt_count),
)
S47_COLUMNS: tuple[tuple[str, Format], ...] = (
    ("enquiries", fmt_count),
    ("enquiry_children", fmt_count),
    ("conferences", fmt_count),
    ("conference_children", fmt_count),
    ("days_lower_quartile", fmt_count),
    ("days_median", fmt_count),
    ("days_upper_quartile", fmt_count),
)
CIN_AREA_COLUMNS: tuple[tuple[str, Format], ...] = (
    ("in_need", fmt_count),
    ("in_need_rate", fmt_rate_1dp),
    ("during_year", fmt_count),
    ("during_year_rate", fmt_rate_1dp),
)
REFERRAL_AREA_COLUMNS: tuple[tuple[str, Format], ...] = (
    ("referrals", fmt_count),
    ("referrals_rate", fmt_rate_1dp),
    ("re_referrals_percent", percent_1dp),
)
S47_AREA_COLUMNS: tuple[tuple[str, Format], ...] = (
    ("enquiries", fmt_count),
    ("conferences", fmt_count),
    ("days_median", fmt_count),
)


def _year_header(row: ContextRow) -> str:
    return fmt_reporting_year(row.labels["year"])


def by_year(
    real: Context, context_id: str, table_id: str, columns: Sequence[tuple[str, Format]]
) -> Table:
    """A national table with a row per reporting year, as its file publishes it."""
    return from_context(
        real.tables[context_id],
        id=table_id,
        header="reporting_year",
        row_header=_year_header,
        keys=("year",),
        columns=columns,
    )


def bands(table: ContextTable, table_id: str, columns: Sequence[tuple[str, Format]]) -> Table:
    """A national table of the latest year with a row per band (days, duration)."""
    return from_context(
        table,
        id=table_id,
        header="band",
        row_header=lambda row: row.labels["band"],
        columns=columns,
    )


def plans_by_year(real: Context) -> Table:
    """tbl-ch-plans-by-year: plans starting and second or subsequent plans (D3), and plans
    at 31 March (D5), each year."""
    starting, at31 = real.tables["ch-plans-starting-by-year"], real.tables["ch-plans-by-year"]
    return pivot(
        id="tbl-ch-plans-by-year",
        header="reporting_year",
        rows=[
            (fmt_reporting_year(r.labels["year"]), {"year": r.labels["year"]}) for r in at31.rows
        ],
        keys=(("year", lambda labels: labels["year"]),),
        columns=(
            ("starting", starting, {}, "starting", fmt_count),
            ("subsequent", starting, {}, "subsequent", fmt_count),
            ("subsequent_percent", starting, {}, "subsequent_percent", percent_1dp),
            ("on_plan", at31, {}, "on_plan", fmt_count),
        ),
        source=f"{starting.source}; {at31.source}",
        about=f"{starting.definition}; {at31.definition}",
        title=at31.title.replace("Children on a plan at 31 March", "Child protection plans"),
    )


def plans_by_area(real: Context) -> Table:
    """tbl-ch-plans-by-area: plans starting (D3) and at 31 March (D5), by area, in the
    order of the table of children in need by area."""
    starting, at31 = real.tables["ch-plans-starting-by-area"], real.tables["ch-plans-by-area"]
    ordered = by_area(at31, "tbl-ch-plans-by-area", (("on_plan", fmt_count),))
    rows = [(r.header, {"level": r.keys[0], "area_code": r.keys[1]}) for r in ordered.rows]
    table = pivot(
        id="tbl-ch-plans-by-area",
        header="area_name",
        rows=rows,
        keys=(
            ("level", lambda labels: labels["level"]),
            ("area_code", lambda labels: labels["area_code"]),
        ),
        columns=(
            ("starting", starting, {}, "starting", fmt_count),
            ("subsequent_percent", starting, {}, "subsequent_percent", percent_1dp),
            ("on_plan", at31, {}, "on_plan", fmt_count),
        ),
        source=f"{starting.source}; {at31.source}",
        about=f"{starting.definition}; {at31.definition}",
        title=at31.title.replace("Children on a plan at 31 March", "Child protection plans"),
    )
    levelled = tuple(
        replace(row, level=shown.level) for row, shown in zip(table.rows, ordered.rows, strict=True)
    )
    return replace(table, rows=levelled)


def changes(revised: ContextTable) -> dict[str, Sourced]:
    """How much each rate moved when the 2024 release re-based it: the re-based rate less
    the rate first published, both as their files print them, by row key."""
    found = {}
    for row in revised.rows:
        first, rebased = row.values["first_published"], row.values["rebased"]
        if first.measure.value is None or rebased.measure.value is None:
            continue  # a symbol in either file: no change can be stated
        what = f"the change in the {first.measure.definition} when the 2024 release re-based it"
        origin = (
            f"{rebased.source.reference} less {first.source.reference} (row {first.source.row})"
        )
        found[row.key] = Sourced(
            f"{revised.id}/{row.key}/change",
            Measure(rebased.measure.value - first.measure.value, Unit.RATE, definition=what),
            replace(rebased.source, reference=origin),
        )
    return found


def revisions_table(revised: ContextTable, moved: dict[str, Sourced]) -> Table:
    """tbl-ch-revisions: what has changed since the release was first published: each
    rate as first published and as re-based, the change, and whether it was revised."""
    rows = []
    for row in revised.rows:
        change = moved.get(row.key)
        cells = (
            Cell.of(row.values["first_published"], fmt_rate_1dp),
            Cell.of(row.values["rebased"], fmt_rate_1dp),
            Cell.of(change, signed_1dp) if change else Cell("x", "x"),
            Cell("" if change is None else ("Yes" if change.measure.value else "No")),
        )
        header = f"{fmt_reporting_year(row.labels['year'])}: {row.labels['measure']}"
        rows.append(Row(header, (row.labels["year"], row.labels["measure"]), cells))
    return Table(
        "tbl-ch-revisions",
        "rate",
        (Column("year", False), Column("measure", False)),
        (
            Column("first_published"),
            Column("rebased"),
            Column("change"),
            Column("revised", False),
        ),
        tuple(rows),
        revised.source,
        f"{revised.definition}; the change is the re-based rate less the rate first published",
        revised.title,
    )


FORMATS: dict[Unit, Format] = {
    Unit.COUNT: fmt_count,
    Unit.RATE: fmt_rate_1dp,
    Unit.PERCENT: percent_1dp,
}


def vintages(table: ContextTable) -> Table:
    """tbl-ch-vintages: the latest year's national figures in each release's files, a
    column per release; x where a release's folder holds no such figure."""
    measures = list(dict.fromkeys(r.labels["measure"] for r in table.rows))
    rows = []
    for measure in measures:
        cells = []
        for release in RELEASES:
            found = [
                r
                for r in table.rows
                if r.labels["measure"] == measure and r.labels["release"] == release
            ]
            value = found[0].values["value"] if found else None
            cells.append(Cell.of(value, FORMATS[value.measure.unit]) if value else Cell("x", "x"))
        rows.append(Row(measure[:1].upper() + measure[1:], (measure,), tuple(cells)))
    return Table(
        "tbl-ch-vintages",
        "measure",
        (Column("measure_code", False),),
        tuple(Column(f"release_{r}") for r in RELEASES),
        tuple(rows),
        table.source,
        table.definition,
        table.title,
    )


def sources(tables: Sequence[Table]) -> Table:
    """tbl-ch-sources: which release's file each table of the release comes from."""
    rows = tuple(
        Row(t.title, (t.id,), (Cell(t.source),))
        for t in tables
        if t.id not in ("tbl-ch-vintages", "tbl-ch-revisions")
    )
    return Table(
        "tbl-ch-sources",
        "table",
        (Column("table_id", False),),
        (Column("source", False),),
        rows,
        "Department for Education, Characteristics of children in need",
        title="The release and the file each table comes from",
    )


# -- figures -----------------------------------------------------------------------------


def _years(table: ContextTable) -> tuple[str, ...]:
    return tuple(r.labels["year"] for r in table.rows)


def _series(table: ContextTable, column: str, key: str, label: str) -> Series:
    return Series(key, label, tuple(v.measure for v in table.column(column)))


def trend(
    real: Context,
    table_id: str,
    figure_id: str,
    subject: str,
    lines: Sequence[tuple[str, str, str]],
    value_label: str,
) -> LineChart:
    """A national trend, a line per (column, key, label) of a by-year table."""
    table = real.tables[table_id]
    return LineChart(
        id=figure_id,
        subject=subject,
        category_key="time_period",
        categories=_years(table),
        series=tuple(_series(table, column, key, label) for column, key, label in lines),
        value_label=value_label,
        fmt=fmt_count,
    )


def factors_by_person(real: ContextTable) -> GroupedBarChart:
    """fig-ch-factors-by-person: the factors recorded for the child, a parent or another
    person, in episodes with the factor at the end of assessment (C3)."""
    return GroupedBarChart(
        id="fig-ch-factors-by-person",
        subject="the factors identified at the end of assessment that concern the child, a parent or another person",
        category_key="factor",
        categories=tuple(f.replace("_", " ").capitalize() for f in BY_PERSON),
        series=tuple(
            Series(
                person.replace(" ", "_"),
                label,
                tuple(
                    real.row(factor=f, person=person).values["episodes"].measure for f in BY_PERSON
                ),
            )
            for person, label in PERSONS
        ),
        value_label="Episodes of need",
        fmt=fmt_count,
        horizontal=True,
    )


def plans_duration(real: Context) -> BarChart:
    """fig-ch-plans-duration: plans at 31 March by how long they had lasted (D5)."""
    table = real.tables["ch-plans-duration"]
    return BarChart(
        id="fig-ch-plans-duration",
        subject="child protection plans open at 31 March by how long they had lasted",
        category_key="duration",
        categories=tuple(r.labels["band"] for r in table.rows),
        value_key="percent_of_plans",
        values=tuple(v.measure for v in table.column("plans_percent")),
        value_label="Percentage of plans",
        fmt=percent_1dp,
        horizontal=True,
    )


def rate_by_region(areas: ContextTable) -> BarChart:
    """fig-ch-rate-by-region: children in need at 31 March per 10,000 children, by region."""
    regions = [r for r in areas.rows if r.labels["level"] == "regional"]
    return BarChart(
        id="fig-ch-rate-by-region",
        subject="children in need at 31 March per 10,000 children aged 0 to 17, by region",
        category_key="region",
        categories=tuple(r.labels["area_name"] for r in regions),
        value_key="rate_per_10000",
        values=tuple(r.values["in_need_rate"].measure for r in regions),
        value_label="Rate per 10,000 children",
        fmt=fmt_rate_1dp,
        horizontal=True,
    )


def rates_revised(revised: ContextTable, moved: dict[str, Sourced]) -> BarChart:
    """fig-ch-rates-revised: how much re-basing moved the rate of children in need at 31
    March, each year (the re-based rate less the rate first published)."""
    measure = revised.rows[0].labels["measure"]
    rows = [r for r in revised.rows if r.labels["measure"] == measure and r.key in moved]
    return BarChart(
        id="fig-ch-rates-revised",
        subject=f"the change in the rate of {measure} per 10,000 children when the rates were re-based, each year",
        category_key="time_period",
        categories=tuple(r.labels["year"] for r in rows),
        value_key="change_per_10000",
        values=tuple(moved[r.key].measure for r in rows),
        value_label="Change in the rate per 10,000 children",
        fmt=signed_1dp,
    )
