"""表文一致 and 文内一致: the figures the narrative (部门预算情况说明) states against the tables, and
against each other (standards §2.4 TT-1 … TT-9, §2.5 N-2, N-4, N-5, N-6).

The narrative's figures come from ``yusuan.audit.narrative`` as ``StatedFigure`` records: the
amount as printed, its share, its change from last year, and what it is a figure of (a subject
keyword, or a 支出功能分类 科目). This module says which table cell each subject means
(``Resolver``) — by the section the figure stands in and the whole it is a part of ("本年支出预算
合计…，其中：基本支出…" is the 支出总表's 基本支出; "一般公共预算支出…，其中：基本支出…" is the
一般公共预算支出表's) — and each rule compares what the text says with the cell.

A printed figure stands for any exact amount within half a unit of its last digit, and so does a
table cell of a published document: two figures are reported as different only when no exact
amount could be printed as both (half a unit of the text's precision plus the table's rounding).
Shares and rates are compared the same way: the interval of ratios the printed amounts allow,
widened by half a unit of the printed percentage.

The rules need the narrative on the subject (``narrative_figures``): they do not apply to a
dataset or document without one.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from yusuan.audit import narrative as n
from yusuan.audit.narrative import StatedFigure
from yusuan.catalog.loader import PERSONNEL_CLASSES, Classification
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
from yusuan.rules.subject import Subject
from yusuan.tables.base import TOTAL, Row, Table

ZERO = Decimal(0)
HUNDRED = Decimal(100)

INCOME_EXPENDITURE = "income-expenditure"
INCOME = "income"
EXPENDITURE = "expenditure"
FISCAL = "fiscal"
GENERAL_BUDGET = "general-budget"
BASIC_ECONOMIC = "basic-economic"
FUND_EXPENDITURE = "fund-expenditure"
STATE_CAPITAL = "state-capital"
THREE_PUBLIC = "three-public"
OPERATING_COSTS = "operating-costs"
PROCUREMENT = "procurement"

TABLE_NAMES = {
    INCOME_EXPENDITURE: "收支总表",
    INCOME: "收入总表",
    EXPENDITURE: "支出总表",
    FISCAL: "财政拨款收支总表",
    GENERAL_BUDGET: "一般公共预算支出表",
    BASIC_ECONOMIC: "一般公共预算基本支出表",
    FUND_EXPENDITURE: "政府性基金预算支出表",
    STATE_CAPITAL: "国有资本经营预算支出表",
    THREE_PUBLIC: "“三公”经费表",
    OPERATING_COSTS: "机关运行经费表",
    PROCUREMENT: "政府采购预算表",
}

NARRATIVE_FILE = "情况说明"


# --- the narrative on the subject ------------------------------------------------------------


def narrative_figures(subject: Subject) -> tuple[StatedFigure, ...]:
    """The figures of the subject's narrative (``subject.narrative``); NotApplicable without."""
    figures = getattr(subject, "narrative", None)
    if not figures:
        raise NotApplicable("没有情况说明文字 / no narrative (部门预算情况说明)")
    return tuple(figures)


def with_narrative(subject: Subject, figures: Sequence[StatedFigure]) -> Subject:
    """A copy of the subject carrying these narrative figures (as ``subject.narrative``)."""
    names = {f.name for f in dataclasses.fields(subject)}
    if "narrative" in names:
        return dataclasses.replace(subject, narrative=tuple(figures))
    copy = dataclasses.replace(subject)
    object.__setattr__(copy, "narrative", tuple(figures))
    return copy


