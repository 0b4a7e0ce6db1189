"""Secondary suppression: a worked hierarchy where the naive choice fails, and limits."""

from __future__ import annotations

import pytest

from bulletin.core.settings import Disclosure
from bulletin.disclosure import (
    ENGLAND,
    INNER_LONDON,
    LONDON,
    OUTER_LONDON,
    PERCENT,
    Counted,
    DisclosureError,
    ProtectedTable,
    Rate,
    Relation,
    Table,
    audit,
    england_hierarchy,
    grid_table,
    protect,
)
from bulletin.disclosure.auditing import UP, Program
from tests.disclosure.reference import reference_protect

T = Disclosure()

# Counts of children by sex in six authorities: two in Inner London (I1, I2), two in Outer
# London (O1, O2), two in the North (N1, N2). National and regional rows are the sums,
# published rounded to 10.
#
#                  a     b   total   published
#   I1             3    20     23    c  ?  23
#   I2            30    40     70
#   O1             8     7     15
#   O2            50    60    110
#   N1            25    35     60
#   N2            45    55    100
#   Inner London  33    60     93    30  60  90
#   Outer London  58    67    125    60  70 130
#   London        91   127    218    90 130 220
#   North         70    90    160    70  90 160
#   England      161   217    378   160 220 380
LA = {"I1": (3, 20), "I2": (30, 40), "O1": (8, 7), "O2": (50, 60), "N1": (25, 35), "N2": (45, 55)}
REGION = {"I1": INNER_LONDON, "I2": INNER_LONDON, "O1": OUTER_LONDON, "O2": OUTER_LONDON}
REGION |= {"N1": "North", "N2": "North"}


def worked_table() -> Table:
    relations, levels = england_hierarchy(REGION)
    values = {(la, col): n for la, pair in LA.items() for col, n in zip("ab", pair, strict=True)}
    parts = dict(relations)

    def total(row: str, col: str) -> int:
        return values[row, col] if row in LA else sum(total(p, col) for p in parts[row])

    for row in levels:
        for col in "ab":
            values[row, col] = total(row, col)
        values[row, "total"] = values[row, "a"] + values[row, "b"]
    return grid_table(
        values, relations, [("total", ["a", "b"])], levels=levels, counted=Counted.CHILDREN
    )


def test_the_worked_table_is_as_commented() -> None:
    table = worked_table()
    assert table.cells[INNER_LONDON, "a"] == 33
    assert table.cells[LONDON, "total"] == 218
    assert table.cells[ENGLAND, "b"] == 217
    published = ProtectedTable.of(table, set(), T)
    assert [published.published((r, "a")) for r in (INNER_LONDON, OUTER_LONDON, ENGLAND)] == [
        30,
        60,
        160,
    ]


def test_the_naive_choice_is_narrowed_by_the_inner_london_margin() -> None:
    # I1,a = 3 is suppressed. The naive choice: the smallest cell in its row, I1,b = 20;
    # then the smallest London borough in column a, O1,a = 8, and the corner O1,b = 7.
    # That rectangle keeps the rows and the London column margins: with I1,a = 3 + s,
    # I1,b = 20 - s, O1,a = 8 - s, O1,b = 7 + s; London, England and the rows do not move.
    # But Inner London is also published: its column a is I1,a + I2,a, published as 30
    # (so 25 to 34), and I2,a = 30 is shown. So I1,a = InnerLondon,a - 30 <= 34 - 30 = 4:
    # the range is 0 to 4, not the 0 to 8 that protection needs.
    naive = {("I1", "a"), ("I1", "b"), ("O1", "a"), ("O1", "b")}
    result = audit(ProtectedTable.of(worked_table(), naive, T))
    (check,) = result.checks
    assert check.key == ("I1", "a")
    assert (check.low, check.high) == (0, 4)
    assert not result.passes


def test_the_module_chooses_inside_inner_london_and_passes() -> None:
    # The rectangle inside Inner London: I1,a = 3 + s, I1,b = 20 - s, I2,a = 30 - s,
    # I2,b = 40 + s moves no margin at all; s runs from -3 to 20 (I1,b >= 0), so I1,a
    # runs 0 to 23 and reaches 0 and 8. Four cells is the least any 2-way table needs.
    published = protect(worked_table(), T)
    assert published.suppressed == {("I1", "a"), ("I1", "b"), ("I2", "a"), ("I2", "b")}
    (check,) = audit(published).checks
    assert check.passes
    assert check.low == pytest.approx(0, abs=1e-6)
    assert check.high == pytest.approx(23, abs=1e-6)


