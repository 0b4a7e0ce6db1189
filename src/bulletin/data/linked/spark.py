"""Data: a validated linked extract on Apache Spark: the session, and each table of the
schema as a typed temporary view, read by Spark itself, as `load` does in DuckDB.

Spark reads the files (on a cluster, its executors read them where they are: the folder
must be at the same path on every node); the values are typed exactly as the DuckDB views
type them (`read.py`): a CSV cell is trimmed, empty means null, and it parses by the same
patterns; a Parquet column is cast to the kind's type, NaN and infinite numbers read as
null. Run `validate` first: this only reads.

The session is the one already running (under `spark-submit`, in a notebook, or a test's)
or else a new one, which `spark_extract` stops again at the end. A new session keeps its
scratch files (`spark.local.dir`, Java's temporary folder, the warehouse) in a folder the
caller gives (under the project's cache), never in the system temporary folder or the
working folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core import schema
from bulletin.core.schema import Kind, Table
from bulletin.data.linked.read import FORMATS, finite, parse_text, read_dataset

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: The Spark SQL type of each kind (as `read.SQL_TYPES` for DuckDB).
SPARK_TYPES = {
    Kind.ID: "BIGINT",
    Kind.INT: "BIGINT",
    Kind.NUMBER: "DOUBLE",
    Kind.BOOL: "BOOLEAN",
    Kind.DATE: "DATE",
    Kind.CODE: "STRING",
    Kind.TEXT: "STRING",
}
_INTEGERS = ("tinyint", "smallint", "int", "bigint", "decimal(20,0)")
#: The Spark types of a Parquet column that each kind may be stored as (`read.PARQUET_TYPES`).
STORED_TYPES: dict[Kind, tuple[str, ...]] = {
    Kind.ID: _INTEGERS,
    Kind.INT: _INTEGERS,
    Kind.NUMBER: (*_INTEGERS, "float", "double", "decimal"),
    Kind.BOOL: ("boolean",),
    Kind.DATE: ("date", "timestamp", "timestamp_ntz"),
    Kind.CODE: ("string",),
    Kind.TEXT: ("string",),
}
#: Spark settings of a new session: no web UI or progress bars, ANSI SQL (errors, never a
#: silent overflow or null), UTC, results handed to pandas through Arrow.
SESSION_CONF = {
    "spark.app.name": "bulletin findings",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
#: The SQL settings that bulletin's own session within a running one takes too.
RUNTIME_CONF = (
    "spark.sql.ansi.enabled",
    "spark.sql.session.timeZone",
    "spark.sql.execution.arrow.pyspark.enabled",
)
JAVA_MISSING = (
    "--engine spark needs a Java runtime (17 or 21): none is on PATH and JAVA_HOME is not "
    "set. `./run test` installs Debian's; docs/spark.md says more."
)
PYSPARK_MISSING = (
    "--engine spark needs pyspark: install requirements-spark.lock "
    "(`pip install -r requirements-spark.lock`; `./run test` does); docs/spark.md says more."
)


class SparkUnavailableError(RuntimeError):
    """Spark cannot start here: pyspark or Java is missing. The message says what to do."""


@dataclass(frozen=True)
class SparkExtract:
    """A linked extract as Spark temporary views (named as the tables), with its
    dataset.json."""

    session: SparkSession
    dataset: dict[str, Any]


def session(
    master: str, scratch: Path, conf: Mapping[str, str] | None = None
) -> tuple[SparkSession, bool]:
    """The running Spark session (or spark-submit's), or a new one on `master` whose
    scratch files go under `scratch` (with `conf` on top of `SESSION_CONF`); and whether it
    is new (then the caller stops it)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailableError(PYSPARK_MISSING) from None
    running = SparkSession.getActiveSession()
    if running is not None:
        return running, False
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # under spark-submit: its master and settings
        return SparkSession.builder.getOrCreate(), False
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        raise SparkUnavailableError(JAVA_MISSING)
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no loopback warning
    tmp = scratch / "tmp"
    tmp.mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.master(master)
    settings = {
        **SESSION_CONF,
        "spark.local.dir": str(tmp),
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        "spark.driver.extraJavaOptions": f"-Djava.io.tmpdir={tmp} -XX:-UsePerfData",
        **(conf or {}),
    }
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")  # Spark's warnings are not the user's business
    return spark, True


@contextmanager
def spark_extract(
    folder: Path, master: str, scratch: Path, conf: Mapping[str, str] | None = None
) -> Iterator[SparkExtract]:
    """The extract in `folder` as typed temporary views in a Spark session (see `session`,
    with its scratch files in a new folder under `scratch`); a session started here is
    stopped at the end, and its scratch folder removed."""
    from bulletin.core.problems import InputError

    dataset, problems = read_dataset(folder)
    if dataset is None or problems:
        raise InputError(problems)
    scratch.mkdir(parents=True, exist_ok=True)
    own = Path(tempfile.mkdtemp(prefix="session-", dir=scratch))
    try:
        spark, new = session(master, own, conf)
        # a session of our own within a running one: its temporary views and SQL settings
        # (Ibis sets some) are ours alone, and go at the end with the data they cached
        ours = spark if new else spark.newSession()
        for key in RUNTIME_CONF:
            ours.conf.set(key, SESSION_CONF[key])
        try:
            for table in schema.TABLES:
                typed_table(ours, folder, table).createOrReplaceTempView(table.name)
            yield SparkExtract(ours, dataset)
        finally:
            for view in ours.catalog.listTables():
                if view.isTemporary:
                    ours.catalog.dropTempView(view.name)
            if new:
                spark.stop()
    finally:
        shutil.rmtree(own, ignore_errors=True)


def typed_table(spark: SparkSession, folder: Path, table: Table) -> DataFrame:
    """One table of the extract, read by Spark, with exactly the schema's fields, typed as
    `SPARK_TYPES` says (an absent optional table: no rows)."""
    path = _table_file(folder, table)
    if path is None:
        columns = [f"CAST(NULL AS {SPARK_TYPES[f.kind]}) AS `{f.name}`" for f in table.fields]
        return spark.range(0).selectExpr(*columns)
    if path.endswith(".csv"):
        frame = spark.read.csv(
            path,
            header=True,
            quote='"',
            escape='"',
            encoding="UTF-8",
            multiLine=True,
            mode="FAILFAST",
        )
        columns = [parse_text(f.kind, _text(f"`{f.name}`"), "spark") for f in table.fields]
    else:
        frame = spark.read.parquet(path)
        stored = {c.name: c.dataType.simpleString() for c in frame.schema.fields}
        columns = [_parse_stored(f.kind, f.name, stored.get(f.name)) for f in table.fields]
    return frame.selectExpr(
        *(f"{c} AS `{f.name}`" for c, f in zip(columns, table.fields, strict=True))
    )


def _table_file(folder: Path, table: Table) -> str | None:
    """The table's file, <table>.parquet or <table>.csv, as an absolute path."""
    for fmt in FORMATS:
        path = folder / f"{table.name}.{fmt}"
        if path.is_file():
            return str(path.resolve())
    return None


def _text(column: str) -> str:
    """A CSV cell as the DuckDB views read it: trimmed of spaces, null when empty."""
    return f"NULLIF(trim({column}), '')"


def _parse_stored(kind: Kind, name: str, stored: str | None) -> str:
    """Spark SQL: a Parquet column as the kind's type. A column stored as another type
    passed validation only because it holds no value: it reads as null."""
    sql_type = SPARK_TYPES[kind]
    if stored is None or not stored.startswith(STORED_TYPES[kind]):
        return f"CAST(NULL AS {sql_type})"
    if kind is Kind.NUMBER:
        number = f"CAST(`{name}` AS DOUBLE)"
        return f"CASE WHEN {finite(number, 'spark')} THEN {number} END"
    return f"CAST(`{name}` AS {sql_type})"
