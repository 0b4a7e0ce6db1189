"""Core: the values a publication may print, with their provenance, and their JSON form.

A `Context` holds sourced measures by id and sourced tables by id. The findings of the
linked data (findings.json), the real files' national context (public.json) and the facts
file are each read into one; a publication's templates read only these three
(DESIGN.md decision 12). A table is tidy: label columns (text) and value columns (each cell
a `Sourced`, whose id is ``<table>/<row key>/<column>``); the row key is a slug of the
row's labels, stable from build to build.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from bulletin.core.measure import Measure, Unit
from bulletin.core.provenance import Source, Sourced
from bulletin.core.symbols import Symbol


@dataclass(frozen=True)
class Definition:
    """What a measure is, for readers: its definition, what it counts, where it comes from,
    and its published numerator and denominator where it has them."""

    text: str
    source: str
    counted: str = ""
    numerator: Sourced | None = None
    denominator: Sourced | None = None
    caveat: str = ""


@dataclass(frozen=True)
class Row:
    key: str  # a slug of the labels: stable, unique in its table
    labels: Mapping[str, str]
    values: Mapping[str, Sourced]

    def __getitem__(self, column: str) -> Any:
        return self.labels[column] if column in self.labels else self.values[column]


@dataclass(frozen=True)
class ContextTable:
    id: str
    title: str
    definition: str
    source: str  # the source as readers see it ("Department for Education, ...")
    labels: tuple[str, ...]  # the label columns, in order
    columns: tuple[str, ...]  # the value columns, in order
    units: Mapping[str, str]
    rows: tuple[Row, ...]
    section: str = ""  # the findings section, for a findings table
    counted: str = ""

    def row(self, **labels: str) -> Row:
        """The one row whose labels are these."""
        found = [r for r in self.rows if all(r.labels.get(k) == v for k, v in labels.items())]
        if len(found) != 1:
            raise KeyError(f"{self.id}: {len(found)} rows match {labels}")
        return found[0]

    def column(self, name: str) -> list[Sourced]:
        return [r.values[name] for r in self.rows]


@dataclass(frozen=True)
class Context:
    measures: Mapping[str, Sourced] = field(default_factory=dict)
    definitions: Mapping[str, Definition] = field(default_factory=dict)
    tables: Mapping[str, ContextTable] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Sourced:
        try:
            return self.measures[key]
        except KeyError:
            raise KeyError(f"no measure {key!r} in this context") from None


def slug(*parts: str) -> str:
    """A stable key for a row from its labels: 'Looked after', '2017/18' -> 'looked-after_2017-18'."""
    words = [re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") or "-" for p in parts]
    return "_".join(words)


def measure_of(
    value: str | None, symbol: str | None, unit: str, *, definition: str = "", source: str = ""
) -> Measure:
    """A published value (exact text) or its GSS symbol as a Measure."""
    if symbol is not None:
        return Measure.hidden(Symbol(symbol), Unit(unit), definition=definition, source=source)
    if value is None:
        raise ValueError("a published value needs a value or a symbol")
    return Measure(Decimal(value), Unit(unit), definition=definition, source=source)


def cell_of(text: str, unit: str) -> Measure:
    """A table cell as published (a value, or a symbol in its place) as a Measure."""
    if text in {s.value for s in Symbol}:
        return measure_of(None, text, unit)
    return measure_of(text, None, unit)


# -- JSON --------------------------------------------------------------------------------


def sourced_to_dict(s: Sourced) -> dict[str, Any]:
    m = s.measure
    return {
        "unit": m.unit.value,
        "value": None if m.value is None else format(m.value, "f"),
        "symbol": None if m.symbol is None else m.symbol.value,
        "definition": m.definition,
        "cited": m.source,  # the source as readers see it cited
        "source": s.source.as_dict(),
    }


def sourced_from_dict(key: str, data: Mapping[str, Any]) -> Sourced:
    measure = measure_of(
        data["value"],
        data["symbol"],
        data["unit"],
        definition=data["definition"],
        source=data.get("cited", ""),
    )
    return Sourced(key, measure, Source.from_dict(dict(data["source"])))


def table_to_dict(t: ContextTable) -> dict[str, Any]:
    return {
        "title": t.title,
        "definition": t.definition,
        "source": t.source,
        "labels": list(t.labels),
        "columns": list(t.columns),
        "units": dict(t.units),
        "rows": [
            {
                "key": r.key,
                "labels": dict(r.labels),
                "values": {c: sourced_to_dict(r.values[c]) for c in t.columns},
            }
            for r in t.rows
        ],
    }


def table_from_dict(table_id: str, data: Mapping[str, Any]) -> ContextTable:
    rows = tuple(
        Row(
            r["key"],
            dict(r["labels"]),
            {c: sourced_from_dict(f"{table_id}/{r['key']}/{c}", v) for c, v in r["values"].items()},
        )
        for r in data["rows"]
    )
    return ContextTable(
        table_id,
        data["title"],
        data["definition"],
        data["source"],
        tuple(data["labels"]),
        tuple(data["columns"]),
        dict(data["units"]),
        rows,
    )


def row_keys(labels: Sequence[Sequence[str]]) -> list[str]:
    """The rows' keys: the slug of as few of their first labels as tell every row apart
    (a group code, a year; then the group and the SEN code...). Raises if two rows still share one."""
    for width in range(1, max((len(row) for row in labels), default=1) + 1):
        keys = [slug(*row[:width]) for row in labels]
        if len(set(keys)) == len(keys):
            return keys
    raise ValueError(f"two rows have the same labels: {labels}")


def context_to_json(context: Context) -> str:
    """A context of sourced values as JSON (public.json): measures and tables."""
    data = {
        "measures": {k: sourced_to_dict(v) for k, v in sorted(context.measures.items())},
        "tables": {k: table_to_dict(t) for k, t in sorted(context.tables.items())},
    }
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def context_from_json(text: str) -> Context:
    data = json.loads(text)
    measures = {k: sourced_from_dict(k, v) for k, v in data["measures"].items()}
    tables = {k: table_from_dict(k, t) for k, t in data["tables"].items()}
    return Context(measures, {}, tables)
