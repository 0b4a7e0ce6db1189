"""Author (new publication): `bulletin new ID` writes a new publication's skeleton.

Three things, all new, and nothing else (DESIGN.md decision 11): the template folder
`templates/<id>/` with `publication.qmd.jinja`; the context module
`src/bulletin/render/publications/<id_with_underscores>.py`; and a `[publications.<id>]`
table appended to `bulletin.toml`. The skeleton has one section, one key statistic, one
figure and one table, all from findings every build computes, so that it builds and passes
QA at once; `docs/new-publication.md` goes on from there.

**Where it may write.** Only inside a checkout of the project: the `bulletin` package in use
must be the project's own `src/bulletin` (an editable install or `PYTHONPATH=src`), never an
installed copy. The id must be new: not declared in the settings, with no template folder
and no module (the modules `common` and `figures` count). Following the output rule
(DESIGN.md decision 15), nothing is overwritten: the folder and the module must not exist,
and the settings file is a regular file in the project, changed by adding to its end. Each
file is written whole (a temporary file renamed into place); when a step fails, what the
earlier steps wrote is removed, so the project is as it was.
"""

from __future__ import annotations

import datetime as dt
import keyword
import shutil
from dataclasses import dataclass
from pathlib import Path

from bulletin.core.atomic import atomic_write_text
from bulletin.core.settings import (
    PUBLICATION_ID,
    SETTINGS_FILE,
    WINDOW_PUBLICATION,
    Settings,
    load_settings,
)
from bulletin.render.publication import TEMPLATE

#: The academic year (of the findings' absence table) the skeleton's figure and table show.
YEAR = "201718"

TEMPLATE_TEXT = """\
{#- The publication $id: written by `bulletin new` as a starting point (docs/new-publication.md). Prose
    in Markdown; every number comes from the findings (m), the real files (real) or the
    facts file (facts) through a formatter; components come from the shared macros. -#}
{% import "shared/components.html.jinja" as c with context -%}
{% import "shared/review.md.jinja" as review with context -%}
{% set notes = {
  "groups": "Each pupil is counted in a single group: looked after first, then on a plan, then other children in need.",
  "rounding": "National counts of children and pupils are rounded to the nearest " ~ (m.disclosure_rounding_base | fmt_count) ~ ".",
  "suppression": "A count from " ~ (m.disclosure_suppress_min | fmt_count) ~ " to " ~ (m.disclosure_suppress_max | fmt_count) ~ " is shown as c. Other cells are hidden where needed so that it cannot be worked out."
} -%}
---
title: {{ publication.title | tojson }}
date: {{ publication.date.isoformat() | tojson }}
synthetic: {{ synthetic | tojson }}
---

## Headline facts

{% call c.key_stat(m.B1 | fmt_count, m.B1) -%}
children needed a social worker at some point between {{ publication.first_year | fmt_reporting_year }} and {{ publication.last_year | fmt_reporting_year }}
{%- endcall %}

{% if synthetic %}
{% call c.note("Synthetic data in this build") -%}
{{ review.synthetic_sentence() }}
{%- endcall %}
{% endif %}

## Absence from school

In {{ years.last | fmt_academic_year_ending }}, pupils on a child protection plan missed {{ cell(m, "tbl-absence-$year", "overall", group="CPPO") | pct_1dp }} of their school sessions. Other pupils missed {{ cell(m, "tbl-absence-$year", "overall", group="other pupils") | pct_1dp }}.

{% call c.figure(figures["$figure"], "$table") -%}
Pupils on a child protection plan missed {{ cell(m, "tbl-absence-$year", "overall", group="CPPO") | pct_1dp }} of their sessions in {{ years.last | fmt_academic_year_ending }}
{%- endcall %}

{% call c.table(tables["$table"], ["Group", "Pupils", "Overall absence", "Persistently absent"], notes, ["groups", "rounding", "suppression"]) -%}
Absence by social care group, {{ years.last | fmt_academic_year_ending }}
{%- endcall %}

## Notes

{{ c.notes(notes) }}
"""

