"""The children in need tables and their CSV files, from hand-built findings."""

from __future__ import annotations

from bulletin.tables import to_csv
from bulletin.tables.children_in_need import cin_by_region, cin_by_year
from tests.context_helpers import areas, series

SERIES = series(("2017", "389040", "330.1"), ("2018", "404710", "341"))
AREAS = [
    ("E92000001", "England", "national", "", "404710", "341"),
    ("E12000001", "North East", "regional", "", "24270", "460.2"),
    ("E12000007", "London", "regional", "", "72810", "363.8"),
    ("E13000001", "Inner London", "subregional", "E12000007", "31460", "426.5"),
    ("E13000002", "Outer London", "subregional", "E12000007", "41350", "327.2"),
    ("E06000047", "Darlington", "local authority", "E12000001", "900", "400.4"),
    ("E09000002", "Barking", "local authority", "E13000002", "1000", "1097.8"),
    ("E06000005", "County Durham", "local authority", "E12000001", "3570", "355.1"),
    ("E09000007", "Camden", "local authority", "E13000001", "c", "c"),
]


def test_by_year_prints_each_year_through_the_formatters() -> None:
    assert to_csv(cin_by_year(SERIES)) == (
        "date,year,at_31_march,at_31_march_rate\n"
        "31 March 2017,2017,389040,330.1\n"
        "31 March 2018,2018,404710,341.0\n"
    )
    table = cin_by_year(SERIES)
    assert [c.text for c in table.rows[1].cells] == ["404,710", "341.0"]


def test_by_region_orders_england_regions_subregions_and_authorities() -> None:
    table = cin_by_region(areas(*AREAS))
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
    table = cin_by_region(areas(*AREAS))
    lines = to_csv(table).splitlines()
    assert lines[0] == "area_name,level,area_code,at_31_march,at_31_march_rate"
    assert "Barking,local authority,E09000002,1000,1097.8" in lines
    assert "Camden,local authority,E09000007,c,c" in lines
    barking = next(r for r in table.rows if r.header == "Barking")
    assert [c.text for c in barking.cells] == ["1,000", "1,097.8"]
    assert table.symbols == ("c",)


def test_an_area_outside_every_region_is_an_error() -> None:
    import pytest

    stray = ("E0", "Nowhere", "local authority", "E99", "1", "1")
    with pytest.raises(ValueError, match="areas in no region: E0"):
        cin_by_region(areas(*AREAS, stray))
