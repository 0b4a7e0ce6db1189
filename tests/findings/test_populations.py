"""One definition of each population, and the points the documentation settles, each on a
copy of the hand-made extract (tests/fixtures/linked-small) changed by hand, against the
findings of the extract as it is (values worked out in test_linked_small.py and
test_attainment_small.py, or here). Each test would fail under the other reading of its
rule.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from bulletin.core.settings import load_settings
from bulletin.pipeline import findings_json
from tests.conftest import ROOT
from tests.data.linked_helpers import read_rows, write_rows
from tests.findings.test_linked_small import FIXTURE, rows, shown


def findings(folder: Path) -> dict[str, Any]:
    """The findings context of the extract in `folder`, computed in this process."""
    settings = load_settings(ROOT)
    text = findings_json(settings, folder, settings.paths.public_data, "duckdb")
    result: dict[str, Any] = json.loads(text)
    return result


@pytest.fixture(scope="module")
def original() -> dict[str, Any]:
    return findings(FIXTURE)


def changed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "extract"
    shutil.copytree(FIXTURE, folder)
    return folder


def test_absence_rows_without_a_census_row_are_in_no_count(
    tmp_path: Path, original: dict[str, Any]
) -> None:
    """Absence uses the pupils of the census, as exclusions do. Block 1's children n = 2, 7,
    ..., 47 (ids 1002 to 1047, every fifth) are of the 2001 cohort: year 11 in 2016/17, in
    no census of 2017/18. Each gets an absence row for 2017/18 of 300 sessions, 40 missed
    (persistently absent). They are in no count: 2017/18 absence is as before, 146 pupils
    (published 150), none persistently absent. Counted as pupils, they would give 156
    (160) pupils and 10 of 156 = 0.064 persistently absent."""
    folder = changed_copy(tmp_path)
    absence = read_rows(folder, "absence")
    orphans = [[str(1000 + n), "201718", "300", "30", "10"] for n in range(2, 50, 5)]
    census = read_rows(folder, "school_census")
    in_2018 = {r[0] for r in census[1:] if r[1] == "201718"}
    assert len(orphans) == 10
    assert not in_2018 & {r[0] for r in orphans}
    write_rows(folder, "absence", [*absence, *orphans])
    found = findings(folder)
    assert shown(found["measures"]["A7_all_persistent"]) == "0.000"
    assert found["measures"]["A7_all_persistent"]["denominator"] == 150
    assert rows(found["tables"]["tbl-absence-201718"])["all pupils"][0] == "150"
    assert found["tables"]["tbl-absence-201718"] == original["tables"]["tbl-absence-201718"]


def test_an_episode_row_repeated_in_every_field_counts_once(
    tmp_path: Path, original: dict[str, Any]
) -> None:
    """Every episode row of blocks 3 and 6 (children 3001 to 3040, one episode each, and
    6001 to 6010, two each: 60 rows) written twice. Counted twice, the primary needs of the
    window would gain the 29 episodes of need of block 3 and those of block 6 in the window,
    and in the journeys 6003 and 6004 (re-referred within 12 months) would have 4 episodes
    each, the eleven children of block 3 in the cohort 2. Counted once, every finding is as
    it was: no cohort child has 3 episodes, for one."""
    folder = changed_copy(tmp_path)
    episodes = read_rows(folder, "cin_episodes")
    again = [r for r in episodes[1:] if r[1][:1] in ("3", "6") and len(r[1]) == 4]
    assert len(again) == 40 + 20
    write_rows(folder, "cin_episodes", [*episodes, *again])
    found = findings(folder)
    assert found == original
    assert rows(found["tables"]["tbl-journeys-episodes"])["3"] == ["0", "0.000"]


def test_the_after_16_cohort_is_the_post16_rows_of_its_key_stage_4_year(
    tmp_path: Path, original: dict[str, Any]
) -> None:
    """B9 is 17 of 34 on the extract (test_attainment_small.py): the 34 pupils in need in
    2012-13 with a post16 row of ks4_year 201213, 17 without level 2 by 21. The post16 rows
    of block 17's children 14 to 20 (those with level 2 by 21) removed, their ks4 rows
    kept: they were not followed up, and the cohort is 27 with 17 without level 2, 0.630.
    Were the cohort all ks4 rows of 2012/13, they would count as without level 2 (no
    record): 24 of 34, 0.706."""
    assert shown(original["measures"]["B9"]) == "0.500"
    folder = changed_copy(tmp_path)
    post16 = read_rows(folder, "post16")
    gone = {str(17000 + n) for n in range(14, 21)}
    kept = [r for r in post16 if r[0] not in gone]
    assert len(kept) == len(post16) - 7
    write_rows(folder, "post16", kept)
    ks4 = {r[0] for r in read_rows(folder, "ks4")[1:]}
    assert gone <= ks4
    found = findings(folder)
    assert shown(found["measures"]["B9"]) == "0.630"
    cohort = {row[0]: row for row in found["tables"]["tbl-after16-201213"]["rows"]}
    assert cohort["in need in the year of GCSEs"][1] == "30"  # 27, rounded


def test_a_negative_half_rounds_away_from_zero(tmp_path: Path) -> None:
    """Progress 8 by local authority, 2017/18. On the extract, block 16's pupils in need in
    2017-18 (1 to 30, all at the Hartlepool school 100004) have a score but 10, 20 and 30:
    27, under 30, so no authority is listed. Given scores as the others, (Attainment 8 -
    45) / 20 = (n - 20) / 20 (-0.5, 0 and 0.5), Hartlepool has 30, with a mean of (15.5 -
    20) / 20 = -0.225 exactly: published -0.23 (halves away from zero; -0.22 if halves
    went up). The sample variance of n = 1 to 30 is 30 x 31 / 12 = 77.5, so the scores' sd
    is sqrt(77.5) / 20 = 0.44017 and 1.96 sd / sqrt(30) = 0.15751: the interval is -0.38251
    to -0.06749, published -0.38 and -0.07."""
    folder = changed_copy(tmp_path)
    ks4 = read_rows(folder, "ks4")
    head = ks4[0]
    for row in ks4[1:]:
        if row[0] in ("16010", "16020", "16030"):
            assert row[head.index("progress8")] == ""
            n = int(row[0]) - 16000
            row[head.index("progress8")] = str((n - 20) / 20)
    write_rows(folder, "ks4", ks4)
    found = findings(folder)
    table = found["tables"]["tbl-progress8-la-201718"]
    assert table["rows"] == [["E06000001", "30", "-0.23", "-0.38", "-0.07"]]
    assert table["section"] == "attainment"
    assert table["query"] == ["attainment.progress8_by_la"]
