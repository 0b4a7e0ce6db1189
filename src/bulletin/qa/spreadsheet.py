"""QA (spreadsheets): each ODS against the Analysis Function's spreadsheet guidance.

"Releasing statistics in spreadsheets" asks for: a cover sheet, a contents sheet and a
notes sheet; one table per sheet with its title in cell A1; no merged cells; no blank rows
or columns inside a table; header rows marked; numbers stored as numbers with a number
format, and symbols explained; sheet names that say what a sheet holds. Each item is a
check here (``ods:<item>``), reading the file's XML with lxml, independently of the code
that wrote it. Also checked: the document's title and language, no hidden rows or
columns, and no cell that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import functools
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.qa.results import CheckResult, Result

if TYPE_CHECKING:
    from bulletin.qa.memo import Memo

T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
S = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
XL = "{http://www.w3.org/1999/xlink}"
DC = "{http://purl.org/dc/elements/1.1/}"
FIRST_SHEETS = ("Cover", "Contents", "Notes")
GENERIC = re.compile(r"(sheet|table|tab|page)_?\d*", re.IGNORECASE)
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,30}")
SYMBOLS = ("c", "x", "z", "low", "u")
NUMBER = re.compile(r"[−-]?[\d,]+(\.\d+)?")
NOTE = re.compile(r"\[note (\d+)\]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TOO_MANY = 1000  # a repeated empty cell or row beyond this is the sheet's empty tail


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str  # office:value-type: "string", "float"... ("" for an empty cell)
    style: str
    link: str = ""
    spanned: bool = False
    formula: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: tuple[int, ...]  # 0-based indices of the rows in table:table-header-rows
    hidden: bool

    def text(self, row: int, column: int) -> str:
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column].text
        return ""

    def texts(self) -> str:
        return "\n".join(c.text for r in self.rows for c in r)


@dataclass(frozen=True)
class Book:
    label: str
    sheets: tuple[Sheet, ...]
    data_styles: frozenset[str]  # cell styles that carry a number format
    ranges: tuple[tuple[str, str, bool], ...]  # (name, address, contains header)
    title: str
    language: str

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    @property
    def tables(self) -> tuple[Sheet, ...]:
        return tuple(s for s in self.sheets if s.name not in FIRST_SHEETS)


def read_book(path: Path, label: str) -> Book:
    from lxml import etree  # type: ignore[import-untyped]

    with zipfile.ZipFile(path) as archive:
        content = etree.fromstring(archive.read("content.xml"))
        meta = etree.fromstring(archive.read("meta.xml"))
    data_styles = frozenset(
        style.get(f"{S}name", "")
        for style in content.iter(f"{S}style")
        if style.get(f"{S}data-style-name")
    )
    sheets = tuple(_sheet(table) for table in content.iter(f"{T}table"))
    ranges = tuple(
        (
            r.get(f"{T}name", ""),
            r.get(f"{T}target-range-address", ""),
            r.get(f"{T}contains-header") == "true",
        )
        for r in content.iter(f"{T}database-range")
    )
    title = (
        "".join(meta.find(f".//{DC}title").itertext())
        if meta.find(f".//{DC}title") is not None
        else ""
    )
    lang = meta.find(f".//{DC}language")
    return Book(label, sheets, data_styles, ranges, title, "" if lang is None else lang.text or "")


def _sheet(table: Any) -> Sheet:
    rows: list[tuple[Cell, ...]] = []
    header: list[int] = []
    hidden = any(
        c.get(f"{T}visibility", "visible") != "visible"
        for c in table.iter(f"{T}table-column", f"{T}table-row")
    )
    for element in table.iter(f"{T}table-row"):
        in_header = element.getparent().tag == f"{T}table-header-rows"
        cells: list[Cell] = []
        for cell in element:
            if cell.tag not in (f"{T}table-cell", f"{T}covered-table-cell"):
                continue
            found = _cell(cell)
            repeat = int(cell.get(f"{T}number-columns-repeated", "1"))
            if repeat > TOO_MANY and not found.text:
                break
            cells += [found] * repeat
        while cells and not cells[-1].text and not cells[-1].spanned:
            cells.pop()
        repeat = int(element.get(f"{T}number-rows-repeated", "1"))
        if repeat > TOO_MANY and not cells:
            break
        for _ in range(repeat):
            if in_header:
                header.append(len(rows))
            rows.append(tuple(cells))
    while rows and not rows[-1]:
        rows.pop()
    return Sheet(table.get(f"{T}name", ""), tuple(rows), tuple(header), hidden)


def _cell(cell: Any) -> Cell:
    text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{X}p"))
    link = next((a.get(f"{XL}href", "") for a in cell.iter(f"{X}a")), "")
    spanned = (
        cell.tag == f"{T}covered-table-cell"
        or int(cell.get(f"{T}number-columns-spanned", "1")) > 1
        or int(cell.get(f"{T}number-rows-spanned", "1")) > 1
    )
    return Cell(
        text,
        cell.get(f"{OFFICE}value-type", ""),
        cell.get(f"{T}style-name", ""),
        link,
        spanned,
        cell.get(f"{T}formula") is not None,
    )


# -- the checks -----------------------------------------------------------------------------

Outcome = tuple[Result, str]
ODS_CHECKS: list[tuple[str, Callable[[Book], Outcome]]] = []


def ods_check(name: str) -> Callable[[Callable[[Book], Outcome]], Callable[[Book], Outcome]]:
    def register(body: Callable[[Book], Outcome]) -> Callable[[Book], Outcome]:
        ODS_CHECKS.append((f"ods:{name}", body))
        return body

    return register


def _verdict(problems: Sequence[str], passed: str) -> Outcome:
    if problems:
        return Result.FAIL, "; ".join(problems)
    return Result.PASS, passed


@ods_check("cover_contents_notes")
def cover_contents_notes(book: Book) -> Outcome:
    """A cover sheet, a contents sheet and a notes sheet come first, then the tables."""
    names = tuple(s.name for s in book.sheets)
    problems = []
    if names[:3] != FIRST_SHEETS:
        problems.append(f"the first sheets are {names[:3]}, not {FIRST_SHEETS}")
    if not book.tables:
        problems.append("no table sheets")
    cover = book.sheet("Cover")
    if cover is not None and (not cover.text(0, 0) or len(cover.rows) < 2):
        problems.append("the cover sheet has no title in A1 and text below it")
    contents = book.sheet("Contents")
    if contents is not None:
        links = {c.link for r in contents.rows for c in r if c.link}
        missing = [s.name for s in book.sheets[2:] if f"#{s.name}.A1" not in links]
        if missing:
            problems.append(f"the contents sheet does not link to {', '.join(missing)}")
    notes = book.sheet("Notes")
    if notes is not None:
        numbers = [int(m.group(1)) for r in notes.rows if r and (m := NOTE.fullmatch(r[0].text))]
        if numbers != list(range(1, len(numbers) + 1)) or not numbers:
            problems.append(f"the notes are not numbered [note 1], [note 2]...: {numbers}")
        used = {int(n) for s in book.tables for n in NOTE.findall(s.texts())}
        if used - set(numbers):
            problems.append(
                f"tables refer to notes that do not exist: {sorted(used - set(numbers))}"
            )
    return _verdict(problems, "cover, contents (linking every sheet) and notes sheets first")


@ods_check("one_table_per_sheet")
def one_table_per_sheet(book: Book) -> Outcome:
    """Each table sheet holds one table, starting in column A below its text."""
    problems = []
    for sheet in book.tables:
        if len(sheet.header_rows) != 1:
            problems.append(f"{sheet.name}: {len(sheet.header_rows)} header rows, not one table")
            continue
        above = sheet.rows[: sheet.header_rows[0]]
        if any(len(r) > 1 for r in above):
            problems.append(f"{sheet.name}: the text above the table is not in column A alone")
        ranges = [r for r in book.ranges if r[1].startswith(f"{sheet.name}.")]
        if len(ranges) != 1:
            problems.append(f"{sheet.name}: {len(ranges)} table ranges, not one")
    return _verdict(problems, "one table on each table sheet")


@ods_check("title_in_a1")
def title_in_a1(book: Book) -> Outcome:
    """Each sheet has its title in cell A1."""
    bad = [s.name for s in book.sheets if not s.text(0, 0).strip()]
    return _verdict([f"{name}: no title in A1" for name in bad], "a title in A1 of every sheet")


@ods_check("no_merged_cells")
def no_merged_cells(book: Book) -> Outcome:
    """No merged cells anywhere."""
    bad = [s.name for s in book.sheets if any(c.spanned for r in s.rows for c in r)]
    return _verdict([f"{name}: merged cells" for name in bad], "no merged cells")


@ods_check("no_blank_rows_or_columns")
def no_blank_rows_or_columns(book: Book) -> Outcome:
    """No blank row, column or cell inside a table (a symbol stands for a missing value),
    and nothing hidden."""
    problems = []
    for sheet in book.sheets:
        if sheet.hidden:
            problems.append(f"{sheet.name}: hidden rows or columns")
        if not sheet.header_rows:
            continue
        first = sheet.header_rows[0]
        width = len(sheet.rows[first])
        for number, row in enumerate(sheet.rows[first:], start=first + 1):
            if len(row) != width or any(not c.text.strip() for c in row):
                problems.append(f"{sheet.name}: row {number} has a blank cell or another width")
                break
    return _verdict(problems, "no blank rows, columns or cells inside tables")


@ods_check("header_rows_marked")
def header_rows_marked(book: Book) -> Outcome:
    """Each table's header row is marked: as a header row, and as the header of a
    database range that covers the table."""
    problems = []
    for sheet in book.sheets:
        if sheet.name == "Cover":
            continue
        if not sheet.header_rows:
            problems.append(f"{sheet.name}: no header row marked")
            continue
        first = sheet.header_rows[0] + 1
        last = len(sheet.rows)
        wanted = re.compile(
            rf"{re.escape(sheet.name)}\.A{first}:{re.escape(sheet.name)}\.[A-Z]+{last}"
        )
        if not any(wanted.fullmatch(address) and header for _, address, header in book.ranges):
            problems.append(f"{sheet.name}: no database range A{first} to row {last} with a header")
        if any(not c.text.strip() for c in sheet.rows[sheet.header_rows[0]]):
            problems.append(f"{sheet.name}: a header cell is blank")
    return _verdict(problems, "header rows marked on every table")


@ods_check("numbers_and_symbols")
def numbers_and_symbols(book: Book) -> Outcome:
    """Numbers are stored as numbers, with a number format; a symbol in a column of
    numbers is a GSS symbol, explained on its sheet and in the notes."""
    problems = []
    notes = book.sheet("Notes")
    note_text = notes.texts() if notes else ""
    for sheet in book.tables:
        if len(sheet.header_rows) != 1:
            continue
        body = sheet.rows[sheet.header_rows[0] + 1 :]
        numeric = {i for row in body for i, c in enumerate(row) if c.kind == "float"}
        above = "\n".join(r[0].text for r in sheet.rows[: sheet.header_rows[0]] if r)
        for row in body:
            for i, c in enumerate(row):
                if c.kind == "float" and c.style not in book.data_styles:
                    problems.append(f"{sheet.name}: a number with no number format")
                elif i in numeric and c.kind != "float":
                    if NUMBER.fullmatch(c.text):
                        problems.append(f"{sheet.name}: the number {c.text} is stored as text")
                    elif c.text not in SYMBOLS:
                        problems.append(f"{sheet.name}: {c.text!r} in a column of numbers")
                    elif not (
                        re.search(rf"\b{re.escape(c.text)} means\b", above)
                        and re.search(rf"\b{re.escape(c.text)} means\b", note_text)
                    ):
                        problems.append(f"{sheet.name}: the symbol {c.text} is not explained")
    return _verdict(sorted(set(problems)), "numbers stored as numbers; symbols explained")


@ods_check("sheet_names")
def sheet_names(book: Book) -> Outcome:
    """Sheet names say what a sheet holds: letters, digits and underscores, 31 at most,
    no generic names such as Sheet1 or Table_2, no two alike."""
    names = [s.name for s in book.sheets]
    problems = [
        f"{n!r} is not a descriptive sheet name"
        for n in names
        if not NAME.fullmatch(n) or GENERIC.fullmatch(n)
    ]
    if len(set(names)) != len(names):
        problems.append("two sheets share a name")
    return _verdict(problems, "descriptive sheet names")


@ods_check("document_properties")
def document_properties(book: Book) -> Outcome:
    """The document has a title and a language."""
    problems = []
    if not book.title.strip():
        problems.append("no document title")
    if not book.language.strip():
        problems.append("no document language")
    return _verdict(problems, f"title and language ({book.language})")


@ods_check("no_formulas")
def no_formulas(book: Book) -> Outcome:
    """No formula, and no text that a spreadsheet would run as one (formula injection)."""
    problems = []
    for sheet in book.sheets:
        for row in sheet.rows:
            for c in row:
                if c.formula:
                    problems.append(f"{sheet.name}: a formula")
                elif c.kind == "string" and c.text.startswith(FORMULA_START):
                    problems.append(f"{sheet.name}: the text {c.text[:20]!r} starts a formula")
    return _verdict(sorted(set(problems)), "no formulas")


def check_ods(path: Path, label: str) -> list[CheckResult]:
    """Every guidance check on one spreadsheet."""
    try:
        book = read_book(path, label)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        return [CheckResult("ods:read", Result.FAIL, f"{label}: cannot read it: {exc}")]
    results = []
    for name, body in ODS_CHECKS:
        result, message = body(book)
        results.append(CheckResult(name, result, f"{label}: {message}", body.__doc__ or ""))
    return results


def check_site_spreadsheets(site: Path, memo: Memo | None = None) -> list[CheckResult]:
    """The guidance checks on every ODS of a built site (each one that passed before
    unchanged, with a `memo`, is not checked again): a PASS per check that passed on every
    spreadsheet, and every failure."""
    from bulletin.qa.memo import remembered

    books = sorted(site.rglob("*.ods"))
    results = []
    for path in books:
        name = path.relative_to(site).as_posix()
        results += remembered(
            memo, "spreadsheet", path, name, functools.partial(check_ods, path, name)
        )
    summary = [r for r in results if r.result is not Result.PASS]
    failing = {r.check for r in summary}
    for name, _ in ODS_CHECKS:
        if name not in failing:
            summary.append(CheckResult(name, Result.PASS, f"passed on {len(books)} spreadsheets"))
    return summary
