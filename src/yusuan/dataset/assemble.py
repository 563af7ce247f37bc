"""Assemble a ``Dataset`` from raw manifest values and raw rows, checking cross-references.

Like beancount's loader this returns ``(dataset, problems)``; the dataset is ``None`` whenever
any problem stands, so nothing is ever loaded partially.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from yusuan.catalog.loader import funding_source, missing_catalogs
from yusuan.dataset.convert import BUILDERS, RawRow, check_headers, parse_rows
from yusuan.dataset.problems import Notice, Place, Problem
from yusuan.dataset.schema import (
    INDICATORS,
    LINES,
    PRIOR_YEAR,
    PROCUREMENT,
    PROJECTS,
    RECORD_KINDS,
    REVENUE,
    UNIT_KINDS,
)
from yusuan.model.records import (
    Acceptance,
    BudgetLine,
    Dataset,
    Department,
    ExpenseKind,
    Indicator,
    Manifest,
    Origin,
    ProcurementItem,
    Project,
    Unit,
    UnitKind,
)
from yusuan.money import MoneyUnit, excerpt
from yusuan.tables.prior import layout, parse_choice

SUPPORTED_FORMAT_VERSIONS = (1,)


@dataclass
class RawTable:
    """One record file or sheet as read: where it came from, its headers and rows."""

    file: str
    headers: Sequence[str]
    rows: Sequence[RawRow]


@dataclass
class RawUnit:
    code: str
    name: str
    kind: str
    parent: str
    file: str
    row: int  # the sheet row, or the block number in yusuan.toml
    block: str = ""  # "[[units]]" when ``row`` counts manifest blocks

    def place(self, key: str, label: str) -> Place:
        """Where one of the unit's fields is: a sheet column, or a key of its manifest block."""
        if self.block:
            return Place(self.row, f"{key}（{label}）", block=self.block)
        return Place(self.row, label)


@dataclass
class RawDataset:
    """Everything a reader found, before any interpretation."""

    manifest_file: str
    department: Mapping[str, Any]
    budget: Mapping[str, Any]
    format_version: Any
    units: list[RawUnit]
    rules: dict[str, dict[str, str]] = field(default_factory=dict)
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    explanation: str = ""
    accepted: list[Acceptance] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # The manifest could not be read at all: its problems say why, and nothing more is said
    # about it (every other message would follow from the first).
    manifest_unreadable: bool = False
    # Where each manifest value was written ("budget.year" -> line 9 of yusuan.toml, or a row
    # of the workbook's manifest sheet), to locate problems with the values.
    manifest_places: Mapping[str, Place] = field(default_factory=dict)
    # Record kinds whose file or sheet exists but could not be read (never "missing").
    unreadable: set[str] = field(default_factory=set)


_YEAR_RE = re.compile(r"^[0-9]{4}$")


