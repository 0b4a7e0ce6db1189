"""Rendering a publication: every figure and table placed, template errors located."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bulletin.core.problems import InputError
from bulletin.core.settings import load_settings
from bulletin.render.errors import TemplateProblem
from bulletin.render.publication import render_qmd
from bulletin.render.publications import Inputs, content, template_context
from tests.conftest import ROOT

SETTINGS = load_settings(ROOT)
PUB = SETTINGS.publication("data-and-analysis")


@pytest.fixture(scope="module")
def context(small_inputs: Callable[[str], Inputs]) -> dict[str, Any]:
    inputs = small_inputs(PUB.id)
    return template_context(inputs, content(inputs))


def test_the_chart_is_followed_by_the_table_of_its_numbers(context: dict[str, Any]) -> None:
    qmd = render_qmd(SETTINGS.paths.templates, PUB, context)
    figure = qmd.index('id="fig-cin-by-year"')
    table = qmd.index('id="tbl-cin-by-year"')
    assert figure < table
    between = qmd[figure:table]
    assert "\n#" not in between  # no heading between them
    assert between.count("```{=html}") == 1  # the next component is the table


def test_a_table_built_but_not_placed_is_an_error(context: dict[str, Any]) -> None:
    extra = dataclasses.replace(context["tables"]["tbl-cin-by-year"], id="tbl-extra")
    more = {**context, "tables": {**context["tables"], "tbl-extra": extra}}
    with pytest.raises(
        InputError,
        match=r"publication\.qmd\.jinja: built but not placed in the template: tbl-extra",
    ):
        render_qmd(SETTINGS.paths.templates, PUB, more)


def broken_template(tmp_path: Path, old: str, new: str) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    path = templates / "data-and-analysis" / "publication.qmd.jinja"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return templates


def line_of(templates: Path, needle: str) -> int:
    text = (templates / "data-and-analysis" / "publication.qmd.jinja").read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def problem_of(caught: pytest.ExceptionInfo[InputError]) -> TemplateProblem:
    (problem,) = caught.value.problems
    assert isinstance(problem, TemplateProblem)
    return problem


def problem_rendering(
    tmp_path: Path, context: dict[str, Any], old: str, new: str
) -> tuple[Path, TemplateProblem]:
    """The templates with `old` replaced by `new`, and the one problem rendering them."""
    templates = broken_template(tmp_path, old, new)
    with pytest.raises(InputError) as caught:
        render_qmd(templates, PUB, context)
    return templates, problem_of(caught)


def quoted(templates: Path, needle: str, column_of: str) -> tuple[int, str, int]:
    """The line holding `needle`, its text, and the column of `column_of` in it (from 1)."""
    line = line_of(templates, needle)
    text = (templates / "data-and-analysis/publication.qmd.jinja").read_text("utf-8")
    line_text = text.splitlines()[line - 1]
    return line, line_text, line_text.index(column_of) + 1


def test_an_undefined_measure_names_the_line_column_and_the_nearest_measure(
    tmp_path: Path, context: dict[str, Any]
) -> None:
    templates, problem = problem_rendering(
        tmp_path, context, "real.R3_rate | fmt_rate_1dp", "real.R3_rtae | fmt_rate_1dp"
    )
    line, text, column = quoted(templates, "R3_rtae", "R3_rtae")
    assert (problem.file, problem.line, problem.column) == (
        "templates/data-and-analysis/publication.qmd.jinja",
        line,
        str(column),
    )
    assert problem.message == "real has no 'R3_rtae'"
    assert problem.suggestions[0] == "real.R3_rate"
    assert problem.line_text == text
    message, quote, caret = str(problem).splitlines()[:3]
    assert message == (
        f"templates/data-and-analysis/publication.qmd.jinja, line {line}, column {column}: "
        "real has no 'R3_rtae'"
    )
    # a long line is quoted around the column, the caret under the name
    assert quote.startswith(f"    {line} | ...")
    assert quote.endswith("...")
    assert "{{ real.R3_rtae | fmt_rate_1dp }}" in quote
    assert caret.index("^") == quote.index("R3_rtae")
    assert "Did you mean real.R3_rate" in str(problem)


def test_an_undefined_bare_name_suggests_the_nearest_name_of_the_context(
    tmp_path: Path, context: dict[str, Any]
) -> None:
    templates, problem = problem_rendering(
        tmp_path,
        context,
        "years.previous | fmt_reporting_year",
        "yeers.previous | fmt_reporting_year",
    )
    line, _, column = quoted(templates, "yeers.previous", "yeers")
    assert (problem.line, problem.column) == (line, str(column))
    assert problem.message == "'yeers' is not defined: the template has no name 'yeers'"
    assert problem.suggestions == ("years",)


def test_an_undefined_key_passed_to_a_macro_is_located_where_it_is_named(
    tmp_path: Path, context: dict[str, Any]
) -> None:
    """The shared table macro notices the missing table; the problem is the line of the
    publication that names it, and the macro's line is given too."""
    templates, problem = problem_rendering(
        tmp_path, context, 'c.table(tables["tbl-cin-by-year"]', 'c.table(tables["tbl-cin-by-yaer"]'
    )
    line, _, column = quoted(templates, "tbl-cin-by-yaer", "tbl-cin-by-yaer")
    assert (problem.file, problem.line, problem.column) == (
        "templates/data-and-analysis/publication.qmd.jinja",
        line,
        str(column - 2),  # the ["...] around the key: the column of the opening bracket
    )
    assert problem.message == "tables has no 'tbl-cin-by-yaer'"
    assert problem.suggestions[0] == 'tables["tbl-cin-by-year"]'
    assert problem.noticed_in
    assert problem.noticed_in[0].startswith("templates/shared/components.html.jinja, line ")


