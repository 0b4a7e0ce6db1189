"""QA (PDF): the machine-checkable part of PDF/UA-1 on every PDF.

Our own checks with pikepdf (tagged structure, marked content, language, title shown,
PDF/UA identifier in the XMP metadata, bookmarks, alt text on every Figure, table headers
tagged as TH), then the `pdfua` checker with `--certain-only`. We say "tagged, checked
against the machine-checkable part of PDF/UA-1", never "PDF/UA conformant".
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bulletin.qa.results import CheckResult, Result, passed

CHECK = "pdf"


def check_pdf(path: Path, name: str) -> list[CheckResult]:
    """Our PDF/UA checks, then `pdfua check --certain-only`, on one PDF."""
    problems = structure_problems(path)
    results = [
        CheckResult(CHECK, Result.FAIL, f"{name}: {problem}", guidance)
        for problem, guidance in problems
    ] or [
        passed(
            CHECK,
            f"{name}: tagged, language, title, PDF/UA-1 identifier, bookmarks, alt text, table headers",
        )
    ]
    return results + pdfua(path, name)


def structure_problems(path: Path) -> list[tuple[str, str]]:
    import pikepdf

    found: list[tuple[str, str]] = []

    def need(ok: bool, problem: str, guidance: str) -> None:
        if not ok:
            found.append((problem, guidance))

    with pikepdf.open(path) as pdf:
        root = pdf.Root
        tagged = "/StructTreeRoot" in root
        need(tagged, "no structure tree (not tagged)", 'Render with pdf_variant="pdf/ua-1".')
        mark = root.get("/MarkInfo")
        need(
            mark is not None and bool(mark.get("/Marked", False)),
            "MarkInfo/Marked is not true",
            'Render with pdf_variant="pdf/ua-1".',
        )
        need(bool(str(root.get("/Lang", ""))), "no document language", 'Set <html lang="en-GB">.')
        prefs = root.get("/ViewerPreferences")
        need(
            prefs is not None and bool(prefs.get("/DisplayDocTitle", False)),
            "the title is not shown (DisplayDocTitle)",
            'Render with pdf_variant="pdf/ua-1".',
        )
        need(
            bool(str(pdf.docinfo.get("/Title", ""))),
            "no document title",
            "Give the page a <title>.",
        )
        with pdf.open_metadata() as xmp:
            need(
                xmp.get("pdfuaid:part") in ("1", "2"),
                "no PDF/UA identifier in the XMP metadata",
                'Render with pdf_variant="pdf/ua-1".',
            )
        outlines = root.get("/Outlines")
        need(
            outlines is not None and "/First" in outlines,
            "no bookmarks",
            "Use headings (h1 to h3): WeasyPrint makes them bookmarks.",
        )
        elements = list(_elements(root.StructTreeRoot.get("/K"))) if tagged else []
        types = [str(e.get("/S")) for e in elements]
        for element in elements:
            if str(element.get("/S")) == "/Figure" and not str(element.get("/Alt", "")):
                found.append(("a Figure has no alt text", "Give every <img> an alt text."))
        need(
            "/Table" not in types or "/TH" in types,
            "a table has no tagged header cells (TH)",
            'Use <th scope="col"> and <th scope="row"> for headers.',
        )
    return found


def pdfua(path: Path, name: str) -> list[CheckResult]:
    """`pdfua check --certain-only` from this environment: every finding fails."""
    exe = Path(sys.executable).with_name("pdfua")
    run = subprocess.run(
        [str(exe), "check", "--certain-only", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report: dict[str, Any] = json.loads(run.stdout)
    except ValueError:
        return [
            CheckResult("pdfua", Result.FAIL, f"{name}: pdfua did not run: {run.stderr.strip()}")
        ]
    results = [
        CheckResult(
            "pdfua",
            Result.FAIL,
            f"{name}: {f['rule_id']} ({f.get('location', '')}): {f['message']}",
            str(f.get("remediation", "")),
        )
        for f in report.get("findings", [])
    ]
    if run.returncode != 0 and not results:
        results.append(
            CheckResult("pdfua", Result.FAIL, f"{name}: pdfua exit code {run.returncode}")
        )
    return results or [passed("pdfua", f"{name}: pdfua check --certain-only passes")]


def _elements(node: Any, seen: set[tuple[int, int]] | None = None) -> Iterator[Any]:
    """Every structure element under `node`, each once."""
    import pikepdf

    seen = set() if seen is None else seen
    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from _elements(kid, seen)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        yield node
        if "/K" in node:
            yield from _elements(node.K, seen)
