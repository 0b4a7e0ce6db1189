"""The audit: ranges worked by hand; it fails on under-suppressed tables and on a rate that
reveals a suppressed count."""

from __future__ import annotations

import math

import pytest

from bulletin.core.settings import Disclosure
from bulletin.disclosure import (
    PER_10000,
    PERCENT,
    Counted,
    Level,
    ProtectedTable,
    Rate,
    Relation,
    Table,
    audit,
    grid_table,
)

T = Disclosure()

# A 2 x 2 table with margins (counts of schools, so nothing is rounded):
#            p     q   all
#   A        3    20    23
#   B       30    40    70
#   T       33    60    93
VALUES = {
    ("A", "p"): 3,
    ("A", "q"): 20,
    ("A", "all"): 23,
    ("B", "p"): 30,
    ("B", "q"): 40,
    ("B", "all"): 70,
    ("T", "p"): 33,
    ("T", "q"): 60,
    ("T", "all"): 93,
}
RECTANGLE = {("A", "p"), ("A", "q"), ("B", "p"), ("B", "q")}


def table(rates: tuple[Rate, ...] = (), counted: Counted = Counted.SCHOOLS) -> Table:
    levels = {"A": Level.LOCAL_AUTHORITY, "B": Level.LOCAL_AUTHORITY, "T": Level.NATIONAL}
    return grid_table(
        VALUES,
        [("T", ["A", "B"])],
        [("all", ["p", "q"])],
        levels=levels,
        counted=counted,
        rates=rates,
    )


def only_check(result_table: ProtectedTable) -> tuple[float, float, bool]:
    result = audit(result_table)
    assert [c.key for c in result.checks] == [("A", "p")]  # the only count of 1 to 5
    check = result.checks[0]
    assert check.need_low == 0  # max(0, 3 - 5)
    assert check.need_high == 8  # 3 + 5
    assert check.passes is result.passes
    return check.low, check.high, check.passes


def test_a_shown_count_of_3_fails() -> None:
    low, high, passes = only_check(ProtectedTable.of(table(), set(), T))
    assert (low, high, passes) == (3, 3, False)


def test_primary_suppression_alone_fails() -> None:
    # A,p = A,all - A,q = 23 - 20 = 3 exactly
    low, high, passes = only_check(ProtectedTable.of(table(), {("A", "p")}, T))
    assert (low, high, passes) == (3, 3, False)


def test_a_row_complement_alone_fails_on_the_column_margin() -> None:
    # A,q hides A,p from its row, but the column gives A,p = T,p - B,p = 33 - 30 = 3
    low, high, passes = only_check(ProtectedTable.of(table(), {("A", "p"), ("A", "q")}, T))
    assert (low, high, passes) == (3, 3, False)
    assert "NOT protected" in str(audit(ProtectedTable.of(table(), {("A", "p")}, T)))


def test_the_rectangle_passes_with_the_range_worked_by_hand() -> None:
    # With A,p = s: A,q = 23 - s, B,p = 33 - s, B,q = 37 + s; all >= 0 gives 0 <= s <= 23
    low, high, passes = only_check(ProtectedTable.of(table(), RECTANGLE, T))
    assert low == pytest.approx(0, abs=1e-6)
    assert high == pytest.approx(23, abs=1e-6)
    assert passes


def test_a_rounded_total_is_entered_as_r_minus_5_to_r_plus_4() -> None:
    one_column = Table(
        {("A", "n"): 3, ("B", "n"): 10, ("T", "n"): 13},
        (),
    )
    # no relation: A is unconstrained above
    assert audit(ProtectedTable.of(one_column, {("A", "n")}, T)).checks[0].high == math.inf
    values = {("A", "n"): 3, ("B", "n"): 10, ("T", "n"): 13}
    levels = {"A": Level.LOCAL_AUTHORITY, "B": Level.LOCAL_AUTHORITY, "T": Level.NATIONAL}
    rounded = grid_table(values, [("T", ["A", "B"])], levels=levels, counted=Counted.CHILDREN)
    exact = grid_table(values, [("T", ["A", "B"])], levels=levels, counted=Counted.SCHOOLS)
    # T = 13 is published as 10, so 5 <= T <= 14 and A = T - 10 lies in 0..4: not 0..8
    check = audit(ProtectedTable.of(rounded, {("A", "n")}, T)).checks[0]
    assert (check.low, check.high, check.passes) == (0, 4, False)
    # counts of schools are not rounded: T = 13 exactly pins A = 3
    check = audit(ProtectedTable.of(exact, {("A", "n")}, T)).checks[0]
    assert (check.low, check.high) == (3, 3)


