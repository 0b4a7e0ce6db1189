"""QA (prose): no number is typed into a template (DESIGN.md decision 8).

Every template under templates/ is read with Jinja's own lexer, so that what it prints
from the context (`{{ ... }}`) is left out and only what an author typed is checked: the
template text (for HTML templates, the text between tags) and the string literals in
expressions. A digit, a number word ("one", "half", "twice", "majority", "all but"...), or
a whole wording band of `bands.toml` ("about as likely", "the gap widens at every
stage") fails, unless it falls in an allowed category: dates, measure names, ages and units
in definitions, note markers and need codes. In a publication's own templates a number
literal in an expression also fails: numbers come from the findings context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bulletin.core.formatting import MONTHS, bands
from bulletin.qa.results import CheckResult, Result, passed

CHECK = "prose"
#: A string literal that is the stable id of a figure or a table (a key, not prose).
IDENTIFIER = re.compile(r"(?:fig|tbl)-[a-z0-9-]+")
SHARED_FOLDERS = ("shared", "layouts")  # components and layouts may use numbers in logic

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
    ("age or unit in a definition", r"\baged \d{1,2}(?: to \d{1,2})?\b"),
    ("age or unit in a definition", r"\b(?:at|by|after) (?:age )?(?:1[6-9]|2[0-5])\b(?![.,]\d)"),
    ("age or unit in a definition", r"\bper 10,000\b"),
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
GUIDANCE = (
    "Print numbers from the findings context through a formatter, such as "
    "{{ x | fmt_count }}; words that depend on a number come from the formatters and "
    "bands.toml. Allowed in prose: dates, measure names (key stage 2, Attainment 8, "
    "Progress 8, level 2, grade 5, section 47), ages and units in definitions (aged 0 to 17, "
    "at 18, by 21, per 10,000), note markers ([note 1]) and need codes (N1 to N9)."
)


@dataclass(frozen=True)
class Finding:
    line: int
    text: str
    kind: str  # "number", "band wording" or "number literal"


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
    """Numbers and band wording in prose `text`, outside the allowed categories."""
    allowed = [m.span() for _, pattern in _ALLOWED for m in pattern.finditer(text)]
    found: list[tuple[int, int, str]] = []  # start, end, kind
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
    return [Finding(_line(text, a), text[a:b], kind) for a, b, kind in sorted(found)]


def lint_template(path: Path, templates: Path) -> list[CheckResult]:
    """Every typed number in one template, located by file and line."""
    import jinja2

    name = path.relative_to(templates).as_posix()
    source = path.read_text(encoding="utf-8")
    env = jinja2.Environment()
    try:
        tokens = list(env.lex(source, name, str(path)))
    except jinja2.TemplateSyntaxError as exc:
        return [CheckResult(CHECK, Result.FAIL, f"{name}:{exc.lineno}: {exc.message}")]
    shared = name.split("/")[0] in SHARED_FOLDERS
    findings = list(_prose_findings(tokens, html=name.endswith(".html.jinja")))
    for line, kind, value in tokens:
        if kind == "string" and IDENTIFIER.fullmatch(_unquote(value)):
            continue  # the id of a figure or a table, never printed as prose
        if kind == "string":
            findings += [
                Finding(line + f.line - 1, f.text, f.kind) for f in lint_text(_unquote(value))
            ]
        elif kind in ("integer", "float") and not shared:
            findings.append(Finding(line, value, "number literal"))
    return [
        CheckResult(
            CHECK,
            Result.FAIL,
            f"{name}:{f.line}: {f.text!r} is {_WHAT[f.kind]}",
            GUIDANCE,
        )
        for f in sorted(findings, key=lambda f: (f.line, f.text))
    ]


def lint_templates(templates: Path) -> list[CheckResult]:
    """The prose lint over every template; a PASS result when nothing is found."""
    results: list[CheckResult] = []
    paths = sorted(templates.rglob("*.jinja"))
    for path in paths:
        results += lint_template(path, templates)
    if not results:
        results.append(passed(CHECK, f"no number typed into {len(paths)} templates"))
    return results


_WHAT = {
    "number": "a number typed into the prose",
    "band wording": "wording that depends on a number, typed into the prose",
    "number literal": "a number typed into a template expression",
}
_STRIP_HTML = re.compile(r"<!--.*?-->|<(style|script)\b.*?</\1>|<[^>]*>|&#?\w+;", re.DOTALL)
_STRIP_MARKDOWN = re.compile(r"<!--.*?-->|\]\([^)]*\)|<[^>\s]+>|<[^>]*>|&#?\w+;", re.DOTALL)


def _prose_findings(tokens: list[tuple[int, str, str]], html: bool) -> Iterator[Finding]:
    """The typed text of a template, every tag left out; line numbers kept."""
    parts: list[str] = []
    line = 1
    for lineno, kind, value in tokens:
        if lineno > line:
            parts.append("\n" * (lineno - line))
            line = lineno
        piece = value if kind == "data" else _blank(value) or " "
        parts.append(piece)
        line += piece.count("\n")
    text = "".join(parts)
    text = (_STRIP_HTML if html else _STRIP_MARKDOWN).sub(lambda m: _blank(m.group()), text)
    yield from lint_text(text)


def _blank(text: str) -> str:
    """`text` with everything but its line breaks replaced by spaces."""
    return re.sub(r"[^\n]", " ", text)


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _unquote(literal: str) -> str:
    return literal[1:-1] if literal[:1] in "\"'" else literal
