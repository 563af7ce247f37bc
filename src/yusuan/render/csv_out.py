"""Tables as tidy CSV: one row per cell (table, row, column, value), for analysts.

Amounts are exact decimal strings in the table's unit. Written with a BOM so Excel opens it.
"""

from __future__ import annotations

import io

from yusuan.render.cells import exact
from yusuan.render.spreadsheet_safe import csv_writer
from yusuan.tables.base import Table

TIDY_HEADER = ("表号", "表", "单位", "行编码", "行名称", "层级", "列", "列名", "值")


def render_tidy_csv(tables: list[Table]) -> str:
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(TIDY_HEADER)
    for table in tables:
        for row in table.rows:
            for column in table.columns:
                if column.kind in ("code", "name"):
                    continue
                value = exact(column, row.cell(column), table.unit)
                if value is None or value == "":
                    continue
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
                    )
                )
    return "\ufeff" + out.getvalue()
