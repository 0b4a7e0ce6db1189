"""Render (accessible formats: the reading model): a built publication as the blocks every
format is written from.

The model is read from what a build made, never from a screenshot: the print page (the
HTML the tagged PDF was made from, whose body is the screen page's), each figure's alt
text and long description (figures/<id>.txt, <id>.description.txt), and the page of the
PDF each block starts on (the pdf stage's page-starts.json). Every format walks the same
blocks, in reading order:

- `Heading` (level 1 to 6), `Paragraph` (a paragraph, a list item, a figure's
  definition...), `Figure` (its caption, which states its message, its alt text and its
  long description with every value) and `Table` (caption, column headers, rows with
  their row header, and the lines under it: source, symbols, what its figures measure).

Text is taken as the page shows it, with runs of white space made one space: the same
normalisation as the numbers manifest's sentences (`bulletin.render.numbers`), so a
manifest sentence is found in a block's text exactly. A table cell's sentence is
`cell_sentence(row header, column header, text)`.

Links to files of the site (downloads, the chart's CSV) mean nothing outside it and are
left out; the contents list is left to each format (EPUB and Word have their own).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bulletin.render.numbers import cell_sentence

#: Paragraph classes that only make sense on the site (links to its files).
SITE_ONLY = {"chart-links", "table-download", "download"}
#: Containers whose children are read in turn.
CONTAINERS = {"div", "aside", "section", "article", "header", "footer", "details", "span"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class DocumentError(ValueError):
    """The built page holds something the reading model does not know how to read."""


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str = ""
    page: int | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "p"  # p, li, summary, term (a dt with its dd), key-stat-value, ...
    page: int | None = None


@dataclass(frozen=True)
class Figure:
    id: str
    caption: str  # states the figure's message
    alt: str  # the alt text of its image
    description: str  # the long description: every value of the figure
    page: int | None = None


@dataclass(frozen=True)
class Row:
    header: str
    cells: tuple[str, ...]
    level: str = ""  # national, regional, local-authority...: the row's class on the page
    page: int | None = None


@dataclass(frozen=True)
class Table:
    id: str
    caption: str
    headers: tuple[str, ...]  # the column headers; the first heads the row headers
    rows: tuple[Row, ...]
    page: int | None = None

    def sentences(self) -> Iterator[str]:
        """Each cell as its sentence, row by row (as in the numbers manifest)."""
        for row in self.rows:
            for column, text in zip(self.headers[1:], row.cells, strict=False):
                yield cell_sentence(row.header, column, text)


Block = Heading | Paragraph | Figure | Table


@dataclass(frozen=True)
class Document:
    """A built publication as blocks, with what every format's metadata needs."""

    id: str
    title: str
    lang: str
    author: str
    description: str  # the site's title: the series the publication belongs to
    date: str  # the publication date, ISO (from the page's dcterms.created)
    release_type: str
    synthetic: bool  # built from the synthetic population: every format says so
    blocks: tuple[Block, ...]
    pages: int  # pages of the standard PDF
    figures: Mapping[str, Path] = field(default_factory=dict)  # figure id -> its SVG

    def sections(self) -> list[tuple[str, list[Block]]]:
        """The blocks cut at each level-2 heading: (heading text, blocks); the blocks
        before the first heading are under the title."""
        found: list[tuple[str, list[Block]]] = [(self.title, [])]
        for block in self.blocks:
            if isinstance(block, Heading) and block.level <= 2 and block.level > 1:
                found.append((block.text, []))
            found[-1][1].append(block)
        return [(title, blocks) for title, blocks in found if blocks]


def read_document(
    pub_id: str,
    print_page: str,
    figures: Path,
    page_starts: Mapping[str, int],
    pages: int,
) -> Document:
    """The reading model of a built publication: its print page (HTML), the figures
    folder of the build and the PDF's page of each block (`bulletin.render.pdf.page_starts`)."""
    import tinyhtml5

    root = tinyhtml5.parse(print_page, namespace_html_elements=False)
    paths = {id(el): ".".join(map(str, idx)) for el, idx in _indexed(root, ())}
    head = root.find("head")
    main = root.find("body/main")
    if head is None or main is None:
        raise DocumentError(f"{pub_id}: the print page has no head or no main")
    meta = {m.get("name"): m.get("content", "") for m in head.iter("meta") if m.get("name")}
    reader = _Reader(figures, paths, page_starts)
    reader.read(main)
    title = next((b.text for b in reader.blocks if isinstance(b, Heading) and b.level == 1), "")
    if not title:
        raise DocumentError(f"{pub_id}: the print page has no h1")
    caption = main.find("p[@class='caption']")
    return Document(
        id=pub_id,
        title=title,
        lang=str(root.get("lang") or ""),
        author=str(meta.get("author", "")),
        description=str(meta.get("description", "")),
        date=str(meta.get("dcterms.created", ""))[:10],
        release_type=_text(caption) if caption is not None else "",
        synthetic=main.find(".//div[@class='banner']") is not None,
        blocks=tuple(reader.blocks),
        pages=pages,
        figures=dict(reader.figure_files),
    )


