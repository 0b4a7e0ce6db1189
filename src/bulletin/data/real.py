"""Data (real context): the published values the publications print from the real files.

Every value keeps where it was published: the file (relative to the public data folder),
the row as a spreadsheet numbers it (the header is row 1) and the column. Values are the
files' own cells, never recomputed: a rate is the file's rate (DESIGN.md decision 7), a
count is as the Department rounded it, and a symbol stays a symbol. The files are checked
before any stage runs (`bulletin.data.public_files`); what is read here is known good.

The context (`real_context`) is written by the public-data stage as public.json and read
back by the publications with `bulletin.core.context.table_from_dict`. Its ids:

- ``R1``, ``R2``, ``R3_n``, ``R3_rate``, ``R4``, ``R6``: the real rows of the calibration
  contract (children in need and the rate at 31 March of the last year; referrals and the
  referral rate in the last year; children on a plan at 31 March of the last year; the
  any-point rate of the year before); ``C1``, the same any-point rate as a share of
  children (the rate per 10,000 divided by 10,000: the same cell, printed in words);
- tables ``real-cin-by-year`` (England, each year of the window: at 31 March and at any
  point, with the published rates), ``real-cin-by-area`` (England, the regions, Inner and
  Outer London and every local authority in the last year) and ``real-factors`` (the
  factors identified at the end of assessment, England, the last year).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from bulletin.core.context import Context, ContextTable, Row, row_keys
from bulletin.core.measure import Measure, Unit
from bulletin.core.problems import InputError, Problem
from bulletin.core.provenance import Kind, Source, Sourced
from bulletin.core.symbols import Symbol, parse_cell
from bulletin.data.ees import geography_code, parse_csv

RELEASE_2023 = "cin_characteristics/release_2023"
B1 = f"{RELEASE_2023}/b1_children_in_need_2013_to_2023.csv"
C1 = f"{RELEASE_2023}/c1_children_in_need_referrals_and_rereferrals_2013_to_2023.csv"
C3 = f"{RELEASE_2023}/c3_factors_identified_at_end_of_assessment_2018_to_2023.csv"
D5 = f"{RELEASE_2023}/d5_cpps_at31march_by_duration_2013_to_2023.csv"
CHARACTERISTICS = "Department for Education, Characteristics of children in need"
#: Each file read: its filter columns and the indicators read (the public-data check
#: requires them).
FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    B1: (
        ("category",),
        ("At31_episodes", "At31_episodes_rate", "Anypoint_child", "Anypoint_child_rate"),
    ),
    C1: (("Category",), ("Referrals", "Referrals_rate")),
    D5: (("category",), ("CPP_At31",)),
    C3: (("category",), ("Episodes_with_assessment_factor",)),
}
#: Inner and Outer London: a second split of London, published as regional rows.
SUBREGIONS = {"E13000001": "E12000007", "E13000002": "E12000007"}

AT31 = "children in need at 31 March"
AT31_RATE = "children in need at 31 March per 10,000 children aged 0 to 17"
ANY = "children in need at any point in the reporting year"
ANY_RATE = "children in need at any point in the reporting year per 10,000 children aged 0 to 17"


def reference(path: str) -> str:
    """How readers see a release's file cited: `cin_characteristics/release_2023/b1_...csv`
    -> 'Department for Education, Characteristics of children in need: 2023 release, table
    B1'."""
    folder, name = path.split("/")[-2:]
    table = name.split("_", 1)[0].upper()
    return f"{CHARACTERISTICS}: {folder.removeprefix('release_')} release, table {table}"


@dataclass(frozen=True)
class FileRows:
    """A checked public file's rows, each with its spreadsheet row number."""

    path: str
    rows: tuple[tuple[int, Mapping[str, str]], ...]

    @property
    def reference(self) -> str:
        return reference(self.path)

    def national(self, year: int) -> tuple[int, Mapping[str, str]]:
        found = [
            (n, r)
            for n, r in self.rows
            if r["geographic_level"] == "National" and r["time_period"] == str(year)
        ]
        if len(found) != 1:
            message = f"expected one national row for {year}, found {len(found)}"
            raise InputError([Problem(self.path, None, "time_period", message)])
        return found[0]

    def value(
        self, key: str, number: int, row: Mapping[str, str], column: str, unit: Unit, what: str
    ) -> Sourced:
        """The cell as a sourced measure: a number, or the file's symbol."""
        try:
            cell = parse_cell(row[column])
        except ValueError as exc:
            raise InputError([Problem(self.path, number, column, str(exc))]) from None
        source = Source(
            Kind.FILE, file=self.path, row=number, column=column, reference=self.reference
        )
        return Sourced(key, _measure(cell, unit, what, self.reference), source)


