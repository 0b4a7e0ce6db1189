"""Benchmark: all seven accessible formats of a publication, as `bulletin accessible PUB
--format all` makes them (targets, DESIGN.md and issue 24: the concluding review in 60 s
or less, the data and analysis publication in 3 minutes or less).

    .venv/bin/python -m benchmarks.accessible [--project DIR] [--linked-data DIR]
        [--publication ID ...] [--twice]

DIR is a built project (default: this checkout; run `bulletin build` in it first, with the
same --linked-data if it was given one). For
each publication the format stages' cached entries are deleted (nothing else: the data,
figures, pages and PDF stages stay cached, as after a `bulletin build`), then the command
runs in its own process: the wall-clock and CPU seconds (the command and every program
it runs: pandoc, java, node and Chromium, espeak-ng, opusenc...), and each format stage's
time as the build log gives it (making the file and checking it). The audio's length and
chapters come from `opusinfo`. With `--twice`, the format stages run again from nothing
into a second folder, and every file must be byte-identical to the first run's.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"concluding-review": 60.0, "data-and-analysis": 180.0}
STAGE_TIME = re.compile(
    r"format-([a-z-]+?)-(?:concluding-review|data-and-analysis|interim-findings): ran in ([\d.]+) s"
)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(
    project: Path, pub: str, out: Path, linked: Path | None
) -> tuple[float, float, dict[str, float]]:
    """Wall and CPU seconds of `bulletin accessible PUB --format all --out OUT`, with no
    format cached, and the seconds of each format stage."""
    for stage in (project / ".cache" / "bulletin" / "stages").glob(f"format-*-{pub}"):
        shutil.rmtree(stage)
    env = dict(os.environ, BULLETIN_ROOT=str(project))
    command = [sys.executable, "-m", "bulletin", "accessible", pub, "--format", "all"]
    command += ["--linked-data", str(linked)] if linked else []
    cpu, start = children_cpu(), time.perf_counter()
    done = subprocess.run(
        [*command, "--out", str(out)], env=env, capture_output=True, text=True, check=False
    )
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"bulletin accessible {pub} failed:\n{done.stderr[-3000:]}")
    stages = {name: float(seconds) for name, seconds in STAGE_TIME.findall(done.stderr)}
    return wall, cpu, stages


def audio_summary(path: Path) -> str:
    info = subprocess.run(["opusinfo", str(path)], capture_output=True, text=True, check=True)
    length = re.search(r"Playback length: (.*)", info.stdout)
    chapters = len(re.findall(r"CHAPTER\d+NAME=", info.stdout))
    return f"{length[1] if length else '?'}, {chapters} chapters"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="a built project")
    parser.add_argument(
        "--publication", action="append", choices=sorted(TARGETS), help="default: both"
    )
    parser.add_argument("--linked-data", type=Path, help="the extract the project was built on")
    parser.add_argument("--twice", action="store_true", help="run again: the same bytes?")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="accessible-benchmark-") as folder:
        for pub in args.publication or sorted(TARGETS, reverse=True):
            first = Path(folder) / pub / "first"
            wall, cpu, stages = run(args.project, pub, first, args.linked_data)
            verdict = "met" if wall <= TARGETS[pub] else "MISSED"
            print(
                f"\n{pub}: {wall:.1f} s wall, {cpu:.1f} s CPU (target {TARGETS[pub]:.0f} s: {verdict})"
            )
            for name, seconds in stages.items():
                print(f"  {name:12} {seconds:6.1f} s")
            for path in sorted(first.iterdir()):
                if not path.name.startswith("."):
                    print(f"  {path.name:36} {path.stat().st_size:>10,} bytes")
            print(f"  audio: {audio_summary(first / f'{pub}.opus')}")
            if args.twice:
                second = Path(folder) / pub / "second"
                wall2, cpu2, _ = run(args.project, pub, second, args.linked_data)
                same = [
                    p.name
                    for p in sorted(first.iterdir())
                    if (second / p.name).read_bytes() == p.read_bytes()
                ]
                total = len(list(first.iterdir()))
                print(
                    f"  again from nothing: {wall2:.1f} s wall, {cpu2:.1f} s CPU; "
                    f"{len(same)} of {total} files byte-identical"
                )
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
