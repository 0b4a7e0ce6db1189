"""Core: text cells safe from formula injection, for every CSV and spreadsheet we write.

A spreadsheet program reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return before one) as a formula. Following OWASP's advice on CSV injection,
`neutralise` puts a single quote before such a text, so that it is shown, never run. A
plain number such as ``-0.84`` is data, not a formula, and is left as it is. The EES files,
the spreadsheets and the per-table CSVs all go through this one function.
"""

from __future__ import annotations

import re

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def neutralise(text: str) -> str:
    """`text`, with a single quote before it when a spreadsheet would run it as a formula."""
    if text.startswith(TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text
