"""科目与目录: every code is in the catalogue of the budget year at the right level, every printed
name is the catalogue's name, and each line's funding source, expense kind and unit fit its codes.

The catalogues are the versioned data files of ``yusuan.catalog`` (支出功能分类 by year, the
部门预算支出经济分类, the 政府采购品目分类目录 by edition); no code or name is written here. An
entry of low confidence is still a known code: it is never reported as unknown, and a name
compared with it says that the entry is unconfirmed.

A dataset's tables take their names from the catalogue, so on a dataset the names checked are
the ones the user declared (the economic and procurement names of the procurement items); on a
published document they are the names as printed in every table.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any, TypeVar

from yusuan.catalog.loader import (
    MAPPING_INSTITUTION,
    MAPPING_ORGAN,
    PERSONNEL_CLASSES,
    Classification,
    Entry,
    funding_sources,
    government_code_for,
    procurement_catalog,
    procurement_editions,
    short_procurement_code,
)
from yusuan.model.records import BasicCategory, UnitKind
from yusuan.money import ZERO
from yusuan.rules.base import Hit, Location, MissingData, NotApplicable, Severity, money, rule
from yusuan.rules.checks.procurement import Purchase, normalise, purchases
from yusuan.rules.subject import Subject, shared_per_subject
from yusuan.tables.base import Row, Table
from yusuan.tables.facts import FUND, GENERAL, STATE_CAPITAL, Line, source_column

# Tables whose coded rows are 支出功能分类 codes
FUNCTION_TABLES = (
    "income-expenditure",
    "income",
    "expenditure",
    "fiscal",
    "general-budget",
    "fund-income",
    "fund-expenditure",
    "state-capital",
)
ROW_LEVELS = {1: "类", 2: "款", 3: "项"}

# The funding-source column whose money a table shows
TABLE_COLUMNS = {
    "general-budget": GENERAL,
    "fund-income": FUND,
    "fund-expenditure": FUND,
    "state-capital": STATE_CAPITAL,
}

# 工资福利支出: personnel pay belongs to basic expenditure, not to projects.
WAGES_CLASS = "301"

# The 项 that hold the basic expenditure of each kind of unit, by their catalogue names.
ADMINISTRATIVE_RUNNING = "行政运行"
INSTITUTION_RUNNING = "事业运行"

PROCUREMENT_CODE = re.compile(r"^[A-Z](?:[0-9]{2}){0,5}$")

LOW = "low"
CONFIRMED = ("high", "")

K = TypeVar("K", bound=Hashable)


# --- helpers ----------------------------------------------------------------------------------


def line_location(line: Line) -> Location:
    origin = line.line.origin
    return Location(file=origin.file, line=origin.row)


@dataclass
class _Tally:
    """Lines that share a problem: the first one (for the location), how many, how much."""

    first: Line
    count: int = 0
    amount: Decimal = ZERO
    chosen: bool = True  # every line's split was chosen by the dataset (备注 选定)

    def add(self, line: Line) -> None:
        self.count += 1
        self.amount += line.amount
        self.chosen = self.chosen and is_chosen(line)


# A 备注 starting with 选定 marks a line (or a form's text) whose split the dataset chose because
# the source does not publish it (by unit, 人员/公用, …): what follows from it alone is not a fact
# of the published figures.
CHOSEN = "选定"


def is_chosen(line: Line) -> bool:
    return line.line.note.strip().startswith(CHOSEN)


def published_only(found: Iterable[tuple[Hit, bool]]) -> Iterator[Hit]:
    """The hits that do not rest only on a split the dataset chose (those are DAT-006's)."""
    return (hit for hit, chosen in found if not chosen)


def _code_hit(code: str, problem: tuple[str, str], group: _Tally) -> Hit:
    """A code of the budget lines with a problem (Chinese, English), its lines and their sum."""
    return Hit(
        line_location(group.first),
        {
            "code": code,
            "problem": problem[0],
            "problem_en": problem[1],
            "count": group.count,
            "amount": money(group.amount),
        },
    )


def tally(
    lines: Sequence[Line], fields: Sequence[str], verdict: Callable[[Any], K | None]
) -> dict[K, _Tally]:
    """Group the lines with a problem, in order of first appearance.

    ``fields`` are the attributes (dotted paths) the problem depends on; ``verdict`` judges each
    distinct value of them once and returns the group of a problem, or ``None`` when fine. Only
    when some value has a problem are the lines walked again, so a clean budget of 100,000 lines
    costs one pass in C (``attrgetter``) and a set.
    """
    getter = attrgetter(*fields)
    verdicts = {value: verdict(value) for value in set(map(getter, lines))}
    found: dict[K, _Tally] = {}
    if all(v is None for v in verdicts.values()):
        return found
    for line, value in zip(lines, map(getter, lines), strict=True):
        k = verdicts[value]
        if k is None:
            continue
        group = found.get(k)
        if group is None:
            group = found[k] = _Tally(line)
        group.add(line)
    return found


class _Cached:
    """A catalogue, hashable by its title and version (the loader caches catalogues for good)."""

    def __init__(self, classification: Classification) -> None:
        self.classification = classification
        self.key = (classification.title, classification.version)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Cached) and self.key == other.key


@functools.cache
def _names(catalog: _Cached) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for entry in catalog.classification.entries.values():
        index.setdefault(normalise(entry.name), []).append(entry.code)
    return {name: tuple(codes) for name, codes in index.items()}


def codes_named(classification: Classification, name: str) -> tuple[str, ...]:
    """The codes whose catalogue name is ``name`` (punctuation width and spaces ignored)."""
    if not name:
        return ()
    return _names(_Cached(classification)).get(normalise(name), ())


def _closest(code: str, candidates: Iterable[str]) -> str:
    """The candidate code sharing the longest prefix with ``code`` (the nearest in the tree)."""

    def shared(other: str) -> int:
        n = 0
        for a, b in zip(code, other, strict=False):
            if a != b:
                break
            n += 1
        return n

    return max(candidates, key=lambda c: (shared(c), -len(c)))


