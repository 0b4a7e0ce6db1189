"""Atomic folder replacement: the exchange works on this filesystem, a replaced folder is
never missing or mixed, even when the process is killed (a real SIGKILL, in a child
process), and the next run cleans up or restores what a killed run left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bulletin.core import atomic
from bulletin.core.atomic import (
    KILL_AT,
    atomic_write_text,
    clean_leftovers,
    exchange,
    replace_folder,
)


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): p.read_text()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def make(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def filling(files: dict[str, str]) -> Callable[[Path], None]:
    """A `fill` for `replace_folder` that writes `files` into the new folder."""

    def fill(folder: Path) -> None:
        make(folder, files)

    return fill


def test_renameat2_exchanges_two_folders_on_this_filesystem(tmp_path: Path) -> None:
    a = make(tmp_path / "a", {"x.txt": "A"})
    b = make(tmp_path / "b", {"y.txt": "B", "sub/z.txt": "Z"})
    assert exchange(a, b) is True
    assert tree(a) == {"y.txt": "B", "sub/z.txt": "Z"}
    assert tree(b) == {"x.txt": "A"}


def test_replace_folder_swaps_in_the_new_version_and_removes_the_old(tmp_path: Path) -> None:
    target = make(tmp_path / "site", {"index.html": "old", "gone.txt": "old"})
    replace_folder(target, filling({"index.html": "new"}), "test")
    assert tree(target) == {"index.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no leftover


def test_replace_folder_creates_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "site"
    replace_folder(target, filling({"a": "1"}), "test")
    assert tree(target) == {"a": "1"}


def test_a_failure_while_filling_leaves_the_old_folder(tmp_path: Path) -> None:
    target = make(tmp_path / "site", {"index.html": "old"})

    def fill(new: Path) -> None:
        make(new, {"index.html": "half"})
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        replace_folder(target, fill, "test")
    assert tree(target) == {"index.html": "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # the half version is gone


def test_the_folder_is_never_missing_while_it_is_replaced(tmp_path: Path) -> None:
    """A reader looking up the folder and its file during 200 replacements always finds
    them (with two renames instead of the exchange, it would sometimes find nothing)."""
    target = make(tmp_path / "site", {"index.html": "0"})
    seen: list[bool] = []
    stop = threading.Event()

    def look() -> None:
        while not stop.is_set():
            seen.append(target.is_dir() and (target / "index.html").is_file())

    reader = threading.Thread(target=look)
    reader.start()
    try:
        for i in range(1, 201):
            replace_folder(target, filling({"index.html": f"{i}"}), "t")
    finally:
        stop.set()
        reader.join()
    assert len(seen) > 100, "the reader hardly ran"
    assert all(seen), f"the folder was missing {seen.count(False)} times"
    assert tree(target) == {"index.html": "200"}


def test_without_an_exchange_the_fallback_still_replaces_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a system without renameat2 (not this one: forced here) two renames are used."""
    monkeypatch.setattr(atomic, "_renameat2", lambda: None)
    target = make(tmp_path / "site", {"index.html": "old"})
    replace_folder(target, filling({"index.html": "new"}), "test")
    assert tree(target) == {"index.html": "new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from bulletin.core import atomic
    if sys.argv[2] == "no-exchange":
        atomic._renameat2 = lambda: None
    target = Path(sys.argv[1])
    def fill(new):
        (new / "index.html").write_text("new")
    atomic.replace_folder(target, fill, "test")
    """
)


@pytest.mark.parametrize(
    ("mode", "point"),
    [
        ("exchange", "test:filled"),
        ("exchange", "test:swapped"),
        ("no-exchange", "test:parked"),  # the one moment the fallback has no folder
    ],
)
def test_a_kill_during_a_replacement_leaves_a_whole_version(
    tmp_path: Path, mode: str, point: str
) -> None:
    target = make(tmp_path / "site", {"index.html": "old"})
    env = {**os.environ, KILL_AT: point}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(target), mode], env=env, check=False, timeout=60
    )
    assert done.returncode == -signal.SIGKILL
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "site"]
    assert leftovers, "the kill should have left a hidden folder behind"
    if point == "test:parked":
        assert not target.exists()  # the old version is parked beside it ...
    else:
        assert tree(target) == {"index.html": "old" if point == "test:filled" else "new"}
    clean_leftovers(tmp_path, "site")  # ... and the next run puts it back
    assert tree(target) == {"index.html": "new" if point == "test:swapped" else "old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_kill_during_an_atomic_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "file-hashes.json"
    path.write_text("old")
    code = (
        "import sys; from pathlib import Path; from bulletin.core.atomic import "
        "atomic_write_text; atomic_write_text(Path(sys.argv[1]), 'new')"
    )
    env = {**os.environ, KILL_AT: "write:file-hashes.json"}
    done = subprocess.run([sys.executable, "-c", code, str(path)], env=env, check=False)
    assert done.returncode == -signal.SIGKILL
    assert path.read_text() == "old"
    assert clean_leftovers(tmp_path)  # the temporary file
    assert [p.name for p in tmp_path.iterdir()] == ["file-hashes.json"]
    atomic_write_text(path, "new")
    assert path.read_text() == "new"


def test_leftovers_of_a_running_process_are_left_alone(tmp_path: Path) -> None:
    """Another build still writing beside the folder (here: this test's parent process)."""
    alive = tmp_path / f".site.new-{os.getppid()}"
    alive.mkdir()
    dead = tmp_path / ".site.new-999999999"  # above any pid this system hands out
    dead.mkdir()
    other = tmp_path / ".other.new-999999999"  # not a leftover of `site`
    other.mkdir()
    assert clean_leftovers(tmp_path, "site") == [dead]
    assert alive.exists()
    assert other.exists()
    assert not dead.exists()
