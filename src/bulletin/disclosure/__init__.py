"""Disclosure (above data): suppression, rounding and the audit that proves protection.

The rules (DESIGN.md decision 6) with the thresholds of `Settings.disclosure`:

- `rules`: single numbers. `is_primary` (1 to 5 is shown as `c`), `rounds` (national and
  regional counts of children, pupils and episodes, never schools, to the nearest 10),
  `rate_hidden` (a rate whose numerator or denominator is suppressed, or whose
  denominator is under 10), `count_measure` and `rate_measure` (a protected `Measure`).
- `table`: the table model. `Table(cells, relations, rates, rounded)` with cells keyed by
  (row, column) and additivity as `Relation(total, parts)`; `grid_table` and
  `england_hierarchy` build a geography x categories table (England > region > local
  authority, London also split into Inner and Outer London). `ProtectedTable` is the
  published view, with `count(key)` and `rate(key)` as `Measure`s.
- `protect(table, t, keep=..., headline=...)`: primary and secondary suppression, the
  complementary cells from the interior first, then totals, then headline cells.
- `audit(published)`: proves protection by linear programming; an `AuditResult` lists
  every count of 1 to 5 with its feasible range, and which fail.

Typical use in findings: `published = protect(table, settings.disclosure)`, then
`result = audit(published)`; stop on `not result.passes`; print `published.count(key)`.
"""

from bulletin.disclosure.auditing import AuditResult, CellCheck, audit
from bulletin.disclosure.rules import (
    PER_10000,
    PERCENT,
    Counted,
    Level,
    count_measure,
    is_primary,
    rate_hidden,
    rate_measure,
    rounds,
)
from bulletin.disclosure.suppression import DisclosureError, information_cost, protect
from bulletin.disclosure.table import (
    ENGLAND,
    INNER_LONDON,
    LONDON,
    OUTER_LONDON,
    Key,
    ProtectedTable,
    Rate,
    Relation,
    Table,
    TableError,
    england_hierarchy,
    grid_table,
)

__all__ = [
    "ENGLAND",
    "INNER_LONDON",
    "LONDON",
    "OUTER_LONDON",
    "PERCENT",
    "PER_10000",
    "AuditResult",
    "CellCheck",
    "Counted",
    "DisclosureError",
    "Key",
    "Level",
    "ProtectedTable",
    "Rate",
    "Relation",
    "Table",
    "TableError",
    "audit",
    "count_measure",
    "england_hierarchy",
    "grid_table",
    "information_cost",
    "is_primary",
    "protect",
    "rate_hidden",
    "rate_measure",
    "rounds",
]
