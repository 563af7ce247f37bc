"""表内平衡: every total in a table equals its parts, at every level and in every column.

Dataset tables hold exact amounts and must add up exactly. A published document's figures are
rounded for display, so a difference no larger than the rounding of the figures involved is
reported as 提示 (ARITH-090), and only a larger one as 致命.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from weakref import ref

from yusuan.money import round_display, to_unit
from yusuan.rules.base import Hit, Location, MissingData, Severity, money, rule
from yusuan.rules.subject import Subject
from yusuan.tables.base import AMOUNT, TOTAL, Row, Table
from yusuan.tables.prior import comparison_base

ZERO = Decimal(0)

# Tables whose rows are a classification (合计 / 类 / 款 / 项)
HIERARCHY_TABLES = (
    "income",
    "expenditure",
    "general-budget",
    "fund-income",
    "fund-expenditure",
    "state-capital",
    "basic-economic",
)
# The 决算 counterpart of a table (``income-final``) adds up the same way as the table itself.
FINAL = "-final"


def finals(table_ids: Sequence[str]) -> tuple[str, ...]:
    """The table ids and their 决算 counterparts."""
    return (*table_ids, *(t + FINAL for t in table_ids))


def kind_of(table: Table) -> str:
    """The 预算 id a table adds up like (``fiscal-final`` -> ``fiscal``)."""
    return table.id.removesuffix(FINAL)


@dataclass(frozen=True, slots=True)
class Balance:
    """A stated figure and the parts it should equal, as printed: a blank cell is ``None``, not
    zero. ``unread`` names the columns the relation needs that the table does not have (a reader
    could not read them): such a balance cannot be checked."""

    table: Table
    row: Row
    column: str
    stated_cell: Decimal | None
    part_cells: tuple[Decimal | None, ...]
    what: str  # e.g. "= Σ 下级科目", in Chinese
    unread: tuple[str, ...] = ()

    @property
    def stated(self) -> Decimal:
        return self.stated_cell if self.stated_cell is not None else ZERO

    @property
    def parts(self) -> tuple[Decimal, ...]:
        return tuple(p if p is not None else ZERO for p in self.part_cells)

    @property
    def difference(self) -> Decimal:
        return self.stated - sum(self.parts, ZERO)

    @property
    def blank_side(self) -> str:
        """``"total"`` when the total is left blank over printed parts, ``"parts"`` when every
        part is blank under a printed total, else ``""``: a presentation choice (a 类/款 subtotal
        row or a column left blank), not a sum that fails."""
        printed_parts = [p for p in self.part_cells if p is not None]
        if self.stated_cell is None and any(printed_parts):
            return "total"
        if self.stated_cell and self.part_cells and not printed_parts:
            return "parts"
        return ""

    def displayed_difference(self) -> Decimal:
        """The difference a reader sees when adding up the printed (rounded) figures."""
        unit = self.table.unit

        def shown(value: Decimal) -> Decimal:
            return round_display(to_unit(value, unit))

        return shown(self.stated) - sum((shown(p) for p in self.parts), ZERO)


def _value(row: Row, key: str) -> Decimal | None:
    """A cell as printed: an amount, or ``None`` when blank."""
    value = row.values.get(key)
    return value if isinstance(value, Decimal) else None


def _unread(table: Table, *keys: str) -> tuple[str, ...]:
    """The columns among ``keys`` that the table does not have (not read, or not printed)."""
    present = {c.key for c in table.columns}
    return tuple(_label(table, k) for k in keys if k not in present)


def _unreadable(table: Table, row: Row, what: str, *keys: str) -> Balance | None:
    """A balance that cannot be checked because the table lacks some of ``keys``, or None."""
    missing = _unread(table, *keys)
    return Balance(table, row, "", None, (), what, missing) if missing else None


def _amount_keys(table: Table) -> list[str]:
    # the comparison with last year (上年预算数, 增减额) is no part of this year's sums: PY-010
    # checks it row by row
    return [c.key for c in table.columns if c.kind == AMOUNT and comparison_base(c.key) is None]


def _label(table: Table, key: str) -> str:
    return next((c.label for c in table.columns if c.key == key), key)


def hierarchy_balances(table: Table) -> Iterator[Balance]:
    """合计 = Σ 类, 类 = Σ 款, 款 = Σ 项, for every amount column."""
    coded = [r for r in table.rows if r.code]
    total = table.total_row()
    # index children once: a row's children are the rows one level down whose code extends its own
    by_level: dict[int, list[Row]] = {}
    for row in coded:
        by_level.setdefault(row.level, []).append(row)
    children: dict[int, list[Row]] = {}
    position = {id(p): i for i, p in enumerate(coded)}
    for level, parents in by_level.items():
        by_code = {p.code: p for p in parents}
        lengths = sorted({len(p.code) for p in parents}, reverse=True)
        for row in by_level.get(level + 1, []):
            parent = next((by_code[row.code[:n]] for n in lengths if row.code[:n] in by_code), None)
            if parent is not None and parent.code != row.code:
                children.setdefault(position[id(parent)], []).append(row)
    if coded and not _amount_keys(table):
        yield Balance(table, coded[0], "", None, (), "= Σ 下级科目", ("金额",))
    deepest_first = sorted(children, key=lambda i: -coded[i].level)
    for key in _amount_keys(table):
        # a subtotal left blank stands for the sum of what is printed below it, so its parent is
        # still checked against the printed figures (and the blank is ARITH-007's, once)
        effective: dict[int, Decimal | None] = {}

        def cell(row: Row) -> Decimal | None:
            return effective.get(id(row), _value(row, key))  # noqa: B023 - used at once

        for index in deepest_first:
            if _value(coded[index], key) is None:
                printed = [p for p in map(cell, children[index]) if p is not None]
                effective[id(coded[index])] = sum(printed, ZERO) if printed else None
        if total is not None and by_level.get(1):
            parts = tuple(cell(r) for r in by_level[1])
            yield Balance(table, total, key, _value(total, key), parts, "合计 = Σ 类")
        for index, below in children.items():
            parent = coded[index]
            parts = tuple(cell(c) for c in below)
            yield Balance(table, parent, key, _value(parent, key), parts, "= Σ 下级科目")


# Columns that are themselves the sum of other columns, when those are printed too
# (财政拨款收入 = 一般公共预算 + 政府性基金 + 国有资本经营预算).
SUBTOTALS: dict[str, tuple[str, ...]] = {
    "fiscal_income": ("general", "fund", "state_capital"),
    "gov_total": ("general", "fund"),
}


def _parts_of_total(keys: Sequence[str]) -> list[str]:
    """The columns a row's 合计 adds up: every other amount column but subtotals of printed ones."""
    present = set(keys)
    covered = {k for k, parts in SUBTOTALS.items() if k in present and present & set(parts)}
    # a 决算 table prints its budget beside the outturn (budget_initial, budget_full): not parts
    return [
        k
        for k in keys
        if k != "total" and k not in covered and "subtotal" not in k and not k.startswith("budget")
    ]


