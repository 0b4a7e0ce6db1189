"""Core: the system components that shape an output or a verdict (DESIGN.md decision 16).

The Python libraries are pinned by requirements.lock, which the stages read as an input;
what lies outside it is listed here, one line a component: the libraries and fonts
WeasyPrint draws with, the browser and axe-core that judge the pages, and the tools the
accessible formats use. `read_components` reads them all once per build, cheaply: every
Debian package from one read of dpkg's database, the fonts from one `fc-list` and one
`fc-conflist`, axe-core from the first line of the script axe-playwright-python injects,
pandoc from `pandoc --version`, remembered against the program file's size, modification
time and inode (a 160 MB program takes most of a second to start when it is not in the
page cache). A stage names the components it depends on (`bulletin.core.cache.Stage.system`);
the build records them all in its manifest.

A component's value is a short text that changes whenever the component does: a Debian
package's version as dpkg records it ("not installed" when it is not), or for the fonts a
digest of every font file and configuration file fontconfig reads (path, size and
modification time), so that adding, removing or replacing a font changes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from bulletin.core.atomic import atomic_write_text

DPKG_STATUS = Path("/var/lib/dpkg/status")
NOT_INSTALLED = "not installed"


class Machine:
    """What the components are read from, read at most once per `read_components`; `memo`
    is the file where what `remembered` computes is kept from one build to the next."""

    def __init__(self, dpkg_status: Path = DPKG_STATUS, memo: Path | None = None) -> None:
        self.dpkg_status = dpkg_status
        self.memo = memo
        self._remembered: dict[str, list[Any]] = {}
        self._dirty = False
        if memo is not None:
            with contextlib.suppress(OSError, ValueError):
                self._remembered = json.loads(memo.read_text(encoding="utf-8"))

    def remembered(self, path: Path, compute: Callable[[], str]) -> str:
        """`compute()`, remembered against the file `path`'s size, modification time and
        inode, as the stage cache remembers file digests; an unknown value is not kept."""
        try:
            st = path.stat()
        except OSError:
            return compute()
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        known = self._remembered.get(str(path))
        if known is not None and known[:3] == stamp:
            return str(known[3])
        value = compute()
        if not value.startswith("unknown"):
            self._remembered[str(path)] = [*stamp, value]
            self._dirty = True
        return value

    def save(self) -> None:
        if self._dirty and self.memo is not None:
            atomic_write_text(self.memo, json.dumps(self._remembered, sort_keys=True))
            self._dirty = False

    @cached_property
    def packages(self) -> dict[str, str]:
        """The version of every installed Debian package, by name."""
        try:
            text = self.dpkg_status.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return {}
        return installed_packages(text)


Reader = Callable[[Machine], str]


@dataclass(frozen=True)
class Component:
    name: str
    read: Reader


def debian(*packages: str) -> Reader:
    """A component made of Debian packages: their versions (one, when they share it)."""

    def read(machine: Machine) -> str:
        if not machine.packages:
            return f"unknown: no dpkg database at {machine.dpkg_status}"
        versions = {p: machine.packages.get(p, NOT_INSTALLED) for p in packages}
        if len(set(versions.values())) == 1:
            return next(iter(versions.values()))
        return ", ".join(f"{p} {v}" for p, v in versions.items())

    return read


def fonts(_: Machine) -> str:
    """Every font file fontconfig offers and every configuration file it reads (they
    decide which font a family name gets), by path, size and modification time."""
    files = _lines(["fc-list", "--format", "%{file}\n"])
    if files is None:
        return "unknown: fc-list did not run"
    configs = [
        line[2:].partition(": ")[0]
        for line in _lines(["fc-conflist"]) or []
        if line.startswith("+ ")
    ]
    return f"{len(set(files))} font files, {len(configs)} configuration files: sha256 " + (
        _stat_digest(files + configs)
    )


def axe_core(_: Machine) -> str:
    """The version of the axe-core that axe-playwright-python injects into the pages."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        return NOT_INSTALLED
    script = Path(next(iter(spec.submodule_search_locations))) / "axe.min.js"
    try:
        with script.open(encoding="utf-8") as handle:
            head = handle.read(200)
    except OSError:
        return NOT_INSTALLED
    match = re.search(r"axe v(\S+)", head)
    return match[1] if match else f"unknown: no version in {script}"


