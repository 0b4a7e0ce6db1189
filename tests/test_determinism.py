"""Two cold builds in two different folders give byte-identical outputs (DESIGN.md decision 9).

The shared `built` project is one cold build (the session fixture builds it from an empty
cache). This test makes a second from another empty cache, in a folder whose path has
another length, started from another working folder, in another time zone and locale,
with another hash seed and other thread counts in the environment, and compares the
sha256 of every file of `_site/`, `report/` and `figures/`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.core.settings import load_settings
from bulletin.pipeline import THREAD_VARIABLES, fix_environment
from tests.conftest import ROOT, make_project


def digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in ("_site", "report", "figures")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def test_two_cold_builds_in_two_folders_are_byte_identical(built: Path, tmp_path: Path) -> None:
    other = make_project(tmp_path / "a much longer folder name" / "and another" / "project")
    assert not (other / ".cache").exists()  # cold: nothing cached
    assert len(str(other)) != len(str(built))
    env = {
        **os.environ,
        "BULLETIN_ROOT": str(other),
        "TZ": "Pacific/Chatham",  # +12:45 or +13:45: any clock read would show
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "4242",
        "OMP_NUM_THREADS": "1",  # the build sets thread counts from its settings
        "OPENBLAS_NUM_THREADS": "1",
        "SOURCE_DATE_EPOCH": "0",  # ... and the time from its settings
    }
    result = subprocess.run(
        [sys.executable, "-m", "bulletin", "build", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    first, second = digests(built), digests(other)
    assert len(first) > 10
    assert {"_site/report/data-and-analysis.pdf", "report/data-and-analysis.qmd"} <= set(first)
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []


def test_the_build_sets_thread_counts_and_the_time_from_its_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """bulletin.toml: threads = 2, source_date_epoch = 1560816000 (2019-06-18T00:00:00Z);
    whatever the environment said before, a build exports those."""
    for name in THREAD_VARIABLES:
        monkeypatch.setenv(name, "7")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    fix_environment(load_settings(ROOT))
    assert {name: os.environ[name] for name in THREAD_VARIABLES} == dict.fromkeys(
        THREAD_VARIABLES, "2"
    )
    assert "OMP_NUM_THREADS" in THREAD_VARIABLES
    assert "OPENBLAS_NUM_THREADS" in THREAD_VARIABLES
    assert os.environ["SOURCE_DATE_EPOCH"] == "1560816000"
