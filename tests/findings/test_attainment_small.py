"""The attainment and after-16 findings on the hand-made extract (tests/fixtures/linked-small),
against values worked out by hand from the blocks of tests/fixtures/make_linked_small.py.

Facts used (see the fixture's docstring and blocks 13 to 17):

- Blocks 13 to 17 are the attainment cohorts. Block 13: key stage 4 in 2015/16, 59 pupils
  (1-3 CLA, 4-6 CPPO, 7-40 CINO in 2015-16, 41 closed RC8, 42-47 in need in 2013-14 only,
  48-59 never); block 14: key stage 2 (1-30) and early years (31-60) in 2015/16; block 15:
  key stage 4 in 2014/15 followed to 19 (1-24 in need in 2014-15); block 16: key stage 4 in
  2017/18 (1-6 CLA, 7-12 CPPO, 13-30 CINO in 2017-18, 31-38 in need in 2014-15, 39-50 never);
  block 17: key stage 4 in 2012/13 followed to 21 (all 20 in need in 2012-13).
- Blocks 1 to 12 hold no results in 2015/16 or 2017/18 and no post-16 rows but the 1997
  cohort's (C97: key stage 4 2012/13); their pupils are in the January 2016 census.
- SEN codes go N, K, N, E, N, N by position n in the block: K when n = 2 (mod 6), E when
  n = 4 (mod 6); an E pupil's school (and key stage 4 school) is the Kent special school.
- Published: counts of pupils rounded to the nearest 10 (halves up) nationally, not for a
  local authority; shares to 3 places; ratios to 2, points to 1, scores to 1 (Attainment 8)
  or 2 (Progress 8), halves up on the exact values.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import make_project, run_cli
from tests.findings.test_linked_small import FIXTURE, rows, shown


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`bulletin findings` with no --json: the context, on standard output."""
    project = make_project(tmp_path_factory.mktemp("findings-attainment") / "project")
    result = run_cli("findings", "--linked-data", str(FIXTURE), "--quiet", root=project)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def measures(context: Any) -> dict[str, Any]:
    result: dict[str, Any] = context["measures"]
    return result


@pytest.fixture(scope="module")
def tables(context: Any) -> dict[str, Any]:
    result: dict[str, Any] = context["tables"]
    return result


def columns(table: dict[str, Any]) -> dict[str, dict[str, str]]:
    """A table as {first label: {column: cell}}."""
    return {row[0]: dict(zip(table["columns"], row, strict=True)) for row in table["rows"]}


def test_b6_grade_5_in_english_and_maths_2017_18(measures: dict[str, Any]) -> None:
    # Key stage 4 2017/18 is block 16 alone. In need in 2017-18: 1-30; Attainment 8 is
    # 25 + n, grade 5 when it is 50 or more: n = 25-30, 6 of 30 = 0.200.
    assert shown(measures["B6_cin"]) == "0.200"
    assert measures["B6_cin"]["numerator"] == 10  # 6, rounded as a count of pupils
    assert measures["B6_cin"]["denominator"] == 30
    # All 50: and 31-50 with Attainment 8 10 + n, 50 or more for n = 40-50 (11): 17 of 50.
    assert shown(measures["B6_all"]) == "0.340"
    assert measures["B6_all"]["section"] == "attainment"


