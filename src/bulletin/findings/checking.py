"""Findings (output checking): the pack an output checker reads before anything leaves.

Analysts in secure environments (the ONS Secure Research Service, for example) may take
out only what an output checker has cleared. For a build on real data (an extract whose
dataset.json says `synthetic: false`) the pipeline writes this pack beside the site, never
in it: it holds the unrounded counts.

`pack(findings, notes, dataset, t)` makes it from what `publish.recording()` noted while
the findings were computed:

- the thresholds of disclosure control;
- every table of findings (by id, with its section and title) and, for each, the
  protected tables it was made from: every cell with its true count, what was published
  and why (shown; rounded to the nearest 10; suppressed as a count of 1 to 5; suppressed
  to protect another cell), every rate with the counts behind it and why it is hidden,
  and the result of the LP audit (each count of 1 to 5 and the range of values
  consistent with what is published);
- the single counts and shares made for the table, and every single finding (by id),
  each with its true counts and what was published.

A table of findings is made right after the protected tables it shows (findings code
protects a table, then lays it out): it is given the protected tables, and the single
numbers, noted since the table before it. A protected table that several tables of
findings show (the parts of the journeys table) is listed with the first; the others,
made with no protected table or number of their own, name it (`shows_protected_table_of`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from bulletin.core.measure import Measure, Unit
from bulletin.core.settings import Disclosure
from bulletin.disclosure import AuditResult, ProtectedTable
from bulletin.disclosure.rules import is_primary
from bulletin.findings.publish import FindingsTable, Noted, NotedTable, cell

if TYPE_CHECKING:
    from bulletin.findings.context import Findings

PACK_FILE = "output-checking.json"
CELLS_FILE = "output-checking-cells.csv"
PACK_FILES = (PACK_FILE, CELLS_FILE)
FORMAT = 1


def pack(
    findings: Findings, notes: Sequence[Noted], dataset: Mapping[str, Any], t: Disclosure
) -> dict[str, Any]:
    """The output-checking pack as a JSON-ready dict (see the module docstring)."""
    section_of = {
        table.id: name for name, part in findings.sections().items() for table in part.tables()
    }
    singles: dict[int, tuple[int, ...]] = {}  # id of a noted measure -> its true counts
    tables: list[dict[str, Any]] = []
    protected: list[dict[str, Any]] = []
    numbers: list[dict[str, Any]] = []
    last_protected: dict[str, str] = {}  # section -> the last table with protected tables
    for note in notes:
        if isinstance(note, FindingsTable):
            section = section_of.get(note.id, "")
            record: dict[str, Any] = {
                "id": note.id,
                "section": section,
                "title": note.title,
                "protected_tables": protected,
                "numbers": numbers,
            }
            if protected:
                last_protected[section] = note.id
            elif not numbers and section in last_protected:
                record["shows_protected_table_of"] = last_protected[section]
            tables.append(record)
            protected, numbers = [], []
        elif isinstance(note, NotedTable):
            protected.append(_protected(note.published, note.audit))
        else:
            singles[id(note.measure)] = note.counts
            numbers.append(_single(note.measure, note.counts, t))
    entries = []
    for name, part in findings.sections().items():
        for entry in part.entries():
            counts = singles.get(id(entry.measure), ())
            entries.append({"id": entry.id, "section": name, **_single(entry.measure, counts, t)})
    return {
        "format": FORMAT,
        "purpose": "For the output checker: unrounded counts. Never publish this file.",
        "dataset": dict(dataset),
        "thresholds": asdict(t),
        "tables": tables,
        "findings": entries,
    }


def pack_json(content: Mapping[str, Any]) -> str:
    return json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def cells_csv(content: Mapping[str, Any]) -> str:
    """Every cell of every protected table, one a row: the table of findings, the cell,
    its true count, what was published and why."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "part", "row", "column", "true_count", "published", "treatment"])
    for table in content["tables"]:
        for part, protected in enumerate(table["protected_tables"], start=1):
            for c in protected["cells"]:
                writer.writerow(
                    [
                        table["id"],
                        part,
                        c["row"],
                        c["column"],
                        c["count"],
                        c["published"],
                        c["treatment"],
                    ]
                )
    return out.getvalue()


def _protected(published: ProtectedTable, result: AuditResult) -> dict[str, Any]:
    table, t = published.table, published.thresholds
    cells = []
    for key in sorted(table.cells):
        value = table.cells[key]
        shown = published.published(key)
        if key in published.suppressed:
            treatment = (
                f"suppressed: a count of {t.suppress_min} to {t.suppress_max}"
                if is_primary(value, t)
                else "suppressed: secondary, so that no count of 1 to 5 can be worked out"
            )
        elif key in table.rounded:
            treatment = f"rounded to the nearest {t.rounding_base}"
        else:
            treatment = "shown"
        row, column = key
        cells.append(
            {
                "row": row,
                "column": column,
                "count": value,
                "published": "c" if shown is None else shown,
                "treatment": treatment,
            }
        )
    rates = []
    for rate in table.rates:
        numerator, denominator = table.cells[rate.numerator], table.denominator(rate)
        shown_rate = published.rate_published(rate.key)
        if denominator == 0:
            why = "not applicable: the denominator is 0"
        elif rate.key not in published.hidden_rates:
            why = "shown"
        elif rate.numerator in published.suppressed:
            why = "suppressed: its numerator is suppressed"
        elif not isinstance(rate.denominator, int) and rate.denominator in published.suppressed:
            why = "suppressed: its denominator is suppressed"
        else:
            why = f"suppressed: its denominator is under {t.min_denominator}"
        rates.append(
            {
                "row": rate.key[0],
                "column": rate.key[1],
                "numerator": numerator,
                "denominator": denominator,
                "public_denominator": isinstance(rate.denominator, int),
                "published": "z"
                if denominator == 0
                else ("c" if shown_rate is None else str(shown_rate)),
                "treatment": why,
            }
        )
    audit = {
        "passes": result.passes,
        "checked": [
            {
                "row": check.key[0],
                "column": check.key[1],
                "count": check.value,
                "lowest_consistent": _bound(check.low),
                "highest_consistent": _bound(check.high),
                "needs_at_most": check.need_low,
                "needs_at_least": check.need_high,
                "protected": check.passes,
            }
            for check in result.checks
        ],
    }
    return {"cells": cells, "rates": rates, "audit": audit}


def _single(measure: Measure, counts: tuple[int, ...], t: Disclosure) -> dict[str, Any]:
    """A single count or share: its true counts, and what was published."""
    published = cell(measure)
    record: dict[str, Any] = {"unit": measure.unit.value, "published": published}
    if measure.definition:
        record["definition"] = measure.definition
    if measure.unit is Unit.COUNT and len(counts) == 1:
        record["count"] = counts[0]
    elif len(counts) == 2:
        record["numerator"], record["denominator"] = counts
    else:
        record["numerator"], record["denominator"] = measure.numerator, measure.denominator
    if measure.symbol is not None:
        record["treatment"] = f"{measure.symbol.value}: {measure.symbol.meaning}"
    elif measure.unit is Unit.COUNT and counts and measure.value != counts[0]:
        record["treatment"] = f"rounded to the nearest {t.rounding_base}"
    else:
        record["treatment"] = "shown"
    return record


def _bound(x: float) -> float | None:
    return None if math.isinf(x) else x
