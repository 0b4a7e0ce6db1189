"""Checks ahead of the QA stage (`bulletin.qa.ahead`): what passes is remembered under the
very key the QA stage looks up on the finished site; what fails is not remembered."""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from pathlib import Path

from bulletin.qa import PRINT_CSS, SCREEN_CSS, loads, pdf_needs
from bulletin.qa.ahead import Ahead
from bulletin.qa.memo import Memo
from bulletin.qa.pdf import PrintedPage
from bulletin.render.pdf import write_pdf
from tests.conftest import ROOT
from tests.qa.conftest import GOOD_PAGE

TEMPLATES = ROOT / "templates"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'


def stage_page(folder: Path, html: str) -> Path:
    """A screen page as the pages stage leaves it: in a folder of its own, linking the
    site's stylesheet and a figure."""
    html = html.replace("</title>", '</title><link rel="stylesheet" href="../assets/screen.css">')
    html = re.sub(r'src="[^"]*"', 'src="../figures/f.svg"', html)
    folder.mkdir(parents=True)
    (folder / "p.html").write_text(html, encoding="utf-8")
    return folder / "p.html"


def site_of(tmp_path: Path, page: Path, figures: Path) -> Path:
    """The page laid out as the site stage lays it out."""
    site = tmp_path / "site"
    (site / "report").mkdir(parents=True)
    shutil.copy(page, site / "report" / "p.html")
    shutil.copytree(figures, site / "figures")
    (site / "assets").mkdir()
    shutil.copy(TEMPLATES / SCREEN_CSS, site / "assets" / "screen.css")
    return site


def test_a_page_and_a_pdf_that_pass_are_remembered_under_the_qa_stages_keys(
    tmp_path: Path,
) -> None:
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "f.svg").write_text(SVG, encoding="utf-8")
    page = stage_page(tmp_path / "pages", GOOD_PAGE)
    made = write_pdf(page.read_text(encoding="utf-8"), "report/p.html", {"figures/": figures})
    pdf = tmp_path / "pdf" / "p.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(made.pdf)
    memo = Memo(tmp_path / "memo")

    temporary = Path(tempfile.gettempdir())
    before = set(temporary.glob("qa-ahead-*"))
    with Ahead(memo.folder, TEMPLATES) as ahead:
        ahead.page(page, "report/p.html", figures)
        ahead.printed(page, "report/p.pdf")  # the print page, before its PDF is made
        ahead.pdf(pdf, "report/p.pdf", page)
        ahead.wait()
        assert len(set(temporary.glob("qa-ahead-*")) - before) == 1  # the page laid out
    assert sorted(ahead.passed) == ["report/p.html", "report/p.pdf"]

    site = site_of(tmp_path, page, figures)
    shutil.copy(pdf, site / "report" / "p.pdf")
    published = site / "report" / "p.html"
    assert len(loads(published)) == 2  # the stylesheet and the figure
    remembered = memo.get(memo.key("page", published, "report/p.html", loads(published)))
    assert remembered is not None
    assert [r.check for r in remembered[0]] == ["html", "axe"]
    assert remembered[1]["chromium"]
    needs = pdf_needs(TEMPLATES, page)
    assert needs[0] == TEMPLATES / PRINT_CSS
    remembered = memo.get(memo.key("pdf", site / "report" / "p.pdf", "report/p.pdf", needs))
    assert remembered is not None
    assert [r.check for r in remembered[0]] == ["pdf", "pdfua", "reading-order"]
    assert len(list(memo.folder.glob("*.json"))) == 2
    assert set(temporary.glob("qa-ahead-*")) == before  # and gone


def test_a_page_that_fails_is_not_remembered(tmp_path: Path) -> None:
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "f.svg").write_text(SVG, encoding="utf-8")
    page = stage_page(tmp_path / "pages", GOOD_PAGE.replace(' alt="A chart of the data"', ""))
    memo = Memo(tmp_path / "memo")
    with Ahead(memo.folder, TEMPLATES) as ahead:
        ahead.page(page, "report/p.html", figures)
        ahead.pdf(tmp_path / "missing.pdf", "report/p.pdf", page)  # breaks: only logged
        ahead.wait()
    assert ahead.passed == []
    assert list(memo.folder.glob("*.json")) == []


def test_a_print_page_changed_after_it_was_printed_is_printed_again(tmp_path: Path) -> None:
    """The PDF is made from the page as first written; the page then gains a sentence. The
    page as printed ahead would agree with the PDF; the page as it is now does not, so the
    reading order fails and nothing is remembered."""
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "f.svg").write_text(SVG, encoding="utf-8")
    page = stage_page(tmp_path / "pages", GOOD_PAGE)
    made = write_pdf(page.read_text(encoding="utf-8"), "report/p.html", {"figures/": figures})
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(made.pdf)
    memo = Memo(tmp_path / "memo")
    with Ahead(memo.folder, TEMPLATES) as ahead:
        ahead.printed(page, "report/p.pdf")
        ahead.wait()
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace("</h1>", "</h1><p>A new sentence.</p>"), encoding="utf-8")
        ahead.pdf(pdf, "report/p.pdf", page)
        ahead.wait()
    assert ahead.passed == []
    assert list(memo.folder.glob("*.json")) == []


