"""End to end: real numbers from the B1 file to the web pages and the tagged PDFs.

Expected values are read by hand from the release-2023 B1 file, national row for 2018:
At31_episodes = 404710 and At31_episodes_rate = 341 (printed to 1 decimal place: 341.0);
for 2013: 378030 and 330.9. The North East row for 2018: 24270 and 460.2.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from bulletin.qa.axe import Axe
from tests.conftest import ROOT

PUB = "data-and-analysis"

ANNUAL = "characteristics-2018"  # the release from the real files alone


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_site_has_every_output(built: Path) -> None:
    """Each publication: its page, its PDF, its numbers manifest and the CSV of every table
    it places; the figures with their data and alt text; the front page and the manifest."""
    site = built / "_site"
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert {"accessibility.html", "assets/screen.css", "index.html", "manifest.json"} <= files
    assert {"figures/fig-cin-by-year.svg", "figures/fig-cin-by-year.csv"} <= files
    for pub in ("data-and-analysis", "interim-findings", "concluding-review", ANNUAL):
        for suffix in (".html", ".pdf", ".numbers.json"):
            assert f"report/{pub}{suffix}" in files
        html = (site / "report" / f"{pub}.html").read_text(encoding="utf-8")
        placed = set(re.findall(r'<div class="table-block" id="(tbl-[a-z0-9-]+)">', html))
        assert placed, pub
        assert {f"data/{pub}/{t}.csv" for t in placed} == {
            f for f in files if f.startswith(f"data/{pub}/tbl-")
        }
        assert f"data/{pub}/{pub}-all-data.zip" in files  # the open data: test_open_data.py


def test_the_web_page_shows_the_number_the_chart_and_the_tables(built: Path) -> None:
    html = (built / "_site" / "report" / f"{PUB}.html").read_text(encoding="utf-8")
    assert (
        '<data value="404710" data-id="R1">404,710</data> children in England were in need' in html
    )
    assert '<data value="341" data-id="R2">341.0</data> per 10,000 children aged 0 to 17' in html
    assert '<img src="../figures/fig-cin-by-year.svg" alt="Line chart' in html
    assert re.search(
        r'<tr><th scope="row">31 March 2018</th><td class="num"><data value="404710" '
        r'data-id="real-cin-by-year/2018/at_31_march">404,710</data></td><td class="num">'
        r'<data value="341" data-id="real-cin-by-year/2018/at_31_march_rate">341.0</data></td></tr>',
        html,
    )
    assert re.search(
        r'<th scope="row">North East</th><td class="num"><data value="24270" [^>]*>24,270</data>'
        r'</td><td class="num"><data value="460.2" [^>]*>460.2</data>',
        html,
    )
    assert '<html lang="en-GB">' in html
    assert '<main id="main-content">' in html
    assert '<a href="#main-content" class="skip-link">' in html


def test_the_pdf_shows_the_number_the_chart_and_the_tables(built: Path) -> None:
    text = pdf_text(built / "_site" / "report" / f"{PUB}.pdf")
    words = " ".join(text.split())
    assert "At 31 March 2018, 404,710 children in England were in need" in words
    assert "341.0 per 10,000 children aged 0 to 17" in words
    assert re.search(r"31 March 2018 +404,710 +341\.0", text)  # the table row
    assert re.search(r"31 March 2013 +378,030 +330\.9", text)
    assert re.search(r"North East +24,270 +460\.2", text)
    # the chart: its axis labels are text in the PDF, and its title states the message
    assert re.search(r"2013 +2014 +2015 +2016 +2017 +2018", text)
    assert "was 404,710 in 2018, compared with 378,030 in 2013" in words


def test_the_pdf_tags_the_chart_as_a_figure_with_its_alt_text(built: Path) -> None:
    tree = subprocess.run(
        ["pdfinfo", "-struct-text", str(built / "_site" / "report" / f"{PUB}.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Figure" in tree
    assert "Table" in tree
    import pikepdf

    with pikepdf.open(built / "_site" / "report" / f"{PUB}.pdf") as pdf:
        alts = [
            str(o.get("/Alt"))
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"
        ]
        assert pdf.Root.Lang == "en-GB"
        assert (
            str(pdf.docinfo["/Title"])
            == "Children in need of help and protection: data and analysis"
        )
        assert str(pdf.docinfo["/CreationDate"]).startswith("D:20190618")
    # every chart of the web page is a Figure of the PDF with the same alt text (read from
    # the HTML, not from the build's code); the national series' chart holds 404,710
    page = (built / "_site" / "report" / f"{PUB}.html").read_text(encoding="utf-8")
    shown = re.findall(r'<figure class="chart"[^>]*>.*?<img [^>]*alt="([^"]*)"', page, re.S)
    assert len(shown) >= 10
    assert sorted(alts) == sorted(html.unescape(a) for a in shown)
    assert any("404,710" in a for a in alts)


def test_the_data_files_hold_the_published_values(built: Path) -> None:
    csv = (built / "_site" / "data" / PUB / "tbl-cin-by-year.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0] == "date,year,at_31_march,at_31_march_rate"
    assert "31 March 2018,2018,404710,341.0" in csv.splitlines()
    by_area = (built / "_site" / "data" / PUB / "tbl-cin-by-region.csv").read_text(encoding="utf-8")
    assert by_area.splitlines()[0] == "area_name,level,area_code,at_31_march,at_31_march_rate"
    assert by_area.splitlines()[1] == "England,national,E92000001,404710,341.0"
    # one row per area: England, 9 regions, Inner and Outer London, 152 local authorities
    assert len(by_area.splitlines()) == 1 + 1 + 9 + 2 + 152


def test_the_manifest_records_the_tools_and_every_file(built: Path) -> None:
    manifest = json.loads((built / "_site" / "manifest.json").read_text(encoding="utf-8"))
    # the version of Debian's Chromium that ran (checked against dpkg in the next test)
    assert re.fullmatch(r"\d+(\.\d+){3}", manifest["tools"]["chromium"])
    assert manifest["tools"]["axe-core"] == "4.12.1"
    assert manifest["tools"]["weasyprint"] == "70.0"
    assert manifest["qa"]["fail"] == 0
    assert manifest["weasyprint_warnings"] == {
        f"report/{pub}.pdf": []
        for pub in ("data-and-analysis", "interim-findings", "concluding-review", ANNUAL)
    }
    import hashlib

    for name, digest in manifest["files"].items():
        assert hashlib.sha256((built / "_site" / name).read_bytes()).hexdigest() == digest


def test_the_manifest_records_the_system_components(built: Path) -> None:
    """Read before the build (dpkg's database, the axe script's header) and checked against
    what the QA stage's running browser and axe-core reported of themselves."""
    manifest = json.loads((built / "_site" / "manifest.json").read_text(encoding="utf-8"))
    system = manifest["system"]
    assert system["axe-core"] == manifest["tools"]["axe-core"]
    assert system["chromium"].startswith(manifest["tools"]["chromium"] + "-")  # Debian's
    for name in ("pango", "harfbuzz", "harfbuzz-subset", "fontconfig", "freetype", "fribidi"):
        assert re.match(r"\d", system[name]), (name, system[name])  # a version: installed
    assert re.fullmatch(
        r"\d+ font files, \d+ configuration files: sha256 [0-9a-f]{64}", system["fonts"]
    )
    assert {"pandoc", "liblouis", "espeak-ng", "epubcheck", "libreoffice"} <= system.keys()


