"""Data: write the linked-data input specification (docs/linked-data.md) from the schema and checks.

Run `python -m bulletin.data.linked --write-docs` after changing `bulletin.core.schema`
or the checks; a test fails when the committed document differs from what this writes.
"""

from __future__ import annotations

from collections import defaultdict

from bulletin.core import schema
from bulletin.core.schema import Field, Kind, Table
from bulletin.data.linked.checks import (
    AGE_LIMIT,
    CAP,
    CHECKS,
    CHILD_DATES,
    FIELD_CHECKS,
    SCHOOL_DATES,
    UNBORN_MONTHS,
    Check,
    number_words,
)
from bulletin.data.linked.read import DATASET_FILE, PARQUET_TYPES, SQL_TYPES
from bulletin.data.population import POPULATION_FILE

DOC_PATH = "docs/linked-data.md"

_KIND_WORDS = {
    Kind.ID: ("identifier", "a whole number", "12345"),
    Kind.INT: ("integer", "a whole number", "201718"),
    Kind.NUMBER: ("number", "a number with a decimal point", "27.5"),
    Kind.BOOL: ("true/false", "true, false, 1 or 0", "true"),
    Kind.DATE: ("date", "a date written YYYY-MM-DD", "2017-09-01"),
    Kind.CODE: ("code", "one of the codes listed with the table", "N1"),
    Kind.TEXT: ("text", "text", "E08000025"),
}


def specification_markdown() -> str:
    """The whole specification, as Markdown."""
    parts = [_HEADER.format(**_header_values()), _tables_overview()]
    parts += [_table_section(t) for t in schema.TABLES]
    return "\n".join(parts).rstrip("\n") + "\n"


def checks_by_field() -> dict[tuple[str, str], set[str]]:
    """(table, field) -> the kinds of check that read it, as the documentation lists them."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for check in CHECKS:
        for name in check.fields:
            found[(check.table, name)].add(check.kind)
    return found


def _header_values() -> dict[str, str]:
    keys = "\n".join(f"| `{k}` | {v} |" for k, v in schema.DATASET_KEYS.items())
    kinds = "\n".join(
        f"| {words[0]} | {words[1]} | `{words[2]}` | {SQL_TYPES[kind]} | "
        f"{', '.join(PARQUET_TYPES[kind])} |"
        for kind, words in _KIND_WORDS.items()
    )
    return {
        "dataset": DATASET_FILE,
        "keys": keys,
        "kinds": kinds,
        "start": schema.WINDOW_START,
        "end": schema.WINDOW_END,
        "years": ", ".join(str(y) for y in schema.ACADEMIC_YEARS),
        "cap": str(CAP),
        "population": POPULATION_FILE,
        "age": str(AGE_LIMIT),
        "unborn": str(UNBORN_MONTHS),
        "child_low": CHILD_DATES[0],
        "child_high": CHILD_DATES[1],
        "school_low": SCHOOL_DATES[0],
        "school_high": SCHOOL_DATES[1],
    }


_HEADER = """\
# Linked pupil-level data: input specification

<!-- Generated from src/bulletin/core/schema.py and src/bulletin/data/linked/checks.py by
`python -m bulletin.data.linked --write-docs`. Do not edit by hand: a test fails when this
file differs from what they generate. -->

This is what an analyst with access to the National Pupil Database (NPD) linked to the
children in need (CIN) census and the looked-after children return supplies to
`bulletin`. The extract holds linked children only: those in a children in need census or
a school census in the window. The synthetic population `bulletin synthetic` generates
is written in exactly this format, and so is the hand-made test extract in
`tests/fixtures/linked-small/`.

Check an extract with

```
bulletin validate --linked-data DIR [--public-data DIR]
```

It prints every problem, blocking problems first and then warnings, and exits with 1 when
any problem blocks, 0 otherwise; it writes nothing. `bulletin build --linked-data DIR`
runs the same checks first and stops, with nothing written, on a blocking problem.

## The folder

One folder per extract, holding one file per table, named `<table>.parquet` or
`<table>.csv` (never both), and a `{dataset}`. Every table below must have a file; a
table with no rows is a file with its header row only (CSV) or no rows (Parquet). Other
`.csv` or `.parquet` files are reported as warnings and ignored; columns not listed here
are reported as warnings and ignored.

`{dataset}` is a JSON object with these keys (others are allowed and passed through):

| key | meaning |
|---|---|
{keys}

`synthetic` must be JSON `true` or `false`; `provenance` a non-empty string or object (the
generator records its seed, scale and parameters there); the other keys non-empty strings.
Every output built from an extract with `synthetic: true` says so.

## The window

Children in need episodes cover the reporting years 2011-12 to 2017-18: every episode open
at some time from {start} to {end}, including episodes that started before
{start} and were still open then. An episode with no closure date was open on
{end}. School census, absence and exclusions data cover the academic years
{years} (an academic year is written as `201718` for 2017/18).

## File formats

| type | CSV | example | held as | Parquet types accepted |
|---|---|---|---|---|
{kinds}

