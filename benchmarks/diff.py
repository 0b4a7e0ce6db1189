"""Benchmark: `bulletin diff` of two national builds, without and with images.

Times `bulletin diff OLD NEW --json` (no images: DESIGN.md target 5 s) and
`bulletin diff OLD NEW --html` (before, after and difference images of every changed page
and chart: target 30 s), each in its own process, `--repeat` times: wall clock and CPU
time (the diff and the processes it waited for: pdftotext, pdftoppm). OLD and NEW are
two built sites, for example those `benchmarks/rebuild.py --keep DIR` keeps.

    .venv/bin/python -m benchmarks.diff OLD NEW [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(args: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "bulletin", "diff", *args, "--quiet"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode not in (0, 1):
        raise SystemExit(f"bulletin diff failed:\n{run.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="bench-diff-") as work:
        out = Path(work)
        for label, extra in (
            ("without images (--json)", ["--json", str(out / "diff.json")]),
            ("with images (--html)", ["--html", str(out / "report")]),
        ):
            runs = [timed([str(args.old), str(args.new), *extra]) for _ in range(args.repeat)]
            walls = ", ".join(f"{w:.2f}" for w, _ in runs)
            cpus = ", ".join(f"{c:.2f}" for _, c in runs)
            print(f"{label}: wall {walls} s (best {min(w for w, _ in runs):.2f}); CPU {cpus} s")
        counts = json.loads((out / "diff.json").read_text(encoding="utf-8"))["counts"]
        size = (out / "report" / "index.html").stat().st_size
        print(
            f"what changed: {json.dumps({k: v for k, v in counts.items() if not isinstance(v, dict)})}"
        )
        print(f"HTML report: {size / 1e6:.2f} MB")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
