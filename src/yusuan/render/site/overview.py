"""The overview page's content: key figures and the data of its charts.

Everything is read from the tables (never recomputed from budget lines), so the overview shows the
same figures as the table pages. Chart data carry each amount twice: ``value``, the exact decimal
string in the table's unit (``cells.exact``; the browser parses it to a number for drawing only),
and ``text``, what a person reads (``cells.display``, 四舍五入). A table that is missing or has
nothing to draw simply leaves its figure or chart out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yusuan.render.cells import display, exact
from yusuan.tables.base import AMOUNT, Column, Row, Table
from yusuan.tables.prior import comparison_base

Datum = dict[str, Any]

# (label, table id, column key): the figures at the top of the overview
KEY_FIGURES = (
    ("收入合计", "income-expenditure", "income"),
    ("支出合计", "income-expenditure", "expenditure"),
    ("基本支出", "expenditure", "basic"),
    ("项目支出", "expenditure", "project"),
    ("财政拨款收入", "fiscal", "income"),
    ("“三公”经费", "three-public", "total"),
    ("机关运行经费", "operating-costs", "amount"),
    ("政府采购预算", "procurement", "total"),
)

# The 三公 items drawn as bars (the table's 合计 and 小计 are sums of these)
THREE_PUBLIC_ITEMS = (
    "abroad",
    "reception",
    "vehicle_operation",
    "vehicle_purchase",
    "meeting",
    "training",
)


@dataclass(frozen=True, slots=True)
class KeyFigure:
    label: str
    text: str
    unit: str
    table_id: str


@dataclass(frozen=True, slots=True)
class Chart:
    id: str
    title: str
    table_id: str  # the table the data come from (the page links to it)
    description: str
    data: Datum  # {"type": ..., "unit": ..., ...}: JSON for static/site.js


def column(table: Table, key: str) -> Column | None:
    return next((c for c in table.columns if c.key == key), None)


def total_value(table: Table, key: str) -> Decimal | None:
    """The table's total of a column: its 合计 row, else the sum of its top-level rows."""
    total = table.total_row()
    if total is not None:
        value = total.values.get(key)
        return value if isinstance(value, Decimal) else None
    if not table.rows:
        return None
    top = min(r.level for r in table.rows)
    values = [r.values.get(key) for r in table.rows if r.level == top]
    return sum((v for v in values if isinstance(v, Decimal)), Decimal(0))


def key_figures(tables: Mapping[str, Table]) -> list[KeyFigure]:
    figures = []
    for label, table_id, key in KEY_FIGURES:
        table = tables.get(table_id)
        col = column(table, key) if table else None
        value = total_value(table, key) if table and col else None
        if table is None or col is None or value is None:
            continue
        figures.append(
            KeyFigure(
                label, display(col, value, table.unit, blank_zero=False), table.unit.value, table_id
            )
        )
    return figures


def datum(name: str, col: Column, value: Decimal, table: Table) -> Datum:
    return {
        "name": name,
        "value": exact(col, value, table.unit),
        "text": display(col, value, table.unit, blank_zero=False),
    }


def amount(row: Row, key: str) -> Decimal:
    value = row.values.get(key)
    return value if isinstance(value, Decimal) else Decimal(0)


# ---------------------------------------------------------------------------------------------
# The charts, one function each: Table -> Chart | None


def revenue_chart(table: Table) -> Chart | None:
    """收入来源 (pie): the 合计 row of the 预算收入总表, one slice per funding source."""
    total = table.total_row()
    if total is None:
        return None
    sources = [
        c
        for c in table.columns
        if c.kind == AMOUNT and c.key != "total" and comparison_base(c.key) is None
    ]
    items = [
        datum(c.label, c, amount(total, c.key), table) for c in sources if amount(total, c.key)
    ]
    if not items:
        return None
    return Chart(
        "chart-revenue",
        "收入来源",
        table.id,
        "按资金来源划分的本年收入",
        {"type": "pie", "unit": table.unit.value, "items": items},
    )