def _manifest(raw: RawDataset) -> tuple[Manifest | None, list[Problem]]:
    if raw.manifest_unreadable:
        return None, []  # its problems are already reported; anything more would follow from them
    problems: list[Problem] = []
    f = raw.manifest_file

    def at(section: str, key: str, label: str) -> Place:
        place = raw.manifest_places.get(f"{section}.{key}")
        if place is None:
            return Place(0, label)
        return replace(place, column=f"{place.column}（{label}）" if place.block else place.column)

    def problem(place: Place, message_zh: str, message_en: str) -> None:
        problems.append(place.problem("manifest", f, message_zh, message_en))

    def need(section: Mapping[str, Any], name: str, key: str, label: str) -> str:
        value = str(section.get(key, "") or "").strip()
        if not value:
            problem(at(name, key, label), f"清单缺少“{label}”", f"manifest lacks {name}.{key}")
        return value

    if raw.format_version not in SUPPORTED_FORMAT_VERSIONS:
        problem(
            Place(0, "format_version"),
            f"不支持的格式版本“{excerpt(str(raw.format_version))}”，应为 1",
            f"unsupported format_version {excerpt(str(raw.format_version))!r}; expected 1",
        )
    code = need(raw.department, "department", "code", "部门编码")
    name = need(raw.department, "department", "name", "部门名称")
    year_text = need(raw.budget, "budget", "year", "预算年度")
    year = 0
    if year_text:
        if _YEAR_RE.match(year_text) and 1990 <= int(year_text) <= 2100:
            year = int(year_text)
        else:
            problem(
                at("budget", "year", "预算年度"),
                f"预算年度应为 1990–2100 之间的四位年份（半角数字），实际为“{excerpt(year_text)}”",
                f"year must be a four-digit year 1990–2100 in ASCII digits, got {excerpt(year_text)!r}",
            )
    unit_text = str(raw.budget.get("display_unit", "万元") or "万元")
    try:
        display_unit = MoneyUnit.parse(unit_text)
    except ValueError:
        display_unit = MoneyUnit.WAN
        problem(
            at("budget", "display_unit", "显示单位"),
            f"显示单位应为 元 / 万元 / 亿元，实际为“{excerpt(unit_text)}”",
            f"display_unit must be 元, 万元 or 亿元, got {excerpt(unit_text)!r}",
        )
    kind = str(raw.budget.get("kind", "预算") or "预算")
    if kind not in ("预算", "决算"):
        problem(
            at("budget", "kind", "预算类型"),
            f"预算类型应为 预算 或 决算，实际为“{excerpt(kind)}”",
            f"kind must be 预算 or 决算, got {excerpt(kind)!r}",
        )
    prior_text = str(raw.budget.get("prior_columns", "") or "")
    prior_columns, unknown_columns = parse_choice(prior_text)
    if unknown_columns:
        choices = " / ".join(layout().labels.values())
        problem(
            at("budget", "prior_columns", "上年比较列"),
            f"上年比较列应为 {choices} 中的一个或几个（用“、”分隔），"
            f"“{excerpt('、'.join(unknown_columns))}”不是",
            f"prior_columns names columns among {choices} (separated by 、), "
            f"not {excerpt(', '.join(unknown_columns))!r}",
        )
    catalog_year = _catalog_year(raw, at("budget", "catalog_year", "目录年度"), problem)
    units: list[Unit] = []
    seen: set[str] = set()
    for u in raw.units:
        if not u.code or not u.name:
            problem(
                u.place("code" if not u.code else "name", "单位编码" if not u.code else "单位名称"),
                "单位须有编码和名称",
                "a unit needs a code and a name",
            )
            continue
        if u.code in seen:
            problem(
                u.place("code", "单位编码"),
                f"单位编码“{excerpt(u.code)}”重复",
                f"duplicate unit code {excerpt(u.code)!r}",
            )
            continue
        if u.kind not in UNIT_KINDS:
            problem(
                u.place("kind", "单位性质"),
                f"单位性质应为 {' / '.join(UNIT_KINDS)} 之一，实际为“{excerpt(u.kind)}”",
                f"unit kind must be one of {', '.join(UNIT_KINDS)}, got {excerpt(u.kind)!r}",
            )
            continue
        seen.add(u.code)
        units.append(Unit(u.code, u.name, UnitKind(u.kind), u.parent, Origin(u.file, u.row)))
    for raw_unit in raw.units:
        if raw_unit.parent and raw_unit.code in seen and raw_unit.parent not in seen:
            problem(
                raw_unit.place("parent", "上级单位编码"),
                f"上级单位“{excerpt(raw_unit.parent)}”不在单位列表中",
                f"parent unit {excerpt(raw_unit.parent)!r} is not a unit",
            )
    if not units and not raw.units:
        problem(Place(0, "单位"), "清单中至少要有一个单位", "the manifest needs at least one unit")
    if problems:
        return None, problems
    department = Department(
        code,
        name,
        str(raw.department.get("region", "") or ""),
        str(raw.department.get("level", "") or ""),
    )
    return Manifest(
        department,
        year,
        tuple(units),
        kind,
        display_unit,
        int(raw.format_version),
        raw.rules,
        accepted=tuple(raw.accepted),
        prior_dataset=str(raw.budget.get("prior_dataset", "") or "").strip(),
        prior_columns=prior_columns,
        catalog_year=catalog_year,
    ), problems


def _catalog_year(raw: RawDataset, place: Place, problem: Callable[[Place, str, str], None]) -> int:
    """``[budget] catalog_year`` (目录年度): a four-digit year with catalogue data; 0 when absent."""
    text = str(raw.budget.get("catalog_year", "") or "").strip()
    if not text:
        return 0
    if not (_YEAR_RE.match(text) and 1990 <= int(text) <= 2100):
        problem(
            place,
            f"目录年度应为 1990–2100 之间的四位年份（半角数字），实际为“{excerpt(text)}”",
            f"catalog_year must be a four-digit year 1990–2100 in ASCII digits, got {excerpt(text)!r}",
        )
        return 0
    missing = missing_catalogs(int(text))
    if missing:
        problem(
            place,
            f"目录年度{text}年没有分类目录数据（{'、'.join(missing)}），"
            "请填写有目录数据的年度，或删除此项（按预算年度选用目录）",
            f"catalog_year {text}: no catalogue data for that year ({', '.join(missing)}); "
            "give a year with catalogue data, or remove it (the budget year's catalogues are used)",
        )
        return 0
    return int(text)


