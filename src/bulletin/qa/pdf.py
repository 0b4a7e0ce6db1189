"""QA (PDF): the machine-checkable part of PDF/UA-1 on every PDF, and its reading order.

Our own checks with pikepdf: tagged structure, marked content, language, title shown,
PDF/UA identifier in the XMP metadata, alt text on every Figure, table headers tagged as
TH, each with a /Scope. Then, from the structure tree with the text of each element
(`structure_tree`, the text a screen reader follows): no empty heading (pdfua 0.1.3 cannot
check one on a WeasyPrint file); bookmarks that are the headings, in order, nested by level;
and, given the HTML the PDF was made from (its print page), the same headings and the same
text in the same order (`reading_order`). Last, `pdfua check` with all its rules: any error or warning
fails. We say "tagged, checked against the machine-checkable part of PDF/UA-1", never
"PDF/UA conformant".
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.qa.results import CheckResult, Result, passed

CHECK = "pdf"
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")
SCOPES = ("/Row", "/Column", "/Both")
#: Rules pdfua reports as skipped that we check ourselves, and why it skips them
#: (docs/accessibility.md has the evidence).
PDFUA_SKIPS = {
    "UA-14-001": "pdfua 0.1.3 fails on WeasyPrint's files with a bug of its own "
    "('/is_integer' on an array); our empty-heading check replaces it",
}
#: Structure elements whose text the reading-order check leaves out: a Figure's content is
#: the image (its /Alt is read instead, and checked above); a list label is generated.
UNREAD = ("Figure", "Lbl", "Artifact")
CONTEXT = 40  # characters of text shown either side of a difference


@dataclass(frozen=True)
class Node:
    """One element of the structure tree (`structure_tree`); a run of text (one
    marked-content sequence) is a Node of kind "" with its text."""

    kind: str
    text: str = ""
    children: tuple[Node, ...] = ()

    def all_text(self) -> str:
        """The text of the element, its runs joined by spaces (a run ends at a line end)."""
        runs = [self.text, *(child.all_text() for child in self.children)]
        return " ".join(run for run in runs if run.strip())

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class PrintedPage:
    """What a page shows when printed with the print stylesheet: the text of its `<main>`
    and its headings (level, text), in order (`bulletin.qa.axe.Axe.printed`)."""

    text: str
    headings: tuple[tuple[int, str], ...]


def check_pdf(path: Path, name: str, page: PrintedPage | None = None) -> list[CheckResult]:
    """Every check on one PDF; with `page` (the HTML it was made from, as printed), the
    reading order too."""
    results, tree = pdf_checks(path, name)
    return results + (reading_order(tree, page, name) if page is not None else [])


def pdf_checks(path: Path, name: str) -> tuple[list[CheckResult], Node]:
    """The checks of one PDF that need no browser, and its structure tree (for
    `reading_order`). They run another program (pdfua) for seconds, so a caller
    may run them on a thread beside the browser."""
    pdfua_run = pdfua_started(path)  # pdfua runs while pikepdf reads the file here
    try:
        problems = structure_problems(path)
        tree = structure_tree(path)
        problems += heading_problems(tree, bookmarks(path))
    except BaseException:
        pdfua_run.kill()
        pdfua_run.communicate()
        raise
    results = [
        CheckResult(CHECK, Result.FAIL, f"{name}: {problem}", guidance)
        for problem, guidance in problems
    ] or [
        passed(
            CHECK,
            f"{name}: tagged, language, title, PDF/UA-1 identifier, alt text, table headers "
            "with scope, headings not empty, bookmarks that are the headings",
        )
    ]
    return results + pdfua(path, name, pdfua_run), tree


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
        elements = list(structure_elements(root.StructTreeRoot.get("/K"))) if tagged else []
        types = [str(e.get("/S")) for e in elements]
        for element in elements:
            kind = str(element.get("/S"))
            if kind in ("/Figure", "/Formula") and not str(element.get("/Alt", "")):
                found.append((f"a {kind[1:]} has no alt text", "Give every <img> an alt text."))
        need(
            "/Table" not in types or "/TH" in types,
            "a table has no tagged header cells (TH)",
            'Use <th scope="col"> and <th scope="row"> for headers.',
        )
        unscoped = sum(1 for e in elements if str(e.get("/S")) == "/TH" and _scope(e) not in SCOPES)
        need(
            not unscoped,
            f"{unscoped} table header cells (TH) have no /Scope",
            "Render with bulletin.render.pdf.write_pdf, which gives each TH its HTML scope.",
        )
        found += _file_problems(pdf, types)
    return found


def _file_problems(pdf: Any, types: Sequence[str]) -> list[tuple[str, str]]:
    """The PDF/UA-1 rules pdfua does not check that a program can: standard structure types
    (7.1, 7.2), tab order of annotations (7.18.3), no encryption
    that bars assistive technology (7.16), no optional content, embedded files or XFA forms
    (7.10, 7.11, 7.15), every font embedded with a ToUnicode map (7.21.4.1, 7.21.7)."""
    found: list[tuple[str, str]] = []
    role_map = pdf.Root.StructTreeRoot.get("/RoleMap", {}) if types else {}
    odd = sorted({t for t in types if t not in STANDARD_TYPES and t not in role_map})
    if odd:
        found.append((f"structure types neither standard nor role-mapped: {', '.join(odd)}", ""))
    for number, page in enumerate(pdf.pages, start=1):
        if "/Annots" in page.obj and str(page.obj.get("/Tabs", "")) != "/S":
            found.append((f"page {number} has annotations but no /Tabs /S (tab order)", ""))
    for key, what in (
        ("/OCProperties", "optional content"),
        ("/AcroForm", "a form"),
        ("/Names/EmbeddedFiles", "embedded files"),
    ):
        first, _, second = key[1:].partition("/")
        holder = pdf.Root.get(f"/{first}")
        if holder is not None and (not second or f"/{second}" in holder):
            found.append((f"the PDF holds {what} ({key}), which nothing here makes", ""))
    if pdf.is_encrypted:
        found.append(("the PDF is encrypted", ""))
    for font, where in _fonts(pdf):
        descriptor = _descriptor(font)
        kind = str(font.get("/Subtype", ""))
        if kind != "/Type3" and not any(
            k in (descriptor or {}) for k in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            found.append((f"a font is not embedded: {font.get('/BaseFont', '?')} ({where})", ""))
        if "/ToUnicode" not in font:
            found.append(
                (f"a font has no ToUnicode map: {font.get('/BaseFont', '?')} ({where})", "")
            )
    guidance = "Render with bulletin.render.pdf.write_pdf (WeasyPrint, PDF/UA-1)."
    return [(problem, guidance) for problem, _ in found]


#: The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4).
_STANDARD = """Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private P H
H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference
BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form"""
#: The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4).
STANDARD_TYPES = frozenset("/" + t for t in _STANDARD.split())


def _fonts(pdf: Any) -> Iterator[tuple[Any, str]]:
    """Every font the pages use, each once, with where it was found (page, form XObject)."""
    import pikepdf

    seen: set[tuple[int, int]] = set()

    def walk(resources: Any, where: str) -> Iterator[tuple[Any, str]]:
        if not isinstance(resources, pikepdf.Dictionary):
            return
        for font in resources.get("/Font", {}).values():
            if font.is_indirect and font.objgen in seen:
                continue
            if font.is_indirect:
                seen.add(font.objgen)
            yield font, where
        for xobject in resources.get("/XObject", {}).values():
            if xobject.is_indirect and xobject.objgen in seen:
                continue
            if xobject.is_indirect:
                seen.add(xobject.objgen)
            if xobject.get("/Subtype") == "/Form":
                yield from walk(xobject.get("/Resources"), f"{where}, a form XObject")

    for number, page in enumerate(pdf.pages, start=1):
        yield from walk(page.obj.get("/Resources"), f"page {number}")


def _descriptor(font: Any) -> Any:
    """A font's descriptor; for a composite (Type0) font, its descendant's."""
    if font.get("/Subtype") == "/Type0":
        return font.DescendantFonts[0].get("/FontDescriptor")
    return font.get("/FontDescriptor")


def structure_tree(path: Path) -> Node:
    """The structure tree with its text, read in one pass with pikepdf: each page's content
    stream is walked once, the text shown inside each marked-content sequence gathered by
    its MCID (decoded through its font's ToUnicode map), and hung on the structure element
    that names that MCID. A text run is one marked-content sequence, as poppler's
    `pdfinfo -struct-text` prints it; the tests check the two readings agree. Poppler
    reads each element's text separately, in time that grows with the square of the
    elements on a page (5.7 CPU-seconds on the national data and analysis PDF, against
    under one here)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        pages = {page.obj.objgen: page for page in pdf.pages}
        texts: dict[tuple[int, int], dict[int, str]] = {}

        def text_of(page: Any, mcid: int) -> str:
            if page is None or not page.is_indirect or page.objgen not in pages:
                return ""
            if page.objgen not in texts:
                texts[page.objgen] = _marked_text(pages[page.objgen])
            return texts[page.objgen].get(mcid, "")

        def element(item: Any, page: Any) -> Node | None:
            if isinstance(item, int):
                return Node("", text_of(page, item))
            if not isinstance(item, pikepdf.Dictionary):
                return None
            if item.get("/Type") == "/MCR":
                return Node("", text_of(item.get("/Pg", page), int(item.MCID)))
            if item.get("/Type") == "/OBJR":
                return None
            page = item.get("/Pg", page)
            kids = item.get("/K")
            items = kids if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
            children = (element(kid, page) for kid in items)
            return Node(
                str(item.get("/S", ""))[1:], children=tuple(c for c in children if c is not None)
            )

        root = pdf.Root.get("/StructTreeRoot")
        top = root.get("/K") if root is not None else None
        items = top if isinstance(top, pikepdf.Array) else [] if top is None else [top]
        found = (element(item, None) for item in items)
        return Node("", children=tuple(n for n in found if n))


#: The operators that show text, and which of their operands holds it.
_SHOW = {"Tj": 0, "'": 0, '"': 2, "TJ": 0}


def _marked_text(page: Any) -> dict[int, str]:
    """The text shown in each marked-content sequence of a page, by MCID, form XObjects
    included: decoded through each font's ToUnicode map; a new text line (a line move, or
    a text matrix that changes the vertical position) starts a new line of the text."""
    found: dict[int, list[str]] = {}
    _gather(page.obj, [], found, set())
    return {mcid: "".join(parts).strip("\n") for mcid, parts in found.items()}


def _gather(
    holder: Any, marks: list[int | None], found: dict[int, list[str]], drawing: set[Any]
) -> None:
    """Gather the text of one content stream (a page's or a form XObject's, `holder`)
    into `found`, by MCID. `marks` holds the MCID of each marked-content sequence open
    where the stream is drawn; `drawing`, the form XObjects being drawn (a form that draws
    itself is not followed)."""
    import pikepdf

    resources = holder.get("/Resources", {})
    fonts = resources.get("/Font", {})
    decoders: dict[str, _Decoder] = {}
    font: _Decoder | None = None
    saved: list[_Decoder | None] = []
    line: float | None = None  # the vertical position of the current text line
    depth = len(marks)
    for instruction in pikepdf.parse_content_stream(holder):
        operands, op = instruction.operands, str(instruction.operator)
        mcid = next((m for m in reversed(marks) if m is not None), None)
        if op == "BDC":
            properties = operands[1]
            if isinstance(properties, pikepdf.Name):
                properties = resources.get("/Properties", {}).get(properties)
            number = properties.get("/MCID") if isinstance(properties, pikepdf.Dictionary) else None
            marks.append(int(number) if number is not None else None)
        elif op == "BMC":
            marks.append(None)
        elif op == "EMC" and len(marks) > depth:
            marks.pop()
        elif op == "q":
            saved.append(font)
        elif op == "Q" and saved:
            font = saved.pop()
        elif op == "Tf":
            name = str(operands[0])
            if name not in decoders:
                decoders[name] = _Decoder(fonts.get(name))
            font = decoders[name]
        elif op in ("Tm", "Td", "TD", "T*"):
            y = float(operands[5]) if op == "Tm" else None
            moved = op == "T*" or (op in ("Td", "TD") and float(operands[1]) != 0)
            if mcid in found and (moved or (y is not None and y != line)):
                found[mcid].append("\n")
            if op == "Tm":
                line = y
        elif op in _SHOW and font is not None and mcid is not None:
            shown = operands[_SHOW[op]]
            strings = shown if isinstance(shown, pikepdf.Array) else [shown]
            found.setdefault(mcid, []).extend(
                font.decode(bytes(s)) for s in strings if isinstance(s, pikepdf.String)
            )
        elif op == "Do":
            form = resources.get("/XObject", {}).get(operands[0])
            if form is not None and form.get("/Subtype") == "/Form" and form.objgen not in drawing:
                drawing.add(form.objgen)
                _gather(form, marks, found, drawing)
                drawing.discard(form.objgen)
    del marks[depth:]


class _Decoder:
    """A font's character codes to Unicode, through its ToUnicode CMap (bfchar and bfrange
    entries, PDF 1.7 9.10.3): two-byte codes for a composite (Type0) font, one-byte
    otherwise; a code the map does not name is left out."""

    def __init__(self, font: Any) -> None:
        self.width = 2 if font is not None and font.get("/Subtype") == "/Type0" else 1
        self.map: dict[int, str] = {}
        cmap = font.get("/ToUnicode") if font is not None else None
        if cmap is not None:
            self._read(cmap.read_bytes().decode("latin-1"))

    def _read(self, cmap: str) -> None:
        def text(hexes: str) -> str:
            return bytes.fromhex(hexes).decode("utf-16-be", errors="replace")

        for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
            for code, value in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
                self.map[int(code, 16)] = text(value)
        for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
            for low, high, value in re.findall(
                r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])", block
            ):
                start, end = int(low, 16), int(high, 16)
                if value.startswith("["):
                    for offset, each in enumerate(re.findall(r"<([0-9a-fA-F]*)>", value)):
                        self.map[start + offset] = text(each)
                else:
                    first = bytes.fromhex(value[1:-1])
                    base, size = int.from_bytes(first, "big"), len(first)
                    for offset in range(end - start + 1):
                        code = (base + offset).to_bytes(size, "big")
                        self.map[start + offset] = code.decode("utf-16-be", errors="replace")

    def decode(self, data: bytes) -> str:
        w = self.width
        codes = (int.from_bytes(data[i : i + w], "big") for i in range(0, len(data) - w + 1, w))
        return "".join(self.map.get(code, "") for code in codes)


