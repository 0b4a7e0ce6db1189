"""Tables (spreadsheet): one accessible OpenDocument spreadsheet (ODS) per publication.

It follows the Analysis Function's "Releasing statistics in spreadsheets": a cover sheet,
a contents sheet with a link to every sheet, a notes sheet, then one table per sheet with
its title in A1 and a few lines of text above it (what the sheet holds, its notes, its
source, the symbols it uses). A table starts in column A, has no merged cells and no
blank row or column; its header row is marked (as header rows, and as a database range
that contains a header). Numbers are stored as numbers with a number format that shows
them as the publication prints them; a symbol stands in a cell of its own, explained on
the sheet and in the notes. Sheet names say what a sheet holds. The header and cells of
each table are those of its CSV file, so the spreadsheet and the CSV agree cell for cell.

The document is built with odfdo; table rows are written straight into the document's
tree with lxml, because odfdo's table API is quadratic on long tables (toolchain-2.md).
The ZIP is deterministic (`bulletin.tables.archive`): fixed dates in the metadata and in
the ZIP, no thumbnail and no editor settings.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from bulletin.core.formatting import MINUS
from bulletin.core.spreadsheet import safe_cell
from bulletin.core.symbols import Symbol
from bulletin.tables.archive import zip_bytes
from bulletin.tables.model import Table

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
COVER, CONTENTS, NOTES = "Cover", "Contents", "Notes"
MAX_SHEET_NAME = 31  # the longest sheet name every spreadsheet program accepts
SHEET_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
ONE_TABLE = "This worksheet contains one table."


def q(name: str) -> str:
    """A qualified name such as table:table-row in lxml's {namespace}local form."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


@dataclass(frozen=True)
class Sheet:
    """One table on a sheet of its own: `name` (the sheet's), its title, source, and the
    numbers of the notes that apply to it."""

    name: str
    title: str
    table: Table
    source: str
    notes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Workbook:
    title: str
    published: dt.date
    cover: tuple[tuple[str, str], ...]  # (heading, text) paragraphs after the title
    notes: tuple[str, ...]  # note texts: note 1 is the first
    sheets: tuple[Sheet, ...]
    language: str = "en-GB"


def sheet_name(table_id: str) -> str:
    """A sheet name that says what the sheet holds, from a table id: tbl-cin-by-region is
    children_in_need_by_region (letters, digits and underscores, 31 characters at most)."""
    words = table_id.removeprefix("tbl-").replace("cin-", "children-in-need-").split("-")
    name = ""
    for word in words:
        longer = f"{name}_{word}" if name else word
        if len(longer) > MAX_SHEET_NAME:
            break
        name = longer
    return name


def write_ods(book: Workbook) -> bytes:
    """The workbook as the bytes of an .ods file."""
    from odfdo import Document

    doc = Document("spreadsheet")
    _metadata(doc, book)
    _language(doc.styles.root._xml_element, book.language)
    content = doc.content.root._xml_element
    styles = _Styles(content.find(q("office:automatic-styles")))
    spreadsheet = content.find(f"{q('office:body')}/{q('office:spreadsheet')}")
    for child in list(spreadsheet):
        spreadsheet.remove(child)
    ranges: list[tuple[str, int, int, int]] = []  # sheet, header row, last row, columns
    _cover(spreadsheet, styles, book)
    ranges.append(_contents(spreadsheet, styles, book))
    ranges.append(_notes(spreadsheet, styles, book))
    for sheet in book.sheets:
        ranges.append(_table_sheet(spreadsheet, styles, book, sheet))
    _database_ranges(spreadsheet, ranges)
    saved = io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as source:
        parts = {name: source.read(name) for name in ("content.xml", "styles.xml", "meta.xml")}
    version = content.get(q("office:version"), "1.3")
    members = {"mimetype": MIMETYPE.encode(), "META-INF/manifest.xml": _manifest(version), **parts}
    return zip_bytes(members, stored=("mimetype",), sort=False)


# -- the sheets -----------------------------------------------------------------------------


def _cover(spreadsheet: Any, styles: _Styles, book: Workbook) -> None:
    sheet = _new_sheet(spreadsheet, styles, COVER, (80,))
    _text_row(sheet, styles, book.title, "title")
    for heading, text in book.cover:
        _text_row(sheet, styles, heading, "heading")
        _text_row(sheet, styles, text, "wrap")


def _contents(spreadsheet: Any, styles: _Styles, book: Workbook) -> tuple[str, int, int, int]:
    sheet = _new_sheet(spreadsheet, styles, CONTENTS, (28, 52))
    _text_row(sheet, styles, "Contents", "title")
    _text_row(sheet, styles, ONE_TABLE, "plain")
    header = 3
    _header_row(sheet, styles, ("Worksheet", "Content"))
    entries = [(NOTES, "Notes used in the tables"), *((s.name, s.title) for s in book.sheets)]
    for name, title in entries:
        row = _row(sheet)
        _link_cell(row, styles, f"#{name}.A1", name)
        _string_cell(row, styles, title, "wrap")
    return CONTENTS, header, header + len(entries), 2


