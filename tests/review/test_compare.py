"""The diff's parts on hand-made inputs: numbers by id, tables by cell, prose by sentence,
PDF pages by their text. Every expected change is worked out by hand in the test."""

from __future__ import annotations

from typing import Any

import pytest

from bulletin.review.align import words
from bulletin.review.numbers import compare_numbers, difference
from bulletin.review.pdf import Shift, Word, compare_pdf, without_furniture
from bulletin.review.prose import Sentence, compare_prose, sentences
from bulletin.review.tables import CellChange, compare_tables, printed_change


def entry(section: str, ident: str, n: int, value: str, text: str, sentence: str) -> dict[str, Any]:
    return {
        "id": ident,
        "occurrence": f"{section}/{ident}/{n}",
        "section": section,
        "value": value,
        "text": text,
        "unit": "count",
        "definition": "",
        "source": {"kind": "findings"},
        "sentence": sentence,
    }


def test_numbers_are_matched_by_id_and_an_inserted_occurrence_shifts_nothing() -> None:
    old = [
        entry("a", "B1", 1, "100", "100", "There were 100."),
        entry("a", "B1", 2, "100", "about 100", "About 100 in all."),
        entry("b", "R1", 1, "5", "5", "R is 5."),
        {**entry("b", "t/x/n", 1, "7", "7", "x: n: 7"), "table": "tbl-t"},
    ]
    new = [
        entry("a", "B1", 1, "100", "one hundred", "One hundred, in words."),  # inserted first
        entry("a", "B1", 2, "120", "120", "There were 120."),
        entry("a", "B1", 3, "100", "about 100", "About 100 in all."),
        entry("b", "X1", 1, "0.25", "25%", "X is 25%."),
        {**entry("b", "t/x/n", 1, "8", "8", "x: n: 8"), "table": "tbl-t"},  # a cell: the tables'
    ]
    found = [
        (c.status, c.id, c.old_text, c.new_text, c.change) for c in compare_numbers("p", old, new)
    ]
    assert found == [
        ("added", "B1", None, "one hundred", None),
        ("changed", "B1", "100", "120", "+20"),
        ("added", "X1", None, "25%", None),
        ("removed", "R1", "5", None, None),
    ]


def test_the_change_of_a_number_is_exact_and_signed() -> None:
    assert difference("0.4336", "0.4310") == "-0.0026"
    assert difference("404710", "404720") == "+10"
    assert difference("c", "12") is None
    assert printed_change("5.2%", "5.5%") == "+0.3 points"
    assert printed_change("\u22121.18", "-1.20") == "-0.02"
    assert printed_change("1,230", "c") is None


REGIONS = """area_name,level,area_code,at_31_march
England,national,E92000001,404710
North East,regional,E12000001,24270
Darlington,local authority,E06000005,900
"""


def test_a_table_is_compared_by_cell_with_rows_added_and_removed() -> None:
    new = """area_name,level,area_code,at_31_march
England,national,E92000001,404720
North East,regional,E12000001,24270
Hartlepool,local authority,E06000001,710
"""
    found = compare_tables("p", "tbl-r", REGIONS, new, {"at_31_march": "Children in need"})
    assert found is not None
    assert found.cells == (
        CellChange(
            "England", "England", "at_31_march", "Children in need", "404710", "404720", "+10"
        ),
    )
    assert (found.rows_added, found.rows_removed) == (("Hartlepool",), ("Darlington",))
    assert compare_tables("p", "tbl-r", REGIONS, REGIONS) is None


def test_rows_are_told_apart_by_as_many_leading_columns_as_it_takes() -> None:
    old = "category,characteristic,share\nNot known,gender,1.0%\nNot known,age,2.0%\n"
    new = "category,characteristic,share\nNot known,gender,1.0%\nNot known,age,2.5%\n"
    found = compare_tables("p", "tbl-c", old, new)
    assert found is not None
    assert [(c.key, c.old, c.new, c.change) for c in found.cells] == [
        ("Not known / age", "2.0%", "2.5%", "+0.5 points")
    ]


def test_a_column_added_is_reported_and_its_cells_are_not() -> None:
    found = compare_tables("p", "t", "a,b\nx,1\n", "a,b,c\nx,1,2\n")
    assert found is not None
    assert (found.cells, found.columns_added) == ((), ("c",))


PAGE = """<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>
<nav><ol><li>Section A</li></ol></nav>
<main><h2 id="a">Section A</h2>
<p>There were <data value="100" data-id="B1">100</data> children. The rate rose.</p>
<table><caption>A table</caption><tbody><tr><th scope="row">x</th><td>5</td></tr></tbody></table>
<p>Last words.</p></main></body></html>"""


def test_sentences_hide_their_numbers_behind_ids_and_leave_cells_and_contents_out() -> None:
    assert sentences(PAGE) == [
        Sentence("a", "Section A", "Section A"),
        Sentence("a", "There were 100 children.", "There were \u27e8B1\u27e9 children."),
        Sentence("a", "The rate rose.", "The rate rose."),
        Sentence("a", "A table", "A table"),
        Sentence("a", "Last words.", "Last words."),
    ]


