"""QA (above render): checks on every output: accessibility, disclosure, consistency, wording.

`check_site` runs every check on a built site and returns every result (it never stops at
the first failure); `QAError` carries them when any is a FAIL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.qa.results import CheckResult, QAError, Result, failures, passed, summary

if TYPE_CHECKING:
    from bulletin.qa.memo import Memo

__all__ = [
    "CheckResult",
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
    memo: Path | None = None,
) -> QAReport:
    """Every check on a built site: the prose lint of the templates, WeasyPrint's warnings,
    the HTML structure and axe-core on every page, the PDF checks on every PDF. With a
    `memo` folder, a page or PDF that passed before, unchanged, is not checked again
    (`bulletin.qa.memo`); the PDFs are checked while the browser checks the pages."""
    from concurrent.futures import ThreadPoolExecutor

    from bulletin.qa.memo import Memo
    from bulletin.qa.prose import lint_templates

    store = Memo(memo) if memo is not None else None
    pages = [(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*.html"))]
    pdfs = [(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*.pdf"))]
    results = lint_templates(templates) + weasyprint_results(weasyprint_warnings)
    tools: dict[str, str] = {}
    with ThreadPoolExecutor(max_workers=1) as pool:
        checked_pdfs = pool.submit(_checked, store, "pdf", pdfs, _check_pdfs, tools)
        results += _checked(store, "page", pages, _check_pages, tools)
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
) -> list[CheckResult]:
    """Each file's results, from the memo where it passed before, else from `check`."""
    known: dict[str, list[CheckResult]] = {}
    keys = {name: store.key(kind, path, name) for path, name in files} if store else {}
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


def _check_pages(
    pages: Sequence[tuple[Path, str]],
) -> tuple[dict[str, list[CheckResult]], dict[str, str]]:
    from bulletin.qa.axe import Axe
    from bulletin.qa.html import check_page

    found = {name: check_page(page, name) for page, name in pages}
    with Axe() as axe:
        for page, name in pages:
            found[name] += axe.check(page, name)
        return found, {"chromium": axe.chromium, "axe-core": axe.axe_core}


def _check_pdfs(
    pdfs: Sequence[tuple[Path, str]],
) -> tuple[dict[str, list[CheckResult]], dict[str, str]]:
    from bulletin.qa.pdf import check_pdf

    return {name: check_pdf(pdf, name) for pdf, name in pdfs}, {}
