"""Core: `Measure`, the value type of every published number.

A `Measure` carries its exact value (a `Decimal`, never a float), what it counts, and where
it comes from. A value that is not shown is a `Measure` with a GSS symbol and no value,
never a bare string or NaN.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from bulletin.core.symbols import Symbol


class Unit(StrEnum):
    """What a measure's value is."""

    COUNT = "count"  # a whole number of children, pupils, schools, episodes...
    SHARE = "share"  # a proportion between 0 and 1 (printed as a percentage)
    PERCENT = "percent"  # a percentage from 0 to 100, as a real file publishes it
    RATE = "rate"  # per 10,000 children aged 0 to 17
    RATIO = "ratio"  # one share or rate divided by another
    SCORE = "score"  # a score such as Progress 8
    POINTS = "points"  # a difference in percentage points
    DAYS = "days"  # a length of time in days (a median duration may end in .5)
    NUMBER = "number"  # a plain number that counts no one: a threshold, a rounding base


@dataclass(frozen=True, slots=True)
class Measure:
    """One published number, or the symbol shown in its place."""

    value: Decimal | None
    unit: Unit
    numerator: int | None = None
    denominator: int | None = None
    symbol: Symbol | None = None
    source: str = ""
    definition: str = ""

    def __post_init__(self) -> None:
        if (self.value is None) == (self.symbol is None):
            raise ValueError("a Measure has either a value or a GSS symbol, not both or neither")
        if self.value is not None and not isinstance(self.value, Decimal):
            raise TypeError(f"Measure.value must be a Decimal, not {type(self.value).__name__}")
        if self.value is not None and not self.value.is_finite():
            raise ValueError("Measure.value must be finite")
        for name in ("numerator", "denominator"):
            part = getattr(self, name)
            if part is not None and (isinstance(part, bool) or not isinstance(part, int)):
                raise TypeError(f"Measure.{name} must be an int")
        if (
            self.unit is Unit.COUNT
            and self.value is not None
            and self.value != self.value.to_integral_value()
        ):
            raise ValueError(f"a count must be whole, got {self.value}")

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def count(cls, n: int, *, source: str = "", definition: str = "") -> Measure:
        return cls(Decimal(n), Unit.COUNT, numerator=n, source=source, definition=definition)

    @classmethod
    def share(
        cls, numerator: int, denominator: int, *, source: str = "", definition: str = ""
    ) -> Measure:
        """The share numerator / denominator, kept exact (see `exact`)."""
        if denominator <= 0:
            raise ValueError("a share needs a positive denominator")
        return cls(
            to_decimal(Fraction(numerator, denominator)),
            Unit.SHARE,
            numerator=numerator,
            denominator=denominator,
            source=source,
            definition=definition,
        )

    @classmethod
    def hidden(
        cls, symbol: Symbol, unit: Unit, *, source: str = "", definition: str = ""
    ) -> Measure:
        """A measure shown only as its GSS symbol (suppressed, not available...)."""
        return cls(None, unit, symbol=symbol, source=source, definition=definition)

    # -- reading ----------------------------------------------------------------------
    @property
    def shown(self) -> bool:
        return self.symbol is None

    @property
    def exact(self) -> Fraction:
        """The exact value: numerator / denominator for a share, else the Decimal value."""
        if self.value is None:
            raise ValueError(f"this measure is not shown (symbol {self.symbol})")
        if self.unit is Unit.SHARE and self.numerator is not None and self.denominator:
            return Fraction(self.numerator, self.denominator)
        return Fraction(self.value)


def to_decimal(x: Fraction, digits: int = 28) -> Decimal:
    """A Decimal for a fraction: exact when it terminates within `digits` significant digits."""
    with localcontext() as ctx:
        ctx.prec = digits
        return Decimal(x.numerator) / Decimal(x.denominator)
