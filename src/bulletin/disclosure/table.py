"""Disclosure: the table model (cells, additivity, rates, rounding) and the published view.

A `Table` holds the true counts of one table to publish:

- `cells`: `{(row, column): count}`, whole numbers of at least 0.
- `relations`: the additivity constraints, each a `Relation(total, parts)` saying
  `cells[total] == sum(cells[p] for p in parts)`. Margins, subtotals and a geography
  hierarchy are all relations; a total may be split more than one way (London is the sum
  of its boroughs, and also of Inner and Outer London). The table checks every relation
  holds and reports all that do not.
- `rates`: `Rate(key, numerator, denominator, scale, places)`, a percentage (`scale` 100)
  or a rate (`scale` 10,000) of a cell over either a public whole number (a population)
  or another cell.
- `rounded`: the cells published rounded to the nearest 10 (see `rules.rounds`).

`grid_table(values, row_relations, column_relations, levels=..., counted=...)` builds a
table from a rows x columns grid, crossing row relations (a geography hierarchy, from
`england_hierarchy`) with column relations (categories and their total), and marks the
rounded cells from the level of each row and what each column counts.

`ProtectedTable` is what gets published: the table, the thresholds, the suppressed cells
and the hidden rates. `ProtectedTable.count(key)` and `.rate(key)` give `Measure`s
(`Symbol.SUPPRESSED` for suppressed values, rounded values where the rules say) for
tables and render. `ProtectedTable.of(table, suppressed, t)` applies the rate rules to a
chosen set of suppressed cells; `protect` (secondary suppression) returns one, and
`audit` checks one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from bulletin.core.measure import Measure, Unit
from bulletin.core.settings import Disclosure
from bulletin.core.symbols import Symbol
from bulletin.disclosure.rules import (
    PERCENT,
    Counted,
    Level,
    is_primary,
    rate_hidden,
    rate_measure,
    rate_value,
    rounded,
    rounds,
)

Key = tuple[str, str]
"""A cell's (row, column)."""

ENGLAND, LONDON, INNER_LONDON, OUTER_LONDON = "England", "London", "Inner London", "Outer London"


class TableError(ValueError):
    """A table that is not what it says: a relation that does not add up, a missing cell."""


@dataclass(frozen=True)
class Relation:
    """An additivity constraint: the `total` cell is the sum of the `parts` cells."""

    total: Key
    parts: tuple[Key, ...]


@dataclass(frozen=True)
class Rate:
    """A percentage or rate shown in the table: `scale` x numerator / denominator.

    `denominator` is a public whole number (such as a population) or the key of a cell.
    """

    key: Key
    numerator: Key
    denominator: int | Key
    scale: int
    places: int = 1

    @property
    def cells(self) -> tuple[Key, ...]:
        """The cells the rate is computed from."""
        den = self.denominator
        return (self.numerator,) if isinstance(den, int) else (self.numerator, den)


