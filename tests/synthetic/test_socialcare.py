"""Social care in the synthetic population: the records follow the rules of real ones, and
the model responds to its behavioural parameters in the expected direction."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from benchmarks import measure

from bulletin.core.geography import Geography
from bulletin.synthetic import generate
from bulletin.synthetic.params import default_path, load_parameters

WHAT_IF_SCALE = 0.02


def _table(folder: Path, name: str) -> pd.DataFrame:
    frame: pd.DataFrame = pq.read_table(folder / f"{name}.parquet").to_pandas()
    return frame


def test_episodes_follow_the_rules(small: Path) -> None:
    e = _table(small, "cin_episodes")
    assert len(e) > 1000
    closed = e.dropna(subset=["closure_date"])
    assert (pd.to_datetime(closed["closure_date"]) >= pd.to_datetime(closed["referral_date"])).all()
    # a closure reason exactly when there is a closure date
    assert (e["closure_reason"].isna() == e["closure_date"].isna()).all()
    # every episode overlaps the window
    assert (pd.to_datetime(e["referral_date"]) <= pd.Timestamp("2018-03-31")).all()
    assert (pd.to_datetime(closed["closure_date"]) >= pd.Timestamp("2011-04-01")).all()
    # some cases were already open on 1 April 2011, some still open on 31 March 2018
    assert (pd.to_datetime(e["referral_date"]) < pd.Timestamp("2011-04-01")).any()
    assert e["closure_date"].isna().any()
    # a primary need for every referral that went further
    assert e.loc[~e["referral_nfa"], "primary_need"].notna().all()
    # a child has one episode open at a time
    e = e.assign(start=pd.to_datetime(e["referral_date"]), end=pd.to_datetime(e["closure_date"]))
    e = e.sort_values(["child_id", "start"])
    same_child = e["child_id"].eq(e["child_id"].shift())
    assert (e["start"][same_child] > e["end"].shift()[same_child]).all()


def test_plans_and_care_lie_within_their_episodes(small: Path) -> None:
    e = _table(small, "cin_episodes").set_index("episode_id")
    plans = _table(small, "child_protection_plans")
    assert len(plans) > 100
    episode = e.loc[plans["episode_id"]]
    assert (
        pd.to_datetime(plans["start_date"]).to_numpy()
        >= pd.to_datetime(episode["referral_date"]).to_numpy()
    ).all()
    ended = plans["end_date"].notna().to_numpy() & episode["closure_date"].notna().to_numpy()
    assert (
        pd.to_datetime(plans["end_date"]).to_numpy()[ended]
        <= pd.to_datetime(episode["closure_date"]).to_numpy()[ended]
    ).all()
    cla = _table(small, "cla_episodes")
    assert len(cla) > 50
    assert cla["child_id"].isin(e["child_id"]).all()


def test_match_status_agrees_with_the_records(small: Path) -> None:
    children = _table(small, "children").set_index("child_id")
    in_care = set(_table(small, "cin_episodes")["child_id"]) | set(
        _table(small, "cla_episodes")["child_id"]
    )
    in_census = set(_table(small, "school_census")["child_id"])
    status = children["match_status"].astype(str)
    for child, value in status.items():
        assert value == (
            "matched"
            if child in in_care and child in in_census
            else "care_only"
            if child in in_care
            else "education_only"
        )
    assert set(status) == {"matched", "care_only", "education_only"}


def test_children_in_need_have_more_sen_and_absence(small: Path) -> None:
    sen = measure.sen_rows(small)
    assert sen["C2_cin"] > 2 * sen["C2_all"]
    absence = measure.absence_rows(small)
    assert absence["A7_cino_overall"] > 1.5 * absence["absence_all_overall"]


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _generate(tmp: Path, geography: Geography, text: str, *, absence: bool = True) -> Path:
    path = tmp / f"parameters-{hashlib.sha256(text.encode()).hexdigest()[:8]}.toml"
    path.write_text(text, encoding="utf-8")
    out = tmp / f"extract-{path.stem}-{int(not absence)}"
    generate(
        geography, out, seed=11, scale=WHAT_IF_SCALE, params=load_parameters(path), absence=absence
    )
    return out


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, geography: Geography) -> Path:
    text = default_path().read_text(encoding="utf-8")
    return _generate(tmp_path_factory.mktemp("what-if"), geography, text)


def test_more_rereferrals_raise_the_yearly_count_and_lower_distinct_per_yearly(
    tmp_path: Path,
    geography: Geography,
    baseline: Path,
) -> None:
    text = default_path().read_text(encoding="utf-8")
    params = load_parameters()["care"]["rereferral"]
    higher = _with(
        text,
        f"intercept = {params['intercept']}",
        f"intercept = {float(params['intercept']) + 1.5}",
    )
    changed = _generate(tmp_path, geography, higher)
    before = measure.care_rows(baseline, measure_population())
    after = measure.care_rows(changed, measure_population())

    def yearly(rows: dict[str, float]) -> float:
        return sum(rows[f"A1_{y}"] for y in range(2013, 2019)) / 6

    assert yearly(after) > yearly(before)
    assert after["B1"] / yearly(after) < before["B1"] / yearly(before)


def test_more_clustering_raises_the_share_of_schools_with_no_such_pupils(
    tmp_path: Path,
    geography: Geography,
    baseline: Path,
) -> None:
    """Clustering: every neighbourhood's deprivation (its spread and the small schools'
    shift) twice as far from the average."""
    text = default_path().read_text(encoding="utf-8")
    characteristics = load_parameters()["characteristics"]
    for name in ("deprivation_neighbourhood_sd", "small_school_deprivation"):
        value = characteristics[name]
        text = _with(
            text,
            f"[characteristics.{name}]\nvalue = {value}",
            f"[characteristics.{name}]\nvalue = {float(value) * 2}",
        )
    clustered = text
    changed = _generate(tmp_path, geography, clustered)
    assert measure.school_rows(changed)["B3"] > measure.school_rows(baseline)["B3"]


def test_turning_absence_off_leaves_social_care_byte_identical(
    tmp_path: Path,
    geography: Geography,
    baseline: Path,
) -> None:
    text = default_path().read_text(encoding="utf-8")
    without = _generate(tmp_path, geography, text, absence=False)
    assert len(_table(without, "absence")) == 0
    for name in (
        "cin_episodes",
        "cin_assessments",
        "child_protection_plans",
        "cla_episodes",
        "children",
    ):
        assert (without / f"{name}.parquet").read_bytes() == (
            baseline / f"{name}.parquet"
        ).read_bytes(), name


def measure_population() -> Path:
    return (
        Path(__file__).resolve().parents[2]
        / "data/public/population/ons_mid-year_population_estimates_2012_to_2024.csv"
    )