# --- targets: which cell a figure means -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """A cell (or a sum of cells) of a table.

    ``row``: "" the total row; a code; ``CODE1+CODE2``; ``X*`` the detail rows whose code
    starts with X; ``@label`` the line of a two-sided summary whose income item is that label;
    ``~word`` the first row whose name contains the word. ``column``: a key or ``KEY1+KEY2``.
    ``minus``: a (row, column) subtracted (公用经费 = 合计 − 人员经费). ``also``: cells of other
    tables added (财政拨款 = 一般公共预算 + 政府性基金 + 国有资本经营).
    """

    table: str
    row: str
    column: str
    minus: tuple[str, str] | None = None
    also: tuple[tuple[str, str, str], ...] = ()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row, self.column)


def T(table: str, row: str, column: str, **extra: object) -> Target:
    return Target(table, row, column, **extra)  # type: ignore[arg-type]


FUNCTION_TABLES = (GENERAL_BUDGET, FUND_EXPENDITURE, STATE_CAPITAL)

# Income lines of a two-sided summary, by subject: the labels they are printed with, and the
# column of the 收入总表 that holds the same money.
INCOME_LINES: dict[str, tuple[tuple[str, ...], str]] = {
    n.GENERAL: (("一般公共预算", "一般公共预算资金", "一般公共预算拨款"), "general"),
    n.FUND: (("政府性基金", "政府性基金预算", "纳入预算管理的政府性基金"), "fund"),
    n.STATE_CAPITAL: (("国有资本经营预算", "国有资本经营预算资金"), "state_capital"),
    n.SPECIAL_ACCOUNT: (("财政专户管理资金",), "special_account"),
    n.UNIT_FUNDS: (("单位资金",), "unit_funds"),
    n.OTHER_FUNDS: (("其他资金",), "unit_funds"),
    n.BUSINESS_INCOME: (("事业收入",), "business_income"),
    n.OPERATING_INCOME: (("事业单位经营收入", "经营收入"), "operating_income"),
    n.OTHER_INCOME: (("其他收入",), "other_income"),
    n.SUPERIOR_GRANTS: (("上级补助收入",), "superior_grants"),
    n.SUBORDINATE_PAYMENTS: (("附属单位上缴收入",), "subordinate_payments"),
    n.CARRYOVER: (("上年结转", "上年结转资金", "上年结转结余"), "carryover"),
}
FISCAL_LINES = (n.GENERAL, n.FUND, n.STATE_CAPITAL)

THREE_PUBLIC_COLUMNS = {
    n.THREE_PUBLIC: "total",
    n.ABROAD: "abroad",
    n.VEHICLE: "vehicle_subtotal",
    n.VEHICLE_PURCHASE: "vehicle_purchase",
    n.VEHICLE_OPERATION: "vehicle_operation",
    n.RECEPTION: "reception",
    n.MEETING: "meeting",
    n.TRAINING: "training",
}
PROCUREMENT_KINDS = {n.GOODS: "A", n.WORKS: "B", n.SERVICES: "C"}
PERSONNEL_ROWS = "+".join(PERSONNEL_CLASSES)  # "301+303": the rows of 人员经费


def _norm(text: str) -> str:
    return re.sub(r"[\s“”\"]", "", unicodedata.normalize("NFKC", text))


def _strip_number(text: str) -> str:
    return re.sub(
        r"^(?:[一二三四五六七八九十]+、|\d+[.、．]|[(（][一二三四五六七八九十\d]+[)）])", "", text
    )


def _class_key(name: str) -> str:
    return re.sub(r"支出$", "", _norm(name))


class Resolver:
    """Which table cells each stated figure means, for one subject and its narrative."""

    def __init__(self, subject: Subject, figures: Sequence[StatedFigure]) -> None:
        self.subject = subject
        self.figures = figures
        self.by_index = {f.index: f for f in figures}
        self._cache: dict[int, tuple[Target, ...]] = {}
        self._names_cache: dict[str, dict[str, str]] = {}

    # -- subjects -> targets

    def lead_subject(self, figure: StatedFigure) -> str:
        lead = self.by_index.get(figure.lead)
        return lead.subject if lead is not None else ""

    def targets(self, figure: StatedFigure) -> tuple[Target, ...]:
        """The cells the figure may mean, most fitting first (empty when it names nothing).

        They are alternatives for one cell (the first the subject has is meant), except for a
        figure that states two totals at once (see ``cells``).
        """
        if figure.role == "prior" or figure.measure:
            return ()  # last year's, or a 决算's 年初预算/全年预算/决算: not a 预算 table's cell
        if figure.index not in self._cache:
            if figure.subject == n.FUNCTION and figure.function is not None:
                found = self.function_targets(figure.function, figure.topic)
                found = _function_part(found, figure.subjects[1:])
            elif figure.subject:
                found = self.concept(figure.subject, figure.topic, self.lead_subject(figure))
            else:
                found = self.unit_row(figure)
            self._cache[figure.index] = found
        return self._cache[figure.index]

    def cells(self, figure: StatedFigure) -> list[tuple[Target, ...]]:
        """The cells a figure states, each as its alternatives: one, or two for "收、支总计"."""
        targets = self.targets(figure)
        if figure.subject in (n.BOTH_TOTALS, n.FISCAL_BOTH, n.GRAND_TOTAL):
            return [(t,) for t in targets]
        return [targets] if targets else []

    def key(self, figure: StatedFigure) -> tuple[str, str, str] | None:
        """What a figure is a figure of, as the first cell it may mean."""
        cells = self.cells(figure)
        return cells[0][0].key if cells else None

    def concept(self, c: str, topic: str, lead: str = "") -> tuple[Target, ...]:
        if c == n.BOTH_TOTALS:
            return (T(INCOME_EXPENDITURE, "", "income"), T(INCOME_EXPENDITURE, "", "expenditure"))
        # the grand totals include the carry-overs: the 收入总表's and 支出总表's 合计, never
        # the 收支总表's 本年收入合计
        if c == n.GRAND_TOTAL:
            return (T(INCOME, "", "total"), T(EXPENDITURE, "", "total"))
        if c == n.INCOME_GRAND:
            return (T(INCOME, "", "total"),)
        if c == n.EXPENDITURE_GRAND:
            return (T(EXPENDITURE, "", "total"),)
        if c == n.FISCAL_BOTH:
            return (T(FISCAL, "", "income"), T(FISCAL, "", "subtotal"))
        if c == n.INCOME_TOTAL:
            if topic == "income":
                return (T(INCOME, "", "total"), T(INCOME_EXPENDITURE, "", "income"))
            return (T(INCOME_EXPENDITURE, "", "income"), T(INCOME, "", "total"))
        if c == n.EXPENDITURE_TOTAL:
            if topic == "expenditure":
                return (T(EXPENDITURE, "", "total"), T(INCOME_EXPENDITURE, "", "expenditure"))
            return (T(INCOME_EXPENDITURE, "", "expenditure"), T(EXPENDITURE, "", "total"))
        if c == n.FISCAL_INCOME:
            return (T(FISCAL, "", "income"),)
        if c == n.FISCAL_EXPENDITURE:
            return (T(FISCAL, "", "subtotal"),)
        if c in INCOME_LINES:
            labels, column = INCOME_LINES[c]
            line = "@" + "|".join(labels)
            if c in FISCAL_LINES and (topic == "fiscal" or lead == n.FISCAL_INCOME):
                return (T(FISCAL, line, "income"),)
            if topic == "income":
                return (T(INCOME, "", column), T(INCOME_EXPENDITURE, line, "income"))
            return (T(INCOME_EXPENDITURE, line, "income"), T(INCOME, "", column))
        if c == n.GENERAL_EXPENDITURE:
            return (T(GENERAL_BUDGET, "", "total"), T(FISCAL, "", "general"))
        if c == n.FUND_EXPENDITURE:
            return (T(FUND_EXPENDITURE, "", "total"), T(FISCAL, "", "fund"))
        if c == n.STATE_CAPITAL_EXPENDITURE:
            return (T(STATE_CAPITAL, "", "total"), T(FISCAL, "", "state_capital"))
        if c in (n.BASIC, n.PROJECT):
            column = "basic" if c == n.BASIC else "project"
            if lead == n.GENERAL_EXPENDITURE or topic == "general-budget":
                return (T(GENERAL_BUDGET, "", column),)
            if topic in ("fiscal", "fiscal-expenditure") or lead == n.FISCAL_EXPENDITURE:
                return (self._fiscal_sum("", column),)
            if topic == "basic" and c == n.BASIC:
                return (T(BASIC_ECONOMIC, "", "amount"), T(GENERAL_BUDGET, "", "basic"))
            if topic == "basic":
                return ()
            return (T(EXPENDITURE, "", column),)
        if c == n.FISCAL_BASIC:
            return (T(BASIC_ECONOMIC, "", "amount"), T(GENERAL_BUDGET, "", "basic"))
        if c == n.PERSONNEL:
            return (
                T(BASIC_ECONOMIC, "", "personnel"),
                T(BASIC_ECONOMIC, PERSONNEL_ROWS, "amount"),
            )
        if c == n.OPERATING:
            return (
                T(BASIC_ECONOMIC, "", "operating"),
                T(BASIC_ECONOMIC, "", "amount", minus=(PERSONNEL_ROWS, "amount")),
            )
        if c in THREE_PUBLIC_COLUMNS:
            return (T(THREE_PUBLIC, "", THREE_PUBLIC_COLUMNS[c]),)
        if c == n.OPERATING_COSTS:
            return (T(OPERATING_COSTS, "", "amount"), T(THREE_PUBLIC, "", "operating_costs"))
        if c == n.PROCUREMENT:
            return (T(PROCUREMENT, "", "total"),)
        if c in PROCUREMENT_KINDS:
            return (
                T(PROCUREMENT, f"{PROCUREMENT_KINDS[c]}*", "total"),
                T(PROCUREMENT, f"~{c}", "total"),
            )
        if c == n.RESERVE:
            return (T(EXPENDITURE, "", "reserve"),)
        if c == n.CARRY_FORWARD:
            return (T(EXPENDITURE, "", "carry_forward"),)
        return ()

    def _fiscal_sum(self, row: str, column: str) -> Target:
        return T(
            GENERAL_BUDGET,
            row,
            column,
            also=((FUND_EXPENDITURE, row, column), (STATE_CAPITAL, row, column)),
        )

    def unit_row(self, figure: StatedFigure) -> tuple[Target, ...]:
        """A unit named in the 机关运行经费 section ("其中：某某中心8.71万元")."""
        if figure.topic != "operating-costs" or figure.lead < 0:
            return ()
        table = self.subject.tables.get(OPERATING_COSTS)
        if table is None:
            return ()
        name = _norm(_strip_number(figure.label))
        row = next((r for r in table.rows if r.code and _norm(r.name) == name), None)
        return (T(OPERATING_COSTS, row.code, "amount"),) if row is not None else ()

    # -- 科目

    def function_targets(self, ref: n.FunctionRef, topic: str) -> tuple[Target, ...]:
        """The rows of the tables a section speaks of that hold the 科目 (alternatives)."""
        tables = self._function_tables(ref, topic)
        code = ""
        for table_id in tables:
            code, _ = self.function_code(ref, self.subject.tables.get(table_id))
            if code:
                break
        if not code:
            code, _ = self.function_code(ref, None)
        if not code:
            return ()
        result = []
        for table_id in tables:
            if table_id == INCOME_EXPENDITURE and len(code) != 3:
                continue
            column = "expenditure" if table_id == INCOME_EXPENDITURE else "total"
            if table_id == GENERAL_BUDGET and topic in ("fiscal", "fiscal-expenditure"):
                result.append(self._fiscal_sum(code, "total"))
            else:
                result.append(T(table_id, code, column))
        return tuple(result)

    @staticmethod
    def _function_tables(ref: n.FunctionRef, topic: str) -> tuple[str, ...]:
        by_topic = {
            "overview": (INCOME_EXPENDITURE, EXPENDITURE, GENERAL_BUDGET),
            "income": (INCOME,),
            "expenditure": (EXPENDITURE,),
            "general-budget": (GENERAL_BUDGET,),
            "fiscal": (GENERAL_BUDGET,),
            "fiscal-expenditure": (GENERAL_BUDGET,),
            "fund": (FUND_EXPENDITURE,),
            "state-capital": (STATE_CAPITAL,),
        }
        if topic in by_topic:
            return by_topic[topic]
        if ref.level == "类":
            return (INCOME_EXPENDITURE, GENERAL_BUDGET)
        return (GENERAL_BUDGET,)

    def function_code(self, ref: n.FunctionRef, table: Table | None) -> tuple[str, bool]:
        """The code a reference names, and whether a printed name only resembles its name."""
        if ref.code:
            return ref.code, False
        catalogue = self.subject.catalogs.function
        key = table.id if table is not None else ""
        names = self._names_cache.get(key)
        if names is None:
            names = self._names_cache[key] = self._names(table, catalogue)
        klass = ref.name("类") or ref.context
        item, sub = ref.name("款"), ref.name("项")
        codes = (
            [
                c
                for c, name in names.items()
                if len(c) == 3 and _class_key(name) == _class_key(klass)
            ]
            if klass
            else []
        )
        class_code = codes[0] if codes else ""
        if not item and not sub:
            return class_code, False
        parent = class_code
        code = ""
        fuzzy = False
        for level_name, length in ((item, 5), (sub, 7)):
            if not level_name:
                continue
            candidates = [
                c for c in names if len(c) == length and (not parent or c.startswith(parent))
            ]
            exact = [c for c in candidates if _norm(names[c]) == _norm(level_name)]
            if len(exact) >= 1 and (parent or len(exact) == 1):
                code = exact[0]
            elif parent and length == 7:
                code = _closest(level_name, candidates, names)
                fuzzy = bool(code)
            else:
                return "", False
            parent = code
            if not code:
                return "", False
        return code, fuzzy

    @staticmethod
    def _names(table: Table | None, catalogue: Classification) -> dict[str, str]:
        found: dict[str, str] = {}
        if table is not None:
            for row in table.rows:
                if row.code and row.code.isdigit() and row.name:
                    found.setdefault(row.code, row.name)
        for code, entry in catalogue.entries.items():
            found.setdefault(code, entry.name)
        return found


# the tables whose 科目 rows have 基本支出 / 项目支出 columns
_PART_TABLES = (EXPENDITURE, GENERAL_BUDGET, FUND_EXPENDITURE, STATE_CAPITAL)


def _function_part(targets: tuple[Target, ...], parts: Sequence[str]) -> tuple[Target, ...]:
    """A 科目's 项目支出 (or 基本支出) named after it: that column of the tables that have it."""
    column = "project" if n.PROJECT in parts else "basic" if n.BASIC in parts else ""
    if not column:
        return targets
    return tuple(
        dataclasses.replace(
            t, column=column, also=tuple((table, row, column) for table, row, _ in t.also)
        )
        for t in targets
        if t.table in _PART_TABLES
    )


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _closest(printed: str, candidates: Sequence[str], names: Mapping[str, str]) -> str:
    """The candidate whose name begins most like the printed name (≥ 4 characters, unique)."""
    scored = sorted(
        ((_common_prefix(_norm(printed), _norm(names[c])), c) for c in candidates),
        reverse=True,
    )
    if not scored or scored[0][0] < 4 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return ""
    return scored[0][1]


