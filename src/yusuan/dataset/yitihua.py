"""Flat exports of 预算管理一体化 (the integrated budget-management system): read and write.

A flat file is one table of budget lines whose columns are 一体化 data elements (数据元素), named
either by the element (``AGENCY_CODE``) or by its Chinese name (单位代码). Which element means
what, and how the values of 资金性质 (``FUND_TYPE_CODE``) and 项目类别 (``PRO_KIND_NAME``) map to
yusuan's funding sources and 支出类型 / 基本支出类别, are data: ``dataset/data/yitihua_*.csv``
(sources in ``yitihua_SOURCES.md``).

A flat file holds budget lines (with their project names) and nothing else: the department,
the units and their kinds come from a manifest (``yusuan.toml``) or from a whole dataset, whose
projects, indicators, procurement items and 说明 are kept while its budget lines are replaced.

``import_flat`` returns a ``Loaded`` like the dataset readers: the dataset, or ``None`` with every
problem located at the flat file's row, column and cell. ``flat_table`` / ``write_flat`` export.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from pathlib import Path

from yusuan.catalog.loader import (
    department_economic,
    function_classification,
    funding_source,
    government_code_for,
    government_economic,
)
from yusuan.dataset.assemble import (
    Loaded,
    RawDataset,
    RawTable,
    RawUnit,
    _cross_check,
    _manifest,
)
from yusuan.dataset.convert import RawRow, build_line, parse_rows
from yusuan.dataset.folder import read_acceptances, read_csv_table
from yusuan.dataset.problems import Notice, Problem, cell_name
from yusuan.dataset.schema import LINES
from yusuan.dataset.textfile import regular_file_problem
from yusuan.dataset.toml_manifest import read_manifest_toml
from yusuan.model.records import (
    BasicCategory,
    BudgetLine,
    Dataset,
    ExpenseKind,
    Funds,
    Manifest,
    Origin,
    Project,
)
from yusuan.money import excerpt

ELEMENTS_FILE = "yitihua_elements.csv"
FUND_TYPES_FILE = "yitihua_fund_types.csv"
PROJECT_KINDS_FILE = "yitihua_project_kinds.csv"

HEADER_STYLES = ("element", "chinese")
_NOTICE_LIMIT = 20  # notices of one kind listed; the rest are counted


@dataclass(frozen=True, slots=True)
class Element:
    """One 一体化 data element a flat file may have as a column."""

    element: str  # AGENCY_CODE
    name_zh: str  # 单位代码
    aliases: tuple[str, ...]  # other Chinese headers seen for it
    role: str  # what yusuan does with it (unit_code, fund_type, not_kept, …)
    group: str  # elements of one group say the same thing; a required group needs one of them
    required: bool
    export_order: int  # 0: not written on export
    source: str

    @property
    def label(self) -> str:
        return f"{self.element}（{self.name_zh}）"


@dataclass(frozen=True, slots=True)
class FundType:
    """A 资金性质 code and the yusuan funding source it is."""

    code: str
    name: str
    source: str
    export: bool


@dataclass(frozen=True, slots=True)
class ProjectKind:
    """A 项目类别 and the 支出类型 / 基本支出类别 it means in a disclosure."""

    name: str
    aliases: tuple[str, ...]
    kind: ExpenseKind
    category: BasicCategory | None
    export: bool


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("yusuan.dataset").joinpath("data", name).read_text("utf-8-sig")
    return [
        {k: (v or "").strip() for k, v in row.items() if k is not None}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


@functools.cache
def elements() -> tuple[Element, ...]:
    return tuple(
        Element(
            r["element"],
            r["name_zh"],
            _split(r["aliases_zh"]),
            r["role"],
            r["group"] or r["element"],
            r["required"] == "yes",
            int(r["export"] or 0),
            r["source"],
        )
        for r in _data_rows(ELEMENTS_FILE)
    )


@functools.cache
def fund_types() -> tuple[FundType, ...]:
    return tuple(
        FundType(r["code"], r["name"], r["source"], r["export"] == "yes")
        for r in _data_rows(FUND_TYPES_FILE)
    )


@functools.cache
def project_kinds() -> tuple[ProjectKind, ...]:
    return tuple(
        ProjectKind(
            r["name"],
            _split(r["aliases"]),
            ExpenseKind(r["kind"]),
            BasicCategory(r["category"]) if r["category"] else None,
            r["export"] == "yes",
        )
        for r in _data_rows(PROJECT_KINDS_FILE)
    )


def _normal(header: str) -> str:
    """A header as compared: surrounding spaces dropped, inner runs of spaces as one, ASCII
    letters in capitals (``agency_code`` is ``AGENCY_CODE``)."""
    return re.sub(r"\s+", " ", header.strip()).upper()


@functools.cache
def _header_index() -> dict[str, Element]:
    index: dict[str, Element] = {}
    for element in elements():
        for text in (element.element, element.name_zh, *element.aliases):
            index.setdefault(_normal(text), element)
    return index


def element_of(header: str) -> Element | None:
    """The element a header names, by element name or Chinese name (any case, spaces around)."""
    return _header_index().get(_normal(header))


_CODE_NAME = re.compile(r"^([0-9A-Za-z]+)\s*[-－—:：\s]\s*(\S.*)$")


def _code_and_name(text: str) -> tuple[str, str]:
    """``111-一般公共预算资金`` -> (``111``, ``一般公共预算资金``); a bare value is either part."""
    match = _CODE_NAME.match(text)
    if match:
        return match.group(1), match.group(2).strip()
    return (text, "") if re.fullmatch(r"[0-9A-Za-z]+", text) else ("", text)


def fund_type_source(code: str) -> FundType | None:
    """The 资金性质 code's mapping: the listed code that is the longest prefix of ``code``
    (资金性质 codes are hierarchical: 11111 lies under 111)."""
    best: FundType | None = None
    for fund_type in fund_types():
        if code.startswith(fund_type.code) and (
            best is None or len(fund_type.code) > len(best.code)
        ):
            best = fund_type
    return best


def _source_by_name(name: str) -> str | None:
    for fund_type in fund_types():
        if name == fund_type.name:
            return fund_type.source
    found = funding_source(name)
    return found.name if found else None


def project_kind(text: str) -> ProjectKind | None:
    _code, name = _code_and_name(text)
    wanted = name or text
    for kind in project_kinds():
        if wanted == kind.name or wanted in kind.aliases:
            return kind
    return None


# --- reading --------------------------------------------------------------------------------


def read_flat_table(path: Path) -> tuple[RawTable | None, list[Problem], list[Notice]]:
    """The flat file as headers and rows: a CSV file, or the first sheet of an .xlsx workbook."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return read_csv_table(path, path.name)
    from python_calamine import CalamineWorkbook

    from yusuan.dataset.workbook import _open_problem, _SheetParts, _SheetReader

    label = path.name
    problem = regular_file_problem(path, label)
    if problem is not None:
        return None, [problem], []
    try:
        book = CalamineWorkbook.from_path(str(path))
        kinds = {m.name: m.typ for m in book.sheets_metadata}
    except Exception as exc:  # calamine raises many kinds for a damaged zip or XML
        return None, [_open_problem(label, exc)], []
    with book, _SheetParts(path) as parts:
        sheets = _SheetReader(book, kinds, parts, label)
        table = sheets.table(next(iter(kinds))) if kinds else None
        if table is None and not sheets.problems:
            sheets.problems.append(
                Problem("empty-file", label, 0, "", "工作簿没有工作表", "the workbook has no sheet")
            )
    return table, sheets.problems, []


