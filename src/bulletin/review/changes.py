"""Review (changes since the last release): the table a publication carries with
`bulletin build --previous-release DIR`.

The previous release is a built site (`bulletin.review.site`); its numbers manifest gives,
by id, what it printed. A number this release prints under an id the previous release
printed with another value is *revised*; one the previous release did not print is *new*.
Numbers are matched by id, as the diff matches them (`bulletin.review.numbers`), and the
change is the same exact difference. The result is an ordinary table (`bulletin.tables`):
the number's definition and id, its value, the previous value, the change and the revised
flag, each value a sourced number (the previous value's source: the previous release's
manifest), in the order this release first prints them. Unchanged numbers are not listed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from bulletin.core.formatting import fmt_change, fmt_plain
from bulletin.core.measure import Measure, Unit
from bulletin.core.provenance import Kind, Source, Sourced
from bulletin.core.symbols import Symbol
from bulletin.review.numbers import difference
from bulletin.review.site import open_site
from bulletin.tables.model import Cell, Column, Row, Table

TABLE = "tbl-changes-since-last-release"
PREVIOUS, CHANGE = "previous", "change"  # id prefixes of the previous values and changes


@dataclass(frozen=True)
class Release:
    """What the previous release printed for one publication, by id."""

    title: str
    date: dt.date
    manifest: str  # its numbers manifest, as a label (`report/<pub>.numbers.json`)
    values: Mapping[str, tuple[str, str]]  # id -> (value, unit), the first printing of each


def read_release(folder: Path, pub: str) -> Release | None:
    """The previous release of `pub` in the built site `folder`; None when that site does
    not hold the publication."""
    site = open_site(folder)
    if pub not in site.publications:
        return None
    values: dict[str, tuple[str, str]] = {}
    for entry in site.numbers(pub):
        values.setdefault(str(entry["id"]), (str(entry["value"]), str(entry["unit"])))
    about = site.publication(pub)
    return Release(
        title=str(about.get("title", pub)),
        date=dt.date.fromisoformat(str(about["date"])),
        manifest=f"report/{pub}.numbers.json",
        values=values,
    )


def changes_table(release: Release, printed: Mapping[str, Sourced]) -> Table:
    """Every number of `printed` (this release's, by id, in printing order) that is revised
    or new since `release` (see the module's docstring)."""
    reference = f"{release.title}, published {release.date.isoformat()}"
    rows = []
    for ident, now in printed.items():
        if ident.startswith((f"{PREVIOUS}/", f"{CHANGE}/")):
            continue
        before = release.values.get(ident)
        value = _exact(now.measure)
        if before is not None and before[0] == value:
            continue
        unit = now.measure.unit
        what = now.measure.definition or ident
        source = Source(Kind.RELEASE, file=release.manifest, reference=reference)
        previous = change = Sourced(
            f"{CHANGE}/{ident}", Measure.hidden(Symbol.NOT_APPLICABLE, unit), source
        )
        if before is not None:
            previous = Sourced(f"{PREVIOUS}/{ident}", _measure(before[0], unit, what), source)
            step = difference(before[0], value)
            change = Sourced(
                f"{CHANGE}/{ident}",
                _measure(step, unit, f"change since {reference}: {what}"),
                source,
            )
        cells = (
            Cell.of(now, fmt_plain),
            Cell.of(previous, fmt_plain) if before else Cell("not published"),
            Cell.of(change, fmt_change),
            Cell("Yes" if before is not None else "No (new)"),
        )
        rows.append(Row(f"{_upper_first(what)} ({ident})", (ident,), cells))
    return Table(
        TABLE,
        "figure",
        (Column("id", numeric=False),),
        (
            Column("value"),
            Column("previous_value"),
            Column("change"),
            Column("revised", numeric=False),
        ),
        tuple(rows),
        source=f"this release compared with the last ({reference}), number by number",
        about="a figure is revised when the last release printed it with another value, "
        "and new when it did not print it",
    )


def _exact(measure: Measure) -> str:
    if measure.value is None:
        assert measure.symbol is not None
        return measure.symbol.value
    return format(measure.value, "f")


def _measure(text: str | None, unit: Unit, what: str) -> Measure:
    """A value as a manifest writes it (an exact decimal or a symbol) as a measure."""
    if text is None:
        return Measure.hidden(Symbol.NOT_AVAILABLE, unit, definition=what)
    try:
        return Measure(Decimal(text), unit, definition=what)
    except InvalidOperation:
        return Measure.hidden(Symbol(text), unit, definition=what)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
