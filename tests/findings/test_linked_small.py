"""`bulletin findings` on the hand-made extract (tests/fixtures/linked-small), against values
worked out by hand from the blocks of tests/fixtures/make_linked_small.py.

Facts used throughout (see the fixture's docstring and its blocks):

- Episodes are numbered in the order written; each closed episode that is not a referral
  with no further action (NFA) takes the next closure reason in the cycle RC1 ... RC9, so
  the 8th, 17th, 26th... of them close RC8 (assessed, not in need) and are not episodes of
  need. In write order these are episodes 28 (child 3008), 37 (3017), 46 (3026), 55 (3035),
  64 (4004), 73 (4013), 82 (4022), 91 (5006), 100 (5015), 119 (6005's first), 128 (6009's
  second), 137 (7004's first), 146 (7008's second), 155 (8005), 176 (10012), 185 (11009)
  and 194 (12003). Block 2's 20 referrals are all NFA.
- Referral dates R in turn: 2011-05-03, 2011-11-14, 2012-04-02, 2012-09-17, 2013-02-11,
  2013-07-08, 2014-01-20, 2014-06-09, 2015-03-16, 2015-10-05, 2016-05-23, 2016-11-28
  (cohort C97: the first seven only). Cohorts CIN_COHORTS = C97, C01, C05, C07 in turn.
- A pupil is in a January census when ncyear = year - birth year - (1 if born September
  or later) - 4 is -1 to 11. January 2017: C01 (11), C05 (6), C07 (5), C12 (-1); January
  2018: C05 (7), C07 (6), C12 (0). Absence rows only from year 1, so 2017/18 absence is
  for C05 and C07 pupils.
- Published: national counts of children and pupils rounded to the nearest 10 (halves
  up); counts of 1 to 5 shown as c; shares to 3 places (a percentage to 1 decimal place).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, make_project, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "linked-small"


def findings_json(tmp: Path) -> tuple[bytes, Any]:
    project = make_project(tmp / "project")
    out = tmp / "out.json"
    result = run_cli(
        "findings", "--linked-data", str(FIXTURE), "--json", str(out), "--quiet", root=project
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = out.read_bytes()
    return data, json.loads(data)


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, Any]:
    return findings_json(tmp_path_factory.mktemp("findings-small"))


@pytest.fixture(scope="module")
def measures(context: tuple[bytes, Any]) -> dict[str, Any]:
    result: dict[str, Any] = context[1]["measures"]
    return result


@pytest.fixture(scope="module")
def tables(context: tuple[bytes, Any]) -> dict[str, Any]:
    result: dict[str, Any] = context[1]["tables"]
    return result


def shown(measure: dict[str, Any]) -> str | None:
    """The published text of a measure: its value, or its symbol."""
    assert (measure["value"] is None) != (measure["symbol"] is None), measure
    text: str | None = measure["value"] if measure["value"] is not None else measure["symbol"]
    return text


def rows(table: dict[str, Any]) -> dict[str, list[str]]:
    """A table's rows keyed by their first label."""
    return {row[0]: row[1:] for row in table["rows"]}


def test_the_context_says_the_data_are_not_synthetic(context: tuple[bytes, Any]) -> None:
    data = context[1]
    assert data["synthetic"] is False
    assert data["dataset"] == json.loads((FIXTURE / "dataset.json").read_text("utf-8"))


