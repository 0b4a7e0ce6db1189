"""`bulletin validate` on copies of the hand-made extract, each damaged in one way.

Every expected problem is worked out by hand from tests/fixtures/make_linked_small.py
(the working is in the comments). Facts used throughout:

- children.csv row 2 is child 1001 (block 1, born 1997-03, F, WBRI/WHIT, education_only);
  row 3 is child 1002 (born 2001-05), row 4 is child 1003 (born 2005-11).
- cin_episodes.csv row N is episode N - 1. Episode 1 (row 2) is child 2001's NFA referral
  (Birmingham, 2011-05-03, source 1A). Episode 21 (row 22) is block 3's first: child
  3001, referral REFERRAL_DATES[0] = 2011-05-03, closed 120 days later on 2011-08-31
  with reason RC1, no plan. Episode 61 (row 62) is block 4's first (20 + 40 episodes
  before it): referral 2011-05-03, closed 260 days later on 2012-01-18.
- child_protection_plans.csv row 2 is plan 1, of episode 61: 2011-06-02 to 2011-12-19.
- school_census.csv rows 2 and 3 are child 1001 in 201112 (ncyear 10) and 201213
  (ncyear 11) at urn 100002 (SECONDARY[0]), status C. 1,742 data rows, so the last is row 1743.
- absence.csv row 2 is child 1001 in 201112: 320 possible, 5 + 1001 % 10 = 6 authorised,
  1001 % 7 = 0 unauthorised.
- ks2.csv row 2 is child 1001 (200708, levels era); ks4.csv row 2 is child 1001.
- cin_assessment_factors.csv row 2 is (1, 1A); 350 data rows, so the last is row 351.
- schools.csv row 2 is urn 100001 (Birmingham, E08000025, region E12000005); 10 schools.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bulletin.cli import main
from bulletin.core.problems import Problem
from bulletin.data.population import POPULATION_FILE
from tests.data.linked_helpers import (
    PUBLIC,
    ROOT,
    copy_fixture,
    read_rows,
    set_cell,
    snapshot,
    write_rows,
)


@dataclass(frozen=True)
class Damage:
    name: str
    damage: Callable[[Path], object]  # what it returns is ignored
    expected: Problem
    also: tuple[Problem, ...] = ()  # other problems this damage must cause, and no others
    any_other: bool = False  # other problems of the same blocking kind are allowed
    public: Path = field(default=PUBLIC)  # the public data folder to check la_codes against


def cell_to(table: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    return lambda folder: set_cell(folder, table, row, column, value)


def append_copy(table: str, row: int, **changes: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        rows = read_rows(folder, table)
        new = list(rows[row - 1])
        for column, value in changes.items():
            new[rows[0].index(column)] = value
        write_rows(folder, table, [*rows, new])

    return damage


def drop_column(table: str, column: str) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        rows = read_rows(folder, table)
        i = rows[0].index(column)
        write_rows(folder, table, [r[:i] + r[i + 1 :] for r in rows])

    return damage


def edit_text(name: str, edit: Callable[[str], str]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        path = folder / name
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")

    return damage


def delete(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


def to_parquet(table: str, sql: str = "*") -> Callable[[Path], None]:
    """Replace <table>.csv by <table>.parquet, selecting `sql` from the CSV read as text."""

    def damage(folder: Path) -> None:
        import duckdb

        csv_path, out = folder / f"{table}.csv", folder / f"{table}.parquet"
        duckdb.execute(
            f"COPY (SELECT {sql} FROM read_csv('{csv_path}', all_varchar = true)) TO '{out}'"
        )
        csv_path.unlink()

    return damage


def many(*damages: Callable[[Path], None]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        for d in damages:
            d(folder)

    return damage


def problem(
    file: str, row: int | None, column: str | None, message: str, blocking: bool = True
) -> Problem:
    return Problem(file, row, column, message, blocking)


ORPHAN_1001 = problem(  # absence.csv row 2 is child 1001 in 201112: its census row is gone
    "absence.csv",
    2,
    "child_id",
    "an orphan: child 1001 has no school census row at main registration in 201112, so the "
    "row is in no count of absence",
    blocking=False,
)


RAW_CHILDREN_HEADER = (
    "child_id,match_status,birth_year,birth_month,gender,ethnicity_minor,ethnicity_major"
)

DAMAGES = [
    # -- types -------------------------------------------------------------------------------
    Damage(
        "wrong type: integer",
        cell_to("children", 2, "birth_year", "19x7"),
        problem("children.csv", 2, "birth_year", "'19x7' is not a whole number"),
    ),
    Damage(
        "wrong type: date",
        cell_to("cin_episodes", 22, "referral_date", "2011-05-32"),
        problem(
            "cin_episodes.csv", 22, "referral_date", "'2011-05-32' is not a date written YYYY-MM-DD"
        ),
    ),
    Damage(
        "wrong type: true/false",
        cell_to("school_census", 2, "fsm_eligible", "yes"),
        problem(
            "school_census.csv",
            2,
            "fsm_eligible",
            "'yes' is not true or false (write true, false, 1 or 0)",
        ),
    ),
    Damage(
        "wrong type: number",
        cell_to("ks4", 2, "attainment8", "4O.5"),
        problem(
            "ks4.csv",
            2,
            "attainment8",
            "'4O.5' is not a number (use a decimal point; no NaN or infinity)",
        ),
    ),
    Damage(
        "wrong type: Parquet column stored as text",
        to_parquet("children", "* REPLACE (CAST(birth_year AS BIGINT) AS birth_month)"),
        # every column of the Parquet file is text (all_varchar) but birth_month: the ID and
        # INT columns child_id and birth_year are reported, then read as text (and parse)
        problem(
            "children.parquet",
            None,
            "birth_year",
            "stored as VARCHAR, not as one of TINYINT, SMALLINT, INTEGER, BIGINT, UTINYINT, "
            "USMALLINT, UINTEGER, UBIGINT",
        ),
        also=(
            problem(
                "children.parquet",
                None,
                "child_id",
                "stored as VARCHAR, not as one of TINYINT, SMALLINT, INTEGER, BIGINT, "
                "UTINYINT, USMALLINT, UINTEGER, UBIGINT",
            ),
        ),
        # birth_month now holds the birth year (e.g. 1997): out of range on every row
        any_other=True,
    ),
    Damage(
        "wrong value in a Parquet file: row numbers count from 2",
        to_parquet(
            "ks4",
            "CAST(child_id AS BIGINT) AS child_id, CAST(academic_year AS BIGINT) AS academic_year, "
            "CAST(urn AS BIGINT) AS urn, CASE WHEN child_id = '1002' THEN 'nan'::DOUBLE "
            "ELSE attainment8::DOUBLE END AS attainment8, progress8::DOUBLE AS progress8, "
            "em_grade4::BOOLEAN AS em_grade4, em_grade5::BOOLEAN AS em_grade5",
        ),
        # child 1002 is the second data row of ks4 (1001 then 1002, block 1): row 3
        problem(
            "ks4.parquet",
            3,
            "attainment8",
            "'nan' is not a number (use a decimal point; no NaN or infinity)",
        ),
    ),
    # -- codes, ranges, required values ----------------------------------------------------------
    Damage(
        "bad code",
        cell_to("children", 3, "gender", "Q"),
        problem("children.csv", 3, "gender", "'Q' is not an allowed code (allowed: F, M, U)"),
    ),
    Damage(
        "bad code from a long list",
        cell_to("cin_episodes", 2, "referral_source", "11"),
        problem(
            "cin_episodes.csv",
            2,
            "referral_source",
            "'11' is not an allowed code (allowed: see docs/linked-data.md)",
        ),
    ),
    Damage(
        "out of range",
        cell_to("children", 4, "birth_month", "13"),
        # child 1003 was born in November: 13 is also > 8, so the pupil's age is unchanged
        problem("children.csv", 4, "birth_month", "13 is outside the range 1 to 12"),
    ),
    Damage(
        "out of range, breaking a rule too",
        cell_to("absence", 2, "sessions_possible", "0"),
        problem("absence.csv", 2, "sessions_possible", "0 is outside the range 1 to 400"),
        also=(
            problem(
                "absence.csv", 2, "sessions_possible", "6 sessions missed, more than the 0 possible"
            ),
        ),
    ),
    Damage(
        "academic year not written like 201718",
        # 201299 is within 201112 to 201718; year 2012 makes child 1001 15 (ncyear 11 +- 1)
        cell_to("school_census", 2, "academic_year", "201299"),
        problem(
            "school_census.csv",
            2,
            "academic_year",
            "201299 is not an academic year written like 201718",
        ),
        also=(ORPHAN_1001,),
    ),
    Damage(
        "missing required value",
        cell_to("cin_episodes", 2, "referral_source", ""),
        problem("cin_episodes.csv", 2, "referral_source", "a value is required"),
    ),
    # -- keys and references ----------------------------------------------------------------------
    Damage(
        "duplicate key of two fields",
        append_copy("cin_assessment_factors", 2),
        # 334 assessments (354 episodes less 20 NFA referrals), two factors each: rows 2 to
        # 669, so the copy is row 670
        problem(
            "cin_assessment_factors.csv",
            670,
            "assessment_id, factor",
            "(assessment_id, factor) = (1, 1A) is also on row 2",
        ),
    ),
    Damage(
        "duplicate key",
        append_copy("schools", 2),
        problem("schools.csv", 12, "urn", "(urn) = (100001) is also on row 2"),
    ),
    Damage(
        "census row of an unknown child",
        cell_to("school_census", 2, "child_id", "999999"),
        problem("school_census.csv", 2, "child_id", "no child_id 999999 in children"),
        also=(ORPHAN_1001,),
    ),
    Damage(
        "plan of an unknown episode",
        cell_to("child_protection_plans", 2, "episode_id", "9999"),
        problem(
            "child_protection_plans.csv", 2, "episode_id", "no episode_id 9999 in cin_episodes"
        ),
    ),
    Damage(
        "pupil at an unknown school",
        cell_to("school_census", 2, "urn", "123456"),
        problem("school_census.csv", 2, "urn", "no urn 123456 in schools"),
    ),
    # -- time ---------------------------------------------------------------------------------------
    Damage(
        "episode ending before it starts",
        cell_to("cin_episodes", 22, "closure_date", "2011-05-01"),
        problem(
            "cin_episodes.csv",
            22,
            "closure_date",
            "the episode closes on 2011-05-01, before its referral_date 2011-05-03",
        ),
    ),
    Damage(
        "plan ending after its episode",
        cell_to("child_protection_plans", 2, "end_date", "2012-02-01"),
        problem(
            "child_protection_plans.csv",
            2,
            "end_date",
            "the plan ends on 2012-02-01, but its episode closed on 2012-01-18 (cin_episodes row 62)",
        ),
    ),
    Damage(
        "plan starting before its episode",
        cell_to("child_protection_plans", 2, "start_date", "2011-05-01"),
        problem(
            "child_protection_plans.csv",
            2,
            "start_date",
            "the plan starts on 2011-05-01, outside its episode (2011-05-03 to 2012-01-18, "
            "cin_episodes row 62)",
        ),
    ),
    Damage(
        "age does not fit the curriculum year (a warning)",
        # born March 1997: 14 on 31 August 2011, so year 14 - 4 = 10; 7 is 3 years off
        cell_to("school_census", 2, "ncyear", "7"),
        problem(
            "school_census.csv",
            2,
            "ncyear",
            "ncyear 7 does not fit the pupil's age: born 1997-03, aged 14 on 31 August 2011, "
            "so year 10 give or take one",
            blocking=False,
        ),
    ),
    Damage(
        "school closed on census day (a warning)",
        # school 100001 opened after the 201112 census (third Thursday of January 2012 = the
        # 19th). Its first pupil then is child 1007 (block 1, n = 7: born 2001, year 6, PRIMARY[0],
        # SEN N), whose first census row is 28: 1001 has 2 rows, 1002 6, 1003 7, 1004 7, 1005 2,
        # 1006 2, so 2 + 2 + 6 + 7 + 7 + 2 + 2 = 28.
        cell_to("schools", 2, "open_date", "2012-09-01"),
        problem(
            "school_census.csv",
            28,
            "urn",
            "school 100001 was not open on census day 2012-01-19 (open 2012-09-01 to now)",
            blocking=False,
        ),
        any_other=True,
    ),
    # -- cross-field rules --------------------------------------------------------------------------
    Damage(
        "closure reason without a closure date",
        cell_to("cin_episodes", 22, "closure_date", ""),
        problem(
            "cin_episodes.csv",
            22,
            "closure_reason",
            "closure_reason is given, but closure_date is empty",
        ),
    ),
    Damage(
        "ethnic major group that does not fit the minor group",
        cell_to("children", 2, "ethnicity_major", "ASIA"),
        problem(
            "children.csv", 2, "ethnicity_major", "'ASIA' is not the major group of WBRI (WHIT)"
        ),
    ),
    Damage(
        "care_only child with pupil records",
        cell_to("children", 2, "match_status", "care_only"),
        # child 1001: census rows 2 and 3, absence rows 2 and 3 (ncyear 10 and 11), and the
        # first row of ks2, ks4 and post16; no exclusion (1001 % 9 = 2) and no EYFSP (born 1997)
        problem(
            "school_census.csv",
            2,
            "child_id",
            "child 1001 is care_only in children, on row 2, but has this pupil record",
        ),
        also=(
            *(
                problem(
                    f"{t}.csv",
                    r,
                    "child_id",
                    "child 1001 is care_only in children, on row 2, but has this pupil record",
                )
                for t, r in (
                    ("school_census", 3),
                    ("absence", 2),
                    ("absence", 3),
                    ("ks2", 2),
                    ("ks4", 2),
                    ("post16", 2),
                )
            ),
            problem(
                "children.csv",
                2,
                "match_status",
                "the child is care_only but has no children in need episode",
                blocking=False,
            ),
        ),
    ),
    Damage(
        "subsidiary registration without a main one",
        cell_to("school_census", 2, "enrolment_status", "S"),
        problem(
            "school_census.csv",
            2,
            "enrolment_status",
            "a subsidiary registration (S) of child 1001 in 201112 with no main registration (M)",
        ),
        also=(ORPHAN_1001,),  # an S row is not a main registration
    ),
    Damage(
        "absence of a pupil with no census row that year",
        lambda folder: write_rows(
            folder,
            "school_census",
            [r for i, r in enumerate(read_rows(folder, "school_census")) if i != 1],
        ),  # school_census.csv row 2 (child 1001 in 201112) removed: nothing else reads it
        ORPHAN_1001,
    ),
    Damage(
        "an episode row repeated in every field",
        # cin_episodes.csv has 354 data rows (episodes 1 to 354): the copy of row 22 is row 356
        append_copy("cin_episodes", 22),
        problem(
            "cin_episodes.csv",
            356,
            "episode_id",
            "the row repeats row 22 in every field: one episode, counted once",
            blocking=False,
        ),
    ),
    Damage(
        "an episode id on two rows that differ",
        append_copy("cin_episodes", 22, closure_reason="RC2"),
        problem(
            "cin_episodes.csv",
            356,
            "episode_id",
            "(episode_id) = (21) is also on row 22, with other values",
        ),
    ),
    Damage(
        "two main registrations",
        append_copy("school_census", 2, urn="100004"),
        problem(  # 2,479 census rows (the file's 2,480 lines less the header): the copy is 2481
            "school_census.csv",
            2481,
            "enrolment_status",
            "a second main registration (C or M) of child 1001 in 201112: another is on row 2",
        ),
    ),
    Damage(
        "more sessions missed than possible",
        cell_to("absence", 2, "sessions_authorised", "321"),
        problem(
            "absence.csv", 2, "sessions_possible", "321 sessions missed, more than the 320 possible"
        ),
    ),
    Damage(
        "key stage 2 score of the wrong era",
        cell_to("ks2", 2, "reading_scaled", "100"),
        problem(
            "ks2.csv",
            2,
            "reading_scaled",
            "reading_scaled is given for 200708, but is used only from 201516",
        ),
    ),
    Damage(
        "unknown local authority",
        cell_to("cin_episodes", 2, "la_code", "E99999999"),
        problem(
            "cin_episodes.csv",
            2,
            "la_code",
            "'E99999999' is not a local authority code in the public data",
        ),
    ),
    Damage(
        "school in the wrong region",
        cell_to("schools", 2, "region_code", "E12000001"),
        problem(
            "schools.csv",
            2,
            "region_code",
            "'E12000001' is not the region of E08000025 (E12000005)",
        ),
    ),
    # -- files, columns, rows -----------------------------------------------------------------------
    Damage(
        "missing column",
        drop_column("children", "gender"),
        problem("children.csv", 1, "gender", "required column is missing"),
    ),
    Damage(
        "missing file",
        delete("eyfsp.csv"),
        problem(
            "eyfsp.parquet or eyfsp.csv",
            None,
            None,
            "file not found: every table needs a file (a header row alone for a table with no rows)",
        ),
    ),
    Damage(
        "row with a cell missing",
        edit_text("children.csv", lambda t: t.replace("1001,education_only,", "1001,", 1)),
        problem("children.csv", 2, None, "has 6 cells, the header has 7"),
        also=(
            problem(
                "children.csv",
                None,
                None,
                "the other rows of this file were not checked: fix the rows above first",
            ),
        ),
    ),
    Damage(
        "blank row",
        edit_text("children.csv", lambda t: t.replace("\n1003,", "\n\n1003,", 1)),
        problem("children.csv", 4, None, "blank row: delete it (rows after it cannot be numbered)"),
        also=(
            problem(
                "children.csv",
                None,
                None,
                "the other rows of this file were not checked: fix the rows above first",
            ),
        ),
    ),
    Damage(
        "column not in the specification (a warning)",
        many(
            edit_text(
                "schools.csv", lambda t: t.replace("\n", ",x\n").replace(",x\n", ",notes\n", 1)
            ),
        ),
        problem(
            "schools.csv", 1, "notes", "column is not in the specification; it is ignored", False
        ),
    ),
    Damage(
        "file not in the specification (a warning)",
        lambda folder: (folder / "extra.csv").write_text("a\n1\n", encoding="utf-8"),
        problem("extra.csv", None, None, "not a table of the specification; it is ignored", False),
    ),
    Damage(
        "a table given twice",
        lambda folder: shutil.copy(folder / "schools.csv", folder / "schools.parquet"),
        # the Parquet file is read first, and this one is not Parquet at all
        problem(
            "schools.parquet", None, None, "schools.csv is also present: keep one file per table"
        ),
        any_other=True,
    ),
    # -- dataset.json and the public data -----------------------------------------------------------
    Damage(
        "dataset.json missing",
        delete("dataset.json"),
        problem("dataset.json", None, None, "file not found: every extract needs one"),
    ),
    Damage(
        "dataset.json not JSON",
        edit_text("dataset.json", lambda t: t.replace('"synthetic": false', '"synthetic": fals')),
        # line 3 of the file written by json.dumps(indent=2): {, "name", "synthetic"
        problem("dataset.json", 3, None, "not valid JSON: Expecting value"),
    ),
    Damage(
        "dataset.json: synthetic not true or false",
        edit_text(
            "dataset.json", lambda t: t.replace('"synthetic": false', '"synthetic": "false"')
        ),
        problem("dataset.json", None, "synthetic", "must be true or false, not 'false'"),
    ),
    Damage(
        "dataset.json: a key missing",
        edit_text("dataset.json", lambda t: t.replace('"name"', '"title"')),
        problem("dataset.json", None, "name", "required key is missing"),
    ),
    Damage(
        "no public data to check local authorities against",
        lambda folder: None,
        problem(
            POPULATION_FILE,
            None,
            None,
            "file not found in /nonexistent: needed to check local authority codes",
        ),
        public=Path("/nonexistent"),
    ),
    Damage(
        "many bad values: the first 20 listed, the rest counted",
        lambda folder: write_rows(
            folder,
            "children",
            [
                r if i == 0 else [*r[:4], "Q", *r[5:]]
                for i, r in enumerate(read_rows(folder, "children"))
            ],
        ),
        # 568 children, rows 2 to 569: rows 2 to 21 listed, 548 counted
        problem(
            "children.csv",
            None,
            "gender",
            "548 more rows fail the same code check (every value is one of the allowed codes); "
            "only the first 20 are listed",
        ),
        also=tuple(
            problem("children.csv", r, "gender", "'Q' is not an allowed code (allowed: F, M, U)")
            for r in range(2, 22)
        ),
    ),
]


def edit_bytes(name: str, line: int, edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    """Change one line of a file's bytes (line 1 is the header, so line N is row N)."""

    def damage(folder: Path) -> None:
        lines = (folder / name).read_bytes().split(b"\n")
        lines[line - 1] = edit(lines[line - 1])
        (folder / name).write_bytes(b"\n".join(lines))

    return damage


