"""The views over a store, as SQL (DuckDB): the documented ``facts`` and the ready views.

``store`` is every column of the long table plus ``value_yuan``; ``facts`` is the contract
scripts rely on (docs/analytics.md). Amounts are exact: ``value_fen`` (int64 分) times 0.01 is a
DECIMAL, never a float. The ready views keep datasets and documents apart (``source_kind``):
a budget and its published PDF are two accounts of the same money, never to be added together.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from yusuan.analytics.store import FACTS

if TYPE_CHECKING:
    import duckdb

YUAN = "(value_fen::DECIMAL(20,0) * 0.01)::DECIMAL(20,2)"

FACTS_COLUMNS = (
    "department_code",
    "department",
    "year",
    "kind",
    "table_id",
    "row_code",
    "row_name",
    "row_kind",
    "column_key",
    "value_yuan",
)

# name -> (what it shows, SQL over the view ``store``)
READY_VIEWS: dict[str, tuple[str, str]] = {
    "function_class_trends": (
        "每个支出功能分类“类”各年的支出合计及比上年增减 / each function class's total by year "
        "and its change on the year before (支出汇总表, all departments)",
        """
        WITH classes AS (
            SELECT source_kind, kind, year, row_code AS class_code,
                   arg_max(row_name, year) AS class_name,
                   sum(value_yuan) AS total_yuan,
                   count(DISTINCT department_code) AS departments
            FROM store
            WHERE table_id = 'expenditure' AND column_key = 'total' AND row_level = 1
            GROUP BY source_kind, kind, year, row_code
        )
        SELECT *, total_yuan - lag(total_yuan) OVER (
                   PARTITION BY source_kind, kind, class_code ORDER BY year) AS change_yuan
        FROM classes
        """,
    ),
    "three_public_by_department": (
        "各部门各年“三公”经费及会议费、培训费 / 三公 expenses, meetings and training by "
        "department and year (the table's 合计 row, or its single unit's row)",
        """
        SELECT source_kind, department_code, department, year, kind, column_key,
               any_value(column_label) AS column_label,
               coalesce(sum(value_yuan) FILTER (WHERE row_kind = 'total'),
                        sum(value_yuan) FILTER (WHERE row_kind = 'detail')) AS amount_yuan
        FROM store
        WHERE table_id = 'three-public'
        GROUP BY source_kind, department_code, department, year, kind, column_key
        """,
    ),
    "project_spending_share": (
        "各部门各年项目支出占支出合计的比重 / project spending as a share of total spending, "
        "by department and year (支出汇总表 合计 row)",
        """
        SELECT source_kind, department_code, department, year, kind,
               sum(value_yuan) FILTER (WHERE column_key = 'total') AS total_yuan,
               sum(value_yuan) FILTER (WHERE column_key = 'project') AS project_yuan,
               -- exact: a division of decimals is a DOUBLE in DuckDB, so the ratio is worked
               -- out in 分 as integers, rounded half up to four decimals, then made a DECIMAL
               CAST((2 * CAST(project_yuan * 100 AS HUGEINT) * 10000 + CAST(total_yuan * 100 AS HUGEINT))
                    // nullif(2 * CAST(total_yuan * 100 AS HUGEINT), 0) AS DECIMAL(18, 0))
                 * 0.0001 AS project_share
        FROM store
        WHERE table_id = 'expenditure' AND row_kind = 'total'
        GROUP BY source_kind, department_code, department, year, kind
        """,
    ),
    "departments_ranked": (
        "各年部门按支出合计排名 / departments ranked by total spending within each year "
        "(支出汇总表 合计 row)",
        """
        SELECT source_kind, year, kind,
               rank() OVER (PARTITION BY source_kind, year, kind
                            ORDER BY value_yuan DESC) AS rank,
               department_code, department, value_yuan AS total_yuan
        FROM store
        WHERE table_id = 'expenditure' AND row_kind = 'total' AND column_key = 'total'
        """,
    ),
}


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def view_statements(store: Path) -> list[str]:
    """CREATE VIEW statements for ``store``, ``facts`` and every ready view."""
    statements = [
        f"CREATE VIEW store AS SELECT *, {YUAN} AS value_yuan "
        f"FROM read_parquet({_literal(store / FACTS)})",
        f"CREATE VIEW facts AS SELECT {', '.join(FACTS_COLUMNS)} FROM store",
    ]
    statements += [f"CREATE VIEW {name} AS {sql}" for name, (_, sql) in READY_VIEWS.items()]
    return statements


def connect(store: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the store's views."""
    import duckdb

    if not (store / FACTS).is_file():
        raise FileNotFoundError(
            f"{store}：不是分析库（缺少 {FACTS}，请先 yusuan store build）/ "
            f"not a store (no {FACTS}; run yusuan store build first)"
        )
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    for statement in view_statements(store):
        con.execute(statement)
    return con
