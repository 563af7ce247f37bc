"""Tables as tidy CSV: one row per cell (table, row, column, value), for analysts.

Amounts are exact decimal strings in the table's unit (``值``) and in 元 (``值（元）``). Each line
also names the department and year, the table's stable id, the row's kind (合计 / 汇总 / 明细) and
the column's full header path, so that files of many departments stack and a sum over 明细 rows
never counts a figure twice. Written with a BOM so Excel opens it; the first nine columns are the
original contract (docs/json-contract.md), the others follow them.
"""

from __future__ import annotations

import io
from decimal import Decimal

from yusuan.model.records import Department
from yusuan.money import exact_string
from yusuan.render.cells import exact
from yusuan.render.spreadsheet_safe import csv_writer
from yusuan.tables.base import AMOUNT, GROUP, TOTAL, Table

TIDY_HEADER = (
    "表号",
    "表",
    "单位",
    "行编码",
    "行名称",
    "层级",
    "列",
    "列名",
    "值",
    "部门编码",
    "部门",
    "年度",
    "表id",
    "行类型",
    "列路径",
    "值（元）",
)
PATH_SEPARATOR = " / "


def row_kind(kind: str) -> str:
    """合计 (a total), 汇总 (a row that sums rows below it) or 明细 (a row of its own)."""
    return {TOTAL: "合计", GROUP: "汇总"}.get(kind, "明细")


def render_tidy_csv(
    tables: list[Table], department: Department | None = None, year: int | None = None
) -> str:
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(TIDY_HEADER)
    code = department.code if department else ""
    name = department.name if department else ""
    for table in tables:
        paths = [PATH_SEPARATOR.join(table.column_path(i)) for i in range(len(table.columns))]
        for row in table.rows:
            for index, column in enumerate(table.columns):
                if column.kind in ("code", "name"):
                    continue
                value = exact(column, row.cell(column), table.unit)
                if value is None or value == "":
                    continue
                raw = row.cell(column)
                yuan = (
                    exact_string(raw) if column.kind == AMOUNT and isinstance(raw, Decimal) else ""
                )
                writer.writerow(
                    (
                        table.number,
                        table.title,
                        table.unit.value,
                        row.code,
                        row.name,
                        row.level,
                        column.key,
                        column.label,
                        value,
                        code,
                        name,
                        year or "",
                        table.id,
                        row_kind(row.kind),
                        paths[index],
                        yuan,
                    )
                )
    return "\ufeff" + out.getvalue()
