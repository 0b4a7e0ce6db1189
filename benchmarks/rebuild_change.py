"""Benchmark: rebuilds after a small change, and which stages they rerun.

On a built project (national scale: build it first, for example with
`bulletin build --linked-data /work/runs/national`), each change is made, the project
rebuilt and the change undone and rebuilt again, each build timed in its own process (wall
clock, and CPU time of the build and every process it waited for: Chromium, pdfua):

- `prose`: one sentence of the data and analysis template reworded (DESIGN.md target: a
  rebuild in 10 s or less at national scale), `--samples` times, each time in words no
  earlier build has seen (so that the QA memo cannot pass the changed page and PDF); only
  that publication's report, pages and PDF, the site and QA should run. The median is
  reported;
- `public`: one value of one public file (England's children in need at 31 March 2018 in
  B1) raised by 1 to 99, a value no earlier run has likely built (the stage cache keeps the
  two versions of each stage used last: a value built just before would be found there):
  only the stages that read that file (B1 is one of the two files the synthetic population
  is drawn on: at national scale its stage takes about a minute), and those whose inputs
  then change, should run. Undone, the original versions are found in the cache.

A no-change rebuild is timed first (it must run no stage). The sites before and after the
prose change are kept, for `benchmarks/diff.py`, in `--keep DIR` when given.

    .venv/bin/python -m benchmarks.rebuild_change --project DIR [--linked-data PATH] [--keep DIR]
        [--samples N]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import shutil
import statistics
import string
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

TEMPLATE = "templates/data-and-analysis/publication.qmd.jinja"
SENTENCE = (
    "They also show where these children go to school, and how they do there and after.",
    "They also show which schools these children attend, and how well they do there and "
    "afterwards.",
)
B1 = "data/public/cin_characteristics/release_2023/b1_children_in_need_2013_to_2023.csv"
B1_ROW = "2018,Reporting year,National,E92000001,England,"
VALUE = 404710  # in B1_ROW, followed by its rate, 341


def build(project: Path, linked: Path | None) -> tuple[float, float, list[str]]:
    """One `bulletin build` in its own process: wall seconds, CPU seconds (the build and
    the processes it waited for) and the stages that ran, with their seconds."""
    command = [sys.executable, "-m", "bulletin", "build"]
    if linked is not None:
        command += ["--linked-data", str(linked)]
    env = dict(os.environ, BULLETIN_ROOT=str(project))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise SystemExit(f"the build failed:\n{run.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    ran = re.findall(r"bulletin: (\S+): ran in ([\d.]+) s", run.stderr)
    return wall, cpu, [f"{name} {seconds} s" for name, seconds in ran]


def swap(path: Path, old: str, new: str, line_start: str = "") -> Callable[[], None]:
    """Replace `old` by `new` once on the line starting with `line_start`; returns the undo."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    hits = [k for k, line in enumerate(lines) if line.startswith(line_start) and old in line]
    if len(hits) != 1:
        raise SystemExit(f"{path}: expected one line holding {old!r}, found {len(hits)}")
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")

    def undo() -> None:
        path.write_text(text, encoding="utf-8")

    return undo


def report(label: str, measured: tuple[float, float, list[str]]) -> None:
    wall, cpu, ran = measured
    print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU; stages run: {', '.join(ran) or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True, help="a built project")
    parser.add_argument("--linked-data", type=Path, help="the linked data it was built from")
    parser.add_argument(
        "--keep", type=Path, help="keep the sites before and after the prose change here"
    )
    parser.add_argument("--samples", type=int, default=3, help="prose changes timed (3)")
    args = parser.parse_args()
    project, linked = args.project.resolve(), args.linked_data
    print(f"load average before: {os.getloadavg()}")
    report("no change", build(project, linked))
    if args.keep:
        shutil.rmtree(args.keep / "before", ignore_errors=True)
        shutil.copytree(project / "_site", args.keep / "before")
    walls = []
    for sample in range(1, args.samples + 1):
        # a sentence no earlier run has built, so that no check passes from the QA memo
        draft = "".join(secrets.choice(string.ascii_lowercase) for _ in range(8))  # no digits
        new = SENTENCE[1].replace("afterwards.", f"afterwards (draft {draft}).")
        undo = swap(project / TEMPLATE, SENTENCE[0], new)
        try:
            measured = build(project, linked)
            report(f"prose change, sample {sample}", measured)
            walls.append(measured[0])
            if args.keep and sample == 1:
                shutil.rmtree(args.keep / "after", ignore_errors=True)
                shutil.copytree(project / "_site", args.keep / "after")
        finally:
            undo()
        report("prose change undone", build(project, linked))
    print(f"prose change: median {statistics.median(walls):.2f} s wall of {len(walls)} samples")
    raised = VALUE + 1 + secrets.randbelow(99)
    undo = swap(project / B1, f",{VALUE},341,", f",{raised},341,", B1_ROW)
    print(f"public value: {VALUE} made {raised}")
    try:
        report("public value change", build(project, linked))
    finally:
        undo()
    report("public value change undone", build(project, linked))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