def _note(entry: Entry) -> tuple[str, str]:
    if entry.confidence == LOW:
        return "（目录中该条目为低置信度，待核实）", " (the catalogue entry is unconfirmed)"
    return "", ""


@functools.cache
def _edition_complete(edition: str) -> bool:
    """An edition is complete when every entry is confirmed; a reconstruction is not."""
    return all(e.confidence in CONFIRMED for e in procurement_catalog(edition).entries.values())


def item_code(code: str) -> str:
    """A procurement code as the catalogue keys it: upper case, trailing ``00`` pairs removed."""
    return short_procurement_code(code.strip().upper())


def _catalogue_label(kind: str, subject: Subject) -> tuple[str, str]:
    year = subject.catalogs.year
    if kind == "function":
        return f"{year}年支出功能分类科目", f"the {year} function classification"
    if kind == "economic":
        return f"{year}年部门预算支出经济分类科目", f"the {year} department economic classification"
    edition = subject.catalogs.procurement_edition
    return (
        f"政府采购品目分类目录（{edition}版）",
        f"the procurement catalogue ({edition} edition)",
    )


# --- CAT-001, CAT-002: function codes -----------------------------------------------------------


@rule(
    "CAT-001",
    group="catalogue",
    severity=Severity.FATAL,
    title=("功能分类科目不存在或不是项级", "Function code unknown or not a 项"),
    message=(
        "预算明细的功能分类科目 {code}{problem}（{count}行，合计 {amount}）",
        "function code {code} of the budget lines {problem_en} ({count} lines, {amount})",
    ),
    basis="当年《政府收支分类科目》（财政部）; 财预〔2016〕143号: 支出按功能分类列到项; standards §5.1",
    fix="改用当年《政府收支分类科目》中的项级科目；如确认该科目当年有效，请补充目录数据"
    "（catalog/data/function）。",
    example={
        "code": "2013299",
        "problem": "不在2021年支出功能分类科目中",
        "problem_en": "is not in the 2021 function classification",
        "count": 3,
        "amount": "12.00万元",
    },
)
def line_function_codes(subject: Subject) -> Iterator[Hit]:
    facts = subject.need_facts()
    function = facts.catalogs.function
    year = subject.catalogs.year

    def problem(code: str) -> tuple[str, str] | None:
        entry = function.get(code)
        if entry is None:
            return code, "unknown"
        return None if entry.level == "项" else (code, entry.level)

    for code_problem, group in tally(facts.lines, ("line.function_code",), problem).items():
        code, what = code_problem
        if what == "unknown":
            zh = f"不在{year}年支出功能分类科目中"
            en = f"is not in the {year} function classification"
        else:
            zh = f"是{what}级科目（{function.name(code)}），预算明细须列到项级"
            en = f"is a {what} ({function.name(code)}); budget lines need a 项 code"
        yield _code_hit(code, (zh, en), group)


def function_rows(subject: Subject) -> Iterator[tuple[Table, Row]]:
    """Every coded row of the tables by function that the subject has."""
    for table_id in FUNCTION_TABLES:
        table = subject.tables.get(table_id)
        if table is None:
            continue
        for row in table.rows:
            if row.code:
                yield table, row


def row_location(subject: Subject, table: Table, row: Row, column: str = "科目编码") -> Location:
    return Location(
        table=table.title,
        row=f"{row.code} {row.name}".strip(),
        column=column,
        page=subject.pages.get(table.id, 0),
    )


@rule(
    "CAT-002",
    group="catalogue",
    severity=Severity.FATAL,
    title=(
        "表中功能分类科目不存在或级次不符",
        "A table row's function code is unknown or misplaced",
    ),
    message=(
        "{code} {name}：{problem}",
        "{code} {name}: {problem_en}",
    ),
    basis="《政府收支分类科目》（财政部）当年版; 表式: 科目编码按类、款、项列示; standards §2.2 IN-HIER",
    fix="按当年《政府收支分类科目》改正科目编码及其级次。",
    example={
        "code": "2013299",
        "name": "其他组织事务支出",
        "problem": "不在2021年支出功能分类科目中",
        "problem_en": "is not in the 2021 function classification",
    },
)
def table_function_codes(subject: Subject) -> Iterator[Hit]:
    if subject.dataset is not None:
        raise NotApplicable(
            "数据集的表由预算明细生成，由 CAT-001 检查 / checked line by line (CAT-001)"
        )
    function = subject.catalogs.function
    year = subject.catalogs.year
    rows = list(function_rows(subject))
    if not rows:
        raise MissingData("没有按功能分类列示的表 / no tables by function")
    for table, row in rows:
        entry = function.get(row.code)
        expected = ROW_LEVELS.get(row.level, "")
        named: list[str] = []
        if entry is None:
            named = [c for c in codes_named(function, row.name) if c != row.code]
            hint = f"；目录中“{row.name}”的编码为 {'、'.join(named)}" if named else ""
            hint_en = f"; the catalogue codes “{row.name}” as {', '.join(named)}" if named else ""
            problem = (
                f"不在{year}年支出功能分类科目中{hint}",
                f"not in the {year} catalogue{hint_en}",
            )
        elif expected and entry.level != expected:
            problem = (
                f"目录中为{entry.level}级科目（{entry.name}），表中列在{expected}级",
                f"the catalogue has it as a {entry.level} ({entry.name}), the table as a {expected}",
            )
        else:
            continue
        yield Hit(
            row_location(subject, table, row),
            {
                "code": row.code,
                "name": row.name,
                "problem": problem[0],
                "problem_en": problem[1],
                # the catalogue's codes for the printed name: where the row's amount belongs
                "catalogue_codes": "、".join(named),
            },
        )


