"""`bulletin accessible` on the small-scale build, as a user runs it: every format of the
concluding review, each checked by its real validator before it is kept; the files are
cached, byte-identical when made again, and written only where the command may write."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bulletin.qa.formats import font_sizes
from tests.conftest import copy_built, run_cli

PUB = "concluding-review"
FILES = {
    "large-print": f"{PUB}-large-print.pdf",
    "docx": f"{PUB}.docx",
    "odt": f"{PUB}.odt",
    "epub": f"{PUB}.epub",
    "text": f"{PUB}.txt",
    "braille": f"{PUB}.brf",
    "audio": f"{PUB}.opus",
}
#: The checks each format must have passed (bulletin.qa.formats), by the name they report.
CHECKS = {
    "large-print": {"pdf", "pdfua", "large-print"},
    "docx": {"docx"},
    "odt": {"odt"},
    "epub": {"epubcheck", "ace", "epub"},
    "text": {"text"},
    "braille": {"braille"},
    "audio": {"audio"},
}


@pytest.fixture(scope="module")
def made(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the small build, on which `bulletin accessible PUB --format all` ran."""
    root = copy_built(built, tmp_path_factory.mktemp("accessible") / "project")
    result = run_cli("accessible", PUB, "--format", "all", root=root)
    assert result.returncode == 0, result.stderr
    (root / "accessible.log").write_text(result.stderr, encoding="utf-8")
    return root


def _stage(root: Path, name: str) -> Path:
    entries = sorted((root / ".cache/bulletin/stages" / f"format-{name}-{PUB}").iterdir())
    assert len(entries) == 1, entries
    return entries[0]


def _manifest(root: Path) -> list[dict[str, Any]]:
    numbers = root / "_site" / "report" / f"{PUB}.numbers.json"
    entries: list[dict[str, Any]] = json.loads(numbers.read_text("utf-8"))
    return entries


def test_all_seven_formats_are_written_with_a_marker(made: Path) -> None:
    folder = made / "_accessible" / PUB
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*FILES.values(), ".bulletin-accessible.json"]
    )
    marker = json.loads((folder / ".bulletin-accessible.json").read_text("utf-8"))
    assert sorted(marker["files"]) == sorted(FILES.values())
    for name in FILES.values():
        assert (folder / name).read_bytes() == (_stage(made, _format(name)) / name).read_bytes()


def _format(file: str) -> str:
    return next(name for name, f in FILES.items() if f == file)


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_format_passed_its_checks(made: Path, name: str) -> None:
    results = json.loads((_stage(made, name) / f"{name}.qa.json").read_text("utf-8"))
    assert {r["result"] for r in results} == {"pass"}
    assert {r["check"] for r in results} == CHECKS[name]


def test_the_text_holds_every_manifest_sentence(made: Path) -> None:
    text = (made / "_accessible" / PUB / FILES["text"]).read_text("utf-8")
    entries = _manifest(made)
    assert len(entries) > 100
    missing = [e["sentence"] for e in entries if e["sentence"] not in text]
    assert missing == []


def test_the_large_print_is_16_pt_or_larger(made: Path) -> None:
    sizes = font_sizes(made / "_accessible" / PUB / FILES["large-print"])
    assert min(sizes) >= 16.0
    assert sum(sizes.values()) > 500  # every line of text was read


def test_the_word_document_has_headings_tables_and_alt_text(made: Path) -> None:
    import docx

    document = docx.Document(str(made / "_accessible" / PUB / FILES["docx"]))
    styles = {p.style.name for p in document.paragraphs if p.style is not None}
    assert {"Heading 1", "Heading 2"} <= styles
    assert document.core_properties.language == "en-GB"
    assert all(t.rows[0]._tr.trPr is not None for t in document.tables)
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert alts
    assert all(len(alt.split()) > 5 for alt in alts)


def test_the_audio_has_a_chapter_for_each_section(made: Path) -> None:
    run = subprocess.run(
        ["opusinfo", str(made / "_accessible" / PUB / FILES["audio"])],
        capture_output=True,
        text=True,
        check=True,
    )
    names = [line.split("=", 1)[1] for line in run.stdout.splitlines() if "NAME=" in line]
    text = (made / "_accessible" / PUB / FILES["text"]).read_text("utf-8")
    sections = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert len(names) == len(sections) + 1  # the title's chapter, then one a section
    assert "Playback length" in run.stdout


def test_made_again_it_is_all_cached_and_the_same(made: Path) -> None:
    folder = made / "_accessible" / PUB
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = run_cli("accessible", PUB, "--format", "all", root=made)
    assert result.returncode == 0, result.stderr
    assert "format-audio-concluding-review: skipped" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_made_from_nothing_again_the_bytes_are_the_same(made: Path, tmp_path: Path) -> None:
    """Determinism: the format stages run again in another project, with no cached format."""
    root = copy_built(made, tmp_path / "again")
    for stage in (root / ".cache/bulletin/stages").glob(f"format-*-{PUB}"):
        shutil.rmtree(stage)
    out = tmp_path / "out"
    result = run_cli("accessible", PUB, "--format", "all", "--out", str(out), root=root)
    assert result.returncode == 0, result.stderr
    assert "format-audio-concluding-review: ran" in result.stderr
    for name in FILES.values():
        assert (out / name).read_bytes() == (made / "_accessible" / PUB / name).read_bytes(), name


def test_a_folder_it_did_not_write_is_refused_and_left_alone(made: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", "utf-8")
    result = run_cli("accessible", PUB, "--format", "text", "--out", str(mine), root=made)
    assert result.returncode == 1
    assert "not a folder `bulletin accessible` wrote" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    for guarded in (made / "templates", made / "_site" / "report", made):
        result = run_cli("accessible", PUB, "--format", "text", "--out", str(guarded), root=made)
        assert result.returncode == 1
        assert "refused" in result.stderr


def test_one_format_is_added_to_a_folder_of_others(made: Path, tmp_path: Path) -> None:
    out = tmp_path / "two"
    for name in ("text", "braille"):
        result = run_cli("accessible", PUB, "--format", name, "--out", str(out), root=made)
        assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [FILES["text"], FILES["braille"], ".bulletin-accessible.json"]
    )


def test_the_page_links_the_formats_a_build_made(built: Path) -> None:
    from bulletin.core.settings import load_settings
    from bulletin.render.formats import FORMATS
    from bulletin.render.project import read_project
    from bulletin.render.publication import render_pages

    settings = load_settings(built)
    pub = settings.publication(PUB)
    qmd = (built / "report" / f"{PUB}.qmd").read_text("utf-8")
    links = [(f.label, f.file_name(PUB)) for f in FORMATS.values()]
    project = read_project(built)
    screen = render_pages(settings.paths.templates, qmd, pub, project, (), links).screen
    block = screen.split('id="request-format-title"')[1].split("</section>")[0]
    for label, file in links:
        assert f'<a href="{file}">' in block
        assert label in block
    assert 'href="../accessibility.html#feedback"' in block
    # a build without --formats says how to ask, and links no format
    plain = (built / "_site" / "report" / f"{PUB}.html").read_text("utf-8")
    block = plain.split('id="request-format-title"')[1].split("</section>")[0]
    assert 'href="../accessibility.html#feedback"' in block
    assert not any(file in block for _, file in links)
