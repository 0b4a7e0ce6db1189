"""Core: atomic file and folder replacement, so that a killed build never leaves half an output.

Every output folder (`_site/`, `report/`, `figures/`, each cache entry) is replaced whole:
the next version is written into a hidden sibling (``.<name>.new-<pid>``) and swapped in by
one atomic exchange of the two directories (Linux ``renameat2(RENAME_EXCHANGE)``), so the
folder is never missing, not even for an instant. Where the filesystem cannot exchange, two
renames are used instead, with the old version parked as ``.<name>.old-<pid>``; should a
`kill -9` land between them, `clean_leftovers` puts it back at the start of the next build.

Files are written to ``.<name>.tmp-<pid>``, flushed to disk, then renamed over the target.

`private_temp(cache)` gives a process its own temporary folder, ``<cache>/.temp.tmp-<pid>``,
and makes it the temporary folder of everything the process does (Python's `tempfile`, DuckDB's
spill files, and through ``TMPDIR`` every program it starts), so that nothing, pupil-level
spill files included, is ever written to the system's temporary folder. It is removed on the
way out; after a `kill -9`, the next build's clean-up removes it like any other leftover.

`kill_point(name)` is a test hook: when ``BULLETIN_TEST_KILL_AT`` equals `name` the process
sends itself SIGKILL there, so that tests can interrupt a build at an exact point.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

KILL_AT = "BULLETIN_TEST_KILL_AT"
TEMP = "temp"  # the name of a process's private temporary folder in the cache

#: A leftover of a run: `.<name>.<kind>-<pid>`. new/tmp: an unfinished next version;
#: old: a previous version parked by the two-rename fallback; trash: being deleted.
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>new|old|tmp|trash)-(?P<pid>\d+)$")
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def kill_point(name: str) -> None:
    """Die here by SIGKILL when the environment asks for it (tests of interrupted builds)."""
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def sibling(target: Path, kind: str) -> Path:
    """This process's hidden working name beside `target`, of one kind of leftover."""
    return target.with_name(f".{target.name}.{kind}-{os.getpid()}")


def atomic_write_text(path: Path, text: str) -> None:
    """Write a file so that readers see the old content or the new, never a part."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = sibling(path, "tmp")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    kill_point(f"write:{path.name}")
    os.replace(tmp, path)


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step. False, with nothing changed, when this
    system or filesystem cannot (then the caller falls back to renames)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


@functools.cache
def _renameat2() -> Any:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a C library without it
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


def swap_in(fresh: Path, target: Path, point: str) -> None:
    """Make the complete folder `fresh` the folder `target`; the previous `target` (if any)
    is deleted. `point` names the kill points (`<point>:swapped`) of this swap."""
    if not target.exists() and not target.is_symlink():
        os.rename(fresh, target)
        return
    if exchange(fresh, target):
        kill_point(f"{point}:swapped")
        discard(fresh)  # now the previous version
        return
    old = sibling(target, "old")
    os.rename(target, old)
    try:
        kill_point(f"{point}:parked")
        os.rename(fresh, target)
    except BaseException:
        os.rename(old, target)  # put the previous version back
        raise
    discard(old)


def replace_folder(target: Path, fill: Callable[[Path], None], point: str) -> None:
    """Replace the folder `target` by a new version that `fill` writes into an empty folder
    beside it; readers see the old version or the new one, never a mixture, never nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = sibling(target, "new")
    discard(fresh)
    fresh.mkdir()
    try:
        fill(fresh)
        kill_point(f"{point}:filled")
        swap_in(fresh, target, point)
    finally:
        discard(fresh)  # what is left of it after a failure


def discard(path: Path) -> None:
    """Delete a file or folder: first renamed out of the way (atomically), so that a kill
    during the deletion leaves a hidden leftover, never a damaged entry under its name."""
    if not path.exists() and not path.is_symlink():
        return
    if _LEFTOVER.match(path.name) is None:
        trash = sibling(path, "trash")
        os.rename(path, trash)
        path = trash
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def clean_leftovers(folder: Path, name: str | None = None) -> list[Path]:
    """Remove what killed runs left in `folder` (only beside `name`, when given): unfinished
    new versions are deleted; a parked old version whose folder is missing is put back.
    Leftovers of processes still running are left alone. Returns what was cleaned."""
    if not folder.is_dir():
        return []
    pattern = "*" if name is None else f".{glob_escape(name)}.*-*"
    cleaned = []
    for path in sorted(folder.glob(pattern)):
        match = _LEFTOVER.match(path.name)
        if match is None or (name is not None and match["name"] != name):
            continue
        if _alive(int(match["pid"])):
            continue
        original = path.with_name(match["name"])
        if match["kind"] == "old" and not original.exists() and not original.is_symlink():
            os.rename(path, original)
        elif path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        cleaned.append(path)
    return cleaned


@contextlib.contextmanager
def private_temp(cache: Path) -> Iterator[Path]:
    """This process's temporary folder under `cache` (see the module docstring), made the
    temporary folder of everything it does until the block ends; re-entrant. Create it
    after taking the cache's lock: the lock's clean-up counts the process's own leftovers
    as stale."""
    folder = sibling(cache / TEMP, "tmp")
    if tempfile.tempdir == str(folder):
        yield folder
        return
    folder.mkdir(parents=True, exist_ok=True)
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    _SYSTEM_TEMP.append(tempfile.gettempdir())
    tempfile.tempdir = os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        _SYSTEM_TEMP.pop()
        tempfile.tempdir = saved[0]
        if saved[1] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[1]
        shutil.rmtree(folder, ignore_errors=True)


_SYSTEM_TEMP: list[str] = []  # the temporary folder before each `private_temp`


def system_temp() -> str:
    """The system's temporary folder, as it was before `private_temp` (for a program that
    cannot work under the cache; say why where it is used)."""
    return _SYSTEM_TEMP[0] if _SYSTEM_TEMP else tempfile.gettempdir()


@contextlib.contextmanager
def in_system_temp() -> Iterator[None]:
    """The system's temporary folder for the block, for a library that puts a Unix socket
    there, whose path may not be longer than 107 characters (a folder deep in a project can
    exceed it): multiprocessing's forkserver. The socket holds no data."""
    saved = tempfile.tempdir
    tempfile.tempdir = system_temp()
    try:
        yield
    finally:
        tempfile.tempdir = saved


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # this run's own leftovers are stale by definition when it cleans
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