@dataclass
class _Columns:
    """Which column of the flat file holds each element, and what was said about the headers."""

    at: dict[str, int]  # role -> column index
    headers: list[str]
    problems: list[Problem]
    notices: list[Notice]

    def label(self, role: str) -> str:
        """The header as the file writes it, or the element's label when the column is absent."""
        index = self.at.get(role)
        if index is not None:
            return self.headers[index]
        element = next(e for e in elements() if e.role == role)
        return element.label

    def cell(self, row: int, role: str) -> str:
        index = self.at.get(role)
        return cell_name(row, index) if index is not None else ""


def _columns(file: str, headers: Sequence[str]) -> _Columns:
    at: dict[str, int] = {}
    seen: dict[str, int] = {}  # element -> column index
    problems: list[Problem] = []
    unknown: list[str] = []
    not_kept: list[str] = []
    by_group: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        if not header.strip():
            continue
        element = element_of(header)
        if element is None:
            unknown.append(header.strip())
            continue
        if element.element in seen:
            first = headers[seen[element.element]]
            problems.append(
                Problem(
                    "duplicate-column",
                    file,
                    1,
                    header.strip(),
                    f"“{header.strip()}”与“{first}”是同一数据元素 {element.element}；请只保留一列",
                    f"{header.strip()!r} and {first!r} are the same element {element.element}; "
                    "keep one",
                    cell_name(1, index),
                )
            )
            continue
        seen[element.element] = index
        at.setdefault(element.role, index)
        by_group.setdefault(element.group, []).append(index)
        if element.role == "not_kept":
            not_kept.append(header.strip())
    amounts = by_group.get("amount", [])
    if len(amounts) > 1:
        names = "、".join(headers[i].strip() for i in amounts)
        problems.append(
            Problem(
                "several-amounts",
                file,
                1,
                headers[amounts[1]].strip(),
                f"有多个金额列（{names}）；请只保留要导入的一列",
                f"several amount columns ({names}); keep only the one to import",
                cell_name(1, amounts[1]),
            )
        )
    groups: dict[str, list[Element]] = {}
    for element in elements():
        if element.required:
            groups.setdefault(element.group, []).append(element)
    for group, members in groups.items():
        if group not in by_group:
            zh = " 或 ".join(m.label for m in members)
            problems.append(
                Problem(
                    "missing-column",
                    file,
                    1,
                    members[0].element,
                    f"缺少必填列 {zh}",
                    f"required column missing: {' or '.join(m.element for m in members)}",
                )
            )
    notices: list[Notice] = []
    if unknown:
        names = "、".join(excerpt(h, 40) for h in unknown)
        notices.append(
            Notice(
                file,
                f"未识别的列，未读取：{names}（可用的数据元素见 {ELEMENTS_FILE}）",
                f"columns not recognised, not read: {', '.join(unknown)} (see {ELEMENTS_FILE})",
                1,
            )
        )
    if not_kept:
        names = "、".join(not_kept)
        notices.append(
            Notice(
                file,
                f"以下列已识别但 yusuan 不保存：{names}",
                f"these columns are recognised but yusuan does not keep them: {', '.join(not_kept)}",
                1,
            )
        )
    return _Columns(at, list(headers), problems, notices)


