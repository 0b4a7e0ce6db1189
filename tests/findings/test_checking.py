"""The output-checking pack (`bulletin.findings.checking`) on a table worked out by hand.

Children in two groups: A = 3, B = 40, total 43 (a national table, so the total is
published rounded to 10: 40), with each group's share of the total. A is 1 to 5, so it is
suppressed, and so is its share; then A could be worked out from the total and B, so one
of them is suppressed too. The audit must find A's range wide enough: 0 or below, 8 or
above (3 +/- 5).
"""

from __future__ import annotations

from typing import Any, cast

from bulletin.core.settings import Disclosure
from bulletin.disclosure import PERCENT, Counted, Level, Rate, grid_table
from bulletin.findings.checking import cells_csv, pack
from bulletin.findings.publish import FindingsTable, count, frame_of, protected, recording

T = Disclosure()


class Section:
    """A section of findings with one table and one finding, as the pack reads it."""

    def __init__(self, table: FindingsTable, entries: tuple[Any, ...]) -> None:
        self.table, self._entries = table, entries

    def tables(self) -> tuple[FindingsTable, ...]:
        return (self.table,)

    def entries(self) -> tuple[Any, ...]:
        return self._entries


class Found:
    def __init__(self, section: Section) -> None:
        self.section = section

    def sections(self) -> dict[str, Section]:
        return {"groups": self.section}


def test_the_pack_says_what_was_suppressed_and_why_with_the_true_counts() -> None:
    from bulletin.findings.publish import Entry

    values = {("A", "n"): 3, ("B", "n"): 40, ("total", "n"): 43}
    rates = [Rate((r, "share"), (r, "n"), ("total", "n"), PERCENT) for r in ("A", "B")]
    table = grid_table(
        values,
        [("total", ["A", "B"])],
        levels={"A": Level.LOCAL_AUTHORITY, "B": Level.LOCAL_AUTHORITY, "total": Level.NATIONAL},
        counted=Counted.CHILDREN,
        rates=rates,
    )
    with recording() as notes:
        published = protected(table, T)
        rows: list[dict[str, object]] = [
            {"group": r, "n": published.count((r, "n"))} for r in ("A", "B", "total")
        ]
        made = FindingsTable(
            "tbl-groups", "Groups", "children by group", "hand-made", Counted.CHILDREN,
            frame_of(rows, ["group", "n"]), ("group",), ("groups.by_group",),
        )  # fmt: skip
        small = count(4, T, Counted.CHILDREN, definition="children in group C", source="s")
    content = pack(
        cast(
            Any, Found(Section(made, (Entry("C", small, Counted.CHILDREN, ("groups.by_group",)),)))
        ),
        notes,
        {"synthetic": False},
        T,
    )

    (entry,) = content["tables"]
    assert (entry["id"], entry["section"], entry["title"]) == ("tbl-groups", "groups", "Groups")
    (part,) = entry["protected_tables"]
    cells = {c["row"]: c for c in part["cells"]}
    assert cells["A"] == {
        "row": "A",
        "column": "n",
        "count": 3,
        "published": "c",
        "treatment": "suppressed: a count of 1 to 5",
    }
    secondary = [r for r in ("B", "total") if cells[r]["published"] == "c"]
    assert len(secondary) == 1
    assert cells[secondary[0]]["treatment"].startswith("suppressed: secondary")
    if secondary == ["B"]:
        assert cells["total"] == {
            "row": "total",
            "column": "n",
            "count": 43,
            "published": 40,
            "treatment": "rounded to the nearest 10",
        }
    rate_a = next(r for r in part["rates"] if r["row"] == "A")
    assert rate_a == {
        "row": "A",
        "column": "share",
        "numerator": 3,
        "denominator": 43,
        "public_denominator": False,
        "published": "c",
        "treatment": "suppressed: its numerator is suppressed",
    }
    (check,) = part["audit"]["checked"]
    assert part["audit"]["passes"] is True
    assert (check["row"], check["count"], check["needs_at_most"], check["needs_at_least"]) == (
        "A",
        3,
        0,
        8,
    )
    assert check["lowest_consistent"] <= 0
    assert check["highest_consistent"] is None or check["highest_consistent"] >= 8
    assert entry["numbers"] == []  # C was made after the table: a finding, not a cell
    assert content["findings"] == [
        {
            "id": "C",
            "section": "groups",
            "unit": "count",
            "published": "c",
            "definition": "children in group C",
            "count": 4,
            "treatment": "c: confidential: suppressed to protect individuals",
        }
    ]
    assert content["thresholds"] == {
        "suppress_min": 1,
        "suppress_max": 5,
        "min_denominator": 10,
        "rounding_base": 10,
    }
    lines = cells_csv(content).splitlines()
    assert lines[0] == "table,part,row,column,true_count,published,treatment"
    assert "tbl-groups,1,A,n,3,c,suppressed: a count of 1 to 5" in lines


def test_nothing_is_noted_outside_a_recording() -> None:
    with recording() as notes:
        pass
    count(4, T, Counted.CHILDREN, definition="d", source="s")
    assert notes == []
