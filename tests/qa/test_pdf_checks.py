"""PDF QA: our PDF/UA checks and `pdfua check` (all rules) pass a good tagged PDF and fail
broken ones; empty headings, bookmarks and the reading order are checked on real
WeasyPrint output; any WeasyPrint warning fails."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bulletin.qa import weasyprint_results
from bulletin.qa.axe import Axe
from bulletin.qa.pdf import (
    Node,
    check_pdf,
    outline_depths,
    pdfua_report,
    pdfua_results,
    reading_order,
    structure_elements,
    structure_problems,
    structure_tree,
)
from bulletin.qa.results import Result
from bulletin.render.pdf import write_pdf
from tests.conftest import ROOT
from tests.qa.conftest import GOOD_PAGE

PRINT_CSS = ROOT / "templates" / "css" / "print.css"

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    pages = {
        "good": GOOD_PAGE.replace("<h1>", "<h1>").replace("</h1>", "</h1><h2>Section</h2>"),
        "no-alt": GOOD_PAGE.replace(' alt="A chart of the data"', ""),
        "linked": GOOD_PAGE.replace(
            "</h1>", '</h1><h2>S</h2><p><a href="#t">The table</a></p>'
        ).replace("<table>", '<table id="t">'),
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


# -- TH scope, empty headings, bookmarks ----------------------------------------------------


def render(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / f"{name}.pdf"
    (tmp_path / "f.svg").write_text(SVG, encoding="utf-8")
    html = re.sub(r'src="[^"]*"', 'src="figures/f.svg"', html)
    result = write_pdf(html, f"{name}.html", {"figures/": tmp_path})
    assert result.warnings == ()
    path.write_bytes(result.pdf)
    return path


def test_header_cells_without_a_scope_fail(tmp_path: Path) -> None:
    from weasyprint import HTML

    path = tmp_path / "bare.pdf"  # WeasyPrint alone gives no TH a /Scope
    HTML(string=GOOD_PAGE.replace("</h1>", "</h1><h2>S</h2>")).write_pdf(
        path, pdf_variant="pdf/ua-1"
    )
    failed = messages(check_pdf(path, "bare.pdf"))
    assert failed[0] == "bare.pdf: 4 table header cells (TH) have no /Scope"
    assert failed[1].startswith("bare.pdf: UA-15-003 (page 1 /Table)")  # pdfua, all rules
    assert len(failed) == 2


def test_an_empty_heading_fails(tmp_path: Path) -> None:
    page = GOOD_PAGE.replace("</h1>", "</h1><h2>Section</h2><h3></h3><h2>Next</h2>")
    failed = messages(check_pdf(render(tmp_path, "empty", page), "empty.pdf"))
    assert "empty.pdf: an empty heading (H3, after the heading 'Section')" in failed


def test_bookmarks_must_be_every_heading_nested_by_level(tmp_path: Path) -> None:
    headings = "<h2>Two</h2><h3>Three</h3><h4>Four</h4><h2>Two again</h2><h4>Skips a level</h4>"
    page = GOOD_PAGE.replace("</h1>", "</h1>" + headings)
    assert messages(check_pdf(render(tmp_path, "nested", page), "nested.pdf")) == []
    import pikepdf

    with pikepdf.open(tmp_path / "nested.pdf") as pdf, pdf.open_outline() as outline:
        h1 = outline.root[0]  # WeasyPrint's own outline, read by hand
        assert [c.title for c in h1.children] == ["Two", "Two again"]
        assert [c.title for c in h1.children[1].children] == ["Skips a level"]
    unmarked = page.replace("<h3>", '<h3 style="bookmark-level: none">')
    failed = messages(check_pdf(render(tmp_path, "unmarked", unmarked), "unmarked.pdf"))
    assert failed == [
        "unmarked.pdf: the bookmarks are not the headings: bookmark 3 is (3, 'Four'), "
        "the heading is (3, 'Three') (depth, text)"
    ]
    flat = page.replace("<h4>Four", '<h4 style="bookmark-level: 2">Four')
    failed = messages(check_pdf(render(tmp_path, "flat", flat), "flat.pdf"))
    assert failed == [
        "flat.pdf: the bookmarks are not the headings: bookmark 4 is (2, 'Four'), "
        "the heading is (4, 'Four') (depth, text)"
    ]


@pytest.mark.parametrize(
    ("levels", "depths"),
    [
        ([1, 2, 3, 2, 3, 1], [1, 2, 3, 2, 3, 1]),
        ([1, 2, 4, 3, 2], [1, 2, 3, 3, 2]),  # a skipped level nests one deeper, not two
        ([2, 2, 3], [1, 1, 2]),  # no h1: the first h2s are at the top
        ([1, 3, 2], [1, 2, 2]),
    ],
)
def test_outline_depths(levels: list[int], depths: list[int]) -> None:
    assert outline_depths(levels) == depths


def poppler_tree(path: Path) -> Node:
    """The structure tree with its text as poppler reads it (`pdfinfo -struct-text`): the
    independent reading that `structure_tree` (pikepdf) must agree with."""
    run = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", "-struct-text", str(path)], capture_output=True, check=True
    )
    return parse_struct_text(run.stdout.decode("utf-8"))


def parse_struct_text(output: str) -> Node:
    """Parse `pdfinfo -struct-text`: one element a line (its kind first), indented two
    spaces a level; its text in double quotes on lines of its own; attribute lines
    (starting with "/"), annotation references ("Object N G") and "(No content?)" left
    out. Returns a root Node holding the top-level elements."""
    stack: list[tuple[int, str, list[Node]]] = [(-1, "", [])]  # indent, kind, children
    lines = iter(output.splitlines())
    for line in lines:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if not stripped or stripped.startswith(("/", "Object ", "(No content?)")):
            continue
        while stack[-1][0] >= indent:
            _close(stack)
        if stripped.startswith('"'):
            text = stripped
            while len(text) < 2 or not text.endswith('"'):  # a text run holding a line break
                text += "\n" + next(lines, '"')
            stack[-1][2].append(Node("", text[1:-1]))
        else:
            stack.append((indent, re.split(r"[ :]", stripped, maxsplit=1)[0], []))
    while len(stack) > 1:
        _close(stack)
    return Node("", children=tuple(stack[0][2]))


def _close(stack: list[tuple[int, str, list[Node]]]) -> None:
    _, kind, children = stack.pop()
    stack[-1][2].append(Node(kind, children=tuple(children)))


def readings(tree: Node, figures: bool = True) -> list[tuple[str, str]]:
    """Each element's kind and text run, in order, whitespace aside (poppler joins the text
    of a chart's labels with no space; neither check reads whitespace); with `figures`
    false, no Figure's content."""
    if not figures:
        tree = Node(tree.kind, tree.text, tuple(c for c in tree.children if c.kind != "Figure"))
    found = [(tree.kind, "".join(tree.text.split()))]
    return found + [pair for child in tree.children for pair in readings(child, figures)]


