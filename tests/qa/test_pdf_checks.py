"""PDF QA: our PDF/UA checks and `pdfua --certain-only` pass a good tagged PDF and fail
broken ones; any WeasyPrint warning fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin.qa import weasyprint_results
from bulletin.qa.pdf import check_pdf
from bulletin.qa.results import Result
from bulletin.render.pdf import write_pdf
from tests.qa.conftest import GOOD_PAGE

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    pages = {
        "good": GOOD_PAGE.replace("<h1>", "<h1>").replace("</h1>", "</h1><h2>Section</h2>"),
        "no-alt": GOOD_PAGE.replace(' alt="A chart of the data"', ""),
        "no-headers": GOOD_PAGE.replace('<th scope="col" class="num">', '<td class="num">')
        .replace('<th scope="col">', "<td>")
        .replace('<th scope="row">', "<td>")
        .replace("</th>", "</td>"),
    }
    (folder / "f.svg").write_text(SVG, encoding="utf-8")
    out = {}
    for name, page in pages.items():
        html = re.sub(r'src="[^"]*"', 'src="figures/f.svg"', page)
        result = write_pdf(html, f"{name}.html", {"figures/": folder})
        assert name == "no-alt" or result.warnings == ()
        out[name] = folder / f"{name}.pdf"
        out[name].write_bytes(result.pdf)
    from weasyprint import HTML

    out["untagged"] = folder / "untagged.pdf"
    HTML(string=pages["good"]).write_pdf(out["untagged"])  # no PDF/UA variant
    return out


def messages(results: list) -> list[str]:  # type: ignore[type-arg]
    return [r.message for r in results if r.result is Result.FAIL]


def test_a_good_tagged_pdf_passes(pdfs: dict[str, Path]) -> None:
    import pikepdf

    with pikepdf.open(pdfs["good"]) as pdf:  # the figure and the table are really there
        tags = {str(o.get("/S")) for o in pdf.objects if isinstance(o, pikepdf.Dictionary)}
    assert {"/Figure", "/Table", "/TH", "/TD"} <= tags
    results = check_pdf(pdfs["good"], "good.pdf")
    assert [(r.check, r.result) for r in results] == [("pdf", Result.PASS), ("pdfua", Result.PASS)]


def test_a_figure_without_alt_text_fails(pdfs: dict[str, Path]) -> None:
    failed = messages(check_pdf(pdfs["no-alt"], "no-alt.pdf"))
    assert "no-alt.pdf: a Figure has no alt text" in failed
    assert any(m.startswith("no-alt.pdf: UA-13-004") for m in failed)  # pdfua agrees


def test_a_table_without_headers_fails(pdfs: dict[str, Path]) -> None:
    failed = messages(check_pdf(pdfs["no-headers"], "no-headers.pdf"))
    assert failed[0] == "no-headers.pdf: a table has no tagged header cells (TH)"
    assert failed[1].startswith("no-headers.pdf: UA-15-003 (page 1 /Table)")  # pdfua agrees
    assert len(failed) == 2


def test_an_untagged_pdf_fails_every_structure_check(pdfs: dict[str, Path]) -> None:
    failed = messages(check_pdf(pdfs["untagged"], "u.pdf"))
    for problem in (
        "no structure tree (not tagged)",
        "MarkInfo/Marked is not true",
        "the title is not shown (DisplayDocTitle)",
        "no PDF/UA identifier in the XMP metadata",
    ):
        assert f"u.pdf: {problem}" in failed
    assert any(m.startswith("u.pdf: UA-") for m in failed)  # and pdfua fails it too


def test_bookmarks_are_required(tmp_path: Path) -> None:
    page = GOOD_PAGE.replace("<h1>A page</h1>", "<p>A page</p>")
    path = tmp_path / "flat.pdf"
    path.write_bytes(write_pdf(page, "flat.html", {}).pdf)
    assert "flat.pdf: no bookmarks" in messages(check_pdf(path, "flat.pdf"))


def test_any_weasyprint_warning_fails() -> None:
    results = weasyprint_results(
        {
            "report/a.pdf": ['ERROR: Image "f.svg" has no required alt description'],
            "report/b.pdf": [],
        }
    )
    assert [(r.result, r.message) for r in results] == [
        (
            Result.FAIL,
            'report/a.pdf: WeasyPrint said ERROR: Image "f.svg" has no required alt description',
        )
    ]
    assert [r.result for r in weasyprint_results({"report/a.pdf": []})] == [Result.PASS]
