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
- `ibis-core`: the queries of the findings that give B1, B3 (with B4 and B5) and the absence
  rates (overall and persistent, by group, 2017/18 and 2016/17), on a fresh connection;
- `pandas-core`: the same numbers in pandas (pyarrow dtypes, `groupby` and `merge`, no
  `apply`, no loops over rows), from the same Parquet files.

The two core versions must give the same numbers (checked here). The script prints wall and
CPU seconds and peak resident memory of each, and the ratio pandas / Ibis.
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
WINDOW = ("2012-04-01", "2018-03-31")
YEARS = (2018, 2017)  # absence: academic years ending in these years, groups at 31 March
GROUP_RANK = {"CINO": 1, "CPPO": 2, "CLA": 3}


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


def run_ibis(folder: Path) -> dict[str, Any]:
    import bulletin.findings.context  # noqa: F401  (registers every query)
    from bulletin.core.settings import load_settings
    from bulletin.data.facts import load_facts, whole_number
    from bulletin.data.linked import load
    from bulletin.findings.linked import Params, connect

    settings = load_settings(ROOT)
    children = whole_number(load_facts(settings.paths.public_data), "children_in_window")
    params = Params(settings.disclosure, children)
    with load(folder, settings.threads) as data:
        linked = connect(data)
        windows = linked.run("prevalence.windows", params)
        bands = linked.run("schools.bands", params)
        absence = linked.run("experiences.absence", params)
    by_band = dict(zip(bands["band"], bands["schools"].astype(int), strict=True))
    out: dict[str, Any] = {
        "B1": int(windows["window"].iloc[0]),
        "B3": by_band.get("none", 0),
        "B4_schools": by_band.get("5% to 10%", 0),
        "B5_schools": by_band.get("over 20%", 0),
    }
    for _, row in absence.iterrows():  # a handful of result rows
        out[f"absence_{row['year']}_{row['group']}"] = [
            int(row[c]) for c in ("pupils", "possible", "missed", "persistent")
        ]
    for year in YEARS:  # other pupils: all less the groups, as the findings do
        parts = [out[f"absence_{year}_{g}"] for g in GROUP_RANK if f"absence_{year}_{g}" in out]
        everyone = out[f"absence_{year}_all pupils"]
        out[f"absence_{year}_other pupils"] = [
            everyone[i] - sum(p[i] for p in parts) for i in range(4)
        ]
    return out


