"""Rendering a publication: every figure and table placed, template errors located."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from bulletin.core.problems import InputError
from bulletin.core.settings import load_settings
from bulletin.pipeline import data_and_analysis
from bulletin.render.publication import render_qmd
from tests.conftest import ROOT

SETTINGS = load_settings(ROOT)
PUB = SETTINGS.publication("data-and-analysis")
CONTEXT = data_and_analysis(SETTINGS, PUB, SETTINGS.paths.public_data)


def test_the_chart_is_followed_by_the_table_of_its_numbers() -> None:
    qmd = render_qmd(SETTINGS.paths.templates, PUB, CONTEXT)
    figure = qmd.index('id="fig-cin-by-year"')
    table = qmd.index('id="tbl-cin-by-year"')
    assert figure < table
    between = qmd[figure:table]
    assert "\n#" not in between  # no heading between them
    assert between.count("```{=html}") == 1  # the next component is the table


def test_a_table_built_but_not_placed_is_an_error() -> None:
    extra = dataclasses.replace(CONTEXT["tables"]["tbl-cin-by-year"], id="tbl-extra")
    context = {**CONTEXT, "tables": {**CONTEXT["tables"], "tbl-extra": extra}}
    with pytest.raises(
        InputError,
        match=r"publication\.qmd\.jinja: built but not placed in the template: tbl-extra",
    ):
        render_qmd(SETTINGS.paths.templates, PUB, context)


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


def test_an_unknown_name_is_located_by_file_and_line(tmp_path: Path) -> None:
    templates = broken_template(
        tmp_path, "cin.first.rate | fmt_rate_1dp", "cin.frist.rate | fmt_rate_1dp"
    )
    with pytest.raises(InputError) as caught:
        render_qmd(templates, PUB, CONTEXT)
    line = line_of(templates, "cin.frist")
    assert str(caught.value).startswith(
        f"templates/data-and-analysis/publication.qmd.jinja, row {line}: "
    )
    assert "frist" in str(caught.value)


def test_a_number_printed_without_a_formatter_is_located(tmp_path: Path) -> None:
    templates = broken_template(
        tmp_path,
        "{{ cin.latest.children | fmt_count }} children in England",
        "{{ cin.latest.children }} children in England",
    )
    with pytest.raises(InputError, match="without a formatter") as caught:
        render_qmd(templates, PUB, CONTEXT)
    line = line_of(templates, "{{ cin.latest.children }} children in England")
    assert f"publication.qmd.jinja, row {line}:" in str(caught.value)


def test_a_syntax_error_is_located(tmp_path: Path) -> None:
    templates = broken_template(tmp_path, "{%- endcall %}", "{%- endcal %}")
    with pytest.raises(InputError, match=r"publication\.qmd\.jinja, row"):
        render_qmd(templates, PUB, CONTEXT)
