"""Data: every public file a build reads, declared once and checked together before it writes.

`validate_public(folder)` reads each file of `PUBLIC_FILES` and raises `InputError` with
every problem of every file, each naming the file, the row (as a spreadsheet shows it: the
header is row 1) and the column: a file that is missing, empty or not UTF-8 (reported cell
by cell); a missing column; a row of the wrong length; a `time_period` that is not a
year; an unknown geographic level; a missing or malformed area code; an indicator cell that
is neither a number nor a GSS symbol; a second row for the same period, area and filters;
an area name that is not plain text or not the name the code lookup gives its code; a
value that cannot be what its column holds (a count that is negative, not whole, or more
than the children of its area; a rate per 10,000 that is outside 0 to 10,000; a number
written with an exponent); a year outside the span the file documents (its name says
it: `..._2013_to_2023.csv`). A file reached through a symbolic link that leaves the data
folder is refused before it is read.

**The code lookup** is the population file (the ONS mid-year estimates, which name every
country, region, Inner/Outer London and local authority code of every year the B1 files
use). It gives each area code one name, and each local authority one old (3-digit DfE)
code: the value on most of that code's rows. Every row of every public file, the
population file's own rows included, must give each of its codes exactly that name (and
old code); a code the lookup does not know is an error. A code ONS retired
(`bulletin.core.geography.RETIRED_CODES`) is checked as the code that replaced it. A name must also be plain text:
one holding ``<`` or ``>`` (markup such as ``<b>Camden</b>``) or a control character is
an error, so that no name from the data can ever render as markup, and so is a name
holding anything but letters, spaces and ``, . ' ’ - & ( )`` (such as a spreadsheet
formula, ``=HYPERLINK(...)``). The publications take every area name from the lookup, by
code (`area_names`): one source of truth.

A loader of a new public file adds its `PublicFile` here; `tests/data/test_public_files.py`
checks that every file named in `bulletin.data` is declared.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from bulletin.core.geography import RETIRED_CODES
from bulletin.core.problems import InputError, Problem, shown
from bulletin.core.symbols import INPUT_SYMBOLS, parse_cell
from bulletin.data.characteristics import FILES as RELEASE_FILES
from bulletin.data.ees import GEOGRAPHIC_LEVELS, ParsedCsv, outside, parse_csv
from bulletin.data.population import POPULATION_FILE
from bulletin.data.real import FILES

#: The time and geography columns of every EES file, in file order.
EES_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
#: The code columns a row of each level must fill: the area's own code is the last.
LEVEL_CODES = {
    "National": ("country_code",),
    "Regional": ("country_code", "region_code"),
    "Local authority": ("country_code", "region_code", "new_la_code"),
}
#: (code column, column the lookup determines from it)
LOOKUP_PAIRS = (
    ("country_code", "country_name"),
    ("region_code", "region_name"),
    ("new_la_code", "la_name"),
    ("new_la_code", "old_la_code"),
)
LOOKUP_COLUMNS = {column for pair in LOOKUP_PAIRS for column in pair}
AREA_CODE = re.compile(r"[EKNSW]\d{8}")
NOT_PLAIN = re.compile(r"[<>\x00-\x1f\x7f]")
AREA_NAME = re.compile(r"[^\W\d_][\w ,.'\u2019&()-]*")  # a letter first; no digit at all
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # the common case, read without `parse_cell`
WHOLE = re.compile(r"\d+")  # a count that needs no more checking than its population
RATE_QUICK = re.compile(r"\d{1,4}(?:\.\d+)?")  # a rate below 10,000: nothing more to check
PER_10000 = Decimal(10_000)  # the largest rate per 10,000 children
PERCENT = Decimal(100)  # the largest percentage
PERCENT_QUICK = re.compile(r"\d{1,2}(?:\.\d+)?")  # a percentage below 100
POPULATION_COLUMN = "population_estimate"


@dataclass(frozen=True)
class PublicFile:
    """A public EES file the build reads. Every column that is not a time, geography or
    filter column is an indicator: each of its cells is a number or a GSS symbol."""

    path: str  # relative to the public data folder
    filters: tuple[str, ...]  # the file's own filter columns (part of a row's identity)
    indicators: tuple[str, ...]  # the indicators the build reads: they must be present
    years: tuple[int, int]  # the span of time_period the file documents (in its name)
    rates: str = r".*_rate"  # indicators that are rates per 10,000
    percents: str = r".*_percent"  # indicators that are percentages; the others are counts
    within_population: tuple[str, ...] = ()  # counts of children: at most the area's
    # children aged 0 to 17 (the population file's estimate the year's rate uses)
    period: str = r"\d{4}"  # the form of time_period (a reporting year)


#: Indicators that count children in an area: none can exceed its children aged 0 to 17.
CHILD_COUNTS = ("At31_episodes", "Anypoint_child", "CPP_At31")
_YEARS = re.compile(r"_(\d{4})_to_(\d{4})\.csv$")


def file_years(path: str) -> tuple[int, int]:
    """The span of years an EES file's name documents ('..._2013_to_2023.csv')."""
    found = _YEARS.search(path)
    if found is None:
        raise ValueError(f"{path}: the file's name does not give its years (_YYYY_to_YYYY.csv)")
    return int(found[1]), int(found[2])