def test_the_reference_method_needs_six_cells() -> None:
    # The reference (tests/disclosure/reference.py) for I1,a, smallest first among the
    # shown cells of its relations (I1,b 20; I1,total 23; I2,a 30; Inner London,a 33):
    # 1. I1,b: Inner London,a (25 to 34) - I2,a (30 shown) still caps I1,a at 4;
    # 2. I1,total: the same cap;
    # 3. I2,a: I2's row (I2,b and I2,total shown) pins it to 30: the same cap;
    # 4. Inner London,a: London,a <= 94 and Outer London,a = O1,a + O2,a = 58 exactly, so
    #    Inner London,a <= 36 and I1,a = Inner London,a - 30 <= 6 < 8;
    # 5. every cell of I1,a's relations is now suppressed: the smallest shown cell in a
    #    relation with any suppressed cell is I2,b (40), which frees I2,a: passes.
    reference = reference_protect(worked_table(), T)
    assert reference.suppressed == {
        ("I1", "a"),
        ("I1", "b"),
        ("I1", "total"),
        ("I2", "a"),
        (INNER_LONDON, "a"),
        ("I2", "b"),
    }
    assert audit(reference).passes


def test_a_count_in_keep_is_still_suppressed_and_a_kept_margin_is_never_chosen() -> None:
    values = {("A", "n"): 3, ("B", "n"): 40, ("T", "n"): 43}
    table = Table(values, (Relation(("T", "n"), (("A", "n"), ("B", "n"))),))
    # keeping T leaves B as the only complement: A = 43 - B
    published = protect(table, T, keep=[("A", "n"), ("T", "n")])
    assert published.suppressed == {("A", "n"), ("B", "n")}
    assert audit(published).passes
    # keeping both T and B leaves nothing that can hide A
    with pytest.raises(DisclosureError, match=r"cell \('A', 'n'\) \(value 3\)"):
        protect(table, T, keep=[("B", "n"), ("T", "n")])


def test_a_complement_needs_room_to_fall() -> None:
    # A = 3 must reach 8, so a complement in its relation must fall by 5: B = 0 cannot,
    # C = 6 can (to 1). The smallest cell (B) would not do; the module takes C.
    values = {("A", "n"): 3, ("B", "n"): 0, ("C", "n"): 6, ("D", "n"): 90, ("T", "n"): 99}
    parts = (("A", "n"), ("B", "n"), ("C", "n"), ("D", "n"))
    table = Table(values, (Relation(("T", "n"), parts),))
    published = protect(table, T, keep=[("T", "n")])
    assert published.suppressed == {("A", "n"), ("C", "n")}
    assert audit(published).passes


def test_a_change_over_real_numbers_is_redone_in_whole_numbers() -> None:
    # x = 3, y = 12, K = x + y = 15 published as 20 (15 to 24), M = 40 as 40 (35 to 44),
    # and K as 37.5% of M (37.45% to 37.55%). In whole numbers that pins K = 15 (K = 16
    # needs 42.61 <= M <= 42.72; see test_audit). Suppressing y lets x run over 0 to 15.
    values = {("x", "n"): 3, ("y", "n"): 12, ("K", "n"): 15, ("M", "n"): 40}
    table = Table(
        values,
        (Relation(("K", "n"), (("x", "n"), ("y", "n"))),),
        (Rate(("K", "%"), ("K", "n"), ("M", "n"), PERCENT),),
        frozenset({("K", "n"), ("M", "n")}),
    )
    state = ProtectedTable.of(table, {("x", "n")}, T)
    program = Program(state, table.components[0], {("y", "n"): 1.0}, 1e-3)
    # over real numbers the cheapest change also slides K and M within their intervals
    # to fractions; in whole numbers it moves x and y only
    real = program.witness(("x", "n"), UP)
    whole = program.witness(("x", "n"), UP, whole=True)
    assert real is not None
    assert whole is not None
    assert not real.whole
    assert whole.whole
    assert whole.moved == {("x", "n"), ("y", "n")}
    assert whole.support == whole.moved
    published = protect(table, T)
    assert published.suppressed == {("x", "n"), ("y", "n")}
    (check,) = audit(published).checks
    assert (check.low, check.high) == (0, 15)


# -- totals and headlines are the last resort -------------------------------------------------


def one_column(values: dict[str, int], relations: dict[str, tuple[str, ...]]) -> Table:
    """A table of one column ("n"): `values` by row, each relation a total row and its parts."""
    return Table(
        {(row, "n"): v for row, v in values.items()},
        tuple(
            Relation((total, "n"), tuple((p, "n") for p in parts))
            for total, parts in relations.items()
        ),
    )


