"""Synthetic (beside data): the seeded generator of a synthetic national linked population.

Used only by the CLI, the pipeline's default-data step and the fit script; an
import-linter contract forbids findings, tables, charts, render and qa to import it.
"""
