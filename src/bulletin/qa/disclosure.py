"""QA (disclosure): no count of 1 to 5 derived from linked data is published unsuppressed.

The check is one function over a list of published values, `check_disclosure(values, t)`.
Each `PublishedValue` says where it appears, its value as published, whether it is a
count derived from linked data, and whether it is exempt: a value of a public release
that is already published (the release is named), which is printed exactly as the
Department published it (DESIGN.md decision 7) and is not ours to suppress. A linked count
from `t.suppress_min` to `t.suppress_max` that is not exempt fails the check, wherever it
appears; every exempt value is counted in the result, with its release.

Where the values come from today: every CSV file of the site (tables and the figures'
data, `csv_values`) and the findings context, findings.json (`findings_values`). The
numbers manifest of each publication (numbers.json) will feed the same function with
every number of the HTML, the PDF and the alt text.

`check_pack_outside(site, pack_files)` fails when a file of the output-checking pack
(unrounded counts for the output checker) is found in the site.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.core.settings import Disclosure
from bulletin.qa.results import CheckResult, Result, passed

CHECK = "disclosure"
WHOLE = re.compile(r"\d+")  # a CSV cell read as a count (shares and rates have decimals)
SHOWN = 20  # failures listed one by one; the rest are counted
META_SUFFIX = ".meta.csv"  # an EES data file's metadata, beside it


@dataclass(frozen=True)
class PublishedValue:
    """One published value, for the disclosure check."""

    where: str  # the file, and the row and column (or the id) it is at
    value: str  # as published
    linked_count: bool  # a count derived from linked (pupil-level) data
    exempt: str = ""  # the public release it is already published in ("" if none)


def check_disclosure(values: Iterable[PublishedValue], t: Disclosure) -> list[CheckResult]:
    """FAIL for every linked count of 1 to 5 that is shown and not exempt; else a PASS
    saying how many counts were checked and which public releases were exempt."""
    checked, failed = 0, []
    exempt: dict[str, int] = {}
    for item in values:
        if item.exempt:
            exempt[item.exempt] = exempt.get(item.exempt, 0) + 1
            continue
        if not item.linked_count:
            continue
        checked += 1
        if WHOLE.fullmatch(item.value) and t.suppress_min <= int(item.value) <= t.suppress_max:
            failed.append(item)
    guidance = (
        "A count of 1 to 5 from linked data must be shown as c (DESIGN.md decision 6): "
        "publish it through bulletin.findings.publish (count, share, protected)."
    )
    results = [
        CheckResult(
            CHECK,
            Result.FAIL,
            f"{item.where}: {item.value} is a count of 1 to 5 from linked data, shown unsuppressed",
            guidance,
        )
        for item in failed[:SHOWN]
    ]
    if len(failed) > SHOWN:
        more = f"and {len(failed) - SHOWN} more counts of 1 to 5 shown unsuppressed"
        results.append(CheckResult(CHECK, Result.FAIL, more, guidance))
    if not failed:
        results.append(
            passed(
                CHECK,
                f"{checked} counts from linked data checked: none from "
                f"{t.suppress_min} to {t.suppress_max} is shown",
            )
        )
    results += [
        passed(CHECK, f"{n} values exempt, already published: {release}")
        for release, n in sorted(exempt.items())
    ]
    return results


def csv_values(
    path: Path, name: str, exempt: str = "", counts: Collection[str] | None = None
) -> list[PublishedValue]:
    """Every cell of a published CSV file: a whole number in a column of `counts` (in any
    column when `counts` is not known) is a linked count, unless the file is `exempt` (the
    public release its values come from)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    if not rows:
        return []
    header = rows[0]
    return [
        PublishedValue(
            f"{name}, row {number}, column {column}",
            cell,
            bool(WHOLE.fullmatch(cell)) and (counts is None or column in counts),
            exempt,
        )
        for number, row in enumerate(rows[1:], start=2)
        for column, cell in zip(header, row, strict=False)
    ]


def ees_counts(meta: Path) -> list[str]:
    """The count columns of an EES data file, from its metadata file: the indicators with
    no unit and no decimal places."""
    rows = csv.DictReader(io.StringIO(meta.read_text(encoding="utf-8"), newline=""))
    return [
        r["col_name"]
        for r in rows
        if r.get("col_type") == "Indicator"
        and not r.get("indicator_unit")
        and r.get("indicator_dp", "") in ("", "0")
    ]


def findings_values(text: str, name: str) -> list[PublishedValue]:
    """Every count in a findings context (findings.json): the value of each count measure,
    the numerator and denominator of every measure, and each cell of a count column of a
    table. All are derived from linked data."""
    context: dict[str, Any] = json.loads(text)
    found: list[PublishedValue] = []
    for key, measure in sorted(context.get("measures", {}).items()):
        if measure.get("unit") == "count" and measure.get("value") is not None:
            found.append(PublishedValue(f"{name}, measure {key}", str(measure["value"]), True))
        for part in ("numerator", "denominator"):
            if measure.get(part) is not None:
                where = f"{name}, measure {key}, {part}"
                found.append(PublishedValue(where, str(measure[part]), True))
    for key, table in sorted(context.get("tables", {}).items()):
        counts = [c for c, unit in table.get("units", {}).items() if unit == "count"]
        columns: Sequence[str] = table.get("columns", [])
        labels = table.get("labels", [])
        for row in table.get("rows", []):
            cells = dict(zip(columns, row, strict=False))
            label = ", ".join(str(cells[c]) for c in labels if c in cells)
            for column in counts:
                where = f"{name}, table {key}, row {label}, column {column}"
                found.append(PublishedValue(where, str(cells.get(column)), True))
    return found


def site_values(
    site: Path, exempt: Mapping[str, str], counts: Mapping[str, Sequence[str]]
) -> list[PublishedValue]:
    """The values of every CSV data file of a built site; `exempt` maps a file (relative to
    the site) to the public release its values come from, `counts` a file to its columns of
    counts. An EES data file's counts are read from its metadata file (which holds no
    data); a file neither names has every whole number taken for a count."""
    found: list[PublishedValue] = []
    for path in sorted(site.rglob("*.csv")):
        name = path.relative_to(site).as_posix()
        if name.endswith(META_SUFFIX):
            continue
        meta = path.with_name(path.name.removesuffix(".csv") + META_SUFFIX)
        columns = ees_counts(meta) if meta.is_file() else counts.get(name)
        found += csv_values(path, name, exempt.get(name, ""), columns)
    return found


def check_pack_outside(site: Path, pack_files: Sequence[str]) -> list[CheckResult]:
    """The output-checking pack holds unrounded counts: none of its files may be in the
    site."""
    inside = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.name in pack_files)
    if inside:
        return [
            CheckResult(
                "output-checking",
                Result.FAIL,
                f"{name}: a file of the output-checking pack is in the site",
                "The pack holds unrounded counts: it is written beside the site, never in it.",
            )
            for name in inside
        ]
    return [passed("output-checking", "no file of the output-checking pack is in the site")]
