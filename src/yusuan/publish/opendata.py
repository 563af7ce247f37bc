"""Open data beside the documents: the budget lines as a Frictionless Data Package with Fiscal
Data Package column types, and every table as JSON and tidy CSV.

Per-table wide CSVs (for Excel users) are written with the web site (``site/tables/*.csv``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from yusuan.catalog.loader import catalogs_of, government_code_for
from yusuan.model.records import Dataset
from yusuan.render.csv_out import render_tidy_csv
from yusuan.render.json_out import render_json
from yusuan.render.spreadsheet_safe import csv_writer
from yusuan.tables.base import Table
from yusuan.tables.forms import ProjectForm

# (field name, Chinese title, Frictionless type, Fiscal Data Package columnType)
LINE_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("fiscal_year", "预算年度", "integer", "date:fiscal-year"),
    ("department_code", "部门编码", "string", "administrative-classification:generic:level1:code"),
    ("department_name", "部门名称", "string", "administrative-classification:generic:level1:label"),
    ("unit_code", "单位编码", "string", "administrative-classification:generic:code"),
    ("unit_name", "单位名称", "string", "administrative-classification:generic:label"),
    ("function_code", "支出功能分类科目编码", "string", "functional-classification:generic:code"),
    ("function_name", "支出功能分类科目名称", "string", "functional-classification:generic:label"),
    (
        "economic_code",
        "部门预算支出经济分类科目编码",
        "string",
        "economic-classification:generic:code",
    ),
    (
        "economic_name",
        "部门预算支出经济分类科目名称",
        "string",
        "economic-classification:generic:label",
    ),
    (
        "government_economic_code",
        "政府预算支出经济分类科目编码",
        "string",
        "economic-classification:generic:level1:code",
    ),
    ("source", "资金来源", "string", "fin-source:generic:label"),
    ("expense_kind", "支出类型", "string", "expenditure-type:label"),
    ("basic_category", "基本支出类别", "string", "expenditure-type:code"),
    ("project", "项目名称", "string", "activity:generic:project:label"),
    ("amount", "金额（元）", "number", "value"),
    ("note", "备注", "string", ""),
)


def lines_csv(dataset: Dataset) -> str:
    """The budget lines with names resolved, as CSV (UTF-8 with BOM so Excel opens it)."""
    catalogs = catalogs_of(dataset)
    units = {u.code: u for u in dataset.manifest.units}
    department = dataset.manifest.department
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(name for name, *_ in LINE_FIELDS)
    for line in dataset.lines:
        unit = units.get(line.unit_code)
        writer.writerow(
            (
                dataset.year,
                department.code,
                department.name,
                line.unit_code,
                unit.name if unit else "",
                line.function_code,
                catalogs.function.name(line.function_code),
                line.economic_code,
                catalogs.department_economic.name(line.economic_code),
                (government_code_for(line.economic_code, unit.kind) or "") if unit else "",
                line.source,
                line.kind.value,
                line.category.value if line.category else "",
                line.project,
                f"{line.amount:.2f}",
                line.note,
            )
        )
    return "\ufeff" + out.getvalue()


# The tidy tables.csv (render/csv_out.py): (column, Frictionless type, description)
TIDY_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("表号", "integer", "table number in the disclosure"),
    ("表", "string", "table title as published"),
    ("单位", "string", "the table's display unit (元/万元/亿元)"),
    ("行编码", "string", "row code (功能/经济分类科目编码, unit code) or empty"),
    ("行名称", "string", "row name"),
    ("层级", "integer", "row level: 0 合计, 1 类, 2 款, 3 项"),
    ("列", "string", "column key (docs/json-contract.md)"),
    ("列名", "string", "column label"),
    ("值", "string", "exact value in the table's unit (amounts) or the text/quantity"),
    ("部门编码", "string", "department code"),
    ("部门", "string", "department name"),
    ("年度", "integer", "fiscal year"),
    ("表id", "string", "stable table id"),
    ("行类型", "string", "合计 / 汇总 (sums rows below it) / 明细: sum 明细 rows only"),
    ("列路径", "string", "the column's full header path, ' / '-separated"),
    ("值（元）", "number", "exact amount in 元 (amount columns only)"),
)


def _fields(specs: Sequence[tuple[str, str, str, str]]) -> list[dict[str, Any]]:
    fields = []
    for name, title, kind, column_type in specs:
        field: dict[str, Any] = {"name": name, "title": title, "type": kind}
        if column_type:
            field["columnType"] = column_type
        if kind == "number":
            field["bareNumber"] = True
            field["decimalChar"] = "."
        fields.append(field)
    return fields


def datapackage(dataset: Dataset, lines_path: str) -> dict[str, Any]:
    """Every file of the open data as a resource with its schema (the JSON one with its own)."""
    department = dataset.manifest.department
    tidy = [(name, description, kind, "") for name, kind, description in TIDY_FIELDS]
    return {
        "profile": "data-package",
        "name": f"yusuan-{department.code}-{dataset.year}".lower(),
        "title": f"{department.name}{dataset.year}年部门预算",
        "description": "部门预算明细（支出），由 yusuan 从数据集生成；金额单位：元。",
        "countryCode": "CN",
        "fiscalPeriod": {"start": f"{dataset.year}-01-01", "end": f"{dataset.year}-12-31"},
        "currencyCode": "CNY",
        "resources": [
            {
                "name": "budget-lines",
                "profile": "tabular-data-resource",
                "title": "预算明细 budget lines",
                "path": lines_path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": _fields(LINE_FIELDS)},
            },
            {
                "name": "tables",
                "profile": "tabular-data-resource",
                "title": "公开表（长表）every table cell, tidy",
                "path": "tables.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "schema": {"fields": _fields(tidy)},
            },
            {
                "name": "tables-json",
                "profile": "data-resource",
                "title": "公开表与项目申报表（JSON）tables and forms as JSON",
                "path": "tables.json",
                "format": "json",
                "mediatype": "application/json",
                "encoding": "utf-8",
                "description": "the JSON contract of `yusuan tables -f json` (docs/json-contract.md)",
            },
        ],
    }


def write_open_data(
    folder: Path, dataset: Dataset, tables: Sequence[Table], forms: Sequence[ProjectForm]
) -> list[Path]:
    """Write ``budget-lines.csv``, ``datapackage.json``, ``tables.json`` and ``tables.csv``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    lines_path = folder / "budget-lines.csv"
    lines_path.write_text(lines_csv(dataset), "utf-8")
    written.append(lines_path)
    package = folder / "datapackage.json"
    package.write_text(
        json.dumps(datapackage(dataset, lines_path.name), ensure_ascii=False, indent=1), "utf-8"
    )
    written.append(package)
    tables_json = folder / "tables.json"
    tables_json.write_text(render_json(list(tables), list(forms)), "utf-8")
    written.append(tables_json)
    tidy = folder / "tables.csv"
    department = dataset.manifest.department
    tidy.write_text(render_tidy_csv(list(tables), department, dataset.year), "utf-8")
    written.append(tidy)
    return written
