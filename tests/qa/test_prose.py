"""The prose lint (DESIGN.md decision 8): typed numbers and number words fail, with file and
line; the allowed categories pass; no band word is allowed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bulletin.core.formatting import bands
from bulletin.qa.prose import ALLOWED, band_phrases, lint_template, lint_templates, lint_text
from bulletin.qa.results import Result
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "prose",
    [
        "At 31 March 2018, more children were in need.",  # a date
        "In 2017-18 and in 2017/18, and in March 2018.",  # reporting and academic years
        "Pupils at key stage 2 and key stage 4, KS2, Attainment 8 and Progress 8.",
        "Level 2 by 21, grade 5 or above, grades 9-4, a section 47 enquiry.",
        "Children aged 0 to 17, NEET at 18, per 10,000 children.",
        "As published [note 1] and [note 12].",
        "Abuse or neglect (N1) and absent parenting (N9).",
    ],
)
def test_allowed_categories_pass(prose: str) -> None:
    assert lint_text(prose) == []


@pytest.mark.parametrize(
    ("prose", "found"),
    [
        ("Almost 405,000 children were in need.", ["405,000"]),
        ("The rate rose by 3%.", ["3%"]),
        ("One in ten children.", ["One", "ten"]),
        ("Half of them, a third of them and a quarter of them.", ["Half", "third", "quarter"]),
        (
            "Twice as many, double the rate, the majority of schools.",
            ["Twice", "double", "majority"],
        ),
        ("All but five hundred schools.", ["All but", "five", "hundred"]),
        ("Level 7 and section 12 and aged over 17.", ["7", "12", "17"]),
        ("Children looked after by 12 local authorities.", ["12"]),
    ],
)
def test_typed_numbers_and_number_words_fail(prose: str, found: list[str]) -> None:
    assert [f.text for f in lint_text(prose)] == found


def test_band_wording_fails_even_without_a_number_word() -> None:
    found = lint_text(
        "These pupils were about as likely to stay, and the gap widens at every stage."
    )
    assert [(f.text, f.kind) for f in found] == [
        ("about as likely", "band wording"),
        ("the gap widens at every stage", "band wording"),
    ]


def _band_words() -> list[str]:
    """Every wording of bands.toml, with each placeholder filled by a number."""
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            out.append(re.sub(r"\{[a-z]+\}", "50", node))
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(bands())
    words = [w for w in out if re.search("[a-z]", w)]
    assert len(words) >= 20  # the walk found the bands (the check is not vacuous)
    return words


@pytest.mark.parametrize("words", _band_words())
def test_the_allow_list_holds_no_band_word(words: str) -> None:
    for category, pattern in ALLOWED:
        match = re.search(pattern, words, re.IGNORECASE)
        assert match is None, (
            f"{category} pattern {pattern!r} allows {match and match.group()!r} of {words!r}"
        )
    assert lint_text(f"Children were {words}.") != [], words


def test_band_phrases_are_read_from_the_bands_file() -> None:
    phrases = band_phrases()
    assert "almost a third" in phrases
    assert "just as likely to do poorly" in phrases
    assert not any("{" in p for p in phrases)


def test_the_templates_pass() -> None:
    results = lint_templates(ROOT / "templates")
    assert [r.result for r in results] == [Result.PASS]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_typed_number_fails_with_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pub/publication.qmd.jinja",
        "## Headline facts\n\n{{ n | fmt_count }} children.\n\nAlmost 405,000 of them.\n",
    )
    [result] = lint_template(path, tmp_path)
    assert result.result is Result.FAIL
    assert (
        result.message == "pub/publication.qmd.jinja:5: '405,000' is a number typed into the prose"
    )
    assert "fmt_count" in result.guidance


def test_a_number_word_in_a_string_literal_fails(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pub/publication.qmd.jinja",
        'Line one is fine? No.\n{% set notes = {\n  "a": "About half of children."\n} %}\n',
    )
    messages = [r.message for r in lint_template(path, tmp_path)]
    assert messages == [
        "pub/publication.qmd.jinja:1: 'one' is a number typed into the prose",
        "pub/publication.qmd.jinja:3: 'half' is a number typed into the prose",
    ]


def test_a_number_literal_fails_in_a_publication_but_not_in_a_shared_macro(tmp_path: Path) -> None:
    text = "{{ (x + 404710) | fmt_count }}\n"
    publication = write(tmp_path, "pub/publication.qmd.jinja", text)
    shared = write(tmp_path, "shared/components.html.jinja", text)
    assert [r.message for r in lint_template(publication, tmp_path)] == [
        "pub/publication.qmd.jinja:1: '404710' is a number typed into a template expression"
    ]
    assert lint_template(shared, tmp_path) == []


def test_html_templates_are_checked_between_tags_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "layouts/page.html.jinja",
        '<table width="100" class="h2">\n<tr><td colspan="2">Skip to the top 3 tables</td></tr>\n</table>\n<!-- 5 -->\n',
    )
    assert [r.message for r in lint_template(path, tmp_path)] == [
        "layouts/page.html.jinja:2: '3' is a number typed into the prose"
    ]


def test_jinja_expressions_and_comments_are_not_prose(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pub/publication.qmd.jinja",
        "{# 5 notes #}At {{ cin.latest.census_date | fmt_date }} there were {{ n | fmt_count }}.\n",
    )
    assert lint_template(path, tmp_path) == []