# --- reading cells -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellValue:
    """A target's value, how many printed cells make it (for rounding), and where it is."""

    value: Decimal
    terms: int
    row: str
    # where a finding points, as the other rules name it: the table's title, the column's label
    table_title: str = ""
    column_label: str = ""


def _num(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def total_row(table: Table) -> Row | None:
    return next((r for r in table.rows if r.kind == TOTAL and not r.code), None)


def _columns(row: Row, column: str) -> tuple[Decimal | None, int]:
    keys = column.split("+")
    values = [_num(row.values.get(k)) for k in keys if k in row.values]
    present = [v for v in values if v is not None]
    if not values:
        return None, 0
    return sum(present, ZERO), max(len(present), 1)


def _income_line(table: Table, labels: str) -> Row | None:
    wanted = {_norm(x) for x in labels.split("|")}
    for row in table.rows:
        item = row.values.get("income_item")
        if isinstance(item, str) and _norm(_strip_number(item.strip())) in wanted:
            return row
    return None


def cell(table: Table, row_ref: str, column: str) -> CellValue | None:
    """The value a row reference and column name in a table (None when it has no such cell)."""
    if row_ref == "":
        row = total_row(table)
        if row is not None:
            value, terms = _columns(row, column)
            return CellValue(value, terms, row.name) if value is not None else None
        top = [r for r in table.rows if r.level == min((x.level for x in table.rows), default=0)]
        parts = [_columns(r, column) for r in top]
        if not parts or all(v is None for v, _ in parts):
            return None
        return CellValue(
            sum((v for v, _ in parts if v is not None), ZERO),
            sum(t for _, t in parts),
            "合计",
        )
    if row_ref.startswith("@"):
        found = _income_line(table, row_ref[1:])
        if found is None:
            return None
        value, terms = _columns(found, column)
        return (
            CellValue(value, terms, str(found.values.get("income_item")))
            if value is not None
            else None
        )
    if row_ref.startswith("~"):
        found = _row_named(table, row_ref[1:])
        if found is None:
            return None
        value, terms = _columns(found, column)
        return CellValue(value, terms, found.name) if value is not None else None
    if row_ref.endswith("*"):
        prefix = row_ref[:-1]
        if not any(re.match(r"^[A-C]\d", r.code) for r in table.rows):
            return None  # the table does not print catalogue codes: cannot tell 货物 from 服务
        rows = [r for r in table.rows if r.kind == "detail" and r.code.startswith(prefix)]
        parts = [_columns(r, column) for r in rows]
        return CellValue(
            sum((v for v, _ in parts if v is not None), ZERO),
            max(sum(t for _, t in parts), 1),
            f"{prefix}（品目编码）",
        )
    total = ZERO
    terms = 0
    for code in row_ref.split("+"):
        found = table.row(code)
        if found is None:
            if "+" not in row_ref:
                return None
            continue
        value, count = _columns(found, column)
        if value is None and "+" not in row_ref:
            return None
        total += value or ZERO
        terms += count
    return CellValue(total, max(terms, 1), row_ref)


_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])"
)


