"""Render (accessible formats: pandoc): the one way the pandoc formats (Word, OpenDocument,
EPUB) run pandoc, from the semantic HTML page (`bulletin.render.formats.html`).

pandoc is the binary of the pinned `pypandoc-binary` wheel. Its output is made
deterministic (toolchain-2.md, section 5): `SOURCE_DATE_EPOCH` is midnight UTC on the
publication date, and the document identifier is derived from the publication's id and
date, never random. The figures' SVG files are copied beside the page without their
DOCTYPE (EPUB forbids external identifiers in one; nothing else needs it).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path

from bulletin.render.formats import html
from bulletin.render.formats.document import Document

DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[[^\]]*\])?\s*>\s*")
#: The namespace the document identifiers are made in (a fixed, random-looking UUID).
NAMESPACE = uuid.UUID("5c1a2d7e-3f1b-4c8a-9a53-7d0c2b6e1f40")


def executable() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def epoch(doc: Document) -> int:
    """Midnight UTC on the publication date, in seconds: the only time the files carry."""
    day = dt.date.fromisoformat(doc.date)
    return int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp())


def identifier(doc: Document) -> str:
    """A fixed identifier for the publication's documents: urn:uuid from its id and date."""
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{doc.id}/{doc.date}')}"


def copy_figures(doc: Document, work: Path) -> None:
    """Each figure's SVG into `work`, as <id>.svg, without its DOCTYPE."""
    for fig_id, path in sorted(doc.figures.items()):
        (work / f"{fig_id}.svg").write_bytes(DOCTYPE.sub(b"", path.read_bytes(), count=1))


def convert(
    doc: Document, page: str, target: Path, to: str, work: Path, args: Sequence[str] = ()
) -> None:
    """Write `page` (HTML) in `work` with the figures beside it, and convert it with pandoc
    to the format `to`, into `target`."""
    copy_figures(doc, work)
    source = work / "source.html"
    source.write_text(page, encoding="utf-8")
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch(doc)))
    command = [
        executable(),
        str(source),
        "--from=html",
        f"--to={to}",
        f"--output={target}",
        f"--resource-path={work}",
        f"--metadata=lang:{doc.lang}",
        f"--metadata=identifier:{identifier(doc)}",
        f"--metadata=date:{doc.date}",
        *args,
    ]
    run = subprocess.run(command, capture_output=True, text=True, cwd=work, env=env, check=False)
    if run.returncode != 0 or run.stderr.strip():
        raise RuntimeError(f"pandoc to {to} failed ({run.returncode}): {run.stderr.strip()}")


def word_processor(doc: Document, to: str, work: Path) -> bytes:
    """The publication as a word processor's file (`to`: docx or odt): the page without its
    h1, whose text becomes the document's title, and its sections one level up (Heading 1)."""
    made = work / f"pandoc.{to}"
    convert(doc, html.page(doc, title=False), made, to, work, ["--shift-heading-level-by=-1"])
    return made.read_bytes()
