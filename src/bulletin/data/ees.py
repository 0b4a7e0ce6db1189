"""Data: read explore-education-statistics (EES) tidy CSV files, reporting every problem.

A problem names the file, the row (as a spreadsheet shows it: the header is row 1) and the
column, so that an author can find it. All problems in a file are collected before
anything is raised, and nothing in a file is trusted before it is checked:

- a file reached through a symbolic link that leaves its data folder is refused before it
  is read (`read_inside`), so that no other file's contents can reach a message;
- a file in UTF-16 or UTF-32 is named as such (`encoding_of`), and a cell that is not
  UTF-8 is reported with its row and column;
- a quote that is never closed, and a cell longer than `MAX_CELL` characters, are
  reported at their row (and column), never raised;
- a quoted value is cut to 80 characters (`bulletin.core.problems.shown`).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bulletin.core.problems import InputError, Problem, shown
from bulletin.core.symbols import Symbol, parse_cell

GEOGRAPHIC_LEVELS = ("National", "Regional", "Local authority")
MAX_CELL = 1_000  # characters: no cell of a public file is near this (names: about 40)
_READ_LIMIT = 1 << 24  # the csv module's field limit while reading, so that a long cell
# is read and reported rather than raising
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8 (surrogateescape)
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32 (little-endian)"),
    (codecs.BOM_UTF32_BE, "UTF-32 (big-endian)"),
    (codecs.BOM_UTF16_LE, "UTF-16 (little-endian)"),
    (codecs.BOM_UTF16_BE, "UTF-16 (big-endian)"),
)


@dataclass(frozen=True)
class EesTable:
    """An EES file as text cells, with its header; numbers are read on demand."""

    path: Path
    label: str  # the name used in messages (relative to the data folder)
    header: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]
    numbers: tuple[int, ...] = ()  # each row's number, as a spreadsheet shows it

    def number(self, row: Mapping[str, str], column: str) -> Decimal | Symbol:
        return parse_cell(row[column])


@dataclass(frozen=True)
class ParsedCsv:
    """A CSV file's header and rows as text, with every problem of its bytes and shape.

    `rows` pairs each row's number (as a spreadsheet shows it) with its cells by column;
    `bad_cells` are the (row, column) cells already reported (not UTF-8, or too long).
    """

    header: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, str]], ...]
    problems: tuple[Problem, ...]
    bad_cells: frozenset[tuple[int, str]]


def outside(folder: Path, name: str) -> str | None:
    """Why `folder/name` may not be read: it is reached through a symbolic link that leaves
    `folder`; None when it may."""
    path = folder / name
    try:
        real, home = path.resolve(), folder.resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links
        return f"cannot be followed: {exc}"
    if real.is_relative_to(home):
        return None
    return (
        f"is a symbolic link to {real}, outside the data folder {folder}: it was not read "
        "(copy the file into the folder)"
    )


def read_inside(folder: Path, name: str) -> bytes:
    """The bytes of `folder/name`; `InputError` naming the file when it is missing, cannot
    be read, or is reached through a link that leaves `folder` (then it is never opened)."""
    reason = outside(folder, name)
    if reason is not None:
        raise InputError([Problem(name, None, None, reason)])
    try:
        return (folder / name).read_bytes()
    except FileNotFoundError:
        raise InputError([Problem(name, None, None, f"file not found in {folder}")]) from None
    except OSError as exc:
        raise InputError([Problem(name, None, None, f"cannot be read: {exc.strerror}")]) from None


def encoding_of(data: bytes) -> str | None:
    """The encoding of text that is UTF-16 or UTF-32 (by its byte-order mark, or by the
    zero bytes every other byte of such text holds); None for anything else."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:4096]
    if not head or head.count(0) * 4 < len(head):  # UTF-8 text has no zero bytes
        return None
    odd = head[1::2].count(0)
    return "UTF-16 (little-endian)" if odd > head[::2].count(0) else "UTF-16 (big-endian)"


def encoding_problem(data: bytes, label: str) -> Problem | None:
    """The problem with a file in UTF-16 or UTF-32, if it is one."""
    encoding = encoding_of(data)
    if encoding is None:
        return None
    message = f"the file is {encoding} text, not UTF-8: save it as CSV UTF-8"
    return Problem(label, 1, None, message)


