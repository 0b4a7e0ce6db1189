"""`bulletin diff HEAD~1 HEAD` in a full clone of the project, at small scale: each
revision is built in a temporary worktree (in the system's temporary folder, outside the
cache, where its site may be written) that shares the stage cache, and removed after."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, SMALL_SCALE, run_cli
from tests.review.test_diff import (
    NEW_PRINTED,
    NEW_SENTENCE,
    OLD_PRINTED,
    OLD_SENTENCE,
    PUB,
    TEMPLATE,
    replace_once,
)


def git(folder: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=True
    ).stdout


def entries(cache: Path, stage: str) -> set[str]:
    folder = cache / "bulletin/stages" / stage
    return (
        {p.name for p in folder.iterdir() if not p.name.startswith(".")}
        if folder.is_dir()
        else set()
    )


def test_diff_of_the_last_two_commits(
    built: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "false"
    git(clone, "config", "user.email", "test@example.invalid")
    git(clone, "config", "user.name", "test")
    settings = clone / "bulletin.toml"
    settings.write_text(
        re.sub(r"(?m)^scale = [0-9.]+", f"scale = {SMALL_SCALE}", settings.read_text("utf-8")),
        encoding="utf-8",
    )
    git(clone, "commit", "--quiet", "-am", "small scale")
    replace_once(clone / TEMPLATE, OLD_SENTENCE, NEW_SENTENCE)
    git(clone, "commit", "--quiet", "-am", "reword a sentence")
    # A warm cache: the small build's (a stage whose code or inputs differ is rebuilt).
    shutil.copytree(built / ".cache", clone / ".cache", symlinks=True)
    before = {stage: entries(clone / ".cache", stage) for stage in ("findings", f"report-{PUB}")}

    out = tmp_path / "diff.json"
    # the system's temporary folder, as the diff sees it: a short path, as /tmp is (Chromium
    # puts its socket there, and a Unix socket's path may not be longer than 107 characters)
    temp = Path(tempfile.mkdtemp(prefix="t-", dir="/tmp"))
    request.addfinalizer(lambda: shutil.rmtree(temp, ignore_errors=True))
    result = run_cli(
        "diff", "HEAD~1", "HEAD", "--json", str(out), root=clone, environment={"TMPDIR": str(temp)}
    )
    assert result.returncode == 1, result.stderr
    found = json.loads(out.read_text(encoding="utf-8"))
    assert [(s["publication"], s["old"], s["new"]) for s in found["prose"]] == [
        (PUB, OLD_PRINTED, NEW_PRINTED)
    ]
    assert (found["numbers"], found["tables"], found["figures"]) == ([], [], [])
    # The revisions shared the stage cache: the findings were computed at most once (not
    # at all when the small build's entry fits), while the reworded report was made twice
    # at most (HEAD~1's may be the small build's).
    assert len(entries(clone / ".cache", "findings") - before["findings"]) <= 1
    assert 1 <= len(entries(clone / ".cache", f"report-{PUB}") - before[f"report-{PUB}"]) <= 2
    # The temporary worktrees are gone, and none was made in the cache.
    assert len(git(clone, "worktree", "list").splitlines()) == 1
    assert list(temp.iterdir()) == []
    assert not (clone / ".cache/diff").exists()


def test_a_name_that_is_neither_a_folder_nor_a_revision_exits_2(built: Path) -> None:
    result = run_cli("diff", "no-such-revision", "HEAD", root=built)
    assert result.returncode == 2
    assert "no-such-revision" in result.stderr


def test_a_revision_without_git_installed_says_so(built: Path, tmp_path: Path) -> None:
    """On a machine with no git (a fresh Debian root has none), a revision is not read, and
    the user is told why: not a traceback, nor a bare "No such file"."""
    result = run_cli("diff", "HEAD~1", "HEAD", root=built, environment={"PATH": str(tmp_path)})
    assert result.returncode == 2
    assert "HEAD~1: not a build folder" in result.stderr
    assert "install git" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Errno" not in result.stderr
