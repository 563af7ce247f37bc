"""The JSON contract of ``yusuan tables --format json`` (documented in docs/json-contract.md).

A JSON array: one object per table (``"type": "table"``), then one per project form
(``"type": "form"``). Amounts are exact decimal strings in the table's unit; never floats.
"""

from __future__ import annotations

import json
from typing import Any

from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR, Funds
from yusuan.money import MoneyUnit, exact_string, to_unit
from yusuan.render.cells import exact
from yusuan.tables.base import Table
from yusuan.tables.forms import FUND_ROWS, TEXT_FIELDS, ProjectForm

CONTRACT_VERSION = 1


def table_object(table: Table) -> dict[str, Any]:
    value_columns = [c for c in table.columns if c.kind not in ("code", "name")]
    return {
        "type": "table",
        "contract": CONTRACT_VERSION,
        "id": table.id,
        "number": table.number,
        "title": table.title,
        "unit": table.unit.value,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "header": [
            {"text": h.text, "row": h.row, "col": h.col, "rowspan": h.rowspan, "colspan": h.colspan}
            for h in table.header
        ],
        "rows": [
            {
                "code": row.code,
                "name": row.name,
                "level": row.level,
                "kind": row.kind,
                "values": {c.key: exact(c, row.cell(c), table.unit) for c in value_columns},
            }
            for row in table.rows
        ],
        "notes": list(table.notes),
    }


def _funds(funds: Funds, unit: MoneyUnit) -> dict[str, str]:
    return {attr: exact_string(to_unit(getattr(funds, attr), unit)) for _, attr in FUND_ROWS}


def form_object(form: ProjectForm) -> dict[str, Any]:
    p = form.project
    return {
        "type": "form",
        "contract": CONTRACT_VERSION,
        "title": form.title,
        "year": form.year,
        "unit": form.unit.value,
        "project": {
            "name": p.name,
            "department": p.department,
            "department_code": p.department_code,
            "implementing_unit": p.implementing_unit,
            "attribute": p.attribute,
            "period": p.period,
            **{attr: getattr(p, attr) for _, attr in TEXT_FIELDS},
            "period_goal": p.period_goal,
            "year_goal": p.year_goal,
            "person_in_charge": p.person_in_charge,
            "handler": p.handler,
            "phone": p.phone,
            "filled_on": p.filled_on.isoformat() if p.filled_on else None,
        },
        "funds": {
            "implementation": _funds(p.period_funds, form.unit),
            "year": _funds(p.year_funds, form.unit),
        },
        "indicators": {
            key: [
                {
                    "level1": i.level1,
                    "level2": i.level2,
                    "name": i.name,
                    "operator": i.operator,
                    "value": i.value,
                    "unit": i.unit,
                    "display": i.display_value,
                }
                for i in form.indicators(period)
            ]
            for key, period in (("implementation", PERIOD_IMPLEMENTATION), ("year", PERIOD_YEAR))
        },
    }


def render_json(tables: list[Table], forms: list[ProjectForm]) -> str:
    document = [table_object(t) for t in tables] + [form_object(f) for f in forms]
    return json.dumps(document, ensure_ascii=False, indent=1)
