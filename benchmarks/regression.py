"""Benchmark: the regression of B7 and B8 (`bulletin.findings.regression`) on a national-scale
extract: the time and peak memory of each step, and what it estimates.

    .venv/bin/bulletin synthetic --scale 1 --out /tmp/national      # once: about 2 minutes
    .venv/bin/python -m benchmarks.regression --linked-data /tmp/national

The thread counts are the settings' (as in a build); the libraries are imported before
the clocks start. Steps, one after the other in this process: the cohort query (Ibis on
DuckDB, to a pandas frame), the design matrix, the logistic regression (statsmodels) and
the RRs with their delta-method intervals; then the published findings (`findings_of`: the
same again, with disclosure control). For each step: wall and CPU seconds, the peak of
memory allocated through Python's allocators while it ran (`tracemalloc`: numpy and pandas
buffers included; not for the query, whose data is DuckDB's own), and the process's peak
resident memory so far (`getrusage`). Then, per group: pupils and passes in
the model, the raw pass rate, RR with its 95% interval, the odds ratio with its, and, when
the extract holds the generator's own record of its model (`_generator/`), the RR of the
generator's noise-free probabilities over the same pupils (what the estimate should find);
and B7 and B8 as published, through their formatters.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def step(name: str, fn: Callable[[], T], *, traced: bool = True) -> T:
    """Run `fn`, printing its wall and CPU seconds, its peak of traced memory (`traced`:
    not for the query, whose Python work is many small objects and whose data is DuckDB's)
    and the process's peak resident memory so far."""
    if traced:
        tracemalloc.start()
    wall, cpu = time.perf_counter(), _cpu()
    result = fn()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    memory = ""
    if traced:
        memory = f"peak traced {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MB; "
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{name:<26} {wall:7.2f} s wall {cpu:7.2f} s CPU; {memory}peak RSS {rss:,.0f} MB")
    return result


def generator_truth(folder: Path, model: Any) -> dict[str, float]:
    """The RR of each group on the generator's noise-free probabilities: its pass log-odds
    are `base` plus the group's effect (parameters [outcomes.ks4] care), so RR_g =
    mean(sigma(base + effect_g)) / mean(sigma(base)) over the pupils in the model."""
    import numpy as np
    import pandas as pd

    from bulletin.synthetic.params import load_parameters

    record = folder / "_generator" / "ks4_2018_model.parquet"
    if not record.exists():
        return {}
    care = load_parameters()["outcomes"]["ks4"]["care"]
    record_base = pd.read_parquet(record, columns=["child_id", "base"])
    base = record_base.set_index("child_id")["base"].reindex(model["child_id"]).to_numpy()
    never = float(np.mean(1 / (1 + np.exp(-base))))
    return {
        g: float(np.mean(1 / (1 + np.exp(-(base + float(care[g.lower()])))))) / never
        for g in ("PREV", "CINO", "CPPO", "CLA")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--linked-data", type=Path, required=True)
    args = parser.parse_args()

    from bulletin.core.settings import load_settings
    from bulletin.pipeline import fix_environment

    settings = load_settings(ROOT)
    fix_environment(settings)  # BLAS threads as in a build, before numpy is imported

    # the libraries the steps use, imported before the clocks start
    import ibis  # noqa: F401
    import scipy.special  # noqa: F401
    import statsmodels.discrete.discrete_model  # noqa: F401

    from bulletin.core.formatting import similar_likelihood, up_to_pct_less_likely
    from bulletin.data.facts import load_facts, whole_number
    from bulletin.data.linked import load
    from bulletin.findings import regression
    from bulletin.findings.linked import Params, connect
    from bulletin.findings.publish import cell

    children = whole_number(load_facts(settings.paths.public_data), "children_in_window")
    first, last = settings.publication("data-and-analysis").years()
    params = Params(settings.disclosure, children, first, last)
    print(f"threads: {settings.threads}; extract: {args.linked_data}")
    start = time.perf_counter()
    with load(args.linked_data, settings.threads) as data:
        linked = connect(data)
        frame = step(
            "cohort query (DuckDB)", lambda: regression.cohort_frame(linked, params), traced=False
        )
    model = frame[frame["prior"].notna() & frame["in_census"].astype(bool)]
    print(
        f"cohort {len(frame):,}; without key stage 2 {int(frame['prior'].isna().sum()):,}; "
        f"in the model {len(model):,}"
    )
    design = step("design matrix", lambda: regression.design_matrix(model))
    print(
        f"design matrix: {design.x.shape[0]:,} x {design.x.shape[1]} "
        f"({design.x.nbytes / 2**20:.0f} MB)"
    )
    fit = step("logistic regression", lambda: regression.fit_logit(design))
    estimates = step("RR and delta intervals", lambda: regression.relative_likelihoods(design, fit))
    found = step("published (findings_of)", lambda: regression.findings_of(frame, params))
    total = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'total':<28} {total:7.2f} s wall; peak resident memory {peak:,.0f} MB")

    truth = generator_truth(args.linked_data, model)
    sizes = model["group"].value_counts()
    rates = model.groupby("group")["passed"].mean()
    print(
        "\ngroup      pupils  pass rate     RR (95% CI)            OR (95% CI)        generator RR"
    )
    for g in regression.GROUPS:
        line = f"{g:<7} {int(sizes.get(g, 0)):>9,}  {rates.get(g, float('nan')):9.3f}"
        if g in estimates:
            e = estimates[g]
            line += (
                f"   {e.rr:.3f} ({e.rr_low:.3f} to {e.rr_high:.3f})"
                f"   {e.odds:.3f} ({e.odds_low:.3f} to {e.odds_high:.3f})"
            )
            if g in truth:
                line += f"   {truth[g]:.3f}"
        print(line)
    rr = {g: found.estimates[g]["rr"] for g in ("CLA", "CINO", "CPPO")}
    print(f"\nB7 = {cell(found.b7)}: {up_to_pct_less_likely(found.b7)}")
    print(f"B8 = {cell(found.b8)}: {similar_likelihood(rr['CLA'], rr['CINO'], rr['CPPO'])}")
    print("published table:")
    print(found.table.frame.map(lambda m: m if isinstance(m, str) else cell(m)).to_string())


if __name__ == "__main__":
    main()
