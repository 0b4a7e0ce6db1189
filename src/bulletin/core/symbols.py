"""Core: the Government Statistical Service (GSS) symbols for values that are not shown.

Outputs use the current symbols; inputs also accept the older ``:`` (read as ``x``) and
``k`` (read as ``low``), as in the children in need releases up to 2020.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum

from bulletin.core.problems import shown


class Symbol(StrEnum):
    """A GSS symbol standing in place of a value."""

    SUPPRESSED = "c"  # confidential: suppressed to protect individuals
    NOT_AVAILABLE = "x"  # not available
    NOT_APPLICABLE = "z"  # not applicable
    LOW = "low"  # rounds to zero but is not zero
    LOW_RELIABILITY = "u"  # low reliability

    @property
    def meaning(self) -> str:
        return _MEANINGS[self]


_MEANINGS = {
    Symbol.SUPPRESSED: "confidential: suppressed to protect individuals",
    Symbol.NOT_AVAILABLE: "not available",
    Symbol.NOT_APPLICABLE: "not applicable",
    Symbol.LOW: "rounds to zero, but is not zero",
    Symbol.LOW_RELIABILITY: "low reliability",
}

#: Every spelling accepted on input, mapped to the symbol it means.
INPUT_SYMBOLS: dict[str, Symbol] = {s.value: s for s in Symbol} | {
    ":": Symbol.NOT_AVAILABLE,
    "k": Symbol.LOW,
}


def parse_cell(text: str) -> Decimal | Symbol:
    """Read one published cell: an exact number, or a GSS symbol.

    Raises ``ValueError`` for anything else (an empty cell included), so that a loader can
    report the file, row and column.
    """
    stripped = text.strip()
    if stripped in INPUT_SYMBOLS:
        return INPUT_SYMBOLS[stripped]
    try:
        value = Decimal(stripped.replace(",", "") if _is_grouped(stripped) else stripped)
    except InvalidOperation:
        raise ValueError(f"{shown(text)} is neither a number nor a GSS symbol") from None
    if not value.is_finite():
        raise ValueError(f"{shown(text)} is not a finite number")
    return value


def _is_grouped(text: str) -> bool:
    """True for a number written with thousands separators, such as ``404,710``."""
    head, _, _ = text.lstrip("-").partition(".")
    groups = head.split(",")
    return (
        len(groups) > 1
        and 1 <= len(groups[0]) <= 3
        and all(len(g) == 3 and g.isdigit() for g in groups[1:])
        and groups[0].isdigit()
    )
