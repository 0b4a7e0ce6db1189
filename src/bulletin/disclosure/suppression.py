"""Disclosure: primary and secondary suppression of a table (`protect`).

`protect(table, t, keep=..., headline=...)` returns a `ProtectedTable`:

1. Primary: every cell of 1 to 5 is suppressed (`rules.is_primary`), even one in `keep`.
2. Secondary, per group of linked cells (`Table.components`), for each primary cell x
   and each direction (up to v + 5, down to max(0, v - 5)): a linear program finds the
   cheapest change of the table that moves x that far while keeping every relation,
   every shown rate and every rounded count's interval, where moving a shown cell costs
   `cost(value)` per unit (default `information_cost`: about 1 a cell, so fewer cells
   first, and of as many cells the smaller ones) and moving an already suppressed cell
   almost nothing. The shown cells the change moves are suppressed. Suppressing cells
   only widens every range, so once all are done the change still exists for every x.
   The cells come from the interior of the table whenever it can protect x: totals (the
   total of any relation) may move only when no change of the other cells can, and
   headline cells (named by the caller: the cells behind a headline finding) only when
   no change of the others, totals included, can. When they may move, a total costs
   `LAST_RESORT` times its own cost and a headline `LAST_RESORT` squared times, so the
   fewest of them are taken. Cells in `keep` are never chosen.
3. Clean-up: each complementary cell, the costliest first (so headlines and totals
   first), is given back when every primary cell stays protected without it (rechecked
   by the same program).
4. Whole numbers: steps 2 and 3 work over real numbers, which shown rates and rounded
   counts can make wider than what whole numbers allow. Unless every change kept is in
   whole numbers, the audit (in whole numbers) checks every primary cell; where one
   fails, a change in whole numbers is found (interior first, as in step 2) and the cells
   it moves are suppressed.
5. Rates: hidden by the rules for the final suppressed cells (`rules.rate_hidden`).

Raises `DisclosureError` when a primary cell cannot be protected at all (for example when
`keep` holds every cell that could hide it).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

from bulletin.core.settings import Disclosure
from bulletin.disclosure.auditing import DOWN, TOL, UP, Program, Witness, audit
from bulletin.disclosure.rules import is_primary
from bulletin.disclosure.table import Component, Key, ProtectedTable, Table

MOVE_SUPPRESSED = 1e-3  # cost per unit of moving an already suppressed cell
LAST_RESORT = 100  # a total costs this many times its own cost; a headline, its square
INTERIOR, TOTAL, HEADLINE = 0, 1, 2  # the tiers: cells of a higher tier move only when
TIERS = (INTERIOR, TOTAL, HEADLINE)  # the lower tiers cannot protect the cell


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
    headline: Iterable[Key] = (),
    cost: Callable[[int], float] = information_cost,
) -> ProtectedTable:
    """Suppress the counts of 1 to 5 and enough complementary cells to protect them, from
    the interior of the table first, then totals, then `headline` cells."""
    choice = _Choice(table, t, frozenset(keep), frozenset(headline), cost)
    for comp in table.components:
        primary = [k for k in comp.cells if k in choice.suppressed]
        if primary:
            choice.add_complements(comp, primary)
            choice.give_back(comp, primary)
            if not all(w.whole for (x, _), w in choice.witnesses.items() if x in primary):
                choice.make_whole(comp, primary)
    return ProtectedTable.of(table, choice.suppressed, t)


def tier(table: Table, key: Key, headline: frozenset[Key]) -> int:
    """A cell's tier: a headline, else a total (of a relation), else the interior."""
    return HEADLINE if key in headline else TOTAL if key in table.totals else INTERIOR