# --- CAT-003, CAT-004: names ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Named:
    """A code with the name printed (or declared) beside it, and the catalogue that names it."""

    kind: str  # function / economic / item
    code: str
    printed: str
    entry: Entry
    classification: Classification
    location: Location


def named_codes(subject: Subject) -> list[Named]:
    """Every code whose name the subject prints or declares, and that its catalogue knows.

    A dataset's tables print the catalogue's names by construction: only a document's are read.
    """
    catalogs = subject.catalogs
    found: list[Named] = []
    tables = 0
    printed = subject.dataset is None
    for table, row in function_rows(subject) if printed else ():
        entry = catalogs.function.get(row.code)
        if entry is not None and row.name:
            found.append(
                Named(
                    "function",
                    row.code,
                    row.name,
                    entry,
                    catalogs.function,
                    row_location(subject, table, row, "科目名称"),
                )
            )
    economic_table = subject.tables.get("basic-economic") if printed else None
    if economic_table is not None:
        tables += 1
        for row in economic_table.rows:
            entry = catalogs.department_economic.get(row.code) if row.code else None
            if entry is not None and row.name:
                found.append(
                    Named(
                        "economic",
                        row.code,
                        row.name,
                        entry,
                        catalogs.department_economic,
                        row_location(subject, economic_table, row, "经济科目名称"),
                    )
                )
    try:
        items: list[Purchase] = purchases(subject)
    except (NotApplicable, MissingData):
        items = []
    for purchase in items:
        economic = catalogs.department_economic.get(purchase.economic_code)
        if economic is not None and purchase.economic_name:
            found.append(
                Named(
                    "economic",
                    purchase.economic_code,
                    purchase.economic_name,
                    economic,
                    catalogs.department_economic,
                    purchase.at("economic_name"),
                )
            )
        item = catalogs.procurement.get(item_code(purchase.item_code))
        if item is not None and purchase.item_name:
            found.append(
                Named(
                    "item",
                    item.code,
                    purchase.item_name,
                    item,
                    catalogs.procurement,
                    purchase.at("item_name"),
                )
            )
    if not found and not tables and not any(t in subject.tables for t in FUNCTION_TABLES):
        raise MissingData("没有带科目名称的表 / no tables with classification names")
    return found


def _verdict(named: Named) -> str:
    """'' when the name is the catalogue's, 'short' when cut short, 'wrong' otherwise."""
    printed, official = normalise(named.printed), normalise(named.entry.name)
    if printed == official:
        return ""
    return "short" if official.startswith(printed) else "wrong"


def _hint(subject: Subject, named: Named) -> tuple[str, str]:
    """Whose name the wrong name is, when it is someone's."""
    printed = named.printed
    wanted = normalise(printed)
    parts: list[tuple[str, str]] = []
    if named.kind == "item":
        edition = subject.catalogs.procurement_edition
        for other_edition in procurement_editions():
            entry = procurement_catalog(other_edition).get(named.code)
            if other_edition != edition and entry is not None and normalise(entry.name) == wanted:
                parts.append(
                    (
                        f"；与{other_edition}版目录中 {named.code} 的名称相同，"
                        f"疑似按{other_edition}版目录编码",
                        f"; it is the name of {named.code} in the {other_edition} edition: "
                        "coded with the wrong edition?",
                    )
                )
    same = [c for c in codes_named(named.classification, printed) if c != named.code]
    if same:
        other = _closest(named.code, same)
        entry = named.classification.get(other)
        what = "品目" if named.kind == "item" else (entry.level if entry else "")
        parts.append(
            (
                f"；“{printed}”是{what} {other} 的名称",
                f"; “{printed}” is the name of {what or 'code'} {other}",
            )
        )
    elif named.kind == "function":
        for source in funding_sources():
            names = (source.name, *source.aliases)
            if any(wanted.startswith(normalise(n)) for n in names if len(n) > 2):
                parts.append(
                    (
                        f"；“{printed}”是按资金来源“{source.name}”的称呼，不是功能分类科目名称",
                        f"; “{printed}” names the funding source {source.name}, "
                        "not a function code",
                    )
                )
                break
    elif named.kind == "item" and not parts:
        parts.append(_item_name_elsewhere(subject, named))
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts)


def _item_name_elsewhere(subject: Subject, named: Named) -> tuple[str, str]:
    """An item name that is an economic name, or part of other items' names."""
    printed = named.printed
    economic = codes_named(subject.catalogs.department_economic, printed)
    if economic:
        return (
            f"；“{printed}”是部门预算支出经济分类 {economic[0]} 的名称，不是采购品目名称",
            f"; “{printed}” is the name of economic code {economic[0]}, not a procurement item",
        )
    wanted = normalise(printed)
    containing = sorted(
        (
            e
            for e in named.classification.entries.values()
            if e.code != named.code and wanted and wanted in normalise(e.name)
        ),
        key=lambda e: (e.level != named.entry.level, len(e.code), e.code),
    )
    same_level = [e for e in containing if e.level == named.entry.level]
    containing = (same_level or containing)[:3]
    if containing:
        listed = "、".join(f"{e.code} {e.name}" for e in containing)
        return (
            f"；目录中名称含“{printed}”的品目：{listed}",
            f"; catalogue items whose name contains “{printed}”: {listed}",
        )
    return "", ""


def _name_values(subject: Subject, named: Named) -> dict[str, object]:
    label = _catalogue_label(named.kind, subject)
    note = _note(named.entry)
    return {
        "code": named.code,
        "printed": named.printed,
        "official": named.entry.name,
        "catalogue": label[0],
        "catalogue_en": label[1],
        "note": note[0],
        "note_en": note[1],
    }


