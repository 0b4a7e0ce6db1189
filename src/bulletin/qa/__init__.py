"""QA (above render): checks on every output: accessibility, disclosure, consistency, wording.

`check_site` runs every check on a built site and returns every result (it never stops at
the first failure); `QAError` carries them when any is a FAIL. The disclosure check
(`bulletin.qa.disclosure`) reads every CSV file of the site, and any other published
values the caller gives (the findings context).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.core.settings import Disclosure
from bulletin.qa.disclosure import PublishedValue
from bulletin.qa.results import CheckResult, QAError, Result, failures, passed, summary

PRINT_CSS = "css/print.css"  # in the templates folder: the PDF's stylesheet

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
) -> QAReport:
    """Every check on a built site: the prose lint of the templates, WeasyPrint's warnings,
    the disclosure check (the site's CSV files, whose public releases `exempt` names and
    columns of counts `counts` names, and `values`), the HTML structure and axe-core on every page, the PDF checks on every PDF,
    with its reading order against the print page it was made from (`print_pages`, by the
    PDF's name in the site), printed by Chromium with print.css, the EES screener on every
    open data file, the spreadsheet guidance on every ODS, and every "Download all data"
    ZIP."""
    from concurrent.futures import ThreadPoolExecutor

    from bulletin.findings.checking import PACK_FILES
    from bulletin.qa.archive import check_site_zips
    from bulletin.qa.axe import Axe
    from bulletin.qa.disclosure import check_disclosure, check_pack_outside, site_values
    from bulletin.qa.html import check_page
    from bulletin.qa.pdf import pdf_checks, reading_order
    from bulletin.qa.prose import lint_templates
    from bulletin.qa.screener import screen_site
    from bulletin.qa.spreadsheet import check_site_spreadsheets

    pages = [(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*.html"))]
    pdfs = [(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*.pdf"))]
    print_css = (templates / PRINT_CSS).read_text(encoding="utf-8")
    # the PDF checks wait on pdfinfo and pdfua for seconds: on threads, beside the browser
    with ThreadPoolExecutor(max_workers=2) as pool:
        checked = [(name, pool.submit(pdf_checks, pdf, name)) for pdf, name in pdfs]
        results = lint_templates(templates) + weasyprint_results(weasyprint_warnings)
        published = [*site_values(site, exempt or {}, counts or {}), *values]
        results += check_disclosure(published, disclosure) + check_pack_outside(site, PACK_FILES)
        for page, name in pages:
            results += check_page(page, name)
        results += screen_site(site) + check_site_spreadsheets(site) + check_site_zips(site)
        with Axe() as axe:
            results += axe.check_all(pages)
            tools = {"chromium": axe.chromium, "axe-core": axe.axe_core}
            for name, future in checked:
                found, tree = future.result()
                results += found
                source = (print_pages or {}).get(name)
                if source is not None:
                    results += reading_order(tree, axe.printed(source, print_css), name)
                else:
                    results.append(
                        CheckResult(
                            "reading-order",
                            Result.WARNING,
                            f"{name}: reading order not checked: the print page it was made "
                            "from is not at hand (it is in the build's cache)",
                        )
                    )
    return QAReport(tuple(results), tools)
