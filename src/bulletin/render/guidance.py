"""Render (data guidance): a publication's data guidance as a page of the site.

The page is `bulletin.tables.guidance.Guidance` in the site's screen layout, beside the
files it describes (data/<publication>/), with links to each of them, to the spreadsheet
and to the ZIP of everything ("Download all data").
"""

from __future__ import annotations

from pathlib import Path

from bulletin.render.project import Project
from bulletin.render.publication import template_problems
from bulletin.tables.guidance import Guidance

TEMPLATE = "layouts/data-guidance.html.jinja"


def render_guidance(
    templates: Path,
    guidance: Guidance,
    project: Project,
    spreadsheet: str,
    archive: str,
    text: str,
    *,
    synthetic: bool,
    uncleared: bool,
) -> str:
    """The data guidance page (it lives two folders below the site's root), with the
    publication's banner for synthetic data and, on real data not yet cleared, the mark
    every page of such a build carries."""
    from markupsafe import Markup

    from bulletin.render import environment

    env = environment(templates)
    with template_problems(templates, env):
        body = env.get_template(TEMPLATE).render(
            guidance=guidance, spreadsheet=spreadsheet, archive=archive, text=text
        )
        contents = [{"id": "symbols", "text": "Symbols"}] if guidance.symbols else []
        contents.append({"id": "time-and-geography", "text": "Time and geography columns"})
        contents += [{"id": f.name.removesuffix(".csv"), "text": f.title} for f in guidance.files]
        return str(
            env.get_template("layouts/screen.html.jinja").render(
                project=project,
                title=f"{guidance.title}: data guidance",
                published=guidance.published,
                publication=None,
                synthetic=synthetic,
                uncleared=uncleared,
                siblings=[],
                pdf=None,
                contents=contents,
                body=Markup(body),
                root="../../",
            )
        )
