"""政府采购: each procurement item belongs to a project (or to basic expenditure), fits within the
budget lines that pay for it, and is described completely.

The items are read from the dataset's ``procurement.csv`` when checking a dataset, and from the
rows of the 政府采购预算资金明细表 when checking a published document, so the rules that need no
budget lines audit a document too. ``purchases(subject)`` is that one view; the catalogue rules
(``checks/catalogue.py``) use it for the codes and names of the items.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from operator import attrgetter

from yusuan.catalog.loader import funding_source
from yusuan.model.records import ExpenseKind, ProcurementItem
from yusuan.money import ZERO
from yusuan.rules.base import Hit, Location, MissingData, NotApplicable, Severity, money, rule
from yusuan.rules.names import normalise_name
from yusuan.rules.subject import Subject
from yusuan.tables.base import DETAIL, Row, Table
from yusuan.tables.facts import (
    FUND,
    GENERAL,
    SPECIAL_ACCOUNT,
    STATE_CAPITAL,
    UNIT_FUNDS,
    descendants,
    source_column,
)

TABLE_ID = "procurement"
BASIC = ExpenseKind.BASIC.value
PROJECT = ExpenseKind.PROJECT.value

# What each part of an item is called in procurement.csv and in the published table
FIELDS: dict[str, tuple[str, str]] = {
    "project": ("项目名称", "项目名称"),
    "economic_code": ("部门经济分类科目编码", "支出经济分类科目名称"),
    "economic_name": ("经济分类科目名称", "支出经济分类科目名称"),
    "item_code": ("采购品目编码", "采购品目"),
    "item_name": ("采购品目名称", "采购品目"),
    "quantity": ("数量", "数量"),
    "quantity_unit": ("计量单位", "计量单位"),
    "source": ("资金来源", "资金来源"),
    "amount": ("金额（元）", "预算总计"),
}

# The published table's funding-source columns, in the order the template lists them
SOURCE_COLUMNS = (GENERAL, FUND, STATE_CAPITAL, SPECIAL_ACCOUNT, UNIT_FUNDS)

# 部门预算支出经济分类 classes that pay people, enterprises, debt or funds: nothing is bought
# with them (工资福利, 对个人和家庭的补助, 债务利息, 对企业补助, 对社会保障基金补助).
NOT_PURCHASES = ("301", "303", "307", "311", "312", "313")


def normalise(text: str) -> str:
    """Compare names regardless of width, whitespace and a leading ordinal (rules.names)."""
    return normalise_name(text)


@dataclass(frozen=True, slots=True)
class Purchase:
    """One procurement item, from the dataset or from a row of the published table."""

    unit_code: str
    kind: str  # 基本支出 / 项目支出 / "" when a document does not say
    project: str
    economic_code: str
    economic_name: str  # as declared or printed; "" when not declared
    item_code: str
    item_name: str
    quantity: Decimal | None
    quantity_unit: str
    source: str  # funding source as declared ("" on a document)
    column: str  # template column of the funding source ("" when unknown)
    amount: Decimal
    location: Location

    def at(self, field: str) -> Location:
        """The location of one part of the item: a column of the file, or of the table."""
        in_file, in_table = FIELDS[field]
        if self.location.table:
            return replace(self.location, column=in_table)
        return replace(self.location, field=in_file)


def _from_dataset(item: ProcurementItem) -> Purchase:
    found = funding_source(item.source)
    return Purchase(
        item.unit_code,
        item.kind.value,
        item.project,
        item.economic_code,
        item.economic_name,
        item.item_code,
        item.item_name,
        item.quantity,
        item.quantity_unit,
        item.source,
        source_column(found) if found else "",
        item.amount,
        Location(file=item.origin.file, line=item.origin.row),
    )


_ECONOMIC = re.compile(r"^\s*[\[［【(（]\s*([0-9]+)\s*[\]］】)）]\s*(.*?)\s*$")
_ITEM = re.compile(r"^\s*([A-Za-z][0-9]*)\s*[-－—–]\s*(.*?)\s*$")


def _text(row: Row, key: str) -> str:
    value = row.values.get(key)
    return value.strip() if isinstance(value, str) else ""


def _amount(row: Row, key: str) -> Decimal:
    value = row.values.get(key)
    return value if isinstance(value, Decimal) else ZERO


def _from_table(subject: Subject, table: Table) -> list[Purchase]:
    page = subject.pages.get(table.id, 0)
    found = []
    unit = ""
    kind = ""
    for row in table.rows:
        if row.kind != DETAIL:
            if _text(row, "unit_code"):
                unit, kind = _text(row, "unit_code"), ""
            elif _text(row, "project") in (BASIC, PROJECT):
                kind = _text(row, "project")
            continue
        economic = _ECONOMIC.match(_text(row, "economic"))
        item = _ITEM.match(_text(row, "item"))
        quantity = row.values.get("quantity")
        column = next((c for c in SOURCE_COLUMNS if _amount(row, c)), "")
        project = _text(row, "project") or row.name
        found.append(
            Purchase(
                unit,
                kind,
                project,
                economic.group(1) if economic else "",
                economic.group(2) if economic else _text(row, "economic"),
                item.group(1) if item else row.code,
                item.group(2) if item else _text(row, "item"),
                quantity if isinstance(quantity, Decimal) else None,
                _text(row, "quantity_unit"),
                "",
                column,
                _amount(row, "total"),
                Location(
                    table=table.title,
                    row=f"{row.code} {project}".strip(),
                    page=page,
                ),
            )
        )
    return found


def purchases(subject: Subject) -> list[Purchase]:
    """The procurement items: the dataset's, or the published table's detail rows."""
    if subject.dataset is not None:
        found = [_from_dataset(item) for item in subject.dataset.procurement]
    else:
        found = _from_table(subject, subject.table(TABLE_ID))
    if not found:
        raise NotApplicable("没有政府采购项目 / no procurement items")
    return found


# --- PRC-001 -----------------------------------------------------------------------------------


def _project_names(subject: Subject) -> list[str]:
    if subject.dataset is not None:
        return [p.name for p in subject.dataset.projects]
    forms = subject.forms
    if not forms:
        raise MissingData(
            "没有项目绩效目标表，无法核对项目名称 / no project forms to match against"
        )
    return [form.project.name for form in forms]


@rule(
    "PRC-001",
    group="procurement",
    severity=Severity.WARNING,
    title=("采购项目不在项目清单中", "A procurement item's project is not a project of the budget"),
    message=(
        "政府采购项目“{project}”（{item}）不是本预算的项目{closest}",
        "procurement item {item} names project “{project}”, which is not a project of the "
        "budget{closest_en}",
    ),
    basis="表式: 政府采购预算按项目列示，项目支出的采购须属于已批复的项目（standards §2.3 X-16 "
    "项目一致）；预算管理一体化 项目库",
    fix="将采购明细的项目名称改为项目清单（绩效目标申报表）中的名称；如属基本支出，改列基本支出。",
    example={
        "project": "年度目标任务考核工作",
        "item": "C081401",
        "closest": "；最接近的项目为“年度目标责任制考核工作经费”",
        "closest_en": "; the closest project is “年度目标责任制考核工作经费”",
    },
)
def project_exists(subject: Subject) -> Iterator[Hit]:
    found = [p for p in purchases(subject) if p.kind == PROJECT]
    if not found:
        raise NotApplicable("没有项目支出的采购 / no procurement under projects")
    names = _project_names(subject)
    known = {normalise(n) for n in names}
    for purchase in found:
        if normalise(purchase.project) in known:
            continue
        close = difflib.get_close_matches(purchase.project, names, n=1, cutoff=0.5)
        yield Hit(
            purchase.at("project"),
            {
                "project": purchase.project,
                "item": purchase.item_code,
                "closest": f"；最接近的项目为“{close[0]}”" if close else "",
                "closest_en": f"; the closest project is “{close[0]}”" if close else "",
            },
        )


# --- PRC-002, PRC-003: items against the budget lines -------------------------------------------


@dataclass
class _Budget:
    amount: Decimal
    columns: set[str]


def _budgets(
    subject: Subject, projects: set[tuple[str, str]], units: set[tuple[str, str]]
) -> dict[tuple[bool, str, str], _Budget]:
    """The lines of the wanted (project, economic code) and basic (unit, economic code) pairs,
    keyed (is_basic, project or unit, economic code)."""
    facts = subject.need_facts()
    budgets: dict[tuple[bool, str, str], _Budget] = {}
    getter = attrgetter("is_basic", "line.project", "line.unit_code", "line.economic_code")
    for line, (is_basic, project, unit, code) in zip(
        facts.lines, map(getter, facts.lines), strict=True
    ):
        if is_basic:
            if (unit, code) not in units:
                continue
            key = (True, unit, code)
        else:
            if (project, code) not in projects:
                continue
            key = (False, project, code)
        budget = budgets.get(key)
        if budget is None:
            budget = budgets[key] = _Budget(ZERO, set())
        budget.amount += line.amount
        budget.columns.add(line.source_column)
    return budgets


@dataclass
class _Group:
    """Items paid from one budget: a project's (or a unit's basic) lines of one economic code."""

    label: str
    label_en: str
    economic_code: str
    items: list[Purchase]
    payers: tuple[tuple[bool, str, str], ...]  # the budget keys whose lines pay for the items
    budget: _Budget | None = None


_GROUPS: list[tuple[Subject, list[_Group]]] = []


def _groups(subject: Subject) -> list[_Group]:
    """The items grouped by the budget that pays for them (computed once per subject)."""
    for seen, groups in _GROUPS:
        if seen is subject:
            return groups
    facts = subject.need_facts()
    found = purchases(subject)
    economic = facts.catalogs.department_economic
    projects = {normalise(p.name): p.name for p in facts.dataset.projects}
    units = facts.dataset.manifest.units
    grouped: dict[tuple[str, str, str], _Group] = {}
    for purchase in found:
        if purchase.economic_code not in economic:
            continue  # CAT-006 reports the code
        code = purchase.economic_code
        if purchase.kind == PROJECT:
            project = projects.get(normalise(purchase.project))
            if project is None:
                continue  # PRC-001 reports the project
            key = (PROJECT, project, code)
            if key not in grouped:
                grouped[key] = _Group(
                    f"项目“{project}”",
                    f"project “{project}”",
                    code,
                    [],
                    ((False, project, code),),
                )
        else:
            key = (BASIC, purchase.unit_code, code)
            if key not in grouped:
                below = sorted(descendants(units, purchase.unit_code))
                grouped[key] = _Group(
                    f"单位 {purchase.unit_code} 基本支出",
                    f"basic expenditure of unit {purchase.unit_code}",
                    code,
                    [],
                    tuple((True, unit, code) for unit in below),
                )
        grouped[key].items.append(purchase)
    groups = list(grouped.values())
    payers = [payer for group in groups for payer in group.payers]
    budgets = _budgets(
        subject,
        {(name, code) for is_basic, name, code in payers if not is_basic},
        {(unit, code) for is_basic, unit, code in payers if is_basic},
    )
    for group in groups:
        for payer in group.payers:
            part = budgets.get(payer)
            if part is not None:
                group.budget = group.budget or _Budget(ZERO, set())
                group.budget.amount += part.amount
                group.budget.columns |= part.columns
    _GROUPS[:] = [(subject, groups)]
    return groups


@rule(
    "PRC-002",
    group="procurement",
    severity=Severity.FATAL,
    title=(
        "采购金额超过对应的预算",
        "Procurement exceeds the budget lines that pay for it",
    ),
    message=(
        "{owner}经济分类 {code} 的政府采购合计 {purchased}（{count}项），超过该科目预算 {budget}，"
        "差 {difference}",
        "procurement of {owner_en} on economic code {code} totals {purchased} ({count} items), "
        "more than its budget on that code, {budget} (difference {difference})",
    ),
    basis="政府采购预算是部门预算支出的组成部分：每项采购须有同一项目（或单位基本支出）、同一经济"
    "分类的预算安排（《政府采购法》第六条 按预算采购；财预〔2016〕143号 政府采购预算表）",
    fix="核对采购明细的项目、经济分类和金额；采购金额不能超过对应项目同一经济分类的预算。",
    example={
        "owner": "项目“组织工作业务费”",
        "owner_en": "project “组织工作业务费”",
        "code": "31080",
        "purchased": "0.60万元",
        "count": 1,
        "budget": "0.00元",
        "difference": "0.60万元",
    },
)
def within_budget(subject: Subject) -> Iterator[Hit]:
    for group in _groups(subject):
        purchased = sum((p.amount for p in group.items), ZERO)
        budget = group.budget.amount if group.budget else ZERO
        if purchased > budget:
            yield Hit(
                group.items[0].at("amount"),
                {
                    "owner": group.label,
                    "owner_en": group.label_en,
                    "code": group.economic_code,
                    "purchased": money(purchased),
                    "count": len(group.items),
                    "budget": money(budget),
                    "difference": money(purchased - budget),
                },
            )


COLUMN_NAMES = {
    GENERAL: ("一般公共预算", "general budget"),
    FUND: ("政府性基金预算", "government fund"),
    STATE_CAPITAL: ("国有资本经营预算", "state capital"),
    SPECIAL_ACCOUNT: ("财政专户管理资金", "special account"),
    UNIT_FUNDS: ("单位资金", "unit funds"),
}


@rule(
    "PRC-003",
    group="procurement",
    severity=Severity.WARNING,
    title=("采购资金来源与预算不符", "A procurement item's funding source differs from its budget"),
    message=(
        "{owner}经济分类 {code} 的采购（{item}）资金来源为{source}，而该科目预算的资金来源为{budget}",
        "item {item} of {owner_en} on {code} is paid from {source_en}, but the budget on that "
        "code is funded from {budget_en}",
    ),
    basis="表式: 政府采购预算表按资金来源分列，须与支出预算的资金来源一致（财预〔2016〕143号）",
    fix="改正采购明细的资金来源，使之与对应项目（或基本支出）同一经济分类预算的资金来源一致。",
    example={
        "owner": "项目“干部培训经费”",
        "owner_en": "project “干部培训经费”",
        "code": "30202",
        "item": "C081401",
        "source": "单位资金",
        "source_en": "unit funds",
        "budget": "一般公共预算",
        "budget_en": "general budget",
    },
)
def same_source(subject: Subject) -> Iterator[Hit]:
    for group in _groups(subject):
        if group.budget is None:
            continue  # PRC-002 reports a purchase without a budget
        for purchase in group.items:
            if purchase.column and purchase.column not in group.budget.columns:
                columns = sorted(group.budget.columns, key=SOURCE_COLUMNS.index)
                yield Hit(
                    purchase.at("source"),
                    {
                        "owner": group.label,
                        "owner_en": group.label_en,
                        "code": group.economic_code,
                        "item": purchase.item_code,
                        "source": COLUMN_NAMES[purchase.column][0],
                        "source_en": COLUMN_NAMES[purchase.column][1],
                        "budget": "、".join(COLUMN_NAMES[c][0] for c in columns),
                        "budget_en": ", ".join(COLUMN_NAMES[c][1] for c in columns),
                    },
                )


# --- PRC-004, PRC-005: quantity and amount -------------------------------------------------------


@rule(
    "PRC-004",
    group="procurement",
    severity=Severity.INFO,
    title=("采购数量与计量单位不配套", "Quantity and its unit do not go together"),
    message=(
        "采购品目 {item}（{project}）{problem}",
        "procurement item {item} ({project}): {problem_en}",
    ),
    basis="表式: 政府采购预算表列示数量和计量单位；没有计量单位的数量无法理解，也不能与其他品目相加",
    fix="补填计量单位（如 台、张、批次），或删去无意义的数量。",
    example={
        "item": "A09",
        "project": "组织事务专项发展支出",
        "problem": "填写了数量 260，但没有计量单位",
        "problem_en": "quantity 260 is given without a unit",
    },
)
def quantity_has_unit(subject: Subject) -> Iterator[Hit]:
    for purchase in purchases(subject):
        values = {"item": purchase.item_code, "project": purchase.project}
        if purchase.quantity is not None and not purchase.quantity_unit:
            yield Hit(
                purchase.at("quantity_unit"),
                {
                    **values,
                    "problem": f"填写了数量 {purchase.quantity}，但没有计量单位",
                    "problem_en": f"quantity {purchase.quantity} is given without a unit",
                },
            )
        elif purchase.quantity is None and purchase.quantity_unit:
            yield Hit(
                purchase.at("quantity"),
                {
                    **values,
                    "problem": f"填写了计量单位“{purchase.quantity_unit}”，但没有数量",
                    "problem_en": f"unit “{purchase.quantity_unit}” is given without a quantity",
                },
            )


@rule(
    "PRC-005",
    group="procurement",
    severity=Severity.WARNING,
    title=("采购数量或金额不为正数", "A procurement quantity or amount is not positive"),
    message=(
        "采购品目 {item}（{project}）的{what}为 {value}，应为正数",
        "procurement item {item} ({project}): {what_en} is {value}; it must be positive",
    ),
    basis="standards §2.2 IN-NUM (flag negatives); 采购预算的数量和金额均应大于零",
    fix="改正数量或金额；不采购的品目应从采购明细中删除。",
    example={
        "item": "A0602",
        "project": "组织工作业务费",
        "what": "数量",
        "what_en": "the quantity",
        "value": "0",
    },
)
def positive(subject: Subject) -> Iterator[Hit]:
    for purchase in purchases(subject):
        values = {"item": purchase.item_code, "project": purchase.project}
        if purchase.quantity is not None and purchase.quantity <= 0:
            yield Hit(
                purchase.at("quantity"),
                {**values, "what": "数量", "what_en": "the quantity", "value": purchase.quantity},
            )
        if purchase.amount <= 0:
            yield Hit(
                purchase.at("amount"),
                {
                    **values,
                    "what": "金额",
                    "what_en": "the amount",
                    "value": money(purchase.amount),
                },
            )


# --- PRC-006: what can be bought --------------------------------------------------------------


@rule(
    "PRC-006",
    group="procurement",
    severity=Severity.WARNING,
    title=(
        "采购列在不能用于采购的经济分类",
        "Procurement under an economic class that buys nothing",
    ),
    message=(
        "采购品目 {item}（{project}）列在经济分类 {code}，属于“{class_name}”（{class_code}），"
        "该类支出不用于购买货物、工程或服务",
        "procurement item {item} ({project}) is under economic code {code}, in class "
        "{class_code} “{class_name}”, which pays no goods, works or services",
    ),
    basis="部门预算支出经济分类（财预〔2017〕98号）: 工资福利、对个人和家庭的补助、债务利息、对企业补助、"
    "对社会保障基金补助不是购买支出；政府采购是购买货物、工程和服务（《政府采购法》第二条）",
    fix="将采购改列商品和服务支出（302）或资本性支出（309/310）下的经济分类。",
    example={
        "item": "A0602",
        "project": "干部培训经费",
        "code": "30101",
        "class_code": "301",
        "class_name": "工资福利支出",
    },
)
def purchasable(subject: Subject) -> Iterator[Hit]:
    economic = subject.catalogs.department_economic
    for purchase in purchases(subject):
        code = purchase.economic_code
        class_code = code[:3]
        if code and class_code in NOT_PURCHASES:
            yield Hit(
                purchase.at("economic_code"),
                {
                    "item": purchase.item_code,
                    "project": purchase.project,
                    "code": code,
                    "class_code": class_code,
                    "class_name": economic.name(class_code, "?"),
                },
            )


# --- PRC-007: quantities of different units added up ----------------------------------------------


def _by_unit(rows: list[Row]) -> str:
    """Quantities summed by unit, in order of appearance: ``50 批次、5 张、260（无单位）``."""
    sums: dict[str, Decimal] = {}
    for row in rows:
        quantity = row.values.get("quantity")
        if isinstance(quantity, Decimal):
            unit = _text(row, "quantity_unit")
            sums[unit] = sums.get(unit, ZERO) + quantity
    return "、".join(f"{q} {u}" if u else f"{q}（无单位）" for u, q in sums.items())


@rule(
    "PRC-007",
    group="procurement",
    severity=Severity.INFO,
    title=("不同计量单位的数量相加", "Quantities of different units are added up"),
    message=(
        "“{row}”的数量 {quantity} 是不同计量单位的数量相加（{parts}），没有意义",
        "the quantity {quantity} of “{row}” adds up quantities of different units ({parts})",
    ),
    basis="数量只有同一计量单位才能相加（15 批次 + 5 张 不是 20 个什么）; 表式的汇总行只汇总金额",
    fix="汇总行的数量留空，或只在计量单位相同时汇总。",
    example={
        "row": "合计",
        "quantity": "373",
        "parts": "50 批次、5 张、58 个、260（无单位）",
    },
)
def quantities_of_one_unit(subject: Subject) -> Iterator[Hit]:
    table = subject.table(TABLE_ID)
    rows = list(table.rows)
    page = subject.pages.get(table.id, 0)
    for index, row in enumerate(rows):
        if row.kind == DETAIL or not isinstance(row.values.get("quantity"), Decimal):
            continue
        below = []
        for other in rows[index + 1 :]:
            if other.level <= row.level and row.level > 0:
                break
            if other.kind == DETAIL and isinstance(other.values.get("quantity"), Decimal):
                below.append(other)
        if len({_text(r, "quantity_unit") for r in below}) > 1:
            label = _text(row, "project") or row.name or _text(row, "item")
            yield Hit(
                Location(
                    table=table.title,
                    row=f"{row.code} {label}".strip(),
                    column="数量",
                    page=page,
                ),
                {
                    "row": label,
                    "quantity": row.values.get("quantity"),
                    "parts": _by_unit(below),
                },
            )
