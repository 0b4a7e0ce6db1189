"""Core: the one formatting module. Every number on every surface goes through these.

Prose, tables, chart labels, alt text and data files all call the same `fmt_*` functions,
which are also the templates' Jinja filters (`FILTERS`). Rounding is half up (away from
zero) on exact values: inputs are `Decimal`, `Fraction`, `int` or `Measure`, never float.
Words that depend on a number come from the committed bands file, `bands.toml`.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache
from importlib import resources
from typing import Any

from bulletin.core.measure import Measure, Unit
from bulletin.core.symbols import Symbol

Number = Decimal | Fraction | int
Formattable = Measure | Symbol | Number

MINUS = "\u2212"  # the minus sign used in prose and tables


# -- exact arithmetic ------------------------------------------------------------------


def exact(x: Number | Measure) -> Fraction:
    """The exact rational value of a number or a shown measure. Floats are refused."""
    if isinstance(x, Measure):
        return x.exact
    if isinstance(x, bool) or not isinstance(x, Decimal | Fraction | int):
        raise TypeError(
            f"formatters take exact numbers (Decimal, Fraction, int), not {type(x).__name__}"
        )
    if isinstance(x, Decimal) and not x.is_finite():
        raise ValueError(f"cannot format {x}")
    return Fraction(x)


def round_half_up(x: Number | Measure, places: int = 0) -> Decimal:
    """Round to `places` decimal places, halves away from zero, on the exact value."""
    value = exact(x)
    scaled = abs(value) * Fraction(10) ** places
    whole = math.floor(scaled + Fraction(1, 2))
    result = Decimal(whole).scaleb(-places)
    if value < 0 and whole != 0:
        result = -result
    return result


def round_to_multiple(x: Number | Measure, base: int) -> int:
    """Round to the nearest multiple of `base`, halves away from zero."""
    value = exact(x) / base
    multiple = math.floor(abs(value) + Fraction(1, 2)) * base
    return -multiple if value < 0 else multiple


# -- the bands file --------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    low: Fraction
    high: Fraction
    words: str

    def __contains__(self, x: Fraction) -> bool:
        return self.low <= x < self.high


@cache
def bands() -> dict[str, Any]:
    """The committed bands file, parsed (numbers kept as strings; see `band_list`)."""
    text = resources.files("bulletin.core").joinpath("bands.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def band_list(formatter: str) -> tuple[Band, ...]:
    return tuple(
        Band(Fraction(b["low"]), Fraction(b["high"]), b["words"])
        for b in bands()[formatter]["bands"]
    )


def _first_band(formatter: str, x: Fraction) -> str | None:
    return next((band.words for band in band_list(formatter) if x in band), None)


# -- symbols ---------------------------------------------------------------------------


def _symbol_of(x: Formattable) -> str | None:
    if isinstance(x, Symbol):
        return x.value
    if isinstance(x, Measure) and x.symbol is not None:
        return x.symbol.value
    return None


def symbol_passes(fmt: Callable[..., str]) -> Callable[..., str]:
    """Decorate a formatter so that a symbol (or a measure holding one) prints as itself."""

    @functools.wraps(fmt)  # the formatter's own name: it pickles (charts drawn in a pool)
    def wrapper(x: Formattable, *args: Any, **kwargs: Any) -> str:
        symbol = _symbol_of(x)
        return symbol if symbol is not None else fmt(x, *args, **kwargs)

    return wrapper


def gss_symbol(x: Formattable) -> str:
    """The GSS symbol shown for `x`, or '' when it has a value."""
    return _symbol_of(x) or ""


def symbol_meaning(x: Symbol | str) -> str:
    return Symbol(x).meaning


def data_text(x: Formattable, fmt: Callable[..., str]) -> str:
    """A value as an open-data file holds it: rounded as `fmt` prints it, without thousands
    separators, a percent sign or a plus sign, with an ASCII minus ("8.8%" -> "8.8",
    "−0.3" -> "-0.3", "404,710" -> "404710"); a symbol as itself ("c")."""
    symbol = _symbol_of(x)
    if symbol is not None:
        return symbol
    printed = fmt(x)
    text = printed.replace(",", "").replace(MINUS, "-").removeprefix("+").removesuffix("%")
    try:
        Decimal(text)
    except ArithmeticError:
        raise ValueError(f"{fmt.__name__} prints {printed!r}, which is not a number") from None
    return text


# -- numbers ---------------------------------------------------------------------------


def _whole(x: Number | Measure) -> int:
    value = exact(x)
    if value.denominator != 1:
        raise ValueError(f"expected a whole number, got {value}")
    return value.numerator


@symbol_passes
def fmt_count(n: Number | Measure) -> str:
    """A whole count with thousands separators: 404,710."""
    return f"{_whole(n):,}"


def _fixed(d: Decimal, places: int) -> str:
    text = f"{abs(d):,.{places}f}"
    return f"-{text}" if d < 0 else text


@symbol_passes
def fmt_rate_1dp(x: Number | Measure) -> str:
    """A rate per 10,000 to 1 decimal place: 341.0."""
    return _fixed(round_half_up(x, 1), 1)


@symbol_passes
def fmt_1dp(x: Number | Measure) -> str:
    """A score or mean to 1 decimal place: 44.7 (an Attainment 8 score, a median)."""
    return _fixed(round_half_up(x, 1), 1)


@symbol_passes
def fmt_2dp(x: Number | Measure) -> str:
    """A ratio or relative risk to 2 decimal places: 0.48."""
    return _fixed(round_half_up(x, 2), 2)


@symbol_passes
def pct_1dp(p: Number | Measure) -> str:
    """A share as a percentage to 1 decimal place: 8.8%."""
    return _fixed(round_half_up(exact(p) * 100, 1), 1) + "%"


@symbol_passes
def percent_1dp(p: Number | Measure) -> str:
    """A percentage as a real file publishes it (0 to 100), to 1 decimal place: 21.9%."""
    return _fixed(round_half_up(p, 1), 1) + "%"


@symbol_passes
def pct_whole(p: Number | Measure) -> str:
    """A share as a whole percentage: 12%."""
    return _fixed(round_half_up(exact(p) * 100, 0), 0) + "%"


@symbol_passes
def pct_around(p: Number | Measure) -> str:
    """A share as 'around' a whole percentage: around 6%."""
    return str(bands()["pct_around"]["words"]).format(pct=pct_whole(p))


@symbol_passes
def signed_1dp(x: Number | Measure, ascii: bool = False) -> str:
    """A signed score to 1 decimal place: −0.3, +0.4, 0.0 (ASCII '-' for data files)."""
    d = round_half_up(x, 1)
    if d == 0:
        return _fixed(abs(d), 1)
    sign = "+" if d > 0 else ("-" if ascii else MINUS)
    return sign + _fixed(abs(d), 1)


@symbol_passes
def signed_2dp(x: Number | Measure, ascii: bool = False) -> str:
    """A signed score to 2 decimal places, as Progress 8 is published: −1.32, +0.16, 0.00."""
    d = round_half_up(x, 2)
    if d == 0:
        return _fixed(abs(d), 2)
    sign = "+" if d > 0 else ("-" if ascii else MINUS)
    return sign + _fixed(abs(d), 2)


_PLAIN = {
    Unit.COUNT: fmt_count,
    Unit.SHARE: pct_1dp,
    Unit.RATE: fmt_rate_1dp,
    Unit.RATIO: fmt_2dp,
    Unit.SCORE: fmt_2dp,
    Unit.POINTS: fmt_1dp,
    Unit.DAYS: fmt_1dp,
    Unit.NUMBER: fmt_2dp,
}
_SIGNED = {Unit.RATIO: signed_2dp, Unit.SCORE: signed_2dp}


@symbol_passes
def fmt_plain(x: Measure) -> str:
    """A measure as a plain number of its unit (a count 404,710, a share 8.8%, a rate
    341.0, a ratio 0.48), where no wording fits: the table of revisions."""
    if x.unit in (Unit.COUNT, Unit.NUMBER) and exact(x).denominator == 1:
        return fmt_count(x)
    return _PLAIN[x.unit](x)


@symbol_passes
def fmt_change(x: Measure) -> str:
    """A change in a measure, signed, in its unit: +10 (a count), −1.2 percentage points
    (a share), +0.4 (a rate), +0.02 (a ratio or score)."""
    if x.unit is Unit.SHARE:
        return signed_1dp(exact(x) * 100) + " percentage points"
    if x.unit in (Unit.COUNT, Unit.NUMBER) and exact(x).denominator == 1:
        n = _whole(x)
        return "0" if n == 0 else ("+" if n > 0 else MINUS) + f"{abs(n):,}"
    return _SIGNED.get(x.unit, signed_1dp)(x)


# -- words -----------------------------------------------------------------------------


@symbol_passes
def at_least_millions(n: Number | Measure) -> str:
    """'at least X million', X = n rounded down to 1 decimal place of a million."""
    tenths = math.floor(exact(n) / 100_000)
    millions = Decimal(tenths).scaleb(-1)
    return str(bands()["at_least_millions"]["words"]).format(millions=f"{millions:.1f}")


def _reciprocal(s: Number | Measure) -> Fraction | None:
    value = exact(s)
    if value < 0 or value > 1:
        raise ValueError(f"a share must be between 0 and 1, got {value}")
    return None if value == 0 else 1 / value


@symbol_passes
def one_in_n(s: Number | Measure) -> str:
    """'1 in N', N = 1/s rounded half up; 'none' for 0."""
    inverse = _reciprocal(s)
    if inverse is None:
        return str(bands()["zero_words"])
    return str(bands()["one_in_n"]["words"]).format(n=f"{int(round_half_up(inverse)):,}")


@symbol_passes
def at_least_one_in_n(s: Number | Measure) -> str:
    """'at least 1 in N', N = ceil(1/s), so that 1/N <= s; 'none' for 0."""
    inverse = _reciprocal(s)
    if inverse is None:
        return str(bands()["zero_words"])
    return str(bands()["one_in_n"]["at_least_words"]).format(n=f"{math.ceil(inverse):,}")


@symbol_passes
def all_but(n: Number | Measure) -> str:
    """'all but N': N to the nearest 100 (halves up) above 100, else as it is."""
    spec = bands()["all_but"]
    count = _whole(n)
    shown = count if count <= spec["exact_up_to"] else round_to_multiple(count, spec["round_to"])
    return str(spec["words"]).format(n=f"{shown:,}")


@symbol_passes
def fraction_words(p: Number | Measure) -> str:
    """A share in words from the bands ('half', 'almost a third'...), else a whole percentage."""
    return _first_band("fraction_words", exact(p)) or pct_whole(p)


@symbol_passes
def ratio_words(r: Number | Measure) -> str:
    """A ratio of likelihoods in words from the bands, else 'X% less likely' or 'X times as likely'."""
    value = exact(r)
    if value < 0:
        raise ValueError(f"a ratio cannot be negative, got {value}")
    words = _first_band("ratio_words", value)
    if words is not None:
        return words
    spec = bands()["ratio_words"]
    if value < 1:
        return str(spec["less_likely"]).format(percent=_fixed(round_half_up((1 - value) * 100), 0))
    if value > 1:
        return str(spec["times_as_likely"]).format(times=_fixed(round_half_up(value, 1), 1))
    return str(spec["as_likely"])


@symbol_passes
def up_to_pct_less_likely(r: Number | Measure) -> str:
    """'up to X% less likely', X = (1 - r) x 100 to the nearest 10; 'about as likely' near 1."""
    spec = bands()["up_to_pct_less_likely"]
    value = exact(r)
    if value >= Fraction(spec["about_as_likely_from"]):
        return str(spec["about_as_likely"])
    percent = round_to_multiple((1 - value) * 100, spec["round_to"])
    return str(spec["words"]).format(percent=percent)


def _join(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def similar_likelihood(reference: Formattable, *others: Formattable) -> str:
    """'just as likely to do poorly' when every other group's RR is within the tolerance of the
    reference group's; otherwise the RRs in numbers, the reference first."""
    if not others:
        raise ValueError("similar_likelihood needs at least one other group")
    everything = (reference, *others)
    if any(_symbol_of(x) is not None for x in everything):
        return _join([fmt_2dp(x) for x in everything])
    spec = bands()["similar_likelihood"]
    tolerance = Fraction(spec["tolerance"])
    ref = exact(reference)  # type: ignore[arg-type]
    if all(abs(exact(o) - ref) <= tolerance for o in others):  # type: ignore[arg-type]
        return str(spec["words"])
    return _join([fmt_2dp(x) for x in everything])


