"""QA (accessible formats): each format checked by its real validator, and the numbers
manifest read back from it.

| format | checked by |
|---|---|
| large print | the PDF checks of `bulletin.qa.pdf` (tags, language, title, bookmarks, scopes, `pdfua check` with every rule); the smallest font size on any page, read from the content streams; every word inside the page, as poppler's `pdftotext -bbox` places it |
| docx | python-docx: title, language, heading styles, header rows, row headers, alt text; every manifest sentence, tables read cell by cell; pandoc back to plain text: every printed number in order, every sentence of the prose in place |
| odt | odfdo: title, language, headings, header rows, alt text restored; every manifest sentence |
| epub | Debian's epubcheck (0 errors, 0 warnings), DAISY Ace on Debian's Chromium (0 violations), the page list; every manifest sentence |
| text | every manifest sentence |
| braille | 40 cells a line, 25 lines a page, each page numbered; liblouis back-translation of the whole file: every manifest sentence |
| audio | opusinfo: the length, and a chapter for each section, in order, each within it; the speech engine's text: every manifest number in its sentence or table row (long tables, summarised, exempt) |

"Every manifest sentence" means: each entry of the numbers manifest
(`bulletin.render.numbers`) has its sentence, with its number, in the format's text, in the
manifest's order. A table cell's sentence is its row header, its column header and its text
(`cell_sentence`): the linear formats write cells so, and in Word, OpenDocument and EPUB the
cells are read from the real table.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bulletin.qa.results import CheckResult, Result, passed
from bulletin.render.formats.document import Document, Figure, Heading, Table
from bulletin.render.numbers import cell_sentence

Entry = Mapping[str, Any]
SHOWN = 5  # missing sentences named in a failure
MIN_FONT_SIZE = 16.0  # points: the large-print promise
EDGE = 10 / 25.4 * 72  # points: no word of the large print closer than 10 mm to the edge
ACE_VERSION = "1.4.6"


def _fail(check: str, message: str, guidance: str = "") -> CheckResult:
    return CheckResult(check, Result.FAIL, message, guidance)


# -- the numbers manifest, read back -------------------------------------------------------


def missing_sentences(
    text: str, entries: Sequence[Entry], fold: Callable[[str], str] = lambda s: s
) -> list[Entry]:
    """The entries whose sentence is not in `text` in the manifest's order (an entry may
    share its sentence with the one before). `fold` normalises both sides."""
    body = fold(text)
    missing: list[Entry] = []
    at = 0
    for entry in entries:
        found = body.find(fold(entry["sentence"]), at)
        if found < 0:
            missing.append(entry)
        else:
            at = found
    return missing


def manifest_result(
    check: str, name: str, text: str, entries: Sequence[Entry], fold: Callable[[str], str] = str
) -> CheckResult:
    missing = missing_sentences(text, entries, fold if fold is not str else (lambda s: s))
    if missing:
        shown = _first_sentences(missing)
        return _fail(
            check,
            f"{name}: {len(missing)} of {len(entries)} numbers of the manifest are not in "
            f"their sentence, in order: {shown}",
            "Every printed number must be in each format, in the sentence it stands in.",
        )
    return passed(
        check, f"{name}: all {len(entries)} numbers of the manifest, each in its sentence"
    )


def _first_sentences(entries: Sequence[Entry]) -> str:
    """The sentences of the first `SHOWN` entries, for a failure's message."""
    return "; ".join(repr(e["sentence"]) for e in entries[:SHOWN])


def _verdict(check: str, name: str, problems: Sequence[str], summary: str) -> list[CheckResult]:
    """A failure for each problem found in the file `name`, or one pass saying `summary`."""
    return [_fail(check, f"{name}: {p}") for p in problems] or [passed(check, f"{name}: {summary}")]


def _alt_text_problems(alts: Sequence[object], figures: Sequence[object]) -> list[str]:
    """The images' alt text, read back, against the figures', in reading order."""
    if list(alts) == list(figures):
        return []
    return [f"alt text of {len(alts)} images is not the {len(figures)} figures'"]


def _words(text: str) -> str:
    return " ".join(text.split())


# -- text ----------------------------------------------------------------------------------