def _find(index: int | None, cells: Sequence[str]) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


class _Counted:
    """Notices of one kind: the first few listed with their place, the rest counted."""

    def __init__(self, file: str, more_zh: str, more_en: str) -> None:
        self.file, self.more_zh, self.more_en = file, more_zh, more_en
        self.notices: list[Notice] = []
        self.count = 0

    def add(self, notice: Notice) -> None:
        self.count += 1
        if self.count <= _NOTICE_LIMIT:
            self.notices.append(notice)

    def all(self) -> list[Notice]:
        if self.count <= _NOTICE_LIMIT:
            return self.notices
        more = self.count - _NOTICE_LIMIT
        return [
            *self.notices,
            Notice(self.file, self.more_zh.format(more), self.more_en.format(more)),
        ]


# the flat columns (by role, as in yitihua_elements.csv) that give each budget-line field; keyed
# by the field's header in dataset/schema.py, which is how problems about a line name it
_FIELD_ROLES = {
    LINES.column(attr).header: roles
    for attr, roles in {
        "unit_code": ("unit_code",),
        "function_code": ("function_code",),
        "economic_code": ("economic_code",),
        "source": ("fund_type", "fund_type_name"),
        "kind": ("project_kind_name", "project_kind"),
        "category": ("project_kind_name", "project_kind"),
        "project": ("project",),
        "amount": ("amount",),
        "note": ("note",),
    }.items()
}


