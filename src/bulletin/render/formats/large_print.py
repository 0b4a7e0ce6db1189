"""Render (accessible formats: large print): a PDF set at 16 pt or larger, tagged as the
standard PDF is (PDF/UA-1, with table header scopes: `bulletin.render.pdf.write_pdf`).

The page is the semantic HTML (`bulletin.render.formats.html`) with its own stylesheet,
templates/css/large-print.css, to RNIB's clear print guidance. Two things differ from the
standard PDF:

- a chart is its caption, its alt text and its long description (every value), followed
  by its table, never its image: a chart's labels would be smaller than 16 pt at any
  width an A4 page allows, and text over an image is what clear print rules out;
- a table too wide for the page at 16 pt is set out row by row (`stacked`); a narrower
  one stays a table, whose header row repeats on every page it runs over.
"""

from __future__ import annotations

from pathlib import Path

from bulletin.render.formats import Job, html
from bulletin.render.formats.document import Document, Table
from bulletin.render.pdf import write_pdf

SUFFIX = "-large-print.pdf"
STYLESHEET = "large-print.css"  # in the templates' css folder
#: The text width of the page (A4, 20 mm margins) and the table's text size, in points.
TEXT_WIDTH = (210 - 40) / 25.4 * 72
TABLE_SIZE = 16
#: A generous average width of a character of DejaVu Sans (bold headers), in ems, and the
#: padding of a cell (points): what `stacked` estimates a column's narrowest width with.
CHARACTER = 0.66
PADDING = 10


def narrowest(table: Table) -> float:
    """The narrowest the table can be set, in points: each column as wide as its longest
    word (header cells wrap between words; a figure never wraps)."""
    columns = [
        [h, *(row.cells[i - 1] if i else row.header for row in table.rows)]
        for i, h in enumerate(table.headers)
    ]
    longest = [
        max(len(word) for text in texts for word in text.split() or [""]) for texts in columns
    ]
    return sum(n * CHARACTER * TABLE_SIZE + PADDING for n in longest)


def stacked(doc: Document) -> frozenset[str]:
    """The tables too wide for the page, which are set out row by row."""
    return frozenset(b.id for b in doc.blocks if isinstance(b, Table) and narrowest(b) > TEXT_WIDTH)


def page(doc: Document) -> str:
    link = f'<link rel="stylesheet" href="assets/{STYLESHEET}">'
    return html.page(doc, images=False, contents=True, stacked=stacked(doc), head=link)


def write(job: Job) -> Path:
    doc = job.doc
    path = job.folder / f"{doc.id}{SUFFIX}"
    result = write_pdf(page(doc), "large-print.html", {"assets/": job.templates / "css"})
    if result.warnings:
        raise RuntimeError(f"{doc.id}: WeasyPrint warned: {'; '.join(result.warnings)}")
    path.write_bytes(result.pdf)
    return path
