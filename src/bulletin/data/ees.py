"""Data: read explore-education-statistics (EES) tidy CSV files, reporting every problem.

A problem names the file, the row (as a spreadsheet shows it: the header is row 1) and the
column, so that an author can find it. All problems in a file are collected before
anything is raised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bulletin.core.problems import InputError, Problem
from bulletin.core.symbols import Symbol, parse_cell

GEOGRAPHIC_LEVELS = ("National", "Regional", "Local authority")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8 (surrogateescape)


@dataclass(frozen=True)
class EesTable:
    """An EES file as text cells, with its header; numbers are read on demand."""

    path: Path
    label: str  # the name used in messages (relative to the data folder)
    header: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]

    def number(self, row: Mapping[str, str], column: str) -> Decimal | Symbol:
        return parse_cell(row[column])


@dataclass(frozen=True)
class ParsedCsv:
    """A CSV file's header and rows as text, with every problem of its bytes and shape.

    `rows` pairs each row's number (as a spreadsheet shows it) with its cells by column;
    `bad_cells` are the (row, column) cells that are not UTF-8, already reported.
    """

    header: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, str]], ...]
    problems: tuple[Problem, ...]
    bad_cells: frozenset[tuple[int, str]]


def parse_csv(data: bytes, label: str) -> ParsedCsv:
    """Read CSV bytes (UTF-8, with or without a byte-order mark) without raising: a wrong
    encoding is reported cell by cell, and rows of the wrong length by row."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        message = "the file is not UTF-8 text (it looks like UTF-16): save it as CSV UTF-8"
        return ParsedCsv((), (), (Problem(label, 1, None, message),), frozenset())
    text = data.decode("utf-8-sig", errors="surrogateescape")
    check_cells = _NOT_UTF8.search(text) is not None  # most files: no cell to look at
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if not header:
        message = "the file is empty: row 1 should be the header"
        return ParsedCsv((), (), (Problem(label, 1, None, message),), frozenset())
    problems: list[Problem] = []
    bad: set[tuple[int, str]] = set()
    for index, name in enumerate(header):
        if _not_utf8(name):
            problems.append(Problem(label, 1, f"column {index + 1}", _encoding_message(name)))
        elif name in header[:index]:
            problems.append(Problem(label, 1, name, "the column appears twice in the header"))
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(reader, start=2):
        if not cells:
            problems.append(Problem(label, number, None, "the row is empty"))
            continue
        if len(cells) != len(header):
            column = header[len(cells)] if len(cells) < len(header) else None
            message = f"has {len(cells)} cells, the header has {len(header)}"
            problems.append(Problem(label, number, column, message))
            continue
        row = dict(zip(header, cells, strict=True))
        for column, cell in row.items() if check_cells else ():
            if _not_utf8(cell):
                problems.append(Problem(label, number, column, _encoding_message(cell)))
                bad.add((number, column))
        rows.append((number, row))
    if not rows and not problems:
        problems.append(Problem(label, 2, None, "the file has a header but no rows"))
    return ParsedCsv(tuple(header), tuple(rows), tuple(problems), frozenset(bad))


def _not_utf8(text: str) -> bool:
    return _NOT_UTF8.search(text) is not None


def _encoding_message(text: str) -> str:
    raw = text.encode("utf-8", errors="surrogateescape")
    shown = raw.decode("utf-8", errors="backslashreplace")
    byte = next(ord(ch) - 0xDC00 for ch in text if "\udc80" <= ch <= "\udcff")
    return (
        f"{shown!r} is not UTF-8 text (byte {byte:#04x}; the file may be Windows-1252 or "
        "Latin-1): save the file as CSV UTF-8"
    )


def read_ees_csv(path: Path, label: str, required: Sequence[str]) -> EesTable:
    """Read an EES CSV (UTF-8, with or without a byte-order mark) and check its columns.

    Raises `InputError` listing every problem: an unreadable or empty file, a wrong
    encoding, missing columns, rows of the wrong length.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(label, None, None, "file not found")]) from None
    parsed = parse_csv(data, label)
    problems = list(parsed.problems)
    if parsed.header:
        missing = [c for c in required if c not in parsed.header]
        problems += [Problem(label, 1, c, "required column is missing") for c in missing]
    if problems:
        raise InputError(problems)
    return EesTable(path, label, parsed.header, tuple(row for _, row in parsed.rows))


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