MODULE_TEXT = '''\
"""Render ($id): the figures and tables of the publication $id.

Written by `bulletin new` as a starting point (docs/new-publication.md): the publication
shows what `content` builds here from its inputs (the findings, the real files' context
and the facts), and its template, templates/$id/publication.qmd.jinja, places each figure
and table by its id.
"""

from __future__ import annotations

from bulletin.charts.model import Chart
from bulletin.render.publications import Content, Inputs, common
from bulletin.render.publications import figures as fig
from bulletin.tables.model import Table

#: The academic year of the findings' absence table the figure and the table show.
YEAR = "$year"


def content(inputs: Inputs) -> Content:
    findings = inputs.findings
    figures: list[Chart] = [fig.absence(findings, YEAR, "$figure")]
    tables: list[Table] = [common.absence(findings, YEAR, "$table")]
    return Content({f.id: f for f in figures}, {t.id: t for t in tables})
'''

SETTINGS_TEXT = """
[publications.$id]
title = $title_toml
date = $date
first_year = $first_year
last_year = $last_year
"""


class NewError(Exception):
    """`bulletin new` may not write here; nothing was changed."""


@dataclass(frozen=True)
class Skeleton:
    """What `bulletin new` writes, where."""

    template: Path  # templates/<id>/publication.qmd.jinja
    module: Path  # src/bulletin/render/publications/<id_>.py
    settings: Path  # bulletin.toml


def new_publication(
    pub_id: str,
    title: str | None = None,
    date: dt.date | None = None,
    root: Path | None = None,
) -> Skeleton:
    """Write publication `pub_id`'s skeleton into the project (see the module's docstring).
    Raises `NewError` (nothing written) when it may not."""
    settings = load_settings(root)
    where = places(settings, pub_id)
    window = settings.publication(WINDOW_PUBLICATION)
    first, last = window.years()
    title = title or pub_id.replace("-", " ").capitalize()
    values = {
        "id": pub_id,
        "title": title,
        "title_toml": _toml_string(title),
        "date": (date or window.date).isoformat(),
        "first_year": str(first),
        "last_year": str(last),
        "year": YEAR,
        "figure": f"fig-{pub_id}-absence",
        "table": f"tbl-{pub_id}-absence",
    }
    written: list[Path] = []
    try:
        where.template.parent.mkdir(parents=True)
        written.append(where.template.parent)
        atomic_write_text(where.template, _fill(TEMPLATE_TEXT, values))
        atomic_write_text(where.module, _fill(MODULE_TEXT, values))
        written.append(where.module)
        before = where.settings.read_text(encoding="utf-8")
        atomic_write_text(where.settings, before + _fill(SETTINGS_TEXT, values))
        try:
            load_settings(settings.root)
        except Exception:
            atomic_write_text(where.settings, before)
            raise
    except BaseException:
        for path in reversed(written):
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        raise
    return where


def places(settings: Settings, pub_id: str) -> Skeleton:
    """Where the skeleton of `pub_id` goes; `NewError`, naming every reason, if it may not."""
    import bulletin.render.publications as package

    if not PUBLICATION_ID.fullmatch(pub_id) or keyword.iskeyword(pub_id.replace("-", "_")):
        raise NewError(
            f"{pub_id!r} is not a publication id: use lower-case words of letters and digits "
            "joined by hyphens, such as new-release"
        )
    modules = Path(package.__file__).resolve().parent
    expected = (settings.root / "src" / "bulletin" / "render" / "publications").resolve()
    if modules != expected:
        raise NewError(
            f"it writes only into a checkout of the project, and the bulletin package in "
            f"use is {modules.parent.parent}, not the project's {expected.parent.parent} (it "
            "never writes into an installed package). Run it from the checkout, with its "
            "virtual environment or PYTHONPATH=src"
        )
    where = Skeleton(
        settings.paths.templates / TEMPLATE.format(id=pub_id),
        modules / f"{pub_id.replace('-', '_')}.py",
        settings.root / SETTINGS_FILE,
    )
    reasons = []
    if any(pub.id == pub_id for pub in settings.publications):
        reasons.append(f"{SETTINGS_FILE} already declares [publications.{pub_id}]")
    if where.template.parent.exists() or where.template.parent.is_symlink():
        reasons.append(f"{where.template.parent} already exists")
    if where.module.exists() or where.module.is_symlink():
        reasons.append(f"{where.module} already exists")
    if where.settings.is_symlink() or not where.settings.is_file():
        reasons.append(f"{where.settings} is not a regular file")
    if reasons:
        raise NewError(f"{pub_id} exists: " + "; ".join(reasons) + ". Choose a new id")
    return where


def _fill(text: str, values: dict[str, str]) -> str:
    from string import Template

    return Template(text).substitute(values)


def _toml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string
