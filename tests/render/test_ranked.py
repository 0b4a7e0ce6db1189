"""largest() and smallest(): the row a template's word such as 'the most' points at, chosen
from the shown values only; with none shown, an error or None when not required."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bulletin.render import largest, smallest
from tests.context_helpers import context_table


def _context(*rows: tuple[str, str]) -> SimpleNamespace:
    table = context_table("tbl-p8", ("la",), {"p8": "score"}, [((la,), (v,)) for la, v in rows])
    return SimpleNamespace(tables={"tbl-p8": table})


def test_the_largest_and_the_smallest_shown_value_skipping_symbols_and_totals() -> None:
    # by hand: shown values A 0.20, B -0.45, D 0.31; C is hidden, 'all pupils' a total
    m = _context(("A", "0.20"), ("B", "-0.45"), ("C", "c"), ("D", "0.31"), ("all pupils", "0.9"))
    assert largest(m, "tbl-p8", "p8").labels["la"] == "D"
    assert smallest(m, "tbl-p8", "p8").labels["la"] == "B"
    assert smallest(m, "tbl-p8", "p8", exclude=["B"]).labels["la"] == "A"


def test_no_shown_value_is_an_error_unless_not_required() -> None:
    m = _context(("A", "c"), ("B", "x"))
    with pytest.raises(ValueError, match="tbl-p8: no row with a value in p8"):
        largest(m, "tbl-p8", "p8")
    assert largest(m, "tbl-p8", "p8", required=False) is None
    assert smallest(m, "tbl-p8", "p8", required=False) is None
