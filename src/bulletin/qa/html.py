"""QA (HTML structure): what axe-core does not check on our pages.

axe passes a data table with no header cells (its rule for that is experimental), so this
check reads every page for: images with alt text, tables with a caption, column headers
with scope and a row header in every body row, and numbers right-aligned (a numeric cell
carries the class "num").
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from bulletin.qa.results import CheckResult, Result, passed

CHECK = "html"
NUMERIC = re.compile(r"[−-]?[\d,]+(?:\.\d+)?%?")
SYMBOLS = {"c", "x", "z", "low", "u"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str, str]] = []  # line, problem, guidance
        self.tables = 0
        self._table: dict[str, int] | None = None
        self._row_header = False
        self._in_tbody = False
        self._cell: tuple[int, bool] | None = None  # line, has class num
        self._cell_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        line = self.getpos()[0]
        if tag == "img" and not (a.get("alt") or "").strip():
            self.problems.append(
                (
                    line,
                    "an image has no alt text",
                    "Give every <img> an alt text written from its data.",
                )
            )
        elif tag == "table":
            self.tables += 1
            self._table = {"line": line, "caption": 0, "col": 0, "th": 0}
        elif self._table is not None:
            if tag == "caption":
                self._table["caption"] += 1
            elif tag == "tbody":
                self._in_tbody = True
            elif tag == "tr":
                self._row_header = False
            elif tag == "th":
                self._table["th"] += 1
                scope = a.get("scope")
                if scope == "col":
                    self._table["col"] += 1
                elif scope == "row":
                    self._row_header = True
                else:
                    self.problems.append(
                        (
                            line,
                            "a table header cell has no scope",
                            'Use scope="col" or scope="row".',
                        )
                    )
            elif tag == "td":
                self._cell = (line, "num" in (a.get("class") or "").split())
                self._cell_text = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            line, right = self._cell
            text = "".join(self._cell_text).strip()
            if (NUMERIC.fullmatch(text) or text in SYMBOLS) and not right:
                self.problems.append(
                    (
                        line,
                        f"the number {text!r} is not right-aligned",
                        'Give numeric cells class="num".',
                    )
                )
            self._cell = None
        elif tag == "tr" and self._in_tbody and not self._row_header:
            line = self.getpos()[0]
            self.problems.append(
                (
                    line,
                    "a table body row has no row header",
                    'Make its first cell <th scope="row">.',
                )
            )
        elif tag == "tbody":
            self._in_tbody = False
        elif tag == "table" and self._table is not None:
            t = self._table
            if not t["caption"]:
                self.problems.append((t["line"], "a table has no caption", "Give it a <caption>."))
            if not t["col"]:
                self.problems.append(
                    (t["line"], "a table has no column headers", 'Use <th scope="col"> in <thead>.')
                )
            self._table = None


def check_page(path: Path, name: str) -> list[CheckResult]:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    results = [
        CheckResult(CHECK, Result.FAIL, f"{name}:{line}: {problem}", guidance)
        for line, problem, guidance in page.problems
    ]
    return results or [passed(CHECK, f"{name}: images and {page.tables} tables well formed")]
