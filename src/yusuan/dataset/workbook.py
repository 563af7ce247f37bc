"""The dataset as one XLSX workbook: a 基本信息 sheet (the manifest; called 说明 before, still
read), a 单位 sheet, one sheet per kind, and a 情况说明 sheet (the text of 说明.md).

The workbook holds exactly the folder's content, so ``folder -> workbook -> folder`` gives the same
files. Amounts are numbers (so officers can sum them in Excel), codes are text (so leading zeros
and letters survive).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from python_calamine import CalamineWorkbook

from yusuan.dataset.assemble import RawDataset, RawTable, RawUnit
from yusuan.dataset.convert import RawRow, record_values, written_columns
from yusuan.dataset.explanation import SHEET_HEADERS, explanation_from_rows, explanation_rows
from yusuan.dataset.folder import _ATTR, read_acceptances, table_of_records
from yusuan.dataset.problems import Place, Problem, cell_name
from yusuan.dataset.schema import (
    EXPLANATION_SHEET,
    LEGACY_MANIFEST_SHEETS,
    MANIFEST_SHEET,
    RECORD_KINDS,
    RULES_SHEET,
    UNITS_SHEET,
    RecordKind,
)
from yusuan.dataset.textfile import regular_file_problem
from yusuan.fsutil import atomic_write_bytes
from yusuan.model.records import Dataset, Manifest
from yusuan.money import excerpt
from yusuan.tables.prior import choice_text

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
    ("上年数据集", "budget", "prior_dataset"),
    ("上年比较列", "budget", "prior_columns"),
    ("目录年度", "budget", "catalog_year"),
)
UNIT_HEADERS = ("单位编码", "单位名称", "单位性质", "上级单位编码")
RULE_HEADERS = ("规则编号", "设置", "值")
# [[accepted]] in a workbook: one accepted finding a row (the place as a check report prints it).
ACCEPTED_SHEET = "已接受的问题"
ACCEPTED_HEADERS = ("规则编号", "位置", "理由")

# The header's look; openpyxl (only for writing) is imported when a workbook is written, so
# reading a dataset (`yusuan check`) does not pay for it.
_HEADER_FILL_COLOUR = "DDEBF7"


def _workbook_problem(label: str, zh: str, en: str, code: str = "workbook") -> Problem:
    return Problem(code, label, 0, "", zh, en)


def _open_problem(label: str, exc: Exception) -> Problem:
    reason = excerpt(str(exc) or type(exc).__name__, 120)
    return _workbook_problem(
        label,
        f"无法打开工作簿：不是有效的 .xlsx 文件，或文件已损坏（{reason}）",
        f"cannot open the workbook: not a valid .xlsx file, or damaged ({reason})",
    )


def read_workbook(path: Path) -> RawDataset:
    """Read a dataset workbook with calamine: fast, exact, every fault a located problem.

    Numbers come back from the file as doubles; each is turned into text through its shortest
    repr (``2766900.07``, never ``2766900.0699999998``), so an amount typed with two decimals
    reads back exactly and one that is not a whole number of 分 is refused by the parser.
    """
    label = path.name
    problem = regular_file_problem(path, label)
    if problem is not None:
        return _failed(label, problem)
    try:
        book = CalamineWorkbook.from_path(str(path))
        kinds = {m.name: m.typ for m in book.sheets_metadata}
    except Exception as exc:  # calamine raises many kinds for a damaged zip or XML
        return _failed(label, _open_problem(label, exc))
    with book, _SheetParts(path) as parts:
        sheets = _SheetReader(book, kinds, parts, label)
        raw = _manifest_of(sheets, label)
        for kind in RECORD_KINDS:
            table = sheets.table(kind.sheet)
            if table is not None:
                raw.tables[kind.key] = table
            elif kind.sheet in kinds:
                raw.unreadable.add(kind.key)
        raw.problems.extend(sheets.problems)
    return raw


def _failed(label: str, problem: Problem) -> RawDataset:
    """Nothing of the workbook could be read: its one problem says why, and nothing more."""
    return RawDataset(
        label,
        {},
        {},
        None,
        [],
        problems=[problem],
        manifest_unreadable=True,
        unreadable={kind.key for kind in RECORD_KINDS},
    )


def _manifest_of(sheets: _SheetReader, label: str) -> RawDataset:
    """The manifest sheet, the units sheet and the rule settings, each row located."""
    department: dict[str, Any] = {}
    budget: dict[str, Any] = {}
    format_version: Any = None
    places: dict[str, Place] = {}
    # the manifest sheet, or a workbook written before it was renamed (说明)
    manifest_sheet = next(
        (n for n in (MANIFEST_SHEET, *LEGACY_MANIFEST_SHEETS) if n in sheets.kinds), MANIFEST_SHEET
    )
    manifest = sheets.table(manifest_sheet, shape=False)
    labels = {lab: (section, key) for lab, section, key in MANIFEST_KEYS}
    if manifest is not None:
        for row in manifest.rows:
            cells = row.cells
            name = cells[0].strip() if cells else ""
            if name not in labels or len(cells) < 2:
                continue
            section, key = labels[name]
            value = cells[1].strip()
            places[f"{section or 'top'}.{key}"] = Place(row.number, name, cell_name(row.number, 1))
            if key == "format_version":
                format_version = int(value) if _DIGITS.match(value) else value
            elif section == "department":
                department[key] = value
            else:
                budget[key] = value
    elif manifest_sheet not in sheets.kinds:
        sheets.problems.append(
            _workbook_problem(
                label,
                f"缺少工作表“{MANIFEST_SHEET}”",
                f"missing sheet {MANIFEST_SHEET!r}",
                "missing-sheet",
            )
        )
    units: list[RawUnit] = []
    unit_sheet = sheets.table(UNITS_SHEET, shape=False)
    for row in unit_sheet.rows if unit_sheet is not None else ():
        code, name, unit_kind, parent = [*row.cells, "", "", "", ""][:4]
        if any(c.strip() for c in (code, name, unit_kind, parent)):
            units.append(
                RawUnit(
                    code.strip(),
                    name.strip(),
                    unit_kind.strip(),
                    parent.strip(),
                    f"{label}:{UNITS_SHEET}",
                    row.number,
                )
            )
    rules: dict[str, dict[str, str]] = {}
    rule_sheet = sheets.table(RULES_SHEET, shape=False)
    for row in rule_sheet.rows if rule_sheet is not None else ():
        rule, setting, value = [*row.cells, "", "", ""][:3]
        if rule.strip():
            rules.setdefault(rule.strip(), {})[setting.strip()] = value.strip()
    raw = RawDataset(
        label,
        department,
        budget,
        format_version,
        units,
        rules,
        manifest_unreadable=manifest is None,
        manifest_places=places,
    )
    explanation = sheets.table(EXPLANATION_SHEET, shape=False)
    if explanation is not None:
        raw.explanation, problems = explanation_from_rows(
            (row.cells for row in explanation.rows), label
        )
        raw.problems.extend(problems)
    accepted = sheets.table(ACCEPTED_SHEET, shape=False)
    if accepted is not None:
        entries = [
            dict(zip(("rule", "place", "reason"), [*row.cells, "", "", ""][:3], strict=True))
            for row in accepted.rows
            if any(c.strip() for c in row.cells)
        ]
        raw.accepted, problems = read_acceptances(entries, f"{label}:{ACCEPTED_SHEET}")
        raw.problems.extend(problems)
    return raw


_DIGITS = re.compile(r"^[0-9]+$")
_SHEET_TYPE_ZH = {
    "ChartSheet": "图表",
    "DialogSheet": "对话框表",
    "MacroSheet": "宏表",
    "Vba": "宏代码",
}


class _SheetReader:
    """Reads the named sheets of one workbook, collecting every problem met."""

    def __init__(
        self, book: CalamineWorkbook, kinds: dict[str, Any], parts: _SheetParts, label: str
    ) -> None:
        self.book, self.kinds, self.parts, self.label = book, kinds, parts, label
        self.problems: list[Problem] = []

    def table(self, name: str, *, shape: bool = True) -> RawTable | None:
        """The sheet as headers and rows; ``None`` when absent or unreadable (then a problem).

        ``shape`` checks the header row and row lengths as for a CSV file; the manifest, units
        and rules sheets are read by position instead.
        """
        if name not in self.kinds:
            return None
        where = f"{self.label}:{name}"
        kind = str(self.kinds[name]).rpartition(".")[2]  # SheetTypeEnum.ChartSheet -> ChartSheet
        if kind != "WorkSheet":
            kind_zh = _SHEET_TYPE_ZH.get(kind, kind)
            self.problems.append(
                _workbook_problem(
                    where,
                    f"工作表“{name}”是{kind_zh}，不是数据表；请把数据放在名为“{name}”的普通工作表中",
                    f"sheet {name!r} is a {kind}, not a worksheet; put the data in a worksheet named {name!r}",
                    "not-a-worksheet",
                )
            )
            return None
        try:
            sheet = self.book.get_sheet_by_name(name)
            formulas = self.parts.formulas_without_value(name)
        except Exception as exc:  # a damaged sheet part: its XML cannot be parsed
            reason = excerpt(str(exc) or type(exc).__name__, 120)
            self.problems.append(
                _workbook_problem(
                    where,
                    f"工作表“{name}”已损坏，无法读取（{reason}）",
                    f"sheet {name!r} is damaged and cannot be read ({reason})",
                    "damaged-sheet",
                )
            )
            return None
        for cell in formulas[:20]:
            row = int(re.sub(r"^[A-Z]+", "", cell) or 0)
            self.problems.append(
                Problem(
                    "formula-without-value",
                    where,
                    row,
                    "",
                    "单元格是公式但没有保存计算结果（文件不是由 Excel/WPS 保存的？）；"
                    "请在 Excel 或 WPS 中打开并保存，或把公式换成数值",
                    "the cell holds a formula without a saved result (not saved by Excel or "
                    "WPS?); open and save it in Excel or WPS, or replace the formula by its value",
                    cell,
                )
            )
        if formulas:
            return None  # every such cell is reported; reading on would add "empty" for each
        # calamine's rows start at row 1 and its columns at the first used one
        start_column = (sheet.start or (0, 0))[1]
        records = _sheet_records(sheet.iter_rows(), start_column)
        first_row = 1
        for cells in records:  # the header is the first row with anything in it
            if "".join(cells).strip():
                records = itertools.chain([cells], records)
                break
            first_row += 1
        if shape:
            table, problems = table_of_records(where, records, first_row)
            self.problems.extend(problems)
            return table
        rows = [RawRow(number, cells) for number, cells in enumerate(records, start=first_row)]
        return RawTable(where, [], rows[1:])


_SHARED_LIMIT = 200_000  # distinct texts shared per sheet; past it, new texts are kept as they are


def _sheet_records(rows: Iterator[list[Any]], start_column: int) -> Iterator[list[str]]:
    """Each row as texts. A text that repeats (a code, a source, a note) is kept once, however
    many rows hold it: calamine gives a new string per cell, and a million-row sheet of codes
    would otherwise keep millions of copies."""
    pad = [""] * start_column
    shared: dict[str, str] = {}
    for values in rows:
        cells = [*pad]
        for value in values:
            if type(value) is str:
                text = shared.get(value)
                if text is None:
                    text = value
                    if len(shared) < _SHARED_LIMIT:
                        shared[value] = value
                cells.append(text)
            else:
                cells.append(cell_text(value))
        yield cells


def cell_text(value: Any) -> str:
    """A calamine cell value as the text the parser reads (exact for numbers, see above)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return repr(value)
        exact = Decimal(repr(value))
        if exact == exact.to_integral_value():
            return str(int(exact))
        return format(exact, "f")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# How a formula element can start: <f>, <f t="shared" …/>, or with a namespace prefix (<x:f>).
