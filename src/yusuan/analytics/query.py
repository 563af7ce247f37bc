"""``yusuan query``: run SQL over a store and write the result as text, CSV or JSON.

Decimals stay exact: JSON and CSV carry them as decimal strings (as the tables' JSON contract
does), text aligns them to the right.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from yusuan.render.cells import pad, text_width

FORMATS = ("text", "csv", "json")


def run_query(store: Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The result's column names and rows."""
    from yusuan.analytics.views import connect

    with connect(store) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description or ()]
        return names, cursor.fetchall()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return _cell(value)


def render_result(names: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    if fmt == "json":
        records = [
            {name: _json_value(v) for name, v in zip(names, row, strict=True)} for row in rows
        ]
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([_cell(v) for v in row] for row in rows)
        return "\ufeff" + out.getvalue()
    cells = [[_cell(v) for v in row] for row in rows]
    numeric = [
        any(isinstance(row[i], int | float | Decimal) for row in rows) for i in range(len(names))
    ]
    widths = [
        max([text_width(name)] + [text_width(row[i]) for row in cells])
        for i, name in enumerate(names)
    ]

    def line(items: Sequence[str]) -> str:
        return "  ".join(
            pad(item, width, ">" if right else "<")
            for item, width, right in zip(items, widths, numeric, strict=True)
        ).rstrip()

    lines = [line(names), line(["-" * w for w in widths])] + [line(row) for row in cells]
    lines.append(f"({len(rows)} 行 / rows)")
    return "\n".join(lines) + "\n"