@rule(
    "CAT-003",
    group="catalogue",
    severity=Severity.INFO,
    title=("科目或品目名称不全", "A classification name is cut short"),
    message=(
        "{code} 的名称“{printed}”不全：{catalogue}中为“{official}”{note}",
        "the name of {code} is cut short: “{printed}” where {catalogue_en} has “{official}”"
        "{note_en}",
    ),
    basis="standards §2.5 N-8: 科目编码与名称须与当年科目表一致; 财预〔2016〕143号 表式按科目全称列示",
    fix="印出目录中的完整名称（名称较长时加宽栏目或换行，不要截断）。",
    example={
        "code": "2080505",
        "printed": "机关事业单位基本养老保险",
        "official": "机关事业单位基本养老保险缴费支出",
        "catalogue": "2021年支出功能分类科目",
        "catalogue_en": "the 2021 function classification",
        "note": "",
        "note_en": "",
    },
)
def names_cut_short(subject: Subject) -> Iterator[Hit]:
    for named in named_codes(subject):
        if _verdict(named) == "short":
            yield Hit(named.location, _name_values(subject, named))


@rule(
    "CAT-004",
    group="catalogue",
    severity=Severity.WARNING,
    title=("科目或品目名称与目录不符", "A classification name differs from the catalogue"),
    message=(
        "{code} 的名称为“{printed}”，{catalogue}中为“{official}”{also}{note}",
        "{code} is named “{printed}”, {catalogue_en} names it “{official}”{also_en}{note_en}",
    ),
    basis="standards §2.5 N-8: 科目编码与名称须与当年科目表一致（《政府收支分类科目》、"
    "《政府采购品目分类目录》财库〔2013〕189号 / 2022年版）",
    fix="按目录改正名称；如名称无误，则是编码有误，应改正编码。",
    example={
        "code": "21208",
        "printed": "其他国有土地使用权出让收入安排的支出",
        "official": "国有土地使用权出让收入安排的支出",
        "catalogue": "2021年支出功能分类科目",
        "catalogue_en": "the 2021 function classification",
        "also": "；“其他国有土地使用权出让收入安排的支出”是项 2120899 的名称",
        "also_en": "; “其他国有土地使用权出让收入安排的支出” is the name of 项 2120899",
        "note": "",
        "note_en": "",
    },
)
def names_match(subject: Subject) -> Iterator[Hit]:
    for named in named_codes(subject):
        if _verdict(named) == "wrong":
            also = _hint(subject, named)
            yield Hit(
                named.location,
                {**_name_values(subject, named), "also": also[0], "also_en": also[1]},
            )


# --- CAT-005, CAT-006: economic codes ------------------------------------------------------------


def _economic_problem(subject: Subject, code: str) -> tuple[str, str] | None:
    economic = subject.catalogs.department_economic
    entry = economic.get(code)
    if entry is None:
        return (
            f"不在{subject.catalogs.year}年部门预算支出经济分类科目中",
            f"is not in the {subject.catalogs.year} department economic classification",
        )
    if entry.level != "款":
        return (
            f"是{entry.level}级科目（{entry.name}），须列到款级",
            f"is a {entry.level} ({entry.name}); a 款 code is needed",
        )
    return None


@rule(
    "CAT-005",
    group="catalogue",
    severity=Severity.FATAL,
    title=("经济分类科目不存在或不是款级", "Economic code unknown or not a 款"),
    message=(
        "预算明细的部门经济分类科目 {code}{problem}（{count}行，合计 {amount}）",
        "economic code {code} of the budget lines {problem_en} ({count} lines, {amount})",
    ),
    basis="部门预算支出经济分类科目（财预〔2017〕98号，2018年起）; 基本支出表按经济分类列到款; "
    "standards §5.2",
    fix="改用部门预算支出经济分类中的款级科目。",
    example={
        "code": "31080",
        "problem": "不在2021年部门预算支出经济分类科目中",
        "problem_en": "is not in the 2021 department economic classification",
        "count": 1,
        "amount": "0.60万元",
    },
)
def line_economic_codes(subject: Subject) -> Iterator[Hit]:
    facts = subject.need_facts()
    problems: dict[str, tuple[str, str]] = {}

    def problem(code: str) -> str | None:
        found = _economic_problem(subject, code)
        if found is None:
            return None
        problems[code] = found
        return code

    for code, group in tally(facts.lines, ("line.economic_code",), problem).items():
        yield _code_hit(code, problems[code], group)


@rule(
    "CAT-006",
    group="catalogue",
    severity=Severity.FATAL,
    title=("采购的经济分类科目不存在", "A procurement item's economic code is unknown"),
    message=(
        "采购品目 {item}（{project}）的经济分类 [{code}]{name} {problem}{hint}",
        "procurement item {item} ({project}): economic code [{code}]{name} {problem_en}{hint_en}",
    ),
    basis="部门预算支出经济分类科目（财预〔2017〕98号）; 政府采购预算按经济分类列示",
    fix="改用部门预算支出经济分类中的款级科目（与该项目预算明细的经济分类一致）。",
    example={
        "item": "A0602",
        "project": "组织工作业务费",
        "code": "31080",
        "name": "其他资本性支出",
        "problem": "不在2021年部门预算支出经济分类科目中",
        "problem_en": "is not in the 2021 department economic classification",
        "hint": "；“其他资本性支出”是 31099 的名称",
        "hint_en": "; “其他资本性支出” is the name of 31099",
    },
)
def procurement_economic_codes(subject: Subject) -> Iterator[Hit]:
    economic = subject.catalogs.department_economic
    for purchase in purchases(subject):
        if not purchase.economic_code:
            continue  # templates that print no economic code (a dataset always has one)
        problem = _economic_problem(subject, purchase.economic_code)
        if problem is None:
            continue
        named = [c for c in codes_named(economic, purchase.economic_name) if c]
        hint = (
            (
                f"；“{purchase.economic_name}”是 {'、'.join(named)} 的名称",
                f"; “{purchase.economic_name}” is the name of {', '.join(named)}",
            )
            if purchase.economic_name and named
            else ("", "")
        )
        yield Hit(
            purchase.at("economic_code"),
            {
                "item": purchase.item_code,
                "project": purchase.project,
                "code": purchase.economic_code or "（空）",
                "name": purchase.economic_name,
                "problem": problem[0],
                "problem_en": problem[1],
                "hint": hint[0],
                "hint_en": hint[1],
            },
        )


