"""Data: read a linked extract's files into DuckDB as typed views, noting every file problem.

Each table becomes a view `t_<table>` (see `checks.py`): `_row`, each field typed, and
`_raw_<field>`. A CSV file is read with every column as text, so that a value of the wrong
type is found and located rather than failing the whole read; a Parquet file is read as
stored, and a column of the wrong Parquet type is reported once, then read as text.

Before DuckDB reads a file: a file reached through a symbolic link that leaves the
extract's folder is refused, unread, and a CSV file in UTF-16 or UTF-32 is named as such.
When DuckDB cannot read a CSV file at all (it cannot make out its dialect), the first part
of the file is read in Python to say where and why: a quote never closed, a cell that is
not UTF-8 (row and column), a row of the wrong length (`bulletin.data.ees.parse_csv`).
"""

from __future__ import annotations

import json
import mmap
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core import schema
from bulletin.core.problems import Problem
from bulletin.core.schema import Kind, Table
from bulletin.data.ees import encoding_problem, outside, parse_csv
from bulletin.data.linked.checks import CAP, PUBLIC, lit, q, raw, view
from bulletin.data.population import POPULATION_FILE

if TYPE_CHECKING:
    import duckdb

DATASET_FILE = "dataset.json"
FORMATS = ("parquet", "csv")
DIAGNOSE_BYTES = 64 << 20  # how much of a CSV file DuckDB cannot read is read in Python

#: The SQL type of each kind, as the typed views hold it.
SQL_TYPES = {
    Kind.ID: "BIGINT",
    Kind.INT: "BIGINT",
    Kind.NUMBER: "DOUBLE",
    Kind.BOOL: "BOOLEAN",
    Kind.DATE: "DATE",
    Kind.CODE: "VARCHAR",
    Kind.TEXT: "VARCHAR",
}

_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER")
#: The Parquet (DuckDB) types each kind may be stored as.
PARQUET_TYPES: dict[Kind, tuple[str, ...]] = {
    Kind.ID: (*_INTEGERS, "UBIGINT"),
    Kind.INT: (*_INTEGERS, "UBIGINT"),
    Kind.NUMBER: (*_INTEGERS, "FLOAT", "DOUBLE", "DECIMAL"),
    Kind.BOOL: ("BOOLEAN",),
    Kind.DATE: ("DATE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"),
    Kind.CODE: ("VARCHAR",),
    Kind.TEXT: ("VARCHAR",),
}

_CSV_OPTIONS = (
    "header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"', "
    "encoding = 'utf-8'"
)


def parse_text(kind: Kind, text: str, dialect: str = "duckdb") -> str:
    """SQL: the value of `text` (trimmed text, NULL when empty) as `kind`, NULL if it does
    not parse; in DuckDB's SQL, or Spark's (`dialect="spark"`, for `spark.py`)."""

    def matches(pattern: str) -> str:
        if dialect == "spark":
            return f"{text} RLIKE '^{pattern}$'"
        return f"regexp_full_match({text}, '{pattern}')"

    if kind in (Kind.ID, Kind.INT):
        return f"CASE WHEN {matches('[+-]?[0-9]{1,18}')} THEN CAST({text} AS BIGINT) END"
    if kind is Kind.NUMBER:
        # [.], not an escaped dot: Spark's SQL strings drop the backslash of \.
        pattern = "[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{1,3})?"
        number = f"TRY_CAST({text} AS DOUBLE)"
        return f"CASE WHEN {matches(pattern)} AND {finite(number, dialect)} THEN {number} END"
    if kind is Kind.BOOL:
        return (
            f"CASE lower({text}) WHEN 'true' THEN true WHEN '1' THEN true "
            f"WHEN 'false' THEN false WHEN '0' THEN false END"
        )
    if kind is Kind.DATE:
        return (
            f"CASE WHEN {matches('[0-9]{4}-[0-9]{2}-[0-9]{2}')} THEN TRY_CAST({text} AS DATE) END"
        )
    return text


def finite(number: str, dialect: str = "duckdb") -> str:
    """SQL: the double `number` is neither NaN nor infinite."""
    if dialect == "spark":
        return f"NOT isnan({number}) AND abs({number}) != double('infinity')"
    return f"isfinite({number})"