class _Reader:
    """One flat table read against a manifest: translated rows, problems and notices."""

    def __init__(self, table: RawTable, manifest: Manifest) -> None:
        self.file = table.file
        self.manifest = manifest
        self.columns = _columns(table.file, table.headers)
        self.problems: list[Problem] = list(self.columns.problems)
        self.notices: list[Notice] = list(self.columns.notices)
        self.units = {u.code: u for u in manifest.units}
        year = manifest.year
        self.function_names = function_classification(year)
        self.economic_names = department_economic(year)
        self.government_names = government_economic(year)
        self.name_notices = _Counted(
            self.file,
            "另有 {} 处名称与目录或清单不同（未保存）",
            "{} more names differ from the catalogue or manifest (not kept)",
        )
        self.gov_notices = _Counted(
            self.file,
            "另有 {} 处政府预算经济分类与推导结果不同",
            "{} more government economic codes differ from the derived ones",
        )
        self.reported: set[tuple[int, str]] = set()  # (row, yusuan field) with a problem
        self.dropped_projects = 0
        self.collapsed_kinds = 0
        self.first_collapsed = 0

    def role_of(self, header: str) -> str:
        """The flat column that gave a yusuan field: its header as written."""
        for role in _FIELD_ROLES.get(header, ()):
            if role in self.columns.at:
                return self.columns.headers[self.columns.at[role]]
        roles = _FIELD_ROLES.get(header)
        return self.columns.label(roles[0]) if roles else header

    def problem(self, code: str, row: int, role: str, zh: str, en: str) -> None:
        for field, roles in _FIELD_ROLES.items():
            if role in roles:
                self.reported.add((row, field))
        self.problems.append(
            Problem(
                code, self.file, row, self.columns.label(role), zh, en, self.columns.cell(row, role)
            )
        )

    def cell(self, cells: Sequence[str], role: str) -> str:
        return _find(self.columns.at.get(role), cells)

    def translate(self, raw: RawRow) -> list[str]:
        """The row as yusuan's budget-line cells (in LINES column order)."""
        cells, row = raw.cells, raw.number
        unit_code = self.cell(cells, "unit_code")
        self._check_codes(row, cells, unit_code)
        self._check_year(row, self.cell(cells, "year"))
        self._check_names(row, cells, unit_code)
        source = self._source(row, cells)
        kind = self._kind(row, cells)
        project = self.cell(cells, "project")
        if kind is not None and kind.kind is ExpenseKind.BASIC and project:
            self.dropped_projects += 1
            project = ""
        values = {
            "unit_code": unit_code,
            "function_code": self.cell(cells, "function_code"),
            "economic_code": self.cell(cells, "economic_code"),
            "source": source,
            "kind": kind.kind.value if kind else "",
            "category": kind.category.value if kind and kind.category else "",
            "project": project,
            "amount": self.cell(cells, "amount"),
            "note": self.cell(cells, "note"),
        }
        return [values[column.attr] for column in LINES.columns]

    def _check_codes(self, row: int, cells: Sequence[str], unit_code: str) -> None:
        """The unit and the code shapes, on every row (also one whose other cells are bad)."""
        if unit_code and unit_code not in self.units:
            self.problem(
                "unknown-unit",
                row,
                "unit_code",
                f"单位编码“{excerpt(unit_code)}”不在清单的单位列表中",
                f"unit {excerpt(unit_code)!r} is not in the manifest",
            )
        for role, digits, zh, en in (
            (
                "function_code",
                7,
                "功能分类科目应为7位项级编码",
                "function code must be a 7-digit 项 code",
            ),
            (
                "economic_code",
                5,
                "经济分类科目应为5位款级编码",
                "economic code must be a 5-digit 款 code",
            ),
        ):
            code = self.cell(cells, role)
            if code and not (len(code) == digits and code.isdigit() and code.isascii()):
                self.problem(
                    f"{role.partition('_')[0]}-code",
                    row,
                    role,
                    f"{zh}，实际为“{excerpt(code)}”",
                    f"{en}, got {excerpt(code)!r}",
                )

    def _check_year(self, row: int, text: str) -> None:
        if text and text != str(self.manifest.year):
            self.problem(
                "year-mismatch",
                row,
                "year",
                f"预算年度“{excerpt(text)}”与清单的预算年度 {self.manifest.year} 不符",
                f"fiscal year {excerpt(text)!r} differs from the manifest's {self.manifest.year}",
            )

    def _check_names(self, row: int, cells: Sequence[str], unit_code: str) -> None:
        unit = self.units.get(unit_code)
        function_code = self.cell(cells, "function_code")
        economic_code = self.cell(cells, "economic_code")
        expected = {
            "unit_name": unit.name if unit else None,
            "function_name": self.function_names.name(function_code) or None,
            "economic_name": self.economic_names.name(economic_code) or None,
        }
        government = self.cell(cells, "government_code")
        derived = government_code_for(economic_code, unit.kind) if unit else None
        if government and derived and government != derived:
            self.gov_notices.add(
                Notice(
                    self.file,
                    f"政府预算经济分类“{excerpt(government)}”与按部门经济分类 {economic_code} 和单位性质"
                    f"（{unit.kind.value if unit else ''}）推导的 {derived} 不同；yusuan 使用推导结果",
                    f"government economic code {excerpt(government)!r} differs from {derived}, "
                    f"derived from {economic_code} and the unit's kind; yusuan uses the derived code",
                    row,
                    self.columns.label("government_code"),
                    self.columns.cell(row, "government_code"),
                )
            )
        if derived:
            expected["government_name"] = self.government_names.name(
                government if government else derived
            )
        for role, want in expected.items():
            text = self.cell(cells, role)
            _code, name = _code_and_name(text)
            if text and want and (name or text) != want:
                self.name_notices.add(
                    Notice(
                        self.file,
                        f"“{excerpt(text)}”与目录或清单中的名称“{want}”不同；yusuan 使用后者",
                        f"{excerpt(text)!r} differs from the name {want!r} of the catalogue or "
                        "manifest; yusuan uses the latter",
                        row,
                        self.columns.label(role),
                        self.columns.cell(row, role),
                    )
                )

    def _source(self, row: int, cells: Sequence[str]) -> str:
        code_text = self.cell(cells, "fund_type")
        name_text = self.cell(cells, "fund_type_name")
        by_code: str | None = None
        if code_text:
            code, _name = _code_and_name(code_text)
            found = fund_type_source(code) if code else None
            if found is None:
                known = "、".join(f"{f.code} {f.name}" for f in fund_types())
                self.problem(
                    "bad-value",
                    row,
                    "fund_type",
                    f"资金性质代码“{excerpt(code_text)}”不在对照表（{FUND_TYPES_FILE}）中；已知：{known}"
                    "；或在“资金性质名称”列写资金来源名称",
                    f"资金性质 code {excerpt(code_text)!r} is not in {FUND_TYPES_FILE} "
                    f"(known: {known}); or give the funding source in FUND_TYPE_NAME",
                )
                return ""
            by_code = found.source
        if name_text:
            _code, name = _code_and_name(name_text)
            by_name = _source_by_name(name or name_text)
            if by_name is None and by_code is None:
                self.problem(
                    "bad-value",
                    row,
                    "fund_type_name",
                    f"资金性质“{excerpt(name_text)}”不是已知的资金来源（见资金来源目录）",
                    f"资金性质 {excerpt(name_text)!r} is not a known funding source",
                )
                return ""
            if by_code is not None and by_name is not None and by_name != by_code:
                self.problem(
                    "bad-value",
                    row,
                    "fund_type_name",
                    f"资金性质名称“{excerpt(name_text)}”（{by_name}）与资金性质代码"
                    f"“{excerpt(code_text)}”（{by_code}）不一致",
                    f"资金性质 name {excerpt(name_text)!r} ({by_name}) disagrees with the code "
                    f"{excerpt(code_text)!r} ({by_code})",
                )
                return ""
            return by_code or by_name or ""
        if by_code is None:
            role = "fund_type" if "fund_type" in self.columns.at else "fund_type_name"
            self.problem(
                "bad-value",
                row,
                role,
                "资金性质不能为空",
                "资金性质 (fund type) must not be empty",
            )
            return ""
        return by_code

    def _kind(self, row: int, cells: Sequence[str]) -> ProjectKind | None:
        role = "project_kind_name" if self.cell(cells, "project_kind_name") else "project_kind"
        text = self.cell(cells, role)
        if not text:
            self.problem(
                "bad-value",
                row,
                "project_kind_name" if "project_kind_name" in self.columns.at else "project_kind",
                "项目类别不能为空（人员类项目 / 公用经费项目 / 其他运转类项目 / 特定目标类项目）",
                "项目类别 (project kind) must not be empty",
            )
            return None
        found = project_kind(text)
        if found is None:
            names = " / ".join(k.name for k in project_kinds())
            self.problem(
                "bad-value",
                row,
                role,
                f"项目类别“{excerpt(text)}”无法识别；应为 {names}（代码因系统而异，请写名称，"
                f"或在 {PROJECT_KINDS_FILE} 中补充）",
                f"project kind {excerpt(text)!r} is not recognised; expected {names} (codes "
                f"differ between systems: write the name, or add it to {PROJECT_KINDS_FILE})",
            )
            return None
        if found.kind is ExpenseKind.PROJECT and not found.export:
            self.collapsed_kinds += 1
            self.first_collapsed = self.first_collapsed or row
        return found

    def closing_notices(self) -> list[Notice]:
        notices = [*self.name_notices.all(), *self.gov_notices.all()]
        if self.dropped_projects:
            notices.append(
                Notice(
                    self.file,
                    f"{self.dropped_projects} 行人员类或公用经费项目的项目名称未保存"
                    "（yusuan 的基本支出不属于项目）",
                    f"the project name of {self.dropped_projects} basic-expenditure line(s) is "
                    "not kept (a yusuan 基本支出 line has no project)",
                    0,
                    self.columns.label("project"),
                )
            )
        if self.collapsed_kinds:
            notices.append(
                Notice(
                    self.file,
                    f"{self.collapsed_kinds} 行其他运转类项目按项目支出读入；导出时写为特定目标类项目"
                    f"（首见第{self.first_collapsed}行）",
                    f"{self.collapsed_kinds} line(s) of 其他运转类项目 read as 项目支出; they are "
                    f"exported as 特定目标类项目 (first on row {self.first_collapsed})",
                )
            )
        return notices

    def _place(self, field: str, row: int) -> tuple[str, str]:
        """The flat file's header and cell for a yusuan line field on ``row``."""
        index = next(
            (self.columns.at[r] for r in _FIELD_ROLES[field] if r in self.columns.at), None
        )
        return self.role_of(field), cell_name(row, index) if index is not None and row else ""

    def relocate(self, problem: Problem) -> Problem:
        """A problem found in yusuan's terms, placed at the flat file's own column and cell."""
        if problem.file != self.file or problem.column not in _FIELD_ROLES:
            return problem
        column, cell = self._place(problem.column, problem.row)
        return replace(problem, column=column, cell=cell)

    def relocate_notice(self, notice: Notice) -> Notice:
        if notice.column not in _FIELD_ROLES:
            return notice
        column, cell = self._place(notice.column, notice.row)
        return replace(notice, column=column, cell=cell)


