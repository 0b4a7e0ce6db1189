"""Review (prose): the sentences that changed, with the words that changed.

Each publication's screen page is read block by block (paragraphs, list items, headings,
captions, summaries: `bulletin.render.numbers.BLOCKS`, table cells aside) and cut into
sentences as the numbers manifest cuts them. In each sentence every printed number (a
`<data>` element) is replaced by its id, so that two sentences that differ only in their
numbers compare equal: such a change is reported once, under numbers. The contents list
and table cells are left out (they repeat the headings, and cells are the tables').
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from bulletin.render.numbers import BLOCKS, NS, SENTENCE_END
from bulletin.review.align import pairs, words
from bulletin.review.numbers import ADDED, CHANGED, REMOVED

PROSE_BLOCKS = BLOCKS - {"td", "th"}
SKIPPED = {"nav", "script", "style", "thead", "tbody", "tr"}


@dataclass(frozen=True)
class Sentence:
    section: str  # the id of the h2 it stands under ("top" before the first)
    text: str  # as printed
    masked: str  # with each number replaced by ⟨its id⟩


@dataclass(frozen=True)
class SentenceChange:
    publication: str
    section: str
    status: str  # changed, added or removed
    old: str | None
    new: str | None
    words: tuple[tuple[str, str], ...]  # ("equal" | "delete" | "insert", text) runs


def sentences(html: str) -> list[Sentence]:
    """The page's sentences in reading order (the `<main>` element's, when it has one)."""
    import tinyhtml5

    root = tinyhtml5.parse(html)
    main = next((e for e in root.iter(f"{NS}main")), root)
    found: list[Sentence] = []
    section = "top"
    for block in _blocks(main):
        if _tag(block) == "h2" and block.get("id"):
            section = str(block.get("id"))
        found += _cut(section, _segments(block))
    return found


def compare_prose(pub: str, old_html: str, new_html: str) -> list[SentenceChange]:
    """The sentences of one publication's page that changed in more than their numbers."""
    before, after = sentences(old_html), sentences(new_html)
    changes = []
    for old, new in pairs(before, after, key=lambda s: (s.section, s.masked), text=_masked):
        if old is not None and new is not None:
            changes.append(
                SentenceChange(pub, new.section, CHANGED, old.text, new.text, _words(old, new))
            )
        elif new is not None:
            changes.append(SentenceChange(pub, new.section, ADDED, None, new.text, ()))
        elif old is not None:
            changes.append(SentenceChange(pub, old.section, REMOVED, old.text, None, ()))
    return changes


def _masked(sentence: Sentence) -> str:
    return sentence.masked


def _words(old: Sentence, new: Sentence) -> tuple[tuple[str, str], ...]:
    return tuple(words(old.text, new.text))


def _tag(element: Element) -> str:
    return str(element.tag).removeprefix(NS)


def _blocks(element: Element) -> Iterator[Element]:
    """The prose blocks under `element`, in document order (a block's nested blocks follow
    it)."""
    for child in element:
        tag = _tag(child)
        if tag in SKIPPED or tag in {"td", "th"}:
            continue
        if tag in PROSE_BLOCKS:
            yield child
        yield from _blocks(child)


def _segments(block: Element) -> list[tuple[str, str | None]]:
    """The block's own text as (text, number id or None) runs; nested blocks left out."""
    out: list[tuple[str, str | None]] = []

    def walk(element: Element) -> None:
        if element.text:
            out.append((element.text, None))
        for child in element:
            tag = _tag(child)
            if tag == "data":
                out.append(("".join(child.itertext()), child.get("data-id") or ""))
            elif tag not in PROSE_BLOCKS and tag not in SKIPPED and tag not in {"td", "th"}:
                walk(child)
            if child.tail:
                out.append((child.tail, None))

    walk(block)
    return out


def _cut(section: str, segments: list[tuple[str, str | None]]) -> list[Sentence]:
    """Sentences, cut where the numbers manifest cuts them (never inside a number)."""
    text = "".join(t for t, _ in segments)
    spans, at = [], 0
    for piece, ident in segments:
        spans.append((at, at + len(piece), ident))
        at += len(piece)
    inside = [(a, b) for a, b, ident in spans if ident is not None]
    cuts = [m.end() for m in SENTENCE_END.finditer(text)]
    cuts = [c for c in cuts if not any(a < c < b for a, b in inside)]
    found = []
    for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True):
        shown, masked = [], []
        for a, b, ident in spans:
            if b <= start or a >= end:
                continue
            piece = text[max(a, start) : min(b, end)]
            shown.append(piece)
            masked.append(piece if ident is None else f"\u27e8{ident}\u27e9")
        plain = " ".join("".join(shown).split())
        if plain:
            found.append(Sentence(section, plain, " ".join("".join(masked).split())))
    return found
