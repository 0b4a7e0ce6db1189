"""Benchmark: every finding on a national-scale extract, on DuckDB through Ibis, against
idiomatic vectorised pandas versions of the same queries, in the same run.

    .venv/bin/bulletin synthetic --scale 1 --out /tmp/national      # once: about 2 minutes
    .venv/bin/python -m benchmarks.findings --linked-data /tmp/national [--repeat 1]

Each measurement runs in a fresh process (so that its peak memory is its own), one after
the other, with the DuckDB thread count of the settings (pandas uses one core):

- `findings`: every section of findings, as `bulletin findings` computes them (open the
  extract, compute every query, fit the B7/B8 regression, protect, write the context, with
  its tables);
- `pandas-all`: the fit script's independent measurements (benchmarks/measure.py, plain
  pandas) of every calibration row the findings give: B1 to B6, B9 to B11, C2 to C7, D1,
  D2, A1, A2 and A7 (no tables, no regression, no disclosure: less work than `findings`);
- `ibis-queries`: every registered query of the findings (the 17 of `QUERIES`: prevalence,
  journeys, schools, experiences, attainment, after 16 and the regression's cohort), run as
  `bulletin findings` runs them (`Linked.run` on one connection, the shared tables built
  once), each result a frame: every count behind the findings before disclosure control,
  without the sections' own work after the queries (protection, tables, the regression's
  fit, which is statsmodels either way, the JSON);
- `pandas-queries`: the same queries in idiomatic vectorised pandas
  (benchmarks/pandas_queries.py: pyarrow dtypes, masks, `merge`, `isin`, `groupby`, no
  `apply`, no loops over rows), from the same Parquet files.

The two versions must give the same numbers, query by query (checked here, after the clock
stops: each result as {row: {column: number}}; the regression's cohort, one row per pupil,
by its rows, pupils by group and an order-free hash of its rows); any difference is
printed and the script fails. It prints wall and CPU seconds and peak resident memory of
each, the ratio pandas / Ibis for the queries (target 3) and the findings' time (target
30 s).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the measurements (each in its own process) -----------------------------------------------


def run_findings(folder: Path) -> dict[str, Any]:
    from bulletin.core.settings import load_settings
    from bulletin.pipeline import findings_json

    settings = load_settings(ROOT)
    text = findings_json(settings, folder, settings.paths.public_data, "duckdb")
    return {"bytes": len(text.encode())}


#: The findings' registered queries, in the order `bulletin findings` runs them, with the
#: columns that label a row of each (None: one row per pupil, compared by a hash).
QUERIES: dict[str, tuple[str, ...] | None] = {
    "prevalence.windows": (),
    "prevalence.d2": (),
    "prevalence.characteristics": ("in_need", "gender", "age", "ethnicity", "sen", "fsm"),
    "prevalence.primary_need": ("need",),
    "journeys.per_child": ("episodes", "repeat"),
    "journeys.sequences": ("code",),
    "journeys.durations": ("status",),
    "schools.bands": ("bin",),
    "experiences.absence": ("year", "group"),
    "experiences.exclusions": ("year", "group"),
    "attainment.eyfsp": ("year", "group"),
    "attainment.ks2": ("year", "group"),
    "attainment.ks4": ("year", "group"),
    "attainment.progress8_by_la": ("year", "la_code"),
    "attainment.sen": ("in_need", "sen"),
    "after16.outcomes": ("year", "in_need"),
    "regression.cohort": None,
}
#: The wall seconds of each step of the compared parts (a query; pandas: a section).
SECONDS: dict[str, float] = {}
#: The text columns of the regression's cohort (the others are numbers or flags).
COHORT_TEXT = ("group", "sen", "language", "gender", "ethnicity")


def run_ibis(folder: Path) -> dict[str, Any]:
    """Every registered query of the findings, run as `bulletin findings` runs them: one
    connection, the shared tables computed once, each result a pandas frame."""
    import bulletin.findings.context  # noqa: F401  (registers every query)
    from benchmarks.pandas_queries import findings_params
    from bulletin.core.settings import load_settings
    from bulletin.data.linked import load
    from bulletin.findings.linked import QUERIES as REGISTERED
    from bulletin.findings.linked import connect

    if set(REGISTERED) != set(QUERIES):  # a new query must get its pandas version here
        raise SystemExit(f"queries not compared: {sorted(set(REGISTERED) ^ set(QUERIES))}")
    settings = load_settings(ROOT)
    params = findings_params()
    out = {}
    with load(folder, settings.threads) as data:
        linked = connect(data)
        for name in QUERIES:
            start = time.perf_counter()
            out[name] = linked.run(name, params)
            SECONDS[name] = time.perf_counter() - start
    return out


def run_pandas(folder: Path) -> dict[str, Any]:
    """The same queries in idiomatic vectorised pandas (benchmarks/pandas_queries.py)."""
    from benchmarks.pandas_queries import run

    return dict(run(folder, SECONDS))


def _number(value: Any) -> int | float | None:
    """A count, sum or median as a plain number (None when null)."""
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number


def _label(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return str(_number(value))


def _canonical(name: str, frame: Any) -> Any:
    """A query's result, comparable across engines: {row label: {column: number}}; the
    regression's cohort (a row per pupil): its rows, pupils by group, and the sum of a hash
    of each row (so the same rows in any order)."""
    import numpy as np
    import pandas as pd

    labels = QUERIES[name]
    if labels is None:
        columns = sorted(frame.columns)
        plain = pd.DataFrame(
            {
                c: (
                    frame[c].astype(object).where(frame[c].notna(), "null").astype(str)
                    if c in COHORT_TEXT
                    else frame[c].astype("float64")
                )
                for c in columns
            }
        )
        hashes = pd.util.hash_pandas_object(plain, index=False).to_numpy()
        groups = plain["group"].value_counts()
        return {
            "columns": columns,
            "rows": len(plain),
            "by_group": {str(g): int(n) for g, n in groups.items()},
            "hash": int(hashes.sum(dtype=np.uint64)),
        }
    values = [c for c in frame.columns if c not in labels]
    out: dict[str, Any] = {}
    for row in frame.to_dict("records"):
        key = "|".join(_label(row[c]) for c in labels) or "all"
        if key in out:
            raise ValueError(f"{name}: row {key} twice")
        out[key] = {c: _number(row[c]) for c in sorted(values)}
    return out


def run_pandas_all(folder: Path) -> dict[str, Any]:
    """The calibration rows of the findings, measured by the fit script's pandas oracle."""
    from benchmarks import measure
    from benchmarks.fit_generator import POPULATION

    values = measure.care_rows(folder, POPULATION) | measure.school_rows(folder)
    values |= measure.sen_rows(folder) | measure.absence_rows(folder)
    values |= measure.attainment_rows(folder) | measure.after16_rows(folder)
    return {"rows": len(values)}


