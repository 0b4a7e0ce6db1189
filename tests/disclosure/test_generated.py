"""Generated tables with margins and a two-level hierarchy: what `protect` publishes always
passes the audit, and never suppresses more cells than the reference method."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.core.settings import Disclosure
from bulletin.disclosure import (
    INNER_LONDON,
    OUTER_LONDON,
    PERCENT,
    Counted,
    Rate,
    Table,
    audit,
    england_hierarchy,
    grid_table,
    protect,
)
from tests.disclosure.reference import reference_protect

T = Disclosure()
# half small counts, so that about a fifth of the authority cells are 1 to 5
VALUE = st.one_of(st.integers(0, 12), st.integers(13, 400))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """England > 2 or 3 regions > 4 or 5 authorities each, x 4 categories and their total.

    The first region may be London, split into Inner and Outer London as well. Every cell
    of a row has a percentage of its row total; national and regional rows are rounded
    when the table counts children."""
    n_regions = draw(st.integers(2, 3))
    london = draw(st.booleans())
    region_of: dict[str, str] = {}
    for r in range(n_regions):
        for i in range(draw(st.integers(4, 5))):
            name = f"R{r}"
            if london and r == 0:
                name = INNER_LONDON if i % 2 == 0 else OUTER_LONDON
            region_of[f"LA{r}{i}"] = name
    categories = ["k0", "k1", "k2", "k3"]
    relations, levels = england_hierarchy(region_of)
    parts = dict(relations)
    values = {(la, k): draw(VALUE) for la in sorted(region_of) for k in categories}

    def total(row: str, col: str) -> int:
        if row in region_of:
            return values[row, col]
        return sum(total(p, col) for p in parts[row])

    for row in levels:
        for k in categories:
            values[row, k] = total(row, k)
    for row in levels:
        values[row, "all"] = sum(values[row, k] for k in categories)
    rates = [
        Rate((row, f"{k}%"), (row, k), (row, "all"), PERCENT) for row in levels for k in categories
    ]
    counted = draw(st.sampled_from([Counted.CHILDREN, Counted.SCHOOLS]))
    return grid_table(
        values, relations, [("all", categories)], levels=levels, counted=counted, rates=rates
    )


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tables())
def test_protect_passes_the_audit_with_no_more_cells_than_the_reference(table: Table) -> None:
    assert len(table.cells) >= 50
    published = protect(table, T)
    result = audit(published)
    assert result.passes, str(result)
    # every count of 1 to 5 is suppressed and checked
    assert {c.key for c in result.checks} == published.primary
    assert all(c.suppressed for c in result.checks)
    # rates of suppressed cells are hidden
    for rate in table.rates:
        if rate.numerator in published.suppressed:
            assert rate.key in published.hidden_rates
    reference = reference_protect(table, T)  # it stops only when the audit passes
    assert len(published.suppressed) <= len(reference.suppressed)
