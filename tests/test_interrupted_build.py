"""A build killed by SIGKILL at any point leaves every output whole (DESIGN.md decision 10).

A copy of the shared built project (version A of every output) gets a changed input (the
2013 national count in the B1 file), so that the next build makes version B of `_site/`,
`report/` and `figures/` and new cache entries for every stage. That build is killed
again and again, each time at a later point: from the check of the public data, through
every stage (between its steps, or in the middle of its work), to each folder's swap
while publishing. A kill at a named point is the build sending itself SIGKILL
(`BULLETIN_TEST_KILL_AT`); a kill in the middle of a stage is this test's SIGKILL, sent
while the stage's temporary folder exists. Each killed build picks up the cached work of
the ones before, so the whole series costs little more than one build.

After every kill: each output folder is exactly version A or exactly version B (file by
file digests), version A until publishing starts; every cache entry present verifies.
Then a build succeeds and makes version B, and with the input put back a build makes
version A again, byte for byte, from the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from bulletin.core.atomic import KILL_AT
from bulletin.core.cache import verify
from tests.conftest import copy_built, run_cli

PUB = "data-and-analysis"
B1 = "data/public/cin_characteristics/release_2023/b1_children_in_need_2013_to_2023.csv"
OUTPUTS = ("_site", "report", "figures")

#: (how, where): "at" a kill point of the build, or "in" a stage (killed from outside
#: `delay` seconds after its temporary folder appears). In the order the build meets them.
KILLS: list[tuple[str, str, float]] = [
    ("at", "write:public-data-check", 0),  # the check passed; its record half written
    ("at", "public-data:ran", 0),  # a stage's files written, not yet its manifest
    ("in", "population", 0.4),  # generating the synthetic population (parquet files)
    ("at", "population:manifest", 0),  # complete, not yet renamed into the cache
    ("at", "figures:entry", 0),  # in the cache, the run's file hashes not yet saved
    ("at", "report-data-and-analysis:start", 0),
    ("at", "pages-data-and-analysis:ran", 0),
    ("in", f"pdf-{PUB}", 0.3),  # WeasyPrint at work
    ("at", "site:manifest", 0),
    ("in", "qa", 0.3),  # the QA stage's own checks, or waiting for those run ahead (a
    # QA stage that finds every page and PDF in the memo may take little more than a second)
    ("at", "write:file-hashes.json", 0),  # every stage done
    ("at", "publish:site:filled", 0),  # the new _site/ complete beside the old one
    ("at", "publish:site:swapped", 0),  # _site/ exchanged; the old one not yet deleted
    ("at", "publish:report:swapped", 0),
    ("at", "publish:figures:filled", 0),
]


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def outputs(root: Path) -> dict[str, dict[str, str]]:
    return {name: digests(root / name) for name in OUTPUTS}


def cache_problems(root: Path) -> list[str]:
    """Every stage entry in the cache verifies; the bookkeeping files are whole."""
    cache = root / ".cache" / "bulletin"
    problems = [
        f"damaged entry {entry.relative_to(cache)}"
        for entry in sorted(cache.glob("stages/*/*"))
        if not entry.name.startswith(".") and verify(entry, ()) is None
    ]
    hashes = cache / "file-hashes.json"
    if hashes.exists():
        json.loads(hashes.read_text(encoding="utf-8"))  # raises if half written
    for memo in cache.glob("checks/[!.]*"):
        if len(memo.read_text(encoding="utf-8")) != 64:
            problems.append(f"damaged check record {memo.name}")
    return problems


def leftovers(root: Path) -> list[str]:
    """Hidden working folders and files of killed runs, beside the outputs and in the cache."""
    found = [p for name in OUTPUTS for p in root.glob(f".{name}.*")]
    found += (root / ".cache").rglob(".*")
    pattern = re.compile(r"\..+\.(new|old|tmp|trash)-[0-9]+")
    return sorted(p.relative_to(root).as_posix() for p in found if pattern.fullmatch(p.name))


def killed_build(root: Path, how: str, where: str, delay: float) -> None:
    env = {**os.environ, "BULLETIN_ROOT": str(root)}
    if how == "at":
        env[KILL_AT] = where
    process = subprocess.Popen(
        [sys.executable, "-m", "bulletin", "build", "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if how == "in":
        home = root / ".cache" / "bulletin" / "stages" / where
        deadline = time.monotonic() + 300
        while not list(home.glob(f".*.tmp-{process.pid}")):  # this build's, not a leftover
            assert process.poll() is None, f"the build ended before stage {where} ran"
            assert time.monotonic() < deadline, f"stage {where} never started"
            time.sleep(0.01)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
    _, err = process.communicate(timeout=600)
    assert process.returncode == -signal.SIGKILL, f"{how} {where}: not killed\n{err}"


def test_a_build_killed_at_any_point_leaves_every_output_whole(built: Path, tmp_path: Path) -> None:
    root = copy_built(built, tmp_path / "project")
    version_a = outputs(root)
    b1 = root / B1
    original = b1.read_bytes()
    # the 2013 national row: At31_episodes 378030 -> 378040 (read from the file by hand)
    line = next(x for x in original.split(b"\n") if x.startswith(b"2013,Reporting year,National,"))
    assert line.count(b",378030,") == 1
    b1.write_bytes(original.replace(line, line.replace(b",378030,", b",378040,")))

    seen = []
    for how, where, delay in KILLS:
        killed_build(root, how, where, delay)
        state = outputs(root)
        seen.append((where, state))
        if not where.startswith("publish:"):
            assert state == version_a, f"killed {how} {where}: an output changed"
        assert cache_problems(root) == [], f"killed {how} {where}"
    assert leftovers(root), "the kills should have left working folders to clean"

    done = run_cli("build", root=root)
    assert done.returncode == 0, done.stderr
    assert leftovers(root) == []
    version_b = outputs(root)
    for name in OUTPUTS:
        assert version_b[name] != version_a[name], f"{name} should have changed"
        for where, state in seen:  # each folder: A until its swap, B after, never a mix
            assert state[name] in (version_a[name], version_b[name]), f"{name} after {where}"
    swapped = [where for where, state in seen if state["_site"] == version_b["_site"]]
    assert swapped == ["publish:site:swapped", "publish:report:swapped", "publish:figures:filled"]
    # version B says the new number, everywhere it is shown
    html = (root / "_site" / "report" / f"{PUB}.html").read_text(encoding="utf-8")
    assert "378,040" in html
    assert "378,030" not in html
    assert "2013,378040" in (root / "figures" / "fig-cin-by-year.csv").read_text()
    assert "378,040" in (root / "report" / f"{PUB}.qmd").read_text(encoding="utf-8")
    manifest = json.loads((root / "_site" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"] == {
        name: digest for name, digest in version_b["_site"].items() if name != "manifest.json"
    }

    b1.write_bytes(original)  # back to the input of version A: every stage is cached
    again = run_cli("build", root=root)
    assert again.returncode == 0, again.stderr
    assert ": ran" not in again.stderr
    assert outputs(root) == version_a
