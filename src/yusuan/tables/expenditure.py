"""支出汇总表: all expenditure by function code, split into 基本支出 and 项目支出."""

from __future__ import annotations

from yusuan.tables import measures as m
from yusuan.tables.base import Table
from yusuan.tables.facts import Facts, title
from yusuan.tables.function_table import basic_project_table

ID = "expenditure"
NAME_ZH = "预算支出汇总表"


def build(facts: Facts) -> Table:
    return basic_project_table(
        facts,
        table_id=ID,
        title=title(facts.year, NAME_ZH),
        name_en="Expenditure by function",
        select=m.everything,
    )
