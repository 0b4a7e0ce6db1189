"""Review (outputs): where `bulletin diff` may write, until the shared rule lands.

DESIGN.md decision 15: a folder a command writes must be missing, empty, or a previous
output of the same command (its `manifest.json` names the command and lists every file
in it); the project folder, the protected folders (data, templates, report, figures,
cache), their ancestors and descendants are refused; so is a file where a folder is
wanted. A single file (`--json PATH`) may replace only a file this command wrote. This
module has the same names and arguments as `bulletin.core.outputs` (issue 21), so that
the diff moves to the shared rule by changing one import.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from bulletin.core.atomic import atomic_write_text, replace_folder

MANIFEST = "manifest.json"


class OutputError(Exception):
    """A command may not write where it was asked to; nothing was changed."""

    def __init__(self, target: Path, reason: str) -> None:
        self.target = target
        super().__init__(f"{target}: {reason}. Nothing was changed.")


def check_folder(target: Path, command: str, *, root: Path, protected: Mapping[str, Path]) -> None:
    _check_place(target, root, protected, file=False)
    if target.is_symlink():
        raise OutputError(target, "is a symbolic link: give the folder it points to")
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputError(target, "is a file, not a folder")
    found = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if not p.is_dir())
    if not found:
        return
    listed = _listed(target / MANIFEST, command)
    if listed is None:
        raise OutputError(
            target, f"is not empty and is not an output of bulletin {command}: choose a new folder"
        )
    unknown = [name for name in found if name != MANIFEST and name not in listed]
    if unknown:
        raise OutputError(
            target, f"holds files bulletin {command} did not write: {', '.join(unknown[:3])}"
        )


def check_file(
    target: Path,
    *,
    recognise: Callable[[Any], bool],
    force: bool,
    root: Path,
    protected: Mapping[str, Path],
) -> None:
    _check_place(target, root, protected, file=True)
    if target.is_dir():
        raise OutputError(target, "is a folder, not a file")
    if not target.exists() or force:
        return
    try:
        ours = bool(recognise(json.loads(target.read_text(encoding="utf-8"))))
    except (OSError, ValueError):
        ours = False
    if not ours:
        raise OutputError(target, "exists and is not a file bulletin wrote")


def write_folder(
    target: Path,
    command: str,
    fill: Callable[[Path], None],
    *,
    root: Path,
    protected: Mapping[str, Path],
) -> None:
    """Replace `target` by what `fill` writes, with a manifest listing every file."""
    check_folder(target, command, root=root, protected=protected)

    def fill_and_mark(new: Path) -> None:
        fill(new)
        files = {
            p.relative_to(new).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(new.rglob("*"))
            if p.is_file()
        }
        record = {"command": command, "files": files, "generator": f"bulletin {command}"}
        atomic_write_text(new / MANIFEST, json.dumps(record, indent=1, sort_keys=True) + "\n")
        check_folder(target, command, root=root, protected=protected)

    replace_folder(target, fill_and_mark, f"{command}:out")


def _listed(manifest: Path, command: str) -> set[str] | None:
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("command") != command:
        return None
    files = record.get("files")
    return {str(name) for name in files} if isinstance(files, dict) else None


def _check_place(target: Path, root: Path, protected: Mapping[str, Path], *, file: bool) -> None:
    where = Path(os.path.abspath(target)).resolve()
    home = Path(os.path.abspath(root)).resolve()
    if not file and (where == home or home.is_relative_to(where)):
        raise OutputError(target, "is or holds the project folder")
    for name, folder in protected.items():
        place = Path(os.path.abspath(folder)).resolve()
        if where == place or where.is_relative_to(place):
            raise OutputError(target, f"is or is inside the {name} ({folder})")
        if not file and place.is_relative_to(where):
            raise OutputError(target, f"holds the {name} ({folder})")
