"""The dataset as one XLSX workbook: a 基本信息 sheet (the manifest; called 说明 before, still
read), a 单位 sheet, one sheet per kind, and a 情况说明 sheet (the text of 说明.md).

The workbook holds exactly the folder's content, so ``folder -> workbook -> folder`` gives the same
files. Amounts are numbers (so officers can sum them in Excel), codes are text (so leading zeros
and letters survive).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from yusuan.dataset.assemble import RawDataset, RawTable, RawUnit
from yusuan.dataset.convert import RawRow, amount_or_text, record_values
from yusuan.dataset.explanation import SHEET_HEADERS, explanation_from_rows, explanation_rows
from yusuan.dataset.folder import _ATTR, read_acceptances
from yusuan.dataset.problems import Problem
from yusuan.dataset.schema import (
    EXPLANATION_SHEET,
    LEGACY_MANIFEST_SHEETS,
    MANIFEST_SHEET,
    RECORD_KINDS,
    RULES_SHEET,
    UNITS_SHEET,
    RecordKind,
)
from yusuan.fsutil import atomic_write_bytes
from yusuan.model.records import Dataset, Manifest

# 基本信息 sheet: (label, section, key)
MANIFEST_KEYS: tuple[tuple[str, str, str], ...] = (
    ("格式版本", "", "format_version"),
    ("部门编码", "department", "code"),
    ("部门名称", "department", "name"),
    ("行政区划", "department", "region"),
    ("预算级次", "department", "level"),
    ("预算年度", "budget", "year"),
    ("预算类型", "budget", "kind"),
    ("显示单位", "budget", "display_unit"),
)
UNIT_HEADERS = ("单位编码", "单位名称", "单位性质", "上级单位编码")
RULE_HEADERS = ("规则编号", "设置", "值")
# [[accepted]] in a workbook: one accepted finding a row (the place as a check report prints it).
ACCEPTED_SHEET = "已接受的问题"
ACCEPTED_HEADERS = ("规则编号", "位置", "理由")

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _sheet_rows(ws: Any) -> list[list[str]]:
    rows = []
    for values in ws.iter_rows(values_only=True):
        rows.append([amount_or_text(v) for v in values])
    return rows


def read_workbook(path: Path) -> RawDataset:
    label = path.name
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        return RawDataset(
            label,
            {},
            {},
            None,
            [],
            problems=[
                Problem(
                    "workbook",
                    label,
                    0,
                    "",
                    f"无法打开工作簿：{exc}",
                    f"cannot open workbook: {exc}",
                )
            ],
        )
    problems: list[Problem] = []
    department: dict[str, Any] = {}
    budget: dict[str, Any] = {}
    format_version: Any = None
    manifest_sheet = next(
        (name for name in (MANIFEST_SHEET, *LEGACY_MANIFEST_SHEETS) if name in wb.sheetnames),
        None,
    )
    if manifest_sheet is not None:
        labels = {lab: (section, key) for lab, section, key in MANIFEST_KEYS}
        for cells in _sheet_rows(wb[manifest_sheet])[1:]:
            if len(cells) < 2 or cells[0].strip() not in labels:
                continue
            section, key = labels[cells[0].strip()]
            value = cells[1].strip()
            if key == "format_version":
                format_version = int(value) if value.isdigit() else value
            elif section == "department":
                department[key] = value
            else:
                budget[key] = value
    else:
        problems.append(
            Problem(
                "missing-sheet",
                label,
                0,
                "",
                f"缺少工作表“{MANIFEST_SHEET}”",
                f"missing sheet {MANIFEST_SHEET!r}",
            )
        )
    units: list[RawUnit] = []
    explanation = ""
    if EXPLANATION_SHEET in wb.sheetnames:
        explanation, explanation_problems = explanation_from_rows(
            _sheet_rows(wb[EXPLANATION_SHEET])[1:], label
        )
        problems.extend(explanation_problems)
    if UNITS_SHEET in wb.sheetnames:
        for number, cells in enumerate(_sheet_rows(wb[UNITS_SHEET])[1:], start=2):
            code, name, unit_kind, parent = ([*cells, "", "", "", ""])[:4]
            if any(c.strip() for c in (code, name, unit_kind, parent)):
                units.append(
                    RawUnit(
                        code.strip(),
                        name.strip(),
                        unit_kind.strip(),
                        parent.strip(),
                        f"{label}:{UNITS_SHEET}",
                        number,
                    )
                )
    rules: dict[str, dict[str, str]] = {}
    if RULES_SHEET in wb.sheetnames:
        for cells in _sheet_rows(wb[RULES_SHEET])[1:]:
            rule, setting, value = [*cells, "", "", ""][:3]
            if rule.strip():
                rules.setdefault(rule.strip(), {})[setting.strip()] = value.strip()
    raw = RawDataset(label, department, budget, format_version, units, rules, problems=problems)
    raw.explanation = explanation
    if ACCEPTED_SHEET in wb.sheetnames:
        entries = [
            dict(zip(("rule", "place", "reason"), [*cells, "", "", ""][:3], strict=True))
            for cells in _sheet_rows(wb[ACCEPTED_SHEET])[1:]
            if any(c.strip() for c in cells)
        ]
        raw.accepted, accepted_problems = read_acceptances(entries, f"{label}:{ACCEPTED_SHEET}")
        raw.problems.extend(accepted_problems)
    for kind in RECORD_KINDS:
        if kind.sheet not in wb.sheetnames:
            continue
        rows = _sheet_rows(wb[kind.sheet])
        sheet_label = f"{label}:{kind.sheet}"
        headers = [h.strip() for h in rows[0]] if rows else []
        while headers and not headers[-1]:
            headers.pop()
        raw_rows = [
            RawRow(number, dict(zip(headers, cells, strict=False)))
            for number, cells in enumerate(rows[1:], start=2)
            if any(c.strip() for c in cells)
        ]
        raw.tables[kind.key] = RawTable(sheet_label, headers, raw_rows)
    wb.close()
    return raw


def _write_header(ws: Any, headers: tuple[str, ...] | list[str]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _fit_columns(ws: Any, headers: tuple[str, ...] | list[str], limit: int = 60) -> None:
    widths = [_width(h) for h in headers]
    for row in ws.iter_rows(min_row=2, values_only=True):
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], _width(str(value)) if value is not None else 0)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(limit, max(8, w + 2))


def _cell_value(kind_column: Any, value: Any) -> Any:
    if value is None:
        return None
    if kind_column.kind == "amount":
        return float(value.quantize(Decimal("0.01")))
    if kind_column.kind == "quantity":
        return int(value) if value == value.to_integral_value() else float(value)
    if kind_column.kind == "date":
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, str):
        return str(value.value)
    return str(value) if value != "" else None


def _write_records(ws: Any, kind: RecordKind, records: Any) -> None:
    _write_header(ws, kind.headers)
    for record in records:
        values = record_values(kind, record)
        ws.append([_cell_value(c, values[c.attr]) for c in kind.columns])
    for index, column in enumerate(kind.columns, start=1):
        letter = get_column_letter(index)
        fmt = (
            "0.00" if column.kind == "amount" else ("General" if column.kind == "quantity" else "@")
        )
        for cell in ws[letter][1:]:
            cell.number_format = fmt
    _fit_columns(ws, kind.headers)


def _manifest_rows(manifest: Manifest) -> list[tuple[str, Any]]:
    values = {
        "format_version": manifest.format_version,
        "code": manifest.department.code,
        "name": manifest.department.name,
        "region": manifest.department.region,
        "level": manifest.department.level,
        "year": manifest.year,
        "kind": manifest.kind,
        "display_unit": manifest.display_unit.value,
    }
    return [(label, values[key]) for label, _section, key in MANIFEST_KEYS]


def _write_explanation(ws: Any, text: str) -> None:
    _write_header(ws, SHEET_HEADERS)
    for number, line in explanation_rows(text):
        ws.cell(row=number + 1, column=1, value=number)
        cell = ws.cell(row=number + 1, column=2, value=line)
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 100


def workbook_bytes(dataset: Dataset, *, include_optional: bool = False) -> bytes:
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    ws = wb.create_sheet(MANIFEST_SHEET)
    _write_header(ws, ["项目", "值"])
    for label, value in _manifest_rows(dataset.manifest):
        ws.append([label, str(value) if value != "" else None])
    for cell in ws["B"][1:]:
        cell.number_format = "@"
    _fit_columns(ws, ["项目", "值"])
    ws_units = wb.create_sheet(UNITS_SHEET)
    _write_header(ws_units, UNIT_HEADERS)
    for u in dataset.manifest.units:
        ws_units.append([u.code, u.name, u.kind.value, u.parent or None])
    for row in ws_units.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"
    _fit_columns(ws_units, UNIT_HEADERS)
    if dataset.manifest.rules:
        ws_rules = wb.create_sheet(RULES_SHEET)
        _write_header(ws_rules, RULE_HEADERS)
        for rule, settings in dataset.manifest.rules.items():
            for key, value in settings.items():
                ws_rules.append([rule, key, value])
    if dataset.manifest.accepted:
        ws_accepted = wb.create_sheet(ACCEPTED_SHEET)
        _write_header(ws_accepted, ACCEPTED_HEADERS)
        for acceptance in dataset.manifest.accepted:
            place = acceptance.place or "；".join(f"{k}={v}" for k, v in acceptance.keys)
            ws_accepted.append([acceptance.rule, place, acceptance.reason])
    for kind in RECORD_KINDS:
        records = getattr(dataset, _ATTR[kind.key])
        if kind.optional and not records and not include_optional:
            continue
        _write_records(wb.create_sheet(kind.sheet), kind, records)
    if dataset.explanation.strip() or include_optional:
        _write_explanation(wb.create_sheet(EXPLANATION_SHEET), dataset.explanation)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_workbook(dataset: Dataset, path: Path) -> None:
    """Write the dataset as one workbook, atomically."""
    atomic_write_bytes(path, workbook_bytes(dataset))
