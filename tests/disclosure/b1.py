"""The real 2018 rows of the B1 file (release 2023), for tests that need real geography."""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
B1 = ROOT / "data/public/cin_characteristics/release_2023/b1_children_in_need_2013_to_2023.csv"


def b1_rows(year: int = 2018) -> list[dict[str, str]]:
    with B1.open(encoding="utf-8-sig", newline="") as f:
        return [r for r in csv.DictReader(f) if r["time_period"] == str(year)]


def region_of_las(rows: list[dict[str, str]]) -> dict[str, str]:
    """Each local authority's name -> its region's name (Inner or Outer London in London)."""
    return {
        r["la_name"]: r["region_name"] for r in rows if r["geographic_level"] == "Local authority"
    }