def _unknown_unit(code: str, origin: Origin) -> Problem:
    return Problem(
        "unknown-unit",
        origin.file,
        origin.row,
        "单位编码",
        f"单位编码“{code}”不在清单的单位列表中",
        f"unit {code!r} is not in the manifest",
    )


def _unknown_project(name: str, origin: Origin) -> Problem:
    return Problem(
        "unknown-project",
        origin.file,
        origin.row,
        "项目名称",
        f"项目“{name}”不在 projects.csv 中",
        f"project {name!r} is not in projects.csv",
    )


def duplicate_project_codes(projects: Sequence[Project]) -> list[Problem]:
    """项目代码 is one project's: a code given to a second project (by another name) is a
    problem on that project's row, naming the first."""
    problems: list[Problem] = []
    first: dict[str, Project] = {}
    for project in projects:
        if not project.code:
            continue
        owner = first.setdefault(project.code, project)
        if owner is project or owner.name == project.name:
            continue  # a repeated name is its own problem (duplicate-project)
        where = f"第{owner.origin.row}行" if owner.origin.row else owner.origin.file
        where_en = f"row {owner.origin.row}" if owner.origin.row else owner.origin.file
        problems.append(
            Problem(
                "duplicate-project-code",
                project.origin.file,
                project.origin.row,
                "项目代码",
                f"项目代码“{excerpt(project.code)}”重复：{where}的项目“{excerpt(owner.name)}”"
                f"已使用；一个项目代码只属于一个项目",
                f"project code {excerpt(project.code)!r} repeated: project "
                f"{excerpt(owner.name)!r} on {where_en} has it; a code belongs to one project",
            )
        )
    return problems


def _cross_check(
    lines: Sequence[BudgetLine],
    projects: Sequence[Project],
    indicators: Sequence[Indicator],
    procurement: Sequence[ProcurementItem],
    unit_codes: set[str],
    sources: Sequence[tuple[str, Origin]],
    *,
    referable: set[str] | None,
) -> list[Problem]:
    problems: list[Problem] = []
    names: dict[str, Origin] = {}
    for project in projects:
        if project.name in names:
            first = names[project.name]
            problems.append(
                Problem(
                    "duplicate-project",
                    project.origin.file,
                    project.origin.row,
                    "项目名称",
                    f"项目“{project.name}”重复（第{first.row}行已有）",
                    f"project {project.name!r} repeated (already on row {first.row})",
                )
            )
        names.setdefault(project.name, project.origin)
    problems.extend(duplicate_project_codes(projects))
    for line in lines:
        o = line.origin
        if line.unit_code not in unit_codes:
            problems.append(_unknown_unit(line.unit_code, o))
        if len(line.function_code) != 7 or not line.function_code.isdigit():
            problems.append(
                Problem(
                    "function-code",
                    o.file,
                    o.row,
                    "功能分类科目编码",
                    f"功能分类科目应为7位项级编码，实际为“{line.function_code}”",
                    f"function code must be a 7-digit 项 code, got {line.function_code!r}",
                )
            )
        if len(line.economic_code) != 5 or not line.economic_code.isdigit():
            problems.append(
                Problem(
                    "economic-code",
                    o.file,
                    o.row,
                    "部门经济分类科目编码",
                    f"经济分类科目应为5位款级编码，实际为“{line.economic_code}”",
                    f"economic code must be a 5-digit 款 code, got {line.economic_code!r}",
                )
            )
        if line.kind is ExpenseKind.BASIC:
            if line.category is None:
                problems.append(
                    Problem(
                        "basic-category",
                        o.file,
                        o.row,
                        "基本支出类别",
                        "基本支出须填写基本支出类别（人员经费或公用经费）",
                        "a 基本支出 line needs 人员经费 or 公用经费",
                    )
                )
            if line.project:
                problems.append(
                    Problem(
                        "basic-project",
                        o.file,
                        o.row,
                        "项目名称",
                        "基本支出不应填写项目名称",
                        "a 基本支出 line has no project",
                    )
                )
        else:
            if line.category is not None:
                problems.append(
                    Problem(
                        "project-category",
                        o.file,
                        o.row,
                        "基本支出类别",
                        "项目支出不应填写基本支出类别",
                        "a 项目支出 line has no 基本支出类别",
                    )
                )
            if not line.project:
                problems.append(
                    Problem(
                        "project-missing",
                        o.file,
                        o.row,
                        "项目名称",
                        "项目支出须填写项目名称",
                        "a 项目支出 line needs its project",
                    )
                )
            elif referable is not None and line.project not in referable:
                problems.append(_unknown_project(line.project, o))
    for indicator in indicators:
        if referable is not None and indicator.project not in referable:
            problems.append(_unknown_project(indicator.project, indicator.origin))
    for item in procurement:
        if item.unit_code not in unit_codes:
            problems.append(_unknown_unit(item.unit_code, item.origin))
    for source, o in sources:
        if funding_source(source) is None:
            problems.append(
                Problem(
                    "unknown-source",
                    o.file,
                    o.row,
                    "资金来源",
                    f"未知的资金来源“{source}”",
                    f"unknown funding source {source!r}",
                )
            )
    return problems


