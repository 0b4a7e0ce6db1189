"""Synthetic: write tables in exactly the documented format (core.schema), as Parquet."""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bulletin.core.schema import TABLES_BY_NAME, Kind, Table

ARROW_TYPES = {
    Kind.ID: pa.int64(),
    Kind.INT: pa.int32(),
    Kind.NUMBER: pa.float64(),
    Kind.BOOL: pa.bool_(),
    Kind.DATE: pa.date32(),
    Kind.CODE: pa.dictionary(pa.int32(), pa.string()),  # Parquet: dictionary-encoded text
    Kind.TEXT: pa.string(),
}
ROW_GROUP = 1 << 20
GENERATOR_ONLY = "_generator"  # the folder of files only the fit script reads


def write_options(schema: pa.Schema) -> dict[str, Any]:
    """How every table is written: Snappy (about half the CPU time of zstd level 1 for files
    a third larger; the generator is bound by CPU), and no dictionary for identifiers, whose
    values are (nearly) all different, so that a dictionary is built only to be dropped."""
    few = [name for name in schema.names if not name.endswith("_id")]
    return {"compression": "snappy", "use_dictionary": few}


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema(
        [pa.field(f.name, ARROW_TYPES[f.kind], nullable=not f.required) for f in table.fields]
    )


def codes(indices: np.ndarray[Any, Any], labels: tuple[str, ...]) -> pa.Array:
    """A code column from integer indices into `labels` (-1: empty)."""
    mask = indices < 0
    return pa.DictionaryArray.from_arrays(
        pa.array(np.where(mask, 0, indices).astype(np.int32), mask=mask), pa.array(labels)
    )


def dates(days: np.ndarray[Any, Any], empty: int | None = None) -> pa.Array:
    """A date column from days since 1970-01-01 (`empty`: the value that means no date)."""
    mask = None if empty is None else days == empty
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=mask).cast(pa.date32())


def to_batch(table: Table, columns: Mapping[str, Any]) -> pa.RecordBatch:
    schema = arrow_schema(table)
    missing = set(schema.names) - set(columns)
    if missing:
        raise ValueError(f"{table.name}: no values for {sorted(missing)}")
    arrays = [
        pa.array(columns[f.name]).cast(f.type)
        if not isinstance(columns[f.name], pa.Array)
        else columns[f.name].cast(f.type)
        for f in schema
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class TableWriter:
    """Append batches to `<folder>/<table>.parquet`, deterministically, each written in a
    background thread while the caller computes the next (Parquet encoding releases the
    GIL); at most one batch waits, so memory stays bounded."""

    def __init__(self, folder: Path, name: str) -> None:
        self.table = TABLES_BY_NAME[name]
        self.path = folder / f"{name}.parquet"
        self.rows = 0
        schema = arrow_schema(self.table)
        self._writer = pq.ParquetWriter(self.path, schema, **write_options(schema))
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._pending: Future[None] | None = None

    def write(self, columns: Mapping[str, Any]) -> None:
        table = pa.Table.from_batches([to_batch(self.table, columns)])
        self._wait()
        self._pending = self._pool.submit(self._writer.write_table, table, ROW_GROUP)
        self.rows += table.num_rows

    def _wait(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None

    def close(self) -> int:
        try:
            self._wait()
        finally:
            self._pool.shutdown()
            self._writer.close()
        return self.rows


def write_table(folder: Path, name: str, columns: Mapping[str, Any]) -> int:
    writer = TableWriter(folder, name)
    writer.write(columns)
    return writer.close()


def with_ids(rows: dict[str, Any], child_id: np.ndarray[Any, Any]) -> dict[str, Any]:
    """Rows keyed by population index (`child`), re-keyed by the extract's child identifier."""
    out = {k: v for k, v in rows.items() if k != "child"}
    return {"child_id": child_id[rows["child"]]} | out


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
