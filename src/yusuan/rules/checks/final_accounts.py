"""部门决算 (final accounts): the rules a 决算 needs beyond those of a 预算 (ids FA-0xx).

The 决算 tables (``…-final``, ``audit/final_accounts.py``) add up like their 预算 counterparts, so
ARITH-001…006 check their totals at every level. What only a 决算 has:

- carry-overs: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, and each 总计 = its parts
  (FA-001, FA-002); the basic-expenditure table's 人员经费合计 and 公用经费合计 (FA-003);
- the same figure in several 决算 tables (FA-010 … FA-012, as XT-* for a 预算);
- the narrative's 决算数 against 年初预算数/全年预算数, 科目 by 科目: the figures as in the table,
  the completion rate, the stated 大于/小于/持平 and its reason (FA-020 … FA-022).

Figures of a published document are rounded for display: a difference within the rounding of
the figures involved (``Subject.tolerance``) is not reported. A blank cell of a printed line is
zero (the templates leave zero blank); a line or column the document does not print makes the
rule "could not run", never "passed". On a dataset or a 预算 document the rules do not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from decimal import Decimal

from yusuan.audit.final_accounts import (
    BudgetStatement,
    budget_statements,
    figure_cell,
    is_final,
    labels,
    section_at,
    section_starts,
)
from yusuan.audit.narrative import ADJUSTED, COMPLETED, FINAL, INITIAL, StatedFigure
from yusuan.audit.recognise import label, vocabulary
from yusuan.catalog.loader import PERSONNEL_CLASSES
from yusuan.rules.base import (
    Hit,
    Location,
    MissingData,
    NotApplicable,
    Severity,
    excerpt,
    money,
    rule,
)
from yusuan.rules.checks.arithmetic import Balance, _hits, three_public_balances
from yusuan.rules.checks.cross_table import _MESSAGE as _XT_MESSAGE
from yusuan.rules.checks.cross_table import _MESSAGE_AT_MOST as _XT_MESSAGE_AT_MOST
from yusuan.rules.checks.cross_table import (
    Figure,
    _by_code,
    _class_rows,
    _coded_and_total,
    _greater,
    _income_column,
    _unequal,
)
from yusuan.rules.checks.narrative import pct, percent_half, ratio_range
from yusuan.rules.subject import Subject
from yusuan.tables.base import TOTAL, Row, Table

ZERO = Decimal(0)

SUMMARY = "income-expenditure-final"
INCOME = "income-final"
EXPENDITURE = "expenditure-final"
FISCAL = "fiscal-final"
GENERAL = "general-budget-final"
BASIC = "basic-economic-final"
FUND = "fund-final"
STATE_CAPITAL = "state-capital-final"
THREE_PUBLIC = "three-public-final"
# the 决算 收入支出 tables by 功能分类 with carry-over columns
CARRY_TABLES = (FUND, STATE_CAPITAL)
NARRATIVE_FILE = "情况说明"


# --- reading ---------------------------------------------------------------------------------


def need_final(subject: Subject) -> None:
    """The rules of this module concern a 决算 only."""
    if not any(is_final(t) for t in subject.tables):
        raise NotApplicable("不是决算 / not a 决算 (final accounts)")


def final_tables(subject: Subject, ids: Sequence[str]) -> list[Table]:
    """The 决算 tables among ``ids`` that the document has; none at all: could not run."""
    need_final(subject)
    found = [subject.tables[t] for t in ids if t in subject.tables]
    if not found:
        raise MissingData(f"缺少表 {', '.join(ids)} / tables missing")
    return found


def num(row: Row | None, key: str) -> Decimal:
    """A cell of a printed line; blank is zero (the templates leave zero blank)."""
    value = row.values.get(key) if row is not None else None
    return value if isinstance(value, Decimal) else ZERO


def has_column(table: Table, key: str) -> bool:
    return any(c.key == key for c in table.columns)


def need_columns(table: Table, *keys: str) -> None:
    missing = [k for k in keys if not has_column(table, k)]
    if missing:
        raise MissingData(
            f"{table.title} 未列示（或未读出）{', '.join(missing)} 列 / "
            f"{table.id} does not print the column(s) {', '.join(missing)}"
        )


def summary_line(table: Table, group: str, side: str) -> Row | None:
    """The line after the totals that the data names (``group``: opening, closing, …) on one
    side of a two-sided summary (``income``: the income label, ``expenditure``: the 支出 label)."""
    names = labels("rows", group)
    for row in table.rows:
        if row.kind != TOTAL or row.level:
            continue
        text = row.values.get("income_item") if side == "income" else row.name
        if isinstance(text, str) and label(text) in names:
            return row
    return None


def opening_parts(table: Table) -> list[Row]:
    """The lines printed under 年初…结转和结余 (一、一般公共预算财政拨款 …): its parts."""
    opening = summary_line(table, "opening", "income")
    if opening is None:
        return []
    rows = list(table.rows)
    parts = []
    for row in rows[rows.index(opening) + 1 :]:
        if row.level != 1:
            break
        parts.append(row)
    return parts


def need_line(table: Table, group: str, side: str, what: str) -> Row:
    row = summary_line(table, group, side)
    if row is None:
        raise MissingData(f"{table.title} 没有“{what}”行 / {table.id} prints no {group} line")
    return row


# --- FA-001 / FA-002: carry-overs and 总计 -----------------------------------------------------


def _spend_keys(table: Table) -> list[str]:
    """The 支出 columns of a summary: 决算数, or 合计 and each 财政拨款 column."""
    return [
        k
        for k in ("expenditure", "subtotal", "general", "fund", "state_capital")
        if has_column(table, k)
    ]


def summary_carry_balances(table: Table) -> Iterator[Balance]:
    """年初结转和结余 + 本年收入合计 (+ 使用非财政拨款结余) − 本年支出合计 (− 结余分配) =
    年末结转和结余: in the 合计 column, and in each 财政拨款 column where the 年初 line is
    broken down by budget (一、一般公共预算财政拨款 …)."""
    total = table.total_row()
    if total is None:
        raise MissingData(f"{table.title} 没有合计行 / {table.id} has no total line")
    opening = need_line(table, "opening", "income", "年初结转和结余")
    closing = need_line(table, "closing", "expenditure", "年末结转和结余")
    used = summary_line(table, "balance_used", "income")
    distributed = summary_line(table, "distribution", "expenditure")
    keys = _spend_keys(table)
    if not keys or not has_column(table, "income"):
        raise MissingData(f"{table.title} 没有读出收入、支出金额列 / {table.id}: no amount columns")
    spend = keys[0]
    relation = "年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余"
    parts = [num(opening, "income"), num(total, "income"), -num(total, spend)]
    if used is not None:
        parts.append(num(used, "income"))
    if distributed is not None:
        parts.append(-num(distributed, spend))
    yield Balance(table, closing, spend, num(closing, spend), tuple(parts), relation)
    by_source = {
        _income_column(str(r.values.get("income_item") or "")): r for r in opening_parts(table)
    }
    income_lines = {
        _income_column(str(r.values.get("income_item") or "")): r
        for r in table.rows
        if r.kind != TOTAL and r.values.get("income_item")
    }
    for key in ("general", "fund", "state_capital"):
        if key in keys and key in by_source:
            source = (
                num(by_source[key], "income"),
                num(income_lines.get(key), "income"),
                -num(total, key),
            )
            yield Balance(table, closing, key, num(closing, key), source, relation)


def carry_table_balances(table: Table) -> Iterator[Balance]:
    """Per line of a 收入支出决算表 by 功能分类: 年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余."""
    need_columns(table, "opening", "income", "expenditure_total", "closing")
    relation = "年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余"
    for row in table.rows:
        parts = (num(row, "opening"), num(row, "income"), -num(row, "expenditure_total"))
        yield Balance(table, row, "closing", num(row, "closing"), parts, relation)


def balances_of(
    subject: Subject, ids: Sequence[str], make: Callable[[Table], Iterable[Balance]]
) -> list[Balance]:
    """The balances of each of these 决算 tables the document has; could not run when no table
    gives any (each table's reason said), passed on those that do."""
    found: list[Balance] = []
    reasons: list[str] = []
    for table in final_tables(subject, ids):
        try:
            found.extend(make(table))
        except MissingData as missing:
            reasons.append(str(missing))
    if not found and reasons:
        raise MissingData("；".join(reasons))
    return found


_MESSAGE = (
    "{relation} 不成立：表中为 {stated}，各项相加为 {parts}，相差 {difference}",
    "{relation} does not hold: stated {stated}, parts add up to {parts}, difference {difference}",
)
_EXAMPLE = {
    "relation": "年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余",
    "stated": "35.00万元",
    "parts": "25.00万元",
    "difference": "10.00万元",
}


@rule(
    "FA-001",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("结转和结余不衔接", "Carry-overs do not reconcile"),
    message=_MESSAGE,
    basis="部门决算表式（财政部、上海市部门决算公开样张）：年初结转和结余 + 本年收入 − 本年支出 "
    "= 年末结转和结余（收入支出决算总表；财政拨款收入支出决算总表的合计及各财政拨款列）",
    fix="核对年初结转和结余、本年收入、本年支出与年末结转和结余，改正录入或汇总错误。",
    example=_EXAMPLE,
)
def carry_overs_reconcile(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances_of(subject, (SUMMARY, FISCAL), summary_carry_balances))


@rule(
    "FA-005",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("科目结转和结余不衔接", "Carry-overs of a 科目 do not reconcile"),
    message=_MESSAGE,
    basis="部门决算表式：政府性基金预算、国有资本经营预算财政拨款收入支出决算表每一行 年初结转和结余 "
    "+ 本年收入 − 本年支出 = 年末结转和结余",
    fix="核对该科目的年初结转和结余、本年收入、本年支出与年末结转和结余。",
    example={**_EXAMPLE, "stated": "1.00万元", "parts": "2.00万元", "difference": "-1.00万元"},
)
def carry_overs_reconcile_by_code(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances_of(subject, CARRY_TABLES, carry_table_balances))


def grand_total_balances(table: Table) -> Iterator[Balance]:
    """收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余; 支出总计 = 本年支出合计 +
    结余分配 + 年末结转和结余; 收入总计 = 支出总计; 年初结转和结余 = Σ 其下各项."""
    total = table.total_row()
    grand = need_line(table, "grand_total", "income", "总计")
    if total is None:
        raise MissingData(f"{table.title} 没有合计行 / {table.id} has no total line")
    keys = _spend_keys(table)
    opening = summary_line(table, "opening", "income")
    closing = summary_line(table, "closing", "expenditure")
    used = summary_line(table, "balance_used", "income")
    distributed = summary_line(table, "distribution", "expenditure")
    income = [num(total, "income"), *(num(r, "income") for r in (used, opening) if r is not None)]
    yield Balance(
        table,
        grand,
        "income",
        num(grand, "income"),
        tuple(income),
        "收入总计 = 本年收入合计 + 结余 + 年初结转和结余",
    )
    for key in keys:
        spend = [num(total, key), *(num(r, key) for r in (distributed, closing) if r is not None)]
        yield Balance(
            table,
            grand,
            key,
            num(grand, key),
            tuple(spend),
            "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
        )
    if keys:
        yield Balance(
            table,
            grand,
            "income",
            num(grand, "income"),
            (num(grand, keys[0]),),
            "收入总计 = 支出总计",
        )
    parts = opening_parts(table)
    if opening is not None and parts:
        below = tuple(num(r, "income") for r in parts)
        yield Balance(
            table, opening, "income", num(opening, "income"), below, "年初结转和结余 = Σ 其中各项"
        )


@rule(
    "FA-002",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("决算总表总计不平", "The grand totals of a 决算 summary do not add up"),
    message=_MESSAGE,
    basis="部门决算表式：收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余；支出总计 = "
    "本年支出合计 + 结余分配 + 年末结转和结余；收入总计 = 支出总计",
    fix="核对总计行与其组成各行，改正录入或汇总错误。",
    example={**_EXAMPLE, "relation": "收入总计 = 支出总计"},
)
def grand_totals_add_up(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances_of(subject, (SUMMARY, FISCAL), grand_total_balances))


# --- FA-003: 人员经费合计 / 公用经费合计 -----------------------------------------------------------


def _is_personnel(code: str) -> bool:
    return code in PERSONNEL_CLASSES


def _is_operating(code: str) -> bool:
    return code not in PERSONNEL_CLASSES


def economic_footer_balances(table: Table) -> list[Balance]:
    classes = [r for r in table.rows if r.level == 1 and len(r.code) == 3]
    footers = (
        ("personnel_total", _is_personnel, "人员经费合计 = Σ 工资福利支出、对个人和家庭的补助"),
        ("operating_total", _is_operating, "公用经费合计 = Σ 其他经济分类类"),
    )
    found = []
    for key, belongs, relation in footers:
        members = [r for r in classes if belongs(r.code)]
        if not members:  # its 类 are not printed (or not read): nothing to add up, not zero
            continue
        for footer in (
            r for r in table.rows if r.level == 0 and label(r.name) in labels("economic", key)
        ):
            parts = tuple(num(r, "amount") for r in members)
            found.append(Balance(table, footer, "amount", num(footer, "amount"), parts, relation))
    if not found:
        raise MissingData(
            f"{table.title} 没有人员经费合计、公用经费合计行及其经济分类类 / "
            "no 人员经费/公用经费 footers with their classes"
        )
    return found


@rule(
    "FA-003",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("人员经费合计、公用经费合计不平", "人员经费/公用经费 totals do not add up"),
    message=_MESSAGE,
    basis="部门决算表式（一般公共预算财政拨款基本支出决算表）：人员经费合计 = 工资福利支出 + "
    "对个人和家庭的补助；公用经费合计 = 商品和服务支出 + 资本性支出等",
    fix="核对人员经费合计、公用经费合计与各经济分类类的金额。",
    example={**_EXAMPLE, "relation": "人员经费合计 = Σ 工资福利支出、对个人和家庭的补助"},
)
def economic_footers_add_up(subject: Subject) -> Iterator[Hit]:
    (table,) = final_tables(subject, (BASIC,))
    return _hits(subject, economic_footer_balances(table))


# --- FA-004: the 三公 table's 预算数 columns ------------------------------------------------------


def budget_view(table: Table) -> Table:
    """The 三公 table's 预算数 columns under the keys of its 决算数 columns (budget_abroad ->
    abroad), so that they add up by the same relations (``three_public_balances``)."""
    budget = [c for c in table.columns if c.key.startswith("budget_")]
    columns = tuple(replace(c, key=c.key.removeprefix("budget_")) for c in budget)
    rows = tuple(
        replace(
            r,
            values={
                k.removeprefix("budget_"): v for k, v in r.values.items() if k.startswith("budget_")
            },
        )
        for r in table.rows
    )
    return replace(table, columns=columns, rows=rows)


@rule(
    "FA-004",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("“三公”经费预算数合计不平", "The 预算数 of the 三公 决算 table do not add up"),
    message=_MESSAGE,
    basis="部门决算表式（财政拨款“三公”经费支出决算表）：预算数与决算数各自 合计 = 因公出国(境)费 + "
    "公务用车购置及运行维护费 + 公务接待费，公务用车小计 = 购置费 + 运行维护费（决算数由 ARITH-004 核对）",
    fix="核对“三公”经费预算数各列。",
    example={**_EXAMPLE, "relation": "合计 = 因公出国(境)费 + 公务接待费 + 公务用车费"},
)
def three_public_budget_adds_up(subject: Subject) -> Iterator[Hit]:
    (table,) = final_tables(subject, (THREE_PUBLIC,))
    need_columns(table, "budget_total")
    return _hits(subject, list(three_public_balances(budget_view(table))))


# --- FA-010 … FA-012: the same figure in several 决算 tables ---------------------------------


def _pair(subject: Subject, a: str, b: str) -> tuple[Table, Table]:
    need_final(subject)
    return subject.table(a), subject.table(b)


def _line_figure(table: Table, row: Row, key: str, text: str) -> Figure:
    return Figure(table, text, "", num(row, key))


def _cell(table: Table, row: Row, key: str) -> Figure:
    column = next((c.label for c in table.columns if c.key == key), key)
    return Figure(table, f"{row.code} {row.name}".strip(), column, num(row, key))


def _total_of(table: Table) -> Row:
    row = table.total_row()
    if row is None:
        raise MissingData(f"{table.title} 没有合计行 / {table.id} has no total line")
    return row


_XT_EXAMPLE = {
    "relation": "收入支出决算总表本年支出合计 = 支出决算表合计",
    "a_table": "收入支出决算总表",
    "a_cell": "本年支出合计",
    "a": "307.82万元",
    "b_table": "支出决算表",
    "b_cell": "合计 本年支出合计",
    "b": "297.82万元",
    "difference": "10.00万元",
}
_XT_FIX = "两表反映的是同一笔决算资金；核对两处金额，改正录入、汇总或转录错误。"


@rule(
    "FA-010",
    group="cross-table",
    severity=Severity.FATAL,
    title=(
        "收入支出决算总表与收入、支出决算表不一致",
        "The 决算 summary differs from the income or expenditure table",
    ),
    message=_XT_MESSAGE,
    basis="部门决算表式：收入支出决算总表本年收入合计 = 收入决算表合计；本年支出合计 = 支出决算表合计；"
    "各功能分类类 = 支出决算表该类（同预算 X-1…X-3）",
    fix=_XT_FIX,
    example=_XT_EXAMPLE,
)
def summary_agrees_with_tables(subject: Subject) -> Iterator[Hit]:
    need_final(subject)
    summary = subject.table(SUMMARY)
    total = _total_of(summary)
    hits: list[Hit] = []
    found = False
    if INCOME in subject.tables:
        found = True
        income = subject.tables[INCOME]
        stated = _line_figure(summary, total, "income", "本年收入合计")
        hits += _unequal(
            subject,
            "收入支出决算总表本年收入合计 = 收入决算表合计",
            stated,
            _cell(income, _total_of(income), "total"),
        )
    if EXPENDITURE in subject.tables:
        found = True
        spending = subject.tables[EXPENDITURE]
        stated = _line_figure(summary, total, "expenditure", "本年支出合计")
        hits += _unequal(
            subject,
            "收入支出决算总表本年支出合计 = 支出决算表合计",
            stated,
            _cell(spending, _total_of(spending), "total"),
        )
        left = {
            c: Figure(f.table, f.row, "", f.value)
            for c, f in _class_rows(subject, summary, "expenditure").items()
        }
        right = {c: f for c, f in _coded_and_total(spending, "total").items() if len(c) == 3}
        hits += _by_code(
            subject, "收入支出决算总表类 = 支出决算表类", left, right, summary, spending
        )
    if not found:
        raise MissingData(f"缺少表 {INCOME}, {EXPENDITURE} / tables missing")
    return iter(hits)


def _income_sources(table: Table) -> dict[str, list[Row]]:
    """The income lines of a summary by the 收入决算表 column they fall in: 财政拨款收入 (the
    three 财政拨款 lines), or the column whose printed label the line names."""
    found: dict[str, list[Row]] = {}
    for row in table.rows:
        item = row.values.get("income_item")
        if row.kind == TOTAL or not isinstance(item, str) or not item.strip():
            continue
        column = _income_column(item)
        found.setdefault(
            "fiscal_income" if column in ("general", "fund", "state_capital") else label(item), []
        ).append(row)
    return found


@rule(
    "FA-011",
    group="cross-table",
    severity=Severity.FATAL,
    title=("各项收入在决算各表不一致", "Income by source differs between 决算 tables"),
    message=_XT_MESSAGE,
    basis="部门决算表式：收入支出决算总表各项收入 = 收入决算表合计行该列；财政拨款收入 = "
    "财政拨款收入支出决算总表本年收入合计",
    fix=_XT_FIX,
    example={**_XT_EXAMPLE, "relation": "同一来源的本年收入各表相等", "a_cell": "五、事业收入"},
)
def income_sources_agree(subject: Subject) -> Iterator[Hit]:
    need_final(subject)
    income = subject.table(INCOME)
    total = _total_of(income)
    relation = "同一来源的本年收入各表相等"
    hits: list[Hit] = []
    compared = False
    if SUMMARY in subject.tables:
        summary = subject.tables[SUMMARY]
        lines = _income_sources(summary)
        for column in income.columns:
            rows = lines.get("fiscal_income" if column.key == "fiscal_income" else "", [])
            if column.key != "fiscal_income":
                rows = next(
                    (
                        r
                        for name, r in lines.items()
                        if name.endswith(label(column.label)) and column.label
                    ),
                    [],
                )
            if not rows or column.key in ("code", "name", "total"):
                continue
            compared = True
            value = sum((num(r, "income") for r in rows), ZERO)
            text = "、".join(str(r.values.get("income_item")) for r in rows)
            stated = Figure(summary, text, "", value, len(rows))
            hits += _unequal(subject, relation, stated, _cell(income, total, column.key))
    if FISCAL in subject.tables and has_column(income, "fiscal_income"):
        compared = True
        fiscal = subject.tables[FISCAL]
        stated = _line_figure(fiscal, _total_of(fiscal), "income", "本年收入合计")
        hits += _unequal(subject, relation, _cell(income, total, "fiscal_income"), stated)
    if not compared:
        raise MissingData("没有可对照的收入来源 / no income source printed in two tables")
    return iter(hits)


@rule(
    "FA-012",
    group="cross-table",
    severity=Severity.FATAL,
    title=("财政拨款决算与分表不一致", "The 财政拨款 summary differs from the tables by budget"),
    message=_XT_MESSAGE,
    basis="部门决算表式：财政拨款收入支出决算总表一般公共预算财政拨款支出 = 一般公共预算财政拨款支出"
    "决算表（合计及各类）；政府性基金、国有资本经营预算列 = 其收入支出决算表本年支出合计；"
    "一般公共预算财政拨款基本支出 = 基本支出决算表人员经费合计 + 公用经费合计",
    fix=_XT_FIX,
    example={
        **_XT_EXAMPLE,
        "relation": "财政拨款决算总表一般公共预算列 = 一般公共预算财政拨款支出决算表",
    },
)
def fiscal_agrees_with_tables(subject: Subject) -> Iterator[Hit]:
    need_final(subject)
    hits: list[Hit] = []
    compared = False
    fiscal = subject.tables.get(FISCAL)
    general = subject.tables.get(GENERAL)
    if fiscal is not None and general is not None and has_column(fiscal, "general"):
        compared = True
        left = {
            c: Figure(f.table, f.row, "", f.value)
            for c, f in _class_rows(subject, fiscal, "general").items()
        }
        left[""] = _line_figure(
            fiscal, _total_of(fiscal), "general", "本年支出合计 一般公共预算财政拨款"
        )
        right = {c: f for c, f in _coded_and_total(general, "total").items() if len(c) in (0, 3)}
        hits += _by_code(
            subject,
            "财政拨款决算总表一般公共预算列 = 一般公共预算财政拨款支出决算表",
            left,
            right,
            fiscal,
            general,
        )
    for key, table_id in (("fund", FUND), ("state_capital", STATE_CAPITAL)):
        other = subject.tables.get(table_id)
        if (
            fiscal is None
            or other is None
            or not has_column(fiscal, key)
            or not has_column(other, "expenditure_total")
        ):
            continue
        compared = True
        stated = _cell(fiscal, _total_of(fiscal), key)
        hits += _unequal(
            subject,
            "财政拨款决算总表该列 = 该预算收入支出决算表本年支出",
            stated,
            _cell(other, _total_of(other), "expenditure_total"),
        )
    basic = subject.tables.get(BASIC)
    if general is not None and basic is not None and has_column(general, "basic"):
        footers = [
            r
            for r in basic.rows
            if r.level == 0
            and label(r.name)
            in labels("economic", "personnel_total") | labels("economic", "operating_total")
        ]
        if footers:
            compared = True
            value = sum((num(r, "amount") for r in footers), ZERO)
            stated = Figure(basic, "人员经费合计 + 公用经费合计", "", value, len(footers))
            hits += _unequal(
                subject,
                "基本支出决算表人员经费 + 公用经费 = 一般公共预算财政拨款基本支出",
                stated,
                _cell(general, _total_of(general), "basic"),
            )
    if not compared:
        raise MissingData("缺少可对照的财政拨款决算表 / no two 财政拨款 tables to compare")
    return iter(hits)


@rule(
    "FA-013",
    group="cross-table",
    severity=Severity.FATAL,
    title=("一般公共预算财政拨款支出超过支出决算", "General-budget spending exceeds all spending"),
    message=_XT_MESSAGE_AT_MOST,
    basis="部门决算表式：一般公共预算财政拨款支出是支出决算表所列支出的一部分，每个科目的合计、"
    "基本支出、项目支出都不超过支出决算表",
    fix="核对该科目在两表中的金额：一般公共预算财政拨款支出不能多于全部支出。",
    example={
        **_XT_EXAMPLE,
        "relation": "一般公共预算财政拨款支出 ≤ 支出决算表",
        "a_table": "一般公共预算财政拨款支出决算表",
        "a_cell": "2013901 行政运行 合计",
        "b_cell": "2013901 行政运行 本年支出合计",
    },
)
def general_within_expenditure(subject: Subject) -> Iterator[Hit]:
    general, spending = _pair(subject, GENERAL, EXPENDITURE)
    relation = "一般公共预算财政拨款支出 ≤ 支出决算表"
    hits: list[Hit] = []
    for key in ("total", "basic", "project"):
        if not (has_column(general, key) and has_column(spending, key)):
            continue
        right = _coded_and_total(spending, key)
        for code, figure in _coded_and_total(general, key).items():
            other = right.get(code)
            if other is not None:
                hits += _greater(subject, relation, figure, other)
            elif figure.value:
                hits += _greater(
                    subject, relation, figure, Figure(spending, f"{code}（未列示）", "", ZERO)
                )
    return iter(hits)


# --- FA-020 … FA-022: the narrative's budget against outturn -----------------------------------


def statements(subject: Subject) -> list[BudgetStatement]:
    need_final(subject)
    if not subject.narrative_lines:
        raise NotApplicable("没有情况说明 / no narrative")
    found = budget_statements(subject.narrative_lines, subject.narrative)
    if not found:
        raise NotApplicable(
            "情况说明没有陈述预算数与决算数 / the narrative states no budget against outturn"
        )
    return found


def _where(
    statement: BudgetStatement, table: str = "", row: str = "", column: str = ""
) -> Location:
    return Location(
        table=table,
        row=row,
        column=column,
        field=f"“{excerpt(statement.text, 40)}”",
        file=NARRATIVE_FILE,
        line=statement.line,
        page=statement.page,
    )


def _subject_of(statement: BudgetStatement) -> str:
    """The 科目 a statement is about; for the overall statement, its table's 合计."""
    if statement.function is not None:
        return statement.function.describe()
    if statement.table:
        return f"{vocabulary().spec(statement.table).name}合计"
    return "合计"


def statement_row(table: Table, statement: BudgetStatement) -> Row | None:
    """The table row a statement is about: the total for the overall statement, else the row
    whose name is the 科目 named last, under the 类 named first (a name cut short matches)."""
    if statement.function is None:  # the total, or the one line of a table without one (三公)
        return table.total_row() or (table.rows[0] if len(table.rows) == 1 else None)
    ref = statement.function
    if ref.code:
        return table.row(ref.code)
    if not ref.names:
        return None
    level = {"类": 1, "款": 2, "项": 3}.get(ref.names[-1][0], 0)
    wanted = label(ref.names[-1][1])
    top = label(ref.names[0][1]) if ref.names[0][0] == "类" else ""
    classes = {r.code: label(r.name) for r in table.rows if r.level == 1}
    found = [
        r
        for r in table.rows
        if r.level == level
        and label(r.name) == wanted
        and (not top or classes.get(r.code[:3], top) == top)
    ]
    return found[0] if len(found) == 1 else None


# The cell a statement's outturn and budgets are, by the table its section explains.
OUTTURN_KEYS = {
    GENERAL: "total",
    FUND: "expenditure_total",
    STATE_CAPITAL: "expenditure_total",
    THREE_PUBLIC: "total",
}
# the 三公 table's 预算数 is the 年初预算 its narrative states ("年初预算为…，完成预算的…")
BUDGET_KEYS = {"full": ("budget_full",), "initial": ("budget_initial", "budget_total")}


def _stated_cells(
    statement: BudgetStatement, table: Table, row: Row
) -> Iterator[tuple[str, Decimal, Decimal, str]]:
    """(what, stated, printed in the table, column key) for the outturn and each budget the
    statement states and the table prints."""
    outturn_key = OUTTURN_KEYS[table.id]
    if statement.outturn is not None and has_column(table, outturn_key):
        yield "支出决算", statement.outturn, num(row, outturn_key), outturn_key
    for name, stated, what in (
        ("full", statement.full, "全年预算"),
        ("initial", statement.initial, "年初预算"),
    ):
        key = next((k for k in BUDGET_KEYS[name] if has_column(table, k)), "")
        if stated is not None and key:
            yield what, stated, num(row, key), key


@rule(
    "FA-020",
    group="cross-table",
    severity=Severity.WARNING,
    title=(
        "情况说明的决算数与决算表不一致",
        "A 决算 stated in the narrative differs from the table",
    ),
    message=(
        "{where}说明“{subject}”{what}为 {stated}，{table}为 {table_value}，相差 {difference}",
        "{where}: the narrative states {stated} as the {what} of “{subject}”, {table} "
        "{table_value}, difference {difference}",
    ),
    basis="上海市部门决算公开样张 第三部分五、七、八、九：按项级科目说明年初（全年）预算数与"
    "支出决算数，即该表该科目的金额",
    fix="改正情况说明中的金额（或表中该科目的金额），使两者一致。",
    example={
        "where": "第17页第290行",
        "subject": "一般公共服务支出（类）社会工作事务（款）行政运行（项）",
        "what": "支出决算",
        "stated": "51.32万元",
        "table": "一般公共预算财政拨款支出决算表",
        "table_value": "61.32万元",
        "difference": "-10.00万元",
    },
)
def stated_outturn_matches_table(subject: Subject) -> Iterator[Hit]:
    found = [s for s in statements(subject) if s.table in OUTTURN_KEYS]
    compared = 0
    for statement in found:
        table = subject.tables.get(statement.table)
        row = statement_row(table, statement) if table is not None else None
        if table is None or row is None:
            continue
        for what, stated, printed, key in _stated_cells(statement, table, row):
            compared += 1
            half = statement.half if what == "支出决算" else statement.budget_half
            if abs(stated - printed) <= half + subject.tolerance(table, 0):
                continue
            column = next((c.label for c in table.columns if c.key == key), key)
            yield Hit(
                _where(statement, table.title, f"{row.code} {row.name}".strip(), column),
                {
                    "where": _place(statement),
                    "subject": _subject_of(statement),
                    "what": what,
                    "stated": money(stated),
                    "table": table.title,
                    "table_value": money(printed),
                    "difference": money(stated - printed),
                },
            )
    if not compared:
        raise MissingData("情况说明所述科目在表中找不到 / no stated 科目 found in its table")


def _place(statement: BudgetStatement) -> str:
    return (
        f"第{statement.page}页第{statement.line}行" if statement.page else f"第{statement.line}行"
    )


def _rate_range(
    statement: BudgetStatement, budget: Decimal, budget_half: Decimal
) -> tuple[Decimal, Decimal] | None:
    assert statement.outturn is not None
    return ratio_range(statement.outturn, statement.half, budget, budget_half)


@rule(
    "FA-021",
    group="cross-table",
    severity=Severity.WARNING,
    title=("决算完成率与所述金额不符", "A stated completion rate does not follow from the amounts"),
    message=(
        "{where}“{subject}”：说明完成{budget_name}的 {rate}，但决算 {outturn} ÷ {budget_name} {budget} "
        "为 {actual}",
        "{where} “{subject}”: the narrative states {rate} of the {budget_name}, but {outturn} ÷ "
        "{budget} is {actual}",
    ),
    basis="上海市部门决算公开样张 第三部分五（三）：支出决算为…，完成年初（全年）预算的XX%",
    fix="按所述预算数和决算数重新计算完成率，或说明所依据的是哪一个预算数（年初/全年）。",
    example={
        "where": "第17页第283行",
        "subject": "一般公共预算财政拨款支出",
        "rate": "95.89%",
        "budget_name": "年初预算",
        "outturn": "307.82万元",
        "budget": "0.00元",
        "actual": "无法计算（预算数为0）",
    },
)
def completion_rate_follows(subject: Subject) -> Iterator[Hit]:
    rated = [s for s in statements(subject) if s.rate is not None]
    if not rated:
        raise NotApplicable("情况说明没有陈述完成率 / no completion rate stated")
    for statement in rated:
        assert statement.rate is not None and statement.outturn is not None
        named = {"initial": statement.initial, "full": statement.full}.get(statement.rate_of)
        budget = named if named is not None else statement.budget
        if budget is None:
            continue
        budget_name = (
            "年初预算"
            if (statement.rate_of == "initial" or (named is None and statement.full is None))
            else "全年预算"
        )
        half = percent_half(statement.rate_places)
        budget_half = statement.half_initial if budget is statement.initial else statement.half_full
        allowed = _rate_range(statement, budget, budget_half)
        fits = allowed is not None and allowed[0] - half <= statement.rate <= allowed[1] + half
        if fits:
            continue
        actual = "无法计算（预算数为0）" if not budget else pct(statement.outturn / budget)
        other = statement.full if budget is statement.initial else statement.initial
        if other:
            actual += f"；按{'全年' if other is statement.full else '年初'}预算 {money(other)} 为 "
            actual += pct(statement.outturn / other)
        yield Hit(
            _where(statement),
            {
                "where": _place(statement),
                "subject": _subject_of(statement),
                "rate": pct(statement.rate),
                "budget_name": budget_name,
                "outturn": money(statement.outturn),
                "budget": money(budget),
                "actual": actual,
            },
        )


_DIRECTION_ZH = {"more": "大于", "less": "小于", "equal": "持平"}


@rule(
    "FA-022",
    group="cross-table",
    severity=Severity.WARNING,
    title=(
        "决算与预算的增减表述不符或未说明原因",
        "The stated 决算 vs 预算 comparison is wrong or unexplained",
    ),
    message=(
        "{where}“{subject}”：{problem}（预算 {budget}，决算 {outturn}）",
        "{where} “{subject}”: {problem} (budget {budget}, outturn {outturn})",
    ),
    basis="上海市部门决算公开样张 第三部分五（三）：决算数大于（小于）预算数的主要原因……"
    "（如持平作持平表述；预决算持平的不用说明变动原因）",
    fix="按预算数与决算数写明大于、小于或持平；决算数与预算数不等时说明主要原因。",
    example={
        "where": "第18页第300行",
        "subject": "卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）",
        "problem": "决算数小于预算数，但没有说明原因",
        "budget": "2.29万元",
        "outturn": "0.49万元",
    },
)
def stated_direction_and_reason(subject: Subject) -> Iterator[Hit]:
    for statement in statements(subject):
        budget, outturn = statement.budget, statement.outturn
        if budget is None or outturn is None:
            continue
        gap = outturn - budget
        close = statement.half + statement.budget_half
        # printed figures are equal only when some exact amount rounds to both
        actual = "equal" if abs(gap) < close or gap == 0 else ("more" if gap > 0 else "less")
        problems = []
        if statement.direction and statement.direction != actual:
            problems.append(
                f"说明决算数{_DIRECTION_ZH[statement.direction]}预算数，实际为{_DIRECTION_ZH[actual]}"
            )
        if actual != "equal" and not statement.reasoned:
            problems.append(f"决算数{_DIRECTION_ZH[actual]}预算数，但没有说明原因")
        for problem in problems:
            yield Hit(
                _where(statement),
                {
                    "where": _place(statement),
                    "subject": _subject_of(statement),
                    "problem": problem,
                    "budget": money(budget),
                    "outturn": money(outturn),
                },
            )


@rule(
    "FA-023",
    group="cross-table",
    severity=Severity.WARNING,
    title=("情况说明未逐项说明项级科目", "A 项 of the 决算 is not explained in the narrative"),
    message=(
        "{table}的“{row}”（决算 {amount}）在情况说明的具体情况中没有说明",
        "{table}: “{row}” (outturn {amount}) is not explained in the narrative's details",
    ),
    basis="上海市部门决算公开样张 第三部分五（三）：按上述格式依次说明到各项级科目",
    fix="在情况说明中按“类（款）项”补充该科目的预算数、决算数及增减原因。",
    example={
        "table": "一般公共预算财政拨款支出决算表",
        "row": "2013901 行政运行",
        "amount": "51.32万元",
    },
)
def every_item_explained(subject: Subject) -> Iterator[Hit]:
    items = [s for s in statements(subject) if s.table == GENERAL and s.function is not None]
    if not items:
        raise NotApplicable("情况说明没有逐项说明 / the narrative explains no 科目 one by one")
    table = subject.table(GENERAL)
    explained = {id(row) for s in items if (row := statement_row(table, s)) is not None}
    deepest = max((r.level for r in table.rows if r.code), default=0)
    for row in table.rows:
        if row.code and row.level == deepest and num(row, "total") and id(row) not in explained:
            yield Hit(
                Location(
                    table=table.title,
                    row=f"{row.code} {row.name}",
                    column="合计",
                    page=subject.pages.get(table.id, 0),
                ),
                {
                    "table": table.title,
                    "row": f"{row.code} {row.name}",
                    "amount": money(num(row, "total")),
                },
            )


# --- FA-024 / FA-025: the narrative's totals, 类 and shares against the 决算 tables -------------


def _row_of(table: Table, row: str) -> Row | None:
    """The line a figure entry names: the 合计, a summary line, or a basic-expenditure footer."""
    if row == "total":
        return table.total_row()
    if row in ("personnel_total", "operating_total"):
        names = labels("economic", row)
        return next((r for r in table.rows if r.level == 0 and label(r.name) in names), None)
    return summary_line(table, row, "income")


def _class_row(table: Table, figure: StatedFigure) -> Row | None:
    ref = figure.function
    if ref is None or ref.level != "类":
        return None
    wanted = label(ref.name("类")) if not ref.code else ""
    for row in table.rows:
        if row.level == 1 and (row.code == ref.code if ref.code else label(row.name) == wanted):
            return row
    return None


# The column of a 类 in the 一般公共预算 table that each measure a 决算 narrative states is
# ("全年预算为88.00万元，支出决算为85.00万元"); a figure without a measure is the 决算数.
MEASURE_KEYS = {"": "total", FINAL: "total", ADJUSTED: "budget_full", INITIAL: "budget_initial"}


def narrative_cells(subject: Subject) -> list[tuple[StatedFigure, Table, Row, str]]:
    """Each current figure of the narrative with the 决算 table cell it states: a total by the
    words its label ends with, a 类 of the 一般公共预算 section by its name, in the column of the
    measure it states (a budget the table does not print is not compared)."""
    need_final(subject)
    if not subject.narrative:
        raise NotApplicable("没有情况说明 / no narrative")
    starts = section_starts(subject.narrative_lines)
    found = []
    for figure in subject.narrative:
        if figure.role != "current":
            continue
        cell = figure_cell(figure.label)
        if cell is not None and cell.table in subject.tables:
            table = subject.tables[cell.table]
            row = _row_of(table, cell.row)
            if row is not None and has_column(table, cell.column):
                found.append((figure, table, row, cell.column))
        elif figure.function is not None and section_at(starts, figure.line) == GENERAL:
            general = subject.tables.get(GENERAL)
            row = _class_row(general, figure) if general is not None else None
            key = MEASURE_KEYS.get(figure.measure, "")
            if general is not None and row is not None and has_column(general, key):
                found.append((figure, general, row, key))
    if not found:
        raise NotApplicable(
            "情况说明没有述及决算表的数字 / the narrative states no figure of the tables"
        )
    return found


def _cell_name(table: Table, row: Row, key: str) -> str:
    column = next((c.label for c in table.columns if c.key == key), key)
    text = row.values.get("income_item") if key == "income" else row.name
    return f"{row.code} {text or row.name} {column}".strip()


def _figure_where(figure: StatedFigure, table: Table, row: Row, key: str) -> Location:
    return Location(
        table=table.title,
        row=f"{row.code} {row.name}".strip(),
        column=next((c.label for c in table.columns if c.key == key), key),
        field=f"“{excerpt(figure.sentence, 40)}”",
        file=NARRATIVE_FILE,
        line=figure.line,
        page=figure.page,
    )


@rule(
    "FA-024",
    group="cross-table",
    severity=Severity.WARNING,
    title=("情况说明的金额与决算表不一致", "A figure of the 决算 narrative differs from its table"),
    message=(
        "{where}“{label}”为 {stated}，{table}“{cell}”为 {table_value}，相差 {difference}",
        "{where}: “{label}” is stated as {stated}, {table} “{cell}” is {table_value}, "
        "difference {difference}",
    ),
    basis="上海市部门决算公开样张 第三部分一至六：收入支出总计、本年收入合计及各项收入、本年支出合计"
    "及基本/项目支出、财政拨款收入支出总计、一般公共预算财政拨款支出及各类、人员经费、公用经费"
    "与决算表一致（总计含年初、年末结转和结余）",
    fix="改正情况说明中的金额（或表中的金额），使两者一致。",
    example={
        "where": "第17页第264行",
        "label": "收入支出总计",
        "stated": "307.82万元",
        "table": "收入支出决算总表",
        "cell": "总计 决算数",
        "table_value": "317.82万元",
        "difference": "-10.00万元",
    },
)
def narrative_figures_match(subject: Subject) -> Iterator[Hit]:
    for figure, table, row, key in narrative_cells(subject):
        printed = num(row, key)
        if abs(figure.amount - printed) <= figure.half_unit + subject.tolerance(table, 0):
            continue
        yield Hit(
            _figure_where(figure, table, row, key),
            {
                "where": figure.where(),
                "label": figure.label[-24:],
                "stated": money(figure.amount),
                "table": table.title,
                "cell": _cell_name(table, row, key),
                "table_value": money(printed),
                "difference": money(figure.amount - printed),
            },
        )


@rule(
    "FA-025",
    group="cross-table",
    severity=Severity.WARNING,
    title=(
        "情况说明的类占比与决算表不符",
        "A class's share in the 决算 narrative does not follow from the table",
    ),
    message=(
        "{where}“{label}”占 {share}，按{table}为 {amount} ÷ {whole} = {actual}",
        "{where}: “{label}” is said to be {share}; {table} gives {amount} ÷ {whole} = {actual}",
    ),
    basis="上海市部门决算公开样张 第三部分五（二）：一般公共预算财政拨款支出……主要用于：某类 XXX "
    "万元，占 XX%（占一般公共预算财政拨款支出）",
    fix="按表中该类金额 ÷ 一般公共预算财政拨款支出合计重算占比（四舍五入保留两位小数）；"
    "不要为凑足100%调整某一项。",
    example={
        "where": "第18页第283行",
        "label": "住房保障支出（类）",
        "share": "9.55%",
        "table": "一般公共预算财政拨款支出决算表",
        "amount": "29.42万元",
        "whole": "307.82万元",
        "actual": "9.56%",
    },
)
def class_shares_follow(subject: Subject) -> Iterator[Hit]:
    shared = [
        (f, t, r, k)
        for f, t, r, k in narrative_cells(subject)
        if f.share is not None
        and f.function is not None
        and t.id == GENERAL
        # "完成全年预算数的96.59%" is a completion rate (FA-021), not the 类's share
        and f.share_of not in COMPLETED
    ]
    if not shared:
        raise NotApplicable("情况说明没有陈述类的占比 / no class share stated")
    for figure, table, row, key in shared:
        assert figure.share is not None
        total = table.total_row()
        whole = num(total, key)
        if total is None or not whole:
            continue
        half = subject.tolerance(table, 0)
        allowed = ratio_range(num(row, key), half, whole, half)
        slack = percent_half(figure.share_places)
        if allowed is not None and allowed[0] - slack <= figure.share <= allowed[1] + slack:
            continue
        yield Hit(
            _figure_where(figure, table, row, key),
            {
                "where": figure.where(),
                "label": figure.label[-24:],
                "share": pct(figure.share),
                "table": table.title,
                "amount": money(num(row, key)),
                "whole": money(whole),
                "actual": pct(num(row, key) / whole),
            },
        )