def test_key_stage_4_2017_18_by_group(tables: dict[str, Any]) -> None:
    table = columns(tables["tbl-ks4-201718"])
    assert list(table) == ["CLA", "CPPO", "CINO", "children in need", "PREV", "NEVER", "all pupils"]
    # The groups partition the 50: CLA 6, CPPO 6, CINO 18 (30 in need), PREV 8, NEVER 12,
    # each rounded to 10.
    assert [table[g]["pupils"] for g in table] == ["10", "10", "20", "30", "10", "10", "50"]
    # Grade 4 (Attainment 8 of 40 or more): CLA (26-31) and CPPO (32-37) none; CINO 38-55,
    # n = 15-30: 16 of 18 = 0.889; PREV (41-48) all 8; NEVER (49-60) all 12: 36 of 50.
    assert table["CINO"]["grade4_share"] == "0.889"
    assert table["children in need"]["grade4_share"] == "0.533"  # 16 / 30
    assert table["all pupils"]["grade4_share"] == "0.720"  # 36 / 50
    assert table["NEVER"]["grade5_share"] == "0.917"  # 11 / 12
    # Shares of 6 (CLA, CPPO) or 8 (PREV) pupils are not shown (a denominator under 10).
    assert table["CLA"]["grade5_share"] == "c"
    assert table["PREV"]["grade4_share"] == "c"
    # Attainment 8 means: in need 26..55 -> 40.5; all (1215 + 41..60 = 1010) / 50 = 44.5.
    assert table["children in need"]["attainment8"] == "40.5"
    assert table["all pupils"]["attainment8"] == "44.5"
    assert table["CINO"]["attainment8"] == "46.5"  # 38..55
    # Progress 8 is (Attainment 8 - 45) / 20, none when n is a multiple of 10: 45 pupils,
    # Attainment 8 summing 2225 - (35 + 45 + 55 + 50 + 60) = 1980, mean 44: -0.05.
    assert table["all pupils"]["progress8"] == "-0.05"
    # In need: 27 pupils, 1215 - (35 + 45 + 55) = 1080, mean 40: -0.25.
    assert table["children in need"]["progress8"] == "-0.25"
    # CPPO (7-12, less 10) has 5 pupils with a score: suppressed, and its mean with it.
    assert table["CPPO"]["progress8_pupils"] == "c"
    assert table["CPPO"]["progress8"] == "c"


def test_c3_c4_c5_the_stages_in_2015_16(measures: dict[str, Any]) -> None:
    # Early years 2015/16 is block 14's 31-60: in need (2015-16) 31-45, a good level of
    # development 31-36: 6 of 15 = 0.400; all: 31-36 and 46-57, 18 of 30 = 0.600.
    assert shown(measures["C3_cin"]) == "0.400"
    assert shown(measures["C3_all"]) == "0.600"
    assert shown(measures["C3_ratio"]) == "0.67"  # 0.4 / 0.6 = 0.667
    assert measures["C3_ratio"]["unit"] == "ratio"
    # Key stage 2 2015/16 is block 14's 1-30: in need 1-15, expected standard 1-6: 6 of 15;
    # all: 1-6 and 16-28, 19 of 30 = 0.633. Ratio (6/15) / (19/30) = 12/19 = 0.632.
    assert shown(measures["C4_cin"]) == "0.400"
    assert shown(measures["C4_all"]) == "0.633"
    assert shown(measures["C4_ratio"]) == "0.63"
    # Key stage 4 2015/16 is block 13: in need in 2015-16 1-40 (41 is RC8; 42-47 in need in
    # 2013-14 only), Attainment 8 5 + n, grade 4 (40 or more) for 35-40: 6 of 40 = 0.150;
    # 41-59 have 40 to 60: all 19, so 25 of 59 = 0.4237. Ratio 0.15 x 59 / 25 = 0.354.
    assert shown(measures["C5_cin"]) == "0.150"
    assert shown(measures["C5_all"]) == "0.424"
    assert shown(measures["C5_ratio"]) == "0.35"


def test_c7_the_gap_widens(measures: dict[str, Any]) -> None:
    # Gaps (all less in need) on the exact shares: early years 0.6 - 0.4 = 20.0 points; key
    # stage 2 19/30 - 12/30 = 7/30 = 23.3; key stage 4 25/59 - 6/40 = 646/2360 = 27.4.
    assert shown(measures["C7_eyfsp"]) == "20.0"
    assert shown(measures["C7_ks2"]) == "23.3"
    assert shown(measures["C7_ks4"]) == "27.4"
    # Widenings: 7/30 - 1/5 = 1/30 = 3.33 points, then 646/2360 - 7/30 = 4.04: the smaller
    # is 3.3.
    assert shown(measures["C7"]) == "3.3"
    assert measures["C7"]["unit"] == "points"


