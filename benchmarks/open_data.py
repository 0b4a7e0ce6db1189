"""Benchmark: what open data adds to a cold national build (target: 10 seconds or less).

    .venv/bin/python -m benchmarks.open_data --linked-data /work/runs/national

Open data adds two things to a build: the `open-data-<publication>` stage (EES files and
metadata, data guidance as text and as a page, the spreadsheet, the ZIP) and, in QA, the
EES screener on every file, the spreadsheet guidance checks, the ZIP check, and the HTML
checks and axe-core on each data guidance page (axe in the browser QA starts anyway: its
start is not counted). CPU seconds are this process's own (not the browser's). Both are
measured here as a cold build runs them, each in a fresh process (its imports counted,
its peak memory its own), on the findings of the national extract: the findings are
computed first through the pipeline's own cached stage (`bulletin findings`), outside the
clock, since a build computes them with or without open data. The stage runs as the
pipeline runs it (`open_data_stage(...).run`), into an empty folder; QA reads the files
laid out as the site lays them out. It prints wall and CPU seconds and peak resident
memory of each part, and fails when the total is over the target.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET = 10.0  # seconds


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_stage(findings: Path, out: Path) -> dict[str, Any]:
    """The open-data stage of every publication, as a build runs it."""
    wall, cpu = time.perf_counter(), _cpu()
    from bulletin.core.cache import StageRun
    from bulletin.core.settings import load_settings
    from bulletin.pipeline import BuildOptions, open_data_stage, public_json, publications

    settings = load_settings()
    public = out / "public-data"
    public.mkdir(parents=True)
    (public / "public.json").write_text(public_json(settings, settings.paths.public_data), "utf-8")
    files = 0
    pubs = publications(settings, BuildOptions())
    for pub in pubs:
        stage = open_data_stage(settings, pub, pubs, settings.paths.public_data)
        folder = out / "data" / pub.id
        folder.mkdir(parents=True)
        stage.run(StageRun(folder, {"findings": findings, "public-data": public}))
        files += len(list(folder.iterdir()))
    return {
        "wall": time.perf_counter() - wall,
        "cpu": _cpu() - cpu,
        "peak_mb": _peak_mb(),
        "files": files,
    }


def run_qa(site: Path) -> dict[str, Any]:
    """The QA checks open data adds: screener, spreadsheet guidance, ZIPs."""
    wall, cpu = time.perf_counter(), _cpu()
    from bulletin.qa.archive import check_site_zips
    from bulletin.qa.results import Result
    from bulletin.qa.screener import screen_site
    from bulletin.qa.spreadsheet import check_site_spreadsheets

    results = screen_site(site) + check_site_spreadsheets(site) + check_site_zips(site)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    checks = wall
    # The data guidance pages: the HTML checks and axe-core, in the browser QA has already
    # started for the other pages (so its start is not counted). The browser's CPU is its
    # processes' own, read once they have exited: a session with the pages less one
    # without them.
    from bulletin.qa.axe import Axe
    from bulletin.qa.html import check_page

    pages = [(p, p.relative_to(site).as_posix()) for p in sorted(site.rglob("*.html"))]
    browser = _children_cpu()
    with Axe():
        pass
    launch = _children_cpu() - browser
    browser = _children_cpu()
    with Axe() as axe:
        started, cpu_started = time.perf_counter(), _cpu()
        for page, name in pages:
            results += check_page(page, name)
        results += axe.check_all(pages)
        page_seconds = time.perf_counter() - started
        page_cpu = _cpu() - cpu_started
    page_cpu += max(0.0, _children_cpu() - browser - launch)
    wall += page_seconds
    cpu += page_cpu
    failed = [str(r) for r in results if r.result is not Result.PASS]
    return {
        "wall": wall,
        "cpu": cpu,
        "peak_mb": _peak_mb(),
        "results": len(results),
        "not_passed": failed,
        "checks": checks,
        "page": page_seconds,
        "page_cpu": page_cpu,
    }


def _child(part: str, path: Path, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.open_data", "--part", part, str(path), str(out)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    measured: dict[str, Any] = json.loads(done.stdout)
    return measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--linked-data", type=Path, help="a national linked extract")
    parser.add_argument("--part", nargs=3, metavar=("PART", "PATH", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.part:
        part, path, out = args.part
        measured = run_stage(Path(path), Path(out)) if part == "stage" else run_qa(Path(path))
        print(json.dumps(measured))
        return 0
    from bulletin.core.settings import load_settings
    from bulletin.pipeline import FINDINGS_FILE, BuildOptions, findings

    settings = load_settings()
    settings.paths.cache.mkdir(parents=True, exist_ok=True)  # a fresh checkout has none yet
    work = Path(tempfile.mkdtemp(prefix="open-data-", dir=settings.paths.cache))
    try:
        text = findings(settings, BuildOptions(linked_data=args.linked_data), lambda _: None)
        (work / "findings").mkdir()
        (work / "findings" / FINDINGS_FILE).write_text(text, encoding="utf-8")
        site = work / "site"
        stage = _child("stage", work / "findings", site)
        (site / "assets").mkdir()  # the stylesheet the site stage lays out, for axe
        shutil.copy(settings.paths.templates / "css" / "screen.css", site / "assets")
        qa = _child("qa", site, site)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = stage["wall"] + qa["wall"]
    for name, m in (("open-data stage", stage), ("QA: screener, ODS, ZIP, page", qa)):
        print(
            f"{name:32} wall {m['wall']:6.2f} s  cpu {m['cpu']:6.2f} s  peak {m['peak_mb']:7.1f} MB"
        )
    checks, page = qa["checks"], qa["page"]
    print(
        f"  of which screener, spreadsheet and ZIP checks {checks:.2f} s, guidance page {page:.2f} s"
        f" (CPU with the browser's: {qa['page_cpu']:.2f} s)"
    )
    print(
        f"{stage['files']} files written; {qa['results']} QA results, {len(qa['not_passed'])} not passed"
    )
    for line in qa["not_passed"]:
        print(f"  {line}")
    cpu = stage["cpu"] + qa["cpu"]
    print(
        f"open data adds {total:.2f} s to a cold build (target {TARGET:.0f} s), {cpu:.2f} s of CPU"
    )
    return 0 if total <= TARGET and not qa["not_passed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