def bookmarks(path: Path) -> list[tuple[int, str]]:
    """The bookmarks (outline), in order: (depth from 1, title)."""
    import pikepdf

    found: list[tuple[int, str]] = []

    def walk(items: Any, depth: int) -> None:
        for item in items:
            found.append((depth, _words(str(item.title))))
            walk(item.children, depth + 1)

    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        walk(outline.root, 1)
    return found


def headings(tree: Node) -> list[tuple[int, str]]:
    """The heading elements (H1 to H6) of the structure tree, in order: (level, text)."""
    return [(int(n.kind[1]), _words(n.all_text())) for n in tree.walk() if n.kind in HEADINGS]


def outline_depths(levels: Sequence[int]) -> list[int]:
    """The depth each heading's bookmark should have: one more than the nearest heading
    before it of a higher level (a lower number), 1 when there is none."""
    open_levels: list[int] = []  # levels of the headings enclosing the current one
    depths = []
    for level in levels:
        while open_levels and open_levels[-1] >= level:
            open_levels.pop()
        open_levels.append(level)
        depths.append(len(open_levels))
    return depths


def heading_problems(tree: Node, marks: Sequence[tuple[int, str]]) -> list[tuple[str, str]]:
    """No heading is empty; the bookmarks are the headings, in order, nested by level."""
    tagged = headings(tree)
    found = [
        (
            f"an empty heading (H{level}"
            + (f", after the heading {tagged[i - 1][1]!r})" if i else ", the first heading)"),
            "Give every heading text, or make it a paragraph.",
        )
        for i, (level, text) in enumerate(tagged)
        if not text
    ]
    named = [(level, text) for level, text in tagged if text]  # an empty one has no bookmark
    expected = list(
        zip(outline_depths([level for level, _ in named]), (t for _, t in named), strict=True)
    )
    first = _first_mismatch(marks, expected)
    if first is not None:
        found.append(
            (
                f"the bookmarks are not the headings: bookmark {first + 1} is "
                f"{_at(marks, first)}, the heading is {_at(expected, first)} (depth, text)",
                "WeasyPrint makes a bookmark of each h1 to h6; do not set bookmark-level.",
            )
        )
    return found