def test_children_in_need_over_the_window(measures: dict[str, Any]) -> None:
    # B1: children with an episode of need that meets 2012-04-01 to 2018-03-31, block by
    # block (children out: the episode ended before 1 April 2012, or closed RC8):
    #   block 3 (closed 120 days after referral): 40 less 3001, 3029 (referred 2011-05-03),
    #     3002, 3009, 3014, 3026, 3037, 3038 (2011-11-14: closed 2012-03-13), 3008, 3017,
    #     3035 (RC8) = 29
    #   block 4 (closed after 260 days): 25 less 4001 (closed 2012-01-18), 4004, 4013,
    #     4022 (RC8) = 21
    #   block 5 (closed after 370 days, or open): 25 less 5006, 5015 (RC8) = 23
    #   block 6: 10 less 6001 (both episodes in 2011) and 6009 (the second one RC8) = 8
    #   block 7: all 10 have a later episode in the window = 10
    #   block 8 (open from 2010): 8004, 8006, 8007, 8008 closed after 1 April 2012, 8009,
    #     8010 open (8001-8003 closed before; 8005 RC8) = 6
    #   block 9: 10 (open); block 10: 6 less 10012 (RC8) = 5; block 11: 15 less 11001
    #     (closed 2011-11-19) and 11009 (RC8) = 13; block 12: 4 less 12003 (RC8) = 3
    # 29 + 21 + 23 + 8 + 10 + 6 + 10 + 5 + 13 + 3 = 128 in blocks 1 to 12.
    # The attainment blocks: block 13: 1-40 (2015-16) and 42-47 (2013-14; 41 is RC8) = 46;
    # block 14: 1-15 and 31-45 = 30; block 15: 1-24 = 24; block 16: 1-38 = 38; block 17:
    # 1-20 (2012-02-01 to 2012-07-31 meets the window) = 20. 128 + 158 = 286 -> 290.
    assert shown(measures["B1"]) == "290"
    assert measures["B1"]["unit"] == "count"
    # B2: 286 / 16,000,000 (the facts file) = 0.0000179, 0.000 to 3 places; its numerator
    # is published rounded, like B1.
    assert shown(measures["B2"]) == "0.000"
    assert measures["B2"]["numerator"] == 290
    assert measures["B2"]["denominator"] == 16_000_000
    # D1: 2014-04-01 to 2017-03-31. Block 3: 3007, 3010, 3011, 3012, 3019-3024, 3031,
    # 3032, 3034, 3036 (referred 2014-01-20 or later) = 14; block 4: 4007, 4008, 4010,
    # 4011, 4012, 4019, 4020, 4021, 4023, 4024 = 10; block 5: 5007, 5008, 5010, 5011, 5013
    # and the open 5016-5025 = 15; block 6: 6007, 6008, 6010 = 3; block 7: 7004-7008 = 5;
    # block 8: 8009, 8010 = 2; block 9: children 1-5 (referred by 2017-03-31) = 5; block
    # 10: 5; block 11: 11007, 11008, 11010, 11011, 11012 = 5. Blocks 1 to 12: 64. Block
    # 13: 1-40 = 40; block 14: 30; block 15: 24 (2014-05-06 to 2014-10-31); block 16: the
    # PREV 31-38 (2014-06-02 to 2014-12-01) = 8 (the others are referred from 2017-05-02);
    # block 17: none. 64 + 102 = 166, published 170.
    assert shown(measures["D1"]) == "170"


def test_children_in_need_in_the_last_year_and_on_31_march(measures: dict[str, Any]) -> None:
    # On 31 March 2018 (episode open): block 5 children 16-25 (10), block 8 children 9
    # and 10 (2), block 9 (10): 22, published 20.
    assert shown(measures["A2_2018"]) == "20"
    # At some point in 2017-18: those 22, and the episodes closed from 1 April 2017:
    # 4012 and 4024 (closed 2017-08-15), 5011 (2017-05-28), 11012 (2017-06-16): 26; and
    # block 16's 1-30 (2017-05-02 or 2017-06-01 to 2018-01-31 or 2017-11-30, so none open
    # on 31 March 2018): 56 -> 60.
    assert shown(measures["A1_2018"]) == "60"


def test_disability_among_children_in_need(measures: dict[str, Any]) -> None:
    # Episode ids divisible by 5 record a disability. Of those, the episodes of need that
    # meet the window: 25, 30, 35, 40, 45, 50, 60 (block 3), 65-85 (5 in block 4), 90, 95,
    # 105, 110 (block 5), 115, 120, 125, 130 (block 6), 135, 140, 145, 150 (block 7), 160,
    # 165, 170, 175, 180, 190, 195: 31 children (55, 100, 155 and 185 are RC8) in blocks 1
    # to 12, whose episodes are 1 to 195. Then one episode per child in need, in order:
    # block 13's 1-47 are 196-242 (200 ... 240: 9, n = 5, 10, ..., 45; 236 is 41's RC8);
    # block 14's 1-15 and 31-45 are 243-272 (245 ... 270: 6); block 15's 1-24 are 273-296
    # (275 ... 295: 5); block 16's 1-38 are 297-334 (300 ... 330: 7); block 17's 1-20 are
    # 335-354 (335 ... 350: 4). 31 + 31 = 62; 62 / 286 = 0.2168 -> 0.217.
    assert shown(measures["cin_disabled"]) == "0.217"


