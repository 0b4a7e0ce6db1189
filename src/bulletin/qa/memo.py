"""QA (memo): a page or PDF that passed every check is not checked again unchanged.

axe-core on a national-scale page takes seconds, and after a change to one publication's
prose every other page is byte for byte what passed before. `Memo` remembers the results
of each file that passed (never a failure), keyed by the file's bytes, the bytes of what it
loads or is checked against (a page's stylesheets and images, a PDF's print page and
print stylesheet), its name in the site, the QA code and the tools that check it, so that
the QA stage checks only the files that changed. The same goes for the cheaper checks of
one file each (`remembered`): the prose lint of a template, the guidance checks of a
spreadsheet. As `Pipeline.check` does for the public data, only a pass is remembered.
The most recently used `KEEP` entries are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib.metadata import version
from pathlib import Path

from bulletin.core.atomic import atomic_write_text, discard
from bulletin.core.cache import code_digest, file_sha256
from bulletin.qa.results import CheckResult, Result

KEEP = 200
#: What checks a file besides our code: these libraries (Jinja2 reads the templates for the
#: prose lint, lxml the spreadsheets) and the browser.
LIBRARIES = ("playwright", "axe-playwright-python", "pikepdf", "pdfua", "Jinja2", "lxml")
BROWSER = Path("/usr/lib/chromium/chromium")


class Memo:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._code: dict[str, str] = {}  # code digests, read once for the memo's many keys

    def key(
        self,
        kind: str,
        path: Path,
        name: str,
        also: Sequence[Path] = (),
        code: Sequence[str] = (),
    ) -> str:
        """The key of `path`'s results, checked as `name`, with the bytes of the files in
        `also`, in order (a missing one counts as missing; where they are does not count),
        and the code of the modules in `code` beside the QA code."""
        parts = [kind, name, file_sha256(path), _tools()]
        parts += [file_sha256(extra) if extra.is_file() else "missing" for extra in also]
        for module in code:
            if module not in self._code:
                self._code[module] = code_digest(module)
        parts += [self._code[module] for module in code]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def get(self, key: str) -> tuple[list[CheckResult], dict[str, str]] | None:
        """The results and tool versions remembered under `key`, or None."""
        path = self.folder / f"{key}.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            results = [
                CheckResult(r["check"], Result(r["result"]), r["message"], r["guidance"])
                for r in record["results"]
            ]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used
        return results, dict(record.get("tools", {}))

    def put(self, key: str, results: Sequence[CheckResult], tools: Mapping[str, str]) -> None:
        """Remember `results` under `key` when none failed."""
        if any(r.result is Result.FAIL for r in results):
            return
        record = {"results": [r.as_dict() for r in results], "tools": dict(tools)}
        atomic_write_text(self.folder / f"{key}.json", json.dumps(record, sort_keys=True))

    def prune(self) -> None:
        entries = sorted(
            self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True
        )
        for old in entries[KEEP:]:
            discard(old)


def remembered(
    store: Memo | None,
    kind: str,
    path: Path,
    name: str,
    check: Callable[[], list[CheckResult]],
    code: Sequence[str] = (),
) -> list[CheckResult]:
    """`check()` of one file, `path` (checked as `name`), unless it passed before unchanged,
    with the same `code` (the modules it runs outside `bulletin.qa`): then what it said
    then. Without a `store`, `check()`."""
    if store is None:
        return check()
    key = store.key(kind, path, name, code=code)
    known = store.get(key)
    if known is not None:
        return known[0]
    results = check()
    store.put(key, results, {})
    return results


@cache
def _tools() -> str:
    """The QA code, the checking libraries' versions and the browser's file."""
    libraries = [f"{name}=={version(name)}" for name in LIBRARIES]
    with contextlib.suppress(OSError):
        st = BROWSER.stat()
        libraries.append(f"chromium:{st.st_size}:{st.st_mtime_ns}")
    return "\0".join([code_digest("bulletin.qa"), *libraries])
