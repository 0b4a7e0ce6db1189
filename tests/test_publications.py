"""The publications as readers get them: every number carries its provenance, and the
contract's wording and real rows appear where the publications print them."""

from __future__ import annotations

import csv
import json
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import pytest
from benchmarks.fit_generator import kind_of_rows

from bulletin.qa.prose import lint_text
from tests.conftest import ROOT

NS = "{http://www.w3.org/1999/xhtml}"
KINDS = kind_of_rows()  # fitted, constrained or validated (the calibration ledger)
PUBLICATIONS = (
    "data-and-analysis",
    "interim-findings",
    "concluding-review",
    "characteristics-2018",
)


def _page(site: Path, pub: str) -> Element:
    import tinyhtml5

    root: Element = tinyhtml5.parse((site / "report" / f"{pub}.html").read_text("utf-8"))
    return root


#: The review's publications. On the annual release's page, category labels in its prose
#: ("11 to 15 days"), the names of the Department's tables ("table B1") and a fact's words
#: ("one local authority") would count as numbers outside <data>: it is not in that check.
REVIEW = PUBLICATIONS[:3]


def _built_publications(site: Path, pubs: tuple[str, ...] = PUBLICATIONS) -> list[str]:
    return [p for p in pubs if (site / "report" / f"{p}.html").is_file()]


#: What the check leaves out, besides <data> elements: table header cells (category labels:
#: an age band, a number of episodes), what a measure is (its definition states thresholds
#: such as a 95% interval, as "aged 0 to 17" does) and where a table comes from.
#: Not statistics: definitions, source lines, and the words `compare` works out from two
#: printed values ('higher than': the bands file's, not typed).
NOT_STATISTICS = {"about-measure", "table-source", "comparison"}


def _text_outside_data_and_headers(element: Element) -> str:
    """The page's statistics as text: every <data> element's text left out, and table
    header cells, definitions and source lines (`NOT_STATISTICS`)."""
    parts: list[str] = []

    def walk(node: Element) -> None:
        tag = str(node.tag).removeprefix(NS)
        classes = set(str(node.get("class", "")).split())
        if tag in {"data", "th", "script", "style"} or classes & NOT_STATISTICS:
            parts.append(" ")
        else:
            parts.append(node.text or "")
            for child in node:
                walk(child)
            parts.append(" ")  # elements are separate words: <dt>Published</dt><dd>18 June
        parts.append(node.tail or "")

    walk(element)
    return "".join(parts)


def test_every_number_in_the_text_is_a_data_element_in_the_manifest(built: Path) -> None:
    """By the prose lint's definition of a number (dates, measure names, ages and note
    markers allowed), no number stands in a page's main text outside a <data> element;
    every <data> element is in the numbers manifest, occurrence for occurrence."""
    site = built / "_site"
    pubs = _built_publications(site, REVIEW)
    assert pubs
    for pub in pubs:
        main = next(_page(site, pub).iter(f"{NS}main"))
        stray = lint_text(_text_outside_data_and_headers(main))
        assert stray == [], f"{pub}: numbers outside <data>: {[f.text for f in stray][:10]}"
        printed = [d.get("data-id") for d in main.iter(f"{NS}data")]
        entries = json.loads((site / "report" / f"{pub}.numbers.json").read_text("utf-8"))
        assert [e["id"] for e in entries] == printed
        assert len({e["occurrence"] for e in entries}) == len(entries)


def _number(text: str) -> Decimal:
    """The number a printed text shows: 404,710 -> 404710; 8.4% -> 0.084; −1.32 -> -1.32."""
    cleaned = text.replace(",", "").replace("\u2212", "-").removeprefix("+")
    if cleaned.endswith("%"):
        return Decimal(cleaned[:-1]) / 100
    return Decimal(cleaned)


def _from_file(public: Path, source: dict[str, Any]) -> str:
    with (public / source["file"]).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return str(rows[source["row"] - 2][source["column"]])  # the header is row 1


