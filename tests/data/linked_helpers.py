"""Helpers for the linked-data tests: the hand-made fixture, and ways to damage a copy of it."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests/fixtures/linked-small"
PUBLIC = ROOT / "data/public"


def copy_fixture(tmp_path: Path) -> Path:
    folder = tmp_path / "extract"
    shutil.copytree(FIXTURE, folder)
    return folder


def read_rows(folder: Path, table: str) -> list[list[str]]:
    with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(folder: Path, table: str, rows: list[list[str]]) -> None:
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def cell(folder: Path, table: str, row: int, column: str) -> str:
    """The cell at spreadsheet row `row` (the header is row 1) and `column`."""
    rows = read_rows(folder, table)
    return rows[row - 1][rows[0].index(column)]


def set_cell(folder: Path, table: str, row: int, column: str, value: str) -> None:
    rows = read_rows(folder, table)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(folder, table, rows)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder`: its sha256 and modification time."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
