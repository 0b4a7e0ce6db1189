"""Render (accessible formats): a built publication in the formats people ask for.

`FORMATS` lists them, by the name the command line takes: large print (a PDF at 16 pt or
larger), Word, OpenDocument text, EPUB 3, plain text, braille (BRF) and audio (Ogg Opus).
Each is one module with a `write(job) -> Path` that writes one file into `job.folder`,
from the reading model of the built publication (`bulletin.render.formats.document`),
using `job.work` for its temporary files. Each module names the system programs it runs
(`PROGRAMS`), whose versions are part of its stage's key.

The checks of each format (its validator, and the numbers manifest read back from it) are
QA's: `bulletin.qa.formats`.
"""

from __future__ import annotations

import importlib
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

from bulletin.render.formats.document import Document


@dataclass(frozen=True)
class Job:
    doc: Document
    folder: Path  # where the format's file goes
    work: Path  # an empty folder for temporary files (under the cache)
    templates: Path  # the templates folder (the large-print stylesheet)


@dataclass(frozen=True)
class Format:
    name: str  # as the command line takes it
    module: str  # the module under bulletin.render.formats that writes it
    suffix: str  # of the file: <publication><suffix>
    label: str  # for people: the link text on the site
    programs: tuple[str, ...]  # the Debian packages of the programs that make and check it

    def versions(self) -> dict[str, str]:
        """The installed version of each Debian package in `programs` (for a stage key)."""
        return {name: version for name, version in package_versions() if name in self.programs}

    def writer(self) -> ModuleType:
        return importlib.import_module(f"bulletin.render.formats.{self.module}")

    def file_name(self, pub_id: str) -> str:
        return f"{pub_id}{self.suffix}"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "large-print",
            "large_print",
            "-large-print.pdf",
            "Large print (PDF)",
            ("fonts-dejavu-core", "poppler-utils"),
        ),
        Format("docx", "docx", ".docx", "Word (DOCX)", ("librsvg2-bin",)),
        Format("odt", "odt", ".odt", "OpenDocument text (ODT)", ()),
        Format("epub", "epub", ".epub", "EPUB", ("epubcheck", "chromium")),
        Format("text", "text", ".txt", "Plain text (TXT)", ()),
        Format(
            "braille",
            "braille",
            ".brf",
            "Braille, UEB grade 2 (BRF)",
            ("liblouis20", "liblouis-data", "liblouisutdml-bin"),
        ),
        Format("audio", "audio", ".opus", "Audio (Ogg Opus)", ("espeak-ng", "opus-tools")),
    )
}
ALL = "all"


@cache
def package_versions() -> tuple[tuple[str, str], ...]:
    """(package, installed version) of every Debian package a format runs, by dpkg-query;
    "not installed" for one that is not."""
    names = sorted({name for f in FORMATS.values() for name in f.programs})
    run = subprocess.run(
        ["dpkg-query", "--show", "--showformat=${Package} ${Version}\\n", *names],
        capture_output=True,
        text=True,
        check=False,
    )
    found = dict(line.split(" ", 1) for line in run.stdout.splitlines() if " " in line)
    return tuple((name, found.get(name, "not installed")) for name in names)


def write(name: str, job: Job) -> Path:
    """Write the format `name` of `job.doc` into `job.folder`; the file's path."""
    path: Path = FORMATS[name].writer().write(job)
    return path
