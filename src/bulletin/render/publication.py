"""Render (publication): context -> report/<id>.qmd -> HTML for the screen and for print.

The .qmd is the publication's Jinja template rendered with the findings context: CommonMark
prose, with every component (figure, table, tile, notes) a ```{=html} raw block from the
shared macros. The same .qmd body goes into the screen layout (the web page) and the print
layout (the source of the PDF).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.core.settings import Publication
from bulletin.render import environment
from bulletin.render.markdown import Document, Heading, to_html
from bulletin.render.project import Project

TEMPLATE = "{id}/publication.qmd.jinja"
CONTENTS_LEVEL = 2  # the contents list shows the sections (## headings)


class PlacementError(ValueError):
    """A figure or table was built for a publication but its template does not place it."""


@dataclass(frozen=True)
class Pages:
    screen: str
    print: str
    headings: tuple[Heading, ...]


def has_template(templates: Path, pub_id: str) -> bool:
    return (templates / TEMPLATE.format(id=pub_id)).is_file()


def render_qmd(templates: Path, publication: Publication, context: Mapping[str, Any]) -> str:
    """The publication's .qmd. Every figure and table in the context must be placed."""
    env = environment(templates)
    template = env.get_template(TEMPLATE.format(id=publication.id))
    text = template.render(publication=publication, **context)
    placed = set(re.findall(r'\bid="((?:fig|tbl)-[a-z0-9-]+)"', text))
    built = {*context.get("figures", {}), *context.get("tables", {})}
    if built - placed:
        raise PlacementError(
            f"{publication.id}: built but not placed in its template: "
            + ", ".join(sorted(built - placed))
        )
    return text


def render_pages(templates: Path, qmd: str, publication: Publication, project: Project) -> Pages:
    """The screen page and the print page of a publication from its .qmd."""
    doc = to_html(qmd)
    env = environment(templates)
    contents = [h for h in doc.headings if h.level == CONTENTS_LEVEL]
    common = {
        "project": project,
        "title": _title(doc, publication),
        "published": publication.date,
        "contents": contents,
        "body": _markup(doc.body),
        "root": "../",
    }
    screen = env.get_template("layouts/screen.html.jinja").render(
        **common, pdf=f"{publication.id}.pdf"
    )
    printed = env.get_template("layouts/print.html.jinja").render(
        **common, timestamp=timestamp(publication.date)
    )
    return Pages(screen, printed, doc.headings)


def render_index(templates: Path, publications: Sequence[Publication], project: Project) -> str:
    """The site's front page, listing every publication built."""
    env = environment(templates)
    body = env.get_template("layouts/index.html.jinja").render(publications=publications)
    return env.get_template("layouts/screen.html.jinja").render(
        project=project,
        title=project.title,
        published=None,
        pdf=None,
        contents=[],
        body=_markup(body),
        root="",
    )


def timestamp(day: dt.date) -> str:
    """The only time a PDF carries: midnight UTC on the publication date (no clock read)."""
    return dt.datetime.combine(day, dt.time(), dt.UTC).isoformat()


def _title(doc: Document, publication: Publication) -> str:
    title = doc.meta.get("title")
    if not isinstance(title, str) or not title:
        raise ValueError(f"{publication.id}: the .qmd has no title in its front matter")
    return title


def _markup(html: str) -> Any:
    from markupsafe import Markup

    return Markup(html)