def _row_named(table: Table, word: str) -> Row | None:
    """The row that is ``word`` ("三、服务 C" is 服务), not one that merely contains it
    ("商品和服务支出" is not): numbering and a trailing catalogue letter aside; else the one row
    whose name contains it; else none (a guess would compare the wrong figure)."""

    def bare(name: str) -> str:
        name = _NUMBERING.sub("", "".join(name.split()))
        return re.sub(r"[A-Z]$", "", name)

    exact = [r for r in table.rows if bare(r.name) == word]
    if exact:
        return exact[0]
    containing = [r for r in table.rows if word in r.name]
    return containing[0] if len(containing) == 1 else None


def target_value(subject: Subject, target: Target) -> CellValue | None:
    table = subject.tables.get(target.table)
    if table is None:
        return None
    found = cell(table, target.row, target.column)
    if found is None:
        return None
    value, terms = found.value, found.terms
    if target.minus is not None:
        minus = cell(table, *target.minus)
        if minus is None:
            return None
        value -= minus.value
        terms += minus.terms
    for table_id, row, column in target.also:
        other = subject.tables.get(table_id)
        extra = cell(other, row, column) if other is not None else None
        if extra is not None:
            value += extra.value
            terms += extra.terms
    labels = {c.key: c.label for c in table.columns}
    column = "+".join(labels.get(key, key) for key in target.column.split("+"))
    return CellValue(value, terms, found.row, table.title, column)


def half_cell(subject: Subject, table_id: str, terms: int) -> Decimal:
    """How far a (sum of) printed table cell(s) may be from the exact amount."""
    table = subject.tables.get(table_id)
    if table is None or subject.exact:
        return ZERO
    return table.unit.factor * Decimal("0.005") * max(terms, 1)


# --- comparing -------------------------------------------------------------------------------


def where(figure: StatedFigure, table: str = "", row: str = "", column: str = "") -> Location:
    return Location(
        table=table,
        row=row,
        column=column,
        field=f"“{excerpt(figure.sentence, 40)}”",
        file=NARRATIVE_FILE,
        line=figure.line,
        page=figure.page,
    )


def _hit(figure: StatedFigure, location: Location | None = None, **values: object) -> Hit:
    """A finding on a stated figure: at its sentence (or ``location``), with where it stands
    (``{where}``) and ``values``."""
    return Hit(
        location if location is not None else where(figure), {"where": figure.where(), **values}
    )


def ratio_range(
    part: Decimal, part_half: Decimal, whole: Decimal, whole_half: Decimal
) -> tuple[Decimal, Decimal] | None:
    """The ratios that amounts printed as ``part`` and ``whole`` allow."""
    low_whole, high_whole = whole - whole_half, whole + whole_half
    if high_whole <= 0:
        return None
    low = max(part - part_half, ZERO) / high_whole
    high = (part + part_half) / low_whole if low_whole > 0 else Decimal("Infinity")
    return low, high


def percent_half(places: int) -> Decimal:
    """Half a unit of a printed percentage, as a ratio (52.02% -> 0.00005)."""
    return Decimal(5) * Decimal(10) ** (-places - 1) / HUNDRED


def pct(ratio: Decimal) -> str:
    return f"{(ratio * HUNDRED).quantize(Decimal('0.01'))}%"


@dataclass(frozen=True, slots=True)
class Check:
    """One stated figure against one cell."""

    figure: StatedFigure
    target: Target
    value: CellValue


# cells checked by another table's rule: the 机关运行经费 column of a 三公 table (上海)
BORROWED = {(THREE_PUBLIC, "operating_costs"): OPERATING_COSTS}


def owns(tables: Sequence[str], target: Target) -> bool:
    """Is the target's cell one that a rule about ``tables`` checks?"""
    borrowed = BORROWED.get((target.table, target.column))
    if borrowed is not None:
        return borrowed in tables
    return target.table in tables


def checks_for(subject: Subject, tables: Sequence[str]) -> Iterator[Check]:
    """Every stated figure whose cell is in one of ``tables``, with the cell's value.

    Of a cell's alternatives the first the subject has is meant. NotApplicable when the
    narrative states no figure of these tables; MissingData when it does but they are absent.
    """
    figures = narrative_figures(subject)
    resolver = Resolver(subject, figures)
    wanted: list[tuple[StatedFigure, Target]] = []
    for figure in figures:
        for alternatives in resolver.cells(figure):
            available = [t for t in alternatives if target_value(subject, t) is not None]
            pick = available[0] if available else alternatives[0]
            if owns(tables, pick):
                wanted.append((figure, pick))
    if not wanted:
        raise NotApplicable(
            "情况说明没有述及这些表的数字 / the narrative states no figure of these tables"
        )
    found = 0
    for figure, target in wanted:
        value = target_value(subject, target)
        if value is None:
            continue
        found += 1
        yield Check(figure, target, value)
    if not found and not any(t.table in subject.tables for _, t in wanted):
        raise MissingData(
            "缺少表 " + "、".join(TABLE_NAMES.get(t, t) for t in tables) + " / table missing"
        )


def amount_hits(subject: Subject, tables: Sequence[str]) -> Iterator[Hit]:
    """Stated amounts that the tables contradict beyond the rounding of both.

    One finding per stated amount and cell: an item's figure said again in its own paragraph
    ("2024年预算安排738.66万元") is not a second finding.
    """
    reported: set[tuple[tuple[str, str, str], Decimal]] = set()
    for check in checks_for(subject, tables):
        figure, target, value = check.figure, check.target, check.value
        allowed = figure.half_unit + half_cell(subject, target.table, value.terms)
        difference = figure.amount - value.value
        if abs(difference) > allowed and (target.key, figure.amount) not in reported:
            reported.add((target.key, figure.amount))
            yield _amount_hit(check, figure.text, money(value.value), money(abs(difference)))


@dataclass(frozen=True, slots=True)
class ShareCheck:
    """A stated share whose part and whole are both table cells: the ratio the cells allow."""

    check: Check
    whole: CellValue
    low: Decimal
    high: Decimal


def share_checks(subject: Subject) -> Iterator[ShareCheck]:
    """Every stated share whose amount agrees with its table cell (else the amount is the
    finding) and whose whole is a table cell too, with the ratios the printed cells allow."""
    figures = narrative_figures(subject)
    resolver = Resolver(subject, figures)
    for check in checks_for(subject, tuple(TABLE_NAMES)):
        figure, target, value = check.figure, check.target, check.value
        if figure.share is None:
            continue
        allowed = figure.half_unit + half_cell(subject, target.table, value.terms)
        if abs(figure.amount - value.value) > allowed:
            continue
        whole = whole_target(subject, resolver, figure)
        whole_value = target_value(subject, whole) if whole is not None else None
        if whole is None or whole_value is None or whole_value.value <= 0:
            continue
        bounds = ratio_range(
            value.value,
            half_cell(subject, target.table, value.terms),
            whole_value.value,
            half_cell(subject, whole.table, whole_value.terms),
        )
        if bounds is not None:
            yield ShareCheck(check, whole_value, bounds[0], bounds[1])


