"""QA (EES screener): the checks EES runs on a data file and its metadata before upload.

A Python port of the rules of DfE's EES data screener (the R package eesyscreener): one
function per check, each returning a `CheckResult` named ``ees:<rule>``, where ``<rule>``
is the upstream check's name without its ``check_`` or ``precheck_`` prefix (each
function's docstring names the upstream function it implements). The rules were read in
the upstream package and written again here; no upstream code is copied. Its reference
lists (geography codes, GSS ethnicity values, harmonised column names) are read from
`screener_reference.json`, taken from the lists the upstream screener reads
(dfe-published-data-qa, MIT licence); the file says from which commit.

As upstream, the checks run in stages, and the stages after one with a failure are not
run (their checks are reported as not run). A check keeps the upstream severity: a
WARNING does not block an upload to EES, a FAIL does. Rules left out, and why, are in
`LEFT_OUT`; `docs/open-data.md` lists every upstream rule. Two checks of our own
(`OURS`) look at what the upstream screener leaves to EES itself: that indicator values
are numbers or GSS symbols, and have no more decimal places than the metadata gives.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from bulletin.core.formatting import MONTHS
from bulletin.qa.results import CheckResult, Result

PREFIX = "ees:"
REQUIRED_META = (
    "col_name",
    "col_type",
    "label",
    "indicator_grouping",
    "indicator_unit",
    "indicator_dp",
    "filter_hint",
    "filter_grouping_column",
)
OPTIONAL_META = ("filter_default", "parent_filter")
REQUIRED_DATA = (
    "geographic_level",
    "time_period",
    "time_identifier",
    "country_code",
    "country_name",
)
MANDATORY_DATA_COLUMNS = 5  # the columns every data file has besides its metadata rows
INDICATOR_UNITS = ("%", "pp", "£", "£m", "numberstring")
GSS_SYMBOLS = ("c", "x", "z", "low")
LEGACY_GSS_SYMBOLS = ("~", ":")
NULL_WORDS = ("NULL", "Null", "null", "NA", "na")
LEGACY_NO_DATA = ("N/A", "n/a", ".", "..", "-")
TOTAL_WORDS = ("Total", "total", "All", "all")
FILTER_ITEM_LIMIT = 25_000
NOT_AVAILABLE_CODE, NOT_AVAILABLE_NAME = "x", "Not available"
#: API character limits: column names, labels, location codes, filter items.
LIMIT_NAME, LIMIT_LABEL, LIMIT_CODE, LIMIT_ITEM = 50, 100, 30, 120
#: Words of sex and ethnicity that make an indicator's name look like it holds a filter.
FILTER_WORDS = (
    "male",
    "female",
    "asian",
    "chinese",
    "indian",
    "pakistani",
    "bangladeshi",
    "black",
    "african",
    "caribbean",
    "white",
    "roma",
    "irish",
    "english",
    "british",
    "scottish",
    "welsh",
    "northern irish",
    "arab",
)
ETHNICITY_GROUPS = ("Ethnicity Major", "Ethnicity Minor", "Ethnicity Detailed", "Minority Ethnic")


@dataclass(frozen=True)
class Level:
    """A geographic level EES knows and the columns that place a row at it."""

    name: str
    code: str | None
    name_column: str
    secondary: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c in (self.code, self.name_column, self.secondary) if c)


LEVELS = (
    Level("National", "country_code", "country_name"),
    Level("Regional", "region_code", "region_name"),
    Level("Local authority", "new_la_code", "la_name", "old_la_code"),
    Level("Local authority district", "lad_code", "lad_name"),
    Level("RSC region", None, "rsc_region_lead_name"),
    Level("Parliamentary constituency", "pcon_code", "pcon_name"),
    Level("Local skills improvement plan area", "lsip_code", "lsip_name"),
    Level(
        "Local enterprise partnership",
        "local_enterprise_partnership_code",
        "local_enterprise_partnership_name",
    ),
    Level("English devolved area", "english_devolved_area_code", "english_devolved_area_name"),
    Level("Opportunity area", "opportunity_area_code", "opportunity_area_name"),
    Level("Ward", "ward_code", "ward_name"),
    Level("MAT", "trust_id", "trust_name"),
    Level("Sponsor", "sponsor_id", "sponsor_name"),
    Level("School", "school_urn", "school_name", "school_laestab"),
    Level("Provider", "provider_ukprn", "provider_name"),
    Level("Institution", "institution_id", "institution_name"),
    Level("Planning area", "planning_area_code", "planning_area_name"),
    Level("Police force area", "pfa_code", "pfa_name"),
)
BY_LEVEL = {level.name: level for level in LEVELS}
INSTITUTIONS = ("School", "Provider", "Institution")
NOT_IN_TABLE_TOOL = ("Institution", "Planning area")
#: Levels whose code and name have a lookup of their own (a combination check), or no code.
LOOKED_UP = (
    "National",
    "Regional",
    "Local authority",
    "Local authority district",
    "Parliamentary constituency",
    "Ward",
    "Local enterprise partnership",
    "Local skills improvement plan area",
    "English devolved area",
    "RSC region",
    *NOT_IN_TABLE_TOOL,
)
#: For each level, the levels whose rows may fill its columns: its own rows, and rows of
#: the levels that sit within it (a school's row may give its region).
MAY_FILL = {
    "Regional": (
        "Regional",
        "Local skills improvement plan area",
        "Local authority",
        "Local enterprise partnership",
        "Opportunity area",
        "Local authority district",
        "Parliamentary constituency",
        "English devolved area",
        "Ward",
        *INSTITUTIONS,
        "Planning area",
        "Police force area",
    ),
    "Local authority": (
        "Local authority",
        "Parliamentary constituency",
        "Local authority district",
        "Ward",
        *INSTITUTIONS,
        "Planning area",
        "Police force area",
    ),
    "Local authority district": (
        "Local authority district",
        "Ward",
        *INSTITUTIONS,
        "Police force area",
    ),
    "Local skills improvement plan area": (
        "Local skills improvement plan area",
        "Local authority district",
        *INSTITUTIONS,
        "Planning area",
    ),
    "RSC region": ("RSC region", *INSTITUTIONS),
    "Parliamentary constituency": ("Parliamentary constituency", *INSTITUTIONS),
    "Local enterprise partnership": ("Local enterprise partnership", *INSTITUTIONS),
    "English devolved area": ("English devolved area", *INSTITUTIONS),
    "Opportunity area": ("Opportunity area", *INSTITUTIONS),
    "Ward": ("Ward", *INSTITUTIONS),
    "MAT": ("MAT", *INSTITUTIONS),
    "Sponsor": ("Sponsor", *INSTITUTIONS),
    "Planning area": ("Planning area", *INSTITUTIONS),
    "Police force area": ("Police force area", *INSTITUTIONS),
    "School": ("School",),
    "Provider": ("Provider",),
    "Institution": ("Institution",),
}
TERMS = ("Spring term", "Autumn term", "Summer term")
WEEKS = tuple(f"Week {n}" for n in range(1, 53))
QUARTERS = tuple(f"Financial year Q{n}" for n in range(1, 5))
HALVES = ("Part 1 (April to September)", "Part 2 (October to March)")
#: Time identifiers in families: a file may mix identifiers of one family only.
TIME_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("Autumn and spring term",),
    ("Calendar year",),
    ("Financial year",),
    ("Academic year",),
    ("Tax year",),
    ("Reporting year",),
    TERMS,
    WEEKS,
    MONTHS,
    QUARTERS,
    HALVES,
)
FOUR_DIGITS = ("Calendar year", "Reporting year", *WEEKS, *MONTHS)
SIX_DIGITS = (
    "Autumn and spring term",
    *TERMS,
    "Financial year",
    "Academic year",
    "Tax year",
    *QUARTERS,
    *HALVES,
)
#: Rules of the upstream screener left out, and why.
LEFT_OUT = {
    "check_geog_lad_combos": "no local authority district lookup here; we publish no such level",
    "check_geog_pcon_combos": "no constituency lookup here; we publish no such level",
    "check_geog_ward_combos": "no ward lookup here; we publish no such level",
    "check_geog_lep_combos": "no enterprise partnership lookup here; we publish no such level",
    "check_geog_lsip_combos": "no skills improvement area lookup here; we publish no such level",
    "check_geog_eda_combos": "no devolved area lookup here; we publish no such level",
    "check_data_dict_col_name": (
        "the EES API data dictionary is a long list that changes often and cannot be read at "
        "build time; it only warns, and only for files meant for the EES API"
    ),
    "check_data_dict_fil_item": "as check_data_dict_col_name",
}


# -- a data file and its metadata ----------------------------------------------------------


@dataclass(frozen=True)
class EesPair:
    """A data file and its metadata file, as text cells (a blank cell is "")."""

    label: str  # where the data file is, for messages
    data_name: str
    meta_name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    meta_header: tuple[str, ...]
    meta_rows: tuple[tuple[str, ...], ...]

    @cached_property
    def columns(self) -> dict[str, tuple[str, ...]]:
        return {name: tuple(row[i] for row in self.rows) for i, name in enumerate(self.header)}

    def column(self, name: str) -> tuple[str, ...]:
        return self.columns.get(name, ())

    def distinct(self, name: str) -> list[str]:
        return list(dict.fromkeys(self.column(name)))

    @cached_property
    def meta(self) -> list[dict[str, str]]:
        return [dict(zip(self.meta_header, row, strict=True)) for row in self.meta_rows]

    def meta_column(self, name: str) -> list[str]:
        return [row.get(name, "") for row in self.meta]

    def of_type(self, kind: str) -> list[str]:
        return [m.get("col_name", "") for m in self.meta if m.get("col_type") == kind]

    @property
    def filters(self) -> list[str]:
        return self.of_type("Filter")

    @property
    def indicators(self) -> list[str]:
        return self.of_type("Indicator")

    @property
    def groups(self) -> list[str]:
        return [g for g in self.meta_column("filter_grouping_column") if g.strip()]

    def meta_names(self) -> list[str]:
        """col_name and filter_grouping_column values, not blank, once each."""
        names = self.meta_column("col_name") + self.meta_column("filter_grouping_column")
        return list(dict.fromkeys(n for n in names if n.strip()))

    @cached_property
    def levels(self) -> list[str]:
        return self.distinct("geographic_level")

    def rows_at(self, levels: Iterable[str]) -> list[dict[str, str]]:
        wanted = set(levels)
        index = self.header.index("geographic_level")
        return [dict(zip(self.header, r, strict=True)) for r in self.rows if r[index] in wanted]


class UnreadableError(ValueError):
    """A file that cannot be screened at all; the message says why."""


def read_pair(data: Path, meta: Path, label: str) -> EesPair:
    """Read a data file and its metadata (UTF-8 CSV). Raises `UnreadableError`."""
    return EesPair(label, data.name, meta.name, *_read(data), *_read(meta))


def _read(path: Path) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise UnreadableError(f"no file {path.name}") from None
    except UnicodeDecodeError as exc:
        raise UnreadableError(f"{path.name} is not UTF-8 text ({exc.reason})") from None
    if path.suffix != ".csv":
        raise UnreadableError(f"{path.name} is not a CSV file")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not rows[0]:
        raise UnreadableError(f"{path.name} is empty")
    header = tuple(rows[0])
    ragged = [n for n, row in enumerate(rows[1:], start=2) if len(row) != len(header)]
    if ragged:
        raise UnreadableError(
            f"{path.name}: rows {_list(map(str, ragged[:5]))} have the wrong length"
        )
    return header, tuple(tuple(row) for row in rows[1:])


# -- the checks ------------------------------------------------------------------------------


Outcome = tuple[Result, str]


@dataclass(frozen=True)
class Check:
    name: str  # ees:<rule>
    upstream: str  # the upstream function it implements ("" for our own)
    stage: str
    run: Callable[[EesPair], CheckResult]


CHECKS: list[Check] = []


def check(
    upstream: str, stage: str, name: str = ""
) -> Callable[[Callable[[EesPair], Outcome]], Callable[[EesPair], CheckResult]]:
    """Register a check. Its body returns (result, message); the registered function
    returns the `CheckResult`, named after the upstream rule, saying which file."""
    rule = name or re.sub(r"^(check|precheck)_", "", upstream)

    def register(body: Callable[[EesPair], Outcome]) -> Callable[[EesPair], CheckResult]:
        def run(pair: EesPair) -> CheckResult:
            result, message = body(pair)
            source = f"EES screener rule {upstream}" if upstream else "our own rule"
            return CheckResult(f"{PREFIX}{rule}", result, f"{pair.label}: {message}", source)

        run.__name__, run.__doc__ = body.__name__, body.__doc__
        CHECKS.append(Check(f"{PREFIX}{rule}", upstream, stage, run))
        return run

    return register


def _list(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _verdict(bad: Sequence[str], fail: str, passed: str, result: Result = Result.FAIL) -> Outcome:
    if bad:
        return result, f"{fail}: {_list(bad)}."
    return Result.PASS, passed


def _blank(value: str) -> bool:
    return not value.strip()


@cache
def reference() -> dict[str, Any]:
    text = resources.files("bulletin.qa").joinpath("screener_reference.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def observational_units() -> list[str]:
    """Time and geography columns: they place a row, and are never filters."""
    geography = [c for level in LEVELS for c in level.columns]
    return ["time_period", "time_identifier", "geographic_level", *dict.fromkeys(geography)]


_UNIT_STARTS = [
    "country",
    "sch",
    "prov",
    "inst",
    "estab",
    "reg",
    "la",
    "local",
    "rsc",
    "pfa",
    "pcon",
    "lep",
    "mca",
    "oa",
    "ward",
    "mat",
]
_UNIT_ENDS = ["name", "code", "urn", "ukprn", "number", "upin", "id"]
_UNIT_WHOLE = [
    "laestab",
    "estab",
    "sch",
    "school",
    "schools",
    "prov",
    "provider",
    "providers",
    "inst",
    "institution",
    "institutions",
    "name",
    "code",
    "urn",
    "ukprn",
    "number",
    "upin",
    "id",
    "region",
    "la",
    "lad",
    "rsc",
    "pcon",
    "lep",
    "mca",
    "oa",
    "ward",
    "mat",
]


def looks_geographic(column: str) -> bool:
    """A column name that looks like a place (la_code, school_name, region...)."""
    lower = column.lower()
    if lower in _UNIT_WHOLE:
        return True
    return any(lower.startswith(s) for s in _UNIT_STARTS) and any(
        lower.endswith(e) for e in _UNIT_ENDS
    )


# File names ---------------------------------------------------------------------------------


@check("check_filename_spaces", "filename")
def filename_spaces(pair: EesPair) -> Outcome:
    """check_filename_spaces: no spaces in the file names."""
    bad = [n for n in (pair.data_name, pair.meta_name) if " " in n]
    return _verdict(bad, "spaces need removing from the file name", "no spaces in file names")


@check("check_filename_special", "filename")
def filename_special(pair: EesPair) -> Outcome:
    """check_filename_special: file names of letters, digits, hyphens and underscores."""
    found: list[str] = []
    for name in (pair.data_name, pair.meta_name):
        stem = name.removesuffix(".csv").removesuffix(".meta")
        found += [ch for ch in stem if not (ch.isascii() and ch.isalnum()) and ch not in "-_ \t"]
    return _verdict(
        list(dict.fromkeys(found)),
        "special characters need removing from the file names (use letters, digits, "
        "hyphens or underscores)",
        "no special characters in the file names",
    )


@check("check_filenames_match", "filename")
def filenames_match(pair: EesPair) -> Outcome:
    """check_filenames_match: the metadata file is named after the data file."""
    expected = pair.data_name.replace(".csv", ".meta.csv", 1)
    if pair.meta_name == expected:
        return Result.PASS, "the file names follow the naming convention"
    return Result.FAIL, f"the metadata file should be named '{expected}', not '{pair.meta_name}'"


# Columns present ---------------------------------------------------------------------------


@check("precheck_col_req_meta", "precheck columns")
def col_req_meta(pair: EesPair) -> Outcome:
    """precheck_col_req_meta: the metadata has every required column."""
    missing = [c for c in REQUIRED_META if c not in pair.meta_header]
    return _verdict(missing, "required metadata columns are missing", "metadata columns present")


@check("precheck_col_invalid_meta", "precheck columns")
def col_invalid_meta(pair: EesPair) -> Outcome:
    """precheck_col_invalid_meta: the metadata has no column EES does not know."""
    bad = [c for c in pair.meta_header if c not in (*REQUIRED_META, *OPTIONAL_META)]
    return _verdict(bad, "invalid columns in the metadata", "no invalid metadata columns")


@check("precheck_col_req_data", "precheck columns")
def col_req_data(pair: EesPair) -> Outcome:
    """precheck_col_req_data: the data has the time and country columns."""
    missing = [c for c in REQUIRED_DATA if c not in pair.header]
    return _verdict(missing, "required data columns are missing", "data columns present")


@check("precheck_col_to_rows", "precheck columns")
def col_to_rows(pair: EesPair) -> Outcome:
    """precheck_col_to_rows: no more metadata rows than non-mandatory data columns."""
    columns = len(pair.header) - MANDATORY_DATA_COLUMNS
    if len(pair.meta) > columns:
        return Result.FAIL, (
            f"the metadata has {len(pair.meta)} rows, more than the {columns} non-mandatory "
            "columns of the data"
        )
    return Result.PASS, f"{len(pair.meta)} metadata rows for {columns} non-mandatory columns"


@check("precheck_cross_meta_to_data", "precheck cross-file")
def cross_meta_to_data(pair: EesPair) -> Outcome:
    """precheck_cross_meta_to_data: every filter and filter group of the metadata is a
    column of the data."""
    missing = [c for c in [*pair.filters, *pair.groups] if c not in pair.header]
    return _verdict(missing, "metadata variables not in the data", "metadata variables in data")


@check("precheck_cross_data_to_meta", "precheck cross-file")
def cross_data_to_meta(pair: EesPair) -> Outcome:
    """precheck_cross_data_to_meta: every data column that varies is an observational
    unit or in the metadata."""
    units, named = set(observational_units()), set(pair.meta_names())
    bad = [
        c for c in pair.header if c not in units and c not in named and len(pair.distinct(c)) > 1
    ]
    return _verdict(
        bad,
        "data columns neither observational units nor in the metadata",
        "every data column is an observational unit or in the metadata",
        Result.WARNING,
    )


# Column names ------------------------------------------------------------------------------


@check("check_col_names_spaces", "check columns")
def col_names_spaces(pair: EesPair) -> Outcome:
    """check_col_names_spaces: no spaces in the data's column names."""
    bad = [c for c in pair.header if re.search(r"\s", c)]
    return _verdict(bad, "column names with spaces", "no spaces in column names")


