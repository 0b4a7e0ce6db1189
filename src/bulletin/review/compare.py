"""Review (compare): two built sites compared section by section into one `Diff`.

Numbers by id (`numbers`), tables by cell (`tables`), prose by sentence (`prose`),
figures by their data points and alt text (`tables`, `align`), PDF pages by their text
(`pdf`), files by the manifests' sha256. With `images`, each changed chart and each
changed PDF page also gets before, after and difference images (`images`); at most
`PAGE_IMAGES` page pairs are drawn, the rest are listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.review.align import words
from bulletin.review.images import Triptych
from bulletin.review.numbers import ADDED, CHANGED, REMOVED, NumberChange, compare_numbers
from bulletin.review.pdf import PdfDiff, compare_pdf, read_pages
from bulletin.review.prose import SentenceChange, compare_prose
from bulletin.review.site import Site
from bulletin.review.tables import TableDiff, compare_tables

PAGE_IMAGES = 24  # page pairs drawn at most; a larger change is listed, not drawn


@dataclass(frozen=True)
class FigureDiff:
    id: str
    status: str  # changed, added or removed
    data: TableDiff | None  # the changed data points
    alt: tuple[tuple[str, str], ...]  # word difference of the alt text, when it changed
    drawing: bool  # the SVG changed


@dataclass(frozen=True)
class FilesDiff:
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()


@dataclass(frozen=True)
class PagePair:
    old_page: int | None
    new_page: int | None


@dataclass(frozen=True)
class Diff:
    old: str  # what was compared: a folder, or a revision
    new: str
    publications_added: tuple[str, ...]
    publications_removed: tuple[str, ...]
    numbers: tuple[NumberChange, ...]
    tables: tuple[TableDiff, ...]
    prose: tuple[SentenceChange, ...]
    figures: tuple[FigureDiff, ...]
    pdf: tuple[PdfDiff, ...]
    files: FilesDiff
    images: Mapping[str, Triptych] = field(default_factory=dict, compare=False)

    @property
    def same(self) -> bool:
        return not (
            self.publications_added
            or self.publications_removed
            or self.numbers
            or self.tables
            or self.prose
            or self.figures
            or self.pdf
            or self.files.added
            or self.files.removed
            or self.files.changed
        )


def page_pairs(change_old: tuple[int, ...], change_new: tuple[int, ...]) -> list[PagePair]:
    """The pages of one change, old and new side by side in order."""
    count = max(len(change_old), len(change_new))
    return [
        PagePair(
            change_old[k] if k < len(change_old) else None,
            change_new[k] if k < len(change_new) else None,
        )
        for k in range(count)
    ]


def compare(old: Site, new: Site, *, images: bool, labels: tuple[str, str]) -> Diff:
    """Everything that differs between two builds (see the module's docstring)."""
    both = [p for p in new.publications if p in old.publications]
    numbers: list[NumberChange] = []
    tables: list[TableDiff] = []
    prose: list[SentenceChange] = []
    pdfs: list[PdfDiff] = []
    for pub in both:
        old_numbers, new_numbers = old.numbers(pub), new.numbers(pub)
        numbers += compare_numbers(pub, old_numbers, new_numbers)
        headings = _headings(new_numbers)
        old_tables, new_tables = old.tables(pub), new.tables(pub)
        for table in sorted({*old_tables, *new_tables}):
            found = compare_tables(
                pub,
                table,
                _text(old_tables.get(table)),
                _text(new_tables.get(table)),
                headings.get(table, {}),
            )
            if found is not None:
                tables.append(found)
        prose += compare_prose(pub, old.page(pub), new.page(pub))
        if _sha(old, f"report/{pub}.pdf") != _sha(new, f"report/{pub}.pdf"):
            found_pdf = compare_pdf(pub, read_pages(old.pdf(pub)), read_pages(new.pdf(pub)))
            if found_pdf is not None:
                pdfs.append(found_pdf)
    figures = _figures(old, new)
    diff = Diff(
        old=labels[0],
        new=labels[1],
        publications_added=tuple(p for p in new.publications if p not in old.publications),
        publications_removed=tuple(p for p in old.publications if p not in new.publications),
        numbers=tuple(numbers),
        tables=tuple(tables),
        prose=tuple(prose),
        figures=tuple(figures),
        pdf=tuple(pdfs),
        files=_files(old.files, new.files),
    )
    if not images:
        return diff
    return Diff(**{**diff.__dict__, "images": _images(old, new, diff)})


def _images(old: Site, new: Site, diff: Diff) -> dict[str, Triptych]:
    """Before, after and difference images: `figure/<id>` and `page/<pub>/<change>/<pair>`."""
    from bulletin.review import images

    drawn: dict[str, Triptych] = {}
    for figure in diff.figures:
        if figure.drawing:
            before, after = old.figures().get(figure.id), new.figures().get(figure.id)
            drawn[f"figure/{figure.id}"] = images.charts(
                before.read_bytes() if before else None, after.read_bytes() if after else None
            )
    budget = PAGE_IMAGES
    for found in diff.pdf:
        for k, change in enumerate(found.changes):
            for n, pair in enumerate(page_pairs(change.old_pages, change.new_pages)):
                if budget == 0:
                    return drawn
                budget -= 1
                drawn[f"page/{found.publication}/{k}/{n}"] = images.pages(
                    old.pdf(found.publication),
                    pair.old_page,
                    new.pdf(found.publication),
                    pair.new_page,
                    change.old_marks,
                    change.new_marks,
                )
    return drawn


def _figures(old: Site, new: Site) -> list[FigureDiff]:
    found = []
    before, after = old.figures(), new.figures()
    for fig in sorted({*before, *after}):
        a, b = before.get(fig), after.get(fig)
        if a is None or b is None:
            found.append(FigureDiff(fig, ADDED if a is None else REMOVED, None, (), True))
            continue
        data = compare_tables("", fig, _text(a.with_suffix(".csv")), _text(b.with_suffix(".csv")))
        alt_old, alt_new = _text(a.with_suffix(".txt")) or "", _text(b.with_suffix(".txt")) or ""
        alt = tuple(words(alt_old, alt_new)) if alt_old != alt_new else ()
        drawing = _sha(old, f"figures/{fig}.svg") != _sha(new, f"figures/{fig}.svg")
        if data or alt or drawing:
            found.append(FigureDiff(fig, CHANGED, data, alt, drawing))
    return found


def _files(old: Mapping[str, str], new: Mapping[str, str]) -> FilesDiff:
    return FilesDiff(
        added=tuple(sorted(set(new) - set(old))),
        removed=tuple(sorted(set(old) - set(new))),
        changed=tuple(sorted(f for f in set(old) & set(new) if old[f] != new[f])),
    )


def _headings(entries: list[dict[str, object]]) -> dict[str, dict[str, str]]:
    """Each table's column headers as printed, by the column's CSV name (from the ids of
    its cells: `<table>/<row>/<column>`)."""
    found: dict[str, dict[str, str]] = {}
    for entry in entries:
        if "table" in entry:
            column = str(entry["id"]).rsplit("/", 1)[-1]
            found.setdefault(str(entry["table"]), {})[column] = str(entry.get("column", ""))
    return found


def _sha(site: Site, name: str) -> str | None:
    return site.files.get(name)


def _text(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    return path.read_text(encoding="utf-8")


__all__ = ["CHANGED", "Diff", "FigureDiff", "FilesDiff", "PagePair", "compare"]