def row_identity_balances(table: Table) -> Iterator[Balance]:
    """Within each row: 合计 = Σ its columns (基本 + 项目 [+ 其他]; Σ 资金来源); 小计 = Σ 来源."""
    keys = _amount_keys(table)
    parts = _parts_of_total(keys)
    label = "合计 = 基本支出 + 项目支出" if set(parts) == {"basic", "project"} else "合计 = Σ 各列"
    if kind_of(table) == "income":
        label = "本年收入合计 = Σ 资金来源"
    for row in table.rows:
        if "total" in keys and parts and kind_of(table) != "fiscal":
            yield Balance(
                table,
                row,
                "total",
                _value(row, "total"),
                tuple(_value(row, k) for k in parts),
                label,
            )
        for subtotal, members in SUBTOTALS.items():
            printed = [k for k in members if k in keys]
            if subtotal in keys and printed:
                yield Balance(
                    table,
                    row,
                    subtotal,
                    _value(row, subtotal),
                    tuple(_value(row, k) for k in printed),
                    f"{_label(table, subtotal)} = Σ 其中各项",
                )
        if kind_of(table) == "fiscal" and row.code and "subtotal" in keys:
            sources = tuple(
                _value(row, k) for k in ("general", "fund", "state_capital") if k in keys
            )
            yield Balance(
                table, row, "subtotal", _value(row, "subtotal"), sources, "小计 = Σ 资金来源"
            )


