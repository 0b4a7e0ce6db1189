"""QA (axe): axe-core in Debian's Chromium, driven by Playwright, on every HTML page.

The browser is the system one (`/usr/bin/chromium`; a browser is never downloaded) and is
launched once for all the pages of a run. axe-core is the copy bundled with
axe-playwright-python. Every violation of the WCAG 2.0, 2.1 and 2.2 A and AA rules and of
the best-practice rules fails; the Chromium and axe-core versions go into the manifest.
The same browser prints a page with the print stylesheet (`printed`), for the PDF's
reading-order check.

Chromium's profile lives in the process's temporary folder under the cache, like every
temporary file (`bulletin.core.atomic.private_temp`), but Chromium itself is given the
system's temporary folder: it puts a Unix socket there, whose path may not be longer than
107 characters, which a folder deep in a project can exceed. Chromium reads only the
published pages, never pupil-level data.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from bulletin.core.atomic import system_temp
from bulletin.qa.results import CheckResult, Result, passed

if TYPE_CHECKING:
    from bulletin.qa.pdf import PrintedPage

CHECK = "axe"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)
#: In a page printed with only the print stylesheet, every <details> open (WeasyPrint shows
#: their content): the text of <main>, and its headings shown.
PRINTED = """(css) => {
  document.querySelectorAll('link[rel~="stylesheet"], style').forEach((e) => e.remove());
  const style = document.createElement("style");
  style.textContent = css;
  document.head.append(style);
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const main = document.querySelector("main") || document.body;
  const headings = [...main.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .filter((h) => h.checkVisibility())
    .map((h) => [Number(h.tagName[1]), h.innerText]);
  return { text: main.innerText, headings: headings };
}"""
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")


class Axe:
    """One Chromium for many pages: `with Axe() as axe: axe.check(page, name)`."""

    def __init__(self) -> None:
        self.chromium = ""
        self.axe_core = ""
        self._playwright: Any = None
        self._browser: Any = None

    def __enter__(self) -> Axe:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=list(CHROMIUM_ARGS),
                env={**os.environ, "TMPDIR": system_temp()},
            )
        except Exception:
            self._playwright.stop()
            raise
        self.chromium = str(self._browser.version)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._browser.close()
        self._playwright.stop()

    def check(self, page_file: Path, name: str) -> list[CheckResult]:
        """Every axe violation on one page (a local file), one result each."""
        page = self.new_page()
        try:
            page.goto(page_file.resolve().as_uri())
            return self.check_open(page, name)
        finally:
            page.close()

    def new_page(self) -> Any:
        """A new tab of the browser (a Playwright page), for a page served over HTTP."""
        return self._browser.new_page()

    def check_open(self, page: Any, name: str) -> list[CheckResult]:
        """Every axe violation on a page open in a tab, as it is now, one result each."""
        from axe_playwright_python.sync_playwright import Axe as AxeRunner

        # only the violations are reported in full: on a long page this halves the time
        options = {
            "runOnly": {"type": "tag", "values": list(TAGS)},
            "resultTypes": ["violations"],
        }
        response: dict[str, Any] = AxeRunner().run(page, options=options).response
        self.axe_core = str(response["testEngine"]["version"])
        results = [
            CheckResult(
                CHECK,
                Result.FAIL,
                f"{name}: {v['id']} ({v['impact']}): {v['help']}; "
                + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5]),
                str(v.get("helpUrl", "")),
            )
            for v in response["violations"]
        ]
        return results or [passed(CHECK, f"{name}: no violations ({', '.join(TAGS)})")]

    def printed(self, page_file: Path, css: str) -> PrintedPage:
        """The page (a local file) as printed with the stylesheet `css` instead of its own:
        the text of its <main> and its headings (`bulletin.qa.pdf.reading_order`)."""
        from bulletin.qa.pdf import PrintedPage

        page = self._browser.new_page()
        try:
            page.goto(page_file.resolve().as_uri())
            page.emulate_media(media="print")
            found: dict[str, Any] = page.evaluate(PRINTED, css)
        finally:
            page.close()
        headings = tuple((int(level), str(text)) for level, text in found["headings"])
        return PrintedPage(str(found["text"]), headings)

    def check_all(self, pages: Sequence[tuple[Path, str]]) -> list[CheckResult]:
        return [r for page, name in pages for r in self.check(page, name)]
