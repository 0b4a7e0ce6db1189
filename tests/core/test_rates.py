"""The rate function reproduces every published rate of the release-2024 B1 file (2013 to
2022, national, regional and local authority) from the shipped population file."""

from __future__ import annotations

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from bulletin.core.rates import population_year, rate_per_10000
from bulletin.core.symbols import Symbol
from bulletin.data.population import load_population

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = ROOT / "data" / "public"
B1_2024 = PUBLIC / "cin_characteristics/release_2024/b1_children_in_need_2013_to_2024.csv"
CODE_COLUMN = {
    "National": "country_code",
    "Regional": "region_code",
    "Local authority": "new_la_code",
}


def test_hand_worked_rates() -> None:
    # 404,710 / 11,716,740 x 10,000 = 345.413... (README of data/public)
    assert rate_per_10000(404_710, 11_716_740) == D("345.4")
    # 1 / 20,000 x 10,000 = 0.5 exactly: half up
    assert rate_per_10000(1, 20_000) == D("0.5")
    assert rate_per_10000(1, 40_000) == D("0.3")  # 0.25 -> 0.3
    assert rate_per_10000(0, 5) == D("0.0")
    with pytest.raises(ValueError, match="positive"):
        rate_per_10000(1, 0)


def test_reporting_year_uses_the_previous_mid_year() -> None:
    assert population_year(2018) == 2017
    population = load_population(PUBLIC)
    assert population.for_reporting_year(2018, "National", "E92000001") == 11_716_740


def test_rate_function_reproduces_every_release_2024_rate() -> None:
    population = load_population(PUBLIC)
    with B1_2024.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rate_columns = [c for c in rows[0] if c.endswith("_rate")]
    assert len(rate_columns) == 8
    compared, levels, mismatches = 0, set(), []
    for row in rows:
        year = int(row["time_period"])
        if not 2013 <= year <= 2022:
            continue
        level = row["geographic_level"]
        code = row[CODE_COLUMN[level]]
        for rate_column in rate_columns:
            count, published = row[rate_column.removesuffix("_rate")], row[rate_column]
            if published in {s.value for s in Symbol} or count in {s.value for s in Symbol}:
                continue
            got = population.rate(int(count), year, level, code)
            compared += 1
            levels.add(level)
            if got != D(published):
                mismatches.append((year, level, code, rate_column, published, got))
    assert mismatches == []
    assert levels == {"National", "Regional", "Local authority"}
    # 10 years x 8 rates x (1 + 11 + about 150) areas, less the cells holding symbols
    assert compared > 12_000


def test_2018_national_rate_is_345_4() -> None:
    population = load_population(PUBLIC)
    assert population.rate(404_710, 2018, "National", "E92000001") == D("345.4")
