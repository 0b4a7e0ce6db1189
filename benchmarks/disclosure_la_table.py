"""Benchmark: protect and audit a local authority table the size of the real B1 file.

The table: the 152 local authorities of the 2018 B1 file (release 2023), their 9 regions,
Inner and Outer London and England, by six count columns of the file:

- children in need at any point = started in the year + open at the start (the file's
  Anypoint_child and Started_child; the second part is their difference), a margin;
- Ended_child, At31_episodes, Awaiting_assessment (suppressed cells in the file become
  small counts);

with rates per 10,000 children on the public mid-2017 population for the at-any-point,
started and at-31-March columns. National and regional rows are totals of the
authorities, published rounded to 10. Small counts (1 to 5) are injected into a seeded
sample of authority cells so that suppression triggers.

Run: .venv/bin/python benchmarks/disclosure_la_table.py [--share 0.05] [--seed 20190618]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

from bulletin.core.settings import load_settings
from bulletin.disclosure import (
    PER_10000,
    Counted,
    Rate,
    Table,
    audit,
    england_hierarchy,
    grid_table,
    protect,
)

ROOT = Path(__file__).resolve().parents[1]
B1 = "cin_characteristics/release_2023/b1_children_in_need_2013_to_2023.csv"
POPULATION = "population/ons_mid-year_population_estimates_2012_to_2024.csv"
PARTS = ("started", "open_at_start")
COLUMNS = ("any_point", *PARTS, "ended", "at_31_march", "awaiting_assessment")
COUNTED = dict.fromkeys(COLUMNS, Counted.CHILDREN) | {"at_31_march": Counted.EPISODES}
RATE_COLUMNS = ("any_point", "started", "at_31_march")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def build(public: Path, share: float, seed: int) -> tuple[Table, int]:
    rows = [r for r in read(public / B1) if r["time_period"] == "2018"]
    las = [r for r in rows if r["geographic_level"] == "Local authority"]
    rng = random.Random(seed)
    values: dict[tuple[str, str], int] = {}
    injected = 0
    for r in las:
        la = r["la_name"]
        file = {
            "any_point": r["Anypoint_child"],
            "started": r["Started_child"],
            "ended": r["Ended_child"],
            "at_31_march": r["At31_episodes"],
            "awaiting_assessment": r["Awaiting_assessment"],
        }
        cells = {c: int(v) if v.isdigit() else rng.randint(1, 5) for c, v in file.items()}
        cells["open_at_start"] = cells.pop("any_point") - cells["started"]
        for column in ("started", "open_at_start", "ended", "awaiting_assessment"):
            if rng.random() < share:
                cells[column] = rng.randint(1, 5)
                injected += 1
        cells["any_point"] = cells["started"] + cells["open_at_start"]
        values |= {(la, c): v for c, v in cells.items()}
    region_of = {r["la_name"]: r["region_name"] for r in las}
    relations, levels = england_hierarchy(region_of)
    parts = dict(relations)

    def total(row: str, column: str) -> int:
        if row in region_of:
            return values[row, column]
        return sum(total(p, column) for p in parts[row])

    for row in levels:
        for column in COLUMNS:
            values[row, column] = total(row, column)

    code = {r["la_name"]: r["new_la_code"] for r in las}
    code |= {
        r["region_name"]: r["region_code"] for r in rows if r["geographic_level"] == "Regional"
    }
    code["England"] = "E92000001"
    population = {
        r["new_la_code"] or r["region_code"] or r["country_code"]: int(r["population_estimate"])
        for r in read(public / POPULATION)
        if r["time_period"] == "2017" and r["population_estimate"].isdigit()
    }
    rates = [
        Rate((row, f"{column}_rate"), (row, column), population[code[row]], PER_10000)
        for row in levels
        for column in RATE_COLUMNS
        if code.get(row) in population
    ]
    table = grid_table(
        values,
        relations,
        [("any_point", list(PARTS))],
        levels=levels,
        counted=COUNTED,
        rates=rates,
    )
    return table, injected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--share", type=float, default=0.05, help="share of cells made 1 to 5")
    parser.add_argument("--seed", type=int, default=20190618)
    args = parser.parse_args()
    settings = load_settings(ROOT)
    table, injected = build(settings.paths.public_data, args.share, args.seed)
    rows = {r for r, _ in table.cells}
    print(
        f"table: {len(rows)} rows x {len(COLUMNS)} columns = {len(table.cells)} cells, "
        f"{len(table.relations)} relations, {len(table.rates)} rates, "
        f"{len(table.rounded)} rounded cells, {len(table.components)} linked groups; "
        f"{injected} small counts injected"
    )
    import scipy.optimize  # noqa: F401  (imported before timing: not part of the work)

    start = time.perf_counter()
    published = protect(table, settings.disclosure)
    protected = time.perf_counter()
    result = audit(published)
    audited = time.perf_counter()
    print(
        f"protect: {protected - start:.2f} s: {len(published.primary)} primary, "
        f"{len(published.secondary)} complementary cells suppressed, "
        f"{len(published.hidden_rates)} rates hidden"
    )
    print(f"audit:   {audited - protected:.2f} s: {result}")
    print(f"total:   {audited - start:.2f} s")
    if not result.passes:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
