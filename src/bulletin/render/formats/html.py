"""Render (accessible formats: semantic HTML): the reading model as one plain HTML page,
the source of the formats pandoc writes (Word, OpenDocument, EPUB) and of large print.

Headings keep their levels and ids; list items are lists; a table has its caption, a
header row of `th scope="col"` and a `th scope="row"` in each row; a figure is its image
with its alt text and caption, followed by its long description, or (`images=False`,
large print) the caption and the descriptions alone. No stylesheet, no script, no link
to a file of the site. With `page_breaks`, an empty `span` marks where each page of the
standard PDF starts (`epub:type="pagebreak"`, for an EPUB's page list).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

from bulletin.render.formats.document import Block, Document, Figure, Heading, Paragraph, Table

#: A paragraph's kind -> the class it takes (the large-print stylesheet styles them).
CLASSES = {
    "caption": "release-type",
    "metadata": "metadata",
    "banner-title": "banner-title",
    "callout-title": "callout-title",
    "key-stat-value": "key-stat-value",
    "key-stat-label": "key-stat-label",
    "summary": "about-title",
    "table-source": "table-note",
    "table-symbol": "table-note",
}


def page(
    doc: Document,
    *,
    images: bool = True,
    page_breaks: bool = False,
    title: bool = True,
    contents: bool = False,
    stacked: frozenset[str] = frozenset(),
    head: str = "",
) -> str:
    """The publication as one HTML page (see the module doc). Without `title`, the page's
    h1 is left out (a format that shows the document title itself); with `contents`, a
    list of the sections links to them after the title; the tables named in `stacked` are
    set out row by row (each row's header, then a list of its values after their column
    headers), for a page too narrow for them; `head` is added to the head."""
    name = escape(doc.title)
    parts = [
        "<!DOCTYPE html>",
        f"<html lang={quoteattr(doc.lang)}>",
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{name}</title>",
        f'<meta name="author" content={quoteattr(doc.author)}>',
        f'<meta name="description" content={quoteattr(doc.description)}>',
        f'<meta name="dcterms.created" content={quoteattr(doc.date + "T00:00:00+00:00")}>',
        f'<meta name="dcterms.modified" content={quoteattr(doc.date + "T00:00:00+00:00")}>',
        *([head] if head else []),
        "</head>",
        "<body>",
    ]
    parts += body(
        doc,
        images=images,
        page_breaks=page_breaks,
        title=title,
        contents=contents,
        stacked=stacked,
    )
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def body(
    doc: Document,
    *,
    images: bool,
    page_breaks: bool,
    title: bool,
    contents: bool,
    stacked: frozenset[str],
) -> list[str]:
    out: list[str] = []
    marked = 0  # the last page whose start is marked
    items: list[str] = []  # the list items of the list being made

    def close_list() -> None:
        if items:
            out.append("<ul>")
            out.extend(items)
            out.append("</ul>")
            items.clear()

    def breaks(page_no: int | None) -> str:
        nonlocal marked
        if not page_breaks or page_no is None or page_no <= marked:
            return ""
        spans = "".join(_page_break(n) for n in range(marked + 1, page_no + 1))
        marked = page_no
        return spans

    sections = [b for b in doc.blocks if isinstance(b, Heading) and b.level == 2 and b.id]
    listed = not contents
    for block in doc.blocks:
        if not listed and isinstance(block, Heading) and block.level == 2:
            close_list()
            out += _contents(sections)
            listed = True
        if isinstance(block, Heading) and block.level == 1 and not title:
            continue
        mark = breaks(_first_page(block))
        if isinstance(block, Paragraph) and block.kind == "li":
            items.append(f"<li>{mark}{escape(block.text)}</li>")
            continue
        close_list()
        if isinstance(block, Table) and block.id in stacked:
            out += _stacked(block, mark)
        elif isinstance(block, Table):
            out += _table(block, mark, breaks)
        else:
            if mark:
                out.append(mark if isinstance(block, Heading) else f"<div>{mark}</div>")
            out += _block(block, images)
    close_list()
    if page_breaks and marked < doc.pages:  # pages with no block starting on them: the end
        out.append("<div>" + "".join(_page_break(n) for n in range(marked + 1, doc.pages + 1)))
        out.append("</div>")
    return out


def _first_page(block: Block) -> int | None:
    return block.page


def _page_break(number: int) -> str:
    return (
        f'<span epub:type="pagebreak" role="doc-pagebreak" id="page-{number}" '
        f'aria-label="{number}"></span>'
    )


def _contents(sections: list[Heading]) -> list[str]:
    links = [f'<li><a href="#{escape(h.id)}">{escape(h.text)}</a></li>' for h in sections]
    return ['<nav class="contents">', "<h2>Contents</h2>", "<ol>", *links, "</ol>", "</nav>"]


def _block(block: Block, images: bool) -> Iterator[str]:
    if isinstance(block, Heading):
        ident = f" id={quoteattr(block.id)}" if block.id else ""
        yield f"<h{block.level}{ident}>{escape(block.text)}</h{block.level}>"
    elif isinstance(block, Paragraph):
        css = CLASSES.get(block.kind)
        attr = f' class="{css}"' if css else ""
        yield f"<p{attr}>{escape(block.text)}</p>"
    elif isinstance(block, Figure):
        if images:
            src = quoteattr(f"{block.id}.svg")
            yield f"<figure id={quoteattr(block.id)}>"
            yield f'<img src={src} alt={quoteattr(block.alt)} width="100%">'
            yield f"<figcaption>Chart: {escape(block.caption)}</figcaption>"
            yield "</figure>"
        else:
            yield f'<p class="figure-title" id={quoteattr(block.id)}>Chart: {escape(block.caption)}</p>'
            yield f"<p>{escape(block.alt)}</p>"
        yield f'<p class="figure-description">{escape(block.description)}</p>'


#: A cell that shows a figure (or a GSS symbol in its place): such columns align right.
FIGURE = re.compile(r"[\u2212+-]?[0-9][0-9,.]*%?|[a-z]{1,3}")


def numeric(table: Table) -> list[bool]:
    """Whether each column (the row headers' first) holds only figures."""
    return [False] + [
        all(FIGURE.fullmatch(row.cells[i]) for row in table.rows if i < len(row.cells))
        for i in range(len(table.headers) - 1)
    ]


def _table(table: Table, mark: str, breaks: object) -> list[str]:
    ident = f" id={quoteattr(table.id)}" if table.id else ""
    out = [f"<table{ident}>", f"<caption>{mark}{escape(table.caption)}</caption>", "<thead>"]
    nums = numeric(table)
    cells = "".join(
        f'<th scope="col"{_num(n)}>{escape(h)}</th>'
        for h, n in zip(table.headers, nums, strict=False)
    )
    out += [f"<tr>{cells}</tr>", "</thead>", "<tbody>"]
    for row in table.rows:
        row_mark = breaks(row.page) if callable(breaks) else ""
        header = f'<th scope="row">{row_mark}{escape(row.header)}</th>'
        values = "".join(
            f"<td{_num(n)}>{escape(v)}</td>" for v, n in zip(row.cells, nums[1:], strict=False)
        )
        level = f' class="{escape(row.level)}"' if row.level else ""
        out.append(f"<tr{level}>{header}{values}</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _num(numeric: bool) -> str:
    return ' class="num"' if numeric else ""


def _stacked(table: Table, mark: str) -> list[str]:
    """A table set out row by row: its caption, then each row's header and its values."""
    ident = f" id={quoteattr(table.id)}" if table.id else ""
    out = [
        f'<section class="stacked-table"{ident}>',
        f'<p class="table-title">{mark}Table: {escape(table.caption)}</p>',
        f'<p class="table-note">Set out row by row: each {escape(table.headers[0].lower())}, '
        "then its figures.</p>",
    ]
    for row in table.rows:
        level = f" {escape(row.level)}" if row.level else ""
        out.append(f'<div class="stacked-row{level}">')
        out.append(f'<p class="row-header">{escape(row.header)}</p>')
        out.append("<ul>")
        for column, text in zip(table.headers[1:], row.cells, strict=False):
            out.append(f"<li>{escape(column)}: {escape(text)}</li>")
        out += ["</ul>", "</div>"]
    out.append("</section>")
    return out
