"""The command line: the commands of DESIGN.md, and the build skeleton."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.cli import NOT_BUILT
from tests.conftest import run_cli

COMMANDS = ("build", "validate", "findings", "synthetic", "check", "diff", "accessible")


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", sorted(NOT_BUILT))
def test_commands_not_built_yet_say_so_and_fail(command: str) -> None:
    result = run_cli(command)
    assert result.returncode != 0
    assert "not built yet" in result.stderr


def test_build_runs_and_a_second_build_skips_every_stage(project: Path) -> None:
    first = run_cli("build", root=project)
    assert first.returncode == 0, first.stderr
    assert "public-data: ran" in first.stderr
    second = run_cli("build", root=project)
    assert second.returncode == 0, second.stderr
    assert "public-data: skipped" in second.stderr
    assert "ran" not in second.stderr


def test_quiet_build_prints_nothing(project: Path) -> None:
    result = run_cli("build", "--quiet", root=project)
    assert result.returncode == 0
    assert result.stderr == ""


def test_unknown_publication_is_a_usage_error(project: Path) -> None:
    result = run_cli("build", "--publication", "nope", root=project)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_bad_public_data_names_file_row_and_column(project: Path) -> None:
    b1 = (
        project
        / "data/public/cin_characteristics/release_2023/b1_children_in_need_2013_to_2023.csv"
    )
    lines = b1.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    national = next(i for i, line in enumerate(lines) if ",National," in line)
    cells = lines[national].split(",")
    cells[header.index("At31_episodes")] = "lots"
    lines[national] = ",".join(cells)
    b1.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("build", root=project)
    assert result.returncode == 1
    assert (
        f"b1_children_in_need_2013_to_2023.csv, row {national + 1}, column At31_episodes: "
        "'lots' is neither a number nor a GSS symbol"
    ) in result.stderr


def test_build_validates_a_linked_extract_first_and_caches_the_check(project: Path) -> None:
    from tests.data.linked_helpers import FIXTURE

    first = run_cli("build", "--linked-data", str(FIXTURE), root=project)
    assert first.returncode == 0, first.stderr
    lines = first.stderr.splitlines()
    assert lines.index("bulletin: linked-data: running") < lines.index(
        "bulletin: public-data: running"
    )
    second = run_cli("build", "--linked-data", str(FIXTURE), root=project)
    assert second.returncode == 0, second.stderr
    assert "linked-data: skipped" in second.stderr


def test_build_on_a_bad_extract_stops_and_writes_nothing(project: Path, tmp_path: Path) -> None:
    from tests.data.linked_helpers import copy_fixture, set_cell, snapshot

    extract = copy_fixture(tmp_path)
    set_cell(extract, "children", 3, "gender", "Q")
    set_cell(extract, "school_census", 2, "ncyear", "7")  # a warning: not printed by a build
    before = snapshot(project)
    result = run_cli("build", "--linked-data", str(extract), root=project)
    assert result.returncode == 1
    assert "bad input, nothing was changed" in result.stderr
    assert "children.csv, row 3, column gender: 'Q' is not an allowed code" in result.stderr
    assert "ncyear 7" not in result.stderr
    assert "public-data: running" not in result.stderr
    # nothing written but the cache's own bookkeeping: no stage output, no site
    after = snapshot(project)
    written = {name for name in after if not name.startswith(".cache/bulletin/")}
    assert {name: after[name] for name in written} == before
    assert not [n for n in after if n.startswith(".cache/bulletin/stages/")]
