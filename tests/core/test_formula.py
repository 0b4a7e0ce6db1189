"""Formula injection: the cases OWASP lists, and numbers left alone."""

from __future__ import annotations

import pytest

from bulletin.core.formula import neutralise


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("-0.84", "-0.84"),  # a number, not a formula
        ("+12", "+12"),
        ("-1.5e3", "'-1.5e3"),  # not a plain number: neutralised
        ("North East", "North East"),
        ("5% to 10%", "5% to 10%"),
        ("a=b", "a=b"),  # only the first character matters
        ("", ""),
    ],
)
def test_neutralise(text: str, written: str) -> None:
    assert neutralise(text) == written
