"""National findings from hand-built rows in the B1 shape (no file read)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from bulletin.core.measure import Unit
from bulletin.core.symbols import Symbol
from bulletin.data.public import AreaYear, NationalYear
from bulletin.findings.national import Level, compute

SERIES = [
    NationalYear(2012, D("100"), D("1.0"), D("0"), D("0")),
    NationalYear(2013, D("378030"), D("330.9"), D("0"), D("0")),
    NationalYear(2014, D("395480"), D("343.7"), D("0"), D("0")),
    NationalYear(2015, Symbol.NOT_AVAILABLE, Symbol.NOT_AVAILABLE, D("0"), D("0")),
]
AREAS = [
    AreaYear("National", "E92000001", "England", "", D("1000"), D("10.5")),
    AreaYear("Regional", "E12000007", "London", "", D("500"), D("20")),
    AreaYear("Regional", "E13000001", "Inner London", "E12000007", D("200"), D("30")),
    AreaYear("Local authority", "E09000007", "Camden", "E13000001", Symbol.SUPPRESSED, D("7.25")),
]


def test_the_series_covers_the_years_asked_for_and_keeps_published_values() -> None:
    found = compute(SERIES, AREAS, 2013, 2015)
    assert [p.year for p in found.series] == [2013, 2014, 2015]
    assert found.first.children.value == D("378030")
    assert found.first.children.unit is Unit.COUNT
    assert found.first.rate.value == D("330.9")  # as published, not recomputed
    assert found.first.rate.unit is Unit.RATE
    assert found.latest.children.symbol is Symbol.NOT_AVAILABLE
    assert str(found.latest.census_date) == "2015-03-31"
    assert "table B1" in found.first.children.source


def test_areas_keep_their_level_parent_and_symbols() -> None:
    found = compute(SERIES, AREAS, 2013, 2014)
    assert [(a.level, a.parent) for a in found.areas] == [
        (Level.NATIONAL, ""),
        (Level.REGIONAL, ""),
        (Level.SUBREGIONAL, "E12000007"),
        (Level.LOCAL_AUTHORITY, "E13000001"),
    ]
    camden = found.areas[3]
    assert camden.children.symbol is Symbol.SUPPRESSED
    assert camden.rate.value == D("7.25")


def test_a_missing_year_is_an_error() -> None:
    with pytest.raises(ValueError, match="no row for 2016, 2017"):
        compute(SERIES, AREAS, 2013, 2017)