def check_text(path: Path, doc: Document, entries: Sequence[Entry]) -> list[CheckResult]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return [_fail("text", f"{path.name}: not UTF-8: {exc}")]
    results = [manifest_result("text", path.name, text, entries)]
    headings = [b for b in doc.blocks if isinstance(b, Heading)]
    marked = [f"{'#' * h.level} {h.text}" for h in headings]
    lines = set(text.splitlines())
    unmarked = [m for m in marked if m not in lines]
    results.append(
        _fail("text", f"{path.name}: headings not marked: {unmarked[:SHOWN]}")
        if unmarked
        else passed("text", f"{path.name}: UTF-8; all {len(marked)} headings marked")
    )
    return results


# -- Word ------------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_reading(path: Path) -> str:
    """The text of a .docx in reading order: paragraphs, and tables cell by cell."""
    import docx

    document = docx.Document(str(path))
    parts: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            rows = [[_words(c.text) for c in row.cells] for row in item.rows]
            parts += _cells(rows)
        else:
            parts.append(_words(item.text))
    return "\n".join(parts)


def _cells(rows: Sequence[Sequence[str]]) -> list[str]:
    """A table's body cells as sentences: row header, column header, text."""
    if not rows:
        return []
    head, *body = rows
    return [
        cell_sentence(row[0], col, text)
        for row in body
        for col, text in zip(head[1:], row[1:], strict=False)
    ]


def check_docx(path: Path, doc: Document, entries: Sequence[Entry]) -> list[CheckResult]:
    import docx

    document = docx.Document(str(path))
    problems: list[str] = []
    props = document.core_properties
    if props.title != doc.title:
        problems.append(f"title {props.title!r}")
    if props.language != doc.lang:
        problems.append(f"language {props.language!r}")
    want = [(h.level - 1, h.text) for h in doc.blocks if isinstance(h, Heading) and h.level > 1]
    got = [
        (int(p.style.name.removeprefix("Heading ")), _words(p.text))
        for p in document.paragraphs
        if p.style is not None and re.fullmatch(r"Heading \d", p.style.name or "")
    ]
    if got != want:
        problems.append(f"headings {got[:3]}... are not the publication's {want[:3]}...")
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    if len(document.tables) != len(tables):
        problems.append(f"{len(document.tables)} tables for {len(tables)}")
    for table, model in zip(document.tables, tables, strict=False):
        first = table.rows[0]._tr
        header = first.trPr is not None and first.trPr.find(f"{W}tblHeader") is not None
        look = table._tbl.tblPr.find(f"{W}tblLook")
        if not header or look is None or look.get(f"{W}firstColumn") != "1":
            problems.append(f"table {model.caption[:40]!r} lacks its header row or row headers")
        if [_words(c.text) for c in table.rows[0].cells] != list(model.headers):
            problems.append(f"table {model.caption[:40]!r} has other column headers")
    alts = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    problems += _alt_text_problems(alts, [b.alt for b in doc.blocks if isinstance(b, Figure)])
    results = _verdict(
        "docx",
        path.name,
        problems,
        f"title, language, {len(want)} heading styles, {len(tables)} tables with header rows "
        f"and row headers, {len(alts)} images with their alt text",
    )
    results.append(manifest_result("docx", path.name, docx_reading(path), entries))
    return results + docx_as_text(path, doc, entries)


