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
    """11,403,970 + 3,980,000 + 400,000 = 15,783,970: 15.8 million to 0.1 million."""
    facts = load_facts(PUBLIC)
    parts = sum(
        whole_number(facts, k)
        for k in (
            "children_mid_2012",
            "births_april_2012_to_march_2018",
            "net_inflow_children_2012_to_2018",
        )
    )
    assert parts == 15_783_970
    assert whole_number(facts, "children_in_window") == round(parts, -5) == 15_800_000
    assert "15,783,970" in facts["children_in_window"].derivation


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
