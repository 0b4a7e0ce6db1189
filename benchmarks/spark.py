"""Benchmark: every finding on local Spark against DuckDB, on the same extract: wall and CPU
time, peak memory (the Java process included), where Spark's time goes, and the bytes.

    nice -n 10 .venv/bin/python -m benchmarks.spark --linked-data /work/runs/national \\
        [--driver-memory 4g] [--engines duckdb spark]

Each engine runs in a fresh process, one after the other: `findings_json` as `bulletin
findings --engine E` computes it (open the extract, every query, the regression, disclosure
control, the JSON), without the validation and the stage cache that come before it in a
build. Spark runs on `local[threads]` of the settings, with `--driver-memory` as its heap.

Measured from outside the process, every 0.2 s: the resident memory of the process and all
its descendants together (the JVM that pyspark starts is one), its peak; CPU seconds, user
and system, of each process of the tree at its last sample, summed. Inside the Spark process:
the session's start, then each query's wall time (`Linked.run`); and from Spark's own event
log, per query, its tasks' run time, CPU time and garbage collection, shuffle bytes and
spills (Spark's record of where its time went). Finally the two findings.json are compared
byte for byte: the script fails when they differ.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


# -- inside the measured process ------------------------------------------------------------


def _child(engine: str, folder: Path, out: Path, driver_memory: str) -> None:
    from bulletin.core.settings import load_settings
    from bulletin.findings.linked import Linked
    from bulletin.pipeline import findings_json, fix_environment

    settings = load_settings(ROOT)
    fix_environment(settings)
    steps: list[tuple[str, float]] = []
    run = Linked.run

    def timed(self: Linked, name: str, params: Any) -> Any:
        start = time.perf_counter()
        try:
            return run(self, name, params)
        finally:
            steps.append((name, time.perf_counter() - start))

    Linked.run = timed  # type: ignore[method-assign]
    start = time.perf_counter()
    session = None
    if engine == "spark":
        from bulletin.data.linked.spark import session as spark_session

        events = out.parent / "events"
        events.mkdir()
        conf = {
            **dict(settings.spark.conf),
            "spark.driver.memory": driver_memory,
            "spark.eventLog.enabled": "true",
            "spark.eventLog.compress": "false",  # one file of plain JSON lines
            "spark.eventLog.rolling.enabled": "false",
            "spark.eventLog.dir": events.as_uri(),
        }
        session, _ = spark_session(settings.spark.master_for(settings.threads), out.parent, conf)
        steps.append(("(the session starts)", time.perf_counter() - start))
    text = findings_json(settings, folder, settings.paths.public_data, engine)
    wall = time.perf_counter() - start
    if session is not None:
        session.stop()
    out.write_text(text, encoding="utf-8")
    print(json.dumps({"wall": wall, "steps": steps}))


# -- outside: the process tree's memory and CPU ---------------------------------------------


def _tree(root: int) -> list[int]:
    """`root` and every process descending from it."""
    parents: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(fields[1])].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


class Sampler(threading.Thread):
    """Samples a process tree's resident memory (summed) and each process's CPU seconds."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak, self.cpu = root, 0, {}  # type: ignore[var-annotated]
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            rss = 0
            for pid in _tree(self.root):
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
                except OSError:
                    continue
                self.cpu[pid] = (int(stat[11]) + int(stat[12])) / TICKS  # utime + stime
                rss += pages * PAGE
            self.peak = max(self.peak, rss)
            time.sleep(0.2)


def _measure(engine: str, folder: Path, work: Path, driver_memory: str) -> dict[str, Any]:
    out = work / engine / "findings.json"
    out.parent.mkdir(parents=True)
    command = [sys.executable, "-m", "benchmarks.spark", "--part", engine]
    command += ["--linked-data", str(folder), "--out", str(out), "--driver-memory", driver_memory]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    sampler = Sampler(process.pid)
    sampler.start()
    stdout, _ = process.communicate()
    wall = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{engine}: exit {process.returncode}")
    record: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    record |= {"process_wall": wall, "cpu": sum(sampler.cpu.values()), "peak": sampler.peak}
    record["processes"] = len(sampler.cpu)
    return record


# -- Spark's event log ------------------------------------------------------------------------


def spark_work(events: Path) -> dict[str, dict[str, float]]:
    """Per job description (a findings query, or Spark's own work such as reading a file's
    schema): tasks, their run, CPU and GC seconds, shuffle bytes written, bytes spilled."""
    description: dict[int, str] = {}
    work: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for log in events.iterdir():  # one file, as EVENT_LOG sets it
        for line in log.read_text(encoding="utf-8").splitlines():
            event = json.loads(line)
            kind = event["Event"]
            if kind == "SparkListenerStageSubmitted":
                properties = event.get("Properties") or {}
                name = properties.get("spark.job.description") or "(no description)"
                description[event["Stage Info"]["Stage ID"]] = name
            elif kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
                m = event["Task Metrics"]
                w = work[description.get(event["Stage ID"], "(no description)")]
                w["tasks"] += 1
                w["run"] += m["Executor Run Time"] / 1e3
                w["cpu"] += m["Executor CPU Time"] / 1e9
                w["gc"] += m["JVM GC Time"] / 1e3
                w["shuffle_mb"] += m["Shuffle Write Metrics"]["Shuffle Bytes Written"] / 2**20
                w["spill_mb"] += (m["Memory Bytes Spilled"] + m["Disk Bytes Spilled"]) / 2**20
    return work


def _uptime() -> str:
    done = subprocess.run(["uptime"], capture_output=True, text=True, check=False)
    return f"uptime: {done.stdout.strip()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--linked-data", type=Path, required=True, help="an extract")
    parser.add_argument("--engines", nargs="+", default=["duckdb", "spark"])
    parser.add_argument("--driver-memory", default="4g", help="Spark's heap (default 4g)")
    parser.add_argument("--part", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        _child(args.part, args.linked_data, args.out, args.driver_memory)
        return
    print(_uptime())
    cache = ROOT / ".cache"
    cache.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="benchmark-spark-", dir=cache) as tmp:
        work = Path(tmp)
        records = {}
        for engine in args.engines:
            record = _measure(engine, args.linked_data, work, args.driver_memory)
            records[engine] = record
            print(
                f"{engine:7} wall {record['process_wall']:7.1f} s (findings {record['wall']:.1f} s)"
                f"  cpu {record['cpu']:7.1f} s  peak {record['peak'] / 2**30:5.2f} GB "
                f"({record['processes']} processes)",
                flush=True,
            )
            for step, seconds in record["steps"]:
                print(f"  {step:32} {seconds:7.2f} s wall")
            if engine == "spark":
                print("  Spark's tasks, by job (from its event log):")
                print(f"  {'job':40} tasks   run s   cpu s    gc s shuffle MB spill MB")
                for name, w in sorted(spark_work(work / engine / "events").items()):
                    print(
                        f"  {name:40} {w['tasks']:5.0f} {w['run']:7.1f} {w['cpu']:7.1f} "
                        f"{w['gc']:7.1f} {w['shuffle_mb']:10.1f} {w['spill_mb']:8.1f}"
                    )
            print(_uptime())
        texts = {e: (work / e / "findings.json").read_bytes() for e in records}
        if len(set(texts.values())) > 1:
            raise SystemExit("the engines' findings.json differ")
        if len(texts) > 1:
            print(
                f"findings.json: byte-identical on {', '.join(texts)} ({len(texts['duckdb']):,} bytes)"
            )


if __name__ == "__main__":
    main()