def hierarchy(table: Table, key: str, depth: int) -> list[Datum]:
    """Rows of levels 1..depth nested by level (类 → 款 → 项); zero rows left out."""
    roots: list[Datum] = []
    stack: list[tuple[int, Datum]] = []
    col = column(table, key)
    if col is None:
        return roots
    for row in table.rows:
        value = amount(row, key)
        if not 1 <= row.level <= depth or not value:
            continue
        node = {**datum(row.name, col, value, table), "code": row.code}
        while stack and stack[-1][0] >= row.level:
            stack.pop()
        if stack:
            stack[-1][1].setdefault("children", []).append(node)
        else:
            roots.append(node)
        stack.append((row.level, node))
    return roots


def function_chart(table: Table) -> Chart | None:
    """支出功能分类 (treemap): 类 → 款 → 项 of the 预算支出汇总表."""
    items = hierarchy(table, "total", 3)
    if not items:
        return None
    return Chart(
        "chart-function",
        "支出按功能分类",
        table.id,
        "本年支出按支出功能分类科目（类、款、项）划分，面积与金额成正比",
        {"type": "treemap", "unit": table.unit.value, "items": items},
    )


def basic_project_chart(table: Table) -> Chart | None:
    """基本支出与项目支出 (stacked bars), one bar per 类 of the 预算支出汇总表."""
    classes = [r for r in table.rows if r.level == 1 and amount(r, "total")]
    parts = [c for c in (column(table, "basic"), column(table, "project")) if c]
    if not classes or len(parts) != 2:
        return None
    return Chart(
        "chart-basic-project",
        "基本支出与项目支出",
        table.id,
        "各类支出中基本支出和项目支出的金额",
        {
            "type": "stacked-bar",
            "unit": table.unit.value,
            "categories": [r.name for r in classes],
            "series": [
                {
                    "name": c.label,
                    "items": [datum(r.name, c, amount(r, c.key), table) for r in classes],
                }
                for c in parts
            ],
        },
    )


def economic_chart(table: Table) -> Chart | None:
    """基本支出经济分类 (sunburst): 类 → 款 of the 基本支出分经济科目表."""
    items = hierarchy(table, "amount", 2)
    if not items:
        return None
    return Chart(
        "chart-economic",
        "基本支出按经济分类",
        table.id,
        "一般公共预算基本支出按经济科目（类、款）划分",
        {"type": "sunburst", "unit": table.unit.value, "items": items},
    )


def three_public_chart(table: Table) -> Chart | None:
    """“三公”经费 (bars): each item, zeros included, from the table's total."""
    columns = [c for c in (column(table, key) for key in THREE_PUBLIC_ITEMS) if c]
    if not columns:
        return None
    items = [datum(c.label, c, total_value(table, c.key) or Decimal(0), table) for c in columns]
    return Chart(
        "chart-three-public",
        "“三公”经费及会议费、培训费",
        table.id,
        "因公出国(境)费、公务接待费、公务用车购置及运行维护费，以及会议费、培训费",
        {"type": "bar", "unit": table.unit.value, "items": items},
    )


# In page order: two half-width charts, the treemap across the page, two half-width charts
CHARTS = (
    ("income", revenue_chart),
    ("expenditure", basic_project_chart),
    ("expenditure", function_chart),
    ("basic-economic", economic_chart),
    ("three-public", three_public_chart),
)


def charts(tables: Mapping[str, Table]) -> list[Chart]:
    found = (build(tables[table_id]) for table_id, build in CHARTS if table_id in tables)
    return [chart for chart in found if chart is not None]


def by_id(tables: Sequence[Table]) -> dict[str, Table]:
    """Tables by id; the first wins when an id repeats."""
    result: dict[str, Table] = {}
    for table in tables:
        result.setdefault(table.id, table)
    return result