def _notes(spreadsheet: Any, styles: _Styles, book: Workbook) -> tuple[str, int, int, int]:
    sheet = _new_sheet(spreadsheet, styles, NOTES, (14, 60))
    _text_row(sheet, styles, "Notes", "title")
    _text_row(
        sheet,
        styles,
        f"{ONE_TABLE} The tables refer to these notes by their number, such as [note 1].",
        "plain",
    )
    header = 3
    _header_row(sheet, styles, ("Note number", "Note text"))
    for number, text in enumerate(book.notes, start=1):
        row = _row(sheet)
        _string_cell(row, styles, f"[note {number}]")
        _string_cell(row, styles, text, "wrap")
    return NOTES, header, header + len(book.notes), 2


def _table_sheet(
    spreadsheet: Any, styles: _Styles, book: Workbook, sheet: Sheet
) -> tuple[str, int, int, int]:
    table = sheet.table
    header = (table.header, *(c.key for c in (*table.keys, *table.columns)))
    widths = [len(h) for h in header]
    for r in table.rows:
        for i, text in enumerate((r.header, *r.keys, *(c.value for c in r.cells))):
            widths[i] = max(widths[i], len(text))
    element = _new_sheet(spreadsheet, styles, sheet.name, tuple(min(w + 2, 60) for w in widths))
    lines = [sheet.title, ONE_TABLE]
    if sheet.notes:
        lines.append("Notes: " + ", ".join(f"[note {n}]" for n in sheet.notes) + ".")
    lines.append(f"Source: {sheet.source}")
    if table.symbols:
        meanings = "; ".join(f"{s} means {Symbol(s).meaning}" for s in table.symbols)
        lines.append(f"Some cells hold a symbol instead of a number: {meanings}.")
    for number, line in enumerate(lines):
        _text_row(element, styles, line, "title" if number == 0 else "plain")
    first = len(lines) + 1
    _header_row(element, styles, header)
    numeric = [False] * (1 + len(table.keys)) + [c.numeric for c in table.columns]
    for r in table.rows:
        row = _row(element)
        texts = (r.header, *r.keys)
        for text in texts:
            _string_cell(row, styles, text)
        for cell, is_number in zip(r.cells, numeric[len(texts) :], strict=True):
            if is_number and not cell.symbol:
                _number_cell(row, styles, cell.text)
            else:
                _string_cell(row, styles, cell.value, "symbol" if cell.symbol else "plain")
    return sheet.name, first, first + len(table.rows), len(header)


# -- rows and cells -------------------------------------------------------------------------


def _new_sheet(spreadsheet: Any, styles: _Styles, name: str, widths: Sequence[int]) -> Any:
    if not SHEET_NAME.fullmatch(name) or len(name) > MAX_SHEET_NAME:
        raise ValueError(f"sheet name {name!r}: use letters, digits and underscores, 31 at most")
    sheet = _sub(spreadsheet, "table:table")
    sheet.set(q("table:name"), name)
    for width in widths:
        column = _sub(sheet, "table:table-column")
        column.set(q("table:style-name"), styles.column(width))
    return sheet


def _row(sheet: Any) -> Any:
    return _sub(sheet, "table:table-row")


def _text_row(sheet: Any, styles: _Styles, text: str, style: str) -> None:
    _string_cell(_row(sheet), styles, text, style)


def _header_row(sheet: Any, styles: _Styles, names: Sequence[str]) -> None:
    rows = _sub(sheet, "table:table-header-rows")
    row = _sub(rows, "table:table-row")
    for name in names:
        _string_cell(row, styles, name, "header")


def _string_cell(row: Any, styles: _Styles, text: str, style: str = "plain") -> None:
    cell = _sub(row, "table:table-cell")
    cell.set(q("office:value-type"), "string")
    cell.set(q("calcext:value-type"), "string")
    cell.set(q("table:style-name"), styles.cell(style))
    _sub(cell, "text:p").text = safe_cell(text)


def _link_cell(row: Any, styles: _Styles, target: str, text: str) -> None:
    """A link to another sheet. No office:string-value: LibreOffice drops the link of a
    cell that has one (toolchain-2.md)."""
    cell = _sub(row, "table:table-cell")
    cell.set(q("office:value-type"), "string")
    cell.set(q("calcext:value-type"), "string")
    cell.set(q("table:style-name"), styles.cell("plain"))
    link = _sub(_sub(cell, "text:p"), "text:a")
    link.set(q("xlink:href"), target)
    link.set(q("xlink:type"), "simple")
    link.text = text


def _number_cell(row: Any, styles: _Styles, text: str) -> None:
    """A number stored as a number, shown as printed: `text` ("404,710", "341.0") gives
    its decimal places and whether it groups thousands."""
    plain = text.replace(",", "").replace(MINUS, "-").removeprefix("+").removesuffix("%")
    value = Decimal(plain)
    places = len(plain.partition(".")[2])
    cell = _sub(row, "table:table-cell")
    cell.set(q("office:value-type"), "float")
    cell.set(q("calcext:value-type"), "float")
    cell.set(q("office:value"), format(value, "f"))
    cell.set(q("table:style-name"), styles.number(places, "," in text))
    _sub(cell, "text:p").text = text