def parse_csv(data: bytes, label: str) -> ParsedCsv:
    """Read CSV bytes (UTF-8, with or without a byte-order mark) without raising: a wrong
    encoding is reported for the file or cell by cell, and rows of the wrong length, a
    quote never closed and an overlong cell by row."""
    wrong = encoding_problem(data, label)
    if wrong is not None:
        return ParsedCsv((), (), (wrong,), frozenset())
    text = data.decode("utf-8-sig", errors="surrogateescape")
    check_cells = _NOT_UTF8.search(text) is not None  # most files: no cell to look at
    problems: list[Problem] = []
    records = _records(text, label, problems)
    first = next(records, None)
    if first is None or not [h for h in first[1] if h.strip()]:
        if not problems:
            message = "the file is empty: row 1 should be the header"
            problems.append(Problem(label, 1, None, message))
        return ParsedCsv((), (), tuple(problems), frozenset())
    header = [h.strip() for h in first[1]]
    bad: set[tuple[int, str]] = set()
    for index, name in enumerate(header):
        if _not_utf8(name):
            problems.append(Problem(label, 1, f"column {index + 1}", _encoding_message(name)))
        elif name in header[:index]:
            problems.append(Problem(label, 1, name, "the column appears twice in the header"))
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in records:
        if not cells:
            problems.append(Problem(label, number, None, "the row is empty"))
            continue
        if len(cells) != len(header):
            column = header[len(cells)] if len(cells) < len(header) else None
            message = f"has {len(cells)} cells, the header has {len(header)}"
            problems.append(Problem(label, number, column, message))
            continue
        row = dict(zip(header, cells, strict=True))
        for column, cell in row.items():
            if len(cell) > MAX_CELL:
                message = (
                    f"{shown(cell)} is {len(cell):,} characters long: a cell may hold {MAX_CELL:,}"
                )
                problems.append(Problem(label, number, column, message))
                bad.add((number, column))
            elif check_cells and _not_utf8(cell):
                problems.append(Problem(label, number, column, _encoding_message(cell)))
                bad.add((number, column))
        rows.append((number, row))
    if not rows and not problems:
        problems.append(Problem(label, 2, None, "the file has a header but no rows"))
    return ParsedCsv(tuple(header), tuple(rows), tuple(problems), frozenset(bad))


def _records(text: str, label: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """The records of CSV text, numbered from 1 as a spreadsheet numbers rows. A record the
    csv module cannot read is a problem at its row, and the rows after it are not read."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    with _field_limit(_READ_LIMIT):
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.append(Problem(label, number, None, _csv_words(str(exc))))
                return
            yield number, cells


def _csv_words(error: str) -> str:
    if "unexpected end of data" in error or "expected after '\"'" in error:
        what = "a quote opened in this row is not closed where its cell ends"
    elif "field larger than field limit" in error:
        what = f"a cell is longer than {_READ_LIMIT:,} characters"
    else:
        what = f"the row is not valid CSV ({error})"
    return f"{what}: the rows after it were not read"


@contextlib.contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _not_utf8(text: str) -> bool:
    return _NOT_UTF8.search(text) is not None


def _encoding_message(text: str) -> str:
    raw = text.encode("utf-8", errors="surrogateescape")
    quoted = shown(raw.decode("utf-8", errors="backslashreplace"))
    byte = next(ord(ch) - 0xDC00 for ch in text if "\udc80" <= ch <= "\udcff")
    return (
        f"{quoted} is not UTF-8 text (byte {byte:#04x}; the file may be Windows-1252 or "
        "Latin-1): save the file as CSV UTF-8"
    )


def read_ees_csv(folder: Path, name: str, required: Sequence[str]) -> EesTable:
    """Read the EES CSV `folder/name` (UTF-8, with or without a byte-order mark) and check
    its columns; `name` labels its problems.

    Raises `InputError` listing every problem: a file that is missing, unreadable, empty or
    outside the folder, a wrong encoding, missing columns, rows of the wrong length.
    """
    parsed = parse_csv(read_inside(folder, name), name)
    problems = list(parsed.problems)
    if parsed.header:
        missing = [c for c in required if c not in parsed.header]
        problems += [Problem(name, 1, c, "required column is missing") for c in missing]
    if problems:
        raise InputError(problems)
    rows = tuple(row for _, row in parsed.rows)
    numbers = tuple(number for number, _ in parsed.rows)
    return EesTable(folder / name, name, parsed.header, rows, numbers)


def geography_code(row: Mapping[str, str]) -> str:
    """The code of the area a row describes, at its geographic level."""
    level = row["geographic_level"]
    column = {
        "National": "country_code",
        "Regional": "region_code",
        "Local authority": "new_la_code",
    }
    if level not in column:
        raise ValueError(f"unknown geographic level {shown(level)}")
    return row[column[level]]
