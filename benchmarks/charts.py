"""Benchmark: drawing a national build's figures, one after another and in a process pool.

The figures are a publication's worth of every chart kind (26 of them, about as many as
the data and analysis publication shows), at their real sizes: Progress 8 for all 152 local
authorities with their real names, 10 sequences, 6 bands of schools... Their values are
made up, deterministically: the benchmark measures drawing, not findings. It checks that
the pool gives the same bytes as drawing in one process.

    .venv/bin/python -m benchmarks.charts [--workers 1 2] [--repeat 3] [--out DIR]

Each run is a fresh process, timed as a build's figures stage pays it: importing
matplotlib, or starting the pool's server (which imports it once), then drawing every
figure. CPU seconds include the pool's server and workers. `--out DIR` also writes every
sample's SVG, CSV, alt text and description there, to look at them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from bulletin.charts.model import (
    BarChart,
    Chart,
    Distribution,
    DotPlot,
    GroupedBarChart,
    LineChart,
    Point,
    SequenceChart,
    Series,
    to_csv,
)
from bulletin.core.formatting import fmt_2dp, fmt_count, pct_1dp, signed_1dp
from bulletin.core.measure import Measure, Unit
from bulletin.core.symbols import Symbol
from bulletin.data.geography import load_geography

ROOT = Path(__file__).resolve().parents[1]
YEARS = tuple(str(y) for y in range(2013, 2019))
GROUPS = ("Child in need", "Child protection plan", "Looked after", "All pupils")
STAGES = ("Early years", "Key stage 2", "Key stage 4")


def _share(rng: random.Random, low: float, high: float) -> Measure:
    denominator = rng.randint(5_000, 600_000)
    return Measure.share(int(denominator * rng.uniform(low, high)), denominator)


def _score(x: float) -> Measure:
    return Measure(Decimal(f"{x:.2f}"), Unit.SCORE)


def _ratio(x: float) -> Measure:
    return Measure(Decimal(f"{x:.3f}"), Unit.RATIO)


def samples(seed: int = 1) -> list[Chart]:
    """A publication's figures, every kind at its real size."""
    rng = random.Random(seed)
    names = [la.name for la in load_geography(ROOT / "data" / "public").authorities]
    codes = [la.code for la in load_geography(ROOT / "data" / "public").authorities]
    charts: list[Chart] = []
    for n in range(4):
        base = rng.randint(300_000, 700_000)
        values = tuple(Measure.count(base + rng.randint(-30_000, 30_000)) for _ in YEARS)
        charts.append(
            LineChart(
                id=f"fig-line-{n}",
                subject="the number of children in need in England at 31 March of each year",
                category_key="time_period",
                categories=YEARS,
                series=(Series("children", "Children in need", values),),
                value_label="Children in need at 31 March",
                fmt=fmt_count,
            )
        )
    keys = ("cin", "cpp", "cla")
    charts.append(
        LineChart(
            id="fig-lines-three",
            subject="the share of pupils with special educational needs in each group",
            category_key="time_period",
            categories=YEARS,
            series=tuple(
                Series(k, g, tuple(_share(rng, 0.2, 0.6) for _ in YEARS))
                for k, g in zip(keys, GROUPS, strict=False)
            ),
            value_label="Pupils with special educational needs",
            fmt=pct_1dp,
        )
    )
    for n in range(4):
        cats = ("Male", "Female", "Unknown") if n % 2 else tuple(f"Group {i}" for i in range(7))
        charts.append(
            BarChart(
                id=f"fig-bar-{n}",
                subject="the share of children in need in each group",
                category_key="group",
                categories=cats,
                value_key="percent",
                values=tuple(_share(rng, 0.01, 0.6) for _ in cats),
                value_label="Share of children in need",
                fmt=pct_1dp,
                horizontal=n >= 2,
            )
        )
    for n in range(4):
        charts.append(
            GroupedBarChart(
                id=f"fig-grouped-{n}",
                subject="the share of pupils reaching the expected standard",
                category_key="stage",
                categories=STAGES,
                series=tuple(
                    Series(k, g, tuple(_share(rng, 0.1, 0.7) for _ in STAGES))
                    for k, g in zip((*keys, "all"), GROUPS, strict=True)
                ),
                value_label="Pupils reaching the expected standard",
                fmt=pct_1dp,
                horizontal=n >= 2,
            )
        )
    for n in range(3):
        points = []
        for code, name in zip(codes, names, strict=True):
            mean = rng.gauss(-0.6, 0.25)
            half = rng.uniform(0.05, 0.3)
            points.append(Point(code, name, _score(mean), _score(mean - half), _score(mean + half)))
        charts.append(
            DotPlot(
                id=f"fig-p8-{n}",
                subject="the mean Progress 8 score of pupils in need in each local authority",
                item_key="la_code",
                label_key="la_name",
                items="local authorities",
                points=tuple(points[: 60 + 46 * n]),
                value_key="progress8",
                value_label="Mean Progress 8 score",
                fmt=signed_1dp,
                reference=_score(-0.6),
                reference_label="England average",
            )
        )
    groups = (
        ("prev", "Previously in need"),
        ("cino", "Child in need only"),
        ("cppo", "Child protection plan"),
        ("cla", "Looked after"),
    )
    for n in range(3):
        points = []
        for key, label in groups:
            rr = rng.uniform(0.45, 0.8)
            points.append(Point(key, label, _ratio(rr), _ratio(rr - 0.02), _ratio(rr + 0.02)))
        charts.append(
            DotPlot(
                id=f"fig-likelihood-{n}",
                subject="the adjusted likelihood of a strong pass in English and maths at GCSE, "
                "relative to pupils never in need",
                item_key="group",
                label_key="group_name",
                items="groups",
                points=tuple(points),
                value_key="relative_likelihood",
                value_label="Likelihood relative to pupils never in need",
                fmt=fmt_2dp,
                ranked=False,
                reference=_ratio(1),
                reference_label="Never in need",
            )
        )
    bands = ("none", "under 5%", "5% to 10%", "over 10% to 15%", "over 15% to 20%", "over 20%")
    for n in range(3):
        charts.append(
            Distribution(
                id=f"fig-distribution-{n}",
                subject="schools by the share of their pupils who were in need",
                category_key="band",
                categories=bands,
                bands_label="Share of pupils who were in need",
                value_key="schools",
                values=tuple(Measure.count(rng.randint(200, 9_000)) for _ in bands),
                value_label="Schools",
                fmt=fmt_count,
            )
        )
    statuses = ("CIN", "CPP", "CLA", "no longer in need")
    for n in range(4):
        sequences = sorted(
            {tuple(rng.choice(statuses) for _ in range(rng.randint(1, 4))) for _ in range(40)}
        )[:10]
        shares = sorted((_share(rng, 0.01, 0.3) for _ in sequences), key=lambda m: -m.exact)
        charts.append(
            SequenceChart(
                id=f"fig-sequences-{n}",
                subject="the share of children in need who followed each sequence of statuses",
                sequences=tuple(sequences),
                value_key="percent_of_children",
                values=tuple(shares),
                value_label="Share of children in need",
                fmt=pct_1dp,
                others=Measure.hidden(Symbol.SUPPRESSED, Unit.SHARE)
                if n == 3
                else _share(rng, 0.1, 0.2),
            )
        )
    return charts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a single timed run
    args = parser.parse_args()
    if args.one is not None:
        _one(args.one, args.out)
        return
    print(f"{len(samples())} figures; {os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}")
    digests = set()
    for workers in args.workers:
        runs = []
        for _ in range(args.repeat):
            command = [sys.executable, "-m", "benchmarks.charts", "--one", str(workers)]
            done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
            runs.append(json.loads(done.stdout))
        digests |= {run["digest"] for run in runs}
        walls = [run["wall"] for run in runs]
        print(
            f"workers={workers}: wall median {statistics.median(walls):.2f} s "
            f"(runs {', '.join(f'{w:.2f}' for w in walls)}), "
            f"CPU median {statistics.median(run['cpu'] for run in runs):.2f} s"
        )
    if len(digests) != 1:
        raise SystemExit("the SVGs differ between runs")
    print(f"every run drew the same bytes (sha256 {digests.pop()[:16]}...)")
    if args.out is not None:
        _one(1, args.out)
        print(f"wrote {len(samples())} figures to {args.out}")


