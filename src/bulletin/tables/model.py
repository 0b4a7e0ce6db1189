"""Tables (model): an immutable table of formatted cells, and its open-data CSV.

A table holds data, not words: columns have machine names (the CSV header) and say
whether they hold numbers; the publication's template gives the headings people read.
Every cell is printed through the one formatting module, so the HTML table, the CSV
and the prose show the same number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bulletin.core.formatting import MINUS, gss_symbol
from bulletin.core.measure import Measure
from bulletin.core.provenance import Sourced
from bulletin.core.spreadsheet import to_csv as csv_text


@dataclass(frozen=True)
class Column:
    key: str  # machine name: the CSV header, and the HTML cell's data-column
    numeric: bool = True


@dataclass(frozen=True)
class Cell:
    text: str  # as shown: "404,710", "341.0", "c"
    symbol: str = ""  # the GSS symbol when the value is not shown
    sourced: Sourced | None = None  # the value and its provenance (for the numbers manifest)

    @property
    def value(self) -> str:
        """As written to the CSV: a plain number, as printed but with no thousands
        separators, no percent sign (the column holds percentages) and an ASCII minus; a
        symbol as itself."""
        if self.symbol:
            return self.text
        plain = self.text.replace(",", "").replace(MINUS, "-").removeprefix("+")
        return plain.removesuffix("%")

    @classmethod
    def of(cls, value: Measure | Sourced, fmt: Callable[[Measure], str]) -> Cell:
        if isinstance(value, Sourced):
            return cls(fmt(value.measure), gss_symbol(value.measure), value)
        return cls(fmt(value), gss_symbol(value))


@dataclass(frozen=True)
class Row:
    header: str  # the row header people read ("North East", "31 March 2018")
    keys: tuple[str, ...]  # the values of the table's key columns (codes, years)
    cells: tuple[Cell, ...]
    level: str = ""  # a class for styling: "national", "regional", "local-authority"


@dataclass(frozen=True)
class Table:
    id: str  # stable: the file name of its CSV and its HTML anchor
    header: str  # machine name of the row-header column ("area_name", "date")
    keys: tuple[Column, ...]  # columns that identify a row (CSV only)
    columns: tuple[Column, ...]  # the data columns, after the row header
    rows: tuple[Row, ...]
    source: str
    about: str = ""  # what its figures measure, for readers (from the findings' definitions)
    title: str = ""  # what it shows: its sheet's title in a spreadsheet

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns) or len(row.keys) != len(self.keys):
                raise ValueError(f"{self.id}: row {row.header!r} does not fit the columns")

    @property
    def symbols(self) -> tuple[str, ...]:
        """The GSS symbols the table shows, in order of first appearance."""
        seen = dict.fromkeys(c.symbol for row in self.rows for c in row.cells if c.symbol)
        return tuple(seen)


def count_columns(table: Table) -> list[str]:
    """The columns of the table's CSV that hold counts (any cell's measure a count)."""
    from bulletin.core.measure import Unit

    def counts(cell: Cell) -> bool:
        return cell.sourced is not None and cell.sourced.measure.unit is Unit.COUNT

    return [
        column.key
        for i, column in enumerate(table.columns)
        if any(counts(row.cells[i]) for row in table.rows)
    ]


def to_csv(table: Table) -> str:
    """The table as an open-data CSV: key columns, then data columns; one row per row.
    No text cell can be read as a formula (`bulletin.core.spreadsheet`)."""
    header = [table.header, *(c.key for c in (*table.keys, *table.columns))]
    rows = ([row.header, *row.keys, *(cell.value for cell in row.cells)] for row in table.rows)
    return csv_text(header, rows)