def gap_trend(gaps: Sequence[Formattable]) -> str:
    """Whether a gap widens or narrows at every stage; otherwise the gaps in numbers."""
    if len(gaps) < 2:
        raise ValueError("gap_trend needs at least two gaps")
    spec = bands()["gap_trend"]
    if all(_symbol_of(g) is None for g in gaps):
        values = [exact(g) for g in gaps]  # type: ignore[arg-type]
        pairs = list(itertools.pairwise(values))
        if all(b > a for a, b in pairs):
            return str(spec["widens"])
        if all(b < a for a, b in pairs):
            return str(spec["narrows"])
    return _join([_points(g) for g in gaps]) + " percentage points"


@symbol_passes
def _points(x: Number | Measure) -> str:
    return _fixed(round_half_up(x, 1), 1)


def comparison(a: Formattable, b: Formattable) -> str:
    """How `a` compares with `b`, in the words of the bands file: 'higher than', 'lower
    than' or 'the same as' (a hidden value compares as 'not comparable with')."""
    spec = bands()["comparison"]
    if _symbol_of(a) is not None or _symbol_of(b) is not None:
        return str(spec["unknown"])
    x, y = exact(a), exact(b)  # type: ignore[arg-type]
    return str(spec["higher"] if x > y else spec["lower"] if x < y else spec["same"])


