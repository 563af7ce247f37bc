"""表间一致: a figure printed in two tables must be the same figure (standards §2.3, X-1 … X-17).

Each rule reads one figure from each of two tables (or from a table and the project forms, or
the budget lines) and compares them: equal where the tables show the same money, ``≤`` where one
table shows a part of what the other shows.

Dataset tables hold exact amounts and must agree exactly. A published document's figures are
rounded for display, so two printed figures may differ by the rounding of the figures involved
(``Subject.tolerance``); only a larger difference is reported.

Where a table prints names without codes (the basic-expenditure table often does, the two
summary tables always do), the code is found from the name in the catalogue of the year, so the
rules work on a document read back from PDF as well as on a dataset.

Where several codes of one classification disagree, a parent whose difference is exactly the sum
of its children's differences is not reported again: the children say where the difference is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from yusuan.catalog.loader import (
    Classification,
    economic_function_pairs,
    expense_group_codes,
    funding_source,
)
from yusuan.model.records import BasicCategory
from yusuan.rules.base import Hit, Location, MissingData, NotApplicable, Severity, money, rule
from yusuan.rules.checks.catalogue import is_chosen, published_only
from yusuan.rules.checks.projects import project_location
from yusuan.rules.names import normalise_name
from yusuan.rules.subject import Subject, shared_per_subject
from yusuan.tables import (
    basic_economic,
    expenditure,
    fiscal,
    fund_expenditure,
    fund_income,
    general_budget,
    income,
    income_expenditure,
    operating_costs,
    state_capital,
    three_public,
)
from yusuan.tables import measures as m
from yusuan.tables.base import TOTAL, Row, Table
from yusuan.tables.facts import FUND, GENERAL, STATE_CAPITAL, source_column

ZERO = Decimal(0)

INCOME_EXPENDITURE = income_expenditure.ID
INCOME = income.ID
EXPENDITURE = expenditure.ID
FISCAL = fiscal.ID
GENERAL_BUDGET = general_budget.ID
BASIC_ECONOMIC = basic_economic.ID
FUND_INCOME = fund_income.ID
FUND_EXPENDITURE = fund_expenditure.ID
STATE_CAPITAL_TABLE = state_capital.ID
OPERATING_COSTS = operating_costs.ID
THREE_PUBLIC = three_public.ID

# Official names of the tables, for messages about a table that a document does not include.
TABLE_NAMES = {
    module.ID: module.NAME_ZH
    for module in (
        income_expenditure,
        income,
        expenditure,
        fiscal,
        general_budget,
        basic_economic,
        fund_income,
        fund_expenditure,
        state_capital,
        operating_costs,
        three_public,
    )
}

# The expenditure table of each 财政拨款 column of the 财政拨款收支总表.
FISCAL_COLUMN_TABLES = {
    GENERAL: GENERAL_BUDGET,
    FUND: FUND_EXPENDITURE,
    STATE_CAPITAL: STATE_CAPITAL_TABLE,
}

# Tables that the templates print empty, with a note, when the budget has no such money; and the
# funding source (catalogue key) whose budget kind the note must name.
EMPTY_NOTE_TABLES = {
    GENERAL_BUDGET: "general",
    FUND_INCOME: "fund",
    FUND_EXPENDITURE: "fund",
    STATE_CAPITAL_TABLE: "state_capital",
}
# A note saying the table has nothing: 本表为空表 / 此表为空 / 本部门无该项目 / 无…预算拨款…
EMPTY_NOTE = re.compile(
    r"空表|表为空|无(?:该|此)项|无[^，。]*(?:预算|收入|支出|收支|安排|资金|项目)"
)


# --- reading figures -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure as a reader finds it: table, row, column, value, and how many printed figures
    were added to obtain it (for the rounding tolerance of a document)."""

    table: Table
    row: str
    column: str
    value: Decimal
    terms: int = 1
    blank: bool = False  # the cell was printed blank (its value counts as 0, it reads 留空)

    @property
    def shown(self) -> str:
        return "留空" if self.blank else money(self.value)

    @property
    def cell(self) -> str:
        if not self.column or self.column == self.row:
            return self.row
        return f"{self.row} {self.column}".strip()


