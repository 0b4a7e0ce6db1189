"""Tables (EES files): open data in the explore education statistics (EES) standard.

A statistician publishes one tidy CSV per subject and geography, with a `.meta.csv` that
says which columns are filters and which are indicators. The tables of a publication
carry less than that: a findings table (findings.json) or a printed table has label
columns and value columns. `DataFile` adds the rest, declaratively: the time of each
table, its geography, which label columns are filters (their labels, hints and totals)
and what each indicator is (label, unit, decimal places). `build` turns the tables into
the file's rows and metadata, refusing every table that does not fit its declaration, and
naming every problem at once.

Totals: EES expects every filter to have a "Total" item. A filter declares the item of its
table that is its total (such as "all pupils"), written as "Total". A filter with no
natural total (a median length of spells at different statuses cannot be added up) says
why, and names the item EES shows by default instead (`filter_default`); no total is ever
computed here from published, rounded or suppressed values.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from bulletin.core.geography import ENGLAND
from bulletin.core.spreadsheet import safe_cell
from bulletin.core.symbols import Symbol
from bulletin.tables.model import Table

TOTAL = "Total"
NATIONAL, REGIONAL, LOCAL_AUTHORITY = "National", "Regional", "Local authority"
ACADEMIC_YEAR, REPORTING_YEAR = "Academic year", "Reporting year"
#: Placeholders for a table's time period: the publication's first or latest reporting
#: year, or the academic year that ends in its latest year (January census of that year).
FIRST, LATEST, LATEST_ACADEMIC = "first", "latest", "latest-academic"
SYMBOLS = tuple(s.value for s in Symbol)
UNITS = ("", "%", "pp")  # the EES units our indicators use (EES also has £, £m, numberstring)
META_COLUMNS = (
    "col_name",
    "col_type",
    "label",
    "indicator_grouping",
    "indicator_unit",
    "indicator_dp",
    "filter_hint",
    "filter_grouping_column",
)
#: The geography columns of each level, in the order EES lists them.
GEOGRAPHY_COLUMNS = {
    NATIONAL: ("country_code", "country_name"),
    REGIONAL: ("region_code", "region_name"),
    LOCAL_AUTHORITY: ("old_la_code", "new_la_code", "la_name"),
}


class OpenDataError(ValueError):
    """Tables that do not fit their open-data declaration; every problem is listed."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("open data:\n" + "\n".join(f"  {p}" for p in self.problems))


# -- the tables a file is made of ----------------------------------------------------------


@dataclass(frozen=True)
class TidyTable:
    """A table as open data reads it: label columns (text) and value columns (published
    values or GSS symbols, as text), with what it shows. `units` gives the findings'
    unit of each value column ("share" for a proportion) where it is known."""

    id: str
    title: str
    definition: str
    source: str
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    units: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_findings(cls, table_id: str, data: Mapping[str, Any]) -> TidyTable:
        """A table of findings.json (`bulletin.findings.context.to_json`)."""
        return cls(
            table_id,
            data["title"],
            data["definition"],
            data["source"],
            tuple(data["columns"]),
            tuple(data["labels"]),
            tuple(tuple(str(v) for v in row) for row in data["rows"]),
            {k: v for k, v in data["units"].items() if v is not None},
        )

    @classmethod
    def from_table(cls, table: Table, title: str, definition: str = "") -> TidyTable:
        """A printed table: its row header and key columns are labels; its cells are
        published values without thousands separators, as in its CSV."""
        labels = (table.header, *(c.key for c in table.keys))
        return cls(
            table.id,
            title,
            definition,
            table.source,
            (*labels, *(c.key for c in table.columns)),
            labels,
            tuple((r.header, *r.keys, *(c.value for c in r.cells)) for r in table.rows),
        )


@dataclass(frozen=True)
class Place:
    """An area a row can describe, with the geography columns EES wants for it."""

    level: str
    code: str
    name: str
    region_code: str = ""
    region_name: str = ""
    old_la_code: str = ""


