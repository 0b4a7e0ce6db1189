"""The EES screener port: a good pair of files passes every check; for every check, a copy
of it damaged in that one way is caught by that check, by name.

The good pair is written here by hand: England, the North East and Hartlepool (old code
805, new code E06000001) in the reporting year 2018, a social care group filter (CLA and
Total) and an age filter grouped by an age band, and two indicators (pupils, to 0 places,
and a percentage to 1 place). Each damage below is one change a person could make by
mistake; the expected severity is the upstream rule's (some rules only warn).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bulletin.qa.results import Result
from bulletin.qa.screener import CHECKS, LEFT_OUT, OURS, READ, screen_files, screen_site
from tests.conftest import ROOT

F, W = Result.FAIL, Result.WARNING
META = [
    "col_name",
    "col_type",
    "label",
    "indicator_grouping",
    "indicator_unit",
    "indicator_dp",
    "filter_hint",
    "filter_grouping_column",
]
PLACES = [
    ("National", "", "", "", "", ""),
    ("Regional", "E12000001", "North East", "", "", ""),
    ("Local authority", "E12000001", "North East", "805", "E06000001", "Hartlepool"),
]
AGES = [("under 5", "under 10"), ("5 to 9", "under 10"), ("Total", "Total")]


@dataclass
class Pair:
    """A data file and its metadata as lists of dicts, to damage and then write."""

    header: list[str]
    rows: list[dict[str, str]]
    meta_header: list[str] = field(default_factory=lambda: list(META))
    meta: list[dict[str, str]] = field(default_factory=list)
    data_name: str = "pupils_by_group.csv"
    meta_name: str = "pupils_by_group.meta.csv"
    raw_data: bytes | None = None

    def rename(self, old: str, new: str, *, meta: bool = True) -> None:
        self.header = [new if h == old else h for h in self.header]
        for row in self.rows:
            row[new] = row.pop(old)
        if meta:
            for m in self.meta:
                for key in ("col_name", "filter_grouping_column"):
                    if m[key] == old:
                        m[key] = new

    def drop(self, column: str) -> None:
        self.header.remove(column)
        for row in self.rows:
            del row[column]

    def add(self, column: str, value: str = "") -> None:
        self.header.append(column)
        for row in self.rows:
            row[column] = value

    def meta_row(self, name: str) -> dict[str, str]:
        return next(m for m in self.meta if m["col_name"] == name)

    def at(self, level: str) -> list[dict[str, str]]:
        return [r for r in self.rows if r["geographic_level"] == level]

    def write(self, folder: Path) -> tuple[Path, Path]:
        data, meta = folder / self.data_name, folder / self.meta_name
        if self.raw_data is not None:
            data.write_bytes(self.raw_data)
        else:
            _write(data, self.header, self.rows)
        _write(meta, self.meta_header, self.meta)
        return data, meta


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[row.get(h, "") for h in header] for row in rows])


def good() -> Pair:
    header = [
        "time_period",
        "time_identifier",
        "geographic_level",
        "country_code",
        "country_name",
        "region_code",
        "region_name",
        "old_la_code",
        "new_la_code",
        "la_name",
        "social_care_group",
        "age_group",
        "age_band",
        "pupils",
        "pupils_percent",
    ]
    rows = []
    n = 0
    for level, region, region_name, old, new, la in PLACES:
        for group in ("CLA", "Total"):
            for age, band in AGES:
                n += 1
                rows.append(
                    dict(
                        zip(
                            header,
                            (
                                "2018",
                                "Reporting year",
                                level,
                                "E92000001",
                                "England",
                                region,
                                region_name,
                                old,
                                new,
                                la,
                                group,
                                age,
                                band,
                                str(10 * n),
                                f"{n}.5" if n % 3 else "c",
                            ),
                            strict=True,
                        )
                    )
                )

    def meta(name: str, kind: str, label: str, **more: str) -> dict[str, str]:
        return {
            **dict.fromkeys(META, ""),
            "col_name": name,
            "col_type": kind,
            "label": label,
            **more,
        }

    metadata = [
        meta("social_care_group", "Filter", "Social care group"),
        meta("age_group", "Filter", "Age", filter_grouping_column="age_band"),
        meta("age_band", "Filter", "Age band"),
        meta("pupils", "Indicator", "Pupils", indicator_dp="0"),
        meta("pupils_percent", "Indicator", "Percentage", indicator_unit="%", indicator_dp="1"),
    ]
    return Pair(header, rows, meta=metadata)


def _set(
    column: str, value: str, level: str | None = None, rows: slice = slice(None)
) -> Callable[[Pair], None]:
    def damage(p: Pair) -> None:
        chosen = p.at(level) if level else p.rows
        for row in chosen[rows]:
            row[column] = value

    return damage


def _meta(name: str, key: str, value: str) -> Callable[[Pair], None]:
    def damage(p: Pair) -> None:
        p.meta_row(name)[key] = value

    return damage


def _rename(old: str, new: str, *, meta: bool = True) -> Callable[[Pair], None]:
    return lambda p: p.rename(old, new, meta=meta)


def _extra_meta(p: Pair, count: int) -> None:
    for n in range(count):
        p.meta.append(
            {
                **dict.fromkeys(META, ""),
                "col_name": f"extra_{n}",
                "col_type": "Indicator",
                "label": f"Extra {n}",
                "indicator_dp": "0",
            }
        )


def _extra_rows(
    p: Pair, level: str, code_col: str, name_col: str, pairs: list[tuple[str, str]]
) -> None:
    for column in (code_col, name_col):
        if column not in p.header:
            p.add(column)
    for i, (code, name) in enumerate(pairs):
        row = {
            **p.rows[0],
            "geographic_level": level,
            code_col: code,
            name_col: name,
            "pupils": str(900 + i),
        }
        row["age_group"] = AGES[i % 2][0]
        row["social_care_group"] = ("CLA", "Total")[i // 2 % 2]
        p.rows.append(row)


def _no_la_rows(p: Pair) -> None:
    p.rows = [r for r in p.rows if r["geographic_level"] != "Local authority"]


def _plan_areas(p: Pair) -> None:
    for row in p.rows:
        row["geographic_level"] = "Planning area"


def _many_items(p: Pair) -> None:
    base = p.rows[0]
    p.rows = [{**base, "social_care_group": f"group {n}", "pupils": str(n)} for n in range(25_002)]


def _time_mix(p: Pair) -> None:
    p.at("National")[0]["time_identifier"] = "Calendar year"


def _dupe_group(p: Pair) -> None:
    p.meta_row("social_care_group")["filter_grouping_column"] = "age_band"


def _more_bands(p: Pair) -> None:
    for row in p.rows:
        if row["age_group"] == "under 5":
            row["age_band"] = "0 to 2" if row["geographic_level"] == "Local authority" else "3 to 4"


def _stripped(p: Pair) -> None:
    for row in p.rows:
        if row["age_group"] == "5 to 9":
            row["age_band"] = "under-10"


def _no_region_name(p: Pair) -> None:
    p.rows = [r for r in p.rows if r["geographic_level"] == "National"]
    for column in ("old_la_code", "new_la_code", "la_name", "region_name"):
        p.drop(column)


def _no_old_code(p: Pair) -> None:
    _no_la_rows(p)
    p.drop("old_la_code")


def _lad_rows(p: Pair) -> None:
    _extra_rows(
        p,
        "Local authority district",
        "lad_code",
        "lad_name",
        [("E07000001", "A district"), ("E07000002", "B district"), ("E07000003", "C district")],
    )


def _national_with_region(p: Pair) -> None:
    for row in p.at("National"):
        row["region_code"], row["region_name"] = "E12000001", "North East"


def _duplicate_row(p: Pair) -> None:
    p.rows.append(dict(p.rows[3]))


def _characteristic(values: tuple[str, str]) -> Callable[[Pair], None]:
    def damage(p: Pair) -> None:
        p.rename("social_care_group", "characteristic_group")
        for row in p.rows:
            row["characteristic_group"] = (
                values[0] if row["characteristic_group"] == "CLA" else values[1]
            )

    return damage


def _eth_char_vals(p: Pair) -> None:
    _characteristic(("Ethnicity Major", "Total"))(p)
    p.rename("age_group", "characteristic")


def _bad_encoding(p: Pair) -> None:
    p.raw_data = "time_period,la_name\n2018,Ynys M\u00f4n\n".encode("latin-1")


#: For every check: the damage it must catch, and the severity the upstream rule gives.
DAMAGES: dict[str, tuple[Callable[[Pair], None], Result]] = {
    "file_read": (_bad_encoding, F),
    "filename_spaces": (
        lambda p: (
            setattr(p, "data_name", "pupils by group.csv")
            or setattr(p, "meta_name", "pupils by group.meta.csv")
        ),
        F,
    ),
    "filename_special": (
        lambda p: (
            setattr(p, "data_name", "pupils&group.csv")
            or setattr(p, "meta_name", "pupils&group.meta.csv")
        ),
        F,
    ),
    "filenames_match": (lambda p: setattr(p, "meta_name", "other.meta.csv"), F),
    "col_req_meta": (lambda p: p.meta_header.remove("filter_hint"), F),
    "col_invalid_meta": (lambda p: p.meta_header.append("notes"), F),
    "col_req_data": (lambda p: p.drop("country_name"), F),
    "col_to_rows": (lambda p: _extra_meta(p, 6), F),
    "cross_meta_to_data": (
        lambda p: p.meta.append(
            {
                **dict.fromkeys(META, ""),
                "col_name": "gender",
                "col_type": "Filter",
                "label": "Gender",
            }
        ),
        F,
    ),
    "cross_data_to_meta": (
        lambda p: (
            p.add("extra") or _set("extra", "b", "National")(p) or _set("extra", "a", "Regional")(p)
        ),
        W,
    ),
    "col_names_spaces": (_rename("pupils", "pupils count", meta=False), F),
    "col_snake_case": (_rename("pupils", "Pupils"), W),
    "col_var_start": (_rename("pupils", "_pupils"), W),
    "col_ind_smushed": (_rename("pupils", "pupils_female"), F),
    "col_var_characteristic": (_rename("social_care_group", "characteristic"), W),
    "meta_col_type": (_meta("pupils", "col_type", "indicator"), F),
    "meta_ob_unit": (
        lambda p: p.meta.append(
            {
                **dict.fromkeys(META, ""),
                "col_name": "region_code",
                "col_type": "Filter",
                "label": "Region code",
            }
        ),
        F,
    ),
    "meta_col_name": (_meta("pupils_percent", "col_name", ""), F),
    "meta_dupe_label": (_meta("pupils_percent", "label", "Pupils"), F),
    "meta_fil_grp": (_meta("pupils", "filter_grouping_column", "social_care_group"), F),
    "meta_fil_grp_dupe": (_dupe_group, F),
    "meta_fil_grp_is_fil": (lambda p: p.meta.remove(p.meta_row("age_band")), W),
    "meta_fil_grp_match": (_meta("age_group", "filter_grouping_column", "age_range"), F),
    "meta_fil_grp_stripped": (_stripped, F),
    "meta_label": (_meta("pupils", "label", " "), F),
    "meta_filter_hint": (_meta("pupils", "filter_hint", "a hint"), F),
    "meta_geog_catch": (_rename("social_care_group", "la_code"), F),
    "meta_indicator_dp": (_meta("social_care_group", "indicator_dp", "0"), F),
    "meta_col_name_spaces": (_meta("pupils_percent", "col_name", "pupils percent"), F),
    "meta_col_name_dupe": (_meta("pupils_percent", "col_name", "pupils"), F),
    "meta_ind_dp_set": (_meta("pupils", "indicator_dp", ""), W),
    "meta_ind_dp_values": (_meta("pupils", "indicator_dp", "1.5"), F),
    "meta_ind_unit": (_meta("social_care_group", "indicator_unit", "%"), F),
    "meta_ind_unit_validation": (_meta("pupils_percent", "indicator_unit", "percent"), F),
    "meta_indicator_grouping": (_meta("social_care_group", "indicator_grouping", "People"), F),
    "time_period_num": (_set("time_period", "2018-19"), F),
    "time_id_valid": (_set("time_identifier", "Reporting Year"), F),
    "time_id_mix": (_time_mix, F),
    "filter_not_singular": (_set("social_care_group", "CLA"), F),
    "geog_level": (_set("geographic_level", "Regions", "Regional"), F),
    "geog_level_present": (lambda p: p.drop("region_name"), F),
    "time_period": (_set("time_period", "201819"), F),
    "time_period_six": (
        lambda p: _set("time_identifier", "Academic year")(p) or _set("time_period", "201820")(p),
        F,
    ),
    "filter_defaults": (
        lambda p: (
            [
                r.update(social_care_group="All groups")
                for r in p.rows
                if r["social_care_group"] == "Total"
            ]
            and None
        ),
        W,
    ),
    "filter_group_level": (_more_bands, F),
    "filter_item_limit": (_many_items, F),
    "filter_whitespace": (
        lambda p: (
            [r.update(social_care_group=" CLA") for r in p.rows if r["social_care_group"] == "CLA"]
            and None
        ),
        F,
    ),
    "filter_ob_total": (_set("la_name", "All", "Local authority"), F),
    "filter_blanks": (_set("age_group", "", "National", slice(0, 1)), F),
    "geog_country_combos": (_set("country_name", "Englund"), F),
    "geog_region_combos": (_set("region_name", "North Eest", "Regional"), F),
    "geog_la_combos": (_set("la_name", "Hartlepol", "Local authority"), F),
    "geog_level_completed": (_set("old_la_code", "", "Local authority"), F),
    "geog_ignored_rows": (_plan_areas, F),
    "geog_other_dupes": (
        lambda p: _extra_rows(
            p,
            "MAT",
            "trust_id",
            "trust_name",
            [("1", "Trust A"), ("2", "Trust A"), ("3", "Trust C")],
        ),
        F,
    ),
    "geog_other_code_dupes": (
        lambda p: _extra_rows(
            p,
            "MAT",
            "trust_id",
            "trust_name",
            [("1", "Trust A"), ("1", "Trust B"), ("3", "Trust C")],
        ),
        F,
    ),
    "geog_la_col_present": (_no_old_code, F),
    "geog_region_col_present": (_no_region_name, F),
    "geog_region_for_la": (
        lambda p: (
            _set("region_code", "", "Local authority")(p)
            or _set("region_name", "", "Local authority")(p)
        ),
        W,
    ),
    "geog_region_for_lad": (_lad_rows, W),
    "geog_na": (
        lambda p: _extra_rows(
            p,
            "Opportunity area",
            "opportunity_area_code",
            "opportunity_area_name",
            [("x", "Unknown"), ("E1", "Area B"), ("E2", "Area C")],
        ),
        F,
    ),
    "geog_na_code": (
        lambda p: _extra_rows(
            p,
            "Opportunity area",
            "opportunity_area_code",
            "opportunity_area_name",
            [("E1", "Not available"), ("E2", "Area B"), ("E3", "Area C")],
        ),
        F,
    ),
    "geog_overcompleted_cols": (_national_with_region, F),
    "general_dupes": (_duplicate_row, F),
    "general_null": (_set("pupils", "NULL", "National", slice(0, 1)), F),
    "ind_invalid_entry": (_set("pupils", ":", "National", slice(0, 1)), F),
    "bulletin_indicator_values": (_set("pupils", "1,234", "National", slice(0, 1)), F),
    "bulletin_indicator_places": (_set("pupils_percent", "12.34", "National", slice(0, 1)), F),
    "harmonised_variables": (_rename("age_group", "ethnic_group"), F),
    "harmonised_eth_vals": (_rename("social_care_group", "ethnicity_major"), W),
    "harmonised_eth_char_grp": (_characteristic(("Ethnic group", "Total")), F),
    "harmonised_eth_char_vals": (_eth_char_vals, W),
    "api_char_col_name": (_rename("pupils", "pupils_" + "n" * 44), W),
    "api_char_col_label": (_meta("pupils", "label", "Pupils " + "x" * 95), W),
    "api_char_loc_code": (
        lambda p: _extra_rows(
            p,
            "Opportunity area",
            "opportunity_area_code",
            "opportunity_area_name",
            [("E" * 31, "Area A"), ("E2", "Area B"), ("E3", "Area C")],
        ),
        W,
    ),
    "api_char_filter_items": (_set("social_care_group", "C" * 121, rows=slice(0, 1)), W),
}


def screened(pair: Pair, folder: Path) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    data, meta = pair.write(folder)
    return screen_files(data, meta, data.name)


def test_the_good_pair_passes_every_check(tmp_path: Path) -> None:
    results = screened(good(), tmp_path)
    assert [r for r in results if r.result is not Result.PASS] == []
    assert [r.check for r in results] == [READ, *(c.name for c in CHECKS)]


def test_every_check_has_a_damage() -> None:
    assert sorted(f"ees:{name}" for name in DAMAGES) == sorted([READ, *(c.name for c in CHECKS)])


@pytest.mark.parametrize("name", sorted(DAMAGES))
def test_a_damaged_file_is_caught_by_its_check(name: str, tmp_path: Path) -> None:
    damage, severity = DAMAGES[name]
    pair = good()
    damage(pair)
    results = screened(pair, tmp_path)
    named = [r for r in results if r.check == f"ees:{name}"]
    assert len(named) == 1, [str(r) for r in results if r.result is not Result.PASS]
    if named[0].message.endswith("checks failed"):  # an earlier stage already failed it:
        check = next(c for c in CHECKS if c.name == f"ees:{name}")  # run the check itself
        data, meta = tmp_path / pair.data_name, tmp_path / pair.meta_name
        from bulletin.qa.screener import read_pair

        result = check.run(read_pair(data, meta, data.name))
        assert any(r.result is Result.FAIL for r in results)
    else:
        result = named[0]
    assert result.result is severity, str(result)
    assert result.check == f"ees:{name}"


def test_checks_stop_after_a_failed_stage(tmp_path: Path) -> None:
    """As upstream: a file missing a required column is not screened further."""
    pair = good()
    pair.drop("country_name")
    results = screened(pair, tmp_path)
    later = [r for r in results if r.check == "ees:general_dupes"]
    assert later[0].result is Result.WARNING
    assert later[0].message.endswith("not run, because the precheck columns checks failed")


def test_screen_site_sums_up_each_check_once(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "pub"
    folder.mkdir(parents=True)
    good().write(folder)
    bad = good()
    bad.data_name, bad.meta_name = "second.csv", "second.meta.csv"
    _set("la_name", "Hartlepol", "Local authority")(bad)
    bad.write(folder)
    results = screen_site(tmp_path)
    by_check = {r.check: r for r in results}
    assert len(results) == len(CHECKS) + 1  # one result per check: every file passed but one
    assert by_check["ees:filename_spaces"].message == "passed on 2 EES files"
    assert by_check["ees:geog_la_combos"].result is Result.FAIL
    assert "data/pub/second.csv" in by_check["ees:geog_la_combos"].message
    assert "805 E06000001 Hartlepol" in by_check["ees:geog_la_combos"].message


#: Every rule function of the upstream package (eesyscreener 0.3.1, R/), listed by hand.
UPSTREAM = [
    "check_api_char_col_label",
    "check_api_char_col_name",
    "check_api_char_filter_items",
    "check_api_char_loc_code",
    "check_col_ind_smushed",
    "check_col_names_spaces",
    "check_col_snake_case",
    "check_col_var_characteristic",
    "check_col_var_start",
    "check_data_dict_col_name",
    "check_data_dict_fil_item",
    "check_filename_spaces",
    "check_filename_special",
    "check_filenames_match",
    "check_filter_blanks",
    "check_filter_defaults",
    "check_filter_group_level",
    "check_filter_item_limit",
    "check_filter_ob_total",
    "check_filter_whitespace",
    "check_general_dupes",
    "check_general_null",
    "check_geog_country_combos",
    "check_geog_eda_combos",
    "check_geog_ignored_rows",
    "check_geog_la_col_present",
    "check_geog_la_combos",
    "check_geog_lad_combos",
    "check_geog_lep_combos",
    "check_geog_level_completed",
    "check_geog_lsip_combos",
    "check_geog_na",
    "check_geog_na_code",
    "check_geog_other_code_dupes",
    "check_geog_other_dupes",
    "check_geog_overcompleted_cols",
    "check_geog_pcon_combos",
    "check_geog_region_col_present",
    "check_geog_region_combos",
    "check_geog_region_for_la",
    "check_geog_region_for_lad",
    "check_geog_ward_combos",
    "check_harmonised_eth_char_grp",
    "check_harmonised_eth_char_vals",
    "check_harmonised_eth_vals",
    "check_harmonised_variables",
    "check_ind_invalid_entry",
    "check_meta_col_name_dupe",
    "check_meta_col_name_spaces",
    "check_meta_dupe_label",
    "check_meta_fil_grp",
    "check_meta_fil_grp_dupe",
    "check_meta_fil_grp_is_fil",
    "check_meta_fil_grp_match",
    "check_meta_fil_grp_stripped",
    "check_meta_filter_hint",
    "check_meta_geog_catch",
    "check_meta_ind_dp_set",
    "check_meta_ind_dp_values",
    "check_meta_ind_unit",
    "check_meta_ind_unit_validation",
    "check_meta_indicator_dp",
    "check_meta_indicator_grouping",
    "check_meta_label",
    "check_time_period",
    "check_time_period_six",
    "precheck_col_invalid_meta",
    "precheck_col_req_data",
    "precheck_col_req_meta",
    "precheck_col_to_rows",
    "precheck_cross_data_to_meta",
    "precheck_cross_meta_to_data",
    "precheck_filter_not_singular",
    "precheck_geog_level",
    "precheck_geog_level_present",
    "precheck_meta_col_name",
    "precheck_meta_col_type",
    "precheck_meta_ob_unit",
    "precheck_time_id_mix",
    "precheck_time_id_valid",
    "precheck_time_period_num",
]


def test_every_upstream_rule_is_ported_or_left_out_with_a_reason() -> None:
    ported = [c.upstream for c in CHECKS if c.upstream]
    assert len(UPSTREAM) == 81
    assert sorted(ported + list(LEFT_OUT)) == sorted(UPSTREAM)
    assert all(reason for reason in LEFT_OUT.values())
    assert len(OURS) == 2


def test_each_check_names_the_upstream_rule_it_implements() -> None:
    for c in CHECKS:
        if c.upstream:
            assert c.name == "ees:" + re.sub(r"^(check|precheck)_", "", c.upstream)
            assert c.upstream in (c.run.__doc__ or ""), c.name


def test_the_docs_list_every_upstream_rule_and_our_own() -> None:
    docs = (ROOT / "docs" / "open-data.md").read_text(encoding="utf-8")
    missing = [rule for rule in [*UPSTREAM, *OURS] if f"`{rule}`" not in docs]
    assert missing == []
