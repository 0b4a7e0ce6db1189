"""Fuzzing the readers: any bytes in a public CSV file or a linked table give either no
problem or problems that name their file, never an exception (issue 21, item 8).

Two kinds of input: arbitrary bytes, and a small valid file damaged a few times at random
places (a quote, a comma, a line end, a zero byte, a byte-order mark, a byte that is not
UTF-8, a formula, a long run of text, a cut). Hypothesis runs a short profile by default
(about 30 seconds for this module, deterministic: `derandomize`) and a long one for local
runs: `BULLETIN_FUZZ=long .venv/bin/python -m pytest tests/data/test_fuzz.py`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bulletin.core.problems import MESSAGE_LIMIT, InputError, Problem
from bulletin.data.population import POPULATION_FILE
from bulletin.data.public_files import PUBLIC_FILES
from tests.data.linked_helpers import FIXTURE, PUBLIC

LONG = os.environ.get("BULLETIN_FUZZ") == "long"
PROFILE = {
    "deadline": None,
    "database": None,  # nothing written into the working folder
    "derandomize": not LONG,  # the same examples in every CI run
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}
FILES = {spec.path for spec in PUBLIC_FILES}  # the population file and the release files
PUBLIC_EXAMPLES = 3000 if LONG else 250
LINKED_EXAMPLES = 600 if LONG else 40
LINKED_TABLES = ("children", "cin_episodes", "schools")
PIECES = (
    b'"',
    b",",
    b"\n",
    b"\r\n",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xe9",
    b'=HYPERLINK("x")',
    b"-1776",
    b"1e400",
    b"low",
    b"x" * 5000,
)


def small_public(tmp: Path) -> Path:
    """A public data folder with a few valid rows of each file: England, the North East and
    Darlington (E06000005), 2013 to 2018 for the release files (those they hold), mid-2012
    to mid-2017 for the population."""
    folder = tmp / "public"
    # each area by the code of its own level (every row of a region or an authority also
    # holds England's code, and every authority's row its region's)
    keep = {b"National": b"E92000001", b"Regional": b"E12000001", b"Local authority": b"E06000005"}
    for name in sorted(FILES):
        years = range(2012, 2018) if name == POPULATION_FILE else range(2013, 2019)
        lines = (PUBLIC / name).read_bytes().splitlines(keepends=True)
        rows = [
            line
            for line in lines[1:]
            if int(line[:4]) in years
            and keep.get(line.split(b",")[2], b"-") in line
            and b"E13" not in line
        ]
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(lines[0] + b"".join(rows))
    return folder


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with a few pieces inserted, bytes replaced or deleted, or its end cut."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(("insert", "replace", "delete", "cut")))
        if kind == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(PIECES), st.binary(max_size=8)))
        elif kind == "replace" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        else:
            del data[at:]
    return bytes(data)


def anything(original: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(damaged(original), st.binary(max_size=3000))


def inputs(originals: dict[str, bytes]) -> st.SearchStrategy[tuple[str, bytes]]:
    """One of the files, by name, with anything in place of its bytes."""
    return st.sampled_from(sorted(originals)).flatmap(
        lambda name: st.tuples(st.just(name), anything(originals[name]))
    )


def named(problems: Iterable[Problem], files: set[str]) -> None:
    """Every problem names one of `files` and prints as a line of bounded length."""
    for problem in problems:
        assert problem.file in files, problem
        assert len(str(problem)) <= MESSAGE_LIMIT + len(problem.file) + 60


def public_case(folder: Path, name: str, data: bytes) -> None:
    """What a build reads of the public data: the checks first, then, if they pass, the
    loaders, which may still refuse (InputError) but never raise anything else."""
    from bulletin.data.geography import load_geography
    from bulletin.data.public_files import public_problems
    from bulletin.data.real import real_context

    (folder / name).write_bytes(data)
    problems = public_problems(folder)
    named(problems, FILES)
    if problems:
        return
    try:
        real_context(folder, 2013, 2018)
        load_geography(folder)
    except InputError as exc:
        named(exc.problems, FILES)


def fuzz(
    originals: dict[str, bytes],
    examples: int,
    source: Path,
    work: Path,
    check_one: Callable[[Path, str, bytes], None],
) -> None:
    """For each example: a fresh copy of `source` in `work`, one file of it replaced by
    anything, then `check_one(work, file name, bytes)`."""

    @settings(max_examples=examples, **PROFILE)  # type: ignore[arg-type]
    @given(inputs(originals))
    def check(case: tuple[str, bytes]) -> None:
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(source, work)
        check_one(work, *case)

    check()


def test_public_files_any_bytes_give_problems_never_an_exception(tmp_path: Path) -> None:
    base = small_public(tmp_path / "base")
    originals = {name: (base / name).read_bytes() for name in sorted(FILES)}
    fuzz(originals, PUBLIC_EXAMPLES, base, tmp_path / "case", public_case)


def test_linked_tables_any_bytes_give_problems_never_an_exception(tmp_path: Path) -> None:
    from bulletin.data.linked import validate

    originals = {f"{t}.csv": (FIXTURE / f"{t}.csv").read_bytes()[:4000] for t in LINKED_TABLES}

    def check_one(folder: Path, name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)
        named(validate(folder, PUBLIC).problems, _all_files())

    fuzz(originals, LINKED_EXAMPLES, FIXTURE, tmp_path / "extract", check_one)


def _all_files() -> set[str]:
    from bulletin.core import schema

    return {f"{t.name}.{f}" for t in schema.TABLES for f in ("csv", "parquet")} | {
        "dataset.json",
        POPULATION_FILE,
    }
