"""Fixtures shared by the findings tests: one small synthetic population and its findings,
and one Spark session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin.core.settings import load_settings
from tests.conftest import ROOT

#: Spark's event log, as one file of plain JSON lines (Spark 4 compresses and rolls it).
EVENT_LOG = {
    "spark.eventLog.enabled": "true",
    "spark.eventLog.compress": "false",
    "spark.eventLog.rolling.enabled": "false",
}


@pytest.fixture(scope="session")
def small_extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic population at scale 0.02, with the settings' seed."""
    from bulletin.data.geography import load_geography
    from bulletin.synthetic import generate

    settings = load_settings(ROOT)
    out = tmp_path_factory.mktemp("synthetic-small") / "extract"
    generate(load_geography(settings.paths.public_data), out, seed=settings.seed, scale=0.02)
    return out


@pytest.fixture(scope="session")
def small_findings(small_extract: Path) -> str:
    """The findings context of `small_extract`, computed in this process (DuckDB)."""
    from bulletin.pipeline import findings_json

    settings = load_settings(ROOT)
    return findings_json(settings, small_extract, settings.paths.public_data, "duckdb")


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One local Spark session for the whole run (each takes 10 to 20 seconds to start),
    started as `bulletin` starts one, with Spark's event log on: Spark's own record of every
    SQL execution it ran. `bulletin findings --engine spark` in this process works within
    it. Returns the event log's folder."""
    from bulletin.data.linked.spark import session

    scratch = tmp_path_factory.mktemp("spark")
    events = scratch / "events"
    events.mkdir()
    # the extracts here are small: 2 shuffle partitions, not Spark's 200 (docs/spark.md;
    # the hand-made extract's findings take 43 s instead of 106 s)
    conf = {
        **EVENT_LOG,
        "spark.eventLog.dir": events.as_uri(),
        "spark.sql.shuffle.partitions": "2",
    }
    started, new = session("local[2]", scratch / "session", conf)
    assert new, "a Spark session was already running"
    yield events
    started.stop()
