"""Benchmark: PDF pages per second, for a 40-page document made from the real templates.

The document is the data and analysis publication's own .qmd (from its template and the
real data), followed by chapters written with the same shared macros (key statistic,
figure, tables, prose) until the PDF has at least 40 pages. It goes through the same
print layout, stylesheet and WeasyPrint call (PDF/UA-1, local-only fetcher) as a build.
WeasyPrint is single-threaded, so pages per second in one process is pages per second per
core. The target (DESIGN.md) is at least 8.

    .venv/bin/python benchmarks/render_pdf.py [--pages 40] [--repeat 3]

On a shared, busy machine both wall-clock and CPU time grow; the script also renders the
reference document of toolchain.md (8.7 pages per second on an idle machine) in the same
run and reports our speed relative to it. It also times the one thing bulletin adds to
WeasyPrint's render, the finisher that gives each table header its scope.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_IDLE = 8.7  # pages per second, toolchain.md section 2.5 (40 pages in 4.62 s)

CHAPTER = """
## Chapter {{ n }}: children in need at 31 March

At {{ cin.latest.census_date | fmt_date }}, {{ cin.latest.children | fmt_count }} children in England were in need. This chapter repeats the components of the publication so that the benchmark measures the same kind of page: prose, a key statistic, a chart and its table, and part of the table by area.

{% call c.key_stat(cin.latest.children | fmt_count, cin.latest.rate | fmt_rate_1dp) -%}
children in need at {{ cin.latest.census_date | fmt_date }}
{%- endcall %}

{% call c.figure(chart) -%}
Children in need at 31 March, England
{%- endcall %}

{% call c.table(by_year, ["Date", "Children in need", "Rate"], notes, ["note"]) -%}
Children in need at 31 March, England
{%- endcall %}

The table that follows gives the figures for part of the country.

{% call c.table(by_area, ["Area", "Children in need", "Rate"], notes, ["note"]) -%}
Children in need at {{ cin.latest.census_date | fmt_date }}, by area
{%- endcall %}
"""


def document(chapters: int, figures: Path) -> tuple[str, int]:
    """The print HTML of the publication followed by `chapters` chapters."""
    from bulletin.charts.draw import svg
    from bulletin.core.settings import load_settings
    from bulletin.pipeline import data_and_analysis
    from bulletin.render import environment
    from bulletin.render.project import read_project
    from bulletin.render.publication import render_pages, render_qmd

    settings = load_settings(ROOT)
    pub = settings.publication("data-and-analysis")
    context = data_and_analysis(settings, pub, settings.paths.public_data)
    qmd = render_qmd(settings.paths.templates, pub, context)
    for chart in context["figures"].values():
        (figures / f"{chart.id}.svg").write_text(svg(chart), encoding="utf-8")
    env = environment(settings.paths.templates)
    template = env.from_string(
        '{% import "shared/components.html.jinja" as c with context %}' + CHAPTER
    )
    chart = context["figures"]["fig-cin-by-year"]
    by_year = context["tables"]["tbl-cin-by-year"]
    by_area = context["tables"]["tbl-cin-by-region"]
    parts = [qmd]
    for n in range(chapters):
        chart_n = dataclasses.replace(chart, id=f"{chart.id}-{n}")
        (figures / f"{chart_n.id}.svg").write_text(svg(chart), encoding="utf-8")
        parts.append(
            template.render(
                n=str(n + 1),
                cin=context["cin"],
                publication=pub,
                chart=chart_n,
                notes={"note": "A note."},
                by_year=dataclasses.replace(by_year, id=f"{by_year.id}-{n}"),
                by_area=dataclasses.replace(
                    by_area, id=f"{by_area.id}-{n}", rows=by_area.rows[n * 7 % 100 :][:40]
                ),
            )
        )
    pages = render_pages(settings.paths.templates, "\n".join(parts), pub, read_project(ROOT))
    return pages.print, chapters


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
    parser.add_argument("--pages", type=int, default=40, help="at least this many pages")
    parser.add_argument("--repeat", type=int, default=3, help="timed renders (best is kept)")
    args = parser.parse_args()

    from bulletin.render.pdf import write_pdf

    with tempfile.TemporaryDirectory() as tmp:
        figures = Path(tmp)
        folders = {"figures/": figures, "assets/": ROOT / "templates" / "css"}
        chapters = 8
        while True:
            html, _ = document(chapters, figures)
            pages = write_pdf(html, "report/benchmark.html", folders).pages
            if pages >= args.pages:
                break
            chapters = chapters * args.pages // max(pages - 7, 1) + 1
        ours = report(
            f"the publication and {chapters} chapters", *timed(html, folders, args.repeat)
        )
        reference = report(
            "reference document (toolchain.md 2.5)",
            *timed(reference_document(), folders, args.repeat),
        )
        scopes, total = header_scopes_cost(html, folders, args.repeat)
    print(
        f"header scopes (WeasyPrint finisher): {scopes * 1000:.1f} ms CPU, best of {args.repeat}, "
        f"{scopes / total:.2%} of the render's {total:.2f} s"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average: {load} on {os.cpu_count()} cores")
    print(f"ours, CPU time, one process = one core: {ours:.1f} pages/s per core (target: 8)")
    print(
        f"ours relative to the reference: {ours / reference:.2f}; scaled to the reference's "
        f"{REFERENCE_IDLE} pages/s on an idle machine: {ours / reference * REFERENCE_IDLE:.1f} pages/s"
    )


if __name__ == "__main__":
    main()