def closing_adjustment(
    figure: StatedFigure, figures: Sequence[StatedFigure], whole: Decimal
) -> bool:
    """Is the share moved by one unit of its last digit so that the shares of its sentence add
    up to exactly 100% (尾差调整)? Only when the shares rounded from the amounts do not add up
    to 100% (an adjustment was needed) and the printed ones do."""
    if figure.share is None or whole <= 0:
        return False
    siblings = [
        f
        for f in figures
        if f.share is not None
        and f.role != "prior"
        and f.sentence_index == figure.sentence_index
        and f.share_of == figure.share_of
    ]
    if len(siblings) < 2 or sum((f.share or ZERO for f in siblings), ZERO) != 1:
        return False
    rounded = sum(
        (
            (f.amount / whole).quantize(Decimal(10) ** -(f.share_places + 2), ROUND_HALF_UP)
            for f in siblings
        ),
        ZERO,
    )
    unit = Decimal(10) ** -(figure.share_places + 2)
    return rounded != 1 and abs(figure.share - figure.amount / whole) <= unit


def shares_in_tables(subject: Subject) -> set[int]:
    """The stated shares (by index) that TT-012 recomputes from the tables."""
    try:
        return {found.check.figure.index for found in share_checks(subject)}
    except (NotApplicable, MissingData):
        return set()


def table_value(subject: Subject, resolver: Resolver, figure: StatedFigure) -> CellValue | None:
    """The table cell a stated figure means, when the document prints it."""
    cells = resolver.cells(figure)
    for target in cells[0] if cells else ():
        found = target_value(subject, target)
        if found is not None:
            return found
    return None


def _amount_hit(check: Check, stated: str, value: str, difference: str) -> Hit:
    """A stated amount (or share) the table contradicts, at the table's cell."""
    figure, target = check.figure, check.target
    return Hit(
        where(
            figure,
            check.value.table_title or target.table,
            check.value.row,
            check.value.column_label or target.column,
        ),
        {
            "stated": stated,
            "what": _what(figure),
            "table": TABLE_NAMES.get(target.table, target.table),
            "value": value,
            "difference": difference,
            "where": figure.where(),
        },
    )


def _what(figure: StatedFigure) -> str:
    if figure.function is not None:
        return figure.function.describe() or figure.label
    return figure.subject or excerpt(figure.label, 16)


def whole_target(subject: Subject, resolver: Resolver, figure: StatedFigure) -> Target | None:
    """The cell a stated share is a share of: named after 占, or the sentence's lead, or the
    customary whole of the part."""
    if figure.share_of:
        found = n.subjects_of(figure.share_of)
        if found:
            targets = resolver.concept(found[0], figure.topic)
            return next((t for t in targets if target_value(subject, t) is not None), None)
        return None
    lead = resolver.by_index.get(figure.lead)
    if lead is not None:
        cells = resolver.cells(lead)
        targets = cells[0] if cells else ()
        return next((t for t in targets if target_value(subject, t) is not None), None)
    own = resolver.targets(figure)
    if not own:
        return None
    table = own[0].table
    if table in (INCOME, EXPENDITURE, GENERAL_BUDGET, THREE_PUBLIC):
        return T(table, "", "total")
    return None


def _amount_rule(rule_id: str, tables: tuple[str, ...], title: str, basis: str) -> None:
    def check(subject: Subject) -> Iterator[Hit]:
        return amount_hits(subject, tables)

    rule(
        rule_id,
        group="cross-table",
        severity=Severity.FATAL,
        title=(f"情况说明与{title}一致", f"the narrative agrees with the {title}"),
        message=(
            "{where}情况说明称{what}为{stated}，{table}为{value}（相差{difference}）",
            "{where}: the narrative states {what} as {stated}; the {table} has {value} "
            "(difference {difference})",
        ),
        basis=basis,
        fix="以表中数字为准改正情况说明（或改正表格），使文字与表格一致。",
        example={
            "where": "第9页第195行",
            "what": n.INCOME_TOTAL,
            "stated": "13,377.11万元",
            "table": TABLE_NAMES[tables[0]],
            "value": "13,377.10万元",
            "difference": "0.01万元",
        },
    )(check)


_amount_rule(
    "TT-001",
    (INCOME_EXPENDITURE,),
    "收支总表",
    "standards §2.4 TT-1：收支总体情况说明的收入、支出合计与收支总表一致",
)
_amount_rule(
    "TT-002",
    (INCOME,),
    "收入总表",
    "standards §2.4 TT-2：收入说明的各项收入及占比（以本年收入合计为分母）与收入总表一致",
)
_amount_rule(
    "TT-003",
    (EXPENDITURE,),
    "支出总表",
    "standards §2.4 TT-3：支出说明的基本支出、项目支出及占比（以本年支出合计为分母）与支出总表一致",
)
_amount_rule(
    "TT-004",
    (FISCAL,),
    "财政拨款收支总表",
    "standards §2.4 TT-4：财政拨款收支说明与财政拨款收支总表一致",
)
_amount_rule(
    "TT-005",
    (GENERAL_BUDGET,),
    "一般公共预算支出表",
    "standards §2.4 TT-5/TT-10：一般公共预算支出合计及占比、各类占比、所列每个项的金额与一般公共预算支出表一致",
)
_amount_rule(
    "TT-006",
    (BASIC_ECONOMIC,),
    "一般公共预算基本支出表",
    "standards §2.4 TT-6：基本支出说明的人员经费、公用经费与基本支出表一致",
)
_amount_rule(
    "TT-007",
    (THREE_PUBLIC,),
    "“三公”经费表",
    "standards §2.4 TT-7：“三公”经费说明的合计、各项及占比与“三公”经费表一致",
)
_amount_rule(
    "TT-008",
    (OPERATING_COSTS,),
    "机关运行经费表",
    "standards §2.4 TT-8：机关运行经费说明与机关运行经费表一致",
)
_amount_rule(
    "TT-009",
    (FUND_EXPENDITURE, STATE_CAPITAL),
    "政府性基金、国有资本经营预算支出表",
    "standards §2.4 TT-9：政府性基金、国有资本经营预算说明与其支出表一致",
)
_amount_rule(
    "TT-010",
    (PROCUREMENT,),
    "政府采购预算表",
    "143号文：政府采购预算情况说明（总额及货物、工程、服务）与政府采购预算表一致",
)


# --- TT-012: shares against the tables ----------------------------------------------------


