"""Data: validate a linked extract in DuckDB, reporting every problem with file, row and column.

The checks (`checks.CHECKS`) run as SQL over the typed views, never as Python loops over
rows. Checks that read the same rows run together in one pass that counts the rows with
each problem; then, for each problem found, the first rows and their messages are
fetched. At most `checks.CAP` problems are listed per (table, column, check), with a count
of the rest. A check DuckDB cannot compute (say, an addition that overflows on absurd
values) is itself reported as a blocking problem, never as a crash.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core import schema
from bulletin.core.problems import Problem
from bulletin.data.linked.checks import CAP, CHECKS, Check
from bulletin.data.linked.read import (
    DATASET_FILE,
    FORMATS,
    Source,
    available,
    connect,
    read_dataset,
    read_public_las,
    register,
)

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class ValidationReport:
    """Everything found wrong with an extract: blocking problems first, then warnings."""

    folder: Path
    problems: tuple[Problem, ...]
    rows: Mapping[str, int] = field(default_factory=dict)  # data rows read per table
    dataset: Mapping[str, Any] | None = None  # dataset.json, when it could be read
    skipped: tuple[Check, ...] = ()  # checks not run: a file or column they read is unusable

    @property
    def blocking(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.blocking)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.blocking)

    @property
    def ok(self) -> bool:
        """True when nothing blocks the extract's use (warnings allowed)."""
        return not self.blocking


def validate(folder: Path, public_data: Path, threads: int = 2) -> ValidationReport:
    """Check every file of the extract in `folder` against the specification.

    `public_data` is the real public data folder, whose local authorities the extract's
    local authority codes must be among. Nothing is written but DuckDB's spill files, in a
    temporary folder removed afterwards.
    """
    problems: list[Problem] = []
    dataset, dataset_problems = read_dataset(folder)
    problems += dataset_problems
    problems += _unknown_files(folder)
    with tempfile.TemporaryDirectory(prefix="bulletin-validate-") as tmp:
        con = connect(threads, Path(tmp))
        try:
            public_problems = read_public_las(con, public_data)
            problems += public_problems
            sources = {t.name: register(con, folder, t) for t in schema.TABLES}
            for source in sources.values():
                problems += source.problems
            usable = available(sources, public_ok=not public_problems)
            runnable = [c for c in CHECKS if set(c.reads) <= usable]
            skipped = tuple(c for c in CHECKS if not set(c.reads) <= usable)
            problems += run_checks(con, runnable, sources)
        finally:
            con.close()
    return ValidationReport(
        folder,
        tuple(sorted(set(problems), key=_order)),
        {name: s.rows for name, s in sources.items()},
        dataset,
        skipped,
    )


def run_checks(
    con: duckdb.DuckDBPyConnection, checks: Iterable[Check], sources: Mapping[str, Source]
) -> list[Problem]:
    """Run `checks`: one counting pass per distinct set of rows, then, for each check that
    found something, its first CAP rows and their messages."""
    import duckdb

    by_relation: dict[str, list[Check]] = defaultdict(list)
    problems: list[Problem] = []
    for check in checks:
        label = sources[check.table].label
        if check.condition == "FALSE" or _cannot_fail(check, sources[check.table]):
            continue
        if not check.quick:
            by_relation[check.relation].append(check)
            continue
        try:
            if all(_some(con, sql) for sql in check.quick):
                problems += _located(con, check, label)
        except duckdb.Error as exc:
            problems.append(_unchecked(check, label, exc))
    for relation, group in by_relation.items():
        # sum(CASE ...) is much faster in DuckDB than count(*) FILTER (WHERE ...)
        counts = ", ".join(f"sum(CASE WHEN {c.condition} THEN 1 ELSE 0 END)" for c in group)
        try:
            found = con.execute(f"SELECT {counts} FROM {relation} AS r").fetchone()
        except duckdb.Error:  # find which check cannot be computed
            found = None
        for i, check in enumerate(group):
            label = sources[check.table].label
            try:
                if found is None:
                    _some(con, f"SELECT count(*) FROM {relation} AS r WHERE {check.condition}")
                if found is None or found[i]:
                    problems += _located(con, check, label)
            except duckdb.Error as exc:
                problems.append(_unchecked(check, label, exc))
    return problems


def _unchecked(check: Check, label: str, exc: Exception) -> Problem:
    error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return Problem(label, None, check.column, f"cannot check that {check.text}: {error}")


def _some(con: duckdb.DuckDBPyConnection, sql: str) -> bool:
    found = con.execute(sql).fetchone()
    return bool(found and found[0])


def _cannot_fail(check: Check, source: Source) -> bool:
    """A type check of a Parquet column stored with its field's type: no value can fail."""
    return check.kind == "type" and check.column in source.stored


def _located(con: duckdb.DuckDBPyConnection, check: Check, label: str) -> list[Problem]:
    """The first CAP rows with the problem, and a count of the others."""
    counted = con.execute(
        f"SELECT count(DISTINCT _row) FROM {check.relation} AS r WHERE {check.condition}"
    ).fetchone()
    bad = int(counted[0]) if counted else 0
    found = con.execute(
        f"SELECT DISTINCT _row, {check.message} FROM {check.relation} AS r "
        f"WHERE {check.condition} ORDER BY _row LIMIT {CAP}"
    ).fetchall()
    problems = [
        Problem(label, int(row), check.column, str(message), check.blocking)
        for row, message in found
    ]
    if bad > len(found):
        problems.append(
            Problem(
                label,
                None,
                check.column,
                f"{bad - len(found):,} more rows fail the same {check.kind} check "
                f"({check.text}); only the first {len(found)} are listed",
                check.blocking,
            )
        )
    return problems


def _unknown_files(folder: Path) -> list[Problem]:
    if not folder.is_dir():
        return [Problem(str(folder), None, None, "the extract folder does not exist")]
    tables = {f"{t.name}.{fmt}" for t in schema.TABLES for fmt in FORMATS}
    return [
        Problem(p.name, None, None, "not a table of the specification; it is ignored", False)
        for p in sorted(folder.iterdir())
        if p.suffix.lstrip(".") in FORMATS and p.name not in tables
    ]


_TABLE_ORDER = {
    **{f"{t.name}.{fmt}": i for i, t in enumerate(schema.TABLES) for fmt in FORMATS},
    DATASET_FILE: -1,
}


def _order(p: Problem) -> tuple[bool, int, str, int, str, str]:
    """Blocking problems first, then warnings; each by table (schema order), row, column."""
    return (
        not p.blocking,
        _TABLE_ORDER.get(p.file, len(_TABLE_ORDER)),
        p.file,
        -1 if p.row is None else p.row,
        p.column or "",
        p.message,
    )
