"""数据质量: the budget lines themselves — amounts that cannot be budgeted, lines entered twice,
declared revenue that the lines do not add up to, and unit codes that break the coding scheme.

These rules need the dataset: a published document has no lines behind its tables. Projects
without budget lines and lines whose project has no form are the cross-table rules' (X-16);
amounts with more than two decimals are rejected when the dataset is loaded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from operator import attrgetter

from yusuan.catalog.loader import funding_source, funding_sources
from yusuan.model.records import BudgetLine, Project
from yusuan.money import ZERO
from yusuan.rules.base import (
    REGISTRY,
    Hit,
    Location,
    MissingData,
    NotApplicable,
    Severity,
    format_message,
    money,
    rule,
)
from yusuan.rules.checks.catalogue import basic_category_misfits, running_misfits
from yusuan.rules.checks.cross_table import operating_cost_differences
from yusuan.rules.subject import Subject
from yusuan.tables.facts import SOURCE_COLUMNS, source_column

CURRENT_YEAR = "本年收入"
CARRYOVER = "上年结转"


def _where(line: BudgetLine) -> Location:
    return Location(file=line.origin.file, line=line.origin.row)


def _describe(line: BudgetLine) -> str:
    """A line as a reader recognises it: unit, codes, and project or basic category."""
    what = line.project or (line.category.value if line.category else line.kind.value)
    return f"{line.unit_code} {line.function_code}/{line.economic_code} {what}"


def _all_positive(lines: Sequence[BudgetLine]) -> bool:
    """The usual case, decided in one pass in C."""
    return not lines or min(map(AMOUNT, lines)) > 0


AMOUNT = attrgetter("amount")


# --- DAT-001, DAT-002: amounts ---------------------------------------------------------------


@rule(
    "DAT-001",
    group="data",
    severity=Severity.WARNING,
    title=("预算明细金额为负数", "A budget line has a negative amount"),
    message=(
        "预算明细 {line} 的金额为 {amount}（负数）",
        "budget line {line} has a negative amount, {amount}",
    ),
    basis="standards §2.2 IN-NUM: flag negatives; 预算支出安排为正数，调减应直接改小原明细",
    fix="改为正数，或直接调减对应明细的金额，不要用负数冲抵。",
    example={"line": "201001 2013201/30101 人员经费", "amount": "-12.00万元"},
)
def negative_amounts(subject: Subject) -> Iterator[Hit]:
    dataset = subject.need_dataset()
    if _all_positive(dataset.lines):
        return
    for line in dataset.lines:
        if line.amount < 0:
            yield Hit(_where(line), {"line": _describe(line), "amount": money(line.amount)})


@rule(
    "DAT-002",
    group="data",
    severity=Severity.INFO,
    title=("预算明细金额为零", "A budget line has a zero amount"),
    message=(
        "预算明细 {line} 的金额为零",
        "budget line {line} has a zero amount",
    ),
    basis="金额为零的明细不影响任何表，通常是遗留或未填的行",
    fix="删除该行，或填入金额。",
    example={"line": "201001 2013201/30201 公用经费"},
)
def zero_amounts(subject: Subject) -> Iterator[Hit]:
    dataset = subject.need_dataset()
    if _all_positive(dataset.lines):
        return
    for line in dataset.lines:
        if line.amount == 0:
            yield Hit(_where(line), {"line": _describe(line)})


# --- DAT-003: duplicates -----------------------------------------------------------------------


# Two lines are the same entry when all of these are equal; the first six (plain strings and
# the amount) find the candidates fast, the expense kind and category confirm them.
CANDIDATE = attrgetter("unit_code", "function_code", "economic_code", "source", "project", "amount")
IDENTITY = attrgetter(
    "unit_code",
    "function_code",
    "economic_code",
    "source",
    "kind",
    "category",
    "project",
    "amount",
)


@rule(
    "DAT-003",
    group="data",
    severity=Severity.WARNING,
    title=("预算明细重复", "A budget line is entered twice"),
    message=(
        "预算明细 {line}（{amount}）与{first}完全相同（共{count}行）",
        "budget line {line} ({amount}) is identical to {first_en} ({count} lines in all)",
    ),
    basis="同一单位、科目、资金来源、支出类型、项目和金额的明细重复出现，多为重复录入，会使各表金额虚增",
    fix="删除重复的行；如确为两笔支出，请合并为一行或在备注中说明。",
    example={
        "line": "201001 2013201/30101 人员经费",
        "amount": "120.00万元",
        "first": "budget_lines.csv 第2行",
        "first_en": "budget_lines.csv row 2",
        "count": 2,
    },
)
def duplicate_lines(subject: Subject) -> Iterator[Hit]:
    dataset = subject.need_dataset()
    counts = Counter(map(CANDIDATE, dataset.lines))
    repeated = {candidate for candidate, count in counts.items() if count > 1}
    if not repeated:
        return
    seen: dict[tuple[object, ...], list[BudgetLine]] = {}
    for line, candidate in zip(dataset.lines, map(CANDIDATE, dataset.lines), strict=True):
        if candidate in repeated:
            seen.setdefault(IDENTITY(line), []).append(line)
    for same in seen.values():
        if len(same) < 2:
            continue
        first = same[0].origin
        for line in same[1:]:
            yield Hit(
                _where(line),
                {
                    "line": _describe(line),
                    "amount": money(line.amount),
                    "first": f"{first.file} 第{first.row}行" if first.row else "前面的一行",
                    "first_en": f"{first.file} row {first.row}" if first.row else "an earlier line",
                    "count": len(same),
                },
            )


# --- DAT-004: declared revenue ------------------------------------------------------------------


def _column_names() -> dict[str, str]:
    """Each template column named by the first funding source (catalogue order) that falls in it."""
    names: dict[str, str] = {}
    for source in funding_sources():
        names.setdefault(source_column(source), source.name)
    return names


@rule(
    "DAT-004",
    group="data",
    severity=Severity.FATAL,
    title=("声明的本年收入与预算明细不符", "Declared revenue differs from the budget lines"),
    message=(
        "{source}：收入（revenue.csv）声明本年收入 {declared}，预算明细合计 {lines}，相差 {difference}",
        "{source}: revenue.csv declares {declared} of this year's revenue, the budget lines add "
        "up to {lines} (difference {difference})",
    ),
    basis="standards §2.2 IN-T1-1 / IN-T1-4: 收支平衡，本年收入按资金来源等于本年支出（预算）",
    fix="核对收入和预算明细：按资金来源，本年收入应等于由该来源安排的支出。",
    example={
        "source": "一般公共预算",
        "declared": "6,500.00万元",
        "lines": "6,423.83万元",
        "difference": "76.17万元",
    },
)
def revenue_matches_lines(subject: Subject) -> Iterator[Hit]:
    dataset = subject.need_dataset()
    facts = subject.need_facts()
    declared: dict[str, Decimal] = {}
    first: dict[str, Location] = {}
    for item in dataset.revenue:
        if item.category != CURRENT_YEAR:
            continue
        source = funding_source(item.source)
        if source is None:
            continue
        column = source_column(source)
        declared[column] = declared.get(column, ZERO) + item.amount
        first.setdefault(column, Location(file=item.origin.file, line=item.origin.row))
    if not declared:
        raise NotApplicable("未声明本年收入（收入由预算明细推算）/ no declared revenue")
    carryover = funding_source(CARRYOVER)
    spent: dict[str, Decimal] = {}
    for line in facts.lines:
        if carryover is not None and line.source.key == carryover.key:
            continue  # spending of last year's balance is not this year's revenue
        spent[line.source_column] = spent.get(line.source_column, ZERO) + line.amount
    names = _column_names()
    for column in SOURCE_COLUMNS:
        if column not in declared:
            continue  # a source without declared revenue takes its revenue from the lines
        stated = declared[column]
        actual = spent.get(column, ZERO)
        if stated != actual:
            yield Hit(
                first[column],
                {
                    "source": names.get(column, column),
                    "declared": money(stated),
                    "lines": money(actual),
                    "difference": money(stated - actual),
                },
            )


# --- DAT-005: unit codes ---------------------------------------------------------------------------


@rule(
    "DAT-005",
    group="data",
    severity=Severity.INFO,
    title=("单位编码不合层级", "A unit code does not follow the coding scheme"),
    message=(
        "单位 {code} {name}：{problem}",
        "unit {code} {name}: {problem_en}",
    ),
    basis="预算单位编码按部门编码逐级延长（如 部门 104 → 单位 104001）; 预算管理一体化 单位编码规则",
    fix="核对单位编码和上级单位。",
    example={
        "code": "205001",
        "name": "某某信息中心",
        "problem": "编码不以部门编码 201 开头",
        "problem_en": "its code does not start with the department code 201",
    },
)
def unit_codes(subject: Subject) -> Iterator[Hit]:
    dataset = subject.need_dataset()
    # a 单位预算's codes still extend its department's code
    department = (dataset.manifest.scope.within or dataset.manifest.department).code
    units = {u.code: u for u in dataset.manifest.units}
    for unit in dataset.manifest.units:
        where = Location(file=unit.origin.file, line=unit.origin.row)
        values = {"code": unit.code, "name": unit.name}
        if department and not unit.code.startswith(department):
            yield Hit(
                where,
                {
                    **values,
                    "problem": f"编码不以部门编码 {department} 开头",
                    "problem_en": f"its code does not start with the department code {department}",
                },
            )
            continue
        parent = units.get(unit.parent)
        if (
            parent is not None
            and len(unit.code) > len(parent.code)
            and not unit.code.startswith(parent.code)
        ):
            yield Hit(
                where,
                {
                    **values,
                    "problem": f"编码比上级单位 {parent.code} 长，却不以其编码开头",
                    "problem_en": f"its code is longer than its parent's ({parent.code}) but does "
                    "not extend it",
                },
            )


# --- DAT-006: findings that rest on the dataset's own choices -------------------------------------

# The rules whose findings may follow from a split the dataset chose (备注 选定) and no published
# figure: each gives its hits with whether they rest only on such lines.
CHOICE_SENSITIVE: tuple[tuple[str, Callable[[Subject], Iterable[tuple[Hit, bool]]]], ...] = (
    ("CAT-011", basic_category_misfits),
    ("CAT-013", running_misfits),
    ("XT-014", operating_cost_differences),
)


@rule(
    "DAT-006",
    group="data",
    severity=Severity.INFO,
    title=(
        "结论只依据本数据选定的拆分",
        "A finding that rests only on a split the dataset chose",
    ),
    message=(
        "{finding}（{rule}：此结论只依据本数据选定的拆分（备注“选定”），不是公开数字之间的矛盾；"
        "请确认该选择）",
        "{finding_en} ({rule}: this rests only on a split the dataset chose (备注 选定), not on a "
        "contradiction between published figures; confirm the choice)",
    ),
    basis="issue #8: a finding that follows only from a choice the dataset made (a split the "
    "source does not publish, marked 选定) is stated as such and is at most 提示",
    fix="确认选定的拆分（单位、人员/公用经费等）是否合理；如能取得实际拆分，按实际改正。",
    example={
        "rule": "CAT-011",
        "finding": "基本支出人员经费 列在 30229 福利费（2行，合计 10.63万元）：人员经费应列 301 "
        "工资福利支出、303 对个人和家庭的补助",
        "finding_en": "basic personnel on 30229 福利费 (2 lines, 10.63万元): personnel expenditure "
        "belongs to classes 301, 303",
    },
)
def chosen_split_findings(subject: Subject) -> Iterator[Hit]:
    subject.need_dataset()
    missing: list[Exception] = []
    for rule_id, found in CHOICE_SENSITIVE:
        try:
            hits = [hit for hit, chosen in found(subject) if chosen]
        except (MissingData, NotApplicable) as reason:
            missing.append(reason)
            continue
        for hit in hits:
            zh, en = format_message(REGISTRY[rule_id], hit.values)
            # the original values stay, so that one finding can be linked to another as the
            # originals would be (XT-014's gap is the amount CAT-011 found misfiled)
            yield Hit(
                hit.location, {**hit.values, "rule": rule_id, "finding": zh, "finding_en": en}
            )
    if len(missing) == len(CHOICE_SENSITIVE):
        raise missing[0]


# --- DAT-007: one project code, one project ------------------------------------------------------


@rule(
    "DAT-007",
    group="data",
    severity=Severity.WARNING,
    title=("同一项目代码用于多个项目", "One project code on several projects"),
    message=(
        "项目代码 {code} 用于 {count} 个名称不同的项目：{names}",
        "project code {code} is on {count} projects of different names: {names}",
    ),
    basis="预算管理一体化以项目代码（PRO_CODE）标识项目，跨年度也以它识别同一项目；"
    "一个代码只属于一个项目（docs/dataset-format.md：项目代码）",
    fix="核对各项目在预算管理一体化中的项目代码：改正抄错的代码，或留空不知道的代码。",
    example={"code": "14100021A0001", "count": "2", "names": "会议经费、培训经费"},
)
def shared_project_codes(subject: Subject) -> Iterator[Hit]:
    """One finding per shared code, at the first project (in file order) that repeats it, as
    reading a dataset reports it: the later row is the one that took a code already in use."""
    dataset = subject.need_dataset()
    by_code: dict[str, list[Project]] = {}
    for project in sorted(dataset.projects, key=lambda p: p.origin.row):
        if project.code:
            by_code.setdefault(project.code, []).append(project)
    if not by_code:
        raise NotApplicable("没有项目填写项目代码 / no project has a project code")
    for code, projects in by_code.items():
        names = list(dict.fromkeys(p.name for p in projects))
        if len(names) < 2:
            continue
        repeat = next(p for p in projects if p.name != projects[0].name)
        where = Location(
            project=repeat.name, field="项目代码", file=repeat.origin.file, line=repeat.origin.row
        )
        yield Hit(where, {"code": code, "count": str(len(names)), "names": "、".join(names)})
