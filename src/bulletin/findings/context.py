"""Findings (all sections): compute every section, and write the findings context as JSON.

`compute(linked, params)` runs the sections in order; `to_json(findings, dataset, t)` is
the context the templates read, keyed by stable ids (the calibration ids B1, B2, ... where
a finding has one), byte-stable: keys sorted, values exact text. Every value in it has
passed disclosure control: a measure's `value` is its published value (a count as shown, a
share to 3 places, that is a percentage to 1), `symbol` the GSS symbol shown instead, and
`numerator` and `denominator` as published (rounded to the nearest 10 unless they count
schools). `dataset` is the extract's dataset.json, which the pipeline passes through:
the findings never read it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
from bulletin.findings.linked import Linked, Params
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


def compute(linked: Linked, params: Params) -> Findings:
    """Every section of findings on the linked extract."""
    return Findings(
        prevalence=prevalence.compute(linked, params),
        journeys=journeys.compute(linked, params),
        schools=schools.compute(linked, params),
        experiences=experiences.compute(linked, params),
        attainment=attainment.compute(linked, params),
        after16=after16.compute(linked, params),
        regression=regression.compute(linked, params),
    )


def to_json(findings: Findings, dataset: Mapping[str, Any], t: Disclosure) -> str:
    """The findings context as JSON text (sorted keys, a final newline)."""
    measures: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    for section, found in findings.sections().items():
        for entry in found.entries():
            if entry.id in measures:
                raise ValueError(f"finding id {entry.id} is used twice")
            measures[entry.id] = {"section": section, **_measure(entry, t)}
        for table in found.tables():
            if table.id in tables:
                raise ValueError(f"table id {table.id} is used twice")
            tables[table.id] = {"section": section, **_table(table)}
    context = {
        "generator": GENERATOR,
        "format": FORMAT,
        "dataset": dict(dataset),
        "synthetic": bool(dataset.get("synthetic")),
        "measures": measures,
        "tables": tables,
    }
    return json.dumps(context, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


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
