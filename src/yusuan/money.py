"""Exact money: parsing, unit conversion and display rounding.

Amounts are ``Decimal`` in 元 (yuan) everywhere in the core. They are converted to a display unit
(万元 by default) only at the edge, and rounded 四舍五入 (ROUND_HALF_UP) only when shown.
"""

from __future__ import annotations

import enum
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
CENT = Decimal("0.01")

_AMOUNT_RE = re.compile(r"^-?\d+(\.\d{1,2})?$")


class MoneyUnit(enum.Enum):
    """A unit that amounts are shown in (金额单位)."""

    YUAN = "元"
    WAN = "万元"
    YI = "亿元"

    @property
    def factor(self) -> Decimal:
        """How many 元 one of this unit is."""
        return _FACTORS[self.value]

    @classmethod
    def parse(cls, text: str) -> MoneyUnit:
        cleaned = text.strip().removeprefix("单位").strip("：: ")
        for unit in cls:
            if cleaned == unit.value:
                return unit
        raise ValueError(f"unknown money unit {text!r}; expected 元, 万元 or 亿元")


_FACTORS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


def parse_yuan(text: str) -> Decimal:
    """Parse an amount in 元 as written in a dataset cell: digits with at most two decimals.

    Raises ``ValueError`` with a message naming what was expected.
    """
    cleaned = text.strip()
    if not _AMOUNT_RE.match(cleaned):
        raise ValueError(f"{text!r} is not an amount in 元 (digits, at most two decimals)")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"{text!r} is not a number") from exc


def to_unit(yuan: Decimal, unit: MoneyUnit) -> Decimal:
    """Convert an amount in 元 to ``unit`` exactly (no rounding)."""
    return yuan / unit.factor if unit is not MoneyUnit.YUAN else yuan


def from_unit(amount: Decimal, unit: MoneyUnit) -> Decimal:
    """Convert an amount given in ``unit`` to 元 exactly."""
    return amount * unit.factor


def round_display(amount: Decimal, places: int = 2) -> Decimal:
    """Round 四舍五入 (half up) to ``places`` decimals, for display only."""
    return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def exact_string(amount: Decimal) -> str:
    """An exact decimal string with at least two decimals and no exponent (JSON contract)."""
    text = format(amount.normalize(), "f")
    if "." not in text:
        return text + ".00"
    whole, frac = text.split(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def format_amount(amount: Decimal | None, places: int = 2, *, thousands: bool = True) -> str:
    """Format for people: rounded half up, with thousands separators; blank for None."""
    if amount is None:
        return ""
    rounded = round_display(amount, places)
    return f"{rounded:,.{places}f}" if thousands else f"{rounded:.{places}f}"
