"""A recognised document turned back into a yusuan dataset, where its tables allow
(``yusuan audit --export-dataset DIR``).

A published disclosure prints totals, not the budget lines behind them. This module finds one
set of lines consistent with what is printed, and says which splits it had to choose: every
line or record whose split was chosen carries ``选定`` (chosen) in its 备注 column, as in
``examples/linfen-2021``. What the tables cannot tell is listed as a gap, never guessed silently.

Where each part of the dataset comes from:

- **budget lines** by function 项 (the leaf rows of the 支出汇总表, 收入总表 and the tables by
  funding source) × 基本/项目 × funding source: the 收入总表 gives each 项's amount per source;
  the 一般公共预算支出表, the 政府性基金预算支出表 and the 国有资本经营预算支出表 split their source
  into 基本/项目; the 支出汇总表 gives the split of the rest;
- **economic codes of basic expenditure**: the 基本支出分经济科目表's 款 amounts are attributed
  to the function 项 of the general-budget basic expenditure: first the statutory pairs
  (``BASIC_AFFINITY``: 养老保险缴费 → 30108 …), then in code order. Any attribution whose row
  and column sums are the two printed tables reproduces both tables exactly;
- **project lines**: each project form's 年度资金总额 is put on the function 项 (and source)
  whose 项目支出 it fits: equal amounts first, then sets of projects adding up to a 项's amount,
  then in order (a project split over two 项 says so);
- **economic codes of project expenditure** are not published; the 三公 table's items (minus
  their basic-expenditure part) and the procurement items are carved out of the projects'
  lines with their economic codes, the rest is put on ``30299`` 其他商品和服务支出;
- **units**: the units the procurement table (or the 三公 table) lists; every line is put on the
  first unit without sub-units;
- **projects and indicators**: the forms, as read; **procurement items**: the procurement
  table's item rows.

``compare_tables`` then checks the dataset against the document table by table: the exported
dataset's tables reproduce the document's figures, except where the document left a cell blank
that its own figures fill (a 类 subtotal left blank is then a figure) or a table that the
published figures cannot determine (``ExportResult.gaps`` says which and why).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from yusuan.audit.document import RecognisedDocument
from yusuan.catalog.loader import (
    PERSONNEL_CLASSES,
    Catalogs,
    catalogs_for,
    expense_group_codes,
)
from yusuan.model.records import (
    BasicCategory,
    BudgetLine,
    Dataset,
    Department,
    ExpenseKind,
    Funds,
    Indicator,
    Manifest,
    ProcurementItem,
    Project,
    Unit,
    UnitKind,
)
from yusuan.money import ZERO, MoneyUnit, to_unit
from yusuan.tables.base import AMOUNT, DETAIL, GROUP, TOTAL, Row, Table

CHOSEN = "选定"

# Funding-source columns of the 收入总表 (keys of tables.toml) -> the source names of
# catalog/data/funding/sources.csv, in the order lines are written.
SOURCE_NAMES: tuple[tuple[str, str], ...] = (
    ("general", "一般公共预算"),
    ("fund", "政府性基金预算"),
    ("state_capital", "国有资本经营预算"),
    ("special_account", "财政专户管理资金"),
    ("unit_funds", "单位资金"),
    ("carryover", "上年结转"),
    ("business_income", "事业收入"),
    ("operating_income", "事业单位经营收入"),
    ("superior_grants", "上级补助收入"),
    ("subordinate_payments", "附属单位上缴收入"),
    ("other_income", "其他收入"),
)
SOURCE_NAME = dict(SOURCE_NAMES)
# the 单位资金 column is the sum of these when a template prints both
UNIT_FUND_PARTS = (
    "carryover",
    "business_income",
    "operating_income",
    "superior_grants",
    "subordinate_payments",
    "other_income",
)
# the expenditure table by function that splits one source into 基本/项目
SPLIT_TABLES = {
    "general": "general-budget",
    "fund": "fund-expenditure",
    "state_capital": "state-capital",
}
FUNCTION_TABLES = (
    "expenditure",
    "income",
    "general-budget",
    "fund-expenditure",
    "fund-income",
    "state-capital",
)

# Basic expenditure that the classifications pair by statute: a function 项 whose catalogue
# name contains the words gets these economic 款 first (财预〔2017〕98号 and the 政府收支分类科目
# describe 2080505 as the 单位 share of 基本养老保险, paid under 30108, and so on).
BASIC_AFFINITY: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本养老保险缴费", ("30108",)),
    ("职业年金缴费", ("30109",)),
    ("住房公积金", ("30113",)),
    ("离退休", ("30301", "30302", "30305")),
    ("单位医疗", ("30110",)),
    ("公务员医疗补助", ("30111",)),
)
# where money whose economic class is not published goes
DEFAULT_ECONOMIC = "30299"

# The 三公 table's columns -> (expense group, item) of catalog/data/funding/expense_groups.csv,
# and words in a project's name that suggest it pays for them.
THREE_PUBLIC_ITEMS: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("abroad", "三公经费", "因公出国(境)费", ("出国", "出访", "境外")),
    ("reception", "三公经费", "公务接待费", ("接待",)),
    ("vehicle_operation", "三公经费", "公务用车运行维护费", ("车",)),
    ("vehicle_purchase", "三公经费", "公务用车购置费", ("车",)),
    ("meeting", "会议费", None, ("会议",)),
    ("training", "培训费", None, ("培训",)),
)

_ECONOMIC_LABEL = re.compile(r"^\s*[\[【(（]?\s*(\d{3,5})\s*[\]】)）]?\s*(.*)$")
_ITEM_LABEL = re.compile(r"^\s*([A-Z]\d*)\s*[-—－]?\s*(.*)$")
_ORDINAL = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|[(（][一二三四五六七八九十\d]+[)）])\s*"
)
_FORM_REGION = re.compile(r"^(.*?)(省级|市级|县级|区级|乡镇级|乡级|镇级)?预算部门")


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Difference:
    """A figure of the document that the exported dataset's table does not reproduce.

    ``kind``: ``differs`` (both print a figure and they differ), ``blank`` (the document left
    the cell blank; the dataset's figure is what its other figures add up to), ``missing-row``
    (the document prints a row the dataset's table does not have).
    """

    table: str
    row: str
    column: str
    printed: Decimal | None
    exported: Decimal | None
    kind: str

    def __str__(self) -> str:
        return f"{self.table} {self.row} {self.column}: {self.printed} -> {self.exported} ({self.kind})"


@dataclass(frozen=True)
class ExportResult:
    """What was exported and what had to be chosen.

    - ``choices``: each split that was chosen (the lines carry ``选定`` in their 备注);
    - ``gaps``: what the document's tables do not allow, and so is not in the dataset;
    - ``differences``: table id -> the figures of that table the dataset does not reproduce
      (blank document cells that the dataset fills are listed with kind ``blank``).
    """

    folder: Path | None
    dataset: Dataset
    choices: tuple[str, ...]
    gaps: tuple[str, ...]
    differences: Mapping[str, tuple[Difference, ...]] = field(default_factory=dict)
    compared: Mapping[str, int] = field(default_factory=dict)

    def reproduced(self) -> list[str]:
        """Table ids whose every printed figure (at least one) the dataset reproduces."""
        return [
            table_id
            for table_id, found in self.differences.items()
            if self.compared.get(table_id, 0) and not any(d.kind != "blank" for d in found)
        ]


# --- small helpers ---------------------------------------------------------------------------


def _amount(row: Row | None, key: str) -> Decimal:
    if row is None:
        return ZERO
    value = row.values.get(key)
    return value if isinstance(value, Decimal) else ZERO


def _printed(row: Row | None, key: str) -> Decimal | None:
    if row is None:
        return None
    value = row.values.get(key)
    return value if isinstance(value, Decimal) else None


def _leaves(table: Table | None) -> dict[str, Row]:
    """The leaf rows of a table by function code (rows below which nothing is printed)."""
    if table is None:
        return {}
    return {r.code: r for r in table.rows if r.kind == DETAIL and r.code}


def _total_row(table: Table | None) -> Row | None:
    if table is None:
        return None
    return table.total_row()


def _whole_cents(amount: Decimal) -> Decimal:
    """Amounts in a dataset have at most two decimals in 元."""
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class _Draft:
    """A budget line being made: function 项, source key, 基本/项目, amount, and the rest."""

    code: str
    source: str
    basic: bool
    amount: Decimal
    economic: str = DEFAULT_ECONOMIC
    project: str = ""
    category: BasicCategory | None = None
    notes: list[str] = field(default_factory=list)

    def project_line(
        self, amount: Decimal, project: str, notes: list[str], economic: str = DEFAULT_ECONOMIC
    ) -> _Draft:
        """A project line of ``amount`` on this draft's function 项 and funding source."""
        return _Draft(self.code, self.source, False, amount, economic, project, None, notes)


# --- the exporter ----------------------------------------------------------------------------


class _Exporter:
    def __init__(self, doc: RecognisedDocument) -> None:
        self.doc = doc
        self.year = doc.year or 0
        self.catalogs: Catalogs = catalogs_for(self.year or 2021)
        self.choices: list[str] = []
        self.gaps: list[str] = []

    def table(self, table_id: str) -> Table | None:
        return self.doc.tables.get(table_id)

    def choose(self, text: str) -> None:
        if text not in self.choices:
            self.choices.append(text)

    def gap(self, text: str) -> None:
        if text not in self.gaps:
            self.gaps.append(text)

    # -- units and the manifest ------------------------------------------------------------

    def units(self) -> tuple[str, list[Unit]]:
        """The department code and the units the tables name (procurement, then 三公)."""
        units: list[Unit] = []
        department_code = ""
        procurement = self.table("procurement")
        if procurement is not None:
            chain: list[tuple[int, str]] = []  # the units above, by level (depth)
            for row in procurement.rows:
                if row.kind != GROUP or not row.code or not row.code.isdigit():
                    continue
                if row.level == 1 and not department_code:
                    department_code = row.code
                    continue
                while chain and chain[-1][0] >= row.level:
                    chain.pop()
                if row.code not in {u.code for u in units}:
                    parent = chain[-1][1] if chain else ""
                    units.append(
                        Unit(
                            row.code,
                            row.name or self.doc.department,
                            UnitKind.ADMINISTRATIVE,
                            parent,
                        )
                    )
                chain.append((row.level, row.code))
        three_public = self.table("three-public")
        if three_public is not None:
            for row in three_public.rows:
                code = str(row.values.get("unit_code") or row.code or "")
                if row.kind == DETAIL and code.isdigit() and code not in {u.code for u in units}:
                    units.append(
                        Unit(
                            code,
                            str(row.values.get("unit_name") or row.name),
                            UnitKind.ADMINISTRATIVE,
                        )
                    )
        codes = [f.project.department_code for f in self.doc.forms if f.project.department_code]
        if not department_code:
            department_code = codes[0] if codes else (units[0].code[:3] if units else "000")
        if not units:
            units.append(
                Unit(department_code, self.doc.department or "未知部门", UnitKind.ADMINISTRATIVE)
            )
            self.choose(
                f"{CHOSEN}：文件未列单位，单位编码取部门编码 {department_code} / "
                "chosen: no unit is printed; the department's code is used"
            )
        self.choose(
            f"{CHOSEN}：单位性质一律作行政单位（文件未公开单位性质）/ "
            "chosen: every unit is taken as 行政单位 (unit kinds are not published)"
        )
        return department_code, units

    def line_unit(self, units: Sequence[Unit]) -> Unit:
        parents = {u.parent for u in units}
        leaf = next((u for u in units if u.code not in parents), units[0])
        if len(units) > 1:
            self.choose(
                f"{CHOSEN}：全部预算明细列在单位 {leaf.code} {leaf.name}（文件未公开分单位的支出）/ "
                f"chosen: every line is put on unit {leaf.code} (spending by unit is not published)"
            )
        return leaf

    def region_and_level(self) -> tuple[str, str]:
        for form in self.doc.forms:
            found = _FORM_REGION.match(form.title.replace(" ", ""))
            if found and found.group(1):
                return found.group(1), found.group(2) or ""
        return "", ""

    # -- amounts by function 项 and source -------------------------------------------------

    def leaf_code(self, code: str) -> str:
        """A 7-digit 项 code for a leaf row (a document that prints only to 款 gets its 其他 项)."""
        if len(code) == 7:
            return code
        function = self.catalogs.function
        children = function.children(code)
        if not children:
            return code
        chosen = next((c for c in children if c.endswith("99")), children[0])
        self.choose(
            f"{CHOSEN}：{code} 只公开到款，金额列在 {chosen} {function.name(chosen)} / "
            f"chosen: {code} is printed to 款 only; its amount is put on {chosen}"
        )
        return self.leaf_code(chosen)

    def codes(self) -> list[str]:
        """The leaf function codes of the tables by function; a code that another table
        prints further down (a 款 leaf here, its 项 there) is left to its 项."""
        seen: set[str] = set()
        for table_id in FUNCTION_TABLES:
            seen |= set(_leaves(self.table(table_id)))
        return sorted(c for c in seen if not any(o != c and o.startswith(c) for o in seen))

    def source_amounts(self, code: str) -> dict[str, Decimal]:
        """The 项's amount per funding-source key: the 收入总表's row, else the source tables."""
        income = self.table("income")
        if income is not None:
            row = _leaves(income).get(code)
            amounts = {key: _amount(row, key) for key, _ in SOURCE_NAMES}
            amounts = {k: v for k, v in amounts.items() if v}
            total = _printed(row, "total")
            parts = [k for k in UNIT_FUND_PARTS if k in amounts]
            if "unit_funds" in amounts and parts and total is not None:
                without = sum((v for k, v in amounts.items() if k != "unit_funds"), ZERO)
                if without == total:
                    del amounts["unit_funds"]  # 单位资金 printed as the sum of its parts
            if row is not None and any(
                _printed(row, k) is not None for k in ("total", *SOURCE_NAME)
            ):
                return amounts
        amounts = {}
        for key, table_id in SPLIT_TABLES.items():
            row = _leaves(self.table(table_id)).get(code)
            if row is None and key == "fund":
                row = _leaves(self.table("fund-income")).get(code)
            if row is not None:
                value = _amount(row, "total") or _amount(row, "basic") + _amount(row, "project")
                if value:
                    amounts[key] = value
        expenditure = _leaves(self.table("expenditure")).get(code)
        rest = _amount(expenditure, "total") - sum(amounts.values(), ZERO)
        if expenditure is not None and rest > 0:
            amounts["unit_funds"] = rest
            self.choose(
                f"{CHOSEN}：收入总表未给出资金来源的科目，支出中财政拨款以外的部分列单位资金 / "
                "chosen: where the 收入总表 gives no sources, spending beyond the appropriations "
                "is taken as 单位资金"
            )
        return amounts

    def splits(self) -> list[_Draft]:
        """One draft per (项, source, 基本/项目) with its amount."""
        drafts: list[_Draft] = []
        if self.table("income") is None:
            self.gap(
                "没有收入总表：资金来源由各资金来源的支出表推得 / no 收入总表: sources inferred"
            )
        for printed_code in self.codes():
            code = self.leaf_code(printed_code)
            amounts = self.source_amounts(printed_code)
            expenditure = _leaves(self.table("expenditure")).get(printed_code)
            exp_basic = _printed(expenditure, "basic")
            exp_project = _printed(expenditure, "project")
            split_known = expenditure is not None and not (
                exp_basic is None and exp_project is None and _amount(expenditure, "total")
            )
            rest_basic = exp_basic or ZERO
            rest_project = exp_project or ZERO
            pending: list[tuple[str, Decimal]] = []
            for key, amount in amounts.items():
                table_id = SPLIT_TABLES.get(key)
                row = _leaves(self.table(table_id)).get(printed_code) if table_id else None
                if row is not None and (
                    _printed(row, "basic") is not None or _printed(row, "project") is not None
                ):
                    basic = min(_amount(row, "basic"), amount)
                    if _amount(row, "basic") + _amount(row, "project") != amount:
                        self.gap(
                            f"{printed_code}：{SOURCE_NAME[key]} 在收入总表与{table_id}中金额不同，按收入总表 / "
                            f"{printed_code}: {key} differs between 收入总表 and {table_id}; 收入总表 used"
                        )
                    drafts += self._pair(code, key, basic, amount - basic, [])
                    rest_basic -= basic
                    rest_project -= amount - basic
                else:
                    pending.append((key, amount))
            for key, amount in pending:
                notes: list[str] = []
                if split_known:
                    basic = min(amount, max(rest_basic, ZERO))
                    if len(pending) > 1 and basic and amount - basic:
                        notes.append(
                            f"{CHOSEN}：基本/项目在资金来源间的划分未公开 / chosen: 基本/项目 by source"
                        )
                else:
                    basic = ZERO
                    notes.append(
                        f"{CHOSEN}：未公开基本/项目划分，列项目支出 / chosen: split not published"
                    )
                    self.choose(
                        f"{CHOSEN}：{printed_code} 的基本/项目划分未公开，列项目支出 / "
                        f"chosen: {printed_code} has no 基本/项目 split; taken as project"
                    )
                rest_basic -= basic
                rest_project -= amount - basic
                drafts += self._pair(code, key, basic, amount - basic, notes)
        return drafts

    @staticmethod
    def _pair(
        code: str, key: str, basic: Decimal, project: Decimal, notes: list[str]
    ) -> list[_Draft]:
        out = []
        if basic:
            out.append(_Draft(code, key, True, basic, notes=list(notes)))
        if project:
            out.append(_Draft(code, key, False, project, notes=list(notes)))
        return out

    # -- basic expenditure by economic 款 ---------------------------------------------------

    def economic_amounts(self) -> dict[str, tuple[Decimal, Decimal | None]]:
        """款 code -> (amount, the 人员经费 part when printed) from the 基本支出 economic table."""
        table = self.table("basic-economic")
        if table is None:
            return {}
        found: dict[str, tuple[Decimal, Decimal | None]] = {}
        for row in table.rows:
            if row.kind != DETAIL or len(row.code) != 5:
                continue
            amount = _amount(row, "amount") or _amount(row, "personnel") + _amount(row, "operating")
            if amount:
                found[row.code] = (amount, _printed(row, "personnel"))
        return found

    def attribute_economic(self, drafts: list[_Draft]) -> list[_Draft]:
        """Split the general-budget basic drafts by economic 款; others get the default 款."""
        economic = self.economic_amounts()
        basic = [d for d in drafts if d.basic and d.source == "general"]
        others = [d for d in drafts if not (d.basic and d.source == "general")]
        result: list[_Draft] = []
        for draft in others:
            if draft.basic:
                draft.notes.append(
                    f"{CHOSEN}：经济科目未公开，列{DEFAULT_ECONOMIC} / chosen: economic class not published"
                )
                self.choose(
                    f"{CHOSEN}：一般公共预算以外的基本支出，经济科目未公开，列 {DEFAULT_ECONOMIC} / "
                    "chosen: basic spending of other sources is put on 30299"
                )
            result.append(draft)
        if not basic:
            if economic and any(d.basic for d in drafts):
                self.gap(
                    "基本支出分经济科目表无法对应：功能分类表没有公开一般公共预算的基本支出 / "
                    "the economic table cannot be placed: no general-budget basic spending by function"
                )
            elif economic:
                self.gap(
                    "基本支出分经济科目表无法对应：功能分类表没有公开基本/项目划分 / "
                    "the economic table cannot be placed: the tables by function print no 基本/项目 split"
                )
            return result
        if not economic:
            self.gap(
                "没有基本支出分经济科目表：基本支出的经济科目未知 / no economic table for basic spending"
            )
            for draft in basic:
                draft.notes.append(
                    f"{CHOSEN}：经济科目未公开，列{DEFAULT_ECONOMIC} / chosen: economic class not published"
                )
            return result + basic
        by_function = sum((d.amount for d in basic), ZERO)
        by_economic = sum((a for a, _ in economic.values()), ZERO)
        if by_function != by_economic:
            self.gap(
                f"基本支出：功能分类合计 {to_unit(by_function, MoneyUnit.WAN)} 万元与经济分类合计 "
                f"{to_unit(by_economic, MoneyUnit.WAN)} 万元不等，差额列 {DEFAULT_ECONOMIC} 或不能列入 / "
                "basic spending by function and by economic class differ"
            )
        left = {code: amount for code, (amount, _) in economic.items()}
        capacity = [d.amount for d in basic]
        pieces: list[list[tuple[str, Decimal]]] = [[] for _ in basic]

        def give(index: int, code: str) -> None:
            amount = min(capacity[index], left.get(code, ZERO))
            if amount > 0:
                pieces[index].append((code, amount))
                capacity[index] -= amount
                left[code] -= amount

        function = self.catalogs.function
        for words, codes in BASIC_AFFINITY:
            for index, draft in enumerate(basic):
                if words in function.name(draft.code):
                    for code in codes:
                        give(index, code)
        for index in range(len(basic)):
            for code in sorted(left):
                give(index, code)
        unplaced = sum(left.values(), ZERO)
        if unplaced:
            self.gap(
                f"基本支出分经济科目表中 {to_unit(unplaced, MoneyUnit.WAN)} 万元无法列入功能科目 / "
                "part of the economic table cannot be placed"
            )
        if len(basic) > 1:
            self.choose(
                f"{CHOSEN}：基本支出的经济科目按功能科目分配（文件只公开两种分类各自的合计）/ "
                "chosen: basic spending split by function × economic class (only the two totals are published)"
            )
        for index, draft in enumerate(basic):
            notes = list(draft.notes)
            if len(basic) > 1:
                notes.append(f"{CHOSEN}：功能×经济交叉未公开 / chosen: function × economic split")
            for code, amount in pieces[index]:
                result.append(self._basic_line(draft, code, amount, notes, economic.get(code)))
            if capacity[index] > 0:
                result.append(
                    self._basic_line(
                        draft,
                        DEFAULT_ECONOMIC,
                        capacity[index],
                        [
                            *notes,
                            f"{CHOSEN}：经济科目表不足，列{DEFAULT_ECONOMIC} / chosen: not in the economic table",
                        ],
                        None,
                    )
                )
        return result

    @staticmethod
    def _basic_line(
        draft: _Draft,
        code: str,
        amount: Decimal,
        notes: list[str],
        printed: tuple[Decimal, Decimal | None] | None,
    ) -> _Draft:
        category = (
            BasicCategory.PERSONNEL if code[:3] in PERSONNEL_CLASSES else BasicCategory.OPERATING
        )
        if printed is not None and printed[1] is not None and printed[0]:
            # the table prints 人员经费 / 公用经费: the larger part decides the category
            category = (
                BasicCategory.PERSONNEL if printed[1] * 2 >= printed[0] else BasicCategory.OPERATING
            )
        return _Draft(draft.code, draft.source, True, amount, code, "", category, list(notes))

    # -- project expenditure by project ----------------------------------------------------

    def projects(self) -> list[Project]:
        projects: list[Project] = []
        names: set[str] = set()
        for form in self.doc.forms:
            project = form.project
            name = project.name
            if name in names:
                name = f"{name}（{len(names) + 1}）"
                self.choose(
                    f"{CHOSEN}：重名项目改名为“{name}” / chosen: a repeated project name is renamed"
                )
                project = replace(project, name=name)
            names.add(name)
            projects.append(project)
        return projects

    def assign_projects(
        self, drafts: list[_Draft], projects: list[Project]
    ) -> tuple[list[_Draft], list[Project]]:
        """Put each project's year funds on the project drafts (function 项 × source)."""
        buckets = [d for d in drafts if not d.basic]
        rest = [d for d in drafts if d.basic]
        if not buckets:
            if projects:
                self.gap("文件有项目绩效目标表，但没有项目支出 / forms but no project spending")
            return rest, projects
        wanted = {p.name: p.year_funds.total for p in projects if p.year_funds.total > 0}
        left_by_bucket = [b.amount for b in buckets]
        assigned: list[list[tuple[str, Decimal]]] = [[] for _ in buckets]
        remaining = dict(wanted)

        # 1. a project whose year funds equal a bucket exactly
        for index in range(len(buckets)):
            match = [n for n, a in remaining.items() if a == left_by_bucket[index]]
            if match:
                name = match[0]
                assigned[index].append((name, remaining.pop(name)))
                left_by_bucket[index] = ZERO
        # 2. sets of projects adding up to a bucket, smallest buckets first
        for index in sorted(range(len(buckets)), key=lambda i: left_by_bucket[i]):
            target = left_by_bucket[index]
            if target <= 0:
                continue
            found = _subset_with_sum(list(remaining.items()), target)
            if found:
                for name in found:
                    assigned[index].append((name, remaining.pop(name)))
                left_by_bucket[index] = ZERO
        # 3. the rest in order, splitting a project over two buckets where needed
        split: set[str] = set()
        for name in list(remaining):
            amount = remaining.pop(name)
            for index in range(len(buckets)):
                if amount <= 0:
                    break
                take = min(amount, left_by_bucket[index])
                if take > 0:
                    assigned[index].append((name, take))
                    left_by_bucket[index] -= take
                    if take != amount:
                        split.add(name)
                    amount -= take
            if amount > 0:
                self.gap(
                    f"项目“{name}”的年度资金超出项目支出，{to_unit(amount, MoneyUnit.WAN)} 万元未列入 / "
                    f"project {name!r} exceeds the project spending left"
                )
        extra: list[Project] = []
        result = list(rest)
        several = len(buckets) > 1
        if several and projects:
            self.choose(
                f"{CHOSEN}：项目按金额对应到功能科目（文件未公开项目的功能科目）/ "
                "chosen: projects matched to function 项 by amount (not published)"
            )
        for index, bucket in enumerate(buckets):
            for name, amount in assigned[index]:
                notes = list(bucket.notes)
                if several:
                    notes.append(
                        f"{CHOSEN}：项目的功能科目未公开 / chosen: function 项 of the project"
                    )
                if name in split:
                    notes.append(
                        f"{CHOSEN}：项目拆分到多个功能科目 / chosen: project split over 项"
                    )
                result.append(bucket.project_line(amount, name, notes))
            if left_by_bucket[index] > 0:
                name = f"未列明项目（{bucket.code}）"
                amount = left_by_bucket[index]
                if not any(p.name == name for p in extra):
                    extra.append(
                        Project(
                            name,
                            self.doc.department,
                            "",
                            self.doc.department,
                            "",
                            "",
                            Funds(total=amount),
                            Funds(total=amount),
                            note=f"{CHOSEN}：项目支出中没有绩效目标表的部分 / chosen: spending without a form",
                        )
                    )
                else:
                    extra = [
                        _with_funds(p, p.year_funds.total + amount) if p.name == name else p
                        for p in extra
                    ]
                self.gap(
                    f"{bucket.code} 的项目支出中 {to_unit(amount, MoneyUnit.WAN)} 万元没有对应的项目绩效目标表，"
                    f"列“{name}” / project spending without a form"
                )
                result.append(bucket.project_line(amount, name, list(bucket.notes)))
        return result, projects + extra

    # -- economic codes of project expenditure ---------------------------------------------

    def carve(
        self,
        drafts: list[_Draft],
        amount: Decimal,
        economic: str,
        note: str,
        *,
        words: tuple[str, ...] = (),
        project: str | None = None,
    ) -> Decimal:
        """Move ``amount`` of the project drafts (of ``project``, or of the general budget, those
        whose project's name has one of ``words`` first) to the economic 款 ``economic``."""

        def accepts(draft: _Draft) -> bool:
            if draft.basic or draft.economic != DEFAULT_ECONOMIC:
                return False
            return draft.project == project if project is not None else draft.source == "general"

        def preferred(draft: _Draft) -> bool:
            return any(word in draft.project for word in words)

        candidates = [d for d in drafts if accepts(d)]
        for draft in [d for d in candidates if preferred(d)] + [
            d for d in candidates if not preferred(d)
        ]:
            if amount <= 0:
                break
            take = min(amount, draft.amount)
            if take == draft.amount:
                draft.economic = economic
                draft.notes.append(note)
            else:
                draft.amount -= take
                drafts.append(
                    draft.project_line(take, draft.project, [*draft.notes, note], economic)
                )
            amount -= take
        return amount

    def project_economics(self, drafts: list[_Draft]) -> None:
        """The 三公 items and procurement items carved out of the project lines."""
        three_public = _total_row(self.table("three-public")) or next(
            (r for r in (self.table("three-public") or _EMPTY).rows if r.kind == DETAIL), None
        )
        # the codes whose amounts the 三公 table states: procurement may not move money there
        stated: set[str] = set()
        if three_public is not None:
            for key, group, item, words in THREE_PUBLIC_ITEMS:
                printed = _amount(three_public, key)
                codes = sorted(c for c in expense_group_codes(group, item) if len(c) == 5)
                stated.update(codes)
                if not printed or not codes:
                    continue
                code = codes[0]
                in_basic = sum(
                    (
                        d.amount
                        for d in drafts
                        if d.basic and d.source == "general" and d.economic in codes
                    ),
                    ZERO,
                )
                need = printed - in_basic
                if need <= 0:
                    continue
                left = self.carve(
                    drafts,
                    need,
                    code,
                    f"{CHOSEN}：三公/会议费/培训费的项目支出部分 / chosen: project part of {key}",
                    words=words,
                )
                self.choose(
                    f"{CHOSEN}：三公经费表中 {item or group} 超出基本支出的部分列入项目支出（{code}）/ "
                    f"chosen: the project part of {key} is put on project lines"
                )
                if left > 0:
                    self.gap(
                        f"三公经费表的{item or group}超出一般公共预算项目支出 / {key} exceeds project spending"
                    )
        economic_codes = self.catalogs.department_economic
        for bought in self.procurement_items(""):
            if bought.kind is not ExpenseKind.PROJECT or len(bought.economic_code) != 5:
                continue
            if bought.economic_code not in economic_codes:
                continue  # a code the catalogue does not know stays the procurement table's
            if bought.economic_code in stated:
                continue  # the 三公 table already says how much that code holds
            self.carve(
                drafts,
                bought.amount,
                bought.economic_code,
                f"{CHOSEN}：政府采购品目的经济科目 / chosen: economic class of a procurement item",
                project=bought.project,
            )
        if any(not d.basic and d.economic == DEFAULT_ECONOMIC for d in drafts):
            self.choose(
                f"{CHOSEN}：项目支出的经济科目未公开，列 {DEFAULT_ECONOMIC} 其他商品和服务支出 / "
                "chosen: economic classes of project spending are not published; 30299 is used"
            )
            for draft in drafts:
                if not draft.basic and draft.economic == DEFAULT_ECONOMIC:
                    draft.notes.append(f"{CHOSEN}：经济科目未公开 / chosen: economic class")

    # -- procurement -------------------------------------------------------------------------

    def procurement_items(self, default_unit: str) -> list[ProcurementItem]:
        table = self.table("procurement")
        if table is None:
            return []
        items: list[ProcurementItem] = []
        unit = default_unit
        kind = ExpenseKind.PROJECT
        for row in table.rows:
            if row.kind == GROUP and row.code.isdigit():
                unit = row.code
                continue
            if row.kind == GROUP:
                kind = ExpenseKind.BASIC if "基本" in row.name else ExpenseKind.PROJECT
                continue
            if row.kind != DETAIL:
                continue
            economic_code, economic_name = _split_label(
                _ECONOMIC_LABEL, str(row.values.get("economic") or "")
            )
            item_code, item_name = _split_label(_ITEM_LABEL, str(row.values.get("item") or ""))
            quantity = row.values.get("quantity")
            by_source = [
                (k, _amount(row, k))
                for k in ("general", "fund", "state_capital", "special_account", "unit_funds")
            ]
            by_source = [(k, a) for k, a in by_source if a]
            note = ""
            if not by_source:
                amount = _amount(row, "gov_total") or _amount(row, "total")
                by_source = [("general", amount)] if amount else []
                note = f"{CHOSEN}：资金来源只印政府预算资金合计，作一般公共预算 / chosen: source"
            for key, amount in by_source:
                items.append(
                    ProcurementItem(
                        unit if unit != "" else default_unit,
                        kind,
                        row.name,
                        economic_code,
                        economic_name,
                        item_code or row.code,
                        item_name,
                        quantity if isinstance(quantity, Decimal) else None,
                        str(row.values.get("quantity_unit") or ""),
                        SOURCE_NAME[key],
                        _whole_cents(amount),
                        note,
                    )
                )
        return items

    # -- the dataset ---------------------------------------------------------------------------

    def dataset(self) -> Dataset:
        if not self.year:
            raise ValueError("没有找到年度，不能导出 / no year found; cannot export")
        department_code, units = self.units()
        unit = self.line_unit(units)
        region, level = self.region_and_level()
        drafts = self.attribute_economic(self.splits())
        projects = self.projects()
        drafts, projects = self.assign_projects(drafts, projects)
        self.project_economics(drafts)
        lines = [
            BudgetLine(
                unit.code,
                d.code,
                d.economic,
                SOURCE_NAME[d.source],
                ExpenseKind.BASIC if d.basic else ExpenseKind.PROJECT,
                _whole_cents(d.amount),
                d.category if d.basic else None,
                d.project,
                "；".join(dict.fromkeys(d.notes)),
            )
            for d in sorted(
                drafts,
                key=lambda d: (not d.basic, d.code, d.source != "general", d.project, d.economic),
            )
            if d.amount
        ]
        if not lines:
            self.gap("文件中没有可读出预算明细的表 / no table gives budget lines")
        known_units = {u.code for u in units}
        procurement = [
            i if i.unit_code in known_units else replace(i, unit_code=unit.code)
            for i in self.procurement_items(unit.code)
        ]
        indicators = self.indicators(projects)
        for table_id in ("operating-costs",):
            if self.table(table_id) is not None and len(units) > 1:
                self.gap(
                    "机关运行经费表按单位列示，文件未公开分单位的基本支出，导出数据不能复现 / "
                    "operating costs by unit cannot be reproduced (spending by unit is not published)"
                )
        manifest = Manifest(
            Department(department_code, self.doc.department or "未知部门", region, level),
            self.year,
            tuple(units),
            "预算",
            _display_unit(self.doc),
        )
        return Dataset(manifest, tuple(lines), tuple(projects), indicators, tuple(procurement))

    def indicators(self, projects: Sequence[Project]) -> tuple[Indicator, ...]:
        names = {f.project.name: p.name for f, p in zip(self.doc.forms, projects, strict=False)}
        found: list[Indicator] = []
        for form in self.doc.forms:
            name = names.get(form.project.name, form.project.name)
            for indicator in (*form.period_indicators, *form.year_indicators):
                level1 = indicator.level1 or "未填写"
                found.append(replace(indicator, project=name, level1=level1))
        return tuple(found)


_EMPTY = Table("", "", MoneyUnit.WAN, (), (), ())


def _display_unit(doc: RecognisedDocument) -> MoneyUnit:
    units = [t.unit for t in doc.tables.values()]
    return max(set(units), key=units.count) if units else MoneyUnit.WAN


def _split_label(pattern: re.Pattern[str], text: str) -> tuple[str, str]:
    found = pattern.match(text)
    if not found:
        return "", text.strip()
    return found.group(1), found.group(2).strip()


def _with_funds(project: Project, total: Decimal) -> Project:
    """The project with ``total`` as both its period and its year funds."""
    return replace(project, period_funds=Funds(total=total), year_funds=Funds(total=total))


def _subset_with_sum(
    candidates: Sequence[tuple[str, Decimal]], target: Decimal, limit: int = 200_000
) -> list[str] | None:
    """Names of some candidates whose amounts add up to ``target`` exactly (None when none do,
    or when the search would take more than ``limit`` partial sums)."""
    cents = [(name, int(amount * 100)) for name, amount in candidates if 0 < amount <= target]
    goal = int(target * 100)
    reached: dict[int, tuple[int, int]] = {0: (-1, -1)}  # sum -> (previous sum, candidate index)
    for index, (_, value) in enumerate(cents):
        for total in list(reached):
            new = total + value
            if new <= goal and new not in reached:
                reached[new] = (total, index)
                if new == goal:
                    names = []
                    while new:
                        previous, used = reached[new]
                        names.append(cents[used][0])
                        new = previous
                    return names
        if len(reached) > limit:
            return None
    return None


# --- comparing a dataset's tables with the document's ---------------------------------------


def _key_of_income_item(label: str) -> str:
    from yusuan.catalog.loader import funding_source

    cleaned = _ORDINAL.sub("", label).strip()
    source = funding_source(cleaned)
    return source.key if source else cleaned


def _row_key(table: Table, row: Row) -> str:
    if row.kind == TOTAL:
        return "合计"
    if table.id == "operating-costs":
        return row.name
    if table.id == "procurement":
        return f"{row.code}|{row.name}|{row.values.get('economic') or ''}"
    return row.code or _ORDINAL.sub("", row.name).strip()


def _keyed(table: Table) -> list[tuple[str, Row]]:
    """Each row with its key; a key repeated is numbered (the second 印刷费 item, …)."""
    seen: dict[str, int] = {}
    keyed = []
    for row in table.rows:
        key = _row_key(table, row)
        seen[key] = seen.get(key, 0) + 1
        keyed.append((f"{key}#{seen[key]}" if key else "", row))
    return keyed


def _same(printed: Decimal, exported: Decimal, unit: MoneyUnit) -> bool:
    """Equal as printed: the exported figure rounded 四舍五入 to the printed figure's places."""
    shown = to_unit(printed, unit)
    exponent = shown.as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    quantum = Decimal(1).scaleb(-places)
    return shown.quantize(quantum, ROUND_HALF_UP) == to_unit(exported, unit).quantize(
        quantum, ROUND_HALF_UP
    )


def compare_table(printed: Table, exported: Table) -> list[Difference]:
    """The figures of ``printed`` that ``exported`` does not reproduce (rounded as printed)."""
    differences: list[Difference] = []
    keys = [c.key for c in printed.columns if c.kind == AMOUNT]
    theirs = {c.key for c in exported.columns}
    ours = dict(_keyed(exported))
    income_printed: dict[str, Decimal | None] = {}
    income_ours: dict[str, Decimal] = {}
    for key, row in _keyed(printed):
        label = f"{row.code} {row.name}".strip()
        item = row.values.get("income_item")
        if isinstance(item, str) and item and row.kind != TOTAL:
            income_printed[_key_of_income_item(item)] = _printed(row, "income")
        if not key:
            continue
        mine = ours.get(key)
        if mine is None:
            if any(_amount(row, k) for k in keys if k != "income"):
                differences.append(Difference(printed.id, label, "", None, None, "missing-row"))
            continue
        for column in keys:
            if column not in theirs or (column == "income" and row.kind != TOTAL):
                continue
            stated = _printed(row, column)
            value = _printed(mine, column)
            if stated is None:
                if value:
                    differences.append(Difference(printed.id, label, column, None, value, "blank"))
            elif not _same(stated, value or ZERO, printed.unit):
                differences.append(Difference(printed.id, label, column, stated, value, "differs"))
    for row in exported.rows:
        item = row.values.get("income_item")
        if isinstance(item, str) and item and row.kind != TOTAL:
            income_ours[_key_of_income_item(item)] = _amount(row, "income")
    for key, stated in income_printed.items():
        value = income_ours.get(key, ZERO)
        if stated is None:
            if value:
                differences.append(Difference(printed.id, key, "income", None, value, "blank"))
        elif not _same(stated, value, printed.unit):
            differences.append(Difference(printed.id, key, "income", stated, value, "differs"))
    return differences


def printed_figures(table: Table) -> int:
    """How many amounts a table prints (blank cells not counted)."""
    keys = [c.key for c in table.columns if c.kind == AMOUNT]
    return sum(1 for row in table.rows for key in keys if _printed(row, key) is not None)


def compare_tables(doc: RecognisedDocument, dataset: Dataset) -> dict[str, tuple[Difference, ...]]:
    """Table id -> what the dataset's table does not reproduce, for every table of the document
    that the dataset builds."""
    from yusuan.tables import build_tables

    built = {t.id: t for t in build_tables(dataset)}
    return {
        table_id: tuple(compare_table(table, built[table_id]))
        for table_id, table in doc.tables.items()
        if table_id in built
    }


# --- the entry points ------------------------------------------------------------------------


def dataset_of(doc: RecognisedDocument) -> ExportResult:
    """The document as a dataset (not written), with the choices and gaps."""
    exporter = _Exporter(doc)
    dataset = exporter.dataset()
    differences = compare_tables(doc, dataset)
    compared = {table_id: printed_figures(doc.tables[table_id]) for table_id in differences}
    return ExportResult(
        None, dataset, tuple(exporter.choices), tuple(exporter.gaps), differences, compared
    )


def export_dataset(doc: RecognisedDocument, folder: Path | str) -> ExportResult:
    """Write the document as a dataset folder (``yusuan.toml`` + CSV files, or a workbook when
    ``folder`` ends in .xlsx) and an ``EXPORT.md`` beside it saying what was chosen."""
    from yusuan.dataset import save_dataset

    result = dataset_of(doc)
    target = Path(folder)
    save_dataset(result.dataset, target)
    notes = (
        target / "EXPORT.md"
        if target.suffix.lower() != ".xlsx"
        else target.with_suffix(".export.md")
    )
    notes.write_text(export_notes(doc, result), "utf-8")
    if target.suffix.lower() != ".xlsx":
        (target / "README.md").write_text(export_readme(doc, result), "utf-8")
    return ExportResult(
        target, result.dataset, result.choices, result.gaps, result.differences, result.compared
    )


def grouped(statements: Sequence[str]) -> list[str]:
    """Statements that differ only in their codes or amounts, said once with how many and
    which: "2040401 的基本/项目划分未公开，列项目支出（共10处：2040401、2040402、…）"."""
    groups: dict[str, list[str]] = {}
    for text in statements:
        groups.setdefault(re.sub(r"\d+(?:\.\d+)?", "#", text), []).append(text)
    lines = []
    for members in groups.values():
        if len(members) == 1:
            lines.append(members[0])
            continue
        codes = [m.group(0) for t in members for m in [re.search(r"\d{3,}", t)] if m]
        shown = "、".join(codes[:6]) + ("…" if len(codes) > 6 else "")
        lines.append(f"{members[0]}（共{len(members)}处 / {len(members)} alike: {shown}）")
    return lines


def export_summary(target: Path, result: ExportResult) -> str:
    """What ``--export-dataset`` prints for one document: where, what it reproduces, and every
    split it had to choose (grouped), so that nobody takes a chosen split for a published one."""
    reproduced = ", ".join(result.reproduced()) or "—"
    readme = target / "README.md" if target.suffix.lower() != ".xlsx" else target
    lines = [
        f"已导出数据集 / dataset exported: {target}（复现 reproduced: {reproduced}）",
        f"  选定的划分（公开数字不能确定）/ splits chosen, not published ({len(result.choices)}):",
        *(f"    - {c}" for c in grouped(result.choices) or ["（无）none"]),
        f"  不能导出 / not exported: {len(result.gaps)}；详见 / see {readme}",
    ]
    return "\n".join(lines)


def export_readme(doc: RecognisedDocument, result: ExportResult) -> str:
    """README.md of an exported folder: what the folder is and, plainly, every split the export
    had to choose because the published tables do not determine it."""
    reproduced = ", ".join(f"`{t}`" for t in result.reproduced()) or "（无）none"
    return "\n".join(
        [
            f"# {doc.department} {doc.year}年{doc.level or '部门'}{doc.kind or '预算'} — "
            "a dataset read back from a published document",
            "",
            f"This folder is a yusuan dataset made by `yusuan audit --export-dataset` from "
            f"`{Path(doc.source).name}`. A publication prints totals, not the lines behind them: "
            "the lines here are one set consistent with every printed figure the export could "
            "use. Where the tables do not say how money splits, the export chose, and the "
            f"lines concerned carry `{CHOSEN}` in 备注.",
            "",
            f"本文件夹由 `yusuan audit --export-dataset` 从公开文件读回生成。公开表只印合计，"
            f"下列划分是公开数字无法确定、导出时选定的；相关预算行的备注标有“{CHOSEN}”。"
            "以这些划分为依据的分析，结论只能到公开数字为止。",
            "",
            f"## 选定的划分 / splits chosen ({len(result.choices)})",
            "",
            *(f"- {c}" for c in grouped(result.choices) or ["（无）none"]),
            "",
            f"## 不能导出 / not exported ({len(result.gaps)})",
            "",
            *(f"- {g}" for g in grouped(result.gaps) or ["（无）none"]),
            "",
            f"Tables reproduced exactly / 完全复现的表: {reproduced}. "
            "Table by table comparison: `EXPORT.md`.",
            "",
        ]
    )


def export_notes(doc: RecognisedDocument, result: ExportResult) -> str:
    """What the export chose, what it could not do, and which tables it reproduces."""
    out = [
        f"# {doc.department} {doc.year}年 — exported by `yusuan audit --export-dataset`",
        "",
        f"Source: `{Path(doc.source).name}`. Lines whose split was chosen carry `{CHOSEN}` in 备注.",
        "",
        "## 选定 / chosen",
        "",
        *(f"- {c}" for c in result.choices),
        "",
        "## 不能导出 / gaps",
        "",
        *(f"- {g}" for g in result.gaps or ["（无）none"]),
        "",
        "## 复现 / reproduced",
        "",
    ]
    for table_id, found in result.differences.items():
        wrong = [d for d in found if d.kind != "blank"]
        blank = [d for d in found if d.kind == "blank"]
        state = "复现 reproduced" if not wrong else f"{len(wrong)} 处不同 differences"
        if not result.compared.get(table_id):
            state = "文件中此表没有读出金额 / no figure read from the document"
        out.append(
            f"- `{table_id}`: {state}" + (f"; 文件留空而数据填出 {len(blank)} 格" if blank else "")
        )
        out += [f"  - {d}" for d in wrong[:20]]
    out.append("")
    return "\n".join(out)