PARTS = {
    "findings": run_findings,
    "pandas-all": run_pandas_all,
    "ibis-queries": run_ibis,
    "pandas-queries": run_pandas,
}
COMPARED = ("ibis-queries", "pandas-queries")


def _child(part: str, folder: Path) -> None:
    start, cpu = time.perf_counter(), _cpu()
    result = PARTS[part](folder)
    record: dict[str, Any] = {
        "wall": time.perf_counter() - start,
        "cpu": _cpu() - cpu,
        "peak_mb": _peak_mb(),
    }
    if part in COMPARED:  # after the clock: made comparable
        result = {name: _canonical(name, frame) for name, frame in result.items()}
    record["result"] = result
    record["seconds"] = list(SECONDS.items())  # in order (the JSON sorts keys)
    print(json.dumps(record, sort_keys=True))


def _measure(part: str, folder: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.findings", "--part", part, "--linked-data", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    record: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--linked-data", type=Path, required=True, help="a national extract")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (the best is kept)")
    parser.add_argument("--part", choices=sorted(PARTS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        _child(args.part, args.linked_data)
        return
    best: dict[str, dict[str, Any]] = {}
    for _ in range(args.repeat):
        for part in PARTS:
            record = _measure(part, args.linked_data)
            print(
                f"{part:14} wall {record['wall']:6.2f} s  cpu {record['cpu']:6.2f} s  "
                f"peak {record['peak_mb']:7.0f} MB",
                flush=True,
            )
            for step, seconds in record["seconds"]:
                print(f"  {step:32} {seconds:6.2f} s wall")
            if part not in best or record["wall"] < best[part]["wall"]:
                best[part] = record
    ibis, pandas = (best[part]["result"] for part in COMPARED)
    differ = [name for name in QUERIES if ibis.get(name) != pandas.get(name)]
    print(
        f"{len(QUERIES)} queries: Ibis/DuckDB and pandas give the same numbers: {not differ}"
        + (f" (not: {', '.join(differ)})" if differ else "")
    )
    for name in differ:
        one, other = ibis.get(name) or {}, pandas.get(name) or {}
        for key in sorted(set(one) | set(other)):
            if one.get(key) != other.get(key):
                print(f"  {name} {key}: ibis {one.get(key)} pandas {other.get(key)}")
    fast, slow = (best[part] for part in COMPARED)
    print(
        f"the findings' queries: pandas / Ibis = {slow['wall'] / fast['wall']:.1f} times "
        f"(wall), {slow['cpu'] / fast['cpu']:.1f} times (CPU) (target 3)"
    )
    found, oracle = best["findings"], best["pandas-all"]
    print(
        f"all findings: {found['wall']:.2f} s wall (target 30 s); pandas (the fit script's "
        f"{oracle['result']['rows']} rows) / all findings = {oracle['wall'] / found['wall']:.1f}"
        f" times (wall), {oracle['cpu'] / found['cpu']:.1f} times (CPU) (target 3)"
    )
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
