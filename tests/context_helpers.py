"""Hand-built context tables for tests of the tables and charts (no file read)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bulletin.core.context import ContextTable, Row, row_keys
from bulletin.core.measure import Measure, Unit
from bulletin.core.provenance import Kind, Source, Sourced
from bulletin.core.symbols import Symbol


def context_table(
    table_id: str,
    labels: Sequence[str],
    units: dict[str, str],
    rows: Sequence[tuple[Sequence[str], Sequence[str]]],
) -> ContextTable:
    """A table of (label values, value texts): a value text is a number or a GSS symbol."""
    keys = row_keys([list(labels_) for labels_, _ in rows])
    built = []
    for number, (key, (label_values, texts)) in enumerate(zip(keys, rows, strict=True), start=2):
        values = {}
        for column, text in zip(units, texts, strict=True):
            unit = Unit(units[column])
            measure = (
                Measure.hidden(Symbol(text), unit)
                if text in {s.value for s in Symbol}
                else Measure(Decimal(text), unit)
            )
            source = Source(Kind.FILE, file="test.csv", row=number, column=column)
            values[column] = Sourced(f"{table_id}/{key}/{column}", measure, source)
        built.append(Row(key, dict(zip(labels, label_values, strict=True)), values))
    return ContextTable(
        table_id,
        "title",
        "definition",
        "a source",
        tuple(labels),
        tuple(units),
        units,
        tuple(built),
    )


SERIES_UNITS = {"at_31_march": "count", "at_31_march_rate": "rate"}


def series(*years: tuple[str, str, str]) -> ContextTable:
    """real-cin-by-year rows: (year, at 31 March, rate)."""
    return context_table(
        "real-cin-by-year", ("year",), SERIES_UNITS, [((y,), (n, r)) for y, n, r in years]
    )


def areas(*rows: tuple[str, str, str, str, str, str]) -> ContextTable:
    """real-cin-by-area rows: (code, name, level, parent, at 31 March, rate)."""
    return context_table(
        "real-cin-by-area",
        ("area_code", "area_name", "level", "parent"),
        SERIES_UNITS,
        [(r[:4], r[4:]) for r in rows],
    )
