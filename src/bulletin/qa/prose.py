"""QA (prose): the lint of what authors type into templates: no typed number (DESIGN.md
decision 8), no sentence of more than 25 words, no link text that does not say where the link
goes (GOV.UK's style). Every finding gives the file, line and column, quotes the sentence
(cut to 80 characters) and says the rule.

**What is prose.** Every template under templates/ is read with Jinja's own lexer. Prose is
the text a template prints that no expression gives: the template text, and the string
literals in its expressions.
- Markup is not prose: HTML tags, comments and entities; `<style>` and `<script>`; in a
  Markdown template (`*.qmd.jinja`, `*.md.jinja`), a link's target `(...)`, a list marker,
  a table's pipes and a code fence's delimiters.
- `{{ ... }}` prints one word. `{# ... #}` prints nothing. `{% if %}`, `{% elif %}`,
  `{% else %}`, `{% endif %}`, `{% for %}` and `{% endfor %}` print nothing within a
  sentence: the words of every branch count, as if all were printed, so keep a choice of
  wording short or write each branch as whole sentences. Any other `{% ... %}` ends a
  sentence (a `{% call %}` body, such as a table caption, is a sentence of its own).
- A string literal is prose of its own, except that literals joined by `~` read as one,
  each expression between them one word: `"Rounded to the nearest " ~ (n | fmt_count) ~ "."`
  is one sentence of five words. A literal that is a figure's or a table's id
  (`IDENTIFIER`, such as "tbl-post16" or "progress8") is a key, not prose.

**Rule 1: no typed number.** A digit, a number word ("one", "half", "twice", "majority",
"all but"...), or a whole wording band of `bands.toml` ("about as likely", "the gap widens
at every stage") fails, unless it falls in an allowed category (`ALLOWED`): dates, measure
names, ages and units in definitions, names of standards (WCAG 2.2, PDF/UA-1, success
criterion 1.3.1), note markers and need codes. This holds in all prose, headings
and front matter included. In a publication's own templates a number literal in an
expression fails too: numbers come from the findings context.

**Rule 2: a sentence has 25 words or fewer.** Prose is cut into blocks at: a block-level
HTML tag (p, li, td, th, caption, figcaption, h1 to h6, div...); in Markdown, a blank line,
a list item, a heading line, a table cell, a code fence; and the `{% ... %}` tags above. A
block is cut into sentences after ".", "!" or "?" (with any closing quote or bracket) that
ends a word, except after "e.g.", "i.e." and a few titles (`ABBREVIATIONS`). A list item, a
table caption or cell, and a figure caption is a sentence even with no full stop. Headings
(HTML h1 to h6, Markdown `#` lines) and a Markdown template's YAML front matter are not
sentences. A word is a run of characters between spaces that holds a letter, a digit or an
expression; so "children's", "2017-18" and "{{ n | fmt_count }}%" are one word each, and a
dash alone is none.

**Rule 3: a link's text says where it goes.** The text of an HTML `<a>` or a Markdown
`[text](target)` fails when, lower-cased and without punctuation, it is one of
`VAGUE_LINKS` ("click here", "here", "read more", "more", "this link"...) or starts with
"click". A link whose text is an expression is not checked here.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core.formatting import MONTHS, bands
from bulletin.qa.results import CheckResult, Result, passed
from bulletin.render.errors import line_column, quoted, tokens_with_offsets

if TYPE_CHECKING:
    from bulletin.qa.memo import Memo

CHECK = "prose"
#: A string literal that is the stable id of a figure or a table, or a column's name (a
#: key, not prose: lower case, no space, a letter first).
IDENTIFIER = re.compile(r"(?:fig|tbl)-[a-z0-9-]+|[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
SHARED_FOLDERS = ("shared", "layouts")  # components and layouts may use numbers in logic
MARKDOWN = (".qmd.jinja", ".md.jinja")
MAX_WORDS = 25
QUOTE = 80  # characters of a sentence quoted in a message

_MONTH = "(?:" + "|".join(MONTHS) + ")"
#: What may hold a digit or a number word, by category. No band word may match any of these
#: (a test checks it).
ALLOWED: tuple[tuple[str, str], ...] = (
    ("date", rf"\b\d{{1,2}} {_MONTH}(?: \d{{4}})?\b"),
    ("date", rf"\b{_MONTH} \d{{4}}\b"),
    ("date", r"\b20\d\d(?:-\d\d|/\d\d)?\b"),  # 2018, reporting year 2017-18, academic 2017/18
    ("measure name", r"\bkey stage [1-5]\b"),
    ("measure name", r"\bKS[1-5]\b"),
    ("measure name", r"\b(?:Attainment|Progress) 8\b"),
    ("measure name", r"\blevel [1-3]\b"),
    ("measure name", r"\bgrades? [1-9](?:(?:-| to )[1-9])?\b"),
    ("measure name", r"\bsection (?:17|47)\b"),
    ("measure name", r"\b95% confidence (?:intervals?|limits?)\b"),
    ("age or unit in a definition", r"\baged \d{1,2}(?: to \d{1,2})?\b"),
    ("age or unit in a definition", r"\b(?:at|by|after) (?:age )?(?:1[6-9]|2[0-5])\b(?![.,]\d)"),
    ("age or unit in a definition", r"\bper 10,000\b"),
    ("standard name", r"\bWCAG 2\.[0-2]\b"),
    ("standard name", r"\bPDF/UA-[12]\b"),
    ("standard name", r"\bsuccess criterion [1-4]\.[1-9]\.[1-9]\d?\b"),
    ("note marker", r"\[note \d{1,2}\]"),
    ("need code", r"\bN[1-9]\b"),
)
_ALLOWED = tuple(
    (category, re.compile(pattern, 0 if category == "need code" else re.IGNORECASE))
    for category, pattern in ALLOWED
)

_WORDS = """
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
hundred hundreds thousand thousands million millions billion billions dozen dozens none
half halves halved third thirds quarter quarters fourth fourths fifth fifths sixth sixths
seventh sevenths eighth eighths ninth ninths tenth tenths
twice thrice double doubled doubles triple tripled treble trebled majority percent
"""
#: Words that are numbers or say how many, checked as whole words, case-insensitive.
NUMBER_WORDS = (*_WORDS.split(), "per cent", "all but")
_NUMBERS = re.compile(
    r"\d+(?:[.,]\d+)*%?|%|\b(?:" + "|".join(w.replace(" ", r"\s+") for w in NUMBER_WORDS) + r")\b",
    re.IGNORECASE,
)
#: Link texts that do not say where a link goes (GOV.UK: "Links"), compared lower-cased
#: and without punctuation; any link text starting with "click" fails too.
VAGUE_LINKS = (
    "click here",
    "here",
    "read more",
    "more",
    "this link",
    "link",
    "this",
    "this page",
    "more information",
    "more info",
    "find out more",
    "learn more",
    "go",
    "go here",
)
#: Words ending in a full stop that do not end a sentence (lower-cased).
ABBREVIATIONS = ("e.g.", "i.e.", "cf.", "dr.", "mr.", "mrs.", "ms.")
#: Jinja statements that print nothing within a sentence; any other one ends it.
INLINE_STATEMENTS = ("if", "elif", "else", "endif", "for", "endfor")
#: HTML elements that begin or end a block of prose.
_BLOCKS = """address article aside blockquote body br button caption dd details dialog div dl dt
fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html label legend li
link main meta nav ol p pre section summary table tbody td tfoot th thead title tr ul"""
BLOCK_TAGS = frozenset(_BLOCKS.split())
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

NUMBER_GUIDANCE = (
    "Print numbers from the findings context through a formatter, such as "
    "{{ x | fmt_count }}; words that depend on a number come from the formatters and "
    "bands.toml. Allowed in prose: dates, measure names (key stage 2, Attainment 8, "
    "Progress 8, level 2, grade 5, section 47, 95% confidence interval), ages and units in definitions (aged 0 to 17, "
    "at 18, by 21, per 10,000), names of standards (WCAG 2.2, PDF/UA-1, success criterion "
    "1.3.1), note markers ([note 1]) and need codes (N1 to N9)."
)
GUIDANCE = {
    "number": NUMBER_GUIDANCE,
    "band wording": NUMBER_GUIDANCE,
    "number literal": NUMBER_GUIDANCE,
    "long sentence": (
        "GOV.UK style: a sentence has 25 words or fewer. Split it, or move detail to a list "
        "or a note. bulletin.qa.prose says what counts as a sentence and a word."
    ),
    "link text": (
        "GOV.UK style: link text says where the link goes or what it does, such as "
        "'Download this table as a CSV file'; never 'click here', 'here' or 'read more'."
    ),
}
_WHAT = {
    "number": "a number typed into the prose",
    "band wording": "wording that depends on a number, typed into the prose",
    "number literal": "a number typed into a template expression",
}

# Placeholders in the masked text, each one character for one of the source's.
BREAK = "\x1e"  # ends a block of prose (whitespace to `str.split` and to `re`'s \s)
EXPRESSION = "\ue000"  # the first character of a {{ ... }}: one word
HIDDEN = "\x00"  # markup or a tag's other characters: nothing


@dataclass(frozen=True)
class Finding:
    line: int
    text: str
    kind: str  # "number", "band wording", "number literal", "long sentence", "link text"
    column: int = 1
    sentence: str = ""  # the sentence it stands in, quoted in the message


def band_phrases() -> tuple[str, ...]:
    """Every complete wording of bands.toml (one with no {placeholder})."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            if "{" not in node and not re.fullmatch(r"[\d/.\s]+", node):
                found.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(bands())
    return tuple(dict.fromkeys(found))


def lint_text(text: str) -> list[Finding]:
    """Numbers and band wording in prose `text`, outside the allowed categories (rule 1);
    located by line and column in `text`."""
    found = []
    for a, b, kind in _numbers(text):
        line, column = line_column(text, a)
        found.append(Finding(line, text[a:b].replace(BREAK, " "), kind, column))
    return found


def _numbers(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each typed number and band wording in `text` (rule 1)."""
    allowed = [m.span() for _, pattern in _ALLOWED for m in pattern.finditer(text)]
    found: list[tuple[int, int, str]] = []
    for match in _NUMBERS.finditer(text):
        start, end = match.span()
        if not any(a <= start and end <= b for a, b in allowed):
            found.append((start, end, "number"))
    for phrase in sorted(band_phrases(), key=len, reverse=True):  # longest first
        pattern = r"\b" + r"\s+".join(map(re.escape, phrase.split())) + r"\b"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            start, end = match.span()
            if not any(a <= start and end <= b for a, b, _ in found):
                found.append((start, end, "band wording"))
    return sorted(found)


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets in the source
    end: int
    words: int


@dataclass
class _Prose:
    """Prose read from a template: `chars[i]` stands for the source's `offsets[i]` (or is a
    placeholder); spans of it that are headings or front matter (not sentences) and links."""

    chars: list[str]
    offsets: list[int]
    not_sentences: list[tuple[int, int]]
    links: list[tuple[int, int]]

    def text(self, start: int = 0, end: int | None = None) -> str:
        return "".join(self.chars[start:end])


def lint_template(path: Path, templates: Path) -> list[CheckResult]:
    """Every finding of the three rules in one template, by file, line and column."""
    import jinja2

    name = path.relative_to(templates).as_posix()
    source = path.read_text(encoding="utf-8")  # universal newlines, as Jinja's lexer reads
    env = jinja2.Environment(keep_trailing_newline=True)
    try:
        tokens = tokens_with_offsets(env, source)
        concatenated = _concatenations(env, source)
    except jinja2.TemplateSyntaxError as exc:
        return [CheckResult(CHECK, Result.FAIL, f"{name}:{exc.lineno}: {exc.message}")]
    shared = name.split("/")[0] in SHARED_FOLDERS
    markdown = name.endswith(MARKDOWN)
    proses = [_body(source, tokens, markdown), *_literals(source, tokens, concatenated)]
    findings: list[Finding] = []
    for prose in proses:
        findings += _findings(prose, source)
    if not shared:
        findings += [
            _at(source, start, value, "number literal", "")
            for start, kind, value in tokens
            if kind in ("integer", "float")
        ]
    lines = source.splitlines()
    return [
        CheckResult(
            CHECK,
            Result.FAIL,
            f"{name}:{f.line}:{f.column}: {_message(f)}",
            GUIDANCE[f.kind],
            "\n".join(quoted(f.line, lines[f.line - 1], f.column)) if f.line <= len(lines) else "",
        )
        for f in sorted(findings, key=lambda f: (f.line, f.column, f.kind))
    ]


#: The code the lint runs outside `bulletin.qa`: the bands' wordings (`bulletin.core`) and
#: the template tokenizer (`bulletin.render.errors`); a template's lint is remembered with it.
LINT_CODE = ("bulletin.core", "bulletin.render.errors")


def lint_templates(templates: Path, memo: Memo | None = None) -> list[CheckResult]:
    """The prose lint over every template (each one that passed before unchanged, with a
    `memo`, is not linted again); a PASS result when nothing is found."""
    from bulletin.qa.memo import remembered

    results: list[CheckResult] = []
    paths = sorted(templates.rglob("*.jinja"))
    for path in paths:
        name = path.relative_to(templates).as_posix()
        lint = functools.partial(lint_template, path, templates)
        results += remembered(memo, CHECK, path, name, lint, LINT_CODE)
    if not results:
        results.append(
            passed(
                CHECK,
                f"{len(paths)} templates: no typed number, no sentence over {MAX_WORDS} words, "
                "no vague link text",
            )
        )
    return results


def sentences(prose: _Prose) -> Iterator[Sentence]:
    """The sentences of `prose` (rule 2), headings and front matter left out."""
    keep = [i for i, c in enumerate(prose.chars) if c != HIDDEN]
    text = "".join(prose.chars[i] for i in keep)
    for block in re.finditer(f"[^{BREAK}]+", text):
        for start, end in _split(block.group()):
            piece = block.group()[start:end]
            words = [w for w in piece.split() if _WORD.search(w)]
            if not words:
                continue
            first = block.start() + start + len(piece) - len(piece.lstrip())
            last = block.start() + start + len(piece.rstrip()) - 1
            a, b = keep[first], keep[last]
            if not any(s <= a < e for s, e in prose.not_sentences):
                yield Sentence(prose.offsets[a], prose.offsets[b] + 1, len(words))


def _split(block: str) -> list[tuple[int, int]]:
    """Where a block's sentences start and end: after ".", "!" or "?" (and any closing
    quotes or brackets) at the end of a word that is not an abbreviation."""
    spans, start = [], 0
    for match in _END.finditer(block):
        word = block[: match.end()].rsplit(maxsplit=1)[-1]
        if word.lower().strip("\"'“”‘’()[]") in ABBREVIATIONS:
            continue
        spans.append((start, match.end()))
        start = match.end()
    return [*spans, (start, len(block))]


def _findings(prose: _Prose, source: str) -> list[Finding]:
    """The three rules on one piece of prose."""
    found = list(sentences(prose))
    quote = {s.start: _quote(source[s.start : s.end]) for s in found}

    def sentence_of(offset: int) -> str:
        around = [s for s in found if s.start <= offset < s.end]
        if around:
            return quote[around[0].start]
        line_start = source.rfind("\n", 0, offset) + 1
        line_end = source.find("\n", offset)
        return _quote(source[line_start : line_end if line_end >= 0 else None])

    spaced = "".join(" " if c in (HIDDEN, EXPRESSION) else c for c in prose.chars)
    results = [
        _at(
            source,
            prose.offsets[a],
            spaced[a:b].replace(BREAK, " "),
            kind,
            sentence_of(prose.offsets[a]),
        )
        for a, b, kind in _numbers(spaced)
    ]
    results += [
        _at(source, s.start, str(s.words), "long sentence", quote[s.start])
        for s in found
        if s.words > MAX_WORDS
    ]
    for start, end in prose.links:
        text = "".join(c for c in prose.chars[start:end] if c not in (HIDDEN, BREAK))
        plain = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
        if EXPRESSION not in text and (plain in VAGUE_LINKS or plain.startswith("click")):
            offset = prose.offsets[start]
            results.append(_at(source, offset, _quote(text), "link text", sentence_of(offset)))
    return results


def _message(f: Finding) -> str:
    if f.kind == "long sentence":
        return f"a sentence of {f.text} words, more than {MAX_WORDS}: {f.sentence!r}"
    if f.kind == "link text":
        return f"the link text {f.text!r} does not say where the link goes, in {f.sentence!r}"
    where = f", in {f.sentence!r}" if f.sentence else ""
    return f"{f.text!r} is {_WHAT[f.kind]}{where}"


def _at(source: str, offset: int, text: str, kind: str, sentence: str) -> Finding:
    line, column = line_column(source, offset)
    return Finding(line, text, kind, column, sentence)


def _quote(text: str) -> str:
    words = " ".join(text.replace(BREAK, " ").split())
    return words if len(words) <= QUOTE else words[: QUOTE - 3] + "..."


_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
_WORD = re.compile(rf"[^\W_]|{EXPRESSION}")


# -- reading a template -------------------------------------------------------------------


def _concatenations(env: Any, source: str) -> list[list[tuple[int, str] | None]]:
    """Each `~` chain holding a string literal, as (line, value) for each literal and None
    for each other operand."""
    from jinja2 import nodes

    def flatten(node: Any) -> list[tuple[int, str] | None]:
        if isinstance(node, nodes.Concat):
            return [part for child in node.nodes for part in flatten(child)]
        if isinstance(node, nodes.Const) and isinstance(node.value, str):
            return [(node.lineno, node.value)]
        return [None]

    chains = [flatten(concat) for concat in env.parse(source).find_all(nodes.Concat)]
    return [chain for chain in chains if any(chain)]


def _body(source: str, tokens: Sequence[tuple[int, str, str]], markdown: bool) -> _Prose:
    """The template text as prose: Jinja tags and markup replaced by placeholders."""
    chars = list(source)
    tag_start: int | None = None
    keyword = ""
    for start, kind, value in tokens:
        if kind in ("variable_begin", "block_begin", "comment_begin", "raw_begin"):
            tag_start, keyword = start, ""
        elif kind == "name" and tag_start is not None and not keyword:
            keyword = value
        elif (
            kind in ("variable_end", "block_end", "comment_end", "raw_end")
            and tag_start is not None
        ):
            end = start + len(value)
            chars[tag_start:end] = [HIDDEN] * (end - tag_start)
            if kind == "variable_end":
                chars[tag_start] = EXPRESSION
            elif kind == "block_end" and keyword not in INLINE_STATEMENTS:
                chars[tag_start] = BREAK
            elif keyword in ("elif", "else"):  # the branches' words, side by side
                chars[tag_start] = " "
            tag_start = None
    prose = _Prose(chars, list(range(len(chars))), [], [])
    if markdown:
        _markdown(prose)
    _html(prose)
    return prose


def _literals(
    source: str,
    tokens: Sequence[tuple[int, str, str]],
    chains: Sequence[Sequence[tuple[int, str] | None]],
) -> Iterator[_Prose]:
    """Each string literal as prose; literals joined by `~` as one, each other operand an
    expression (one word)."""
    strings: dict[tuple[int, str], deque[int]] = defaultdict(deque)
    for start, kind, value in tokens:
        if kind == "string":
            strings[(source.count("\n", 0, start) + 1, _unquote(value))].append(start)
    for chain in chains:
        chars: list[str] = []
        offsets: list[int] = []
        for part in chain:
            at = strings[part].popleft() if part is not None and strings[part] else None
            if at is None:  # an expression: placed where the literal before it ends
                chars.append(EXPRESSION)
                offsets.append(offsets[-1] if offsets else -1)
            else:
                raw = _raw_literal(source, at)
                chars += raw
                offsets += range(at + 1, at + 1 + len(raw))
        first = next((o for o in offsets if o >= 0), 0)
        yield _literal_prose(chars, [o if o >= 0 else first for o in offsets])
    for start in sorted(start for starts in strings.values() for start in starts):
        raw = _raw_literal(source, start)
        if not IDENTIFIER.fullmatch(raw):  # the id of a figure or a table is not prose
            yield _literal_prose(list(raw), list(range(start + 1, start + 1 + len(raw))))


def _unquote(literal: str) -> str:
    """A string literal's value, as Jinja reads it (Python's rules)."""
    import ast

    try:
        return str(ast.literal_eval(literal))
    except (ValueError, SyntaxError):
        return literal[1:-1]


def _raw_literal(source: str, start: int) -> str:
    """The characters between a string literal's quotes, as typed."""
    quote = source[start]
    end = start + 1
    while source[end] != quote:
        end += 2 if source[end] == "\\" else 1
    return source[start + 1 : end]