@dataclass(frozen=True)
class Table:
    """The true counts of one table, with what ties them together (see the module doc)."""

    cells: Mapping[Key, int]
    relations: tuple[Relation, ...] = ()
    rates: tuple[Rate, ...] = ()
    rounded: frozenset[Key] = frozenset()

    def __post_init__(self) -> None:
        problems: list[str] = []
        for key, value in self.cells.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.append(f"cell {key}: a count must be a whole number >= 0, got {value!r}")
        for rel in self.relations:
            missing = [k for k in (rel.total, *rel.parts) if k not in self.cells]
            if missing:
                problems.append(f"relation for {rel.total}: no cell {missing[0]}")
                continue
            total = sum(self.cells[p] for p in rel.parts)
            if total != self.cells[rel.total]:
                problems.append(
                    f"relation for {rel.total}: the parts sum to {total}, "
                    f"the total is {self.cells[rel.total]}"
                )
        seen: set[Key] = set()
        for rate in self.rates:
            if rate.key in seen:
                problems.append(f"rate {rate.key}: defined twice")
            seen.add(rate.key)
            if rate.numerator not in self.cells:
                problems.append(f"rate {rate.key}: no numerator cell {rate.numerator}")
            den = rate.denominator
            if isinstance(den, int):
                if den < 0:
                    problems.append(f"rate {rate.key}: negative denominator {den}")
            elif den not in self.cells:
                problems.append(f"rate {rate.key}: no denominator cell {den}")
        problems += [
            f"rounded cell {k}: not in the table" for k in sorted(self.rounded - set(self.cells))
        ]
        if problems:
            raise TableError("\n".join(problems))

    def denominator(self, rate: Rate) -> int:
        """The value of a rate's denominator."""
        den = rate.denominator
        return den if isinstance(den, int) else self.cells[den]

    @cached_property
    def rate_by_key(self) -> dict[Key, Rate]:
        return {r.key: r for r in self.rates}

    @cached_property
    def totals(self) -> frozenset[Key]:
        """The cells that are the total of a relation (margins, subtotals, parent areas)."""
        return frozenset(rel.total for rel in self.relations)

    @cached_property
    def components(self) -> tuple[Component, ...]:
        """The cells in groups that no relation or rate links: each is protected alone."""
        parent = {k: k for k in self.cells}

        def find(k: Key) -> Key:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def join(keys: Iterable[Key]) -> None:
            roots = [find(k) for k in keys]
            for r in roots[1:]:
                parent[find(r)] = find(roots[0])

        for rel in self.relations:
            join((rel.total, *rel.parts))
        for rate in self.rates:
            join(rate.cells)
        groups: dict[Key, list[Key]] = {}
        for k in sorted(self.cells):
            groups.setdefault(find(k), []).append(k)
        relations: dict[Key, list[Relation]] = {}
        for rel in self.relations:
            relations.setdefault(find(rel.total), []).append(rel)
        rates: dict[Key, list[Rate]] = {}
        for rate in self.rates:
            rates.setdefault(find(rate.numerator), []).append(rate)
        return tuple(
            Component(tuple(cells), tuple(relations.get(root, ())), tuple(rates.get(root, ())))
            for root, cells in sorted(groups.items(), key=lambda item: item[1])
        )


@dataclass(frozen=True)
class Component:
    """Cells that relations or rates link, with those relations and rates."""

    cells: tuple[Key, ...]
    relations: tuple[Relation, ...]
    rates: tuple[Rate, ...]


def grid_table(
    values: Mapping[Key, int],
    row_relations: Sequence[tuple[str, Sequence[str]]] = (),
    column_relations: Sequence[tuple[str, Sequence[str]]] = (),
    *,
    levels: Mapping[str, Level] | Level = Level.LOCAL_AUTHORITY,
    counted: Mapping[str, Counted] | Counted = Counted.CHILDREN,
    rates: Sequence[Rate] = (),
) -> Table:
    """A rows x columns table whose relations cross `row_relations` with `column_relations`.

    Each row relation `(total_row, part_rows)` holds in every column that has those cells,
    and each column relation `(total_column, part_columns)` in every row. `levels` gives each
    row's geographic level and `counted` what each column counts: together they decide
    which cells are published rounded (`rules.rounds`).
    """
    rows = sorted({r for r, _ in values})
    cols = sorted({c for _, c in values})
    relations: list[Relation] = []
    for total, parts in row_relations:
        for c in cols:
            relations.append(Relation((total, c), tuple((p, c) for p in parts)))
    for total, parts in column_relations:
        for r in rows:
            relations.append(Relation((r, total), tuple((r, p) for p in parts)))
    relations = [rel for rel in relations if all(k in values for k in (rel.total, *rel.parts))]

    def level(row: str) -> Level:
        return levels if isinstance(levels, Level) else levels[row]

    def what(col: str) -> Counted:
        return counted if isinstance(counted, Counted) else counted[col]

    marked = frozenset(k for k in values if rounds(level(k[0]), what(k[1])))
    return Table(dict(values), tuple(relations), tuple(rates), marked)


