"""“三公”经费表: 因公出国(境)费, 公务接待费, 公务用车购置及运行维护费, with 会议费 and 培训费.

Scope: general-public-budget appropriations (一般公共预算财政拨款, as 财预〔2016〕143号's
一般公共预算“三公”经费支出表), basic and project expenditure together, by the economic
codes that the catalogue's expense groups assign to each item.
"""

from __future__ import annotations

from decimal import Decimal

from yusuan.catalog.loader import expense_group_codes
from yusuan.money import ZERO
from yusuan.tables import measures as m
from yusuan.tables.base import DETAIL, TEXT, TOTAL, Column, Row, Table, header_grid
from yusuan.tables.facts import Facts, Line, descendants, title

ID = "three-public"
NAME_ZH = "“三公”经费预算表"

# (column key, expense group, item in the group or None for the whole group)
ITEMS = (
    ("abroad", "三公经费", "因公出国(境)费"),
    ("reception", "三公经费", "公务接待费"),
    ("vehicle_operation", "三公经费", "公务用车运行维护费"),
    ("vehicle_purchase", "三公经费", "公务用车购置费"),
    ("meeting", "会议费", None),
    ("training", "培训费", None),
)


def item_sums(lines: list[Line]) -> dict[str, Decimal]:
    """The 三公 items and totals of these lines (一般公共预算 lines only are counted)."""
    values = dict.fromkeys((key for key, _, _ in ITEMS), ZERO)
    codes = {key: expense_group_codes(group, item) for key, group, item in ITEMS}
    counted = frozenset().union(*codes.values())  # a line on no item's code adds nothing
    for line in lines:
        if line.line.economic_code not in counted or not m.general(line):
            continue
        for key, members in codes.items():
            if line.line.economic_code in members:
                values[key] += line.amount
    values["vehicle_subtotal"] = values["vehicle_operation"] + values["vehicle_purchase"]
    values["total"] = values["abroad"] + values["reception"] + values["vehicle_subtotal"]
    return values


def build(facts: Facts) -> Table:
    year = facts.year
    columns = (
        Column("unit_code", "单位编码", TEXT, 10),
        Column("unit_name", "单位名称", TEXT, 24),
        Column("total", "合计"),
        Column("abroad", "因公出国(境)费"),
        Column("reception", "公务接待费"),
        Column("vehicle_subtotal", "小计"),
        Column("vehicle_operation", "公务用车运行维护费"),
        Column("vehicle_purchase", "公务用车购置费"),
        Column("meeting", "会议费"),
        Column("training", "培训费"),
        Column("note", "备注", TEXT, 10),
    )
    header = header_grid(
        [
            ("单位编码", 0, 0, 3, 1),
            ("单位名称", 0, 1, 3, 1),
            (f"{year}年预算数据", 0, 2, 1, 8),
            ("备注", 0, 10, 3, 1),
            ("合计", 1, 2, 2, 1),
            ("因公出国(境)费", 1, 3, 2, 1),
            ("公务接待费", 1, 4, 2, 1),
            ("公务用车费", 1, 5, 1, 3),
            ("会议费", 1, 8, 2, 1),
            ("培训费", 1, 9, 2, 1),
            ("小计", 2, 5, 1, 1),
            ("公务用车运行维护费", 2, 6, 1, 1),
            ("公务用车购置费", 2, 7, 1, 1),
        ]
    )
    units = facts.dataset.manifest.units
    top = [u for u in units if not u.parent]
    rows = []
    for unit in top:
        below = descendants(units, unit.code)
        values = item_sums([x for x in facts.lines if x.unit.code in below])
        rows.append(
            Row(
                unit.code,
                unit.name,
                1,
                {"unit_code": unit.code, "unit_name": unit.name, **values},
                DETAIL,
            )
        )
    if len(rows) != 1:  # a single unit's row is the total, as the templates print it
        rows.insert(
            0, Row("", "合计", 0, {"unit_name": "合计", **item_sums(list(facts.lines))}, TOTAL)
        )
    return Table(
        ID,
        title(year, NAME_ZH),
        facts.dataset.manifest.display_unit,
        header,
        columns,
        tuple(rows),
        name_en="The three public expenses",
    )
