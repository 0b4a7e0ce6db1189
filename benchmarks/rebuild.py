"""Benchmark: a rebuild with nothing changed (target: under 2 s), and the reading of the
system components that every build does first (target: well under 0.5 s).

    .venv/bin/python -m benchmarks.rebuild [--linked-data DIR | --scale S] [--repeat 5]

The repository (without .git, .venv, caches and outputs) is copied into a temporary
project, built once cold with `bulletin build`, then rebuilt `--repeat` times with nothing
changed, each a new `bulletin build` process timed from start to exit. Every stage of a
rebuild must be skipped. Then, in this process, each system component is read on its own
(`bulletin.core.system`), once as a build without a memo file does (pandoc is run), once
with the memo the build keeps (pandoc is not run); and once more with the pandoc program
dropped from the page cache first (`posix_fadvise`, that file only), as after a long pause.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".git", ".venv", ".cache", "_site", "*_cache", "__pycache__")


def bulletin(project: Path, args: list[str]) -> tuple[float, str]:
    """Run `bulletin build ARGS` in the project; its wall-clock seconds and its log."""
    env = dict(os.environ, BULLETIN_ROOT=str(project))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bulletin", "build", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bulletin build failed:\n{done.stderr}")
    return seconds, done.stderr


def read_each(memo: Path | None) -> dict[str, float]:
    """Seconds to read each component, in a fresh `Machine` (dpkg's database read by the
    first Debian component)."""
    from bulletin.core.system import COMPONENTS, Machine

    machine = Machine(memo=memo)
    seconds = {}
    for component in COMPONENTS:
        start = time.perf_counter()
        component.read(machine)
        seconds[component.name] = time.perf_counter() - start
    machine.save()
    return seconds


def drop_from_page_cache(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def pandoc_program() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")
    if spec is None or not spec.submodule_search_locations:
        return None
    program = Path(next(iter(spec.submodule_search_locations))) / "files" / "pandoc"
    return program if program.is_file() else None


def show(title: str, seconds: dict[str, float]) -> None:
    slow = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in seconds.items() if v >= 0.001)
    print(f"{title}: {sum(seconds.values()) * 1000:.0f} ms in all ({slow})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--linked-data", type=Path, help="a linked extract (default: synthetic)")
    parser.add_argument("--scale", default="0.01", help="of the synthetic population")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")

    build = ["--linked-data", str(args.linked_data)] if args.linked_data else []
    build += [] if args.linked_data else ["--scale", args.scale]
    with tempfile.TemporaryDirectory(prefix="bulletin-rebuild-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=SKIP)
        cold, log = bulletin(project, build)
        print(f"cold build: {cold:.1f} s ({' '.join(build)})")
        print("  " + next(line for line in log.splitlines() if "system: " in line))
        times = []
        for _ in range(args.repeat):
            seconds, log = bulletin(project, build)
            ran = [line for line in log.splitlines() if re.search(r": (ran|running)", line)]
            if ran:
                raise SystemExit(f"a stage ran in a no-change rebuild: {ran}")
            times.append(seconds)
        print(
            f"no-change rebuild ({args.repeat} runs, every stage skipped): "
            f"median {statistics.median(times):.2f} s, min {min(times):.2f} s, "
            f"max {max(times):.2f} s (target: under 2 s)"
        )
        print("  " + next(line for line in log.splitlines() if "system: " in line))

        memo = Path(tmp) / "memo.json"
        show("components, no memo (a first build)", read_each(None))
        read_each(memo)
        show("components, with the build's memo", read_each(memo))
        program = pandoc_program()
        if program is not None:
            drop_from_page_cache(program)
            show("components, no memo, pandoc not in the page cache", read_each(None))
            drop_from_page_cache(program)
            show("components, with the memo, pandoc not in the page cache", read_each(memo))


if __name__ == "__main__":
    main()
