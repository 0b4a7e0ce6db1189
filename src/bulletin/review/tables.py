"""Review (tables): two versions of a table compared cell by cell, as daff does.

A printed table's CSV (`data/<pub>/<table>.csv`) and a figure's data (`figures/<fig>.csv`)
have a row-header column first, then the columns that identify a row, then the values.
Rows are matched by their key: the shortest run of leading columns that tells every row
apart in both versions (the row header alone, for most tables). Columns are matched by
name. The result is the changed cells with their row and column, and the rows and columns
added or removed; never a line of text.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from bulletin.review.numbers import ADDED, CHANGED, REMOVED


@dataclass(frozen=True)
class CellChange:
    row: str  # the row's header, as the new version prints it
    key: str  # the values that identify the row, joined by " / "
    column: str  # the column's name in the CSV
    heading: str  # the column's header as the page prints it, when known
    old: str
    new: str
    change: str | None  # new minus old as printed, when both are numbers


@dataclass(frozen=True)
class TableDiff:
    publication: str  # "" for a figure's data
    id: str
    status: str  # changed, added or removed
    cells: tuple[CellChange, ...] = ()
    rows_added: tuple[str, ...] = ()
    rows_removed: tuple[str, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        """How many things changed: cells, rows and columns."""
        return (
            len(self.cells)
            + len(self.rows_added)
            + len(self.rows_removed)
            + len(self.columns_added)
            + len(self.columns_removed)
        )


def read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    """The header (a repeated name numbered: "group", "group (2)") and the rows."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], []
    seen: Counter[str] = Counter()
    header = []
    for name in rows[0]:
        seen[name] += 1
        header.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return header, rows[1:]


def compare_tables(
    pub: str,
    table_id: str,
    old: str | None,
    new: str | None,
    headings: Mapping[str, str] | None = None,
) -> TableDiff | None:
    """The difference of two versions of a table's CSV text (None for a missing version);
    None when they hold the same cells. `headings` maps a column's CSV name to its header
    as printed, where known."""
    if old == new:
        return None
    if old is None:
        return TableDiff(pub, table_id, ADDED, rows_added=_labels(new or ""))
    if new is None:
        return TableDiff(pub, table_id, REMOVED, rows_removed=_labels(old))
    head_old, rows_old = read_csv(old)
    head_new, rows_new = read_csv(new)
    width = _key_width(head_old, rows_old, head_new, rows_new)
    keyed_old, keyed_new = _keyed(rows_old, width), _keyed(rows_new, width)
    columns = [c for c in head_new[width:] if c in head_old]
    where_old = {c: head_old.index(c) for c in columns}
    where_new = {c: head_new.index(c) for c in columns}
    cells = []
    for key, row in keyed_new.items():
        before = keyed_old.get(key)
        if before is None:
            continue
        for column in columns:
            a, b = _at(before, where_old[column]), _at(row, where_new[column])
            if a != b:
                heading = (headings or {}).get(column, "")
                cells.append(
                    CellChange(row[0], " / ".join(key), column, heading, a, b, printed_change(a, b))
                )
    diff = TableDiff(
        pub,
        table_id,
        CHANGED,
        cells=tuple(cells),
        rows_added=tuple(r[0] for k, r in keyed_new.items() if k not in keyed_old),
        rows_removed=tuple(r[0] for k, r in keyed_old.items() if k not in keyed_new),
        columns_added=tuple(c for c in head_new if c not in head_old),
        columns_removed=tuple(c for c in head_old if c not in head_new),
    )
    return diff if diff.size else None


def _labels(text: str) -> tuple[str, ...]:
    return tuple(row[0] if row else "" for row in read_csv(text)[1])


def _at(row: Sequence[str], index: int) -> str:
    return row[index] if index < len(row) else ""


def _key_width(
    head_old: list[str], rows_old: list[list[str]], head_new: list[str], rows_new: list[list[str]]
) -> int:
    """How many leading columns identify a row in both versions (at least the header)."""
    same = 0
    while same < min(len(head_old), len(head_new)) and head_old[same] == head_new[same]:
        same += 1
    for width in range(1, max(same, 1) + 1):
        if all(len({tuple(r[:width]) for r in rows}) == len(rows) for rows in (rows_old, rows_new)):
            return width
    return max(same, 1)


def _keyed(rows: list[list[str]], width: int) -> dict[tuple[str, ...], list[str]]:
    """Rows by key; a key repeated (no run of columns tells them apart) is numbered."""
    keyed: dict[tuple[str, ...], list[str]] = {}
    seen: Counter[tuple[str, ...]] = Counter()
    for row in rows:
        key = tuple(row[:width])
        seen[key] += 1
        keyed[key if seen[key] == 1 else (*key, f"({seen[key]})")] = row
    return keyed


def printed_change(old: str, new: str) -> str | None:
    """The difference of two printed numbers, as printed ("+1,230", "-0.4 points" for
    percentages), or None when either is not a number (a symbol such as c)."""
    a, b = _printed_number(old), _printed_number(new)
    if a is None or b is None or old.endswith("%") != new.endswith("%"):
        return None
    change = b - a
    text = f"{change:+,f}"
    return f"{text} points" if old.endswith("%") else text


def _printed_number(text: str) -> Decimal | None:
    plain = text.strip().replace(",", "").replace("\u2212", "-").removesuffix("%")
    try:
        value = Decimal(plain)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None
