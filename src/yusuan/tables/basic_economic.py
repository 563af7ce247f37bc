"""一般公共预算基本支出表: basic expenditure of the general budget by 部门预算支出经济分类 (类/款)."""

from __future__ import annotations

from yusuan.tables import measures as m
from yusuan.tables.base import NAME, TEXT, Column, Table, simple_header
from yusuan.tables.facts import Facts, economic_rollup

ID = "basic-economic"
NAME_ZH = "一般公共预算安排基本支出分经济科目表"


def build(facts: Facts) -> Table:
    columns = (
        Column("name", "经济科目名称", NAME, 30),
        Column("amount", "预算数", width=14),
        Column("note", "备注", TEXT, 16),
    )
    lines = [x for x in facts.by_economic if m.general(x) and m.basic(x)]
    rows = economic_rollup(facts, lines, {"amount": m.everything})
    return Table(
        ID,
        NAME_ZH,
        facts.dataset.manifest.display_unit,
        simple_header(columns),
        columns,
        tuple(rows),
        name_en="General budget basic expenditure by economic class",
    )