def test_the_tags_are_read_as_poppler_reads_them(
    pdfs: dict[str, Path], built: Path, tmp_path: Path, axe: Axe
) -> None:
    """Every element, in order, with the same text runs: on small pages, on a table over
    three pages, and on three publications of the shared build (their charts' text
    included). A chart's text is drawn in a form XObject; poppler leaves out a glyph the
    chart's box clips ('Axis label' in a box too narrow for it), so on that page only
    the Figure's content is left out of the comparison."""
    html = PAGE.format(figure=FIGURE, rows=ROWS)
    order(tmp_path, axe, html, html)
    ordered = tmp_path / "report" / "o.pdf"
    report = built / "_site" / "report"
    files = [
        pdfs["good"],
        pdfs["linked"],
        pdfs["untagged"],
        *(report / f"{name}.pdf" for name in ("data-and-analysis", "interim-findings")),
        report / "concluding-review.pdf",
    ]
    for path in files:
        assert readings(structure_tree(path)) == readings(poppler_tree(path)), path.name
    ours, poppler = structure_tree(ordered), poppler_tree(ordered)
    assert readings(ours, figures=False) == readings(poppler, figures=False)
    assert len(readings(ours, figures=False)) > 500  # a real tree, the table's rows in it
    assert ("", "Axislabel") in readings(ours)  # the text of the chart's form XObject
    assert ("", "Axislabe") in readings(poppler)
    assert structure_tree(pdfs["untagged"]) == Node("")


