"""The annual release, characteristics-2018, as readers get it: numbers printed in its HTML,
in every section, against the Department's raw files (read here with the `csv` module
only) and the figures the Department first published; the revision of the 2018 rate."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from decimal import Decimal
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import copy_built, run_cli

PUB = "characteristics-2018"
FOLDER = "data/public/cin_characteristics"
B1_2023 = "release_2023/b1_children_in_need_2013_to_2023.csv"
B1_2024 = "release_2024/b1_children_in_need_2013_to_2024.csv"
C1_2023 = "release_2023/c1_children_in_need_referrals_and_rereferrals_2013_to_2023.csv"
C3_2023 = "release_2023/c3_factors_identified_at_end_of_assessment_2018_to_2023.csv"
C4_2025 = "release_2025/c4_children_in_need_section_47s_and_icpcs_2013_to_2025.csv"
D3_2023 = "release_2023/d3_cpps_subsequent_plan_2013_to_2023.csv"
D5_2023 = "release_2023/d5_cpps_at31march_by_duration_2013_to_2023.csv"
B1_2025 = "release_2025/b1_children_in_need_2013_to_2025.csv"


class Printed(HTMLParser):
    """Every <data> element of the page: its text, by section (the id of the <h2> above
    it) and data-id."""

    def __init__(self) -> None:
        super().__init__()
        self.section = "top"
        self.texts: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._open: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "h2" and found.get("id"):
            self.section = str(found["id"])
        if tag == "data":
            self._open, self._text = found.get("data-id"), ""

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "data" and self._open is not None:
            self.texts[(self.section, self._open)].append(self._text)
            self._open = None


def _printed(site: Path) -> dict[tuple[str, str], list[str]]:
    page = Printed()
    page.feed((site / "report" / f"{PUB}.html").read_text("utf-8"))
    return page.texts


def _rows(public: Path, name: str) -> list[dict[str, str]]:
    with (public / FOLDER / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _cell(public: Path, name: str, column: str, year: int = 2018, area: str = "") -> str:
    """A cell of a raw file: England's row of the year, or the region's or local
    authority's row whose code is `area`."""
    found = [
        r
        for r in _rows(public, name)
        if r["time_period"] == str(year)
        and (
            r["geographic_level"] == "National"
            if not area
            else area in (r["region_code"], r["new_la_code"])
            and r["geographic_level"] in ("Regional", "Local authority")
            and (r["geographic_level"] == "Regional") == area.startswith(("E12", "E13"))
        )
    ]
    assert len(found) == 1, (name, year, area, len(found))
    return found[0][column]


# As a reader expects to see a file's cell: counts with thousands separators, rates to one
# decimal place, percentages to one decimal place with a per cent sign (written out here,
# not the project's formatters).
def count(raw: str) -> str:
    return f"{int(raw):,}"


def rate(raw: str) -> str:
    return f"{Decimal(raw):.1f}"


def percent(raw: str) -> str:
    return f"{Decimal(raw):.1f}%"


SECTIONS = (
    "headline-facts",
    "children-in-need",
    "referrals",
    "factors-identified-at-the-end-of-assessment",
    "section-47-enquiries-and-initial-child-protection-conferences",
    "child-protection-plans",
    "regions-and-local-authorities",
    "changes-since-the-last-release",
    "methodology",
)

