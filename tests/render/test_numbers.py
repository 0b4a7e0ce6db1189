"""The numbers manifest: every printed number a <data> element, with where it comes from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bulletin.core.measure import Measure, Unit
from bulletin.core.provenance import Kind, Source, Sourced
from bulletin.core.symbols import Symbol
from bulletin.render.numbers import Registry, data_element, manifest

SOURCE = Source(Kind.FINDINGS, section="prevalence", query="prevalence.ever")


def sourced(key: str, value: str | None, unit: Unit = Unit.COUNT) -> Sourced:
    measure = (
        Measure(Decimal(value), unit)
        if value is not None
        else Measure.hidden(Symbol.SUPPRESSED, unit)
    )
    return Sourced(key, measure, SOURCE)


def test_a_data_element_carries_the_exact_value_and_the_id() -> None:
    registry = Registry()
    html = data_element(sourced("B1", "1647360"), "at least 1.6 million", registry)
    assert str(html) == '<data value="1647360" data-id="B1">at least 1.6 million</data>'
    assert list(registry.values) == ["B1"]
    hidden = data_element(sourced("B3", None), "c", registry)
    assert str(hidden) == '<data value="c" data-id="B3">c</data>'


def test_one_id_is_one_value() -> None:
    registry = Registry()
    registry.add(sourced("B1", "10"))
    registry.add(sourced("B1", "10"))  # the same value twice is fine
    with pytest.raises(ValueError, match="two different values carry the id B1"):
        registry.add(sourced("B1", "20"))


PAGE = """<main>
<h2 id="headline">Headline</h2>
<p>First sentence here. In all, <data value="1647360" data-id="B1">at least 1.6 million</data> children were in need. A third sentence, <data value="0.104" data-id="B2">1 in 10</data>.</p>
<h2 id="schools">Schools</h2>
<p>Again <data value="1647360" data-id="B1">1,647,360</data> children.</p>
<div class="table-block" id="tbl-x"><table><caption>T</caption>
<thead><tr><th scope="col">Group</th><th scope="col">Pupils</th><th scope="col">Share</th></tr></thead>
<tbody><tr><th scope="row">Looked after</th><td><data value="890" data-id="t/cla/pupils">890</data></td><td><data value="0.5" data-id="t/cla/share">50.0%</data></td></tr></tbody>
</table></div>
<p>Later <data value="1647360" data-id="B1">1,647,360</data> again.</p>
</main>"""


def test_the_manifest_has_one_entry_per_occurrence_with_its_sentence() -> None:
    sources = {
        key: {"unit": "count", "definition": "d", "source": SOURCE.as_dict()}
        for key in ("B1", "B2", "t/cla/pupils", "t/cla/share")
    }
    entries = manifest(PAGE, sources)
    # worked out by hand from PAGE: B1 three times (once under headline, twice under schools)
    assert [(e["id"], e["occurrence"]) for e in entries] == [
        ("B1", "headline/B1/1"),
        ("B2", "headline/B2/1"),
        ("B1", "schools/B1/1"),
        ("t/cla/pupils", "schools/t/cla/pupils/1"),
        ("t/cla/share", "schools/t/cla/share/1"),
        ("B1", "schools/B1/2"),
    ]
    first = entries[0]
    assert first["sentence"] == "In all, at least 1.6 million children were in need."
    assert (first["value"], first["text"], first["section"]) == (
        "1647360",
        "at least 1.6 million",
        "headline",
    )
    assert entries[1]["sentence"] == "A third sentence, 1 in 10."
    cell = entries[4]
    assert (cell["table"], cell["row"], cell["column"]) == ("tbl-x", "Looked after", "Share")
    assert cell["sentence"] == "Looked after: Share: 50.0%"
    assert first["source"] == {
        "kind": "findings",
        "section": "prevalence",
        "query": "prevalence.ever",
    }


def test_a_number_whose_source_was_not_recorded_is_an_error() -> None:
    with pytest.raises(ValueError, match="B2: printed, but its source was not recorded"):
        manifest(PAGE, {"B1": {"unit": "count", "definition": "", "source": {}}})