# -- years -----------------------------------------------------------------------------


def fmt_academic_year(code: int | str) -> str:
    """An academic year from its six-digit code: 201718 -> '2017/18'."""
    text = str(code)
    if len(text) != 6 or not text.isdigit() or (int(text[:4]) + 1) % 100 != int(text[4:]):
        raise ValueError(f"{code!r} is not an academic year code such as 201718")
    return f"{text[:4]}/{text[4:]}"


def fmt_academic_year_ending(end_year: int) -> str:
    """The academic year that ends in a reporting year's end year: 2018 -> '2017/18'."""
    return fmt_academic_year(f"{end_year - 1}{end_year % 100:02d}")


def fmt_reporting_year(year_ending: int | str) -> str:
    """A reporting year (ending 31 March) from its end year: 2018 -> '2017-18'."""
    text = str(year_ending)
    if len(text) != 4 or not text.isdigit():
        raise ValueError(f"{year_ending!r} is not a reporting year such as 2018")
    end = int(text)
    return f"{end - 1}-{end % 100:02d}"


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def fmt_date(day: dt.date) -> str:
    """A date as GOV.UK writes it: 31 March 2018 (month names fixed, never the locale's)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def fmt_kilobytes(size: int) -> str:
    """A file size as GOV.UK shows it: 1.2 MB, 640 KB (1 KB = 1,024 bytes)."""
    if size >= 1024 * 1024:
        return f"{_fixed(round_half_up(Fraction(size, 1024 * 1024), 1), 1)} MB"
    return f"{max(1, int(round_half_up(Fraction(size, 1024))))} KB"


def fmt_year(year: int) -> str:
    """A calendar year: 2018 (checked, so that no other number is printed as a year)."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
        raise ValueError(f"{year!r} is not a year")
    return str(year)


#: Every formatter, by the name templates use as a Jinja filter.
FILTERS: dict[str, Callable[..., str]] = {
    f.__name__: f
    for f in (
        fmt_count,
        fmt_rate_1dp,
        fmt_1dp,
        fmt_2dp,
        pct_1dp,
        percent_1dp,
        pct_whole,
        pct_around,
        signed_1dp,
        signed_2dp,
        fmt_plain,
        fmt_change,
        at_least_millions,
        one_in_n,
        at_least_one_in_n,
        all_but,
        fraction_words,
        ratio_words,
        up_to_pct_less_likely,
        similar_likelihood,
        gap_trend,
        fmt_academic_year,
        fmt_academic_year_ending,
        fmt_reporting_year,
        fmt_date,
        fmt_year,
        fmt_kilobytes,
        gss_symbol,
        symbol_meaning,
    )
}
