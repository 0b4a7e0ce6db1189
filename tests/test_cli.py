"""The command line: the commands of DESIGN.md, the cached build, `bulletin check`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, copy_built, run_cli

COMMANDS = ("build", "validate", "findings", "synthetic", "check", "diff", "accessible")


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


def test_the_command_line_offers_every_accessible_format() -> None:
    from bulletin.cli import FORMAT_NAMES
    from bulletin.render.formats import FORMATS

    assert tuple(FORMATS) == FORMAT_NAMES
    result = run_cli("accessible", "concluding-review", "--format", "video")
    assert result.returncode == 2
    assert "invalid choice: 'video'" in result.stderr


PUBLICATIONS = (
    "data-and-analysis",
    "interim-findings",
    "concluding-review",
    "characteristics-2018",
)
STAGES = (
    "public-data",
    "population",
    "findings",
    "figures",
    *(
        f"{stage}-{pub}"
        for pub in PUBLICATIONS
        for stage in ("report", "open-data", "pages", "print", "pdf", "numbers")
    ),
    "site",
    "qa",
)


def test_the_first_build_runs_every_stage(built: Path) -> None:
    log = (built / "build.log").read_text(encoding="utf-8")
    for stage in STAGES:
        assert f"bulletin: {stage}: ran" in log


def test_every_page_and_pdf_of_the_first_build_was_checked_while_it_went_on(built: Path) -> None:
    """The QA stage found each in the memo (`bulletin.qa.ahead`): the publications' pages
    and PDFs while the PDFs were laid out, the site's other pages after the site stage."""
    log = (built / "build.log").read_text(encoding="utf-8")
    said = re.findall(r"bulletin: qa: passed while the build went on: (.*)", log)
    assert len(said) == 1
    site = built / "_site"
    files = {
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".html", ".pdf")
    }
    assert len(files) == 14  # 4 pages, 4 PDFs, 4 data guidance pages, front page, statement
    assert set(said[0].split(", ")) == files


def test_a_second_build_skips_every_stage_and_publishes_nothing_new(built: Path) -> None:
    site = built / "_site" / "manifest.json"
    before = site.stat().st_mtime_ns
    second = run_cli("build", root=built)
    assert second.returncode == 0, second.stderr
    for stage in STAGES:
        assert f"bulletin: {stage}: skipped" in second.stderr
    assert "ran" not in second.stderr
    assert "is up to date" in second.stderr
    assert site.stat().st_mtime_ns == before


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")  # fonts-dejavu-core, which ./run installs


