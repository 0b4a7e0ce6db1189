"""Core: cells that no spreadsheet can run as a formula, and the one CSV writer of outputs.

Following OWASP's advice on CSV injection, a text cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is neutralised by a leading single quote, which
spreadsheets show as text (``'=HYPERLINK(...)``). A cell that is a plain number (``-1.5``,
``+0.31``, ``404710``) is a number, not text, and is left as it is. Every tabular output (the CSV
files of tables and figures, and the ODS and EES files that come later) writes its
cells through `safe_cell`; `to_csv` does it for CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")  # a signed change such as +0.31 is a number


def safe_cell(text: str) -> str:
    """`text` as a spreadsheet cell that is never a formula."""
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A CSV file (quoted where needed, "\\n" line ends) of safe cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()
