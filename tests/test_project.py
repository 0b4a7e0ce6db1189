"""Architecture and project checks: lint, format, strict types, import contracts, pins,
and the calibration contract copied verbatim."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# sha256 of ../shared/reference/calibration-targets.csv, committed here by hand
CALIBRATION_SHA256 = "c655d1ee107d303b697e662751d3ec5622b73c2e0a505f3a8239b1af93b36316"


def _tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_lint() -> None:
    result = _tool("ruff", "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _tool("ruff", "format", "--check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = _tool("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def test_import_contracts() -> None:
    result = _tool("lint-imports")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_import_contracts_catch_a_violation(tmp_path: Path) -> None:
    """A finding that imports the generator must break the forbidden contract. The probe is
    written into a copy of the package (never into src/), which the import linter reads
    first on its path."""
    import os
    import shutil

    shutil.copytree(ROOT / "src", tmp_path / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    probe = tmp_path / "src/bulletin/findings/_contract_probe.py"
    probe.write_text('"""probe"""\n\nimport bulletin.synthetic  # noqa: F401\n', encoding="utf-8")
    env = os.environ | {"PYTHONPATH": str(tmp_path / "src")}
    result = subprocess.run(
        [str(BIN / "lint-imports")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert "bulletin.findings._contract_probe -> bulletin.synthetic" in result.stdout
    assert not (ROOT / "src/bulletin/findings/_contract_probe.py").exists()


def test_calibration_targets_are_copied_verbatim() -> None:
    digest = hashlib.sha256((ROOT / "docs/calibration-targets.csv").read_bytes()).hexdigest()
    assert digest == CALIBRATION_SHA256


@pytest.mark.parametrize(
    ("extras", "lock_file"),
    [(("dev",), "requirements.lock"), (("spark",), "requirements-spark.lock")],
)
def test_every_direct_pin_matches_the_lock(extras: tuple[str, ...], lock_file: str) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [] if "spark" in extras else list(project["dependencies"])
    pins += [pin for extra in extras for pin in project["optional-dependencies"][extra]]
    lock = {}
    for line in (ROOT / lock_file).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            lock[re.sub(r"[-_.]+", "-", name).lower()] = version
    for pin in pins:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]+\])?==([^ ;]+)", pin)
        assert match, f"{pin} is not an exact pin"
        name = re.sub(r"[-_.]+", "-", match[1]).lower()
        assert lock.get(name) == match[3], f"{pin}: the lock has {lock.get(name)}"


@pytest.mark.parametrize(
    "folder",
    [
        "src/bulletin",
        "templates",
        "report",
        "figures",
        "tests",
        "benchmarks",
        "docs",
        "data/public",
    ],
)
def test_layout(folder: str) -> None:
    assert (ROOT / folder).is_dir()


def test_every_module_says_what_it_owns() -> None:
    for path in sorted((ROOT / "src/bulletin").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith('"""'), f"{path.relative_to(ROOT)} has no opening docstring"