def _pdf_fonts(pdf: Path) -> set[str]:
    """The base font names the PDF's pages use, without their subset prefixes."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        return {
            str(font.get("/BaseFont")).split("+")[-1]
            for page in document.pages
            for font in page.resources.get("/Font", {}).values()
        }


def test_adding_a_font_reruns_the_pdf_and_qa_and_nothing_else(built: Path, tmp_path: Path) -> None:
    """Fontconfig is pointed at a folder of fonts (FONTCONFIG_FILE, as a machine's own
    configuration would be), first with DejaVu Serif alone, so that the print stylesheet's
    "DejaVu Sans" falls back to it; then DejaVu Sans is installed there. Each change reruns
    the PDF and QA, and the site when the PDF is not one it holds already; nothing else."""
    project = copy_built(built, tmp_path / "project")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path / 'fc-cache'}</cachedir>"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    environment = {"FONTCONFIG_FILE": str(config)}
    pdf = project / "_site/report/data-and-analysis.pdf"
    rerun = {*(f"pdf-{pub}" for pub in PUBLICATIONS), "site", "qa"}

    def build() -> tuple[set[str], dict[str, Any]]:
        result = run_cli("build", root=project, environment=environment)
        assert result.returncode == 0, result.stderr
        ran = {stage for stage in STAGES if f"bulletin: {stage}: ran" in result.stderr}
        skipped = {stage for stage in STAGES if f"bulletin: {stage}: skipped" in result.stderr}
        assert ran | skipped == set(STAGES), result.stderr
        manifest = json.loads((project / "_site/manifest.json").read_text(encoding="utf-8"))
        assert manifest["weasyprint_warnings"] == {f"report/{pub}.pdf": [] for pub in PUBLICATIONS}
        assert manifest["qa"]["fail"] == 0
        return ran, manifest

    assert _pdf_fonts(pdf) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}  # as first built
    for name in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"):
        shutil.copy(DEJAVU / name, fonts / name)
    ran, serif = build()
    assert ran == rerun
    assert _pdf_fonts(pdf) == {"DejaVu-Serif", "DejaVu-Serif-Bold"}
    assert serif["system"]["fonts"].startswith("2 font files")

    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(DEJAVU / name, fonts / name)
    ran, sans = build()
    # the PDF is again the one of the first build, so the site's cached entry serves again
    assert ran == rerun - {"site"}
    assert pdf.read_bytes() == (built / "_site/report/data-and-analysis.pdf").read_bytes()
    assert sans["system"]["fonts"].startswith("4 font files")

    ran, again = build()
    assert ran == set()
    assert again == sans


def test_changing_the_generator_parameters_regenerates_the_population(
    project: Path, tmp_path: Path
) -> None:
    """Run from a copy of the source, so that its parameter file can be changed. `bulletin
    findings` runs the stages of the data that `bulletin build` runs first, the population
    among them (`pipeline.data_stages`), and nothing after them."""
    import shutil

    source = tmp_path / "src"
    shutil.copytree(ROOT / "src", source, ignore=shutil.ignore_patterns("__pycache__"))
    first = run_cli("findings", "--json", str(tmp_path / "1.json"), root=project, pythonpath=source)
    assert first.returncode == 0, first.stderr
    assert "population: generating" in first.stderr, first.stderr
    unchanged = run_cli(
        "findings", "--json", str(tmp_path / "2.json"), root=project, pythonpath=source
    )
    assert "population: skipped" in unchanged.stderr, unchanged.stderr
    parameters = source / "bulletin/synthetic/parameters.toml"
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(text.replace("value = 0.6\n", "value = 0.61\n", 1), encoding="utf-8")
    assert parameters.read_text(encoding="utf-8") != text
    second = run_cli(
        "findings", "--json", str(tmp_path / "3.json"), root=project, pythonpath=source
    )
    assert second.returncode == 0, second.stderr
    assert "public-data: skipped" in second.stderr
    assert "population: generating" in second.stderr
    assert (tmp_path / "3.json").read_bytes() != (tmp_path / "1.json").read_bytes()


def test_synthetic_command_writes_a_new_folder_and_replaces_only_its_own(
    tmp_path: Path,
) -> None:
    """A new folder, then the same folder again (it is this command's output), but never a
    folder holding a file the command did not write."""
    import json

    out = tmp_path / "extract"
    result = run_cli("synthetic", "--scale", "0.01", "--seed", "3", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (out / "dataset.json").is_file()
    assert (out / "school_census.parquet").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "synthetic"
    assert "school_census.parquet" in manifest["files"]
    assert [p.name for p in tmp_path.iterdir()] == ["extract"]  # no temporary folder left
    again = run_cli("synthetic", "--scale", "0.01", "--seed", "4", "--out", str(out), "--quiet")
    assert again.returncode == 0, again.stderr
    seed = json.loads((out / "dataset.json").read_text(encoding="utf-8"))["provenance"]["seed"]
    assert seed == 4
    (out / "notes.txt").write_text("the analyst's notes", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    third = run_cli("synthetic", "--scale", "0.01", "--out", str(out))
    assert third.returncode == 1
    assert "did not write (its manifest.json does not list them): notes.txt" in third.stderr
    assert "Nothing was changed." in third.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_synthetic_command_fills_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "extract"
    out.mkdir()
    result = run_cli("synthetic", "--scale", "0.01", "--seed", "3", "--out", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert (out / "dataset.json").is_file()
    assert (out / "school_census.parquet").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["extract"]  # no temporary folder left


@pytest.mark.parametrize("scale", ["0", "1.5", "-1"])
def test_scale_must_be_a_share(scale: str) -> None:
    result = run_cli("synthetic", "--scale", scale, "--out", "x")
    assert result.returncode == 2
    assert "scale must be above 0 and at most 1" in result.stderr


def test_quiet_build_prints_nothing(built: Path) -> None:
    result = run_cli("build", "--quiet", root=built)
    assert result.returncode == 0
    assert result.stderr == ""


def test_build_into_another_folder(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    result = run_cli("build", "--quiet", "--out", str(out), root=built)
    assert result.returncode == 0, result.stderr
    assert (out / "manifest.json").read_bytes() == (built / "_site/manifest.json").read_bytes()
    assert (out / "report/data-and-analysis.pdf").is_file()


def test_check_passes_on_the_built_site(built: Path) -> None:
    result = run_cli("check", root=built)
    assert result.returncode == 0, result.stderr
    assert "0 failed" in result.stderr
    assert "PASS [axe] report/data-and-analysis.html: no violations" in result.stdout
    assert "PASS [axe] accessibility.html: no violations" in result.stdout
    # the print page the PDF was made from, found in the build's cache
    assert "PASS [reading-order] report/data-and-analysis.pdf: the tags read as its HTML" in (
        result.stdout
    )


def test_check_remembers_what_passed_checks_what_changed_and_afresh_checks_all(
    built: Path, tmp_path: Path
) -> None:
    """A page that passed the build's QA, unchanged, passes from the memo; a page changed
    since, or whose stylesheet changed, is checked again; `--afresh` checks every page
    whatever the memo says."""
    import shutil

    from bulletin.qa import loads
    from bulletin.qa.memo import Memo
    from bulletin.qa.results import passed

    site = tmp_path / "site"
    site.mkdir()
    for name in ("manifest.json", "accessibility.html"):
        shutil.copy(built / "_site" / name, site / name)
    shutil.copytree(built / "_site/assets", site / "assets")
    assert run_cli("check", "--site", str(site), "--quiet", root=built).returncode == 0

    # the page unchanged, but the stylesheet it loads made unreadable: checked again
    css = site / "assets" / "screen.css"
    style = css.read_text(encoding="utf-8")
    css.write_text(style + "\nmain p { color: #d0d0d0 !important; }\n", encoding="utf-8")
    restyled = run_cli("check", "--site", str(site), "--quiet", root=built)
    css.write_text(style, encoding="utf-8")
    assert restyled.returncode == 1
    assert "FAIL [axe] accessibility.html: color-contrast (serious)" in restyled.stderr

    page = site / "accessibility.html"
    html = page.read_text(encoding="utf-8")
    opened = html.index(">", html.index("<main")) + 1
    page.write_text(html[:opened] + '<img src="x.png">' + html[opened:], encoding="utf-8")
    changed = run_cli("check", "--site", str(site), "--quiet", root=built)
    assert changed.returncode == 1
    assert "FAIL [axe] accessibility.html: image-alt (critical)" in changed.stderr

    # a memo that says the changed page passed (as no build would write): believed by
    # `check`, never by `check --afresh`
    memo = Memo(built / ".cache/bulletin/qa")
    key = memo.key("page", page, "accessibility.html", loads(page))  # x.png: missing
    memo.put(key, [passed("axe", "accessibility.html: no violations")], {})
    try:
        believed = run_cli("check", "--site", str(site), "--quiet", root=built)
        afresh = run_cli("check", "--site", str(site), "--quiet", "--afresh", root=built)
    finally:
        (memo.folder / f"{key}.json").unlink()
    assert believed.returncode == 0, believed.stderr
    assert afresh.returncode == 1
    assert "FAIL [axe] accessibility.html: image-alt (critical)" in afresh.stderr


def test_check_on_a_folder_that_is_not_a_site(tmp_path: Path, built: Path) -> None:
    result = run_cli("check", "--site", str(tmp_path), root=built)
    assert result.returncode == 1
    assert "not a built site" in result.stderr


def test_unknown_publication_is_refused_naming_the_known_ones(project: Path) -> None:
    result = run_cli("build", "--publication", "nope", root=project)
    assert result.returncode == 1
    assert (
        "unknown publication 'nope'; known: data-and-analysis, interim-findings, concluding-review"
    ) in result.stderr


def test_a_publication_without_templates_is_refused(project: Path) -> None:
    import shutil

    shutil.rmtree(project / "templates" / "interim-findings")
    result = run_cli("build", "--publication", "interim-findings", root=project)
    assert result.returncode == 1
    assert "interim-findings: this publication has no templates yet" in result.stderr


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
    assert not (project / "_site").exists()


def test_a_failed_qa_check_publishes_nothing(built: Path, tmp_path: Path) -> None:
    """A number typed into the template: the build fails naming file and line, and the
    site, report/ and figures/ stay as they were. Only that publication's report, pages,
    print page, PDF and numbers manifest ran again, then the site and QA: not its open data
    (its tables come from its module, not its template), no other publication's stage,
    nothing upstream."""
    root = copy_built(built, tmp_path / "project")
    before = {p: p.read_bytes() for p in sorted(root.glob("_site/**/*")) if p.is_file()}
    before |= {p: p.read_bytes() for p in sorted(root.glob("report/*"))}
    template = root / "templates/data-and-analysis/publication.qmd.jinja"
    lines = template.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("## About these"))
    lines.insert(at + 2, "Almost 405,000 children were in need.\n")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("build", root=root)
    assert result.returncode == 1
    assert "nothing was published" in result.stderr
    assert (
        f"FAIL [prose] data-and-analysis/publication.qmd.jinja:{at + 3}:8: '405,000' is a "
        "number typed into the prose, in 'Almost 405,000 children were in need.'"
    ) in result.stderr
    ran = {stage for stage in STAGES if f"bulletin: {stage}: ran" in result.stderr}
    pub = "data-and-analysis"
    own = {f"report-{pub}", f"pages-{pub}", f"print-{pub}", f"pdf-{pub}", f"numbers-{pub}"}
    assert own <= ran <= own | {"site", "qa"}, ran  # not its open data: no table changed
    after = {p: p.read_bytes() for p in sorted(root.glob("_site/**/*")) if p.is_file()}
    after |= {p: p.read_bytes() for p in sorted(root.glob("report/*"))}
    assert after == before


def test_findings_reads_the_findings_of_the_build(built: Path, tmp_path: Path) -> None:
    """`bulletin findings` runs the build's data stages: all cached after a build."""
    import json

    out = tmp_path / "findings.json"
    result = run_cli("findings", "--json", str(out), root=built)
    assert result.returncode == 0, result.stderr
    assert "bulletin: findings: skipped" in result.stderr
    context = json.loads(out.read_text(encoding="utf-8"))
    assert context["synthetic"] is True
    assert context["dataset"]["provenance"]["scale"] == 0.01
    printed = run_cli("findings", "--quiet", root=built)
    assert printed.stdout == out.read_text(encoding="utf-8")


def test_findings_on_a_bad_extract_write_nothing(tmp_path: Path, project: Path) -> None:
    import shutil

    extract = tmp_path / "extract"
    shutil.copytree(ROOT / "tests/fixtures/linked-small", extract)
    children = extract / "children.csv"
    lines = children.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",M,", ",Q,", 1)  # row 3: a gender not in the list
    children.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "findings.json"
    result = run_cli("findings", "--linked-data", str(extract), "--json", str(out), root=project)
    assert result.returncode == 1
    assert "children.csv, row 3, column gender" in result.stderr
    assert not out.exists()