def reading_order(tree: Node, page: PrintedPage, name: str) -> list[CheckResult]:
    """The PDF's main content (its Part elements) reads as the `<main>` of the HTML it was
    made from does, printed: the same headings, and the same text in the same order. Text is compared
    without its whitespace (a line break in the PDF ends a text run with no space). A
    table that runs over pages is one Table per page in the PDF, each with the header row
    again: a Table with no caption that follows the last one with no text between, and
    starts with the same header row, is read without it."""
    results: list[CheckResult] = []
    main = Node("", children=tuple(n for n in tree.walk() if n.kind == "Part"))
    tagged, shown = headings(main), [(level, _words(text)) for level, text in page.headings]
    first = _first_mismatch(tagged, shown)
    if first is not None:
        results.append(
            CheckResult(
                "reading-order",
                Result.FAIL,
                f"{name}: the PDF's headings are not its HTML's: heading {first + 1} is "
                f"{_at(tagged, first)} in the PDF, {_at(shown, first)} in the HTML (level, text)",
                "The PDF must tag each h1 to h6 of the HTML as H1 to H6.",
            )
        )
    pdf_text = " ".join(_read_text(tree))
    difference = _first_difference(pdf_text, page.text)
    if difference is not None:
        in_pdf, in_page = difference
        results.append(
            CheckResult(
                "reading-order",
                Result.FAIL,
                f"{name}: the PDF's tags read differently from its HTML: "
                f"the PDF reads {in_pdf!r} where the HTML reads {in_page!r}",
                "Keep the print layout in the order of the HTML: no CSS that moves content "
                "(flex or grid order, floats, positioning).",
            )
        )
    words = len(pdf_text.split())
    return results or [
        passed(
            "reading-order",
            f"{name}: the tags read as its HTML does ({len(tagged)} headings, {words} words)",
        )
    ]


