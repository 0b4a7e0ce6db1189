"""The review's figures, built from the contexts: the chart of children in need has alt text
written from the data, a deterministic SVG and the same numbers as its table."""

from __future__ import annotations

import subprocess
import sys

from bulletin.charts import to_csv
from bulletin.charts.draw import svg
from bulletin.render.publications.figures import cin_by_year
from bulletin.tables import to_csv as table_csv
from bulletin.tables.children_in_need import cin_by_year as table_by_year
from tests.conftest import ROOT
from tests.context_helpers import series

FINDINGS = series(
    ("2016", "393910", "337.3"), ("2017", "389040", "330.1"), ("2018", "404710", "341")
)


def test_alt_text_is_written_from_the_data() -> None:
    """By hand from the three years: 393,910 in 2016 up to 404,710 in 2018, the lowest in
    2017 (389,040)."""
    assert cin_by_year(FINDINGS).alt == (
        "Line chart of the number of children in need in England at 31 March of each year, "
        "from 2016 to 2018. Children in need rose from 393,910 in 2016 to 404,710 in 2018; "
        "the highest was 404,710 in 2018 and the lowest 389,040 in 2017. "
        "The same figures are in the table that follows the chart."
    )


def test_the_chart_and_its_table_hold_the_same_numbers() -> None:
    chart = to_csv(cin_by_year(FINDINGS)).splitlines()
    table = table_csv(table_by_year(FINDINGS)).splitlines()
    assert chart == [
        "time_period,children_in_need_at_31_march",
        "2016,393910",
        "2017,389040",
        "2018,404710",
    ]
    assert [line.split(",")[1:3] for line in table[1:]] == [line.split(",") for line in chart[1:]]


def test_the_svg_is_deterministic_across_processes() -> None:
    here = svg(cin_by_year(FINDINGS))
    code = (
        "import sys; from tests.render.test_figures import FINDINGS, cin_by_year, svg;"
        "sys.stdout.write(svg(cin_by_year(FINDINGS)))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert here == there
    assert "<dc:date>" not in here
    # the axes show the years, and counts formatted as everywhere else, as text
    import re

    labels = re.findall(r"<text[^>]*>([^<]*)</text>", here)
    assert labels[:3] == ["2016", "2017", "2018"]
    assert "400,000" in labels
    assert labels[-1] == "Children in need at 31 March"
