"""A small synthetic population, generated once for the tests of this folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.core.geography import Geography
from bulletin.data.geography import load_geography
from bulletin.synthetic import generate

ROOT = Path(__file__).resolve().parents[2]
SMALL = 0.01


@pytest.fixture(scope="session")
def geography() -> Geography:
    return load_geography(ROOT / "data" / "public")


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory, geography: Geography) -> Path:
    out = tmp_path_factory.mktemp("synthetic") / "extract"
    generate(geography, out, seed=7, scale=SMALL)
    return out
