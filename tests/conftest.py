"""Shared fixtures: the repository root, and a throwaway project that builds into tmp."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project root in tmp: the repository's settings, data and templates, its own outputs."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "bulletin.toml", root / "bulletin.toml")
    shutil.copytree(ROOT / "data", root / "data")
    if (ROOT / "templates").exists():
        shutil.copytree(ROOT / "templates", root / "templates")
    return root


def run_cli(
    *args: str, root: Path | None = None, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `bulletin ARGS` as a user would, in a separate process (from `pythonpath`'s
    source when given, else the installed package)."""
    env = dict(os.environ)
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
        timeout=600,
    )


@pytest.fixture(scope="session")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one national-scale build of the run (default seed, scale 1.0), shared by every
    test that needs it. Returns the build's project root."""
    root = tmp_path_factory.mktemp("national") / "project"
    root.mkdir()
    shutil.copy(ROOT / "bulletin.toml", root / "bulletin.toml")
    shutil.copytree(ROOT / "data", root / "data")
    if (ROOT / "templates").exists():
        shutil.copytree(ROOT / "templates", root / "templates")
    result = run_cli("build", "--quiet", root=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="session")
def national_extract(national: Path) -> Path:
    """The synthetic national population the national build generated."""
    found = sorted((national / ".cache/bulletin/stages/population").glob("*/extract"))
    assert len(found) == 1, found
    return found[0]
