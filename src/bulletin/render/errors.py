"""Render (template errors): a mistake in a template as a problem its author can act on.

Every error Jinja raises while reading or rendering a template, and every error a template's
call raises, becomes a `TemplateProblem`: the template file (relative to the project), the
line and the column, the line quoted with a caret under the column, and what to do:

- an undefined name (Jinja runs with strict undefined, `StrictUndefined`) names what has
  no such name and suggests the nearest names it does have (the template's context for a
  bare name, the measures of `m`, the keys of a dict, the attributes of an object);
- an unknown filter suggests the nearest filters;
- a block left open (a missing ``{% endcall %}``, ``{% endif %}``...) points at the tag
  that opened it, not at the end of the file where Jinja noticed;
- any other syntax error points at the token Jinja names, when it names one;
- an error in a shared macro also names the line of the template that called it.
"""

from __future__ import annotations

import difflib
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bulletin.core.problems import Problem

if TYPE_CHECKING:
    import jinja2

SUGGESTIONS = 3  # nearest names suggested for an undefined one
EXCERPT = 80  # characters of a long line quoted around the column
#: Errors a call from a template raises (a missing table, a row not found...), reported at
#: the template line that made the call. Others are faults in the code, not the template.
CALL_ERRORS = (KeyError, ValueError, TypeError)
#: Blocks that need an end tag, by the tag that opens them.
BLOCKS = {
    name: f"end{name}"
    for name in ("if", "for", "macro", "call", "filter", "block", "with", "set", "autoescape")
}


@dataclass(frozen=True, order=True)
class TemplateProblem(Problem):
    """A problem in a template, at a line and a column (the `row` and `column` of a
    `Problem`), with the line quoted, the nearest names and the templates that called it."""

    line_text: str = ""
    suggestions: tuple[str, ...] = ()
    called_from: tuple[str, ...] = ()  # "file, line N" of each template line that called it
    noticed_in: tuple[str, ...] = ()  # the macro lines it went through before it failed

    @property
    def line(self) -> int | None:
        return self.row

    @property
    def where(self) -> str:
        """ "templates/x.jinja, line 12, column 5"."""
        where = [self.file]
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return ", ".join(where)

    def quote_lines(self) -> list[str]:
        """The line quoted under its number, a caret under the column (indented)."""
        if not self.line_text or self.row is None:
            return []
        return quoted(self.row, self.line_text, None if self.column is None else int(self.column))

    def notes(self) -> list[str]:
        """The templates that called it, the macro lines that noticed it, and the nearest
        names."""
        notes = [f"Called from {place}." for place in self.called_from]
        notes += [f"Noticed in {place}." for place in self.noticed_in]
        if self.suggestions:
            notes.append(f"Did you mean {_either(self.suggestions)}?")
        return notes

    def __str__(self) -> str:
        lines = [f"{self.where}: {self.message}", *self.quote_lines()]
        return "\n".join(lines + [f"    {note}" for note in self.notes()])

    def excerpt(self) -> tuple[str, int | None]:
        return excerpt(self.line_text, None if self.column is None else int(self.column))