def _literal_prose(chars: list[str], offsets: list[int]) -> _Prose:
    prose = _Prose(chars, offsets, [], [])
    _markdown_links(prose)
    _html(prose)
    return prose


def _hide(prose: _Prose, start: int, end: int, first: str = HIDDEN) -> None:
    prose.chars[start:end] = [first] + [HIDDEN] * (end - start - 1)


_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t].*)?$", re.MULTILINE)
_MD_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?=[ \t])", re.MULTILINE)
_MD_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_MD_BLANK = re.compile(r"\n[ \t\x00]*(?=\n)")
_MD_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\n]*)\)")


def _markdown(prose: _Prose) -> None:
    """Markdown structure: front matter and headings are not sentences; blank lines, list
    items, headings, table cells and fences end blocks; link targets are markup."""
    text = prose.text()
    front = re.match(r"[\s\x00\x1e]*---[ \t]*\n.*?\n---[ \t]*(?:\n|$)", text, re.DOTALL)
    if front:  # not sentences, but no number may be typed in it either
        prose.not_sentences.append(front.span())
        prose.chars[front.end() - 1] = BREAK
    for match in _MD_HEADING.finditer(text):
        prose.not_sentences.append(match.span())
        prose.chars[match.start()] = BREAK
        if match.end() < len(prose.chars):
            prose.chars[match.end()] = BREAK
    for match in _MD_ITEM.finditer(text):
        _hide(prose, match.start(), match.end(), BREAK)
    for match in _MD_FENCE.finditer(text):
        _hide(prose, match.start(), match.end(), BREAK)
    for match in _MD_BLANK.finditer(text):
        prose.chars[match.start()] = BREAK
    for match in re.finditer(r"\|", text):
        prose.chars[match.start()] = BREAK
    for match in re.finditer(r"^[ \t]*>", text, re.MULTILINE):
        _hide(prose, match.start(), match.end())
    _markdown_links(prose)


