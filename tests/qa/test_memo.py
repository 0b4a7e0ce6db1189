"""The QA memo's key: a page's results are remembered with what the page loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bulletin.qa import loads
from bulletin.qa.memo import Memo
from bulletin.qa.results import Result


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
    assert memo.key("page", page, "p.html", [css], code=["bulletin.render.errors"]) != key
    css.write_text("p { color: #ddd }", encoding="utf-8")
    assert memo.key("page", page, "p.html", [css]) != key


def _counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[str]:
    """Replace `module.name` (a check of one file) by itself, noting each file it checks."""
    checked: list[str] = []
    check = getattr(module, name)

    def counted(path: Path, *args: Any) -> Any:
        checked.append(path.name)
        return check(path, *args)

    monkeypatch.setattr(module, name, counted)
    return checked


def test_a_template_is_linted_again_only_when_it_changed_or_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bulletin.qa import prose

    templates = tmp_path / "templates"
    (templates / "pub").mkdir(parents=True)
    good, other = templates / "pub" / "a.qmd.jinja", templates / "pub" / "b.qmd.jinja"
    good.write_text("The rate was {{ rate }}.\n", encoding="utf-8")
    other.write_text("Each child is counted once.\n", encoding="utf-8")
    memo = Memo(tmp_path / "memo")
    linted = _counting(monkeypatch, prose, "lint_template")

    first = prose.lint_templates(templates, memo)
    assert [r.result for r in first] == [Result.PASS]
    assert first[0].message.startswith("2 templates: no typed number")
    assert prose.lint_templates(templates, memo) == first  # from the memo
    assert linted == ["a.qmd.jinja", "b.qmd.jinja"]

    good.write_text("Almost 405,000 children were in need.\n", encoding="utf-8")  # typed
    for _ in range(2):  # a failure is never remembered: linted, and reported, each time
        failed = prose.lint_templates(templates, memo)
        assert [r.message.split(": ")[0] for r in failed] == ["pub/a.qmd.jinja:1:8"]
    assert linted == ["a.qmd.jinja", "b.qmd.jinja", "a.qmd.jinja", "a.qmd.jinja"]
    assert prose.lint_templates(templates) == failed  # the same without a memo


def test_a_spreadsheet_is_checked_again_only_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bulletin.qa import spreadsheet
    from bulletin.tables.ods import write_ods
    from tests.tables.test_ods import BOOK

    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    book = site / "data" / "book.ods"
    book.write_bytes(write_ods(BOOK))
    memo = Memo(tmp_path / "memo")
    checked = _counting(monkeypatch, spreadsheet, "check_ods")
    first = spreadsheet.check_site_spreadsheets(site, memo)
    assert {r.result for r in first} == {Result.PASS}
    assert spreadsheet.check_site_spreadsheets(site, memo) == first
    assert checked == ["book.ods"]
    (site / "data" / "book2.ods").write_bytes(book.read_bytes())  # the same bytes, another name
    spreadsheet.check_site_spreadsheets(site, memo)
    assert checked == ["book.ods", "book2.ods"]
