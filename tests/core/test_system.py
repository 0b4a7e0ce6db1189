"""The system components: dpkg's database read by hand-made examples and against this
machine's dpkg-query, the fonts that fontconfig is pointed at, the bundled tools."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bulletin.core.system import (
    COMPONENTS,
    Component,
    Machine,
    debian,
    fonts,
    installed_packages,
    read_components,
)

STATUS = """\
Package: libpango-1.0-0
Status: install ok installed
Priority: optional
Architecture: amd64
Multi-Arch: same
Version: 1.50.12+ds-1
Description: Layout and rendering of internationalized text
 Pango is a library for layout and rendering of text.
 Status: install ok installed

Package: libharfbuzz-subset0
Status: deinstall ok config-files
Architecture: amd64
Version: 6.0.0+dfsg-3

Package: libfribidi0
Status: install ok half-installed
Version: 1.0.8-2.1

Package: libfreetype6
Status: install ok installed
Architecture: amd64
Version: 2.12.1+dfsg-5+deb12u4

Package: libfreetype6
Status: install ok installed
Architecture: i386
Version: 2.12.1+dfsg-5+deb12u3

Package: libpangoft2-1.0-0
Status: hold ok installed
Version: 1.50.12+ds-1
"""


def test_the_status_file_gives_the_installed_packages_and_their_versions() -> None:
    """Installed (or held) packages only; a package of two architectures has both versions;
    a "Status:" inside a description is not a field."""
    assert installed_packages(STATUS) == {
        "libpango-1.0-0": "1.50.12+ds-1",
        "libpangoft2-1.0-0": "1.50.12+ds-1",
        "libfreetype6": "2.12.1+dfsg-5+deb12u3, 2.12.1+dfsg-5+deb12u4",
    }


def test_a_debian_component_is_its_packages_versions(tmp_path: Path) -> None:
    status = tmp_path / "status"
    status.write_text(STATUS, encoding="utf-8")
    machine = Machine(dpkg_status=status)
    assert debian("libpango-1.0-0", "libpangoft2-1.0-0")(machine) == "1.50.12+ds-1"
    assert debian("libharfbuzz-subset0")(machine) == "not installed"
    assert debian("libpango-1.0-0", "libfribidi0")(machine) == (
        "libpango-1.0-0 1.50.12+ds-1, libfribidi0 not installed"
    )
    nowhere = Machine(dpkg_status=tmp_path / "none")
    assert debian("libpango-1.0-0")(nowhere) == f"unknown: no dpkg database at {tmp_path / 'none'}"


def _dpkg_version(package: str) -> str:
    """dpkg-query's own answer: the version when installed, else "not installed"."""
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}|${Version}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    status, _, version = result.stdout.partition("|")
    return version if result.returncode == 0 and status[1:2] == "i" else "not installed"


@pytest.mark.parametrize(
    ("component", "package"),
    [
        ("pango", "libpango-1.0-0"),
        ("harfbuzz", "libharfbuzz0b"),
        ("harfbuzz-subset", "libharfbuzz-subset0"),
        ("fontconfig", "libfontconfig1"),
        ("chromium", "chromium"),
        ("espeak-ng", "espeak-ng"),
    ],
)
def test_this_machine_agrees_with_dpkg_query(component: str, package: str) -> None:
    assert read_components()[component].startswith(_dpkg_version(package))


def test_the_bundled_tools_report_their_versions() -> None:
    """axe-playwright-python 0.1.8 bundles axe-core 4.12.1; pypandoc-binary 1.17 ships
    pandoc 3.9 (toolchain.md, and `bulletin build`'s own record of the axe it ran)."""
    components = read_components()
    assert components["axe-core"] == "4.12.1"
    assert components["pandoc"] == "3.9"


def test_every_component_has_a_value_and_a_distinct_name() -> None:
    names = [c.name for c in COMPONENTS]
    assert len(set(names)) == len(names)
    assert {"pango", "harfbuzz", "harfbuzz-subset", "fontconfig", "fonts"} <= set(names)
    assert {"chromium", "axe-core", "pandoc", "liblouis", "espeak-ng"} <= set(names)
    assert all(value for value in read_components().values())


def test_the_fonts_are_those_fontconfig_is_pointed_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    machine = Machine()
    shutil.copy(dejavu / "DejaVuSerif.ttf", folder)
    one = fonts(machine)
    assert one.startswith("1 font files, 1 configuration files: sha256 ")
    assert fonts(machine) == one
    shutil.copy(dejavu / "DejaVuSans.ttf", folder)
    two = fonts(machine)
    assert two.startswith("2 font files")
    font = folder / "DejaVuSans.ttf"
    os.utime(font, ns=(font.stat().st_atime_ns, font.stat().st_mtime_ns + 10**9))
    assert fonts(machine) not in (one, two)  # the same file, replaced: a new digest
    font.unlink()
    assert fonts(machine) == one


def test_what_is_remembered_is_computed_again_only_when_its_file_changes(
    tmp_path: Path,
) -> None:
    program = tmp_path / "program"
    program.write_text("v1", encoding="utf-8")
    memo = tmp_path / "memo.json"
    calls: list[str] = []

    def version() -> str:
        calls.append("ran")
        return program.read_text(encoding="utf-8")

    component = Component("program", lambda m: m.remembered(program, version))
    assert read_components([component], Machine(memo=memo)) == {"program": "v1"}
    assert read_components([component], Machine(memo=memo)) == {"program": "v1"}
    assert len(calls) == 1  # the second build read the memo file, not the program
    program.write_text("v22", encoding="utf-8")
    assert read_components([component], Machine(memo=memo)) == {"program": "v22"}
    assert len(calls) == 2
