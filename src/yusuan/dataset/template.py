"""``yusuan init``: an empty, documented dataset template, as a folder and as a workbook."""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from yusuan.catalog.loader import catalogs_for, funding_sources
from yusuan.catalog.performance import performance_framework
from yusuan.dataset.folder import csv_text
from yusuan.dataset.schema import (
    EXPLANATION_FILE,
    MANIFEST_FILE,
    RECORD_KINDS,
    UNIT_KINDS,
    UNITS_SHEET,
    Column,
    RecordKind,
)
from yusuan.dataset.workbook import workbook_bytes
from yusuan.fsutil import atomic_directory, atomic_write_bytes
from yusuan.model.records import Dataset, Department, Manifest, Unit, UnitKind
from yusuan.money import MoneyUnit

MANIFEST_TEMPLATE = """\
# yusuan 数据集清单 / dataset manifest. 每个文件、每一列的填写说明见本文件夹的 README.md
format_version = 1

[department]                 # 部门
code = "{code}"              # 部门编码
name = "{name}"              # 部门名称
region = ""                  # 行政区划，如 山西省临汾市（可选）
level = ""                   # 预算级次：中央 / 省级 / 市级 / 县级 / 乡级（可选）

[budget]
year = {year}                # 预算年度
kind = "预算"                # 预算 或 决算
display_unit = "万元"        # 表格显示单位：元 / 万元 / 亿元
# prior_columns = "上年预算数、增减额、增减%"   # 可选：各表与上年比较的列（上年数填 prior_year.csv）
# catalog_year = {year}        # 可选：目录年度，按哪一年的分类科目读取（默认为预算年度）

# 每个单位一段 [[units]] / one block per unit
# kind（单位性质）: {kinds}
# parent（上级单位编码）: 下属单位填其上级单位的编码。部门预算表把部门所属全部单位合并列示；
#   填了 parent 的单位在单位预算中单列，在部门汇总中计入上级单位所在部门。本级单位留空。
[[units]]
code = "{code}001"
name = "{name}"
kind = "行政单位"
parent = ""
"""

OPTIONS_SHEET = "选项"  # hidden: the lists the drop-downs offer
CODES_SHEET = "科目代码"
GUIDE_SHEET = "填写说明"
ROWS_VALIDATED = 5000  # drop-downs apply to this many data rows of each sheet


def _data(name: str) -> str:
    return resources.files("yusuan.dataset").joinpath("data", name).read_text("utf-8")


@functools.cache
def column_help() -> dict[tuple[str, str], str]:
    """(sheet, header) -> help in Chinese, from ``dataset/data/column_help.csv``."""
    rows = csv.DictReader(io.StringIO(_data("column_help.csv")))
    return {(r["sheet"], r["header"]): r["help"] for r in rows}


def help_for(kind: RecordKind, column: Column) -> str:
    choices = f"（{' / '.join(column.choices)}）" if column.choices else ""
    return column_help().get((kind.sheet, column.header), column.help) + choices


def explanation_template() -> str:
    """The 说明.md that ``init`` writes: the headings the department fills in, with guidance in
    comments that are never published."""
    return _data("explanation_template.md")


def column_guide() -> str:
    """A Markdown guide to every file and column, generated from the schema."""
    parts = [
        "# 填写说明 / How to fill in this dataset",
        "",
        "金额以“元”为单位，最多两位小数（可带千分位，或写“150万元”）。Amounts are in 元.",
        "",
        "- `yusuan.toml`：部门、预算年度、单位（含上级单位 parent 的含义）。",
        "- `说明.md`：部门预算情况说明中由本部门填写的文字（部门职责及机构设置、国有资产占用情况等）；",
        "  其余各节由数据生成。",
        "- 其余 CSV 文件逐列说明如下；也可以改用同名的 Excel 工作簿填写（有下拉选项和科目代码表），",
        "  `yusuan convert` 在两者之间转换。",
        "",
    ]
    for kind in RECORD_KINDS:
        optional = "（可选 optional）" if kind.optional else ""
        parts += [
            f"## {kind.file} — {kind.title}{optional}",
            "",
            "| 列 column | 必填 | 说明 |",
            "|---|---|---|",
        ]
        for column in kind.columns:
            parts.append(
                f"| {column.header} | {'是' if column.required else ''} | {help_for(kind, column)} |"
            )
        parts.append("")
    return "\n".join(parts)


def write_template(folder: Path, *, code: str, name: str = "某某部门", year: int) -> Path:
    """Write an empty dataset folder and ``<folder>.xlsx`` beside it; return the workbook path."""
    explanation = explanation_template()
    with atomic_directory(folder) as tmp:
        (tmp / MANIFEST_FILE).write_text(
            MANIFEST_TEMPLATE.format(code=code, name=name, year=year, kinds=" / ".join(UNIT_KINDS)),
            "utf-8",
        )
        for kind in RECORD_KINDS:
            (tmp / kind.file).write_text(csv_text(kind, [], every_column=True), "utf-8")
        (tmp / "README.md").write_text(column_guide(), "utf-8")
        (tmp / EXPLANATION_FILE).write_text(explanation, "utf-8")
    manifest = Manifest(
        Department(code, name),
        year,
        (Unit(f"{code}001", name, UnitKind.ADMINISTRATIVE),),
        display_unit=MoneyUnit.WAN,
    )
    empty = Dataset(manifest, explanation=explanation)
    workbook_path = folder.with_suffix(".xlsx")
    data = workbook_bytes(empty, include_optional=True)
    atomic_write_bytes(workbook_path, with_entry_aids(data, year))
    return workbook_path