def test_nothing_asked_starts_nothing(tmp_path: Path) -> None:
    """A build that makes no page (nothing changed) starts no thread, browser or process."""
    before = threading.active_count()
    with Ahead(tmp_path / "memo", TEMPLATES) as ahead:
        ahead.wait()
        assert threading.active_count() == before
    assert ahead.passed == []
    assert not (tmp_path / "memo").exists()


def test_what_cannot_be_checked_ahead_is_logged_never_raised(tmp_path: Path) -> None:
    """A page gone before it could be laid out: the build goes on, the QA stage checks."""
    said: list[str] = []
    with Ahead(tmp_path / "memo", TEMPLATES, said.append) as ahead:
        ahead.page(tmp_path / "gone.html", "report/gone.html", tmp_path)
        ahead.wait()
    assert ahead.passed == []
    assert len(said) == 1
    assert said[0].startswith("qa ahead: report/gone.html: not checked ahead (")


class Recording(Ahead):
    """Ahead, with the browser's work recorded instead of done: the first print waits for
    `gate`, so that everything asked meanwhile waits in the browser's queue."""

    def __init__(self, memo: Path) -> None:
        super().__init__(memo, TEMPLATES)
        self.done: list[str] = []
        self.gate = threading.Event()

    def _print(self, print_page: Path) -> tuple[str, PrintedPage]:
        self.gate.wait(30)
        self.done.append(f"print {print_page.name}")
        return "", PrintedPage("", ())

    def _check_page(self, page: Path, name: str) -> bool:
        self.done.append(f"page {name}")
        return True


def test_the_browser_prints_first_then_checks_the_longest_page_first(tmp_path: Path) -> None:
    """Prints are waited for by the PDFs' checks; of the pages, axe-core takes longest on
    the longest, best begun first on two cores."""
    for name, size in (("first", 1), ("short", 10), ("long", 1000), ("middle", 100)):
        (tmp_path / f"{name}.html").write_text("x" * size, encoding="utf-8")
    with Recording(tmp_path / "memo") as ahead:
        ahead.printed(tmp_path / "first.html", "report/first.pdf")  # waits for the gate
        ahead.page(tmp_path / "short.html", "report/short.html", tmp_path)
        ahead.page(tmp_path / "long.html", "report/long.html", tmp_path)
        ahead.printed(tmp_path / "short.html", "report/short.pdf")
        ahead.page(tmp_path / "middle.html", "report/middle.html", tmp_path)
        ahead.gate.set()
        ahead.wait()
    assert ahead.done == [
        "print first.html",
        "print short.html",
        "page report/long.html",
        "page report/middle.html",
        "page report/short.html",
    ]


def test_a_site_is_checked_in_place_under_the_qa_stages_keys(tmp_path: Path) -> None:
    """The site stage's folder is what the QA stage checks: its pages are checked where
    they are, each under its path in the site, and those that passed before are not
    checked again."""
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "f.svg").write_text(SVG, encoding="utf-8")
    site = site_of(tmp_path, stage_page(tmp_path / "pages", GOOD_PAGE), figures)
    shutil.copy(site / "report" / "p.html", site / "index.html")
    (site / "index.html").write_text(
        (site / "index.html").read_text(encoding="utf-8").replace("../", ""), encoding="utf-8"
    )
    memo = Memo(tmp_path / "memo")
    temporary = Path(tempfile.gettempdir())
    with Ahead(memo.folder, TEMPLATES) as ahead:
        ahead.site(site)
        ahead.wait()
        assert not any(temporary.glob("qa-ahead-*/site-*"))  # nothing laid out elsewhere
    assert sorted(ahead.passed) == ["index.html", "report/p.html"]
    for name in ("index.html", "report/p.html"):
        page = site / name
        assert len(loads(page)) == 2  # the stylesheet and the figure, found where they are
        assert memo.get(memo.key("page", page, name, loads(page))) is not None
    with Ahead(memo.folder, TEMPLATES) as again:
        again.site(site)
        again.wait()
    assert sorted(again.passed) == ["index.html", "report/p.html"]  # from the memo


def test_warm_starts_the_browser_before_anything_is_asked(tmp_path: Path) -> None:
    before = threading.active_count()
    with Ahead(tmp_path / "memo", TEMPLATES) as ahead:
        ahead.warm()
        ahead.warm()  # once is enough
        ahead.wait()
        assert threading.active_count() > before
        assert ahead._workers is not None
        browser = ahead._workers.browser
        assert browser.submit(lambda: ahead._browsers.axe is not None).result()  # launched
    assert ahead.passed == []
    assert threading.active_count() == before