def _name_only_project(name: str, origin: Origin) -> Project:
    return Project(name, "", "", "", "", "", Funds(), Funds(), origin=origin)


def import_flat(table: RawTable, manifest: Manifest, base: Dataset | None = None) -> Loaded:
    """Budget lines from a flat 一体化 table, with the manifest (and the rest of ``base``).

    The lines replace ``base``'s; its projects, indicators, procurement items, revenue, prior-year
    figures and 说明 are kept. A project a line names that ``base`` lacks is created with its name
    only (its 绩效目标申报表 is then to be filled in), and a notice says so.
    """
    reader = _Reader(table, manifest)
    if not table.rows:
        reader.problems.append(
            Problem(
                "empty-file",
                table.file,
                0,
                "",
                "文件没有预算明细行（只有表头）",
                "the file has no budget lines (a header only)",
            )
        )
    if any(p.code in ("missing-column", "several-amounts", "empty-file") for p in reader.problems):
        return Loaded(None, reader.problems, reader.notices)
    rows = [RawRow(raw.number, reader.translate(raw)) for raw in table.rows]
    parsed, row_problems, row_notices = parse_rows(LINES, table.file, rows, LINES.headers)
    lines: list[BudgetLine] = [build_line(v, Origin(table.file, v["_row"])) for v in parsed]
    projects = list(base.projects) if base else []
    known = {p.name for p in projects}
    created: list[str] = []
    for line in lines:
        if line.project and line.project not in known:
            known.add(line.project)
            created.append(line.project)
            projects.append(_name_only_project(line.project, line.origin))
    later = _cross_check(
        lines,
        projects,
        (),
        (),
        {u.code for u in manifest.units},
        [(line.source, line.origin) for line in lines],
        referable=known,
    )
    problems = list(reader.problems)
    for problem in (*row_problems, *later):
        if (problem.row, problem.column) not in reader.reported:  # else said once already
            problems.append(reader.relocate(problem))
    problems.sort(key=lambda p: (p.row, len(p.cell), p.cell))
    notices = [*reader.notices, *(reader.relocate_notice(n) for n in row_notices)]
    notices.extend(reader.closing_notices())
    if created:
        more = "…" if len(created) > _NOTICE_LIMIT else ""
        shown = "、".join(created[:_NOTICE_LIMIT]) + more
        notices.append(
            Notice(
                table.file,
                f"新建了 {len(created)} 个只有名称的项目（绩效目标申报表待填写）：{shown}",
                f"{len(created)} project(s) created with their name only (their "
                f"performance-target forms are to be filled in): "
                f"{', '.join(created[:_NOTICE_LIMIT])}{more}",
            )
        )
    if problems:
        return Loaded(None, problems, notices)
    dataset = Dataset(
        manifest=manifest,
        lines=tuple(lines),
        projects=tuple(projects),
        indicators=base.indicators if base else (),
        procurement=base.procurement if base else (),
        revenue=base.revenue if base else (),
        prior_year=base.prior_year if base else (),
        explanation=base.explanation if base else "",
    )
    return Loaded(dataset, [], notices)


