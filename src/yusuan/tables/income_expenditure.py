"""收支总表: revenue by funding source beside expenditure by function 类 (every 类 of the year)."""

from __future__ import annotations

from yusuan.money import ZERO
from yusuan.tables import measures as m
from yusuan.tables.base import NAME, TEXT, TOTAL, Column, Row, Table, header_grid
from yusuan.tables.facts import (
    FUND,
    GENERAL,
    SPECIAL_ACCOUNT,
    STATE_CAPITAL,
    UNIT_FUNDS,
    Facts,
    class_of,
    group_sums,
    sums,
    title,
)

ID = "income-expenditure"
NAME_ZH = "预算收支总表"

# The template's income lines: (label as printed, funding-source column).
INCOME_LINES = (
    ("一、一般公共预算", GENERAL),
    ("二、纳入预算管理的政府性基金", FUND),
    ("三、财政专户管理资金", SPECIAL_ACCOUNT),
    ("四、国有资本经营预算资金", STATE_CAPITAL),
    ("五、单位资金", UNIT_FUNDS),
)


def build(facts: Facts) -> Table:
    year = facts.year
    columns = (
        Column("income_item", "项目", TEXT, 30),
        Column("income", f"{year}年", width=14),
        Column("name", "项目", NAME, 28),
        Column("expenditure", f"{year}年", width=14),
    )
    header = header_grid(
        [
            ("收入", 0, 0, 1, 2),
            ("支出", 0, 2, 1, 2),
            ("项目", 1, 0, 1, 1),
            (f"{year}年", 1, 1, 1, 1),
            ("项目", 1, 2, 1, 1),
            (f"{year}年", 1, 3, 1, 1),
        ]
    )
    income = sums(facts.by_function, {col: m.from_source(col) for _, col in INCOME_LINES})
    classes = sorted(facts.catalogs.function.at_level("类"), key=lambda e: e.code)
    by_class = group_sums(facts.by_function, {"amount": m.everything}, class_of)
    rows = []
    for index in range(max(len(INCOME_LINES), len(classes))):
        values: dict[str, object] = {}
        code = name = ""
        if index < len(INCOME_LINES):
            label, col = INCOME_LINES[index]
            values["income_item"] = label
            values["income"] = income[col]
        if index < len(classes):
            code, name = classes[index].code, classes[index].name
            values["expenditure"] = by_class.get(code, {}).get("amount", ZERO)
        rows.append(Row(code, name, 1, values))  # type: ignore[arg-type]
    total = sum((x.amount for x in facts.by_function), ZERO)
    rows.append(
        Row(
            "",
            "本年支出合计",
            0,
            {"income_item": "本年收入合计", "income": total, "expenditure": total},
            TOTAL,
        )
    )
    return Table(
        ID,
        title(year, NAME_ZH),
        facts.dataset.manifest.display_unit,
        header,
        columns,
        tuple(rows),
        name_en="Summary of revenue and expenditure",
    )
