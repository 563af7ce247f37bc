"""``yusuan init``: an empty, documented dataset template, as a folder and as a workbook."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook

from yusuan.dataset.folder import csv_text
from yusuan.dataset.schema import MANIFEST_FILE, RECORD_KINDS, UNIT_KINDS
from yusuan.dataset.workbook import workbook_bytes
from yusuan.fsutil import atomic_directory, atomic_write_bytes
from yusuan.model.records import Dataset, Department, Manifest, Unit, UnitKind
from yusuan.money import MoneyUnit

MANIFEST_TEMPLATE = """\
# yusuan 数据集清单 / dataset manifest. 说明见 docs/dataset-format.md
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

# 每个单位一段 / one block per unit
# kind（单位性质）: {kinds}
[[units]]
code = "{code}001"
name = "{name}"
kind = "行政单位"
parent = ""                  # 上级单位编码；直属部门的单位留空
"""


def column_guide() -> str:
    """A Markdown guide to every file and column, generated from the schema."""
    parts = [
        "# 填写说明 / How to fill in this dataset",
        "",
        "金额一律以“元”为单位，最多两位小数，不加千分位。Amounts are in 元, at most two decimals.",
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
            choices = f"（{' / '.join(column.choices)}）" if column.choices else ""
            parts.append(
                f"| {column.header} | {'是' if column.required else ''} | {column.help}{choices} |"
            )
        parts.append("")
    return "\n".join(parts)


def write_template(
    folder: Path, *, code: str = "000", name: str = "某某部门", year: int = 2021
) -> Path:
    """Write an empty dataset folder and ``<folder>.xlsx`` beside it; return the workbook path."""
    with atomic_directory(folder) as tmp:
        (tmp / MANIFEST_FILE).write_text(
            MANIFEST_TEMPLATE.format(code=code, name=name, year=year, kinds=" / ".join(UNIT_KINDS)),
            "utf-8",
        )
        for kind in RECORD_KINDS:
            (tmp / kind.file).write_text(csv_text(kind, []), "utf-8")
        (tmp / "README.md").write_text(column_guide(), "utf-8")
    manifest = Manifest(
        Department(code, name),
        year,
        (Unit(f"{code}001", name, UnitKind.ADMINISTRATIVE),),
        display_unit=MoneyUnit.WAN,
    )
    empty = Dataset(manifest)
    workbook_path = folder.with_suffix(".xlsx")
    atomic_write_bytes(workbook_path, _with_guide(workbook_bytes(empty, include_optional=True)))
    return workbook_path


def _with_guide(data: bytes) -> bytes:

    wb = load_workbook(io.BytesIO(data))
    ws = wb.create_sheet("填写说明", 0)
    ws.append(["工作表", "列", "必填", "说明"])
    for kind in RECORD_KINDS:
        for column in kind.columns:
            choices = f"（{' / '.join(column.choices)}）" if column.choices else ""
            ws.append(
                [kind.sheet, column.header, "是" if column.required else "", column.help + choices]
            )
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["D"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
