"""Tables (build): a printed table from a table of the context, cell by cell.

`from_context` lays out the rows a publication chooses, in its order, each value through
the one formatting module; every cell keeps its sourced value, so that the page prints it
as a `<data>` element with its id and the numbers manifest knows where it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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
        table.definition,
        table.title,
    )


def pivot(
    *,
    id: str,
    header: str,
    rows: Sequence[tuple[str, Mapping[str, str]]],
    columns: Sequence[tuple[str, ContextTable, Mapping[str, str], str, Format]],
    keys: Sequence[tuple[str, Callable[[Mapping[str, str]], str]]] = (),
    source: str,
    about: str = "",
    title: str = "",
) -> Table:
    """A printed table whose cells are picked from the rows of context tables.

    `rows` gives each printed row's header and the labels its cells share; `columns` gives
    each printed column's key, the table and the further labels that pick its cell, the
    value column and its formatter. A cell that no row holds is not applicable (`z`)."""
    built = []
    for row_header, shared in rows:
        cells = []
        for _, table, picks, value, fmt in columns:
            wanted = {**shared, **picks}
            wanted = {k: v for k, v in wanted.items() if k in table.labels}
            found = [r for r in table.rows if all(r.labels.get(k) == v for k, v in wanted.items())]
            if len(found) > 1:
                raise ValueError(f"{table.id}: {len(found)} rows match {wanted}")
            cells.append(Cell.of(found[0].values[value], fmt) if found else Cell("z", "z"))
        built.append(Row(row_header, tuple(f(shared) for _, f in keys), tuple(cells)))
    return Table(
        id,
        header,
        tuple(Column(k, False) for k, _ in keys),
        tuple(Column(key) for key, *_ in columns),
        tuple(built),
        source,
        about,
        title,
    )