# --- CAT-007, CAT-008, CAT-009: procurement item codes ---------------------------------------------


def _by_name(subject: Subject, purchase: Purchase) -> tuple[str, str]:
    """Where the catalogue puts the item's name, as a suggestion."""
    if not purchase.item_name:
        return "", ""
    codes = codes_named(subject.catalogs.procurement, purchase.item_name)
    if not codes:
        return "", ""
    listed = "、".join(codes)
    return (
        f"；目录中“{purchase.item_name}”的编码为 {listed}",
        f"; the catalogue codes “{purchase.item_name}” as {listed}",
    )


def _item_values(subject: Subject, purchase: Purchase) -> dict[str, object]:
    edition = subject.catalogs.procurement_edition
    suggestion = _by_name(subject, purchase)
    return {
        "code": purchase.item_code,
        "name": purchase.item_name,
        "project": purchase.project,
        "edition": edition,
        "suggestion": suggestion[0],
        "suggestion_en": suggestion[1],
    }


@rule(
    "CAT-007",
    group="catalogue",
    severity=Severity.WARNING,
    title=("采购品目编码格式不对", "A procurement item code is not well formed"),
    message=(
        "采购品目编码“{code}”（{name}，{project}）不符合政府采购品目分类目录的编码格式"
        "（一个字母加成对的数字，如 A0602、C081401）{suggestion}",
        "procurement item code “{code}” ({name}, {project}) is not a catalogue code (a letter "
        "followed by pairs of digits, e.g. A0602, C081401){suggestion_en}",
    ),
    basis="《政府采购品目分类目录》（财库〔2013〕189号；2022年版）: 编码为 A/B/C 加两位一级的数字",
    fix="改用目录中的品目编码；地方扩展编码应对应到全国目录的品目。",
    example={
        "code": "C0956301",
        "name": "车辆维修和保养服务",
        "project": "车辆运行维护费",
        "suggestion": "；目录中“车辆维修和保养服务”的编码为 C050301",
        "suggestion_en": "; the catalogue codes “车辆维修和保养服务” as C050301",
    },
)
def item_codes_well_formed(subject: Subject) -> Iterator[Hit]:
    for purchase in purchases(subject):
        if not purchase.item_code.strip():
            continue  # templates that print no item code (a dataset always has one)
        if not PROCUREMENT_CODE.match(purchase.item_code.strip().upper()):
            yield Hit(purchase.at("item_code"), _item_values(subject, purchase))


def _unknown_items(subject: Subject, complete: bool) -> Iterator[Hit]:
    catalog = subject.catalogs.procurement
    edition = subject.catalogs.procurement_edition
    if _edition_complete(edition) is not complete:
        raise NotApplicable(
            f"{edition}版目录{'不完整' if complete else '完整'} / the {edition} edition is "
            f"{'partial' if complete else 'complete'}"
        )
    for purchase in purchases(subject):
        text = purchase.item_code.strip().upper()
        if not PROCUREMENT_CODE.match(text):
            continue  # CAT-007
        code = item_code(text)
        if code in catalog:
            continue
        values = _item_values(subject, purchase)
        elsewhere = [
            (other, entry.name)
            for other in procurement_editions()
            if other != edition and (entry := procurement_catalog(other).get(code)) is not None
        ]
        values["other"] = "".join(f"；该编码见于{e}版目录（{n}）" for e, n in elsewhere)
        values["other_en"] = "".join(f"; it is in the {e} edition ({n})" for e, n in elsewhere)
        yield Hit(purchase.at("item_code"), values)


_UNKNOWN_EXAMPLE = {
    "code": "C081401",
    "name": "印刷服务",
    "project": "干部培训经费",
    "edition": "2022",
    "other": "；该编码见于2013版目录（印刷服务）",
    "other_en": "; it is in the 2013 edition (印刷服务)",
    "suggestion": "；目录中“印刷服务”的编码为 C230901",
    "suggestion_en": "; the catalogue codes “印刷服务” as C230901",
}


@rule(
    "CAT-008",
    group="catalogue",
    severity=Severity.WARNING,
    title=(
        "采购品目不在当年适用的目录中",
        "Procurement item not in the catalogue edition of the year",
    ),
    message=(
        "采购品目 {code}（{name}，{project}）不在政府采购品目分类目录（{edition}版）中{other}"
        "{suggestion}",
        "procurement item {code} ({name}, {project}) is not in the procurement catalogue "
        "({edition} edition){other_en}{suggestion_en}",
    ),
    basis="《政府采购品目分类目录》按预算年度适用的版本（2023年起为2022年版，此前为财库〔2013〕189号）",
    fix="按当年适用版本的目录改正品目编码。",
    example=_UNKNOWN_EXAMPLE,
)
def items_in_catalogue(subject: Subject) -> Iterator[Hit]:
    return _unknown_items(subject, complete=True)


@rule(
    "CAT-009",
    group="catalogue",
    severity=Severity.INFO,
    title=("采购品目无法在目录中核实", "Procurement item could not be confirmed in the catalogue"),
    message=(
        "采购品目 {code}（{name}，{project}）未能在政府采购品目分类目录（{edition}版）的现有数据中"
        "核实（该版目录数据不全）{other}{suggestion}",
        "procurement item {code} ({name}, {project}) could not be confirmed: the data of the "
        "procurement catalogue ({edition} edition) is partial{other_en}{suggestion_en}",
    ),
    basis="catalog/data/procurement/SOURCES.md: 2013版目录数据系重建、不完整，未收录的编码只能视为"
    "“未核实”，不能判为错误",
    fix="对照《政府采购品目分类目录》原文核实编码；确认无误的可补充到目录数据。",
    example={**_UNKNOWN_EXAMPLE, "edition": "2013", "other": "", "other_en": ""},
)
def items_unverified(subject: Subject) -> Iterator[Hit]:
    return _unknown_items(subject, complete=False)


