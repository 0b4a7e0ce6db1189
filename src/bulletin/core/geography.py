"""Core: the geography of England the publications use: 152 local authorities in 9 regions,
with Inner and Outer London as a second split of London.

The types live in core so that every layer can hold them; `bulletin.data.geography` loads
them from the public files.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

ENGLAND = "E92000001"
LONDON = "E12000007"
INNER_LONDON = "E13000001"
OUTER_LONDON = "E13000002"
#: ONS codes retired in April 2013, when a small boundary change between Gateshead and
#: Northumberland gave both new codes (ONS Code History Database); some real files still
#: use them. Each maps to the code that replaced it.
RETIRED_CODES = {"E08000020": "E08000037", "E06000048": "E06000057"}


@dataclass(frozen=True)
class LocalAuthority:
    code: str  # 9-character ONS code, as the 2018 tables give it
    old_code: str  # 3-digit DfE code
    name: str
    region_code: str  # one of the 9 regions (E12...)
    region_name: str
    london_split: str | None  # Inner or Outer London (E13...) for London authorities
    children: int  # children aged 0 to 17, mid-2017: the weight of the authority
    need_rate: Decimal  # children in need at 31 March 2018 per 10,000, as published (B1)


@dataclass(frozen=True)
class Geography:
    authorities: tuple[LocalAuthority, ...]  # sorted by code

    @cached_property
    def by_code(self) -> dict[str, LocalAuthority]:
        return {la.code: la for la in self.authorities}

    @cached_property
    def regions(self) -> tuple[tuple[str, str], ...]:
        """(code, name) of the regions, sorted by code."""
        return tuple(sorted({(la.region_code, la.region_name) for la in self.authorities}))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(la.code for la in self.authorities)
