"""Review (PDF): the pages whose content changed, matched by their text.

Each PDF's words are read with their places (poppler's `pdftotext -bbox`), page by page,
in the order the page shows them (lines from top to bottom, words from left to right: a
table row by row), without the page furniture: the running footers and the table headers
repeated at the top of a page.
The two documents' words are aligned as one text, so that
a change is found where it is and a paragraph that only rewrapped around it is not a
change: the pages that hold a changed word are reported once, with the words removed and
added. A page whose words are unchanged but that now starts elsewhere (its page breaks
moved, because a change above it reflowed the text) is not a changed page: consecutive
such pages are reported as one shift.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

PDFTOTEXT = "pdftotext"
DIGITS = re.compile(r"\d+")
LINE_TOLERANCE = 2.0  # points: words whose tops are this close are on one line
TOP_LINES = 3  # the lines of a page where a repeated table header stands
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S
)

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the top left


@dataclass(frozen=True)
class Word:
    text: str
    box: Box = (0.0, 0.0, 0.0, 0.0)


Page = Sequence[Word]
Line = Sequence[Word]
Document = Sequence[Sequence[Line]]  # pages of lines


@dataclass(frozen=True)
class PageChange:
    old_pages: tuple[int, ...]  # counted from 1
    new_pages: tuple[int, ...]
    removed: tuple[str, ...]  # runs of words as the old PDF prints them
    added: tuple[str, ...]
    old_marks: tuple[tuple[int, Box], ...] = ()  # (page, box) of each word removed
    new_marks: tuple[tuple[int, Box], ...] = ()  # and added


@dataclass(frozen=True)
class Shift:
    """Pages whose words are unchanged but whose page breaks moved."""

    old_first: int
    old_last: int
    new_first: int
    new_last: int


@dataclass(frozen=True)
class PdfDiff:
    publication: str
    old_count: int
    new_count: int
    changes: tuple[PageChange, ...]
    shifts: tuple[Shift, ...]


def read_pages(pdf: Path) -> list[list[list[Word]]]:
    """Each page's lines of words with their boxes, in reading order as the page shows
    them: lines from top to bottom, words from left to right (a table row by row)."""
    run = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-bbox", str(pdf), "-"], capture_output=True, check=True
    )
    pages = []
    for page in _PAGE.findall(run.stdout.decode("utf-8")):
        found = sorted(
            (
                Word(html.unescape(m[5]), (float(m[1]), float(m[2]), float(m[3]), float(m[4])))
                for m in _WORD.finditer(page)
            ),
            key=lambda w: (w.box[1], w.box[0]),
        )
        lines: list[list[Word]] = []
        for word in found:
            if lines and word.box[1] - lines[-1][0].box[1] < LINE_TOLERANCE:
                lines[-1].append(word)
            else:
                lines.append([word])
        pages.append([sorted(line, key=lambda w: w.box[0]) for line in lines])
    return pages


def without_furniture(*documents: Document) -> list[list[list[Word]]]:
    """Each document's pages as their words, without what page breaks put there, decided
    over all the documents together (so that each is read alike):

    - a running line: the same, digits aside, on at least half the pages of a document and
      at least two (a footer such as the title with "3 of 18"), and any line at a height
      where such lines stand on half the pages (the first page's "1 of 18");
    - a repeated table header: a line among the first few of a page whose text a document
      prints more than once; every line with that text is left out, wherever it stands."""

    def text(line: Line) -> str:
        return " ".join(w.text for w in line)

    running: set[str] = set()
    heights: set[int] = set()
    repeated: set[str] = set()
    for pages in documents:
        shapes = Counter(s for page in pages for s in {DIGITS.sub("#", text(x)) for x in page})
        found = {s for s, n in shapes.items() if n >= 2 and 2 * n >= len(pages)}
        running |= found
        at = Counter(
            y
            for page in pages
            for y in {round(x[0].box[1]) for x in page if DIGITS.sub("#", text(x)) in found}
        )
        heights |= {y for y, n in at.items() if n >= 2 and 2 * n >= len(pages)}
        printed = Counter(text(line) for page in pages for line in page)
        repeated |= {
            text(x) for page in pages[1:] for x in page[:TOP_LINES] if printed[text(x)] > 1
        }

    def furniture(line: Line) -> bool:
        return (
            DIGITS.sub("#", text(line)) in running
            or any(abs(round(line[0].box[1]) - h) <= LINE_TOLERANCE for h in heights)
            or text(line) in repeated
        )

    return [
        [[w for line in page if not furniture(line) for w in line] for page in pages]
        for pages in documents
    ]


def compare_pdf(pub: str, old: Document, new: Document) -> PdfDiff | None:
    """The changed pages of two versions of a PDF, given each one's `read_pages`; None when
    every page holds the same words as before."""
    old_words, new_words = without_furniture(old, new)
    return compare_words(pub, old_words, new_words)


def compare_words(pub: str, old: Sequence[Page], new: Sequence[Page]) -> PdfDiff | None:
    """The changed pages of two versions of a PDF, given as each page's words."""
    flat_old = [(p, w) for p, page in enumerate(old, 1) for w in page]
    flat_new = [(p, w) for p, page in enumerate(new, 1) for w in page]
    matcher = SequenceMatcher(
        None, [w.text for _, w in flat_old], [w.text for _, w in flat_new], autojunk=False
    )
    hunks: list[_Hunk] = []
    mapped: dict[int, list[int]] = {}  # new page -> the old pages of its unchanged words
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                mapped.setdefault(flat_new[j1 + k][0], []).append(flat_old[i1 + k][0])
            continue
        hunks.append(_Hunk.of(flat_old, i1, i2, flat_new, j1, j2))
    changes = _merged(hunks)
    changed_new = {p for c in changes for p in c.new_pages}
    shifts = _shifts(old, new, mapped, changed_new)
    same_places = len(old) == len(new) and all(
        [w.text for w in a] == [w.text for w in b] for a, b in zip(old, new, strict=True)
    )
    if not changes and not shifts and same_places:
        return None
    return PdfDiff(pub, len(old), len(new), tuple(changes), tuple(shifts))


@dataclass
class _Hunk:
    old_pages: set[int]
    new_pages: set[int]
    removed: list[str]
    added: list[str]
    old_marks: list[tuple[int, Box]]
    new_marks: list[tuple[int, Box]]

    @classmethod
    def of(
        cls,
        flat_old: list[tuple[int, Word]],
        i1: int,
        i2: int,
        flat_new: list[tuple[int, Word]],
        j1: int,
        j2: int,
    ) -> _Hunk:
        removed, added = flat_old[i1:i2], flat_new[j1:j2]
        return cls(
            {p for p, _ in removed} or _around(flat_old, i1),
            {p for p, _ in added} or _around(flat_new, j1),
            [" ".join(w.text for _, w in removed)] if removed else [],
            [" ".join(w.text for _, w in added)] if added else [],
            [(p, w.box) for p, w in removed],
            [(p, w.box) for p, w in added],
        )


def _around(flat: list[tuple[int, Word]], at: int) -> set[int]:
    """The page where words were inserted or removed at position `at`."""
    if not flat:
        return {1}
    return {flat[min(at, len(flat) - 1)][0]}


def _merged(hunks: list[_Hunk]) -> list[PageChange]:
    """Hunks that share a page, old or new, merged into one change."""
    merged: list[_Hunk] = []
    for hunk in hunks:
        last = merged[-1] if merged else None
        if last and (last.old_pages & hunk.old_pages or last.new_pages & hunk.new_pages):
            last.old_pages |= hunk.old_pages
            last.new_pages |= hunk.new_pages
            last.removed += hunk.removed
            last.added += hunk.added
            last.old_marks += hunk.old_marks
            last.new_marks += hunk.new_marks
        else:
            merged.append(hunk)
    return [
        PageChange(
            tuple(sorted(h.old_pages)),
            tuple(sorted(h.new_pages)),
            tuple(h.removed),
            tuple(h.added),
            tuple(h.old_marks),
            tuple(h.new_marks),
        )
        for h in merged
    ]


def _shifts(
    old: Sequence[Page], new: Sequence[Page], mapped: dict[int, list[int]], changed: set[int]
) -> list[Shift]:
    """Runs of unchanged new pages that do not hold exactly the old page of their number."""
    moved: list[tuple[int, int, int]] = []  # new page, first and last old page
    for page in range(1, len(new) + 1):
        if page in changed or page not in mapped:
            continue
        same = page <= len(old) and [w.text for w in old[page - 1]] == [
            w.text for w in new[page - 1]
        ]
        if not same:
            moved.append((page, min(mapped[page]), max(mapped[page])))
    runs: list[Shift] = []
    for page, first, last in moved:
        if runs and runs[-1].new_last == page - 1:
            prev = runs[-1]
            runs[-1] = Shift(prev.old_first, max(prev.old_last, last), prev.new_first, page)
        else:
            runs.append(Shift(first, last, page, page))
    return runs


def page_png(pdf: Path, page: int, resolution: int) -> bytes:
    """One page as a PNG image (poppler's `pdftoppm`)."""
    run = subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(resolution), "-png", str(pdf)],
        capture_output=True,
        check=True,
    )
    return run.stdout