def _declared(
    *readers: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
) -> tuple[PublicFile, ...]:
    """One declaration per file, with every indicator any reader reads from it, the years
    its name documents, and its counts of children checked against the population."""
    merged: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for files in readers:
        for path, (filters, indicators) in files.items():
            known_filters, known = merged.get(path, (filters, ()))
            merged[path] = (known_filters, tuple(dict.fromkeys((*known, *indicators))))
    return tuple(
        PublicFile(
            path,
            f,
            i,
            file_years(path),
            within_population=tuple(c for c in i if c in CHILD_COUNTS),
        )
        for path, (f, i) in merged.items()
    )


PUBLIC_FILES = (
    PublicFile(POPULATION_FILE, ("age_group",), (POPULATION_COLUMN,), (2012, 2024)),
    *_declared(FILES, RELEASE_FILES),
)
LOOKUP_FILE = POPULATION_FILE


def public_inputs(folder: Path) -> dict[str, Path]:
    """The public files a build reads, by their names in the data folder."""
    return {spec.path: folder / spec.path for spec in PUBLIC_FILES}


def validate_public(folder: Path) -> None:
    """Check every public file the build reads; raise `InputError` with every problem."""
    problems = public_problems(folder)
    if problems:
        raise InputError(problems)


def public_problems(folder: Path) -> list[Problem]:
    """Every problem of every public file, in the order found."""
    parsed: dict[str, ParsedCsv] = {}
    problems: list[Problem] = []
    for spec in PUBLIC_FILES:
        reason = outside(folder, spec.path)
        if reason is not None:
            problems.append(Problem(spec.path, None, None, reason))
            continue
        try:
            data = (folder / spec.path).read_bytes()
        except FileNotFoundError:
            problems.append(Problem(spec.path, None, None, f"file not found in {folder}"))
            continue
        except OSError as exc:
            problems.append(Problem(spec.path, None, None, f"cannot be read: {exc.strerror}"))
            continue
        parsed[spec.path] = table = parse_csv(data, spec.path)
        problems += table.problems
        if table.header:
            required = (*EES_COLUMNS, *spec.filters, *spec.indicators)
            problems += [
                Problem(spec.path, 1, c, "required column is missing")
                for c in required
                if c not in table.header
            ]
    source = parsed.get(LOOKUP_FILE)
    lookup = None  # when the lookup file cannot be read (a problem reported above)
    if source is not None and source.rows and set(source.header) >= LOOKUP_COLUMNS:
        lookup = _lookup(source)
    children = _children(source) if source is not None else {}
    for spec in PUBLIC_FILES:
        if spec.path in parsed:
            problems += _row_problems(spec, parsed[spec.path], lookup, children)
    return problems