def test_a_sentence_whose_only_change_is_a_number_is_not_prose() -> None:
    new = PAGE.replace('value="100" data-id="B1">100', 'value="120" data-id="B1">120')
    assert compare_prose("p", PAGE, new) == []


def test_a_changed_sentence_is_reported_once_with_its_words() -> None:
    new = PAGE.replace("The rate rose.", "The rate fell.").replace(
        "<p>Last words.</p>", "<p>A new paragraph.</p><p>Last words.</p>"
    )
    found = compare_prose("p", PAGE, new)
    assert [(c.status, c.old, c.new) for c in found] == [
        ("changed", "The rate rose.", "The rate fell."),
        ("added", None, "A new paragraph."),
    ]
    assert found[0].words == (("equal", "The rate"), ("delete", "rose."), ("insert", "fell."))


def test_word_differences() -> None:
    assert words("a b c", "a x c d") == [
        ("equal", "a"),
        ("delete", "b"),
        ("insert", "x"),
        ("equal", "c"),
        ("insert", "d"),
    ]


def pages(*texts: str) -> list[list[list[Word]]]:
    """A document: one line of words per page (boxes at 0, as the comparison needs none)."""
    return [[[Word(w) for w in text.split()]] for text in texts]


def test_a_reflow_is_one_changed_page_and_one_shift() -> None:
    """Word b of page 1 becomes two words: page 1 changed; every later word moves on by
    one, so pages 2 and 3 (old pages 1 to 3) hold the same words with their breaks moved."""
    old = pages("a b c", "d e f", "g h")
    new = pages("a b1 b2", "c d e", "f g h")
    found = compare_pdf("p", old, new)
    assert found is not None
    assert [(c.old_pages, c.new_pages, c.removed, c.added) for c in found.changes] == [
        ((1,), (1,), ("b",), ("b1 b2",))
    ]
    assert found.shifts == (Shift(1, 3, 2, 3),)
    assert (found.old_count, found.new_count) == (3, 3)


def test_a_change_absorbed_by_its_page_shifts_nothing() -> None:
    old = pages("a b", "c d")
    new = pages("a b more", "c d")
    found = compare_pdf("p", old, new)
    assert found is not None
    assert [(c.new_pages, c.removed, c.added) for c in found.changes] == [((1,), (), ("more",))]
    assert found.shifts == ()
    assert compare_pdf("p", old, old) is None


def test_words_that_only_moved_to_another_page_are_a_shift_not_a_change() -> None:
    """c moves from page 1 to page 2: both pages' breaks moved (new 1 and 2 hold old 1
    and 2's words), no word changed."""
    found = compare_pdf("p", pages("a b c", "d e"), pages("a b", "c d e"))
    assert found is not None
    assert found.changes == ()
    assert found.shifts == (Shift(1, 2, 1, 2),)


def line(text: str, top: float = 0.0) -> list[Word]:
    return [Word(w, (0.0, top, 0.0, top + 10)) for w in text.split()]


def texts(document: list[list[Word]]) -> list[str]:
    return [" ".join(w.text for w in page) for page in document]


def test_footers_are_left_out_at_their_height_even_where_they_differ() -> None:
    """The footer (title and "N of 3", at 800 points) is on every page; the first page's
    "1 of 3" stands alone at the same height."""
    old = [
        [line("Title page", 50), line("1 of 3", 800)],
        [line("Text", 50), line("Doc title 2 of 3", 800)],
        [line("More", 50), line("Doc title 3 of 3", 800)],
    ]
    [found] = without_furniture(old)
    assert texts(found) == ["Title page", "Text", "More"]


def test_a_table_header_repeated_at_the_top_of_a_page_is_left_out_of_both_versions() -> None:
    """The header stands at the top of page 2 in the new version only: it is left out of
    both, wherever it stands, so that the two read alike."""

    def page(*texts: str) -> list[list[Word]]:
        return [line(text, 50.0 + 20 * k) for k, text in enumerate(texts)]

    old = [page("Intro", "Area Count", "England 5", "Wales 3"), page("Text")]
    new = [page("Intro more", "Area Count", "England 5"), page("Area Count", "Wales 3", "Text")]
    found_old, found_new = without_furniture(old, new)
    assert texts(found_old) == ["Intro England 5 Wales 3", "Text"]
    assert texts(found_new) == ["Intro more England 5", "Wales 3 Text"]


@pytest.mark.parametrize("label", ["Doc title", "1 of 3"])
def test_a_line_on_fewer_than_half_the_pages_is_kept(label: str) -> None:
    [found] = without_furniture([[line(label)], [line("x")], [line("y")], [line("z")]])
    assert found[0] == [Word(w, (0.0, 0.0, 0.0, 10.0)) for w in label.split()]