def _num(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else ZERO


# Labels of the 财政拨款 columns, for a summary table that leaves a column out (国有资本经营预算
# is printed only when the budget has such money).
FISCAL_LABELS = {column: label for _, label, column in fiscal.FISCAL_SOURCES}


def _label(table: Table, key: str) -> str:
    return next((c.label for c in table.columns if c.key == key), FISCAL_LABELS.get(key, key))


def _row_label(row: Row) -> str:
    return f"{row.code} {row.name}".strip()


def _figure(table: Table, row: Row, key: str, row_text: str | None = None) -> Figure:
    """A cell; a column the table does not have (not read) cannot be compared: never a zero."""
    _need_column(table, key)
    value = row.values.get(key)
    return Figure(
        table,
        row_text if row_text is not None else _row_label(row),
        _label(table, key),
        _num(value),
        blank=value is None,
    )


def _need_column(table: Table, key: str) -> None:
    if not any(c.key == key for c in table.columns) and not _printed(table, key):
        raise MissingData(
            f"{table.title} 未读出“{_label(table, key)}”列 / column {key} of {table.id} was "
            "not read"
        )


def _total_row(table: Table) -> Row:
    row = table.total_row()
    if row is None:
        raise MissingData(f"{table.title} 没有合计行 / {table.id} has no total row")
    return row


def _total(table: Table, key: str) -> Figure:
    return _figure(table, _total_row(table), key)


def _normal(name: str) -> str:
    """A name as compared with the catalogue (rules.names)."""
    return normalise_name(name)


def _by_name(classification: Classification, level: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in classification.at_level(level):
        found.setdefault(_normal(entry.name), []).append(entry.code)
    return found


def _class_rows(subject: Subject, table: Table, key: str) -> dict[str, Figure]:
    """The 功能分类 类 rows of a two-sided summary table, by code (from the name when unprinted)."""
    names = _by_name(subject.catalogs.function, "类")
    found: dict[str, Figure] = {}
    for row in table.rows:
        if row.kind == TOTAL or not (row.code or row.name):
            continue
        code = row.code
        if not code:
            codes = names.get(_normal(row.name), [])
            code = codes[0] if len(codes) == 1 else ""
        if code and code not in found:
            found[code] = _figure(table, row, key, f"{code} {row.name}")
    return found


def _coded_rows(table: Table, key: str) -> dict[str, Figure]:
    """The coded rows of a table by function classification, by code.

    A table printed by unit or by funding source instead (some provinces' 收入/支出预算总表) has no
    coded rows: the comparison by code cannot run on it.
    """
    coded = [row for row in table.rows if row.code]
    rows: dict[str, Figure] = {}
    if coded:  # the column is looked up once for the table, not once per row (as _figure does)
        _need_column(table, key)
        label = _label(table, key)
        for row in coded:
            value = row.values.get(key)
            rows[row.code] = Figure(table, _row_label(row), label, _num(value), blank=value is None)
    listed_otherwise = any(r.kind != TOTAL and (r.name or r.values) for r in table.rows)
    if not rows and (
        listed_otherwise or any(_num(v) for r in table.rows for v in r.values.values())
    ):
        raise MissingData(
            f"{table.title} 未按功能分类科目列示 / {table.id} is not listed by function code"
        )
    return rows


def _coded_and_total(table: Table, key: str) -> dict[str, Figure]:
    """The coded rows of a table by function classification, by code, and its total (``""``)."""
    rows = _coded_rows(table, key)
    rows[""] = _total(table, key)
    return rows


def _printed(table: Table, key: str) -> bool:
    """Whether the table prints this column at all (a column it leaves out is not a zero)."""
    return any(c.key == key for c in table.columns) or any(
        r.values.get(key) is not None for r in table.rows
    )


def _economic_rows(subject: Subject, table: Table) -> list[tuple[str, Row]]:
    """Each row of the basic-expenditure table with its 经济分类 code, from the name when the table
    prints names only (a 款 name that two 类 share is resolved by the 类 row above it)."""
    classification = subject.catalogs.department_economic
    classes = _by_name(classification, "类")
    items = _by_name(classification, "款")
    found: list[tuple[str, Row]] = []
    current = ""
    for row in table.rows:
        if row.kind == TOTAL:
            continue
        code = row.code
        if not code:
            name = _normal(row.name)
            if row.level == 1 and len(classes.get(name, [])) == 1:
                code = classes[name][0]
            else:
                candidates = items.get(name, [])
                if len(candidates) > 1:
                    candidates = [
                        c for c in candidates if classification.entries[c].parent == current
                    ]
                code = candidates[0] if len(candidates) == 1 else ""
        entry = classification.get(code)
        if entry is not None and entry.level == "类":
            current = code
        found.append((code, row))
    return found


def _economic_sum(
    subject: Subject, table: Table, codes: Iterable[str], key: str = "amount"
) -> tuple[Decimal, int]:
    """The sum of the 款 rows whose code is among ``codes``, and how many rows were added."""
    wanted = set(codes)
    rows = [row for code, row in _economic_rows(subject, table) if code in wanted]
    return sum((_num(row.values.get(key)) for row in rows), ZERO), len(rows)


def _income_column(label: str) -> str:
    """The funding-source column of an income line, from its printed label (一、一般公共预算 …)."""
    text = re.sub(r"^\s*[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*", "", label).strip()
    source = funding_source(text) or funding_source(text.removesuffix("收入"))
    return source_column(source) if source is not None else ""


def _income_lines(table: Table) -> dict[str, Figure]:
    """Income of a two-sided summary table by funding-source column (lines of one column added)."""
    found: dict[str, Figure] = {}
    for row in table.rows:
        label = row.values.get("income_item")
        if row.kind == TOTAL or not isinstance(label, str) or not label.strip():
            continue
        column = _income_column(label)
        if not column:
            continue
        value = _num(row.values.get("income"))
        if column in found:
            old = found[column]
            found[column] = Figure(
                table, f"{old.row}、{label}", old.column, old.value + value, old.terms + 1
            )
        else:
            found[column] = Figure(table, label, "", value)
    return found


# --- comparing -------------------------------------------------------------------------------


def _tolerance(subject: Subject, a: Figure, b: Figure) -> Decimal:
    terms = a.terms + b.terms - 1
    return max(subject.tolerance(a.table, terms), subject.tolerance(b.table, terms))


def _location(subject: Subject, figure: Figure) -> Location:
    return Location(
        table=figure.table.title,
        row=figure.row,
        column=figure.column,
        page=subject.pages.get(figure.table.id, 0),
    )


def _values(relation: str, a: Figure, b: Figure) -> dict[str, object]:
    return {
        "relation": relation,
        "a_table": a.table.title,
        "a_cell": a.cell,
        "a": a.shown,
        "b_table": b.table.title,
        "b_cell": b.cell,
        "b": b.shown,
        "difference": money(a.value - b.value),
    }


def _comparable(a: Figure, b: Figure) -> bool:
    """Printed figures compare; a cell left blank is no figure (a blank subtotal is ARITH-007's
    one note per table, not a difference with every table that prints the amount)."""
    return not a.blank and not b.blank


def _unequal(subject: Subject, relation: str, a: Figure, b: Figure) -> Iterator[Hit]:
    if _comparable(a, b) and abs(a.value - b.value) > _tolerance(subject, a, b):
        yield Hit(_location(subject, a), _values(relation, a, b))


def _greater(subject: Subject, relation: str, a: Figure, b: Figure) -> Iterator[Hit]:
    """``a ≤ b`` is broken."""
    if _comparable(a, b) and a.value - b.value > _tolerance(subject, a, b):
        yield Hit(_location(subject, a), _values(relation, a, b))


def _absent(table: Table, code: str) -> Figure:
    """A code a table does not list: zero, and said so."""
    return Figure(table, f"{code}（未列示）", "", ZERO)


def _function_parent(code: str) -> str:
    return {3: "", 5: code[:3], 7: code[:5]}.get(len(code), "\0")


def _by_code(
    subject: Subject,
    relation: str,
    left: Mapping[str, Figure],
    right: Mapping[str, Figure],
    left_table: Table,
    right_table: Table,
    parent: Callable[[str], str] = _function_parent,
) -> Iterator[Hit]:
    """Compare two tables code by code (``""`` = 合计); a parent whose difference is exactly the
    sum of its children's is left out, so one misprinted 项 is reported once."""
    pairs: dict[str, tuple[Figure, Figure]] = {}
    for code in sorted(set(left) | set(right)):
        a = left.get(code) or _absent(left_table, code)
        b = right.get(code) or _absent(right_table, code)
        if _comparable(a, b) and abs(a.value - b.value) > _tolerance(subject, a, b):
            pairs[code] = (a, b)
    children: dict[str, Decimal] = {}
    for code, (a, b) in pairs.items():
        if code:
            children[parent(code)] = children.get(parent(code), ZERO) + (a.value - b.value)
    for code, (a, b) in pairs.items():
        explained = children.get(code)
        if explained is not None and abs(explained - (a.value - b.value)) <= _tolerance(
            subject, a, b
        ):
            continue
        yield Hit(_location(subject, a), _values(relation, a, b))


_MESSAGE = (
    "{relation} 不成立：{a_table}“{a_cell}”为 {a}，{b_table}“{b_cell}”为 {b}，相差 {difference}",
    "{relation} does not hold: {a_table} “{a_cell}” is {a}, {b_table} “{b_cell}” is {b}, "
    "difference {difference}",
)
_MESSAGE_AT_MOST = (
    "{relation} 不成立：{a_table}“{a_cell}”为 {a}，大于{b_table}“{b_cell}”的 {b}，超出 "
    "{difference}",
    "{relation} does not hold: {a_table} “{a_cell}” is {a}, more than {b_table} “{b_cell}” "
    "{b}, by {difference}",
)
_FIX = "两表反映的是同一笔资金，应从同一套预算明细生成；核对两处金额，改正录入、汇总或转录错误。"
_EXAMPLE = {
    "relation": "收支总表本年收入合计 = 收入总表合计",
    "a_table": "2021年预算收支总表",
    "a_cell": "本年收入合计",
    "a": "12,347.83万元",
    "b_table": "2021年预算收入总表",
    "b_cell": "合计 本年收入合计",
    "b": "12,337.83万元",
    "difference": "10.00万元",
}


def _example(**changes: str) -> dict[str, object]:
    return {**_EXAMPLE, **changes}


# --- the rules -------------------------------------------------------------------------------


@rule(
    "XT-001",
    group="cross-table",
    severity=Severity.FATAL,
    title=("收支总表与收入总表的收入合计不一致", "Total revenue differs between tables 1 and 2"),
    message=_MESSAGE,
    basis="standards §2.3 X-1: 收支总表本年收入合计 = 收入总表合计 (财预〔2016〕143号 表式)",
    fix=_FIX,
    example=_EXAMPLE,
)
def revenue_totals_agree(subject: Subject) -> Iterator[Hit]:
    summary = subject.table(INCOME_EXPENDITURE)
    revenue = subject.table(INCOME)
    row = _total_row(summary)
    label = row.values.get("income_item")
    stated = Figure(
        summary,
        label if isinstance(label, str) and label else "本年收入合计",
        "",
        _num(row.values.get("income")),
    )
    return _unequal(
        subject, "收支总表本年收入合计 = 收入总表合计", stated, _total(revenue, "total")
    )


@rule(
    "XT-002",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "收支总表与支出汇总表的支出合计不一致",
        "Total expenditure differs between tables 1 and 3",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-2: 收支总表本年支出合计 = 支出汇总表合计",
    fix=_FIX,
    example=_example(
        relation="收支总表本年支出合计 = 支出汇总表合计",
        a_cell="本年支出合计",
        b_table="2021年预算支出汇总表",
        b_cell="合计 合计",
    ),
)
def expenditure_totals_agree(subject: Subject) -> Iterator[Hit]:
    summary = subject.table(INCOME_EXPENDITURE)
    spending = subject.table(EXPENDITURE)
    row = _total_row(summary)
    a = replace(_figure(summary, row, "expenditure", row.name), column="")
    return _unequal(subject, "收支总表本年支出合计 = 支出汇总表合计", a, _total(spending, "total"))


@rule(
    "XT-003",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "收支总表与支出汇总表的功能分类类金额不一致",
        "A function class differs between tables 1 and 3",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-3: 收支总表每个功能分类类 = 支出汇总表该类合计（类款项编码与金额镜像）",
    fix=_FIX,
    example=_example(
        relation="收支总表类 = 支出汇总表类",
        a_cell="201 一般公共服务支出",
        b_table="2021年预算支出汇总表",
        b_cell="201 一般公共服务支出 合计",
    ),
)
def expenditure_classes_agree(subject: Subject) -> Iterator[Hit]:
    summary = subject.table(INCOME_EXPENDITURE)
    spending = subject.table(EXPENDITURE)
    left = {
        code: replace(f, column="")
        for code, f in _class_rows(subject, summary, "expenditure").items()
    }
    right = {code: f for code, f in _coded_rows(spending, "total").items() if len(code) == 3}
    return _by_code(subject, "收支总表类 = 支出汇总表类", left, right, summary, spending)


def _is_final_accounts(subject: Subject) -> bool:
    if subject.dataset is not None:
        return subject.dataset.manifest.kind == "决算"
    return any("决算" in table.title for table in subject.tables.values())


@rule(
    "XT-004",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "收入总表与支出汇总表按功能分类不一致",
        "Revenue and expenditure differ by function code",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-4: 预算的收入总表与支出汇总表按功能分类镜像，每个科目的合计相等"
    "（部门预算收支平衡，无结转下年）",
    fix="部门预算按功能分类收支平衡：核对该科目在收入总表和支出汇总表中的金额，改正不一致的一方。",
    example=_example(
        relation="收入总表科目合计 = 支出汇总表科目合计",
        a_table="2021年预算收入总表",
        a_cell="2013201 行政运行 本年收入合计",
        b_table="2021年预算支出汇总表",
        b_cell="2013201 行政运行 合计",
    ),
)
def revenue_mirrors_expenditure(subject: Subject) -> Iterator[Hit]:
    revenue = subject.table(INCOME)
    spending = subject.table(EXPENDITURE)
    if _is_final_accounts(subject):
        raise NotApplicable("决算不要求按科目收支相等 / only budgets mirror by function code")
    left = _coded_and_total(revenue, "total")
    right = _coded_and_total(spending, "total")
    return _by_code(
        subject, "收入总表科目合计 = 支出汇总表科目合计", left, right, revenue, spending
    )


@rule(
    "XT-005",
    group="cross-table",
    severity=Severity.FATAL,
    title=("各资金来源的收入在各表不一致", "Revenue by funding source differs between tables"),
    message=_MESSAGE,
    basis="standards §2.3 X-5: 收支总表各项收入 = 收入总表合计行该来源列 = 财政拨款收支总表该项收入"
    "（一般公共预算、政府性基金、国有资本经营预算）；政府性基金另 = 政府性基金预算收入表合计",
    fix=_FIX,
    example=_example(
        relation="同一资金来源的本年收入各表相等",
        a_cell="一、一般公共预算",
        b_cell="合计 一般公共预算",
        a="6,423.83万元",
        b="6,413.83万元",
    ),
)
def revenue_by_source_agrees(subject: Subject) -> Iterator[Hit]:
    summary = subject.table(INCOME_EXPENDITURE)
    revenue = subject.table(INCOME)
    relation = "同一资金来源的本年收入各表相等"
    lines = _income_lines(summary)
    total = _total_row(revenue)
    fiscal_table = subject.tables.get(FISCAL)
    fiscal_lines = _income_lines(fiscal_table) if fiscal_table is not None else {}
    fund_table = subject.tables.get(FUND_INCOME)
    columns = [c.key for c in revenue.columns if c.key in lines or c.key in fiscal_lines]
    columns += [c for c in lines if c not in columns]
    hits: list[Hit] = []
    for column in columns:
        if not _printed(revenue, column):
            continue
        in_revenue = _figure(revenue, total, column, "合计")
        in_summary = lines.get(column)
        if in_summary is not None:
            hits += _unequal(subject, relation, in_summary, in_revenue)
        if column in FISCAL_COLUMN_TABLES and fiscal_table is not None:
            in_fiscal = fiscal_lines.get(column) or Figure(
                fiscal_table, f"{_label(revenue, column)}（未列示）", "", ZERO
            )
            hits += _unequal(subject, relation, in_revenue, in_fiscal)
        if column == FUND and fund_table is not None:
            hits += _unequal(subject, relation, in_revenue, _total(fund_table, "total"))
    return iter(hits)


def _fiscal_against(subject: Subject, relation: str, column: str) -> tuple[list[Hit], bool]:
    """A 财政拨款收支总表 column, total and per 类, against the expenditure table of that money.

    Returns the hits and whether the expenditure table was there to compare with. A document
    that leaves out the table while the column has money is reported (the figure has no table).
    """
    summary = subject.table(FISCAL)
    table_id = FISCAL_COLUMN_TABLES[column]
    table = subject.tables.get(table_id)
    if not _printed(summary, column):
        return [], False  # the summary does not split 支出 by fund
    stated = _figure(summary, _total_row(summary), column, "本年支出合计")
    if table is None:
        if not stated.value:
            return [], False
        values = _values(relation, stated, Figure(summary, "", "", ZERO))
        values.update(b_table=TABLE_NAMES[table_id], b_cell="（文件未附此表）", b="—")
        return [Hit(_location(subject, stated), values)], True
    left = _class_rows(subject, summary, column)
    # a summary that lists 支出 by purpose only (no 功能分类类 rows) is compared on its total
    right = (
        {code: f for code, f in _coded_rows(table, "total").items() if len(code) == 3}
        if left
        else {}
    )
    left[""] = stated
    right[""] = _total(table, "total")
    return list(_by_code(subject, relation, left, right, summary, table)), True


@rule(
    "XT-006",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "财政拨款收支总表一般公共预算与一般公共预算支出表不一致",
        "General budget column of table 4 differs from table 5",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-6 (合计) and X-9 (每个功能分类类): 财政拨款收支总表一般公共预算列 = "
    "一般公共预算支出表",
    fix=_FIX,
    example=_example(
        relation="财政拨款收支总表一般公共预算列 = 一般公共预算支出表",
        a_table="2021年财政拨款收支总表",
        a_cell="201 一般公共服务支出 一般公共预算",
        b_table="2021年一般公共预算支出预算表",
        b_cell="201 一般公共服务支出 合计",
    ),
)
def fiscal_general_agrees(subject: Subject) -> Iterator[Hit]:
    hits, ran = _fiscal_against(
        subject, "财政拨款收支总表一般公共预算列 = 一般公共预算支出表", GENERAL
    )
    if not ran:
        raise MissingData(
            f"缺少表 {TABLE_NAMES[GENERAL_BUDGET]} / table {GENERAL_BUDGET} is missing"
        )
    return iter(hits)


@rule(
    "XT-007",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "财政拨款收支总表政府性基金、国有资本经营预算与其支出表不一致",
        "Fund and state-capital columns of table 4 differ from their tables",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-7: 财政拨款收支总表政府性基金列 = 政府性基金预算支出表，"
    "国有资本经营预算列 = 国有资本经营预算支出表（合计及每个功能分类类）",
    fix=_FIX,
    example=_example(
        relation="财政拨款收支总表政府性基金列 = 政府性基金预算支出表",
        a_table="2021年财政拨款收支总表",
        a_cell="212 城乡社区支出 政府性基金",
        a="5,924.00万元",
        b_table="2021年政府性基金预算支出预算表",
        b_cell="212 城乡社区支出 合计",
        b="5,914.00万元",
    ),
)
def fiscal_funds_agree(subject: Subject) -> Iterator[Hit]:
    fund_hits, fund_ran = _fiscal_against(
        subject, "财政拨款收支总表政府性基金列 = 政府性基金预算支出表", FUND
    )
    state_hits, state_ran = _fiscal_against(
        subject, "财政拨款收支总表国有资本经营预算列 = 国有资本经营预算支出表", STATE_CAPITAL
    )
    if not (fund_ran or state_ran):
        raise MissingData("缺少政府性基金、国有资本经营预算支出表 / fund tables are missing")
    return iter(fund_hits + state_hits)


@rule(
    "XT-008",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "政府性基金预算收入表与支出表不一致",
        "Government fund revenue and expenditure tables differ",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-7: 政府性基金预算收入表 = 政府性基金预算支出表（合计及每个科目）",
    fix=_FIX,
    example=_example(
        relation="政府性基金预算收入表 = 政府性基金预算支出表",
        a_table="2021年政府性基金预算收入表",
        a_cell="2120899 其他国有土地使用权出让收入安排的支出 合计",
        a="5,924.00万元",
        b_table="2021年政府性基金预算支出预算表",
        b_cell="2120899 其他国有土地使用权出让收入安排的支出 合计",
        b="5,914.00万元",
    ),
)
def fund_tables_agree(subject: Subject) -> Iterator[Hit]:
    revenue = subject.table(FUND_INCOME)
    spending = subject.table(FUND_EXPENDITURE)
    left = _coded_and_total(revenue, "total")
    right = _coded_and_total(spending, "total")
    return _by_code(
        subject, "政府性基金预算收入表 = 政府性基金预算支出表", left, right, revenue, spending
    )


@rule(
    "XT-009",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "财政拨款支出合计不等于三张财政拨款支出表之和",
        "Fiscal appropriations total differs from the three budget tables",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-8: 财政拨款收支总表支出合计 = 一般公共预算支出表 + 政府性基金预算支出表 + "
    "国有资本经营预算支出表",
    fix=_FIX,
    example=_example(
        relation="财政拨款支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算支出表合计",
        a_table="2021年财政拨款收支总表",
        a_cell="本年支出合计 小计",
        b_table="2021年一般公共预算支出预算表、2021年政府性基金预算支出预算表",
        b_cell="合计之和",
    ),
)
def fiscal_total_agrees(subject: Subject) -> Iterator[Hit]:
    summary = subject.table(FISCAL)
    subject.table(GENERAL_BUDGET)
    totals = _total_row(summary).values
    missing = [
        table_id
        for column, table_id in FISCAL_COLUMN_TABLES.items()
        if table_id not in subject.tables and _num(totals.get(column))
    ]
    if missing:
        raise MissingData("缺少表 " + "、".join(TABLE_NAMES[t] for t in missing))
    present = [subject.tables[t] for t in FISCAL_COLUMN_TABLES.values() if t in subject.tables]
    key = next((k for k in ("subtotal", "purpose_amount") if _printed(summary, k)), None)
    if key is None:
        raise MissingData(f"{summary.title} 未列支出合计 / no expenditure total column")
    stated = Figure(summary, "本年支出合计", _label(summary, key), _num(totals.get(key)))
    parts = Figure(
        present[0],
        "合计之和",
        "",
        sum((_num(_total_row(t).values.get("total")) for t in present), ZERO),
        len(present),
    )
    relation = "财政拨款支出合计 = 一般公共预算 + 政府性基金 + 国有资本经营预算支出表合计"
    for hit in _unequal(subject, relation, stated, parts):
        yield Hit(hit.location, {**hit.values, "b_table": "、".join(t.title for t in present)})


def _basic_tables(subject: Subject) -> tuple[Table, Table]:
    """The 一般公共预算支出表 (with its 基本支出 column) and the 基本支出分经济科目表."""
    budget = subject.table(GENERAL_BUDGET)
    economic = subject.table(BASIC_ECONOMIC)
    if not _printed(budget, "basic"):
        raise MissingData(f"{budget.title} 未分列基本支出 / prints no 基本支出 column")
    return budget, economic


@rule(
    "XT-010",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "一般公共预算基本支出与基本支出经济分类表合计不一致",
        "General budget basic expenditure differs from the economic-class table",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-10: 一般公共预算支出表基本支出合计 = 一般公共预算基本支出分经济科目表合计",
    fix=_FIX,
    example=_example(
        relation="一般公共预算支出表基本支出合计 = 基本支出分经济科目表合计",
        a_table="2021年一般公共预算支出预算表",
        a_cell="合计 基本支出",
        a="992.27万元",
        b_table="一般公共预算安排基本支出分经济科目表",
        b_cell="合计 预算数",
        b="982.27万元",
    ),
)
def basic_totals_agree(subject: Subject) -> Iterator[Hit]:
    budget, economic = _basic_tables(subject)
    return _unequal(
        subject,
        "一般公共预算支出表基本支出合计 = 基本支出分经济科目表合计",
        _total(budget, "basic"),
        _total(economic, "amount"),
    )


@rule(
    "XT-020",
    group="cross-table",
    severity=Severity.WARNING,
    title=(
        "经济科目与其对应的功能科目基本支出不一致",
        "An economic item differs from the function item it belongs to",
    ),
    message=_MESSAGE,
    basis="《政府收支分类科目》说明: 2080505 反映单位缴纳的基本养老保险费，2080506 反映单位缴纳的职业年金，"
    "2210201 反映为职工缴存的住房公积金；故一般公共预算基本支出中 30108、30109、30113 应与之相等"
    "（catalog/data/economic/function_pairs.csv）",
    fix="核对该经济科目的支出是否全部列在对应的功能科目：如职业年金缴费列在了行政运行等科目，改列 "
    "2080506；或改正两表中的金额。",
    example=_example(
        relation="2080506 机关事业单位职业年金缴费支出 = 30109 职业年金缴费",
        a_table="2021年一般公共预算支出预算表",
        a_cell="2080506 机关事业单位职业年金缴费支出 基本支出",
        a="40.33万元",
        b_table="一般公共预算安排基本支出分经济科目表",
        b_cell="30109 职业年金缴费",
        b="41.75万元",
        difference="-1.42万元",
    ),
)
def paired_items_agree(subject: Subject) -> Iterator[Hit]:
    budget, economic = _basic_tables(subject)
    _need_column(economic, "amount")
    items = {code: row for code, row in _economic_rows(subject, economic) if code}
    functions = {row.code: row for row in budget.rows if row.code}
    names = subject.catalogs
    hits: list[Hit] = []
    unverified: list[str] = []
    for economic_code, function_code in economic_function_pairs():
        item, function = items.get(economic_code), functions.get(function_code)
        if item is None and function is None:
            continue
        if item is None and not any(len(c) == 5 and c[:3] == economic_code[:3] for c in items):
            unverified.append(economic_code)  # the table does not list the 款 of that 类
            continue
        a = _figure(budget, function, "basic") if function else _absent(budget, function_code)
        b = (
            _figure(economic, item, "amount", f"{economic_code} {item.name}".strip())
            if item
            else _absent(economic, economic_code)
        )
        relation = (
            f"{function_code} {names.function.name(function_code)} = "
            f"{economic_code} {names.department_economic.name(economic_code)}"
        )
        hits += _unequal(subject, relation, a, b)
    if unverified and not hits:
        raise MissingData(
            f"{economic.title} 未列出 {'、'.join(unverified)} 所在类的款 / the economic table "
            "does not list the items"
        )
    return iter(hits)


@rule(
    "XT-011",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "一般公共预算支出大于同一科目的全部支出",
        "General budget expenditure exceeds all expenditure of a code",
    ),
    message=_MESSAGE_AT_MOST,
    basis="standards §2.3 X-11: 一般公共预算支出表是支出汇总表的一部分，每个科目每列 ≤ 支出汇总表"
    "（只有全部支出均为一般公共预算时才相等，故不要求相等）",
    fix="一般公共预算支出是全部支出的一部分：核对该科目在两表中的金额，"
    "补齐支出汇总表中漏填的小计或改正录入错误。",
    example=_example(
        relation="一般公共预算支出表 ≤ 支出汇总表",
        a_table="2021年一般公共预算支出预算表",
        a_cell="201 一般公共服务支出 基本支出",
        a="786.30万元",
        b_table="2021年预算支出汇总表",
        b_cell="201 一般公共服务支出 基本支出",
        b="0.00元",
        difference="786.30万元",
    ),
)
def general_within_all(subject: Subject) -> Iterator[Hit]:
    budget = subject.table(GENERAL_BUDGET)
    spending = subject.table(EXPENDITURE)
    keys = [k for k in ("total", "basic", "project") if k in {c.key for c in budget.columns}]
    hits: list[Hit] = []
    for key in keys:
        right = _coded_and_total(spending, key)
        left = _coded_and_total(budget, key)
        for code, a in left.items():
            b = right.get(code) or Figure(spending, f"{code}（未列示）", a.column, ZERO)
            hits += _greater(subject, "一般公共预算支出表 ≤ 支出汇总表", a, b)
    return iter(hits)


@rule(
    "XT-012",
    group="cross-table",
    severity=Severity.FATAL,
    title=("财政拨款收入大于全部收入", "Fiscal appropriations exceed total revenue"),
    message=_MESSAGE_AT_MOST,
    basis="standards §2.3 X-12: 财政拨款收支总表本年收入合计 ≤ 收支总表本年收入合计"
    "（无财政专户、单位资金时相等）",
    fix="财政拨款是全部收入的一部分：核对两表的收入合计。",
    example=_example(
        relation="财政拨款收入合计 ≤ 收支总表收入合计",
        a_table="2021年财政拨款收支总表",
        a_cell="本年收入合计",
        a="12,357.83万元",
        b_table="2021年预算收支总表",
        b_cell="本年收入合计",
        b="12,347.83万元",
    ),
)
def fiscal_within_all(subject: Subject) -> Iterator[Hit]:
    fiscal_table = subject.table(FISCAL)
    summary = subject.table(INCOME_EXPENDITURE)
    a = Figure(
        fiscal_table, "本年收入合计", "", _num(_total_row(fiscal_table).values.get("income"))
    )
    b = Figure(summary, "本年收入合计", "", _num(_total_row(summary).values.get("income")))
    return _greater(subject, "财政拨款收入合计 ≤ 收支总表收入合计", a, b)


def _three_public_totals(table: Table) -> tuple[dict[str, Decimal], str]:
    """The department's 三公 figures: the 合计 row, or the single unit's row that stands for it."""
    total = table.total_row()
    if total is not None:
        return {k: _num(v) for k, v in total.values.items()}, total.name or "合计"
    summed: dict[str, Decimal] = {}
    for row in table.rows:
        for key, value in row.values.items():
            summed[key] = summed.get(key, ZERO) + _num(value)
    label = _row_label(table.rows[0]) if len(table.rows) == 1 else "合计"
    return summed, label


def _named_as_catalogued(subject: Subject, code: str, row: Row) -> bool:
    """The printed name is the catalogue's for that economic code (or not printed)."""
    official = subject.catalogs.department_economic.name(code)
    if not row.name or not official:
        return True
    printed, known = normalise_name(row.name), normalise_name(official)
    return printed in known or known in printed


@rule(
    "XT-013",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "基本支出经济科目大于“三公”经费表对应项目",
        "A basic-expenditure economic item exceeds its three-public item",
    ),
    message=_MESSAGE_AT_MOST,
    basis="standards §2.3 X-13: “三公”经费含基本支出和项目支出，故基本支出分经济科目表中对应的款"
    "（目录 expense_groups：因公出国（境）费用、公务接待费、公务用车运行维护费、公务用车购置，"
    "及会议费、培训费）≤ “三公”经费表对应项目；反之两表不能同时正确",
    fix="核对“三公”经费表与基本支出分经济科目表：“三公”经费应包括基本支出中安排的部分。",
    example=_example(
        relation="基本支出经济科目 ≤ “三公”经费表对应项目",
        a_table="一般公共预算安排基本支出分经济科目表",
        a_cell="30217 公务接待费 预算数",
        a="24.00万元",
        b_table="2021年“三公”经费预算表",
        b_cell="合计 公务接待费",
        b="22.05万元",
        difference="1.95万元",
    ),
)
def three_public_cover_basic(subject: Subject) -> Iterator[Hit]:
    economic = subject.table(BASIC_ECONOMIC)
    table = subject.table(THREE_PUBLIC)
    totals, row_text = _three_public_totals(table)
    keys = {c.key for c in table.columns}
    rows = _economic_rows(subject, economic)
    listed = {code for code, _row in rows if len(code) == 5}  # the 款 the table lists
    # a 类 with money but none of its 款 listed: the table does not go down to the items
    summary_only = {
        code for code, row in rows if len(code) == 3 and _num(row.values.get("amount"))
    } - {code[:3] for code in listed}
    hits: list[Hit] = []
    unverified: list[str] = []
    for key, group, item in three_public.ITEMS:
        if key not in keys:
            continue
        codes = expense_group_codes(group, item)
        coded = [(code, row) for code, row in rows if code in codes]
        # a row whose printed name is another item's (30212 printed as 退休人员活动费) cannot say
        # which of code and name is wrong: no contradiction is derived from its code alone
        matched = [(code, row) for code, row in coded if _named_as_catalogued(subject, code, row)]
        if coded and not matched:
            unverified.append(_label(table, key))
            continue
        if not matched:
            # no such 款: nothing of it in 基本支出, when the table lists the 款 of that 类;
            # a table that does not go down to them cannot show it, so it is not verified
            if totals.get(key) and any(code[:3] in summary_only for code in codes):
                unverified.append(_label(table, key))
            continue
        value = sum((_num(row.values.get("amount")) for _, row in matched), ZERO)
        label = "、".join(f"{code} {row.name}" for code, row in matched)
        a = Figure(economic, label, _label(economic, "amount"), value, len(matched))
        b = Figure(table, row_text, _label(table, key), totals.get(key, ZERO))
        hits += _greater(subject, "基本支出经济科目 ≤ “三公”经费表对应项目", a, b)
    if unverified and not hits:
        raise MissingData(
            f"无法核对 {'、'.join(unverified)}：{economic.title} 未列出对应的款 / could not "
            "verify: the economic table does not list the items"
        )
    return iter(hits)


