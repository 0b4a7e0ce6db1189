"""EES files from declared tables: rows and metadata worked out by hand.

The table: pupils by group in 2016/17, CLA 120 pupils of whom a share 0.488 (48.8%), CINO
suppressed, all pupils 250 (100.0%). Its declared total, "all pupils", is written Total.
"""

from __future__ import annotations

import pytest

from bulletin.tables.ees import (
    ACADEMIC_YEAR,
    FIRST,
    LATEST,
    LATEST_ACADEMIC,
    LOCAL_AUTHORITY,
    REPORTING_YEAR,
    DataFile,
    Filter,
    Indicator,
    OpenDataError,
    Part,
    Place,
    Spread,
    TidyTable,
    build,
    places,
)

YEARS = (2013, 2018)
WHERE = places(
    [("E12000001", "North East")],
    [Place(LOCAL_AUTHORITY, "E06000001", "Hartlepool", "E12000001", "North East", "805")],
)
INDICATORS = (
    Indicator("pupils", "pupils", "Pupils"),
    Indicator("share", "pupils_percent", "Percentage of pupils", unit="%", dp=1),
)
GROUP = Filter("group", "social_care_group", "Social care group", total="all pupils")


def table(
    rows: list[tuple[str, ...]],
    table_id: str = "tbl-x-201617",
    labels: tuple[str, ...] = ("group",),
    columns: tuple[str, ...] = (),
) -> TidyTable:
    columns = columns or (*labels, "pupils", "share")
    units = {"pupils": "count", "share": "share"}
    return TidyTable(
        table_id,
        "Pupils by group",
        "pupils, by group",
        "A source",
        tuple(columns),
        tuple(labels),
        tuple(rows),
        units,
    )


ROWS = [("CLA", "120", "0.488"), ("CINO", "c", "c"), ("all pupils", "250", "1.000")]


def by_group(
    *parts: Part, filters: tuple[Filter, ...] = (GROUP,), spread: Spread | None = None
) -> DataFile:
    return DataFile(
        "pupils_by_group",
        "Pupils by group",
        "What it holds.",
        ACADEMIC_YEAR,
        parts or (Part("tbl-x-201617", time_period="201617"),),
        INDICATORS,
        filters=filters,
        spread=spread,
    )


def test_a_table_becomes_a_tidy_file_with_its_metadata() -> None:
    built = build(by_group(), {"tbl-x-201617": table(ROWS)}, WHERE, YEARS)
    assert built.data_csv() == (
        "time_period,time_identifier,geographic_level,country_code,country_name,"
        "social_care_group,pupils,pupils_percent\n"
        "201617,Academic year,National,E92000001,England,CLA,120,48.8\n"
        "201617,Academic year,National,E92000001,England,CINO,c,c\n"
        "201617,Academic year,National,E92000001,England,Total,250,100.0\n"
    )
    assert built.meta_csv() == (
        "col_name,col_type,label,indicator_grouping,indicator_unit,indicator_dp,"
        "filter_hint,filter_grouping_column\n"
        "social_care_group,Filter,Social care group,,,,,\n"
        "pupils,Indicator,Pupils,,,0,,\n"
        "pupils_percent,Indicator,Percentage of pupils,,%,1,,\n"
    )
    assert built.time_periods == ("201617",)
    assert built.levels == ("National",)
    assert built.footnotes == ("Pupils by group: pupils, by group", "Source: A source")


def test_a_value_with_more_places_than_declared_is_refused_not_rounded() -> None:
    rows = [("CLA", "120", "0.4885"), ("all pupils", "250", "1.000")]
    with pytest.raises(OpenDataError) as caught:
        build(by_group(), {"tbl-x-201617": table(rows)}, WHERE, YEARS)
    assert caught.value.problems == (
        "pupils_by_group: tbl-x-201617, row 1: pupils_percent: 0.4885 has more than 1 "
        "decimal places",
    )


def test_every_problem_is_listed_at_once() -> None:
    file = by_group(
        Part("tbl-x-201617", time_period="201617"), Part("tbl-x-201718", time_period="201718")
    )
    tables = {
        "tbl-x-201617": table(
            [(*r, "x") for r in ROWS], columns=("group", "pupils", "share", "extra")
        ),
        "tbl-x-201718": table(
            [("a", *r) for r in ROWS], table_id="tbl-x-201718", labels=("sex", "group")
        ),
    }
    with pytest.raises(OpenDataError) as caught:
        build(file, tables, WHERE, YEARS)
    assert caught.value.problems == (
        "pupils_by_group: tbl-x-201617: value columns ['pupils', 'share', 'extra'] are not the "
        "file's indicators ['pupils', 'share']",
        "pupils_by_group: tbl-x-201718: label column sex is not declared",
    )