def pandoc(machine: Machine) -> str:
    """The version of the pandoc that pypandoc runs: the one its wheel ships, else PATH's."""
    spec = importlib.util.find_spec("pypandoc")
    bundled = (
        Path(next(iter(spec.submodule_search_locations))) / "files" / "pandoc"
        if spec is not None and spec.submodule_search_locations
        else None
    )
    exe = str(bundled) if bundled is not None and bundled.is_file() else shutil.which("pandoc")
    if exe is None:
        return NOT_INSTALLED

    def version() -> str:
        lines = _lines([exe, "--version"])
        return lines[0].removeprefix("pandoc ") if lines else f"unknown: {exe} --version failed"

    return machine.remembered(Path(exe), version)


#: Every system component, one line each. Stages name the ones they depend on.
COMPONENTS: tuple[Component, ...] = (
    Component("pango", debian("libpango-1.0-0", "libpangoft2-1.0-0")),
    Component("harfbuzz", debian("libharfbuzz0b")),
    Component("harfbuzz-subset", debian("libharfbuzz-subset0")),  # WeasyPrint warns without
    Component("fontconfig", debian("libfontconfig1", "fontconfig-config")),
    Component("freetype", debian("libfreetype6")),
    Component("fribidi", debian("libfribidi0")),
    Component("fonts", fonts),
    Component("chromium", debian("chromium", "chromium-common")),
    Component("axe-core", axe_core),
    Component("pandoc", pandoc),
    Component("liblouis", debian("liblouis20", "liblouis-data")),
    Component("liblouisutdml", debian("liblouisutdml-bin", "liblouisutdml-data")),
    Component("espeak-ng", debian("espeak-ng", "libespeak-ng1", "espeak-ng-data")),
    Component("opus-tools", debian("opus-tools", "libopus0")),
    Component("epubcheck", debian("epubcheck")),
    Component("nodejs", debian("nodejs")),  # runs DAISY Ace (its version: its lock file)
    Component("librsvg", debian("librsvg2-bin", "librsvg2-2")),  # pandoc's SVG to PNG
    Component("poppler", debian("poppler-utils", "libpoppler126")),
    Component("libreoffice", debian("libreoffice-calc-nogui", "libreoffice-core-nogui")),
)


def read_components(
    components: Iterable[Component] = COMPONENTS, machine: Machine | None = None
) -> dict[str, str]:
    """The value of every component, by name."""
    machine = machine or Machine()
    values = {component.name: component.read(machine) for component in components}
    machine.save()
    return values


def installed_packages(status: str) -> dict[str, str]:
    """Package name -> version, for every package dpkg's status file records as installed
    (several architectures of one package: their versions joined)."""
    found: dict[str, set[str]] = {}
    for stanza in status.split("\n\n"):
        fields = {}
        for line in stanza.splitlines():
            name, sep, value = line.partition(": ")
            if sep and name in ("Package", "Status", "Version"):
                fields[name] = value.strip()
        if fields.get("Status", "").endswith(" installed") and "Package" in fields:
            found.setdefault(fields["Package"], set()).add(fields.get("Version", ""))
    return {name: ", ".join(sorted(versions)) for name, versions in found.items()}


def _lines(command: list[str]) -> list[str] | None:
    """The lines a command prints, or None when it cannot run or fails."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.splitlines() if done.returncode == 0 else None


def _stat_digest(paths: Iterable[str]) -> str:
    lines = []
    for path in sorted(set(paths)):
        try:
            st = os.stat(path)
            lines.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
        except OSError:
            lines.append(f"{path}\0missing")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()