@rule(
    "TT-012",
    group="cross-table",
    severity=Severity.WARNING,
    title=("情况说明所述占比与表中金额一致", "shares in the narrative follow from the tables"),
    message=(
        "{where}情况说明称{what}{stated}占{share}，按{table}的{value}与{whole}重算应为{computed}",
        "{where}: the narrative says {what} {stated} is {share}; the {table}'s {value} of "
        "{whole} give {computed}",
    ),
    basis="standards §2.4 TT-2/TT-3/TT-5/TT-7：占比以表中金额重算（允许四舍五入误差：所印位数的半个单位）",
    fix="以表中金额重算占比（四舍五入保留两位小数）。",
    example={
        "where": "第26页第549行",
        "what": n.BASIC,
        "stated": "15,844.04万元",
        "share": "66.56%",
        "table": "支出总表",
        "value": "15,844.04万元",
        "whole": "24,169.74万元",
        "computed": "65.55%",
    },
)
def shares_against_tables(subject: Subject) -> Iterator[Hit]:
    figures = narrative_figures(subject)
    shares = list(share_checks(subject))
    if not shares:
        raise NotApplicable("情况说明没有可按表中金额重算的占比 / no share to recompute")
    for found in shares:
        figure, value = found.check.figure, found.check.value
        assert figure.share is not None
        half = percent_half(figure.share_places)
        outside = figure.share + half < found.low or figure.share - half > found.high
        if outside and not closing_adjustment(figure, figures, found.whole.value):
            yield _hit(
                figure,
                where(
                    figure,
                    value.table_title or found.check.target.table,
                    value.row,
                    value.column_label or found.check.target.column,
                ),
                what=_what(figure),
                stated=figure.text,
                share=figure.share_text,
                table=TABLE_NAMES.get(found.check.target.table, found.check.target.table),
                value=money(value.value),
                whole=money(found.whole.value),
                computed=pct(value.value / found.whole.value),
            )


# --- TT-011: 科目名称 --------------------------------------------------------------------------


@rule(
    "TT-011",
    group="cross-table",
    severity=Severity.WARNING,
    title=("情况说明中的科目名称规范", "function names in the narrative are the official ones"),
    message=(
        "{where}情况说明所列科目“{printed}（{level}）”不是{code}的规范名称“{official}”",
        "{where}: the narrative names {code} as “{printed}” ({level}); its official name is "
        "“{official}”",
    ),
    basis="standards §2.4 TT-5（名称 = 科目表中该编码的规范名称）、§2.5 N-8",
    fix="按当年《政府收支分类科目》改用规范名称。",
    example={
        "where": "第28页第894行",
        "printed": "机关事业单位基本养老保险费",
        "level": "项",
        "code": "2080505",
        "official": "机关事业单位基本养老保险缴费支出",
    },
)
def function_names(subject: Subject) -> Iterator[Hit]:
    figures = narrative_figures(subject)
    resolver = Resolver(subject, figures)
    named = [f for f in figures if f.function is not None and f.role == "current"]
    if not named:
        raise NotApplicable("情况说明没有列出科目 / the narrative lists no function codes")
    catalogue = subject.catalogs.function
    for figure in named:
        ref = figure.function
        assert ref is not None
        table_ids = resolver._function_tables(ref, figure.topic)
        code, _ = next(
            (
                found
                for t in table_ids
                if (found := resolver.function_code(ref, subject.tables.get(t)))[0]
            ),
            resolver.function_code(ref, None),
        )
        if not code:
            continue
        for level, printed in ref.names:
            length = {"类": 3, "款": 5, "项": 7}[level]
            if len(code) < length:
                continue
            official = catalogue.name(code[:length])
            if not official:
                continue
            same = _norm(printed) == _norm(official) or (
                level == "类" and _class_key(printed) == _class_key(official)
            )
            if not same:
                yield _hit(
                    figure,
                    where(figure, row=code[:length]),
                    printed=printed,
                    level=level,
                    code=code[:length],
                    official=official,
                )


# --- NR-002: growth rates ------------------------------------------------------------------


def _prior_of(figure: StatedFigure) -> tuple[Decimal, Decimal] | None:
    """Last year's amount a figure's change implies, with how far it may be off (元)."""
    change = figure.change
    if change is None:
        return None
    if change.prior is not None:
        return change.prior, n.half_unit(change.prior_unit or figure.unit, change.prior_places)
    if change.amount is not None and change.direction != n.FLAT:
        signed = change.amount if change.direction == n.UP else -change.amount
        half = figure.half_unit + n.half_unit(
            change.amount_unit or figure.unit, change.amount_places
        )
        return figure.amount - signed, half
    return None


@rule(
    "NR-002",
    group="cross-table",
    severity=Severity.WARNING,
    title=("增减率按两年数字重算一致", "rates of change agree with the amounts"),
    message=(
        "{where}{what}：{problem}",
        "{where} {what}: {problem_en}",
    ),
    basis="standards §2.5 N-1、N-2：增减率 =（本年 − 上年）÷ 上年；上年为0时不得表述“增长X%”；增减方向与数字一致",
    fix="按（本年数 − 上年数）÷ 上年数重算增减率（四舍五入保留两位小数）；上年为0时只说增加额。",
    example={
        "where": "第26页第831行",
        "what": n.PROJECT,
        "problem": "称减少13.22%，按本年4335.3万元、减少1237.7万元重算应为22.21%",
        "problem_en": "states a 13.22% decrease; the amounts give 22.21%",
    },
)
def rates_of_change(subject: Subject) -> Iterator[Hit]:
    figures = [f for f in narrative_figures(subject) if f.change is not None]
    if not figures:
        raise NotApplicable("情况说明没有与上年比较 / the narrative makes no comparison")
    resolver = Resolver(subject, narrative_figures(subject))
    for figure in figures:
        problems = list(rate_problems(figure))
        if not problems:
            continue
        # an amount the table contradicts is the TT finding; a rate that follows from the
        # table's amount is not a second one
        cell_value = table_value(subject, resolver, figure)
        if cell_value is not None and not list(
            rate_problems(dataclasses.replace(figure, amount=cell_value.value))
        ):
            continue
        what = _what(figure)
        for problem, problem_en in problems:
            yield _rate_hit(figure, what, problem, problem_en)


def rate_problems(figure: StatedFigure) -> Iterator[tuple[str, str]]:
    """What is wrong with a figure's stated change (in Chinese and English), if anything."""
    change = figure.change
    prior = _prior_of(figure)
    if change is None or prior is None:
        return
    base, base_half = prior
    current, current_half = figure.amount, figure.half_unit
    if change.prior is not None:
        diff = current - base
        slack = current_half + base_half
        wrong_way = (
            (change.direction == n.UP and diff < -slack)
            or (change.direction == n.DOWN and diff > slack)
            or (change.direction == n.FLAT and abs(diff) > slack)
        )
        if wrong_way:
            yield (
                f"称{change.word}，但本年{figure.text}、上年{change.prior_text}",
                f"says {change.word} but this year is {figure.text}, last year {change.prior_text}",
            )
            return
        if change.amount is not None:
            amount_half = n.half_unit(change.amount_unit or figure.unit, change.amount_places)
            if abs(abs(diff) - change.amount) > slack + amount_half:
                yield (
                    f"称{change.word}{change.amount_text}，但两年数之差为{money(abs(diff))}",
                    f"states a change of {change.amount_text}; the two years differ by {money(abs(diff))}",
                )
    if change.rate is None:
        return
    if abs(base) <= base_half:
        yield (
            f"上年数为0，不应表述{change.word}{change.rate_text}",
            f"last year's figure is 0: no rate ({change.rate_text}) can be stated",
        )
        return
    low_base, high_base = base - base_half, base + base_half
    if low_base <= 0:
        return
    diff = abs(current - base)
    diff_half = (
        current_half + base_half
        if change.prior is not None
        else n.half_unit(change.amount_unit or figure.unit, change.amount_places)
    )
    if change.prior is None and change.amount is not None:
        diff = change.amount
    low = max(diff - diff_half, ZERO) / high_base
    high = (diff + diff_half) / low_base
    half = percent_half(change.rate_places)
    if change.rate + half < low or change.rate - half > high:
        computed = diff / base
        yield (
            f"称{change.word}{change.rate_text}，按本年{figure.text}"
            + (
                f"、上年{change.prior_text}"
                if change.prior is not None
                else f"、{change.word}{change.amount_text}"
            )
            + f"重算应为{pct(computed)}",
            f"states {change.rate_text}; the amounts give {pct(computed)}",
        )