def two_sided_balances(table: Table) -> Iterator[Balance]:
    """收支总表 / 财政拨款收支总表: 收入合计 = Σ 收入项目, 支出合计 = Σ 类, 收入合计 = 支出合计."""
    total = table.total_row()
    if total is None:
        return
    items = [r for r in table.rows if r.kind != TOTAL]
    income = tuple(_value(r, "income") for r in items if r.values.get("income_item"))
    yield Balance(
        table, total, "income", _value(total, "income"), income, "本年收入合计 = Σ 收入项目"
    )
    keys = _amount_keys(table)
    coded = [r for r in items if r.code]
    # The expenditure side is listed by 功能分类类 (rows with codes) and/or, in some templates,
    # by purpose (支出用途: 基本支出 / 项目支出 …, column ``purpose_amount``): check what is printed.
    sides = []
    if coded:
        spend_key = next((k for k in ("expenditure", "subtotal") if k in keys), "")
        if spend_key:
            sides.append((spend_key, coded, "本年支出合计 = Σ 功能分类类"))
        elif "purpose_amount" not in keys:
            yield Balance(table, total, "", None, (), "本年收入合计 = 本年支出合计", ("支出金额",))
    if "purpose_amount" in keys:
        purposes = [r for r in items if r.values.get("purpose")]
        sides.append(("purpose_amount", purposes, "本年支出合计 = Σ 支出用途"))
    for spend_key, rows, relation in sides:
        yield Balance(
            table,
            total,
            spend_key,
            _value(total, spend_key),
            tuple(_value(r, spend_key) for r in rows),
            relation,
        )
    # a 决算 carries money over: its 本年收入 and 本年支出 need not be equal (FA-001, FA-002)
    if sides and kind_of(table) == table.id:
        spend_key = sides[0][0]
        yield Balance(
            table,
            total,
            "income",
            _value(total, "income"),
            (_value(total, spend_key),),
            "本年收入合计 = 本年支出合计",
        )
    if kind_of(table) == "fiscal" and coded:
        for key in ("general", "fund", "state_capital"):
            if key in keys:
                parts = tuple(_value(r, key) for r in coded)
                yield Balance(table, total, key, _value(total, key), parts, "合计 = Σ 功能分类类")


def three_public_balances(table: Table) -> Iterator[Balance]:
    if not table.rows:
        return
    units = [r for r in table.rows if r.kind != TOTAL]
    needed = ("total", "abroad", "reception", "vehicle_subtotal")
    unreadable = _unreadable(table, table.rows[0], "合计 = 因公出国(境)费 + …", *needed)
    if unreadable is not None:
        yield unreadable
        return
    for row in table.rows:
        three = (_value(row, "abroad"), _value(row, "reception"), _value(row, "vehicle_subtotal"))
        standard = Balance(
            table,
            row,
            "total",
            _value(row, "total"),
            three,
            "合计 = 因公出国(境)费 + 公务接待费 + 公务用车费",
        )
        # Some templates (e.g. Jiangsu's 三公、会议费、培训费 table) let 合计 include 会议费 and 培训费.
        wider = Balance(
            table,
            row,
            "total",
            _value(row, "total"),
            (*three, _value(row, "meeting"), _value(row, "training")),
            "合计 = 三公经费 + 会议费 + 培训费",
        )
        yield (
            standard
            if standard.difference == 0 or abs(standard.difference) <= abs(wider.difference)
            else wider
        )
        if not _unread(table, "vehicle_operation", "vehicle_purchase"):
            yield Balance(
                table,
                row,
                "vehicle_subtotal",
                _value(row, "vehicle_subtotal"),
                (_value(row, "vehicle_operation"), _value(row, "vehicle_purchase")),
                "公务用车费小计 = 运行维护费 + 购置费",
            )
    total = table.total_row()
    if total is not None:
        for key in _amount_keys(table):
            yield Balance(
                table,
                total,
                key,
                _value(total, key),
                tuple(_value(r, key) for r in units),
                "合计 = Σ 单位",
            )


