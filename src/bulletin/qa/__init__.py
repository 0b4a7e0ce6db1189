"""QA (above render): checks on every output: accessibility, disclosure, consistency, wording.

`check_site` runs every check on a built site and returns every result (it never stops at
the first failure); `QAError` carries them when any is a FAIL. The disclosure check
(`bulletin.qa.disclosure`) reads every CSV file of the site, and any other published
values the caller gives (the findings context).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.core.settings import Disclosure
from bulletin.qa.disclosure import PublishedValue
from bulletin.qa.results import CheckResult, QAError, Result, failures, passed, summary

PRINT_CSS = "css/print.css"  # in the templates folder: the PDF's stylesheet
SCREEN_CSS = "css/screen.css"  # in the templates folder: the pages' (the site's assets/)

if TYPE_CHECKING:
    from bulletin.qa.axe import Axe
    from bulletin.qa.memo import Memo
    from bulletin.qa.pdf import PrintedPage

__all__ = [
    "CheckResult",
    "PublishedValue",
    "QAError",
    "QAReport",
    "Result",
    "check_site",
    "failures",
    "summary",
    "weasyprint_results",
]


@dataclass(frozen=True)
class QAReport:
    results: tuple[CheckResult, ...]
    tools: Mapping[str, str] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return bool(failures(self.results))


def weasyprint_results(warnings: Mapping[str, Sequence[str]]) -> list[CheckResult]:
    """Any WeasyPrint warning fails (a missing alt text is only ever logged by it)."""
    results = [
        CheckResult(
            "weasyprint",
            Result.FAIL,
            f"{name}: WeasyPrint said {message}",
            "Fix the print HTML or stylesheet: every image needs alt text, and the print "
            "stylesheet may use only properties WeasyPrint supports.",
        )
        for name, messages in sorted(warnings.items())
        for message in messages
    ]
    return results or [passed("weasyprint", f"no warnings rendering {len(warnings)} PDFs")]


def check_site(
    site: Path,
    templates: Path,
    weasyprint_warnings: Mapping[str, Sequence[str]],
    print_pages: Mapping[str, Path] | None = None,
    *,
    disclosure: Disclosure,
    exempt: Mapping[str, str] | None = None,
    counts: Mapping[str, Sequence[str]] | None = None,
    values: Sequence[PublishedValue] = (),
    memo: Path | None = None,
    wait: Callable[[str], None] | None = None,
) -> QAReport:
    """Every check on a built site: the prose lint of the templates, WeasyPrint's warnings,
    the disclosure check (the site's CSV files, whose public releases `exempt` names and
    columns of counts `counts` names, and `values`), the EES screener on every open data
    file, the spreadsheet guidance on every ODS, every "Download all data" ZIP; the HTML
    structure and axe-core on every page; the PDF checks on every PDF, with its reading
    order against the print page it was made from (`print_pages`, by the PDF's name in the
    site), printed by Chromium with print.css. With a `memo` folder, a page or PDF that
    passed before, unchanged, is not checked again (`bulletin.qa.memo`); `wait(kind)`
    ("page" or "pdf") is called before the memo is read for that kind of file (checks
    ahead may still be filling it, `bulletin.qa.ahead`). The PDFs are checked while the
    browser checks the pages, and while the other checks run."""
    from concurrent.futures import ThreadPoolExecutor

    from bulletin.findings.checking import PACK_FILES
    from bulletin.qa.archive import check_site_zips
    from bulletin.qa.disclosure import check_disclosure, check_pack_outside, site_values
    from bulletin.qa.memo import Memo
    from bulletin.qa.prose import lint_templates
    from bulletin.qa.screener import screen_site
    from bulletin.qa.spreadsheet import check_site_spreadsheets

    pages = [(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*.html"))]
    pdfs = [(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*.pdf"))]
    store = Memo(memo) if memo is not None else None
    print_css = (templates / PRINT_CSS).read_text(encoding="utf-8")

    def check_these_pdfs(
        todo: Sequence[tuple[Path, str]],
    ) -> tuple[dict[str, list[CheckResult]], dict[str, str]]:
        return check_pdfs(todo, print_pages or {}, print_css)

    tools: dict[str, str] = {}

    def needs(name: str) -> list[Path]:
        return pdf_needs(templates, (print_pages or {}).get(name))

    with ThreadPoolExecutor(max_workers=1) as pool:
        checked_pdfs = pool.submit(
            _checked, store, "pdf", pdfs, check_these_pdfs, tools, needs, wait
        )
        results = lint_templates(templates, store) + weasyprint_results(weasyprint_warnings)
        published = [*site_values(site, exempt or {}, counts or {}), *values]
        results += check_disclosure(published, disclosure) + check_pack_outside(site, PACK_FILES)
        results += screen_site(site) + check_site_spreadsheets(site, store) + check_site_zips(site)
        results += _checked(
            store, "page", pages, check_pages, tools, lambda name: loads(site / name), wait
        )
        results += checked_pdfs.result()
    if store is not None:
        store.prune()
    return QAReport(tuple(results), tools)


def _checked(
    store: Memo | None,
    kind: str,
    files: Sequence[tuple[Path, str]],
    check: Callable[
        [Sequence[tuple[Path, str]]], tuple[dict[str, list[CheckResult]], dict[str, str]]
    ],
    tools: dict[str, str],
    needs: Callable[[str], Sequence[Path]],
    wait: Callable[[str], None] | None = None,
) -> list[CheckResult]:
    """Each file's results, from the memo where it passed before (the file and what it
    `needs` unchanged), else from `check`; `wait(kind)` first."""
    if wait is not None:
        wait(kind)
    known: dict[str, list[CheckResult]] = {}
    keys = {name: store.key(kind, path, name, needs(name)) for path, name in files} if store else {}
    for name, key in keys.items():
        remembered = store.get(key) if store else None
        if remembered is not None:
            known[name] = remembered[0]
            tools.update(remembered[1])
    todo = [(path, name) for path, name in files if name not in known]
    if todo:
        fresh, used = check(todo)
        tools.update(used)
        for name, results in fresh.items():
            if store is not None:
                store.put(keys[name], results, used)
        known |= fresh
    return [r for _, name in files for r in known[name]]


def pdf_needs(templates: Path, print_page: Path | None) -> list[Path]:
    """What a PDF's checks depend on besides the PDF: the print stylesheet and the print
    page it was made from (its reading order is checked against them)."""
    return [templates / PRINT_CSS, *([print_page] if print_page is not None else [])]


def loads(page: Path) -> list[Path]:
    """The local files a page loads, which its checks depend on: stylesheets, images,
    scripts (by `href` of a `<link>`, by `src`), each once, in order."""
    html = page.read_text(encoding="utf-8", errors="replace")
    links = re.findall(r"<link\b[^>]*?\bhref=\"([^\"]*)\"", html)
    sources = re.findall(r"\bsrc=\"([^\"]*)\"", html)
    local = [u.split("#")[0].split("?")[0] for u in links + sources if ":" not in u]
    return [page.parent / u for u in dict.fromkeys(u for u in local if u)]


def check_pages(
    pages: Sequence[tuple[Path, str]], axe: Axe | None = None
) -> tuple[dict[str, list[CheckResult]], dict[str, str]]:
    """The HTML structure and axe-core checks of each page, in `axe`'s browser or in one
    of their own; and the versions of the browser and axe-core."""
    from bulletin.qa.axe import Axe
    from bulletin.qa.html import check_page

    found = {name: check_page(page, name) for page, name in pages}
    with contextlib.nullcontext(axe) if axe is not None else Axe() as browser:
        for page, name in pages:
            found[name] += browser.check(page, name)
        return found, {"chromium": browser.chromium, "axe-core": browser.axe_core}


def check_pdfs(
    pdfs: Sequence[tuple[Path, str]],
    print_pages: Mapping[str, Path],
    print_css: str,
    axe: Axe | None = None,
    printed: Mapping[str, PrintedPage] | None = None,
) -> tuple[dict[str, list[CheckResult]], dict[str, str]]:
    """The PDF checks of each PDF, and its reading order against its print page as
    `printed` gives it, else printed by `axe`'s browser or one of this thread's own
    (Playwright's sync API is one per thread)."""
    from bulletin.qa.axe import Axe
    from bulletin.qa.pdf import pdf_checks, reading_order

    found, trees = {}, {}
    for pdf, name in pdfs:
        found[name], trees[name] = pdf_checks(pdf, name)
    printable = [name for name in found if name in print_pages]
    shown = {name: page for name, page in (printed or {}).items() if name in printable}
    if set(printable) - set(shown):
        with contextlib.nullcontext(axe) if axe is not None else Axe() as browser:
            for name in printable:
                if name not in shown:
                    shown[name] = browser.printed(print_pages[name], print_css)
    for name in printable:
        found[name] += reading_order(trees[name], shown[name], name)
    for name, results in found.items():
        if name not in print_pages:
            results.append(
                CheckResult(
                    "reading-order",
                    Result.WARNING,
                    f"{name}: reading order not checked: the print page it was made from "
                    "is not at hand (it is in the build's cache)",
                )
            )
    return found, {}