@dataclass(frozen=True)
class Loaded:
    """What reading a dataset gives: the dataset (``None`` while any problem stands), every
    problem, and the notices (an encoding other than UTF-8, an amount converted from 万元)."""

    dataset: Dataset | None
    problems: list[Problem]
    notices: list[Notice]


def _referable_projects(table: RawTable | None) -> set[str] | None:
    """Every project name written in the projects file, even on a row that has a problem, so
    that a bad amount on one project is one problem, not one more per line that names it;
    ``None`` when the file could not be read (its problem is reported, nothing follows from it)."""
    if table is None or "项目名称" not in table.headers:
        return None
    at = list(table.headers).index("项目名称")
    return {row.cells[at].strip() for row in table.rows}


def assemble(raw: RawDataset) -> tuple[Dataset | None, list[Problem]]:
    """Build the dataset from what a reader found; report every problem at once."""
    loaded = assemble_loaded(raw)
    return loaded.dataset, loaded.problems


def assemble_loaded(raw: RawDataset) -> Loaded:
    """Build the dataset, with every problem and notice."""
    problems = list(raw.problems)
    notices = list(raw.notices)
    manifest, manifest_problems = _manifest(raw)
    problems.extend(manifest_problems)
    records: dict[str, list[Any]] = {}
    for kind in RECORD_KINDS:
        table = raw.tables.get(kind.key)
        if table is None:
            if not kind.optional and kind.key not in raw.unreadable:
                problems.append(
                    Problem(
                        "missing-file",
                        kind.file,
                        0,
                        "",
                        f"缺少文件“{kind.file}”（{kind.sheet}）",
                        f"missing file {kind.file!r} ({kind.title})",
                    )
                )
            records[kind.key] = []
            continue
        header_problems = check_headers(kind, table.file, table.headers)
        problems.extend(header_problems)
        if any(p.code == "missing-column" for p in header_problems):
            records[kind.key] = []
            continue
        parsed, row_problems, row_notices = parse_rows(kind, table.file, table.rows, table.headers)
        problems.extend(row_problems)
        notices.extend(row_notices)
        builder = BUILDERS[kind.key]
        records[kind.key] = [builder(v, Origin(table.file, v["_row"])) for v in parsed]
    if manifest is not None:
        lines = records[LINES.key]
        procurement = records[PROCUREMENT.key]
        revenue = records[REVENUE.key]
        sources = [(x.source, x.origin) for x in (*lines, *procurement, *revenue)]
        problems.extend(
            _cross_check(
                lines,
                records[PROJECTS.key],
                records[INDICATORS.key],
                procurement,
                {u.code for u in manifest.units},
                sources,
                referable=_referable_projects(raw.tables.get(PROJECTS.key)),
            )
        )
    if problems or manifest is None:
        return Loaded(None, problems, notices)
    return Loaded(
        Dataset(
            manifest=manifest,
            lines=tuple(records[LINES.key]),
            projects=tuple(records[PROJECTS.key]),
            indicators=tuple(records[INDICATORS.key]),
            procurement=tuple(records[PROCUREMENT.key]),
            revenue=tuple(records[REVENUE.key]),
            prior_year=tuple(records[PRIOR_YEAR.key]),
            explanation=raw.explanation,
        ),
        problems,
        notices,
    )