def _operating_codes() -> frozenset[str]:
    """The economic 款 the catalogue counts as 机关运行经费 (公用经费 items of 302 and 310)."""
    return expense_group_codes("机关运行经费")


def _class_list(codes: Iterable[str]) -> str:
    return "、".join(sorted({code[:3] for code in codes}))


@rule(
    "XT-014",
    group="cross-table",
    severity=Severity.WARNING,
    title=(
        "机关运行经费与基本支出公用经费科目不一致",
        "Operating costs differ from the operating items of basic expenditure",
    ),
    message=(
        _MESSAGE[0] + "（预算明细的“基本支出类别”与经济科目不符：公用经费口径的科目标成了人员经费，"
        "或其他科目标成了公用经费）",
        _MESSAGE[1] + " (the lines' personnel/operating category disagrees with their economic "
        "codes)",
    ),
    basis="standards §1.5, §2.3 X-14: 机关运行经费 = 行政单位和参公事业单位财政拨款基本支出中的公用经费；"
    "按经济科目（目录 expense_groups 机关运行经费：302 商品和服务支出及 310 中的办公设备等）"
    "计算应与按“基本支出类别”计算的相同",
    fix="核对预算明细的“基本支出类别”：商品和服务支出等公用经费科目应标为“公用经费”，"
    "工资福利、对个人和家庭的补助应标为“人员经费”；或调整经济科目。",
    example=_example(
        relation="机关运行经费 = 机关（行政、参公）单位财政拨款基本支出中公用经费口径科目",
        a_table="2021年机关运行经费预算财政拨款情况统计表",
        a_cell="1040010 中共临汾市委组织部 2021年预算数",
        a="110.01万元",
        b_table="预算明细（budget_lines.csv）",
        b_cell="该单位基本支出 302、310 公用经费科目",
        b="120.64万元",
        difference="-10.63万元",
    ),
)
def operating_costs_match_lines(subject: Subject) -> Iterator[Hit]:
    return published_only(operating_cost_differences(subject))