# --- CAT-010: funding source against the function code -------------------------------------------


def _kind_values(
    subject: Subject, code: str, code_kind: str, source: str, amount: Decimal
) -> dict[str, object]:
    return {
        "code": code,
        "name": subject.catalogs.function.name(code),
        "code_kind": code_kind,
        "source": source,
        "amount": money(amount),
    }


@rule(
    "CAT-010",
    group="catalogue",
    severity=Severity.FATAL,
    title=("资金来源与功能科目的预算类别不符", "Funding source does not fit the function code"),
    message=(
        "{code} {name} 是{code_kind}科目，却安排了{source}资金 {amount}",
        "{code} {name} is a {code_kind} code but is paid from {source} ({amount})",
    ),
    basis="《预算法》第五条、第九条: 一般公共预算、政府性基金预算、国有资本经营预算相互独立，"
    "政府性基金专款专用; 《政府收支分类科目》分预算类别设置支出科目",
    fix="政府性基金资金只能列政府性基金预算科目，一般公共预算资金不能列基金科目，国有资本经营预算资金"
    "只能列国有资本经营预算科目：改正资金来源或功能分类科目。",
    example={
        "code": "2013202",
        "name": "一般行政管理事务",
        "code_kind": "一般公共预算",
        "source": "政府性基金预算",
        "amount": "200.00万元",
    },
)
def source_fits_function(subject: Subject) -> Iterator[Hit]:
    function = subject.catalogs.function
    if subject.facts is not None:
        sources = {s.key: s for s in funding_sources()}

        def mismatch(value: tuple[str, str]) -> tuple[str, str] | None:
            code, key = value
            source = sources[key]
            if not source.is_fiscal or not source.budget_kind:
                return None
            entry = function.get(code)
            if entry is None or not entry.budget_kind or entry.budget_kind == source.budget_kind:
                return None
            return code, source.name

        lines = subject.facts.lines
        for (code, source), group in tally(
            lines, ("line.function_code", "source.key"), mismatch
        ).items():
            kind = function.get(code)
            yield Hit(
                line_location(group.first),
                _kind_values(subject, code, kind.budget_kind if kind else "", source, group.amount),
            )
        return
    checked = False
    column_kinds = _column_kinds()
    for table_id, table_column in TABLE_COLUMNS.items():
        table = subject.tables.get(table_id)
        table_kind = column_kinds.get(table_column, "")
        if table is None or not table_kind:
            continue
        checked = True
        for row in table.rows:
            entry = function.get(row.code) if len(row.code) == 7 else None
            total = _row_total(row)
            if entry and entry.budget_kind and entry.budget_kind != table_kind and total:
                yield Hit(
                    row_location(subject, table, row, "合计"),
                    _kind_values(subject, row.code, entry.budget_kind, table_kind, total),
                )
    income = subject.tables.get("income")
    if income is not None:
        checked = True
        labels = {c.key: c.label for c in income.columns}
        for row in income.rows:
            entry = function.get(row.code) if len(row.code) == 7 else None
            if entry is None or not entry.budget_kind:
                continue
            for column, column_kind in column_kinds.items():
                value = row.values.get(column)
                if isinstance(value, Decimal) and value and entry.budget_kind != column_kind:
                    yield Hit(
                        row_location(subject, income, row, labels.get(column, column)),
                        _kind_values(subject, row.code, entry.budget_kind, column_kind, value),
                    )
    if not checked:
        raise MissingData("没有按资金来源列示的功能分类表 / no tables by function and source")


def _column_kinds() -> dict[str, str]:
    """Funding-source column -> budget kind (一般公共预算 …), from the funding-source catalogue."""
    kinds: dict[str, str] = {}
    for source in funding_sources():
        if source.is_fiscal and source.budget_kind:
            kinds.setdefault(source_column(source), source.budget_kind)
    return kinds


def _row_total(row: Row) -> Decimal:
    for key in ("total", "subtotal", "amount"):
        value = row.values.get(key)
        if isinstance(value, Decimal):
            return value
    return ZERO


# --- CAT-011, CAT-012: economic codes against basic / project expenditure --------------------------


def _classes(subject: Subject, codes: Iterable[str]) -> str:
    economic = subject.catalogs.department_economic
    return "、".join(f"{c} {economic.name(c)}" for c in codes)


@rule(
    "CAT-011",
    group="catalogue",
    severity=Severity.WARNING,
    title=(
        "基本支出类别与经济分类不符",
        "Personnel/operating category does not fit the economic code",
    ),
    message=(
        "基本支出{category} 列在 {code} {name}（{count}行，合计 {amount}）：{rule}",
        "basic {category_en} on {code} {name} ({count} lines, {amount}): {rule_en}",
    ),
    basis="standards §2.2 IN-T6-2: 人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助，公用经费 = "
    "302 商品和服务支出 + 310 资本性支出 等; 部门预算 基本支出 口径",
    fix="改正基本支出类别（人员经费/公用经费）或经济分类科目。",
    example={
        "category": "人员经费",
        "category_en": "personnel",
        "code": "30229",
        "name": "福利费",
        "count": 2,
        "amount": "10.63万元",
        "rule": "人员经费应列 301 工资福利支出、303 对个人和家庭的补助",
        "rule_en": "personnel expenditure belongs to classes 301, 303",
    },
)
def basic_category_fits(subject: Subject) -> Iterator[Hit]:
    return published_only(basic_category_misfits(subject))