def test_c6_progress_8_by_local_authority(measures: dict[str, Any], tables: dict[str, Any]) -> None:
    # Block 13's pupils in need in 2015-16 (1-40) with a Progress 8 score (not 10, 20, 30,
    # 40): 36. The SEN E pupils among them (4, 16, 22, 28, 34) are at the Kent special
    # school: 5, under 30, so Kent is left out; Birmingham (100002) has 31. Progress 8 is
    # (5 + n - 45) / 20 = (n - 40) / 20; the n sum to 820 - 100 - 104 = 616, mean 616/31 =
    # 19.87, so the mean score is (19.87 - 40) / 20 = -1.0065 -> -1.01. One authority: the
    # highest and the lowest are the same.
    assert shown(measures["C6_max"]) == "-1.01"
    assert shown(measures["C6_min"]) == "-1.01"
    assert measures["C6_max"]["unit"] == "score"
    # A local authority's count of pupils is not rounded. The 95% confidence interval of the
    # mean: the n above are 1 to 40 less 10, 20, 30, 40 and 4, 16, 22, 28, 34; their squares
    # sum to 40 x 41 x 81 / 6 - 3000 - 2696 = 16444, so the sample variance of n is (16444 -
    # 616^2 / 31) / 30 = 140.116, sd 11.837; of the scores (n / 20) 0.59186; the standard
    # error 0.59186 / sqrt(31) = 0.10630, times 1.96 is 0.20835: -1.0065 -/+ 0.2083 is
    # -1.2148 to -0.7981, published -1.21 and -0.80.
    table = tables["tbl-progress8-la-201516"]
    assert table["columns"] == ["la_code", "pupils", "progress8", "progress8_low", "progress8_high"]
    assert table["rows"] == [["E08000025", "31", "-1.01", "-1.21", "-0.80"]]


def test_progress_8_by_local_authority_2017_18(tables: dict[str, Any]) -> None:
    # Key stage 4 2017/18 is block 16 alone, all at the Hartlepool school 100004: its pupils
    # in need in 2017-18 (1 to 30) with a Progress 8 score (not 10, 20, 30) are 27, under
    # 30: no authority is listed. (test_populations.py gives three more a score.)
    table = tables["tbl-progress8-la-201718"]
    assert table["rows"] == []
    assert table["columns"] == ["la_code", "pupils", "progress8", "progress8_low", "progress8_high"]
    assert "at least 30" in table["definition"]
    assert "1.96 x sd / sqrt(n)" in table["definition"]


def test_c2_special_educational_needs_january_2016(measures: dict[str, Any]) -> None:
    # Pupils in the January 2016 census (main registration): cohorts C01, C05, C07 of blocks
    # 1-12, and blocks 13 (59) and 14 (60). Blocks 1-12 by block: 1: n = 2, 3, 4 (mod 5)
    # 90; 2: n not 1 (mod 4) 15; 3: 30; 4: 18; 5: 18; 6: 7; 7: 7; 8, 9: 10 each; 10: 12;
    # 12: 4. 221 + 59 + 60 = 340. With SEN (n = 2 or 4 mod 6): block 1 30 (6 of each 30
    # n), 2: 2, 8, 14, 20, 4, 10, 16 = 7; 3: 14; 4: 8; 5: 8; 6, 7, 8, 9, 10: 4 each; 12: 2;
    # 13: 20; 14: 20. 129 of 340 = 0.379.
    assert shown(measures["C2_all"]) == "0.379"
    # In need on 31 March 2016 (an episode open that day) and in that census: 4010 (referred
    # 2015-10-05, 260 days), block 5's 5010 (2015-10-05, 370 days) and the open 5016, 5018,
    # 5019, 5020, 5023, 5024 (C97's 5017, 5021, 5025 are not pupils then; 5022 is referred
    # 2016-05-23), 6010 (second episode 2016-03-03 to 2016-06-11), 8009, 8010 (open): 11, of
    # whom 4010, 5010, 5016, 6010, 8010 (E) and 5020 (K) have SEN: 6. Block 13's 7-40 (open
    # to 2016-06-30): 34, with SEN K 8, 14, ..., 38 (6) and E 10, 16, ..., 40 (6): 12.
    # 18 of 45 = 0.400.
    assert shown(measures["C2_cin"]) == "0.400"
    assert measures["C2_cin"]["denominator"] == 50  # 45, rounded


