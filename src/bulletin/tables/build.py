"""Tables (build): a printed table from a table of the context, cell by cell.

`from_context` lays out the rows a publication chooses, in its order, each value through
the one formatting module; every cell keeps its sourced value, so that the page prints it
as a `<data>` element with its id and the numbers manifest knows where it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bulletin.core.context import ContextTable
from bulletin.core.context import Row as ContextRow
from bulletin.core.measure import Measure
from bulletin.tables.model import Cell, Column, Row, Table

Format = Callable[[Measure], str]


def from_context(
    table: ContextTable,
    *,
    id: str,
    header: str,
    row_header: Callable[[ContextRow], str],
    columns: Sequence[tuple[str, Format]],
    keys: Sequence[str] = (),
    rows: Sequence[ContextRow] | None = None,
    level: Callable[[ContextRow], str] = lambda _: "",
    source: str | None = None,
) -> Table:
    """A printed table of `table`'s `rows` (all, by default): the row header people read
    (`row_header`), the label columns `keys` (CSV only), and the value `columns`, each with
    its formatter. `header` is the machine name of the row-header column."""
    chosen = table.rows if rows is None else rows
    built = tuple(
        Row(
            row_header(row),
            tuple(row.labels[k] for k in keys),
            tuple(Cell.of(row.values[name], fmt) for name, fmt in columns),
            level=level(row),
        )
        for row in chosen
    )
    return Table(
        id,
        header,
        tuple(Column(k, False) for k in keys),
        tuple(Column(name) for name, _ in columns),
        built,
        table.source if source is None else source,
    )
