"""Core: problems with inputs, located by file, row and column, reported all at once.

A value quoted in a message is cut to `QUOTE_LIMIT` characters (`shown`), and a message
is printed at most `MESSAGE_LIMIT` characters long, whatever made it. `printed` caps what
a terminal shows: the first `PRINT_CAP` problems of each file and kind, then "and N
more"; the whole list goes to a report file (`report_text`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

QUOTE_LIMIT = 80  # characters of a value quoted in a message
MESSAGE_LIMIT = 400  # characters of a printed message
PRINT_CAP = 20  # problems printed per file and kind
_KIND = re.compile(r"'(?:[^'\\]|\\.)*'|-?\d[\d,.]*")


def shown(value: str) -> str:
    """`value` quoted for a message (as `repr` does), cut to QUOTE_LIMIT characters."""
    if len(value) > QUOTE_LIMIT:
        value = value[: QUOTE_LIMIT - 1] + "\u2026"
    return repr(value)


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
            where.append(f"column {_cut(self.column, QUOTE_LIMIT)}")
        kind = "" if self.blocking else "warning: "
        return f"{', '.join(where)}: {kind}{_cut(self.message)}"

    @property
    def kind(self) -> str:
        """What the problem is, without its values: problems of one kind in one file are
        printed up to PRINT_CAP times."""
        return _KIND.sub("_", self.message)


class InputError(Exception):
    """Bad input: carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=_order))
        super().__init__("\n".join(str(p) for p in self.problems))


def printed(problems: Sequence[Problem], cap: int = PRINT_CAP) -> list[str]:
    """The lines a terminal shows: at most `cap` problems of each file and kind, in order,
    then one line per cut group saying how many more there are."""
    counts = Counter((p.file, p.kind) for p in problems)
    seen: Counter[tuple[str, str]] = Counter()
    lines = []
    for p in problems:
        group = (p.file, p.kind)
        seen[group] += 1
        if seen[group] <= cap:
            lines.append(str(p))
        if seen[group] == cap and counts[group] > cap:
            more = counts[group] - cap
            lines.append(f"{p.file}: and {more:,} more like the one above")
    return lines


def report_text(problems: Sequence[Problem]) -> str:
    """Every problem, one a line, for a report file."""
    return "".join(f"{p}\n" for p in problems)


def _cut(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` cut to `limit` characters (a message: a backstop for `shown`; a column name
    read from a file)."""
    if len(text) <= limit:
        return text
    return text[: limit - 1] + "\u2026"


def _order(p: Problem) -> tuple[str, int, str, str]:
    return (p.file, -1 if p.row is None else p.row, p.column or "", p.message)
