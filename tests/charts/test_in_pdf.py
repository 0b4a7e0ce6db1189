"""A chart in the PDF, through the real WeasyPrint call and print stylesheet: the `<img>`
becomes a tagged Figure whose /Alt is the chart's alt text, drawn as vectors with its
labels as real text (not outlines), and nothing is logged."""

from __future__ import annotations

import io
import subprocess
from html import escape
from pathlib import Path

import pikepdf

from bulletin.charts.draw import svg
from bulletin.render.pdf import write_pdf
from tests.charts.test_kinds import FOREST, GROUPED
from tests.conftest import ROOT

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>T</title>
<link rel="stylesheet" href="../assets/print.css"></head><body><main><h1>T</h1>
<figure class="chart" id="{a}"><figcaption class="chart-title">All pupils did best</figcaption>
<img src="../figures/{a}.svg" alt="{a_alt}"></figure>
<figure class="chart" id="{b}"><figcaption class="chart-title">One group did as well</figcaption>
<img src="../figures/{b}.svg" alt="{b_alt}"></figure>
</main></body></html>"""


def _figures(node: pikepdf.Object) -> list[str]:
    """The /Alt of every Figure in the structure tree, in reading order."""
    found: list[str] = []
    if isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            found += _figures(kid)
    return found


def test_a_chart_is_a_figure_with_its_alt_text_and_real_text(tmp_path: Path) -> None:
    figures = tmp_path / "figures"
    figures.mkdir()
    for chart in (GROUPED, FOREST):
        (figures / f"{chart.id}.svg").write_text(svg(chart), encoding="utf-8")
    html = PAGE.format(
        a=GROUPED.id, a_alt=escape(GROUPED.alt), b=FOREST.id, b_alt=escape(FOREST.alt)
    )
    result = write_pdf(
        html,
        "report/t.html",
        {"figures/": figures, "assets/": ROOT / "templates" / "css"},
    )
    assert result.warnings == ()
    with pikepdf.open(io.BytesIO(result.pdf)) as pdf:
        assert _figures(pdf.Root.StructTreeRoot) == [GROUPED.alt, FOREST.alt]
    pdf_file = tmp_path / "t.pdf"
    pdf_file.write_bytes(result.pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    for label in ("Looked after", "65.0%", "0.52 (0.50 to 0.55)", "never in need: 1.00"):
        assert label in text
