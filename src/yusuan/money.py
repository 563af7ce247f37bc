"""Exact money: parsing, unit conversion and display rounding.

Amounts are ``Decimal`` in 元 (yuan) everywhere in the core. They are converted to a display unit
(万元 by default) only at the edge, and rounded 四舍五入 (ROUND_HALF_UP) only when shown.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")

# Digits, optionally grouped by thousands separators in threes, optional decimals, and an optional
# trailing unit. Anything else (exponents, full-width digits, ¥, misplaced separators) is refused.
_AMOUNT_RE = re.compile(
    r"^(?P<sign>-?)(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?[ \t]*(?P<unit>元|万元|亿元)?$",
    re.ASCII,
)
_PLAIN_RE = re.compile(r"^-?\d{1,15}(?:\.\d{1,2})?$", re.ASCII)  # below the bound by its digits
_EXPONENT_RE = re.compile(r"^-?[\d,]*\.?\d*[eE][-+]?\d+[ \t]*(?:元|万元|亿元)?$", re.ASCII)

# Every amount is below 10^15 元 (一千万亿元) in absolute value: far above any budget, and small
# enough that its cents (17 significant digits) pass exactly through Decimal arithmetic, integer
# 分 in a database and the workbook (see dataset/workbook.py), and that sums of millions of lines
# stay within Decimal's 28 significant digits.
AMOUNT_BOUND = Decimal(10) ** 15


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
_PLACES = {"元": 0, "万元": 4, "亿元": 8}  # decimal places the factor shifts


class AmountError(ValueError):
    """An amount cell that cannot be read exactly; the messages say why, in Chinese and English."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True, slots=True)
class ParsedAmount:
    """An amount read from a cell: its value in 元, and the unit the cell was written in."""

    yuan: Decimal
    written_unit: MoneyUnit


def excerpt(text: str, limit: int = 40) -> str:
    """The start of ``text`` for a message (a cell may hold a whole swallowed file)."""
    return (
        text if len(text) <= limit else f"{text[:limit]}…（共{len(text)}字符 / {len(text)} chars）"
    )


def parse_amount(text: str) -> ParsedAmount:
    """Parse an amount as people and Excel write it: ``1200000``, ``1,200,000.50``, ``150万元``.

    The value must be a whole number of 分 once in 元 and below ``AMOUNT_BOUND``. Exponent forms
    (``1.2E+06``) are refused: in a CSV they are what Excel *displays* in a narrow column, whose
    digits may already be rounded. Raises ``AmountError``.
    """
    cleaned = text.strip()
    if _PLAIN_RE.match(cleaned):  # the common case, already exact and in range
        return ParsedAmount(Decimal(cleaned), MoneyUnit.YUAN)
    shown = excerpt(cleaned)
    match = _AMOUNT_RE.match(cleaned)
    if match is None:
        if _EXPONENT_RE.match(cleaned):
            raise AmountError(
                f"“{shown}”是科学计数法，可能是 Excel 按列宽显示时舍入的结果，无法确定原值；"
                "请把该列设为“数值”格式（两位小数）后重新保存",
                f"{shown!r} is in exponent form, which may be Excel's rounded display of a "
                "narrow column; format the column as a number with two decimals and save again",
            )
        raise AmountError(
            f"应为金额（元，最多两位小数；可带千分位逗号和“元”或“万元”），实际为“{shown}”",
            "expected an amount in 元 (at most two decimals; thousands separators and a "
            f"trailing 元 or 万元 allowed), got {shown!r}",
        )
    unit = MoneyUnit(match["unit"]) if match["unit"] else MoneyUnit.YUAN
    frac = match["frac"] or ""
    number = Decimal(
        f"{match['sign']}{match['whole'].replace(',', '')}.{frac}"
        if frac
        else f"{match['sign']}{match['whole'].replace(',', '')}"
    )
    if abs(number) >= AMOUNT_BOUND / unit.factor:  # compared before any arithmetic can round
        raise AmountError(
            f"金额“{shown}”超出上限：绝对值须小于 10^15 元（1000万亿元）",
            f"amount {shown!r} is out of range: it must be below 10^15 元 in absolute value",
        )
    places = 2 + _PLACES[unit.value]
    yuan = number * unit.factor  # exact: below the bound, fewer than 28 significant digits
    if len(frac) > places or yuan != yuan.quantize(CENT):
        in_unit_zh = "" if unit is MoneyUnit.YUAN else f"（以{unit.value}计最多 {places} 位）"
        in_unit_en = "" if unit is MoneyUnit.YUAN else f" ({places} in {unit.value})"
        raise AmountError(
            f"金额“{shown}”含不足一分的部分：以元计最多两位小数{in_unit_zh}",
            f"amount {shown!r} has a fraction of a 分: at most two decimals in 元{in_unit_en}",
        )
    return ParsedAmount(yuan if unit is MoneyUnit.YUAN else yuan.quantize(CENT), unit)


def parse_yuan(text: str) -> Decimal:
    """Parse an amount cell to 元 (see ``parse_amount``). Raises ``AmountError``, a ValueError."""
    return parse_amount(text).yuan


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