@check("check_col_snake_case", "check columns")
def col_snake_case(pair: EesPair) -> Outcome:
    """check_col_snake_case: column names of lower-case letters, digits and underscores."""
    bad = list(dict.fromkeys(ch for c in pair.header for ch in re.sub(r"[a-z0-9_]", "", c)))
    return _verdict(
        bad, "characters that are not snake_case in column names", "snake_case", Result.WARNING
    )


@check("check_col_var_start", "check columns")
def col_var_start(pair: EesPair) -> Outcome:
    """check_col_var_start: column names start with a lower-case letter."""
    bad = [c for c in pair.header if not re.match(r"[a-z]", c)]
    return _verdict(
        bad, "column names not starting with a lower-case letter", "good starts", Result.WARNING
    )


@check("check_col_ind_smushed", "check columns")
def col_ind_smushed(pair: EesPair) -> Outcome:
    """check_col_ind_smushed: no indicator named after a filter item (male, white...):
    tidy data gives such items a filter."""
    bad = [i for i in pair.indicators if any(w in i.lower() for w in FILTER_WORDS)]
    return _verdict(bad, "indicators that look like filter items", "tidy indicators")


@check("check_col_var_characteristic", "check columns")
def col_var_characteristic(pair: EesPair) -> Outcome:
    """check_col_var_characteristic: no characteristic or characteristic_group filter."""
    names = pair.meta_column("col_name")
    found = (
        "characteristic" in names
        or "characteristic_group" in names
        or "characteristic_group" in pair.meta_column("filter_grouping_column")
    )
    if found:
        return Result.WARNING, "characteristic and characteristic_group are not recommended"
    return Result.PASS, "no characteristic or characteristic_group in the metadata"