def _database_ranges(spreadsheet: Any, ranges: Sequence[tuple[str, int, int, int]]) -> None:
    """Each table as a database range whose first row is its header."""
    element = _sub(spreadsheet, "table:database-ranges")
    for sheet, first, last, columns in ranges:
        end = _column_letter(columns - 1)
        item = _sub(element, "table:database-range")
        item.set(q("table:name"), f"table_{sheet}")
        item.set(q("table:target-range-address"), f"{sheet}.A{first}:{sheet}.{end}{last}")
        item.set(q("table:contains-header"), "true")


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# -- styles ---------------------------------------------------------------------------------


class _Styles:
    """The automatic styles of content.xml, each made once, when first used."""

    CELLS: ClassVar[dict[str, dict[str, Any]]] = {
        "plain": {},
        "wrap": {"wrap": True},
        "title": {"bold": True, "size": "14pt"},
        "heading": {"bold": True, "size": "12pt"},
        "header": {"bold": True, "wrap": True},
        "symbol": {"right": True},
    }

    def __init__(self, element: Any) -> None:
        for child in list(element):
            element.remove(child)
        self.element = element
        self.made: dict[str, str] = {}

    def _add(self, key: str, build: Any) -> str:
        if key not in self.made:
            name = f"s{len(self.made) + 1}"
            build(name)
            self.made[key] = name
        return self.made[key]

    def column(self, width: int) -> str:
        def build(name: str) -> None:
            style = self._style(name, "table-column")
            props = _sub(style, "style:table-column-properties")
            props.set(q("style:column-width"), f"{width * 0.22:.2f}cm")

        return self._add(f"column-{width}", build)

    def cell(self, kind: str) -> str:
        spec = self.CELLS[kind]

        def build(name: str) -> None:
            style = self._style(name, "table-cell")
            style.set(q("style:parent-style-name"), "Default")
            cell = _sub(style, "style:table-cell-properties")
            cell.set(q("style:vertical-align"), "top")
            if spec.get("wrap"):
                cell.set(q("fo:wrap-option"), "wrap")
            if spec.get("right"):
                _sub(style, "style:paragraph-properties").set(q("fo:text-align"), "end")
            if spec.get("bold") or spec.get("size"):
                text = _sub(style, "style:text-properties")
                if spec.get("bold"):
                    text.set(q("fo:font-weight"), "bold")
                if spec.get("size"):
                    text.set(q("fo:font-size"), str(spec["size"]))

        return self._add(f"cell-{kind}", build)

    def number(self, places: int, grouping: bool) -> str:
        def build(name: str) -> None:
            data = _sub(self.element, "number:number-style")
            data.set(q("style:name"), f"{name}n")
            number = _sub(data, "number:number")
            number.set(q("number:decimal-places"), str(places))
            number.set(q("number:min-decimal-places"), str(places))
            number.set(q("number:min-integer-digits"), "1")
            if grouping:
                number.set(q("number:grouping"), "true")
            style = self._style(name, "table-cell")
            style.set(q("style:parent-style-name"), "Default")
            style.set(q("style:data-style-name"), f"{name}n")

        return self._add(f"number-{places}-{grouping}", build)

    def _style(self, name: str, family: str) -> Any:
        style = _sub(self.element, "style:style")
        style.set(q("style:name"), name)
        style.set(q("style:family"), family)
        return style


def _sub(parent: Any, name: str) -> Any:
    from lxml.etree import SubElement  # type: ignore[import-untyped]

    return SubElement(parent, q(name))


# -- the package ----------------------------------------------------------------------------


def _metadata(doc: Any, book: Workbook) -> None:
    """Title and language; the publication date as the only date; nothing of the template
    the document was made from (its statistics, user fields and generator)."""
    meta = doc.meta
    when = dt.datetime.combine(book.published, dt.time())
    meta.set_title(book.title)
    meta.set_language(book.language)
    meta.set_creation_date(when)
    meta.set_modification_date(when)
    meta.set_generator("bulletin")
    meta.clear_user_defined_metadata()
    element = meta.root._xml_element
    for name in ("meta:document-statistic", "meta:editing-cycles", "meta:editing-duration"):
        for found in element.iter(
            f"{{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}}{name.split(':')[1]}"
        ):
            found.getparent().remove(found)


def _language(styles: Any, language: str) -> None:
    """The default language of the styles: the template's is French."""
    lang, _, country = language.partition("-")
    for element in styles.iter():
        if element.get(q("fo:language")) is not None:
            element.set(q("fo:language"), lang)
            element.set(q("fo:country"), country)


def _manifest(version: str) -> bytes:
    entries = [("/", MIMETYPE)] + [
        (name, "text/xml") for name in ("content.xml", "styles.xml", "meta.xml")
    ]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<manifest:manifest xmlns:manifest="{NS["manifest"]}" manifest:version="{version}">',
        *(
            f' <manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"'
            + (f' manifest:version="{version}"/>' if path == "/" else "/>")
            for path, kind in entries
        ),
        "</manifest:manifest>",
    ]
    return ("\n".join(lines) + "\n").encode()
