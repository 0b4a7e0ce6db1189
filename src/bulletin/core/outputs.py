"""Core: where a command may write, one rule for every command (DESIGN.md decision 15).

A command that writes a folder (`build --out`, `synthetic --out`, and the later
`accessible --out`, `diff --html`, `new`) calls `check_folder` before it touches anything,
and again just before it swaps its new version in; `write_folder` does both around
`bulletin.core.atomic.replace_folder` and writes the manifest that marks the folder as
the command's own. A command that writes one file (`findings --json PATH`) calls
`check_file`. Both raise `OutputError`, whose message says why and that nothing was
changed; the command line prints it and exits 1.

**A folder** may be written when it is missing, empty, or a previous output of the same
command: it holds a `manifest.json` whose `generator` is bulletin's and whose `command` is
this command (a site built before the manifest named its command counts as `build`), and
every file in it is one that manifest lists. Refused, whatever they hold: the project
root and every folder above it; each protected folder (`protected_folders`: public data,
linked data, templates, report, figures, cache), with its ancestors and its descendants;
a file; a symbolic link.

**A file** may be replaced only when it is missing, or when `recognise` says bulletin wrote
it (by its own marker, such as findings.json's `"generator": "bulletin findings"`);
another file only with `force`. A file inside a protected folder is refused even then.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from bulletin.core.atomic import replace_folder
from bulletin.core.cache import file_sha256
from bulletin.core.settings import Settings

MANIFEST = "manifest.json"
GENERATOR = "bulletin"  # the manifest's `generator` starts with this word
LEGACY_COMMAND = "build"  # what wrote a manifest that names no command
MARKER_LIMIT = 64 << 20  # a file larger than this is never one bulletin wrote as JSON
SHOWN = 3  # files named when refusing a folder


class OutputError(Exception):
    """A command may not write where it was asked to; nothing was changed."""

    def __init__(self, target: Path, reason: str) -> None:
        self.target = target
        super().__init__(f"{target}: {reason}. Nothing was changed.")


def protected_folders(settings: Settings, **extra: Path | None) -> dict[str, Path]:
    """The folders no output may be, hold or sit in, by what they are: the settings'
    public data, templates, report, figures and cache folders, the linked data of the
    environment, and each `extra` folder given (such as `--public-data DIR`)."""
    paths = settings.paths
    found: dict[str, Path | None] = {
        "public data folder": paths.public_data,
        "templates folder": paths.templates,
        "report folder": paths.report,
        "figures folder": paths.figures,
        "cache folder": paths.cache,
        "linked data folder": settings.linked_data,
    }
    for name, folder in extra.items():
        found[name.replace("_", " ") + " folder"] = folder
    return {name: folder for name, folder in found.items() if folder is not None}


def check_folder(target: Path, command: str, *, root: Path, protected: Mapping[str, Path]) -> None:
    """Raise `OutputError` unless `bulletin <command>` may replace the folder `target`
    (see the module's docstring for the rule). Reads, never writes."""
    _check_place(target, root, protected)
    if target.is_symlink():
        raise OutputError(target, "is a symbolic link: give the folder it points to")
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(target, "is a file, not a folder")
    listed = _listed(target / MANIFEST, command)
    found = _files(target)
    if listed is None:
        others = [name for _, name in zip(range(SHOWN), found, strict=False)]
        if others:
            raise OutputError(
                target,
                f"is not empty and is not an output of bulletin {command} (no {MANIFEST} of "
                f"one): it holds {_names(others)}. Choose a new or empty folder",
            )
        return
    unknown = [name for name in found if name != MANIFEST and name not in listed]
    if unknown:
        raise OutputError(
            target,
            f"holds files that bulletin {command} did not write (its {MANIFEST} does not list "
            f"them): {_names(unknown[:SHOWN])}. Move them away, or choose a new folder",
        )


def check_file(
    target: Path,
    *,
    recognise: Callable[[Any], bool],
    force: bool,
    root: Path,
    protected: Mapping[str, Path],
) -> None:
    """Raise `OutputError` unless a command may write the file `target`: missing, or a
    JSON file that `recognise` (given the parsed JSON) says bulletin wrote, or any file
    with `force`. Never a folder, and never inside a protected folder."""
    _check_place(target, root, protected, file=True)
    if target.is_dir() and not target.is_symlink():
        raise OutputError(target, "is a folder, not a file")
    if not target.exists() and not target.is_symlink():
        return
    if force:
        return
    if target.is_symlink():
        raise OutputError(target, "is a symbolic link; pass --force to replace the link")
    if not _recognised(target, recognise):
        raise OutputError(
            target,
            "exists and is not a file bulletin wrote; pass --force to replace it",
        )


def write_folder(
    target: Path,
    command: str,
    fill: Callable[[Path], None],
    *,
    root: Path,
    protected: Mapping[str, Path],
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Replace the folder `target` by what `fill` writes into an empty folder, with a
    `manifest.json` that lists every file (and `extra` keys), so that the next run of
    `command` recognises it. Checked before anything is written and again before the
    swap; the swap is atomic (`bulletin.core.atomic.replace_folder`)."""
    check_folder(target, command, root=root, protected=protected)

    def fill_and_mark(new: Path) -> None:
        fill(new)
        files = {name: file_sha256(new / name) for name in _files(new)}
        record = {"generator": f"{GENERATOR} {command}", "command": command}
        record |= dict(extra or {}) | {"files": files}
        text = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        (new / MANIFEST).write_text(text, encoding="utf-8", newline="\n")
        check_folder(target, command, root=root, protected=protected)

    replace_folder(target, fill_and_mark, f"{command}:out")


# -- helpers -----------------------------------------------------------------------------


def _check_place(
    target: Path, root: Path, protected: Mapping[str, Path], file: bool = False
) -> None:
    where = _absolute(target)
    home = _absolute(root)
    if not file and (where == home or home.is_relative_to(where)):
        what = "is the project folder" if where == home else f"holds the project folder ({root})"
        raise OutputError(target, what)
    for name, folder in protected.items():
        place = _absolute(folder)
        if where == place:
            raise OutputError(target, f"is the {name}")
        if where.is_relative_to(place):
            raise OutputError(target, f"is inside the {name} ({folder})")
        if not file and place.is_relative_to(where):
            raise OutputError(target, f"holds the {name} ({folder})")


def _absolute(path: Path) -> Path:
    """The path with every symbolic link of its existing part resolved."""
    return Path(os.path.abspath(path)).resolve()


def _files(folder: Path) -> Iterator[str]:
    """Every file (or link) under `folder`, relative and sorted within each folder, without
    following links into other folders."""
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        here = Path(top)
        links = [d for d in dirs if (here / d).is_symlink()]
        for name in sorted([*names, *links]):
            yield (here / name).relative_to(folder).as_posix()


def _listed(manifest: Path, command: str) -> frozenset[str] | None:
    """The files a manifest of `bulletin <command>` lists; None when it is not one."""
    try:
        if manifest.is_symlink() or manifest.stat().st_size > MARKER_LIMIT:
            return None
        record = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    generator, files = record.get("generator"), record.get("files")
    if not isinstance(generator, str) or generator.split(" ")[0] != GENERATOR:
        return None
    if record.get("command", LEGACY_COMMAND) != command or not isinstance(files, dict):
        return None
    return frozenset(str(name) for name in files)


def _recognised(path: Path, recognise: Callable[[Any], bool]) -> bool:
    try:
        if path.stat().st_size > MARKER_LIMIT:
            return False
        return bool(recognise(json.loads(path.read_text(encoding="utf-8"))))
    except (OSError, ValueError):
        return False


def _names(names: list[str]) -> str:
    return ", ".join(names)