# Metadata ---------------------------------------------------------------------------------


@check("precheck_meta_col_type", "precheck meta")
def meta_col_type(pair: EesPair) -> Outcome:
    """precheck_meta_col_type: col_type is Filter or Indicator."""
    bad = list(
        dict.fromkeys(t for t in pair.meta_column("col_type") if t not in ("Filter", "Indicator"))
    )
    return _verdict(bad, "invalid col_type values", "col_type is Filter or Indicator")


@check("precheck_meta_ob_unit", "precheck meta")
def meta_ob_unit(pair: EesPair) -> Outcome:
    """precheck_meta_ob_unit: no time or geography column in the metadata (a school or
    provider name may be a filter)."""
    units = [u for u in observational_units() if u not in ("school_name", "provider_name")]
    bad = [u for u in units if u in pair.meta_names()]
    return _verdict(bad, "observational units to remove from the metadata", "none in metadata")


@check("precheck_meta_col_name", "precheck meta")
def meta_col_name(pair: EesPair) -> Outcome:
    """precheck_meta_col_name: every metadata row has a col_name."""
    blank = sum(_blank(n) for n in pair.meta_column("col_name"))
    if blank:
        return Result.FAIL, f"{blank} metadata rows have no col_name"
    return Result.PASS, "every metadata row has a col_name"


