"""`bulletin findings --engine spark`: the same findings.json, byte for byte, as DuckDB's, on
the hand-made extract and on a synthetic one, with every query run by Spark (Spark's event
log says so); and neither pyspark nor Java is needed on DuckDB."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import sqlglot

import bulletin.findings.context  # noqa: F401  (registers every section's queries)
from bulletin.cli import main
from bulletin.core.settings import Disclosure
from bulletin.findings.linked import QUERIES, SPARK_JOB_PREFIX, Params, spark_sql, unbound
from tests.conftest import ROOT

#: pyspark reads each result from a local socket that it leaves for the garbage collector
#: to close, so Python warns that it was not closed (a warning Python hides unless asked):
#: these tests collect their garbage themselves, and ignore that warning alone.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
)
HAND_MADE = ROOT / "tests/fixtures/linked-small"
START = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart"
END = "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd"
AGGREGATES = ("HashAggregate", "SortAggregate", "ObjectHashAggregate")


def executions(events: Path) -> dict[int, dict[str, Any]]:
    """Every SQL execution in Spark's event log: its start event, with `error` (None until it
    ended; empty when it ended well) from its end event."""
    found: dict[int, dict[str, Any]] = {}
    for log in events.iterdir():  # one file, as EVENT_LOG sets it
        for line in log.read_text(encoding="utf-8").splitlines():
            try:
                event = json.loads(line)
            except json.JSONDecodeError:  # a line Spark is still writing
                continue
            if event["Event"] == START:
                found.setdefault(event["executionId"], {"error": None}).update(event)
            elif event["Event"] == END:
                found.setdefault(event["executionId"], {})["error"] = event.get("errorMessage", "")
    return found


def queries_ran(events: Path, before: set[int]) -> dict[str, list[dict[str, Any]]]:
    """The SQL executions since `before` by findings query, once each query's have ended
    (Spark writes its log a moment after the work)."""
    deadline = time.monotonic() + 60
    while True:
        new = [e for i, e in executions(events).items() if i not in before and "description" in e]
        by_query: dict[str, list[dict[str, Any]]] = {}
        for execution in new:
            name = execution["description"].removeprefix(SPARK_JOB_PREFIX)
            by_query.setdefault(name, []).append(execution)
        ended = all(e["error"] is not None for e in new)
        if (set(QUERIES) <= set(by_query) and ended) or time.monotonic() > deadline:
            return by_query
        time.sleep(0.5)


def tables_read(name: str) -> set[str]:
    """The tables of the extract that query `name` reads (from its Spark SQL)."""
    tree = sqlglot.parse_one(spark_sql(QUERIES[name](unbound(), PARAMS)), read="spark")
    ctes = {cte.alias for cte in tree.find_all(sqlglot.exp.CTE)}
    return {t.name for t in tree.find_all(sqlglot.exp.Table)} - ctes


PARAMS = Params(Disclosure(), 15_800_000)


@pytest.mark.parametrize("extract", ["hand-made", "synthetic at 0.02"])
def test_findings_on_spark_are_the_bytes_of_duckdbs_and_ran_on_spark(
    extract: str,
    spark: Path,
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    folder = HAND_MADE if extract == "hand-made" else request.getfixturevalue("small_extract")
    monkeypatch.setenv("BULLETIN_ROOT", str(project))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    on_duckdb, on_spark = work / "duckdb.json", work / "spark.json"
    args = ["findings", "--linked-data", str(folder), "--quiet", "--json"]
    assert main([*args, str(on_duckdb)]) == 0
    before = set(executions(spark))
    assert main([*args, str(on_spark), "--engine", "spark"]) == 0
    gc.collect()  # pyspark's sockets, closed here (see `pytestmark`)

    assert on_spark.read_bytes() == on_duckdb.read_bytes()
    assert json.loads(on_spark.read_text(encoding="utf-8"))["measures"]  # not empty

    ran = queries_ran(spark, before)
    assert set(ran) >= set(QUERIES)  # every query, by its name, as Spark recorded it
    plans = {name: "\n".join(e["physicalPlanDescription"] for e in ran[name]) for name in QUERIES}
    for name, plan in plans.items():
        assert all(e["error"] == "" for e in ran[name]), name  # each ended, and well
        if name != "regression.cohort":  # the cohort is a row per pupil; every other query
            assert any(a in plan for a in AGGREGATES), name  # aggregated on Spark
    # Spark itself read the extract's files: every table any query reads
    read = set().union(*(tables_read(name) for name in QUERIES))
    scanned = "\n".join(plans.values())
    for table in sorted(read):
        assert f"file:{folder.resolve()}/{table}." in scanned, table
    # and Spark's scratch files stayed out of the working folder and the project's cache
    assert sorted(p.name for p in work.iterdir()) == ["duckdb.json", "spark.json"]
    assert list((project / ".cache/spark").iterdir()) == []


def _findings_apart(
    project: Path, tmp_path: Path, *args: str, pyspark: bool = True
) -> subprocess.CompletedProcess[str]:
    """`bulletin findings ARGS` for `project` on the hand-made extract, in a process with no
    java on PATH (and no JAVA_HOME) and, unless `pyspark`, where pyspark cannot be imported."""
    block = "" if pyspark else "sys.modules['pyspark'] = None; "
    code = f"import sys; {block}from bulletin.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {k: v for k, v in os.environ.items() if k != "JAVA_HOME"}
    env |= {"BULLETIN_ROOT": str(project), "PATH": str(tmp_path / "empty")}
    return subprocess.run(
        [sys.executable, "-c", code, "findings", "--linked-data", str(HAND_MADE), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
        cwd=tmp_path,
    )


def test_duckdb_needs_neither_pyspark_nor_java_and_spark_says_what_it_needs(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "findings.json"
    result = _findings_apart(project, tmp_path, "--json", str(out), "--quiet", pyspark=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["measures"]

    refused = tmp_path / "refused.json"
    args = ("--engine", "spark", "--json", str(refused))
    result = _findings_apart(project, tmp_path, *args, pyspark=False)
    assert result.returncode == 1
    assert "--engine spark needs pyspark" in result.stderr
    assert "requirements-spark.lock" in result.stderr
    assert "Traceback" not in result.stderr
    assert not refused.exists()


def test_without_java_spark_says_so_before_starting(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "findings.json"
    result = _findings_apart(project, tmp_path, "--engine", "spark", "--json", str(out))
    assert result.returncode == 1
    assert "--engine spark needs a Java runtime" in result.stderr
    assert not out.exists()
