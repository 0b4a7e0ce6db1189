"""End to end: the open data of a build, as a reader downloads it and as EES would screen it.

- Every table sheet of each spreadsheet, opened in LibreOffice (Debian's, headless) and
  converted to CSV, shows the cells of that table's own CSV, which stays published beside
  the EES files.
- Each spreadsheet meets the spreadsheet guidance (`bulletin.qa.spreadsheet`).
- Every EES file passes the screener with no warning, on the small build and on the one
  national build of the test run.
- The site links "Download all data (ZIP)" and the data guidance page.
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from bulletin.qa.results import Result
from bulletin.qa.screener import screen_site
from bulletin.qa.spreadsheet import check_site_spreadsheets
from bulletin.tables.ods import sheet_name
from bulletin.tables.subjects import FILES
from tests.libreoffice import sheets_as_csv, table_of_sheet

PUB = "data-and-analysis"
#: The data files of the review's publications (the annual release's tables, ids
#: "tbl-ch-...", are characteristics-2018's alone).
REVIEW_FILES = [f for f in FILES if not all(t.startswith("tbl-ch-") for t in f.tables)]


def test_every_table_sheet_shows_the_cells_of_its_csv(built: Path, tmp_path: Path) -> None:
    folder = built / "_site" / "data" / PUB
    sheets = sheets_as_csv(folder / f"{PUB}-tables.ods", tmp_path)
    tables = sorted(folder.glob("tbl-*.csv"))
    stems = [t.stem for t in tables]
    assert {"tbl-cin-by-region", "tbl-cin-by-year", "tbl-characteristics"} <= set(stems)
    assert len(stems) >= 12  # every printed table of the publication
    assert sorted(sheets) == sorted(
        ["Cover", "Contents", "Notes", *(sheet_name(t.stem) for t in tables)]
    )
    for path in tables:
        with path.open(encoding="utf-8", newline="") as f:
            expected = list(csv.reader(f))
        above, table = table_of_sheet(sheets[sheet_name(path.stem)], len(expected))
        assert table == expected, path.name
        assert above[0].strip()  # the table's title, in A1
        assert all(
            len(row) == 1 or not any(row[1:]) for row in sheets[sheet_name(path.stem)][: len(above)]
        )
    region = sheets["children_in_need_by_region"]
    assert ["England", "national", "E92000001", "404,710", "341.0"] in region  # as shown


def test_the_spreadsheet_meets_the_guidance(built: Path) -> None:
    results = check_site_spreadsheets(built / "_site")
    assert [str(r) for r in results if r.result is not Result.PASS] == []
    assert len(results) == 10


def test_the_screener_passes_every_file_with_no_warning(built: Path) -> None:
    results = screen_site(built / "_site")
    assert [str(r) for r in results if r.result is not Result.PASS] == []
    mine = len(list((built / "_site" / "data" / PUB).glob("*.meta.csv")))
    assert mine >= len(REVIEW_FILES) - 2  # at this scale a table may have no rows
    files = len(list((built / "_site" / "data").glob("*/*.meta.csv")))  # every publication's
    assert results[0].message == f"passed on {files} EES files"


def test_the_site_links_all_data_and_the_guidance(built: Path) -> None:
    site = built / "_site"
    index = (site / "index.html").read_text(encoding="utf-8")
    page = (site / "report" / f"{PUB}.html").read_text(encoding="utf-8")
    guidance = (site / "data" / PUB / "data-guidance.html").read_text(encoding="utf-8")
    assert f'href="data/{PUB}/{PUB}-all-data.zip"' in index
    assert f'<a href="../data/{PUB}/{PUB}-all-data.zip">Download all data (ZIP)</a>' in page
    assert f'<a href="{PUB}-all-data.zip">Download all data (ZIP)</a>' in guidance
    # Its files come from the synthetic population, as the publication's do: the same
    # banner; the annual release's files are the Department's own, with none.
    banner = '<p id="banner-title" class="banner-title">Built from synthetic data</p>'
    assert banner in page
    assert banner in guidance
    real = site / "data" / "characteristics-2018" / "data-guidance.html"
    assert banner not in real.read_text(encoding="utf-8")
    with zipfile.ZipFile(site / "data" / PUB / f"{PUB}-all-data.zip") as archive:
        names = archive.namelist()
    assert "data-guidance/data-guidance.txt" in names
    assert f"supporting-files/{PUB}-tables.ods" in names
    assert "data/children_in_need_at_31_march.meta.csv" in names


@pytest.mark.national
def test_the_screener_passes_every_file_of_the_national_build(national: Path) -> None:
    site = national / "_site"
    results = screen_site(site)
    assert [str(r) for r in results if r.result is not Result.PASS] == []
    assert len(list((site / "data" / PUB).glob("*.meta.csv"))) == len(REVIEW_FILES)
    files = len(list((site / "data").glob("*/*.meta.csv")))
    assert results[0].message == f"passed on {files} EES files"
    spreadsheets = check_site_spreadsheets(site)
    assert [str(r) for r in spreadsheets if r.result is not Result.PASS] == []
