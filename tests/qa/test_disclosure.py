"""The disclosure check of QA: one function over published values (`bulletin.qa.disclosure`).

The thresholds are the settings' (counts 1 to 5 are suppressed). Each planted value is a
count whose status is known by construction.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bulletin.core.settings import Disclosure
from bulletin.qa.disclosure import (
    PublishedValue,
    check_disclosure,
    check_pack_outside,
    csv_values,
    findings_values,
    site_values,
)
from bulletin.qa.results import CheckResult, Result

T = Disclosure()
RELEASE = "Department for Education, Characteristics of children in need, table B1 (2023 release)"


def fails(results: list[CheckResult]) -> list[str]:
    return [r.message for r in results if r.result is Result.FAIL]


@pytest.mark.parametrize(
    ("value", "failed"),
    [
        ("0", False),
        ("1", True),
        ("3", True),
        ("5", True),
        ("6", False),
        ("c", False),
        ("12", False),
    ],
)
def test_a_linked_count_of_one_to_five_fails(value: str, failed: bool) -> None:
    results = check_disclosure([PublishedValue("t.csv, row 2, column n", value, True)], T)
    assert bool(fails(results)) is failed


def test_a_public_value_is_exempt_and_counted_with_its_release() -> None:
    values = [
        PublishedValue("data/b1.csv, row 5, column n", "3", True, RELEASE),
        PublishedValue("data/b1.csv, row 6, column n", "4", True, RELEASE),
        PublishedValue("findings.json, measure B3", "120", True),
    ]
    results = check_disclosure(values, T)
    assert fails(results) == []
    assert [r.message for r in results] == [
        "1 counts from linked data checked: none from 1 to 5 is shown",
        f"2 values exempt, already published: {RELEASE}",
    ]


def test_a_value_that_is_not_a_linked_count_is_not_checked() -> None:
    results = check_disclosure([PublishedValue("x.csv, row 2, column rate", "3", False)], T)
    assert fails(results) == []


def test_the_thresholds_come_from_the_settings() -> None:
    wider = Disclosure(suppress_min=1, suppress_max=9)
    value = [PublishedValue("t.csv, row 2, column n", "8", True)]
    assert fails(check_disclosure(value, T)) == []
    assert fails(check_disclosure(value, wider)) == [
        "t.csv, row 2, column n: 8 is a count of 1 to 5 from linked data, shown unsuppressed"
    ]


def test_many_failures_are_listed_twenty_then_counted() -> None:
    values = [PublishedValue(f"t.csv, row {i}, column n", "2", True) for i in range(2, 32)]
    failed = fails(check_disclosure(values, T))
    assert len(failed) == 21
    assert failed[-1] == "and 10 more counts of 1 to 5 shown unsuppressed"


def test_a_planted_small_count_in_a_csv_file_fails(tmp_path: Path) -> None:
    path = tmp_path / "tbl-x.csv"
    path.write_text(
        "group,children,share\nlooked after,3,0.5\ncarers,40,2.0\nall,43,100.0\n",
        encoding="utf-8",
    )
    values = csv_values(path, "data/p/tbl-x.csv")
    # whole numbers are counts; shares with decimals and words are not
    assert [(v.where, v.value) for v in values if v.linked_count] == [
        ("data/p/tbl-x.csv, row 2, column children", "3"),
        ("data/p/tbl-x.csv, row 3, column children", "40"),
        ("data/p/tbl-x.csv, row 4, column children", "43"),
    ]
    assert fails(check_disclosure(values, T)) == [
        "data/p/tbl-x.csv, row 2, column children: 3 is a count of 1 to 5 from linked data, "
        "shown unsuppressed"
    ]
    assert fails(check_disclosure(csv_values(path, "data/p/tbl-x.csv", RELEASE), T)) == []


def test_a_planted_small_count_in_findings_json_fails() -> None:
    """A count measure, a share's numerator and a table cell, each planted at 2."""
    context = {
        "measures": {
            "B1": {"unit": "count", "value": "1650000", "numerator": 1650000},
            "planted": {"unit": "count", "value": "2", "numerator": 2},
            "B2": {"unit": "share", "value": "0.104", "numerator": 2, "denominator": 1580},
            "hidden": {"unit": "count", "value": None, "symbol": "c", "numerator": None},
        },
        "tables": {
            "tbl-x": {
                "columns": ["group", "pupils", "share"],
                "labels": ["group"],
                "units": {"pupils": "count", "share": "share"},
                "rows": [["CLA", "c", "c"], ["CINO", "2", "0.5"], ["all", "9000", "1.0"]],
            }
        },
    }
    values = findings_values(json.dumps(context), "findings.json")
    assert fails(check_disclosure(values, T)) == [
        "findings.json, measure B2, numerator: 2 is a count of 1 to 5 from linked data, shown "
        "unsuppressed",
        "findings.json, measure planted: 2 is a count of 1 to 5 from linked data, shown "
        "unsuppressed",
        "findings.json, measure planted, numerator: 2 is a count of 1 to 5 from linked data, "
        "shown unsuppressed",
        "findings.json, table tbl-x, row CINO, column pupils: 2 is a count of 1 to 5 from "
        "linked data, shown unsuppressed",
    ]


