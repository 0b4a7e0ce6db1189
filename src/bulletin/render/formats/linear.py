"""Render (accessible formats: the linear reading): a publication as lines, one block each,
for the formats read from start to end without layout (plain text and braille).

Each line has a kind (a heading and its level, a paragraph, a list item, a table's title,
one table cell) and its text. The text of every paragraph is the page's, whole, so each
sentence of the numbers manifest stands in a line as it stands on the page. A table is
read row by row, each cell as its sentence (`bulletin.render.numbers.cell_sentence`:
row header, column header, figure), the way a screen reader announces a cell; a figure
is its caption (its message), its alt text and its long description, which holds every
value it draws (its table follows it, as on the page).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from bulletin.render.formats.document import Document, Figure, Heading, Paragraph, Table

#: Said first in each linear format, so a reader knows how tables and figures are given.
HOW_TO_READ = (
    "Each table is given row by row: every line names the row, then the column, then the "
    "figure. Each chart is given as its title, a short description and a long description "
    "with every figure it shows; the same figures are in the table that follows it."
)


@dataclass(frozen=True)
class Line:
    kind: str  # heading, p, li, table, row, cell, figure, note
    text: str
    level: int = 0  # a heading's level


def lines(doc: Document, version: str) -> Iterator[Line]:
    """The publication as lines: its blocks in reading order, with a note on this version
    (`version`: 'plain text', 'braille'...) after the title, and a contents list."""
    sections = [b for b in doc.blocks if isinstance(b, Heading) and b.level == 2]
    front = False
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level > 1 and not front:
            yield from _front(doc, version, sections)
            front = True
        if isinstance(block, Heading):
            yield Line("heading", block.text, block.level)
        elif isinstance(block, Paragraph):
            yield Line("li" if block.kind in {"li", "term"} else "p", block.text)
        elif isinstance(block, Figure):
            yield Line("figure", f"Chart: {block.caption}")
            yield Line("p", block.alt)
            yield Line("p", block.description)
        elif isinstance(block, Table):
            yield from table_lines(block)


def _front(doc: Document, version: str, sections: list[Heading]) -> Iterator[Line]:
    yield Line(
        "note",
        f"This is the {version} version of {doc.title}, published by the {doc.author}. "
        f"The tagged PDF of the publication has {doc.pages} pages. {HOW_TO_READ}",
    )
    if sections:
        yield Line("p", "Contents:")
        for heading in sections:
            yield Line("li", heading.text)


def table_lines(table: Table) -> Iterator[Line]:
    """A table's title and size, then each row's cells as sentences."""
    yield Line("table", f"Table: {table.caption}")
    columns = "; ".join(table.headers[1:])
    yield Line("p", f"{len(table.rows)} rows ({table.headers[0]}); columns: {columns}.")
    for row in table.rows:
        yield Line("row", "")
        for sentence in _row_sentences(table, row.header, row.cells):
            yield Line("cell", sentence)


def _row_sentences(table: Table, header: str, cells: tuple[str, ...]) -> Iterator[str]:
    from bulletin.render.numbers import cell_sentence

    for column, text in zip(table.headers[1:], cells, strict=False):
        yield cell_sentence(header, column, text)
