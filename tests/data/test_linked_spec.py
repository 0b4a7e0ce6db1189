"""The linked-data specification: the document, the schema and the validator agree both ways."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from bulletin.core import schema
from bulletin.data.linked import CHECKS, DOC_PATH, specification_markdown
from tests.data.linked_helpers import ROOT

DOC = ROOT / DOC_PATH


def documented_fields() -> dict[tuple[str, str], set[str]]:
    """(table, field) -> the checks the document lists for it, read from the Markdown.

    A field row is a 7-cell table row under a `## <table>` heading; its last cell lists the
    checks, comma-separated.
    """
    found: dict[tuple[str, str], set[str]] = {}
    table = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"## (\w+)", line)
        if heading:
            table = heading[1]
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if table and len(cells) == 7 and re.fullmatch(r"`\w+`", cells[0]):
            found[(table, cells[0].strip("`"))] = {c.strip() for c in cells[6].split(",")}
    return found


def documented_rules() -> set[tuple[str, str]]:
    rules = set()
    table = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.fullmatch(r"## (\w+)", line)
        if heading:
            table = heading[1]
        rule = re.fullmatch(r"- (.+) \((blocks|\*\*warning\*\*); reported in .+\)", line)
        if table and rule:
            rules.add((table, rule[1]))
    return rules


def validator_fields() -> dict[tuple[str, str], set[str]]:
    """(table, field) -> the kinds of check the validator runs that read it."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for check in CHECKS:
        for name in check.fields:
            found[(check.table, name)].add("rules" if check.kind == "rule" else check.kind)
    return dict(found)


def test_the_committed_document_is_what_the_schema_generates() -> None:
    assert DOC.read_text(encoding="utf-8") == specification_markdown(), (
        f"{DOC_PATH} is stale: run `python -m bulletin.data.linked --write-docs`"
    )


def test_the_document_lists_every_table_and_field_of_the_schema() -> None:
    schema_fields = {(t.name, f.name) for t in schema.TABLES for f in t.fields}
    assert set(documented_fields()) == schema_fields


def test_the_validator_checks_every_documented_field_and_only_those() -> None:
    documented, checked = documented_fields(), validator_fields()
    assert set(checked) == set(documented)
    for key, kinds in documented.items():
        assert checked[key] == kinds, key


def test_every_field_has_a_type_check_and_the_checks_its_definition_asks_for() -> None:
    checked = validator_fields()
    for table in schema.TABLES:
        for f in table.fields:
            kinds = checked[(table.name, f.name)]
            assert "type" in kinds
            assert ("required" in kinds) == f.required
            assert ("code" in kinds) == bool(f.codes)
            assert ("range" in kinds) == (f.low is not None)
            assert ("reference" in kinds) == bool(f.references)
            assert ("key" in kinds) == (f.name in table.key)


def test_every_rule_of_the_schema_is_checked_and_documented_and_no_other() -> None:
    in_schema = {(t.name, rule) for t in schema.TABLES for rule in t.extra_rules}
    checked = {(c.rule_of, c.text) for c in CHECKS if c.kind == "rule"}
    assert checked == in_schema
    assert documented_rules() == in_schema


def test_the_documented_blocking_and_warning_rules_match_the_checks() -> None:
    text = DOC.read_text(encoding="utf-8")
    for check in CHECKS:
        if check.kind == "rule":
            word = "blocks" if check.blocking else "**warning**"
            assert f"- {check.text} ({word};" in text


def test_write_docs_writes_the_document(tmp_path: Path) -> None:
    (tmp_path / "bulletin.toml").write_text((ROOT / "bulletin.toml").read_text())
    (tmp_path / "docs").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "bulletin.data.linked", "--write-docs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "BULLETIN_ROOT": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / DOC_PATH).read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
