"""Benchmark: what the checks that keep outputs safe cost (issue 21), one by one.

    .venv/bin/python -m benchmarks.safety_checks --linked-data /work/runs/national \\
        [--main-src /work/main/src] [--project DIR] [--repeat 3]

Prints, each the best of `--repeat` runs (wall seconds):

- the public data checks (`validate_public` on data/public), in this tree and, with
  `--main-src`, in that source tree (a separate process each): the difference is what the
  value, year, name and link checks add;
- the linked validator's checks of the tables that have dates, with and without the date
  checks (the same DuckDB connection and views), wall and CPU seconds: the difference is
  what the date checks add (the other tables' checks are the same either way);
- the output rule on a site-like folder of 500 files with its manifest (`check_folder`);
- the disclosure check of QA over findings.json (of the hand-made extract: the findings
  context has the same tables at any scale) and a site's CSV files;
- the output-checking pack of the hand-made extract (recording, `pack`, its JSON and CSV);
- with `--project DIR` (a built project), a rebuild with nothing changed, through the CLI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bulletin.core.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "linked-small"


def best(run: Callable[[], object], repeat: int) -> float:
    """The smallest wall time of `repeat` runs."""
    return best_cpu(run, repeat)[0]


def best_cpu(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The smallest wall time and the smallest CPU time (every thread of the process) of
    `repeat` runs: on a busy machine the CPU time says more."""
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def public_checks(src: Path | None, repeat: int) -> float:
    """validate_public on data/public in a fresh process (from `src` when given)."""
    code = (
        "import time; from pathlib import Path\n"
        "from bulletin.data.public_files import validate_public\n"
        f"times = []\nfor _ in range({repeat}):\n"
        "    t = time.perf_counter(); validate_public(Path('data/public'))\n"
        "    times.append(time.perf_counter() - t)\nprint(min(times))\n"
    )
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def date_checks(extract: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """On one connection holding the extract's views, the checks of the tables that have
    dates (where the date checks share the passes of the other checks), with and without
    the date checks, then the date checks alone: (wall, CPU) seconds each."""
    from bulletin.core import schema
    from bulletin.data.linked.checks import CHECKS
    from bulletin.data.linked.read import available, connect, read_public_las, register
    from bulletin.data.linked.validate import run_checks

    with tempfile.TemporaryDirectory(dir=load_settings(ROOT).paths.cache) as tmp:
        con = connect(2, Path(tmp))
        public_ok = not read_public_las(con, ROOT / "data" / "public")
        sources = {t.name: register(con, extract, t) for t in schema.TABLES}
        usable = available(sources, public_ok)
        dated = {c.table for c in CHECKS if c.kind == "date"}
        runnable = [c for c in CHECKS if set(c.reads) <= usable and c.table in dated]
        without = [c for c in runnable if c.kind != "date"]
        dates = [c for c in runnable if c.kind == "date"]
        found = {
            "with": best_cpu(lambda: run_checks(con, runnable, sources), repeat),
            "without": best_cpu(lambda: run_checks(con, without, sources), repeat),
            "alone": best_cpu(lambda: run_checks(con, dates, sources), repeat),
        }
        con.close()
    return found


def output_rule(repeat: int) -> float:
    from bulletin.core.outputs import MANIFEST, check_folder

    settings = load_settings(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        names = [f"data/p{i // 50}/f{i}.csv" for i in range(500)]
        for name in names:
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text("x", encoding="utf-8")
        record = {"generator": "bulletin 0", "command": "build", "files": dict.fromkeys(names)}
        (site / MANIFEST).write_text(json.dumps(record), encoding="utf-8")
        protected = {"public data folder": settings.paths.public_data}
        return best(
            lambda: check_folder(site, "build", root=settings.root, protected=protected), repeat
        )


def disclosure_and_pack(repeat: int) -> tuple[float, float, int]:
    """The disclosure check over findings.json and a site's CSV files; the pack."""
    from bulletin.core.atomic import private_temp
    from bulletin.data.facts import load_facts, whole_number
    from bulletin.data.linked import load
    from bulletin.findings.checking import cells_csv, pack, pack_json
    from bulletin.findings.context import compute, to_json
    from bulletin.findings.linked import Params, connect
    from bulletin.findings.publish import recording
    from bulletin.qa.disclosure import check_disclosure, findings_values, site_values

    settings = load_settings(ROOT)
    first, last = settings.publication("data-and-analysis").years()
    children = whole_number(load_facts(settings.paths.public_data), "children_in_window")
    params = Params(settings.disclosure, children, first, last)
    settings.paths.cache.mkdir(exist_ok=True)
    with private_temp(settings.paths.cache), load(FIXTURE) as data, recording() as notes:
        found = compute(connect(data), params)
        text = to_json(found, data.dataset, settings.disclosure)
    site = ROOT / "_site"

    def check() -> None:
        values = findings_values(text, "findings.json")
        if site.is_dir():
            values += site_values(site, {}, {})
        check_disclosure(values, settings.disclosure)

    def make_pack() -> None:
        content = pack(found, notes, data.dataset, settings.disclosure)
        pack_json(content)
        cells_csv(content)

    count = len(findings_values(text, "findings.json"))
    return best(check, repeat), best(make_pack, repeat), count


def rebuild(project: Path) -> float:
    env = {**os.environ, "BULLETIN_ROOT": str(project)}
    command = [sys.executable, "-m", "bulletin", "build", "--quiet"]
    subprocess.run(command, env=env, check=True)  # whatever changed, built now
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.safety_checks")
    parser.add_argument("--linked-data", type=Path, required=True, help="a large extract")
    parser.add_argument("--main-src", type=Path, help="another tree's src/, for the difference")
    parser.add_argument("--project", type=Path, help="a built project, for a no-change rebuild")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    here = public_checks(None, args.repeat)
    print(f"public data checks: {here:.3f} s")
    if args.main_src is not None:
        there = public_checks(args.main_src, args.repeat)
        print(f"public data checks in {args.main_src}: {there:.3f} s; added {here - there:+.3f} s")
    found = date_checks(args.linked_data, args.repeat)
    (wall, cpu), (wall0, cpu0) = found["with"], found["without"]
    print(
        f"checks of the tables with dates on {args.linked_data}: {wall:.2f} s wall, {cpu:.2f} s "
        f"CPU with the date checks; {wall0:.2f} s, {cpu0:.2f} s CPU without; added "
        f"{wall - wall0:+.2f} s wall, {cpu - cpu0:+.2f} s CPU (the date checks alone: "
        f"{found['alone'][0]:.2f} s wall, {found['alone'][1]:.2f} s CPU)"
    )
    print(f"output rule on a 500-file site: {output_rule(args.repeat) * 1000:.1f} ms")
    check, made, count = disclosure_and_pack(args.repeat)
    print(f"disclosure check of QA ({count} values of findings.json, and _site/): {check:.3f} s")
    print(f"output-checking pack (hand-made extract): {made:.3f} s")
    if args.project is not None:
        print(f"no-change rebuild of {args.project}: {rebuild(args.project):.2f} s")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