def test_pupils_in_january_2017_who_had_been_in_need(measures: dict[str, Any]) -> None:
    # Pupils in January 2017: every child but the care_only block 11 and the C97 cohort:
    # block 1 120, block 2 15, block 3 30, block 4 18, block 5 18, block 6 7, block 7 7,
    # block 8 10, block 9 10, block 10 12 (one main registration each), block 12 4 = 251.
    # In need at some point 2011-04-01 to 2017-03-31: block 3: 30 less 3008, 3026, 3035
    # (RC8) = 27; block 4: 18 less 4004, 4022 = 16; block 5: 18 less 5006, 5015 = 16;
    # block 6: 7; block 7: 7; block 8: 10 less 8005 = 9; block 9: 1-5 = 5; block 10: 5;
    # block 12: 3. 95 / 251 = 0.3785 -> 0.378.
    assert shown(measures["D2"]) == "0.378"
    assert measures["D2"]["denominator"] == 250  # 251, rounded as a count of pupils


def test_schools(measures: dict[str, Any], tables: dict[str, Any]) -> None:
    # Schools with main registrations in January 2018: the primaries 100001, 100003,
    # 100005, the secondaries 100002, 100004, 100006, the special school 100007 and the
    # Isles of Scilly school 100010 (the pupil referral unit has subsidiary registrations
    # only, the nursery no pupil that year): 8, never rounded.
    assert shown(measures["schools"]) == "8"
    # 100001 has no pupil who was in need: its pupils are children n = 1, 4, 7... of their
    # block at primary age (C07, C12), and those of the blocks in need (n = 4, 16, 28, 40
    # of block 3, for example) have SEN code E and attend the special school. Every other
    # school has some: B3 = 1, shown as c.
    assert shown(measures["B3"]) == "c"
    # The other 7 are all over 20% (100002: 9 of 16, 100003: 8 of 31, 100004: 12 of 28,
    # 100005: 13 of 38, 100006: 9 of 22, 100007: 10 of 28, 100010: 2 of 3); on 8 schools,
    # a denominator under 10, no share is shown, and 7 is suppressed too (8 less 7 = 1).
    for share in ("B4", "B5", "schools_with_any"):
        assert shown(measures[share]) == "c"
    bands = rows(tables["tbl-schools"])
    assert bands["none"] == ["c", "c"]
    assert bands["over 20%"] == ["c", "c"]
    assert bands["5% to 10%"] == ["0", "c"]
    assert bands["all schools"] == ["8", "c"]


def test_the_finer_distribution_of_schools(tables: dict[str, Any]) -> None:
    # The shares of test_schools in steps of 2.5 percentage points (k of n: 40k against
    # j x n): 100001 0 of 10 (none); 100003 8 of 31 = 25.8% (over 25% to 27.5%); 100005 13
    # of 38 = 34.2% (over 32.5% to 35%); 100007 10 of 28 = 35.7% (over 35% to 37.5%);
    # 100006 9 of 22 = 40.9% (over 40% to 42.5%); 100004 12 of 28 = 42.9% (over 42.5% to
    # 45%); 100002 9 of 16 = 56.3% and 100010 2 of 3 (over 50%). Every bin with a school
    # has 1 or 2: c; the others 0, shown; the 8 schools shown, as in tbl-schools; no share
    # over 8 schools (a denominator under 10).
    table = tables["tbl-school-share-distribution"]
    assert table["columns"] == ["bin", "schools", "share"]
    assert table["query"] == ["schools.bands"]
    assert table["section"] == "schools"
    bins = rows(table)
    assert len(bins) == 23  # none, 20 bins of 2.5 points to 50%, over 50%, all schools
    assert list(bins)[:5] == [
        "none",
        "over 0% to under 2.5%",
        "2.5% to under 5%",
        "5% to under 7.5%",
        "7.5% to 10%",
    ]
    assert list(bins)[-4:] == ["over 45% to 47.5%", "over 47.5% to 50%", "over 50%", "all schools"]
    occupied = {
        "none",
        "over 25% to 27.5%",
        "over 32.5% to 35%",
        "over 35% to 37.5%",
        "over 40% to 42.5%",
        "over 42.5% to 45%",
        "over 50%",
    }
    for label, (schools, share) in bins.items():
        if label == "all schools":
            assert schools == "8"
        else:
            assert schools == ("c" if label in occupied else "0"), label
        assert share == "c"


