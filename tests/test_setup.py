"""Set-up (`./run`): the system packages it installs, as on a fresh Debian machine.

The functions of `run` are sourced into bash, with `run`'s own `set -euo pipefail`, and
called with fakes first on PATH: a `dpkg-query` that knows only what the fake `apt-get`
has "installed" (and, like the real one, exits 1 for a name it has never heard of), an
`apt-get` and a `sudo` that record what they were asked, and an `id` that says who we
are. Then the real probe against this machine's dpkg, and shellcheck on the scripts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: what the sourced functions run besides bash's builtins and the fakes
REAL_TOOLS = ("bash", "cat", "dirname", "env", "mktemp", "rm")

FAKE_DPKG_QUERY = """
import os, sys
from pathlib import Path
state = Path(os.environ["FAKE"])
known = dict(line.split() for line in (state / "dpkg").read_text().splitlines() if line)
if os.environ.get("FAKE_DPKG_BROKEN"):
    print("dpkg-query: error: parsing file '/var/lib/dpkg/status': damaged", file=sys.stderr)
    sys.exit(2)
form = next(a for a in sys.argv[1:] if a.startswith("-f=")).removeprefix("-f=")
unknown = 0
for name in (a for a in sys.argv[1:] if not a.startswith("-")):
    if name in known:
        text = form.replace("${db:Status-Abbrev}", known[name].ljust(3))
        sys.stdout.write(text.replace("${Package}", name).replace("\\\\n", "\\n"))
    else:
        print(f"dpkg-query: no packages found matching {name}", file=sys.stderr)
        unknown = 1
sys.exit(unknown)
"""

FAKE_APT_GET = """
import os, sys
from pathlib import Path
state = Path(os.environ["FAKE"])
with (state / "calls").open("a") as calls:
    calls.write("apt-get " + " ".join(sys.argv[1:]) + "\\n")
words = [a for a in sys.argv[1:] if not a.startswith("-")]
if words[0] == "install" and os.environ.get("FAKE_APT_FAIL"):
    print("Some packages could not be installed. This may mean that you have")
    print("E: Unable to correct problems, you have held broken packages.", file=sys.stderr)
    sys.exit(100)
if words[0] == "install" and not os.environ.get("FAKE_APT_NOOP"):
    with (state / "dpkg").open("a") as dpkg:
        dpkg.writelines(f"{name} ii\\n" for name in words[1:])
    if "python3" in words:  # now there is a python3 that has venv and ensurepip
        python = state / "bin" / "python3"
        python.write_text("#!/bin/sh\\nexit 0\\n")
        python.chmod(0o755)
"""

FAKE_SUDO = """
import os, sys
from pathlib import Path
with (Path(os.environ["FAKE"]) / "calls").open("a") as calls:
    calls.write("sudo " + " ".join(sys.argv[1:]) + "\\n")