@shared_per_subject  # XT-014 and DAT-006
def operating_cost_differences(subject: Subject) -> Iterator[tuple[Hit, bool]]:
    """XT-014's hits, each with whether every line whose 人员/公用 category disagrees with its
    economic code (what makes the difference) was split by choice: the category is then the
    dataset's, not a published fact."""
    facts = subject.need_facts()
    table = subject.table(OPERATING_COSTS)
    codes = _operating_codes()
    by_unit: dict[str, Decimal] = {}
    first_file = ""
    causes: list[bool] = []  # for each line whose category disagrees: was it chosen?
    for line in facts.lines:
        if line.is_basic and m.fiscal(line) and line.unit.kind.is_organ:
            operating = line.line.category is BasicCategory.OPERATING
            if operating is not (line.line.economic_code in codes):
                causes.append(is_chosen(line))
            if line.line.economic_code not in codes:
                continue
            by_unit[line.unit.code] = by_unit.get(line.unit.code, ZERO) + line.amount
            if not first_file and line.line.origin.row:
                first_file = line.line.origin.file
    names = {unit.code: unit.name for unit in facts.dataset.manifest.units}
    left = {row.code: _figure(table, row, "amount") for row in table.rows if row.code}
    left[""] = _total(table, "amount")
    right = {
        code: Figure(table, f"{code} {names.get(code, '')}".strip(), "", amount)
        for code, amount in by_unit.items()
    }
    right[""] = Figure(table, "合计", "", sum(by_unit.values(), ZERO))
    source = f"预算明细（{first_file or 'budget_lines.csv'}）"
    where = f"机关单位财政拨款基本支出 {_class_list(codes)} 中机关运行经费口径的款"
    relation = "机关运行经费 = 机关（行政、参公）单位财政拨款基本支出中公用经费口径科目"
    for hit in _by_code(subject, relation, left, right, table, table, lambda _code: ""):
        cell = str(hit.values["b_cell"]).removesuffix("（未列示）")
        values = {**hit.values, "b_table": source, "b_cell": f"{cell} {where}"}
        yield Hit(hit.location, values), bool(causes) and all(causes)