@check("check_meta_dupe_label", "check meta")
def meta_dupe_label(pair: EesPair) -> Outcome:
    """check_meta_dupe_label: labels are unique."""
    labels = pair.meta_column("label")
    return _verdict(_twice(labels), "labels used twice", "labels unique")


def _twice(values: Sequence[str]) -> list[str]:
    return [v for v, n in Counter(values).items() if n > 1]


@check("check_meta_fil_grp", "check meta")
def meta_fil_grp(pair: EesPair) -> Outcome:
    """check_meta_fil_grp: no indicator has a filter_grouping_column."""
    bad = [
        m["col_name"]
        for m in pair.meta
        if m.get("col_type") == "Indicator" and not _blank(m.get("filter_grouping_column", ""))
    ]
    return _verdict(bad, "indicators with a filter_grouping_column", "no grouped indicators")


@check("check_meta_fil_grp_dupe", "check meta")
def meta_fil_grp_dupe(pair: EesPair) -> Outcome:
    """check_meta_fil_grp_dupe: a filter group groups one filter only."""
    return _verdict(_twice(pair.groups), "filter groups used twice", "filter groups unique")


@check("check_meta_fil_grp_is_fil", "check meta")
def meta_fil_grp_is_fil(pair: EesPair) -> Outcome:
    """check_meta_fil_grp_is_fil: every filter group has a metadata row of its own."""
    names = pair.meta_column("col_name")
    bad = [g for g in pair.groups if g not in names]
    return _verdict(
        bad, "filter groups with no row in col_name", "groups have rows", Result.WARNING
    )


@check("check_meta_fil_grp_match", "check meta")
def meta_fil_grp_match(pair: EesPair) -> Outcome:
    """check_meta_fil_grp_match: every filter group is a data column."""
    bad = [g for g in dict.fromkeys(pair.groups) if g not in pair.header]
    return _verdict(bad, "filter groups not in the data", "filter groups in the data")


@check("check_meta_fil_grp_stripped", "check meta")
def meta_fil_grp_stripped(pair: EesPair) -> Outcome:
    """check_meta_fil_grp_stripped: filter group items stay distinct once stripped of
    everything but letters and digits."""
    bad: list[str] = []
    for group in dict.fromkeys(pair.groups):
        items = pair.distinct(group)
        stripped = {re.sub(r"[\W_]", "", item) for item in items}
        if len(stripped) != len(items):
            bad += items
    return _verdict(bad, "filter group items that differ only in punctuation", "groups distinct")


@check("check_meta_label", "check meta")
def meta_label(pair: EesPair) -> Outcome:
    """check_meta_label: every metadata row has a label."""
    blank = sum(_blank(label) for label in pair.meta_column("label"))
    if blank:
        return Result.FAIL, f"{blank} metadata rows have no label"
    return Result.PASS, "every metadata row has a label"


def _filled_for(pair: EesPair, kind: str, column: str) -> list[str]:
    return [
        m["col_name"]
        for m in pair.meta
        if m.get("col_type") == kind and not _blank(m.get(column, ""))
    ]


@check("check_meta_filter_hint", "check meta")
def meta_filter_hint(pair: EesPair) -> Outcome:
    """check_meta_filter_hint: no indicator has a filter_hint."""
    bad = _filled_for(pair, "Indicator", "filter_hint")
    return _verdict(bad, "indicators with a filter_hint", "no indicator has a filter_hint")


@check("check_meta_geog_catch", "check meta")
def meta_geog_catch(pair: EesPair) -> Outcome:
    """check_meta_geog_catch: no filter looks like a geography column (but a school or
    provider name may be the only filter)."""
    names = [*pair.filters, *pair.groups]
    institutions = ("school_name", "provider_name")
    if len(pair.filters) == 1 and (
        pair.filters[0] in institutions or (pair.groups and pair.groups[0] in institutions)
    ):
        names = [n for n in names if n not in institutions]
    bad = [n for n in names if looks_geographic(n)]
    return _verdict(bad, "filters that look like geography columns", "no geography filters")


@check("check_meta_indicator_dp", "check meta")
def meta_indicator_dp(pair: EesPair) -> Outcome:
    """check_meta_indicator_dp: no filter has an indicator_dp."""
    bad = _filled_for(pair, "Filter", "indicator_dp")
    return _verdict(bad, "filters with an indicator_dp", "no filter has an indicator_dp")


@check("check_meta_col_name_spaces", "check meta")
def meta_col_name_spaces(pair: EesPair) -> Outcome:
    """check_meta_col_name_spaces: no spaces in col_name."""
    bad = [n for n in pair.meta_column("col_name") if re.search(r"\s", n)]
    return _verdict(bad, "col_name values with spaces", "no spaces in col_name")


@check("check_meta_col_name_dupe", "check meta")
def meta_col_name_dupe(pair: EesPair) -> Outcome:
    """check_meta_col_name_dupe: col_name values are unique."""
    return _verdict(_twice(pair.meta_column("col_name")), "col_name used twice", "unique")


@check("check_meta_ind_dp_set", "check meta")
def meta_ind_dp_set(pair: EesPair) -> Outcome:
    """check_meta_ind_dp_set: every indicator states its decimal places."""
    bad = [
        m["col_name"]
        for m in pair.meta
        if m.get("col_type") == "Indicator" and _blank(m.get("indicator_dp", ""))
    ]
    return _verdict(bad, "indicators with no indicator_dp", "indicator_dp set", Result.WARNING)


