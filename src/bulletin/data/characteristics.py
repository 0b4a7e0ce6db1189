"""Data (real context, the annual release): the values of *Characteristics of children in
need*, read from every release folder's files, each cell as its file prints it.

The Department publishes the release every autumn from the children in need census. The
public data folder holds tables of three of its releases (data/public/README.md):

- release 2023: B1 (children in need), C1 (referrals), C3 (factors at the end of
  assessment), D3 (plans starting) and D5 (plans at 31 March); its B1 rates for 2013 to
  2021 are those first published;
- release 2024: B1, with every year's rates re-based on revised population estimates;
- release 2025: B1, C1, C3, C4 (section 47 enquiries and initial child protection
  conferences: no earlier release of C4 is here), D3 and D5.

`RELEASE_OF` and `B1_OF` say which file each table of the annual release is read from.
Every value keeps its file, row and column (`bulletin.data.real`), and nothing is recomputed: counts
are as the Department rounded them, rates and percentages as it published them, symbols
as symbols. `release_context` holds the tables the release prints (ids ``ch-...``) for
the reporting years ``first`` to ``last`` (the latest year for the tables by area), and two
tables across releases: the B1 rates as first published and as re-based
(``ch-rates-revised``), and the latest year's national values in each release's files
(``ch-vintages``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from bulletin.core.context import Context, ContextTable
from bulletin.core.geography import RETIRED_CODES
from bulletin.core.measure import Unit
from bulletin.core.provenance import Sourced
from bulletin.data.geography import OLDER_CODES
from bulletin.data.real import (
    AREA_LABELS,
    CHARACTERISTICS,
    FileRows,
    area_rows,
    file_table,
    read_rows,
    reference,
    table_of,
)
from bulletin.data.real import B1 as B1_2023
from bulletin.data.real import C1 as C1_2023
from bulletin.data.real import C3 as C3_2023
from bulletin.data.real import D5 as D5_2023

D3_2023 = "cin_characteristics/release_2023/d3_cpps_subsequent_plan_2013_to_2023.csv"
B1_2024 = "cin_characteristics/release_2024/b1_children_in_need_2013_to_2024.csv"
B1_2025 = "cin_characteristics/release_2025/b1_children_in_need_2013_to_2025.csv"
C1_2025 = "cin_characteristics/release_2025/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
C3_2025 = (
    "cin_characteristics/release_2025/c3_factors_identified_at_end_of_assessment_2018_to_2025.csv"
)
C4_2025 = (
    "cin_characteristics/release_2025/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"
)
D3_2025 = "cin_characteristics/release_2025/d3_cpps_subsequent_plan_2013_to_2025.csv"
D5_2025 = "cin_characteristics/release_2025/d5_cpps_at31march_by_duration_2013_to_2025.csv"

#: The file each table of the annual release is read from (B1: `B1_OF`). C4 is only in
#: release 2025.
RELEASE_OF = {
    "c1": C1_2023,
    "c3": C3_2023,
    "c4": C4_2025,
    "d3": D3_2023,
    "d5": D5_2023,
}

#: The B1 file of each release that publishes rates, by release: the annual release prints
#: the one its setting `rates_release` names (2023 by default). Release 2023's B1 prints
#: the rates as first published; release 2024's re-based them. Their values keep the same
#: ids, so the numbers of a build from each differ in exactly the revised rates.
B1_OF = {2023: B1_2023, 2024: B1_2024}

#: B1's columns (release 2023 and 2024 name them alike; release 2025 has no rates).
B1_COLUMNS = {
    "during_year": "Anypoint_child",
    "during_year_rate": "Anypoint_child_rate",
    "started": "Started_episodes",
    "ended": "Ended_episodes",
    "in_need": "At31_episodes",
    "in_need_rate": "At31_episodes_rate",
    "awaiting": "Awaiting_assessment",
}
C1_COLUMNS = {
    "referrals": "Referrals",
    "referrals_rate": "Referrals_rate",
    "re_referrals": "Re_referrals",
    "re_referrals_percent": "Re_referrals_percent",
    "no_further_action": "No_Further_Action",
    "no_further_action_percent": "No_Further_Action_percent",
    "not_in_need": "Not_in_Need",
    "not_in_need_percent": "Not_in_Need_percent",
    "children": "Referrals_child",
    "children_rate": "Referrals_child_rate",
}
C4_COLUMNS = {
    "enquiries": "Section47",
    "enquiry_children": "Section47_child",
    "conferences": "ICPC",
    "conference_children": "ICPC_child",
    "days_lower_quartile": "Duration_25th_Percentile",
    "days_median": "Duration_median",
    "days_upper_quartile": "Duration_75th_Percentile",
}
#: The days from the start of a section 47 enquiry to the initial conference, as C4 bands them.
C4_DAYS = {
    "Duration_0-10_days": "0 to 10 days",
    "Duration_11-15_days": "11 to 15 days",
    "Duration_16-20_days": "16 to 20 days",
    "Duration_21+_days": "21 days or more",
}
D3_COLUMNS = {
    "starting": "CPP_start",
    "subsequent": "CPP_subsequent",
    "subsequent_percent": "CPP_subsequent_percent",
}
D5_COLUMNS = {"on_plan": "CPP_At31"}
#: How long plans open at 31 March had lasted, as D5 bands them (count and percentage).
D5_DURATIONS = {
    "3_months_or_less": "3 months or less",
    "more_than_3_months_6_months": "More than 3 months, up to 6 months",
    "more_than_6_months_less_than_1_year": "More than 6 months, less than 1 year",
    "1_year_less_than_2_years": "1 year, less than 2 years",
    "2_years_or_more": "2 years or more",
}
#: Each column of the release's tables: its unit and what it is.
MEASURES: dict[str, tuple[str, str]] = {
    "during_year": ("count", "children in need at any point in the reporting year"),
    "during_year_rate": (
        "rate",
        "children in need at any point in the reporting year per 10,000 children aged 0 to 17",
    ),
    "started": ("count", "episodes of need that started in the reporting year"),
    "ended": ("count", "episodes of need that ended in the reporting year"),
    "in_need": ("count", "children in need at 31 March"),
    "in_need_rate": ("rate", "children in need at 31 March per 10,000 children aged 0 to 17"),
    "awaiting": ("count", "children referred whose assessment was not yet complete at 31 March"),
    "referrals": ("count", "referrals to children's social care in the reporting year"),
    "referrals_rate": ("rate", "referrals in the reporting year per 10,000 children aged 0 to 17"),
    "re_referrals": (
        "count",
        "referrals within 12 months of an earlier referral of the same child",
    ),
    "re_referrals_percent": (
        "percent",
        "referrals within 12 months of an earlier referral, as a percentage of referrals",
    ),
    "no_further_action": ("count", "referrals that led to no further action"),
    "no_further_action_percent": (
        "percent",
        "referrals that led to no further action, as a percentage of referrals",
    ),
    "not_in_need": ("count", "referrals after which the child was assessed as not in need"),
    "not_in_need_percent": (
        "percent",
        "referrals after which the child was assessed as not in need, as a percentage of referrals",
    ),
    "children": ("count", "children referred in the reporting year"),
    "children_rate": ("rate", "children referred per 10,000 children aged 0 to 17"),
    "enquiries": ("count", "section 47 enquiries that started in the reporting year"),
    "enquiry_children": ("count", "children who were the subject of a section 47 enquiry"),
    "conferences": ("count", "initial child protection conferences in the reporting year"),
    "conference_children": (
        "count",
        "children who were the subject of an initial child protection conference",
    ),
    "days_lower_quartile": (
        "days",
        "the lower quartile of the days from the start of the section 47 enquiry to the "
        "initial conference",
    ),
    "days_median": (
        "days",
        "the median of the days from the start of the section 47 enquiry to the initial conference",
    ),
    "days_upper_quartile": (
        "days",
        "the upper quartile of the days from the start of the section 47 enquiry to the "
        "initial conference",
    ),
    "starting": ("count", "child protection plans that started in the reporting year"),
    "subsequent": ("count", "plans starting that were a second or subsequent plan for the child"),
    "subsequent_percent": (
        "percent",
        "second or subsequent plans as a percentage of plans starting",
    ),
    "on_plan": ("count", "children who were the subject of a child protection plan at 31 March"),
    "plans": ("count", "child protection plans open at 31 March"),
    "plans_percent": ("percent", "plans as a percentage of the plans open at 31 March"),
}

#: The national values of the latest year compared across releases (`ch-vintages`): the
#: measure, its unit and its column in each release's file that has it.
VINTAGES: tuple[tuple[str, str, Mapping[str, str]], ...] = (
    (
        "children in need at 31 March",
        "count",
        {B1_2023: "At31_episodes", B1_2024: "At31_episodes", B1_2025: "At31_episodes"},
    ),
    (
        "children in need at 31 March per 10,000 children",
        "rate",
        {B1_2023: "At31_episodes_rate", B1_2024: "At31_episodes_rate"},
    ),
    (
        "children in need during the year",
        "count",
        {B1_2023: "Anypoint_child", B1_2024: "Anypoint_child", B1_2025: "Anypoint_child"},
    ),
    (
        "children in need during the year per 10,000 children",
        "rate",
        {B1_2023: "Anypoint_child_rate", B1_2024: "Anypoint_child_rate"},
    ),
    (
        "awaiting assessment at 31 March",
        "count",
        {
            B1_2023: "Awaiting_assessment",
            B1_2024: "Awaiting_assessment",
            B1_2025: "awaiting_assessment",
        },
    ),
    ("referrals", "count", {C1_2023: "Referrals", C1_2025: "referral_count"}),
    (
        "re-referrals within 12 months, percentage of referrals",
        "percent",
        {C1_2023: "Re_referrals_percent", C1_2025: "rereferral_percent"},
    ),
    (
        "episodes with a factor identified at the end of assessment",
        "count",
        {
            C3_2023: "Episodes_with_assessment_factor",
            C3_2025: "Episodes_with_assessment_factor",
        },
    ),
    ("section 47 enquiries", "count", {C4_2025: "Section47"}),
    ("child protection plans starting", "count", {D3_2023: "CPP_start", D3_2025: "CPP_start"}),
    ("child protection plans at 31 March", "count", {D5_2023: "CPP_At31", D5_2025: "CPP_At31"}),
)

#: Each file read: its filter column and the indicators read (the public-data check
#: requires them).
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    B1_2023: (("category",), tuple(B1_COLUMNS.values())),
    B1_2024: (("category",), tuple(B1_COLUMNS.values())),
    C1_2023: (("Category",), tuple(C1_COLUMNS.values())),
    C3_2023: (("category",), ("Episodes_with_assessment_factor",)),
    C4_2025: (("category",), (*C4_COLUMNS.values(), *C4_DAYS)),
    D3_2023: (("category",), tuple(D3_COLUMNS.values())),
    D5_2023: (
        ("category",),
        ("CPP_At31", *(c for d in D5_DURATIONS for c in (d, f"{d}_percent"))),
    ),
}
for _, _, _columns in VINTAGES:
    for _path, _column in _columns.items():
        _filters, _indicators = FILES.get(_path, (("category",), ()))
        FILES[_path] = (_filters, tuple(dict.fromkeys((*_indicators, _column))))

#: For a code a file gives an area in the latest year, the code the release-2023 files
#: give it: ONS codes retired in 2013 (which release 2025's C4 still uses for Gateshead and
#: Northumberland) and Buckinghamshire's older county code (release 2025's files).
SAME_AREA = {**RETIRED_CODES, **{older: code for code, older in OLDER_CODES.items()}}


def release_context(public_data: Path, first: int, last: int, rates_release: int = 2023) -> Context:
    """The annual release's tables for the reporting years `first` to `last`, children in
    need (B1) from the file of `rates_release`."""
    if rates_release not in B1_OF:
        raise ValueError(
            f"rates_release {rates_release}: the releases whose B1 file is here are "
            f"{', '.join(map(str, B1_OF))}"
        )
    files = {p: read_rows(public_data, p) for p in FILES}
    b1 = files[B1_OF[rates_release]]
    c1, c4, d3, d5 = (files[RELEASE_OF[k]] for k in ("c1", "c4", "d3", "d5"))
    years = range(first, last + 1)
    tables = [
        _by_year("ch-cin-by-year", "Children in need, England", b1, years, B1_COLUMNS),
        _by_area("ch-cin-by-area", "Children in need", b1, last, B1_COLUMNS, _B1_AREA),
        _by_year("ch-referrals-by-year", "Referrals, England", c1, years, C1_COLUMNS),
        _by_area("ch-referrals-by-area", "Referrals", c1, last, C1_COLUMNS, _C1_AREA),
        _by_year(
            "ch-enquiries-by-year",
            "Section 47 enquiries and conferences, England",
            c4,
            years,
            C4_COLUMNS,
        ),
        _by_area(
            "ch-enquiries-by-area",
            "Section 47 enquiries and conferences",
            c4,
            last,
            C4_COLUMNS,
            _C4_AREA,
        ),
        _bands(
            "ch-enquiries-days",
            "Initial child protection conferences by the days from the start of the "
            "section 47 enquiry",
            c4,
            last,
            {label: {"conferences": column} for column, label in C4_DAYS.items()},
        ),
        _by_year(
            "ch-plans-starting-by-year",
            "Child protection plans starting, England",
            d3,
            years,
            D3_COLUMNS,
        ),
        _by_area(
            "ch-plans-starting-by-area",
            "Child protection plans starting",
            d3,
            last,
            D3_COLUMNS,
            tuple(D3_COLUMNS),
        ),
        _by_year(
            "ch-plans-by-year", "Children on a plan at 31 March, England", d5, years, D5_COLUMNS
        ),
        _by_area(
            "ch-plans-by-area",
            "Children on a plan at 31 March",
            d5,
            last,
            D5_COLUMNS,
            tuple(D5_COLUMNS),
        ),
        _bands(
            "ch-plans-duration",
            "Child protection plans at 31 March by how long they had lasted",
            d5,
            last,
            {
                label: {"plans": column, "plans_percent": f"{column}_percent"}
                for column, label in D5_DURATIONS.items()
            },
        ),
        _revised(files[B1_2023], files[B1_2024], years),
        _vintages(files, last),
    ]
    return Context({}, {}, {t.id: t for t in tables})


_B1_AREA = ("in_need", "in_need_rate", "during_year", "during_year_rate")
_C1_AREA = ("referrals", "referrals_rate", "re_referrals_percent")
_C4_AREA = ("enquiries", "conferences", "days_median")


def reporting_year(year: int) -> str:
    """2018 -> '2017-18'."""
    return f"{year - 1}-{year % 100:02d}"


def _references(paths: Sequence[str]) -> str:
    """Files of several releases cited at once: '...: 2023 and 2025 releases, tables B1 and C1'."""
    releases = sorted({p.split("/")[-2].removeprefix("release_") for p in paths})
    tables = sorted({p.split("/")[-1].split("_", 1)[0].upper() for p in paths})

    def listed(items: list[str]) -> str:
        return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"

    return f"{CHARACTERISTICS}: {listed(releases)} releases, tables {listed(tables)}"


def _what(columns: Sequence[str]) -> str:
    return "; ".join(MEASURES[c][1] for c in columns)


def _units(columns: Sequence[str]) -> dict[str, str]:
    return {c: MEASURES[c][0] for c in columns}


def _each(columns: Sequence[str]) -> dict[str, str]:
    return {c: MEASURES[c][1] for c in columns}


def _by_year(
    table_id: str, title: str, file: FileRows, years: range, columns: Mapping[str, str]
) -> ContextTable:
    """The national row of each year, with `columns` (table column: file column)."""
    rows = [((str(y),), *file.national(y), columns) for y in years]
    return file_table(
        table_id,
        f"{title}, {reporting_year(years[0])} to {reporting_year(years[-1])}",
        _what(list(columns)),
        file,
        ("year",),
        _units(list(columns)),
        rows,
        _each(list(columns)),
    )


def _by_area(
    table_id: str,
    title: str,
    file: FileRows,
    year: int,
    columns: Mapping[str, str],
    chosen: Sequence[str],
) -> ContextTable:
    """England, the regions and the local authorities in `year`, with the `chosen`
    columns; codes as the release-2023 files give them (`SAME_AREA`)."""
    picked = {c: columns[c] for c in chosen}
    return file_table(
        table_id,
        f"{title} by region and local authority, {reporting_year(year)}",
        _what(chosen),
        file,
        AREA_LABELS,
        _units(chosen),
        area_rows(file, year, picked, SAME_AREA),
        _each(chosen),
    )


def _bands(
    table_id: str,
    title: str,
    file: FileRows,
    year: int,
    bands: Mapping[str, Mapping[str, str]],
) -> ContextTable:
    """One national row of `year` spread into a row per band: {band label: {table column:
    file column}}."""
    number, row = file.national(year)
    columns = next(iter(bands.values()))
    return file_table(
        table_id,
        f"{title}, England, {reporting_year(year)}",
        _what(list(columns)),
        file,
        ("band",),
        _units(list(columns)),
        [((label,), number, row, picked) for label, picked in bands.items()],
        _each(list(columns)),
    )


#: The rates of table B1 that the 2024 release re-based: (measure, column).
REVISED = (
    ("children in need at 31 March", "At31_episodes_rate"),
    ("children in need during the year", "Anypoint_child_rate"),
)


def _revised(first: FileRows, rebased: FileRows, years: range) -> ContextTable:
    """Each year's B1 rates as first published (release 2023) and as the 2024 release
    re-based them, each from its own file."""
    rows = []
    for year in years:
        (n1, r1), (n2, r2) = first.national(year), rebased.national(year)
        for measure, column in REVISED:
            what = f"{measure} per 10,000 children aged 0 to 17"
            values = {
                "first_published": first.value("v", n1, r1, column, Unit("rate"), what),
                "rebased": rebased.value("v", n2, r2, column, Unit("rate"), what),
            }
            rows.append(((str(year), measure), values))
    return table_of(
        "ch-rates-revised",
        "Rates per 10,000 children as first published and as re-based, "
        f"{reporting_year(years[0])} to {reporting_year(years[-1])}",
        "rates per 10,000 children aged 0 to 17 as first published (2023 release) and as "
        "re-based on revised population estimates (2024 release)",
        f"{reference(first.path)}; {reference(rebased.path)}",
        ("year", "measure"),
        {"first_published": "rate", "rebased": "rate"},
        rows,
    )


def _vintages(files: Mapping[str, FileRows], year: int) -> ContextTable:
    """The national values of `year` in each release's files (`VINTAGES`): one row per
    measure and release, each value from its own file."""
    rows: list[tuple[Sequence[str], Mapping[str, Sourced]]] = []
    for measure, unit, columns in VINTAGES:
        for path, column in columns.items():
            file = files[path]
            number, row = file.national(year)
            value = file.value("v", number, row, column, Unit(unit), measure)
            rows.append(((measure, path.split("/")[-2].removeprefix("release_")), {"value": value}))
    return table_of(
        "ch-vintages",
        f"National figures for {reporting_year(year)} in each release's files",
        "the national figures of the year as each release's open data files give them",
        _references([p for _, _, c in VINTAGES for p in c]),
        ("measure", "release"),
        {"value": "number"},  # each row's value carries its own unit
        rows,
    )
