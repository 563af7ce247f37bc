"""The ready views as data for a page or a program: each view's rows for one kind of source
(``dataset`` / ``document``) and one kind of budget (预算 / 决算), in a stable order.

The web portal's charts (``yusuan.web.budgets.trends``) read the store only through here: the
SQL is the ready views' (``views.READY_VIEWS``), never a second implementation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from yusuan.analytics.views import READY_VIEWS, connect

# the order each view's rows are given in (its columns, as the view names them)
VIEW_ORDER: dict[str, str] = {
    "function_class_trends": "class_code, year",
    "three_public_by_department": "department_code, department, year, column_key",
    "project_spending_share": "department_code, department, year",
    "departments_ranked": "year DESC, rank, department_code, department",
}
SOURCE_KINDS = ("dataset", "document")


@dataclass(frozen=True)
class ReadyData:
    """What a store holds (every source kind and kind, the years) and, for the chosen pair,
    every ready view's rows (column name -> value; amounts exact ``Decimal``)."""

    choices: tuple[tuple[str, str], ...]  # (source_kind, kind) present in the store
    source_kind: str
    kind: str
    years: tuple[int, ...]
    views: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.choices


def _choose(
    choices: tuple[tuple[str, str], ...], source_kind: str | None, kind: str | None
) -> tuple[str, str]:
    """The pair asked for when the store has it; else the first the store has with the kind
    or source kind asked for; else its first (datasets before documents, 预算 before 决算)."""
    for wanted in ((source_kind, kind), (source_kind, None), (None, kind), (None, None)):
        for pair in choices:
            if all(w is None or w == have for w, have in zip(wanted, pair, strict=True)):
                return pair
    return ("", "")


def _order(pair: tuple[str, str]) -> tuple[int, str, int, str]:
    source_kind, kind = pair
    known = SOURCE_KINDS.index(source_kind) if source_kind in SOURCE_KINDS else len(SOURCE_KINDS)
    return (known, source_kind, 0 if kind == "预算" else 1, kind)


def ready_data(
    store: Path, *, source_kind: str | None = None, kind: str | None = None
) -> ReadyData:
    """Every ready view's rows for one source kind and kind (the first the store has unless
    asked for one it has). Raises ``FileNotFoundError`` for a folder that is not a store."""
    with connect(store) as con:
        pairs = con.execute("SELECT DISTINCT source_kind, kind FROM store").fetchall()
        choices = tuple(sorted(((str(s), str(k)) for s, k in pairs), key=_order))
        chosen_source, chosen_kind = _choose(choices, source_kind, kind)
        years = tuple(
            int(y)
            for (y,) in con.execute(
                "SELECT DISTINCT year FROM store WHERE source_kind = ? AND kind = ? ORDER BY year",
                [chosen_source, chosen_kind],
            ).fetchall()
        )
        views: dict[str, list[dict[str, Any]]] = {}
        for name in READY_VIEWS:
            cursor = con.execute(
                f"SELECT * FROM {name} WHERE source_kind = ? AND kind = ? "
                f"ORDER BY {VIEW_ORDER[name]}",
                [chosen_source, chosen_kind],
            )
            names = [d[0] for d in cursor.description or ()]
            views[name] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return ReadyData(choices, chosen_source, chosen_kind, years, views)


def json_value(value: Any) -> Any:
    """A value for JSON: decimals as exact strings (the JSON contract), the rest as they are."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def ready_json(data: ReadyData) -> dict[str, Any]:
    """The ready data as a JSON object: the store's choices, the chosen pair, every view."""
    return {
        "choices": [{"source_kind": s, "kind": k} for s, k in data.choices],
        "source_kind": data.source_kind,
        "kind": data.kind,
        "years": list(data.years),
        "views": {
            name: {
                "about": READY_VIEWS[name][0],
                "rows": [{k: json_value(v) for k, v in row.items()} for row in rows],
            }
            for name, rows in data.views.items()
        },
    }