def test_a_number_printed_without_a_formatter_is_located(
    tmp_path: Path, context: dict[str, Any]
) -> None:
    templates = broken_template(
        tmp_path,
        "{{ real.R1 | fmt_count }} children in England",
        "{{ real.R1 }} children in England",
    )
    with pytest.raises(InputError, match="without a formatter") as caught:
        render_qmd(templates, PUB, context)
    line = line_of(templates, "{{ real.R1 }} children in England")
    assert f"publication.qmd.jinja, line {line}:" in str(caught.value)


def test_a_syntax_error_names_the_token_and_the_block_still_open(
    tmp_path: Path, context: dict[str, Any]
) -> None:
    templates, problem = problem_rendering(tmp_path, context, "{%- endcall %}", "{%- endcal %}")
    line, _, column = quoted(templates, "{%- endcal %}", "endcal")
    opened, _, _ = quoted(templates, "{% call c.key_stat_item(m.B1", "{% call")
    assert (problem.line, problem.column) == (line, str(column))
    assert problem.message.startswith("Encountered unknown tag 'endcal'.")
    assert problem.message.endswith(
        f"The {{% call %}} still open was opened at line {opened}, column 1."
    )


def test_an_unclosed_block_points_at_the_tag_that_opened_it(
    tmp_path: Path, context: dict[str, Any]
) -> None:
    """The last table's {% endcall %} is missing: Jinja notices at the end of the file; the
    problem is the {% call %} left open."""
    source = (ROOT / "templates/data-and-analysis/publication.qmd.jinja").read_text("utf-8")
    last_call = source.rindex("{% call c.table(")
    end = source.index("{%- endcall %}", last_call)
    _, problem = problem_rendering(
        tmp_path, context, source[last_call : end + len("{%- endcall %}")], source[last_call:end]
    )
    line = source[:last_call].count("\n") + 1
    assert (problem.line, problem.column) == (line, "1")
    assert problem.message == (
        "the {% call %} block opened here is never closed: add {% endcall %} where it ends"
    )
    assert problem.line_text.startswith("{% call c.table(")


def test_an_unknown_filter_suggests_the_nearest_filters(
    tmp_path: Path, context: dict[str, Any]
) -> None:
    templates, problem = problem_rendering(
        tmp_path, context, "real.R1 | fmt_count", "real.R1 | fmt_cuont"
    )
    line, _, column = quoted(templates, "fmt_cuont", "fmt_cuont")
    assert (problem.line, problem.column) == (line, str(column))
    assert problem.message == "No filter named 'fmt_cuont'."
    assert problem.suggestions[0] == "fmt_count"