def area_names(folder: Path) -> dict[str, str]:
    """The name of every area code, from the code lookup (the population file): the one
    source of every area name a publication prints. Run `validate_public` first."""
    source = parse_csv((folder / LOOKUP_FILE).read_bytes(), LOOKUP_FILE)
    lookup = _lookup(source)
    return {
        code: name for (code, column), name in lookup.values.items() if column.endswith("_name")
    }


def _children(table: ParsedCsv) -> dict[tuple[str, str], Decimal]:
    """The population file's estimates of children aged 0 to 17: (mid-year, area code) ->
    estimate, where the cell is a number."""
    found: dict[tuple[str, str], Decimal] = {}
    for _, row in _cells(table):
        level, cell = row.get("geographic_level"), row.get(POPULATION_COLUMN, "")
        if level not in LEVEL_CODES or not WHOLE.fullmatch(cell):
            continue
        code = row.get(LEVEL_CODES[level][-1], "")
        found[(row.get("time_period", ""), code)] = Decimal(cell)
    return found


@dataclass(frozen=True)
class Lookup:
    codes: frozenset[str]
    values: Mapping[tuple[str, str], str]  # (code, column) -> the name (or old code)


def _lookup(table: ParsedCsv) -> Lookup:
    """Every code of the lookup file, and for each the value of each column it determines:
    the value on most of the code's rows (the first, on a tie)."""
    seen: dict[tuple[str, str], Counter[str]] = {}
    for _, row in _cells(table):
        for code_column, column in LOOKUP_PAIRS:
            code = row.get(code_column, "")
            if AREA_CODE.fullmatch(code) and column in row:
                seen.setdefault((code, column), Counter())[row[column]] += 1
    values = {key: names.most_common(1)[0][0] for key, names in seen.items()}
    return Lookup(frozenset(code for code, _ in values), values)


def _cells(table: ParsedCsv) -> Iterator[tuple[int, Mapping[str, str]]]:
    """Rows, without the cells already reported as not UTF-8."""
    for number, row in table.rows:
        bad = table.bad_cells
        yield number, {c: v for c, v in row.items() if (number, c) not in bad} if bad else row


def _row_problems(
    spec: PublicFile,
    table: ParsedCsv,
    lookup: Lookup | None,
    children: Mapping[tuple[str, str], Decimal],
) -> list[Problem]:
    label = spec.path
    problems: list[Problem] = []
    fixed = {*EES_COLUMNS, *spec.filters}
    indicators = [c for c in table.header if c not in fixed]
    bounds = {c: PER_10000 for c in indicators if re.fullmatch(spec.rates, c)}
    bounds |= {c: PERCENT for c in indicators if re.fullmatch(spec.percents, c)}
    first: dict[tuple[str, ...], int] = {}
    for number, row in _cells(table):

        def problem(column: str, message: str, number: int = number) -> None:
            problems.append(Problem(label, number, column, message))

        for column in indicators:
            cell = row.get(column)
            if cell is None or cell in INPUT_SYMBOLS:
                continue
            bound = bounds.get(column)
            quick = {None: None, PER_10000: RATE_QUICK, PERCENT: PERCENT_QUICK}[bound]
            if quick.fullmatch(cell) if quick else cell.isascii() and cell.isdigit():
                continue  # the common cases, checked quickly
            reason = _value_reason(cell, bound)
            if reason is not None:
                problem(column, reason)
        period = row.get("time_period")
        if period is not None and not re.fullmatch(spec.period, period):
            problem("time_period", f"{shown(period)} is not a reporting year such as 2018")
        elif period is not None and not spec.years[0] <= int(period) <= spec.years[1]:
            first_year, last_year = spec.years
            problem(
                "time_period",
                f"{period} is outside the years this file covers ({first_year} to {last_year})",
            )
        level = row.get("geographic_level")
        if level is None:
            continue
        if level not in GEOGRAPHIC_LEVELS:
            known = ", ".join(GEOGRAPHIC_LEVELS)
            problem(
                "geographic_level", f"unknown geographic level {shown(level)}: expected {known}"
            )
            continue
        codes_ok = True
        for column in LEVEL_CODES[level]:
            code = row.get(column)
            if code is None:
                codes_ok = False
            elif not code:
                problem(column, f"a {level} row needs its {column}")
                codes_ok = False
            elif not AREA_CODE.fullmatch(code):
                problem(column, f"{shown(code)} is not an area code such as E09000007")
                codes_ok = False
        for column in ("country_code", "region_code", "new_la_code"):
            code = RETIRED_CODES.get(row.get(column, ""), row.get(column, ""))
            if lookup is not None and AREA_CODE.fullmatch(code) and code not in lookup.codes:
                problem(column, f"{code} is not in the code lookup ({LOOKUP_FILE})")
        for code_column, column in LOOKUP_PAIRS:
            if column in row:
                reasons = _name_reasons(row, code_column, column, lookup)
                if reasons:
                    problem(column, f"{shown(row[column])} " + "; ".join(reasons))
        if not codes_ok or period is None:
            continue
        area_column = LEVEL_CODES[level][-1]
        for column in spec.within_population:
            over = _over_population(row, column, area_column, children)
            if over is not None:
                problem(column, over)
        key = (period, level, row[area_column], *(row.get(f, "") for f in spec.filters))
        if key in first:
            problem(
                area_column,
                f"a second row for {row[area_column]} ({level}) in {period}: "
                f"the first is row {first[key]}",
            )
        else:
            first[key] = number
    return problems