def england_hierarchy(
    region_of: Mapping[str, str],
) -> tuple[list[tuple[str, list[str]]], dict[str, Level]]:
    """Row relations and levels for England > region > local authority.

    `region_of` maps each local authority's row label to its region's, with London's
    boroughs mapped to "Inner London" or "Outer London" (as the children in need files
    do). The relations: England is the sum of the 9 regions (London once); London is the
    sum of Inner and Outer London; each region, Inner London and Outer London is the sum of
    its authorities (so London is also the sum of all its boroughs).
    """
    members: dict[str, list[str]] = {}
    for la in sorted(region_of):
        members.setdefault(region_of[la], []).append(la)
    london_parts = [r for r in (INNER_LONDON, OUTER_LONDON) if r in members]
    london = [LONDON] if london_parts else []
    regions = sorted({r for r in members if r not in london_parts} | set(london))
    relations: list[tuple[str, list[str]]] = [(ENGLAND, regions)]
    relations += [(LONDON, london_parts)] if london else []
    relations += [(region, members[region]) for region in sorted(members)]
    levels = {ENGLAND: Level.NATIONAL} | dict.fromkeys(london, Level.REGIONAL)
    levels |= dict.fromkeys(members, Level.REGIONAL)
    levels |= dict.fromkeys(region_of, Level.LOCAL_AUTHORITY)
    return relations, levels


@dataclass(frozen=True)
class ProtectedTable:
    """A table as published: which cells are suppressed and which rates are hidden."""

    table: Table
    thresholds: Disclosure
    suppressed: frozenset[Key]
    hidden_rates: frozenset[Key] = field(default_factory=frozenset)

    @classmethod
    def of(cls, table: Table, suppressed: Iterable[Key], t: Disclosure) -> ProtectedTable:
        """Publish `table` with `suppressed` cells, hiding the rates the rules hide."""
        hidden = frozenset(suppressed)
        return cls(table, t, hidden, hidden_rates_for(table, hidden, t))

    @property
    def primary(self) -> frozenset[Key]:
        """Suppressed cells whose own value is 1 to 5."""
        cells = self.table.cells
        return frozenset(k for k in self.suppressed if is_primary(cells[k], self.thresholds))

    @property
    def secondary(self) -> frozenset[Key]:
        """Cells suppressed only so that the primary cells cannot be worked out."""
        return self.suppressed - self.primary

    def published(self, key: Key) -> int | None:
        """The number printed in a cell (rounded where the rules say); None if suppressed."""
        if key in self.suppressed:
            return None
        value = self.table.cells[key]
        return rounded(value, self.thresholds) if key in self.table.rounded else value

    def rate_published(self, key: Key) -> Decimal | None:
        """A rate's printed value (to its places, halves up); None if hidden or undefined."""
        rate = self.table.rate_by_key[key]
        den = self.table.denominator(rate)
        if key in self.hidden_rates or den == 0:
            return None
        return rate_value(self.table.cells[rate.numerator], den, rate.scale, rate.places)

    def count(self, key: Key) -> Measure:
        """A cell as a `Measure`: the published count, or `c`."""
        shown = self.published(key)
        if shown is None:
            return Measure.hidden(Symbol.SUPPRESSED, Unit.COUNT)
        return Measure.count(shown)

    def rate(self, key: Key) -> Measure:
        """A rate as a `Measure` (a `SHARE` for a percentage): its value, `c` or `z`."""
        rate = self.table.rate_by_key[key]
        den = self.table.denominator(rate)
        if key in self.hidden_rates and den != 0:
            unit = Unit.SHARE if rate.scale == PERCENT else Unit.RATE
            return Measure.hidden(Symbol.SUPPRESSED, unit)
        return rate_measure(
            self.table.cells[rate.numerator],
            den,
            self.thresholds,
            scale=rate.scale,
            places=rate.places,
            numerator_suppressed=False,
        )


def hidden_rates_for(table: Table, suppressed: frozenset[Key], t: Disclosure) -> frozenset[Key]:
    """The rates to hide when `suppressed` cells are suppressed (`rules.rate_hidden`)."""
    return frozenset(
        rate.key
        for rate in table.rates
        if rate_hidden(
            table.denominator(rate),
            t,
            numerator_suppressed=rate.numerator in suppressed,
            denominator_suppressed=not isinstance(rate.denominator, int)
            and rate.denominator in suppressed,
        )
    )
