"""QA (axe): axe-core in Debian's Chromium, driven by Playwright, on every HTML page.

The browser is the system one (`/usr/bin/chromium`; a browser is never downloaded) and is
launched once for all the pages of a run. axe-core is the copy bundled with
axe-playwright-python. Every violation of the WCAG 2.0, 2.1 and 2.2 A and AA rules and of
the best-practice rules fails; the Chromium and axe-core versions go into the manifest.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from bulletin.qa.results import CheckResult, Result, passed

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
                executable_path=CHROMIUM, args=list(CHROMIUM_ARGS)
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
        from axe_playwright_python.sync_playwright import Axe as AxeRunner

        page = self._browser.new_page()
        try:
            page.goto(page_file.resolve().as_uri())
            # only the violations are reported in full: on a long page this halves the time
            options = {
                "runOnly": {"type": "tag", "values": list(TAGS)},
                "resultTypes": ["violations"],
            }
            response: dict[str, Any] = AxeRunner().run(page, options=options).response
        finally:
            page.close()
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

    def check_all(self, pages: Sequence[tuple[Path, str]]) -> list[CheckResult]:
        return [r for page, name in pages for r in self.check(page, name)]
