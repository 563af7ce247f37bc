"""How a table cell is shown to people and to programs: one place for units and rounding."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from yusuan.money import ZERO, MoneyUnit, exact_string, format_amount, round_display, to_unit
from yusuan.tables.base import AMOUNT, PERCENT, QUANTITY, Column, Value


def display(column: Column, value: Value, unit: MoneyUnit, *, blank_zero: bool = True) -> str:
    """The text a person sees: amounts in the table's unit, 2 decimals, 四舍五入; zero blank."""
    if value is None:
        return ""
    if column.kind == AMOUNT and isinstance(value, Decimal):
        if blank_zero and value == 0:
            return ""
        return format_amount(to_unit(value, unit))
    if column.kind == QUANTITY and isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else ""
    if column.kind == PERCENT and isinstance(value, Decimal):
        # 2 decimals, 四舍五入; a zero rate shows, and a tiny fall shows 0.00, not -0.00
        rounded = round_display(value)
        return format_amount(rounded if rounded else ZERO, thousands=False)
    return str(value)


def exact(column: Column, value: Value, unit: MoneyUnit) -> str | None:
    """The machine value: amounts as exact decimal strings in the table's unit (JSON/CSV contract)."""
    if value is None:
        return None
    if column.kind == AMOUNT and isinstance(value, Decimal):
        return exact_string(to_unit(value, unit))
    if column.kind in (QUANTITY, PERCENT) and isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def text_width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, align: str = "<") -> str:
    gap = max(0, width - text_width(text))
    if align == ">":
        return " " * gap + text
    if align == "^":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap
