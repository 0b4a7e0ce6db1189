"""The hand-made linked extract: reproducible, valid, and covering every code and transition."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from bulletin.core import schema
from bulletin.data.linked import load, validate
from tests.conftest import run_cli
from tests.data.linked_helpers import FIXTURE, PUBLIC, ROOT, snapshot

#: The status transitions and situations the extract must hold, each an SQL query over its
#: tables (read from the CSV files) that counts the cases; every count must be at least one.
TRANSITIONS = {
    "referral with no further action": "SELECT count(*) FROM cin_episodes WHERE referral_nfa",
    "referral -> assessment -> in need -> closure": """
        SELECT count(*) FROM cin_episodes e
        WHERE NOT referral_nfa AND primary_need IS NOT NULL AND closure_date IS NOT NULL
          AND episode_id IN (SELECT episode_id FROM cin_assessments
                             WHERE authorised_date IS NOT NULL)
          AND episode_id NOT IN (SELECT episode_id FROM child_protection_plans)
          AND child_id NOT IN (SELECT child_id FROM cla_episodes)""",
    "in need -> child protection plan -> plan ends -> closure": """
        SELECT count(*) FROM cin_episodes e JOIN child_protection_plans p USING (episode_id)
        WHERE p.end_date IS NOT NULL AND e.closure_date > p.end_date""",
    "child protection plan open on 31 March 2018": """
        SELECT count(*) FROM child_protection_plans WHERE end_date IS NULL""",
    "in need -> looked after": """
        SELECT count(*) FROM cin_episodes e JOIN cla_episodes c USING (child_id)
        WHERE c.start_date > e.referral_date
          AND (e.closure_date IS NULL OR c.start_date < e.closure_date)""",
    "looked after -> change of placement": """
        SELECT count(*) FROM cla_episodes a JOIN cla_episodes b USING (child_id)
        WHERE b.start_date = a.end_date""",
    "looked after -> ceases to be looked after": """
        SELECT count(*) FROM cla_episodes a WHERE end_date IS NOT NULL AND NOT EXISTS
        (SELECT 1 FROM cla_episodes b WHERE b.child_id = a.child_id AND b.start_date = a.end_date)""",
    "still looked after on 31 March 2018": "SELECT count(*) FROM cla_episodes WHERE end_date IS NULL",
    "re-referral within 12 months": """
        SELECT count(*) FROM cin_episodes a JOIN cin_episodes b USING (child_id)
        WHERE b.referral_date > a.referral_date
          AND b.referral_date <= a.referral_date + INTERVAL 12 MONTH""",
    "re-referral after 12 months (and none within)": """
        SELECT count(*) FROM cin_episodes a JOIN cin_episodes b USING (child_id)
        WHERE b.referral_date > a.referral_date + INTERVAL 12 MONTH
          AND child_id NOT IN (
            SELECT a.child_id FROM cin_episodes a JOIN cin_episodes b USING (child_id)
            WHERE b.referral_date > a.referral_date
              AND b.referral_date <= a.referral_date + INTERVAL 12 MONTH)""",
    "episode open on 1 April 2011 that started before the window": """
        SELECT count(*) FROM cin_episodes WHERE referral_date < DATE '2011-04-01'
          AND (closure_date IS NULL OR closure_date >= DATE '2011-04-01')""",
    "episode open on 31 March 2018": "SELECT count(*) FROM cin_episodes WHERE closure_date IS NULL",
    "episode started before the window and still open on 31 March 2018": """
        SELECT count(*) FROM cin_episodes
        WHERE referral_date < DATE '2011-04-01' AND closure_date IS NULL""",
    "dual registration (main and subsidiary in one census)": """
        SELECT count(*) FROM school_census m JOIN school_census s USING (child_id, academic_year)
        WHERE m.enrolment_status = 'M' AND s.enrolment_status = 'S'""",
    "dual-registered child in need": """
        SELECT count(*) FROM school_census s JOIN children c USING (child_id)
        WHERE s.enrolment_status = 'S' AND c.match_status = 'matched'""",
    "pupil never in need": """
        SELECT count(*) FROM children WHERE match_status = 'education_only'
          AND child_id IN (SELECT child_id FROM school_census)
          AND child_id NOT IN (SELECT child_id FROM cin_episodes)""",
    "child in need never matched to a pupil": """
        SELECT count(*) FROM children WHERE match_status = 'care_only'
          AND child_id IN (SELECT child_id FROM cin_episodes)
          AND child_id NOT IN (SELECT child_id FROM school_census)""",
    "child in need matched to a pupil": """
        SELECT count(*) FROM children WHERE match_status = 'matched'
          AND child_id IN (SELECT child_id FROM cin_episodes)
          AND child_id IN (SELECT child_id FROM school_census)""",
    "a local authority with 1 to 5 children in need (suppressed)": """
        SELECT count(*) FROM (SELECT la_code FROM cin_episodes GROUP BY la_code
                              HAVING count(DISTINCT child_id) BETWEEN 1 AND 5)""",
    "a gender with 1 to 5 children in need (suppressed)": """
        SELECT count(*) FROM (SELECT gender FROM children
                              WHERE child_id IN (SELECT child_id FROM cin_episodes)
                              GROUP BY gender HAVING count(*) BETWEEN 1 AND 5)""",
    "key stage 2 levels (before 2015/16)": """
        SELECT count(*) FROM ks2 WHERE academic_year < 201516 AND reading_level IS NOT NULL""",
    "key stage 2 scaled scores (from 2015/16)": """
        SELECT count(*) FROM ks2 WHERE academic_year >= 201516 AND reading_scaled IS NOT NULL""",
    "post-16 outcomes known by 21": "SELECT count(*) FROM post16 WHERE level2_by_21 IS NOT NULL",
    "permanent exclusion": "SELECT count(*) FROM exclusions WHERE permanent",
    "fixed-period exclusion": "SELECT count(*) FROM exclusions WHERE fixed_period_count > 0",
    "nursery pupil (ncyear -1)": "SELECT count(*) FROM school_census WHERE ncyear < 0",
    "closed school": "SELECT count(*) FROM schools WHERE close_date IS NOT NULL",
}


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    """The extract's tables in DuckDB, typed by `load` (the pipeline's reader)."""
    linked = load(FIXTURE)
    yield linked.con
    linked.close()


def test_the_script_writes_exactly_the_committed_extract(tmp_path: Path) -> None:
    out = tmp_path / "linked-small"
    script = ROOT / "tests/fixtures/make_linked_small.py"
    result = subprocess.run(
        [sys.executable, str(script), str(out)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert {k: v[0] for k, v in snapshot(out).items()} == {
        k: v[0] for k, v in snapshot(FIXTURE).items()
    }


def test_the_extract_is_hand_made_and_says_so() -> None:
    dataset = json.loads((FIXTURE / "dataset.json").read_text(encoding="utf-8"))
    assert dataset["synthetic"] is False
    assert "hand-made test fixture" in dataset["description"]
    assert set(schema.DATASET_KEYS) <= set(dataset)


def test_the_extract_validates_with_no_problem_at_all() -> None:
    report = validate(FIXTURE, PUBLIC)
    assert report.problems == ()
    assert report.rows["children"] == 568  # the seventeen blocks: 150 + 20 + 40 + 25 + 25
    # + 10 + 10 + 10 + 10 + 12 + 15 + 4 (331) + 59 + 60 + 48 + 50 + 20
    assert report.skipped == ()


def test_bulletin_validate_passes_on_the_extract() -> None:
    result = run_cli("validate", "--linked-data", str(FIXTURE), root=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert "0 blocking problems, 0 warnings" in result.stderr


@pytest.mark.parametrize(
    ("table", "field"),
    [(t.name, f.name) for t in schema.TABLES for f in t.fields if f.codes],
)
def test_the_extract_uses_every_code(
    con: duckdb.DuckDBPyConnection, table: str, field: str
) -> None:
    used = {r[0] for r in con.execute(f'SELECT DISTINCT "{field}" FROM {table}').fetchall()}
    codes = set(schema.TABLES_BY_NAME[table].field(field).codes)
    assert codes - used == set(), f"{table}.{field} never uses {sorted(codes - used)}"


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_the_extract_holds_every_transition(con: duckdb.DuckDBPyConnection, name: str) -> None:
    found = con.execute(TRANSITIONS[name]).fetchone()
    assert found is not None
    assert found[0] >= 1, name


def test_the_extract_as_parquet_validates_clean_too(tmp_path: Path) -> None:
    """Each table written as Parquet with its own types (dates of one table as timestamps,
    as pandas writes them) passes as the CSV files do."""
    import shutil

    out = tmp_path / "parquet"
    out.mkdir()
    shutil.copy(FIXTURE / "dataset.json", out / "dataset.json")
    with load(FIXTURE) as linked:
        rows = linked.rows
        for table in schema.TABLES:
            columns = "*"
            if table.name == "cin_episodes":
                columns = "* REPLACE (CAST(referral_date AS TIMESTAMP) AS referral_date)"
            linked.con.execute(
                f"COPY (SELECT {columns} FROM {table.name}) TO '{out / table.name}.parquet'"
            )
    report = validate(out, PUBLIC)
    assert report.problems == ()
    assert report.rows == rows
