"""Fixtures shared by the findings tests: one small synthetic population and its findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.core.settings import load_settings
from tests.conftest import ROOT


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