def _measure(cell: Decimal | Symbol, unit: Unit, what: str, release: str) -> Measure:
    if isinstance(cell, Symbol):
        return Measure.hidden(cell, unit, definition=what, source=release)
    if unit is Unit.COUNT and cell != cell.to_integral_value():
        raise ValueError(f"{what}: a count must be whole, got {cell}")
    return Measure(cell, unit, definition=what, source=release)


def read_rows(public_data: Path, path: str) -> FileRows:
    try:
        data = (public_data / path).read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(path, None, None, "file not found")]) from None
    parsed = parse_csv(data, path)
    if parsed.problems:
        raise InputError(parsed.problems)
    return FileRows(path, parsed.rows)


def real_context(public_data: Path, first_year: int, last_year: int) -> Context:
    """The real values of the publications, from the release-2023 files."""
    b1, c1, c3, d5 = (read_rows(public_data, p) for p in (B1, C1, C3, D5))
    measures: dict[str, Sourced] = {}

    def put(key: str, file: FileRows, year: int, column: str, unit: Unit, what: str) -> None:
        number, row = file.national(year)
        measures[key] = file.value(key, number, row, column, unit, what)

    put("R1", b1, last_year, "At31_episodes", Unit.COUNT, AT31)
    put("R2", b1, last_year, "At31_episodes_rate", Unit.RATE, AT31_RATE)
    put("R6", b1, last_year - 1, "Anypoint_child_rate", Unit.RATE, ANY_RATE)
    rate = measures["R6"]
    if rate.measure.value is not None:  # the same cell, as a share of children (C1)
        share = rate.measure.value / 10000
        what = "children in need at any point in the reporting year, as a share of children aged 0 to 17"
        measures["C1"] = Sourced(
            "C1",
            Measure(share, Unit.SHARE, definition=what, source=rate.measure.source),
            rate.source,
        )
    put("R3_n", c1, last_year, "Referrals", Unit.COUNT, "referrals in the reporting year")
    put(
        "R3_rate",
        c1,
        last_year,
        "Referrals_rate",
        Unit.RATE,
        "referrals in the reporting year per 10,000 children aged 0 to 17",
    )
    put(
        "R4",
        d5,
        last_year,
        "CPP_At31",
        Unit.COUNT,
        "children on a child protection plan at 31 March",
    )
    put(
        "factors_episodes",
        c3,
        last_year,
        "Episodes_with_assessment_factor",
        Unit.COUNT,
        "episodes of need with at least one factor identified at the end of assessment",
    )
    _headline_numbers(b1, (first_year, last_year))
    tables = {
        t.id: t
        for t in (
            _by_year(b1, first_year, last_year),
            _by_area(b1, last_year),
            _factors(c3, last_year),
        )
    }
    return Context(measures, {}, tables)


def _headline_numbers(b1: FileRows, years: Sequence[int]) -> None:
    """Stop on a GSS symbol where the headline needs a number: the national count and rate
    at 31 March of the window's first and last years (the file may say 'low'; the headline
    cannot print "low children were in need")."""
    problems = []
    for year in years:
        number, row = b1.national(year)
        for column, finding in (
            ("At31_episodes", f"{AT31} {year}"),
            ("At31_episodes_rate", f"the rate of {AT31} {year}"),
        ):
            cell = parse_cell(row[column])
            if isinstance(cell, Symbol):
                message = (
                    f"{cell.value!r} ({cell.meaning}) where the headline needs a number: {finding}"
                )
                problems.append(Problem(b1.path, number, column, message))
    if problems:
        raise InputError(problems)


#: A row of a table read from a file: (label values, row number, row, {column: file column}).
FileRow = tuple[Sequence[str], int, Mapping[str, str], Mapping[str, str]]


def table_of(
    table_id: str,
    title: str,
    definition: str,
    source: str,
    labels: Sequence[str],
    units: Mapping[str, str],
    rows: Sequence[tuple[Sequence[str], Mapping[str, Sourced]]],
) -> ContextTable:
    """A context table of sourced values: (label values, {column: value}) per row, each
    value given its id in the table (``<table>/<row key>/<column>``), its file kept."""
    keys = row_keys([list(label_values) for label_values, _ in rows])
    built = [
        Row(
            key,
            dict(zip(labels, label_values, strict=True)),
            {c: replace(v, id=f"{table_id}/{key}/{c}") for c, v in values.items()},
        )
        for key, (label_values, values) in zip(keys, rows, strict=True)
    ]
    return ContextTable(
        table_id, title, definition, source, tuple(labels), tuple(units), units, tuple(built)
    )