@rule(
    "XT-015",
    group="cross-table",
    severity=Severity.INFO,
    title=(
        "机关运行经费与基本支出分经济科目表的公用经费不同",
        "Operating costs differ from the operating items of the economic-class table",
    ),
    message=(
        "{relation}：{a_table}“{a_cell}”为 {a}，{b_table}“{b_cell}”为 {b}，相差 {difference}"
        "（公开文件没有人员/公用经费的拆分，此处以经济科目 {classes} 中机关运行经费口径的款作比较；"
        "事业单位的公用经费不计入机关运行经费，故差异可能合理）",
        "{relation}: {a_table} “{a_cell}” is {a}, {b_table} “{b_cell}” is {b}, difference "
        "{difference} (a document has no personnel/operating split, so the items of economic "
        "classes {classes} that count as operating costs are used; operating costs of public "
        "institutions (事业单位) are not 机关运行经费, so a difference may be legitimate)",
    ),
    basis="standards §1.5, §2.3 X-14 (GovBudgetChecker R009, B-011): 机关运行经费 ≈ 基本支出公用经费，"
    "仅行政、参公单位相等，故只作提示；数据集由 XT-014 按预算明细核对",
    fix="如差异来自事业单位的公用经费或发放到个人的福利费，可在说明中写明；否则核对两表。",
    example={
        "relation": "机关运行经费 ≈ 基本支出公用经费科目",
        "a_table": "2021年机关运行经费预算财政拨款情况统计表",
        "a_cell": "合计 2021年预算数",
        "a": "136.29万元",
        "b_table": "一般公共预算安排基本支出分经济科目表",
        "b_cell": "302、310 中机关运行经费口径的款",
        "b": "146.92万元",
        "difference": "-10.63万元",
        "classes": "302、310",
    },
)
def operating_costs_near_economic(subject: Subject) -> Iterator[Hit]:
    if subject.facts is not None:
        raise NotApplicable("数据集由 XT-014 按预算明细核对 / datasets are checked by XT-014")
    table = subject.table(OPERATING_COSTS)
    economic = subject.table(BASIC_ECONOMIC)
    codes = _operating_codes()
    value, terms = _economic_sum(subject, economic, codes)
    a = _total(table, "amount")
    classes = _class_list(codes)
    b = Figure(economic, f"{classes} 中机关运行经费口径的款", "", value, max(terms, 1))
    for hit in _unequal(subject, "机关运行经费 ≈ 基本支出公用经费科目", a, b):
        yield Hit(hit.location, {**hit.values, "classes": classes})