def test_the_struct_text_parser() -> None:
    output = (
        "Document\n"
        "  Part\n"
        "    H1 (block)\n"
        "      Span (inline)\n"
        '        "A title"\n'
        "    Table (block)\n"
        "      TBody\n"
        "        TR\n"
        "          TH <1-0-0>:\n"
        "             /Scope /Row\n"
        "            Span (inline)\n"
        '              "Two\n'
        'lines"\n'
        "    P (block)\n"
        "      Link (inline)\n"
        "        Object 7 0\n"
        '        "a "quoted" link"\n'
    )
    root = parse_struct_text(output)
    [document] = root.children
    [part] = document.children
    assert [n.kind for n in part.children] == ["H1", "Table", "P"]
    assert [n.kind for n in part.walk()][:9] == [
        "Part",
        "H1",
        "Span",
        "",
        "Table",
        "TBody",
        "TR",
        "TH",
        "Span",
    ]
    assert part.children[0].all_text() == "A title"
    assert part.children[1].all_text() == "Two\nlines"
    assert part.children[2].all_text() == 'a "quoted" link'


def test_pdfua_findings_skips_and_exit_codes() -> None:
    finding = {"rule_id": "UA-15-003", "severity": "warning", "message": "m", "location": "p1"}
    info = {"rule_id": "UA-13-001", "severity": "info", "message": "i", "location": "p2"}
    skip_ours = {"rule_id": "UA-14-001", "reason": "ValueError"}
    skip_other = {"rule_id": "UA-07-001", "reason": "KeyError"}
    cases = [
        ({"findings": [], "skipped": [skip_ours]}, 0, [Result.PASS]),
        ({"findings": [finding]}, 2, [Result.FAIL]),
        ({"findings": [info]}, 1, [Result.WARNING]),
        ({"findings": [], "skipped": [skip_other]}, 0, [Result.FAIL]),
        ({"findings": []}, 4, [Result.FAIL]),
    ]
    for report, code, expected in cases:
        results = pdfua_results(report, code, "a.pdf")
        assert [r.result for r in results] == expected, report
    [ok] = pdfua_results({"findings": [], "skipped": [skip_ours]}, 0, "a.pdf")
    assert (
        ok.message
        == "a.pdf: pdfua check (all rules) finds nothing (UA-14-001 skipped by pdfua, checked by ours)"
    )
    [other] = pdfua_results({"findings": [], "skipped": [skip_other]}, 0, "a.pdf")
    assert other.message == "a.pdf: pdfua could not run UA-07-001: KeyError"


def test_pdfua_really_skips_the_empty_heading_rule_on_weasyprint_files(
    pdfs: dict[str, Path],
) -> None:
    """The reason for PDFUA_SKIPS: if pdfua is fixed, this fails, and the skip can go."""
    [skip] = pdfua_report(pdfs["good"])[0]["skipped"]
    assert skip["rule_id"] == "UA-14-001"
    assert "/is_integer" in skip["reason"]