def test_every_finding_names_its_section_and_queries(context: tuple[bytes, Any]) -> None:
    """Each measure and table records the registered queries it comes from (one or more,
    of its own section): its provenance for the publications' numbers."""
    import bulletin.findings.context  # noqa: F401  (registers every section's queries)
    from bulletin.findings.linked import QUERIES

    data = context[1]
    for kind in ("measures", "tables"):
        for key, item in data[kind].items():
            assert item["query"], key
            for name in item["query"]:
                assert name in QUERIES, (key, name)
                assert name.split(".")[0] == item["section"], (key, name)
    measures, tables = data["measures"], data["tables"]
    assert measures["B1"]["query"] == ["prevalence.windows"]
    assert measures["D2"]["query"] == ["prevalence.d2"]
    assert measures["pupils_in_need"]["query"] == ["prevalence.characteristics"]
    assert measures["B7"]["query"] == ["regression.cohort"]
    assert measures["A7_cla_overall"]["query"] == ["experiences.absence"]
    assert measures["C7"]["query"] == ["attainment.eyfsp", "attainment.ks2", "attainment.ks4"]
    assert tables["tbl-journeys-sequences"]["query"] == ["journeys.sequences", "journeys.per_child"]
    assert tables["tbl-regression-controls"]["query"] == ["regression.cohort"]


def test_characteristics_of_pupils(measures: dict[str, Any], tables: dict[str, Any]) -> None:
    # January 2018 pupils: 10 + 16 + 31 + 28 + 38 + 22 + 28 + 3 = 176 (by school, as in
    # test_schools), of whom 0 + 9 + 8 + 12 + 13 + 9 + 10 + 2 = 63 were in need in the
    # window and 113 were not.
    table = {(r[0], r[1], r[2]): r[3:] for r in tables["tbl-characteristics"]["rows"]}
    assert table[("all", "total", "all pupils")] == ["180", "1.000"]
    assert table[("all", "total", "other pupils")] == ["110", "1.000"]
    # Gender U: only block 12's children 1 and 2, both in need: 2 (c), and 2 of all pupils.
    assert table[("gender", "U", "in need")] == ["c", "c"]
    assert table[("gender", "U", "all pupils")] == ["c", "c"]
    assert table[("gender", "U", "other pupils")] == ["0", "0.000"]
    # Everyone is 4 to 12 on 31 August 2017 (C12: 4; C07: 10; C05: 11): no one 5 to 9.
    assert table[("age", "5 to 9", "all pupils")] == ["0", "0.000"]
    # C12 pupils (4 on 31 August 2017) are block 1's 30: none in need. 30 of the 113.
    assert table[("age", "under 5", "other pupils")] == ["30", "0.265"]
    # The 113 others: block 1's C05, C07, C12 (90), block 2's C05, C07 (10), block 10's
    # never-in-need 10002, 10003, 10005, 10006 and 10012 (RC8) (5), 8002, 8003 (closed
    # before the window) and 8005 (3), 3008, 3035, 4004, 5015, 12003 (RC8 only) (5).
    # Free school meals when the child id is divisible by 3: block 1, ids 1000 + n with n
    # 2 (mod 3) and n 0, 3 or 4 (mod 5), that is n 5, 8 or 14 (mod 15): 30; block 2: 2004,
    # 2007, 2016, 2019: 4; 10002, 10005: 2; 12003: 1. 37 of 113: 0.327.
    assert table[("free school meals", "eligible", "other pupils")] == ["40", "0.327"]
    # The 2 must be able to reach 7: U other pupils is 0 and cannot fall, so U all pupils
    # rises with it, and the all-pupils column adds up to the total row. Every cell of that
    # column is a total (in need + other pupils), so a total must move: a gender's all
    # pupils, with its in-need count (interior), and not the total row, which is a headline
    # (the headline totals move only when nothing else can). So the in-need total (63) and
    # the share of all pupils who were in need, 63 of 176 = 0.358, stay shown.
    assert table[("all", "total", "in need")] == ["60", "1.000"]
    assert table[("all", "total", "all pupils")] == ["180", "1.000"]
    assert shown(measures["pupils_in_need"]) == "0.358"
    assert measures["pupils_in_need"]["section"] == "prevalence"
    hidden = [g for g in "FM" if table[("gender", g, "all pupils")] == ["c", "c"]]
    assert len(hidden) == 1  # one of them, F or M, the cheaper
    assert table[("gender", hidden[0], "in need")] == ["c", "c"]
    assert table[("gender", hidden[0], "other pupils")] != ["c", "c"]
    other = "M" if hidden == ["F"] else "F"
    assert "c" not in table[("gender", other, "in need")] + table[("gender", other, "all pupils")]


