"""Our Markdown renderer: raw blocks pass through, heading ids follow pandoc's rule."""

from __future__ import annotations

import pytest

from bulletin.render.markdown import pandoc_slug, to_html


def test_a_raw_html_block_passes_through_byte_for_byte() -> None:
    raw = '<figure id="fig-a">\n<img src="a.svg" alt="A &amp; B">\n</figure>'
    doc = to_html(f"Text.\n\n```{{=html}}\n{raw}\n```\n")
    assert doc.body == f"<p>Text.</p>\n{raw}\n"


def test_any_other_fence_is_still_code() -> None:
    doc = to_html("```python\n<b>x</b>\n```\n")
    assert "<pre><code" in doc.body
    assert "&lt;b&gt;" in doc.body


def test_front_matter_and_headings() -> None:
    doc = to_html('---\ntitle: "A: b"\ndate: "2019-06-18"\n---\n\n## Headline facts\n\n### Rates\n')
    assert doc.meta == {"title": "A: b", "date": "2019-06-18"}
    assert [(h.level, h.id, h.text) for h in doc.headings] == [
        (2, "headline-facts", "Headline facts"),
        (3, "rates", "Rates"),
    ]


@pytest.mark.parametrize(
    ("heading", "expected"),
    # worked out by pandoc's documented rule (auto_identifiers)
    [
        ("Headline facts", "headline-facts"),
        ("1. Children in social care", "children-in-social-care"),
        ("Details & caveats", "details-caveats"),
        ("Children's needs: 2017-18", "childrens-needs-2017-18"),
        ("Key stage 4 (GCSE)", "key-stage-4-gcse"),
        ("version 2.1 notes", "version-2.1-notes"),
        ("2018", "section"),
    ],
)
def test_pandoc_slug(heading: str, expected: str) -> None:
    assert pandoc_slug(heading) == expected


def test_duplicate_headings_get_numbered_ids_as_pandoc_does() -> None:
    doc = to_html("## Notes\n\n## Notes\n")
    assert [h.id for h in doc.headings] == ["notes", "notes-1"]


def test_smart_punctuation_as_pandoc() -> None:
    doc = to_html('Children\'s "needs" -- and more...\n')
    assert doc.body == "<p>Children’s “needs” – and more…</p>\n"