def excerpt(text: str, column: int | None) -> tuple[str, int | None]:
    """A quoted line, cut to `EXCERPT` characters around `column` (from 1), and where the
    caret goes under it (characters from the start of the excerpt)."""
    caret = None if column is None else column - 1
    if len(text) <= EXCERPT:
        return text, caret
    start = 0 if caret is None else max(0, min(caret - EXCERPT // 2, len(text) - EXCERPT))
    head = "..." if start else ""
    tail = "..." if start + EXCERPT < len(text) else ""
    cut = head + text[start : start + EXCERPT] + tail
    return cut, None if caret is None else caret - start + len(head)


def quoted(line: int, text: str, column: int | None) -> list[str]:
    """A template line quoted under its number, with a caret under `column`:

    12 | In {{ yeers.last | fmt_year }}, ...
       |       ^
    """
    cut, caret = excerpt(text, column)
    number = str(line)
    lines = [f"    {number} | {cut}"]
    if caret is not None:
        lines.append(f"    {' ' * len(number)} | {' ' * caret}^")
    return lines


def undefined_class() -> type[jinja2.StrictUndefined]:
    """Jinja's strict undefined, whose error carries what had no such name and the name, so
    that the nearest names can be suggested."""
    return _undefined_class()


@cache
def _undefined_class() -> type[jinja2.StrictUndefined]:
    import jinja2

    class AuthorUndefined(jinja2.StrictUndefined):
        __slots__ = ()

        def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
            error = jinja2.UndefinedError(self._undefined_message)
            error.undefined_obj = self._undefined_obj  # type: ignore[attr-defined]
            error.undefined_name = self._undefined_name  # type: ignore[attr-defined]
            raise error

    return AuthorUndefined


def is_template_error(exc: BaseException) -> bool:
    """Whether `exc` is a mistake in a template (or in a call a template made)."""
    import jinja2

    from bulletin.render import TemplateNumberError

    if isinstance(exc, jinja2.TemplateError | TemplateNumberError):
        return True
    return isinstance(exc, CALL_ERRORS) and bool(_template_frames(exc))


def template_problem(
    exc: BaseException,
    templates: Path,
    names: Iterable[str] = (),
    filters: Iterable[str] = (),
) -> TemplateProblem:
    """The problem an error in a template is: where, the line quoted, what to do. `names`
    are the names the template's context had (for an undefined bare name); `filters` the
    filters the environment had (for an unknown filter)."""
    import jinja2

    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateProblem(f"templates/{exc.name}", None, None, "no such template")
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return _syntax_problem(exc, templates, filters)
    frames = _template_frames(exc)
    if not frames:
        return TemplateProblem(str(templates), None, None, _message(exc))
    name = getattr(exc, "undefined_name", None)
    undefined = isinstance(exc, jinja2.UndefinedError) and isinstance(name, str)
    # the line that names the undefined name (a macro may only notice it later), else the
    # innermost line
    at = len(frames) - 1
    if undefined:
        named = [i for i, (p, n) in enumerate(frames) if _find_name(_line(p, n), str(name))]
        at = named[-1] if named else at
    path, line = frames[at]
    text = _line(path, line)
    message, column = _message(exc), None
    suggestions: tuple[str, ...] = ()
    if undefined:
        name = str(name)
        column = _find_name(text, name)
        obj = getattr(exc, "undefined_obj", None)
        if obj is None or obj is jinja2.utils.missing:
            message = f"{name!r} is not defined: the template has no name {name!r}"
            suggestions = nearest(name, names, lambda c: c)
        else:
            owner, spelled = _owner(text, name)
            message = f"{owner or 'the ' + type(obj).__name__} has no {name!r}"
            suggestions = nearest(name, members(obj), spelled)
    return TemplateProblem(
        _relative(path, templates),
        line,
        None if column is None else str(column),
        message,
        line_text=text,
        suggestions=suggestions,
        called_from=tuple(_place(p, n, templates) for p, n in reversed(frames[:at])),
        noticed_in=tuple(_place(p, n, templates) for p, n in frames[at + 1 :]),
    )


def members(obj: Any) -> list[str]:
    """The names a template can read from `obj` (with `.name` or `["name"]`)."""
    found: list[str] = []
    measures = getattr(obj, "measures", None)
    if isinstance(measures, Mapping):  # a findings or real context: m.B1
        found += [str(k) for k in measures]
    if isinstance(obj, Mapping):
        found += [str(k) for k in obj]
    found += [a for a in dir(obj) if not a.startswith("_")]
    return list(dict.fromkeys(found))


def nearest(name: str, candidates: Iterable[str], spelled: Callable[[str], str]) -> tuple[str, ...]:
    """The names of `candidates` nearest to `name`, closest first, each `spelled` as the
    template would write it."""
    close = difflib.get_close_matches(name, list(dict.fromkeys(candidates)), SUGGESTIONS, 0.6)
    return tuple(spelled(c) for c in close)


# -- syntax errors ------------------------------------------------------------------------


def _syntax_problem(
    exc: jinja2.TemplateSyntaxError, templates: Path, filters: Iterable[str]
) -> TemplateProblem:
    path = Path(exc.filename) if exc.filename else None
    source = exc.source if exc.source is not None else _read(path)
    lines = source.splitlines() if source else []
    line = exc.lineno
    message = exc.message or str(exc)
    column: int | None = None
    suggestions: tuple[str, ...] = ()
    innermost = re.search(r"The innermost block that needs to be closed is '(\w+)'", message)
    opened = _open_block(source, exc.name) if source and innermost else None
    if opened is not None and message.startswith("Unexpected end of template"):
        keyword, line, column = opened
        message = (
            f"the {{% {keyword} %}} block opened here is never closed: "
            f"add {{% {BLOCKS[keyword]} %}} where it ends"
        )
    else:
        unknown = re.fullmatch(r"No (filter|test) named '([\w.]+)'\.?", message)
        token = re.search(r"(?:got|unexpected|unknown tag) '([^']+)'", message)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        if unknown:
            column = _find_name(text, unknown.group(2))
            if unknown.group(1) == "filter":
                suggestions = nearest(unknown.group(2), filters, lambda c: c)
        elif token:
            column = _find_name(text, token.group(1))
        if opened is not None:
            keyword, at, col = opened
            message += f" The {{% {keyword} %}} still open was opened at line {at}, column {col}."
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return TemplateProblem(
        _relative(str(path), templates) if path else str(exc.name or templates),
        line,
        None if column is None else str(column),
        message,
        line_text=text,
        suggestions=suggestions,
    )


def _open_block(source: str, name: str | None) -> tuple[str, int, int] | None:
    """The innermost block left open where Jinja stopped reading `source`: its keyword, line
    and column. It is the block still open at the end, or the one an end tag of another
    block tried to close."""
    import jinja2

    env = jinja2.Environment()
    stack: list[tuple[str, int, int]] = []
    try:
        tokens = tokens_with_offsets(env, source, name)
    except (jinja2.TemplateSyntaxError, ValueError):
        return None
    tag_start: int | None = None
    keyword = ""
    assigns = False
    for start, kind, value in tokens:
        if kind == "block_begin":
            tag_start, keyword, assigns = start, "", False
        elif kind == "name" and tag_start is not None and not keyword:
            keyword = value
        elif kind == "operator" and value == "=" and tag_start is not None:
            assigns = True
        elif kind == "block_end" and tag_start is not None:
            if keyword in BLOCKS and not (keyword == "set" and assigns):
                line, column = line_column(source, tag_start)
                stack.append((keyword, line, column))
            elif keyword.startswith("end") and stack:
                if BLOCKS[stack[-1][0]] != keyword:
                    return stack[-1]
                stack.pop()
            tag_start = None
    return stack[-1] if stack else None


def tokens_with_offsets(
    env: Any, source: str, name: str | None = None
) -> list[tuple[int, str, str]]:
    """Jinja's raw tokens with their offsets in `source`: (start, kind, raw text). The lexer
    drops whitespace that `-` strips, so each token is found from where the last ended."""
    found = []
    at = 0
    for _, kind, value in env.lexer.tokeniter(source, name):
        start = source.find(value, at) if value else at
        if start < 0:
            raise ValueError(f"token {value!r} not found after offset {at}")
        found.append((start, kind, value))
        at = start + len(value)
    return found


def line_column(text: str, position: int) -> tuple[int, int]:
    """The line and column (both from 1) of an offset in `text`."""
    line_start = text.rfind("\n", 0, position) + 1
    return text.count("\n", 0, position) + 1, position - line_start + 1


# -- helpers ------------------------------------------------------------------------------


def _template_frames(exc: BaseException) -> list[tuple[str, int]]:
    """The template lines an error passed through, outermost first (consecutive repeats of
    one line left out)."""
    frames: list[tuple[str, int]] = []
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".jinja") and frame.lineno is not None:
            here = (frame.filename, frame.lineno)
            if not frames or frames[-1] != here:
                frames.append(here)
    return frames


def _message(exc: BaseException) -> str:
    import jinja2

    text = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, jinja2.TemplateError):
        return str(text)
    return f"{type(exc).__name__}: {text}"