os.execvp(sys.argv[1], sys.argv[1:])
"""


def apt_packages() -> list[str]:
    """The APT_PACKAGES array of `run`, read from its text."""
    text = (ROOT / "run").read_text(encoding="utf-8")
    match = re.search(r"^APT_PACKAGES=\(\n(.*?)^\)", text, re.M | re.S)
    assert match, "run has no APT_PACKAGES array"
    return match[1].split()


@dataclass
class Machine:
    """A fake machine: a folder with the fakes, the state of its dpkg, the calls made."""

    home: Path

    def run(self, script: str, uid: int = 0, **env: str) -> subprocess.CompletedProcess[str]:
        variables = {
            "PATH": f"{self.home / 'bin'}:{self.home / 'tools'}",
            "FAKE": str(self.home),
            "FAKE_UID": str(uid),
            "LANG": "C.UTF-8",
            **env,
        }
        return subprocess.run(
            [_bash(), "-c", f'source "$1"; {script}', "bash", self.home / "run"],
            capture_output=True,
            text=True,
            env=variables,
            check=False,
            timeout=60,
        )

    def installed(self, *names: str, status: str = "ii") -> None:
        with (self.home / "dpkg").open("a", encoding="utf-8") as dpkg:
            dpkg.writelines(f"{name} {status}\n" for name in names)

    def calls(self) -> list[str]:
        calls = self.home / "calls"
        return calls.read_text(encoding="utf-8").splitlines() if calls.exists() else []

    def installs(self) -> list[list[str]]:
        """The packages of each `apt-get install` call, in order."""
        found = []
        for call in self.calls():
            words = call.split()
            if words[0] == "apt-get" and "install" in words:
                found.append([w for w in words[words.index("install") + 1 :] if w[0] != "-"])
        return found


def _bash() -> str:
    found = shutil.which("bash")
    assert found
    return found


def _script(path: Path, body: str, interpreter: str = sys.executable) -> None:
    path.write_text(f"#!{interpreter}\n{body.lstrip()}", encoding="utf-8")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    """A fresh machine: dpkg knows no package at all, python3 with venv is there, no sudo
    unless a test adds it. `run` is copied in, so that it finds no .venv beside it."""
    bin_, tools = tmp_path / "bin", tmp_path / "tools"
    bin_.mkdir()
    tools.mkdir()
    for tool in REAL_TOOLS:
        found = shutil.which(tool)
        assert found, tool
        (tools / tool).symlink_to(found)
    _script(bin_ / "dpkg-query", FAKE_DPKG_QUERY)
    _script(bin_ / "apt-get", FAKE_APT_GET)
    _script(bin_ / "id", '[ "$1" = -u ] && echo "$FAKE_UID"\n', "/bin/sh")
    _script(bin_ / "python3", "exit 0\n", "/bin/sh")
    (tmp_path / "dpkg").write_text("", encoding="utf-8")
    shutil.copy(ROOT / "run", tmp_path / "run")
    return Machine(tmp_path)


def test_the_package_list_names_what_the_build_needs() -> None:
    packages = apt_packages()
    assert {"chromium", "libharfbuzz-subset0", "libpango-1.0-0", "fontconfig"} <= set(packages)


def test_a_fresh_machine_gets_every_package_in_one_install(machine: Machine) -> None:
    """dpkg has never heard of any of them (exit 1): every one is asked for, at once."""
    result = machine.run("setup_system")
    assert result.returncode == 0, result.stderr
    assert machine.installs() == [apt_packages()]
    assert machine.calls()[0].startswith("apt-get -q update")
    assert "installing system packages" in result.stderr


def test_no_python_means_python3_and_venv_as_well(machine: Machine) -> None:
    (machine.home / "bin" / "python3").unlink()
    result = machine.run("setup_system")
    assert result.returncode == 0, result.stderr
    assert machine.installs() == [["python3", "python3-venv", *apt_packages()]]


def test_only_what_is_missing_is_installed(machine: Machine) -> None:
    """Installed packages are left alone; one dpkg knows but has removed (rc: only its
    configuration files are left) is installed like one it has never heard of."""
    packages = apt_packages()
    machine.installed(*packages[::2])
    machine.installed(packages[1], status="rc")
    result = machine.run("setup_system")
    assert result.returncode == 0, result.stderr
    assert machine.installs() == [packages[1::2]]


def test_nothing_missing_runs_no_apt(machine: Machine) -> None:
    machine.installed(*apt_packages())
    result = machine.run("setup_system")
    assert result.returncode == 0, result.stderr
    assert machine.calls() == []
    assert result.stderr == ""


def test_not_root_installs_through_sudo(machine: Machine) -> None:
    _script(machine.home / "bin" / "sudo", FAKE_SUDO)
    result = machine.run("setup_system", uid=1000)
    assert result.returncode == 0, result.stderr
    sudo = [call for call in machine.calls() if call.startswith("sudo ")]
    assert [call.split()[3] for call in sudo] == ["apt-get", "apt-get"]  # sudo env VAR= apt-get
    assert machine.installs() == [apt_packages()]


def test_neither_root_nor_sudo_says_what_to_do(machine: Machine) -> None:
    result = machine.run("setup_system", uid=1000)
    assert result.returncode == 1
    assert machine.calls() == []
    assert "sudo is not installed" in result.stderr
    assert "as root" in result.stderr
    assert f"apt-get install {' '.join(apt_packages())}" in result.stderr


def test_a_failing_apt_stops_set_up_with_its_message(machine: Machine) -> None:
    result = machine.run("setup_system; echo WENT-ON", FAKE_APT_FAIL="1")
    assert result.returncode == 100
    assert "WENT-ON" not in result.stdout
    assert "E: Unable to correct problems, you have held broken packages." in result.stderr
    assert "Some packages could not be installed" in result.stderr  # apt's stdout too
    assert "apt-get install failed (exit 100)" in result.stderr


def test_an_install_that_installed_nothing_is_not_a_success(machine: Machine) -> None:
    result = machine.run("setup_system; echo WENT-ON", FAKE_APT_NOOP="1")
    assert result.returncode == 1
    assert "WENT-ON" not in result.stdout
    assert "still not installed: " + " ".join(apt_packages()) in result.stderr


def test_a_broken_dpkg_stops_set_up(machine: Machine) -> None:
    result = machine.run("setup_system; echo WENT-ON", FAKE_DPKG_BROKEN="1")
    assert result.returncode != 0
    assert "WENT-ON" not in result.stdout
    assert "dpkg-query -W failed" in result.stderr
    assert machine.calls() == []


# -- the real probe, against this machine's dpkg ---------------------------------------------


def dpkg_says_installed(name: str) -> bool:
    """dpkg-query's own answer for one package: installed when the second letter of its
    status is i; a name dpkg has never heard of (exit 1) is not installed."""
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}", name],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode == 0 and result.stdout[1:2] == "i"


def test_the_real_probe_agrees_with_dpkg() -> None:
    """`not_installed` on this machine, for installed packages, a name no Debian release has,
    and real packages this project never installs, asked all at once as set-up does."""
    names = ["dpkg", "bash", "bulletin-no-such-package", "cowsay", "sl", "fortune-mod"]
    expected = [name for name in names if not dpkg_says_installed(name)]
    assert "dpkg" not in expected
    assert "bulletin-no-such-package" in expected
    result = subprocess.run(
        [_bash(), "-c", 'source "$1" && shift && not_installed "$@"', "bash", ROOT / "run", *names],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LANG": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected


# -- lint ---------------------------------------------------------------------------------


def test_the_scripts_are_shellcheck_clean() -> None:
    shellcheck = Path(sys.executable).with_name("shellcheck")
    result = subprocess.run(
        [str(shellcheck), "run", ".ci/run"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


# -- what the Python packages link ----------------------------------------------------------


def _elf_files(folder: Path) -> list[Path]:
    """The programs and shared libraries under `folder` (ELF files)."""
    found = []
    for path in folder.rglob("*"):
        if (
            path.is_file()
            and not path.is_symlink()
            and (".so" in path.name or os.access(path, os.X_OK))
        ):
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def _owners(paths: set[str]) -> dict[str, str]:
    """The Debian package of each file, by path (either side of the merged /usr)."""
    asked = {alias: path for path in paths for alias in (path, _usr_toggled(path))}
    result = subprocess.run(
        ["dpkg-query", "-S", *sorted(asked)], capture_output=True, text=True, check=False
    )
    owners = {}
    for line in result.stdout.splitlines():
        package, _, path = line.partition(": ")
        if path in asked:
            owners[asked[path]] = package.split(":")[0]
    return owners


APT_CACHE_ONLY_DEPENDS = (
    "--no-recommends",
    "--no-suggests",
    "--no-conflicts",
    "--no-breaks",
    "--no-replaces",
    "--no-enhances",
)


def _usr_toggled(path: str) -> str:
    return path.removeprefix("/usr") if path.startswith("/usr/lib") else "/usr" + path


def _linked(files: list[Path]) -> dict[Path, list[tuple[str, str]]]:
    """What each file links, by one `ldd` for all: (name, path or "not found")."""
    result = subprocess.run(["ldd", *map(str, files)], capture_output=True, text=True, check=False)
    linked: dict[Path, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for line in result.stdout.splitlines():
        if not line.startswith("\t"):
            current = linked.setdefault(Path(line.removesuffix(":")), [])
            continue
        name, arrow, target = line.strip().partition(" => ")
        if arrow:
            current.append((name, target.split(" (")[0]))
    return linked


def test_what_the_python_packages_link_is_installed_by_set_up() -> None:
    """Every system library that a program or extension module in the virtual environment
    links belongs to a package that set-up installs, to one of their dependencies, or to
    one that a minimal Debian has (priority required, or apt's). On a fresh machine the
    Node.js inside Playwright's wheel could not start: nothing had installed libatomic1."""
    venv = Path(sys.prefix)
    files = _elf_files(venv)
    vendored = {path.name for path in venv.rglob("*.so*")}
    system: dict[str, set[str]] = {}  # library path -> the files that link it
    for elf, libraries in _linked(files).items():
        for name, target in libraries:
            if target.startswith(str(venv)):
                continue
            if target == "not found":  # beside its user, found through its RPATH at run time
                assert name in vendored, f"{elf} links {name}, which this machine does not have"
                continue
            system.setdefault(os.path.realpath(target), set()).add(elf.name)
    assert len(system) > 5  # libc, libm, libstdc++... (the scan itself works)
    roots = ["apt", "python3", "python3-venv", *apt_packages()]
    closure = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--installed", *APT_CACHE_ONLY_DEPENDS, *roots],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    allowed = {line for line in closure.splitlines() if line and not line[0].isspace()}
    priorities = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Priority}\\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    allowed |= {p.split()[0] for p in priorities.splitlines() if p.endswith(" required")}
    assert "chromium" in allowed
    assert "libc6" in allowed
    owners = _owners(set(system))
    unowned = {path: users for path, users in system.items() if path not in owners}
    assert not unowned, f"libraries no Debian package installs: {unowned}"
    missing = {
        owners[path]: sorted(users)[:3]
        for path, users in system.items()
        if owners[path] not in allowed
    }
    assert not missing, f"packages that set-up does not install, and what links them: {missing}"
