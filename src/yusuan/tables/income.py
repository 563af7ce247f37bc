"""收入总表: revenue by function code (类/款/项) and funding source."""

from __future__ import annotations

from yusuan.tables import measures as m
from yusuan.tables.base import CODE, NAME, Column, Table, header_grid
from yusuan.tables.facts import Facts, function_rollup, title

ID = "income"
NAME_ZH = "预算收入总表"

COLUMNS = (
    ("total", "本年收入合计", m.everything),
    ("general", "一般公共预算", m.general),
    ("fund", "政府性基金", m.fund),
    ("special_account", "财政专户管理资金", m.special_account),
    ("state_capital", "国有资本经营预算资金", m.state_capital),
    ("unit_funds", "单位资金", m.unit_funds),
)


def build(facts: Facts) -> Table:
    year = facts.year
    columns = (
        Column("code", "科目编码", CODE, 10),
        Column("name", "科目名称", NAME, 30),
        *(Column(key, label) for key, label, _ in COLUMNS),
    )
    header = header_grid(
        [
            ("项目", 0, 0, 1, 2),
            (f"{year}年预算数", 0, 2, 1, len(COLUMNS)),
            ("科目编码", 1, 0, 1, 1),
            ("科目名称", 1, 1, 1, 1),
            *((label, 1, 2 + i, 1, 1) for i, (_, label, _) in enumerate(COLUMNS)),
        ]
    )
    rows = function_rollup(facts, facts.by_function, {key: measure for key, _, measure in COLUMNS})
    return Table(
        ID,
        title(year, NAME_ZH),
        facts.dataset.manifest.display_unit,
        header,
        columns,
        tuple(rows),
        name_en="Revenue by function and source",
    )