def _from_findings(findings: dict[str, Any], entry: dict[str, Any]) -> str:
    """The published value in findings.json: a measure by its id, or a table's cell by the
    row's labels (matched by their slugs, written out here) and its column."""
    source = entry["source"]
    if "table" not in source:
        key, _, part = entry["id"].partition(".")  # B2.denominator: the published part
        measure = {**findings["measures"], **findings["rules"]}[key]
        if part:
            return str(measure[part])
        return str(measure["value"] if measure["symbol"] is None else measure["symbol"])
    table = findings["tables"][source["table"]]
    column = table["columns"].index(source["column"])
    labels = [table["columns"].index(label) for label in table["labels"]]

    def slug(text: str) -> str:
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "-"

    matches = [
        row
        for row in table["rows"]
        for width in range(1, len(labels) + 1)
        if "_".join(slug(str(row[i])) for i in labels[:width]) == source["row"]
    ]
    assert matches, f"{entry['id']}: no such row in findings.json"
    return str(matches[0][column])


def test_a_sample_of_every_section_reads_back_from_its_source(built: Path) -> None:
    """For entries across every section, the value is read again from the source the
    entry names (findings.json, the real file's row and column, the facts file), not from
    the manifest; a numeric printed text shows that value as rounded for print."""
    site = built / "_site"
    public = built / "data" / "public"
    found = sorted((built / ".cache/bulletin/stages/findings").glob("*/findings.json"))
    findings = json.loads(found[0].read_text("utf-8"))
    facts = tomllib.loads((public / "facts.toml").read_text("utf-8"))
    kinds: set[str] = set()
    for pub in _built_publications(site):
        entries = json.loads((site / "report" / f"{pub}.numbers.json").read_text("utf-8"))
        by_id = {e["id"]: e for e in entries}
        by_section: dict[str, list[dict[str, Any]]] = {}
        for entry in entries:
            by_section.setdefault(entry["section"], []).append(entry)
        for section, listed in by_section.items():
            for entry in listed[:: max(1, len(listed) // 4)]:  # about 4 per section
                source = entry["source"]
                kinds.add(source["kind"])
                if entry["id"] == "D1_gap":  # derived: the published count less D1
                    published = Decimal(facts["published_d1"]["value"])
                    raw = str(published - Decimal(findings["measures"]["D1"]["value"]))
                elif entry["id"].endswith("/change"):  # derived: re-based less first published
                    first = by_id[entry["id"].replace("/change", "/first_published")]
                    rebased = Decimal(_from_file(public, source))
                    raw = str(rebased - Decimal(_from_file(public, first["source"])))
                elif source["kind"] == "file":
                    raw = _from_file(public, source)
                elif source["kind"] == "fact":
                    raw = str(facts[source["fact"]]["value"])
                else:
                    raw = _from_findings(findings, entry)
                if raw in {"c", "x", "z", "low", "u"}:
                    assert entry["text"] == raw, (section, entry)
                    continue
                value = Decimal(raw)
                if entry["id"] == "C1":  # the any-point rate per 10,000, as a share
                    value = value / 10000
                assert Decimal(entry["value"]) == value, (section, entry["id"], raw)
                if re.fullmatch(r"[+\u2212-]?[\d,]+(\.\d+)?%?", entry["text"]):
                    shown = _number(entry["text"])
                    exponent = shown.as_tuple().exponent
                    assert isinstance(exponent, int), entry["text"]  # a finite number
                    places = max(0, -exponent)
                    tolerance = Decimal(1).scaleb(-places) / 2
                    if entry["unit"] == "percent":  # a percentage as a file publishes it: 24.7
                        shown, tolerance = shown * 100, tolerance * 100
                    assert abs(shown - value) <= tolerance, (
                        section,
                        entry["id"],
                        entry["text"],
                        raw,
                    )
    assert {"findings", "file"} <= kinds


def _contract() -> list[dict[str, str]]:
    with (ROOT / "docs/calibration-targets.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


WORDING_ROWS = [
    (row["id"], pub, row["expected_wording"])
    for row in _contract()
    for pub in row["publication"].split(";")
    if row["expected_wording"] and pub in PUBLICATIONS
]


@pytest.mark.national
@pytest.mark.parametrize(("key", "pub", "wording"), WORDING_ROWS, ids=str)
def test_every_wording_row_is_printed_in_its_words(
    national: Path, key: str, pub: str, wording: str
) -> None:
    """calibration-targets.csv: each row with expected wording, in each publication it
    names, is a <data> element with the row's id showing exactly those words (the R rows:
    the real value exactly as the file prints it). A validated row (docs/calibration.md) is
    the model's prediction: when the build's value misses its range, the publication prints
    what the value says instead, and the words are not checked (test_calibration checks
    that the miss is the one the ledger reports)."""
    page = _page(national / "_site", pub)
    shown = ["".join(d.itertext()) for d in page.iter(f"{NS}data") if d.get("data-id") == key]
    assert shown, f"{key} is not printed in {pub}"
    if KINDS.get(key) == "validated":
        row = next(r for r in _contract() if r["id"] == key)
        value = Decimal(_national_measures(national)[key]["value"])
        if not Decimal(row["lo"]) <= value <= Decimal(row["hi"]):
            assert wording not in shown, f"{key} = {value} misses, yet prints {wording!r}"
            return
    assert wording in shown, f"{key} in {pub}: {shown}"


def _national_measures(national: Path) -> dict[str, Any]:
    """The measures of the national build's findings.json."""
    (found,) = sorted((national / ".cache/bulletin/stages/findings").glob("*/findings.json"))
    measures: dict[str, Any] = json.loads(found.read_text(encoding="utf-8"))["measures"]
    return measures


def _words(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_the_statements_for_readers_of_synthetic_data_are_in_every_publication(
    built: Path,
) -> None:
    """The build runs on the synthetic population: each publication's banner and its note
    on synthetic data say which figures were fitted, which findings recover effects the
    model was given (B7, B8) and which it predicts; the regression is a demonstration of the
    method where it is shown (docs/methodology.md, "Statements for readers")."""
    site = built / "_site"
    assert _built_publications(site) == list(PUBLICATIONS)
    # The annual release is built from the Department's real files alone: no such note.
    real = _words(next(_page(site, "characteristics-2018").iter(f"{NS}main")))
    assert "Synthetic data in this build" not in real
    calibration = json.loads((ROOT / "src/bulletin/synthetic/calibration.json").read_text("utf-8"))
    assert calibration["recovers_planted"] == ["B7", "B8"]
    given = (
        "The model was given each social care group's likelihood of a strong pass at GCSE, so "
        "the regression recovers what it was given."
    )
    predicted = (
        "Nothing was fitted to GCSE results in earlier years, the spread of Progress 8 between "
        "local authorities, what pupils did after 16 or the counts of the interim findings: "
        "the model predicts those figures."
    )
    demonstration = "This section demonstrates the method: it is not evidence about real pupils."
    for pub in REVIEW:
        page = _page(site, pub)
        banner = next(e for e in page.iter(f"{NS}div") if e.get("class") == "banner")
        assert "Built from synthetic data" in _words(banner)
        notes = [
            _words(e)
            for e in page.iter(f"{NS}div")
            if e.get("role") == "note" and "Synthetic data in this build" in _words(e)
        ]
        assert len(notes) == 1, pub
        assert "because the model was fitted to them." in notes[0]
        assert given in notes[0], notes[0]
        assert predicted in notes[0], notes[0]
        main = _words(next(page.iter(f"{NS}main")))
        shows_regression = 'id="fig-adjusted-likelihood"' in (
            site / "report" / f"{pub}.html"
        ).read_text("utf-8")
        assert main.count(demonstration) == int(shows_regression), pub
    assert "A fitted figure agrees with the published figure by construction" in _words(
        next(_page(site, "data-and-analysis").iter(f"{NS}main"))
    )
