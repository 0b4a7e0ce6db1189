"""Outputs built from real data are marked until they are cleared (issue 21, item 7).

The hand-made extract (tests/fixtures/linked-small) says `synthetic: false` in its
dataset.json, as a real extract does. A build on it marks every page and the PDF "Not yet
cleared for publication" and writes the output-checking pack beside the site; `build
--cleared` leaves the mark out and records the user's own statement from the settings.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_built, make_project, run_cli
from tests.data.linked_helpers import FIXTURE

MARK = "Not yet cleared for publication"
PUB = "data-and-analysis"


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built on the hand-made extract, not cleared (its log in build.log)."""
    root = make_project(tmp_path_factory.mktemp("real") / "project")
    result = run_cli("build", "--linked-data", str(FIXTURE), root=root)
    assert result.returncode == 0, result.stderr
    (root / "build.log").write_text(result.stderr, encoding="utf-8")
    return root


def test_the_extract_is_validated_first_and_its_check_is_cached(real: Path) -> None:
    lines = (real / "build.log").read_text(encoding="utf-8").splitlines()
    assert lines.index("bulletin: linked-data: running") < lines.index(
        "bulletin: public-data: running"
    )
    again = run_cli("build", "--linked-data", str(FIXTURE), root=real)
    assert again.returncode == 0, again.stderr
    assert "linked-data: skipped" in again.stderr


def test_every_page_and_every_pdf_page_is_marked(real: Path) -> None:
    """Every web page of the site (each publication, its data guidance, the index and the
    accessibility statement) and every page of every PDF carries the mark."""
    site = real / "_site"
    pages = sorted(site.rglob("*.html"))
    names = {p.relative_to(site).as_posix() for p in pages}
    pdfs = sorted((site / "report").glob("*.pdf"))
    assert {"index.html", "accessibility.html", f"report/{PUB}.html"} <= names
    assert {f"report/{p.stem}.html" for p in pdfs} <= names
    assert f"data/{PUB}/data-guidance.html" in names
    for page in pages:
        assert f'<p class="not-cleared-mark">{MARK}</p>' in page.read_text(encoding="utf-8"), page
    assert len(pdfs) >= 3
    for pdf in pdfs:
        printed = pdf_pages(pdf)
        assert len(printed) > 1
        assert all(MARK in page for page in printed), pdf.name


def test_the_output_checking_pack_is_beside_the_site_never_in_it(real: Path) -> None:
    pack = real / "_site-output-checking"
    assert sorted(p.name for p in pack.iterdir()) == [
        "manifest.json",
        "output-checking-cells.csv",
        "output-checking.json",
    ]
    assert json.loads((pack / "manifest.json").read_text(encoding="utf-8"))["command"] == (
        "output-checking"
    )
    site_files = [p.name for p in (real / "_site").rglob("*")]
    assert "output-checking.json" not in site_files
    assert "output-checking-cells.csv" not in site_files
    manifest = json.loads((real / "_site" / "manifest.json").read_text(encoding="utf-8"))
    assert "output-checking.json" not in json.dumps(manifest)
    assert "clearance" not in manifest


def pack_of(root: Path) -> Any:
    return json.loads((root / "_site-output-checking/output-checking.json").read_text("utf-8"))


def test_the_pack_holds_each_table_its_suppressed_cells_and_why_and_the_audit(
    real: Path,
) -> None:
    pack = pack_of(real)
    assert pack["thresholds"] == {
        "suppress_min": 1,
        "suppress_max": 5,
        "min_denominator": 10,
        "rounding_base": 10,
    }
    assert pack["dataset"]["synthetic"] is False
    found = json.loads(
        next((real / ".cache/bulletin/stages/findings").glob("*/findings.json")).read_text()
    )
    assert sorted(t["id"] for t in pack["tables"]) == sorted(found["tables"])
    protected = [p for t in pack["tables"] for p in t["protected_tables"]]
    assert protected, "the findings protect tables"
    for part in protected:
        assert part["audit"]["passes"] is True
        for cell in part["cells"]:
            if cell["treatment"].startswith("suppressed: a count of 1 to 5"):
                assert 1 <= cell["count"] <= 5
                assert cell["published"] == "c"
            elif cell["treatment"] == "shown":
                assert cell["published"] == cell["count"]
            elif cell["treatment"].startswith("rounded"):
                assert abs(cell["published"] - cell["count"]) <= 5
        checked = {(c["row"], c["column"]) for c in part["audit"]["checked"]}
        small = {(c["row"], c["column"]) for c in part["cells"] if 1 <= c["count"] <= 5}
        assert checked == small  # the audit checked every count of 1 to 5, and only them
        for rate in part["rates"]:
            assert isinstance(rate["numerator"], int)
            assert isinstance(rate["denominator"], int)
    suppressed = [
        c for p in protected for c in p["cells"] if c["treatment"].startswith("suppressed: a")
    ]
    assert suppressed, "the hand-made extract has counts of 1 to 5 to suppress"


def test_cleared_needs_the_users_own_statement(real: Path, tmp_path: Path) -> None:
    before = (real / "_site/manifest.json").read_bytes()
    refused = run_cli("build", "--cleared", "--linked-data", str(FIXTURE), root=real)
    assert refused.returncode == 1
    assert "--cleared needs a [clearance] table with your own statement" in refused.stderr
    assert (real / "_site/manifest.json").read_bytes() == before


def test_cleared_removes_the_mark_and_records_who_cleared_it_and_when(
    real: Path, tmp_path: Path
) -> None:
    """As an author does once the output checkers have cleared the tables: the same
    project (a copy of `real`, its cache with it), built again with `--cleared`."""
    root = copy_built(real, tmp_path / "project")
    settings = root / "bulletin.toml"
    statement = (
        '\n[clearance]\ncleared_by = "A. Checker, output checking team"\n'
        'cleared_on = 2019-06-10\nstatement = "Tables 1 to 9 cleared; request 42."\n'
    )
    settings.write_text(settings.read_text(encoding="utf-8") + statement, encoding="utf-8")
    result = run_cli("build", "--quiet", "--cleared", "--linked-data", str(FIXTURE), root=root)
    assert result.returncode == 0, result.stderr
    for page in (root / "_site").rglob("*.html"):
        assert MARK not in page.read_text(encoding="utf-8")
    assert not any(MARK in p for p in pdf_pages(root / "_site/report" / f"{PUB}.pdf"))
    manifest = json.loads((root / "_site/manifest.json").read_text(encoding="utf-8"))
    assert manifest["clearance"] == {
        "cleared_by": "A. Checker, output checking team",
        "cleared_on": "2019-06-10",
        "statement": "Tables 1 to 9 cleared; request 42.",
    }
    assert (root / "_site-output-checking/output-checking.json").is_file()


def test_a_build_on_synthetic_data_has_no_mark_and_no_pack(built: Path) -> None:
    for page in (built / "_site").rglob("*.html"):
        assert MARK not in page.read_text(encoding="utf-8")
    assert not (built / "_site-output-checking").exists()
