"""`pdfua check`, with the structure tree built once.

pdfua 0.1.3 lists the structure elements by walking the tree (`PdfDocument._walk`) and, at
every element, building that element with its whole subtree again (`PdfDocument._build` is
itself recursive): each element is built once for each of its ancestors. On a PDF of long
tables (ten levels deep: Document, Sect, Table, TBody, TR, TD, P, ...) that is ten times
the work, about 1.2 s of the 1.4 s pdfua takes on the national data and analysis PDF.

`walk_once` yields the same elements, in the same order, from the one tree `_build`
makes: the subtree of each child, as its parent's build made it, with the same depth and
page, is the one `_walk` would build again. Only pdfua 0.1.3, whose code this is known
for, is changed; any other version runs as it is.

    python -m bulletin.qa.pdfua_once check --format json FILE.pdf
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

PATCHED_VERSION = "0.1.3"


def walk_once(self: Any, node: Any, depth: int, page: int | None) -> Iterator[Any]:
    """`PdfDocument._walk` of pdfua 0.1.3: `node` and every element beneath it, depth-first,
    parent first, each built once."""
    element = self._build(node, depth, page)
    if element is None:
        return
    stack = [element]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(reversed(element.children))


def patch() -> bool:
    """Walk pdfua's structure tree once (`walk_once`), if pdfua is the version this is
    known for. Returns whether it did."""
    import pdfua
    from pdfua.document import PdfDocument

    if pdfua.__version__ != PATCHED_VERSION:
        return False
    PdfDocument._walk = walk_once  # type: ignore[method-assign]
    return True


def main(argv: list[str] | None = None) -> int:
    from pdfua.cli import main as pdfua_main

    patch()
    return pdfua_main(argv)


if __name__ == "__main__":
    sys.exit(main())
