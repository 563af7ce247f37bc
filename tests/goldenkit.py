"""What the tests that compare yusuan's output with the golden values (``tests/golden``) share:
how a golden amount is shown, and which yusuan key each golden heading stands for.

Like the golden values, everything here is typed by hand; nothing is produced by yusuan.
"""

from __future__ import annotations

from decimal import Decimal

# the 三公 table's golden headings (its amounts) -> yusuan column keys
THREE_PUBLIC_KEYS = {
    "合计": "total",
    "因公出国(境)费": "abroad",
    "公务接待费": "reception",
    "公务用车费小计": "vehicle_subtotal",
    "公务用车运行维护费": "vehicle_operation",
    "公务用车购置费": "vehicle_purchase",
    "会议费": "meeting",
    "培训费": "training",
}

# a form's golden funds keys -> attributes of ``Funds``
FUND_KEYS = {
    "total": "total",
    "central": "central",
    "provincial": "provincial",
    "city": "city",
    "county": "county",
    "self": "self_raised",
}


def shown(published: str) -> str:
    """A golden amount as the tables show it: thousands separators, two decimals
    ("12347.83" -> "12,347.83")."""
    return f"{Decimal(published):,.2f}"


def typographic(value: str) -> str:
    """A seed indicator value as yusuan prints it: the seed types >= and <= in some forms and
    ≥ ≤ in others; published output always uses ≥ ≤."""
    return value.replace(">=", "≥").replace("<=", "≤")
