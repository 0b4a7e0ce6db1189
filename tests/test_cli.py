"""The command line: the commands of DESIGN.md, and the build skeleton."""

from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.cli import NOT_BUILT
from tests.conftest import ROOT, run_cli

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
    first = run_cli("build", "--scale", "0.01", root=project)
    assert first.returncode == 0, first.stderr
    assert "public-data: ran" in first.stderr
    assert "population: generating the synthetic population" in first.stderr
    second = run_cli("build", "--scale", "0.01", root=project)
    assert second.returncode == 0, second.stderr
    assert "public-data: skipped" in second.stderr
    assert "population: skipped" in second.stderr
    assert "ran" not in second.stderr


def test_changing_the_generator_parameters_regenerates_the_population(
    project: Path, tmp_path: Path
) -> None:
    """Run from a copy of the source, so that its parameter file can be changed."""
    import shutil

    source = tmp_path / "src"
    shutil.copytree(ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
    first = run_cli("build", "--scale", "0.01", root=project, pythonpath=source)
    assert "population: generating" in first.stderr, first.stderr
    parameters = source / "bulletin/synthetic/parameters.toml"
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(text.replace("value = 0.6\n", "value = 0.61\n", 1), encoding="utf-8")
    assert parameters.read_text(encoding="utf-8") != text
    second = run_cli("build", "--scale", "0.01", root=project, pythonpath=source)
    assert second.returncode == 0, second.stderr
    assert "public-data: skipped" in second.stderr
    assert "population: generating" in second.stderr


def test_synthetic_command_writes_a_new_folder(tmp_path: Path) -> None:
    out = tmp_path / "extract"
    result = run_cli("synthetic", "--scale", "0.01", "--seed", "3", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (out / "dataset.json").is_file()
    assert (out / "school_census.parquet").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["extract"]  # no temporary folder left
    again = run_cli("synthetic", "--scale", "0.01", "--out", str(out))
    assert again.returncode == 1
    assert "already exists" in again.stderr


@pytest.mark.parametrize("scale", ["0", "1.5", "-1"])
def test_scale_must_be_a_share(scale: str) -> None:
    result = run_cli("synthetic", "--scale", scale, "--out", "x")
    assert result.returncode == 2
    assert "scale must be above 0 and at most 1" in result.stderr


def test_quiet_build_prints_nothing(project: Path) -> None:
    result = run_cli("build", "--quiet", "--scale", "0.01", root=project)
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
    result = run_cli("build", "--scale", "0.01", root=project)
    assert result.returncode == 1
    assert (
        f"b1_children_in_need_2013_to_2023.csv, row {national + 1}, column At31_episodes: "
        "'lots' is neither a number nor a GSS symbol"
    ) in result.stderr
