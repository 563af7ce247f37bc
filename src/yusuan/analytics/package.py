"""A store as open data: a Frictionless Data Package of CSV resources stacked across departments
and years (``yusuan store export STORE -o DIR``).

The package holds the long ``facts`` table (one row per amount) and one wide resource per
disclosure table id (one row per table row of every source, one column per leaf column), each
declared in ``datapackage.json`` with its Table Schema: types, primary keys, descriptions in
Chinese and English. Amounts are exact 元 with exactly two decimals (``123478300.00``), made from
the store's whole 分 without any arithmetic that could round. Every row says where it came from
(``source_kind``, ``source``). The figures are the store's: nothing is recomputed.

Written into a temporary sibling folder and renamed into place (``fsutil.marked_folder``); every
CSV through ``spreadsheet_safe.csv_writer``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from yusuan.render.spreadsheet_safe import csv_writer

if TYPE_CHECKING:
    import duckdb

PACKAGE_FILE = "datapackage.json"
FACTS_RESOURCE = "facts"
TABLES_FOLDER = "tables"
ENCODING = "utf-8-sig"  # with a BOM, so that Excel opens the files as UTF-8
FETCH = 10_000

KINDS = ("预算", "决算")
ROW_KINDS = ("total", "group", "detail")
SOURCE_KINDS = ("dataset", "document")

# (name, Table Schema type, title, description: Chinese / English, enum or None)
Field = tuple[str, str, str, str, tuple[str, ...] | None]

WHO: tuple[Field, ...] = (
    (
        "department_code",
        "string",
        "部门编码",
        "部门编码（公开文件未可靠印出时为空）/ department code (empty for a document, which "
        "prints none reliably)",
        None,
    ),
    ("department", "string", "部门", "部门名称 / department name", None),
    ("year", "integer", "年度", "预算年度 / fiscal year", None),
    ("kind", "string", "预算/决算", "预算或决算 / budget (预算) or final accounts (决算)", KINDS),
)
TABLE_ID: Field = (
    "table_id",
    "string",
    "表id",
    "公开表的稳定标识（见 docs/json-contract.md）/ the disclosure table's stable id",
    None,
)
ROW: tuple[Field, ...] = (
    (
        "row_number",
        "integer",
        "行号",
        "行在表中的位置（从 1 起）/ the row's position in its table",
        None,
    ),
    (
        "row_code",
        "string",
        "行编码",
        "行编码（功能/经济分类科目编码、单位编码），可为空 / row code (classification or unit "
        "code), may be empty",
        None,
    ),
    ("row_name", "string", "行名称", "行名称 / row name as in the table", None),
    (
        "row_kind",
        "string",
        "行类型",
        "行类型：total 合计，group 汇总（为下级行之和），detail 明细；求和只加明细行 / row kind: "
        "total, group (sums the rows below it) or detail; sum detail rows only",
        ROW_KINDS,
    ),
)
COLUMN_KEY: Field = (
    "column_key",
    "string",
    "列",
    "金额列的稳定标识（见 docs/json-contract.md）/ the amount column's stable key",
    None,
)
VALUE: Field = (
    "value_yuan",
    "number",
    "金额（元）",
    "金额（元），精确到分，两位小数 / amount in yuan, exact, two decimals",
    None,
)
ORIGIN: tuple[Field, ...] = (
    (
        "source_kind",
        "string",
        "来源类型",
        "来源类型：dataset 数据集（由 yusuan 编制的表），document 公开文件（审核读回的表）/ "
        "where the row comes from: a dataset (tables yusuan built) or a published document "
        "(tables as the audit read them back)",
        SOURCE_KINDS,
    ),
    (
        "source",
        "string",
        "来源",
        "来源：数据集文件夹或工作簿、公开文件，相对于全部来源的共同上级文件夹 / the source "
        "dataset or document, relative to the folder all sources share",
        None,
    ),
)
FACTS_FIELDS: tuple[Field, ...] = (*WHO, TABLE_ID, *ROW, COLUMN_KEY, VALUE, *ORIGIN)
FACTS_KEY = ("source", "table_id", "row_number", "column_key")
FIXED_NAMES = frozenset(f[0] for f in (*WHO, *ROW, *ORIGIN))
TABLE_KEY = ("source", "row_number")


@dataclass(frozen=True)
class TableInfo:
    """One disclosure table id of the store: its title, kinds and amount columns in order."""

    table_id: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (column_key, column_label)
    resource: str  # its resource's name (and file name), unique in the package


@dataclass(frozen=True)
class ExportResult:
    sources: int
    facts: int
    tables: int


def resource_name(table_id: str) -> str:
    """A Frictionless resource name (lower case letters, digits, ``-._``) for a table id."""
    name = re.sub(r"[^a-z0-9._-]+", "-", table_id.lower()).strip("-._")
    return name or "table"


def yuan_text(fen: int) -> str:
    """Whole 分 as 元 with exactly two decimals, exact (``12345`` -> ``123.45``)."""
    return format(Decimal(fen).scaleb(-2), "f")


def relative_sources(sources: Sequence[str]) -> dict[str, str]:
    """Each source's name in the package: absolute paths relative to the folder they all share
    (a single source: its own name); any other source name (``yusuan-web:…``) as it is."""
    paths = [s for s in sources if os.path.isabs(s)]
    names = {s: s for s in sources}
    if not paths:
        return names
    common = os.path.commonpath(paths)
    if len(set(paths)) == 1:
        common = os.path.dirname(paths[0])
    for source in paths:
        relative = os.path.relpath(source, common)
        names[source] = Path(relative).as_posix() if relative != "." else os.path.basename(source)
    return names


def _field(spec: Field) -> dict[str, Any]:
    name, kind, title, description, choices = spec
    field: dict[str, Any] = {"name": name, "type": kind, "title": title, "description": description}
    if kind == "number":
        field["bareNumber"] = True
        field["decimalChar"] = "."
    constraints: dict[str, Any] = {}
    if choices is not None:
        constraints["enum"] = list(choices)
    if name in FACTS_KEY or name in ("year", "row_kind", "value_yuan"):
        constraints["required"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def amount_name(column_key: str) -> str:
    """The field name of an amount column in a table's resource: its key, unless that is the
    name of a fixed field (``year``, ``source``…), then ``<key>_yuan``."""
    return f"{column_key}_yuan" if column_key in FIXED_NAMES else column_key


def _amount_field(key: str, label: str) -> dict[str, Any]:
    return {
        "name": amount_name(key),
        "type": "number",
        "title": label,
        "description": f"{label}（元，两位小数；空为表中无此金额）/ amount in yuan, two decimals; "
        "empty where the table has no amount",
        "bareNumber": True,
        "decimalChar": ".",
    }


def _csv_resource(name: str, path: str, title: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "path": path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": ENCODING,
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
    }


def descriptor(
    tables: Sequence[TableInfo], sources: Sequence[tuple[str, str]], years: Sequence[int]
) -> dict[str, Any]:
    """``datapackage.json``: the package, its sources, and every resource with its schema."""
    facts = _csv_resource(
        FACTS_RESOURCE,
        f"{FACTS_RESOURCE}.csv",
        "全部金额（长表）/ every amount, one row each",
        "各部门各年度每张公开表的每个金额单元格一行；与分析库的 facts 视图相同，另加行号与来源 / "
        "one row per amount cell of every disclosure table of every department and year: the "
        "store's facts view plus the row number and the source",
    )
    facts["schema"] = {
        "fields": [_field(f) for f in FACTS_FIELDS],
        "primaryKey": list(FACTS_KEY),
        "missingValues": [""],
    }
    resources = [facts]
    for table in tables:
        resource = _csv_resource(
            table.resource,
            f"{TABLES_FOLDER}/{table.resource}.csv",
            f"{table.title} / table {table.table_id}",
            f"{table.title}：各部门各年度的表行堆叠在一起，每个金额列一列 / table "
            f"'{table.table_id}' stacked across departments and years: one row per table row, "
            "one column per amount column (元)",
        )
        resource["schema"] = {
            "fields": [
                *(_field(f) for f in (*WHO, *ROW)),
                *(_amount_field(key, label) for key, label in table.columns),
                *(_field(f) for f in ORIGIN),
            ],
            "primaryKey": list(TABLE_KEY),
            "missingValues": [""],
        }
        resources.append(resource)
    first, last = (min(years), max(years)) if years else (0, 0)
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "yusuan-budgets",
        "title": "部门预算公开数据（多部门、多年度）/ departmental budgets, many departments and years",
        "description": "由 yusuan 分析库导出：每个数据集与公开文件的公开表金额，单位元，精确到分；"
        "数据集（编制的表）与公开文件（读回的表）是同一笔钱的两种记录，不可相加（见 source_kind）/ "
        "exported from a yusuan analytics store: every amount of the disclosure tables of each "
        "dataset and published document, in yuan, exact to the fen; a dataset and a document "
        "are two accounts of the same money and must not be added together (see source_kind)",
        "countryCode": "CN",
        "currencyCode": "CNY",
        "sources": [{"title": name, "kind": kind} for name, kind in sources],
        "resources": resources,
    }
    if years:
        package["fiscalPeriod"] = {"start": f"{first}-01-01", "end": f"{last}-12-31"}
    return package


# --- reading the store ---------------------------------------------------------------------


def _has_column_numbers(con: duckdb.DuckDBPyConnection) -> bool:
    names = [row[0] for row in con.execute("DESCRIBE store").fetchall()]
    return "column_number" in names


def table_infos(con: duckdb.DuckDBPyConnection) -> list[TableInfo]:
    """The store's table ids in publication order, each with its amount columns in the order
    the tables print them (the most common title and label where sources differ)."""
    position = "column_number" if _has_column_numbers(con) else "NULL::INTEGER"
    rows = con.execute(
        f"""
        SELECT table_id, mode(table_title) AS title, min(table_number) AS number,
               column_key, mode(column_label) AS label, min({position}) AS position
        FROM store GROUP BY table_id, column_key
        ORDER BY number, table_id, position NULLS LAST, column_key
        """
    ).fetchall()
    infos: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for table_id, title, _, key, label, _ in rows:
        infos.setdefault(table_id, (title, []))[1].append((key, label))
    taken = {FACTS_RESOURCE}
    tables = []
    for table_id, (title, columns) in infos.items():
        name = base = resource_name(table_id)
        while name in taken:  # two ids that differ only in what a resource name cannot hold
            name = f"{base}-{len(taken)}"
        taken.add(name)
        tables.append(TableInfo(table_id, title, tuple(columns), name))
    return tables


def _stream(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
    cursor = con.execute(sql, list(params))
    while batch := cursor.fetchmany(FETCH):
        yield from batch


ORDER = "department_code, year, kind, source_kind, source, table_number, table_id, row_number"


def _write_facts(
    con: duckdb.DuckDBPyConnection, handle: TextIO, names: dict[str, str], numbered: bool
) -> int:
    writer = csv_writer(handle)
    writer.writerow(f[0] for f in FACTS_FIELDS)
    column_order = "column_number, column_key" if numbered else "column_key"
    count = 0
    for row in _stream(
        con,
        "SELECT department_code, department, year, kind, table_id, row_number, row_code, "
        "row_name, row_kind, column_key, value_fen, source_kind, source "
        f"FROM store ORDER BY {ORDER}, {column_order}",
    ):
        *head, fen, source_kind, source = row
        writer.writerow((*head, yuan_text(fen), source_kind, names[source]))
        count += 1
    return count


def _write_table(
    con: duckdb.DuckDBPyConnection, handle: TextIO, table: TableInfo, names: dict[str, str]
) -> None:
    writer = csv_writer(handle)
    keys = [key for key, _ in table.columns]
    writer.writerow(
        [f[0] for f in (*WHO, *ROW)] + [amount_name(k) for k in keys] + [f[0] for f in ORIGIN]
    )
    current: tuple[Any, ...] | None = None
    values: dict[str, int] = {}

    def flush() -> None:
        if current is not None:
            *who, source_kind, source = current
            amounts = [yuan_text(values[k]) if k in values else "" for k in keys]
            writer.writerow((*who, *amounts, source_kind, names[source]))

    for row in _stream(
        con,
        "SELECT department_code, department, year, kind, row_number, row_code, row_name, "
        "row_kind, source_kind, source, column_key, value_fen FROM store WHERE table_id = ? "
        f"ORDER BY {ORDER}",
        [table.table_id],
    ):
        *identity, key, fen = row
        identity_tuple = tuple(identity)
        if identity_tuple != current:
            flush()
            current, values = identity_tuple, {}
        values[key] = fen
    flush()


def export_package(store: Path, out: Path) -> ExportResult:
    """Write the store as a Data Package into ``out``, replacing it whole (only a folder yusuan
    made, or an empty or missing one: ``fsutil.check_output``)."""
    from yusuan.analytics.views import connect
    from yusuan.fsutil import check_output, marked_folder

    check_output(out, as_file=False, sources=(store,))
    with connect(store) as con:
        sources = con.execute(
            "SELECT DISTINCT source, source_kind FROM store ORDER BY source"
        ).fetchall()
        names = relative_sources([s for s, _ in sources])
        years = [
            y for (y,) in con.execute("SELECT DISTINCT year FROM store ORDER BY year").fetchall()
        ]
        tables = table_infos(con)
        numbered = _has_column_numbers(con)
        with marked_folder(out) as folder:
            (folder / TABLES_FOLDER).mkdir(parents=True)
            with (folder / f"{FACTS_RESOURCE}.csv").open("w", encoding=ENCODING, newline="") as f:
                facts = _write_facts(con, f, names, numbered)
            for table in tables:
                path = folder / TABLES_FOLDER / f"{table.resource}.csv"
                with path.open("w", encoding=ENCODING, newline="") as handle:
                    _write_table(con, handle, table, names)
            package = descriptor(tables, [(names[s], kind) for s, kind in sources], years)
            (folder / PACKAGE_FILE).write_text(
                json.dumps(package, ensure_ascii=False, indent=1) + "\n", "utf-8"
            )
    return ExportResult(len(sources), facts, len(tables))