def _parse_stored(kind: Kind, column: str) -> str:
    """SQL: a Parquet column of an accepted type as the kind's SQL type."""
    if kind is Kind.NUMBER:
        return f"CASE WHEN {finite(f'CAST({column} AS DOUBLE)')} THEN CAST({column} AS DOUBLE) END"
    return f"CAST({column} AS {SQL_TYPES[kind]})"


@dataclass
class Source:
    """What was read of one table: its file, format, columns and whether it can be checked."""

    table: Table
    path: Path | None = None
    format: str | None = None
    columns: tuple[str, ...] = ()
    rows: int = 0
    checkable: bool = False  # read, and its rows can be located: run the checks on it
    stored: set[str] = field(default_factory=set)  # Parquet columns whose values cannot
    # fail their type check: stored as an accepted type (numbers may still be NaN)
    problems: list[Problem] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.path is not None:
            return self.path.name
        return f"{self.table.name}.parquet or {self.table.name}.csv"

    def problem(
        self, row: int | None, column: str | None, message: str, blocking: bool = True
    ) -> None:
        self.problems.append(Problem(self.label, row, column, message, blocking))

    @property
    def header_row(self) -> int | None:
        """Where a column is named: row 1 of a CSV; a Parquet file has no header row."""
        return 1 if self.format == "csv" else None


