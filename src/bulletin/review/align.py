"""Review (alignment): pairing what two builds print, in reading order, and word diffs.

Both the numbers and the prose are sequences in reading order. `pairs` aligns two of them
by a key (`difflib`), and pairs what is left between two aligned runs by similarity, so
that an inserted sentence does not shift every later pairing by one. `words` is the
word-level difference of two texts, as runs of equal, deleted and inserted words.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

T = TypeVar("T")

SIMILAR = 0.6  # two texts at least this alike (`similarity`) are one text changed
PAIRING_LIMIT = 2500  # a run longer than this (old x new) is paired in order, not by similarity


def pairs(
    old: Sequence[T],
    new: Sequence[T],
    key: Callable[[T], Hashable],
    text: Callable[[T], str] | None = None,
) -> Iterator[tuple[T | None, T | None]]:
    """Every element of `old` and `new` whose key has no equal partner, paired: (old, new)
    for a change, (old, None) for a removal, (None, new) for an addition. Within a run of
    unmatched elements, `text` (when given) pairs the most alike; otherwise they pair in
    order."""
    keys_old, keys_new = [key(x) for x in old], [key(x) for x in new]
    matcher = SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        run_old, run_new = list(old[i1:i2]), list(new[j1:j2])
        if text is None or len(run_old) * len(run_new) > PAIRING_LIMIT:
            yield from _in_order(run_old, run_new)
        else:
            yield from _by_similarity(run_old, run_new, text)


def _in_order(old: list[T], new: list[T]) -> Iterator[tuple[T | None, T | None]]:
    for k in range(max(len(old), len(new))):
        yield (old[k] if k < len(old) else None, new[k] if k < len(new) else None)


def _by_similarity(
    old: list[T], new: list[T], text: Callable[[T], str]
) -> Iterator[tuple[T | None, T | None]]:
    """An order-keeping alignment of two runs that maximises the summed similarity of the
    pairs it makes (a pair only when at least SIMILAR alike)."""
    n, m = len(old), len(new)
    alike = [[similarity(text(a), text(b)) for b in new] for a in old]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if alike[i][j] >= SIMILAR:
                best = max(best, alike[i][j] + score[i + 1][j + 1])
            score[i][j] = best
    i = j = 0
    while i < n or j < m:
        pair = i < n and j < m and alike[i][j] >= SIMILAR
        if pair and score[i][j] == alike[i][j] + score[i + 1][j + 1]:
            yield old[i], new[j]
            i, j = i + 1, j + 1
            continue
        if i < n and (j == m or score[i][j] == score[i + 1][j]):
            yield old[i], None
            i += 1
        else:
            yield None, new[j]
            j += 1


def similarity(a: str, b: str) -> float:
    """How much of the shorter text the longer one keeps, in order (0 to 1): a sentence
    made longer or shorter stays one sentence changed."""
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return kept / min(len(a), len(b))


def words(old: str, new: str) -> list[tuple[str, str]]:
    """The word-level difference of two texts: runs of ("equal" | "delete" | "insert", text)."""
    a, b = old.split(), new.split()
    runs: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            runs.append(("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("insert", " ".join(b[j1:j2])))
    return runs
