"""Shared fixtures: the repository root, a throwaway project that builds into tmp, and the
one Chromium of the run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bulletin.qa.axe import Axe

ROOT = Path(__file__).resolve().parents[1]


INPUT_FILES = ("bulletin.toml", "_quarto.yml", "requirements.lock")
INPUT_FOLDERS = ("data", "templates")


SMALL_SCALE = 0.01  # of the synthetic population, in every test build but the national one


def make_project(root: Path, scale: float = SMALL_SCALE) -> Path:
    """A project root: the repository's settings (at the given scale), data and templates,
    its own outputs (report/ and figures/ start empty but for their READMEs)."""
    root.mkdir(parents=True)
    for name in INPUT_FILES:
        shutil.copy(ROOT / name, root / name)
    settings = (root / "bulletin.toml").read_text(encoding="utf-8")
    scaled = re.sub(r"(?m)^scale = [0-9.]+", f"scale = {scale}", settings)
    assert scaled != settings or f"scale = {scale}" in settings
    (root / "bulletin.toml").write_text(scaled, encoding="utf-8")
    for name in INPUT_FOLDERS:
        shutil.copytree(ROOT / name, root / name)
    for name in ("report", "figures"):
        (root / name).mkdir()
        shutil.copy(ROOT / name / "README.md", root / name / "README.md")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh project root in tmp, never built."""
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One project, built once for the whole test run by `bulletin build`, as a user would.
    Tests may read it and rebuild it; a test that changes it must work on a copy."""
    root = make_project(tmp_path_factory.mktemp("built") / "project")
    result = run_cli("build", root=root)
    assert result.returncode == 0, result.stderr
    (root / "build.log").write_text(result.stderr, encoding="utf-8")
    return root


def copy_built(built: Path, target: Path) -> Path:
    """A copy of the built project (caches included), to change without disturbing others."""
    shutil.copytree(built, target, symlinks=True)
    return target


def run_cli(
    *args: str,
    root: Path | None = None,
    pythonpath: Path | None = None,
    environment: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `bulletin ARGS` as a user would, in a separate process (from `pythonpath`'s
    source when given, else the installed package), with `environment` added to ours."""
    env = dict(os.environ) | (environment or {})
    if root is not None:
        env["BULLETIN_ROOT"] = str(root)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run(
        [sys.executable, "-m", "bulletin", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=1800,  # a national build on a busy 2-core machine takes minutes
    )


@pytest.fixture(scope="session")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one national-scale build of the run (default seed, scale 1.0), shared by every
    test that needs it. Returns the build's project root."""
    root = make_project(tmp_path_factory.mktemp("national") / "project", scale=1.0)
    result = run_cli("build", "--quiet", root=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def national_extract(national: Path) -> Path:
    """The synthetic national population the national build generated."""
    found = sorted((national / ".cache/bulletin/stages/population").glob("*/extract"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="session")
def national_measured(national_extract: Path) -> dict[str, float]:
    """The national population measured by benchmarks/measure.py (plain pandas, none of
    bulletin's code; `fit_generator.measure_all`), once for the run: the calibration rows
    and the values the findings are checked against."""
    from benchmarks import fit_generator

    return fit_generator.measure_all(national_extract)


@pytest.fixture(scope="session")
def axe() -> Iterator[Axe]:
    """One Chromium for the whole test run (Playwright's sync API allows one at a time)."""
    with Axe() as browser:
        yield browser