def docx_as_text(path: Path, doc: Document, entries: Sequence[Entry]) -> list[CheckResult]:
    """pandoc reads the .docx back as plain text: every printed number in order, and the
    sentences of the prose (not of tables) whole; a chart's caption, which pandoc's plain
    text leaves out, is read by python-docx (`check_docx`)."""
    from bulletin.render.formats.pandoc import executable

    run = subprocess.run(
        [executable(), str(path), "--from=docx", "--to=plain", "--wrap=none"],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        return [_fail("docx", f"{path.name}: pandoc could not read it: {run.stderr.strip()}")]
    text = _words(run.stdout)
    captions = [b.caption for b in doc.blocks if isinstance(b, Figure)]
    shown = [e for e in entries if not any(e["sentence"] in c for c in captions)]
    numbers = [dict(e, sentence=e["text"]) for e in shown]
    prose = [e for e in shown if "table" not in e]
    missing = missing_sentences(text, numbers) + missing_sentences(text, prose)
    if missing:
        named = _first_sentences(missing)
        return [_fail("docx", f"{path.name}: read back by pandoc, {len(missing)} missing: {named}")]
    return [
        passed(
            "docx",
            f"{path.name}: read back by pandoc as text: {len(numbers)} numbers in order "
            f"(all but {len(entries) - len(numbers)} in chart captions), {len(prose)} sentences "
            "of prose whole",
        )
    ]


# -- OpenDocument ------------------------------------------------------------------------------


def odt_reading(document: Any) -> str:
    """The text of an odfdo document's body in reading order, tables cell by cell."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag
        if tag == "table:table":
            rows = [
                [_words(cell.text_recursive) for cell in row.get_cells()]
                for row in element.get_rows()
            ]
            parts.extend(_cells(rows))
        elif tag in {"text:p", "text:h"}:
            parts.append(_words(element.text_recursive))
        else:
            for child in element.children:
                walk(child)

    walk(document.body)
    return "\n".join(parts)


def check_odt(path: Path, doc: Document, entries: Sequence[Entry]) -> list[CheckResult]:
    import odfdo

    document = odfdo.Document(str(path))
    problems: list[str] = []
    if document.meta.get_title() != doc.title:
        problems.append(f"title {document.meta.get_title()!r}")
    if document.meta.get_language() != doc.lang:
        problems.append(f"language {document.meta.get_language()!r}")
    want = [(h.level - 1, h.text) for h in doc.blocks if isinstance(h, Heading) and h.level > 1]
    got = [(int(h.level), _words(h.text_recursive)) for h in document.body.get_headers()]
    if got != want:
        problems.append(f"headings {got[:3]}... are not the publication's {want[:3]}...")
    tables = document.body.get_tables()
    headed = [t for t in tables if t.get_element("table:table-header-rows") is not None]
    if len(headed) != sum(isinstance(b, Table) for b in doc.blocks):
        problems.append(f"{len(headed)} tables with a header row, of {len(tables)}")
    frames = [f for f in document.body.get_frames() if f.get_element("draw:image") is not None]
    alts = [(f.svg_title, f.svg_description) for f in frames]
    problems += _alt_text_problems(
        alts, [(b.alt, b.alt) for b in doc.blocks if isinstance(b, Figure)]
    )
    results = _verdict(
        "odt",
        path.name,
        problems,
        f"title, language, {len(want)} headings, {len(headed)} tables with header rows, "
        f"{len(frames)} images with their alt text (svg:title, svg:desc)",
    )
    return [*results, manifest_result("odt", path.name, odt_reading(document), entries)]


# -- EPUB ----------------------------------------------------------------------------------------


def epub_reading(path: Path) -> str:
    """The text of an EPUB's spine in order, tables cell by cell."""
    from lxml import etree, html  # type: ignore[import-untyped]

    parts: list[str] = []
    with zipfile.ZipFile(path) as archive:
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
        ns = {"o": "http://www.idpf.org/2007/opf"}
        hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//o:manifest/o:item", ns)}
        for ref in opf.iterfind(".//o:spine/o:itemref", ns):
            page = html.fromstring(archive.read(f"EPUB/{hrefs[ref.get('idref')]}"))
            parts += list(_xhtml_reading(page))
    return "\n".join(parts)


def _xhtml_reading(element: Any) -> Iterator[str]:
    tag = str(element.tag).rpartition("}")[2]
    if tag == "table":
        rows = [
            [_words(c.text_content()) for c in tr if str(c.tag).endswith(("th", "td"))]
            for tr in element.iter("{*}tr", "tr")
        ]
        caption = element.find("{*}caption")
        if caption is None:
            caption = element.find("caption")
        if caption is not None:
            yield _words(caption.text_content())
        yield from _cells(rows)
    elif tag in {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "dt", "dd"}:
        yield _words(element.text_content())
    else:
        for child in element:
            if isinstance(child.tag, str):
                yield from _xhtml_reading(child)


def check_epub(
    path: Path, doc: Document, entries: Sequence[Entry], work: Path
) -> list[CheckResult]:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:  # two programs that wait on themselves
        checked = pool.submit(epubcheck, path)
        aced = pool.submit(ace, path, work)
        results = [*checked.result(), *aced.result()]
    results.append(page_list(path, doc))
    results.append(manifest_result("epub", path.name, epub_reading(path), entries))
    return results


def epubcheck_jar() -> Path | None:
    found = shutil.which("epubcheck")
    return Path(found).resolve() if found else None


def epubcheck(path: Path) -> list[CheckResult]:
    """Debian's epubcheck, by `java -jar` (its command is a jar run through binfmt, which
    may not be set up), with the JIT's quick tier only: it starts twice as fast."""
    jar = epubcheck_jar()
    if jar is None or shutil.which("java") is None:
        return [
            _fail(
                "epubcheck",
                f"{path.name}: epubcheck or java is not installed",
                "Run ./run setup, which installs Debian's epubcheck.",
            )
        ]
    report = path.with_name(f".{path.name}.epubcheck.json")
    command = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(jar)]
    run = subprocess.run(
        [*command, str(path), "--json", str(report)], capture_output=True, text=True, check=False
    )
    try:
        messages = json.loads(report.read_text(encoding="utf-8")).get("messages", [])
    except (OSError, ValueError):
        return [_fail("epubcheck", f"{path.name}: epubcheck gave no report: {run.stderr[-300:]}")]
    finally:
        report.unlink(missing_ok=True)
    bad = [m for m in messages if m.get("severity") in {"FATAL", "ERROR", "WARNING"}]
    if bad or run.returncode != 0:
        return [
            _fail("epubcheck", f"{path.name}: {m['severity']} {m.get('ID')}: {m.get('message')}")
            for m in bad
        ] or [_fail("epubcheck", f"{path.name}: exit code {run.returncode}")]
    return [passed("epubcheck", f"{path.name}: epubcheck: 0 errors, 0 warnings")]