@shared_per_subject  # CAT-011 and DAT-006
def basic_category_misfits(subject: Subject) -> Iterator[tuple[Hit, bool]]:
    """CAT-011's hits, each with whether it rests only on lines whose split was chosen."""
    facts = subject.need_facts()
    economic = facts.catalogs.department_economic

    def misfit(value: tuple[bool, BasicCategory | None, str]) -> tuple[str, BasicCategory] | None:
        is_basic, category, code = value
        if not is_basic or category is None:
            return None
        if (category is BasicCategory.PERSONNEL) is (code[:3] in PERSONNEL_CLASSES):
            return None
        return code, category

    personnel = _classes(subject, PERSONNEL_CLASSES)
    fields = ("is_basic", "line.category", "line.economic_code")
    for (code, category), group in tally(facts.lines, fields, misfit).items():
        if category is BasicCategory.PERSONNEL:
            zh = f"人员经费应列 {personnel}"
            en = f"personnel expenditure belongs to classes {', '.join(PERSONNEL_CLASSES)}"
        else:
            zh = f"{personnel} 属人员经费，公用经费应列其他类（如商品和服务支出、资本性支出）"
            en = f"classes {', '.join(PERSONNEL_CLASSES)} are personnel expenditure"
        hit = Hit(
            line_location(group.first),
            {
                "category": category.value,
                "category_en": "personnel" if category is BasicCategory.PERSONNEL else "operating",
                "code": code,
                "name": economic.name(code),
                "count": group.count,
                "amount": money(group.amount),
                "rule": zh,
                "rule_en": en,
            },
        )
        yield hit, group.chosen


@rule(
    "CAT-012",
    group="catalogue",
    severity=Severity.WARNING,
    title=("项目支出列工资福利支出", "Project expenditure on wages and benefits"),
    message=(
        "项目“{project}”列在 {code} {name}（{amount}）：{class_code} {class_name}属基本支出人员经费，"
        "项目支出一般不安排",
        "project “{project}” is on {code} {name} ({amount}): class {class_code} {class_name} is "
        "basic personnel expenditure, not project expenditure",
    ),
    basis="部门预算管理: 基本支出保障人员和日常运转（工资福利列人员经费），项目支出为完成特定任务"
    "（财政部《中央部门项目支出预算管理办法》; standards §2.2 IN-T6-2）",
    fix="工资福利列入基本支出；项目聘用人员的报酬一般列 30226 劳务费等商品和服务支出。",
    example={
        "project": "干部培训经费",
        "code": "30101",
        "name": "基本工资",
        "amount": "10.00万元",
        "class_code": "301",
        "class_name": "工资福利支出",
    },
)
def projects_not_on_wages(subject: Subject) -> Iterator[Hit]:
    facts = subject.need_facts()
    economic = facts.catalogs.department_economic

    def misfit(value: tuple[bool, str, str]) -> tuple[str, str] | None:
        is_basic, code, project = value
        if is_basic or code[:3] != WAGES_CLASS:
            return None
        return project, code

    fields = ("is_basic", "line.economic_code", "line.project")
    for (project, code), group in tally(facts.lines, fields, misfit).items():
        yield Hit(
            line_location(group.first),
            {
                "project": project,
                "code": code,
                "name": economic.name(code),
                "amount": money(group.amount),
                "class_code": WAGES_CLASS,
                "class_name": economic.name(WAGES_CLASS),
            },
        )


# --- CAT-013: 行政运行 / 事业运行 against the unit kind -------------------------------------------


@functools.cache
def _running_codes(catalog: _Cached) -> dict[str, str]:
    """项 code -> 行政运行 / 事业运行, by the catalogue's names."""
    return {
        e.code: e.name
        for e in catalog.classification.entries.values()
        if e.level == "项" and e.name in (ADMINISTRATIVE_RUNNING, INSTITUTION_RUNNING)
    }


def _sibling(function: Classification, code: str, name: str) -> str:
    entry = function.get(code)
    if entry is None:
        return ""
    for other in function.children(entry.parent):
        if function.name(other) == name:
            return other
    return ""


@rule(
    "CAT-013",
    group="catalogue",
    severity=Severity.WARNING,
    title=("行政运行/事业运行与单位性质不符", "行政运行/事业运行 does not fit the unit kind"),
    message=(
        "单位 {unit}（{unit_kind}）的支出列在 {code} {name}（{count}行，合计 {amount}）：{name}反映"
        "{meant}的基本支出{suggest}",
        "unit {unit} ({unit_kind}) spends on {code} {name} ({count} lines, {amount}), which is "
        "for {meant_en}{suggest_en}",
    ),
    basis="《政府收支分类科目》说明: 行政运行 反映行政单位（包括实行公务员管理的事业单位）的基本支出；"
    "事业运行 反映事业单位的基本支出; standards §5.1",
    fix="按单位性质改列同一款下的行政运行或事业运行科目，或核对单位性质。",
    example={
        "unit": "1040011",
        "unit_kind": "参照公务员法管理事业单位",
        "code": "2013250",
        "name": "事业运行",
        "count": 9,
        "amount": "30.76万元",
        "meant": "事业单位",
        "meant_en": "institutions (事业单位)",
        "suggest": "，应列 2013201 行政运行",
        "suggest_en": "; use 2013201 行政运行",
    },
)
def running_fits_unit(subject: Subject) -> Iterator[Hit]:
    return published_only(running_misfits(subject))