def test_the_site_values_take_the_exemptions_by_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "data" / "p").mkdir(parents=True)
    (site / "figures").mkdir()
    (site / "data" / "p" / "public.csv").write_text("area,n\nRutland,4\n", encoding="utf-8")
    (site / "figures" / "fig.csv").write_text("year,n\n2018,5\n", encoding="utf-8")
    values = site_values(site, {"data/p/public.csv": RELEASE}, {})
    assert fails(check_disclosure(values, T)) == [
        "figures/fig.csv, row 2, column n: 5 is a count of 1 to 5 from linked data, shown "
        "unsuppressed"
    ]


def test_only_the_columns_of_counts_are_counts_where_they_are_known(tmp_path: Path) -> None:
    """A label column of whole numbers (episodes 1, 2, 3...) is not a count: a file's
    counts are named by the stage that wrote it, or by an EES file's metadata (which is
    not data); a file nothing names has every whole number taken for a count."""
    site = tmp_path / "site"
    (site / "data" / "p").mkdir(parents=True)
    table = "episodes,children,share\n1,3,0.5\n2,40,2.0\n"
    (site / "data" / "p" / "tbl-episodes.csv").write_text(table, encoding="utf-8")
    (site / "data" / "p" / "unknown.csv").write_text(table, encoding="utf-8")
    ees = "time_period,episodes,children\n2018,4,2\n"
    meta = (
        "col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,filter_hint,"
        "filter_grouping_column\n"
        "episodes,Filter,Episodes,,,,,\n"
        "children,Indicator,Children,,,0,,\n"
    )
    (site / "data" / "p" / "episodes.csv").write_text(ees, encoding="utf-8")
    (site / "data" / "p" / "episodes.meta.csv").write_text(meta, encoding="utf-8")
    values = site_values(site, {}, {"data/p/tbl-episodes.csv": ["children"]})
    # by hand: tbl-episodes: children 3 (row 2); unknown.csv: episodes 1, 2 and children 3;
    # episodes.csv: children 2 (its filter 4 is a label); the metadata file: not read
    assert [v.where.split(": ")[0] for v in values if v.linked_count and v.value in "12345"] == [
        "data/p/episodes.csv, row 2, column children",
        "data/p/tbl-episodes.csv, row 2, column children",
        "data/p/unknown.csv, row 2, column episodes",
        "data/p/unknown.csv, row 2, column children",
        "data/p/unknown.csv, row 3, column episodes",
    ]


def test_the_output_checking_pack_may_not_be_in_the_site(tmp_path: Path) -> None:
    from bulletin.findings.checking import PACK_FILES

    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    assert fails(check_pack_outside(site, PACK_FILES)) == []
    (site / "data" / PACK_FILES[0]).write_text("{}", encoding="utf-8")
    assert fails(check_pack_outside(site, PACK_FILES)) == [
        f"data/{PACK_FILES[0]}: a file of the output-checking pack is in the site"
    ]