def test_tables_of_one_file_must_agree_on_a_shared_row() -> None:
    parts = (Part("tbl-x-201617", time_period="201617"), Part("tbl-y", time_period="201617"))
    same = {"tbl-x-201617": table(ROWS), "tbl-y": table(ROWS[2:], table_id="tbl-y")}
    built = build(by_group(*parts), same, WHERE, YEARS)
    assert len(built.rows) == 3  # the all pupils row is one row
    other = {**same, "tbl-y": table([("all pupils", "260", "1.000")], table_id="tbl-y")}
    with pytest.raises(OpenDataError, match="tbl-y, row 1: a row for the same time, place"):
        build(by_group(*parts), other, WHERE, YEARS)


def test_a_filter_without_a_total_says_why_and_names_its_default() -> None:
    status = Filter("group", "status", "Status", default="CINO", no_total="medians do not add up")
    built = build(by_group(filters=(status,)), {"tbl-x-201617": table(ROWS)}, WHERE, YEARS)
    assert built.meta_header[-1] == "filter_default"
    assert built.meta[0] == ("status", "Filter", "Status", "", "", "", "", "", "CINO")
    assert built.meta[1][-1] == ""
    assert [r[5] for r in built.rows] == ["CLA", "CINO", "all pupils"]  # nothing written Total
    with pytest.raises(OpenDataError, match="say why it has no total"):
        build(by_group(filters=(Filter("group", "s", "S", default="CINO"),)), {}, WHERE, YEARS)
    with pytest.raises(OpenDataError, match="give either its total or a default item"):
        build(by_group(filters=(Filter("group", "s", "S"),)), {}, WHERE, YEARS)


def test_an_item_that_would_read_total_but_is_not_the_total_is_refused() -> None:
    rows = [("Total", "10", "0.040"), *ROWS]
    with pytest.raises(OpenDataError, match="row 1: group has an item 'Total'"):
        build(by_group(), {"tbl-x-201617": table(rows)}, WHERE, YEARS)


def test_a_spread_gives_each_characteristic_a_filter_at_total_in_the_other_rows() -> None:
    rows = [
        ("gender", "F", "60", "0.500"),
        ("age", "under 5", "20", "0.167"),
        ("all", "total", "120", "1.000"),
    ]
    spread = Spread(
        "characteristic",
        "category",
        {
            "gender": Filter("", "gender", "Gender", items={"F": "Female"}),
            "age": Filter("", "age_group", "Age"),
        },
        total="all",
    )
    tables = {"tbl-x-201617": table(rows, labels=("characteristic", "category"))}
    built = build(by_group(filters=(), spread=spread), tables, WHERE, YEARS)
    assert built.header[5:7] == ("gender", "age_group")
    assert [r[5:] for r in built.rows] == [
        ("Female", "Total", "60", "50.0"),
        ("Total", "under 5", "20", "16.7"),
        ("Total", "Total", "120", "100.0"),
    ]


def test_area_codes_give_the_geography_columns_of_their_level() -> None:
    rows = [("E92000001", "30", "0.500"), ("E12000001", "20", "0.400"), ("E06000001", "c", "c")]
    file = by_group(Part("tbl-x-201617", time_period="201617", place_column="la_code"), filters=())
    built = build(file, {"tbl-x-201617": table(rows, labels=("la_code",))}, WHERE, YEARS)
    assert built.header[2:10] == (
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "old_la_code",
        "new_la_code",
        "la_name",
    )
    assert [r[2:10] for r in built.rows] == [
        ("National", "E92000001", "England", "", "", "", "", ""),
        ("Regional", "E92000001", "England", "E12000001", "North East", "", "", ""),
        (
            "Local authority",
            "E92000001",
            "England",
            "E12000001",
            "North East",
            "805",
            "E06000001",
            "Hartlepool",
        ),
    ]
    assert built.levels == ("National", "Regional", "Local authority")
    unknown = {"tbl-x-201617": table([("E06000099", "1", "0.100")], labels=("la_code",))}
    with pytest.raises(OpenDataError, match="'E06000099' is not a known area code"):
        build(file, unknown, WHERE, YEARS)


@pytest.mark.parametrize(
    ("period", "identifier", "written"),
    [
        (FIRST, REPORTING_YEAR, "2013"),
        (LATEST, REPORTING_YEAR, "2018"),
        (LATEST_ACADEMIC, ACADEMIC_YEAR, "201718"),
    ],
)
def test_time_placeholders_take_the_publications_years(
    period: str, identifier: str, written: str
) -> None:
    file = DataFile(
        "f", "F", "S", identifier, (Part("tbl-x-201617", time_period=period),), INDICATORS, (GROUP,)
    )
    built = build(file, {"tbl-x-201617": table(ROWS)}, WHERE, YEARS)
    assert {r[0] for r in built.rows} == {written}


def test_text_cells_are_safe_from_formula_injection() -> None:
    rows = [("=HYPERLINK(1)", "1", "0.100"), ("all pupils", "10", "1.000")]
    built = build(by_group(), {"tbl-x-201617": table(rows)}, WHERE, YEARS)
    assert built.rows[0][5] == "'=HYPERLINK(1)"