@shared_per_subject  # CAT-013 and DAT-006
def running_misfits(subject: Subject) -> Iterator[tuple[Hit, bool]]:
    """CAT-013's hits, each with whether it rests only on lines whose split was chosen."""
    facts = subject.need_facts()
    function = facts.catalogs.function
    running = _running_codes(_Cached(function))

    units = {u.code: u for u in facts.dataset.manifest.units}

    def misfit(value: tuple[str, str]) -> tuple[str, str] | None:
        unit_code, code = value
        name = running.get(code)
        unit = units.get(unit_code)
        if name is None or unit is None or unit.kind is UnitKind.OTHER:
            return None
        if (name == INSTITUTION_RUNNING) is unit.kind.is_organ:
            return unit_code, code
        return None

    fields = ("line.unit_code", "line.function_code")
    for (unit, code), group in tally(facts.lines, fields, misfit).items():
        name = running[code]
        other = ADMINISTRATIVE_RUNNING if name == INSTITUTION_RUNNING else INSTITUTION_RUNNING
        sibling = _sibling(function, code, other)
        meant = (
            ("行政单位（包括参照公务员法管理的事业单位）", "administrative units (incl. 参公)")
            if name == ADMINISTRATIVE_RUNNING
            else ("事业单位", "institutions (事业单位)")
        )
        yield (
            Hit(
                line_location(group.first),
                {
                    "unit": unit,
                    "unit_kind": group.first.unit.kind.value,
                    "code": code,
                    "name": name,
                    "count": group.count,
                    "amount": money(group.amount),
                    "meant": meant[0],
                    "meant_en": meant[1],
                    "suggest": f"，应列 {sibling} {other}" if sibling else "",
                    "suggest_en": f"; use {sibling} {other}" if sibling else "",
                },
            ),
            group.chosen,
        )


# --- CAT-014: the government economic code ---------------------------------------------------------


@rule(
    "CAT-014",
    group="catalogue",
    severity=Severity.INFO,
    title=("无法对应政府预算支出经济分类", "No government economic code for a line"),
    message=(
        "部门经济分类 {code} {name}（{group}）{problem}（{count}行）",
        "department economic code {code} {name} ({group_en}) {problem_en} ({count} lines)",
    ),
    basis="standards §5.2: 每笔支出同时具有部门和政府预算支出经济分类，按《两套支出经济分类科目对照表》"
    "（分机关、事业单位）对应",
    fix="核对经济分类科目；如对照表缺少该科目，请补充 catalog/data/economic/mapping.csv。",
    example={
        "code": "30299",
        "name": "其他商品和服务支出",
        "group": "机关",
        "group_en": "organs",
        "problem": "在对照表中没有对应的政府预算支出经济分类",
        "problem_en": "has no government economic code in the crosswalk",
        "count": 2,
    },
)
def government_codes(subject: Subject) -> Iterator[Hit]:
    facts = subject.need_facts()
    department = facts.catalogs.department_economic
    government = facts.catalogs.government_economic
    derived: dict[tuple[str, UnitKind], tuple[str, str] | None] = {}
    kinds = {u.code: u.kind for u in facts.dataset.manifest.units}

    def problem(value: tuple[str, str]) -> tuple[str, str] | None:
        code, unit = value
        if code not in department:
            return None  # CAT-005
        kind = kinds.get(unit, UnitKind.OTHER)
        key = (code, kind)
        if key not in derived:
            mapped = government_code_for(code, kind)
            if mapped is None:
                derived[key] = (
                    "在对照表中没有对应的政府预算支出经济分类",
                    "has no government economic code in the crosswalk",
                )
            elif mapped not in government:
                derived[key] = (
                    f"对应的政府经济分类 {mapped} 不在{subject.catalogs.year}年政府预算支出经济分类中",
                    f"maps to {mapped}, which is not in the {subject.catalogs.year} government classification",
                )
            else:
                derived[key] = None
        if derived[key] is None:
            return None
        return code, MAPPING_ORGAN if kind.is_organ else MAPPING_INSTITUTION

    fields = ("line.economic_code", "line.unit_code")
    for (code, group_name), group in tally(facts.lines, fields, problem).items():
        zh, en = derived[(code, group.first.unit.kind)] or ("", "")
        yield Hit(
            line_location(group.first),
            {
                "code": code,
                "name": department.name(code),
                "group": group_name,
                "group_en": "organs" if group_name == MAPPING_ORGAN else "institutions",
                "problem": zh,
                "problem_en": en,
                "count": group.count,
            },
        )


# --- CAT-015: a revenue table listed by expenditure codes -------------------------------------------

# Tables that show revenue: their rows should be revenue (收入分类) items, not 支出功能分类 codes.
REVENUE_BY_REVENUE_CODE = ("fund-income",)


@rule(
    "CAT-015",
    group="catalogue",
    severity=Severity.WARNING,
    title=("收入表按支出功能分类列示", "A revenue table is listed by expenditure codes"),
    message=(
        "{table}是收入表，却按支出功能分类科目列示（{codes}）：收入应按收入分类科目列示，"
        "否则它只是重复了支出表",
        "{table} shows revenue but lists expenditure function codes ({codes}): revenue is "
        "listed by revenue items, or the table merely repeats the expenditure table",
    ),
    basis="《政府收支分类科目》: 收入分类科目（如 103 非税收入—政府性基金收入）与支出功能分类科目"
    "（2xx）是两套科目；政府性基金预算收入表反映收入，应按收入科目列示",
    fix="按政府性基金收入科目列示收入（如 国有土地使用权出让收入），或把表名改为支出表并与支出表合并。",
    example={"table": "2021年政府性基金预算收入表", "codes": "212 城乡社区支出 等 3 行"},
)
def revenue_by_revenue_codes(subject: Subject) -> Iterator[Hit]:
    if subject.exact:
        raise NotApplicable(
            "数据集的收入表由 yusuan 按表式生成 / a dataset's revenue table is yusuan's template"
        )
    present = [subject.tables[t] for t in REVENUE_BY_REVENUE_CODE if t in subject.tables]
    if not present:
        raise MissingData("缺少政府性基金预算收入表 / no fund revenue table")
    function = subject.catalogs.function
    for table in present:
        spending = [r for r in table.rows if r.code and function.get(r.code) is not None]
        if not spending:
            continue
        first = spending[0]
        shown = f"{first.code} {first.name}".strip()
        yield Hit(
            Location(
                table=table.title,
                row=shown,
                column="科目编码",
                page=subject.pages.get(table.id, 0),
            ),
            {
                "table": table.title,
                "codes": shown + (f" 等 {len(spending)} 行" if len(spending) > 1 else ""),
            },
        )