def procurement_balances(table: Table) -> Iterator[Balance]:
    if not table.rows:
        return
    keys = _amount_keys(table)
    unreadable = _unreadable(table, table.rows[0], "预算总计 = Σ 资金来源", "total")
    if unreadable is not None:
        yield unreadable
        return
    members = [k for k in ("general", "fund") if k in keys]  # a template may print one only
    for row in table.rows:
        if "gov_total" in keys and members:
            yield Balance(
                table,
                row,
                "gov_total",
                _value(row, "gov_total"),
                tuple(_value(row, k) for k in members),
                "政府预算资金合计 = 一般公共预算 + 政府性基金",
            )
        sources = [
            k for k in ("gov_total", "state_capital", "special_account", "unit_funds") if k in keys
        ]
        if sources:  # some templates print only the total
            parts = tuple(_value(row, k) for k in sources)
            yield Balance(table, row, "total", _value(row, "total"), parts, "预算总计 = Σ 资金来源")
    # a group row (合计, department, unit, 基本/项目) equals the rows directly below it
    rows = list(table.rows)
    for index, row in enumerate(rows):
        if row.kind == "detail":
            continue
        below = []
        for other in rows[index + 1 :]:
            if other.level <= row.level:
                break
            if other.level == row.level + 1 or (row.level == 0 and other.level == 1):
                below.append(other)
        if below:
            yield Balance(
                table,
                row,
                "total",
                _value(row, "total"),
                tuple(_value(r, "total") for r in below),
                "= Σ 下级行",
            )


def operating_balances(table: Table) -> Iterator[Balance]:
    if not table.rows:
        return
    total = table.total_row()
    rows = [r for r in table.rows if r.kind != TOTAL]
    unreadable = _unreadable(table, table.rows[0], "合计 = Σ 单位（或类）", "amount")
    if unreadable is not None and rows:
        yield unreadable
        return
    if total is not None and rows:
        # the rows under 合计: units, or (in templates by economic class) the top level of the classes
        top = min(r.level for r in rows)
        parts = tuple(_value(r, "amount") for r in rows if r.level == top)
        yield Balance(
            table, total, "amount", _value(total, "amount"), parts, "合计 = Σ 单位（或类）"
        )


FAMILIES = {
    # fund-final: the 决算 prints 政府性基金 income and expenditure in one table
    "hierarchy": ((*finals(HIERARCHY_TABLES), "fund-final"), hierarchy_balances),
    "rows": (
        finals(
            (
                "income",
                "expenditure",
                "general-budget",
                "fund-expenditure",
                "state-capital",
                "fiscal",
            )
        ),
        row_identity_balances,
    ),
    "two-sided": (finals(("income-expenditure", "fiscal")), two_sided_balances),
    "three-public": (finals(("three-public",)), three_public_balances),
    "procurement": (("procurement",), procurement_balances),
    "operating": (finals(("operating-costs",)), operating_balances),
}


# Balances per subject, so that ARITH-090 reuses what ARITH-001…006 computed. Subjects are not
# hashable (they hold dicts), so the cache is keyed by identity and holds only weak references.
_CACHE: dict[int, tuple[ref[Subject], dict[str, list[Balance]]]] = {}


def balances(subject: Subject, family: str) -> list[Balance]:
    """The balances of one family of tables; computed once per subject."""
    entry = _CACHE.get(id(subject))
    if entry is None or entry[0]() is not subject:
        for key in [k for k, (alive, _) in _CACHE.items() if alive() is None]:
            del _CACHE[key]
        entry = _CACHE[id(subject)] = (ref(subject), {})
    cached = entry[1]
    if family not in cached:
        cached[family] = _balances(subject, family)
    return cached[family]


def _balances(subject: Subject, family: str) -> list[Balance]:
    table_ids, make = FAMILIES[family]
    present = [subject.tables[t] for t in table_ids if t in subject.tables]
    if not present:
        raise MissingData(f"缺少表 {', '.join(table_ids)} / tables missing")
    return [b for table in present for b in make(table)]


def every_balance(subject: Subject) -> list[Balance]:
    """The balances of every family of tables the subject has."""
    found = []
    for family in FAMILIES:
        try:
            found.extend(balances(subject, family))
        except MissingData:
            continue
    return found


def _location(subject: Subject, balance: Balance) -> Location:
    row = balance.row
    return Location(
        table=balance.table.title,
        row=f"{row.code} {row.name}".strip(),
        column=_label(balance.table, balance.column),
        page=subject.pages.get(balance.table.id, 0),
    )


