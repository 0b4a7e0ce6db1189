"""QA (results): what every check returns, so that all failures are listed together.

A check never raises for a problem it finds: it returns `CheckResult`s (PASS, WARNING or
FAIL, with a message saying where and guidance saying how to fix it). The build stops
when any result is a FAIL, listing every one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Result(StrEnum):
    PASS = "pass"
    WARNING = "warning"
    FAIL = "fail"


@dataclass(frozen=True, order=True)
class CheckResult:
    check: str  # which check: "axe", "pdf", "pdfua", "prose", "html", "weasyprint"
    result: Result
    message: str  # what was found, and where (file, line, page or element)
    guidance: str = ""  # how to fix it
    quote: str = ""  # the source line quoted, with a caret under the column (a template's)

    def __str__(self) -> str:
        text = f"{self.result.upper()} [{self.check}] {self.message}"
        if self.quote:
            text += f"\n{self.quote}"
        return (
            f"{text}\n    {self.guidance}" if self.guidance and self.result != Result.PASS else text
        )

    def as_dict(self) -> dict[str, Any]:
        return {k: str(v) for k, v in asdict(self).items()}


def passed(check: str, message: str) -> CheckResult:
    return CheckResult(check, Result.PASS, message)


def failures(results: Iterable[CheckResult]) -> list[CheckResult]:
    return [r for r in results if r.result is Result.FAIL]


class QAError(Exception):
    """Blocking QA checks failed; carries every result, so all failures are shown at once."""

    def __init__(self, results: Sequence[CheckResult]) -> None:
        self.results = tuple(results)
        failed = failures(self.results)
        lines = [f"{len(failed)} QA check(s) failed:", *(str(r) for r in failed)]
        super().__init__("\n".join(lines))


def summary(results: Sequence[CheckResult]) -> dict[str, int]:
    return {r.value: sum(1 for x in results if x.result is r) for r in Result}
