"""WeasyPrint through the virtual base URL: tagged PDF/UA-1, location-independent bytes, no
network, and every warning caught."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletin.qa.pdf import pdfua_report
from bulletin.render.pdf import write_pdf
from tests.conftest import ROOT

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#12436D"/></svg>'
PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>T</title>
<meta name="dcterms.created" content="2019-06-18T00:00:00+00:00">
<link rel="stylesheet" href="../assets/print.css"></head>
<body><main><h1>T</h1><figure><img src="../figures/f.svg" alt="A blue box"><figcaption>F</figcaption></figure></main></body></html>"""


def folder(root: Path) -> dict[str, Path]:
    (root / "figures").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "figures" / "f.svg").write_text(SVG, encoding="utf-8")
    (root / "assets" / "print.css").write_text("@page { size: A4; }", encoding="utf-8")
    return {"figures/": root / "figures", "assets/": root / "assets"}


def test_the_same_page_from_two_folders_gives_the_same_bytes(tmp_path: Path) -> None:
    one = write_pdf(PAGE, "report/t.html", folder(tmp_path / "one"))
    two = write_pdf(PAGE, "report/t.html", folder(tmp_path / "a" / "different" / "place"))
    assert one.warnings == two.warnings == ()
    assert one.pdf == two.pdf
    assert one.pages == 1
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(one.pdf)) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20190618000000")


def test_a_missing_alt_text_is_caught(tmp_path: Path) -> None:
    page = PAGE.replace(' alt="A blue box"', "")
    result = write_pdf(page, "report/t.html", folder(tmp_path))
    assert result.warnings == (
        'ERROR: Image "https://bulletin.invalid/figures/f.svg" has no required alt description',
    ) or any("has no required alt description" in w for w in result.warnings)


def test_an_unsupported_css_property_is_caught(tmp_path: Path) -> None:
    folders = folder(tmp_path)
    (tmp_path / "assets" / "print.css").write_text("p { colour: red; }", encoding="utf-8")
    result = write_pdf(PAGE, "report/t.html", folders)
    assert any("colour" in w for w in result.warnings)


def test_nothing_is_fetched_from_outside_the_given_folders(tmp_path: Path) -> None:
    folders = folder(tmp_path)
    secret = tmp_path / "secret.svg"
    shutil.copy(tmp_path / "figures" / "f.svg", secret)
    for src in ("../figures/../secret.svg", "https://example.org/f.svg", f"file://{secret}"):
        page = PAGE.replace("../figures/f.svg", src)
        result = write_pdf(page, "report/t.html", folders)
        assert any("Failed to load image" in w for w in result.warnings), src


def test_the_garbage_collector_is_paused_only_while_rendering(tmp_path: Path) -> None:
    import gc

    folders = folder(tmp_path)
    assert gc.isenabled()
    write_pdf(PAGE, "report/t.html", folders)
    assert gc.isenabled()  # switched back on
    gc.disable()  # a caller that manages the collector itself keeps it off
    try:
        write_pdf(PAGE, "report/t.html", folders)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(AttributeError):  # a folder given as text, not a Path: the render fails
        write_pdf(PAGE, "report/t.html", {"figures/": "figures"})  # type: ignore[dict-item]
    assert gc.isenabled()  # switched back on after a failed render too


# -- table header scopes ------------------------------------------------------------------