def places(regions: Iterable[tuple[str, str]], authorities: Iterable[Place]) -> dict[str, Place]:
    """England, the regions (code, name) and the local authorities, by code."""
    found = {ENGLAND: Place(NATIONAL, ENGLAND, "England")}
    found |= {code: Place(REGIONAL, code, name) for code, name in regions}
    found |= {la.code: la for la in authorities}
    return found


# -- the declaration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """A label column written as an EES filter.

    `total` is the item of the table that is the total of the filter (written "Total");
    a filter without one gives `default`, the item EES shows first, and `no_total`, why
    it has no total. `described_by` names a label column that says what each item means
    (for the data guidance; it is not written to the file). `items` relabels items."""

    column: str
    col_name: str
    label: str
    total: str = ""
    default: str = ""
    no_total: str = ""
    hint: str = ""
    group: str = ""  # col_name of the filter that groups this one (filter_grouping_column)
    described_by: str = ""
    items: Mapping[str, str] = field(default_factory=dict)

    def item(self, value: str) -> str:
        return TOTAL if value == self.total and self.total else self.items.get(value, value)


@dataclass(frozen=True)
class Spread:
    """Two label columns that hold several filters: `key` names a characteristic (such as
    gender or age) and `value` its category. Each characteristic becomes a filter of its
    own (`filters`, by characteristic), at "Total" in the rows of the others; the rows
    whose key is `total` are at "Total" in every one of them."""

    key: str
    value: str
    filters: Mapping[str, Filter]
    total: str


@dataclass(frozen=True)
class Indicator:
    """A value column written as an EES indicator. A share (a proportion in findings.json)
    written with unit "%" is multiplied by 100, exactly; values are written to `dp`
    places, and a value with more places than that is refused, never rounded."""

    column: str
    col_name: str
    label: str
    unit: str = ""
    dp: int = 0
    grouping: str = ""


@dataclass(frozen=True)
class Part:
    """One table of a file, and its time period: `time_period` (FIRST, LATEST or
    LATEST_ACADEMIC for the publication's years) or `time_column`, a label column holding
    it. `place_column` is a label column holding area codes (England, regions, local
    authorities); without one every row is England. `ignore` names label columns the file
    does not need (a printed area name, which the area code gives again)."""

    table: str
    time_period: str = ""
    time_column: str = ""
    place_column: str = ""
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True)
class DataFile:
    """One EES data file: a subject at one geography, made of one or more tables."""

    name: str  # file name without .csv: lower case letters, digits and underscores
    title: str
    summary: str
    time_identifier: str
    parts: tuple[Part, ...]
    indicators: tuple[Indicator, ...]
    filters: tuple[Filter, ...] = ()
    spread: Spread | None = None
    notes: tuple[str, ...] = ()

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(p.table for p in self.parts)

    def all_filters(self) -> tuple[Filter, ...]:
        spread = tuple(self.spread.filters.values()) if self.spread else ()
        return (*self.filters, *spread)


# -- the built file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EesFile:
    """A built data file: its CSV and metadata text, and what the data guidance says of it."""

    file: DataFile
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    meta: tuple[tuple[str, ...], ...]  # rows of the .meta.csv, after its header
    meta_header: tuple[str, ...]
    time_periods: tuple[str, ...]
    levels: tuple[str, ...]
    footnotes: tuple[str, ...]
    meanings: tuple[tuple[str, str, str], ...]  # (filter label, item, what it means)

    @property
    def data_name(self) -> str:
        return f"{self.file.name}.csv"

    @property
    def meta_name(self) -> str:
        return f"{self.file.name}.meta.csv"

    def data_csv(self) -> str:
        return _csv(self.header, self.rows)

    def meta_csv(self) -> str:
        return _csv(self.meta_header, self.meta)


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def build(
    file: DataFile,
    tables: Mapping[str, TidyTable],
    where: Mapping[str, Place],
    years: tuple[int, int],
) -> EesFile:
    """The EES file `file` from its tables (by id), the places codes stand for and the
    publication's (first, latest) years. Raises `OpenDataError` listing every problem."""
    problems = [f"{file.name}: {p}" for p in _declaration_problems(file)]
    rows: dict[tuple[str, ...], tuple[str, ...]] = {}
    levels: set[str] = set()
    footnotes: list[str] = []
    meanings: dict[tuple[str, str, str], None] = {}
    for part in file.parts:
        table = tables.get(part.table)
        if table is None:
            problems.append(f"{file.name}: table {part.table} was not built")
            continue
        found = _table_problems(file, part, table)
        problems += [f"{file.name}: {part.table}: {p}" for p in found]
        if found:
            continue
        footnotes.append(f"{table.title}: {table.definition}" if table.definition else table.title)
        footnotes.append(f"Source: {table.source}")
        for number, values in enumerate(table.rows, start=1):
            row = dict(zip(table.columns, values, strict=True))
            try:
                place, key, cells = _row(file, part, table, row, where, years)
            except ValueError as exc:
                problems.append(f"{file.name}: {part.table}, row {number}: {exc}")
                continue
            levels.add(place.level)
            for f in file.filters:
                if f.described_by:
                    meanings[f.label, f.item(row[f.column]), row[f.described_by]] = None
            if key in rows and rows[key] != cells:
                problems.append(
                    f"{file.name}: {part.table}, row {number}: a row for the same time, place "
                    "and filters holds other values in another table"
                )
            rows[key] = cells
    if problems:
        raise OpenDataError(problems)
    ordered = [level for level in (NATIONAL, REGIONAL, LOCAL_AUTHORITY) if level in levels]
    geography = _geography_columns(ordered)
    filters = file.all_filters()
    header = (
        "time_period",
        "time_identifier",
        "geographic_level",
        *geography,
        *(f.col_name for f in filters),
        *(i.col_name for i in file.indicators),
    )
    body = tuple(_written_row(key, cells, geography, where, file) for key, cells in rows.items())
    meta_header, meta = _meta(file)
    periods = tuple(sorted({key[0] for key in rows}))
    return EesFile(
        file,
        header,
        body,
        meta,
        meta_header,
        periods,
        tuple(ordered),
        (*dict.fromkeys(footnotes), *file.notes),
        tuple(meanings),
    )


def _declaration_problems(file: DataFile) -> list[str]:
    problems = []
    for f in file.filters:
        if bool(f.total) == bool(f.default):
            problems.append(f"filter {f.col_name}: give either its total or a default item")
        if f.default and not f.no_total:
            problems.append(f"filter {f.col_name}: say why it has no total (no_total)")
    for i in file.indicators:
        if i.unit not in UNITS:
            problems.append(f"indicator {i.col_name}: unit {i.unit!r} is not one of {UNITS}")
    names = [f.col_name for f in file.all_filters()] + [i.col_name for i in file.indicators]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        problems.append(f"columns named twice: {', '.join(twice)}")
    if not file.parts:
        problems.append("no tables")
    return problems


def _table_problems(file: DataFile, part: Part, table: TidyTable) -> list[str]:
    """Every label column must be used and every value column be an indicator."""
    used = {f.column for f in file.filters}
    used |= {f.described_by for f in file.filters if f.described_by}
    if file.spread:
        used |= {file.spread.key, file.spread.value}
    used |= {c for c in (part.place_column, part.time_column, *part.ignore) if c}
    problems = []
    labels = set(table.labels)
    if used - labels:
        problems.append(f"has no label column {', '.join(sorted(used - labels))}")
    if labels - used:
        problems.append(f"label column {', '.join(sorted(labels - used))} is not declared")
    values = [c for c in table.columns if c not in labels]
    indicators = [i.column for i in file.indicators]
    if sorted(values) != sorted(indicators):
        problems.append(f"value columns {values} are not the file's indicators {indicators}")
    if not part.time_period and not part.time_column:
        problems.append("has no time period")
    return problems


def _row(
    file: DataFile,
    part: Part,
    table: TidyTable,
    row: Mapping[str, str],
    where: Mapping[str, Place],
    years: tuple[int, int],
) -> tuple[Place, tuple[str, ...], tuple[str, ...]]:
    """A row's place, its key (time, place and filter items) and its indicator values."""
    period = row[part.time_column] if part.time_column else part.time_period
    first, last = years
    period = {
        FIRST: str(first),
        LATEST: str(last),
        LATEST_ACADEMIC: f"{last - 1}{last % 100:02d}",
    }.get(period, period)
    code = row[part.place_column] if part.place_column else ENGLAND
    if code not in where:
        raise ValueError(f"{code!r} is not a known area code")
    items = [f.item(row[f.column]) for f in file.filters]
    if file.spread:
        spread = file.spread
        key = row[spread.key]
        if key != spread.total and key not in spread.filters:
            raise ValueError(f"{spread.key} {key!r} is not one of the file's filters")
        if key != spread.total and row[spread.value].strip() in ("", TOTAL):
            raise ValueError(f"{spread.value} {row[spread.value]!r} is blank or {TOTAL!r}")
        items += [
            spread_filter.item(row[spread.value]) if key == name else TOTAL
            for name, spread_filter in spread.filters.items()
        ]
    for f in file.filters:
        raw = row[f.column]
        if not raw.strip():
            raise ValueError(f"{f.column} is blank")
        if f.items.get(raw, raw) == TOTAL and raw != f.total:
            raise ValueError(f"{f.column} has an item {raw!r} that would be written {TOTAL!r}")
    cells = tuple(_value(row[i.column], i, table.units.get(i.column, "")) for i in file.indicators)
    return where[code], (period, code, *items), cells


def _value(text: str, indicator: Indicator, unit: str) -> str:
    """An indicator's value as written: a GSS symbol as itself; a number to `dp` places."""
    if text in SYMBOLS:
        return text
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{indicator.col_name}: {text!r} is not a number or a symbol") from None
    if indicator.unit == "%" and unit == "share":
        value *= 100
    places = Decimal(1).scaleb(-indicator.dp)
    written = value.quantize(places)
    if written != value:
        raise ValueError(
            f"{indicator.col_name}: {text} has more than {indicator.dp} decimal places"
        )
    return format(written, "f")


def _geography_columns(levels: Sequence[str]) -> tuple[str, ...]:
    columns = list(GEOGRAPHY_COLUMNS[NATIONAL])
    if REGIONAL in levels or LOCAL_AUTHORITY in levels:
        columns += GEOGRAPHY_COLUMNS[REGIONAL]
    if LOCAL_AUTHORITY in levels:
        columns += GEOGRAPHY_COLUMNS[LOCAL_AUTHORITY]
    return tuple(columns)


def _written_row(
    key: tuple[str, ...],
    cells: tuple[str, ...],
    geography: Sequence[str],
    where: Mapping[str, Place],
    file: DataFile,
) -> tuple[str, ...]:
    period, code, *items = key
    place = where[code]
    values = {"country_code": ENGLAND, "country_name": "England"}
    if place.level == REGIONAL:
        values |= {"region_code": place.code, "region_name": place.name}
    elif place.level == LOCAL_AUTHORITY:
        values |= {
            "region_code": place.region_code,
            "region_name": place.region_name,
            "old_la_code": place.old_la_code,
            "new_la_code": place.code,
            "la_name": place.name,
        }
    text = [values.get(column, "") for column in geography] + items
    return (
        period,
        file.time_identifier,
        place.level,
        *(safe_cell(t) for t in text),
        *cells,
    )


def _meta(file: DataFile) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    filters = file.all_filters()
    defaults = any(f.default for f in filters)
    header = (*META_COLUMNS, "filter_default") if defaults else META_COLUMNS
    rows = []
    for f in filters:
        row = (f.col_name, "Filter", f.label, "", "", "", f.hint, f.group)
        default = (f.item(f.default) if f.default else "",) if defaults else ()
        rows.append(tuple(safe_cell(t) for t in (*row, *default)))
    for i in file.indicators:
        row = (i.col_name, "Indicator", i.label, i.grouping, i.unit, str(i.dp), "", "")
        rows.append(tuple(safe_cell(t) for t in (*row, *(("",) if defaults else ()))))
    return header, tuple(rows)
