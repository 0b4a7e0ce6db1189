"""Review (revisions): a git revision built in a temporary worktree sharing the stage cache.

`bulletin diff HEAD~1 HEAD` builds each revision as it was committed: a detached worktree
in a folder of its own in the system's temporary folder (`bulletin-diff-*/<commit>/`),
whose own cache folder is a link to the project's, so that every stage whose inputs did not
change between the revisions is taken from the cache, never recomputed. The worktree is
not under the cache: its build writes its site there, and no output may be inside the
cache folder (`bulletin.core.outputs`, DESIGN.md decision 15). Only the worktree's files
(code, settings, public data, templates) and the revision's published outputs (its site,
report and figures) are there; everything else the build writes, temporary files
included, goes through the link into the project's cache. The revision's own code builds
it (`PYTHONPATH` is its `src/`), with the libraries of this environment, at the scale its
own settings give. The worktree is removed afterwards, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from bulletin.core.atomic import system_temp
from bulletin.core.problems import InputError, Problem

PREFIX = "bulletin-diff-"  # of the folder of each revision's worktree, in the system temp


class RevisionError(RuntimeError):
    """A revision could not be found or built; the message says which and why."""


def commit_of(root: Path, revision: str) -> str | None:
    """The commit a revision names in the project's repository, or None if it names none
    (or git, which reads it, is not installed)."""
    if shutil.which("git") is None:
        return None
    run = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", check=False)
    return run.stdout.strip() if run.returncode == 0 and run.stdout.strip() else None


def explain_missing(root: Path, revision: str) -> str:
    """Why `revision` is neither a build folder nor a commit, in words a user can act on."""
    if shutil.which("git") is None:
        return (
            f"{revision}: not a build folder; to read it as a git revision, install git "
            "(it is not on PATH; on Debian: apt-get install git)"
        )
    inside = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    if inside.returncode != 0:
        return f"{revision}: not a build folder, and {root} is not in a git repository"
    shallow = _git(root, "rev-parse", "--is-shallow-repository", check=False).stdout.strip()
    if shallow == "true":
        return (
            f"{revision}: not a build folder, nor a commit of this shallow clone; fetch the "
            "history first (git fetch --unshallow)"
        )
    return f"{revision}: not a build folder, nor a revision of the repository at {root}"


@contextlib.contextmanager
def built(
    root: Path, cache: Path, revision: str, commit: str, log: Callable[[str], None]
) -> Iterator[Path]:
    """The site folder of `commit`, built in a temporary worktree, which is removed when
    the block ends."""
    # The system's temporary folder, not the cache's private one: the site may not be
    # written inside the cache folder.
    temp = Path(tempfile.mkdtemp(prefix=PREFIX, dir=system_temp()))
    folder = temp / commit[:12]
    try:
        _git(root, "worktree", "add", "--detach", "--force", str(folder), commit)
        own_cache = folder / _setting(folder, "cache")
        if not own_cache.exists():
            own_cache.parent.mkdir(parents=True, exist_ok=True)
            own_cache.symlink_to(cache.resolve(), target_is_directory=True)
        log(f"diff: building {revision} ({commit[:12]}) in {folder}")
        env = dict(os.environ)
        env |= {"BULLETIN_ROOT": str(folder), "PYTHONPATH": str(folder / "src")}
        run = subprocess.run(
            [sys.executable, "-m", "bulletin", "build", "--quiet"],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            tail = "\n".join(run.stderr.strip().splitlines()[-20:])
            raise RevisionError(f"{revision} ({commit[:12]}) did not build:\n{tail}")
        yield folder / _setting(folder, "site")
    finally:
        _remove(root, folder)
        shutil.rmtree(temp, ignore_errors=True)


def _setting(folder: Path, key: str) -> str:
    """A folder the revision's own settings name (relative to its root): cache or site."""
    try:
        settings = tomllib.loads((folder / "bulletin.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        problem = Problem(str(folder / "bulletin.toml"), None, None, f"unreadable: {exc}")
        raise InputError([problem]) from None
    defaults = {"cache": ".cache", "site": "_site"}
    return str(settings.get("paths", {}).get(key, defaults[key]))


def _remove(root: Path, folder: Path) -> None:
    """Remove a worktree; its link to the shared cache is unlinked first, never followed."""
    if folder.is_dir():
        for link in folder.iterdir():
            if link.is_symlink():
                link.unlink()
    if folder.exists() or folder.is_symlink():
        _git(root, "worktree", "remove", "--force", str(folder), check=False)
        shutil.rmtree(folder, ignore_errors=True)
    _git(root, "worktree", "prune", check=False)


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    if check and run.returncode != 0:
        raise RevisionError(f"git {' '.join(args)}: {run.stderr.strip()}")
    return run