CSV files are UTF-8 (a byte-order mark is allowed), comma-separated, with a header row
naming the columns (in any order) and `"` as the quote character. Leading and trailing
spaces are ignored and an empty cell is a missing value. Blank rows are not allowed
(they would shift the row numbers of the problems reported). Parquet columns must have
one of the types accepted for their field; a Parquet date may be stored as a timestamp,
whose time of day is ignored.

## Problems: where, and which block

Every problem names the file, the row and the column. **Rows are numbered as a
spreadsheet shows a CSV file: the header is row 1, so the first row of data is row 2.**
For a Parquet file the row is likewise the 1-based row number in the file plus 1 (the
first row of data is row 2). A problem with a whole file or column has no row.

A problem **blocks** the extract's use (the build stops, `bulletin validate` exits with
1) unless it is marked as a warning below. Blocking: a missing or unreadable file or
column, a value of the wrong type, a missing required value, a code not in the list, a
value out of range, a duplicate key (two rows with the same key that differ in another
field), a reference to a row that does not exist, and every
cross-field rule not marked as a warning. Warnings: columns or files not in the
specification, and the rules marked as warnings. At most {cap} problems are listed for
each table, column and check, followed by a count of the others.

The checks a field gets are listed in its table's last column:

- **type**: the column is present and every value has the field's type;
- **required**: every row has a value (a field that is not required may be empty);
- **code**: every value is one of the field's codes;
- **range**: every value lies in the range given (inclusive);
- **academic year**: the value is written like `201718` (the last two digits follow the
  first four);
- **date**: an episode of need or a period looked after falls in or after the child's
  birth month and no later than the month of the child's {age}th birthday; an episode
  of need may start up to {unborn} months before the birth month, as a referral about an
  unborn child does. Assessments and plans fall within their episode (see the rules), so
  after the birth too, and from {child_low} to {child_high}; the dates of a school from
  {school_low} to {school_high};
- **key**: no two rows share the table's key, unless (in `cin_episodes`) one repeats the
  other in every field: that is the same episode twice, a warning (see the table's rules),
  and the findings count it once;
- **reference**: every value exists in the table and field it refers to;
- **rules**: the field is read by one of the table's cross-field rules.

Local authority codes (`la_code`) must be among the local authorities of the public
data: any local authority code in `{population}` in the public data folder (any year),
whose `region_code` is the region a school's `region_code` must agree with.
"""


def _tables_overview() -> str:
    lines = [
        "## The tables",
        "",
        "| table | one row per... | key | fields |",
        "|---|---|---|---|",
    ]
    for t in schema.TABLES:
        key = ", ".join(f"`{k}`" for k in t.key)
        lines.append(f"| [`{t.name}`](#{t.name}) | {t.meaning} | {key} | {len(t.fields)} |")
    return "\n".join(lines) + "\n"


def _allowed(t: Table, f: Field) -> str:
    parts = []
    if f.codes:
        parts.append(
            "the codes below" if len(f.codes) > 8 else ", ".join(f"`{c}`" for c in f.codes)
        )
    if f.low is not None and f.high is not None:
        parts.append(f"{number_words(f.low)} to {number_words(f.high)}")
    if f.references:
        parts.append(f"a `{f.references}`")
    if not parts and any(
        c.kind == "rule" and c.table == t.name and f.name in c.fields for c in CHECKS
    ):
        parts.append("see the rules")
    return "; ".join(parts) or "any"


def _check_words(kinds: set[str]) -> str:
    ordered = [k for k in FIELD_CHECKS if k in kinds]
    if "rule" in kinds:
        ordered.append("rules")
    return ", ".join(ordered)


def _table_section(t: Table) -> str:
    checks = checks_by_field()
    lines = [
        f"## {t.name}",
        "",
        f"{t.meaning[:1].upper()}{t.meaning[1:]}.",
        "",
        f"Key: {', '.join(f'`{k}`' for k in t.key)}.",
        "",
        "| field | type | required | allowed values | meaning | source | checks |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in t.fields:
        lines.append(
            f"| `{f.name}` | {_KIND_WORDS[f.kind][0]} | {'yes' if f.required else 'no'} | "
            f"{_allowed(t, f)} | {f.meaning} | {f.source} | "
            f"{_check_words(checks[(t.name, f.name)])} |"
        )
    lines += _rules_section(t, [c for c in CHECKS if c.rule_of == t.name])
    for f in t.fields:
        if f.codes:
            lines += [
                "",
                f"### Codes of `{t.name}.{f.name}`",
                "",
                "| code | meaning |",
                "|---|---|",
            ]
            lines += [f"| `{c}` | {m} |" for c, m in schema.code_meanings(f.codes).items()]
    return "\n".join(lines) + "\n"


def _rules_section(t: Table, rule_checks: list[Check]) -> list[str]:
    if not t.extra_rules:
        return []
    lines = ["", "Cross-field rules:", ""]
    for text in t.extra_rules:
        checks = [c for c in rule_checks if c.text == text]
        blocking = {c.blocking for c in checks}
        if len(blocking) != 1:
            raise ValueError(f"rule {text!r} has no check, or checks that disagree on blocking")
        where = sorted({(c.table, c.column) for c in checks})
        place = "; ".join(f"`{table}.{column}`" for table, column in where)
        kind = "blocks" if blocking.pop() else "**warning**"
        lines.append(f"- {text} ({kind}; reported in {place})")
    return lines