def test_a_small_interior_count_keeps_the_totals() -> None:
    # T = A + B and S = B + E, all shown but A = 3. Moving A by 5 moves B or T. Counting
    # cells, T alone (T and A move together; nothing else adds up to T) is cheaper than B
    # and E (B is also in S, so E or S must move with it). But T and S are totals: the
    # complements come from the interior, B and E, whose cost is one cell more.
    table = one_column(
        {"A": 3, "B": 100, "T": 103, "E": 50, "S": 150}, {"T": ("A", "B"), "S": ("B", "E")}
    )
    published = protect(table, T)
    assert published.suppressed == {("A", "n"), ("B", "n"), ("E", "n")}
    assert not published.suppressed & table.totals
    (check,) = audit(published).checks
    # A = 103 - B and E = 150 - B: B runs from 0 to 103 (E from 150 to 47), A from 0 to 103
    assert (check.low, check.high) == (0, 103)


def sex_by_group(u_other: int) -> dict[tuple[str, str], int]:
    """Counts by sex (F, M, U) and group (in need or other), their row totals (all) and
    column totals (the total row); U in need is 2, U other `u_other`."""
    values = {("F", "in"): 40, ("F", "other"): 400, ("M", "in"): 45, ("M", "other"): 420}
    values |= {("U", "in"): 2, ("U", "other"): u_other}
    for row in "FMU":
        values[(row, "all")] = values[(row, "in")] + values[(row, "other")]
    for column in ("in", "other", "all"):
        values[("total", column)] = sum(values[(row, column)] for row in "FMU")
    return values


def test_a_grid_with_one_small_count_keeps_its_margins() -> None:
    # Sex by group with row and column totals (the characteristics table's shape), counts
    # of schools (exact) and each count's share of its column total:
    #              in    other    all
    #   F          40     400     440
    #   M          45     420     465
    #   U           2       9      11
    #   total      87     829     916
    # U,in = 2 is protected inside the interior, by the rectangle U,in / U,other / F,in /
    # F,other (of the two rows that can take it, the one of smaller counts): every margin
    # stays shown, and so do the shares of the row totals.
    values = sex_by_group(9)
    rates = [
        Rate((row, f"{column} %"), (row, column), ("total", column), PERCENT)
        for row, column in values
    ]
    table = grid_table(
        values,
        [("total", ["F", "M", "U"])],
        [("all", ["in", "other"])],
        counted=Counted.SCHOOLS,
        rates=rates,
    )
    headline = [("total", column) for column in ("in", "other", "all")]
    published = protect(table, T, headline=headline)
    assert published.suppressed == {("U", "in"), ("U", "other"), ("F", "in"), ("F", "other")}
    assert audit(published).passes
    assert all(published.rate((row, "all %")).shown for row in ("F", "M", "U", "total"))


def test_a_count_only_a_total_can_protect_is_still_protected() -> None:
    # T = A + B with B = 0, and U = T + C: B cannot fall, so to reach A + 5 the total T must
    # move (and with it C or U). A total is the last resort, not forbidden: T and C (the
    # interior cell of U's relation, not U) are suppressed.
    table = one_column(
        {"A": 3, "B": 0, "T": 3, "C": 40, "U": 43}, {"T": ("A", "B"), "U": ("T", "C")}
    )
    published = protect(table, T)
    assert published.suppressed == {("A", "n"), ("T", "n"), ("C", "n")}
    assert audit(published).passes
    # T is a total; made a headline too, it is still the only way, so still chosen
    published = protect(table, T, headline=[("T", "n"), ("U", "n")])
    assert published.suppressed == {("A", "n"), ("T", "n"), ("C", "n")}


def test_a_total_is_taken_before_a_headline() -> None:
    # The characteristics table's case: U in need = 2 and U other = 0, so U all pupils
    # must rise with U in need, and every cell of the all-pupils column is a total. Either
    # a sex's all-pupils count or the grand total must move: the sub-total is taken (with
    # its in-need count), and the headline total row stays shown.
    values = sex_by_group(0)
    table = grid_table(
        values, [("total", ["F", "M", "U"])], [("all", ["in", "other"])], counted=Counted.SCHOOLS
    )
    headline = [("total", column) for column in ("in", "other", "all")]
    published = protect(table, T, headline=headline)
    assert published.suppressed == {("U", "in"), ("U", "all"), ("F", "in"), ("F", "all")}
    assert audit(published).passes