def _rate_hit(figure: StatedFigure, what: str, problem: str, problem_en: str) -> Hit:
    return _hit(figure, what=what, problem=problem, problem_en=problem_en)


# --- NR-004: shares of one whole ----------------------------------------------------------


@rule(
    "NR-004",
    group="cross-table",
    severity=Severity.WARNING,
    title=("同一总数的各项占比之和为100%", "shares of one whole add up to 100%"),
    message=(
        "{where}各项占比之和为{total}（{shares}），不等于100%",
        "{where}: the shares add up to {total} ({shares}), not 100%",
    ),
    basis="standards §2.5 N-4（允许四舍五入误差±0.01%）",
    fix="按各项金额重算占比，四舍五入后如有尾差应加以说明。",
    example={"where": "第11页第243行", "total": "103.68%", "shares": "84.06%、19.62%"},
)
def shares_add_up(subject: Subject) -> Iterator[Hit]:
    figures = narrative_figures(subject)
    groups: dict[tuple[int, str], list[StatedFigure]] = {}
    for figure in figures:
        if figure.share is not None and figure.role != "prior":
            of = n.subjects_of(figure.share_of)
            key = (figure.sentence_index, of[0] if of else figure.share_of)
            groups.setdefault(key, []).append(figure)
    groups = {k: v for k, v in groups.items() if len(v) >= 2}
    if not groups:
        raise NotApplicable("情况说明没有同一总数的多项占比 / no set of shares of one whole")
    by_index = {f.index: f for f in figures}
    for parts in groups.values():
        total = sum((f.share for f in parts if f.share is not None), ZERO)
        tolerance = max(Decimal("0.0001"), sum((percent_half(f.share_places) for f in parts), ZERO))
        over = total > 1 + tolerance
        under = total < 1 - tolerance and _complete(parts, by_index)
        if over or under:
            shares = "、".join(f.share_text for f in parts)
            yield _hit(parts[0], total=pct(total), shares=shares)


def _complete(parts: Sequence[StatedFigure], by_index: Mapping[int, StatedFigure]) -> bool:
    """Do the parts add up to the whole the sentence states (so their shares must be 100%)?"""
    lead = by_index.get(parts[0].lead)
    if lead is None:
        return False
    slack = lead.half_unit + sum((p.half_unit for p in parts), ZERO)
    return abs(sum((p.amount for p in parts), ZERO) - lead.amount) <= slack


# --- NR-008: the items listed against the total stated ---------------------------------------

# sets of parts that make up their whole: when a sentence lists exactly these, they must add up
COMPLETE_PARTS = (
    frozenset({n.GOODS, n.WORKS, n.SERVICES}),
    frozenset({n.PERSONNEL, n.OPERATING}),
    frozenset({n.ABROAD, n.VEHICLE, n.RECEPTION}),
    frozenset({n.VEHICLE_PURCHASE, n.VEHICLE_OPERATION}),
)


def listed_parts(
    figures: Sequence[StatedFigure],
) -> Iterator[tuple[StatedFigure, list[StatedFigure]]]:
    """Each stated whole with the figures listed as its parts ("…合计X，其中：A…，B…")."""
    by_index = {f.index: f for f in figures}
    groups: dict[int, list[StatedFigure]] = {}
    for figure in figures:
        lead = by_index.get(figure.lead)
        if (
            figure.role == "current"
            and lead is not None
            and lead.role == "current"
            and (figure.subject != lead.subject or figure.function is not None)
        ):
            groups.setdefault(lead.index, []).append(figure)
    for index, parts in groups.items():
        if len(parts) >= 2:
            yield by_index[index], parts


def measured_lists(
    figures: Sequence[StatedFigure],
) -> Iterator[tuple[StatedFigure, list[StatedFigure]]]:
    """In a 决算's narrative, each total's 年初预算/全年预算/决算 with the same measure of the
    科目 listed after it ("…支出年初预算为…，全年预算为…，支出决算为…。其中：1、…（项）。…全年
    预算为…，支出决算为…"), up to the next figure of something else."""
    wholes: dict[str, StatedFigure] = {}
    parts: dict[str, list[StatedFigure]] = {}

    def close() -> Iterator[tuple[StatedFigure, list[StatedFigure]]]:
        for measure, whole in wholes.items():
            if len(parts[measure]) >= 2:
                yield whole, parts[measure]
        wholes.clear()
        parts.clear()

    for figure in figures:
        if figure.role != "current":
            continue
        if figure.measure and figure.subject not in ("", n.FUNCTION):
            if figure.measure in wholes:
                yield from close()
            wholes[figure.measure], parts[figure.measure] = figure, []
        elif figure.measure and figure.function is not None and figure.measure in wholes:
            parts[figure.measure].append(figure)
        elif not figure.measure and figure.subject:
            yield from close()
    yield from close()


def parts_relation(parts: Sequence[StatedFigure]) -> str:
    """``complete`` when the parts make up their whole (a known set of parts, or shares that
    add up to 100%), ``siblings`` when they are parts of one kind that cannot overlap (科目 of
    one level, members of one known set), else ""."""
    subjects = {p.subject for p in parts}
    if any(subjects == whole for whole in COMPLETE_PARTS):
        return "complete"
    shares = [p.share for p in parts if p.share is not None]
    if len(shares) == len(parts):
        slack = max(Decimal("0.0001"), sum((percent_half(p.share_places) for p in parts), ZERO))
        if abs(sum(shares, ZERO) - 1) <= slack:
            return "complete"
    if any(subjects < whole for whole in COMPLETE_PARTS):
        return "siblings"
    levels = {p.function.level if p.function is not None else "" for p in parts}
    if subjects == {n.FUNCTION} and len(levels) == 1 and "" not in levels:
        return "siblings"
    return ""


@rule(
    "NR-008",
    group="cross-table",
    severity=Severity.WARNING,
    title=("所列各项之和与所述总数一致", "the items listed add up to the total stated"),
    message=(
        "{where}{what}为{whole}，所列各项（{parts}）合计{total}，相差{difference}",
        "{where}: {what} is stated as {whole}; the items listed ({parts}) add up to {total} "
        "(difference {difference})",
    ),
    basis="standards §2.5 N-3：总数与所列分项之和一致（分项完整时相等，分项不完整时不超过总数）",
    fix="核对总数与各分项，使分项之和等于总数（或说明未列出的部分）。",
    example={
        "where": "第22页第370行",
        "what": n.PROCUREMENT,
        "whole": "21.07万元",
        "parts": "货物18.07万元、工程0万元、服务2.00万元",
        "total": "20.07万元",
        "difference": "1.00万元",
    },
)
def listed_items_add_up(subject: Subject) -> Iterator[Hit]:
    figures = narrative_figures(subject)
    checked = 0
    for whole, parts in [*listed_parts(figures), *measured_lists(figures)]:
        relation = parts_relation(parts)
        if not relation:
            continue
        checked += 1
        total = sum((p.amount for p in parts), ZERO)
        slack = whole.half_unit + sum((p.half_unit for p in parts), ZERO)
        short = relation == "complete" and total < whole.amount - slack
        if total > whole.amount + slack or short:
            yield _hit(
                whole,
                what=_what(whole),
                whole=whole.text,
                parts=excerpt("、".join(f"{_what(p)}{p.text}" for p in parts), 60),
                total=money(total),
                difference=money(abs(total - whole.amount)),
            )
    if not checked:
        raise NotApplicable("情况说明没有列出可加总的分项 / no listed items to add up")


