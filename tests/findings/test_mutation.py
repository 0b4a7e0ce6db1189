"""A mutation of the data, not the code: a finding crosses a band of its formatter and the
wording changes with it.

B9 (the share of pupils in need in the year of their GCSEs, key stage 4 2012/13, without
level 2 by 21) is 17 of 34 on the hand-made extract (worked out in test_attainment_small.py):
0.500, "half" (fraction_words: [0.475, 0.525) is "half", [0.45, 0.55) "around half", and
outside every band a whole percentage).

- Pupil 4017 (block 4, in need in 2012-13, no level 2 by 21) reaches level 2 by 21: 16 of 34
  = 0.4706 (0.471 published), below 0.475 and at least 0.45: "around half".
- Pupil 17001 (block 17, the same) too: 15 of 34 = 0.44118 (0.441), below 0.45: 44%.
"""

from __future__ import annotations

import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from bulletin.core.formatting import FILTERS
from tests.conftest import make_project, run_cli
from tests.findings.test_linked_small import FIXTURE


def reach_level_2_by_21(folder: Path, children: set[str]) -> None:
    """Rewrite post16.csv of the extract in `folder`: these children reach level 2 by 21."""
    path = folder / "post16.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        records = list(reader)
    changed = 0
    for record in records:
        if record["child_id"] in children and record["ks4_year"] == "201213":
            assert record["level2_by_21"] == "false", record
            record["level2_by_21"] = "true"
            changed += 1
    assert changed == len(children)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)


def b9(project: Path, extract: Path) -> tuple[str, str]:
    """B9's published value and its wording, from `bulletin findings` on the extract."""
    result = run_cli("findings", "--linked-data", str(extract), "--quiet", root=project)
    assert result.returncode == 0, result.stderr
    measure = json.loads(result.stdout)["measures"]["B9"]
    value = measure["value"]
    return value, FILTERS["fraction_words"](Decimal(value))


@pytest.mark.parametrize(
    ("children", "value", "wording"),
    [
        (set(), "0.500", "half"),
        ({"4017"}, "0.471", "around half"),
        ({"4017", "17001"}, "0.441", "44%"),
    ],
)
def test_changing_the_data_moves_b9_across_the_bands_of_its_wording(
    children: set[str], value: str, wording: str, tmp_path: Path
) -> None:
    extract = tmp_path / "extract"
    shutil.copytree(FIXTURE, extract)
    if children:
        reach_level_2_by_21(extract, children)
    assert b9(make_project(tmp_path / "project"), extract) == (value, wording)