def _one(workers: int, out: Path | None) -> None:
    """One run in a fresh process, as a build's figures stage pays it: importing matplotlib
    (or starting the pool's server), then drawing every figure. Prints wall and CPU seconds
    (the pool's workers included) and a digest of the SVGs as JSON."""
    start, before = time.perf_counter(), _cpu()
    from bulletin.charts.draw import draw_all

    charts = samples()
    drawn = draw_all(charts, workers=workers)
    wall = time.perf_counter() - start
    cpu = _cpu() - before + _pool_cpu()
    digest = hashlib.sha256("".join(drawn).encode()).hexdigest()
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for chart, text in zip(charts, drawn, strict=True):
            (out / f"{chart.id}.svg").write_text(text, encoding="utf-8")
            (out / f"{chart.id}.csv").write_text(to_csv(chart), encoding="utf-8")
            (out / f"{chart.id}.txt").write_text(chart.alt + "\n\n" + chart.description)
        return
    print(json.dumps({"wall": wall, "cpu": cpu, "digest": digest}))


def _cpu() -> float:
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _pool_cpu() -> float:
    """CPU seconds of the fork server and its workers: not our children, so read from
    /proc (the server is our child; the workers its children, already gone, counted in
    its cumulative times)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():  # ppid: a child of ours still running
            utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
            total += (utime + stime + cutime + cstime) / tick
    return total


if __name__ == "__main__":
    main()