@check("check_meta_ind_dp_values", "check meta")
def meta_ind_dp_values(pair: EesPair) -> Outcome:
    """check_meta_ind_dp_values: indicator_dp is blank, zero or a positive whole number."""
    bad = [
        dp
        for dp in pair.meta_column("indicator_dp")
        if not _blank(dp) and not re.fullmatch(r"\+?\d+(\.0*)?", dp.strip())
    ]
    return _verdict(bad, "indicator_dp values that are not whole numbers of 0 or more", "valid")


@check("check_meta_ind_unit", "check meta")
def meta_ind_unit(pair: EesPair) -> Outcome:
    """check_meta_ind_unit: no filter has an indicator_unit."""
    bad = _filled_for(pair, "Filter", "indicator_unit")
    return _verdict(bad, "filters with an indicator_unit", "no filter has an indicator_unit")


@check("check_meta_ind_unit_validation", "check meta")
def meta_ind_unit_validation(pair: EesPair) -> Outcome:
    """check_meta_ind_unit_validation: indicator units are units EES knows."""
    units = [
        m.get("indicator_unit", "")
        for m in pair.meta
        if m.get("col_type") == "Indicator" and not _blank(m.get("indicator_unit", ""))
    ]
    bad = list(dict.fromkeys(u for u in units if u not in INDICATOR_UNITS))
    return _verdict(bad, "invalid indicator units", "indicator units valid")


@check("check_meta_indicator_grouping", "check meta")
def meta_indicator_grouping(pair: EesPair) -> Outcome:
    """check_meta_indicator_grouping: no filter has an indicator_grouping."""
    bad = _filled_for(pair, "Filter", "indicator_grouping")
    return _verdict(bad, "filters with an indicator_grouping", "no filter has one")


# Time -------------------------------------------------------------------------------------


@check("precheck_time_period_num", "precheck time")
def time_period_num(pair: EesPair) -> Outcome:
    """precheck_time_period_num: time_period is a 4 or 6 digit number."""
    bad = [p for p in pair.distinct("time_period") if not re.fullmatch(r"\d{4}(\d{2})?", p)]
    return _verdict(bad, "time_period values that are not 4 or 6 digits", "numeric periods")


@check("precheck_time_id_valid", "precheck time")
def time_id_valid(pair: EesPair) -> Outcome:
    """precheck_time_id_valid: every time_identifier is one EES allows."""
    allowed = {t for family in TIME_FAMILIES for t in family}
    bad = [t for t in pair.distinct("time_identifier") if t not in allowed]
    return _verdict(sorted(bad), "invalid time_identifier values", "valid time_identifiers")


@check("precheck_time_id_mix", "precheck time")
def time_id_mix(pair: EesPair) -> Outcome:
    """precheck_time_id_mix: time identifiers of one family only (terms, months...)."""
    found = pair.distinct("time_identifier")
    first = found[0] if found else ""
    family = next((f for f in TIME_FAMILIES if first in f), (first,))
    bad = [t for t in found if t not in family]
    return _verdict(bad, f"time identifiers that do not mix with '{first}'", "one family")


@check("check_time_period", "check time")
def time_period(pair: EesPair) -> Outcome:
    """check_time_period: 4 digit periods for years, 6 digit for academic or financial."""
    identifiers = pair.distinct("time_identifier")
    first = identifiers[0] if identifiers else ""
    digits = 4 if first in FOUR_DIGITS else 6 if first in SIX_DIGITS else None
    if digits is None:
        return Result.FAIL, f"no time_period length is known for '{first}'"
    bad = [p for p in pair.distinct("time_period") if len(p) != digits]
    return _verdict(bad, f"time_period values for '{first}' must have {digits} digits", "ok")


@check("check_time_period_six", "check time")
def time_period_six(pair: EesPair) -> Outcome:
    """check_time_period_six: a 6 digit period names two years in a row (201920)."""
    bad = []
    for p in pair.distinct("time_period"):
        if len(p) == 6 and p.isdigit():
            first, second = int(p[2:4]), int(p[4:6])
            if (first + 1) % 100 != second:
                bad.append(p)
    return _verdict(bad, "6 digit periods whose years are not consecutive", "consecutive years")


# Filters ----------------------------------------------------------------------------------


@check("precheck_filter_not_singular", "precheck filters")
def filter_not_singular(pair: EesPair) -> Outcome:
    """precheck_filter_not_singular: every filter has two or more items."""
    bad = [f for f in pair.filters if len(pair.distinct(f)) < 2]
    return _verdict(bad, "filters with fewer than two items", "filters have two or more items")


@check("check_filter_defaults", "check filters")
def filter_defaults(pair: EesPair) -> Outcome:
    """check_filter_defaults: every filter and group has a Total item, or its
    filter_default is one of its items."""
    defaults = {}
    for m in pair.meta:
        if m.get("col_type") == "Filter":
            defaults[m["col_name"]] = m.get("filter_default", "").strip() or "Total"
    for group in pair.groups:
        defaults.setdefault(group, "Total")
    bad = [name for name, item in defaults.items() if item not in pair.distinct(name)]
    return _verdict(
        bad, "filters with no Total or default item", "defaults present", Result.WARNING
    )


@check("check_filter_group_level", "check filters")
def filter_group_level(pair: EesPair) -> Outcome:
    """check_filter_group_level: a filter group has no more items than its filter."""
    bad = [
        m["filter_grouping_column"]
        for m in pair.meta
        if m.get("col_type") == "Filter"
        and not _blank(m.get("filter_grouping_column", ""))
        and len(pair.distinct(m["filter_grouping_column"])) > len(pair.distinct(m["col_name"]))
    ]
    return _verdict(bad, "filter groups with more items than their filter", "hierarchy right")


@check("check_filter_item_limit", "check filters")
def filter_item_limit(pair: EesPair) -> Outcome:
    """check_filter_item_limit: no filter has more than 25,000 items."""
    names = [
        n
        for n in dict.fromkeys(
            [m.get("col_name", "") for m in pair.meta if m.get("col_type") != "Indicator"]
            + pair.groups
        )
        if n.strip()
    ]
    bad = [n for n in names if len(pair.distinct(n)) > FILTER_ITEM_LIMIT]
    return _verdict(bad, f"filters with more than {FILTER_ITEM_LIMIT} items", "within limit")


@check("check_filter_whitespace", "check filters")
def filter_whitespace(pair: EesPair) -> Outcome:
    """check_filter_whitespace: filter items and place names have no spaces at either end."""
    if not pair.filters:
        return Result.PASS, "no filters"
    names = [level.columns for level in LEVELS]
    columns = [c for c in pair.header if c in pair.filters or any(c in n for n in names)]
    bad = [v for c in columns for v in pair.distinct(c) if v != v.strip() and v.strip()]
    return _verdict(bad, "items with spaces at either end", "no spaces at either end")


