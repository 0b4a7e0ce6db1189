"""LibreOffice from Debian, headless, as a reader's spreadsheet program: every sheet of an
ODS converted to CSV, and a converted sheet compared with a table's own CSV."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

#: CSV export options: comma, double quotes, UTF-8 (76), from line 1, cells as shown
#: (token 9: true), every sheet to a file of its own (token 12: -1).
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"
GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def sheets_as_csv(ods: Path, work: Path) -> dict[str, list[list[str]]]:
    """Every sheet of `ods`, as LibreOffice shows its cells, by sheet name."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: ./run test installs libreoffice-calc-nogui"
    out = work / "converted"
    out.mkdir(parents=True, exist_ok=True)
    profile = (work / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            FILTER,
            "--outdir",
            str(out),
            str(ods),
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    found = {}
    for path in sorted(out.glob(f"{ods.stem}-*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            found[path.stem.removeprefix(f"{ods.stem}-")] = list(csv.reader(f))
    return found


def as_the_csv_writes_it(cell: str) -> str:
    """A number LibreOffice shows with thousands separators, written without them, as the
    per-table CSV writer writes every printed number."""
    return cell.replace(",", "") if GROUPED.fullmatch(cell) else cell


def table_of_sheet(rows: list[list[str]], length: int) -> tuple[list[str], list[list[str]]]:
    """The last `length` rows of a converted sheet (its table), and the text above them
    (column A only: anything else beside it is returned as a cell of its own)."""
    above = [c for row in rows[: len(rows) - length] for c in row if c]
    table = [[as_the_csv_writes_it(c) for c in row] for row in rows[len(rows) - length :]]
    return above, table