def test_a_shown_percentage_with_a_public_denominator_reveals_the_count() -> None:
    rate = Rate(("A", "p%"), ("A", "p"), 50, PERCENT)
    rates = table((rate,))
    # the rules hide it (its numerator is suppressed): the rectangle protects A,p
    assert ProtectedTable.of(rates, RECTANGLE, T).hidden_rates == {("A", "p%")}
    assert audit(ProtectedTable.of(rates, RECTANGLE, T)).passes
    # shown anyway: 3 / 50 = 6.0%, and 5.95% x 50 = 2.975 to 6.05% x 50 = 3.025 gives 3
    shown = ProtectedTable(rates, T, frozenset(RECTANGLE), frozenset())
    assert only_check(shown) == (3, 3, False)


def test_a_shown_rate_per_10000_with_a_public_population_reveals_the_count() -> None:
    # 3 per 100,000 children is 0.3 per 10,000: numerators 2.5 to 3.5 (excluded) give 3
    rates = table((Rate(("A", "rate"), ("A", "p"), 100_000, PER_10000),))
    shown = ProtectedTable(rates, T, frozenset(RECTANGLE), frozenset())
    assert only_check(shown) == (3, 3, False)


def test_a_shown_percentage_of_a_shown_total_reveals_the_count() -> None:
    # 3 of A's 23 is 13.0% (13.04...); 12.95% x 23 = 2.9785 and 13.05% x 23 = 3.0015:
    # over real numbers A,p lies in 2.9785..3.0015; the only whole number there is 3
    rates = table((Rate(("A", "p%"), ("A", "p"), ("A", "all"), PERCENT),))
    shown = ProtectedTable(rates, T, frozenset(RECTANGLE), frozenset())
    assert only_check(shown) == (3, 3, False)


def test_the_audit_checks_only_the_asked_cells() -> None:
    published = ProtectedTable.of(table(), RECTANGLE, T)
    assert audit(published, keys=[("B", "p")]).checks == ()  # 30 is not 1 to 5
    assert [c.key for c in audit(published, keys=[("A", "p")]).checks] == [("A", "p")]


def test_the_audit_works_in_whole_numbers_at_a_rate_boundary() -> None:
    # a = 1 of T = 2000 is 0.05%, published (halves up) as 0.1%. So 0.05% <= a / 2000
    # < 0.15%: 1 <= a < 3, and a whole number: a is 1 or 2 (over real numbers a < 3).
    values = {("a", "n"): 1, ("b", "n"): 1999, ("T", "n"): 2000}
    tab = Table(
        values,
        (Relation(("T", "n"), (("a", "n"), ("b", "n"))),),
        (Rate(("a", "%"), ("a", "n"), ("T", "n"), PERCENT),),
    )
    shown = ProtectedTable(tab, T, frozenset({("a", "n"), ("b", "n")}), frozenset())
    (check,) = audit(shown).checks
    assert (check.low, check.high) == (1, 2)
    assert not check.passes


def test_the_audit_is_exact_where_the_linear_program_is_not() -> None:
    # National counts of children, rounded: K = x + y = 3 + 12 = 15 is published as 20
    # (15 to 24); M = 40 as 40 (35 to 44); and K as a percentage of M, 37.5% (37.45% to
    # 37.55%). Over real numbers K <= 37.55% x 44 = 16.52, so x <= 4.52. In whole numbers
    # K = 16 needs 16 / 0.3755 = 42.61 <= M <= 16 / 0.3745 = 42.72: no whole M; K = 15
    # works with M = 40. So x = K - 12 is exactly 3.
    values = {("x", "n"): 3, ("y", "n"): 12, ("K", "n"): 15, ("M", "n"): 40}
    tab = Table(
        values,
        (Relation(("K", "n"), (("x", "n"), ("y", "n"))),),
        (Rate(("K", "%"), ("K", "n"), ("M", "n"), PERCENT),),
        frozenset({("K", "n"), ("M", "n")}),
    )
    published = ProtectedTable.of(tab, {("x", "n")}, T)
    assert published.published(("K", "n")) == 20
    (check,) = audit(published).checks
    assert (check.low, check.high) == (3, 3)