def test_journeys_of_children_referred_in_2012_13(
    measures: dict[str, Any], tables: dict[str, Any]
) -> None:
    # The cohort: episodes of need referred 2012-04-01 to 2013-03-31. Block 3: 3003, 3004,
    # 3005, 3015, 3016, 3025, 3027, 3028, 3033, 3039, 3040 (11; 3017 is RC8); block 4:
    # 4003, 4005, 4015, 4016, 4017, 4025 (6); block 5: 5003, 5004, 5005, 5014, 5016, 5017,
    # 5025 (7); block 6: 6002, 6003, 6004 (3); block 7: 7001, 7003, 7005 (3); block 11:
    # 11003, 11004, 11005, 11015 (4); block 12: 12001, 12002, 12004 (3). 37 -> 40.
    assert shown(measures["journeys_children"]) == "40"
    sequences = rows(tables["tbl-journeys-sequences"])
    # CIN then closed: blocks 3, 6, 7, 11 and 12 (6003, 6004, 7003, 7005 come back to CIN
    # after a time out of need, which is not a status): 11 + 3 + 3 + 4 + 3 = 24 of 37, 0.649.
    assert sequences["CIN > no longer in need"] == ["20", "0.649"]
    # Block 4: a plan from day 30 to day 230, closure on day 260: 6 children. Block 5
    # children 3, 4, 5, 14 stop being looked after (day 360) before closure (day 370): 4;
    # children 16, 17, 25 are still looked after on 31 March 2018: 3.
    assert sequences["CIN > CLA > CIN > no longer in need"] == ["c", "c"]
    assert sequences["CIN > CLA"] == ["c", "c"]
    # 6 is suppressed too: with the total and the other shares shown, 4 + 3 would be 37 -
    # 24 - 6 = 7, and each of them could be at most 7 (not 4 + 5 or 3 + 5).
    assert sequences["CIN > CPP > CIN > no longer in need"] == ["c", "c"]
    assert sequences["other sequences"] == ["0", "0.000"]
    assert next(iter(sequences)) == "CIN > no longer in need"  # the most common first
    # Durations. CIN spells completed: block 3 11 x 120 days; block 4 2 x 6 of 30 days;
    # block 5 (60 days, and 10 days after care for children 3, 4, 5, 14) 4 x 2 + 3; blocks
    # 6 and 7: 5 + 5 (60 and 100 days); block 11 4 x 200; block 12 3 x 100: 51 -> 50. The
    # 26th of the 51 in order: 4 of 10 days, 12 of 30, then 11 of 60 (17th to 27th): 60.
    durations = rows(tables["tbl-journeys-durations"])
    assert durations["CIN"] == ["50", "60", "0"]
    assert shown(measures["journeys_median_days_cin"]) == "60"
    # CPP: 6 plans of 200 days, shown as 10, but a median of 6 spells is not shown (under
    # 10). CLA: 4 completed and 3 open, both c.
    assert durations["CPP"] == ["10", "c", "0"]
    assert durations["CLA"] == ["c", "c", "c"]
    # Re-referred: 6003 and 6004 150 days later (within 12 months), 7003 and 7005 540 days
    # later (after 12 months); the other 33 not at all. 2, 2 and (to protect them) 33: c.
    repeats = rows(tables["tbl-journeys-repeats"])
    assert repeats["within 12 months"] == ["c", "c"]
    assert repeats["after 12 months"] == ["c", "c"]
    assert repeats["not referred again"] == ["c", "c"]
    assert shown(measures["journeys_within_12_months"]) == "c"
    # Episodes per child: 6003, 6004, 7003, 7005 have 2 (c); 33 have 1 (c, to protect 4).
    episodes = rows(tables["tbl-journeys-episodes"])
    assert episodes["1"] == ["c", "c"]
    assert episodes["2"] == ["c", "c"]
    assert episodes["3"] == ["0", "0.000"]