def read_base(path: Path) -> tuple[Manifest | None, Dataset | None, Loaded]:
    """What a flat file is combined with: a ``yusuan.toml`` (its manifest) or a whole dataset.

    Returns the manifest, the dataset (``None`` for a manifest alone) and what reading said.
    """
    if path.suffix.lower() == ".toml":
        values = read_manifest_toml(path)
        raw = RawDataset(
            manifest_file=path.name,
            department=values.department,
            budget=values.budget,
            format_version=values.format_version,
            units=[
                RawUnit(u["code"], u["name"], u["kind"], u["parent"], path.name, i, "[[units]]")
                for i, u in enumerate(values.units, start=1)
            ],
            rules=values.rules,
            problems=list(values.problems),
            notices=list(values.notices),
            manifest_unreadable=values.unreadable,
            manifest_places=values.places,
        )
        raw.accepted, accepted_problems = read_acceptances(values.accepted, path.name)
        raw.problems.extend(accepted_problems)
        manifest, problems = _manifest(raw)
        problems = [*raw.problems, *problems]
        if problems:
            manifest = None
        return manifest, None, Loaded(None, problems, raw.notices)
    from yusuan.dataset import read_dataset_noticed

    loaded = read_dataset_noticed(path)
    if loaded.dataset is None:
        return None, None, loaded
    return loaded.dataset.manifest, loaded.dataset, loaded