def _find_name(text: str, name: str) -> int | None:
    """The column of `name` in a template line: as an attribute, a quoted key, or a word;
    inside a tag when the line has one."""
    patterns = (
        rf"\.{re.escape(name)}\b",
        rf"\[\s*([\"']){re.escape(name)}\1\s*\]",
        rf"(?<![\w.]){re.escape(name)}(?!\w)",
        re.escape(name),
    )
    for pattern in patterns:
        match = re.search(pattern, text)
        if match:
            start = match.start() + (1 if pattern.startswith(r"\.") else 0)
            return start + 1
    return None


def _owner(text: str, name: str) -> tuple[str, Callable[[str], str]]:
    """The expression before `.name` or `["name"]` in a template line ('m', 'real.tables'),
    and how the template spells another name read from it ('m.B1', 'tables["tbl-x"]')."""
    expression = r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)"
    dotted = re.search(rf"{expression}\.{re.escape(name)}\b", text)
    if dotted:
        owner = dotted.group(1)
        return owner, lambda c: f"{owner}.{c}" if c.isidentifier() else f'{owner}["{c}"]'
    keyed = re.search(rf"{expression}\[\s*([\"']){re.escape(name)}\2\s*\]", text)
    if keyed:
        owner, quote = keyed.group(1), keyed.group(2)
        return owner, lambda c: f"{owner}[{quote}{c}{quote}]"
    return "", lambda c: c


def _place(path: str, line: int, templates: Path) -> str:
    return f"{_relative(path, templates)}, line {line}"


def _line(path: str, number: int) -> str:
    lines = (_read(Path(path)) or "").splitlines()
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _read(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _relative(filename: str, templates: Path) -> str:
    path = Path(filename)
    try:
        return f"templates/{path.resolve().relative_to(templates.resolve()).as_posix()}"
    except ValueError:
        return filename


def _either(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