@check("check_filter_ob_total", "check filters")
def filter_ob_total(pair: EesPair) -> Outcome:
    """check_filter_ob_total: no Total or All in a time or geography column (blank it)."""
    institutions = ("school_name", "provider_name")
    units = [u for u in observational_units() if u not in institutions]
    columns = [c for c in pair.header if c in units or looks_geographic(c)]
    if len(pair.filters) == 1 and (
        pair.filters[0] in institutions or (pair.groups and pair.groups[0] in institutions)
    ):
        columns = [c for c in columns if c not in institutions]
    bad = [c for c in columns if set(pair.distinct(c)) & set(TOTAL_WORDS)]
    return _verdict(bad, "observational unit columns holding Total or All", "no totals in them")


@check("check_filter_blanks", "check filters")
def filter_blanks(pair: EesPair) -> Outcome:
    """check_filter_blanks: no blank filter or filter group cell."""
    names = [n for n in dict.fromkeys([*pair.filters, *pair.groups]) if n in pair.header]
    bad = [n for n in names if "" in pair.column(n)]
    return _verdict(bad, "filters with blank cells", "no blank filter cells")


# Geography --------------------------------------------------------------------------------


@check("precheck_geog_level", "precheck geography")
def geog_level(pair: EesPair) -> Outcome:
    """precheck_geog_level: every geographic_level is a level EES knows."""
    bad = [level for level in pair.levels if level not in BY_LEVEL]
    return _verdict(bad, "invalid geographic levels", "geographic levels valid")


@check("precheck_geog_level_present", "precheck geography")
def geog_level_present(pair: EesPair) -> Outcome:
    """precheck_geog_level_present: the columns of each level in the file are present."""
    if all(level == "National" for level in pair.levels):
        return Result.PASS, "national data only"
    wanted = [
        c
        for level in LEVELS
        if level.name in pair.levels and level.name != "Planning area"
        for c in level.columns
    ]
    bad = [c for c in dict.fromkeys(wanted) if c not in pair.header]
    return _verdict(bad, "columns missing for the geographic levels present", "columns present")


def _combos(
    pair: EesPair,
    columns: Sequence[str],
    valid: Iterable[Sequence[str]],
    keep: Callable[[dict[str, str]], bool],
) -> Outcome:
    if not all(c in pair.header for c in columns):
        return Result.PASS, f"no {' / '.join(columns)} columns"
    allowed = {tuple(v) for v in valid}
    seen: dict[tuple[str, ...], None] = {}
    for row in pair.rows_at(pair.levels):
        if keep(row):
            seen[tuple(row[c] for c in columns)] = None
    bad = [" ".join(combo) for combo in seen if combo not in allowed]
    return _verdict(bad, f"invalid {' / '.join(columns)} combinations", "valid combinations")


def _anywhere(width: int) -> list[list[str]]:
    """The codes and names that stand for no one place (z: outside England...)."""
    return [[*(["z"] * (width - 2)), code, name] for code, name in reference()["anywhere"]]


@check("check_geog_country_combos", "check geography")
def geog_country_combos(pair: EesPair) -> Outcome:
    """check_geog_country_combos: country codes and names match the lookup."""
    valid = [*reference()["countries"], *_anywhere(2)]
    return _combos(
        pair, ("country_code", "country_name"), valid, lambda r: r["country_code"] != "x"
    )


@check("check_geog_region_combos", "check geography")
def geog_region_combos(pair: EesPair) -> Outcome:
    """check_geog_region_combos: region codes and names match the lookup."""
    valid = [*reference()["regions"], *_anywhere(2)]
    return _combos(
        pair,
        ("region_code", "region_name"),
        valid,
        lambda r: not _blank(r["region_code"]) and r["region_code"] != "x",
    )


@check("check_geog_la_combos", "check geography")
def geog_la_combos(pair: EesPair) -> Outcome:
    """check_geog_la_combos: local authority codes (old and new) and names match the
    lookup (rows without an old code are left to other checks, as upstream)."""
    valid = [*reference()["local_authorities"], *_anywhere(3)]
    return _combos(
        pair,
        ("old_la_code", "new_la_code", "la_name"),
        valid,
        lambda r: r["new_la_code"] not in ("", "x") and not _blank(r["old_la_code"]),
    )


@check("check_geog_level_completed", "check geography")
def geog_level_completed(pair: EesPair) -> Outcome:
    """check_geog_level_completed: the columns of a row's level are filled in (except
    new_la_code, blank for some old authorities)."""
    bad: list[str] = []
    for level in LEVELS:
        if level.name not in pair.levels or level.name == "Planning area":
            continue
        columns = [c for c in level.columns if c != "new_la_code" and c in pair.header]
        rows = pair.rows_at([level.name])
        bad += [c for c in columns if any(_blank(r[c]) for r in rows)]
    return _verdict(bad, "geography columns blank at their own level", "completed")


@check("check_geog_ignored_rows", "check geography")
def geog_ignored_rows(pair: EesPair) -> Outcome:
    """check_geog_ignored_rows: the table tool can show the file's rows, and School and
    Provider rows are not mixed."""
    if all(level in NOT_IN_TABLE_TOOL for level in pair.levels):
        return Result.FAIL, "every row is at a level the EES table tool ignores"
    if "School" in pair.levels and "Provider" in pair.levels:
        return Result.FAIL, "School and Provider rows are mixed"
    return Result.PASS, "the table tool shows the file's rows"


def _other_dupes(pair: EesPair, by: str) -> Outcome:
    bad: list[str] = []
    for name in ("Opportunity area", "MAT", "Sponsor"):
        level = BY_LEVEL[name]
        if name not in pair.levels or not level.code or level.code not in pair.header:
            continue
        if level.name_column not in pair.header:
            continue
        pairs = {
            (r[level.code], r[level.name_column])
            for r in pair.rows_at([name])
            if not _blank(r[level.code])
        }
        key = 1 if by == "name" else 0
        counts = Counter(p[key] for p in pairs)
        bad += [k for k, n in counts.items() if n > 1]
    return _verdict(
        bad, f"places with more than one {'code' if by == 'name' else 'name'}", "one each"
    )


@check("check_geog_other_dupes", "check geography")
def geog_other_dupes(pair: EesPair) -> Outcome:
    """check_geog_other_dupes: an opportunity area, trust or sponsor has one code."""
    return _other_dupes(pair, "name")


@check("check_geog_other_code_dupes", "check geography")
def geog_other_code_dupes(pair: EesPair) -> Outcome:
    """check_geog_other_code_dupes: an opportunity area, trust or sponsor code has one name."""
    return _other_dupes(pair, "code")


def _columns_present(pair: EesPair, level: str) -> Outcome:
    columns = BY_LEVEL[level].columns
    present = [c for c in columns if c in pair.header]
    missing = [c for c in columns if c not in pair.header]
    if present and missing:
        return Result.FAIL, f"{level} columns missing while others are present: {_list(missing)}."
    return Result.PASS, f"{level} columns all present or all absent"


@check("check_geog_la_col_present", "check geography")
def geog_la_col_present(pair: EesPair) -> Outcome:
    """check_geog_la_col_present: with any local authority column, all of them."""
    return _columns_present(pair, "Local authority")


