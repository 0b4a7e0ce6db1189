"""Findings (all sections): compute every section, and write the findings context as JSON.

`compute(linked, params)` runs the sections in order; `to_json(findings, dataset, t)` is
the context the templates read, keyed by stable ids (the calibration ids B1, B2, ... where
a finding has one), byte-stable: keys sorted, values exact text. Each measure and table
names its `section` and the registered queries it comes from (`query`, names of
`linked.QUERIES`): its provenance. Every value in it has
passed disclosure control: a measure's `value` is its published value (a count as shown, a
share to 3 places, that is a percentage to 1), `symbol` the GSS symbol shown instead, and
`numerator` and `denominator` as published (rounded to the nearest 10 unless they count
schools). `dataset` is the extract's dataset.json, which the pipeline passes through:
the findings never read it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bulletin.core.context import (
    Context,
    ContextTable,
    Definition,
    Row,
    cell_of,
    measure_of,
    row_keys,
)
from bulletin.core.measure import Measure
from bulletin.core.provenance import Kind, Source, Sourced
from bulletin.core.settings import Disclosure
from bulletin.findings import (
    after16,
    attainment,
    experiences,
    journeys,
    prevalence,
    regression,
    schools,
)
from bulletin.findings.linked import QUERIES, Linked, Params
from bulletin.findings.publish import Entry, FindingsTable, cell, published_part, published_value

FORMAT = 1  # the version of the context's layout
GENERATOR = "bulletin findings"  # the marker by which `findings --json` knows its own file


@dataclass(frozen=True)
class Findings:
    prevalence: prevalence.PrevalenceFindings
    journeys: journeys.JourneysFindings
    schools: schools.SchoolsFindings
    experiences: experiences.ExperiencesFindings
    attainment: attainment.AttainmentFindings
    after16: after16.After16Findings
    regression: regression.RegressionFindings

    def sections(self) -> dict[str, Any]:
        return {
            "prevalence": self.prevalence,
            "journeys": self.journeys,
            "schools": self.schools,
            "experiences": self.experiences,
            "attainment": self.attainment,
            "after16": self.after16,
            "regression": self.regression,
        }


def compute(
    linked: Linked, params: Params, log: Callable[[str], None] = lambda _: None
) -> Findings:
    """Every section of findings on the linked extract; `log` hears each section's name
    before it is computed (the sub-steps of the findings stage)."""
    sections = {
        "prevalence": prevalence.compute,
        "journeys": journeys.compute,
        "schools": schools.compute,
        "experiences": experiences.compute,
        "attainment": attainment.compute,
        "after16": after16.compute,
        "regression": regression.compute,
    }
    found: dict[str, Any] = {}
    for name, section in sections.items():
        log(f"findings: {name}")
        found[name] = section(linked, params)
    return Findings(**found)


def to_json(findings: Findings, dataset: Mapping[str, Any], t: Disclosure) -> str:
    """The findings context as JSON text (sorted keys, a final newline)."""
    measures: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    for section, found in findings.sections().items():
        for entry in found.entries():
            if entry.id in measures:
                raise ValueError(f"finding id {entry.id} is used twice")
            query = _queries(entry.id, section, entry.query)
            measures[entry.id] = {"section": section, "query": query, **_measure(entry, t)}
        for table in found.tables():
            if table.id in tables:
                raise ValueError(f"table id {table.id} is used twice")
            query = _queries(table.id, section, table.query)
            tables[table.id] = {"section": section, "query": query, **_table(table)}
    context = {
        "generator": GENERATOR,
        "format": FORMAT,
        "rules": _rules(t),
        "dataset": dict(dataset),
        "synthetic": bool(dataset.get("synthetic")),
        "measures": measures,
        "tables": tables,
    }
    return json.dumps(context, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


#: The disclosure rules the findings were published under, as the publications state them.
RULES = {
    "suppress_min": "the smallest count shown as c",
    "suppress_max": "the largest count shown as c",
    "min_denominator": "the smallest count a percentage or rate is shown on",
    "rounding_base": "the base national and regional counts of children and pupils are rounded to",
}


def _rules(t: Disclosure) -> dict[str, Any]:
    """The thresholds of disclosure control, published with the findings they shaped."""
    return {
        f"disclosure_{name}": {
            "section": "disclosure",
            "unit": "number",
            "value": str(getattr(t, name)),
            "symbol": None,
            "numerator": None,
            "denominator": None,
            "counted": "",
            "definition": definition,
            "source": "bulletin.toml [disclosure]",
        }
        for name, definition in RULES.items()
    }


def _queries(key: str, section: str, names: tuple[str, ...]) -> list[str]:
    """The registered queries a finding comes from: at least one, each of its section."""
    wrong = [n for n in names if n not in QUERIES or not n.startswith(f"{section}.")]
    if not names or wrong:
        raise ValueError(f"finding {key}: its queries must be registered in {section}: {names}")
    return list(names)


def _measure(entry: Entry, t: Disclosure) -> dict[str, Any]:
    m = entry.measure
    return {
        "unit": m.unit.value,
        "value": published_value(m),
        "symbol": None if m.symbol is None else m.symbol.value,
        "numerator": published_part(m.numerator, m, entry.counted, t),
        "denominator": published_part(m.denominator, m, entry.counted, t),
        "counted": entry.counted.value,
        "definition": m.definition,
        "source": m.source,
    }


def _table(table: FindingsTable) -> dict[str, Any]:
    frame = table.frame
    columns = list(frame.columns)
    units = {
        c: next((v.unit.value for v in frame[c] if not isinstance(v, str)), None)
        for c in columns
        if c not in table.labels
    }
    rows = [
        [
            value if column in table.labels else cell(value)
            for column, value in zip(columns, row, strict=True)
        ]
        for row in frame.itertuples(index=False)
    ]
    return {
        "title": table.title,
        "definition": table.definition,
        "source": table.source,
        "counted": table.counted.value,
        "columns": columns,
        "labels": list(table.labels),
        "units": units,
        "rows": rows,
    }


# -- reading findings.json back ------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """findings.json as the publications read it: every measure and table cell a `Sourced`
    (kind findings, with its section and query), and the extract's dataset.json."""

    context: Context
    dataset: Mapping[str, Any]
    synthetic: bool


