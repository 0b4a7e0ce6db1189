"""The spreadsheet guidance checks: a good workbook passes every one; for every check, a
copy of it damaged in that one way fails that check, by name."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from bulletin.qa.results import Result
from bulletin.qa.spreadsheet import ODS_CHECKS, check_ods, check_site_spreadsheets
from bulletin.tables.ods import write_ods
from tests.tables.test_ods import BOOK

T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TX = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"


def sheet(root: Any, name: str) -> Any:
    return next(t for t in root.iter(f"{T}table") if t.get(f"{T}name") == name)


def body_cells(root: Any) -> list[Any]:
    """The cells of the table on the last sheet, below its header row."""
    table = sheet(root, "children_in_need_by_area")
    header = table.find(f"{T}table-header-rows")
    rows = [r for r in table.iter(f"{T}table-row") if r.getparent() is not header]
    return [c for r in rows[-3:] for c in r]


def first_text(cell: Any) -> Any:
    return cell.find(f"{TX}p")


def rename(root: Any, old: str, new: str) -> None:
    sheet(root, old).set(f"{T}name", new)


def _blank_a1(root: Any) -> None:
    first_text(sheet(root, "children_in_need_by_area").find(f"{T}table-row")[0]).text = ""


def _merge(root: Any) -> None:
    body_cells(root)[0].set(f"{T}number-columns-spanned", "2")


def _blank_cell(root: Any) -> None:
    first_text(body_cells(root)[1]).text = ""


def _second_table(root: Any) -> None:
    table = sheet(root, "children_in_need_by_area")
    row = table.find(f"{T}table-row")
    extra = etree.SubElement(row, f"{T}table-cell")
    etree.SubElement(extra, f"{TX}p").text = "a second table begins here"


def _no_range(root: Any) -> None:
    ranges = next(root.iter(f"{T}database-ranges"))
    for r in list(ranges):
        if r.get(f"{T}name") == "table_children_in_need_by_area":
            ranges.remove(r)


def _number_as_text(root: Any) -> None:
    cell = body_cells(root)[2]
    cell.set(f"{OFFICE}value-type", "string")
    del cell.attrib[f"{OFFICE}value"]
    first_text(cell).text = "404710"


def _unexplained_symbol(root: Any) -> None:
    """The symbol x is no longer explained on its sheet."""
    table = sheet(root, "children_in_need_by_area")
    for p in table.iter(f"{TX}p"):
        if p.text and "x means" in p.text:
            p.text = p.text.replace("x means", "cross is")


def _formula(root: Any) -> None:
    body_cells(root)[2].set(f"{T}formula", "of:=1+1")


def _contents_without_link(root: Any) -> None:
    for a in sheet(root, "Contents").iter(f"{TX}a"):
        a.set("{http://www.w3.org/1999/xlink}href", "#Elsewhere.A1")


DAMAGES: dict[str, tuple[Callable[[Any], None], str]] = {
    "cover_contents_notes": (_contents_without_link, "content.xml"),
    "one_table_per_sheet": (_second_table, "content.xml"),
    "title_in_a1": (_blank_a1, "content.xml"),
    "no_merged_cells": (_merge, "content.xml"),
    "no_blank_rows_or_columns": (_blank_cell, "content.xml"),
    "header_rows_marked": (_no_range, "content.xml"),
    "numbers_and_symbols": (_unexplained_symbol, "content.xml"),
    "sheet_names": (lambda root: rename(root, "children_in_need_by_area", "Sheet4"), "content.xml"),
    "document_properties": (
        lambda root: (
            root.find(f".//{DC}language").getparent().remove(root.find(f".//{DC}language"))
        ),
        "meta.xml",
    ),
    "no_formulas": (_formula, "content.xml"),
}


def damaged(part: str, damage: Callable[[Any], None]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(write_ods(BOOK)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                root = etree.fromstring(data)
                damage(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, data)
    return out.getvalue()


def test_every_check_has_a_damage() -> None:
    assert sorted(f"ods:{n}" for n in DAMAGES) == sorted(name for name, _ in ODS_CHECKS)


def test_the_good_workbook_passes_every_check(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "book.ods").write_bytes(write_ods(BOOK))
    results = check_site_spreadsheets(tmp_path)
    assert [r.check for r in results] == [name for name, _ in ODS_CHECKS]
    assert {r.result for r in results} == {Result.PASS}
    assert results[0].message == "passed on 1 spreadsheets"


@pytest.mark.parametrize("name", sorted(DAMAGES))
def test_a_damaged_workbook_fails_its_check(name: str, tmp_path: Path) -> None:
    damage, part = DAMAGES[name]
    path = tmp_path / "book.ods"
    path.write_bytes(damaged(part, damage))
    results = {r.check: r for r in check_ods(path, "book.ods")}
    assert results[f"ods:{name}"].result is Result.FAIL, str(results[f"ods:{name}"])


def test_a_number_stored_as_text_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "book.ods"
    path.write_bytes(damaged("content.xml", _number_as_text))
    result = {r.check: r for r in check_ods(path, "book.ods")}["ods:numbers_and_symbols"]
    assert result.result is Result.FAIL
    assert "the number 404710 is stored as text" in result.message