@check("check_geog_region_col_present", "check geography")
def geog_region_col_present(pair: EesPair) -> Outcome:
    """check_geog_region_col_present: with any region column, both of them."""
    return _columns_present(pair, "Regional")


def _region_for(pair: EesPair, level: str) -> Outcome:
    if level not in pair.levels:
        return Result.PASS, f"no {level} rows"
    missing = [c for c in ("region_code", "region_name") if c not in pair.header]
    if missing:
        return Result.WARNING, f"region columns missing for {level} rows: {_list(missing)}."
    rows = pair.rows_at([level])
    if any(_blank(r["region_code"]) or _blank(r["region_name"]) for r in rows):
        return Result.WARNING, f"region_code or region_name blank in {level} rows"
    return Result.PASS, f"{level} rows give their region"


@check("check_geog_region_for_la", "check geography")
def geog_region_for_la(pair: EesPair) -> Outcome:
    """check_geog_region_for_la: local authority rows give their region."""
    return _region_for(pair, "Local authority")


@check("check_geog_region_for_lad", "check geography")
def geog_region_for_lad(pair: EesPair) -> Outcome:
    """check_geog_region_for_lad: local authority district rows give their region."""
    return _region_for(pair, "Local authority district")


def _tested_levels(pair: EesPair) -> list[Level]:
    return [
        level
        for level in LEVELS
        if level.name not in LOOKED_UP
        and level.name in pair.levels
        and level.code
        and level.code in pair.header
        and level.name_column in pair.header
    ]


@check("check_geog_na", "check geography")
def geog_na(pair: EesPair) -> Outcome:
    """check_geog_na: a place coded x is named Not available."""
    bad = [
        level.name
        for level in _tested_levels(pair)
        if any(
            code == NOT_AVAILABLE_CODE and name != NOT_AVAILABLE_NAME
            for code, name in zip(
                pair.column(level.code or ""), pair.column(level.name_column), strict=True
            )
        )
    ]
    return _verdict(bad, "levels with a code x not named Not available", "x is Not available")


@check("check_geog_na_code", "check geography")
def geog_na_code(pair: EesPair) -> Outcome:
    """check_geog_na_code: a place named Not available is coded x."""
    bad = [
        level.name
        for level in _tested_levels(pair)
        if any(
            r[level.name_column] == NOT_AVAILABLE_NAME and r[level.code or ""] != NOT_AVAILABLE_CODE
            for r in pair.rows_at([level.name])
        )
    ]
    return _verdict(bad, "levels with Not available not coded x", "Not available is x")


@check("check_geog_overcompleted_cols", "check geography")
def geog_overcompleted_cols(pair: EesPair) -> Outcome:
    """check_geog_overcompleted_cols: a level's columns are blank in rows of levels that
    do not sit within it (a national row gives no region)."""
    bad: list[str] = []
    for level in LEVELS:
        if level.name == "National":
            continue
        columns = [c for c in level.columns if c in pair.header]
        if (
            level.name in ("School", "Provider")
            and len(pair.filters) == 1
            and level.name_column in (*pair.filters, *pair.groups)
        ):
            columns = [c for c in columns if c != level.name_column]
        others = [lv for lv in pair.levels if lv not in MAY_FILL.get(level.name, ())]
        if not columns or not others:
            continue
        rows = pair.rows_at(others)
        bad += [c for c in columns if any(not _blank(r[c]) for r in rows)]
    return _verdict(list(dict.fromkeys(bad)), "geography columns filled at other levels", "empty")


# General ----------------------------------------------------------------------------------


@check("check_general_dupes", "check general")
def general_dupes(pair: EesPair) -> Outcome:
    """check_general_dupes: no two rows share their time, place and filter items."""
    only = len(pair.levels) == 1 and pair.levels[0] in ("School", "Provider")
    left_out = NOT_IN_TABLE_TOOL if only else ("School", "Provider", *NOT_IN_TABLE_TOOL)
    keys = [
        c
        for c in dict.fromkeys([*observational_units(), *pair.filters, *pair.groups])
        if c in pair.header
    ]
    kept = [lv for lv in pair.levels if lv not in left_out]
    counts = Counter(tuple(r[c] for c in keys) for r in pair.rows_at(kept))
    duplicates = sum(n - 1 for n in counts.values())
    if duplicates:
        return Result.FAIL, f"{duplicates} duplicate rows"
    return Result.PASS, "no duplicate rows"


@check("check_general_null", "check general")
def general_null(pair: EesPair) -> Outcome:
    """check_general_null: no NULL or NA in the data or metadata; legacy no-data
    symbols (N/A, ., .., -) warn."""
    cells = {v for row in pair.rows for v in row}
    meta = {v for row in pair.meta_rows for v in row}
    found = [w for w in NULL_WORDS if w in cells]
    in_meta = [w for w in NULL_WORDS if w in meta]
    if found or in_meta:
        return (
            Result.FAIL,
            f"null symbols in the data {_list(found)}, in the metadata {_list(in_meta)}",
        )
    legacy = [w for w in LEGACY_NO_DATA if w in cells]
    if legacy:
        return Result.WARNING, f"legacy no-data symbols in the data: {_list(legacy)}."
    return Result.PASS, "no null or legacy symbols"


# Indicators -------------------------------------------------------------------------------


@check("check_ind_invalid_entry", "check indicators")
def ind_invalid_entry(pair: EesPair) -> Outcome:
    """check_ind_invalid_entry: no blank indicator cell and no legacy symbol (~ or :)."""
    bad = [i for i in pair.indicators if set(pair.column(i)) & {"", *LEGACY_GSS_SYMBOLS}]
    return _verdict(bad, "indicators with blank cells or legacy symbols", "no invalid entries")


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@check("", "check indicators", name="bulletin_indicator_values")
def indicator_values(pair: EesPair) -> Outcome:
    """Ours: every indicator cell is a plain number or a GSS symbol (c, x, z, low)."""
    bad = [
        f"{i} {v}"
        for i in pair.indicators
        for v in pair.distinct(i)
        if v and v not in GSS_SYMBOLS and not _NUMBER.fullmatch(v)
    ]
    return _verdict(
        bad[:10], "indicator cells neither numbers nor GSS symbols", "numbers or symbols"
    )


@check("", "check indicators", name="bulletin_indicator_places")
def indicator_places(pair: EesPair) -> Outcome:
    """Ours: no indicator value has more decimal places than its indicator_dp."""
    bad = []
    for m in pair.meta:
        dp = m.get("indicator_dp", "").strip()
        if m.get("col_type") != "Indicator" or not dp.isdigit():
            continue
        bad += [
            f"{m['col_name']} {v}"
            for v in pair.distinct(m.get("col_name", ""))
            if _NUMBER.fullmatch(v) and len(v.partition(".")[2]) > int(dp)
        ]
    return _verdict(bad[:10], "values with more decimal places than indicator_dp", "places fit")


# Harmonised variables ---------------------------------------------------------------------


