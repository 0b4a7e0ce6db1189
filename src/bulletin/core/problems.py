"""Core: problems with inputs, located by file, row and column, reported all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located precisely.

    `row` counts as a spreadsheet does (a CSV header is row 1); None when the problem is
    with the whole file or column.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    blocking: bool = True  # False: a warning, reported but not stopping the build

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        kind = "" if self.blocking else "warning: "
        return f"{', '.join(where)}: {kind}{self.message}"


class InputError(Exception):
    """Bad input: carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=_order))
        super().__init__("\n".join(str(p) for p in self.problems))


def _order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, -1 if p.row is None else p.row, p.column or "", p.message)
