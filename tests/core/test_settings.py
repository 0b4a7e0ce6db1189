"""The settings file: defaults as DESIGN.md lists them, and every problem reported at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bulletin.core.settings import SettingsError, find_root, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_project_defaults() -> None:
    s = load_settings(ROOT)
    assert s.root == ROOT
    dates = {p.id: p.date for p in s.publications}
    assert dates == {
        "data-and-analysis": dt.date(2019, 6, 18),
        "interim-findings": dt.date(2018, 12, 10),
        "concluding-review": dt.date(2019, 6, 18),
        "characteristics-2018": dt.date(2018, 10, 25),
    }
    assert s.publication("characteristics-2018").rates_release == 2023
    assert s.publication("data-and-analysis").rates_release is None
    assert s.scale == 1.0
    assert isinstance(s.seed, int)
    assert s.disclosure.suppress_max == 5
    assert s.disclosure.min_denominator == 10
    assert s.disclosure.rounding_base == 10
    assert s.paths.public_data == ROOT / "data" / "public"
    assert s.paths.site == ROOT / "_site"


def test_root_is_found_from_a_subfolder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BULLETIN_ROOT", raising=False)
    assert find_root(ROOT / "src" / "bulletin" / "core") == ROOT


def test_paths_do_not_depend_on_the_working_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT / "tests")
    monkeypatch.delenv("BULLETIN_ROOT", raising=False)
    assert load_settings().paths.public_data == ROOT / "data" / "public"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    (tmp_path / "bulletin.toml").write_text(
        """
[build]
seed = "forty-two"
scale = 2.0

[publications.data-and-analysis]
title = "Data"
date = "18 June 2019"

[publications.interim-findings]
title = "Interim"
date = 2018-12-10

[publications.Typo_Review]
title = "?"
date = 2019-06-18

[publications.new-release]
title = "New"
""",
        encoding="utf-8",
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    message = str(caught.value)
    assert "[build] seed must be a whole number" in message
    assert "[build] scale must be in (0, 1]" in message
    assert "[publications.data-and-analysis] date must be a date" in message
    assert "[publications.Typo_Review] is not a publication id" in message
    assert "[publications.new-release] date must be a date" in message
    assert "concluding-review" not in message  # a publication not declared is not built
    assert str(tmp_path / "bulletin.toml") in message


def test_any_declared_publication_is_one_and_the_window_is_required(tmp_path: Path) -> None:
    """A new publication needs only its table in the settings (and, to be built, a template
    folder and a module); the data and analysis publication, whose window the findings
    cover, is the one every settings file declares."""
    text = (ROOT / "bulletin.toml").read_text(encoding="utf-8")
    added = text + '\n[publications.new-release]\ntitle = "A new release"\ndate = 2020-01-02\n'
    (tmp_path / "bulletin.toml").write_text(added, encoding="utf-8")
    settings = load_settings(tmp_path)
    assert [p.id for p in settings.publications] == [
        "data-and-analysis",
        "interim-findings",
        "concluding-review",
        "characteristics-2018",
        "new-release",
    ]
    assert settings.publication("new-release").date == dt.date(2020, 1, 2)
    without = text.replace("[publications.data-and-analysis]", "[publications.data-analysis]")
    (tmp_path / "bulletin.toml").write_text(without, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"\[publications.data-and-analysis\] is missing"):
        load_settings(tmp_path)


def test_a_missing_settings_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="file not found"):
        load_settings(tmp_path)


def test_unknown_publication_id() -> None:
    with pytest.raises(SettingsError, match="unknown publication 'nope'"):
        load_settings(ROOT).publication("nope")


def test_each_publication_has_its_window() -> None:
    """Reporting years, by the year they end: the final window 2012-13 to 2017-18 for the
    data and analysis and the concluding review, and 2011-12 to 2016-17 for the interim."""
    s = load_settings(ROOT)
    assert s.publication("data-and-analysis").years() == (2013, 2018)
    assert s.publication("concluding-review").years() == (2013, 2018)
    assert s.publication("interim-findings").years() == (2012, 2017)


def test_a_publication_without_years_cannot_say_them(tmp_path: Path) -> None:
    text = (ROOT / "bulletin.toml").read_text(encoding="utf-8")
    text = text.replace("first_year = 2012", "").replace("last_year = 2017", "")
    (tmp_path / "bulletin.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match="needs first_year and last_year"):
        load_settings(tmp_path).publication("interim-findings").years()


def test_bad_publication_years_are_reported(tmp_path: Path) -> None:
    text = (ROOT / "bulletin.toml").read_text(encoding="utf-8")
    text = text.replace("first_year = 2013", 'first_year = "2013"').replace(
        "last_year = 2018", "last_year = 2012"
    )
    (tmp_path / "bulletin.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"first_year must be a year") as caught:
        load_settings(tmp_path)
    assert "last_year" not in str(caught.value)  # first_year was bad, so no order check
    text = text.replace('first_year = "2013"', "first_year = 2013")
    (tmp_path / "bulletin.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match="first_year is after last_year"):
        load_settings(tmp_path)


def test_a_rates_release_that_is_not_a_year_is_reported(tmp_path: Path) -> None:
    text = (ROOT / "bulletin.toml").read_text(encoding="utf-8")
    bad = text.replace("rates_release = 2023", 'rates_release = "2024"')
    assert bad != text
    (tmp_path / "bulletin.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(SettingsError, match=r"characteristics-2018\] rates_release must be a year"):
        load_settings(tmp_path)


def test_spark_runs_locally_on_the_settings_threads_unless_given_a_master(tmp_path: Path) -> None:
    s = load_settings(ROOT)
    assert s.spark.master == ""
    assert s.spark.master_for(s.threads) == f"local[{s.threads}]"
    assert dict(s.spark.conf) == {"spark.driver.memory": "4g"}
    text = (ROOT / "bulletin.toml").read_text(encoding="utf-8")
    (tmp_path / "bulletin.toml").write_text(
        text.replace('master = ""', 'master = "spark://cluster:7077"'), encoding="utf-8"
    )
    assert load_settings(tmp_path).spark.master_for(2) == "spark://cluster:7077"


def test_bad_spark_settings_are_reported(tmp_path: Path) -> None:
    text = (ROOT / "bulletin.toml").read_text(encoding="utf-8")
    text = text.replace('master = ""', "master = 7077").replace('"4g"', "4")
    (tmp_path / "bulletin.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(tmp_path)
    assert "[spark] master must be text, got 7077" in str(caught.value)
    assert "[spark] conf.spark.driver.memory must be text, got 4" in str(caught.value)
