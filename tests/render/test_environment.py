"""The Jinja environment: numbers only through formatters; components as raw blocks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from bulletin.core.measure import Measure
from bulletin.render import TemplateNumberError, environment, htmlblock, note_marker, note_markers


@pytest.mark.parametrize(
    "value",
    [404710, Decimal("341.0"), 0.5, Measure.count(404710), dt.date(2018, 3, 31)],
    ids=["int", "Decimal", "float", "Measure", "date"],
)
def test_a_bare_number_cannot_be_printed(tmp_path: Path, value: object) -> None:
    env = environment(tmp_path)
    with pytest.raises(TemplateNumberError, match="without a formatter"):
        env.from_string("{{ x }}").render(x=value)


def test_numbers_print_through_formatters(tmp_path: Path) -> None:
    env = environment(tmp_path)
    text = env.from_string("{{ n | fmt_count }} at {{ d | fmt_date }}; {{ y | fmt_year }}").render(
        n=Measure.count(404710), d=dt.date(2018, 3, 31), y=2018
    )
    assert text == "404,710 at 31 March 2018; 2018"


def test_htmlblock_makes_a_raw_block_with_no_blank_lines_or_indentation() -> None:
    block = htmlblock("\n  <div>\n\n    <p>a</p>\n   \n  </div>\n")
    assert block == "```{=html}\n<div>\n<p>a</p>\n</div>\n```"


def test_htmlblock_refuses_a_fence_inside() -> None:
    with pytest.raises(ValueError, match="code fence"):
        htmlblock("<p>```</p>")


def test_note_markers_number_notes_in_their_order() -> None:
    notes = {"census": "a", "rounding": "b", "rates": "c"}
    assert note_marker(notes, "rates") == "[note 3]"
    assert note_markers(notes, ["rates", "census"]) == "[note 1] [note 3]"
    with pytest.raises(KeyError, match="no note 'other'"):
        note_marker(notes, "other")


def test_the_components_emit_accessible_raw_blocks(tmp_path: Path) -> None:
    """The shared table macro: caption, th with scope, numbers right-aligned, source."""
    from bulletin.core.formatting import fmt_count
    from bulletin.core.measure import Unit
    from bulletin.core.symbols import Symbol
    from bulletin.tables import Cell, Column, Row, Table
    from tests.conftest import ROOT

    table = Table(
        "tbl-test",
        "area_name",
        (),
        (Column("children"),),
        (
            Row("North East", (), (Cell.of(Measure.count(24270), fmt_count),)),
            Row(
                "Rutland", (), (Cell.of(Measure.hidden(Symbol.SUPPRESSED, Unit.COUNT), fmt_count),)
            ),
        ),
        "A source",
    )
    env = environment(ROOT / "templates")
    template = env.from_string(
        '{% import "shared/components.html.jinja" as c with context %}'
        '{% call c.table(t, ["Area", "Children"], {"n": "A note."}, ["n"]) %}Caption{% endcall %}'
    )
    html = template.render(t=table, publication={"id": "pub"})
    assert html.startswith("```{=html}\n")
    assert html.endswith("\n```")
    assert "\n\n" not in html
    assert "<caption>Caption [note 1]</caption>" in html
    assert '<th scope="col">Area</th><th scope="col" class="num">Children</th>' in html
    assert '<tr><th scope="row">North East</th><td class="num">24,270</td></tr>' in html
    assert '<td class="num">c</td>' in html
    assert "c: confidential: suppressed to protect individuals." in html
    assert '<a href="../data/pub/tbl-test.csv">' in html
