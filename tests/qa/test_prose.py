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
        "Checked against WCAG 2.2 and PDF/UA-1; it fails WCAG success criterion 1.3.1.",
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
        result.message == "pub/publication.qmd.jinja:5:8: '405,000' is a number typed into the "
        "prose, in 'Almost 405,000 of them.'"
    )
    assert "fmt_count" in result.guidance
    # the line quoted under its number, a caret under the number's first character
    assert result.quote == "    5 | Almost 405,000 of them.\n      |        ^"
    assert str(result).splitlines()[1:3] == result.quote.splitlines()


def test_a_number_word_in_a_string_literal_fails(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pub/publication.qmd.jinja",
        'Line one is fine? No.\n{% set notes = {\n  "a": "About half of children."\n} %}\n',
    )
    messages = [r.message for r in lint_template(path, tmp_path)]
    assert messages == [
        "pub/publication.qmd.jinja:1:6: 'one' is a number typed into the prose, "
        "in 'Line one is fine?'",
        "pub/publication.qmd.jinja:3:15: 'half' is a number typed into the prose, "
        "in 'About half of children.'",
    ]


def test_a_key_in_a_string_literal_is_not_prose_but_a_number_is(tmp_path: Path) -> None:
    """A table's id and a column's name are keys; a literal that reads as words is prose."""
    path = write(
        tmp_path,
        "pub/publication.qmd.jinja",
        '{% set top = largest(m, "tbl-progress8-la-201718", "progress8") %}'
        '{{ cell(m, "tbl-x", "grade5_share", group="top 5") }}\n',
    )
    assert [r.message for r in lint_template(path, tmp_path)] == [
        "pub/publication.qmd.jinja:1:114: '5' is a number typed into the prose, in 'top 5'"
    ]


def test_a_number_literal_fails_in_a_publication_but_not_in_a_shared_macro(tmp_path: Path) -> None:
    text = "{{ (x + 404710) | fmt_count }}\n"
    publication = write(tmp_path, "pub/publication.qmd.jinja", text)
    shared = write(tmp_path, "shared/components.html.jinja", text)
    assert [r.message for r in lint_template(publication, tmp_path)] == [
        "pub/publication.qmd.jinja:1:9: '404710' is a number typed into a template expression"
    ]
    assert lint_template(shared, tmp_path) == []


def test_html_templates_are_checked_between_tags_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "layouts/page.html.jinja",
        '<table width="100" class="h2">\n<tr><td colspan="2">Skip to the top 3 tables</td></tr>\n</table>\n<!-- 5 -->\n',
    )
    assert [r.message for r in lint_template(path, tmp_path)] == [
        "layouts/page.html.jinja:2:37: '3' is a number typed into the prose, "
        "in 'Skip to the top 3 tables'"
    ]


def test_jinja_expressions_and_comments_are_not_prose(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "pub/publication.qmd.jinja",
        "{# 5 notes #}At {{ cin.latest.census_date | fmt_date }} there were {{ n | fmt_count }}.\n",
    )
    assert lint_template(path, tmp_path) == []


# -- sentences of more than 25 words -------------------------------------------------------

# 25 words, counted by hand: Children(1) in need are children who need help from social
# care services to be safe, to stay healthy or to reach their potential in(24) life(25).
TWENTY_FIVE = (
    "Children in need are children who need help from social care services to be safe, "
    "to stay healthy or to reach their potential in life."
)
TWENTY_SIX = TWENTY_FIVE.replace("their potential", "their full potential")


def messages(path: Path, root: Path) -> list[str]:
    return [r.message for r in lint_template(path, root)]


def test_a_sentence_of_more_than_25_words_fails_with_its_place_and_quote(tmp_path: Path) -> None:
    path = write(
        tmp_path, "pub/publication.qmd.jinja", f"## Heading\n\n{TWENTY_FIVE}\n\n{TWENTY_SIX}\n"
    )
    assert messages(path, tmp_path) == [
        "pub/publication.qmd.jinja:5:1: a sentence of 26 words, more than 25: "
        "'Children in need are children who need help from social care services to be s...'"
    ]
    [result] = lint_template(path, tmp_path)
    assert "25 words or fewer" in result.guidance