# --- NR-005: the same figure twice ----------------------------------------------------------


@rule(
    "NR-005",
    group="cross-table",
    severity=Severity.WARNING,
    title=("同一数字前后表述一致", "a figure stated twice is stated the same"),
    message=(
        "{where}{what}为{stated}，与{first_where}所述{first}不一致",
        "{where}: {what} is stated as {stated}, but as {first} at {first_where}",
    ),
    basis="standards §2.5 N-5",
    fix="核对后统一为同一数字。",
    example={
        "where": "第9页第176行",
        "what": "2210201 住房公积金",
        "stated": "352.67万元",
        "first_where": "第9页第175行",
        "first": "350.35万元",
    },
)
def same_figure_twice(subject: Subject) -> Iterator[Hit]:
    figures = narrative_figures(subject)
    resolver = Resolver(subject, figures)
    first: dict[tuple[str, str, str], StatedFigure] = {}
    compared = 0
    for figure in figures:
        key = resolver.key(figure)
        if key is None:
            continue
        seen = first.get(key)
        if seen is None:
            first[key] = figure
            continue
        compared += 1
        if table_value(subject, resolver, figure) is not None:
            continue  # the table decides which is wrong: that is the TT finding
        if abs(figure.amount - seen.amount) > figure.half_unit + seen.half_unit:
            yield _hit(
                figure,
                what=_what(seen),
                stated=figure.text,
                first_where=seen.where(),
                first=seen.text,
            )
    if not compared:
        raise NotApplicable("情况说明没有重复述及的数字 / no figure is stated twice")


# --- NR-006: percentages as printed -------------------------------------------------------


@rule(
    "NR-006",
    group="text",
    severity=Severity.INFO,
    title=("百分比带%号并保留两位小数", "percentages carry % and two decimals"),
    message=(
        "{where}百分比“{printed}”{problem}",
        "{where}: the percentage “{printed}” {problem_en}",
    ),
    basis="standards §2.5 N-6",
    fix="百分比写作“52.02%”：带%号，四舍五入保留两位小数。",
    example={
        "where": "第11页第243行",
        "printed": "99.4%",
        "problem": "应保留两位小数",
        "problem_en": "should have two decimals",
    },
)
def percent_style(subject: Subject) -> Iterator[Hit]:
    figures = narrative_figures(subject)
    printed = [
        (f, text, places)
        for f in figures
        for text, places in (
            (f.share_text, f.share_places),
            (f.change.rate_text if f.change else "", f.change.rate_places if f.change else 0),
        )
        if text
    ]
    if not printed:
        raise NotApplicable("情况说明没有百分比 / the narrative states no percentage")
    for figure, text, places in printed:
        if not text.endswith("%"):
            problem, problem_en = "缺少%号", "lacks the % sign"
        elif places != 2:
            problem, problem_en = "应保留两位小数", "should have two decimals"
        else:
            continue
        yield _hit(figure, printed=text, problem=problem, problem_en=problem_en)


# --- NR-007: shares from the stated amounts -----------------------------------------------


@rule(
    "NR-007",
    group="cross-table",
    severity=Severity.WARNING,
    title=("占比按所述金额重算一致", "shares agree with the amounts stated"),
    message=(
        "{where}{what}{stated}占{share}，按所述{whole}重算应为{computed}",
        "{where}: {what} {stated} is said to be {share} of {whole}; the amounts give {computed}",
    ),
    basis="standards §2.4 TT-2/TT-3/TT-7（占比的分母）与 §2.5 N-4",
    fix="以所述金额重算占比（四舍五入保留两位小数）。",
    example={
        "where": "第26页第844行",
        "what": n.BASIC,
        "stated": "15,844.04万元",
        "share": "66.56%",
        "whole": "24,169.74万元",
        "computed": "65.55%",
    },
)
def shares_of_stated_amounts(subject: Subject) -> Iterator[Hit]:
    figures = narrative_figures(subject)
    resolver = Resolver(subject, figures)
    shared = [f for f in figures if f.share is not None and f.role != "prior"]
    if not shared:
        raise NotApplicable("情况说明没有占比 / the narrative states no share")
    by_key: dict[tuple[str, str, str], StatedFigure] = {}
    for figure in figures:
        for alternatives in resolver.cells(figure):
            for target in alternatives:
                by_key.setdefault(target.key, figure)
    in_tables = shares_in_tables(subject)
    for figure in shared:
        if figure.index in in_tables:
            continue  # TT-012 recomputes it from the tables
        whole = _stated_whole(resolver, by_key, figure)
        if whole is None or whole is figure:
            continue
        if abs(whole.amount) <= whole.half_unit and figure.amount > figure.half_unit:
            yield _hit(
                figure,
                what=_what(figure),
                stated=figure.text,
                share=figure.share_text,
                whole=whole.text,
                computed="（分母为0，不能计算 / the whole is 0）",
            )
            continue
        if whole.amount <= 0:
            continue
        bounds = ratio_range(figure.amount, figure.half_unit, whole.amount, whole.half_unit)
        if bounds is None or figure.share is None:
            continue
        half = percent_half(figure.share_places)
        outside = figure.share + half < bounds[0] or figure.share - half > bounds[1]
        if outside and not closing_adjustment(figure, figures, whole.amount):
            yield _hit(
                figure,
                what=_what(figure),
                stated=figure.text,
                share=figure.share_text,
                whole=whole.text,
                computed=pct(figure.amount / whole.amount),
            )


MEASURE_NAMES = frozenset(m for m, _ in n.MEASURES)


def measured_whole(figures: Sequence[StatedFigure], figure: StatedFigure) -> StatedFigure | None:
    """The figure a completion rate is of ("完成全年预算数的98.69%"): the same item's figure of
    that measure, stated before it in its paragraph."""
    return next(
        (
            f
            for f in reversed(figures[: figures.index(figure)])
            if f.paragraph_index == figure.paragraph_index
            and f.measure == figure.share_of
            and f.subjects == figure.subjects
            and f.function == figure.function
        ),
        None,
    )


def _stated_whole(
    resolver: Resolver,
    by_key: Mapping[tuple[str, str, str], StatedFigure],
    figure: StatedFigure,
) -> StatedFigure | None:
    if not figure.share_of:
        return resolver.by_index.get(figure.lead)
    if figure.share_of in MEASURE_NAMES:
        return measured_whole(resolver.figures, figure)
    found = n.subjects_of(figure.share_of)
    if not found:
        return None
    for target in resolver.concept(found[0], figure.topic):
        whole = by_key.get(target.key)
        if whole is not None:
            return whole
    return None


__all__ = ["Resolver", "Target", "narrative_figures", "with_narrative"]
