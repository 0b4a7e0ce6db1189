"""Benchmark (disclosure): secondary suppression on generated tables, against the reference.

    .venv/bin/python -m benchmarks.disclosure_generated [--examples 220]

The tables of tests/disclosure/test_generated.py (England > 2 or 3 regions > 4 or 5
authorities, 4 categories and their total, shares of the row total; a fifth of the
authority cells 1 to 5), drawn by Hypothesis with a fixed seed: for each, `protect` and
the simple reference method of tests/disclosure/reference.py. Prints the cells each
suppressed in all (primary cells included), how many of them are totals, whether every
table passed the audit, and the time `protect` took.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from hypothesis import HealthCheck, given, settings
from tests.disclosure.reference import reference_protect
from tests.disclosure.test_generated import tables

from bulletin.core.settings import Disclosure
from bulletin.disclosure import Table, audit, protect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=220, help="tables to generate")
    args = parser.parse_args()
    t = Disclosure()
    found: dict[str, Any] = dict.fromkeys(("tables", "cells", "totals", "ref_cells"), 0)
    found |= {"ref_totals": 0, "failed": 0, "seconds": 0.0}

    @settings(
        max_examples=args.examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(tables())
    def run(table: Table) -> None:
        start = time.perf_counter()
        published = protect(table, t)
        found["seconds"] += time.perf_counter() - start
        found["failed"] += not audit(published).passes
        reference = reference_protect(table, t)
        found["tables"] += 1
        found["cells"] += len(published.suppressed)
        found["totals"] += len(published.suppressed & table.totals)
        found["ref_cells"] += len(reference.suppressed)
        found["ref_totals"] += len(reference.suppressed & table.totals)

    run()
    print(
        f"{found['tables']} tables: protect suppressed {found['cells']} cells "
        f"({found['totals']} of them totals), the reference {found['ref_cells']} "
        f"({found['ref_totals']} totals); {found['failed']} failed the audit; protect took "
        f"{found['seconds']:.1f} s"
    )


if __name__ == "__main__":
    main()