# 21 typed words and 4 expressions over three lines of one paragraph: 25 words
EXPRESSIONS = (
    "At {{ census_date(year) | fmt_date }}, {{ n | fmt_count }} children in England\n"
    "were in need, {{ rate | fmt_rate_1dp }} for each group of children aged 0 to 17\n"
    "in the country {{ note_marker(notes, 'rates') }} that year.\n"
)


@pytest.mark.parametrize(
    ("text", "words", "quote"),
    [
        (EXPRESSIONS, 25, ""),  # an expression is one word; a sentence runs over lines
        (
            EXPRESSIONS.replace("that year", "that same year"),
            26,
            "At {{ census_date(year) | fmt_date }}, {{ n | fmt_count }} children in Englan...",
        ),
        (  # e.g. and i.e. do not end a sentence: 12 + 1 + 4 + 1 + 9 = 27 words
            "Children in need are children who need help from social care services, e.g. to "
            "be safe, i.e. to stay healthy or to reach their potential in life.\n",
            27,
            "Children in need are children who need help from social care services, e.g. t...",
        ),
        (  # 23 words outside the if: 25 with its longer branch, 26 with both (all count)
            "The number of children in need {% if up %}rose sharply{% else %}fell{% endif %} "
            "between those years, in every region of England and in most of the local "
            "authorities as well.\n",
            26,
            "The number of children in need {% if up %}rose sharply{% else %}fell{% endif ...",
        ),
    ],
)
def test_what_counts_as_a_word_and_in_a_sentence(
    tmp_path: Path, text: str, words: int, quote: str
) -> None:
    path = write(tmp_path, "pub/publication.qmd.jinja", text)
    expected = f"pub/publication.qmd.jinja:1:1: a sentence of {words} words, more than 25: "
    assert messages(path, tmp_path) == ([f"{expected}{quote!r}"] if words > 25 else [])


def test_what_ends_a_sentence(tmp_path: Path) -> None:
    """Each piece below is 13 words or more, so any two read as one sentence would fail."""
    unit = "Children in need are children who need help from social care services today"  # 13
    text = (
        f"{unit}. {unit}! {unit}? {unit} (to be safe.) {unit}\n\n"  # 13, 13, 13, 17, 13
        f"- {unit} to stay healthy or to reach their potential\n"  # a list item: 21
        f"- {unit} to stay healthy\n\n"  # 16
        f"| {unit} | {unit} |\n\n"  # table cells: 13 and 13
        f"# {TWENTY_SIX} {TWENTY_SIX}\n"  # a heading is not a sentence
        f"{unit}, for example in a family home\n"  # after a heading line: 18
    )
    path = write(tmp_path, "pub/publication.qmd.jinja", text)
    assert messages(path, tmp_path) == []
    joined = write(tmp_path, "pub/joined.qmd.jinja", text.replace(f"{unit}! ", f"{unit}, "))
    assert [m.split(": ")[1] for m in messages(joined, tmp_path)] == [
        "a sentence of 26 words, more than 25"
    ]


def test_a_call_block_body_is_a_sentence_of_its_own(tmp_path: Path) -> None:
    # a call block's body (a caption) is a sentence of its own: 12 + 12, not 24 + 3
    half = "Children in need are children who need help from social care services"
    call = f"{half} and\n{{% call c.table(t) -%}}\n{half}\n{{%- endcall %}}\nin England.\n"
    path = write(tmp_path, "pub/call.qmd.jinja", call + call)
    assert messages(path, tmp_path) == []


def test_string_literals_are_sentences_and_a_concatenation_reads_as_one(tmp_path: Path) -> None:
    text = (
        "{% set notes = {\n"
        f'  "long": "{TWENTY_SIX}",\n'
        '  "joined": "Counts were rounded by the Department for Education to the nearest " ~ '
        '(base | fmt_count) ~ " and suppressed when a child could be identified, as its '
        'statistics always have been." ,\n'
        '  "short": "Rates are per 10,000 children."\n'
        "} -%}\n"
    )
    path = write(tmp_path, "pub/publication.qmd.jinja", text)
    # the joined note: 11 typed words, the expression, 14 typed words: 26, at its first literal
    assert messages(path, tmp_path) == [
        "pub/publication.qmd.jinja:2:12: a sentence of 26 words, more than 25: "
        "'Children in need are children who need help from social care services to be s...'",
        "pub/publication.qmd.jinja:3:14: a sentence of 26 words, more than 25: "
        "'Counts were rounded by the Department for Education to the nearest \" ~ (base ...'",
    ]


