"""Render (above tables and charts): context -> Jinja -> report/*.qmd -> HTML -> PDF.

`environment` is the one Jinja environment: strict (an unknown name is an error), with
every formatter as a filter, and refusing to print a bare number: a template prints
numbers only through a formatter (DESIGN.md decision 8). A formatter given a `Sourced`
value prints a `<data>` element carrying the value's id, and records it in the render's
`Registry` (`bulletin.render.numbers`), from which the numbers manifest is written.
`via` prints one measure in words made from others: ``{{ m.B8 | via("similar_likelihood",
m.rr_cla, m.rr_cino, m.rr_cppo) }}``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core.formatting import FILTERS, comparison
from bulletin.core.measure import Measure
from bulletin.core.provenance import Sourced
from bulletin.render.numbers import Registry, data_element
from bulletin.tables import Table

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

FENCE = "```"


class TemplateNumberError(TypeError):
    """A template printed a number, a date or a Measure without a formatter."""


def environment(templates: Path, registry: Registry | None = None) -> jinja2.Environment:
    """The Jinja environment every publication renders with: strict, with the formatters;
    the numbers it prints are recorded in `registry`."""
    import jinja2

    from bulletin.render.errors import undefined_class

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=undefined_class(),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        keep_trailing_newline=True,
        finalize=_only_formatted,
    )
    env.filters.update({name: _numbered(fmt, registry) for name, fmt in FILTERS.items()})
    env.filters["via"] = _via(registry)
    env.globals["number"] = lambda value, text: data_element(value, text, registry)
    env.filters["htmlblock"] = htmlblock
    env.filters["upper_first"] = upper_first
    env.globals["census_date"] = lambda year: dt.date(year, 3, 31)
    env.globals["cell"] = cell
    env.globals["largest"] = largest
    env.globals["smallest"] = smallest
    env.globals["compare"] = compare
    env.globals["note_marker"] = note_marker
    env.globals["note_markers"] = note_markers
    env.globals["table_headers"] = table_headers
    return env


def compare(a: Any, b: Any) -> Any:
    """How `a` compares with `b` in the bands file's words ('higher than'...), marked as
    words worked out from two printed values: <span class="comparison">."""
    from markupsafe import Markup, escape

    return Markup('<span class="comparison">{}</span>').format(
        escape(comparison(_plain(a), _plain(b)))
    )


def _plain(value: Any) -> Any:
    """A formatter's argument: a sourced value's measure (lists too). An undefined name
    fails here, as Jinja's strict undefined does, naming it."""
    import jinja2

    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, Sourced):
        return value.measure
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _numbered(fmt: Callable[..., str], registry: Registry | None) -> Callable[..., Any]:
    """The formatter as a filter: given a `Sourced` value, a `<data>` element."""

    def fmt_filter(value: Any, *args: Any, **kwargs: Any) -> Any:
        text = fmt(_plain(value), *map(_plain, args), **kwargs)
        return data_element(value, text, registry) if isinstance(value, Sourced) else text

    return fmt_filter


def _via(registry: Registry | None) -> Callable[..., Any]:
    def via(value: Sourced, formatter: str, *args: Any) -> Markup:
        """`value` printed as the words `formatter` makes from `args`."""
        if not isinstance(value, Sourced):
            raise TypeError(f"via prints a measure of the context, not {value!r}")
        return data_element(value, FILTERS[formatter](*map(_plain, args)), registry)

    return via


def _only_formatted(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal | Fraction | Measure | Sourced | dt.date):
        raise TemplateNumberError(
            f"a template printed {value!r} without a formatter; use a filter such as "
            "fmt_count, fmt_rate_1dp, pct_1dp or fmt_date"
        )
    return value


def upper_first(text: str) -> str:
    """The text with its first letter upper case, the rest as it is ('CLA' stays 'CLA'); in
    a `<data>` element, the first letter of the text it shows."""
    from markupsafe import Markup

    if isinstance(text, Markup) and text.startswith("<data "):
        head, _, rest = str(text).partition(">")
        return Markup(f"{head}>{rest[:1].upper()}{rest[1:]}")
    return text[:1].upper() + text[1:]


def cell(context: Any, table_id: str, column: str, **labels: str) -> Sourced:
    """One value of a context table, picked by its labels: cell(m, "tbl-ks4-201718",
    "grade5_share", group="CLA")."""
    value: Sourced = context.tables[table_id].row(**labels).values[column]
    return value


def largest(
    context: Any,
    table_id: str,
    column: str,
    exclude: Sequence[str] = (),
    required: bool = True,
    **labels: str,
) -> Any:
    """The row of a context table with the largest shown value in `column`, among the rows
    whose labels are `labels`, that are not a total ('all ...', 'total') and that have no
    label in `exclude` (a row of the rest, such as 'other sequences'); the first on a tie.
    A template names the row's label from it, so a word such as 'the most common' always
    points at the row the data make the largest. With no such row: an error, or None when
    not `required` (a template then says that no value can be shown)."""
    rows = _ranked(context, table_id, column, exclude, required, labels)
    return max(rows, key=_exact(column)) if rows else None


def smallest(
    context: Any,
    table_id: str,
    column: str,
    exclude: Sequence[str] = (),
    required: bool = True,
    **labels: str,
) -> Any:
    """The row with the smallest shown value in `column`, chosen as `largest` chooses."""
    rows = _ranked(context, table_id, column, exclude, required, labels)
    return min(rows, key=_exact(column)) if rows else None


def _ranked(
    context: Any,
    table_id: str,
    column: str,
    exclude: Sequence[str],
    required: bool,
    labels: dict[str, str],
) -> list[Any]:
    table = context.tables[table_id]
    rows = [
        r
        for r in table.rows
        if all(r.labels.get(k) == v for k, v in labels.items())
        and not any(str(v).startswith(("all ", "total")) for v in r.labels.values())
        and not any(v in exclude for v in r.labels.values())
        and r.values[column].measure.shown
    ]
    if not rows and required:
        raise ValueError(f"{table_id}: no row with a value in {column}")
    return rows


def _exact(column: str) -> Callable[[Any], Any]:
    return lambda row: row.values[column].measure.exact


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
