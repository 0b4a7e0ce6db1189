"""The bins of a school's share of pupils in need (bulletin.findings.schools): each share in
exactly one bin, each bin inside one band, both as the documentation words them, checked on
DuckDB for every share k of n up to n = 120 against exact fractions worked out here."""

from __future__ import annotations

from fractions import Fraction

import ibis
import pandas as pd

from bulletin.findings.schools import BANDS, BINS, share_bin


def band(x: Fraction) -> str:
    """The bands of methodology.md: none, under 5%, 5% to 10% (both inclusive), over 10% to
    15%, over 15% to 20%, over 20%."""
    if x == 0:
        return "none"
    if x < Fraction(1, 20):
        return "under 5%"
    if x <= Fraction(1, 10):
        return "5% to 10%"
    if x <= Fraction(3, 20):
        return "over 10% to 15%"
    if x <= Fraction(1, 5):
        return "over 15% to 20%"
    return "over 20%"


def bin_of(x: Fraction) -> str:
    """Steps of 2.5 points: up to 10% closed below ([5%, 7.5%)), above it closed above
    ((10%, 12.5%]), like the bands; over 50% one bin."""
    step = Fraction(1, 40)
    if x == 0:
        return "none"
    if x > Fraction(1, 2):
        return "over 50%"
    if x <= Fraction(1, 10):
        j = min(int(x / step), 3)  # 10% itself is in 7.5% to 10%
        low, high = f"{2.5 * j:g}%", f"{2.5 * (j + 1):g}%"
        if j == 0:
            return f"over 0% to under {high}"
        return f"{low} to {high}" if j == 3 else f"{low} to under {high}"
    j = -(-x // step) - 1  # (j/40, (j+1)/40]
    return f"over {2.5 * j:g}% to {2.5 * (j + 1):g}%"


def test_every_share_is_in_its_bin_and_every_bin_in_its_band() -> None:
    pairs = pd.DataFrame([(k, n) for n in range(1, 121) for k in range(n + 1)], columns=["k", "n"])
    table = ibis.memtable(pairs)
    got = table.select("k", "n", bin=share_bin(table.k, table.n)).to_pandas()
    assert len(got) == len(pairs)
    wrong = []
    for k, n, found in got.itertuples(index=False):
        x = Fraction(int(k), int(n))
        if found != bin_of(x) or BINS[found] != band(x):
            wrong.append((k, n, found, bin_of(x), band(x)))
    assert not wrong, wrong[:10]
    assert set(got["bin"]) == set(BINS)  # every bin is reached
    assert list(dict.fromkeys(BINS.values())) == list(BANDS)  # bins in the bands' order
