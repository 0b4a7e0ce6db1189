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


def test_an_unknown_name_is_located_by_file_and_line(
    tmp_path: Path, context: dict[str, Any]
) -> None:
    templates = broken_template(
        tmp_path,
        "real.R3_rate | fmt_rate_1dp",
        "real.R3_rtae | fmt_rate_1dp",
    )
    with pytest.raises(InputError) as caught:
        render_qmd(templates, PUB, context)
    line = line_of(templates, "R3_rtae")
    assert str(caught.value).startswith(
        f"templates/data-and-analysis/publication.qmd.jinja, row {line}: "
    )
    assert "R3_rtae" in str(caught.value)


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
    assert f"publication.qmd.jinja, row {line}:" in str(caught.value)


def test_a_syntax_error_is_located(tmp_path: Path, context: dict[str, Any]) -> None:
    templates = broken_template(tmp_path, "{%- endcall %}", "{%- endcal %}")
    with pytest.raises(InputError, match=r"publication\.qmd\.jinja, row"):
        render_qmd(templates, PUB, context)
