"""HTML QA: axe-core in Chromium and our structure checks, each failing on a broken page."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.core.system import read_components
from bulletin.qa.axe import Axe
from bulletin.qa.html import check_page
from bulletin.qa.results import Result
from tests.qa.conftest import GOOD_PAGE

BROKEN = {
    # an image without alt text
    "no-alt": GOOD_PAGE.replace(' alt="A chart of the data"', ""),
    # a table without headers: every th made a td
    "no-headers": GOOD_PAGE.replace('<th scope="col" class="num">', '<td class="num">')
    .replace('<th scope="col">', "<td>")
    .replace('<th scope="row">', "<td>")
    .replace("</th>", "</td>"),
}


def page(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_a_good_page_passes_both(axe: Axe, tmp_path: Path) -> None:
    path = page(tmp_path, "good", GOOD_PAGE)
    assert [r.result for r in axe.check(path, "good.html")] == [Result.PASS]
    assert [r.result for r in check_page(path, "good.html")] == [Result.PASS]
    # the browser that ran is Debian's, at the version dpkg records (any Debian 12 update)
    assert read_components()["chromium"].startswith(axe.chromium + "-")
    assert axe.axe_core == "4.12.1"


def test_axe_fails_an_image_without_alt_text(axe: Axe, tmp_path: Path) -> None:
    results = axe.check(page(tmp_path, "no-alt", BROKEN["no-alt"]), "no-alt.html")
    assert [r.result for r in results] == [Result.FAIL]
    assert results[0].message.startswith("no-alt.html: image-alt (critical)")


def test_axe_fails_a_page_without_landmarks_language_or_title(axe: Axe, tmp_path: Path) -> None:
    bare = "<html><body><p>Text</p></body></html>"
    ids = {
        r.message.split(": ")[1].split(" ")[0] for r in axe.check(page(tmp_path, "bare", bare), "b")
    }
    assert {"html-has-lang", "document-title", "landmark-one-main", "region"} <= ids


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("no-alt", ["no-alt.html:4: an image has no alt text"]),
        (
            "no-headers",
            [
                "no-headers.html:7: a table body row has no row header",
                "no-headers.html:8: a table body row has no row header",
                "no-headers.html:5: a table has no column headers",
            ],
        ),
    ],
)
def test_our_structure_check_fails_broken_pages(
    tmp_path: Path, name: str, expected: list[str]
) -> None:
    results = check_page(page(tmp_path, name, BROKEN[name]), f"{name}.html")
    assert all(r.result is Result.FAIL for r in results)
    assert [r.message for r in results] == expected


def test_a_number_not_right_aligned_and_a_header_without_scope_fail(tmp_path: Path) -> None:
    html = GOOD_PAGE.replace('<td class="num">24,270</td>', "<td>24,270</td>").replace(
        '<th scope="row">North West</th>', "<th>North West</th>"
    )
    messages = [r.message for r in check_page(page(tmp_path, "p", html), "p.html")]
    assert messages == [
        "p.html:7: the number '24,270' is not right-aligned",
        "p.html:8: a table header cell has no scope",
        "p.html:8: a table body row has no row header",
    ]
