"""Data: open a validated linked extract as typed DuckDB views, one per table of the schema."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from bulletin.core import schema
from bulletin.core.problems import InputError
from bulletin.data.linked.checks import q, view
from bulletin.data.linked.read import connect, read_dataset, register

if TYPE_CHECKING:
    import duckdb


@dataclass
class LinkedData:
    """A linked extract opened in DuckDB: a view per table, named and typed as the schema says."""

    con: duckdb.DuckDBPyConnection
    dataset: dict[str, Any]
    rows: dict[str, int]
    _tmp: tempfile.TemporaryDirectory[str]

    def close(self) -> None:
        self.con.close()
        self._tmp.cleanup()

    def __enter__(self) -> LinkedData:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def load(folder: Path, threads: int = 2) -> LinkedData:
    """Open the extract in `folder`; run `validate` first (load checks only that it reads).

    Each table is a view named as the table, with exactly the schema's fields, typed
    (BIGINT, DOUBLE, BOOLEAN, DATE or VARCHAR). Raises `InputError` when a file is missing
    or cannot be read.
    """
    dataset, problems = read_dataset(folder)
    tmp = tempfile.TemporaryDirectory(prefix="bulletin-linked-")
    con = connect(threads, Path(tmp.name))
    rows = {}
    for table in schema.TABLES:
        source = register(con, folder, table)
        problems += [p for p in source.problems if p.blocking]
        fields = ", ".join(q(f.name) for f in table.fields)
        con.execute(f"CREATE VIEW {q(table.name)} AS SELECT {fields} FROM {view(table.name)}")
        rows[table.name] = source.rows
    if problems or dataset is None:
        con.close()
        tmp.cleanup()
        raise InputError(problems)
    return LinkedData(con, dataset, rows, tmp)
