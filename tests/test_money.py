"""Exact money: parsing, conversion and 四舍五入 at display only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yusuan.money import MoneyUnit, exact_string, format_amount, parse_yuan, round_display, to_unit


def test_round_half_up_not_bankers() -> None:
    assert round_display(Decimal("0.125")) == Decimal("0.13")
    assert round_display(Decimal("0.135")) == Decimal("0.14")
    assert round_display(Decimal("-0.125")) == Decimal("-0.13")
    assert format_amount(Decimal("1234567.005")) == "1,234,567.01"


def test_unit_conversion_is_exact() -> None:
    assert to_unit(Decimal("123478300.00"), MoneyUnit.WAN) == Decimal("12347.83")
    assert to_unit(Decimal("1.00"), MoneyUnit.WAN) == Decimal("0.0001")
    assert exact_string(to_unit(Decimal("1.00"), MoneyUnit.WAN)) == "0.0001"
    assert exact_string(to_unit(Decimal("400000.00"), MoneyUnit.WAN)) == "40.00"
    assert exact_string(to_unit(Decimal("264000.00"), MoneyUnit.WAN)) == "26.40"
    assert exact_string(to_unit(Decimal("123456789.00"), MoneyUnit.YI)) == "1.23456789"


@pytest.mark.parametrize(
    "text", ["12,3", "1,0000", "12.345", "1e3", "1.2E+06", "万元", "", "12.3.4", "¥12", "１２"]
)
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"元|科学计数法"):
        parse_yuan(text)


def test_units_parse_from_document_lines() -> None:
    assert MoneyUnit.parse("单位：万元") is MoneyUnit.WAN
    assert MoneyUnit.parse("单位:元") is MoneyUnit.YUAN
    assert MoneyUnit.parse("亿元") is MoneyUnit.YI
    with pytest.raises(ValueError):
        MoneyUnit.parse("千元")
