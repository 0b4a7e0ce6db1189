"""Data: the linked pupil-level extract: validate it, open it, and document its specification.

`validate(folder, public_data)` checks an extract and returns a `ValidationReport` with
every problem; `load(folder)` opens a validated extract as typed DuckDB views;
`specification_markdown()` writes `docs/linked-data.md` from the schema and the checks.
"""

from __future__ import annotations

from bulletin.data.linked.checks import CAP, CHECKS, Check
from bulletin.data.linked.load import LinkedData, load
from bulletin.data.linked.spec import DOC_PATH, specification_markdown
from bulletin.data.linked.validate import ValidationReport, validate

__all__ = [
    "CAP",
    "CHECKS",
    "DOC_PATH",
    "Check",
    "LinkedData",
    "ValidationReport",
    "load",
    "specification_markdown",
    "validate",
]
