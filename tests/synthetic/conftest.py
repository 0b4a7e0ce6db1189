"""A small synthetic population, generated once for the tests of this folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.data.geography import load_geography
from bulletin.synthetic import generate

ROOT = Path(__file__).resolve().parents[2]
SMALL = 0.01


@pytest.fixture(scope="session")
def geography():  # type: ignore[no-untyped-def]
    return load_geography(ROOT / "data" / "public")


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory, geography) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("synthetic") / "extract"
    generate(geography, out, seed=7, scale=SMALL)
    return out