def read_built(pub_id: str, pages_stage: Path, pdf_stage: Path, figures: Path) -> Document:
    """`read_document` from the outputs of a build's stages: the pages stage (the print
    page), the pdf stage (page-starts.json, weasyprint.json) and the figures stage."""
    starts = json.loads((pdf_stage / "page-starts.json").read_text(encoding="utf-8"))
    pages = int(json.loads((pdf_stage / "weasyprint.json").read_text(encoding="utf-8"))["pages"])
    html = (pages_stage / f"{pub_id}.print.html").read_text(encoding="utf-8")
    return read_document(pub_id, html, figures, starts, pages)


# -- reading the page -------------------------------------------------------------------


def _indexed(element: Any, indexes: tuple[int, ...]) -> Iterator[tuple[Any, tuple[int, ...]]]:
    yield element, indexes
    for i, child in enumerate(element):
        yield from _indexed(child, (*indexes, i))


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def _classes(element: Any) -> set[str]:
    return set(str(element.get("class", "")).split())


class _Reader:
    def __init__(self, figures: Path, paths: Mapping[int, str], starts: Mapping[str, int]) -> None:
        self.figures = figures
        self.starts = starts
        self.paths = paths
        self.blocks: list[Block] = []
        self.figure_files: dict[str, Path] = {}

    def page(self, element: Any) -> int | None:
        return self.starts.get(self.paths.get(id(element), ""))

    def read(self, element: Any) -> None:
        for child in element:
            self.element(child)

    def element(self, el: Any) -> None:
        tag = str(el.tag)
        classes = _classes(el)
        if classes & SITE_ONLY or tag in {"nav", "script", "style", "img"}:
            return
        if tag in HEADINGS:
            self.blocks.append(
                Heading(int(tag[1]), _text(el), str(el.get("id", "")), self.page(el))
            )
        elif tag == "p":
            if _text(el):
                kind = next(iter(sorted(classes)), "p")
                self.blocks.append(Paragraph(_text(el), kind, self.page(el)))
        elif tag in {"ul", "ol"}:
            for item in el:
                if str(item.tag) == "li" and _text(item):
                    self.blocks.append(Paragraph(_text(item), "li", self.page(item)))
        elif tag == "dl":
            self.terms(el)
        elif tag == "summary":
            self.blocks.append(Paragraph(_text(el), "summary", self.page(el)))
        elif tag == "figure":
            self.figure(el)
        elif tag == "table":
            self.table(el, str(el.get("id", "")))
        elif tag == "div" and "table-block" in classes:
            for child in el:
                if str(child.tag) == "table":
                    self.table(child, str(el.get("id", "")))
                else:
                    self.element(child)
        elif tag in CONTAINERS or tag == "main":
            self.read(el)
        elif _text(el):
            raise DocumentError(f"the reading model does not know <{tag}>: {_text(el)[:60]!r}")

    def terms(self, dl: Any) -> None:
        for item in dl.iter():
            if str(item.tag) == "dt":
                self.blocks.append(Paragraph(_text(item), "term", self.page(item)))
            elif str(item.tag) == "dd":
                self.blocks.append(Paragraph(_text(item), "definition", self.page(item)))

    def figure(self, el: Any) -> None:
        fig_id = str(el.get("id", ""))
        caption = el.find("figcaption")
        image = el.find(".//img")
        if not fig_id or caption is None or image is None:
            raise DocumentError(f"a figure without an id, a caption or an image: {_text(el)[:60]}")
        folder = self.figures
        description = (folder / f"{fig_id}.description.txt").read_text(encoding="utf-8")
        self.figure_files[fig_id] = folder / f"{fig_id}.svg"
        self.blocks.append(
            Figure(
                fig_id,
                _text(caption),
                " ".join(str(image.get("alt", "")).split()),
                " ".join(description.split()),
                self.page(el),
            )
        )

    def table(self, el: Any, table_id: str) -> None:
        caption = el.find("caption")
        head_rows = [tr for thead in el.iter("thead") for tr in thead.iter("tr")]
        headers = tuple(_text(c) for c in head_rows[-1] if str(c.tag) in {"th", "td"})
        rows = []
        for body in el.iter("tbody"):
            for tr in body.iter("tr"):
                cells = [c for c in tr if str(c.tag) in {"th", "td"}]
                header = next((_text(c) for c in cells if str(c.tag) == "th"), "")
                values = tuple(_text(c) for c in cells if str(c.tag) == "td")
                level = " ".join(sorted(_classes(tr)))
                rows.append(Row(header, values, level, self.page(tr)))
        self.blocks.append(
            Table(
                table_id,
                _text(caption) if caption is not None else "",
                headers,
                tuple(rows),
                self.page(el),
            )
        )
