"""机关运行经费: per unit, the 公用经费 of 基本支出 paid from 一般公共预算财政拨款, for 机关
(行政单位 and 参照公务员法管理事业单位)."""

from __future__ import annotations

from decimal import Decimal

from yusuan.model.records import BasicCategory
from yusuan.money import ZERO
from yusuan.tables import measures as m
from yusuan.tables.base import DETAIL, NAME, TOTAL, Column, Row, Table, simple_header
from yusuan.tables.facts import Facts, Line, title

ID = "operating-costs"
NAME_ZH = "机关运行经费预算财政拨款情况统计表"


def counts(line: Line) -> bool:
    """Is this line 机关运行经费?"""
    return (
        m.general(line)
        and line.is_basic
        and line.line.category is BasicCategory.OPERATING
        and line.unit.kind.is_organ
    )


def build(facts: Facts) -> Table:
    year = facts.year
    columns = (Column("name", "单位名称", NAME, 36), Column("amount", f"{year}年预算数", width=14))
    by_unit: dict[str, Decimal] = {}
    for line in facts.lines:
        if counts(line):
            by_unit[line.unit.code] = by_unit.get(line.unit.code, ZERO) + line.amount
    rows = [Row("", "合计", 0, {"amount": sum(by_unit.values(), ZERO)}, TOTAL)]
    rows += [
        Row(unit.code, unit.name, 1, {"amount": by_unit[unit.code]}, DETAIL)
        for unit in facts.dataset.manifest.units
        if unit.code in by_unit
    ]
    return Table(
        ID,
        title(year, NAME_ZH),
        facts.dataset.manifest.display_unit,
        simple_header(columns),
        columns,
        tuple(rows),
        name_en="Institutional operating expenses",
    )