#: Figures quoted in the reference notes of what the Department published
#: (shared/reference/published-figures.md, sections 2.1 to 2.3; docs/calibration-targets.csv
#: rows R1 to R4), each with the section that prints it and the data-id printed there.
PUBLISHED: tuple[tuple[str, str, str], ...] = (
    ("headline-facts", "ch-cin-by-year/2018/in_need", "404,710"),  # R1
    ("headline-facts", "ch-cin-by-year/2018/in_need_rate", "341.0"),  # R2
    ("headline-facts", "ch-referrals-by-year/2018/referrals", "655,630"),  # R3
    ("referrals", "ch-referrals-by-year/2018/referrals_rate", "552.5"),  # R3, the rate
    ("headline-facts", "ch-plans-by-year/2018/on_plan", "53,790"),  # R4
    ("children-in-need", "ch-cin-by-year/2018/started", "406,770"),
    ("children-in-need", "ch-cin-by-year/2018/ended", "349,130"),
    ("children-in-need", "ch-cin-by-year/2018/awaiting", "26,130"),
    ("children-in-need", "ch-cin-by-year/2017/in_need", "389,040"),
    ("children-in-need", "ch-cin-by-year/2013/in_need", "378,030"),
    ("children-in-need", "ch-cin-by-year/2016/during_year_rate", "594.8"),
    ("referrals", "ch-referrals-by-year/2017/referrals", "646,120"),
    ("referrals", "ch-referrals-by-year/2018/children", "581,280"),
    ("referrals", "ch-referrals-by-year/2015/not_in_need_percent", "23.0%"),
    ("factors-identified-at-the-end-of-assessment", "factors_episodes", "482,750"),
    (
        "factors-identified-at-the-end-of-assessment",
        "real-factors/domestic-abuse_parent/episodes",
        "155,420",
    ),
    (
        "section-47-enquiries-and-initial-child-protection-conferences",
        "ch-enquiries-by-year/2018/enquiry_children",
        "177,110",
    ),
    (
        "section-47-enquiries-and-initial-child-protection-conferences",
        "ch-enquiries-by-year/2014/conferences",
        "65,190",
    ),
    ("child-protection-plans", "ch-plans-starting-by-year/2018/subsequent_percent", "20.2%"),
    ("child-protection-plans", "ch-plans-starting-by-year/2013/starting", "52,680"),
    (
        "changes-since-the-last-release",
        "ch-rates-revised/2017_children-in-need-at-31-march/rebased",
        "333.3",
    ),
    ("methodology", "fact.s47_2017_first_published", "185,450"),
    ("methodology", "ch-enquiries-by-year/2017/enquiries", "185,680"),
)


def _from_files(public: Path) -> list[tuple[str, str, str]]:
    """Numbers of every section, each as the raw file gives it: (section, data-id, text)."""
    cell = partial(_cell, public)
    s47 = "section-47-enquiries-and-initial-child-protection-conferences"
    factors = "factors-identified-at-the-end-of-assessment"
    areas = "regions-and-local-authorities"
    return [
        ("headline-facts", "ch-enquiries-by-year/2018/enquiries", count(cell(C4_2025, "Section47"))),
        ("children-in-need", "ch-cin-by-year/2018/during_year", count(cell(B1_2023, "Anypoint_child"))),
        ("children-in-need", "ch-cin-by-year/2018/during_year_rate", rate(cell(B1_2023, "Anypoint_child_rate"))),
        ("children-in-need", "ch-cin-by-year/2014/awaiting", count(cell(B1_2023, "Awaiting_assessment", 2014))),
        ("referrals", "ch-referrals-by-year/2018/re_referrals_percent", percent(cell(C1_2023, "Re_referrals_percent"))),
        ("referrals", "ch-referrals-by-year/2018/no_further_action_percent", percent(cell(C1_2023, "No_Further_Action_percent"))),
        ("referrals", "ch-referrals-by-year/2018/not_in_need_percent", percent(cell(C1_2023, "Not_in_Need_percent"))),
        ("referrals", "ch-referrals-by-year/2016/re_referrals", count(cell(C1_2023, "Re_referrals", 2016))),
        (factors, "real-factors/domestic-abuse_child/episodes", count(cell(C3_2023, "Domestic_Abuse_child"))),
        (factors, "real-factors/mental-health_parent/episodes", count(cell(C3_2023, "Mental_Health_parent"))),
        (factors, "real-factors/mental-health_child/episodes", count(cell(C3_2023, "Mental_Health_child"))),
        (s47, "ch-enquiries-by-year/2018/conferences", count(cell(C4_2025, "ICPC"))),
        (s47, "ch-enquiries-by-year/2018/days_median", cell(C4_2025, "Duration_median")),
        (s47, "ch-enquiries-by-year/2015/days_upper_quartile", cell(C4_2025, "Duration_75th_Percentile", 2015)),
        (s47, "ch-enquiries-days/0-to-10-days/conferences", count(cell(C4_2025, "Duration_0-10_days"))),
        (s47, "ch-enquiries-days/21-days-or-more/conferences", count(cell(C4_2025, "Duration_21+_days"))),
        ("child-protection-plans", "ch-plans-starting-by-year/2018/starting", count(cell(D3_2023, "CPP_start"))),
        ("child-protection-plans", "ch-plans-by-year/2017/on_plan", count(cell(D5_2023, "CPP_At31", 2017))),
        ("child-protection-plans", "ch-plans-duration/3-months-or-less/plans_percent", percent(cell(D5_2023, "3_months_or_less_percent"))),
        ("child-protection-plans", "ch-plans-duration/2-years-or-more/plans", count(cell(D5_2023, "2_years_or_more"))),
        (areas, "ch-cin-by-area/e12000001/in_need_rate", rate(cell(B1_2023, "At31_episodes_rate", 2018, "E12000001"))),
        (areas, "ch-cin-by-area/e12000006/in_need_rate", rate(cell(B1_2023, "At31_episodes_rate", 2018, "E12000006"))),
        (areas, "ch-cin-by-area/e13000001/in_need", count(cell(B1_2023, "At31_episodes", 2018, "E13000001"))),
        (areas, "ch-cin-by-area/e06000005/in_need", count(cell(B1_2023, "At31_episodes", 2018, "E06000005"))),
        (areas, "ch-referrals-by-area/e06000002/referrals", count(cell(C1_2023, "Referrals", 2018, "E06000002"))),
        (areas, "ch-plans-by-area/e12000007/on_plan", count(cell(D5_2023, "CPP_At31", 2018, "E12000007"))),
        # Gateshead: the 2025 release's C4 gives it the code ONS retired in 2013
        # (E08000020); the release prints it under the 2023 release's code, E08000037.
        (areas, "ch-enquiries-by-area/e08000037/enquiries", count(cell(C4_2025, "Section47", 2018, "E08000020"))),
        ("changes-since-the-last-release", "ch-rates-revised/2018_children-in-need-during-the-year/rebased", rate(cell(B1_2024, "Anypoint_child_rate"))),
        ("changes-since-the-last-release", "ch-vintages/children-in-need-at-31-march_2025/value", count(cell(B1_2025, "At31_episodes"))),
    ]  # fmt: skip


