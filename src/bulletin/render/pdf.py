"""Render (PDF): print HTML -> tagged PDF/UA-1 with WeasyPrint, through a virtual base URL.

The page is rendered from a fixed, location-independent base URL and a fetcher that serves
only the local folders it is given (never the network), so the bytes do not depend on the
checkout path. Everything WeasyPrint logs at WARNING or above is returned: a missing alt
text is only logged, so the caller must fail the build on any of them (DESIGN.md
decision 2). Dates in the PDF come from the page's dcterms meta tags, never the clock.
Python's cyclic garbage collector is paused while WeasyPrint works (see `_collector_paused`).
The render also says on which page each block of the page starts (`page_starts`): the
EPUB's page list follows the PDF's pages with it.

WeasyPrint 70 tags a table's header cells as TH with an /ID, and each data cell with the
/Headers it belongs to, but gives no TH a /Scope: PDF/UA-1 (7.5) and `pdfua check`
(UA-15-003) want one. `_header_scopes`, run as WeasyPrint's finisher (after the tags are
made, before the file is written), copies each HTML `th`'s own `scope` onto its TH.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.render.numbers import BLOCKS as READING_UNITS

BASE = "https://bulletin.invalid/"  # never fetched: the fetcher maps it to local folders
VARIANT = "pdf/ua-1"
MEDIA_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


@dataclass(frozen=True)
class PdfResult:
    pdf: bytes
    pages: int
    warnings: tuple[str, ...]  # WeasyPrint's log at WARNING and above
    starts: dict[str, int]  # the page (from 1) each block starts on, by `element_path`


def write_pdf(html: str, page: str, folders: Mapping[str, Path]) -> PdfResult:
    """Render `html` as if it were at BASE + `page`; `folders` maps URL prefixes under BASE
    (such as "figures/") to the local folders that serve them."""
    from weasyprint import HTML

    with captured_warnings() as warnings, _collector_paused():
        source = HTML(string=html, base_url=BASE + page, url_fetcher=_fetcher(folders))
        document = source.render()
        pdf = document.write_pdf(pdf_variant=VARIANT, finisher=_header_scopes)
        pages = len(document.pages)
        starts = page_starts(document, source.etree_element)
        del document, source  # their reference cycles are freed by the collection on the way out
    return PdfResult(pdf, pages, tuple(warnings), starts)


#: The elements whose first page `page_starts` records: the blocks a reader finds a page by
#: (the numbers manifest's units of reading, with a table's rows for its cells).
BLOCKS = frozenset((READING_UNITS - {"td", "th"}) | {"tr", "table", "figure", "aside"})


def element_path(indexes: Sequence[int]) -> str:
    """An element's place in the parsed page: the index of each element on the way down
    from the root, such as "1.2.14" (the same for every parse of the same HTML)."""
    return ".".join(map(str, indexes))


def page_starts(document: Any, root: Any) -> dict[str, int]:
    """The page (from 1) on which each block element (`BLOCKS`) of the page starts, by its
    `element_path` in the tree `root` (the parse WeasyPrint laid out)."""
    from weasyprint.formatting_structure import boxes

    paths: dict[int, str] = {}

    def name(element: Any, indexes: tuple[int, ...]) -> None:
        if str(element.tag) in BLOCKS:
            paths[id(element)] = element_path(indexes)
        for i, child in enumerate(element):
            name(child, (*indexes, i))

    name(root, ())
    starts: dict[str, int] = {}

    def walk(box: Any, number: int) -> None:
        path = paths.get(id(box.element)) if box.element is not None else None
        if path is not None:
            starts.setdefault(path, number)
        if isinstance(box, boxes.ParentBox):
            for child in box.children:
                walk(child, number)

    for number, laid_out in enumerate(document.pages, start=1):
        walk(laid_out._page_box, number)
    return dict(sorted(starts.items(), key=lambda item: [int(i) for i in item[0].split(".")]))


#: A TH's /Scope from its HTML `scope` attribute.
SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}


def _header_scopes(document: Any, pdf: Any) -> None:
    """Give every TH structure element the /Scope of the HTML `th` it was made from.

    WeasyPrint keeps, on each table cell's box, the structure element it made for it
    (`box.mark`), and the box keeps its HTML element, so the scope is carried over, never
    guessed from the position. A `th` without a `scope` (which the HTML check fails) gets
    the scope HTML's "auto" state gives it: a column header in a `thead` or in a row of
    header cells only, else a row header. A table that runs over pages is tagged as one
    Table per page, each with its header row: each of its TH gets its scope."""
    from weasyprint.formatting_structure import boxes

    def walk(box: Any, group: str | None) -> None:
        if box.element_tag in ("thead", "tbody", "tfoot"):
            group = box.element_tag
        elif box.element_tag == "tr":
            headers_only = all(cell.element_tag == "th" for cell in box.children)
            for cell in box.children:
                mark = getattr(cell, "mark", None)
                if cell.element_tag == "th" and mark is not None:
                    scope = SCOPES.get(str(cell.element.get("scope", "")).lower())
                    column = group == "thead" or headers_only
                    mark["A"]["Scope"] = scope or ("/Column" if column else "/Row")
        if isinstance(box, boxes.ParentBox):
            for child in box.children:
                walk(child, group)

    for page in document.pages:
        walk(page._page_box, None)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off, then collect the young generation.

    A render makes hundreds of thousands of objects (boxes, styles, PDF objects) that mostly
    live until it ends, so the collector's automatic passes walk that growing heap again and
    again: about a sixth of the CPU time of a 40-page render. With the collector off, every
    object made in the block stays in generation 0, and one pass over generation 0 at the
    end frees the same reference cycles without walking the older heap. The price is memory:
    the render's garbage is kept until the end (tens of MB for 40 pages)."""
    if not gc.isenabled():  # the caller manages the collector
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """Collect what WeasyPrint logs at WARNING and above while the block runs."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(f"{record.levelname}: {record.getMessage()}")

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


def _fetcher(folders: Mapping[str, Path]) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = {prefix: folder.resolve() for prefix, folder in folders.items()}

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(BASE):
                rest = url[len(BASE) :]
                for prefix, root in roots.items():
                    if rest.startswith(prefix):
                        path = (root / rest[len(prefix) :]).resolve()
                        if root in path.parents:
                            kind = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
                            headers = {"Content-Type": kind}
                            return URLFetcherResponse(url, path.read_bytes(), headers)
            raise ValueError(f"not a local file of this build (nothing is fetched): {url}")

    return LocalOnly()
