"""Review (report): a `Diff` for people and for programs.

- `text`: the terminal summary: what changed, counted by kind and by publication section,
  then the first few changes of each kind (all of them are in the JSON and the HTML);
- `to_json`: every change, as data (`"generator": "bulletin diff"` marks the file);
- `html`: one self-contained, accessible page, images inline, readable without the builds.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bulletin.core.settings import Settings
from bulletin.review.compare import Diff, page_pairs
from bulletin.review.images import Triptych, data_uri

GENERATOR = "bulletin diff"
SHOWN = 10  # changes of each kind the terminal shows; the JSON and HTML show all


def counts(diff: Diff) -> dict[str, Any]:
    """How many things changed, by kind; numbers and prose also by publication and section."""
    return {
        "numbers": len(diff.numbers),
        "numbers_by_section": _by_section((n.publication, n.section) for n in diff.numbers),
        "table_cells": sum(len(t.cells) for t in diff.tables),
        "table_rows_added": sum(len(t.rows_added) for t in diff.tables),
        "table_rows_removed": sum(len(t.rows_removed) for t in diff.tables),
        "tables": len(diff.tables),
        "sentences": len(diff.prose),
        "sentences_by_section": _by_section((s.publication, s.section) for s in diff.prose),
        "figures": len(diff.figures),
        "figure_points": sum(len(f.data.cells) if f.data else 0 for f in diff.figures),
        "pdf_pages_changed": sum(
            len(c.new_pages or c.old_pages) for p in diff.pdf for c in p.changes
        ),
        "files_added": len(diff.files.added),
        "files_removed": len(diff.files.removed),
        "files_changed": len(diff.files.changed),
    }


def _by_section(places: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for (pub, section), n in sorted(Counter(places).items()):
        found.setdefault(pub, {})[section] = n
    return found


def to_json(diff: Diff) -> str:
    """Every change as data; the word boxes of the PDF changes (for images) left out."""
    data = asdict(diff)
    for pdf in data["pdf"]:
        for change in pdf["changes"]:
            del change["old_marks"], change["new_marks"]
    record = {
        "generator": GENERATOR,
        "old": diff.old,
        "new": diff.new,
        "same": diff.same,
        "counts": counts(diff),
        **{k: v for k, v in data.items() if k not in {"old", "new", "images"}},
    }
    return json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


# -- the terminal ---------------------------------------------------------------------------


def text(diff: Diff, shown: int = SHOWN) -> str:
    """The summary for the terminal (see the module's docstring)."""
    if diff.same:
        return f"bulletin diff: {diff.old} and {diff.new}: no differences\n"
    c = counts(diff)
    lines = [f"bulletin diff: {diff.old} -> {diff.new}: the builds differ", ""]
    for pub in diff.publications_added:
        lines.append(f"publication added: {pub}")
    for pub in diff.publications_removed:
        lines.append(f"publication removed: {pub}")
    lines.append(f"numbers: {c['numbers']} changed{_sections(c['numbers_by_section'])}")
    lines.append(
        f"tables: {c['table_cells']} cells changed, {c['table_rows_added']} rows added, "
        f"{c['table_rows_removed']} removed, in {c['tables']} tables"
    )
    lines.append(f"prose: {c['sentences']} sentences changed{_sections(c['sentences_by_section'])}")
    lines.append(f"figures: {c['figures']} changed, {c['figure_points']} data points")
    for pdf in diff.pdf:
        shifted = "".join(
            f"; {_range(s.new_first, s.new_last)}: the same words, page breaks moved "
            f"(old {_range(s.old_first, s.old_last)})"
            for s in pdf.shifts
        )
        changed = sorted({p for ch in pdf.changes for p in ch.new_pages})
        lines.append(
            f"pdf {pdf.publication}: {len(changed)} pages changed ({_pages(changed)}), "
            f"{pdf.old_count} -> {pdf.new_count} pages{shifted}"
        )
    lines.append(
        f"files: {c['files_added']} added, {c['files_removed']} removed, "
        f"{c['files_changed']} changed"
    )
    lines += _first("Numbers", [_number_line(n) for n in diff.numbers], shown)
    cells = [
        f"{t.publication or 'figure'} {t.id}: {cell.row} / {cell.heading or cell.column}: "
        f"{cell.old} -> {cell.new}" + (f" ({cell.change})" if cell.change else "")
        for t in diff.tables
        for cell in t.cells
    ]
    cells += [f"{t.publication} {t.id}: row added: {r}" for t in diff.tables for r in t.rows_added]
    cells += [
        f"{t.publication} {t.id}: row removed: {r}" for t in diff.tables for r in t.rows_removed
    ]
    lines += _first("Table cells", cells, shown)
    lines += _first(
        "Prose",
        [f"{s.publication} ({s.section}): {_marked(s.words, s.old, s.new)}" for s in diff.prose],
        shown,
    )
    points = [
        f"{f.id}: {cell.row} / {cell.column}: {cell.old} -> {cell.new}"
        for f in diff.figures
        if f.data
        for cell in f.data.cells
    ]
    points += [f"{f.id}: {f.status}" for f in diff.figures if f.status != "changed"]
    lines += _first("Figure data", points, shown)
    return "\n".join(lines) + "\n"


def _sections(by_section: dict[str, dict[str, int]]) -> str:
    if not by_section:
        return ""
    parts = [
        f"{pub} {sum(sections.values())} ("
        + ", ".join(f"{name} {n}" for name, n in sections.items())
        + ")"
        for pub, sections in by_section.items()
    ]
    return ": " + "; ".join(parts)


def _range(first: int, last: int) -> str:
    return f"page {first}" if first == last else f"pages {first} to {last}"


def _pages(pages: Sequence[int]) -> str:
    return ", ".join(str(p) for p in pages) or "none"


def _first(title: str, items: list[str], shown: int) -> list[str]:
    if not items:
        return []
    more = (
        [f"  ... and {len(items) - shown} more (see --json or --html)"]
        if len(items) > shown
        else []
    )
    return ["", f"{title}:", *(f"  {item}" for item in items[:shown]), *more]


def _number_line(n: Any) -> str:
    where = f"{n.publication} {n.id} ({n.section})"
    if n.status == "added":
        return f"{where}: added: {n.new_text}: {n.sentence}"
    if n.status == "removed":
        return f"{where}: removed: {n.old_text}: {n.sentence}"
    change = f" ({n.change})" if n.change else ""
    return f"{where}: {n.old_text} -> {n.new_text}{change}: {n.sentence}"


def _marked(runs: Sequence[tuple[str, str]], old: str | None, new: str | None) -> str:
    """A sentence with its changed words marked as `git diff --word-diff` marks them."""
    if old is None:
        return f"added: {new}"
    if new is None:
        return f"removed: {old}"
    marks = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
    return " ".join(marks[op].format(words) for op, words in runs)


# -- the HTML page ----------------------------------------------------------------------------


def html(diff: Diff) -> str:
    """The report as one self-contained page (styles and images inline)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("bulletin.review", "."),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(data_uri=data_uri, page_pairs=page_pairs, image=_image(diff))
    c = counts(diff)
    numbers, sentences = c["numbers_by_section"], c["sentences_by_section"]
    keys = {
        (p, s) for found in (numbers, sentences) for p, sections in found.items() for s in sections
    }
    places = [
        (p, s, numbers.get(p, {}).get(s, 0), sentences.get(p, {}).get(s, 0))
        for p, s in sorted(keys)
    ]
    return env.get_template("report.html.jinja").render(diff=diff, counts=c, places=places)


def write_reports(
    diff: Diff, settings: Settings | None, *, json_path: Path | None, html_folder: Path | None
) -> str:
    """Write the JSON file and the HTML folder asked for (each only where `bulletin diff`
    may write: `bulletin.core.outputs`); return the terminal summary."""
    from bulletin.core.atomic import atomic_write_text
    from bulletin.core.outputs import check_file, protected_folders, write_folder

    root = settings.root if settings else Path.cwd()
    protected = protected_folders(settings) if settings else {}
    if json_path is not None:
        check_file(json_path, recognise=_ours, force=False, root=root, protected=protected)
    if html_folder is not None:
        page = html(diff)

        def fill(folder: Path) -> None:
            (folder / "index.html").write_text(page, encoding="utf-8", newline="\n")

        write_folder(html_folder, "diff", fill, root=root, protected=protected)
    if json_path is not None:
        atomic_write_text(json_path, to_json(diff))
    return text(diff)


def _ours(record: Any) -> bool:
    return isinstance(record, dict) and record.get("generator") == GENERATOR


def _image(diff: Diff) -> Any:
    def image(key: str) -> Triptych | None:
        return diff.images.get(key)

    return image