_FORMS = "项目支出绩效目标申报表"


def _forms_against_projects(subject: Subject, relation: str, at_most: bool) -> Iterator[Hit]:
    """Σ 年度资金总额 of the forms against the 支出汇总表's 项目支出 合计."""
    spending = subject.table(EXPENDITURE)
    forms = subject.need_forms()
    stated = Figure(
        spending,
        f"{len(forms)}个项目",
        "年度资金总额之和",
        sum((form.project.year_funds.total for form in forms), ZERO),
        len(forms),
    )
    projects = _total(spending, "project")
    compare = _greater if at_most else _unequal
    for hit in compare(subject, relation, stated, projects):
        yield Hit(_location(subject, projects), {**hit.values, "a_table": _FORMS})


@rule(
    "XT-016",
    group="cross-table",
    severity=Severity.WARNING,
    title=(
        "绩效目标表的项目资金之和大于项目支出",
        "Project forms add up to more than project expenditure",
    ),
    message=_MESSAGE_AT_MOST,
    basis="standards §2.3 X-15 (GovBudgetChecker BUD-T005, B-013): Σ 绩效目标申报表年度资金总额 ≤ "
    "支出汇总表项目支出合计",
    fix="核对各项目申报表的年度资金总额与支出汇总表的项目支出：申报表不应多于预算安排。",
    example=_example(
        relation="Σ 绩效目标表年度资金总额 ≤ 支出汇总表项目支出合计",
        a_table=_FORMS,
        a_cell="24个项目 年度资金总额之和",
        a="11,365.56万元",
        b_table="2021年预算支出汇总表",
        b_cell="合计 项目支出",
        b="11,355.56万元",
    ),
)
def forms_within_projects(subject: Subject) -> Iterator[Hit]:
    return _forms_against_projects(
        subject, "Σ 绩效目标表年度资金总额 ≤ 支出汇总表项目支出合计", at_most=True
    )


