"""Data: read explore-education-statistics (EES) tidy CSV files, reporting every problem.

A problem names the file, the row (as a spreadsheet shows it: the header is row 1) and the
column, so that an author can find it. All problems in a file are collected before
anything is raised.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bulletin.core.problems import InputError, Problem
from bulletin.core.symbols import Symbol, parse_cell

GEOGRAPHIC_LEVELS = ("National", "Regional", "Local authority")


@dataclass(frozen=True)
class EesTable:
    """An EES file as text cells, with its header; numbers are read on demand."""

    path: Path
    label: str  # the name used in messages (relative to the data folder)
    header: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]

    def number(self, row: Mapping[str, str], column: str) -> Decimal | Symbol:
        return parse_cell(row[column])


def read_ees_csv(path: Path, label: str, required: Sequence[str]) -> EesTable:
    """Read an EES CSV (UTF-8, with or without a byte-order mark) and check its columns.

    Raises `InputError` listing every problem: an unreadable or empty file, a wrong
    encoding, missing columns, rows of the wrong length.
    """
    problems: list[Problem] = []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError([Problem(label, None, None, "file not found")]) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(
            [Problem(label, line, None, f"not UTF-8 text (byte {exc.object[exc.start]:#04x})")]
        ) from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header:
        raise InputError([Problem(label, None, None, "the file is empty")])
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    problems += [Problem(label, 1, c, "required column is missing") for c in missing]
    rows: list[dict[str, str]] = []
    for number, cells in enumerate(reader, start=2):
        if not cells:
            continue
        if len(cells) != len(header):
            problems.append(
                Problem(
                    label, number, None, f"has {len(cells)} cells, the header has {len(header)}"
                )
            )
            continue
        rows.append(dict(zip(header, cells, strict=True)))
    if not rows and not problems:
        problems.append(Problem(label, None, None, "the file has a header but no rows"))
    if problems:
        raise InputError(problems)
    return EesTable(path, label, tuple(header), tuple(rows))


def geography_code(row: Mapping[str, str]) -> str:
    """The code of the area a row describes, at its geographic level."""
    level = row["geographic_level"]
    column = {
        "National": "country_code",
        "Regional": "region_code",
        "Local authority": "new_la_code",
    }
    if level not in column:
        raise ValueError(f"unknown geographic level {level!r}")
    return row[column[level]]
