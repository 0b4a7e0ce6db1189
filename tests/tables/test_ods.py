"""The spreadsheet writer: a workbook of a hand-made table, read back as XML and opened in
LibreOffice, and its bytes the same each time it is written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from bulletin.qa.results import Result
from bulletin.qa.spreadsheet import check_ods, read_book
from bulletin.tables.model import Cell, Column, Row, Table, to_csv
from bulletin.tables.ods import Sheet, Workbook, sheet_name, write_ods
from tests.libreoffice import sheets_as_csv, table_of_sheet

TABLE = Table(
    "tbl-cin-by-area",
    "area_name",
    (Column("area_code", False),),
    (Column("children"), Column("rate")),
    (
        Row("England", ("E92000001",), (Cell("404,710"), Cell("341.0"))),
        Row("Bristol, City of", ("E06000023",), (Cell("c", "c"), Cell("x", "x"))),
        Row("=cmd|' /C calc'!A0", ("E06000001",), (Cell("5,365"), Cell("0.5"))),
    ),
    "A source",
)
BOOK = Workbook(
    "Children in need: tables",
    dt.date(2019, 6, 18),
    (("About", "The tables."),),
    ("c means confidential.", "x means not available."),
    (Sheet(sheet_name(TABLE.id), "Children in need by area", TABLE, "A source", (1, 2)),),
)


def test_sheet_names_say_what_a_sheet_holds() -> None:
    assert sheet_name("tbl-cin-by-region") == "children_in_need_by_region"
    assert sheet_name("tbl-ks4-201718") == "ks4_201718"
    long = sheet_name("tbl-outcomes-after-sixteen-of-pupils-by-need-201213")
    assert long == "outcomes_after_sixteen_of"
    assert len(long) <= 31


def test_the_same_workbook_gives_the_same_bytes() -> None:
    first, second = write_ods(BOOK), write_ods(BOOK)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        names = archive.namelist()
        assert names[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        meta = archive.read("meta.xml").decode()
    assert sorted(names) == [
        "META-INF/manifest.xml",
        "content.xml",
        "meta.xml",
        "mimetype",
        "styles.xml",
    ]
    assert "2019-06-18T00:00:00" in meta
    assert "<dc:language>en-GB</dc:language>" in meta
    assert "Thumbnails" not in meta
    assert "LibreOffice" not in meta


def test_the_workbook_reads_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "book.ods"
    path.write_bytes(write_ods(BOOK))
    book = read_book(path, "book.ods")
    assert [s.name for s in book.sheets] == [
        "Cover",
        "Contents",
        "Notes",
        "children_in_need_by_area",
    ]
    sheet = book.sheets[3]
    assert sheet.text(0, 0) == "Children in need by area"
    header = sheet.header_rows[0]
    assert [c.text for c in sheet.rows[header]] == ["area_name", "area_code", "children", "rate"]
    england, bristol, injected = sheet.rows[header + 1 :]
    assert [(c.kind, c.text) for c in england[2:]] == [("float", "404,710"), ("float", "341.0")]
    assert [(c.kind, c.text) for c in bristol[2:]] == [("string", "c"), ("string", "x")]
    assert injected[0].text == "'=cmd|' /C calc'!A0"
    assert [r.result for r in check_ods(path, "book.ods")] == [Result.PASS] * 10


def test_libreoffice_shows_the_cells_of_the_tables_csv(tmp_path: Path) -> None:
    path = tmp_path / "book.ods"
    path.write_bytes(write_ods(BOOK))
    sheets = sheets_as_csv(path, tmp_path)
    assert sorted(sheets) == ["Contents", "Cover", "Notes", "children_in_need_by_area"]
    expected = list(csv.reader(io.StringIO(to_csv(TABLE))))
    assert expected[1] == ["England", "E92000001", "404710", "341.0"]  # by hand: the CSV
    above, table = table_of_sheet(sheets["children_in_need_by_area"], len(expected))
    # The spreadsheet and the CSV both neutralise a formula (bulletin.core.spreadsheet).
    assert table[3][0] == expected[3][0] == "'=cmd|' /C calc'!A0"
    assert table == expected
    assert above[0] == "Children in need by area"
    assert [row[0] for row in sheets["Notes"][3:]] == ["[note 1]", "[note 2]"]
    assert sheets["Contents"][3:] == [
        ["Notes", "Notes used in the tables"],
        ["children_in_need_by_area", "Children in need by area"],
    ]