def load(text: str) -> Loaded:
    """Read the findings context (the JSON `to_json` writes)."""
    data = json.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"findings.json has format {data.get('format')}, expected {FORMAT}")
    measures: dict[str, Sourced] = {}
    definitions: dict[str, Definition] = {}
    for key, m in data["measures"].items():
        source = Source(Kind.FINDINGS, section=m["section"], query=", ".join(m["query"]))
        measure = measure_of(
            m["value"], m["symbol"], m["unit"], definition=m["definition"], source=m["source"]
        )
        measures[key] = Sourced(key, measure, source)
        parts = {
            part: None
            if m[part] is None
            else Sourced(f"{key}.{part}", Measure.count(int(m[part])), source)
            for part in ("numerator", "denominator")
        }
        definitions[key] = Definition(
            m["definition"], m["source"], m["counted"], parts["numerator"], parts["denominator"]
        )
    for key, rule in data.get("rules", {}).items():
        measure = measure_of(rule["value"], None, rule["unit"], definition=rule["definition"])
        measures[key] = Sourced(key, measure, Source(Kind.FINDINGS, section=rule["section"]))
    tables = {key: _loaded_table(key, t) for key, t in data["tables"].items()}
    return Loaded(Context(measures, definitions, tables), data["dataset"], bool(data["synthetic"]))


def _loaded_table(table_id: str, t: Mapping[str, Any]) -> ContextTable:
    labels = tuple(t["labels"])
    columns = tuple(c for c in t["columns"] if c not in labels)
    source = Source(
        Kind.FINDINGS, section=t["section"], query=", ".join(t["query"]), table=table_id
    )
    rows = []
    named_rows = [dict(zip(t["columns"], raw, strict=True)) for raw in t["rows"]]
    keys = row_keys([[str(named[c]) for c in labels] for named in named_rows])
    for named, key in zip(named_rows, keys, strict=True):
        label_values = {c: str(named[c]) for c in labels}
        values = {
            c: Sourced(
                f"{table_id}/{key}/{c.replace(' ', '_')}",
                cell_of(str(named[c]), t["units"][c]),
                replace(source, row=key, column=c),
            )
            for c in columns
        }
        rows.append(Row(key, label_values, values))
    return ContextTable(
        table_id,
        t["title"],
        t["definition"],
        t["source"],
        labels,
        columns,
        {c: t["units"][c] for c in columns},
        tuple(rows),
        section=t["section"],
        counted=t["counted"],
    )
