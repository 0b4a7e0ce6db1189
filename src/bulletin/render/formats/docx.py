"""Render (accessible formats: Word): the publication as a .docx file, made by pandoc.

The title is the document's title (core properties, and the Title style at the top); the
sections use Word's heading styles (Heading 1 for a section, Heading 2 below it), so the
navigation pane and a screen reader's heading list work. Each table has a repeating
header row; its first column is marked as the row headers (pandoc leaves `firstColumn`
off: we turn it on). Each figure is its image, with its alt text in the picture's
description, its caption, and its long description after it. The document language is
the publication's (en-GB). pandoc keeps a PNG beside each SVG, for Word before 2016.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from bulletin.render.formats import Job, pandoc
from bulletin.tables.archive import zip_bytes

SUFFIX = ".docx"
BODY = "word/document.xml"


def write(job: Job) -> Path:
    path = job.folder / f"{job.doc.id}{SUFFIX}"
    path.write_bytes(row_headers(pandoc.word_processor(job.doc, "docx", job.work)))
    return path


def row_headers(docx: bytes) -> bytes:
    """The .docx with every table's first column marked as its row headers."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    text = members[BODY].decode("utf-8")
    marked = text.replace('w:firstColumn="0"', 'w:firstColumn="1"')
    members[BODY] = marked.encode("utf-8")
    return zip_bytes(members, sort=False)