def test_absence_2017_18_by_group(measures: dict[str, Any], tables: dict[str, Any]) -> None:
    # Pupils with 2017/18 absence (C05 and C07 children with pupil records): block 1 60,
    # block 2 10, block 3 20, block 4 12, block 5 12, blocks 6 and 7 4 each, blocks 8 and 9
    # 6 each, block 10 8, block 12 4: 146, each with 320 sessions possible.
    # Looked after on 31 March 2018: block 5 children 16-25, of whom 16, 19, 20, 23, 24 are
    # C05 or C07: 5 (c). On a plan: block 9 children 2, 3: 2 (c). In need only: 8009 and
    # block 9 children 5, 6, 8, 9: 5 (c). Their rates are not shown.
    for group in ("cla", "cppo", "cino"):
        for rate in ("overall", "persistent"):
            assert shown(measures[f"A7_{group}_{rate}"]) == "c"
    # Each pupil misses 5 + id % 10 + id % 7 sessions: at most 20 of 320, under 10%, so
    # none is persistently absent: 0 of 146.
    assert shown(measures["A7_all_persistent"]) == "0.000"
    assert measures["A7_all_persistent"]["denominator"] == 150
    assert shown(measures["A7_other_persistent"]) == "0.000"
    absence = rows(tables["tbl-absence-201718"])
    assert absence["CLA"][0] == "c"
    assert absence["all pupils"][0] == "150"
    # Sessions missed are 5 to 20 of 320 for each pupil: the overall rate lies between
    # 1.6% and 6.3%.
    overall = float(shown(measures["A7_all_overall"]) or "nan")
    assert 5 / 320 <= overall <= 20 / 320


def test_every_count_of_one_to_five_is_hidden(context: tuple[bytes, Any]) -> None:
    """No published count is 1 to 5 (suppressed counts are c), and every shown count of
    children or pupils is a multiple of 10."""
    data = context[1]
    for name, m in data["measures"].items():
        if m["unit"] == "count" and m["value"] is not None:
            assert int(m["value"]) == 0 or int(m["value"]) > 5, name
            if m["counted"] != "schools":
                assert int(m["value"]) % 10 == 0, name
    for name, table in data["tables"].items():
        counts = [c for c, u in table["units"].items() if u == "count"]
        for row in table["rows"]:
            cells = dict(zip(table["columns"], row, strict=True))
            for column in counts:
                if cells[column] not in ("c", "x", "z"):  # x: not available yet
                    assert int(cells[column]) == 0 or int(cells[column]) > 5, (name, row)


def test_two_runs_give_identical_bytes(context: tuple[bytes, Any], tmp_path: Path) -> None:
    """A second run from nothing (another project, empty caches) writes the same bytes."""
    again, _ = findings_json(tmp_path)
    assert again == context[0]
    assert context[0].endswith(b"\n")
