"""Fixtures for the render tests: a publication's inputs from the hand-made extract."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bulletin.core.settings import load_settings
from bulletin.render.publications import Inputs, read_inputs
from tests.conftest import ROOT


@pytest.fixture(scope="session")
def small_inputs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Inputs]:
    """The inputs of a publication: the findings of the hand-made extract
    (tests/fixtures/linked-small), the real files' context and the facts file."""
    from bulletin.pipeline import findings_json, public_json

    settings = load_settings(ROOT)
    folder = tmp_path_factory.mktemp("inputs")
    public = settings.paths.public_data
    findings = folder / "findings.json"
    findings.write_text(
        findings_json(settings, ROOT / "tests/fixtures/linked-small", public, "duckdb"), "utf-8"
    )
    real = folder / "public.json"
    real.write_text(public_json(settings, public), "utf-8")
    pubs = tuple(settings.publications)

    def inputs(pub_id: str) -> Inputs:
        return read_inputs(settings, settings.publication(pub_id), pubs, findings, real, public)

    return inputs


@pytest.fixture(scope="session")
def settings_root() -> Path:
    return ROOT
