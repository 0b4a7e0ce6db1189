"""A publication's open data from real inputs: the findings of the hand-made extract
(tests/fixtures/linked-small) and the real B1 tables of the data and analysis publication.

Values checked by hand: from the B1 file (release 2023), England at 31 March 2018 has
404,710 children in need, 341.0 per 10,000, and in 2013 378,030 and 330.9; the North East
in 2018 has 24,270 and 460.2. From the fixture's findings.json, 200 "other pupils" had an
absence record in 2016/17 with an overall absence share of 0.040, that is 4.0%.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from bulletin.core.settings import load_settings
from bulletin.qa.results import Result
from bulletin.qa.screener import screen_site
from bulletin.tables.ees import OpenDataError
from bulletin.tables.open_data import Publication, Release, places_of, release
from bulletin.tables.subjects import FILES, all_tables, files_for
from tests.conftest import ROOT

PUB = "data-and-analysis"
#: The data files of the review's publications (those of the annual release, characteristics-2018,
#: hold only its own tables, whose ids start "tbl-ch-").
REVIEW_FILES = [f for f in FILES if not all(t.startswith("tbl-ch-") for t in f.tables)]


@pytest.fixture(scope="module")
def findings() -> dict[str, Any]:
    from bulletin.pipeline import findings_json

    settings = load_settings(ROOT)
    text = findings_json(
        settings, ROOT / "tests/fixtures/linked-small", settings.paths.public_data, "duckdb"
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def make(findings: dict[str, Any]) -> Release:
    """The data and analysis publication's open data, made as its stage makes it: from the
    findings given, the public files' context and the publication's printed tables."""
    import tempfile

    from bulletin.pipeline import BuildOptions, public_json, publications
    from bulletin.render.publications import content, read_inputs

    settings = load_settings(ROOT)
    pub = settings.publication(PUB)
    public = settings.paths.public_data
    with tempfile.TemporaryDirectory() as folder:
        found, real = Path(folder) / "findings.json", Path(folder) / "public.json"
        found.write_text(json.dumps(findings), encoding="utf-8")
        real.write_text(public_json(settings, public), encoding="utf-8")
        pubs = tuple(publications(settings, BuildOptions()))
        inputs = read_inputs(settings, pub, pubs, found, real, public)
        return release(
            Publication(pub.id, pub.title, pub.date, pub.years()),
            findings,
            content(inputs).tables,
            places_of(public, inputs.real),
        )


@pytest.fixture(scope="module")
def made(findings: dict[str, Any]) -> Release:
    return make(findings)


def rows(made: Release, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(made.files[name].decode())))


def test_every_table_of_the_findings_is_declared(findings: dict[str, Any]) -> None:
    assert set(findings["tables"]) <= set(all_tables())
    assert {"tbl-cin-by-year", "tbl-cin-by-region"} <= set(all_tables())


def test_a_table_with_no_declaration_stops_the_build() -> None:
    with pytest.raises(OpenDataError, match="table tbl-new has no open-data declaration"):
        files_for(["tbl-cin-by-year", "tbl-new"])


def test_the_real_b1_rows_are_published_as_printed(made: Release) -> None:
    found = rows(made, "children_in_need_at_31_march.csv")
    england = {r["time_period"]: r for r in found if r["geographic_level"] == "National"}
    assert england["2018"]["children_in_need_at_31_march"] == "404710"
    assert england["2018"]["rate_per_10000_children"] == "341.0"
    assert england["2013"]["children_in_need_at_31_march"] == "378030"
    assert england["2013"]["rate_per_10000_children"] == "330.9"
    north_east = next(r for r in found if r["region_name"] == "North East" and not r["la_name"])
    assert (north_east["geographic_level"], north_east["children_in_need_at_31_march"]) == (
        "Regional",
        "24270",
    )
    assert north_east["rate_per_10000_children"] == "460.2"
    assert len([r for r in found if r["geographic_level"] == "National"]) == 6  # 2013 to 2018


def test_shares_are_written_as_percentages(made: Release) -> None:
    found = rows(made, "absence_by_social_care_group.csv")
    other = next(
        r
        for r in found
        if r["time_period"] == "201617" and r["social_care_group"] == "other pupils"
    )
    assert other["pupils"] == "200"
    assert other["overall_absence_percent"] == "4.0"
    assert {r["social_care_group"] for r in found} == {
        "CLA",
        "CPPO",
        "CINO",
        "other pupils",
        "Total",
    }


def test_every_file_passes_the_screener_with_no_warning(made: Release, tmp_path: Path) -> None:
    folder = tmp_path / "data" / PUB
    folder.mkdir(parents=True)
    for name, data in made.files.items():
        (folder / name).write_bytes(data)
    results = screen_site(tmp_path)
    assert [str(r) for r in results if r.result is not Result.PASS] == []
    assert (
        results[0].message
        == f"passed on {sum(1 for n in made.files if n.endswith('.meta.csv'))} EES files"
    )


def test_the_zip_holds_every_file_in_the_ees_layout(made: Release) -> None:
    archive = zipfile.ZipFile(io.BytesIO(made.files[made.archive]))
    names = archive.namelist()
    data = sorted(n for n in made.files if n.endswith(".csv"))
    assert names == sorted(
        [
            *(f"data/{n}" for n in data),
            "data-guidance/data-guidance.txt",
            f"supporting-files/{PUB}-tables.ods",
        ]
    )
    assert len(data) == 2 * len(REVIEW_FILES)  # every file of the review has rows from this extract
    for name in data:
        assert archive.read(f"data/{name}") == made.files[name]


def test_the_data_guidance_describes_every_file(made: Release) -> None:
    text = made.files["data-guidance.txt"].decode()
    for f in REVIEW_FILES:
        assert f"File: {f.name}.csv (metadata: {f.name}.meta.csv)" in text
    assert "Time periods (academic year): 2016/17, 2017/18" in text
    assert (
        "Status: a median length of spells at different statuses would mix different things" in text
    )
    assert "synthetic" not in text  # the hand-made extract is not synthetic


def test_synthetic_findings_are_said_to_be_synthetic(findings: dict[str, Any]) -> None:
    text = make({**findings, "synthetic": True}).files["data-guidance.txt"].decode()
    assert "come from a synthetic population generated by bulletin, not from real children" in text


def test_two_releases_are_byte_identical(findings: dict[str, Any], made: Release) -> None:
    again = make(findings)
    assert dataclasses.asdict(again.guidance) == dataclasses.asdict(made.guidance)
    assert dict(again.files) == dict(made.files)