_FORMULA_STARTS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b":f/")


class _SheetParts:
    """The workbook's zip, opened once, to find formula cells that have no saved value.

    calamine reads such a cell as empty, which for an amount would be 0; Excel and WPS always
    save a formula's value, but files written by other programs may not. The sheet's XML is
    scanned in chunks for a formula at all; only then parsed (streaming) for cells without one.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.targets: dict[str, str] = {}

    def __enter__(self) -> _SheetParts:
        try:
            self.zip = zipfile.ZipFile(self.path)
            self.targets = _sheet_targets(self.zip)
        except Exception:  # calamine opened it: a part it did not need is not our concern
            self.zip = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self.zip is not None:
            self.zip.close()

    def formulas_without_value(self, sheet: str) -> list[str]:
        target = self.targets.get(sheet)
        if self.zip is None or target is None:
            return []
        if not self._has_formula(target):
            return []
        missing: list[str] = []
        with self.zip.open(target) as part:
            cell, has_formula, value = "", False, ""
            for event, element in ElementTree.iterparse(part, events=("start", "end")):
                tag = element.tag.rpartition("}")[2]
                if event == "start" and tag == "c":
                    cell, has_formula, value = element.get("r", ""), False, ""
                elif event == "end" and tag == "f":
                    has_formula = True
                elif event == "end" and tag == "v":
                    value = element.text or ""
                elif event == "end" and tag == "c":
                    if has_formula and not value:
                        missing.append(cell)
                    element.clear()
        return missing

    def _has_formula(self, target: str) -> bool:
        assert self.zip is not None
        tail = b""
        with self.zip.open(target) as part:
            while chunk := part.read(1 << 20):
                window = tail + chunk[:16]
                if any(m in chunk or m in window for m in _FORMULA_STARTS):
                    return True
                tail = chunk[-16:]
        return False


_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_targets(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the zip, from workbook.xml and its relationships."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    by_id = {r.get("Id", ""): r.get("Target", "") for r in rels}
    targets = {}
    for sheet in workbook.iter():
        if sheet.tag.rpartition("}")[2] == "sheet":
            target = by_id.get(sheet.get(_REL, ""), "")
            target = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[sheet.get("name", "")] = target
    return targets


def append_values(ws: Any, values: list[Any]) -> None:
    """Append a row; text that starts with ``=`` stays text, never a live formula."""
    ws.append(values)
    # the row append just wrote (``ws.max_row`` would scan every cell: quadratic on a big sheet)
    row = ws._current_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith("="):
            ws.cell(row=row, column=column).data_type = "s"


def _write_header(ws: Any, headers: tuple[str, ...] | list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    append_values(ws, list(headers))
    font, fill = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL_COLOUR)
    for cell in ws[1]:
        cell.font = font
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _fit_columns(ws: Any, headers: tuple[str, ...] | list[str], limit: int = 60) -> None:
    from openpyxl.utils import get_column_letter

    widths = [_width(h) for h in headers]
    for row in ws.iter_rows(min_row=2, values_only=True):
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], _width(str(value)) if value is not None else 0)
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(limit, max(8, w + 2))


def _cell_value(kind_column: Any, value: Any) -> Any:
    if value is None:
        return None
    if kind_column.kind in ("amount", "quantity"):
        return spreadsheet_number(
            value.quantize(Decimal("0.01")) if kind_column.kind == "amount" else value
        )
    if kind_column.kind == "date":
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, str):
        return str(value.value)
    return str(value) if value != "" else None


def spreadsheet_number(value: Decimal) -> int | float | str:
    """A number as the workbook stores it: a double when the double holds it exactly (up to 15
    significant digits, all a spreadsheet keeps), else its exact text, which the reader parses
    back; so folder -> workbook -> folder never changes an amount below the bound (10^15 元)."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    number = float(value)
    return number if Decimal(repr(number)) == value else format(value, "f")