@pytest.mark.national
def test_the_committed_report_and_figures_are_what_the_build_makes(national: Path) -> None:
    """CI rebuilds report/ and figures/ from the default data (the national build): the
    committed copies must be byte for byte what a build in another folder makes (so also
    location-independent)."""
    for folder in ("report", "figures"):
        made = {p.name: p.read_bytes() for p in sorted((national / folder).iterdir())}
        committed = {p.name: p.read_bytes() for p in sorted((ROOT / folder).iterdir())}
        assert made.keys() == committed.keys(), folder
        for name, data in made.items():
            assert data == committed[name], f"{folder}/{name} differs: rebuild and commit it"


def test_the_pdf_bytes_do_not_depend_on_where_the_files_are(built: Path, tmp_path: Path) -> None:
    """The build's print page rendered again from copies in another folder: same bytes."""
    import shutil

    from bulletin.render.pdf import write_pdf

    [printed] = built.glob(f".cache/bulletin/stages/pages-{PUB}/*/{PUB}.print.html")
    figures = tmp_path / "somewhere" / "else"
    shutil.copytree(built / "_site" / "figures", figures)
    css = tmp_path / "css"
    shutil.copytree(built / "templates" / "css", css)
    again = write_pdf(
        printed.read_text(encoding="utf-8"),
        f"report/{PUB}.html",
        {"figures/": figures, "assets/": css},
    )
    assert again.warnings == ()
    assert again.pdf == (built / "_site" / "report" / f"{PUB}.pdf").read_bytes()


