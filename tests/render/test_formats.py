"""The accessible formats' writers on a small publication made by hand: what each says,
worked out by hand, and the real programs (liblouis, espeak-ng, opusenc) run on it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bulletin.render.formats import FORMATS, Job, audio, braille, text
from bulletin.render.formats.document import (
    Document,
    Figure,
    Heading,
    Paragraph,
    Row,
    Table,
    read_document,
)

TABLE = Table(
    "tbl-ages",
    "Children in need, by age",
    ("Age", "2017", "2018"),
    (Row("Under 1", ("1,230", "c")), Row("1 to 4", ("4,560", "4,570"))),
    page=2,
)
DOC = Document(
    id="tiny",
    title="A tiny review",
    lang="en-GB",
    author="Department for Education",
    description="Children in need review",
    date="2019-06-18",
    release_type="Research report",
    synthetic=False,
    blocks=(
        Heading(1, "A tiny review", "", 1),
        Paragraph("Published 18 June 2019.", "metadata", 1),
        Heading(2, "Main findings", "main", 1),
        Paragraph("Around 1.6 million children needed a social worker in 2017-18.", "p", 1),
        Paragraph("Most were CIN.", "li", 1),
        TABLE,
    ),
    pages=2,
)


def test_every_format_has_a_writer_with_the_suffix_of_its_file() -> None:
    for name, made in FORMATS.items():
        module = made.writer()
        assert made.file_name("tiny") == f"tiny{module.SUFFIX}", name
        assert callable(module.write), name


def test_the_plain_text_marks_headings_and_reads_each_cell_as_its_sentence() -> None:
    written = text.text(DOC)
    lines = written.splitlines()
    assert lines[0] == "# A tiny review"
    assert "## Main findings" in lines
    assert "- Most were CIN." in lines
    # the table, row by row: row header, column header, value (worked out by hand)
    cells = [
        "Under 1: 2017: 1,230",
        "Under 1: 2018: c",
        "1 to 4: 2017: 4,560",
        "1 to 4: 2018: 4,570",
    ]
    at = [lines.index(cell) for cell in cells]
    assert at == sorted(at)
    assert "Table: Children in need, by age" in lines
    assert "2 rows (Age); columns: 2017; 2018." in lines
    assert written.endswith("\n")
    assert not written.endswith("\n\n")
    assert "\n\n\n" not in written


def test_the_contents_and_how_to_read_come_after_the_title() -> None:
    lines = text.text(DOC).splitlines()
    note = next(i for i, line in enumerate(lines) if line.startswith("This is the plain text"))
    assert lines.index("# A tiny review") < note < lines.index("Contents:")
    assert "The tagged PDF of the publication has 2 pages." in lines[note]
    after = [line for line in lines[lines.index("Contents:") + 1 :] if line]
    assert after[0] == "- Main findings"


@pytest.mark.parametrize(
    ("printed", "said"),
    [
        ("in 2017-18 and 2016/17", "in 2017 18 and 2016 17"),
        ("on 18 June 2019", "on 18th June 2019"),
        ("on 1 May and 22 March and 13 July", "on 1st May and 22nd March and 13th July"),
        ("CIN and CLA", "C I N and C L A"),
        ("KS2 pupils", "K S 2 pupils"),
        ("NEET at 18", "NEET at 18"),
        ("CIN > CPP", "C I N then C P P"),
        ("341.0 per 10,000 [note 3]", "341.0 per 10,000 note 3"),
    ],
)
def test_what_the_speech_engine_is_given(printed: str, said: str) -> None:
    assert audio.spoken(printed) == said


def test_a_short_table_is_read_row_by_row_with_its_headers() -> None:
    said = audio.table_said(TABLE, DOC).splitlines()
    assert said == [
        "Table: Children in need, by age.",
        "It has 2 rows, by Age, and these columns: 2017; 2018.",
        "Under 1. 2017: 1,230. 2018: confidential: suppressed to protect individuals.",
        "1 to 4. 2017: 4,560. 2018: 4,570.",
        "End of table.",
    ]


def test_a_table_of_more_than_20_rows_is_summarised_and_says_where_it_is() -> None:
    rows = tuple(Row(f"Area {n}", (str(n),)) for n in range(1, 22))
    long = Table("tbl-long", "Rates by area", ("Area", "Rate"), rows, page=7)
    said = audio.table_said(long, DOC)
    assert "It has 21 rows" in said
    assert "every row is in the text version" in said
    assert "on page 7 of the P D F" in said  # an abbreviation is spelt out
    assert "Area 1. Rate: 1." in said  # its first row only
    assert "Area 2." not in said
    assert "Area 21." not in said
    twenty = Table("tbl-20", "Rates by area", ("Area", "Rate"), rows[:20])
    assert "Area 20. Rate: 20." in audio.table_said(twenty, DOC)


def test_the_recording_has_a_chapter_for_the_title_and_each_section() -> None:
    chapters = audio.script(DOC)
    assert [c.title for c in chapters] == ["A tiny review", "Main findings"]
    assert "This is the audio version of A tiny review" in chapters[0].text
    assert "Around 1.6 million children needed a social worker in 2017 18." in chapters[1].text


def test_chapter_times() -> None:
    assert audio.timestamp(0) == "00:00:00.000"
    assert audio.timestamp(3723.5) == "01:02:03.500"
    assert audio.timestamp(59.9996) == "00:01:00.000"


def test_speech_and_its_encoding_are_byte_identical_run_to_run(tmp_path: Path) -> None:
    chapter = audio.Chapter("Main findings", "Around 1.6 million children.\n\n341.0 per 10,000.")
    made = []
    for run in ("one", "two"):
        folder = tmp_path / run
        folder.mkdir()
        audio.speak(chapter, folder / "a.wav")
        audio.speak(audio.Chapter("Next", "Done."), folder / "b.wav")
        starts = audio.join([folder / "a.wav", folder / "b.wav"], folder / "whole.wav")
        audio.encode(
            DOC,
            [chapter, audio.Chapter("Next", "Done.")],
            folder / "whole.wav",
            starts,
            folder / "out.opus",
        )
        made.append(((folder / "a.wav").read_bytes(), (folder / "out.opus").read_bytes(), starts))
    assert made[0] == made[1]
    assert made[0][2][0] == 0
    assert made[0][2][1] > 1
    info = subprocess.run(
        ["opusinfo", str(tmp_path / "one/out.opus")], capture_output=True, text=True, check=True
    ).stdout
    assert "CHAPTER001NAME=Main findings" in info
    assert "CHAPTER002NAME=Next" in info
    # the fixed serial, which opusinfo prints in hexadecimal (opusenc would pick one at random)
    assert f"serial: {audio.serial(DOC):08x}" in info


def test_braille_source_and_its_back_translation(tmp_path: Path) -> None:
    from bulletin.qa.formats import back_translate, brf_pages

    source = braille.xml(DOC)
    assert "<h1>A tiny review</h1>" in source
    assert "<li>Under 1: 2018: c</li>" in source
    brf = braille.brf(source, tmp_path).decode("ascii")
    pages = brf_pages(brf)
    assert all(len(line) <= 40 for page in pages for line in page)
    assert all(len(page) == 25 for page in pages[:-1])
    back = back_translate([line.strip() for page in pages for line in page if line.strip()])
    # liblouis gives capitals back only where braille marks them; compare in small letters
    assert "around 1.6 million children needed a social worker in 2017-18." in back.lower()
    assert "under 1: 2017: 1,230" in back.lower()


PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta name="author" content="DfE">
<meta name="description" content="Review"><meta name="dcterms.created" content="2019-06-18T00:00:00+00:00">
</head><body><main>
<p class="caption">Research report</p><h1>Title here</h1>
<div class="banner"><p class="banner-title">Built from synthetic data</p></div>
<p class="download"><a href="x.pdf">Download</a></p>
<h2 id="one">First   section</h2><p>Some <strong>text</strong>.</p>
<ul><li>An item</li></ul>
<figure id="fig-a"><img src="f.svg" alt="A chart of two bars."><figcaption>Bars differ</figcaption></figure>
<div class="table-block" id="tbl-a"><table><caption>Counts</caption>
<thead><tr><th scope="col">Year</th><th scope="col">Count</th></tr></thead>
<tbody><tr class="national"><th scope="row">2018</th><td>10</td></tr></tbody></table></div>
</main></body></html>"""


