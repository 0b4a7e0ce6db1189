"""Render (above tables and charts): context -> Jinja -> report/*.qmd -> HTML -> PDF.

`environment` is the one Jinja environment: strict (an unknown name is an error), with
every formatter as a filter, and refusing to print a bare number: a template prints
numbers only through a formatter (DESIGN.md decision 8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core.formatting import FILTERS
from bulletin.core.measure import Measure
from bulletin.tables import Table

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

FENCE = "```"


class TemplateNumberError(TypeError):
    """A template printed a number, a date or a Measure without a formatter."""


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment every publication renders with: strict, with the formatters."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
        finalize=_only_formatted,
    )
    env.filters.update(FILTERS)
    env.filters["htmlblock"] = htmlblock
    env.globals["note_marker"] = note_marker
    env.globals["note_markers"] = note_markers
    env.globals["table_headers"] = table_headers
    return env


def _only_formatted(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal | Fraction | Measure | dt.date):
        raise TemplateNumberError(
            f"a template printed {value!r} without a formatter; use a filter such as "
            "fmt_count, fmt_rate_1dp, pct_1dp or fmt_date"
        )
    return value


def htmlblock(markup: str) -> Markup:
    """Wrap a component's HTML in a raw block for report/*.qmd: a ```{=html} fence holding
    the HTML with no indentation and no blank lines (so that no Markdown reader can take any
    of it for Markdown: DESIGN.md decision 1)."""
    from markupsafe import Markup

    lines = [line.strip() for line in str(markup).splitlines()]
    body = "\n".join(line for line in lines if line)
    if FENCE in body:
        raise ValueError("a component's HTML contains a code fence")
    return Markup(f"{FENCE}{{=html}}\n{body}\n{FENCE}")


def note_marker(notes: Mapping[str, str], key: str) -> str:
    """'[note N]': N is the note's place in the publication's notes (first = 1)."""
    keys = list(notes)
    if key not in keys:
        raise KeyError(f"no note {key!r}; the notes are {', '.join(keys)}")
    return f"[note {keys.index(key) + 1}]"


def note_markers(notes: Mapping[str, str], keys: Sequence[str]) -> str:
    """'[note 1] [note 3]': the markers of several notes, in note order."""
    order = list(notes)
    return " ".join(note_marker(notes, key) for key in sorted(keys, key=order.index))


def table_headers(table: Table, labels: Sequence[str]) -> list[tuple[str, bool]]:
    """Pair the column headings a template gives (the row header's first) with the table's
    columns: (heading, numeric)."""
    if len(labels) != len(table.columns) + 1:
        raise ValueError(
            f"{table.id} has {len(table.columns) + 1} columns; the template gives "
            f"{len(labels)} headings"
        )
    pairs = zip(labels[1:], table.columns, strict=True)
    return [(labels[0], False), *((label, column.numeric) for label, column in pairs)]