def _column_letters(ws: Any) -> dict[str, str]:
    return {str(cell.value).strip(): get_column_letter(cell.column) for cell in ws[1] if cell.value}


def _option_lists(year: int) -> dict[str, list[str]]:
    framework = performance_framework()
    level1 = list(dict.fromkeys(e.level1 for e in framework.entries if e.is_level1))
    level2 = list(dict.fromkeys(e.level2 for e in framework.entries if not e.is_level1))
    return {
        "资金来源": [s.name for s in sorted(funding_sources(), key=lambda s: s.order)],
        "一级指标": level1,
        "二级指标": level2,
        "项目属性": ["新增项目", "延续项目"],
        "单位性质": list(UNIT_KINDS),
    }


def _add_list(ws: Any, column: str, formula: str, *, strict: bool) -> None:
    check = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle="不在列表中",
        error="请从下拉列表中选择。" if strict else "该值不在本年度目录中，请核对（仍可保留）。",
    )
    ws.add_data_validation(check)
    check.add(f"{column}2:{column}{ROWS_VALIDATED + 1}")


def _codes_sheet(wb: Any, year: int) -> dict[str, str]:
    """科目代码: the function 项 and economic 款 codes of the budget year with their names;
    returns the ranges the code columns' drop-downs refer to."""
    cats = catalogs_for(year)
    ws = wb.create_sheet(CODES_SHEET)
    ws.append(["支出功能分类科目编码", "名称", "级次", "", "部门经济分类科目编码", "名称", "级次"])
    functions = sorted(cats.function.entries.values(), key=lambda e: e.code)
    economics = sorted(cats.department_economic.entries.values(), key=lambda e: e.code)
    for index in range(max(len(functions), len(economics))):
        row = [""] * 7
        if index < len(functions):
            f = functions[index]
            row[0:3] = [f.code, f.name, f.level]
        if index < len(economics):
            e = economics[index]
            row[4:7] = [e.code, e.name, e.level]
        ws.append(row)
    for cell in ws["A"][1:] + ws["E"][1:]:
        cell.number_format = "@"
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["E"].width = 22
    ws.column_dimensions["F"].width = 30
    ws.freeze_panes = "A2"
    quoted = f"'{CODES_SHEET}'"
    return {
        "功能分类科目编码": f"{quoted}!$A$2:$A${len(functions) + 1}",
        "部门经济分类科目编码": f"{quoted}!$E$2:$E${len(economics) + 1}",
    }


def with_entry_aids(data: bytes, year: int) -> bytes:
    """The template workbook with what helps an officer fill it in: a 填写说明 sheet (Chinese help
    for every column), a 科目代码 sheet, and drop-down lists from the catalogues of the year."""
    wb = load_workbook(io.BytesIO(data))
    guide = wb.create_sheet(GUIDE_SHEET, 0)
    guide.append(["工作表", "列", "必填", "说明"])
    for kind in RECORD_KINDS:
        for column in kind.columns:
            guide.append(
                [kind.sheet, column.header, "是" if column.required else "", help_for(kind, column)]
            )
    guide.column_dimensions["A"].width = 12
    guide.column_dimensions["B"].width = 26
    guide.column_dimensions["D"].width = 70
    code_ranges = _codes_sheet(wb, year)
    options = wb.create_sheet(OPTIONS_SHEET)
    options.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for col, (title, values) in enumerate(_option_lists(year).items(), start=1):
        letter = get_column_letter(col)
        options.cell(row=1, column=col, value=title)
        for row, value in enumerate(values, start=2):
            options.cell(row=row, column=col, value=value)
        ranges[title] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    for kind in RECORD_KINDS:
        if kind.sheet not in wb.sheetnames:
            continue
        ws = wb[kind.sheet]
        letters = _column_letters(ws)
        for column in kind.columns:
            found = letters.get(column.header)
            if found is None:
                continue
            letter = found
            if column.choices:
                _add_list(ws, letter, '"' + ",".join(column.choices) + '"', strict=True)
            elif column.header in ranges:
                _add_list(ws, letter, ranges[column.header], strict=column.header != "二级指标")
            elif column.header in code_ranges:
                _add_list(ws, letter, code_ranges[column.header], strict=False)
    units = wb[UNITS_SHEET]
    unit_letters = _column_letters(units)
    if "单位性质" in unit_letters:
        _add_list(units, unit_letters["单位性质"], ranges["单位性质"], strict=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
