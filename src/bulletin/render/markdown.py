"""Render (Markdown): report/*.qmd -> HTML body, front matter and headings, with markdown-it.

The .qmd is CommonMark prose plus ```{=html} raw blocks (DESIGN.md decision 1). This
renderer and pandoc's `-f markdown` (the reader inside Quarto) must give the same text, so
it does what pandoc does where CommonMark leaves a choice: smart punctuation, heading ids
made by pandoc's rule, raw blocks passed through byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererHTML
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

RAW_HTML = "{=html}"


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Document:
    meta: Mapping[str, Any]  # the YAML front matter
    body: str  # HTML
    headings: tuple[Heading, ...]


def pandoc_slug(text: str) -> str:
    """A heading id by pandoc's `auto_identifiers` rule: lower case; keep letters, digits,
    '_', '-' and '.'; spaces to hyphens; drop everything before the first letter."""
    kept = "".join(c for c in text.lower() if c.isalnum() or c in "_-." or c.isspace())
    slug = "-".join(kept.split())
    while slug and not slug[0].isalpha():
        slug = slug[1:]
    return slug or "section"


def to_html(qmd: str) -> Document:
    """Parse a .qmd: its front matter, its body as HTML and its headings."""
    import yaml

    md = _parser()
    env: dict[str, Any] = {}
    tokens = md.parse(qmd, env)
    meta: dict[str, Any] = {}
    headings: list[Heading] = []
    for i, token in enumerate(tokens):
        if token.type == "front_matter":
            loaded = yaml.safe_load(token.content)
            if not isinstance(loaded, dict):
                raise ValueError("the front matter of a .qmd must be a YAML mapping")
            meta = loaded
        elif token.type == "heading_open":
            inline = tokens[i + 1]
            text = "".join(c.content for c in inline.children or () if c.type == "text")
            headings.append(Heading(int(token.tag[1:]), str(token.attrGet("id")), text))
    body = md.renderer.render(tokens, md.options, env)
    return Document(meta, body, tuple(headings))


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.anchors import anchors_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = (
        MarkdownIt("commonmark", {"html": True, "typographer": True})
        .enable(["table", "replacements", "smartquotes"])
        .use(front_matter_plugin)
        .use(anchors_plugin, min_level=1, max_level=6, slug_func=pandoc_slug)
    )
    renderer = cast("RendererHTML", md.renderer)
    default_fence = renderer.rules["fence"]

    def fence(
        self: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        token = tokens[idx]
        if token.info.strip() == RAW_HTML:
            return token.content
        return str(default_fence(tokens, idx, options, env))

    def th_open(
        self: RendererHTML,
        tokens: Sequence[Token],
        idx: int,
        options: OptionsDict,
        env: EnvType,
    ) -> str:
        tokens[idx].attrSet("scope", "col")
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("fence", fence)
    md.add_render_rule("th_open", th_open)
    return md
