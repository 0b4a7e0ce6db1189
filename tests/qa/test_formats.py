"""The checks of the accessible formats catch what they are there to catch: each is run on
a file known to be good and on one with the fault put in by hand."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bulletin.qa.formats import (
    braille_page_number,
    check_audio,
    check_braille,
    check_docx,
    check_text,
    font_sizes,
    missing_sentences,
)
from bulletin.qa.results import CheckResult, Result
from bulletin.render.formats import Job, docx, text
from tests.render.test_formats import DOC

ENTRIES = [
    {"sentence": "Under 1: 2017: 1,230", "text": "1,230", "table": "tbl-ages"},
    {"sentence": "1 to 4: 2018: 4,570", "text": "4,570", "table": "tbl-ages"},
]


def _results(results: Sequence[CheckResult]) -> list[Result]:
    return [r.result for r in results]


def test_missing_sentences_follow_the_manifests_order() -> None:
    entries = [{"sentence": "a 1."}, {"sentence": "b 2."}, {"sentence": "a 1."}]
    assert missing_sentences("a 1. b 2. a 1.", entries) == []
    # two entries of one sentence (two numbers printed in it) are found in the one place
    assert missing_sentences("a 1.", [entries[0], entries[0]]) == []
    assert missing_sentences("b 2. a 1.", entries[:2]) == [{"sentence": "b 2."}]
    assert missing_sentences("a 1.", entries) == [{"sentence": "b 2."}]
    # a bare list of numbers does not count
    assert missing_sentences("1 2 1", entries) == entries


def test_the_text_check_finds_every_cell_sentence_and_misses_a_changed_number(
    tmp_path: Path,
) -> None:
    path = text.write(Job(DOC, tmp_path, tmp_path, tmp_path))
    assert set(_results(check_text(path, DOC, ENTRIES))) == {Result.PASS}
    path.write_text(path.read_text("utf-8").replace("4,570", "4,571"), "utf-8")
    failed = [r for r in check_text(path, DOC, ENTRIES) if r.result is Result.FAIL]
    assert len(failed) == 1
    assert "1 of 2 numbers" in failed[0].message
    assert "1 to 4: 2018: 4,570" in failed[0].message


def _rezip(path: Path, member: str, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert old in members[member].decode("utf-8")
    members[member] = members[member].decode("utf-8").replace(old, new).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def test_the_word_check_reads_headings_and_header_rows_back(tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    path = docx.write(Job(DOC, tmp_path, tmp_path / "work", tmp_path))
    results = check_docx(path, DOC, ENTRIES)
    assert set(_results(results)) == {Result.PASS}, [str(r) for r in results]
    assert "1 heading styles, 1 tables" in results[0].message
    _rezip(path, "word/document.xml", "<w:tblHeader", "<w:cantSplit")
    failed = [r for r in check_docx(path, DOC, ENTRIES) if r.result is Result.FAIL]
    assert [r.message for r in failed] == [
        "tiny.docx: table 'Children in need, by age' lacks its header row or row headers"
    ]


def test_the_smallest_font_size_is_read_from_the_pdf(tmp_path: Path) -> None:
    from weasyprint import HTML

    page = (
        "<html lang='en'><body><p style='font-size: 20pt'>Large</p>"
        "<p style='font-size: 9pt'>small print</p>"
        "<div style='transform: scale(2)'><p style='font-size: 10pt'>doubled</p></div></body></html>"
    )
    path = tmp_path / "sizes.pdf"
    path.write_bytes(HTML(string=page).write_pdf())
    sizes = font_sizes(path)
    assert sorted(sizes) == [9.0, 20.0]  # 10 pt scaled by 2 is 20 pt, as the eye sees it
    assert sizes[9.0] == 1


def _brf(pages: list[list[str]]) -> bytes:
    return "".join("\r\n".join(lines) + "\r\n\f" for lines in pages).encode("ascii")


def test_braille_pages_are_checked_for_size_and_numbers(tmp_path: Path) -> None:
    assert braille_page_number(12) == "#AB"
    assert braille_page_number(40) == "#DJ"
    body = [",A TINY REVIEW"] + [""] * 23
    good = [[*body, " " * 36 + "#A"], [",END", " " * 37 + "#B"]]
    path = tmp_path / "x.brf"
    path.write_bytes(_brf(good))
    results = check_braille(path, [{"sentence": "A tiny review"}])
    assert _results(results) == [Result.PASS, Result.PASS], [str(r) for r in results]
    bad = [[*body, "", " " * 36 + "#A"], ["X" * 41, " " * 36 + "#C"]]
    path.write_bytes(_brf(bad))
    messages = [r.message for r in check_braille(path, []) if r.result is Result.FAIL]
    assert messages == [
        "x.brf: page 1 has 26 lines, not 25",
        "x.brf: page 2 has a line of 41 cells: '" + "X" * 41 + "'",
        "x.brf: page 2 does not end with its page number #B",
    ]


def test_the_audio_check_reads_length_and_chapters(tmp_path: Path) -> None:
    from bulletin.render.formats import audio

    chapters = [audio.Chapter("One", "First part."), audio.Chapter("Two", "Second part.")]
    for n, chapter in enumerate(chapters):
        audio.speak(chapter, tmp_path / f"{n}.wav")
    starts = audio.join([tmp_path / "0.wav", tmp_path / "1.wav"], tmp_path / "whole.wav")
    audio.encode(DOC, chapters, tmp_path / "whole.wav", starts, tmp_path / "x.opus")
    import wave

    with wave.open(str(tmp_path / "whole.wav")) as speech:
        seconds = speech.getnframes() / speech.getframerate()
    assert seconds > 1
    good = check_audio(tmp_path / "x.opus", ["One", "Two"], seconds)
    assert _results(good) == [Result.PASS], [str(r) for r in good]
    wrong = check_audio(tmp_path / "x.opus", ["One", "Three"], seconds + 1)
    assert len([r for r in wrong if r.result is Result.FAIL]) == 2


def test_the_speech_holds_every_number_in_its_sentence_or_row() -> None:
    from bulletin.qa.formats import audio_manifest
    from bulletin.render.formats.document import Row, Table

    sentence = "Around 1.6 million children needed a social worker in 2017-18."
    cell = {"table": "tbl-ages", "row": "1 to 4", "column": "2018", "text": "4,570"}
    entries = [
        {"sentence": sentence, "text": "1.6 million"},
        dict(cell, sentence="1 to 4: 2018: 4,570"),
    ]
    assert audio_manifest("x", DOC, entries).result is Result.PASS
    wrong = [entries[0], dict(entries[1], column="2017")]  # 4,570 is not under 2017
    assert audio_manifest("x", DOC, wrong).result is Result.FAIL
    changed = [{"sentence": sentence.replace("1.6", "1.7"), "text": "1.7 million"}]
    assert audio_manifest("x", DOC, changed).result is Result.FAIL
    # a cell of a table of more than 20 rows is exempt: the speech summarises that table
    rows = tuple(Row(f"Area {n}", (str(n),)) for n in range(1, 22))
    long = Table("tbl-long", "Rates", ("Area", "Rate"), rows)
    doc = replace(DOC, blocks=(*DOC.blocks, long))
    far = {"table": "tbl-long", "row": "Area 21", "column": "Rate", "text": "21"}
    result = audio_manifest("x", doc, [dict(far, sentence="Area 21: Rate: 21")])
    assert result.result is Result.PASS
    assert "1 cells of long tables" in result.message
