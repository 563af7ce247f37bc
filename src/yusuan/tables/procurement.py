"""政府采购预算明细表: procurement items by unit, basic/project expenditure, and funding source."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from yusuan.catalog.loader import funding_source
from yusuan.model.records import UNIT_SCOPE, ExpenseKind, ProcurementItem, Unit
from yusuan.money import ZERO
from yusuan.tables.base import (
    DETAIL,
    GROUP,
    QUANTITY,
    TEXT,
    TOTAL,
    Column,
    Row,
    Table,
    Value,
    header_grid,
)
from yusuan.tables.facts import (
    FUND,
    GENERAL,
    SPECIAL_ACCOUNT,
    STATE_CAPITAL,
    UNIT_FUNDS,
    Facts,
    descendants,
    source_column,
)

ID = "procurement"
NAME_ZH = "政府采购预算资金明细表"

AMOUNT_KEYS = ("total", "gov_total", GENERAL, FUND, STATE_CAPITAL, SPECIAL_ACCOUNT, UNIT_FUNDS)


def _columns() -> tuple[Column, ...]:
    return (
        Column("unit_code", "单位编码", TEXT, 10),
        Column("unit_name", "单位名称", TEXT, 22),
        Column("project", "项目名称", TEXT, 22),
        Column("economic", "支出经济分类科目名称", TEXT, 26),
        Column("item", "采购品目", TEXT, 26),
        Column("quantity", "数量", QUANTITY, 8),
        Column("quantity_unit", "计量单位", TEXT, 8),
        Column("total", "预算总计"),
        Column("gov_total", "政府预算资金合计"),
        Column(GENERAL, "一般公共预算资金"),
        Column(FUND, "政府性基金预算资金"),
        Column(STATE_CAPITAL, "国有资本经营预算资金"),
        Column(SPECIAL_ACCOUNT, "财政专户管理资金"),
        Column(UNIT_FUNDS, "单位资金"),
        Column("note", "备注", TEXT, 10),
    )


HEADER = header_grid(
    [
        ("单位编码", 0, 0, 3, 1),
        ("单位名称", 0, 1, 3, 1),
        ("项目名称", 0, 2, 3, 1),
        ("支出经济分类科目名称", 0, 3, 3, 1),
        ("采购品目", 0, 4, 3, 1),
        ("数量", 0, 5, 3, 1),
        ("计量单位", 0, 6, 3, 1),
        ("资金来源", 0, 7, 1, 7),
        ("备注", 0, 14, 3, 1),
        ("预算总计", 1, 7, 2, 1),
        ("政府预算资金", 1, 8, 1, 3),
        ("国有资本经营预算资金", 1, 11, 2, 1),
        ("财政专户管理资金", 1, 12, 2, 1),
        ("单位资金", 1, 13, 2, 1),
        ("政府预算资金合计", 2, 8, 1, 1),
        ("一般公共预算资金", 2, 9, 1, 1),
        ("政府性基金预算资金", 2, 10, 1, 1),
    ]
)


def amounts(items: Sequence[ProcurementItem]) -> dict[str, Value]:
    """Quantity and the amounts by funding-source column of these items."""
    values: dict[str, Decimal] = dict.fromkeys(AMOUNT_KEYS, ZERO)
    for item in items:
        source = funding_source(item.source)
        column = source_column(source) if source else UNIT_FUNDS
        values[column] += item.amount
        values["total"] += item.amount
    values["gov_total"] = values[GENERAL] + values[FUND]
    result: dict[str, Value] = dict(values)
    result["quantity"] = total_quantity(items)
    return result


def total_quantity(items: Sequence[ProcurementItem]) -> Decimal | None:
    """The quantity of several items, only when they share one unit: 5 张 and 58 个 do not add up."""
    counted = [i for i in items if i.quantity is not None]
    if not counted or len({i.quantity_unit for i in counted}) != 1:
        return None
    return sum((i.quantity for i in counted if i.quantity is not None), ZERO)


def _economic_label(facts: Facts, item: ProcurementItem) -> str:
    name = item.economic_name or facts.catalogs.department_economic.name(item.economic_code)
    return f"[{item.economic_code}]{name}"


def _item_label(facts: Facts, item: ProcurementItem) -> str:
    name = item.item_name or facts.catalogs.procurement.name(item.item_code)
    return f"{item.item_code}-{name}"


def build(facts: Facts) -> Table:
    dataset = facts.dataset
    units = dataset.manifest.units
    items = dataset.procurement
    rows = [Row("", "合计", 0, {"item": "合计", **amounts(items)}, TOTAL)]
    department = dataset.manifest.department
    # a 单位预算's body is its top unit, whose own row follows: no second row for the body
    body_is_a_unit = dataset.manifest.scope.level == UNIT_SCOPE
    if not body_is_a_unit:
        rows.append(
            Row(
                department.code,
                department.name,
                1,
                {"unit_code": department.code, "unit_name": department.name, **amounts(items)},
                GROUP,
            )
        )

    def visit(unit: Unit, depth: int) -> None:
        below = descendants(units, unit.code)
        mine = [i for i in items if i.unit_code in below]
        if not mine:
            return
        rows.append(
            Row(
                unit.code,
                unit.name,
                depth,
                {"unit_code": unit.code, "unit_name": unit.name, **amounts(mine)},
                GROUP,
            )
        )
        direct = [i for i in items if i.unit_code == unit.code]
        for kind in ExpenseKind:
            group = [i for i in direct if i.kind is kind]
            if not group:
                continue
            rows.append(
                Row("", kind.value, depth + 1, {"project": kind.value, **amounts(group)}, GROUP)
            )
            for item in group:
                values: dict[str, Value] = {
                    "project": item.project,
                    "economic": _economic_label(facts, item),
                    "item": _item_label(facts, item),
                    "quantity_unit": item.quantity_unit,
                    "note": item.note,
                    **{k: v for k, v in amounts([item]).items()},
                }
                rows.append(Row(item.item_code, item.project, depth + 2, values, DETAIL))
        for child in sorted((u for u in units if u.parent == unit.code), key=lambda u: u.code):
            visit(child, depth + 1)

    for unit in sorted((u for u in units if not u.parent), key=lambda u: u.code):
        visit(unit, 1 if body_is_a_unit else 2)
    return Table(
        ID,
        NAME_ZH,
        dataset.manifest.display_unit,
        HEADER,
        _columns(),
        tuple(rows),
        name_en="Government procurement budget",
    )