def _hits(subject: Subject, found: Sequence[Balance]) -> Iterator[Hit]:
    """The balances that fail. One whose columns were not read cannot be checked, and one with a
    blank total or blank parts is a presentation choice (ARITH-007); when nothing fails but some
    balance could not be checked, the rule could not run: a column not read is never a zero."""
    hits = []
    unread: dict[str, set[str]] = {}
    for balance in found:
        if balance.unread:
            unread.setdefault(balance.table.title, set()).update(balance.unread)
            continue
        if balance.blank_side:
            continue
        if abs(balance.difference) > subject.tolerance(balance.table, len(balance.parts)):
            blanks = sum(1 for p in balance.part_cells if p is None)
            hits.append(
                Hit(
                    _location(subject, balance),
                    {
                        "relation": balance.what,
                        "stated": shown(balance.stated_cell),
                        "parts": money(sum(balance.parts, ZERO)),
                        "difference": money(balance.difference),
                        "blanks": f"（其中 {blanks} 项留空）" if blanks else "",
                        "blanks_en": f" ({blanks} of them blank)" if blanks else "",
                    },
                )
            )
    if not hits and unread:
        raise MissingData(
            "；".join(f"{t} 未读出列 {'、'.join(sorted(c))}" for t, c in unread.items())
            + " / columns not read"
        )
    return iter(hits)


def shown(cell: Decimal | None) -> str:
    """A printed cell as a message quotes it: its amount, or 留空 (blank is not zero)."""
    return "留空" if cell is None else money(cell)


_MESSAGE = (
    "{relation} 不成立：表中为 {stated}，各项相加为 {parts}{blanks}，相差 {difference}",
    "{relation} does not hold: stated {stated}, parts add up to {parts}{blanks_en}, "
    "difference {difference}",
)
_FIX = "核对该行（列）与其组成部分的金额，改正录入或汇总错误。"
_EXAMPLE = {
    "relation": "= Σ 下级科目",
    "stated": "3,918.30万元",
    "parts": "3,908.30万元",
    "difference": "10.00万元",
    "blanks": "",
    "blanks_en": "",
}


@rule(
    "ARITH-001",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("科目层级合计不平", "A total by classification does not equal its parts"),
    message=_MESSAGE,
    basis="standards §2.2 IN-HIER: 类 = Σ 款, 款 = Σ 项, 合计 = Σ 类 (财预〔2016〕143号 表式)",
    fix=_FIX,
    example=_EXAMPLE,
)
def hierarchy_adds_up(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances(subject, "hierarchy"))


@rule(
    "ARITH-002",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("行内合计不平", "A row's total does not equal its columns"),
    message=_MESSAGE,
    basis="standards §2.2 IN-T2-1, IN-T3-1, IN-T5-1, IN-T4-2",
    fix=_FIX,
    example={**_EXAMPLE, "relation": "合计 = 基本支出 + 项目支出"},
)
def rows_add_up(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances(subject, "rows"))


@rule(
    "ARITH-003",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("收支总表不平衡", "Revenue and expenditure summary does not balance"),
    message=_MESSAGE,
    basis="standards §2.2 IN-T1-1, IN-T1-4, IN-T1-5, IN-T4-1 (收入总计 = 支出总计)",
    fix=_FIX,
    example={**_EXAMPLE, "relation": "本年收入合计 = 本年支出合计"},
)
def summaries_balance(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances(subject, "two-sided"))


@rule(
    "ARITH-004",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("“三公”经费合计不平", "Three public expenses do not add up"),
    message=_MESSAGE,
    basis="standards §2.2 IN-T7-1, IN-T7-2 (143号: 公务用车购置及运行费分列)",
    fix=_FIX,
    example={**_EXAMPLE, "relation": "合计 = 因公出国(境)费 + 公务接待费 + 公务用车费"},
)
def three_public_adds_up(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances(subject, "three-public"))


@rule(
    "ARITH-005",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("政府采购预算合计不平", "Procurement totals do not add up"),
    message=_MESSAGE,
    basis="standards §2.2 IN-GP-1; 表式: 预算总计 = Σ 资金来源, 汇总行 = Σ 明细",
    fix=_FIX,
    example={**_EXAMPLE, "relation": "预算总计 = Σ 资金来源"},
)
def procurement_adds_up(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances(subject, "procurement"))


@rule(
    "ARITH-006",
    group="arithmetic",
    severity=Severity.FATAL,
    title=("机关运行经费合计不平", "Operating costs total does not equal the units"),
    message=_MESSAGE,
    basis="表式: 合计 = Σ 单位",
    fix=_FIX,
    example={**_EXAMPLE, "relation": "合计 = Σ 单位"},
)
def operating_adds_up(subject: Subject) -> Iterator[Hit]:
    return _hits(subject, balances(subject, "operating"))


