"""The synthetic generator at small scale: the documented format, determinism, independent
streams, and the rules a real extract must satisfy."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from bulletin.core.geography import Geography
from bulletin.core.schema import TABLES, Kind
from bulletin.synthetic import generate
from bulletin.synthetic.params import default_path, load_parameters
from tests.synthetic.conftest import SMALL


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _table(folder: Path, name: str) -> pd.DataFrame:
    frame: pd.DataFrame = pq.read_table(folder / f"{name}.parquet").to_pandas()
    return frame


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(
    tmp_path: Path,
    geography: Geography,
    small: Path,
) -> None:
    again = tmp_path / "again"
    generate(geography, again, seed=7, scale=SMALL)
    assert _digests(again) == _digests(small)
    other = tmp_path / "other"
    generate(geography, other, seed=8, scale=SMALL)
    differing = [
        name for name, digest in _digests(other).items() if _digests(small)[name] != digest
    ]
    assert "school_census.parquet" in differing
    assert "children.parquet" in differing


def test_every_table_is_written_in_the_documented_format(small: Path) -> None:
    kinds = {
        Kind.ID: "int64",
        Kind.INT: "int32",
        Kind.NUMBER: "double",
        Kind.BOOL: "bool",
        Kind.DATE: "date32[day]",
        Kind.TEXT: "string",
    }
    for table in TABLES:
        schema = pq.read_schema(small / f"{table.name}.parquet")
        assert schema.names == list(table.names), table.name
        for field in table.fields:
            arrow = schema.field(field.name).type
            if field.kind is Kind.CODE:
                assert str(arrow.value_type) == "string", (table.name, field.name)
            else:
                assert str(arrow) == kinds[field.kind], (table.name, field.name, arrow)
    dataset = json.loads((small / "dataset.json").read_text(encoding="utf-8"))
    assert dataset["synthetic"] is True
    assert dataset["provenance"]["seed"] == 7
    assert dataset["provenance"]["scale"] == SMALL


def test_the_extract_says_what_the_generator_was_fitted_to(small: Path) -> None:
    """dataset.json carries the ledger's classification (written by the fit script from its
    declarations): every calibration row fitted, constrained or validated; B7 and B8
    recover effects the generator was given; the validated rows are the emergent ones."""
    from benchmarks import fit_generator, ledger

    calibration = json.loads((small / "dataset.json").read_text(encoding="utf-8"))["calibration"]
    assert calibration == ledger.classification()
    rows = calibration["rows"]
    assert set(rows) == {r["id"] for r in ledger.contract()}
    assert rows["B7"] == rows["B8"] == "fitted"
    assert calibration["recovers_planted"] == ["B7", "B8"]
    assert set(calibration["emergent"]) == set(fit_generator.validated_rows())
    assert {rows[r] for r in calibration["emergent"]} == {"validated"}
    assert len(calibration["validated_rule"]) == len(fit_generator.VALIDATED)


def test_codes_are_the_documented_ones(small: Path) -> None:
    for table in TABLES:
        frame = _table(small, table.name)
        for field in table.fields:
            if field.kind is Kind.CODE and len(frame):
                used = set(frame[field.name].dropna().astype(str))
                assert used <= set(field.codes), (table.name, field.name, used - set(field.codes))


def test_census_rules(small: Path) -> None:
    census = _table(small, "school_census")
    children = _table(small, "children").set_index("child_id")
    schools = _table(small, "schools")
    status = census["enrolment_status"].astype(str)
    # one main registration per pupil and census, and every subsidiary one has a main one
    main = census[status.isin(["C", "M"])]
    assert not main.duplicated(["child_id", "academic_year"]).any()
    subsidiary = census[status == "S"][["child_id", "academic_year"]]
    dual_main = census[status == "M"][["child_id", "academic_year"]]
    assert len(subsidiary) > 0
    assert len(subsidiary.merge(dual_main)) == len(subsidiary)
    assert not census.duplicated(["child_id", "academic_year", "urn"]).any()
    # every row links to a child and a school
    assert census["child_id"].isin(children.index).all()
    assert census["urn"].isin(schools["urn"]).all()
    # the year group is the age on 31 August before the academic year, minus 4,
    # worked out here from the birth year and month alone
    born = children.loc[census["child_id"], ["birth_year", "birth_month"]].to_numpy()
    start = (census["academic_year"] // 100).to_numpy()
    age = start - born[:, 0] - (born[:, 1] >= 9)
    assert (census["ncyear"].to_numpy() == age - 4).all()
    # every census year of the window is there
    assert sorted(census["academic_year"].unique()) == [
        201112,
        201213,
        201314,
        201415,
        201516,
        201617,
        201718,
    ]


def test_shares_are_plausible(small: Path) -> None:
    """Broad sense checks at small scale (the calibration is checked at scale 1.0)."""
    census = _table(small, "school_census")
    year = census[
        (census["academic_year"] == 201718)
        & census["enrolment_status"].astype(str).isin(["C", "M"])
    ]
    assert 0.10 < year["fsm_eligible"].mean() < 0.18
    sen = year["sen_provision"].astype(str)
    assert 0.12 < (sen != "N").mean() < 0.18
    assert 0.01 < (sen == "E").mean() < 0.05
    pupils = len(year)
    assert 0.9 * 8_152_320 * SMALL < pupils < 1.1 * 8_152_320 * SMALL
    schools = _table(small, "schools")
    assert set(schools["phase"].astype(str)) == {
        "nursery",
        "primary",
        "secondary",
        "special",
        "pru",
    }


def test_disadvantage_clusters_by_school(small: Path) -> None:
    """Free school meal shares vary between schools far more than chance would give."""
    census = _table(small, "school_census")
    year = census[
        (census["academic_year"] == 201718) & (census["enrolment_status"].astype(str) == "C")
    ]
    by_school = year.groupby("urn")["fsm_eligible"].agg(["mean", "size"])
    by_school = by_school[by_school["size"] >= 100]
    p = year["fsm_eligible"].mean()
    binomial_sd = np.sqrt(p * (1 - p) / by_school["size"]).mean()
    assert by_school["mean"].std() > 2 * binomial_sd


def test_streams_are_independent(tmp_path: Path, geography, small: Path) -> None:  # type: ignore[no-untyped-def]
    """Changing a census parameter leaves the population of children byte-identical."""
    text = default_path().read_text(encoding="utf-8")
    changed = tmp_path / "parameters.toml"
    changed.write_text(
        text.replace("[census.fsm_year_sd]\nvalue = 0.6", "[census.fsm_year_sd]\nvalue = 0.9"),
        encoding="utf-8",
    )
    params = load_parameters(changed)
    assert params["census"]["fsm_year_sd"] == 0.9
    out = tmp_path / "extract"
    generate(geography, out, seed=7, scale=SMALL, params=params)
    assert (
        _digests(out)["_generator/population.parquet"]
        == _digests(small)["_generator/population.parquet"]
    )
    assert _digests(out)["children.parquet"] == _digests(small)["children.parquet"]
    assert _digests(out)["school_census.parquet"] != _digests(small)["school_census.parquet"]


def test_every_parameter_has_a_source_or_rationale(tmp_path: Path) -> None:
    params = load_parameters()
    assert params["population"]["births_england"]
    broken = tmp_path / "parameters.toml"
    broken.write_text("[population.births]\nvalue = 1\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"\[population.births\] has neither a source nor a rationale"
    ):
        load_parameters(broken)


def test_the_output_folder_must_be_new(small: Path, geography) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(FileExistsError):
        generate(geography, small, seed=7, scale=SMALL)


def test_the_extract_passes_validation(small: Path) -> None:
    from bulletin.data.linked import validate

    report = validate(small, Path(__file__).resolve().parents[2] / "data/public", threads=2)
    assert report.blocking == ()
    assert report.rows["cin_episodes"] > 0
    assert report.rows["ks4"] > 0
    assert report.rows["post16"] > 0


def test_attainment_follows_the_documented_shapes(small: Path) -> None:
    ks2 = _table(small, "ks2")
    before = ks2["academic_year"] < 201516
    assert ks2.loc[before, "reading_fine_points"].notna().all()
    assert ks2.loc[~before, "reading_scaled"].notna().all()
    assert ks2.loc[before, "reading_scaled"].isna().all()
    ks4 = _table(small, "ks4")
    assert (ks4["em_grade4"] | ~ks4["em_grade5"]).all()  # grade 5 implies grade 4
    assert ks4.loc[ks4["academic_year"] < 201516, "progress8"].isna().all()
    with_p8 = ks4[ks4["academic_year"] >= 201516]["progress8"]
    assert with_p8.notna().mean() > 0.8
    assert abs(with_p8.mean()) < 0.05  # Progress 8 averages about zero by construction
    post = _table(small, "post16")
    late = post["ks4_year"] > 201213
    assert post.loc[late, "level2_by_21"].isna().all()  # not yet 21 by 2017/18
    assert post.loc[~late, "level2_by_21"].notna().all()


def test_turning_outcomes_off_leaves_everything_else_identical(
    tmp_path: Path,
    geography: Geography,
    small: Path,
) -> None:
    out = tmp_path / "extract"
    generate(geography, out, seed=7, scale=SMALL, outcomes=False)
    for name in ("school_census", "cin_episodes", "absence", "children", "schools"):
        assert _digests(out)[f"{name}.parquet"] == _digests(small)[f"{name}.parquet"], name
    assert pq.read_metadata(out / "ks4.parquet").num_rows == 0