def test_spark_master_on_the_command_line_replaces_the_settings_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bulletin.cli import _parser, _settings

    monkeypatch.setenv("BULLETIN_ROOT", str(ROOT))
    for command in ("findings", "build"):
        given = _parser().parse_args([command, "--engine", "spark", "--spark-master", "yarn"])
        assert _settings(given).spark.master_for(2) == "yarn"
        assert _settings(_parser().parse_args([command])).spark.master_for(2) == "local[2]"


# -- no command deletes or overwrites a file it did not create (issue 21) -----------------


def project_files(root: Path) -> dict[str, bytes]:
    """Every file of a project but its cache, by relative path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cache" not in p.relative_to(root).parts
    }


def test_build_out_refuses_a_folder_holding_a_users_file(built: Path, tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "thesis.docx").write_text("years of work", encoding="utf-8")
    before = project_files(built)
    result = run_cli("build", "--out", str(folder), root=built)
    assert result.returncode == 1
    assert (
        f"bulletin build: refused: {folder}: is not empty and is not an output of bulletin "
        "build (no manifest.json of one): it holds thesis.docx. Choose a new or empty folder. "
        "Nothing was changed."
    ) in result.stderr
    assert [p.name for p in folder.iterdir()] == ["thesis.docx"]
    assert (folder / "thesis.docx").read_text(encoding="utf-8") == "years of work"
    assert project_files(built) == before


def test_build_out_refuses_the_public_data_the_project_and_a_file(
    built: Path, tmp_path: Path
) -> None:
    """On a copy of the built project: a build that did not refuse would destroy it."""
    root = copy_built(built, tmp_path / "copy" / "project")
    file = tmp_path / "notes.txt"
    file.write_text("mine", encoding="utf-8")
    before = project_files(root)
    cases = {
        root / "data" / "public": "is the public data folder",
        root / "data": "holds the public data folder",
        root / "templates" / "site": "is inside the templates folder",
        root: "is the project folder",
        root.parent: "holds the project folder",
        file: "is a file, not a folder",
    }
    for out, reason in cases.items():
        result = run_cli("build", "--out", str(out), root=root)
        assert result.returncode == 1, out
        assert f"refused: {out}: {reason}" in result.stderr
        assert "Traceback" not in result.stderr
    assert project_files(root) == before
    assert file.read_text(encoding="utf-8") == "mine"


def test_build_out_replaces_a_site_it_built(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = run_cli("build", "--quiet", "--out", str(out), root=built)
    assert first.returncode == 0, first.stderr
    (out / "report" / "data-and-analysis.pdf").unlink()  # fewer files: still its own
    second = run_cli("build", "--quiet", "--out", str(out), root=built)
    assert second.returncode == 0, second.stderr
    (out / "mine.html").write_text("mine", encoding="utf-8")
    third = run_cli("build", "--quiet", "--out", str(out), root=built)
    assert third.returncode == 1
    assert "holds files that bulletin build did not write" in third.stderr
    assert (out / "mine.html").read_text(encoding="utf-8") == "mine"


def test_findings_json_replaces_only_its_own_file_unless_forced(
    built: Path, tmp_path: Path
) -> None:
    out = tmp_path / "findings.json"
    first = run_cli("findings", "--quiet", "--json", str(out), root=built)
    assert first.returncode == 0, first.stderr
    again = run_cli("findings", "--quiet", "--json", str(out), root=built)
    assert again.returncode == 0, again.stderr
    theirs = tmp_path / "thesis.json"
    theirs.write_text('{"chapter": 1}', encoding="utf-8")
    refused = run_cli("findings", "--quiet", "--json", str(theirs), root=built)
    assert refused.returncode == 1
    assert (
        f"refused: {theirs}: exists and is not a file bulletin wrote; pass --force to replace "
        "it. Nothing was changed."
    ) in refused.stderr
    assert theirs.read_text(encoding="utf-8") == '{"chapter": 1}'
    forced = run_cli("findings", "--quiet", "--json", str(theirs), "--force", root=built)
    assert forced.returncode == 0, forced.stderr
    assert theirs.read_bytes() == out.read_bytes()


def unwritable(folder: Path) -> None:
    """Make `folder` impossible to change, even for root (chattr +i), else read-only."""
    import subprocess

    if subprocess.run(["chattr", "+i", str(folder)], check=False).returncode != 0:
        folder.chmod(0o555)


def writable(folder: Path) -> None:
    import subprocess

    subprocess.run(["chattr", "-i", str(folder)], check=False)
    folder.chmod(0o755)


def test_a_read_only_out_is_a_message_and_nothing_is_lost(built: Path, tmp_path: Path) -> None:
    """A site built into `out`; then a change of prose, so that the next build publishes
    a new version, into `out` made unchangeable."""
    root = copy_built(built, tmp_path / "project")
    out = tmp_path / "out" / "site"
    first = run_cli("build", "--quiet", "--out", str(out), root=root)
    assert first.returncode == 0, first.stderr
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    template = root / "templates/data-and-analysis/publication.qmd.jinja"
    original = template.read_text(encoding="utf-8")
    template.write_text(original.replace("Children in need are", "Children in need are all"))
    unwritable(out)
    try:
        result = run_cli("build", "--quiet", "--out", str(out), root=root)
    finally:
        writable(out)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("bulletin build: cannot write or read ")
    assert "Nothing was published: every output is as it was." in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in out.parent.iterdir()] == ["site"]  # no half-made folder beside it


def test_a_full_disk_is_a_message_and_leaves_no_folder_behind(tmp_path: Path) -> None:
    """A file size limit (RLIMIT_FSIZE) makes the first large write fail, as a full disk
    does (Python ignores SIGXFSZ, so the write raises)."""
    import os
    import resource
    import subprocess
    import sys

    out = tmp_path / "extract"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    result = subprocess.run(
        [sys.executable, "-m", "bulletin", "synthetic", "--scale", "0.01", "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "BULLETIN_ROOT": str(ROOT)},
        preexec_fn=limit,
        check=False,
        timeout=600,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith("bulletin synthetic: cannot write or read a file: ")
    assert last.endswith("File too large. Nothing was published: every output is as it was.")
    assert list(tmp_path.iterdir()) == []


def test_an_unexpected_error_is_one_line_naming_the_log_of_its_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import bulletin.pipeline
    from bulletin.cli import main

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug no check foresaw")

    monkeypatch.setattr(bulletin.pipeline, "build", broken)
    monkeypatch.setenv("BULLETIN_ROOT", str(project))
    assert main(["build"]) == 1
    err = capsys.readouterr().err.splitlines()
    log = project / ".cache/bulletin/logs/build-error.log"
    assert err == [
        "bulletin build: unexpected error (RuntimeError: a bug no check foresaw); the "
        f"traceback is in {log}. Nothing was published."
    ]
    text = log.read_text(encoding="utf-8")
    assert text.startswith("Traceback (most recent call last):")
    assert "RuntimeError: a bug no check foresaw" in text
    assert not (project / "_site").exists()


def test_check_runs_the_disclosure_check(built: Path, tmp_path: Path) -> None:
    """A CSV file of linked data planted in a built site, with a count of 3: `bulletin
    check` fails on it (the public files of the site are exempt, as the manifest says)."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built / "_site", site)
    planted = site / "data" / "data-and-analysis" / "tbl-planted.csv"
    planted.write_text("group,children\nlooked after,3\nall,120\n", encoding="utf-8")
    result = run_cli("check", "--site", str(site), "--quiet", root=built)
    assert result.returncode == 1
    assert (
        "FAIL [disclosure] data/data-and-analysis/tbl-planted.csv, row 2, column children: 3 "
        "is a count of 1 to 5 from linked data, shown unsuppressed"
    ) in result.stderr
    planted.unlink()
    clean = run_cli("check", "--site", str(site), root=built)
    assert clean.returncode == 0, clean.stderr
    assert "PASS [disclosure] " in clean.stdout
    assert (
        "values exempt, already published: Department for Education, Characteristics of "
        "children in need: 2023 release, table B1"
    ) in clean.stdout
