"""Disclosure: primary and secondary suppression of a table (`protect`).

`protect(table, t, keep=...)` returns a `ProtectedTable`:

1. Primary: every cell of 1 to 5 is suppressed (`rules.is_primary`), even one in `keep`.
2. Secondary, per group of linked cells (`Table.components`), for each primary cell x
   and each direction (up to v + 5, down to max(0, v - 5)): a linear program finds the
   cheapest change of the table that moves x that far while keeping every relation,
   every shown rate and every rounded count's interval, where moving a shown cell costs
   `cost(value)` per unit (default: 1 + log10(1 + value) / 10, so fewer cells first and
   then smaller ones) and moving an already suppressed cell almost nothing. The shown
   cells the change moves are suppressed. Suppressing cells only widens every range, so
   once all are done the change still exists for every x: the table passes the audit.
   Cells in `keep` (a national total, say) are never chosen.
3. Clean-up: each complementary cell, the costliest first, is given back when every
   primary cell stays protected without it (rechecked by the same program).
4. Rates: hidden by the rules for the final suppressed cells (`rules.rate_hidden`).

Raises `DisclosureError` when a primary cell cannot be protected at all (for example when
`keep` holds every cell that could hide it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from bulletin.core.settings import Disclosure
from bulletin.disclosure.auditing import DOWN, UP, Program, Witness
from bulletin.disclosure.rules import is_primary
from bulletin.disclosure.table import Key, ProtectedTable, Table

MOVE_SUPPRESSED = 1e-3  # cost per unit of moving an already suppressed cell


class DisclosureError(ValueError):
    """A count of 1 to 5 that no choice of complementary cells can protect."""


def information_cost(value: int) -> float:
    """The default cost of suppressing a cell: about 1 (a cell), more for larger values."""
    return 1.0 + math.log10(1 + value) / 10


def protect(
    table: Table,
    t: Disclosure,
    *,
    keep: Iterable[Key] = (),
    cost: Callable[[int], float] = information_cost,
) -> ProtectedTable:
    """Suppress the counts of 1 to 5 and enough complementary cells to protect them."""
    kept = frozenset(keep)
    cells = table.cells
    suppressed = {k for k, v in cells.items() if is_primary(v, t)}
    for comp in table.components:
        primary = [k for k in comp.cells if k in suppressed]
        if not primary:
            continue
        witnesses: dict[tuple[Key, str], Witness] = {}
        program: Program | None = None
        for x in primary:
            for direction in (UP, DOWN):
                if program is None:  # built again only when more cells are suppressed
                    state = ProtectedTable.of(table, suppressed, t)
                    costs = {k: cost(cells[k]) for k in comp.cells if k not in suppressed | kept}
                    program = Program(state, comp, costs, MOVE_SUPPRESSED)
                found = program.witness(x, direction)
                if found is None:
                    raise DisclosureError(
                        f"cell {x} (value {cells[x]}) cannot be protected {direction}wards: "
                        "every cell that could hide it is kept"
                    )
                if not found.moved <= suppressed:
                    suppressed |= found.moved
                    program = None
                witnesses[x, direction] = found
        complements = sorted(
            (k for k in comp.cells if k in suppressed and k not in primary),
            key=lambda k: (-cost(cells[k]), k),
        )
        for k in complements:
            trial = suppressed - {k}
            state = ProtectedTable.of(table, trial, t)
            # A witness stays valid unless it moves k, or a cell of a rate shown again.
            touched = {k}
            for key in ProtectedTable.of(table, suppressed, t).hidden_rates - state.hidden_rates:
                touched |= set(table.rate_by_key[key].cells)
            pairs = [p for p, w in witnesses.items() if touched & w.support]
            again = _recheck(Program(state, comp, {}, MOVE_SUPPRESSED), pairs) if pairs else {}
            if again is not None:
                suppressed = trial
                witnesses |= again
    return ProtectedTable.of(table, suppressed, t)


def _recheck(
    program: Program, pairs: Iterable[tuple[Key, str]]
) -> dict[tuple[Key, str], Witness] | None:
    """New witnesses for `pairs` under `program`, or None if one has none."""
    found: dict[tuple[Key, str], Witness] = {}
    for x, direction in pairs:
        witness = program.witness(x, direction)
        if witness is None:
            return None
        found[x, direction] = witness
    return found
