"""Tables (open data of a publication): its EES files, data guidance, spreadsheet and ZIP.

`release` makes every open data file of one publication from the findings context
(findings.json), the publication's printed tables and the tables it publishes as open
data: the EES data and metadata files (`bulletin.tables.ees`), the data guidance
(`bulletin.tables.guidance`), one spreadsheet of the printed tables
(`bulletin.tables.ods`) and one ZIP of all of them (`bulletin.tables.archive`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bulletin.core.formatting import fmt_date
from bulletin.core.symbols import Symbol
from bulletin.tables.archive import zip_bytes
from bulletin.tables.ees import (
    LOCAL_AUTHORITY,
    EesFile,
    OpenDataError,
    Place,
    TidyTable,
    build,
    places,
)
from bulletin.tables.guidance import Guidance, guidance, to_text
from bulletin.tables.model import Table
from bulletin.tables.ods import Sheet, Workbook, sheet_name, write_ods
from bulletin.tables.subjects import NOT_OPEN_DATA, all_tables, files_for

if TYPE_CHECKING:
    from pathlib import Path

    from bulletin.core.context import Context

GUIDANCE_TEXT = "data-guidance.txt"
GUIDANCE_PAGE = "data-guidance.html"


@dataclass(frozen=True)
class Publication:
    id: str
    title: str
    published: dt.date
    years: tuple[int, int]  # first and latest reporting years


@dataclass(frozen=True)
class Release:
    """The files of a publication's open data by name, and its data guidance."""

    files: Mapping[str, bytes]
    guidance: Guidance
    spreadsheet: str  # the name of the .ods
    archive: str  # the name of the ZIP of everything


def names(pub_id: str) -> tuple[str, str]:
    """The names of a publication's spreadsheet and of its ZIP of all its data."""
    return f"{pub_id}-tables.ods", f"{pub_id}-all-data.zip"


def release(
    pub: Publication,
    findings: Mapping[str, Any],
    printed: Mapping[str, Table],
    where: Mapping[str, Place],
) -> Release:
    """Every open data file of `pub`. `findings` is findings.json read; `printed` the
    tables the publication prints (by id). The EES files hold every findings table (none when
    `findings` is empty: a publication of the real files alone) and every
    printed table with an open-data declaration (`bulletin.tables.subjects`); the
    spreadsheet holds the printed tables, each with its title."""
    tidy = {k: TidyTable.from_findings(k, t) for k, t in findings.get("tables", {}).items()}
    problems = [
        f"printed table {table_id} has no title for the spreadsheet"
        for table_id, table in printed.items()
        if not table.title and table_id not in tidy
    ]
    for table_id, table in printed.items():
        if table_id not in tidy:
            tidy[table_id] = TidyTable.from_table(table, table.title)
    declared = set(all_tables()) - set(NOT_OPEN_DATA)
    table_ids = [t for t in tidy if t in declared]
    built: list[EesFile] = []
    for file in files_for(table_ids):
        try:
            built.append(build(file, tidy, where, pub.years))
        except OpenDataError as exc:
            problems += exc.problems
    if problems:
        raise OpenDataError(problems)
    written = [f for f in built if f.rows]  # a table with no rows in this build is left out
    from_findings = {t for f in written for t in f.file.tables if t in findings.get("tables", {})}
    synthetic = bool(findings.get("synthetic")) and bool(from_findings)
    empty = [f.file.title for f in built if not f.rows]
    notes = guidance(pub.title, pub.published, written, synthetic, empty)
    spreadsheet, archive = names(pub.id)
    sheets_synthetic = synthetic and bool(set(printed) & from_findings)
    ods = write_ods(workbook(pub, printed, tidy, built, sheets_synthetic))
    files: dict[str, bytes] = {}
    for f in written:
        files[f.data_name] = f.data_csv().encode()
        files[f.meta_name] = f.meta_csv().encode()
    files[GUIDANCE_TEXT] = to_text(notes).encode()
    files[spreadsheet] = ods
    members = {
        **{f"data/{f.data_name}": files[f.data_name] for f in written},
        **{f"data/{f.meta_name}": files[f.meta_name] for f in written},
        f"data-guidance/{GUIDANCE_TEXT}": files[GUIDANCE_TEXT],
        f"supporting-files/{spreadsheet}": ods,
    }
    files[archive] = zip_bytes(members)
    return Release(files, notes, spreadsheet, archive)


def workbook(
    pub: Publication,
    printed: Mapping[str, Table],
    tidy: Mapping[str, TidyTable],
    built: Sequence[EesFile],
    synthetic: bool,
) -> Workbook:
    """The spreadsheet of the printed tables: a sheet each, with their notes (the symbols
    they use and the notes of their open data files)."""
    notes: list[str] = []
    file_of = {t: f for f in built for t in f.file.tables}

    def number(text: str) -> int:
        if text not in notes:
            notes.append(text)
        return notes.index(text) + 1

    if synthetic:
        number("Tables from the linked data come from a synthetic population, not real children.")
    sheets = []
    for table_id, table in printed.items():
        refs = [number(f"{s} means {Symbol(s).meaning}.") for s in table.symbols]
        if table_id in file_of:
            refs += [number(text) for text in file_of[table_id].file.notes]
        source = tidy[table_id].source
        sheets.append(Sheet(sheet_name(table_id), tidy[table_id].title, table, source, tuple(refs)))
    if not notes:
        notes.append("These tables have no notes.")
    sources = list(dict.fromkeys(s.source for s in sheets))
    cover = (
        (
            "About this spreadsheet",
            f"The tables of {pub.title}, one table on each worksheet. The Contents worksheet "
            "links to each of them, and the Notes worksheet holds their notes.",
        ),
        ("Publication date", fmt_date(pub.published)),
        ("Source", " ".join(f"{s}." for s in sources) or "None."),
        (
            "Symbols",
            "Some cells hold a symbol instead of a number. The notes say what each symbol means.",
        ),
        (
            "Open data",
            "Each table is also published as a CSV file with the same cells, and as open data "
            "in the explore education statistics standard, with data guidance.",
        ),
    )
    return Workbook(f"{pub.title}: tables", pub.published, cover, tuple(notes), tuple(sheets))


def places_of(public_data: Path, real: Context) -> dict[str, Place]:
    """The areas an open data row can describe: England, the regions (and Inner and Outer
    London) of the real B1 table by area, and the local authorities of the geography."""
    from bulletin.data.geography import load_geography

    regions = [
        (r.labels["area_code"], r.labels["area_name"])
        for r in real.tables["real-cin-by-area"].rows
        if r.labels["level"] in ("regional", "subregional")
    ]
    authorities = [
        Place(LOCAL_AUTHORITY, la.code, la.name, la.region_code, la.region_name, la.old_code)
        for la in load_geography(public_data).authorities
    ]
    return places(regions, authorities)