# -- reading order ---------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Order</title>
<link rel="stylesheet" href="../assets/print.css"></head><body><main><h1>Order</h1>
<p>First paragraph, long enough to wrap over a line or two of the printed page, with a
<a href="#b">link</a> and <strong>strong</strong> words in it.</p>
<h2 id="b">A list and a table</h2>
<ul><li>Item one</li><li>Item two</li></ul>
<details><summary>What the numbers mean</summary><p>Defined here.</p></details>
{figure}
<div class="table-block"><table><caption>A long table</caption>
<thead><tr><th scope="col">Area</th><th scope="col" class="num">Children</th></tr></thead>
<tbody>{rows}</tbody></table>
<p class="table-download"><a href="t.csv">Download this table as a CSV file</a></p></div>
<h3>After the table</h3><p class="flex"><span class="a">Alpha</span> <span class="b">Beta</span></p>
</main></body></html>"""
ROWS = "".join(
    f'<tr><th scope="row">Area {i}</th><td class="num">{i * 10}</td></tr>' for i in range(90)
)
FIGURE = '<figure><figcaption>A chart</figcaption><img src="../figures/f.svg" alt="Bars"></figure>'
SVG_WITH_TEXT = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">'
    '<text x="0" y="15">Axis label</text></svg>'
)


def order(tmp_path: Path, axe: Axe, pdf_html: str, page_html: str, css: str = "") -> list[str]:
    """Render `pdf_html` to a PDF and compare it with `page_html` printed."""
    (tmp_path / "report").mkdir(exist_ok=True)
    (tmp_path / "assets").mkdir(exist_ok=True)
    (tmp_path / "figures").mkdir(exist_ok=True)
    (tmp_path / "figures" / "f.svg").write_text(SVG_WITH_TEXT, encoding="utf-8")
    style = PRINT_CSS.read_text(encoding="utf-8") + css
    (tmp_path / "assets" / "print.css").write_text(style, encoding="utf-8")
    folders = {"assets/": tmp_path / "assets", "figures/": tmp_path / "figures"}
    result = write_pdf(pdf_html, "report/o.html", folders)
    assert result.warnings == ()
    pdf = tmp_path / "report" / "o.pdf"
    pdf.write_bytes(result.pdf)
    page = tmp_path / "report" / "o.html"
    page.write_text(page_html, encoding="utf-8")
    results = reading_order(structure_tree(pdf), axe.printed(page, style), "o.pdf")
    return [f"{r.result}: {r.message}" for r in results]


def test_the_tags_read_as_the_page_over_page_breaks(tmp_path: Path, axe: Axe) -> None:
    html = PAGE.format(figure=FIGURE, rows=ROWS)
    assert order(tmp_path, axe, html, html) == [
        "pass: o.pdf: the tags read as its HTML does (3 headings, 321 words)"
    ]
    tree = structure_tree(tmp_path / "report" / "o.pdf")
    tables = [n for n in tree.walk() if n.kind == "Table"]
    assert len(tables) >= 3  # the table ran over pages: its header row was read once only
    assert all(t.children[int(i == 0)].kind == "THead" for i, t in enumerate(tables))


def test_a_tag_order_changed_by_the_layout_fails(tmp_path: Path, axe: Axe) -> None:
    html = PAGE.format(figure="", rows=ROWS[:300])
    css = ".flex { display: flex } .a { order: 2 } .b { order: 1 }"
    [result] = order(tmp_path, axe, html, html, css)
    assert result == (
        "fail: o.pdf: the PDF's tags read differently from its HTML: the PDF reads "
        "'...Area 4 40 After the table Beta Alpha' where the HTML reads "
        "'...Area 4 40 After the table Alpha Beta'"
    )


def test_text_missing_from_the_pdf_or_a_heading_changed_fails(tmp_path: Path, axe: Axe) -> None:
    html = PAGE.format(figure="", rows=ROWS[:300])
    extra = html.replace("<h3>After the table</h3>", "<h3>After the table</h3><p>New words.</p>")
    [result] = order(tmp_path, axe, html, extra)
    assert result.startswith("fail: o.pdf: the PDF's tags read differently from its HTML")
    assert result.endswith(
        "where the HTML reads '...Area 4 40 After the table New words. Alpha Beta'"
    )
    demoted = html.replace("<h3>After the table</h3>", "<h4>After the table</h4>")
    [result] = order(tmp_path, axe, html, demoted)
    assert result == (
        "fail: o.pdf: the PDF's headings are not its HTML's: heading 3 is "
        "(3, 'After the table') in the PDF, (4, 'After the table') in the HTML (level, text)"
    )


# -- the PDF/UA-1 rules pdfua does not check: fonts, structure types, tab order... ---------


def broken(pdfs: dict[str, Path], tmp_path: Path, change: str) -> list[str]:
    """The good PDF with one thing broken by hand (pikepdf), and what our checks say."""
    import pikepdf

    out = tmp_path / f"{change}.pdf"
    with pikepdf.open(pdfs["linked"]) as pdf:
        fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
        elements = list(structure_elements(pdf.Root.StructTreeRoot.K))
        if change == "not embedded":
            del fonts[0].DescendantFonts[0].FontDescriptor["/FontFile2"]
        elif change == "no tounicode":
            del fonts[0]["/ToUnicode"]
        elif change in ("odd type", "mapped type"):
            next(e for e in elements if e.S == "/P").S = pikepdf.Name("/Para")
            if change == "mapped type":
                pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Para=pikepdf.Name.P)
        elif change == "no tabs":
            del pdf.pages[0].obj["/Tabs"]
        elif change == "optional content":
            pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=pikepdf.Array())
        if change == "encrypted":
            pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user=""))
        else:
            pdf.save(out)
    return [problem for problem, _ in structure_problems(out)]


def test_the_good_pdf_has_what_the_file_checks_look_for(pdfs: dict[str, Path]) -> None:
    import pikepdf

    with pikepdf.open(pdfs["linked"]) as pdf:  # so that the checks below are not vacuous
        page = pdf.pages[0]
        assert "/Annots" in page.obj
        assert page.obj.Tabs == "/S"
        fonts = list(page.Resources.Font.values())
        assert {str(f.Subtype) for f in fonts} == {"/Type0"}
        assert all("/FontFile2" in f.DescendantFonts[0].FontDescriptor for f in fonts)
    assert structure_problems(pdfs["linked"]) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("not embedded", "a font is not embedded: /"),
        ("no tounicode", "a font has no ToUnicode map: /"),
        ("odd type", "structure types neither standard nor role-mapped: /Para"),
        ("no tabs", "page 1 has annotations but no /Tabs /S (tab order)"),
        ("optional content", "the PDF holds optional content (/OCProperties)"),
        ("encrypted", "the PDF is encrypted"),
    ],
)
def test_what_pdfua_does_not_check_fails(
    pdfs: dict[str, Path], tmp_path: Path, change: str, problem: str
) -> None:
    [found] = broken(pdfs, tmp_path, change)
    assert found.startswith(problem)


def test_a_role_mapped_structure_type_passes(pdfs: dict[str, Path], tmp_path: Path) -> None:
    assert broken(pdfs, tmp_path, "mapped type") == []


def _elements(path: Path) -> tuple[list[tuple[object, ...]], Counter[tuple[int, int]]]:
    """Every structure element pdfua lists in `path` (as plain values), and how many
    times each structure object was built to list them."""
    from pdfua.document import PdfDocument

    built: Counter[tuple[int, int]] = Counter()
    build = PdfDocument._build

    def counted(self: PdfDocument, node: Any, depth: int, page: int | None) -> Any:
        element = build(self, node, depth, page)
        if element is not None:  # not a kid that marks content (an MCID, an OBJR)
            built[node.objgen] += 1
        return element

    with pytest.MonkeyPatch.context() as mp, PdfDocument.open(str(path)) as doc:
        mp.setattr(PdfDocument, "_build", counted)
        elements = [
            (
                *(e.role, e.obj.objgen, e.page, e.alt, e.actual_text, e.has_scope, e.has_headers),
                tuple(c.obj.objgen for c in e.children),
            )
            for e in doc.struct_elements
        ]
    return elements, built


@pytest.mark.parametrize("name", ["good", "no-alt", "linked", "no-headers", "untagged"])
def test_pdfua_walked_once_lists_the_same_elements_building_each_once(
    pdfs: dict[str, Path], name: str
) -> None:
    """`bulletin.qa.pdfua_once`: pdfua's own walk is the independent computation of what
    the rules see; walked once, the list is the same, element for element, and no element
    is built twice (pdfua 0.1.3 builds each once for each of its ancestors)."""
    from pdfua.document import PdfDocument

    from bulletin.qa import pdfua_once

    own, own_builds = _elements(pdfs[name])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PdfDocument, "_walk", PdfDocument._walk)  # undone on the way out
        assert pdfua_once.patch()
        once, once_builds = _elements(pdfs[name])
    assert once == own
    if name == "untagged":
        assert own == []
        return
    # a TD's text is six levels down (Document, Table, TBody, TR, TD, P): built six times
    assert len(own) > 10
    assert max(own_builds.values()) >= 6
    assert set(once_builds.values()) == {1}
    assert set(once_builds) == set(own_builds)


def test_pdfua_walked_once_reports_as_pdfua_does(pdfs: dict[str, Path]) -> None:
    """The command the QA stage runs gives pdfua's own report: the same findings and exit
    code on a PDF it fails and one it passes (its run time aside)."""
    import json
    import sys

    for name in ("no-alt", "no-headers", "good"):
        reports = []
        for command in (
            [str(Path(sys.executable).with_name("pdfua"))],
            [sys.executable, "-m", "bulletin.qa.pdfua_once"],
        ):
            run = subprocess.run(
                [*command, "check", "--format", "json", str(pdfs[name])],
                capture_output=True,
                text=True,
                check=False,
            )
            report = json.loads(run.stdout)
            del report["duration_ms"]
            reports.append((run.returncode, report))
        assert reports[0] == reports[1]
        assert (reports[0][0] == 0) == (name == "good"), reports[0]


def test_pdfua_of_another_version_is_not_walked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfua
    from pdfua.document import PdfDocument

    from bulletin.qa import pdfua_once

    monkeypatch.setattr(pdfua, "__version__", "0.2.0")
    walk = PdfDocument._walk
    assert not pdfua_once.patch()
    assert PdfDocument._walk is walk