def test_b9_level_2_by_21(measures: dict[str, Any], tables: dict[str, Any]) -> None:
    # Key stage 4 2012/13, followed to 21: the C97 pupils of blocks 1-10 and block 17. In
    # need in 2012-13 (C97 referrals: the first seven dates in turn): block 3 3005, 3025,
    # 3033 (3017 is RC8; 3009, 3037 close 2012-03-13); block 4 4005, 4009 (2011-11-14 +
    # 260 days), 4017, 4025; block 5 5001 (2011-05-03 + 370 days), 5005, 5009, 5017, 5025;
    # block 6 none (6005's first and 6009's second episode are RC8); block 7 7001 (second
    # episode 2012-10-24), 7005: 14, and block 17's 20: 34. Level 2 by 21 in blocks 1-10
    # when Attainment 8 (10 + 5 x (n mod 14)) is 30 or more or n is a multiple of 3: not
    # for 4017, 5001, 5017, 7001 (n mod 14 = 3 or 1): 4 without; block 17: 1-13 without.
    # 17 of 34 = 0.500.
    assert shown(measures["B9"]) == "0.500"
    assert measures["B9"]["unit"] == "share"
    cohort = columns(tables["tbl-after16-201213"])
    assert cohort["in need in the year of GCSEs"]["pupils"] == "30"  # 34
    assert cohort["in need in the year of GCSEs"]["no_level2_by_21_share"] == "0.500"


def test_b10_b11_neet_and_higher_education_at_18(
    measures: dict[str, Any], tables: dict[str, Any]
) -> None:
    # Key stage 4 2014/15 is block 15: 1-24 in need in 2014-15, 25-48 not. NEET: in need
    # n = 0 (mod 3): 8 of 24; others n = 0 (mod 4), 28..48: 6 of 24. 1/3 over 1/4 = 1.33.
    assert shown(measures["B10_cin"]) == "0.333"
    assert shown(measures["B10_other"]) == "0.250"
    assert shown(measures["B10"]) == "1.33"
    # Higher education: in need in education (n = 1 mod 3) with n at most 18: 1, 4, 7, 10,
    # 13, 16: 6 of 24; others in education (n = 1 or 2 mod 4): 12 of 24. 0.25 / 0.5 = 0.50.
    assert shown(measures["B11_cin"]) == "0.250"
    assert shown(measures["B11_other"]) == "0.500"
    assert shown(measures["B11"]) == "0.50"
    # That cohort is not 21 yet: level 2 and 3 by 21 are not available (x).
    cohort = columns(tables["tbl-after16-201415"])
    assert cohort["all pupils"]["level2_by_21_share"] == "x"
    # Level 2 by 19 (Attainment 8 of 30 or more): in need 20 + n for n = 10-24 (15), the
    # others (40 to 60) all 24: 39 of 48 = 0.8125.
    assert cohort["all pupils"]["level2_by_19_share"] == "0.813"


def test_the_groups_of_a_stage_partition_its_pupils(tables: dict[str, Any]) -> None:
    # Early years 2015/16 (block 14's 31-60): 15 CINO (in need 2015-16 only), 15 NEVER.
    table = rows(tables["tbl-eyfsp-201516"])
    assert table["CINO"][1:3] == ["20", "10"]  # 15 and 6, rounded
    assert table["PREV"][1] == "0"
    assert table["NEVER"][1:] == ["20", "10", "0.800"]  # 15, 12 (46-57)
    assert table["all pupils"][1] == "30"


def test_bulletin_findings_lists_the_new_findings(context: Any) -> None:
    """`bulletin findings` lists the attainment and after-16 findings and tables by id, in
    their sections."""
    sections = {key: m["section"] for key, m in context["measures"].items()}
    attainment = ["B6_cin", "B6_all", "C2_cin", "C2_all", "C6_max", "C6_min", "C7"]
    attainment += [f"C{k}_{part}" for k in (3, 4, 5) for part in ("cin", "all", "ratio")]
    for key in attainment:
        assert sections[key] == "attainment", key
    for key in ("B9", "B10", "B11", "B10_cin", "B11_other"):
        assert sections[key] == "after16", key
    tables = {key: t["section"] for key, t in context["tables"].items()}
    for stage in ("eyfsp", "ks2", "ks4"):
        for year in (201516, 201718):
            assert tables[f"tbl-{stage}-{year}"] == "attainment"
    assert tables["tbl-progress8-la-201516"] == tables["tbl-sen-201516"] == "attainment"
    assert tables["tbl-after16-201213"] == tables["tbl-after16-201415"] == "after16"
