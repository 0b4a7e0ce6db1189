"""`bulletin diff` on real small-scale builds: the mutations of the acceptance, each with
its expected report worked out by hand from the change and the templates.

- (a) one sentence of a template: exactly that sentence, the PDF page that holds it and
  the reflow after it as a shift, no number;
- (b) one value of one public file: exactly the numbers, cells and figure points printed
  from that cell, nothing else;
- (c) the generator's seed: many numbers, all from the linked data, and a readable summary;
- (d) a build against itself: exit 0, "no differences".
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bulletin.qa.axe import Axe
from tests.conftest import copy_built, run_cli

PUB = "data-and-analysis"
TEMPLATE = f"templates/{PUB}/publication.qmd.jinja"
#: (a) A sentence just above the table of regions, which starts on the seventh page of the
#: small build's PDF: made a line longer (in 24 words: the prose rule allows 25), it pushes
#: the table's rows on to the pages after it (a reflow of several pages).
OLD_SENTENCE = (
    "The number of children in need, and the rate per 10,000 children, differ between "
    "regions and between local authorities."
)
NEW_SENTENCE = (
    "The number of children in need, and the rate per 10,000 children, differ between "
    "regions and between local authorities, sometimes considerably between neighbouring "
    "authorities."
)
OLD_PRINTED, NEW_PRINTED = OLD_SENTENCE, NEW_SENTENCE.replace("'", "\u2019")  # curled
#: The words the shortest edit adds: the new sentence keeps the old one's last word,
#: "authorities.", so nothing is removed.
ADDED_WORDS = "authorities, sometimes considerably between neighbouring"
#: (b) England's children in need at 31 March 2018 (B1, release 2023, row 820, At31_episodes).
B1 = "data/public/cin_characteristics/release_2023/b1_children_in_need_2013_to_2023.csv"
B1_ROW = "2018,Reporting year,National,E92000001,England,"
B1_OLD, B1_NEW = ",404710,341,", ",404720,341,"
#: The annual release that reads the same B1 file, and its id of that cell.
CH = "characteristics-2018"
CH_IN_NEED = "ch-cin-by-year/2018/in_need"


def rebuilt(built: Path, target: Path, change: Any) -> Path:
    root = copy_built(built, target)
    change(root)
    result = run_cli("build", "--quiet", root=root)
    assert result.returncode == 0, result.stderr
    return root


def replace_once(path: Path, old: str, new: str, line_start: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    hits = [k for k, line in enumerate(lines) if line.startswith(line_start) and old in line]
    assert len(hits) == 1, hits
    lines[hits[0]] = lines[hits[0]].replace(old, new)
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def sentence_changed(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rebuilt(
        built,
        tmp_path_factory.mktemp("a") / "project",
        lambda root: replace_once(root / TEMPLATE, OLD_SENTENCE, NEW_SENTENCE),
    )


@pytest.fixture(scope="module")
def value_changed(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return rebuilt(
        built,
        tmp_path_factory.mktemp("b") / "project",
        lambda root: replace_once(root / B1, B1_OLD, B1_NEW, B1_ROW),
    )


def diff(old: Path, new: Path, folder: Path, *extra: str) -> tuple[int, str, dict[str, Any]]:
    out = folder / "diff.json"
    result = run_cli("diff", str(old / "_site"), str(new / "_site"), "--json", str(out), *extra)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, result.stdout, json.loads(out.read_text(encoding="utf-8"))


def page_words(pdf: Path) -> list[list[str]]:
    """Each page's words, read page by page (`pdftotext -f N -l N`), without the footer
    (the running title and "N of M", the last lines of every page but the first)."""
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf)))[1])  # type: ignore[index]
    title = re.search(r"Title:\s+(.+)", _run("pdfinfo", str(pdf)))[1].strip()  # type: ignore[index]
    found = []
    for page in range(1, pages + 1):
        text = _run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        kept = [x for x in lines if not re.fullmatch(r"\d+ of \d+", x) and x != title]
        found.append(" ".join(kept).split())
    return found


def pages_of(pages: list[list[str]], first: str, last: str) -> list[int]:
    """The pages from the one where the phrase `first` starts to the one where `last` ends
    (each phrase found once in the whole text, which may cross a page break)."""
    words = [(n, w) for n, page in enumerate(pages, 1) for w in page]
    text = [w for _, w in words]

    def at(phrase: str) -> list[int]:
        size = len(phrase.split())
        hits = [k for k in range(len(text)) if text[k : k + size] == phrase.split()]
        assert len(hits) == 1, (phrase, hits)
        return [words[hits[0]][0], words[hits[0] + size - 1][0]]

    return list(range(at(first)[0], at(last)[1] + 1))


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def test_a_one_sentence_changed(built: Path, sentence_changed: Path, tmp_path: Path) -> None:
    code, summary, found = diff(built, sentence_changed, tmp_path)
    assert code == 1
    assert (found["numbers"], found["tables"], found["figures"]) == ([], [], [])
    assert [
        (s["publication"], s["section"], s["status"], s["old"], s["new"]) for s in found["prose"]
    ] == [(PUB, "children-in-social-care", "changed", OLD_PRINTED, NEW_PRINTED)]
    assert "prose: 1 sentences changed" in summary
    # The PDF: one change, the new words added before "authorities.", on the page that
    # held it and the pages the new words are on; every other page whose words differ from
    # the old page of its number is a page of a shift, and there are such pages: the
    # table's rows moved on.
    old_pages = page_words(built / "_site/report" / f"{PUB}.pdf")
    new_pages = page_words(sentence_changed / "_site/report" / f"{PUB}.pdf")
    [pdf] = found["pdf"]
    [change] = pdf["changes"]
    was = "between local authorities. The table gives"
    assert change["old_pages"] == pages_of(old_pages, was, was)
    holding = pages_of(
        new_pages,
        "local authorities, sometimes considerably",
        "neighbouring authorities. The table",
    )
    assert change["new_pages"] == holding
    assert (change["removed"], change["added"]) == ([], [ADDED_WORDS])
    moved = [
        n
        for n in range(1, len(new_pages) + 1)
        if n not in holding and (n > len(old_pages) or old_pages[n - 1] != new_pages[n - 1])
    ]
    shifted = [n for s in pdf["shifts"] for n in range(s["new_first"], s["new_last"] + 1)]
    assert moved
    assert shifted == moved
    changed = set(found["files"]["changed"])
    assert (
        {f"report/{PUB}.html", f"report/{PUB}.pdf"}
        <= changed
        <= {
            f"report/{PUB}.html",
            f"report/{PUB}.pdf",
            "index.html",  # the front page gives each PDF's size
        }
    )


def test_b_one_public_value_changed(built: Path, value_changed: Path, tmp_path: Path) -> None:
    """England's 404,710 children in need at 31 March 2018 becomes 404,720.

    The data and analysis prints that cell as R1 in its prose, as the 2018 value in the
    figure's caption, in the by-year table (row 31 March 2018) and in the regions table
    (row England), and publishes it in its open data file children_in_need_at_31_march
    (row 2018, England; the two tables' rows of England in 2018 are one row there); it
    draws it as the 2018 point of fig-cin-by-year, whose alt text gives it.

    Characteristics 2018 reads the same file (its `rates_release` is 2023) as its count of
    children in need at 31 March 2018: a key statistic, a sentence and the figure's caption
    print it; the by-year table (row 2017-18), the by-area table (row England) and the
    table of release vintages (its 2023 release column) hold it, and so do its open data
    files ch_children_in_need_national and ch_children_in_need_by_area (each at 2018,
    England); fig-ch-cin-by-year draws it as its 2018 point at 31 March, and its alt text
    gives it as the last value of that line. Its rates are cells of their own: unchanged.

    The two policy papers print none of it, and no prose changes but its numbers."""
    code, _, found = diff(built, value_changed, tmp_path)
    assert code == 1
    numbers = [
        (n["publication"], n["section"], n["id"], n["old_text"], n["new_text"], n["change"])
        for n in found["numbers"]
    ]
    change = ("404,710", "404,720", "+10")
    in_social_care = (PUB, "children-in-social-care")
    in_need = (CH, "children-in-need", CH_IN_NEED)
    assert numbers == [
        (*in_social_care, "R1", *change),
        (*in_social_care, "real-cin-by-year/2018/at_31_march", *change),
        (CH, "headline-facts", CH_IN_NEED, *change),  # the key statistic
        (*in_need, *change),  # "At 31 March 2018, 404,720 children were in need"
        (*in_need, *change),  # the figure's caption
    ]
    cells = [
        (t["publication"], t["id"], c["row"], c["column"], c["old"], c["new"], c["change"])
        for t in found["tables"]
        for c in t["cells"]
    ]
    value = ("404710", "404720", "+10")
    open_data = ("2018", "children_in_need_at_31_march", *value)
    assert sorted(cells) == [
        (CH, "ch_children_in_need_by_area", *open_data),
        (CH, "ch_children_in_need_national", *open_data),
        (CH, "tbl-ch-cin-by-area", "England", "in_need", *value),
        (CH, "tbl-ch-cin-by-year", "2017-18", "in_need", *value),
        (CH, "tbl-ch-vintages", "Children in need at 31 March", "release_2023", *value),
        (PUB, "children_in_need_at_31_march", *open_data),
        (PUB, "tbl-cin-by-region", "England", "at_31_march", *value),
        (PUB, "tbl-cin-by-year", "31 March 2018", "at_31_march", *value),
    ]
    assert all(not t["rows_added"] and not t["rows_removed"] for t in found["tables"])
    points = {
        f["id"]: [(c["row"], c["column"], c["old"], c["new"]) for c in f["data"]["cells"]]
        for f in found["figures"]
    }
    assert points == {
        "fig-ch-cin-by-year": [("2018", "at_31_march", "404710", "404720")],
        "fig-cin-by-year": [("2018", "children_in_need_at_31_march", "404710", "404720")],
    }
    for figure in found["figures"]:
        assert [w for w in figure["alt"] if w[0] != "equal"] == [
            ["delete", "404,710"],
            ["insert", "404,720"],
        ]
    assert found["prose"] == []


def test_c_another_seed_changes_many_numbers_and_the_summary_stays_short(
    built: Path, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    def reseed(root: Path) -> None:
        replace_once(root / "bulletin.toml", "seed = 20190618", "seed = 20190619", "seed")

    other = rebuilt(built, tmp_path_factory.mktemp("c") / "project", reseed)
    code, summary, found = diff(built, other, tmp_path)
    assert code == 1
    assert len(found["numbers"]) > 50
    assert found["counts"]["table_cells"] > 100
    # A seed changes the synthetic linked data only: no value of a real file or the facts.
    assert {n["source"]["kind"] for n in found["numbers"]} == {"findings"}
    real_tables = {"tbl-cin-by-year", "tbl-cin-by-region", "tbl-factors-2018"}
    assert not real_tables & {t["id"] for t in found["tables"]}
    # Readable: one line per kind with counts by section, then at most ten of each kind.
    by_section = found["counts"]["numbers_by_section"]
    assert sum(n for sections in by_section.values() for n in sections.values()) == len(
        found["numbers"]
    )
    first = summary.splitlines()[2]
    assert first.startswith(f"numbers: {len(found['numbers'])} changed: ")
    assert "headline-facts" in first
    assert len(summary.splitlines()) < 80
    assert f"... and {len(found['numbers']) - 10} more" in summary


def test_d_a_build_against_itself(built: Path, tmp_path: Path) -> None:
    code, summary, found = diff(built, built, tmp_path)
    assert code == 0
    assert summary.endswith("no differences\n")
    assert found["same"] is True


def test_an_error_exits_2_and_writes_nothing(built: Path, tmp_path: Path) -> None:
    missing = run_cli("diff", str(tmp_path / "nowhere"), str(built / "_site"))
    assert missing.returncode == 2
    assert "not a build" in missing.stderr
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("mine", encoding="utf-8")
    refused = run_cli("diff", str(built), str(built), "--html", str(foreign))
    assert refused.returncode == 2
    assert [p.name for p in foreign.iterdir()] == ["thesis.docx"]
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": true}', encoding="utf-8")
    refused = run_cli("diff", str(built), str(built), "--json", str(notes))
    assert refused.returncode == 2
    assert notes.read_text(encoding="utf-8") == '{"mine": true}'


def test_the_html_report_stands_alone_and_passes_axe(
    built: Path, sentence_changed: Path, value_changed: Path, tmp_path: Path, axe: Axe
) -> None:
    """The report of (a) and (b) together: images inline, nothing fetched, no axe violation;
    written again over its own previous version. (The run's one browser: Playwright's sync
    API allows one at a time in a thread, and an earlier test may have started it.)"""
    folder = tmp_path / "report"
    for _ in range(2):
        result = run_cli("diff", str(sentence_changed), str(value_changed), "--html", str(folder))
        assert result.returncode == 1, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "manifest.json"]
    page = (folder / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'(?:src|href)="([^"#][^"]*)"', page)
    assert sources
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert ADDED_WORDS in page  # the prose change, in words
    results = axe.check(folder / "index.html", "diff report")
    assert [r.result for r in results] == ["pass"], results


def test_a_release_lists_what_has_changed_since_the_last(
    built: Path, value_changed: Path, tmp_path: Path
) -> None:
    """Built with --previous-release (the build before the change of (b)), each publication
    that prints the changed cell lists the numbers printed from it, in printing order, each
    revised by 10 (the CSV writes a change as a plain number): the data and analysis its
    three, characteristics 2018 its three (the count, first printed as a key statistic, and
    the cells of England and of the 2023 release in its tables); the two policy papers
    print none of them."""
    root = copy_built(value_changed, tmp_path / "project")
    result = run_cli("build", "--quiet", "--previous-release", str(built / "_site"), root=root)
    assert result.returncode == 0, result.stderr

    def listed(pub: str) -> list[list[str]]:
        data = root / "_site/data" / pub / "tbl-changes-since-last-release.csv"
        lines = data.read_text(encoding="utf-8").splitlines()[1:]
        return [line.split(",")[-5:] for line in lines]

    revised = ["404720", "404710", "10", "Yes"]
    assert listed(PUB) == [
        ["R1", *revised],
        ["real-cin-by-year/2018/at_31_march", *revised],
        ["real-cin-by-area/e92000001/at_31_march", *revised],
    ]
    assert listed(CH) == [
        [CH_IN_NEED, *revised],
        ["ch-cin-by-area/e92000001/in_need", *revised],
        ["ch-vintages/children-in-need-at-31-march_2023/value", *revised],
    ]
    page = (root / "_site/report" / f"{PUB}.html").read_text(encoding="utf-8")
    assert "Revised on 18 June 2019" in page
    assert 'href="#corrections-and-revisions">corrections and revisions</a>' in page
    assert "Revised on 25 October 2018" in (root / "_site/report" / f"{CH}.html").read_text(
        encoding="utf-8"
    )
    numbers = json.loads((root / "_site/report" / f"{PUB}.numbers.json").read_text("utf-8"))
    previous = next(n for n in numbers if n["id"] == "previous/R1")
    assert (previous["value"], previous["source"]["kind"]) == ("404710", "release")
    for other in ("interim-findings", "concluding-review"):
        text = (root / "_site/report" / f"{other}.html").read_text(encoding="utf-8")
        assert "No figure was revised, and every figure was printed in that release." in text