def test_the_reading_model_reads_the_print_page(tmp_path: Path) -> None:
    (tmp_path / "fig-a.description.txt").write_text("Bar one is 10.\nBar two is 20.\n", "utf-8")
    doc = read_document("x", PAGE, tmp_path, {}, 3)
    assert (doc.title, doc.lang, doc.author, doc.date) == (
        "Title here",
        "en-GB",
        "DfE",
        "2019-06-18",
    )
    assert doc.release_type == "Research report"
    assert doc.synthetic
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == [
        "Paragraph",
        "Heading",
        "Paragraph",
        "Heading",
        "Paragraph",
        "Paragraph",
        "Figure",
        "Table",
    ]
    assert doc.blocks[2] == Paragraph("Built from synthetic data", "banner-title")
    assert doc.blocks[3] == Heading(2, "First section", "one")
    assert Paragraph("An item", "li") in doc.blocks
    assert doc.blocks[6] == Figure(
        "fig-a", "Bars differ", "A chart of two bars.", "Bar one is 10. Bar two is 20."
    )
    table = doc.blocks[7]
    assert isinstance(table, Table)
    assert (table.id, table.headers, table.rows) == (
        "tbl-a",
        ("Year", "Count"),
        (Row("2018", ("10",), "national"),),
    )
    assert list(table.sentences()) == ["2018: Count: 10"]
    assert "x.pdf" not in str(doc.blocks)  # a link to a file of the site is left out


def test_a_job_writes_into_its_folder(tmp_path: Path) -> None:
    job = Job(DOC, tmp_path, tmp_path / "work", tmp_path)
    (tmp_path / "work").mkdir()
    path = text.write(job)
    assert path == tmp_path / "tiny.txt"
    assert path.read_text("utf-8") == text.text(DOC)