def test_numbers_of_every_section_are_those_of_the_raw_files_and_the_published_figures(
    built: Path,
) -> None:
    """At least 30 numbers, across every section of the release, printed in its HTML as
    the raw files give them (read with `csv`) and as the Department published them."""
    site, public = built / "_site", built
    printed = _printed(site)
    expected = [*PUBLISHED, *_from_files(public)]
    assert len({(s, i) for s, i, _ in expected}) >= 30
    assert {s for s, _, _ in expected} == set(SECTIONS)
    wrong = [
        (section, key, text, printed.get((section, key)))
        for section, key, text in expected
        if text not in printed.get((section, key), [])
    ]
    assert wrong == [], wrong


def test_the_published_figures_are_those_of_the_raw_files(built: Path) -> None:
    """The figures quoted as published (PUBLISHED) agree with the raw files where a file
    holds them: two independent sources for the numbers above."""
    public = built
    assert count(_cell(public, B1_2023, "At31_episodes")) == "404,710"
    assert rate(_cell(public, B1_2023, "At31_episodes_rate")) == "341.0"
    assert count(_cell(public, C1_2023, "Referrals")) == "655,630"
    assert rate(_cell(public, C1_2023, "Referrals_rate")) == "552.5"
    assert count(_cell(public, D5_2023, "CPP_At31")) == "53,790"
    assert count(_cell(public, C4_2025, "Section47", 2017)) == "185,680"
    assert count(_cell(public, C3_2023, "Domestic_Abuse_parent")) == "155,420"


@pytest.fixture(scope="module")
def revision(built: Path) -> tuple[str, str]:
    """England's rate of children in need at 31 March 2018 in the 2023 release's B1 (as
    first published) and in the 2024 release's (re-based), read from the raw files."""
    return (
        _cell(built, B1_2023, "At31_episodes_rate"),
        _cell(built, B1_2024, "At31_episodes_rate"),
    )


def test_the_2018_rate_was_revised_from_341_0_to_345_4(
    built: Path, revision: tuple[str, str]
) -> None:
    """Worked out by hand from the two files: 341.0 first published, 345.4 after
    re-basing (404,710 / 11,716,740 x 10,000 on the mid-2017 estimate), a change of
    +4.4; the release's changes table and its prose print all three."""
    assert revision == ("341", "345.4")  # the files print 341 and 345.4
    printed = _printed(built / "_site")
    section = "changes-since-the-last-release"
    key = "ch-rates-revised/2018_children-in-need-at-31-march"
    assert printed[(section, f"{key}/first_published")] == ["341.0", "341.0"]  # prose, table
    assert printed[(section, f"{key}/rebased")] == ["345.4", "345.4"]
    assert set(printed[(section, f"{key}/change")]) == {"+4.4"}
    html = (built / "_site" / "report" / f"{PUB}.html").read_text("utf-8")
    table = html[html.index('id="tbl-ch-revisions"') :]
    row = table[table.index(f'data-id="{key}/first_published"') :]
    assert row[: row.index("</tr>")].endswith("<td>Yes</td>")  # the row's revised flag


