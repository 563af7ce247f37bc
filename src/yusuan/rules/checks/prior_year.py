"""上年数: the prior-year figures a dataset gives, and the comparison columns a table prints.

On a dataset the columns 上年预算数 / 增减额 / 增减% are computed (``tables/prior.py``), so what can
go wrong is in the inputs: prior-year records that do not add up (PY-001, PY-002) or that no
table can use (PY-003). On a published document every printed row is checked: 增减额 = 本年 − 上年
(PY-010) and 增减% = 增减额 / 上年 (PY-011), within half a printed unit of each figure.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from yusuan.catalog.loader import funding_source
from yusuan.model.records import PriorYearFigure
from yusuan.money import ZERO, format_amount
from yusuan.rules.base import Hit, Location, MissingData, NotApplicable, Severity, money, rule
from yusuan.rules.subject import Subject, share_agrees
from yusuan.tables.base import PERCENT, Row, Table
from yusuan.tables.prior import CHANGE, CHANGE_PCT, PRIOR, comparison_base, layout

FUNCTION = "功能分类"
REVENUE = "收入来源"
HUNDRED = Decimal(100)


def _records(subject: Subject) -> tuple[PriorYearFigure, ...]:
    """The dataset's prior-year records. Without any, a dataset that prints the comparison
    columns lacks what they need (could not run); one that does not simply has none, as
    prior_year.csv is optional (not applicable, like an absent revenue.csv)."""
    dataset = subject.need_dataset()
    if not dataset.prior_year:
        if dataset.manifest.prior_columns:
            raise MissingData(
                "选择了上年比较列，但没有上年数（prior_year.csv）/ comparison columns chosen, "
                "but no prior-year figures"
            )
        raise NotApplicable("没有上年数（prior_year.csv）/ no prior-year figures")
    return dataset.prior_year


def _where(record: PriorYearFigure) -> Location:
    return Location(file=record.origin.file, line=record.origin.row)


# --- PY-001: totals ---------------------------------------------------------------------------


@rule(
    "PY-001",
    group="data",
    severity=Severity.WARNING,
    title=("上年合计与分项之和不符", "A prior-year total is not the sum of its parts"),
    message=(
        "上年数“{total}”为 {stated}，而{parts}各项相加为 {sum}，相差 {difference}",
        "prior-year {total} is {stated}, but the {parts} figures add up to {sum}, "
        "difference {difference}",
    ),
    basis="上年预算数取自上年公开表：合计 = Σ 功能分类类 = Σ 收入来源（tables/data/prior_columns.toml [[sum]]）",
    fix="按上年公开的预算表核对 prior_year.csv：合计与各类（各收入来源）的金额应一致。",
    example={
        "total": "合计 支出合计",
        "stated": "9,810.00万元",
        "parts": "功能分类类",
        "sum": "9,800.00万元",
        "difference": "10.00万元",
    },
)
def prior_totals_add_up(subject: Subject) -> Iterator[Hit]:
    records = _records(subject)
    checked = False
    for relation in layout().sums:
        total = next(
            (
                r
                for key in relation.total_keys
                for r in records
                if r.category == relation.total_category and r.key.strip() == key
            ),
            None,
        )
        parts = [r for r in records if relation.is_part(r)]
        if total is None or not parts:
            continue
        checked = True
        found = sum((r.amount for r in parts), ZERO)
        if found != total.amount:
            what = relation.parts_category + ("类" if relation.code_length == 3 else "")
            yield Hit(
                _where(total),
                {
                    "total": f"{total.category} {total.key}",
                    "stated": money(total.amount),
                    "parts": what,
                    "sum": money(found),
                    "difference": money(total.amount - found),
                },
            )
    if not checked:
        raise MissingData("上年数中没有可核对的合计与分项 / no prior-year total with its parts")


# --- PY-002: the function hierarchy ------------------------------------------------------------


@rule(
    "PY-002",
    group="data",
    severity=Severity.WARNING,
    title=("上年功能分类下级之和超过上级", "Prior-year function items exceed their parent"),
    message=(
        "上年功能分类 {code} 为 {stated}，其下级 {children} 相加为 {sum}，超过上级 {difference}",
        "prior-year function {code} is {stated}, its items {children} add up to {sum}, "
        "{difference} more",
    ),
    basis="功能分类逐级汇总：类 ≥ Σ 所列款，款 ≥ Σ 所列项（未列的下级可以缺省，但不能超过上级）",
    fix="核对 prior_year.csv 中该科目及其下级科目的上年金额。",
    example={
        "code": "201",
        "stated": "3,600.00万元",
        "children": "20132",
        "sum": "3,700.00万元",
        "difference": "100.00万元",
    },
)
def prior_function_items_fit(subject: Subject) -> Iterator[Hit]:
    records = [r for r in _records(subject) if r.category == FUNCTION]
    if not records:
        raise MissingData("上年数中没有功能分类 / no prior-year figures by function")
    by_code: dict[str, PriorYearFigure] = {}
    for record in records:
        by_code.setdefault(record.key.strip(), record)
    for code, parent in by_code.items():
        children = [
            r for c, r in by_code.items() if len(c) == len(code) + 2 and c[: len(code)] == code
        ]
        if not children:
            continue
        found = sum((r.amount for r in children), ZERO)
        if found > parent.amount:
            yield Hit(
                _where(parent),
                {
                    "code": code,
                    "stated": money(parent.amount),
                    "children": "、".join(r.key.strip() for r in children),
                    "sum": money(found),
                    "difference": money(found - parent.amount),
                },
            )


# --- PY-003: records no table can use --------------------------------------------------------


@rule(
    "PY-003",
    group="data",
    severity=Severity.WARNING,
    title=("上年数重复或无法对应", "A prior-year figure is repeated or names nothing"),
    message=(
        "上年数“{category} {key}”{problem}",
        "prior-year figure {category} {key}: {problem_en}",
    ),
    basis="每个上年数只能有一行；收入来源的编码须是资金来源目录中的名称或别名（catalog/data/funding/sources.csv）",
    fix="删除重复的行；收入来源填写“一般公共预算”“政府性基金预算”等资金来源名称。",
    example={
        "category": "收入来源",
        "key": "财政拨款收入",
        "problem": "不是已知的资金来源，不能对应到收入行",
        "problem_en": "is no known funding source",
    },
)
def prior_records_usable(subject: Subject) -> Iterator[Hit]:
    seen: set[tuple[str, str]] = set()
    for record in _records(subject):
        key = (record.category, record.key.strip())
        if key in seen:
            yield Hit(
                _where(record),
                {
                    "category": record.category,
                    "key": record.key,
                    "problem": "重复，只采用第一行",
                    "problem_en": "repeated; only the first row is used",
                },
            )
            continue
        seen.add(key)
        if record.category == REVENUE and funding_source(record.key) is None:
            yield Hit(
                _where(record),
                {
                    "category": record.category,
                    "key": record.key,
                    "problem": "不是已知的资金来源，不能对应到收入行",
                    "problem_en": "is no known funding source",
                },
            )


# --- PY-010, PY-011: the printed comparison ------------------------------------------------------


def _compared(subject: Subject) -> list[tuple[Table, str]]:
    """(table, compared column) for every comparison a table prints: a 上年 column beside the
    column it compares, with a 增减额 or a 增减% column."""
    found = []
    for table in subject.tables.values():
        keys = {c.key for c in table.columns}
        bases = {b[1] for b in map(comparison_base, keys) if b is not None and b[0] != PRIOR}
        found += [
            (table, base) for base in sorted(bases) if base in keys and f"{PRIOR}_{base}" in keys
        ]
    if not found:
        raise NotApplicable(
            "没有表列出上年预算数与增减 / no table prints a comparison with last year"
        )
    return found


def _amount(row: Row, key: str) -> Decimal | None:
    value = row.values.get(key)
    return value if isinstance(value, Decimal) else None


def _label(table: Table, key: str) -> str:
    return next((c.label for c in table.columns if c.key == key), key)


def _location(subject: Subject, table: Table, row: Row, key: str) -> Location:
    return Location(
        table=table.title,
        row=f"{row.code} {row.name}".strip() or str(row.values.get("income_item") or ""),
        column=_label(table, key),
        page=subject.pages.get(table.id, 0),
    )


def _rows(table: Table, column: str) -> Iterator[tuple[Row, Decimal, Decimal]]:
    """The rows that print a prior figure: (row, this year's figure (blank = 0), last year's)."""
    for row in table.rows:
        prior = _amount(row, f"{PRIOR}_{column}")
        if prior is None:
            continue
        yield row, _amount(row, column) or ZERO, prior


@rule(
    "PY-010",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("增减额不等于本年减上年", "A printed change is not this year minus last year"),
    message=(
        "增减额为 {stated}，本年 {current} 减上年 {prior} 应为 {expected}",
        "the change is {stated}; this year {current} minus last year {prior} is {expected}",
    ),
    basis="增减额 = 本年预算数 − 上年预算数（按所列金额，允许半个显示单位的舍入差）",
    fix="按本年数与上年数重算该行的增减额。",
    example={
        "stated": "300.00万元",
        "current": "3,918.30万元",
        "prior": "3,600.00万元",
        "expected": "318.30万元",
    },
)
def printed_change(subject: Subject) -> Iterator[Hit]:
    for table, column in _compared(subject):
        key = f"{CHANGE}_{column}"
        if key not in {c.key for c in table.columns}:
            continue
        for row, current, prior in _rows(table, column):
            stated = _amount(row, key) or ZERO  # a blank change is no change, as printed
            expected = current - prior
            if abs(stated - expected) > subject.tolerance(table, 2):
                yield Hit(
                    _location(subject, table, row, key),
                    {
                        "stated": money(stated),
                        "current": money(current),
                        "prior": money(prior),
                        "expected": money(expected),
                    },
                )


def _rate_agrees(
    subject: Subject, table: Table, rate: Decimal, change: Decimal, prior: Decimal, spread: int
) -> bool:
    """Exactly on a dataset; on a document within the rounding of the printed figures: the
    change is ``spread`` printed figures (1 when printed, 2 when taken as 本年 − 上年)."""
    if subject.exact:
        return rate == change * HUNDRED / prior
    return share_agrees(rate, change, prior, unit=table.unit.factor * spread)


@rule(
    "PY-011",
    group="arithmetic",
    severity=Severity.FATAL,
    title=(
        "增减%不等于增减额除以上年",
        "A printed rate of change does not follow from the amounts",
    ),
    message=(
        "增减%为 {stated}，增减额 {change} ÷ 上年 {prior} 应为 {expected}",
        "the rate is {stated}; change {change} / last year {prior} is {expected}",
    ),
    basis="增减% = 增减额 ÷ 上年预算数 × 100（上年为0时不计算；允许半个显示单位的舍入差）",
    fix="按增减额与上年数重算该行的增减%；上年数为0时留空。",
    example={"stated": "8.00", "change": "318.30万元", "prior": "3,600.00万元", "expected": "8.84"},
)
def printed_rate(subject: Subject) -> Iterator[Hit]:
    for table, column in _compared(subject):
        key = f"{CHANGE_PCT}_{column}"
        if not any(c.key == key and c.kind == PERCENT for c in table.columns):
            continue
        change_key = f"{CHANGE}_{column}"
        for row, current, prior in _rows(table, column):
            rate = _amount(row, key)
            if rate is None or prior <= 0:
                continue
            change, spread = current - prior, 2
            if change_key in {c.key for c in table.columns}:
                printed = _amount(row, change_key) or ZERO
                if abs(printed - change) > subject.tolerance(table, 2):
                    continue  # the amounts already disagree: PY-010's finding, one per row
                change, spread = printed, 1
            if not _rate_agrees(subject, table, rate, change, prior, spread):
                yield Hit(
                    _location(subject, table, row, key),
                    {
                        "stated": _percent(rate),
                        "change": money(change),
                        "prior": money(prior),
                        "expected": _percent(change * HUNDRED / prior),
                    },
                )


def _percent(value: Decimal) -> str:
    return format_amount(value, thousands=False)