def _markdown_links(prose: _Prose) -> None:
    for match in _MD_LINK.finditer(prose.text()):
        if match.group(1):  # an image: its alt text is not a sentence
            _hide(prose, match.start(), match.end())
            continue
        _hide(prose, match.start(), match.start(2))
        _hide(prose, match.end(2), match.end())
        prose.links.append(match.span(2))


_HTML_SKIP = re.compile(r"<!--.*?-->|<(style|script)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)\b[^>]*>")
_ENTITY = re.compile(r"&#?\w+;")


def _html(prose: _Prose) -> None:
    """HTML markup: a block-level tag ends a block; a heading is not a sentence; an <a>
    holds a link's text; entities stand for one character that is not a space."""
    text = prose.text()
    for match in _HTML_SKIP.finditer(text):
        _hide(prose, match.start(), match.end())
    text = prose.text()
    opened: dict[str, list[int]] = defaultdict(list)
    for match in _HTML_TAG.finditer(text):
        closing, tag = match.group(1) == "/", match.group(2).lower()
        _hide(prose, match.start(), match.end(), BREAK if tag in BLOCK_TAGS else HIDDEN)
        if tag in (*HEADING_TAGS, "a"):
            if not closing:
                opened[tag].append(match.end())
            elif opened[tag]:
                span = (opened[tag].pop(), match.start())
                (prose.links if tag == "a" else prose.not_sentences).append(span)
    for match in _ENTITY.finditer(text):
        entity = match.group().lower()
        _hide(prose, match.start(), match.end(), " " if entity in ("&nbsp;", "&#160;") else "'")
