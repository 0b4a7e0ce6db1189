"""Data: the sourced facts file (`facts.toml` in the public data folder), checked and read.

A fact is a number or statement the publications use that no data file holds (such as the
public estimate of all children in England over the linked window). Each has a `value`, a
`statement` of what it is, a `source` and the `page` it comes from; a derived fact also
has a `derivation`. `load_facts` reports every problem at once.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bulletin.core.measure import Measure
from bulletin.core.problems import InputError, Problem
from bulletin.core.provenance import Kind, Source, Sourced
from bulletin.data.ees import outside

FACTS_FILE = "facts.toml"
REQUIRED = ("value", "statement", "source", "page")
OPTIONAL = ("derivation",)


@dataclass(frozen=True)
class Fact:
    id: str
    value: int | str
    statement: str
    source: str
    page: str
    derivation: str = ""


def load_facts(public_data: Path) -> dict[str, Fact]:
    """Every fact of `public_data/facts.toml`, by id; `InputError` naming each problem."""
    path = public_data / FACTS_FILE
    reason = outside(public_data, FACTS_FILE)
    if reason is not None:
        raise InputError([Problem(FACTS_FILE, None, None, reason)])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problem = Problem(FACTS_FILE, None, None, f"file not found in {public_data}")
        raise InputError([problem]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem(FACTS_FILE, None, None, f"cannot be read: {exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise InputError([Problem(FACTS_FILE, line, None, f"not valid TOML: {exc}")]) from None
    problems: list[Problem] = []
    facts: dict[str, Fact] = {}
    for fact_id, entry in raw.items():
        if not isinstance(entry, dict):
            problems.append(Problem(FACTS_FILE, None, fact_id, "must be a table ([id])"))
            continue
        for key in sorted(set(entry) - set(REQUIRED) - set(OPTIONAL)):
            problems.append(Problem(FACTS_FILE, None, f"{fact_id}.{key}", "unknown key"))
        for key in REQUIRED:
            if key not in entry:
                problems.append(Problem(FACTS_FILE, None, f"{fact_id}.{key}", "is missing"))
        value = entry.get("value")
        if "value" in entry and (
            isinstance(value, bool) or not isinstance(value, int | str) or value == ""
        ):
            problems.append(
                Problem(FACTS_FILE, None, f"{fact_id}.value", "must be a whole number or text")
            )
        texts = {k: entry.get(k, "") for k in (*REQUIRED[1:], *OPTIONAL)}
        for key, text in texts.items():
            if key in entry and (not isinstance(text, str) or not text.strip()):
                problems.append(
                    Problem(FACTS_FILE, None, f"{fact_id}.{key}", "must be non-empty text")
                )
        if not problems and isinstance(value, int | str):
            facts[fact_id] = Fact(fact_id, value, **texts)
    if problems:
        raise InputError(problems)
    return facts


def whole_number(facts: dict[str, Fact], fact_id: str) -> int:
    """A fact that must be a whole number (a count of children, say)."""
    fact = facts.get(fact_id)
    if fact is None:
        raise InputError([Problem(FACTS_FILE, None, fact_id, "the fact is missing")])
    if not isinstance(fact.value, int) or fact.value <= 0:
        raise InputError(
            [Problem(FACTS_FILE, None, f"{fact_id}.value", "must be a whole number above 0")]
        )
    return fact.value


def fact_values(facts: dict[str, Fact]) -> dict[str, Sourced | Fact]:
    """The facts as templates read them: a whole number as a sourced count (printed through
    a formatter, into the numbers manifest as a fact), a text fact as itself."""
    return {
        fact.id: Sourced(
            f"fact.{fact.id}",
            Measure.count(fact.value, source=fact.source, definition=fact.statement),
            Source(Kind.FACT, fact=fact.id, reference=fact.source, page=fact.page),
        )
        if isinstance(fact.value, int)
        else fact
        for fact in facts.values()
    }
