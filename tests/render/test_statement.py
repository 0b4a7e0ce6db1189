"""The accessibility statement: GOV.UK's model structure, dated from the settings, with the
contact addresses of the facts file."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bulletin.core.problems import InputError
from bulletin.core.settings import Publication
from bulletin.data.facts import Fact
from bulletin.render.project import Project
from bulletin.render.publication import render_statement
from tests.conftest import ROOT

PROJECT = Project("A test site", "en-GB", "Department of Tests", "_site", ())
FACTS = {
    name: Fact(name, value, "s", "src", "page")
    for name, value in (
        ("accessible_formats_email", "formats@example.org"),
        ("statistics_contact_email", "team@example.org"),
    )
}
EARLY = Publication("early", "Early", dt.date(2018, 12, 10))
LATE = Publication("late", "Late", dt.date(2019, 6, 18))


class Outline(HTMLParser):
    """The headings (level, text) and links (href, text) of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[tuple[int, str]] = []
        self.links: list[tuple[str, str]] = []
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if re.fullmatch(r"h[1-6]|a", tag):
            self._open, self._text = (tag, dict(attrs).get("href") or ""), []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            text = " ".join("".join(self._text).split())
            if tag == "a":
                self.links.append((self._open[1], text))
            else:
                self.headings.append((int(tag[1]), text))
            self._open = None


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_the_statement_follows_the_model_statement() -> None:
    page = outline(render_statement(ROOT / "templates", [LATE], PROJECT, FACTS))
    # GOV.UK's model accessibility statement, section by section, in its order
    assert page.headings == [
        (1, "Accessibility statement for A test site"),
        (2, "How accessible this website is"),
        (2, "Feedback and contact information"),
        (2, "Reporting accessibility problems with this website"),
        (2, "Enforcement procedure"),
        (2, "Technical information about this website's accessibility"),
        (3, "Compliance status"),
        (3, "Non-accessible content"),
        (3, "What meets the standard, and how we check it"),
        (3, "Disproportionate burden"),
        (2, "Preparation of this accessibility statement"),
    ]


def test_the_statement_says_how_to_ask_and_complain_from_the_facts() -> None:
    html = render_statement(ROOT / "templates", [LATE], PROJECT, FACTS)
    links = dict(outline(html).links)
    assert links["mailto:formats@example.org"] == "formats@example.org"
    assert links["mailto:team@example.org"] == "team@example.org"
    assert "https://www.equalityadvisoryservice.com/" in links  # EHRC's advisory service
    assert "https://www.equalityni.org/Home" in links  # ECNI, for Northern Ireland
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for format_name in ("large print", "Word", "OpenDocument", "EPUB", "plain text", "braille"):
        assert format_name in text
    assert "an audio recording" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Commission for Northern Ireland (ECNI)" in text
    assert "partially compliant" in text
    assert "This website is run by the Department of Tests." in text


@pytest.mark.parametrize(
    ("publications", "date"),
    [([LATE], "18 June 2019"), ([EARLY], "10 December 2018"), ([EARLY, LATE], "18 June 2019")],
)
def test_the_statement_is_dated_by_the_latest_publication_in_the_settings(
    publications: list[Publication], date: str
) -> None:
    html = render_statement(ROOT / "templates", publications, PROJECT, FACTS)
    assert f"This statement was prepared on {date}." in html


def test_a_fact_the_statement_needs_is_missing(tmp_path: Path) -> None:
    facts = {k: v for k, v in FACTS.items() if k != "statistics_contact_email"}
    with pytest.raises(InputError, match=r"layouts/accessibility\.html\.jinja"):
        render_statement(ROOT / "templates", [LATE], PROJECT, facts)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "layouts" / "accessibility.html.jinja").unlink()
    with pytest.raises(InputError, match=r"accessibility\.html\.jinja"):
        render_statement(templates, [LATE], PROJECT, FACTS)