def run_pandas(folder: Path) -> dict[str, Any]:
    """B1, B3 (B4, B5) and absence by group in idiomatic vectorised pandas."""
    import pandas as pd

    def read(table: str, columns: list[str], **kwargs: Any) -> pd.DataFrame:
        return pd.read_parquet(
            folder / f"{table}.parquet", columns=columns, dtype_backend="pyarrow", **kwargs
        )

    far = pd.Timestamp("2262-01-01")
    e = read(
        "cin_episodes",
        [
            "episode_id",
            "child_id",
            "referral_date",
            "referral_nfa",
            "closure_date",
            "closure_reason",
        ],
    )
    need = e[~e["referral_nfa"] & (e["closure_reason"].fillna("") != "RC8")]
    start = pd.to_datetime(need["referral_date"])
    end = pd.to_datetime(need["closure_date"]).fillna(far)
    first, last = (pd.Timestamp(d) for d in WINDOW)
    ever = need.loc[(start <= last) & (end >= first), "child_id"].drop_duplicates()
    out: dict[str, Any] = {"B1": int(ever.size)}

    census = read(
        "school_census",
        ["child_id", "urn", "enrolment_status"],
        filters=[("academic_year", "==", 201718)],
    )
    pupils = census[census["enrolment_status"].isin(["C", "M"])]
    flagged = pupils.merge(ever.to_frame().assign(in_need=1), on="child_id", how="left")
    by_school = flagged.groupby("urn").agg(n=("child_id", "size"), k=("in_need", "count"))
    k, n = by_school["k"], by_school["n"]
    out["B3"] = int((k == 0).sum())
    out["B4_schools"] = int(((20 * k >= n) & (10 * k <= n)).sum())
    out["B5_schools"] = int((5 * k > n).sum())

    plans = read("child_protection_plans", ["episode_id", "start_date", "end_date"]).merge(
        e[["episode_id", "child_id"]], on="episode_id"
    )
    cla = read("cla_episodes", ["child_id", "start_date", "end_date"])
    absence = read(
        "absence",
        [
            "child_id",
            "academic_year",
            "sessions_possible",
            "sessions_authorised",
            "sessions_unauthorised",
        ],
        filters=[("academic_year", "in", [y * 100 + y % 100 - 100 for y in YEARS])],
    )
    for year in YEARS:
        day = pd.Timestamp(year, 3, 31)

        def open_on(starts: pd.Series, ends: pd.Series, day: pd.Timestamp = day) -> pd.Series:
            return (pd.to_datetime(starts) <= day) & (pd.to_datetime(ends).fillna(far) > day)

        ranked = pd.concat(
            [
                need.loc[open_on(need["referral_date"], need["closure_date"]), ["child_id"]].assign(
                    rank=GROUP_RANK["CINO"]
                ),
                plans.loc[open_on(plans["start_date"], plans["end_date"]), ["child_id"]].assign(
                    rank=GROUP_RANK["CPPO"]
                ),
                cla.loc[open_on(cla["start_date"], cla["end_date"]), ["child_id"]].assign(
                    rank=GROUP_RANK["CLA"]
                ),
            ]
        )
        groups = ranked.groupby("child_id", as_index=False)["rank"].max()
        groups["group"] = groups["rank"].map({r: g for g, r in GROUP_RANK.items()})
        a = absence[absence["academic_year"] == (year - 1) * 100 + year % 100]
        a = a.assign(
            missed=a["sessions_authorised"] + a["sessions_unauthorised"],
            possible=a["sessions_possible"],
        ).merge(groups[["child_id", "group"]], on="child_id", how="left")
        a["group"] = a["group"].fillna("other pupils")
        a["persistent"] = 10 * a["missed"] >= a["possible"]
        sums = a.groupby("group").agg(
            pupils=("child_id", "size"),
            possible=("possible", "sum"),
            missed=("missed", "sum"),
            persistent=("persistent", "sum"),
        )
        sums.loc["all pupils"] = sums.sum()
        for group, row in sums.iterrows():  # a handful of result rows
            out[f"absence_{year}_{group}"] = [int(v) for v in row.to_numpy()]
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
    "ibis-core": run_ibis,
    "pandas-core": run_pandas,
}


def _child(part: str, folder: Path) -> None:
    start, cpu = time.perf_counter(), _cpu()
    result = PARTS[part](folder)
    record = {
        "wall": time.perf_counter() - start,
        "cpu": _cpu() - cpu,
        "peak_mb": _peak_mb(),
        "result": result,
    }
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
                f"{part:12} wall {record['wall']:6.2f} s  cpu {record['cpu']:6.2f} s  "
                f"peak {record['peak_mb']:7.0f} MB",
                flush=True,
            )
            if part not in best or record["wall"] < best[part]["wall"]:
                best[part] = record
    ibis, pandas = best["ibis-core"], best["pandas-core"]
    same = ibis["result"] == pandas["result"]
    print(f"B1, B3, absence: Ibis/DuckDB and pandas give the same numbers: {same}")
    if not same:
        for key in sorted(set(ibis["result"]) | set(pandas["result"])):
            if ibis["result"].get(key) != pandas["result"].get(key):
                print(f"  {key}: ibis {ibis['result'].get(key)} pandas {pandas['result'].get(key)}")
    print(
        f"B1, B3 and absence: pandas / Ibis = {pandas['wall'] / ibis['wall']:.1f} times "
        f"(wall), {pandas['cpu'] / ibis['cpu']:.1f} times (CPU) (target 3)"
    )
    found, oracle = best["findings"], best["pandas-all"]
    print(
        f"all findings: {found['wall']:.2f} s wall (target 30 s); pandas (the fit script's "
        f"{oracle['result']['rows']} rows) / all findings = {oracle['wall'] / found['wall']:.1f}"
        f" times (wall), {oracle['cpu'] / found['cpu']:.1f} times (CPU) (target 3)"
    )
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
