"""The sourced facts file (data/public/facts.toml) and its reader."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bulletin.core.problems import InputError
from bulletin.data.facts import FACTS_FILE, load_facts, whole_number
from tests.conftest import ROOT

PUBLIC = ROOT / "data" / "public"


def test_every_fact_has_a_value_a_statement_a_source_and_a_page() -> None:
    facts = load_facts(PUBLIC)
    assert "children_in_window" in facts
    for fact in facts.values():
        assert fact.statement
        assert fact.source
        assert fact.page


def test_the_mid_2012_estimate_is_the_shipped_one() -> None:
    with (PUBLIC / "population/ons_mid-year_population_estimates_2012_to_2024.csv").open(
        encoding="utf-8-sig"
    ) as handle:
        national = {
            r["time_period"]: int(r["population_estimate"])
            for r in csv.DictReader(handle)
            if r["geographic_level"] == "National"
        }
    assert whole_number(load_facts(PUBLIC), "children_mid_2012") == national["2012"]


def test_children_in_the_window_is_derived_as_it_says() -> None:
    """11,403,970 + 3,980,000 + 600,000 = 15,983,970: 16.0 million to 0.1 million."""
    facts = load_facts(PUBLIC)
    parts = sum(
        whole_number(facts, k)
        for k in (
            "children_mid_2012",
            "births_april_2012_to_march_2018",
            "gross_inflow_children_2012_to_2018",
        )
    )
    assert parts == 15_983_970
    assert whole_number(facts, "children_in_window") == round(parts, -5) == 16_000_000
    assert "15,983,970" in facts["children_in_window"].derivation
    assert "net_inflow_children_2012_to_2018" not in facts  # distinct children need the gross


def _population(folder: Path, children: list[tuple[str, str, str | None]]) -> None:
    """A generator-only full population file: (birth, entry, exit) dates per child."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    def day(text: str | None) -> dt.date | None:
        return None if text is None else dt.date.fromisoformat(text)

    (folder / "_generator").mkdir(parents=True)
    table = pa.table(
        {
            "child_id": list(range(1, len(children) + 1)),
            "birth_date": pa.array([day(b) for b, _, _ in children], pa.date32()),
            "entry_date": pa.array([day(e) for _, e, _ in children], pa.date32()),
            "exit_date": pa.array([day(x) for _, _, x in children], pa.date32()),
        }
    )
    pq.write_table(table, folder / "_generator" / "population.parquet")


def test_distinct_children_are_the_stock_plus_births_plus_the_gross_inflow(
    tmp_path: Path,
) -> None:
    """The derivation of children_in_window, on a population worked by hand (window 1 April
    2012 to 31 March 2018). Counted by the fit script's oracle of A4 (benchmarks/measure.py).

    1. born 2005, living here since before the window: stock
    2. born 1 May 1994, so 17 on the first day (18 on 1 May 2012): stock
    3. born 15 March 1994: 18 before the window began: not a child of the window
    4. born 2008, living here, emigrated 1 July 2015: stock, and a leaver
    5. born 9 September 2014: a birth
    6. born 2 February 2016, died 20 February 2016: a birth, and a leaver
    7. arrived 1 October 2013, aged 10: an arrival
    8. arrived 1 June 2017, aged 16, emigrated 1 December 2017: an arrival, and a leaver
    9. arrived 15 April 2018, after the window: not a child of the window
    10. born August 2011, emigrated 1 February 2012, before the window: not one
    11. born 31 March 2018, the window's last day: a birth

    Distinct children of the window: 1, 2, 4, 5, 6, 7, 8 and 11 = 8 = stock 3 (1, 2, 4) +
    births 3 (5, 6, 11) + arrivals 2 (7, 8). With the net inflow instead (arrivals 2 less
    leavers 3 = -1) the sum is 5: short by the 3 who left, who were children of the window
    all the same."""
    from benchmarks import measure

    _population(
        tmp_path,
        [
            ("2005-06-10", "2011-04-01", None),
            ("1994-05-01", "2011-04-01", None),
            ("1994-03-15", "2011-04-01", None),
            ("2008-01-01", "2011-04-01", "2015-07-01"),
            ("2014-09-09", "2014-09-09", None),
            ("2016-02-02", "2016-02-02", "2016-02-20"),
            ("2003-03-03", "2013-10-01", None),
            ("2001-01-01", "2017-06-01", "2017-12-01"),
            ("2010-05-05", "2018-04-15", None),
            ("2011-08-01", "2011-08-01", "2012-02-01"),
            ("2018-03-31", "2018-03-31", None),
        ],
    )
    distinct = measure.population_rows(tmp_path)["A4"]
    parts = measure.window_parts(tmp_path)
    assert distinct == 8
    assert parts == {"stock": 3, "births": 3, "arrivals": 2, "leavers": 3}
    assert parts["stock"] + parts["births"] + parts["arrivals"] == distinct
    net = parts["arrivals"] - parts["leavers"]
    assert parts["stock"] + parts["births"] + net == distinct - parts["leavers"] == 5


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / FACTS_FILE).write_text(
        '[a]\nvalue = true\nstatement = "x"\nsource = "y"\n\n'
        '[b]\nvalue = 3\nstatement = ""\npage = "p"\nnote = "n"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_facts(tmp_path)
    text = str(caught.value)
    for where in ("a.value", "a.page", "b.statement", "b.source", "b.note"):
        assert f"column {where}" in text, text


def test_a_missing_or_broken_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_facts(tmp_path)
    (tmp_path / FACTS_FILE).write_text("[a\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        load_facts(tmp_path)


def test_a_fact_used_as_a_count_must_be_a_whole_number(tmp_path: Path) -> None:
    (tmp_path / FACTS_FILE).write_text(
        '[a]\nvalue = "many"\nstatement = "x"\nsource = "y"\npage = "p"\n', encoding="utf-8"
    )
    facts = load_facts(tmp_path)
    with pytest.raises(InputError, match="whole number"):
        whole_number(facts, "a")
    with pytest.raises(InputError, match="missing"):
        whole_number(facts, "b")
