"""财政拨款收支总表: fiscal appropriations (一般公共预算, 政府性基金, 国有资本经营预算) only."""

from __future__ import annotations

from yusuan.money import ZERO
from yusuan.tables import measures as m
from yusuan.tables.base import NAME, TEXT, TOTAL, Column, Row, Table, Value, header_grid
from yusuan.tables.facts import (
    FUND,
    GENERAL,
    STATE_CAPITAL,
    Facts,
    class_of,
    group_sums,
    sums,
    title,
)

ID = "fiscal"
NAME_ZH = "财政拨款收支总表"

# (income label, expenditure column label, source column); 国有资本经营预算 is shown only when the
# budget has such money, as in templates that omit it otherwise.
FISCAL_SOURCES = (
    ("一、一般公共预算", "一般公共预算", GENERAL),
    ("二、纳入预算管理的政府性基金", "政府性基金", FUND),
    ("三、国有资本经营预算", "国有资本经营预算", STATE_CAPITAL),
)


def build(facts: Facts) -> Table:
    year = facts.year
    lines = [x for x in facts.by_function if m.fiscal(x)]
    present = {x.source_column for x in lines}
    sources = [s for s in FISCAL_SOURCES if s[2] != STATE_CAPITAL or STATE_CAPITAL in present]
    columns = (
        Column("income_item", "项目", TEXT, 30),
        Column("income", "金额", width=14),
        Column("name", "项目", NAME, 28),
        Column("subtotal", "小计", width=14),
        *(Column(col, label, width=14) for _, label, col in sources),
    )
    header = header_grid(
        [
            ("收入", 0, 0, 1, 2),
            ("支出", 0, 2, 1, 2 + len(sources)),
            ("项目", 1, 0, 2, 1),
            ("金额", 1, 1, 2, 1),
            ("项目", 1, 2, 2, 1),
            ("金额", 1, 3, 1, 1 + len(sources)),
            ("小计", 2, 3, 1, 1),
            *((label, 2, 4 + i, 1, 1) for i, (_, label, _) in enumerate(sources)),
        ]
    )
    income = sums(lines, {col: m.from_source(col) for _, _, col in sources})
    classes = sorted(facts.catalogs.function.at_level("类"), key=lambda e: e.code)
    source_measures = {col: m.from_source(col) for _, _, col in sources}
    by_class = group_sums(lines, source_measures, class_of)
    rows = []
    for index in range(max(len(sources), len(classes))):
        values: dict[str, Value] = {}
        code = name = ""
        if index < len(sources):
            label, _, col = sources[index]
            values["income_item"] = label
            values["income"] = income[col]
        if index < len(classes):
            code, name = classes[index].code, classes[index].name
            by_source = by_class.get(code, dict.fromkeys(source_measures, ZERO))
            values["subtotal"] = sum(by_source.values(), ZERO)
            values.update(by_source)
        rows.append(Row(code, name, 1, values))
    totals = sums(lines, {col: m.from_source(col) for _, _, col in sources})
    grand = sum(totals.values(), ZERO)
    rows.append(
        Row(
            "",
            "本年支出合计",
            0,
            {"income_item": "本年收入合计", "income": grand, "subtotal": grand, **totals},
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
        name_en="Summary of fiscal appropriations",
    )
