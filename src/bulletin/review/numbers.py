"""Review (numbers): every printed number whose value or text changed, matched by id.

The numbers manifest of each publication (`report/<pub>.numbers.json`) lists every printed
number with its id, its occurrence (`<section>/<id>/<n>`, stable when other sections
change), exact value, printed text and sentence. Occurrences of one id in one section are
aligned by value and text, and what is left paired by the likeness of their sentences, so
that a number printed once more does not shift the others.
Table cells are left to the tables (`bulletin.review.tables`): a cell is reported once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bulletin.review.align import pairs

CHANGED, ADDED, REMOVED = "changed", "added", "removed"


@dataclass(frozen=True)
class NumberChange:
    publication: str
    id: str
    occurrence: str  # the new build's, or the old one's for a removed number
    section: str
    status: str  # changed, added or removed
    old_value: str | None
    new_value: str | None
    old_text: str | None
    new_text: str | None
    change: str | None  # new value minus old, exactly, when both are numbers
    unit: str
    sentence: str  # as the new build prints it (the old build's, for a removed number)
    old_sentence: str | None  # when the old build's sentence was different
    definition: str
    source: Mapping[str, Any]  # where the (new) value comes from: findings, a file's cell, a fact


def compare_numbers(
    pub: str, old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[NumberChange]:
    """The numbers of one publication (table cells aside) that changed, in reading order."""
    groups_old, groups_new = _by_place(old), _by_place(new)
    order: dict[tuple[str, str], int] = {}
    for place in [*groups_new, *groups_old]:  # reading order: the new page's, then the old's
        order.setdefault(place, len(order))
    found: list[NumberChange] = []
    for place in sorted(order, key=order.__getitem__):
        a, b = groups_old.get(place, []), groups_new.get(place, [])
        found += [
            _change(pub, before, after)
            for before, after in pairs(a, b, key=_printed, text=_sentence)
        ]
    return found


def _printed(entry: Mapping[str, Any]) -> tuple[str, str]:
    return (str(entry["value"]), str(entry["text"]))


def _sentence(entry: Mapping[str, Any]) -> str:
    return str(entry["sentence"])


def _by_place(entries: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], list[Any]]:
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for entry in entries:
        if "table" not in entry:
            groups[(entry["section"], entry["id"])].append(entry)
    return dict(groups)


def _change(pub: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> NumberChange:
    entry = new if new is not None else old
    assert entry is not None
    status = ADDED if old is None else REMOVED if new is None else CHANGED
    old_sentence = None if old is None else str(old["sentence"])
    return NumberChange(
        publication=pub,
        id=str(entry["id"]),
        occurrence=str(entry["occurrence"]),
        section=str(entry["section"]),
        status=status,
        old_value=None if old is None else str(old["value"]),
        new_value=None if new is None else str(new["value"]),
        old_text=None if old is None else str(old["text"]),
        new_text=None if new is None else str(new["text"]),
        change=None if old is None or new is None else difference(old["value"], new["value"]),
        unit=str(entry.get("unit", "")),
        sentence=str(entry["sentence"]),
        old_sentence=old_sentence if old_sentence != entry["sentence"] else None,
        definition=str(entry.get("definition", "")),
        source=dict(entry.get("source", {})),
    )


def difference(old: str, new: str) -> str | None:
    """`new - old` exactly, signed ("+12", "-0.0041"), when both are numbers; else None."""
    try:
        change = Decimal(new) - Decimal(old)
    except (InvalidOperation, ValueError):
        return None
    if not change.is_finite():
        return None
    return f"{change:+f}"
