"""Render (numbers): every printed number as a `<data>` element, and the numbers manifest.

A template prints a number only through a formatter; given a `Sourced` value, the
formatter's text is wrapped in ``<data value="EXACT" data-id="ID">TEXT</data>``, and the
`Registry` of the render remembers the value and its source. After the page is rendered,
`manifest` reads every `<data>` element of its HTML, in reading order, and writes one entry
per printed occurrence (DESIGN.md decision 12):

- ``id``: the measure's id (``B1``, ``R1``, ``tbl-ks4-201718/cla/grade5_share``, ``fact:...``);
- ``occurrence``: ``<section>/<id>/<n>``, the n-th time (from 1) the id is printed in its
  section (the ``h2`` it stands under): stable when other sections change, so that a diff
  matches the same occurrence in two builds;
- ``value`` (the exact published value, or the symbol shown), ``text`` (as printed),
  ``unit``, ``source`` (see `bulletin.core.provenance`), ``definition``;
- ``sentence``: the sentence the number stands in; for a table cell, ``table``, ``row`` and
  ``column`` (the row's and column's headers) and a sentence made of them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from markupsafe import Markup, escape

from bulletin.core.context import sourced_to_dict
from bulletin.core.provenance import Sourced

NS = "{http://www.w3.org/1999/xhtml}"
#: Elements whose text is one unit of reading (a paragraph, a list item, a cell...).
BLOCKS = {
    "p",
    "li",
    "td",
    "th",
    "dd",
    "dt",
    "figcaption",
    "caption",
    "summary",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\u201c\"(])")


@dataclass
class Registry:
    """The values a render printed, by id; the same id must always be the same value."""

    values: dict[str, Sourced] = field(default_factory=dict)

    def add(self, value: Sourced) -> None:
        known = self.values.setdefault(value.id, value)
        if known != value:
            raise ValueError(f"two different values carry the id {value.id}")

    def to_json(self) -> str:
        data = {key: sourced_to_dict(v) for key, v in sorted(self.values.items())}
        return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def exact_text(value: Sourced) -> str:
    """The value attribute: the exact published value, or the symbol shown in its place."""
    m = value.measure
    if m.value is None:
        assert m.symbol is not None
        return m.symbol.value
    return format(m.value, "f")


def data_element(value: Sourced, text: str, registry: Registry | None) -> Markup:
    """`text` (a formatter's output for `value`) as a `<data>` element carrying its id."""
    if registry is not None:
        registry.add(value)
    return Markup('<data value="{}" data-id="{}">{}</data>').format(
        exact_text(value), value.id, escape(text)
    )


# -- the manifest ---------------------------------------------------------------------------


def _text(element: Element) -> str:
    return "".join(element.itertext())


def _walk(
    element: Element, ancestors: tuple[Element, ...]
) -> Iterator[tuple[Element, tuple[Element, ...]]]:
    yield element, ancestors
    for child in element:
        yield from _walk(child, (*ancestors, element))


def _tag(element: Element) -> str:
    return str(element.tag).removeprefix(NS)


def _sentence(block: Element, target: Element) -> str:
    """The sentence of `block`'s text that holds `target`'s text."""
    before: list[str] = []

    def collect(node: Element) -> bool:  # text up to the target; True once it is reached
        if node is target:
            return True
        before.append(node.text or "")
        for child in node:
            if collect(child):
                return True
            before.append(child.tail or "")
        return False

    collect(block)
    start = len("".join(before))
    text = _text(block)
    offset = 0
    for piece in SENTENCE_END.split(text):
        where = text.index(piece, offset)
        if where <= start < where + len(piece) + 1:
            return " ".join(piece.split())
        offset = where + len(piece)
    return " ".join(text.split())


def _cell_headers(row: Element, cell: Element, table: Element) -> tuple[str, str]:
    """The row header (the row's th) and the column header (the thead th in the cell's column)."""
    cells = [c for c in row if _tag(c) in {"td", "th"}]
    row_header = next((_text(c) for c in cells if _tag(c) == "th"), "")
    index = cells.index(cell)
    heads = [
        [c for c in tr if _tag(c) in {"td", "th"}]
        for thead in table.iter(f"{NS}thead")
        for tr in thead.iter(f"{NS}tr")
    ]
    column = _text(heads[-1][index]) if heads and index < len(heads[-1]) else ""
    return " ".join(row_header.split()), " ".join(column.split())


def cell_sentence(row: str, column: str, text: str) -> str:
    """A table cell as a sentence, read as a screen reader reads a cell: its row header,
    its column header, its text. Every accessible format writes a table's cells so."""
    return f"{row}: {column}: {text}"


def manifest(html: str, sources: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per `<data>` element of the page, in reading order (see the module doc)."""
    import tinyhtml5

    root = tinyhtml5.parse(html)
    entries: list[dict[str, Any]] = []
    seen: Counter[tuple[str, str]] = Counter()
    section = "top"
    for element, ancestors in _walk(root, ()):
        tag = _tag(element)
        if tag == "h2" and element.get("id"):
            section = str(element.get("id"))
        if tag != "data":
            continue
        key = element.get("data-id")
        if key is None:
            raise ValueError(f"a <data> element has no data-id: {_text(element)!r}")
        if key not in sources:
            raise ValueError(f"{key}: printed, but its source was not recorded")
        seen[(section, key)] += 1
        known = sources[key]
        entry: dict[str, Any] = {
            "id": key,
            "occurrence": f"{section}/{key}/{seen[(section, key)]}",
            "section": section,
            "value": element.get("value"),
            "text": _text(element),
            "unit": known["unit"],
            "definition": known["definition"],
            "source": known["source"],
        }
        depth = next(
            (i for i in range(len(ancestors) - 1, -1, -1) if _tag(ancestors[i]) in BLOCKS), None
        )
        block = None if depth is None else ancestors[depth]
        if (
            block is not None
            and depth
            and _tag(block) in {"td", "th"}
            and _tag(ancestors[depth - 1]) == "tr"
        ):
            table = next(a for a in reversed(ancestors) if _tag(a) == "table")
            block_id = next(
                (str(a.get("id")) for a in reversed(ancestors) if a.get("id") and _tag(a) == "div"),
                "",
            )
            row, column = _cell_headers(ancestors[depth - 1], block, table)
            entry |= {"table": block_id, "row": row, "column": column}
            entry["sentence"] = cell_sentence(row, column, entry["text"])
        else:
            entry["sentence"] = _sentence(block, element) if block is not None else entry["text"]
        entries.append(entry)
    return entries


def manifest_json(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