def read_flat(path: Path, base: Path) -> Loaded:
    """Read the flat file ``path`` combined with ``base`` (a ``yusuan.toml`` or a dataset)."""
    manifest, dataset, base_loaded = read_base(base)
    if manifest is None:
        return Loaded(None, base_loaded.problems, base_loaded.notices)
    table, problems, notices = read_flat_table(path)
    notices = [*base_loaded.notices, *notices]
    if table is None or problems:
        return Loaded(None, problems, notices)
    loaded = import_flat(table, manifest, dataset)
    return Loaded(loaded.dataset, loaded.problems, [*notices, *loaded.notices])


# --- writing --------------------------------------------------------------------------------


def _export_elements() -> list[Element]:
    return sorted((e for e in elements() if e.export_order), key=lambda e: e.export_order)


def _export_fund_type(source: str) -> FundType | None:
    return next((f for f in fund_types() if f.export and f.source == source), None)


def _export_kind(line: BudgetLine) -> ProjectKind:
    return next(
        k
        for k in project_kinds()
        if k.export and k.kind is line.kind and (k.category is line.category)
    )


def flat_table(dataset: Dataset, headers: str = "element") -> tuple[list[str], list[list[str]]]:
    """The dataset's budget lines as a flat 一体化 table: headers (element names, or their
    Chinese names) and one row of text per line, in the dataset's order."""
    if headers not in HEADER_STYLES:
        raise ValueError(f"headers must be one of {HEADER_STYLES}, got {headers!r}")
    columns = _export_elements()
    year = dataset.year
    functions = function_classification(year)
    economics = department_economic(year)
    governments = government_economic(year)
    units = {u.code: u for u in dataset.manifest.units}
    rows: list[list[str]] = []
    for line in dataset.lines:
        unit = units.get(line.unit_code)
        government = government_code_for(line.economic_code, unit.kind) if unit else None
        fund = _export_fund_type(line.source)
        values: dict[str, str] = {
            "year": str(year),
            "unit_code": line.unit_code,
            "unit_name": unit.name if unit else "",
            "function_code": line.function_code,
            "function_name": functions.name(line.function_code),
            "economic_code": line.economic_code,
            "economic_name": economics.name(line.economic_code),
            "government_code": government or "",
            "government_name": governments.name(government) if government else "",
            "fund_type": fund.code if fund else "",
            "fund_type_name": fund.name if fund else line.source,
            "project_kind_name": _export_kind(line).name,
            "project": line.project,
            "amount": f"{line.amount.quantize(_CENT)}",
            "note": line.note,
        }
        rows.append([values[c.role] for c in columns])
    names = [c.element if headers == "element" else c.name_zh for c in columns]
    return names, rows


