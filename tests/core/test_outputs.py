"""The rule of where a command may write (`bulletin.core.outputs`), case by case.

A project here is a folder with the settings' folders made by hand: `data/public`,
`templates`, `report`, `figures`, `.cache`; the linked data lives outside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bulletin.core.outputs import (
    MANIFEST,
    OutputError,
    check_file,
    check_folder,
    write_folder,
)


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    root = tmp_path / "project"
    protected = {
        "public data folder": root / "data" / "public",
        "templates folder": root / "templates",
        "report folder": root / "report",
        "figures folder": root / "figures",
        "cache folder": root / ".cache",
        "linked data folder": tmp_path / "extracts" / "real",
    }
    for folder in protected.values():
        folder.mkdir(parents=True)
        (folder / "keep.txt").write_text("the user's", encoding="utf-8")
    return root, protected


def refused(target: Path, project: tuple[Path, dict[str, Path]], command: str = "build") -> str:
    root, protected = project
    with pytest.raises(OutputError) as caught:
        check_folder(target, command, root=root, protected=protected)
    message = str(caught.value)
    assert message.startswith(f"{target}: ")
    assert message.endswith("Nothing was changed.")
    return message


def allowed(target: Path, project: tuple[Path, dict[str, Path]], command: str = "build") -> None:
    root, protected = project
    check_folder(target, command, root=root, protected=protected)


def with_manifest(folder: Path, files: dict[str, str], **record: object) -> None:
    """`files` in `folder`, and a manifest.json of `record` listing them."""
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    record["files"] = dict.fromkeys(files, "")
    (folder / MANIFEST).write_text(json.dumps(record), encoding="utf-8")


def previous_output(folder: Path, command: str, files: dict[str, str]) -> None:
    """A folder as bulletin <command> leaves it: its files and a manifest listing them."""
    with_manifest(folder, files, generator="bulletin 0.1.0", command=command)


def test_a_missing_folder_and_an_empty_one_are_allowed(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, _ = project
    allowed(root / "_site", project)
    (root / "empty").mkdir()
    allowed(root / "empty", project)


def test_a_previous_output_of_the_same_command_is_allowed(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, _ = project
    site = root / "_site"
    previous_output(site, "build", {"index.html": "x", "report/a.pdf": "y"})
    allowed(site, project)
    (site / "report" / "a.pdf").unlink()  # fewer files than listed: all of them ours
    allowed(site, project)


def test_a_site_from_before_the_manifest_named_its_command_counts_as_a_build(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, _ = project
    site = root / "_site"
    with_manifest(site, {"index.html": "x"}, generator="bulletin 0.1.0")
    allowed(site, project, "build")
    assert "not an output of bulletin synthetic" in refused(site, project, "synthetic")


def test_a_folder_holding_a_users_file_is_refused(project: tuple[Path, dict[str, Path]]) -> None:
    root, _ = project
    folder = root / "d"
    folder.mkdir()
    (folder / "thesis.docx").write_text("years of work", encoding="utf-8")
    message = refused(folder, project)
    assert "is not empty and is not an output of bulletin build" in message
    assert "thesis.docx" in message


def test_a_previous_output_with_a_file_it_does_not_list_is_refused(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, _ = project
    site = root / "_site"
    previous_output(site, "build", {"index.html": "x"})
    (site / "notes" / "mine.txt").parent.mkdir()
    (site / "notes" / "mine.txt").write_text("mine", encoding="utf-8")
    assert "did not write" in refused(site, project)
    assert "notes/mine.txt" in refused(site, project)


def test_an_output_of_another_command_is_refused(project: tuple[Path, dict[str, Path]]) -> None:
    root, _ = project
    extract = root / "extract"
    previous_output(extract, "synthetic", {"children.parquet": "x"})
    assert "not an output of bulletin build" in refused(extract, project, "build")
    allowed(extract, project, "synthetic")


def test_a_manifest_that_is_not_bulletins_does_not_make_a_folder_ours(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, _ = project
    folder = root / "web"
    with_manifest(folder, {"index.html": "mine"}, generator="hugo")
    refused(folder, project)
    (folder / MANIFEST).write_text("not json", encoding="utf-8")
    refused(folder, project)


def test_the_project_root_and_the_folders_above_it_are_refused(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, _ = project
    assert "is the project folder" in refused(root, project)
    assert "holds the project folder" in refused(root.parent, project)
    assert "holds the project folder" in refused(Path("/"), project)


@pytest.mark.parametrize(
    "name",
    [
        "public data folder",
        "templates folder",
        "report folder",
        "figures folder",
        "cache folder",
        "linked data folder",
    ],
)
def test_each_protected_folder_its_ancestors_and_descendants_are_refused(
    project: tuple[Path, dict[str, Path]], name: str
) -> None:
    _, protected = project
    folder = protected[name]
    assert f"is the {name}" in refused(folder, project)
    assert f"is inside the {name}" in refused(folder / "new", project)
    above = refused(folder.parent, project)  # the project root, for most of them
    assert f"holds the {name}" in above or "is the project folder" in above
    if folder.parent != project[0]:
        assert f"holds the {name}" in above
    for other in protected.values():  # nothing was touched
        assert (other / "keep.txt").read_text(encoding="utf-8") == "the user's"


def test_a_file_and_a_symbolic_link_are_refused(project: tuple[Path, dict[str, Path]]) -> None:
    root, _ = project
    file = root / "notes.txt"
    file.write_text("mine", encoding="utf-8")
    assert "is a file, not a folder" in refused(file, project)
    (root / "elsewhere").mkdir()
    (root / "link").symlink_to(root / "elsewhere")
    assert "is a symbolic link" in refused(root / "link", project)


def test_a_relative_path_and_a_path_through_a_link_are_judged_where_they_lead(
    project: tuple[Path, dict[str, Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = project
    monkeypatch.chdir(root / "data")
    assert "is the public data folder" in refused(Path("public"), project)
    (root.parent / "short").symlink_to(root / "data")
    assert "is inside the public data folder" in refused(root.parent / "short/public/x", project)


def test_write_folder_writes_a_manifest_that_the_next_run_recognises(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, protected = project
    out = root / "extract"

    def fill(folder: Path) -> None:
        (folder / "a.csv").write_text("1", encoding="utf-8")
        (folder / "sub").mkdir()
        (folder / "sub" / "b.csv").write_text("2", encoding="utf-8")

    write_folder(out, "synthetic", fill, root=root, protected=protected)
    record = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert record["command"] == "synthetic"
    assert sorted(record["files"]) == ["a.csv", "sub/b.csv"]
    # sha256 of "1", worked out with sha256sum
    assert record["files"]["a.csv"] == (
        "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b"
    )

    def refill(folder: Path) -> None:
        (folder / "c.csv").write_text("3", encoding="utf-8")

    write_folder(out, "synthetic", refill, root=root, protected=protected)
    assert sorted(p.name for p in out.iterdir()) == ["c.csv", MANIFEST]


def test_write_folder_refuses_before_it_writes_anything(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, protected = project
    out = root / "d"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work", encoding="utf-8")
    called: list[Path] = []
    with pytest.raises(OutputError):
        write_folder(out, "synthetic", called.append, root=root, protected=protected)
    assert called == []
    assert sorted(p.name for p in root.iterdir()) == sorted(
        ["d", "data", "templates", "report", "figures", ".cache"]
    )
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "years of work"


def ours(found: object) -> bool:
    return isinstance(found, dict) and found.get("generator") == "bulletin findings"


def test_a_single_file_may_replace_only_a_file_bulletin_wrote(
    project: tuple[Path, dict[str, Path]],
) -> None:
    root, protected = project

    def check(target: Path, force: bool = False) -> None:
        check_file(target, recognise=ours, force=force, root=root, protected=protected)

    check(root / "new.json")  # missing
    mine = root / "findings.json"
    mine.write_text(json.dumps({"generator": "bulletin findings", "measures": {}}))
    check(mine)
    theirs = root / "notes.json"
    theirs.write_text(json.dumps({"generator": "someone"}))
    with pytest.raises(OutputError, match="is not a file bulletin wrote; pass --force"):
        check(theirs)
    check(theirs, force=True)
    text = root / "thesis.docx"
    text.write_bytes(b"PK\x03\x04 not json")
    with pytest.raises(OutputError, match="pass --force"):
        check(text)
    (root / "plain").mkdir()
    with pytest.raises(OutputError, match="is a folder, not a file"):
        check(root / "plain", force=True)
    with pytest.raises(OutputError, match="is the templates folder"):
        check(root / "templates", force=True)
    with pytest.raises(OutputError, match="is inside the public data folder"):
        check(root / "data/public/findings.json", force=True)
