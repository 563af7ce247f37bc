"""Column measures shared by the tables: which lines a column adds up."""

from __future__ import annotations

from yusuan.tables.facts import (
    FUND,
    GENERAL,
    SPECIAL_ACCOUNT,
    STATE_CAPITAL,
    UNIT_FUNDS,
    Line,
    Measure,
)


def everything(line: Line) -> bool:
    return True


def basic(line: Line) -> bool:
    return line.is_basic


def project(line: Line) -> bool:
    return not line.is_basic


def from_source(column: str) -> Measure:
    def accepts(line: Line) -> bool:
        return line.source_column == column

    accepts.__name__ = f"from_{column}"
    return accepts


general = from_source(GENERAL)
fund = from_source(FUND)
state_capital = from_source(STATE_CAPITAL)
special_account = from_source(SPECIAL_ACCOUNT)
unit_funds = from_source(UNIT_FUNDS)


def fiscal(line: Line) -> bool:
    """财政拨款: general budget, government fund and state-capital appropriations."""
    return line.source_column in (GENERAL, FUND, STATE_CAPITAL)


TOTAL_BASIC_PROJECT: dict[str, Measure] = {"total": everything, "basic": basic, "project": project}