def ace_program() -> Path:
    """Where set-up installs DAISY Ace: beside the virtual environment's Python."""
    return Path(sys.prefix) / "ace" / "node_modules" / ".bin" / "ace-cli"


def ace(path: Path, work: Path) -> list[CheckResult]:
    """DAISY Ace (`@daisy/ace-cli`, installed by set-up), on Debian's Chromium."""
    import os

    program, chromium = ace_program(), shutil.which("chromium")
    if not program.is_file() or chromium is None:
        return [
            _fail(
                "ace",
                f"{path.name}: DAISY Ace or Chromium is not installed ({program})",
                "Run ./run setup, which installs @daisy/ace-cli (no browser download).",
            )
        ]
    out = work / "ace"
    env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=chromium)
    run = subprocess.run(
        [str(program), "--silent", "--force", "--outdir", str(out), str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    try:
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [
            _fail(
                "ace",
                f"{path.name}: Ace gave no report ({run.returncode}): "
                f"{(run.stderr or run.stdout)[-300:]}",
            )
        ]
    violations = [
        (
            a["earl:test"]["dct:title"],
            a["earl:test"]["earl:impact"],
            a["earl:result"]["dct:description"],
        )
        for group in report.get("assertions", [])
        for a in group.get("assertions", [])
        if a.get("earl:result", {}).get("earl:outcome") == "fail"
    ]
    if violations:
        return [
            _fail("ace", f"{path.name}: {rule} ({impact}): {text}")
            for rule, impact, text in violations
        ]
    version = report.get("earl:assertedBy", {}).get("doap:release", {}).get("doap:revision", "?")
    return [passed("ace", f"{path.name}: DAISY Ace {version}: 0 violations")]


def page_list(path: Path, doc: Document) -> CheckResult:
    with zipfile.ZipFile(path) as archive:
        nav = archive.read("EPUB/nav.xhtml").decode("utf-8")
    pages = re.findall(r'#page-(\d+)">', nav.partition('epub:type="page-list"')[2])
    if [int(p) for p in pages] != list(range(1, doc.pages + 1)):
        return _fail("epub", f"{path.name}: the page list has {len(pages)} of {doc.pages} pages")
    return passed("epub", f"{path.name}: a page list of the PDF's {doc.pages} pages")


# -- braille -------------------------------------------------------------------------------------

BRF_DIGITS = "JABCDEFGHI"  # a braille digit is a letter after the number sign


def braille_page_number(number: int) -> str:
    return "#" + "".join(BRF_DIGITS[int(d)] for d in str(number))


def brf_pages(brf: str) -> list[list[str]]:
    pages = brf.split("\f")
    if pages and pages[-1] == "":
        pages.pop()
    out = []
    for page in pages:
        lines = page.split("\r\n")
        if lines and lines[-1] == "":
            lines.pop()
        out.append(lines)
    return out


def check_braille(
    path: Path, entries: Sequence[Entry], cells: int = 40, rows: int = 25
) -> list[CheckResult]:
    try:
        brf = path.read_bytes().decode("ascii")
    except UnicodeDecodeError:
        return [_fail("braille", f"{path.name}: not ASCII braille")]
    pages = brf_pages(brf)
    problems = []
    text_lines: list[str] = []
    for number, lines in enumerate(pages, start=1):
        if len(lines) > rows or (number < len(pages) and len(lines) != rows):
            problems.append(f"page {number} has {len(lines)} lines, not {rows}")
        long = [line for line in lines if len(line) > cells]
        if long:
            problems.append(f"page {number} has a line of {len(long[0])} cells: {long[0]!r}")
        mark = braille_page_number(number)
        if (
            not lines
            or not lines[-1].endswith(mark)
            or lines[-1][: -len(mark)][-1:] not in ("", " ")
        ):
            problems.append(f"page {number} does not end with its page number {mark}")
        else:
            text_lines += [*lines[:-1], lines[-1][: -len(mark)]]
        if any(ch != " " and not 0x20 <= ord(ch) <= 0x5F for line in lines for ch in line):
            problems.append(f"page {number} holds a character that is not BRF")
    summary = f"{len(pages)} pages of at most {rows} lines of at most {cells} cells, each numbered"
    results = _verdict("braille", path.name, problems[:SHOWN], summary)
    back = back_translate([line.strip() for line in text_lines if line.strip()])
    return [*results, braille_manifest(path.name, back, entries)]


def back_translate(lines: Sequence[str], table: str = "en-us-brf.dis,en-ueb-g2.ctb") -> str:
    """BRF lines back to print with liblouis, as one text: lines are joined into chunks
    (a braille indicator may run over a line end) of at most 400 cells, which liblouis's
    buffer takes whole; a backslash (a braille cell) is escaped for lou_translate."""
    chunks = [""]
    for line in lines:
        if len(chunks[-1]) + len(line) > 400:
            chunks.append("")
        chunks[-1] = f"{chunks[-1]} {line}".strip()
    source = "\n".join(c.replace("\\", "\\\\") for c in chunks) + "\n"
    run = subprocess.run(
        ["lou_translate", "--backward", table],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0 or run.stderr.strip():
        raise RuntimeError(f"lou_translate failed: {run.stderr.strip()[:300]}")
    return _words(run.stdout)


def _braille_fold(text: str) -> str:
    """What braille cannot carry: capitals are marked, not kept, in a capitals passage
    that liblouis back-translates in small letters; curly quotes come back straight."""
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def round_trips(sentences: Iterable[str]) -> dict[str, str]:
    """Each sentence translated to braille and back by liblouis alone."""
    unique = sorted(set(sentences))
    source = "\n".join(unique) + "\n"
    forward = subprocess.run(
        ["lou_translate", "--forward", "en-ueb-g2.ctb"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    back = subprocess.run(
        ["lou_translate", "--backward", "en-ueb-g2.ctb"],
        input=forward.replace("\\", "\\\\"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(zip(unique, back.splitlines(), strict=True))


def braille_manifest(name: str, back: str, entries: Sequence[Entry]) -> CheckResult:
    """Every manifest sentence in the back-translation, in order. A sentence that liblouis
    itself does not translate back to the same words (`round_trips`: "Bedford" comes back
    "B○d") is looked for as liblouis gives it back, and named."""
    missing = missing_sentences(back, entries, _braille_fold)
    if not missing:
        return passed(
            "braille",
            f"{name}: back-translated, all {len(entries)} numbers of the "
            "manifest, each in its sentence",
        )
    trips = round_trips(e["sentence"] for e in missing)
    lossy = {s: b for s, b in trips.items() if _braille_fold(b) != _braille_fold(s)}
    swapped = [dict(e, sentence=lossy.get(e["sentence"], e["sentence"])) for e in entries]
    still = missing_sentences(back, swapped, _braille_fold)
    if still:
        shown = _first_sentences(still)
        return _fail(
            "braille",
            f"{name}: {len(still)} of {len(entries)} numbers of the manifest "
            f"are not in their sentence, back-translated: {shown}",
        )
    named = "; ".join(f"{s!r} -> {b!r}" for s, b in sorted(lossy.items())[:SHOWN])
    return passed(
        "braille",
        f"{name}: back-translated, all {len(entries)} numbers of the manifest "
        f"in their sentence; {len(lossy)} sentences as liblouis itself "
        f"translates them back: {named}",
    )


# -- large print -----------------------------------------------------------------------------------


def check_large_print(path: Path) -> list[CheckResult]:
    from bulletin.qa.pdf import pdf_checks

    results, _ = pdf_checks(path, path.name)
    sizes = font_sizes(path)
    smallest = min(sizes) if sizes else 0.0
    results.append(
        passed("large-print", f"{path.name}: the smallest text is {smallest:.1f} pt")
        if smallest >= MIN_FONT_SIZE - 0.01
        else _fail(
            "large-print",
            f"{path.name}: text at {smallest:.1f} pt, under {MIN_FONT_SIZE:g} pt "
            f"({sizes[smallest]} runs)",
            "Large print is 16 pt or larger.",
        )
    )
    results.append(words_inside(path))
    return results


def font_sizes(path: Path) -> dict[float, int]:
    """How many text-showing operations use each font size (points, rounded to 0.1), on
    every page and in every form the pages draw: the size set by Tf, scaled by the text
    matrix and the current transformation matrix."""
    import pikepdf

    counts: dict[float, int] = {}

    def run(content: Any, resources: Any, ctm: tuple[float, ...]) -> None:
        stack: list[tuple[float, ...]] = []
        tm: tuple[float, ...] = (1, 0, 0, 1, 0, 0)
        size = 0.0
        for instruction in pikepdf.parse_content_stream(content):
            operands, op = instruction.operands, str(instruction.operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q" and stack:
                ctm = stack.pop()
            elif op == "cm":
                ctm = _times(tuple(float(x) for x in operands), ctm)
            elif op == "BT":
                tm = (1, 0, 0, 1, 0, 0)
            elif op == "Tm":
                tm = tuple(float(x) for x in operands)
            elif op == "Tf":
                size = float(operands[1])
            elif op in {"Tj", "TJ", "'", '"'} and _shows_text(operands):
                m = _times(tm, ctm)
                scaled = round(size * (m[2] ** 2 + m[3] ** 2) ** 0.5, 1)
                counts[scaled] = counts.get(scaled, 0) + 1
            elif op == "Do":
                xobject = resources.get("/XObject", {}).get(str(operands[0]))
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    matrix = tuple(float(x) for x in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                    run(xobject, xobject.get("/Resources", resources), _times(matrix, ctm))

    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            run(page, page.obj.get("/Resources", {}), (1, 0, 0, 1, 0, 0))
    return counts


def _shows_text(operands: Any) -> bool:
    import pikepdf

    for operand in operands:
        if isinstance(operand, pikepdf.Array):
            if any(isinstance(x, pikepdf.String) and bytes(x) for x in operand):
                return True
        elif isinstance(operand, pikepdf.String) and bytes(operand):
            return True
    return False


def _times(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The product of two PDF matrices [a b c d e f]: m then n."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def words_inside(path: Path) -> CheckResult:
    """Every word inside the page, at least `EDGE` from its left and right edges, as
    poppler places it: a table too wide for the page would run off it."""
    run = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        return _fail("large-print", f"{path.name}: pdftotext failed: {run.stderr.strip()}")
    outside = []
    width = height = 0.0
    for line in run.stdout.splitlines():
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if page:
            width, height = float(page[1]), float(page[2])
            continue
        word = re.search(
            r'xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*)</word>', line
        )
        if word:
            x0, y0, x1, y1 = (float(word[i]) for i in range(1, 5))
            if x0 < EDGE or x1 > width - EDGE or y0 < 0 or y1 > height:
                outside.append(word[5])
    if outside:
        return _fail(
            "large-print", f"{path.name}: {len(outside)} words run off the page: {outside[:SHOWN]}"
        )
    return passed("large-print", f"{path.name}: every word inside the page's margins")


# -- audio -----------------------------------------------------------------------------------------


def opus_info(path: Path) -> tuple[float, dict[str, str]]:
    """The playback length (seconds) and the comments of an Ogg Opus file, by opusinfo."""
    run = subprocess.run(["opusinfo", str(path)], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise ValueError(run.stderr.strip() or run.stdout.strip())
    length = re.search(r"Playback length:\s*(?:(\d+)h:)?(\d+)m:([\d.]+)s", run.stdout)
    if length is None:
        raise ValueError(f"no playback length in: {run.stdout[-300:]}")
    seconds = int(length[1] or 0) * 3600 + int(length[2]) * 60 + float(length[3])
    comments = dict(
        line.strip().split("=", 1)
        for line in run.stdout.splitlines()
        if line.startswith("\t") and "=" in line
    )
    return seconds, comments


def chapters(comments: Mapping[str, str]) -> list[tuple[float, str]]:
    """The chapter marks of Vorbis comments: (start in seconds, name), in order."""
    found = []
    for n in range(1, 1000):
        start = comments.get(f"CHAPTER{n:03d}")
        if start is None:
            break
        h, m, s = start.split(":")
        found.append(
            (int(h) * 3600 + int(m) * 60 + float(s), comments.get(f"CHAPTER{n:03d}NAME", ""))
        )
    return found


def check_audio(path: Path, titles: Sequence[str], seconds: float) -> list[CheckResult]:
    """The file's length is the speech's (`seconds`, within 0.1 s), and it has a chapter
    for each section (`titles`, as said), in order, each starting inside it."""
    try:
        length, comments = opus_info(path)
    except ValueError as exc:
        return [_fail("audio", f"{path.name}: opusinfo could not read it: {exc}")]
    marks = chapters(comments)
    problems = []
    if abs(length - seconds) > 0.1:
        problems.append(f"it plays for {length:.2f} s, not the speech's {seconds:.2f} s")
    if [name for _, name in marks] != list(titles):
        problems.append(f"its chapters {[n for _, n in marks]} are not the sections {list(titles)}")
    starts = [start for start, _ in marks]
    if starts != sorted(set(starts)) or not starts or starts[0] != 0 or starts[-1] >= length:
        problems.append(f"its chapter starts {starts} are not in order inside its length")
    if problems:
        return [_fail("audio", f"{path.name}: {p}") for p in problems]
    minutes = f"{int(length // 60)} min {length % 60:.0f} s"
    return [passed("audio", f"{path.name}: {minutes}, {len(marks)} chapters, one a section")]


def audio_manifest(name: str, doc: Document, entries: Sequence[Entry]) -> CheckResult:
    """Every manifest entry in what the speech engine is given (`audio.script`), in order:
    a sentence of the prose as said (`spoken`); a table cell in its row, after its column
    header. A cell of a table too long to read out (`LONG_TABLE` rows) is exempt: the
    recording says where the whole table is."""
    from bulletin.render.formats.audio import LONG_TABLE, script, spoken, value

    said = "\n".join(chapter.text for chapter in script(doc))
    long = {b.id for b in doc.blocks if isinstance(b, Table) and len(b.rows) > LONG_TABLE}
    rows = said.splitlines()
    prose = [dict(e, sentence=spoken(e["sentence"])) for e in entries if "table" not in e]
    missing = missing_sentences(said, prose)
    exempt = 0
    for entry in (e for e in entries if "table" in e):
        if entry["table"] in long:
            exempt += 1
            continue
        start = f"{spoken(entry['row'])}. "
        cell = f"{spoken(entry['column'])}: {value(entry['text'])}."
        if not any(line.startswith(start) and cell in line for line in rows):
            missing.append(entry)
    if missing:
        shown = _first_sentences(missing)
        return _fail(
            "audio",
            f"{name}: {len(missing)} numbers of the manifest are not said in "
            f"their sentence or row: {shown}",
        )
    return passed(
        "audio",
        f"{name}: all {len(entries) - exempt} numbers of the manifest said in "
        f"their sentence or table row ({exempt} cells of long tables, "
        "summarised, exempt)",
    )


# -- all of them -------------------------------------------------------------------------------


def check(
    name: str, path: Path, doc: Document, entries: Sequence[Entry], work: Path
) -> list[CheckResult]:
    """Every check of the format `name` (see the module doc) on its file `path`, made from
    `doc` in the folder `work` (which the checks may also use)."""
    if name == "large-print":
        return check_large_print(path)
    if name == "docx":
        return check_docx(path, doc, entries)
    if name == "odt":
        return check_odt(path, doc, entries)
    if name == "epub":
        return check_epub(path, doc, entries, work)
    if name == "text":
        return check_text(path, doc, entries)
    if name == "braille":
        return check_braille(path, entries)
    if name == "audio":
        import wave

        from bulletin.render.formats.audio import WHOLE, script

        with wave.open(str(work / WHOLE), "rb") as speech:
            seconds = speech.getnframes() / speech.getframerate()
        chapters = [c.title for c in script(doc)]
        return [*check_audio(path, chapters, seconds), audio_manifest(path.name, doc, entries)]
    raise ValueError(f"no checks for the format {name}")
