"""Case tables for every formatter: each band edge just below, at and just above, the
'otherwise' outputs, exact thirds, and values that floats get wrong (1.005, 2.5).

Expected strings are worked out by hand from the rules in calibration-targets.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal as D
from fractions import Fraction as F
from pathlib import Path

import pytest

from bulletin.core.formatting import (
    FILTERS,
    all_but,
    at_least_millions,
    at_least_one_in_n,
    data_text,
    fmt_2dp,
    fmt_academic_year,
    fmt_academic_year_ending,
    fmt_count,
    fmt_date,
    fmt_kilobytes,
    fmt_rate_1dp,
    fmt_reporting_year,
    fmt_year,
    fraction_words,
    gap_trend,
    one_in_n,
    pct_1dp,
    pct_around,
    pct_whole,
    ratio_words,
    round_half_up,
    signed_1dp,
    similar_likelihood,
    up_to_pct_less_likely,
)
from bulletin.core.measure import Measure, Unit
from bulletin.core.symbols import Symbol

TINY = F(1, 10**9)  # "just below" and "just above" an edge
THIRD = F(1, 3)


@pytest.mark.parametrize(
    ("x", "places", "expected"),
    [
        (D("1.005"), 2, D("1.01")),  # float round() gives 1.0
        (D("2.5"), 0, D("3")),  # banker's rounding gives 2
        (D("3.5"), 0, D("4")),
        (D("-2.5"), 0, D("-3")),  # halves away from zero
        (D("0.049"), 1, D("0.0")),
        (D("-0.04"), 1, D("0.0")),  # no negative zero
        (THIRD, 3, D("0.333")),
        (F(2, 3), 3, D("0.667")),
        (F(1, 8), 2, D("0.13")),  # 0.125 exactly
        (12, 0, D("12")),
    ],
)
def test_round_half_up(x: D | F | int, places: int, expected: D) -> None:
    got = round_half_up(x, places)
    assert got == expected
    assert str(got) == str(expected)


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError, match="exact numbers"):
        fmt_count(1.0)
    with pytest.raises(TypeError):
        pct_1dp(0.5)
    with pytest.raises(TypeError):
        fmt_count(True)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(404710, "404,710"), (0, "0"), (999, "999"), (1000, "1,000"), (D("1634000"), "1,634,000")],
)
def test_fmt_count(n: int | D, expected: str) -> None:
    assert fmt_count(n) == expected
    assert fmt_count(Measure.count(int(n))) == expected


def test_fmt_count_refuses_fractions() -> None:
    with pytest.raises(ValueError, match="whole number"):
        fmt_count(D("1.5"))


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (D("341.0"), "341.0"),
        (D("345.45"), "345.5"),
        (D("345.449"), "345.4"),
        (F(404710 * 10000, 11716740), "345.4"),  # 345.413...
        (D("1234.56"), "1,234.6"),
        (0, "0.0"),
    ],
)
def test_fmt_rate_1dp(x: D | F | int, expected: str) -> None:
    assert fmt_rate_1dp(x) == expected


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (D("1.005"), "1.01"),
        (D("1.0049"), "1.00"),
        (D("0.485"), "0.49"),
        (D("0.5"), "0.50"),
        (D("-1.005"), "-1.01"),
    ],
)
def test_fmt_2dp(x: D, expected: str) -> None:
    assert fmt_2dp(x) == expected


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (D("0.088"), "8.8%"),
        (D("0.08845"), "8.8%"),
        (D("0.0885"), "8.9%"),  # 8.85 -> 8.9, half up
        (THIRD, "33.3%"),
        (F(2, 3), "66.7%"),
        (D("0.00049"), "0.0%"),
        (D("0.0005"), "0.1%"),
        (1, "100.0%"),
    ],
)
def test_pct_1dp(p: D | F | int, expected: str) -> None:
    assert pct_1dp(p) == expected


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (D("0.12"), "12%"),
        (D("0.125"), "13%"),
        (D("0.1249"), "12%"),
        (D("0.025"), "3%"),  # 2.5 -> 3
        (D("0.005"), "1%"),
        (D("0.0049"), "0%"),
        (THIRD, "33%"),
    ],
)
def test_pct_whole(p: D | F, expected: str) -> None:
    assert pct_whole(p) == expected


@pytest.mark.parametrize(
    ("p", "expected"),
    [(D("0.0588"), "around 6%"), (D("0.055"), "around 6%"), (D("0.0549"), "around 5%")],
)
def test_pct_around(p: D, expected: str) -> None:
    assert pct_around(p) == expected


@pytest.mark.parametrize(
    ("x", "expected", "expected_ascii"),
    [
        (D("-0.25"), "\u22120.3", "-0.3"),
        (D("-2.35"), "\u22122.4", "-2.4"),
        (D("-2.449"), "\u22122.4", "-2.4"),
        (D("0.25"), "+0.3", "+0.3"),
        (D("-0.04"), "0.0", "0.0"),
        (0, "0.0", "0.0"),
    ],
)
def test_signed_1dp(x: D | int, expected: str, expected_ascii: str) -> None:
    assert signed_1dp(x) == expected
    assert signed_1dp(x, ascii=True) == expected_ascii


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1_634_000, "at least 1.6 million"),
        (1_600_000, "at least 1.6 million"),  # at the edge
        (1_599_999, "at least 1.5 million"),  # just below: rounded down
        (1_699_999, "at least 1.6 million"),
        (1_700_000, "at least 1.7 million"),
        (999_999, "at least 0.9 million"),
        (12_000_000, "at least 12.0 million"),
    ],
)
def test_at_least_millions(n: int, expected: str) -> None:
    assert at_least_millions(n) == expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        (D("0.1"), "1 in 10"),
        (D("0.1025"), "1 in 10"),  # 1/s = 9.76
        (F(2, 21), "1 in 11"),  # 1/s = 10.5 exactly: half up
        (F(2, 21) + TINY, "1 in 10"),  # 1/s just below 10.5
        (F(2, 21) - TINY, "1 in 11"),
        (F(2, 19), "1 in 10"),  # 1/s = 9.5 exactly
        (F(2, 19) + TINY, "1 in 9"),
        (F(2, 5), "1 in 3"),  # 1/s = 2.5
        (1, "1 in 1"),
        (0, "none"),
        (F(1, 12345), "1 in 12,345"),
    ],
)
def test_one_in_n(s: D | F | int, expected: str) -> None:
    assert one_in_n(s) == expected


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        (D("0.1"), "at least 1 in 10"),  # 1/s = 10 exactly
        (D("0.1") + D("1e-9"), "at least 1 in 10"),
        (D("0.1") - D("1e-9"), "at least 1 in 11"),  # 1/10 > s, so N must be 11
        (D("0.105"), "at least 1 in 10"),
        (0, "none"),
    ],
)
def test_at_least_one_in_n(s: D | int, expected: str) -> None:
    assert at_least_one_in_n(s) == expected


@pytest.mark.parametrize("s", [D("-0.1"), D("1.1")])
def test_one_in_n_refuses_impossible_shares(s: D) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        one_in_n(s)
    with pytest.raises(ValueError, match="between 0 and 1"):
        at_least_one_in_n(s)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "all but 0"),
        (99, "all but 99"),
        (100, "all but 100"),  # the edge: printed as it is
        (101, "all but 100"),  # just above: to the nearest 100
        (149, "all but 100"),
        (150, "all but 200"),  # half up
        (450, "all but 500"),
        (549, "all but 500"),
        (550, "all but 600"),
        (1250, "all but 1,300"),
    ],
)
def test_all_but(n: int, expected: str) -> None:
    assert all_but(n) == expected


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (F(475, 1000) - TINY, "around half"),
        (D("0.475"), "half"),
        (D("0.5"), "half"),
        (F(525, 1000) - TINY, "half"),
        (D("0.525"), "around half"),
        (D("0.45") - D("1e-9"), "45%"),  # otherwise: a whole percentage
        (D("0.45"), "around half"),
        (D("0.55") - D("1e-9"), "around half"),
        (D("0.55"), "55%"),
        (D("0.18") - D("1e-9"), "18%"),
        (D("0.18"), "around 1 in 5"),
        (D("0.22") - D("1e-9"), "around 1 in 5"),
        (D("0.22"), "22%"),
        (D("0.28") - D("1e-9"), "28%"),
        (D("0.28"), "almost a third"),
        (THIRD - TINY, "almost a third"),
        (D("0.3333333333"), "almost a third"),  # a decimal third is below a third
        (THIRD, "around a third"),
        (THIRD + TINY, "around a third"),
        (D("0.36") - D("1e-9"), "around a third"),
        (D("0.36"), "36%"),
        (D("0.12"), "12%"),
        (D("0.125"), "13%"),
        (0, "0%"),
    ],
)
def test_fraction_words(p: D | F | int, expected: str) -> None:
    assert fraction_words(p) == expected


def test_fraction_words_uses_a_share_measure_exactly() -> None:
    assert fraction_words(Measure.share(1, 3)) == "around a third"
    assert fraction_words(Measure.share(333, 1000)) == "almost a third"


E = D("1e-9")


@pytest.mark.parametrize(
    ("r", "expected"),
    [
        (D("0.28") - E, "72% less likely"),
        (D("0.28"), "around two thirds less likely"),
        (D("0.38") - E, "around two thirds less likely"),
        (D("0.38"), "less than half as likely"),
        (D("0.44") - E, "less than half as likely"),
        (D("0.44"), "half as likely"),
        (D("0.56") - E, "half as likely"),
        (D("0.56"), "around three fifths as likely"),
        (D("0.65") - E, "around three fifths as likely"),
        (D("0.65"), "35% less likely"),
        (D("0.655"), "35% less likely"),  # 34.5 -> 35, half up
        (D("0.95") - E, "5% less likely"),
        (D("0.95"), "about as likely"),
        (1, "about as likely"),
        (D("1.05") - E, "about as likely"),
        (D("1.05"), "1.1 times as likely"),  # 1.05 -> 1.1, half up
        (D("1.8") - E, "1.8 times as likely"),
        (D("1.8"), "around twice as likely"),
        (D("2.2") - E, "around twice as likely"),
        (D("2.2"), "2.2 times as likely"),
        (D("2.5") - E, "2.5 times as likely"),
        (D("2.5"), "around three times as likely"),
        (D("3.5") - E, "around three times as likely"),
        (D("3.5"), "3.5 times as likely"),
        (0, "100% less likely"),
    ],
)
def test_ratio_words(r: D | int, expected: str) -> None:
    assert ratio_words(r) == expected


def test_ratio_words_refuses_negative_ratios() -> None:
    with pytest.raises(ValueError, match="negative"):
        ratio_words(D("-0.1"))


@pytest.mark.parametrize(
    ("r", "expected"),
    [
        (D("0.5"), "up to 50% less likely"),
        (D("0.46"), "up to 50% less likely"),  # 54 -> 50
        (D("0.54"), "up to 50% less likely"),  # 46 -> 50
        (D("0.55"), "up to 50% less likely"),  # 45 -> 50, half up
        (D("0.55") + E, "up to 40% less likely"),
        (D("0.45"), "up to 60% less likely"),  # 55 -> 60
        (D("0.45") + E, "up to 50% less likely"),
        (D("0.95") - E, "up to 10% less likely"),  # 5.0000001 -> 10
        (D("0.95"), "about as likely"),
        (D("1.2"), "about as likely"),
    ],
)
def test_up_to_pct_less_likely(r: D, expected: str) -> None:
    assert up_to_pct_less_likely(r) == expected


@pytest.mark.parametrize(
    ("reference", "others", "expected"),
    [
        (D("0.50"), (D("0.58"), D("0.42")), "just as likely to do poorly"),  # at the edge
        (D("0.50"), (D("0.58") + E,), "0.50 and 0.58"),  # just beyond: numbers
        (D("0.50"), (D("0.42") - E, D("0.5")), "0.50, 0.42 and 0.50"),
        (D("0.50"), (D("0.57"),), "just as likely to do poorly"),
        (D("0.48"), (Symbol.SUPPRESSED,), "0.48 and c"),
    ],
)
def test_similar_likelihood(reference: D, others: tuple[D, ...], expected: str) -> None:
    assert similar_likelihood(reference, *others) == expected


@pytest.mark.parametrize(
    ("gaps", "expected"),
    [
        ((D("27"), D("28"), D("44")), "the gap widens at every stage"),
        ((D("44"), D("28"), D("27")), "the gap narrows at every stage"),
        ((D("27"), D("27"), D("44")), "27.0, 27.0 and 44.0 percentage points"),
        ((D("27"), D("30"), D("29.95")), "27.0, 30.0 and 30.0 percentage points"),
        ((D("27"), D("27") + E), "the gap widens at every stage"),
    ],
)
def test_gap_trend(gaps: tuple[D, ...], expected: str) -> None:
    assert gap_trend(gaps) == expected


def test_gap_trend_needs_two_gaps() -> None:
    with pytest.raises(ValueError, match="two"):
        gap_trend([D("1")])


@pytest.mark.parametrize(
    ("code", "expected"),
    [(201718, "2017/18"), ("201516", "2015/16"), (199900, "1999/00"), (200910, "2009/10")],
)
def test_academic_year(code: int | str, expected: str) -> None:
    assert fmt_academic_year(code) == expected


@pytest.mark.parametrize("code", [201719, 2018, "2017/18", 20171])
def test_academic_year_refuses_bad_codes(code: int | str) -> None:
    with pytest.raises(ValueError, match="academic year"):
        fmt_academic_year(code)


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2018, "2017-18"), ("2013", "2012-13"), (2000, "1999-00"), (2010, "2009-10")],
)
def test_reporting_year(year: int | str, expected: str) -> None:
    assert fmt_reporting_year(year) == expected


def test_reporting_year_refuses_bad_years() -> None:
    with pytest.raises(ValueError, match="reporting year"):
        fmt_reporting_year(201718)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2018, 3, 31), "31 March 2018"),
        (dt.date(2019, 6, 18), "18 June 2019"),
        (dt.date(2018, 12, 1), "1 December 2018"),
        (dt.date(2020, 1, 9), "9 January 2020"),
    ],
)
def test_date(day: dt.date, expected: str) -> None:
    assert fmt_date(day) == expected


def test_the_academic_year_ending_in_a_reporting_year() -> None:
    assert fmt_academic_year_ending(2018) == "2017/18"
    assert fmt_academic_year_ending(2000) == "1999/00"


def test_file_sizes_as_govuk_shows_them() -> None:
    assert fmt_kilobytes(1) == "1 KB"
    assert fmt_kilobytes(1536) == "2 KB"  # 1.5 KB, halves up
    assert fmt_kilobytes(1024 * 1024) == "1.0 MB"
    assert fmt_kilobytes(1024 * 1024 * 5 // 2) == "2.5 MB"


def test_year_refuses_what_is_not_a_year() -> None:
    assert fmt_year(2018) == "2018"
    for bad in (404710, True, "2018", 18):
        with pytest.raises(ValueError, match="not a year"):
            fmt_year(bad)  # type: ignore[arg-type]


VALUE_FORMATTERS = [
    name
    for name in FILTERS
    if name
    not in {
        "fmt_academic_year",
        "fmt_academic_year_ending",
        "fmt_kilobytes",
        "fmt_reporting_year",
        "fmt_date",
        "fmt_year",
        "gss_symbol",
        "symbol_meaning",
        "gap_trend",
        "similar_likelihood",
    }
]


@pytest.mark.parametrize("symbol", list(Symbol))
@pytest.mark.parametrize("name", VALUE_FORMATTERS)
def test_every_formatter_prints_every_symbol(name: str, symbol: Symbol) -> None:
    fmt = FILTERS[name]
    assert fmt(symbol) == symbol.value
    assert fmt(Measure.hidden(symbol, Unit.COUNT)) == symbol.value
    assert FILTERS["gss_symbol"](symbol) == symbol.value
    assert FILTERS["symbol_meaning"](symbol)


def test_gap_trend_with_a_symbol_prints_numbers() -> None:
    assert gap_trend([D("10"), Symbol.SUPPRESSED]) == "10.0 and c percentage points"


def test_filters_render_in_jinja(tmp_path: Path) -> None:
    from bulletin.render import environment

    env = environment(tmp_path)
    template = env.from_string(
        "{{ n | fmt_count }}; {{ s | one_in_n }}; {{ c | fmt_count }}; {{ y | fmt_academic_year }}"
    )
    text = template.render(
        n=Measure.count(404710),
        s=Measure.share(1_634_000, 15_800_000),
        c=Measure.hidden(Symbol.SUPPRESSED, Unit.COUNT),
        y=201718,
    )
    assert text == "404,710; 1 in 10; c; 2017/18"
    assert len(VALUE_FORMATTERS) >= 14


@pytest.mark.parametrize(
    ("x", "fmt", "expected"),
    [
        (Measure.count(404710), fmt_count, "404710"),  # no thousands separator
        (Measure.share(7, 80), pct_1dp, "8.8"),  # 8.75% rounds half up; no percent sign
        (D("-0.31"), signed_1dp, "-0.3"),  # an ASCII minus, not U+2212
        (D("0.44"), signed_1dp, "0.4"),  # no plus sign
        (D("1.005"), fmt_2dp, "1.01"),  # rounded as printed
        (D("341"), fmt_rate_1dp, "341.0"),
        (Measure.hidden(Symbol.SUPPRESSED, Unit.SHARE), pct_1dp, "c"),
        (Symbol.LOW, fmt_count, "low"),
    ],
)
def test_data_text_is_the_printed_value_as_a_plain_number(
    x: Measure | D | Symbol, fmt: Callable[..., str], expected: str
) -> None:
    assert data_text(x, fmt) == expected


def test_data_text_refuses_words() -> None:
    with pytest.raises(ValueError, match="fraction_words prints 'half'"):
        data_text(D("0.5"), fraction_words)


def test_formatters_pickle_by_name() -> None:
    """Charts are drawn in a process pool: their formatter travels by its name."""
    import pickle

    assert pickle.loads(pickle.dumps(fmt_count)) is fmt_count
    assert fmt_count.__name__ == "fmt_count"
