"""Render (publication): context -> report/<id>.qmd -> HTML for the screen and for print.

The .qmd is the publication's Jinja template rendered with the findings context: CommonMark
prose, with every component (figure, table, tile, notes) a ```{=html} raw block from the
shared macros. The same .qmd body goes into the screen layout (the web page) and the print
layout (the source of the PDF).

`uncleared` marks every page (and so the PDF) "not yet cleared for publication": a build on
real data does, until the user clears it (`bulletin build --cleared`). The layouts show the
mark when the flag is set (`{% if uncleared is defined and uncleared %}`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.core.problems import InputError, Problem
from bulletin.core.settings import Publication
from bulletin.render import environment
from bulletin.render.markdown import Document, Heading, to_html
from bulletin.render.numbers import Registry
from bulletin.render.project import Project
from bulletin.tables import Table
from bulletin.tables.open_data import GUIDANCE_PAGE, names

TEMPLATE = "{id}/publication.qmd.jinja"
#: The only template folders a publication's .qmd may read: its own and the shared macros
#: (the report stage declares them as its inputs, so a change elsewhere does not rerun it).
TEMPLATE_FOLDERS = ("{id}", "shared")
CHANGES_TEMPLATE = "shared/changes.md.jinja"
CONTENTS_LEVEL = 2  # the contents list shows the sections (## headings)
STATEMENT = "accessibility.html"  # the site's accessibility statement, linked from every page
STATEMENT_TEMPLATE = "layouts/accessibility.html.jinja"


@dataclass(frozen=True)
class Pages:
    screen: str
    print: str
    headings: tuple[Heading, ...]


def has_template(templates: Path, pub_id: str) -> bool:
    return (templates / TEMPLATE.format(id=pub_id)).is_file()


def render_qmd(
    templates: Path,
    publication: Publication,
    context: Mapping[str, Any],
    registry: Registry | None = None,
) -> str:
    """The publication's .qmd. Every figure and table in the context must be placed; every
    number printed from a sourced value is recorded in `registry`. The template may read
    only the folders of `TEMPLATE_FOLDERS`."""
    import jinja2

    env = environment(templates, registry)
    folders = [name.format(id=publication.id) for name in TEMPLATE_FOLDERS]
    env.loader = jinja2.PrefixLoader({f: jinja2.FileSystemLoader(templates / f) for f in folders})
    with template_problems(templates, env, ["publication", *context]):
        template = env.get_template(TEMPLATE.format(id=publication.id))
        text = template.render({"publication": publication, **context})
    placed = set(re.findall(r'\bid="((?:fig|tbl)-[a-z0-9-]+)"', text))
    built = {*context.get("figures", {}), *context.get("tables", {})}
    if built - placed:
        name = f"templates/{TEMPLATE.format(id=publication.id)}"
        message = f"built but not placed in the template: {', '.join(sorted(built - placed))}"
        raise InputError([Problem(name, None, None, message)])
    return text


def render_changes(
    templates: Path,
    publication: Publication,
    changes: Table,
    previous: Mapping[str, Any],
    registry: Registry | None = None,
) -> str:
    """The section of corrections and revisions a publication ends with when built against
    a previous release: a dated notice and `changes` (`bulletin.review.changes`); `previous`
    gives the release's title and date."""
    import jinja2

    env = environment(templates, registry)
    env.loader = jinja2.PrefixLoader({"shared": jinja2.FileSystemLoader(templates / "shared")})
    context = {
        "publication": publication,
        "changes": changes,
        "previous": previous,
        "definitions": {},
    }
    with template_problems(templates):
        return str(env.get_template(CHANGES_TEMPLATE).render(context))