TABLE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Scopes</title>
<style>@page {{ size: A6; margin: 10mm }} thead {{ display: table-header-group }}
tr {{ break-inside: avoid }}</style></head>
<body><main><h1>Scopes</h1>
<table><caption>Headers given every way</caption>
<thead><tr><th scope="col">Area</th><th scope="colgroup">Count</th><th>Rate</th></tr></thead>
<tbody>
<tr><th scope="col">Sub-heading col</th><th scope="col">Sub count</th><th scope="col">Sub rate</th></tr>
<tr><th scope="row">North East</th><td>1</td><td>2</td></tr>
<tr><th scope="rowgroup">North group</th><td>3</td><td>4</td></tr>
<tr><th>No scope in body</th><td>5</td><td>6</td></tr>
<tr><th>All th, no scope</th><th>Also th</th><th>Third th</th></tr>
{rows}
</tbody></table></main></body></html>"""


def header_cells(pdf: Path) -> list[tuple[str, str]]:
    """(text, /Scope) of every TH, read by poppler from the structure tree."""
    lines = subprocess.run(
        ["pdfinfo", "-enc", "UTF-8", "-struct-text", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    cells: list[list[str]] = []  # text, scope
    current: list[str] | None = None
    for line in lines:
        item = line.strip()
        kind = item.split(" ")[0].rstrip(":")
        if kind == "TH":
            current = ["", ""]
            cells.append(current)
        elif current is not None and item.startswith("/Scope "):
            current[1] = item.split()[1]
        elif current is not None and item.startswith('"'):  # one run of text a line
            current[0] = f"{current[0]} {item[1:-1]}".strip()
        elif kind not in ("Span", "NonStruct", ""):
            current = None  # the next cell, row or element
    return [(text, scope) for text, scope in cells]


def test_every_header_cell_gets_the_scope_of_its_html_th(tmp_path: Path) -> None:
    rows = "".join(
        f'<tr><th scope="row">Authority {i}</th><td>{i}</td><td>{i}</td></tr>' for i in range(40)
    )
    result = write_pdf(TABLE.format(rows=rows), "report/t.html", {})
    assert result.warnings == ()
    assert result.pages >= 3  # the table runs over pages, so its header row repeats
    path = tmp_path / "t.pdf"
    path.write_bytes(result.pdf)
    cells = header_cells(path)
    header_row = [("Area", "/Column"), ("Count", "/Column"), ("Rate", "/Column")]
    assert cells[:12] == [
        *header_row,
        ("Sub-heading col", "/Column"),  # scope="col" in the body stays a column header
        ("Sub count", "/Column"),
        ("Sub rate", "/Column"),
        ("North East", "/Row"),
        ("North group", "/Row"),  # rowgroup
        ("No scope in body", "/Row"),  # HTML's auto scope: a th beside data cells
        ("All th, no scope", "/Column"),  # auto scope: a row of header cells only
        ("Also th", "/Column"),
        ("Third th", "/Column"),
    ]
    authorities = [c for c in cells if c[0].startswith("Authority")]
    assert authorities == [(f"Authority {i}", "/Row") for i in range(40)]
    starts = [i for i, cell in enumerate(cells) if cell == header_row[0]]
    assert len(starts) == result.pages  # the header row again on each page, scoped again
    assert all(cells[i : i + 3] == header_row for i in starts)
    assert len(cells) == 9 + 40 + 3 * result.pages  # and no other header cell


def test_the_scopes_keep_the_pdf_valid_deterministic_and_pdf_ua(tmp_path: Path) -> None:
    import io

    import pikepdf

    html = TABLE.format(rows="")
    one = write_pdf(html, "report/t.html", {})
    assert write_pdf(html, "report/t.html", {}).pdf == one.pdf
    path = tmp_path / "t.pdf"
    path.write_bytes(one.pdf)
    check = subprocess.run(
        ["qpdf", "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors found" in check.stdout
    with pikepdf.open(io.BytesIO(one.pdf)) as pdf, pdf.open_metadata() as xmp:
        assert xmp.get("pdfuaid:part") == "1"
    assert pdfua_findings(path) == []
    # without our finisher, the same page gets a UA-15-003 warning: the test is not vacuous
    from weasyprint import HTML

    bare = tmp_path / "bare.pdf"
    HTML(string=html).write_pdf(bare, pdf_variant="pdf/ua-1")
    assert [f["rule_id"] for f in pdfua_findings(bare)] == ["UA-15-003"]


def pdfua_findings(path: Path) -> list[dict[str, str]]:
    """`pdfua check` with all its rules: its findings."""
    findings: list[dict[str, str]] = pdfua_report(path)[0]["findings"]
    return findings


# -- tables over a page break -------------------------------------------------------------

SPLIT = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Split</title>
<link rel="stylesheet" href="../assets/print.css"></head>
<body><main><div style="height: {space}mm"></div>
<table><caption>Rows</caption><thead><tr><th scope="col">Row</th></tr></thead><tbody>
{rows}</tbody></table></main></body></html>"""


def test_no_table_leaves_its_last_row_alone_on_a_page(tmp_path: Path) -> None:
    """The project's print stylesheet, a table of six rows pushed down a millimetre at a
    time past the foot of the page: wherever the break falls, the next page never holds
    the last row by itself (without the rule, some of these placements do; checked below)."""
    css = (ROOT / "templates/css/print.css").read_text(encoding="utf-8")
    rows = "".join(f"<tr><td>Row {i}</td></tr>" for i in range(1, 7))
    alone_without_the_rule = 0
    for sheet, label in ((css, "project"), (css.replace("tr:last-child", "tr:not(*)"), "bare")):
        (tmp_path / label).mkdir()
        (tmp_path / label / "print.css").write_text(sheet, encoding="utf-8")
        for space in range(180, 240, 3):
            html = SPLIT.format(space=space, rows=rows)
            pdf = tmp_path / label / f"{space}.pdf"
            pdf.write_bytes(write_pdf(html, "report/t.html", {"assets/": tmp_path / label}).pdf)
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            pages = [p for p in text.split("\f") if p.strip()]
            last = [len(re.findall(r"Row \d", p)) for p in pages]  # body rows per page
            if len(pages) > 1 and last[-1] == 1:
                assert label == "bare", f"a last row alone at {space} mm: {last}"
                alone_without_the_rule += 1
    assert alone_without_the_rule, "no placement tried puts a row alone without the rule"