def _project_lines(subject: Subject) -> dict[str, tuple[Decimal, object]]:
    """Each project's budget lines: their sum and the origin of the first line."""
    dataset = subject.need_dataset()
    found: dict[str, tuple[Decimal, object]] = {}
    for line in dataset.lines:
        if line.project:
            amount, origin = found.get(line.project, (ZERO, line.origin))
            found[line.project] = (amount + line.amount, origin)
    return found


@rule(
    "XT-017",
    group="cross-table",
    severity=Severity.WARNING,
    title=(
        "绩效目标表的项目资金之和不等于项目支出",
        "Project forms do not add up to project expenditure",
    ),
    message=_MESSAGE,
    basis="standards §2.3 X-15: 每个项目都有绩效目标申报表时，Σ 年度资金总额 = 支出汇总表项目支出合计",
    fix="核对各项目申报表的年度资金总额：每个项目都申报了绩效目标，其年度资金之和应等于项目支出。",
    example=_example(
        relation="Σ 绩效目标表年度资金总额 = 支出汇总表项目支出合计",
        a_table=_FORMS,
        a_cell="24个项目 年度资金总额之和",
        a="11,345.56万元",
        b_table="2021年预算支出汇总表",
        b_cell="合计 项目支出",
        b="11,355.56万元",
        difference="-10.00万元",
    ),
)
def forms_equal_projects(subject: Subject) -> Iterator[Hit]:
    lines = _project_lines(subject)
    named = {form.project.name for form in subject.need_forms()}
    if set(lines) - named:
        raise NotApplicable("有项目没有绩效目标表（见 XT-018） / some projects have no form")
    return _forms_against_projects(
        subject, "Σ 绩效目标表年度资金总额 = 支出汇总表项目支出合计", at_most=False
    )


@rule(
    "XT-018",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "项目绩效目标表的年度资金与预算明细不一致",
        "A project form's funds differ from its budget lines",
    ),
    message=(
        "项目“{project}”：绩效目标申报表年度资金总额为 {form}，预算明细中该项目支出合计为 {lines}，"
        "相差 {difference}",
        "project “{project}”: the form's funds for the year are {form}, its budget lines add up "
        "to {lines}, difference {difference}",
    ),
    basis="standards §2.3 X-16: 绩效目标表中的每个项目都在项目支出中，金额相同；"
    "项目支出中的每个项目都有绩效目标表",
    fix="使申报表的年度资金总额等于该项目预算明细之和；没有预算的项目不应申报，"
    "有预算的项目应填报绩效目标表。",
    example={
        "project": "干部教育培训经费",
        "form": "200.00万元",
        "lines": "190.00万元",
        "difference": "10.00万元",
    },
)
def forms_match_lines(subject: Subject) -> Iterator[Hit]:
    lines = _project_lines(subject)
    if not lines and not subject.forms:
        raise NotApplicable("没有项目支出 / no projects")
    seen = set()
    for form in subject.forms:
        project = form.project
        seen.add(project.name)
        amount, _origin = lines.get(project.name, (ZERO, None))
        stated = project.year_funds.total
        if stated != amount:
            yield Hit(
                project_location(project, "年度资金总额"),
                {
                    "project": project.name,
                    "form": money(stated),
                    "lines": money(amount) if project.name in lines else "无（没有预算明细）",
                    "difference": money(stated - amount),
                },
            )
    for name, (amount, line_origin) in lines.items():
        if name in seen:
            continue
        file = getattr(line_origin, "file", "")
        row = getattr(line_origin, "row", 0)
        yield Hit(
            Location(project=name, file=file if row else "", line=row),
            {
                "project": name,
                "form": "无（没有绩效目标申报表）",
                "lines": money(amount),
                "difference": money(-amount),
            },
        )