def cell_bytes(line: bytes, index: int, value: bytes) -> bytes:
    cells = line.split(b",")
    cells[index] = value
    return b",".join(cells)


# Inputs an outside corpus of bad inputs found handled badly (issue 21): each is a problem
# with its file (and row and column) now, not every column missing, a row with no column,
# a DuckDB error with no row, 200 KB of output or a date that passed.
DAMAGES += [
    Damage(
        "a file saved as UTF-16",
        lambda folder: (folder / "children.csv").write_bytes(
            (folder / "children.csv").read_text(encoding="utf-8").encode("utf-16")
        ),
        problem(
            "children.csv",
            1,
            None,
            "the file is UTF-16 (little-endian) text, not UTF-8: save it as CSV UTF-8",
        ),
    ),
    Damage(
        "a cell that is not UTF-8 names its row and column",
        # school_census.csv line 1500 is row 1500; column 7 (index 6) is sen_provision
        edit_bytes("school_census.csv", 1500, lambda line: cell_bytes(line, 6, b"K\xe9")),
        problem(
            "school_census.csv",
            1500,
            "sen_provision",
            "not UTF-8 text (the file may be Windows-1252 or Latin-1): save it as CSV UTF-8",
        ),
        also=(
            problem(
                "school_census.csv",
                None,
                None,
                "the other rows of this file were not checked: fix the rows above first",
            ),
        ),
    ),
    Damage(
        "a quote that is never closed names its row",
        edit_bytes("children.csv", 5, lambda line: line.replace(b",", b',"', 1)),
        problem(
            "children.csv",
            5,
            None,
            "a quote opened in this row is not closed where its cell ends: the rows after it "
            "were not read",
        ),
    ),
    Damage(
        "a 200,000-character value is quoted cut to 80 characters",
        cell_to("children", 3, "gender", "Q" * 200_000),
        problem(
            "children.csv",
            3,
            "gender",
            "'" + "Q" * 79 + "\u2026' is not an allowed code (allowed: F, M, U)",
        ),
    ),
    Damage(
        "a referral before the child was born",
        # cin_episodes row 2 is episode 1 of child 2001, born March 1997 (block 2); it closed
        # on 2011-05-03, inside the window, so no other check minds a referral in 1899
        cell_to("cin_episodes", 2, "referral_date", "1899-05-03"),
        problem(
            "cin_episodes.csv",
            2,
            "referral_date",
            "1899-05-03 is before the child's birth month by more than 9 months: born 1997-03",
        ),
    ),
    Damage(
        "a period looked after ending when the child is 93",
        # cla_episodes row 2 is child 5001's first period; 5001 was born in March 1997
        cell_to("cla_episodes", 2, "end_date", "2090-05-03"),
        problem(
            "cla_episodes.csv",
            2,
            "end_date",
            "2090-05-03 is after the month of the child's 25th birthday: born 1997-03",
        ),
    ),
    Damage(
        "a school opened in the year 999",
        cell_to("schools", 2, "open_date", "0999-05-03"),
        problem(
            "schools.csv",
            2,
            "open_date",
            "0999-05-03 is not a plausible date: a date is from 1800-01-01 to 2099-12-31",
        ),
    ),
]