def _value_reason(cell: str, bound: Decimal | None) -> str | None:
    """What is wrong with an indicator cell that is not a symbol, if anything: it must be a
    plain number (no exponent); a count (no `bound`) whole and at least 0; a rate from 0 to
    10,000, a percentage from 0 to 100 (its `bound`)."""
    try:
        value = parse_cell(cell)
    except ValueError as exc:
        return str(exc)
    if not PLAIN_NUMBER.fullmatch(cell.replace(",", "").strip()):
        return f"{shown(cell)} is not written as a plain number (no exponent): write it out"
    assert isinstance(value, Decimal)
    if bound == PERCENT:
        if not 0 <= value <= PERCENT:
            return f"{shown(cell)} is not a percentage: it must be from 0 to 100"
        return None
    if bound is not None:
        if not 0 <= value <= bound:
            return f"{shown(cell)} is not a rate per 10,000: it must be from 0 to 10,000"
        return None
    if value < 0:
        return f"{shown(cell)} is a negative count: a count is at least 0"
    if value != value.to_integral_value():
        return f"{shown(cell)} is not a whole number: a count is whole"
    return None


def _over_population(
    row: Mapping[str, str],
    column: str,
    area_column: str,
    children: Mapping[tuple[str, str], Decimal],
) -> str | None:
    """Why a count of children is impossible: it is more than the children aged 0 to 17
    of its area in the mid-year its rate uses (reporting year Y: mid-year Y-1)."""
    cell, period = row.get(column, ""), row.get("time_period", "")
    if not WHOLE.fullmatch(cell) or not period.isdigit():
        return None
    mid_year = str(int(period) - 1)
    population = children.get((mid_year, row.get(area_column, "")))
    if population is None or Decimal(cell) <= population:
        return None
    return (
        f"{int(cell):,} is more than the {population:,} children aged 0 to 17 of "
        f"{row[area_column]} (mid-{mid_year} estimate, {POPULATION_FILE})"
    )


def _name_reasons(
    row: Mapping[str, str], code_column: str, column: str, lookup: Lookup | None
) -> list[str]:
    """What is wrong with a name (or old code) cell: not plain text, not the lookup's."""
    value, code = row[column], row.get(code_column, "")
    code = RETIRED_CODES.get(code, code)  # a retired code names the area of its successor
    reasons = []
    if NOT_PLAIN.search(value):
        reasons.append("is not plain text (it holds < or > or a control character)")
    elif column.endswith("_name") and value and not AREA_NAME.fullmatch(value):
        reasons.append("is not an area name (letters, spaces and , . ' \u2019 - & ( ) only)")
    expected = None if lookup is None else lookup.values.get((code, column))
    if expected is not None and value != expected:
        reasons.append(f"is not the {column} the code lookup gives {code} ({expected!r})")
    return reasons
