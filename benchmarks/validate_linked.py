"""Benchmark: time `bulletin validate` on a large Parquet extract made quickly in DuckDB.

    .venv/bin/python benchmarks/validate_linked.py --scale 0.1 [--threads 2] [--keep DIR]
        [--unsorted]

At scale 1 the extract has the national sizes of DESIGN.md: about 16 million children,
52 million school census rows and 3.5 million children in need episodes. The rows are
plain arithmetic on row numbers (not the synthetic generator, which is a separate issue),
valid by construction, so the validator does all its work and finds nothing (but the
warnings about matched children with no episode). Each table is sorted by its key, as an
extract usually is, or, with --unsorted, shuffled: keys are then checked by sorting. The script
prints the rows per table, the time to write and to validate, and the time per million
rows, so that a smaller scale can be extrapolated to the national one.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from bulletin.data.linked import validate

ROOT = Path(__file__).resolve().parents[1]

# child i: born in year 1992 + i % 27, month 1 + i % 12; one in five is in need (matched),
# one in fifty care_only, the rest education_only. Episode j belongs to child 5 * (j // 1).
TABLES = {
    "children": """
        SELECT i AS child_id,
               CASE WHEN i % 50 = 1 THEN 'care_only' WHEN i % 5 = 0 THEN 'matched'
                    ELSE 'education_only' END AS match_status,
               1992 + i % 27 AS birth_year, 1 + i % 12 AS birth_month,
               ['F', 'M'][1 + i % 2] AS gender, 'WBRI' AS ethnicity_minor,
               'WHIT' AS ethnicity_major
        FROM range({children}) t(i)""",
    "cin_episodes": """
        SELECT j AS episode_id, CASE WHEN j % 10 = 1 THEN 50 * ((j // 10) % ({children} // 50)) + 1
                                     ELSE 5 * (j % ({children} // 5)) END AS child_id,
               'E08000025' AS la_code,
               DATE '2011-04-01' + CAST(j % 2000 AS INTEGER) AS referral_date,
               '1A' AS referral_source, j % 7 = 0 AS referral_nfa,
               CASE WHEN j % 7 = 0 THEN NULL ELSE 'N1' END AS primary_need,
               j % 9 = 0 AS disabled,
               DATE '2011-04-01' + CAST(j % 2000 + 100 AS INTEGER) AS closure_date,
               'RC8' AS closure_reason
        FROM range({episodes}) t(j)""",
    "cin_assessments": """
        SELECT j AS assessment_id, j AS episode_id,
               DATE '2011-04-02' + CAST(j % 2000 AS INTEGER) AS start_date,
               DATE '2011-04-20' + CAST(j % 2000 AS INTEGER) AS authorised_date
        FROM range({episodes}) t(j) WHERE j % 7 <> 0""",
    "cin_assessment_factors": """
        SELECT j AS assessment_id, ['1A', '3A', '14A'][1 + k] AS factor
        FROM range({episodes}) t(j), range(2) f(k) WHERE j % 7 <> 0""",
    "child_protection_plans": """
        SELECT j AS plan_id, j AS episode_id,
               DATE '2011-05-01' + CAST(j % 2000 AS INTEGER) AS start_date,
               DATE '2011-06-01' + CAST(j % 2000 AS INTEGER) AS end_date,
               'NEG' AS initial_category
        FROM range({episodes}) t(j) WHERE j % 10 = 3""",
    "cla_episodes": """
        SELECT j AS cla_id, 5 * (j % ({children} // 5)) AS child_id, 'E08000025' AS la_code,
               DATE '2011-05-01' + CAST(j % 2000 AS INTEGER) AS start_date,
               CASE WHEN j % 3 = 0 THEN NULL
                    ELSE DATE '2011-09-01' + CAST(j % 2000 AS INTEGER) END AS end_date,
               'C2' AS legal_status, 'U4' AS placement
        FROM range({episodes}) t(j) WHERE j % 12 = 5""",
    "schools": """
        SELECT 100000 + u AS urn, 'E08000025' AS la_code, 'E12000005' AS region_code,
               CASE WHEN u % 5 = 0 THEN 'secondary' ELSE 'primary' END AS phase,
               'academy' AS school_type, DATE '2000-09-01' AS open_date,
               CAST(NULL AS DATE) AS close_date
        FROM range({schools}) t(u)""",
    "school_census": """
        SELECT c.child_id, y * 100 + (y + 1) % 100 AS academic_year,
               100000 + c.child_id % {schools} AS urn, 'C' AS enrolment_status,
               y - c.birth_year - CASE WHEN c.birth_month > 8 THEN 1 ELSE 0 END - 4 AS ncyear,
               c.child_id % 6 = 0 AS fsm_eligible, 'N' AS sen_provision,
               'ENG' AS first_language
        FROM children c, range(2011, 2018) t(y)
        WHERE c.match_status <> 'care_only'
          AND y - c.birth_year - CASE WHEN c.birth_month > 8 THEN 1 ELSE 0 END - 4
              BETWEEN 0 AND 11""",
    "absence": """
        SELECT child_id, academic_year, 320 AS sessions_possible, 8 AS sessions_authorised,
               2 AS sessions_unauthorised
        FROM school_census WHERE ncyear >= 1""",
    "exclusions": """
        SELECT child_id, academic_year, 1 AS fixed_period_count, 2 AS fixed_period_sessions,
               false AS permanent
        FROM school_census WHERE child_id % 97 = 0 AND ncyear >= 5""",
    "eyfsp": """
        SELECT child_id, academic_year, child_id % 3 <> 0 AS gld
        FROM school_census WHERE ncyear = 0""",
    "ks2": """
        SELECT child_id, academic_year, CAST(NULL AS VARCHAR) AS reading_level, CAST(NULL AS VARCHAR) AS maths_level,
               CAST(NULL AS DOUBLE) AS reading_fine_points,
               CAST(NULL AS DOUBLE) AS maths_fine_points, 100 + child_id % 15 AS reading_scaled,
               95 + child_id % 20 AS maths_scaled, 'EXS' AS writing_ta,
               child_id % 2 = 0 AS rwm_expected
        FROM school_census WHERE ncyear = 6 AND academic_year >= 201516""",
    "ks4": """
        SELECT child_id, academic_year, urn, 45.5 AS attainment8, 0.25 AS progress8,
               true AS em_grade4, false AS em_grade5
        FROM school_census WHERE ncyear = 11""",
    "post16": """
        SELECT child_id, academic_year AS ks4_year, true AS level2_by_19,
               false AS level3_by_19, true AS level2_by_21, CAST(NULL AS BOOLEAN) AS level3_by_21,
               'education' AS activity_18, false AS higher_education_18
        FROM school_census WHERE ncyear = 11 AND academic_year <= 201314""",
}


def make(out: Path, scale: float, threads: int, unsorted: bool) -> dict[str, int]:
    """Write the extract, each table sorted by its key unless `unsorted` (then shuffled)."""
    import duckdb

    from bulletin.core.schema import TABLES_BY_NAME

    sizes = {
        "children": int(16_000_000 * scale),
        "episodes": int(3_500_000 * scale),
        "schools": max(100, int(24_000 * scale)),
    }
    con = duckdb.connect(config={"threads": threads})
    rows = {}
    for name, sql in TABLES.items():
        con.execute(f"CREATE TABLE {name} AS {sql.format(**sizes)}")
        key = ", ".join(TABLES_BY_NAME[name].key)
        order = f"hash({key})" if unsorted else key
        con.execute(f"COPY (SELECT * FROM {name} ORDER BY {order}) TO '{out / name}.parquet'")
        rows[name] = con.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # type: ignore[index]
    con.close()
    dataset = {
        "name": f"benchmark-{scale}",
        "synthetic": True,
        "description": "benchmark extract: arithmetic on row numbers",
        "provenance": "benchmarks/validate_linked.py",
    }
    (out / "dataset.json").write_text(json.dumps(dataset), encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write the extract here and keep it")
    parser.add_argument("--unsorted", action="store_true", help="shuffle the rows of each table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-linked-") as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        rows = make(out, args.scale, args.threads, args.unsorted)
        made = time.perf_counter() - start
        total = sum(rows.values())
        for name, n in rows.items():
            print(f"{name:24} {n:>12,}")
        print(f"{'total':24} {total:>12,}  (written in {made:.1f} s)")
        before = resource.getrusage(resource.RUSAGE_SELF)
        start = time.perf_counter()
        report = validate(out, ROOT / "data/public", threads=args.threads)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    peak = after.ru_maxrss / 1024
    print(
        f"validate: {seconds:.1f} s wall, {cpu:.1f} s CPU on {args.threads} threads "
        f"(a machine shared with other work shows wall > CPU / threads); "
        f"peak RSS {peak:,.0f} MB (the whole process, generation included)"
    )
    print(f"problems: {len(report.blocking)} blocking, {len(report.warnings)} warnings")
    for problem in report.problems[:10]:
        print(f"  {problem}")
    print(
        f"{seconds / total * 1e6:.2f} s per million rows; linear estimate at scale 1: "
        f"{seconds / args.scale:.0f} s"
    )


if __name__ == "__main__":
    main()
