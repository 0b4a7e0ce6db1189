"""The QA memo's key: a page's results are remembered with what the page loads."""

from __future__ import annotations

from pathlib import Path

from bulletin.qa import loads
from bulletin.qa.memo import Memo


def test_a_page_loads_its_local_stylesheets_images_and_scripts_each_once(tmp_path: Path) -> None:
    page = tmp_path / "report" / "p.html"
    page.parent.mkdir()
    page.write_text(
        '<link rel="stylesheet" href="../assets/screen.css"><link rel="icon" href="i.png?v=2">'
        '<a href="other.html">not loaded</a><img src="../figures/a.svg" alt="A">'
        '<img src="../figures/a.svg#x" alt="A again"><script src="https://example.org/s.js">'
        '</script><img src="b.png" alt="B">',
        encoding="utf-8",
    )
    assert loads(page) == [
        page.parent / "../assets/screen.css",
        page.parent / "i.png",
        page.parent / "../figures/a.svg",
        page.parent / "b.png",
    ]


def test_the_key_follows_the_bytes_of_what_a_file_needs_not_where_they_are(
    tmp_path: Path,
) -> None:
    memo = Memo(tmp_path / "memo")
    page, css, moved = tmp_path / "p.html", tmp_path / "s.css", tmp_path / "elsewhere.css"
    page.write_text("<p>Hello</p>", encoding="utf-8")
    css.write_text("p { color: black }", encoding="utf-8")
    moved.write_text("p { color: black }", encoding="utf-8")
    key = memo.key("page", page, "p.html", [css])
    assert memo.key("page", page, "p.html", [moved]) == key
    assert memo.key("page", page, "p.html", []) != key
    assert memo.key("page", page, "p.html", [tmp_path / "gone.css"]) != key
    assert memo.key("pdf", page, "p.html", [css]) != key
    css.write_text("p { color: #ddd }", encoding="utf-8")
    assert memo.key("page", page, "p.html", [css]) != key
