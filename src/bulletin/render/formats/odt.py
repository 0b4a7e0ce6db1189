"""Render (accessible formats: OpenDocument text): the publication as an .odt file.

pandoc writes it as it writes Word (`bulletin.render.formats.docx`): title, heading
levels, tables with header rows, language. pandoc's ODT writer drops image alt text
(toolchain-2.md, section 5), so each image's frame gets back its figure's alt text as
`svg:title` and `svg:desc`, in reading order, which is how LibreOffice stores an image's
text alternative. The file is zipped again with `mimetype` first and uncompressed, as
OpenDocument requires, and fixed times.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from bulletin.render.formats import Job, pandoc
from bulletin.render.formats.document import Figure
from bulletin.tables.archive import zip_bytes

SUFFIX = ".odt"
CONTENT = "content.xml"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"


def write(job: Job) -> Path:
    path = job.folder / f"{job.doc.id}{SUFFIX}"
    alts = [b.alt for b in job.doc.blocks if isinstance(b, Figure)]
    path.write_bytes(with_alt_text(pandoc.word_processor(job.doc, "odt", job.work), alts))
    return path


def with_alt_text(odt: bytes, alts: list[str]) -> bytes:
    """The .odt with each image frame's alt text (`alts`, in reading order) restored."""
    from lxml import etree  # type: ignore[import-untyped]

    with zipfile.ZipFile(io.BytesIO(odt)) as archive:
        names = archive.namelist()
        members = {name: archive.read(name) for name in names}
    root = etree.fromstring(members[CONTENT])
    frames = [f for f in root.iter(f"{{{DRAW}}}frame") if f.find(f"{{{DRAW}}}image") is not None]
    if len(frames) != len(alts):
        raise ValueError(f"the ODT has {len(frames)} images for {len(alts)} figures")
    for frame, alt in zip(frames, alts, strict=True):
        for name in ("title", "desc"):
            for old in frame.findall(f"{{{SVG}}}{name}"):
                frame.remove(old)
            element = etree.SubElement(frame, f"{{{SVG}}}{name}")
            element.text = alt
    members[CONTENT] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    ordered = {"mimetype": members.pop("mimetype"), **members}
    return zip_bytes(ordered, stored=("mimetype",), sort=False)