def _kind_word(key: str) -> str:
    """The word a note uses for a budget kind: 一般公共 / 政府性基金 / 国有资本经营."""
    source = funding_source(key)
    kind = source.budget_kind if source is not None else key
    return kind.removesuffix("预算")


@rule(
    "XT-019",
    group="cross-table",
    severity=Severity.WARNING,
    title=("空表说明与表中金额不符", "Empty-table note does not fit the table"),
    message=("{table}：{problem}", "{table}: {problem_en}"),
    basis="standards §1.3, §2.3 X-17 (GovBudgetChecker BUD-106, B-014): 没有该项资金的表应列出空表并说明"
    "（如“本部门2021年无政府性基金预算拨款安排的支出，故本表为空表”）；有金额的表不得有此说明；"
    "说明应写对资金性质",
    fix="无金额的表在表下注明“本部门××年无……预算拨款安排的支出，故本表为空表”；有金额的表删去该说明；"
    "说明中的资金性质应与表名一致。",
    example={
        "table": "2021年国有资本经营预算支出预算表",
        "problem": "表中没有金额，但没有“本表为空表”的说明",
        "problem_en": "the table has no amounts but no note saying it is empty",
    },
)
def empty_table_notes(subject: Subject) -> Iterator[Hit]:
    present = [t for t in EMPTY_NOTE_TABLES if t in subject.tables]
    if not present:
        raise MissingData("缺少一般公共预算、政府性基金、国有资本经营预算支出表 / tables missing")
    # any other table (三公, 机关运行经费, 政府采购 …) must not call itself empty while it has money
    for table_id, table in subject.tables.items():
        notes = [n for n in table.notes if EMPTY_NOTE.search(n)]
        if table_id not in EMPTY_NOTE_TABLES and notes and not table.is_empty():
            yield Hit(
                Location(table=table.title, page=subject.pages.get(table_id, 0)),
                {
                    "table": table.title,
                    "problem": f"表中有金额，却注明“{notes[0]}”",
                    "problem_en": f"the table has amounts but a note says it is empty: {notes[0]}",
                },
            )
    words = {key: _kind_word(key) for key in set(EMPTY_NOTE_TABLES.values())}
    for table_id in present:
        table = subject.tables[table_id]
        own = words[EMPTY_NOTE_TABLES[table_id]]
        notes = [n for n in table.notes if EMPTY_NOTE.search(n)]
        location = Location(table=table.title, page=subject.pages.get(table_id, 0))
        if table.is_empty() and not notes:
            yield Hit(
                location,
                {
                    "table": table.title,
                    "problem": f"表中没有金额，但没有“本表为空表”的说明（应写明无{own}预算拨款）",
                    "problem_en": "the table has no amounts but no note saying it is empty",
                },
            )
        elif not table.is_empty() and notes:
            yield Hit(
                location,
                {
                    "table": table.title,
                    "problem": f"表中有金额，却注明“{notes[0]}”",
                    "problem_en": f"the table has amounts but a note says it is empty: {notes[0]}",
                },
            )
        for note in notes:
            others = [w for w in words.values() if w != own and w in note]
            if others and own not in note:
                yield Hit(
                    location,
                    {
                        "table": table.title,
                        "problem": f"空表说明“{note}”写的是{others[0]}，本表是{own}预算的表",
                        "problem_en": f"the empty-table note names {others[0]}, not {own}",
                    },
                )


# --- XT-021: one unit, one name -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Printed:
    """A unit's name as printed somewhere: the table or form, the row, the name."""

    where: str
    row: str
    name: str
    table_id: str = ""


def _unit_names(subject: Subject) -> dict[str, dict[str, list[_Printed]]]:
    """Every unit code printed with a name: code -> normalised name -> where printed.

    Rows that carry 单位编码/单位名称 (三公经费表, 政府采购表), the rows of a 机关运行经费表 listed by
    unit (a code that is no economic code), and the 主管部门及代码 of each project form."""
    found: dict[str, dict[str, list[_Printed]]] = {}
    economic = subject.catalogs.department_economic

    def add(code: object, name: object, printed: _Printed) -> None:
        if isinstance(code, str) and isinstance(name, str) and code.strip() and name.strip():
            names = found.setdefault(code.strip(), {})
            names.setdefault(_normal(name), []).append(printed)

    for table in subject.tables.values():
        for row in table.rows:
            if "unit_code" in row.values:
                name = row.values.get("unit_name")
                where = _Printed(table.title, _row_label(row), str(name).strip(), table.id)
                add(row.values.get("unit_code"), name, where)
            elif table.id == OPERATING_COSTS and row.code and economic.get(row.code) is None:
                add(row.code, row.name, _Printed(table.title, _row_label(row), row.name, table.id))
    for form in subject.forms:
        project = form.project
        where = _Printed(
            f"项目“{project.name}”的申报表", "主管部门及代码", project.department.strip()
        )
        add(project.department_code, project.department, where)
    return found


@rule(
    "XT-021",
    group="cross-table",
    severity=Severity.WARNING,
    title=("同一单位编码在各表中名称不同", "One unit code printed with different names"),
    message=(
        "单位编码 {code} 在各表中的名称不同：{names}",
        "unit code {code} is printed with different names: {names}",
    ),
    basis="预算单位编码唯一对应一个单位（预算管理一体化 单位信息）；同一编码在不同表中名称不同，"
    "说明编码或名称有一处录入错误",
    fix="核对单位编码和单位名称，各表使用同一个规范名称。",
    example={
        "code": "104001",
        "names": "政府采购预算资金明细表“中共临汾市委组织部”、2021年“三公”经费预算表“临汾市委组织部”",
    },
)
def one_name_per_unit(subject: Subject) -> Iterator[Hit]:
    units = _unit_names(subject)
    if not units:
        raise NotApplicable("没有按单位列示的表 / no table lists units")
    for code, names in units.items():
        if len(names) < 2:
            continue
        places = [where[0] for where in names.values()]
        first = next((p for p in places if p.table_id), places[0])
        yield Hit(
            Location(
                table=first.where if first.table_id else "",
                row=first.row if first.table_id else "",
                column="单位名称" if first.table_id else "",
                field="" if first.table_id else f"{first.where} {first.row}",
                page=subject.pages.get(first.table_id, 0),
            ),
            {"code": code, "names": "、".join(f"{p.where}“{p.name}”" for p in places)},
        )