def test_in_html_templates_tags_make_the_blocks(tmp_path: Path) -> None:
    text = (
        f"<h2>{TWENTY_SIX}</h2>\n"  # a heading: not a sentence
        f"<ul><li>{TWENTY_FIVE[:-1]}</li><li>{TWENTY_FIVE}</li></ul>\n"  # two sentences
        f"<table><caption>{TWENTY_FIVE}</caption><tr><th>{TWENTY_FIVE}</th></tr></table>\n"
        f"<p>{TWENTY_FIVE.replace('need help', '<strong>need</strong> help')}</p>\n"  # inline
        f"<p>{TWENTY_SIX.replace('safe', 'safe&nbsp;and well&rsquo;s')}</p>\n"
    )
    path = write(tmp_path, "shared/page.html.jinja", text)
    # the last: 26 + "and" + "well's" = 28 words ("well's" is one, &nbsp; a space)
    assert messages(path, tmp_path) == [
        "shared/page.html.jinja:5:4: a sentence of 28 words, more than 25: "
        "'Children in need are children who need help from social care services to be s...'"
    ]


def test_front_matter_is_not_a_sentence(tmp_path: Path) -> None:
    title = " ".join(["Children"] * 30)
    text = f'{{# a comment #}}\n---\ntitle: "{title}"\n---\n\n{TWENTY_FIVE}\n'
    path = write(tmp_path, "pub/publication.qmd.jinja", text)
    assert messages(path, tmp_path) == []


# -- link text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    [
        "[click here](data.csv)",
        "[Here](data.csv)",
        "[Read more.](methodology.html)",
        "[more](methodology.html)",
        "[this link](methodology.html)",
        "[Click to download the data](data.csv)",
        '<a href="data.csv">Click here</a>',
        '<a href="data.csv"><strong>More</strong></a>',
        '<a class="x" href="{{ url }}">\n  this   link\n</a>',
    ],
)
def test_link_text_that_does_not_say_where_it_goes_fails(tmp_path: Path, link: str) -> None:
    path = write(tmp_path, "pub/publication.qmd.jinja", f"Paragraph.\n\nFor the data, {link}.\n")
    [message] = messages(path, tmp_path)
    assert message.startswith("pub/publication.qmd.jinja:3:")
    assert "does not say where the link goes, in 'For the data, " in message


def test_the_link_rule_gives_the_column_and_quotes_the_link(tmp_path: Path) -> None:
    text = 'Read the notes.\nThe data is <a href="data.csv">here</a> as a file.\n'
    path = write(tmp_path, "shared/page.html.jinja", text)
    assert messages(path, tmp_path) == [
        "shared/page.html.jinja:2:32: the link text 'here' does not say where the link goes, "
        "in 'The data is <a href=\"data.csv\">here</a> as a file.'"
    ]


@pytest.mark.parametrize(
    "link",
    [
        "[Download this table as a CSV file](data.csv)",
        "[more about the methodology](methodology.html)",
        "[{{ publication.title }}](report.html)",  # an expression: not checked here
        '<a href="{{ pdf }}">{{ title }}, PDF</a>',
        "![here](chart.svg)",  # an image, not a link
    ],
)
def test_link_text_that_says_where_it_goes_passes(tmp_path: Path, link: str) -> None:
    path = write(tmp_path, "pub/publication.qmd.jinja", f"For the data, {link}.\n")
    assert messages(path, tmp_path) == []


def test_a_template_with_windows_line_endings_is_read_the_same(tmp_path: Path) -> None:
    text = f"## Heading\n\n{{{{ n | fmt_count }}}} children.\n\n{TWENTY_SIX}\n"
    path = tmp_path / "pub" / "publication.qmd.jinja"
    path.parent.mkdir()
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    assert messages(path, tmp_path) == [
        "pub/publication.qmd.jinja:5:1: a sentence of 26 words, more than 25: "
        "'Children in need are children who need help from social care services to be s...'"
    ]
