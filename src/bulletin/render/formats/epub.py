"""Render (accessible formats: EPUB): the publication as EPUB 3, made by pandoc.

One XHTML file per section, a navigation document with the contents, the publication's
language on every file, its figures as SVG with their alt text, caption and long
description, tables with header cells and scopes. Pages follow the standard PDF: an
empty `epub:type="pagebreak"` span marks where each of its pages starts (from the pdf
stage's page starts), and the navigation document gains a page list of them, so that a
reader can go to "page 12" as someone with the PDF would.

The package document gets the accessibility metadata a reading system shows (schema.org
`accessMode`, `accessModeSufficient`, `accessibilityFeature`, `accessibilityHazard`,
`accessibilitySummary`), and the print source of its page numbers (`dc:source` and
`pageBreakSource`). The EPUB is zipped again with `mimetype` first, stored, and fixed
times.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from bulletin.render.formats import Job, html, pandoc
from bulletin.render.formats.document import Document
from bulletin.tables.archive import zip_bytes

SUFFIX = ".epub"
NAV = "EPUB/nav.xhtml"
PACKAGE = "EPUB/content.opf"
PAGE_BREAK = re.compile(r'<span id="page-(\d+)"[^>]*epub:type="pagebreak"')
FEATURES = (
    "alternativeText",
    "longDescription",
    "pageBreakMarkers",
    "pageNavigation",
    "printPageNumbers",
    "readingOrder",
    "structuralNavigation",
    "tableOfContents",
    "displayTransformability",
)


def summary(doc: Document) -> str:
    return (
        f"{doc.title}: every chart has a text alternative and a long description giving "
        "every figure it shows, followed by the same figures as a table with row and "
        "column headers. Headings structure every section; the page list follows the "
        f"{doc.pages} pages of the tagged PDF. No hazards."
    )


def write(job: Job) -> Path:
    doc, work = job.doc, job.work
    path = job.folder / f"{doc.id}{SUFFIX}"
    made = work / "pandoc.epub"
    page = html.page(doc, page_breaks=True)
    args = ["--epub-title-page=false", "--split-level=2", "--toc-depth=3"]
    pandoc.convert(doc, page, made, "epub3", work, args)
    path.write_bytes(finish(made.read_bytes(), doc))
    return path


def finish(epub: bytes, doc: Document) -> bytes:
    """pandoc's EPUB with the page list and the accessibility metadata added."""
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    breaks: list[tuple[int, str]] = []
    for name in sorted(members):
        if name.startswith("EPUB/text/") and name.endswith(".xhtml"):
            text = members[name].decode("utf-8")
            breaks += [(int(n), name.removeprefix("EPUB/")) for n in PAGE_BREAK.findall(text)]
    breaks.sort()
    if [n for n, _ in breaks] != list(range(1, doc.pages + 1)):
        raise ValueError(f"{doc.id}: the EPUB does not mark each of the {doc.pages} PDF pages")
    items = "".join(f'<li><a href="{f}#page-{n}">{n}</a></li>' for n, f in breaks)
    page_list = (
        '<nav epub:type="page-list" role="doc-pagelist" id="page-list" hidden="hidden">'
        f"<h1>Pages</h1><ol>{items}</ol></nav>"
    )
    nav = members[NAV].decode("utf-8")
    members[NAV] = nav.replace("</body>", page_list + "\n</body>", 1).encode("utf-8")
    members[PACKAGE] = _metadata(members[PACKAGE].decode("utf-8"), doc).encode("utf-8")
    ordered = {"mimetype": members.pop("mimetype"), **members}
    return zip_bytes(ordered, stored=("mimetype",), sort=False)


def _metadata(opf: str, doc: Document) -> str:
    """The package document with the accessibility metadata (replacing pandoc's)."""
    kept = [line for line in opf.splitlines() if 'property="schema:access' not in line]
    metas = [
        '<meta property="schema:accessMode">textual</meta>',
        '<meta property="schema:accessMode">visual</meta>',
        '<meta property="schema:accessModeSufficient">textual</meta>',
        *(f'<meta property="schema:accessibilityFeature">{f}</meta>' for f in FEATURES),
        '<meta property="schema:accessibilityHazard">none</meta>',
        f'<meta property="schema:accessibilitySummary">{escape(summary(doc))}</meta>',
        f'<dc:source id="print-source">{escape(doc.title)} (tagged PDF)</dc:source>',
        '<meta refines="#print-source" property="source-of">pagination</meta>',
    ]
    text = "\n".join(kept)
    return text.replace("</metadata>", "    " + "\n    ".join(metas) + "\n  </metadata>", 1)