def connect(threads: int, temp_directory: Path) -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB connection with the thread count set explicitly."""
    import duckdb

    return duckdb.connect(
        ":memory:",
        config={"threads": threads, "temp_directory": str(temp_directory)},
    )


def register(con: duckdb.DuckDBPyConnection, folder: Path, table: Table) -> Source:
    """Read one table's file into `con` as the typed view t_<table>; note file problems."""
    source = Source(table)
    found = [folder / f"{table.name}.{fmt}" for fmt in FORMATS]
    found = [p for p in found if p.is_file()]
    if not found:
        source.problem(
            None,
            None,
            "file not found: every table needs a file (a header row alone for a table "
            "with no rows)",
        )
        _empty_view(con, table)
        return source
    source.path = found[0]
    source.format = source.path.suffix.lstrip(".")
    if len(found) > 1:
        source.problem(None, None, f"{found[1].name} is also present: keep one file per table")
    reason = outside(folder, source.path.name)
    if reason is not None:
        source.problem(None, None, reason)
        _empty_view(con, table)
        return source
    import duckdb

    try:
        if source.format == "csv":
            _read_csv(con, source)
        else:
            _read_parquet(con, source)
    except (duckdb.Error, OSError) as exc:  # the file cannot be read at all
        found_why = _diagnose(source) if source.format == "csv" else []
        if not found_why:
            source.problem(None, None, f"cannot be read: {_first_line(exc)}")
        source.problems += found_why
        source.checkable = False
    if not source.checkable:
        _empty_view(con, table)
    return source


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _empty_view(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    columns = ["CAST(NULL AS BIGINT) AS _row"]
    for f in table.fields:
        columns.append(f"CAST(NULL AS {SQL_TYPES[f.kind]}) AS {q(f.name)}")
        columns.append(f"CAST(NULL AS VARCHAR) AS {raw(f.name)}")
    con.execute(
        f"CREATE OR REPLACE VIEW {view(table.name)} AS SELECT {', '.join(columns)} WHERE false"
    )


def _check_columns(source: Source, present: list[str]) -> None:
    source.columns = tuple(present)
    for f in source.table.fields:
        if f.name not in present:
            source.problem(source.header_row, f.name, "required column is missing")
    for name in present:
        if name not in source.table.names:
            source.problem(
                source.header_row,
                name,
                "column is not in the specification; it is ignored",
                blocking=False,
            )


def _typed_view(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    relation: str,
    row: str,
    parsed: dict[str, tuple[str, str]],
) -> None:
    """Create the view t_<table> over `relation`: `parsed` maps each present field to SQL
    for its typed value and for its text as given; an absent field is NULL."""
    columns = [f"CAST({row} AS BIGINT) AS _row"]
    for f in source.table.fields:
        if f.name in parsed:
            typed, text = parsed[f.name]
            columns += [f"{typed} AS {q(f.name)}", f"{text} AS {raw(f.name)}"]
        else:
            columns += [
                f"CAST(NULL AS {SQL_TYPES[f.kind]}) AS {q(f.name)}",
                f"CAST(NULL AS VARCHAR) AS {raw(f.name)}",
            ]
    con.execute(
        f"CREATE OR REPLACE VIEW {view(source.table.name)} AS "
        f"SELECT {', '.join(columns)} FROM {relation}"
    )


def _read_csv(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    assert source.path is not None
    name = source.table.name
    if source.path.stat().st_size == 0:
        source.problem(None, None, "the file is empty: it needs at least a header row")
        return
    with source.path.open("rb") as handle:
        wrong = encoding_problem(handle.read(4096), source.label)
    if wrong is not None:
        source.problems.append(wrong)
        return
    blank = _blank_lines(source.path)
    for line in blank[:CAP]:
        source.problem(line, None, "blank row: delete it (rows after it cannot be numbered)")
    con.execute(
        f"CREATE OR REPLACE TABLE raw_{name} AS SELECT * FROM read_csv({lit(str(source.path))}, "
        f"{_CSV_OPTIONS}, store_rejects = true, rejects_table = 'rejects_{name}', "
        f"rejects_scan = 'rejects_scan_{name}')"
    )
    present = [r[0] for r in con.execute(f"DESCRIBE raw_{name}").fetchall()]
    _check_columns(source, present)
    source.rows = _count(con, f"raw_{name}")
    rejects = con.execute(
        f"SELECT line, column_name, error_type, error_message FROM rejects_{name} "
        f"ORDER BY line LIMIT {CAP + 1}"
    ).fetchall()
    for line, column, error, message in rejects[:CAP]:
        located = error in ("CAST", "INVALID ENCODING")
        source.problem(int(line), column if located else None, _reject_words(str(error), message))
    if rejects or blank:
        source.problem(
            None,
            None,
            "the other rows of this file were not checked: fix the rows above first",
        )
        return
    parsed: dict[str, tuple[str, str]] = {}
    for f in source.table.fields:
        if f.name in present:
            text = f"NULLIF(trim({q(f.name)}), '')"
            parsed[f.name] = (parse_text(f.kind, text), text)
    _typed_view(con, source, f"raw_{name}", "rowid + 2", parsed)
    source.checkable = True


def _diagnose(source: Source) -> list[Problem]:
    """Where and why a CSV file DuckDB cannot read is wrong, from its first part, at most
    CAP problems of each kind."""
    assert source.path is not None
    with source.path.open("rb") as handle:
        data = handle.read(DIAGNOSE_BYTES)
    if len(data) == DIAGNOSE_BYTES:
        data = data[: data.rfind(b"\n") + 1]
    found = parse_csv(data, source.label).problems
    kept: list[Problem] = []
    seen: dict[str, int] = {}
    for problem in found:
        seen[problem.kind] = seen.get(problem.kind, 0) + 1
        if seen[problem.kind] <= CAP:
            kept.append(problem)
    return kept


def _reject_words(error: str, message: str) -> str:
    numbers = re.findall(r"\d+", message or "")
    if error in ("MISSING COLUMNS", "TOO MANY COLUMNS") and len(numbers) >= 2:
        return f"has {numbers[1]} cells, the header has {numbers[0]}"
    if error == "INVALID ENCODING":
        return "not UTF-8 text (the file may be Windows-1252 or Latin-1): save it as CSV UTF-8"
    if error == "UNQUOTED VALUE":
        return "a value holds a quote but is not quoted as a whole"
    return f"cannot be read: {message}"


def _blank_lines(path: Path) -> list[int]:
    """Line numbers of blank lines before the last line with text (DuckDB skips them, so
    the rows after one could not be numbered as a spreadsheet numbers them)."""
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        end = len(data)
        while end > 0 and data[end - 1 : end] in (b"\n", b"\r", b" ", b"\t"):
            end -= 1
        lines = []
        for match in re.finditer(rb"\n[ \t\r]*(?=\n)", data[:end]):
            lines.append(data[: match.start() + 1].count(b"\n") + 1)
            if len(lines) > CAP:
                break
        return lines


def _read_parquet(con: duckdb.DuckDBPyConnection, source: Source) -> None:
    assert source.path is not None
    name = source.table.name
    con.execute(
        f"CREATE OR REPLACE VIEW src_{name} AS SELECT * FROM "
        f"read_parquet({lit(str(source.path))}, file_row_number = true)"
    )
    types = {r[0]: str(r[1]) for r in con.execute(f"DESCRIBE src_{name}").fetchall()}
    types.pop("file_row_number", None)
    _check_columns(source, list(types))
    source.rows = _count(con, f"src_{name}")
    parsed: dict[str, tuple[str, str]] = {}
    for f in source.table.fields:
        if f.name not in types:
            continue
        stored = types[f.name]
        if stored.split("(")[0] in PARQUET_TYPES[f.kind]:
            parsed[f.name] = (_parse_stored(f.kind, q(f.name)), q(f.name))
            if f.kind is not Kind.NUMBER:
                source.stored.add(f.name)
        elif _count(con, f"src_{name}", f"count({q(f.name)})") == 0:
            # a column holding only nulls, which writers often store with some other type
            parsed[f.name] = (f"CAST(NULL AS {SQL_TYPES[f.kind]})", "CAST(NULL AS VARCHAR)")
            source.stored.add(f.name)
        else:
            allowed = ", ".join(PARQUET_TYPES[f.kind])
            source.problem(None, f.name, f"stored as {stored}, not as one of {allowed}")
            text = f"NULLIF(trim(CAST({q(f.name)} AS VARCHAR)), '')"
            parsed[f.name] = (parse_text(f.kind, text), text)
    _typed_view(con, source, f"src_{name}", "file_row_number + 2", parsed)
    source.checkable = True


def _count(con: duckdb.DuckDBPyConnection, relation: str, what: str = "count(*)") -> int:
    row = con.execute(f"SELECT {what} FROM {relation}").fetchone()
    return int(row[0]) if row else 0


# -- dataset.json and the public data ---------------------------------------------------------


def read_dataset(folder: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The extract's dataset.json, and every problem with it."""
    path = folder / DATASET_FILE
    reason = outside(folder, DATASET_FILE)
    if reason is not None:
        return None, [Problem(DATASET_FILE, None, None, reason)]
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(DATASET_FILE, None, None, "file not found: every extract needs one")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(DATASET_FILE, None, None, f"cannot be read: {exc}")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(DATASET_FILE, exc.lineno, None, f"not valid JSON: {exc.msg}")]
    if not isinstance(data, dict):
        return None, [Problem(DATASET_FILE, None, None, "must be a JSON object")]
    problems = []
    for key in schema.DATASET_KEYS:
        if key not in data:
            problems.append(Problem(DATASET_FILE, None, key, "required key is missing"))
        elif key == "synthetic":
            if not isinstance(data[key], bool):
                problems.append(
                    Problem(DATASET_FILE, None, key, f"must be true or false, not {data[key]!r}")
                )
        elif key == "provenance":
            if not (isinstance(data[key], str | dict) and data[key]):
                problems.append(
                    Problem(DATASET_FILE, None, key, "must be a non-empty string or object")
                )
        elif not isinstance(data[key], str) or not data[key].strip():
            problems.append(Problem(DATASET_FILE, None, key, "must be a non-empty string"))
    return data, problems


def read_public_las(con: duckdb.DuckDBPyConnection, public_data: Path) -> list[Problem]:
    """Load the local authorities of the public data (code and region) as `public_las`."""
    import duckdb

    path = public_data / POPULATION_FILE
    con.execute("CREATE OR REPLACE TABLE public_las (la_code VARCHAR, region_code VARCHAR)")
    if not path.is_file():
        return [
            Problem(
                POPULATION_FILE,
                None,
                None,
                f"file not found in {public_data}: needed to check local authority codes",
            )
        ]
    try:
        con.execute(
            f"INSERT INTO public_las SELECT DISTINCT new_la_code, region_code FROM "
            f"read_csv({lit(str(path))}, {_CSV_OPTIONS}) "
            f"WHERE geographic_level = 'Local authority' AND new_la_code IS NOT NULL"
        )
    except duckdb.Error as exc:
        return [Problem(POPULATION_FILE, None, None, f"cannot be read: {_first_line(exc)}")]
    return []


def available(sources: dict[str, Source], public_ok: bool) -> set[str]:
    """The "table.field" names the checks may read: present columns of checkable files."""
    names = {f"{PUBLIC}.la_code"} if public_ok else set()
    for name, source in sources.items():
        if source.checkable:
            names |= {f"{name}.{c}" for c in source.columns if c in source.table.names}
    return names