def test_every_page_links_to_the_accessibility_statement_in_its_footer(built: Path) -> None:
    site = built / "_site"
    statement = (site / "accessibility.html").resolve()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 3  # the front page, the statement and a publication
    for page in pages:
        footer = page.read_text(encoding="utf-8").split("<footer", 1)[1]
        hrefs = re.findall(r'<a href="([^"]+)">Accessibility statement</a>', footer)
        assert [(page.parent / href).resolve() for href in hrefs] == [statement], page


def test_the_accessibility_statement_passes_axe_and_is_dated_from_the_settings(
    built: Path, axe: Axe
) -> None:
    from bulletin.qa.html import check_page
    from bulletin.qa.results import Result

    page = built / "_site" / "accessibility.html"
    assert [r.result for r in axe.check(page, "accessibility.html")] == [Result.PASS]
    assert [r.result for r in check_page(page, "accessibility.html")] == [Result.PASS]
    html = page.read_text(encoding="utf-8")
    assert "This statement was prepared on 18 June 2019." in html  # bulletin.toml's date
    assert "mailto:alternative.formats@education.gov.uk" in html  # from facts.toml


def test_the_pdf_gives_every_header_its_scope_and_every_heading_a_bookmark(built: Path) -> None:
    """Counted from the web page, independently of the checks: its row headers, each once
    in the PDF (a row is never split) as /Row; its column headers, at least once as
    /Column (again on each page a table runs over); its headings, as the bookmarks."""
    import pikepdf

    from bulletin.qa.pdf import structure_elements

    site = built / "_site" / "report"
    html = (site / f"{PUB}.html").read_text(encoding="utf-8")
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    rows, columns = main.count('<th scope="row"'), main.count('<th scope="col"')
    assert rows > 0  # the publication has tables
    assert columns > 0
    with pikepdf.open(site / f"{PUB}.pdf") as pdf:
        headers = [e for e in structure_elements(pdf.Root.StructTreeRoot.K) if e.S == "/TH"]
        scopes = [str(e.A.Scope) for e in headers]
        with pdf.open_outline() as outline:
            marks: list[str] = []

            def walk(items: list[pikepdf.OutlineItem]) -> None:
                for item in items:
                    marks.append(item.title)
                    walk(item.children)

            walk(outline.root)
    assert scopes.count("/Row") == rows
    assert scopes.count("/Column") >= columns
    assert len(scopes) == scopes.count("/Row") + scopes.count("/Column")
    # the blocks only the web page has: how to request a format, links to the other publications
    body = re.sub(
        r'<section class="request-format".*?</section>|<nav class="related".*?</nav>',
        "",
        main,
        flags=re.DOTALL,
    )
    assert body != main
    headings = [
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for text in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", body, re.DOTALL)
    ]
    assert len(headings) >= 5
    assert marks == headings
