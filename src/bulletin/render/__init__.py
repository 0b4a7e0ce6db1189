"""Render (above tables and charts): context -> Jinja -> report/*.qmd -> HTML -> PDF."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bulletin.core.formatting import FILTERS

if TYPE_CHECKING:
    import jinja2


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment every publication renders with: strict, with the formatters."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env
