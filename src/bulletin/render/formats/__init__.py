"""Render (accessible formats): a built publication in the formats people ask for.

`FORMATS` lists them, by the name the command line takes: large print (a PDF at 16 pt or
larger), Word, OpenDocument text, EPUB 3, plain text, braille (BRF) and audio (Ogg Opus).
Each is one module with a `write(job) -> Path` that writes one file into `job.folder`,
from the reading model of the built publication (`bulletin.render.formats.document`),
using `job.work` for its temporary files. Each module names the system programs it runs
(`Format.system`, components of `bulletin.core.system`), whose versions are part of its
stage's key.

The checks of each format (its validator, and the numbers manifest read back from it) are
QA's: `bulletin.qa.formats`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
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
    #: the system components (`bulletin.core.system`) that make and check it, besides those
    #: that lay text out (the pipeline adds them to every format's stage key)
    system: tuple[str, ...]

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
            ("poppler",),
        ),
        Format("docx", "docx", ".docx", "Word (DOCX)", ("pandoc", "librsvg")),
        Format("odt", "odt", ".odt", "OpenDocument text (ODT)", ("pandoc",)),
        Format("epub", "epub", ".epub", "EPUB", ("pandoc", "epubcheck", "chromium", "nodejs")),
        Format("text", "text", ".txt", "Plain text (TXT)", ()),
        Format(
            "braille",
            "braille",
            ".brf",
            "Braille, UEB grade 2 (BRF)",
            ("liblouis", "liblouisutdml"),
        ),
        Format("audio", "audio", ".opus", "Audio (Ogg Opus)", ("espeak-ng", "opus-tools")),
    )
}
ALL = "all"


def write(name: str, job: Job) -> Path:
    """Write the format `name` of `job.doc` into `job.folder`; the file's path."""
    path: Path = FORMATS[name].writer().write(job)
    return path
