"""Render (accessible formats: braille): Unified English Braille, grade 2, as a BRF file.

The linear reading of the publication (`bulletin.render.formats.linear`) is written as a
small XML document (headings, paragraphs, list items; a table's cells are list items, one
sentence each) and formatted by liblouisutdml's `file2brl` with liblouis's `en-ueb-g2.ctb`:
40 cells a line, 25 lines a page, the braille page number at the foot of each page,
headings of the title centred and of sections indented, paragraphs indented 2 cells, list
items and table cells hanging (their runover lines indented 2 cells). BRF is ASCII braille
in capitals (North American Braille ASCII), lines ending CRLF, pages ending with a form
feed, as embossers and braille displays expect.

Nothing is wrapped by hand: `file2brl` breaks lines between words. It writes its
temporary files into the folder it is given (`work`), never the current directory.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from bulletin.render.formats import Job
from bulletin.render.formats.document import Document
from bulletin.render.formats.linear import lines

SUFFIX = ".brf"
TABLE = "en-ueb-g2.ctb"  # Unified English Braille, contracted (the UK's code)
CELLS_PER_LINE = 40
LINES_PER_PAGE = 25
#: Which style of liblouisutdml each element of our XML takes (a semantic-action file).
SEMANTICS = """document doc
heading1 h1
heading2 h2
heading3 h3
para p
list li
"""
#: Lower-case ASCII braille (as file2brl writes it) to the capitals of BRF.
TO_BRF = str.maketrans({chr(c): chr(c - 32) for c in range(0x60, 0x7F)})


def xml(doc: Document) -> str:
    """The publication as the XML `file2brl` formats."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<doc>"]
    for line in lines(doc, "braille"):
        if line.kind == "heading":
            tag = f"h{min(line.level, 3)}"
        elif line.kind in {"li", "cell"}:
            tag = "li"
        elif line.kind == "row":
            continue
        else:
            tag = "p"
        parts.append(f"<{tag}>{escape(line.text)}</{tag}>")
    parts.append("</doc>")
    return "\n".join(parts) + "\n"


def brf(source: str, work: Path) -> bytes:
    """`source` (our XML) as BRF, formatted by file2brl in the folder `work`."""
    (work / "bulletin.sem").write_text(SEMANTICS, encoding="utf-8")
    (work / "source.xml").write_text(source, encoding="utf-8")
    options = {
        "semanticFiles": str(work / "bulletin.sem"),
        "literaryTextTable": TABLE,
        "cellsPerLine": str(CELLS_PER_LINE),
        "linesPerPage": str(LINES_PER_PAGE),
        "braillePages": "yes",
        "printPages": "no",
        "hyphenate": "no",
        "lineEnd": "\\r\\n",
    }
    command = ["file2brl", "-w", str(work)]
    for key, value in options.items():
        command += ["-C", f"{key}={value}"]
    run = subprocess.run(
        [*command, str(work / "source.xml"), str(work / "out.brf")],
        capture_output=True,
        text=True,
        check=False,
    )
    out = work / "out.brf"
    if run.returncode != 0 or not out.is_file():
        raise RuntimeError(f"file2brl failed ({run.returncode}): {run.stderr.strip()}")
    return out.read_bytes().decode("ascii").translate(TO_BRF).encode("ascii")


def write(job: Job) -> Path:
    doc, work = job.doc, job.work
    path = job.folder / f"{doc.id}{SUFFIX}"
    path.write_bytes(brf(xml(doc), work))
    return path
