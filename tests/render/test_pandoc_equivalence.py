"""Decision 1: pandoc 3.9 (`-f markdown`, the reader inside Quarto) and our markdown-it
renderer give the same publication from every committed report/*.qmd.

Normalisation, and why: both HTML outputs are parsed, and we compare
- the text, as a sequence of blocks (each heading, paragraph, list item, caption, table
  cell, figure caption), with runs of white space made one space: HTML white space is not
  significant, and pandoc wraps lines at 72 columns where markdown-it keeps the source's;
- the structure of headings (level and id), tables (caption, and each cell's tag, scope
  and class) and figures (id, the image's src and alt): what a reader and a screen reader
  get from them.
Attribute order, self-closing syntax and newlines between tags are left out: they do not
change the document. Pandoc renders the body only (no --standalone); our renderer's body
is compared, before the layout adds the title, contents and landmarks.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bulletin.render.markdown import to_html
from tests.conftest import ROOT

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "caption", "th", "td", "figcaption"}
KEPT = {
    "h1": ("id",),
    "h2": ("id",),
    "h3": ("id",),
    "h4": ("id",),
    "table": (),
    "caption": (),
    "th": ("scope", "class"),
    "td": ("class",),
    "figure": ("id",),
    "img": ("src", "alt"),
    "a": ("href",),
}


class Normalised(HTMLParser):
    """Blocks of text and the structure of headings, tables, figures, images and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.structure: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self.blocks: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in KEPT:
            kept = tuple(sorted((k, v or "") for k, v in attrs if k in KEPT[tag]))
            self.structure.append((tag, kept))
        if tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []

    @classmethod
    def of(cls, html: str) -> Normalised:
        parser = cls()
        parser.feed(html)
        parser.close()
        parser._flush()
        return parser


def pandoc_html(qmd: Path) -> str:
    import pypandoc

    return subprocess.run(
        [pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "html5", str(qmd)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_pandoc_is_3_9() -> None:
    import pypandoc

    assert pypandoc.get_pandoc_version() == "3.9"


QMDS = sorted((ROOT / "report").glob("*.qmd"))


def test_there_is_a_report_to_compare() -> None:
    assert [q.name for q in QMDS] == [
        "characteristics-2018.qmd",
        "concluding-review.qmd",
        "data-and-analysis.qmd",
        "interim-findings.qmd",
    ]


@pytest.mark.parametrize("qmd", QMDS, ids=lambda p: p.name)
def test_pandoc_and_our_renderer_agree(qmd: Path) -> None:
    ours = Normalised.of(to_html(qmd.read_text(encoding="utf-8")).body)
    theirs = Normalised.of(pandoc_html(qmd))
    assert ours.blocks == theirs.blocks
    assert ours.structure == theirs.structure
    # the comparison is not vacuous: the publication's headings, tables and figure are there
    tags = [tag for tag, _ in ours.structure]
    assert tags.count("table") >= 2
    assert "figure" in tags
    assert any(re.search(r"\d,\d{3}", block) for block in ours.blocks)  # counts such as 1,234


def test_the_normalisation_sees_a_difference() -> None:
    """A changed word, heading id or table scope is caught (the check can fail)."""
    base = '## Children in need\n\nAt 31 March.\n\n```{=html}\n<table><tr><th scope="row">A</th></tr></table>\n```\n'
    same = Normalised.of(to_html(base).body)
    for changed in (
        base.replace("At 31", "On 31"),
        base.replace("## Children", "### Children"),
        base.replace('scope="row"', 'scope="col"'),
    ):
        other = Normalised.of(to_html(changed).body)
        assert (other.blocks, other.structure) != (same.blocks, same.structure)
