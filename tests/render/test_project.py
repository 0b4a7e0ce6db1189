"""_quarto.yml: its keys are checked against the committed schema; its render list matches
report/ both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bulletin.core.problems import InputError
from bulletin.render.project import read_project, schema, schema_problems
from tests.conftest import ROOT


def test_the_committed_project_file_follows_the_schema() -> None:
    data = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert schema_problems(data, schema()) == []
    project = read_project(ROOT)
    assert project.lang == "en-GB"
    assert project.output_dir == "_site"


def test_the_render_list_and_report_agree_both_ways() -> None:
    listed = set(read_project(ROOT).render)
    made = {p.relative_to(ROOT).as_posix() for p in (ROOT / "report").glob("*.qmd")}
    assert listed == made


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"lang": 5}, "lang: must be a string"),
        ({"colour": "red"}, "colour: is not a key bulletin knows"),
        (
            {"project": {"type": "book", "output-dir": "_site", "render": []}},
            "project.type: 'book' is not one of ['website']",
        ),
        (
            {"project": {"type": "website", "render": ["a.qmd", 3]}},
            "project.output-dir: is required",
        ),
        ({"format": {"html": {"toc": "yes"}}}, "format.html.toc: must be a boolean"),
        ({"website": {"title": "T", "navbar": {}}}, "website.navbar: is not a key bulletin knows"),
    ],
)
def test_the_schema_catches_wrong_keys_and_types(change: dict[str, object], problem: str) -> None:
    data = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    data.update(change)
    assert problem in schema_problems(data, schema())


def test_a_bad_project_file_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "_quarto.yml").write_text("lang: 5\ncolour: red\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_project(tmp_path)
    text = str(caught.value)
    for expected in ("lang: must be a string", "colour: is not a key", "project: is required"):
        assert f"_quarto.yml: {expected}" in text
