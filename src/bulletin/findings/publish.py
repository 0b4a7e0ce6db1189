"""Findings (shared): disclosure control on the way out, and the published form of a finding.

Every number a section returns passes through here (DESIGN.md decision 6): a single count
through `count` (1 to 5 shown as `c`; national counts of children and pupils rounded to the
nearest 10, counts of schools never), a percentage through `share` (suppressed when its
numerator is 1 to 5 or its denominator under 10), and a table through `protected` (primary
and secondary suppression, then the exact audit, which must pass).

`Entry` names a single finding with a stable id and says what its numerator and
denominator count; `FindingsTable` holds a table's tidy frame, whose measure columns hold
`Measure`s. `published_value` is the text a value is published as: a count as shown, a
share to 1 decimal place of a percentage (three places as a proportion), half up on the
exact value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from bulletin.core.formatting import round_half_up
from bulletin.core.measure import Measure, Unit
from bulletin.core.settings import Disclosure
from bulletin.disclosure import (
    PERCENT,
    Counted,
    DisclosureError,
    Key,
    Level,
    ProtectedTable,
    Table,
    audit,
    count_measure,
    is_primary,
    protect,
    rate_measure,
)
from bulletin.disclosure.rules import rounded

if TYPE_CHECKING:
    import pandas as pd

SHARE_PLACES = 3  # a proportion to 3 places is a percentage to 1


@dataclass(frozen=True)
class Entry:
    """One published finding: a stable id (a calibration id where there is one), the
    measure, and what its numerator and denominator count (for their published form)."""

    id: str
    measure: Measure
    counted: Counted


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


def count(n: int, t: Disclosure, counted: Counted, *, definition: str, source: str) -> Measure:
    """A national count as published: `c` if 1 to 5, rounded unless it counts schools."""
    return count_measure(
        n, t, level=Level.NATIONAL, counted=counted, definition=definition, source=source
    )


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
    return rate_measure(
        numerator,
        denominator,
        t,
        scale=PERCENT,
        numerator_suppressed=hidden or is_primary(numerator, t),
        denominator_suppressed=not public_denominator and is_primary(denominator, t),
        source=source,
        definition=definition,
    )


def protected(table: Table, t: Disclosure, keep: Iterable[Key] = ()) -> ProtectedTable:
    """`table` with its counts of 1 to 5 suppressed and protected, proved by the audit;
    the cells in `keep` (a total that matters) are never suppressed to protect others."""
    published = protect(table, t, keep=keep)
    result = audit(published)
    if not result.passes:
        raise DisclosureError(str(result))
    return published


def published_value(m: Measure) -> str | None:
    """The value as published (None when a symbol is shown in its place)."""
    if m.value is None:
        return None
    if m.unit is Unit.SHARE:
        return str(round_half_up(m.exact, SHARE_PLACES))
    if m.unit is Unit.COUNT:
        return str(int(m.value))
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
