"""Render (accessible formats: plain text): the publication as UTF-8 text, read from start
to end.

Headings are marked as in Markdown (`#` for the title, `##` for a section, and so on); a
paragraph is one line, never wrapped, so that a reader's own program wraps it; a list
item starts with "- "; blank lines separate blocks. Tables read row by row and figures
are their descriptions (`bulletin.render.formats.linear`).
"""

from __future__ import annotations

from pathlib import Path

from bulletin.render.formats import Job
from bulletin.render.formats.document import Document
from bulletin.render.formats.linear import lines

SUFFIX = ".txt"


def text(doc: Document) -> str:
    """The plain text of the publication."""
    out: list[str] = []
    for line in lines(doc, "plain text"):
        if line.kind == "heading":
            out += ["", f"{'#' * line.level} {line.text}", ""]
        elif line.kind == "li":
            out.append(f"- {line.text}")
        elif line.kind == "cell":
            out.append(line.text)
        elif line.kind == "row":
            out.append("")
        else:
            out += ["", line.text, ""]
    return _squeeze(out)


def _squeeze(out: list[str]) -> str:
    """One blank line between blocks at most; none at the start; one newline at the end."""
    kept: list[str] = []
    for line in out:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip("\n") + "\n"


def write(job: Job) -> Path:
    doc = job.doc
    path = job.folder / f"{doc.id}{SUFFIX}"
    path.write_text(text(doc), encoding="utf-8", newline="\n")
    return path
