"""Findings (shared): disclosure control on the way out, and the published form of a finding.

Every number a section returns passes through here (DESIGN.md decision 6): a single count
through `count` (1 to 5 shown as `c`; national counts of children and pupils rounded to the
nearest 10, counts of schools never), a percentage through `share` (suppressed when its
numerator is 1 to 5 or its denominator under 10), and a table through `protected` (primary
and secondary suppression, then the exact audit, which must pass).

A mean score goes through `score` (suppressed with the count of its pupils, or when they
are under 10), a ratio of two shares through `ratio` and a difference of two shares in
percentage points through `points`: each hidden when a part is (`c`, or `z` when a part
is not applicable).

`shares_table` builds the shape every section repeats: counts (by group, category or
band) adding up along relations, each with its share of another cell (a group's pupils, a
column's total), protected and audited as one table; `read_share` reads such a share back.

`Entry` names a single finding with a stable id, says what its numerator and denominator
count and which registered queries (`linked.QUERIES`) it comes from; `FindingsTable` holds
a table's tidy frame, whose measure columns hold `Measure`s, and its queries too.
`published_value` is the text a value is published as: a count as shown, a share to 1
decimal place of a percentage (three places as a proportion), halves away from zero on the
exact value (-0.425 is -0.43); a ratio, points or a score to its places (0.50, 20.0,
-1.01).

While `recording()` is active, every protected table (with its audit), every single count
and share, and every `FindingsTable` made are noted in order, with the true counts, for
the output-checking pack (`bulletin.findings.checking`); nothing is noted otherwise.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from bulletin.core.formatting import round_half_up
from bulletin.core.measure import Measure, Unit
from bulletin.core.settings import Disclosure
from bulletin.core.symbols import Symbol
from bulletin.disclosure import (
    PERCENT,
    AuditResult,
    Counted,
    DisclosureError,
    Key,
    Level,
    ProtectedTable,
    Rate,
    Table,
    audit,
    count_measure,
    grid_table,
    is_primary,
    protect,
    rate_measure,
)
from bulletin.disclosure.rules import rounded

if TYPE_CHECKING:
    import pandas as pd

SHARE_PLACES = 3  # a proportion to 3 places is a percentage to 1
RATIO_PLACES = 2  # a ratio of two shares, to 2 places
POINTS_PLACES = 1  # a difference of two percentages, in percentage points to 1 place
#: Units published to a fixed number of places (rounded by `ratio`, `points` and `score`)
FIXED_PLACES = (Unit.RATIO, Unit.POINTS, Unit.SCORE)


@dataclass(frozen=True)
class Entry:
    """One published finding: a stable id (a calibration id where there is one), the
    measure, what its numerator and denominator count (for their published form), and the
    registered queries it comes from."""

    id: str
    measure: Measure
    counted: Counted
    query: tuple[str, ...]


@dataclass(frozen=True)
class FindingsTable:
    """A table or a figure's data: a tidy frame of label columns (text) and measure columns
    (`Measure`s, already protected), with what it shows."""

    id: str
    title: str
    definition: str
    source: str
    counted: Counted
    frame: pd.DataFrame
    labels: tuple[str, ...]  # the label columns; the others hold Measures
    query: tuple[str, ...]  # the registered queries it comes from

    def __post_init__(self) -> None:
        _note(self)


@dataclass(frozen=True)
class NotedTable:
    """A protected table, with its audit, as `recording` notes it."""

    published: ProtectedTable
    audit: AuditResult


@dataclass(frozen=True)
class NotedNumber:
    """A single count (`counts`: its true value) or share (its true numerator and
    denominator), as `recording` notes it."""

    measure: Measure
    counts: tuple[int, ...]


Noted = NotedTable | NotedNumber | FindingsTable
_NOTES: ContextVar[list[Noted] | None] = ContextVar("findings_notes", default=None)


@contextlib.contextmanager
def recording() -> Iterator[list[Noted]]:
    """Note everything published in the block (see the module docstring), in order."""
    notes: list[Noted] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def _note(item: Noted) -> None:
    notes = _NOTES.get()
    if notes is not None:
        notes.append(item)


def count(n: int, t: Disclosure, counted: Counted, *, definition: str, source: str) -> Measure:
    """A national count as published: `c` if 1 to 5, rounded unless it counts schools."""
    measure = count_measure(
        n, t, level=Level.NATIONAL, counted=counted, definition=definition, source=source
    )
    _note(NotedNumber(measure, (n,)))
    return measure


def share(
    numerator: int,
    denominator: int,
    t: Disclosure,
    *,
    definition: str,
    source: str,
    public_denominator: bool = False,
    hidden: bool = False,
) -> Measure:
    """A percentage (a `SHARE`): `c` when its numerator or (unless public) its denominator is
    1 to 5, when its denominator is under 10, or when `hidden`; `z` on a zero denominator."""
    measure = rate_measure(
        numerator,
        denominator,
        t,
        scale=PERCENT,
        numerator_suppressed=hidden or is_primary(numerator, t),
        denominator_suppressed=not public_denominator and is_primary(denominator, t),
        source=source,
        definition=definition,
    )
    _note(NotedNumber(measure, (numerator, denominator)))
    return measure


def score(
    total: Fraction,
    n: int,
    t: Disclosure,
    *,
    places: int,
    shown: bool,
    definition: str,
    source: str,
) -> Measure:
    """The mean score `total / n` to `places` (halves up on the exact value): `z` for no
    pupils, `c` when the count of pupils is not `shown` or is under 10."""
    if n == 0:
        return Measure.hidden(
            Symbol.NOT_APPLICABLE, Unit.SCORE, definition=definition, source=source
        )
    if not shown or n < t.min_denominator:
        return Measure.hidden(Symbol.SUPPRESSED, Unit.SCORE, definition=definition, source=source)
    value = round_half_up(total / n, places)
    return Measure(value, Unit.SCORE, definition=definition, source=source)


def _hidden_by(parts: Sequence[Measure], unit: Unit, definition: str, source: str) -> Measure:
    """The symbol of a measure made from `parts`, one of which is hidden: `c` when one is
    suppressed, else `z`."""
    symbols = {m.symbol for m in parts}
    symbol = Symbol.SUPPRESSED if Symbol.SUPPRESSED in symbols else Symbol.NOT_APPLICABLE
    return Measure.hidden(symbol, unit, definition=definition, source=source)


def ratio(a: Measure, b: Measure, *, definition: str, source: str) -> Measure:
    """The ratio a / b of two published shares (to 2 places, halves up, on their exact
    values); hidden when either is, `z` when b is 0."""
    if not (a.shown and b.shown):
        return _hidden_by((a, b), Unit.RATIO, definition, source)
    if b.exact == 0:
        return Measure.hidden(
            Symbol.NOT_APPLICABLE, Unit.RATIO, definition=definition, source=source
        )
    value = round_half_up(a.exact / b.exact, RATIO_PLACES)
    return Measure(value, Unit.RATIO, definition=definition, source=source)


def points(
    difference: Fraction | None, parts: Sequence[Measure], *, definition: str, source: str
) -> Measure:
    """A difference of percentages in percentage points (`difference` a proportion), to 1
    place; hidden when any of the shares it comes from (`parts`) is."""
    if difference is None or not all(m.shown for m in parts):
        return _hidden_by(parts, Unit.POINTS, definition, source)
    value = round_half_up(100 * difference, POINTS_PLACES)
    return Measure(value, Unit.POINTS, definition=definition, source=source)


def protected(table: Table, t: Disclosure, headline: Iterable[Key] = ()) -> ProtectedTable:
    """`table` with its counts of 1 to 5 suppressed and protected, proved by the audit;
    complementary cells come from the interior, totals and the `headline` cells (those
    behind a headline finding) only when nothing else can protect a count."""
    published = protect(table, t, headline=headline)
    result = audit(published)
    if not result.passes:
        raise DisclosureError(str(result))
    _note(NotedTable(published, result))
    return published


def share_key(key: Key) -> Key:
    """The key of the share of the count in `key`, in a table built by `shares_table`."""
    return key[0], f"{key[1]} %"


def of_row(column: str) -> Callable[[Key], Key | None]:
    """`shares_table`'s `share_of` for shares of the row's `column` (a group's pupils)."""
    return lambda key: None if key[1] == column else (key[0], column)


def of_column(row: str) -> Callable[[Key], Key | None]:
    """`shares_table`'s `share_of` for shares of the column's `row` (a column's total)."""
    return lambda key: (row, key[1])


def shares_table(
    values: Mapping[Key, int],
    share_of: Callable[[Key], Key | None],
    t: Disclosure,
    *,
    row_relations: Sequence[tuple[str, Sequence[str]]] = (),
    column_relations: Sequence[tuple[str, Sequence[str]]] = (),
    counted: Counted = Counted.PUPILS,
    rates: Sequence[Rate] = (),
    headline: Iterable[Key] = (),
) -> ProtectedTable:
    """National counts of `counted` with the share of each of another cell (`share_of(key)`;
    none when it gives None), adding up along the relations (`grid_table`), and any other
    `rates`: protected and audited as one table, complementary cells from its interior
    first (`protected`). Read a share back with `read_share`."""
    shares = [
        Rate(share_key(key), key, of, PERCENT)
        for key in values
        if (of := share_of(key)) is not None
    ]
    table = grid_table(
        values,
        row_relations,
        column_relations,
        levels=Level.NATIONAL,
        counted=counted,
        rates=[*shares, *rates],
    )
    return protected(table, t, headline)


def read_share(published: ProtectedTable, key: Key, definition: str, source: str) -> Measure:
    """The published share of the count in `key` of a `shares_table`, with its words."""
    return replace(published.rate(share_key(key)), definition=definition, source=source)


def published_value(m: Measure) -> str | None:
    """The value as published (None when a symbol is shown in its place)."""
    if m.value is None:
        return None
    if m.unit is Unit.SHARE:
        return str(round_half_up(m.exact, SHARE_PLACES))
    if m.unit is Unit.COUNT:
        return str(int(m.value))
    if m.unit in FIXED_PLACES:  # to its places, trailing zeros kept: 0.50, 20.0
        return format(m.value, "f")
    return _plain(m.value)


def published_part(n: int | None, m: Measure, counted: Counted, t: Disclosure) -> int | None:
    """A numerator or denominator as published: none for a suppressed measure; rounded to
    the nearest 10 unless it counts schools."""
    if n is None or m.value is None:
        return None
    return n if counted is Counted.SCHOOLS else rounded(n, t)


def cell(m: Measure) -> str:
    """A table cell as published: its value, or its symbol."""
    value = published_value(m)
    if value is None:
        assert m.symbol is not None
        return m.symbol.value
    return value


def _plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def frame_of(rows: Sequence[dict[str, object]], columns: Sequence[str]) -> pd.DataFrame:
    """A tidy frame of `rows` (label text and Measures) with the columns in order."""
    import pandas as pd

    return pd.DataFrame(list(rows), columns=list(columns), dtype=object)
