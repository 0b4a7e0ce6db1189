"""Temporary files live under the cache, never in the system's temporary folder, and the
next build removes what a killed run left (issue 21; `bulletin.core.atomic.private_temp`).

A findings run on the hand-made extract is killed (SIGKILL) while DuckDB holds the extract
open. The run was given its own system temporary folder (TMPDIR) and working folder, both
outside the project: they must be empty. Its temporary folder under the cache is still
there; the next run removes it, before it does anything else. The next run here is another
findings run: a build takes the same lock, with the same clean-up, first
(`bulletin.pipeline.findings` and `build`), and a killed build is `test_interrupted_build`'s.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import run_cli
from tests.data.linked_helpers import FIXTURE


def test_a_killed_findings_run_leaves_nothing_outside_the_project(
    project: Path, tmp_path: Path
) -> None:
    system_tmp, cwd = tmp_path / "system-tmp", tmp_path / "cwd"
    system_tmp.mkdir()
    cwd.mkdir()
    env = {**os.environ, "BULLETIN_ROOT": str(project), "TMPDIR": str(system_tmp)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin", "findings", "--linked-data", str(FIXTURE), "--quiet"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    cache = project / ".cache" / "bulletin"
    deadline = time.monotonic() + 300
    # DuckDB's folder for the extract opened by the findings (bulletin.data.linked.load),
    # wherever this version of bulletin puts it
    while not [*system_tmp.glob("**/bulletin-linked-*"), *cache.glob(".*/bulletin-linked-*")]:
        assert process.poll() is None, "the findings ended before the extract was opened"
        assert time.monotonic() < deadline, "the extract was never opened"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert list(system_tmp.iterdir()) == []
    assert list(cwd.iterdir()) == []
    left = cache / f".temp.tmp-{process.pid}"
    assert any(p.name.startswith("bulletin-linked-") for p in left.iterdir())

    again = run_cli("findings", "--quiet", "--linked-data", str(FIXTURE), root=project)
    assert again.returncode == 0, again.stderr
    assert not left.exists()
    assert not [p for p in cache.iterdir() if p.name.startswith(".temp.tmp-")]
