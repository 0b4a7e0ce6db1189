"""Core: where a published number comes from (DESIGN.md decision 12).

Every number a publication prints is a `Sourced`: a stable id, the `Measure` itself, and
its `Source`, one of three kinds:

- ``findings``: computed from the linked data by a findings section, through registered
  queries (``section``, ``query``; for a table cell also ``table``, ``row`` and ``column``);
- ``file``: printed from a real published file, exactly (``file`` relative to the public
  data folder, ``row`` as a spreadsheet numbers it, the header being row 1, ``column``);
- ``fact``: a sourced fact of the facts file (``fact``, with the fact's ``reference`` and
  ``page``);
- ``release``: a number as a previous release printed it, or its change since then (``file``:
  that release's numbers manifest; ``reference``: the release, by title and date).

The numbers manifest (`numbers.json`), the diff and the accessible formats read these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bulletin.core.measure import Measure


class Kind(StrEnum):
    FINDINGS = "findings"
    FILE = "file"
    FACT = "fact"
    RELEASE = "release"


@dataclass(frozen=True)
class Source:
    kind: Kind
    section: str = ""  # findings: the findings section (prevalence, schools...)
    query: str = ""  # findings: the registered queries, comma-separated
    table: str = ""  # findings or file: the table a cell belongs to
    file: str = ""  # file: relative to the public data folder
    row: int | str | None = None  # file: its row number; findings table: the row's key
    column: str = ""  # file or table: the column
    fact: str = ""  # fact: its id in the facts file
    reference: str = ""  # fact: its source; file: the release it comes from
    page: str = ""  # fact: the page it comes from

    def as_dict(self) -> dict[str, Any]:
        """The fields that apply, for JSON (empty ones left out)."""
        return {
            key: value
            for key, value in (
                ("kind", self.kind.value),
                ("section", self.section),
                ("query", self.query),
                ("table", self.table),
                ("file", self.file),
                ("row", self.row),
                ("column", self.column),
                ("fact", self.fact),
                ("reference", self.reference),
                ("page", self.page),
            )
            if value not in ("", None)
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        fields = {k: v for k, v in data.items() if k != "kind"}
        return cls(Kind(data["kind"]), **fields)


@dataclass(frozen=True)
class Sourced:
    """One number a publication may print: its id, its measure and where it comes from."""

    id: str
    measure: Measure
    source: Source

    def __post_init__(self) -> None:
        if not self.id or any(c.isspace() or c in "\"'<>&" for c in self.id):
            raise ValueError(
                f"a measure id must be non-empty, with no spaces or markup: {self.id!r}"
            )
