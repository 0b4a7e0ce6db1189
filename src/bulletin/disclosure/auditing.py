"""Disclosure: the audit that proves a published table protects every count of 1 to 5.

`audit(published, keys=None)` takes a `ProtectedTable` and, for every cell whose true value
v is from `suppress_min` to `suppress_max` (1 to 5), finds the smallest and largest value
the cell can take consistent with everything published, by linear programming (scipy's
HiGHS, through `scipy.optimize.milp`). What is published, as constraints on the unknowns:

- shown cells are known exactly; suppressed cells are unknowns of at least 0;
- every relation (margin, subtotal, hierarchy) holds;
- a shown rounded count r is an unknown from r-5 to r+4 (`rules.rounding_interval`);
- a shown rate R = round(scale x n / d, places) bounds its numerator: to whole numbers
  when d is public, by the linear pair (R - h) d <= scale n < (R + h) d when d is a cell.

Counts are whole numbers: when a linear program's optimum is not at a whole-number point,
the bound is confirmed in whole numbers (`Program.extreme`), so the ranges are exact.

A cell passes when its range reaches max(0, v - m) or below and v + m or above, where the
margin m is `suppress_max` (5). A shown count of 1 to 5 has the range [v, v] and fails.
`AuditResult` lists every cell checked with its range (`failures` for those that fail);
later stages call `audit` on every table they publish and stop on a failure.

The same program, with a cost on moving cells that are still shown, finds the
complementary cells in `protect` (`Program.witness`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

from bulletin.disclosure.rules import (
    is_primary,
    rate_bounds,
    rate_interval,
    rate_value,
    rounded,
    rounding_interval,
)
from bulletin.disclosure.table import Component, Key, ProtectedTable, Rate

DENSE_UP_TO = 200_000  # matrix entries: a dense matrix is quicker to hand over below this
TOL = 1e-6  # a solver's answer within this of a bound reaches the bound
UP, DOWN = "up", "down"

Expr = tuple[float, dict[int, float]]  # constant + sum of coefficient x variable


@dataclass(frozen=True)
class CellCheck:
    """One count of 1 to 5 and the range of values consistent with the published table."""

    key: Key
    value: int
    suppressed: bool
    low: float  # the smallest consistent value
    high: float  # the largest (math.inf when nothing bounds it)
    need_low: int  # max(0, v - margin): low must reach this or below
    need_high: int  # v + margin: high must reach this or above

    @property
    def passes(self) -> bool:
        return self.low <= self.need_low + TOL and self.high >= self.need_high - TOL

    def __str__(self) -> str:
        shown = "suppressed" if self.suppressed else "shown"
        verdict = "protected" if self.passes else "NOT protected"
        return (
            f"cell {self.key} ({shown}, value {self.value}): consistent values "
            f"{_fmt(self.low)} to {_fmt(self.high)}, needs {self.need_low} to "
            f"{self.need_high}: {verdict}"
        )


@dataclass(frozen=True)
class AuditResult:
    """Every sensitive cell checked, in key order."""

    checks: tuple[CellCheck, ...]

    @property
    def passes(self) -> bool:
        return all(c.passes for c in self.checks)

    @property
    def failures(self) -> tuple[CellCheck, ...]:
        return tuple(c for c in self.checks if not c.passes)

    def __str__(self) -> str:
        head = f"disclosure audit of {len(self.checks)} count(s) of 1 to 5"
        if self.passes:
            return f"{head}: all protected"
        lines = [f"{head}: {len(self.failures)} NOT protected"]
        return "\n".join(lines + [f"  {c}" for c in self.failures])


def _fmt(x: float) -> str:
    return "unbounded" if math.isinf(x) else f"{x:g}"


def audit(published: ProtectedTable, keys: Iterable[Key] | None = None) -> AuditResult:
    """Minimise and maximise every count of 1 to 5 subject to everything published.

    `keys` limits the check to those cells (those of them that are 1 to 5).
    """
    table, t = published.table, published.thresholds
    wanted = None if keys is None else frozenset(keys)
    margin = t.suppress_max
    checks: list[CellCheck] = []
    for comp in table.components:
        sensitive = [
            k
            for k in comp.cells
            if is_primary(table.cells[k], t) and (wanted is None or k in wanted)
        ]
        if not sensitive:
            continue
        program = Program(published, comp)
        for key in sensitive:
            v = table.cells[key]
            low = program.extreme(key, minimise=True)
            high = program.extreme(key, minimise=False)
            suppressed = key in published.suppressed
            checks.append(CellCheck(key, v, suppressed, low, high, max(0, v - margin), v + margin))
    return AuditResult(tuple(sorted(checks, key=lambda c: c.key)))


@dataclass
class Program:
    """The linear program of one component of a published table.

    Each cell's true value is an expression in the variables (`value`): a shown exact cell
    is a constant; a shown rounded cell a variable within its rounding interval; a
    suppressed cell v + e+ - e- with e- <= v. Cells in `costs` (protect's candidates: still
    shown, allowed to move at that cost per unit) also get e+ and e-; a shown rate then
    constrains only their shown part (moving them suppresses them, hiding their rates).
    With `slack` False, shown rounded counts are held at their true values.
    """

    published: ProtectedTable
    comp: Component
    costs: Mapping[Key, float] = field(default_factory=dict)
    moved_cost: float = 0.0  # cost per unit of moving an already suppressed cell
    slack: bool = True  # False: shown rounded counts stay at their true values

    def __post_init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float | None] = []
        self.cost: list[float] = []
        self.owner: list[Key] = []
        self.eq: list[tuple[dict[int, float], float]] = []
        self.ub: list[tuple[dict[int, float], float]] = []
        self.value: dict[Key, Expr] = {}
        self.shown: dict[Key, Expr] = {}
        self.moves: dict[Key, tuple[int, int]] = {}  # e+ and e- of cells that may move
        table, t = self.published.table, self.published.thresholds
        suppressed = self.published.suppressed
        for key in self.comp.cells:
            v = table.cells[key]
            floor: int | None = v  # how far the value may fall: to zero
            if key in table.rounded and key not in suppressed and self.slack:
                lo, hi = rounding_interval(rounded(v, t), t.rounding_base)
                base: Expr = (0.0, {self._var(key, lo, hi): 1.0})
                floor = None  # the interval variable can fall too: a row keeps it >= 0
            else:
                base = (float(v), {})
            value = base
            if key in suppressed or key in self.costs:
                cost = self.moved_cost if key in suppressed else self.costs[key]
                up, down = self._movable(key, floor, cost)
                value = (base[0], base[1] | {up: 1.0, down: -1.0})
                if floor is None:
                    self.ub.append(({i: -c for i, c in value[1].items()}, value[0]))
            self.value[key] = value
            # What a shown rate constrains: all of a suppressed cell's value, but only the
            # shown part of a cell still shown (moving it suppresses it and hides its rates).
            self.shown[key] = value if key in suppressed else base
        for rel in self.comp.relations:
            self._row(self.eq, [(1.0, p) for p in rel.parts] + [(-1.0, rel.total)], 0.0)
        for rate in self.comp.rates:
            if rate.key not in self.published.hidden_rates:
                self._rate(rate)

    def _var(self, key: Key, low: float, high: float | None, cost: float = 0.0) -> int:
        self.lower.append(low)
        self.upper.append(high)
        self.cost.append(cost)
        self.owner.append(key)
        return len(self.lower) - 1

    def _movable(self, key: Key, floor: int | None, cost: float) -> tuple[int, int]:
        up = self._var(key, 0.0, None, cost)
        down = self._var(key, 0.0, None if floor is None else float(floor), cost)
        self.moves[key] = (up, down)
        return up, down

    def _combine(self, parts: Sequence[tuple[float, Expr]]) -> Expr:
        const, terms = 0.0, dict[int, float]()
        for coef, (c, ts) in parts:
            const += coef * c
            for i, a in ts.items():
                terms[i] = terms.get(i, 0.0) + coef * a
        return const, terms

    def _row(
        self, rows: list[tuple[dict[int, float], float]], parts: list[tuple[float, Key]], rhs: float
    ) -> None:
        const, terms = self._combine([(c, self.value[k]) for c, k in parts])
        if terms:
            rows.append((terms, rhs - const))

    def _rate(self, rate: Rate) -> None:
        table = self.published.table
        den = table.denominator(rate)
        num = self.shown[rate.numerator]
        d = (float(den), {}) if isinstance(rate.denominator, int) else self.shown[rate.denominator]
        if den == 0 or not (num[1] or d[1]):
            return  # nothing unknown in it
        published = rate_value(table.cells[rate.numerator], den, rate.scale, rate.places)
        if isinstance(rate.denominator, int):
            lo, hi = rate_interval(published, den, rate.scale, rate.places)
            parts: list[tuple[list[tuple[float, Expr]], float]] = [
                ([(1.0, num)], float(hi)),
                ([(-1.0, num)], float(-lo)),
            ]
        else:
            # (R - h) d <= scale n < (R + h) d. In whole numbers the strict bound is
            # scale n <= (R + h) d - h, as 2 x 10^places x both sides are whole numbers.
            low, high = rate_bounds(published, rate.scale, rate.places)
            strict = Fraction(1, 2 * 10**rate.places) / rate.scale
            parts = [
                ([(1.0, num), (-float(high), d)], -float(strict)),
                ([(-1.0, num), (float(low), d)], 0.0),
            ]
        for combo, rhs in parts:
            const, terms = self._combine(combo)
            if terms:
                self.ub.append((terms, rhs - const))

    @cached_property
    def _constraints(self) -> Any:
        """Every row as one `LinearConstraint` (dense when small, sparse when large)."""
        import numpy as np
        from scipy.optimize import LinearConstraint
        from scipy.sparse import csr_array

        rows = self.eq + self.ub
        if not rows:
            return []
        n = len(self.lower)
        rhs = np.array([b for _, b in rows])
        low = np.concatenate([rhs[: len(self.eq)], np.full(len(self.ub), -np.inf)])
        matrix: Any
        if len(rows) * n <= DENSE_UP_TO:
            matrix = np.zeros((len(rows), n))
            for r, (terms, _) in enumerate(rows):
                for i, a in terms.items():
                    matrix[r, i] = a
        else:
            data, ri, ci = [], [], []
            for r, (terms, _) in enumerate(rows):
                for i, a in terms.items():
                    ri.append(r)
                    ci.append(i)
                    data.append(a)
            matrix = csr_array((data, (ri, ci)), shape=(len(rows), n))
        return [LinearConstraint(matrix, low, rhs)]

    def solve(
        self,
        objective: Mapping[int, float],
        bounds: Mapping[int, tuple[float, float | None]],
        *,
        whole: bool = False,
    ) -> Any:
        """scipy's result for minimising `objective`, some variables' bounds replaced.

        A linear program (`milp` with no whole-number variables: HiGHS's simplex, with less
        overhead than `linprog`), or with `whole` every variable a whole number. Status 0:
        optimal, 2: infeasible, 3: unbounded.
        """
        import numpy as np
        from scipy.optimize import Bounds, milp

        c = np.zeros(len(self.lower))
        for i, a in objective.items():
            c[i] += a
        low = np.array(self.lower)
        high = np.array([np.inf if h is None else h for h in self.upper])
        for i, (lo, hi) in bounds.items():
            low[i], high[i] = lo, np.inf if hi is None else hi
        if not whole:
            return milp(c, constraints=self._constraints, bounds=Bounds(low, high))
        return milp(
            c,
            constraints=self._constraints,
            bounds=Bounds(low, high),
            integrality=np.ones(len(c), dtype=np.int64),
            options={"mip_rel_gap": 0.0},
        )

    @cached_property
    def held(self) -> Program:
        """The same program with shown rounded counts held at their true values."""
        return Program(self.published, self.comp, self.costs, self.moved_cost, slack=False)

    def extreme(self, key: Key, *, minimise: bool) -> float:
        """The least (or greatest) value of cell `key` that whole-number counts can take.

        Solved as a linear program. When its optimum is at a point that is not whole
        numbers (shown rates and rounded counts can do that), the program with rounded
        counts `held` at their true values is tried: if it reaches the same value at a
        whole-number point, that is the answer; otherwise the bound is solved again in
        whole numbers (an integer program, slower).
        """
        import numpy as np

        const, terms = self.value[key]
        if not terms:
            return const
        sign = 1.0 if minimise else -1.0
        result = self.solve({i: sign * a for i, a in terms.items()}, {})
        if result.status == 3:  # unbounded
            return -math.inf if minimise else math.inf
        if result.status != 0:
            raise RuntimeError(f"disclosure audit: the linear program failed: {result.message}")
        best = const + sign * result.fun
        if _whole(result.x):
            return float(best)
        if self.slack:
            h_const, h_terms = self.held.value[key]
            h_best, x = h_const, np.zeros(0)
            if h_terms:
                h_result = self.held.solve({i: sign * a for i, a in h_terms.items()}, {})
                if h_result.status == 0:
                    h_best, x = h_const + sign * h_result.fun, h_result.x
            if abs(h_best - best) <= TOL and _whole(x):
                return float(best)
        result = self.solve({i: sign * a for i, a in terms.items()}, {}, whole=True)
        if result.status != 0:
            raise RuntimeError(f"disclosure audit: the integer program failed: {result.message}")
        return float(const + sign * result.fun)

    def witness(self, key: Key, direction: str, *, whole: bool = False) -> Witness | None:
        """The cheapest change of the table that moves `key` by the margin in `direction`.

        The change is consistent with everything published once the cells it moves are
        suppressed. None when no change can move `key` that far (it cannot be protected).
        Over real numbers, or with `whole` over whole numbers (slower, exact).
        """
        table, t = self.published.table, self.published.thresholds
        v = table.cells[key]
        up, down = self.moves[key]
        if direction == UP:
            bounds = {up: (float(t.suppress_max), None), down: (0.0, 0.0)}
        else:
            bounds = {up: (0.0, 0.0), down: (float(min(v, t.suppress_max)), float(v))}
        result = self.solve(dict(enumerate(self.cost)), bounds, whole=whole)
        if result.status == 2:  # infeasible
            return None
        if result.status != 0:
            raise RuntimeError(f"disclosure: the linear program failed: {result.message}")

        moved: set[Key] = set()
        support: set[Key] = set()
        moving = {i for pair in self.moves.values() for i in pair}
        for i, x in enumerate(result.x):
            owner = self.owner[i]
            if i in moving and x > TOL:
                moved.add(owner)
            elif i not in moving and abs(x - table.cells[owner]) > TOL:
                support.add(owner)  # a rounded cell, moved within its interval
        return Witness(frozenset(moved), frozenset(moved | support), _whole(result.x))


def _whole(x: Any) -> bool:
    """True when every value of the array `x` is a whole number."""
    import numpy as np

    return bool(np.abs(x - np.round(x)).max(initial=0.0) <= TOL)


@dataclass(frozen=True)
class Witness:
    """A change of a table that keeps it consistent with what is published."""

    moved: frozenset[Key]  # cells whose value moved (suppressed, or to suppress)
    support: frozenset[Key]  # those and the rounded cells moved within their interval
    whole: bool  # whole numbers: a change the true, whole-number counts can make
