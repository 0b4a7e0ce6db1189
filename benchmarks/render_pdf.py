"""Benchmark: PDF pages per second, on the publications of a built project.

Each publication's print page, as the build rendered it (the pages stage's output in the
project's cache), goes through the same WeasyPrint call (PDF/UA-1, local-only fetcher,
figures from the figures stage) as a build. WeasyPrint is single-threaded, so pages per
second in one process is pages per second per core. The target (DESIGN.md) is at least 8.

    .venv/bin/python -m benchmarks.render_pdf [--project DIR] [--repeat 3]

DIR is a built project (default: this checkout). On a shared, busy machine both
wall-clock and CPU time grow; the script also renders the reference document of
toolchain.md (8.7 pages per second on an idle machine) in the same run and reports our
speed relative to it.
It also times the one thing bulletin adds to WeasyPrint's render, the finisher that
gives each table header its scope.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_IDLE = 8.7  # pages per second, toolchain.md section 2.5 (40 pages in 4.62 s)


def print_pages(project: Path) -> dict[str, tuple[str, Path]]:
    """Each built publication's print HTML, with the figures folder it was rendered with:
    the newest cached entry of each pages stage and of the figures stage."""
    stages = project / ".cache" / "bulletin" / "stages"

    def newest(stage: Path) -> Path:
        entries = [p for p in stage.iterdir() if p.is_dir() and not p.name.startswith(".")]
        if not entries:
            raise SystemExit(f"{stage}: no cached entry; build the project first")
        return max(entries, key=lambda p: p.stat().st_mtime_ns)

    figures = newest(stages / "figures")
    found = {}
    for stage in sorted(stages.glob("pages-*")):
        pub = stage.name.removeprefix("pages-")
        html = (newest(stage) / f"{pub}.print.html").read_text(encoding="utf-8")
        found[pub] = (html, figures)
    if not found:
        raise SystemExit(f"{project}: no publication built; run bulletin build first")
    return found


def reference_document() -> str:
    """toolchain.md section 2.5's 40-page test document, rebuilt: 20 sections of 4
    paragraphs, a 25 x 6 table with header scopes and a figure (measured there at 40 pages
    in 4.62 s on an idle machine of this kind: 8.7 pages per second). Rendering it in the
    same run tells how much a busy machine slows WeasyPrint down."""
    paragraph = "<p>" + "Children in need of help and protection, and their schools. " * 11 + "</p>"
    head = "".join(f'<th scope="col">Column {c}</th>' for c in range(6))
    rows = "".join(
        f'<tr><th scope="row">Row {r}</th>'
        + "".join(f"<td>{r * 1000 + c:,}</td>" for c in range(5))
        + "</tr>"
        for r in range(25)
    )
    section = (
        "<h2>Section</h2>"
        + paragraph * 4
        + f"<table><caption>A table</caption><thead><tr>{head}</tr></thead>"
        + f"<tbody>{rows}</tbody></table>"
        + '<figure><img src="../figures/fig-cin-by-year.svg" alt="A chart"></figure>'
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Reference</title>'
        "<style>@page { size: A4; margin: 2cm } img { width: 100% } table { width: 100% }"
        "</style></head><body><main><h1>Reference</h1>" + section * 20 + "</main></body></html>"
    )


def timed(html: str, folders: dict[str, Path], repeat: int) -> tuple[int, list[float], list[float]]:
    """Pages, and the wall-clock and CPU seconds of each of `repeat` renders."""
    from bulletin.render.pdf import write_pdf

    result = write_pdf(html, "report/benchmark.html", folders)  # warm-up
    if result.warnings:
        raise SystemExit(f"WeasyPrint warned: {result.warnings}")
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        write_pdf(html, "report/benchmark.html", folders)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return result.pages, walls, cpus


def header_scopes_cost(html: str, folders: dict[str, Path], repeat: int) -> tuple[float, float]:
    """Seconds of CPU time the header-scope finisher (`bulletin.render.pdf._header_scopes`)
    takes, best of `repeat`, and the CPU seconds of the whole render it ran in."""
    from weasyprint import HTML

    from bulletin.render.pdf import BASE, VARIANT, _fetcher, _header_scopes

    costs, totals = [], []
    for _ in range(repeat):
        spent: list[float] = []

        def finisher(document: object, pdf: object, spent: list[float] = spent) -> None:
            start = time.process_time()
            _header_scopes(document, pdf)
            spent.append(time.process_time() - start)

        start = time.process_time()
        page = HTML(
            string=html, base_url=BASE + "report/benchmark.html", url_fetcher=_fetcher(folders)
        )
        page.render().write_pdf(pdf_variant=VARIANT, finisher=finisher)
        totals.append(time.process_time() - start)
        costs.append(spent[0])
    return min(costs), min(totals)


def report(label: str, pages: int, walls: list[float], cpus: list[float]) -> float:
    """Print the timings; return the best CPU-time pages per second."""
    print(f"{label}: {pages} pages, PDF/UA-1")
    for kind, times in (("wall clock", walls), ("CPU time", cpus)):
        best = min(times)
        every = ", ".join(f"{t:.2f}" for t in times)
        print(
            f"  {kind}, best of {len(times)}: {best:.2f} s = {pages / best:.1f} pages/s ({every})"
        )
    return pages / min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="a built project")
    parser.add_argument("--repeat", type=int, default=3, help="timed renders (best is kept)")
    args = parser.parse_args()

    css = args.project / "templates" / "css"
    total_pages, total_cpu, most = 0, 0.0, 0
    largest: tuple[str, dict[str, Path]] = ("", {})
    for pub, (html, figures) in print_pages(args.project).items():
        folders = {"figures/": figures, "assets/": css}
        pages, walls, cpus = timed(html, folders, args.repeat)
        report(pub, pages, walls, cpus)
        total_pages += pages
        total_cpu += min(cpus)
        if pages > most:
            most, largest = pages, (html, folders)
    with tempfile.TemporaryDirectory() as tmp:
        folders = {"figures/": Path(tmp), "assets/": css}
        (Path(tmp) / "fig-cin-by-year.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8"
        )
        reference = report(
            "reference document (toolchain.md 2.5)",
            *timed(reference_document(), folders, args.repeat),
        )
    ours = total_pages / total_cpu
    html, folders = largest
    scopes, total = header_scopes_cost(html, folders, args.repeat)
    print(
        f"header scopes (WeasyPrint finisher): {scopes * 1000:.1f} ms CPU, best of {args.repeat}, "
        f"{scopes / total:.2%} of the render's {total:.2f} s"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average: {load} on {os.cpu_count()} cores")
    print(
        f"all publications, {total_pages} pages, CPU time, one process = one core: "
        f"{ours:.1f} pages/s per core (target: 8)"
    )
    print(
        f"ours relative to the reference: {ours / reference:.2f}; scaled to the reference's "
        f"{REFERENCE_IDLE} pages/s on an idle machine: {ours / reference * REFERENCE_IDLE:.1f} pages/s"
    )


if __name__ == "__main__":
    main()
