"""`bulletin new`: a new publication's skeleton that builds and passes QA at once; refused
outside a checkout, for an id that exists, and for a bad id, with nothing changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, copy_built, run_cli

MODULES = "src/bulletin/render/publications"


def checkout(root: Path) -> Path:
    """Make a project folder a checkout: the package's source beside the settings."""
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    folders = ("templates", "src", "data")
    files = [p for name in folders for p in (root / name).rglob("*") if p.is_file()]
    files += [root / "bulletin.toml"]
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in files
        if "__pycache__" not in p.parts
    }


@pytest.mark.slow
def test_a_new_publication_builds_and_passes_qa_and_lays_out_no_other_pdf_again(
    built: Path, tmp_path: Path
) -> None:
    root = checkout(copy_built(built, tmp_path / "project"))
    made = run_cli("new", "example", root=root, pythonpath=root / "src")
    assert made.returncode == 0, made.stderr
    template = root / "templates/example/publication.qmd.jinja"
    assert template.is_file()
    assert (root / MODULES / "example.py").is_file()
    assert "[publications.example]" in (root / "bulletin.toml").read_text(encoding="utf-8")
    assert "bulletin preview --publication example" in made.stderr

    result = run_cli("build", root=root, pythonpath=root / "src")
    assert result.returncode == 0, result.stderr
    # the other publications' pages now link to it, but their print pages, and so their
    # PDFs, are as they were: no other PDF is laid out again
    for pub in ("data-and-analysis", "interim-findings", "concluding-review"):
        assert f"bulletin: pages-{pub}: ran" in result.stderr
        assert f"bulletin: pdf-{pub}: skipped" in result.stderr
    assert "bulletin: pdf-example: ran" in result.stderr
    manifest = json.loads((root / "_site/manifest.json").read_text(encoding="utf-8"))
    assert "example" in [p["id"] for p in manifest["publications"]]
    assert manifest["qa"]["fail"] == 0
    page = (root / "_site/report/example.html").read_text(encoding="utf-8")
    # one section, one key statistic, one figure and one table
    assert page.count('<h2 id="absence-from-school"') == 1
    assert page.count('class="key-stat"') == 1
    assert page.count('<figure class="chart" id="fig-example-absence"') == 1
    assert page.count('id="tbl-example-absence"') == 1
    assert (root / "_site/report/example.pdf").is_file()
    assert (root / "report/example.qmd").is_file()


def test_outside_a_checkout_it_refuses_and_writes_nothing(project: Path) -> None:
    """The package in use is the repository's, not the project's: never write into it."""
    before = snapshot(project)
    result = run_cli("new", "example", root=project)
    assert result.returncode == 1
    assert "it writes only into a checkout of the project" in result.stderr
    assert "Nothing was changed." in result.stderr
    assert snapshot(project) == before
    assert not (ROOT / MODULES / "example.py").exists()


@pytest.mark.parametrize(
    ("pub_id", "reason"),
    [
        ("interim-findings", "bulletin.toml already declares [publications.interim-findings]"),
        ("common", "common.py already exists"),  # a module of the package, not a publication
        ("stray", "templates/stray already exists"),
        ("Bad_Id", "'Bad_Id' is not a publication id"),
        ("class", "'class' is not a publication id"),  # not a module name
    ],
)
def test_an_id_that_exists_or_is_bad_is_refused(project: Path, pub_id: str, reason: str) -> None:
    root = checkout(project)
    (root / "templates/stray").mkdir()
    before = snapshot(root)
    result = run_cli("new", pub_id, root=root, pythonpath=root / "src")
    assert result.returncode == 1
    assert reason in result.stderr
    assert "Nothing was changed." in result.stderr
    assert snapshot(root) == before