def _write_records(ws: Any, kind: RecordKind, records: Any, *, every_column: bool) -> None:
    from openpyxl.utils import get_column_letter

    records = list(records)
    columns = written_columns(kind, records, every_column=every_column)
    headers = [c.header for c in columns]
    _write_header(ws, headers)
    for record in records:
        values = record_values(kind, record)
        append_values(ws, [_cell_value(c, values[c.attr]) for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        fmt = (
            "0.00" if column.kind == "amount" else ("General" if column.kind == "quantity" else "@")
        )
        for cell in ws[letter][1:]:
            cell.number_format = fmt
    _fit_columns(ws, headers)


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
        "prior_dataset": manifest.prior_dataset,
        "prior_columns": choice_text(manifest.prior_columns),
        "catalog_year": manifest.catalog_year or "",
    }
    # rows that older workbooks do not have are written only when the dataset sets them
    optional = {"prior_dataset", "prior_columns", "catalog_year"}
    return [
        (label, values[key])
        for label, _section, key in MANIFEST_KEYS
        if key not in optional or values[key]
    ]


def _write_explanation(ws: Any, text: str) -> None:
    _write_header(ws, SHEET_HEADERS)
    for number, line in explanation_rows(text):
        ws.cell(row=number + 1, column=1, value=number)
        cell = ws.cell(row=number + 1, column=2, value=line)
        cell.data_type = "s"  # text, never a formula, whatever it starts with
    ws.column_dimensions["A"].width = 8
    ws.column_dimensions["B"].width = 100


def workbook_bytes(dataset: Dataset, *, include_optional: bool = False) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    ws = wb.create_sheet(MANIFEST_SHEET)
    _write_header(ws, ["项目", "值"])
    for label, value in _manifest_rows(dataset.manifest):
        append_values(ws, [label, str(value) if value != "" else None])
    for cell in ws["B"][1:]:
        cell.number_format = "@"
    _fit_columns(ws, ["项目", "值"])
    ws_units = wb.create_sheet(UNITS_SHEET)
    _write_header(ws_units, UNIT_HEADERS)
    for u in dataset.manifest.units:
        append_values(ws_units, [u.code, u.name, u.kind.value, u.parent or None])
    for row in ws_units.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"
    _fit_columns(ws_units, UNIT_HEADERS)
    if dataset.manifest.rules:
        ws_rules = wb.create_sheet(RULES_SHEET)
        _write_header(ws_rules, RULE_HEADERS)
        for rule, settings in dataset.manifest.rules.items():
            for key, value in settings.items():
                append_values(ws_rules, [rule, key, value])
    if dataset.manifest.accepted:
        ws_accepted = wb.create_sheet(ACCEPTED_SHEET)
        _write_header(ws_accepted, ACCEPTED_HEADERS)
        for acceptance in dataset.manifest.accepted:
            place = acceptance.place or "；".join(f"{k}={v}" for k, v in acceptance.keys)
            append_values(ws_accepted, [acceptance.rule, place, acceptance.reason])
    for kind in RECORD_KINDS:
        records = getattr(dataset, _ATTR[kind.key])
        if kind.optional and not records and not include_optional:
            continue
        _write_records(wb.create_sheet(kind.sheet), kind, records, every_column=include_optional)
    if dataset.explanation.strip() or include_optional:
        _write_explanation(wb.create_sheet(EXPLANATION_SHEET), dataset.explanation)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_workbook(dataset: Dataset, path: Path) -> None:
    """Write the dataset as one workbook, atomically."""
    atomic_write_bytes(path, workbook_bytes(dataset))
