"""The children in need tables and their CSV files, from hand-built findings."""

from __future__ import annotations

from decimal import Decimal as D

from bulletin.core.symbols import Symbol
from bulletin.data.public import AreaYear, NationalYear
from bulletin.findings.national import compute
from bulletin.tables import to_csv
from bulletin.tables.children_in_need import cin_by_region, cin_by_year

SERIES = [
    NationalYear(2017, D("389040"), D("330.1"), D("0"), D("0")),
    NationalYear(2018, D("404710"), D("341"), D("0"), D("0")),
]
AREAS = [
    AreaYear("National", "E92000001", "England", "", D("404710"), D("341")),
    AreaYear("Regional", "E12000001", "North East", "", D("24270"), D("460.2")),
    AreaYear("Regional", "E12000007", "London", "", D("72810"), D("363.8")),
    AreaYear("Regional", "E13000001", "Inner London", "E12000007", D("31460"), D("426.5")),
    AreaYear("Regional", "E13000002", "Outer London", "E12000007", D("41350"), D("327.2")),
    AreaYear("Local authority", "E06000047", "Darlington", "E12000001", D("900"), D("400.4")),
    AreaYear("Local authority", "E09000002", "Barking", "E13000002", D("1000"), D("1097.8")),
    AreaYear("Local authority", "E06000005", "County Durham", "E12000001", D("3570"), D("355.1")),
    AreaYear(
        "Local authority", "E09000007", "Camden", "E13000001", Symbol.SUPPRESSED, Symbol.SUPPRESSED
    ),
]
FINDINGS = compute(SERIES, AREAS, 2017, 2018)


def test_by_year_prints_each_year_through_the_formatters() -> None:
    assert to_csv(cin_by_year(FINDINGS)) == (
        "date,time_period,children_in_need_at_31_march,rate_per_10000_children\n"
        "31 March 2017,2017,389040,330.1\n"
        "31 March 2018,2018,404710,341.0\n"
    )
    table = cin_by_year(FINDINGS)
    assert [c.text for c in table.rows[1].cells] == ["404,710", "341.0"]


def test_by_region_orders_england_regions_subregions_and_authorities() -> None:
    table = cin_by_region(FINDINGS)
    assert [(r.header, r.level) for r in table.rows] == [
        ("England", "national"),
        ("North East", "regional"),
        ("County Durham", "local-authority"),  # alphabetical within the region
        ("Darlington", "local-authority"),
        ("London", "regional"),
        ("Inner London", "subregional"),
        ("Camden", "local-authority"),
        ("Outer London", "subregional"),
        ("Barking", "local-authority"),
    ]


def test_by_region_keeps_symbols_and_writes_plain_numbers_to_csv() -> None:
    table = cin_by_region(FINDINGS)
    lines = to_csv(table).splitlines()
    assert (
        lines[0]
        == "area_name,geographic_level,area_code,children_in_need_at_31_march,rate_per_10000_children"
    )
    assert "Barking,local authority,E09000002,1000,1097.8" in lines
    assert "Camden,local authority,E09000007,c,c" in lines
    barking = next(r for r in table.rows if r.header == "Barking")
    assert [c.text for c in barking.cells] == ["1,000", "1,097.8"]
    assert table.symbols == ("c",)


def test_an_area_outside_every_region_is_an_error() -> None:
    import pytest

    stray = AreaYear("Local authority", "E0", "Nowhere", "E99", D("1"), D("1"))
    with pytest.raises(ValueError, match="areas in no region: E0"):
        cin_by_region(compute(SERIES, [*AREAS, stray], 2017, 2018))