def file_table(
    table_id: str,
    title: str,
    definition: str,
    file: FileRows,
    labels: Sequence[str],
    units: Mapping[str, str],
    rows: Sequence[FileRow],
    each: Mapping[str, str] | None = None,
) -> ContextTable:
    """A context table of one file's cells, each as the file prints it; `each` gives a
    column's own definition (by default, the table's)."""
    values = [
        (
            label_values,
            {
                column: file.value(
                    column,
                    number,
                    row,
                    source_column,
                    Unit(units[column]),
                    (each or {}).get(column, definition),
                )
                for column, source_column in columns.items()
            },
        )
        for label_values, number, row, columns in rows
    ]
    return table_of(table_id, title, definition, file.reference, labels, units, values)


def _by_year(b1: FileRows, first: int, last: int) -> ContextTable:
    columns = {
        "at_31_march": "At31_episodes",
        "at_31_march_rate": "At31_episodes_rate",
        "any_point": "Anypoint_child",
        "any_point_rate": "Anypoint_child_rate",
    }
    units = {
        "at_31_march": "count",
        "at_31_march_rate": "rate",
        "any_point": "count",
        "any_point_rate": "rate",
    }
    rows = [((str(y),), *b1.national(y), columns) for y in range(first, last + 1)]
    return file_table(
        "real-cin-by-year",
        "Children in need in England, each reporting year",
        "children in need at 31 March and at any point in the reporting year, with the rates first published",
        b1,
        ("year",),
        units,
        rows,
    )


#: The label columns of a table by area (`area_rows`).
AREA_LABELS = ("area_code", "area_name", "level", "parent")


def area_rows(
    file: FileRows,
    year: int,
    columns: Mapping[str, str],
    recode: Mapping[str, str] | None = None,
) -> list[FileRow]:
    """England, the regions (with Inner and Outer London, whose parent is London) and every
    local authority (whose parent is its region) in `year`, in file order: the labels
    `AREA_LABELS` and the file's `columns`. `recode` gives, for a code the file uses for
    an area, the code the other files use for it in that year."""
    rows: list[FileRow] = []
    for number, row in file.rows:
        if row["time_period"] != str(year):
            continue
        try:
            code = geography_code(row)
        except ValueError as exc:
            raise InputError([Problem(file.path, number, "geographic_level", str(exc))]) from None
        code = (recode or {}).get(code, code)
        level = row["geographic_level"]
        name = row[{"National": "country_name", "Regional": "region_name"}.get(level, "la_name")]
        parent = SUBREGIONS.get(code, row["region_code"] if level == "Local authority" else "")
        kind = {
            "National": "national",
            "Regional": "subregional" if code in SUBREGIONS else "regional",
        }
        rows.append(
            ((code, name, kind.get(level, "local authority"), parent), number, row, columns)
        )
    if not rows:
        raise InputError([Problem(file.path, None, "time_period", f"no rows for {year}")])
    return rows


def _by_area(b1: FileRows, year: int) -> ContextTable:
    """England, then the regions (London followed by Inner and Outer London), then every
    local authority, in the latest year, each with its region's code as its parent."""
    columns = {"at_31_march": "At31_episodes", "at_31_march_rate": "At31_episodes_rate"}
    return file_table(
        "real-cin-by-area",
        f"Children in need at 31 March {year}, by area",
        AT31,
        b1,
        AREA_LABELS,
        {"at_31_march": "count", "at_31_march_rate": "rate"},
        area_rows(b1, year, columns),
    )


#: The factor columns of table C3 that are split by the person the factor concerns.
PERSONS = {"child": "child", "parent": "parent", "person": "other person"}


def _factors(c3: FileRows, year: int) -> ContextTable:
    """Each factor identified at the end of assessment in England: one row per factor and
    the person it concerns (the child, a parent, another person; none for the factors the
    file does not split), with the factor named as the file names it."""
    number, row = c3.national(year)
    columns = list(row)[list(row).index("category") + 1 :]
    split = {
        c.rsplit("_", 1)[0]
        for c in columns
        if all(f"{c.rsplit('_', 1)[0]}_{p}" in row for p in PERSONS)
    }
    rows = []
    for column in columns:
        if column in FILES[C3][1]:
            continue
        factor, _, person = column.rpartition("_")
        if factor not in split:
            factor, person = column, ""
        rows.append(((factor, PERSONS.get(person, "")), number, row, {"episodes": column}))
    return file_table(
        "real-factors",
        f"Factors identified at the end of assessment, England, {year - 1}-{year % 100:02d}",
        "episodes of need in which the factor was identified at the end of assessment",
        c3,
        ("factor", "person"),
        {"episodes": "count"},
        rows,
    )