_CENT = Decimal("0.01")


def flat_csv_text(dataset: Dataset, headers: str = "element") -> str:
    """The flat table as CSV text (formula-like text neutralised, CRLF as Excel writes)."""
    from yusuan.render.spreadsheet_safe import csv_writer

    names, rows = flat_table(dataset, headers)
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(names)
    writer.writerows(rows)
    return out.getvalue()


def flat_xlsx_bytes(dataset: Dataset, headers: str = "element") -> bytes:
    """The flat table as a one-sheet workbook (codes as text, amounts as numbers)."""
    from openpyxl import Workbook

    from yusuan.dataset.workbook import _fit_columns, _write_header, spreadsheet_number

    names, rows = flat_table(dataset, headers)
    amount_at = [e.role for e in _export_elements()].index("amount")
    book = Workbook()
    for default in list(book.worksheets):
        book.remove(default)
    sheet = book.create_sheet("预算明细")
    _write_header(sheet, names)
    for number, row in enumerate(rows, start=2):
        for index, text in enumerate(row):
            if index == amount_at:
                cell = sheet.cell(number, index + 1, spreadsheet_number(Decimal(text)))
                cell.number_format = "0.00"
            elif text:
                cell = sheet.cell(number, index + 1, text)
                cell.data_type = "s"  # text (codes keep their zeros), never a formula
                cell.number_format = "@"
    _fit_columns(sheet, names)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_flat(dataset: Dataset, path: Path, headers: str = "element") -> None:
    """Write the flat table atomically: a workbook when ``path`` ends in .xlsx, else CSV (UTF-8
    with a BOM, so that Excel and WPS open the Chinese right)."""
    from yusuan.fsutil import atomic_write_bytes

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        atomic_write_bytes(path, flat_xlsx_bytes(dataset, headers))
    else:
        atomic_write_bytes(path, flat_csv_text(dataset, headers).encode("utf-8-sig"))


__all__ = [
    "HEADER_STYLES",
    "Element",
    "element_of",
    "elements",
    "flat_csv_text",
    "flat_table",
    "fund_types",
    "import_flat",
    "project_kinds",
    "read_base",
    "read_flat",
    "read_flat_table",
    "write_flat",
]