def test_a_table_file_linked_outside_the_extract_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """children.csv as a link to /etc/passwd: refused by name, and not one line of the
    system file is printed."""
    folder = copy_fixture(tmp_path)
    (folder / "children.csv").unlink()
    (folder / "children.csv").symlink_to("/etc/passwd")
    monkeypatch.setenv("BULLETIN_ROOT", str(ROOT))
    code = main(["validate", "--linked-data", str(folder), "--public-data", str(PUBLIC)])
    out = capsys.readouterr()
    assert code == 1
    assert (
        f"children.csv: is a symbolic link to /etc/passwd, outside the data folder {folder}: "
        "it was not read (copy the file into the folder)"
    ) in out.out.splitlines()
    system = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()
    assert not any(line and line in out.out + out.err for line in system)


def test_there_are_at_least_twenty_kinds_of_damage() -> None:
    assert len({d.name for d in DAMAGES}) == len(DAMAGES) >= 20


@pytest.mark.parametrize("case", DAMAGES, ids=[d.name for d in DAMAGES])
def test_damage_is_reported_with_file_row_column_and_message(
    case: Damage,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`bulletin validate` prints the expected problem (file, row, column, message) and the
    ones it must cause, exits 1 on a blocking problem (0 on warnings only), and writes
    nothing."""
    folder = copy_fixture(tmp_path)
    case.damage(folder)
    before = snapshot(folder)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("BULLETIN_ROOT", str(ROOT))

    code = main(["validate", "--linked-data", str(folder), "--public-data", str(case.public)])

    printed = capsys.readouterr().out.splitlines()
    assert str(case.expected) in printed, "\n".join(printed)
    others = set(printed) - {str(case.expected)}
    also = {str(p) for p in case.also}
    if case.any_other:
        assert also <= others
        warning = "warning: " in str(case.expected)
        assert all(("warning: " in line) == warning for line in others - also)
    else:
        assert others == also, "\n".join(sorted(others ^ also))
    blocking = [p for p in (case.expected, *case.also) if p.blocking]
    assert code == (1 if blocking else 0)
    # blocking problems are printed before warnings
    kinds = ["warning: " not in line for line in printed]
    assert kinds == sorted(kinds, reverse=True)
    # nothing written: the extract is untouched and the working folder still empty
    assert snapshot(folder) == before
    assert list(work.iterdir()) == []


def test_a_check_duckdb_cannot_compute_is_reported_not_raised(tmp_path: Path) -> None:
    """Other checks still run; the one that fails becomes a blocking problem."""
    from bulletin.core import schema
    from bulletin.data.linked import Check
    from bulletin.data.linked.read import connect, register
    from bulletin.data.linked.validate import run_checks
    from tests.data.linked_helpers import FIXTURE

    con = connect(1, tmp_path)
    source = register(con, FIXTURE, schema.TABLES_BY_NAME["schools"])
    broken = Check(
        "schools", "urn", "rule", "urns are words", True, ("schools.urn",), "t_schools",
        "CAST('x' || urn AS INTEGER) = 1", "'never'",
    )  # fmt: skip
    working = Check(
        "schools", "urn", "rule", "no school is 100001", True, ("schools.urn",), "t_schools",
        "urn = 100001", "'school 100001'",
    )  # fmt: skip
    problems = run_checks(con, [broken, working], {"schools": source})
    con.close()
    assert len(problems) == 2
    assert problems[0].file == "schools.csv"
    assert problems[0].row is None
    assert problems[0].message.startswith("cannot check that urns are words: Conversion Error")
    assert problems[1] == problem("schools.csv", 2, "urn", "school 100001")


def test_an_infinite_number_is_not_a_number(tmp_path: Path) -> None:
    from bulletin.data.linked import validate

    folder = copy_fixture(tmp_path)
    set_cell(folder, "ks4", 2, "attainment8", "1e999")  # DuckDB would read it as infinity
    report = validate(folder, PUBLIC)
    assert report.problems == (
        problem(
            "ks4.csv",
            2,
            "attainment8",
            "'1e999' is not a number (use a decimal point; no NaN or infinity)",
        ),
    )