def _numbers(site: Path) -> dict[str, tuple[str, str]]:
    """The release's numbers manifest: each occurrence's (data-id, text)."""
    entries = json.loads((site / "report" / f"{PUB}.numbers.json").read_text("utf-8"))
    return {e["occurrence"]: (e["id"], e["text"]) for e in entries}


def test_a_build_from_the_2024_b1_differs_in_exactly_the_re_based_rates(
    built: Path, tmp_path: Path
) -> None:
    """The same release built from the 2024 release's B1 (rates_release = 2024): the
    numbers that differ from the default build's (2023's B1, the rates as first
    published) are the rates of children in need and nothing else, every year's national
    rates among them; 2018's at 31 March moves from 341.0 to 345.4, as worked out above.
    (The two files' counts for 2013 to 2018 are the same.)"""
    rebased = copy_built(built, tmp_path / "rebased")
    settings = rebased / "bulletin.toml"
    text = settings.read_text("utf-8")
    settings.write_text(text.replace("rates_release = 2023", "rates_release = 2024"), "utf-8")
    result = run_cli("build", "--publication", PUB, "--quiet", root=rebased)
    assert result.returncode == 0, result.stderr
    before, after = _numbers(built / "_site"), _numbers(rebased / "_site")
    assert before.keys() == after.keys()
    changed = {before[k][0]: (before[k][1], after[k][1]) for k in before if before[k] != after[k]}
    tables = {key.split("/")[0] for key in changed}
    columns = {key.split("/")[-1] for key in changed}
    assert tables == {"ch-cin-by-year", "ch-cin-by-area"}, tables
    assert columns == {"in_need_rate", "during_year_rate"}, columns
    national = {k for k in changed if k.startswith("ch-cin-by-year/")}
    assert national == {
        f"ch-cin-by-year/{year}/{column}"
        for year in range(2013, 2019)
        for column in ("in_need_rate", "during_year_rate")
    }
    assert changed["ch-cin-by-year/2018/in_need_rate"] == ("341.0", "345.4")
    assert changed["ch-cin-by-year/2013/in_need_rate"] == ("330.9", "331.5")  # published
    # The reviewer's view of the same two builds: `bulletin diff` lists the revised rates,
    # in the prose as numbers and in the printed tables as cells, and no other number.
    report = tmp_path / "diff.json"
    result = run_cli(
        "diff",
        str(built),
        str(rebased),
        "--json",
        str(report),
        "--no-images",
        "--quiet",
        root=rebased,
    )
    assert result.returncode == 1, result.stderr  # 1: the builds differ
    diff = json.loads(report.read_text("utf-8"))
    prose = {n["id"]: (n["old_text"], n["new_text"]) for n in diff["numbers"]}
    assert {n["status"] for n in diff["numbers"]} == {"changed"}
    assert prose.items() <= changed.items()
    assert prose["ch-cin-by-year/2018/in_need_rate"] == ("341.0", "345.4")
    printed = {t["id"]: t["cells"] for t in diff["tables"] if t["id"].startswith("tbl-")}
    assert set(printed) == {"tbl-ch-cin-by-year", "tbl-ch-cin-by-area", "tbl-ch-sources"}
    assert {c["column"] for c in printed["tbl-ch-sources"]} == {"source"}  # 2023 -> 2024
    by_year = {(c["row"], c["column"]): (c["old"], c["new"]) for c in printed["tbl-ch-cin-by-year"]}
    assert by_year == {
        (f"{y - 1}-{str(y)[2:]}", col): changed[f"ch-cin-by-year/{y}/{col}"]
        for y in range(2013, 2019)
        for col in ("in_need_rate", "during_year_rate")
    }
    area = printed["tbl-ch-cin-by-area"]
    assert {c["column"] for c in area} == {"in_need_rate", "during_year_rate"}
    assert len(area) == sum(k.startswith("ch-cin-by-area/") for k in changed)
    for table in diff["tables"]:
        assert not table["rows_added"], table["id"]
        assert not table["rows_removed"], table["id"]