def render_pages(
    templates: Path,
    qmd: str,
    publication: Publication,
    project: Project,
    siblings: Sequence[Publication] = (),
    formats: Sequence[tuple[str, str]] = (),
    *,
    uncleared: bool = False,
) -> Pages:
    """The screen page and the print page of a publication from its .qmd; `siblings` are
    the other publications of the build, which the page links to, and `formats` the
    accessible formats the build made of it (label, file name beside the page), which its
    "request an accessible format" block links; `uncleared` marks real data not yet
    cleared for publication."""
    doc = to_html(qmd)
    env = environment(templates)
    contents = [h for h in doc.headings if h.level == CONTENTS_LEVEL]
    with template_problems(templates, env):
        return _pages(env, doc, contents, publication, project, siblings, formats, uncleared)


def _pages(
    env: Any,
    doc: Document,
    contents: list[Heading],
    publication: Publication,
    project: Project,
    siblings: Sequence[Publication],
    formats: Sequence[tuple[str, str]],
    uncleared: bool,
) -> Pages:
    common = {
        "uncleared": uncleared,
        "project": project,
        "title": _title(doc, publication),
        "published": publication.date,
        "publication": publication,
        "synthetic": bool(doc.meta.get("synthetic")),
        "siblings": [p for p in siblings if p.id != publication.id],
        "contents": contents,
        "body": _markup(doc.body),
        "root": "../",
    }
    data = f"../data/{publication.id}/"
    screen = env.get_template("layouts/screen.html.jinja").render(
        **common,
        pdf=f"{publication.id}.pdf",
        data_zip=data + names(publication.id)[1],
        data_guidance=data + GUIDANCE_PAGE,
        formats=formats,
    )
    printed = env.get_template("layouts/print.html.jinja").render(
        **common, timestamp=timestamp(publication.date)
    )
    return Pages(screen, printed, doc.headings)


def render_index(
    templates: Path,
    publications: Sequence[tuple[Publication, int, int]],
    project: Project,
    *,
    uncleared: bool = False,
) -> str:
    """The site's front page, listing every publication built, oldest first: (publication,
    pages of its PDF, bytes of its PDF)."""
    env = environment(templates)
    with template_problems(templates, env):
        body = env.get_template("layouts/index.html.jinja").render(publications=publications)
        return _site_page(env, project, project.title, body, uncleared)


def render_statement(
    templates: Path,
    publications: Sequence[Publication],
    project: Project,
    facts: Mapping[str, Any],
    *,
    uncleared: bool = False,
) -> str:
    """The site's accessibility statement (`STATEMENT`): its title is the template's own
    `title`; it was prepared on the latest publication date of the publications built."""
    env = environment(templates)
    prepared = max(pub.date for pub in publications)
    with template_problems(templates, env):
        page: Any = env.get_template(STATEMENT_TEMPLATE).make_module(
            {"project": project, "facts": facts, "prepared": prepared}
        )
        return _site_page(env, project, str(page.title), str(page), uncleared)


def _site_page(env: Any, project: Project, title: str, body: str, uncleared: bool) -> str:
    """A page of the site that is not a publication, in the screen layout."""
    return str(
        env.get_template("layouts/screen.html.jinja").render(
            project=project,
            title=title,
            published=None,
            publication=None,
            synthetic=False,
            siblings=[],
            pdf=None,
            contents=[],
            body=_markup(body),
            root="",
            uncleared=uncleared,
        )
    )


@contextmanager
def template_problems(
    templates: Path, env: Any = None, names: Iterable[str] = ()
) -> Iterator[None]:
    """Turn an error in a template into a problem naming the template file, line and column,
    quoting the line, with the nearest names for an undefined one (`bulletin.render.errors`):
    `names` are the names of the template's context, and `env`'s filters and globals."""
    from bulletin.render.errors import is_template_error, template_problem

    try:
        yield
    except Exception as exc:
        if not is_template_error(exc):
            raise
        filters = env.filters if env is not None else ()
        known = [*names, *(env.globals if env is not None else ())]
        raise InputError([template_problem(exc, templates, known, filters)]) from exc


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
