"""Disclosure: the single-number rules (primary suppression, rate suppression, rounding).

Every rule takes its thresholds as the core `Disclosure` settings object
(`Settings.disclosure`), passed down as a plain value:

- `is_primary(v, t)`: a count from `t.suppress_min` to `t.suppress_max` (1 to 5) is shown as
  `c`. Zero is shown.
- `rounds(level, counted)`: national and regional counts of children and pupils (and of
  episodes, which count children's episodes of need) are published rounded to the nearest
  `t.rounding_base` (10); counts of schools and local authority counts never are. The
  caller says what a count counts (`Counted`) and at which level (`Level`).
- `rounding_interval(r, base)`: the values that round to a published `r` (r-5 to r+4).
- `rate_hidden(...)`: a percentage or rate is suppressed when its numerator is suppressed,
  its denominator is suppressed, or its denominator is under `t.min_denominator` (10).
- `rate_interval(...)`: the numerators a published rate allows, for the audit.
- `count_measure(...)`, `rate_measure(...)`: a single protected number as a `Measure`.
"""

from __future__ import annotations

import math
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from bulletin.core.formatting import round_half_up, round_to_multiple
from bulletin.core.measure import Measure, Unit
from bulletin.core.settings import Disclosure
from bulletin.core.symbols import Symbol

PERCENT = 100
PER_10000 = 10_000


class Level(StrEnum):
    """The geographic level of a count."""

    NATIONAL = "national"
    REGIONAL = "regional"  # Inner and Outer London included
    LOCAL_AUTHORITY = "local authority"


class Counted(StrEnum):
    """What a count counts: it decides whether national and regional counts are rounded."""

    CHILDREN = "children"
    PUPILS = "pupils"
    EPISODES = "episodes"  # episodes of need: counted about children, rounded like them
    SCHOOLS = "schools"


ROUNDED_LEVELS = frozenset({Level.NATIONAL, Level.REGIONAL})
ROUNDED_COUNTS = frozenset({Counted.CHILDREN, Counted.PUPILS, Counted.EPISODES})


def is_primary(value: int, t: Disclosure) -> bool:
    """True for a count that must be suppressed for itself (1 to 5)."""
    return t.suppress_min <= value <= t.suppress_max


def rounds(level: Level, counted: Counted) -> bool:
    """True when a count at `level` of `counted` is published rounded."""
    return level in ROUNDED_LEVELS and counted in ROUNDED_COUNTS


def rounded(value: int, t: Disclosure) -> int:
    """A count rounded to the nearest `t.rounding_base`, halves up."""
    return round_to_multiple(value, t.rounding_base)


def rounding_interval(published: int, base: int) -> tuple[int, int]:
    """The whole numbers that round (halves up) to `published`, clipped at zero.

    For base 10: r-5 to r+4 (a published 130 means 125 to 134).
    """
    low = published - base // 2
    high = published + (base + 1) // 2 - 1
    return max(0, low), high


def rate_value(numerator: int, denominator: int, scale: int, places: int = 1) -> Decimal:
    """The published value of a rate: scale x numerator / denominator, halves up."""
    return round_half_up(Fraction(numerator * scale, denominator), places)


def rate_bounds(published: Decimal, scale: int, places: int = 1) -> tuple[Fraction, Fraction]:
    """The exact ratios numerator / denominator that publish as `published`: [low, high)."""
    half = Fraction(1, 2 * 10**places)
    value = Fraction(published)
    return (value - half) / scale, (value + half) / scale


def rate_interval(
    published: Decimal, denominator: int, scale: int, places: int = 1
) -> tuple[int, int]:
    """The whole numerators that, over a public `denominator`, publish as `published`.

    A rate R = round(scale x n / d, places) with d public bounds n to
    ceil((R - h) d / scale) .. ceil((R + h) d / scale) - 1, where h is half a unit in the
    last place.
    """
    low, high = rate_bounds(published, scale, places)
    return max(0, math.ceil(low * denominator)), math.ceil(high * denominator) - 1


def rate_hidden(
    denominator: int,
    t: Disclosure,
    *,
    numerator_suppressed: bool,
    denominator_suppressed: bool = False,
) -> bool:
    """True when a rate or percentage must not be shown."""
    return numerator_suppressed or denominator_suppressed or denominator < t.min_denominator


def count_measure(
    value: int,
    t: Disclosure,
    *,
    level: Level,
    counted: Counted,
    suppressed: bool = False,
    source: str = "",
    definition: str = "",
) -> Measure:
    """One count as published: `c` if 1 to 5 (or `suppressed`), rounded where the rules say."""
    if value < 0:
        raise ValueError(f"a count cannot be negative, got {value}")
    if suppressed or is_primary(value, t):
        return Measure.hidden(Symbol.SUPPRESSED, Unit.COUNT, source=source, definition=definition)
    shown = rounded(value, t) if rounds(level, counted) else value
    return Measure.count(shown, source=source, definition=definition)


def rate_measure(
    numerator: int,
    denominator: int,
    t: Disclosure,
    *,
    scale: int,
    numerator_suppressed: bool,
    denominator_suppressed: bool = False,
    places: int = 1,
    source: str = "",
    definition: str = "",
) -> Measure:
    """A percentage (`scale` 100, a `SHARE` measure) or a rate per `scale` (a `RATE` measure).

    Suppressed as `c` by `rate_hidden`; a zero denominator gives `z` (not applicable). A
    share keeps its exact numerator and denominator (the formatter rounds it); a rate is
    rounded here to `places`, halves up.
    """
    unit = Unit.SHARE if scale == PERCENT else Unit.RATE
    if denominator == 0:
        return Measure.hidden(Symbol.NOT_APPLICABLE, unit, source=source, definition=definition)
    if numerator < 0 or denominator < 0:
        raise ValueError(f"a rate needs counts of at least 0, got {numerator}/{denominator}")
    if rate_hidden(
        denominator,
        t,
        numerator_suppressed=numerator_suppressed,
        denominator_suppressed=denominator_suppressed,
    ):
        return Measure.hidden(Symbol.SUPPRESSED, unit, source=source, definition=definition)
    if unit is Unit.SHARE:
        return Measure.share(numerator, denominator, source=source, definition=definition)
    return Measure(
        rate_value(numerator, denominator, scale, places),
        Unit.RATE,
        numerator=numerator,
        denominator=denominator,
        source=source,
        definition=definition,
    )