@rule(
    "ARITH-007",
    group="arithmetic",
    severity=Severity.INFO,
    title=("汇总数留空", "Subtotals left blank"),
    message=(
        "{table}有 {count} 处{side}留空（如 {first}）：留空不是 0，这些合计无法按表核对；"
        "如为表式选择，宜在表下注明",
        "{table}: {count} {side_en} left blank (e.g. {first}): blank is not zero, so these "
        "totals cannot be checked from the table; if the template leaves them blank, say so",
    ),
    basis="docs/audit.md: a cell left blank stays blank, not zero; 财预〔2016〕143号 表式 prints "
    "类/款 subtotals. One note per table: leaving subtotals blank is one presentation choice",
    fix="列出各级汇总数（类、款合计及各列合计），或在表下说明留空的含义。",
    example={
        "table": "2021年部门支出总表",
        "count": 23,
        "side": "汇总数（其下各项有金额）",
        "side_en": "subtotal(s) whose parts have amounts",
        "first": "201 一般公共服务支出 合计",
    },
)
def blank_subtotals(subject: Subject) -> Iterator[Hit]:
    found = every_balance(subject)
    by_table: dict[str, dict[str, dict[tuple[int, str], Balance]]] = {}
    for balance in found:
        if balance.blank_side and not balance.unread:
            sides = by_table.setdefault(balance.table.id, {})
            cells = sides.setdefault(balance.blank_side, {})
            cells.setdefault((id(balance.row), balance.column), balance)  # each cell once
    for sides in by_table.values():
        # blank subtotals explain the totals whose parts are then blank: count those only
        if "total" in sides:
            blanks = list(sides["total"].values())
            side, side_en = "汇总数（其下各项有金额）", "subtotal(s) whose parts have amounts"
        else:
            blanks = list(sides["parts"].values())
            side, side_en = "组成项（其合计有金额）", "part(s) under a printed total"
        first = blanks[0]
        location = _location(subject, first)
        yield Hit(
            location,
            {
                "table": first.table.title,
                "count": len(blanks),
                "side": side,
                "side_en": side_en,
                "first": f"{location.row} {location.column}".strip(),
            },
        )


@rule(
    "ARITH-090",
    group="arithmetic",
    severity=Severity.INFO,
    title=("四舍五入尾差", "Rounding differences in the displayed unit"),
    message=(
        "{table}有 {count} 处合计与各项按显示单位四舍五入后相加不等（最大相差 {largest}，如 {first}）："
        "精确金额平衡，差异因四舍五入产生",
        "{table}: {count} total(s) differ from the sum of their rounded parts (largest {largest}, "
        "e.g. {first}); exact amounts balance, the difference comes from rounding",
    ),
    basis="standards §2.1: exact decimals, rounding differences reported as info, never hidden",
    fix="无需改正；可在表下注明“因四舍五入，合计数与各分项之和可能存在尾差”。",
    example={
        "table": "2021年预算收入总表",
        "count": 3,
        "largest": "0.01万元",
        "first": "201 一般公共服务支出 合计",
    },
)
def rounding_differences(subject: Subject) -> Iterator[Hit]:
    """One finding per table (not per cell): a reader wants to know that, and how much, not 300 times."""
    found = every_balance(subject)
    if not found:
        raise MissingData("没有可核对的表 / no tables to check")
    by_table: dict[str, list[tuple[Balance, Decimal]]] = {}
    for balance in found:
        if balance.unread or balance.blank_side:
            continue
        if subject.exact:
            gap = (
                balance.displayed_difference() * balance.table.unit.factor
                if balance.difference == 0
                else ZERO
            )
        else:
            limit = subject.tolerance(balance.table, len(balance.parts))
            gap = balance.difference if abs(balance.difference) <= limit else ZERO
        if gap:
            by_table.setdefault(balance.table.id, []).append((balance, gap))
    for gaps in by_table.values():
        first, _ = gaps[0]
        location = _location(subject, first)
        yield Hit(
            location,
            {
                "table": first.table.title,
                "count": len(gaps),
                "largest": money(max((abs(g) for _, g in gaps), default=ZERO)),
                "first": f"{location.row} {location.column}",
            },
        )
