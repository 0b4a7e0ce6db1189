"""The table model: validation, the grid and England hierarchy builders, published Measures."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from bulletin.core.measure import Unit
from bulletin.core.settings import Disclosure
from bulletin.core.symbols import Symbol
from bulletin.disclosure import (
    ENGLAND,
    INNER_LONDON,
    LONDON,
    OUTER_LONDON,
    PER_10000,
    PERCENT,
    Counted,
    Level,
    ProtectedTable,
    Rate,
    Relation,
    Table,
    TableError,
    england_hierarchy,
    grid_table,
    protect,
)
from tests.disclosure.b1 import b1_rows, region_of_las

T = Disclosure()


def test_a_table_reports_every_problem_at_once() -> None:
    cells = {("a", "x"): 3, ("b", "x"): 4, ("t", "x"): 8, ("n", "x"): -1}
    with pytest.raises(TableError) as err:
        Table(
            cells,
            (
                Relation(("t", "x"), (("a", "x"), ("b", "x"))),  # 3 + 4 is not 8
                Relation(("t", "x"), (("a", "x"), ("zz", "x"))),  # no such cell
            ),
            (Rate(("r", "x"), ("q", "x"), 10, PERCENT),),  # no numerator
            frozenset({("nope", "x")}),
        )
    message = str(err.value)
    assert "the parts sum to 7, the total is 8" in message
    assert "no cell ('zz', 'x')" in message
    assert "cell ('n', 'x'): a count must be a whole number >= 0, got -1" in message
    assert "no numerator cell ('q', 'x')" in message
    assert "rounded cell ('nope', 'x')" in message


def test_grid_table_crosses_row_and_column_relations() -> None:
    values = {
        ("A", "p"): 1,
        ("A", "q"): 2,
        ("A", "all"): 3,
        ("B", "p"): 10,
        ("B", "q"): 20,
        ("B", "all"): 30,
        ("T", "p"): 11,
        ("T", "q"): 22,
        ("T", "all"): 33,
    }
    table = grid_table(
        values,
        [("T", ["A", "B"])],
        [("all", ["p", "q"])],
        levels={"T": Level.NATIONAL, "A": Level.LOCAL_AUTHORITY, "B": Level.LOCAL_AUTHORITY},
        counted={"p": Counted.CHILDREN, "q": Counted.SCHOOLS, "all": Counted.CHILDREN},
    )
    # 3 columns x 1 row relation + 3 rows x 1 column relation
    assert len(table.relations) == 6
    assert Relation(("T", "q"), (("A", "q"), ("B", "q"))) in table.relations
    assert Relation(("B", "all"), (("B", "p"), ("B", "q"))) in table.relations
    # only national counts of children are rounded; the schools column never is
    assert table.rounded == {("T", "p"), ("T", "all")}
    assert len(table.components) == 1


def test_england_hierarchy_on_the_real_2018_authorities() -> None:
    rows = b1_rows(2018)
    region_of = region_of_las(rows)
    relations, levels = england_hierarchy(region_of)
    assert len(region_of) == 152
    parts = dict(relations)
    assert len(parts[ENGLAND]) == 9  # London once, not Inner and Outer
    assert LONDON in parts[ENGLAND]
    assert INNER_LONDON not in parts[ENGLAND]
    assert parts[LONDON] == [INNER_LONDON, OUTER_LONDON]
    assert len(parts[INNER_LONDON]) == 14  # the file's 2018 Inner London boroughs
    assert len(parts[OUTER_LONDON]) == 19
    assert sum(len(parts[r]) for r in parts[ENGLAND] if r != LONDON) == 152 - 33
    assert levels[ENGLAND] is Level.NATIONAL
    assert levels[INNER_LONDON] is Level.REGIONAL
    assert levels["Camden"] is Level.LOCAL_AUTHORITY


@pytest.mark.parametrize("column", ["Anypoint_child", "Started_child", "At31_episodes"])
def test_the_real_b1_file_is_reproduced_from_its_authorities(column: str) -> None:
    """The file's national and regional figures are its authorities' sums rounded to 10:
    building the table from the 152 authority counts and publishing it gives the file."""
    rows = b1_rows(2018)
    region_of = region_of_las(rows)
    relations, levels = england_hierarchy(region_of)
    values = {(la, column): int(r[column]) for r in rows if (la := r["la_name"]) in region_of}
    parts = dict(relations)

    def total(row: str) -> int:
        return values[row, column] if row in region_of else sum(total(p) for p in parts[row])

    for row in parts:
        values[row, column] = total(row)
    counted = Counted.EPISODES if column.endswith("episodes") else Counted.CHILDREN
    table = grid_table(values, relations, levels=levels, counted=counted)
    published = protect(table, T)
    assert not published.suppressed  # no authority has 1 to 5 in these columns in 2018
    name_column = {"National": "country_name", "Regional": "region_name"}
    file_value = {
        r[name_column.get(r["geographic_level"], "la_name")]: int(r[column]) for r in rows
    }
    assert len(file_value) == 152 + 11 + 1
    for row in levels:
        assert published.count((row, column)).value == D(file_value[row]), row


def test_protected_table_measures() -> None:
    values = {("A", "n"): 3, ("B", "n"): 40, ("C", "n"): 60, ("T", "n"): 103}
    table = Table(
        values,
        (Relation(("T", "n"), (("A", "n"), ("B", "n"), ("C", "n"))),),
        (
            Rate(("A", "pct"), ("A", "n"), ("T", "n"), PERCENT),
            Rate(("B", "pct"), ("B", "n"), ("T", "n"), PERCENT),
            Rate(("C", "pct"), ("C", "n"), ("T", "n"), PERCENT),
            Rate(("C", "rate"), ("C", "n"), 8000, PER_10000),
            Rate(("C", "small"), ("C", "n"), 9, PER_10000),
        ),
    )
    published = protect(table, T)
    # A (3) needs one complement; B, C and T would each do, and B is the cheapest:
    # cost 1 + log10(1 + 40) / 10 = 1.161 < 1.179 for C (60) < 1.201 for T (103)
    assert published.suppressed == {("A", "n"), ("B", "n")}
    assert isinstance(published, ProtectedTable)
    assert published.primary == {("A", "n")}
    assert published.secondary == {("B", "n")}
    assert published.count(("A", "n")).symbol is Symbol.SUPPRESSED
    assert published.count(("B", "n")).symbol is Symbol.SUPPRESSED
    assert published.count(("T", "n")).value == D(103)
    assert published.rate(("A", "pct")).symbol is Symbol.SUPPRESSED  # numerator primary
    assert published.rate(("B", "pct")).symbol is Symbol.SUPPRESSED  # numerator secondary
    assert published.rate(("C", "pct")).exact == F(60, 103)
    assert published.rate(("C", "pct")).unit is Unit.SHARE
    # 60 / 8000 x 10,000 = 75.0
    assert published.rate(("C", "rate")).value == D("75.0")
    assert published.rate(("C", "rate")).unit is Unit.RATE
    assert published.rate(("C", "small")).symbol is Symbol.SUPPRESSED  # denominator 9
