"""Every findings query compiles for Spark, and the registry holds every query the sections
run (nothing runs outside it)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlglot

import bulletin.findings.context  # noqa: F401  (registers every section's queries)
from bulletin.core.settings import Disclosure, Spark
from bulletin.data.linked import load
from bulletin.findings import context
from bulletin.findings.linked import QUERIES, Linked, Params, connect, opened, spark_sql, unbound
from tests.conftest import ROOT

PARAMS = Params(Disclosure(), 15_800_000)
SECTIONS = (
    "prevalence",
    "journeys",
    "schools",
    "experiences",
    "attainment",
    "after16",
    "regression",
)


@pytest.fixture
def spark_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """ibis's Spark compiler reads `ibis.options.pyspark` to compile a floating-point column,
    and only the pyspark backend registers it, which needs pyspark (not installed here): set
    it to that backend's default (NaN is not treated as null) for the test."""
    import ibis.config

    class SparkOptions(ibis.config.Config):  # type: ignore[misc]  # ibis's Config is untyped
        treat_nan_as_null: bool = False

    monkeypatch.setattr(ibis.options, "pyspark", SparkOptions())


def test_every_section_has_queries() -> None:
    assert {name.split(".")[0] for name in QUERIES} == set(SECTIONS)


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.usefixtures("spark_options")
def test_the_query_compiles_for_spark(name: str) -> None:
    """The whole query (shared tables included, as expressions) as Spark SQL, which
    sqlglot reads back as Spark SQL; it names only tables of the extract."""
    text = spark_sql(QUERIES[name](unbound(), PARAMS))
    tree = sqlglot.parse_one(text, read="spark")
    ctes = {cte.alias for cte in tree.find_all(sqlglot.exp.CTE)}
    tables = {t.name for t in tree.find_all(sqlglot.exp.Table)} - ctes
    assert tables, text
    assert tables <= set(unbound().tables), tables
    assert "`" in text  # Spark quoting, not DuckDB's


def test_the_sections_run_every_registered_query_and_no_other() -> None:
    ran: list[str] = []

    class Recording(Linked):
        def run(self, name: str, params: Params) -> object:  # type: ignore[override]
            ran.append(name)
            return super().run(name, params)

    with load(ROOT / "tests/fixtures/linked-small") as data:
        linked = connect(data)
        recording = Recording(linked.tables, linked.backend)
        context.compute(recording, PARAMS)
    assert sorted(ran) == sorted(QUERIES)


def test_unbound_tables_do_not_run() -> None:
    with pytest.raises(RuntimeError, match="unbound"):
        unbound().run("prevalence.windows", PARAMS)


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    folder = ROOT / "tests/fixtures/linked-small"
    with (
        pytest.raises(ValueError, match="unknown engine 'oracle'; known: duckdb, spark"),
        opened(folder, "oracle", 1, Spark(), tmp_path),
    ):
        pass
