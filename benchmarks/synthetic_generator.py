"""Benchmark: the synthetic generator at a given scale: time, peak memory, rows per table.

    .venv/bin/python -m benchmarks.synthetic_generator [--scale 1.0] [--seed N]

Runs the generator in a fresh process (so peak memory is the generator's own) into a
temporary folder and prints the wall time, the peak resident memory (ru_maxrss) and the
row count of every table. Targets (DESIGN.md): 90 seconds and 8 GB at scale 1.0 for the
whole generator.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, sys
from pathlib import Path
from bulletin.data.geography import load_geography
from bulletin.synthetic import generate
summary = generate(load_geography(Path(sys.argv[1])), Path(sys.argv[2]), seed=int(sys.argv[3]), scale=float(sys.argv[4]))
print(json.dumps({"rows": summary.rows, "seconds": summary.seconds}))
"""


def main(argv: list[str] | None = None) -> int:
    from bulletin.core.settings import load_settings

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    seed = load_settings(ROOT).seed if args.seed is None else args.seed
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "extract"
        start = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(ROOT / "data/public"),
                str(out),
                str(seed),
                str(args.scale),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - start
        peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2
        size_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1024**2
    report = json.loads(result.stdout)
    print(f"synthetic generator, scale {args.scale}, seed {seed}")
    print(f"  wall time        {seconds:8.1f} s (including interpreter start and imports)")
    print(f"  peak memory      {peak_gb:8.2f} GB")
    print(f"  extract on disk  {size_mb:8.0f} MB")
    for step, secs in report["seconds"].items():
        print(f"  step {secs:6.1f} s  {step}")
    for table, rows in report["rows"].items():
        print(f"  {table:<24} {rows:>14,} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