class _Choice:
    """The cells suppressed so far, and for each primary cell and direction a witness."""

    def __init__(
        self,
        table: Table,
        t: Disclosure,
        kept: frozenset[Key],
        headline: frozenset[Key],
        cost: Callable[[int], float],
    ) -> None:
        self.table, self.t, self.kept = table, t, kept
        self.tier = {k: tier(table, k, headline) for k in table.cells}
        self.weight = {k: cost(v) * LAST_RESORT ** self.tier[k] for k, v in table.cells.items()}
        self.suppressed = {k for k, v in table.cells.items() if is_primary(v, t)}
        self.witnesses: dict[tuple[Key, str], Witness] = {}
        self._programs: dict[int, Program] = {}  # by tier, for the cells suppressed now

    def program(
        self, comp: Component, suppressed: Iterable[Key], *, costly: bool, up_to: int = INTERIOR
    ) -> Program:
        """The program of `comp` with `suppressed` cells; `costly`: shown cells of tiers up
        to `up_to` (and not kept) may move, at their weights."""
        state = ProtectedTable.of(self.table, suppressed, self.t)
        costs = {
            k: self.weight[k]
            for k in comp.cells
            if costly and k not in state.suppressed and k not in self.kept and self.tier[k] <= up_to
        }
        return Program(state, comp, costs, MOVE_SUPPRESSED)

    def tiers(self, comp: Component) -> list[Program]:
        """The programs of `comp` for each tier that adds cells that may move (cached
        until more cells are suppressed)."""
        found = []
        for up_to in TIERS:
            if up_to == INTERIOR or any(self.tier[k] == up_to for k in comp.cells):
                if up_to not in self._programs:
                    self._programs[up_to] = self.program(
                        comp, self.suppressed, costly=True, up_to=up_to
                    )
                found.append(self._programs[up_to])
        return found

    def suppress(self, cells: Iterable[Key]) -> None:
        before = len(self.suppressed)
        self.suppressed |= set(cells)
        if len(self.suppressed) != before:
            self._programs.clear()

    def cheapest(self, comp: Component, key: Key, direction: str) -> Witness:
        """The cheapest change moving `key` by the margin, from the lowest tier that can."""
        for program in self.tiers(comp):
            found = program.witness(key, direction)
            if found is not None:
                return found
        raise self.exposed(key, direction)

    def exposed(self, key: Key, direction: str) -> DisclosureError:
        return DisclosureError(
            f"cell {key} (value {self.table.cells[key]}) cannot be protected "
            f"{direction}wards: every cell that could hide it is kept"
        )

    def add_complements(self, comp: Component, primary: list[Key]) -> None:
        """Step 2: for each primary cell and direction, suppress what the cheapest change moves."""
        self._programs.clear()
        for x in primary:
            for direction in (UP, DOWN):
                found = self.cheapest(comp, x, direction)
                self.suppress(found.moved)
                self.witnesses[x, direction] = found

    def give_back(self, comp: Component, primary: list[Key]) -> None:
        """Step 3: show again each complementary cell that no witness needs."""
        complements = sorted(
            (k for k in comp.cells if k in self.suppressed and k not in primary),
            key=lambda k: (-self.weight[k], k),
        )
        for k in complements:
            trial = self.suppressed - {k}
            hidden = ProtectedTable.of(self.table, trial, self.t).hidden_rates
            # A witness stays valid unless it moves k, or a cell of a rate shown again.
            touched = {k}
            for key in ProtectedTable.of(self.table, self.suppressed, self.t).hidden_rates - hidden:
                touched |= set(self.table.rate_by_key[key].cells)
            pairs = [p for p, w in self.witnesses.items() if touched & w.support]
            again = self.recheck(comp, trial, pairs)
            if again is not None:
                self.suppressed = trial
                self._programs.clear()
                self.witnesses |= again

    def recheck(
        self, comp: Component, suppressed: set[Key], pairs: list[tuple[Key, str]]
    ) -> dict[tuple[Key, str], Witness] | None:
        """New witnesses for `pairs` with only `suppressed` cells moving; None if one fails."""
        found: dict[tuple[Key, str], Witness] = {}
        program = self.program(comp, suppressed, costly=False) if pairs else None
        for x, direction in pairs:
            witness = program.witness(x, direction) if program else None
            if witness is None:
                return None
            found[x, direction] = witness
        return found

    def make_whole(self, comp: Component, primary: list[Key]) -> None:
        """Step 4: where the audit (in whole numbers) finds a primary cell exposed, suppress
        what a whole-number change moves, from the lowest tier that has one: the cheapest
        change with rounded counts held at their true values when that is whole (changes
        along relations usually are), else the cheapest in whole numbers (an integer
        program)."""
        while failures := audit(
            ProtectedTable.of(self.table, self.suppressed, self.t), primary
        ).failures:
            programs = self.tiers(comp)  # those of the cells suppressed before this round
            moved: set[Key] = set()
            for check in failures:
                directions = [UP] if check.high < check.need_high - TOL else []
                directions += [DOWN] if check.low > check.need_low + TOL else []
                for direction in directions:
                    moved |= self.whole_witness(programs, check.key, direction).moved
            if moved <= self.suppressed:
                raise RuntimeError(f"disclosure: no whole-number change protects {failures[0]}")
            self.suppress(moved)

    def whole_witness(self, programs: list[Program], key: Key, direction: str) -> Witness:
        for program in programs:
            found = program.held.witness(key, direction)
            if found is None or not found.whole:
                found = program.witness(key, direction, whole=True)
            if found is not None:
                return found
        raise self.exposed(key, direction)
