"""上年数 from last year's dataset: the prior-year figures read off its own disclosure tables.

When a dataset names the previous year's dataset (``prior_dataset`` in ``yusuan.toml`` or
``--prior DIR``), its prior-year figures are not typed again: they are the cells of the tables
that dataset publishes, built by the same ``build_tables`` as this year's. Each becomes a
``PriorYearFigure(category, key, amount)``, the record type ``prior_year.csv`` also gives, so
every reader (the narrative, the rules, the tables' 上年 columns) sees one kind of record.

Categories and keys (docs/dataset-format.md lists them):

- ``合计``: 本年收入合计, 本年支出合计, 基本支出, 项目支出 (预算支出汇总表), 财政拨款收入合计
  (财政拨款收支总表), 一般公共预算支出合计 (一般公共预算支出预算表);
- ``收入来源``: each funding column of the 预算收入总表 by its label (一般公共预算, 政府性基金 …);
- ``功能分类``: every 支出功能分类 code (类/款/项) of the 预算支出汇总表, its 合计;
- ``项目支出功能分类``: the same codes, their 项目支出;
- ``一般公共预算功能分类``: every code of the 一般公共预算支出预算表, its 合计;
- ``经济分类``: every economic code (类/款) of the 一般公共预算基本支出分经济科目表;
- ``三公经费``: 合计 and each item of the “三公”经费预算表 (因公出国(境)费 … 会议费, 培训费);
- ``机关运行经费``: ``合计`` and each unit code of the 机关运行经费 table.

A figure whose cell is blank or 0 in every table is still recorded (as 0) when the row exists,
so that "last year 0" is known rather than missing.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.model.records import Dataset, Origin, PriorYearFigure
from yusuan.tables import (
    basic_economic,
    build_tables,
    expenditure,
    fiscal,
    general_budget,
    income,
    operating_costs,
    three_public,
)
from yusuan.tables.base import Row, Table

TOTALS = "合计"
SOURCES = "收入来源"
FUNCTION = "功能分类"
PROJECT_FUNCTION = "项目支出功能分类"
GENERAL_FUNCTION = "一般公共预算功能分类"
ECONOMIC = "经济分类"
THREE_PUBLIC = "三公经费"
OPERATING_COSTS = "机关运行经费"

# the note of every derived figure: a category with one is complete (a key it lacks is 0)
DERIVED_NOTE = "由上年数据集计算"

# the categories this module derives (prior_year.csv may give any of them too)
DERIVED_CATEGORIES = (
    TOTALS,
    SOURCES,
    FUNCTION,
    PROJECT_FUNCTION,
    GENERAL_FUNCTION,
    ECONOMIC,
    THREE_PUBLIC,
    OPERATING_COSTS,
)

# keys of the 合计 category
INCOME_TOTAL = "本年收入合计"
EXPENDITURE_TOTAL = "本年支出合计"
BASIC_TOTAL = "基本支出"
PROJECT_TOTAL = "项目支出"
FISCAL_TOTAL = "财政拨款收入合计"
GENERAL_TOTAL = "一般公共预算支出合计"

# 三公 table column -> the key written for it (names as docs/narrative.md lists them)
THREE_PUBLIC_KEYS = (
    ("total", "合计"),
    ("abroad", "因公出国(境)费"),
    ("vehicle_subtotal", "公务用车购置及运行费"),
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
    ("reception", "公务接待费"),
    ("meeting", "会议费"),
    ("training", "培训费"),
)


def _amount(row: Row | None, column: str) -> Decimal:
    value = row.values.get(column) if row is not None else None
    return value if isinstance(value, Decimal) else Decimal(0)


def _total(table: Table) -> Row | None:
    total = table.total_row()
    return total if total is not None else (table.rows[0] if table.rows else None)


def prior_figures(dataset: Dataset, label: str) -> list[PriorYearFigure]:
    """Every prior-year figure of ``dataset`` (last year's), read from its tables.

    ``label`` names that dataset in each figure's origin (``../dept-2020``)."""
    tables = {t.id: t for t in build_tables(dataset)}
    figures: list[PriorYearFigure] = []

    def add(category: str, key: str, amount: Decimal, table: Table) -> None:
        origin = Origin(f"{label}（{table.title}）")
        figures.append(PriorYearFigure(category, key, amount, DERIVED_NOTE, origin))

    spending = tables[expenditure.ID]
    income_table = tables[income.ID]
    fiscal_table = tables[fiscal.ID]
    general = tables[general_budget.ID]
    add(TOTALS, INCOME_TOTAL, _amount(_total(income_table), "total"), income_table)
    add(TOTALS, EXPENDITURE_TOTAL, _amount(_total(spending), "total"), spending)
    add(TOTALS, BASIC_TOTAL, _amount(_total(spending), "basic"), spending)
    add(TOTALS, PROJECT_TOTAL, _amount(_total(spending), "project"), spending)
    add(TOTALS, FISCAL_TOTAL, _amount(_total(fiscal_table), "income"), fiscal_table)
    add(TOTALS, GENERAL_TOTAL, _amount(_total(general), "total"), general)
    for column in income_table.value_columns():
        if column.key != "total":
            add(SOURCES, column.label, _amount(_total(income_table), column.key), income_table)
    for row in spending.rows:
        if row.code:
            add(FUNCTION, row.code, _amount(row, "total"), spending)
            add(PROJECT_FUNCTION, row.code, _amount(row, "project"), spending)
    for row in general.rows:
        if row.code:
            add(GENERAL_FUNCTION, row.code, _amount(row, "total"), general)
    economic = tables[basic_economic.ID]
    for row in economic.rows:
        if row.code:
            add(ECONOMIC, row.code, _amount(row, "amount"), economic)
    three = tables[three_public.ID]
    for column_key, key in THREE_PUBLIC_KEYS:
        add(THREE_PUBLIC, key, _amount(_total(three), column_key), three)
    costs = tables[operating_costs.ID]
    add(OPERATING_COSTS, TOTALS, _amount(_total(costs), "amount"), costs)
    for row in costs.rows:
        if row.code and row.kind != "total":
            add(OPERATING_COSTS, row.code, _amount(row, "amount"), costs)
    return figures


__all__ = ["DERIVED_CATEGORIES", "DERIVED_NOTE", "prior_figures"]
