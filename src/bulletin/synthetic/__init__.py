"""Synthetic (beside data): the seeded generator of a synthetic national linked population.

Used only by the CLI, the pipeline's default-data step and the fit script; an
import-linter contract forbids findings, tables, charts, render and qa to import it.

`generate()` writes an extract in exactly the documented format (`core.schema`) into a
folder, plus generator-only files under `_generator/` (the full population of children,
linked or not) that only the fit script reads. Vectorised throughout: arrays over
children, one census year at a time; no per-child Python loops.

The modules, in the order the generator runs: `params` (the parameters file), `streams`
(one random stream per component), `population`, `traits`, `schools`, `socialcare`
(gathered by `world`), then `census`, `absence` and `outcomes` one census year at a time,
written by `extract` with `linking`, `care_tables`, `outcome_tables` and `writer`.
"""

from __future__ import annotations

from bulletin.synthetic.extract import GENERATOR_VERSION, Summary, generate
from bulletin.synthetic.world import World, build_world
from bulletin.synthetic.writer import GENERATOR_ONLY

__all__ = ["GENERATOR_ONLY", "GENERATOR_VERSION", "Summary", "World", "build_world", "generate"]