def _read_text(tree: Node) -> list[str]:
    """The text runs of the PDF's Part elements, in tag order, as a screen reader reads
    them: no Figure content, no list label, no repeated header row (see `reading_order`)."""
    runs: list[str] = []
    last_header: str | None = None  # the last table's header row, while no text follows it

    def visit(node: Node, inside: bool) -> None:
        nonlocal last_header
        if node.kind in UNREAD:
            return
        inside = inside or node.kind == "Part"
        if node.kind == "Table":
            head = next((c for c in node.children if c.kind == "THead"), None)
            header = _compact(head.all_text()) if head else None
            repeated = (
                head is not None
                and header == last_header
                and not any(c.kind == "Caption" for c in node.children)
            )
            for child in node.children:
                if not (repeated and child is head):
                    visit(child, inside)
            last_header = header
            return
        if inside and _compact(node.text):
            runs.append(node.text)
            last_header = None
        for child in node.children:
            visit(child, inside)

    visit(tree, False)
    return runs


def _first_difference(one: str, two: str) -> tuple[str, str] | None:
    """Where `one` and `two` first differ, whitespace aside: the text of each from a little
    before that point, or None when they are the same."""
    a, b = _compact_map(one), _compact_map(two)
    if a[0] == b[0]:
        return None
    at = next((i for i, (x, y) in enumerate(zip(a[0], b[0], strict=False)) if x != y), None)
    at = min(len(a[0]), len(b[0])) if at is None else at

    def around(text: str, positions: list[int]) -> str:
        start = positions[max(at - CONTEXT // 2, 0)] if positions else 0
        end = positions[at] + CONTEXT if at < len(positions) else len(text)
        return ("..." if start else "") + _words(text[start:end])

    return around(one, a[1]), around(two, b[1])


def _first_mismatch(one: Sequence[tuple[int, str]], two: Sequence[tuple[int, str]]) -> int | None:
    """The first place where two lists of (number, text) differ, whitespace aside."""
    keys = [[(n, _compact(text)) for n, text in items] for items in (one, two)]
    if keys[0] == keys[1]:
        return None
    pairs = enumerate(zip(*keys, strict=False))
    return next((i for i, (x, y) in pairs if x != y), min(len(one), len(two)))


def _compact_map(text: str) -> tuple[str, list[int]]:
    """`text` without whitespace, and where each of its characters was in `text`."""
    positions = [i for i, c in enumerate(text) if not c.isspace()]
    return "".join(text[i] for i in positions), positions


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _words(text: str) -> str:
    return " ".join(text.split())


def _at(items: Sequence[tuple[int, str]], i: int) -> str:
    return repr(items[i]) if i < len(items) else "nothing"


def pdfua(path: Path, name: str, started: subprocess.Popen[str] | None = None) -> list[CheckResult]:
    """`pdfua check` with all its rules (see `pdfua_results`); `started`, its run on `path`
    if it was started already (`pdfua_started`)."""
    try:
        report, exit_code = pdfua_report(path, started)
    except ValueError as exc:
        return [CheckResult("pdfua", Result.FAIL, f"{name}: pdfua did not run: {exc}")]
    return pdfua_results(report, exit_code, name)


def pdfua_started(path: Path) -> subprocess.Popen[str]:
    """`pdfua check --format json` with all its rules, from this environment, started on
    `path` (`pdfua_report` reads what it says); its structure tree built once
    (`bulletin.qa.pdfua_once`: the same findings, a third of the time on long tables)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bulletin.qa.pdfua_once", "check", "--format", "json", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def pdfua_report(
    path: Path, started: subprocess.Popen[str] | None = None
) -> tuple[dict[str, Any], int]:
    """pdfua's report on `path` and its exit code (from its run `started`, or a new run);
    ValueError, with what it said, when it gave no report."""
    run = started if started is not None else pdfua_started(path)
    stdout, stderr = run.communicate()
    try:
        report: dict[str, Any] = json.loads(stdout)
    except ValueError:
        raise ValueError(stderr.strip() or f"exit code {run.returncode}") from None
    return report, run.returncode


def pdfua_results(report: dict[str, Any], exit_code: int, name: str) -> list[CheckResult]:
    """What pdfua's JSON report means for us: an error or a warning fails, an info finding
    warns; a rule it could not run fails, unless we check that rule ourselves
    (`PDFUA_SKIPS`); an exit code it documents for no finding passes."""
    results = [
        CheckResult(
            "pdfua",
            Result.WARNING if f.get("severity") == "info" else Result.FAIL,
            f"{name}: {f['rule_id']} ({f.get('location', '')}): {f['message']}",
            str(f.get("remediation", "")),
        )
        for f in report.get("findings", [])
    ]
    skipped = {s["rule_id"]: str(s.get("reason", "")) for s in report.get("skipped", [])}
    results += [
        CheckResult(
            "pdfua",
            Result.FAIL,
            f"{name}: pdfua could not run {rule}: {reason}",
            "Check this rule another way, and record how in docs/accessibility.md.",
        )
        for rule, reason in sorted(skipped.items())
        if rule not in PDFUA_SKIPS
    ]
    if exit_code not in (0, 1) and not results:
        results.append(CheckResult("pdfua", Result.FAIL, f"{name}: pdfua exit code {exit_code}"))
    ours = sorted(rule for rule in skipped if rule in PDFUA_SKIPS)
    note = f" ({', '.join(ours)} skipped by pdfua, checked by ours)" if ours else ""
    return results or [passed("pdfua", f"{name}: pdfua check (all rules) finds nothing{note}")]


def _scope(element: Any) -> str:
    """The /Scope of a TH's table attributes (/A: one dictionary, or an array of them)."""
    import pikepdf

    attributes = element.get("/A")
    items = attributes if isinstance(attributes, pikepdf.Array) else [attributes]
    for item in items:
        if isinstance(item, pikepdf.Dictionary) and str(item.get("/O", "")) == "/Table":
            return str(item.get("/Scope", ""))
    return ""


def structure_elements(node: Any, seen: set[tuple[int, int]] | None = None) -> Iterator[Any]:
    """Every structure element under `node`, each once."""
    import pikepdf

    seen = set() if seen is None else seen
    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from structure_elements(kid, seen)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        if node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        yield node
        if "/K" in node:
            yield from structure_elements(node.K, seen)