@check("check_harmonised_variables", "check harmonised")
def harmonised_variables(pair: EesPair) -> Outcome:
    """check_harmonised_variables: columns about ethnicity, SEN, phase or school type use
    the harmonised names (ethnicity_major, sen_provision...)."""
    pairs = reference()["harmonised_columns"]
    searches = {s for s, _ in pairs}
    standard = {h for _, h in pairs}
    bad = [
        n for n in pair.meta_names() if any(s in n.lower() for s in searches) and n not in standard
    ]
    return _verdict(bad, "columns that should use a harmonised name", "harmonised names")


def _ethnicity_values(which: int) -> set[str]:
    return {row[which] for row in reference()["ethnicity"]}


@check("check_harmonised_eth_vals", "check harmonised")
def harmonised_eth_vals(pair: EesPair) -> Outcome:
    """check_harmonised_eth_vals: ethnicity items follow the GSS standard."""
    major, minor = "ethnicity_major" in pair.header, "ethnicity_minor" in pair.header
    if not major and not minor:
        return Result.PASS, "no ethnicity columns"
    if major and minor:
        allowed = {tuple(row) for row in reference()["ethnicity"]}
        found = dict.fromkeys(
            zip(pair.column("ethnicity_major"), pair.column("ethnicity_minor"), strict=True)
        )
        bad = [f"{a}, {b}" for a, b in found if (a, b) not in allowed]
    else:
        column = "ethnicity_major" if major else "ethnicity_minor"
        allowed_values = _ethnicity_values(0 if major else 1)
        bad = [v for v in pair.distinct(column) if v not in allowed_values]
    return _verdict(bad, "ethnicity items not in the GSS standard", "GSS ethnicity", Result.WARNING)


@check("check_harmonised_eth_char_grp", "check harmonised")
def harmonised_eth_char_grp(pair: EesPair) -> Outcome:
    """check_harmonised_eth_char_grp: ethnicity characteristic groups use the standard
    names (Ethnicity Major...)."""
    if "characteristic_group" not in pair.header:
        return Result.PASS, "no characteristic_group column"
    bad = [
        g
        for g in pair.distinct("characteristic_group")
        if "ethnic" in g.lower() and not any(s in g for s in ETHNICITY_GROUPS)
    ]
    return _verdict(bad, "ethnicity characteristic groups with other names", "standard names")


@check("check_harmonised_eth_char_vals", "check harmonised")
def harmonised_eth_char_vals(pair: EesPair) -> Outcome:
    """check_harmonised_eth_char_vals: ethnicity characteristics follow the GSS standard."""
    if "characteristic_group" not in pair.header or "characteristic" not in pair.header:
        return Result.PASS, "no characteristic_group and characteristic columns"
    allowed = _ethnicity_values(0) | _ethnicity_values(1)
    found = dict.fromkeys(
        c
        for g, c in zip(
            pair.column("characteristic_group"), pair.column("characteristic"), strict=True
        )
        if "ethnic" in g.lower()
    )
    bad = [c for c in found if c not in allowed]
    return _verdict(bad, "ethnicity characteristics not in the GSS standard", "GSS", Result.WARNING)


# API limits -------------------------------------------------------------------------------


def _too_long(values: Iterable[str], limit: int, what: str) -> Outcome:
    bad = [v for v in dict.fromkeys(values) if len(v) > limit]
    return _verdict(
        bad, f"{what} longer than {limit} characters", f"{what} short enough", Result.WARNING
    )


@check("check_api_char_col_name", "check API")
def api_char_col_name(pair: EesPair) -> Outcome:
    """check_api_char_col_name: column names of 50 characters or fewer."""
    return _too_long(pair.header, LIMIT_NAME, "column names")


@check("check_api_char_col_label", "check API")
def api_char_col_label(pair: EesPair) -> Outcome:
    """check_api_char_col_label: labels of 100 characters or fewer."""
    return _too_long(pair.meta_column("label"), LIMIT_LABEL, "labels")


@check("check_api_char_loc_code", "check API")
def api_char_loc_code(pair: EesPair) -> Outcome:
    """check_api_char_loc_code: location codes of 30 characters or fewer."""
    codes = [c for level in LEVELS for c in (level.code, level.secondary) if c]
    return _too_long(
        [v for c in codes if c in pair.header for v in pair.distinct(c)], LIMIT_CODE, "codes"
    )


@check("check_api_char_filter_items", "check API")
def api_char_filter_items(pair: EesPair) -> Outcome:
    """check_api_char_filter_items: filter items and location names of 120 characters or
    fewer."""
    columns = [*pair.filters, *pair.groups, *(level.name_column for level in LEVELS)]
    values = [v for c in dict.fromkeys(columns) if c in pair.header for v in pair.distinct(c)]
    return _too_long(values, LIMIT_ITEM, "filter items")


# -- screening ------------------------------------------------------------------------------

STAGES = tuple(dict.fromkeys(c.stage for c in CHECKS))
OURS = tuple(c.name for c in CHECKS if not c.upstream)
READ = f"{PREFIX}file_read"


def screen(pair: EesPair) -> list[CheckResult]:
    """Every check on a pair of files, stage by stage: once a stage has failed, the
    checks of later stages are reported as not run."""
    results: list[CheckResult] = []
    failed = ""
    for stage in STAGES:
        for c in (c for c in CHECKS if c.stage == stage):
            if failed:
                message = f"{pair.label}: not run, because the {failed} checks failed"
                results.append(CheckResult(c.name, Result.WARNING, message))
            else:
                results.append(c.run(pair))
        if not failed and any(r.result is Result.FAIL for r in results):
            failed = stage
    return results


def screen_files(data: Path, meta: Path, label: str) -> list[CheckResult]:
    """Read and screen a data file and its metadata file."""
    try:
        pair = read_pair(data, meta, label)
    except UnreadableError as exc:
        return [CheckResult(READ, Result.FAIL, f"{label}: {exc}", "screen_csv: reading the files")]
    return [CheckResult(READ, Result.PASS, f"{label}: read"), *screen(pair)]


def screen_site(site: Path) -> list[CheckResult]:
    """The screener on every EES data file of a built site (a CSV with a .meta.csv beside
    it, in data/<publication>/): a PASS per check that passed on every file, and every
    result that did not pass."""
    results: list[CheckResult] = []
    metas = sorted(site.glob("data/*/*.meta.csv"))
    for meta in metas:
        data = meta.with_name(meta.name.removesuffix(".meta.csv") + ".csv")
        results += screen_files(data, meta, data.relative_to(site).as_posix())
    names = [READ, *(c.name for c in CHECKS)]
    summary: list[CheckResult] = []
    for name in names:
        found = [r for r in results if r.check == name]
        failing = [r for r in found if r.result is not Result.PASS]
        if failing:
            summary += failing
        else:
            summary.append(CheckResult(name, Result.PASS, f"passed on {len(metas)} EES files"))
    return summary
