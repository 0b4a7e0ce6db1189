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
