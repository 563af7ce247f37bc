"""部门预算情况说明: the written explanation of a departmental budget, generated from its tables.

Every figure the text states is read from a cell (or a sum of cells) of the disclosure tables that
``yusuan.tables.build_tables`` builds, and is recorded as a ``Figure`` that names where it came
from, so the text cannot disagree with the tables and a rule can check it. Amounts stay exact
``Decimal`` 元 until they are written, in 万元 with two decimals (四舍五入, ``yusuan.money``);
shares stay exact ratios until they are written as percentages with two decimals.

What the data cannot say (the department's duties, what a 项 is mainly used for, why 三公 changed,
the state assets it holds) comes only from the optional ``说明.md`` in the dataset folder
(``read_texts``; format in docs/narrative.md). When that text is missing, the narrative says so
plainly and never invents it.

A figure's source (``Figure.table_id`` / ``row_code`` / ``column``):

- a table id and a row reference: ``CODE`` is the first row with that code (``""``: the first
  row without a code, the 合计 row); ``CODE1+CODE2`` is the sum of those rows (a missing row counts
  0); ``PREFIX*`` is the sum of the table's detail rows whose code starts with ``PREFIX`` (货物 =
  ``A*`` in the procurement table);
- ``prior_year``: the dataset's prior-year figures, ``row_code`` the 编码 (or ``KEY1+KEY2``) and
  ``column`` the 类别;
- ``forms``: the 项目支出绩效目标申报表 with targets, ``column`` 年度资金总额 or 项目个数.

``Figure.kind`` says what the amount is: ``amount`` (the source's value), ``prior`` (a prior-year
value), ``change`` (the source's value minus the prior-year figure of the same label; ``share`` is
the rate of change, ``None`` when the base is 0) or ``count`` (a number of items, not 元).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yusuan.catalog.loader import PERSONNEL_CLASSES
from yusuan.dataset.explanation import CHANGE_REASONS, change_reasons
from yusuan.dataset.problems import Problem
from yusuan.model.records import Dataset, Manifest
from yusuan.money import ZERO, MoneyUnit, format_amount, round_display, to_unit
from yusuan.tables import (
    basic_economic,
    build_tables,
    expenditure,
    fiscal,
    general_budget,
    income,
    income_expenditure,
    operating_costs,
    procurement,
    three_public,
)
from yusuan.tables.base import DETAIL, TOTAL, Row, Table
from yusuan.tables.forms import ProjectForm, forms_of
from yusuan.tables.prior import comparison_base

# ---------------------------------------------------------------------------------------------
# The result


KIND_AMOUNT = "amount"
KIND_PRIOR = "prior"
KIND_CHANGE = "change"
KIND_COUNT = "count"

PRIOR_SOURCE = "prior_year"
FORMS_SOURCE = "forms"
FORMS_MONEY = "年度资金总额"
FORMS_COUNT = "项目个数"


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure the text states, with where in the tables it comes from (see the module doc).

    ``amount`` is in 元 (a number of items for ``kind == "count"``); ``share`` is the exact ratio
    the text shows as a percentage, of the whole named in ``note``.
    """

    label: str
    amount: Decimal | None
    share: Decimal | None
    table_id: str
    row_code: str
    column: str
    kind: str = KIND_AMOUNT
    note: str = ""


@dataclass(frozen=True, slots=True)
class Section:
    """One numbered part of the explanation: a stable key, its heading, text and figures."""

    key: str
    heading: str
    paragraphs: tuple[str, ...]
    figures: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Narrative:
    """部门预算情况说明."""

    title: str
    sections: tuple[Section, ...]
    # every change from last year the text states (not 三公: its reasons are EXP-002's)
    changes: tuple[ChangeStatement, ...] = ()

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(f for s in self.sections for f in s.figures)


# ---------------------------------------------------------------------------------------------
# The text file 说明.md

TEXT_FILE = "说明.md"
TEXT_DUTIES = "部门职责及机构设置"
TEXT_PURPOSES = "一般公共预算支出用途"
TEXT_THREE_PUBLIC_REASONS = "三公经费变动原因"
TEXT_ASSETS = "国有资产占用情况"
TEXT_OTHER = "其他重要事项"
TEXT_CHANGE_REASONS = CHANGE_REASONS  # 变动原因: one entry per code or name (docs/narrative.md)
TEXT_KEYS = (
    TEXT_DUTIES,
    TEXT_PURPOSES,
    TEXT_THREE_PUBLIC_REASONS,
    TEXT_ASSETS,
    TEXT_OTHER,
    TEXT_CHANGE_REASONS,
)

NO_DUTIES = "（本部门未提供部门职责及机构设置说明。）"
NO_ASSETS = "（本部门未提供国有资产占用情况说明。）"
NO_REASON = "（未提供变动原因）"

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING = re.compile(r"^##(?!#)\s*(.*?)\s*#*\s*$")
_PURPOSE = re.compile(r"^\s*(?:[-*]\s*)?(\d{7})(?!\d)\s*[：:]?\s*(.*?)\s*$")
# "- 公务接待费：reason": a bullet whose short lead-in before the colon names a 三公 item
_ITEM_REASON = re.compile(r"^\s*[-*]\s*([^：:]{1,16}?)\s*[：:]\s*(.*?)\s*$")

# 三公 items of the “三公”经费预算表 (column key, text label), in the order 143号 lists them.
THREE_PUBLIC_ITEMS = (
    ("abroad", "因公出国（境）费"),
    ("vehicle_subtotal", "公务用车购置及运行费"),
    ("reception", "公务接待费"),
)
VEHICLE_PARTS = (
    ("vehicle_purchase", "公务用车购置费"),
    ("vehicle_operation", "公务用车运行维护费"),
)
OTHER_EXPENSES = (("meeting", "会议费"), ("training", "培训费"))
THREE_PUBLIC_TOTAL = "total"
COMPARISON_ORDER = (
    THREE_PUBLIC_TOTAL,
    "abroad",
    "vehicle_subtotal",
    "vehicle_purchase",
    "vehicle_operation",
    "reception",
    "meeting",
    "training",
)
THREE_PUBLIC_LABELS: dict[str, str] = {
    THREE_PUBLIC_TOTAL: "“三公”经费",
    **dict(THREE_PUBLIC_ITEMS),
    **dict(VEHICLE_PARTS),
    **dict(OTHER_EXPENSES),
}

# Names by which prior-year keys and reasons may refer to a column of the 三公 table.
_THREE_PUBLIC_NAMES = {
    "total": THREE_PUBLIC_TOTAL,
    "合计": THREE_PUBLIC_TOTAL,
    "三公经费": THREE_PUBLIC_TOTAL,
    "三公经费合计": THREE_PUBLIC_TOTAL,
    "abroad": "abroad",
    "因公出国(境)费": "abroad",
    "因公出国(境)费用": "abroad",
    "reception": "reception",
    "公务接待费": "reception",
    "vehicle_subtotal": "vehicle_subtotal",
    "公务用车购置及运行费": "vehicle_subtotal",
    "公务用车购置及运行维护费": "vehicle_subtotal",
    "公务用车费": "vehicle_subtotal",
    "vehicle_purchase": "vehicle_purchase",
    "公务用车购置费": "vehicle_purchase",
    "vehicle_operation": "vehicle_operation",
    "公务用车运行维护费": "vehicle_operation",
    "公务用车运行费": "vehicle_operation",
    "meeting": "meeting",
    "会议费": "meeting",
    "training": "training",
    "培训费": "training",
}

PRIOR_THREE_PUBLIC = "三公经费"


def three_public_key(name: str) -> str | None:
    """The 三公 table column a name refers to (全角/半角 brackets and quotes alike), or None."""
    cleaned = re.sub(r"[\s“”\"'‘’]", "", name).replace("（", "(").replace("）", ")")
    return _THREE_PUBLIC_NAMES.get(cleaned)


def _problem(line: int, message_zh: str, message_en: str) -> Problem:
    return Problem("narrative-text", TEXT_FILE, line, "", message_zh, message_en)


def read_texts(folder: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read ``说明.md`` of a dataset folder: ``({heading: text}, problems)``; ``({}, [])`` if absent."""
    path = Path(folder) / TEXT_FILE
    if not path.is_file():
        return {}, []
    try:
        content = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [_problem(0, f"无法读取：{exc}", f"cannot be read as UTF-8 text: {exc}")]
    return parse_texts(content)


def parse_texts(content: str) -> tuple[dict[str, str], list[Problem]]:
    """Split the text file at its ``## `` headings and check each part (see docs/narrative.md)."""
    problems: list[Problem] = []
    bodies: dict[str, list[str]] = {}
    starts: dict[str, int] = {}
    current: str | None = None
    seen_heading = False
    expected = "、".join(TEXT_KEYS)
    # guidance in <!-- comments --> (as `yusuan init` writes it) is never published; blanked
    # line for line so that problems keep their line numbers
    content = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), content)
    for number, line in enumerate(content.splitlines(), start=1):
        heading = _HEADING.match(line)
        if heading:
            key = heading.group(1)
            current = None
            seen_heading = True
            if key not in TEXT_KEYS:
                problems.append(
                    _problem(
                        number,
                        f"未知的小节标题“{key}”，其下内容未使用；应为：{expected}",
                        f"unknown section heading {key!r}, its text is not used; expected one of: "
                        + ", ".join(TEXT_KEYS),
                    )
                )
            elif key in bodies:
                problems.append(
                    _problem(
                        number,
                        f"小节“{key}”重复（首次出现在第{starts[key]}行），此处内容未使用",
                        f"section {key!r} repeated (first on line {starts[key]}); not used",
                    )
                )
            else:
                current = key
                bodies[key] = []
                starts[key] = number
            continue
        if current is not None:
            bodies[current].append(line)
        elif line.strip() and not seen_heading and not line.startswith("# "):
            problems.append(
                _problem(
                    number,
                    f"第一个“## ”小节标题之前的文字未使用；小节标题应为：{expected}",
                    "text before the first '## ' heading is not used",
                )
            )
    # an empty section is not a problem of the file: the template leaves every section empty,
    # and the check (EXP-001/EXP-002) says which missing text the published document would show
    texts = {key: "\n".join(lines).strip() for key, lines in bodies.items()}
    problems += _check_purposes(bodies.get(TEXT_PURPOSES, []), starts.get(TEXT_PURPOSES, 0))
    problems += _check_reasons(
        bodies.get(TEXT_THREE_PUBLIC_REASONS, []), starts.get(TEXT_THREE_PUBLIC_REASONS, 0)
    )
    problems += change_reasons(content, TEXT_FILE)[1]
    return {key: text for key, text in texts.items() if text}, problems


def _check_purposes(lines: Sequence[str], start: int) -> list[Problem]:
    problems = []
    seen: dict[str, int] = {}
    for offset, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _PURPOSE.match(line)
        if not match or not match.group(2):
            problems.append(
                _problem(
                    start + offset,
                    f"“{TEXT_PURPOSES}”的每一行应为“- 7位功能分类项级编码：用途”，如“- 2013201：主要用于机关日常运转”",
                    f"each line of {TEXT_PURPOSES!r} must be '- <7-digit function code>: purpose'",
                )
            )
        elif match.group(1) in seen:
            problems.append(
                _problem(
                    start + offset,
                    f"科目{match.group(1)}的用途重复（首次在第{seen[match.group(1)]}行）",
                    f"purpose of {match.group(1)} repeated (first on line {seen[match.group(1)]})",
                )
            )
        else:
            seen[match.group(1)] = start + offset
    return problems


def _check_reasons(lines: Sequence[str], start: int) -> list[Problem]:
    problems = []
    names = "、".join(dict.fromkeys(THREE_PUBLIC_LABELS.values()))
    for offset, line in enumerate(lines, start=1):
        match = _ITEM_REASON.match(line)
        if match and three_public_key(match.group(1)) is None:
            problems.append(
                _problem(
                    start + offset,
                    f"未知的“三公”经费项目“{match.group(1)}”；应为：合计、{names}",
                    f"unknown 三公 item {match.group(1)!r}; expected 合计 or one of the table's items",
                )
            )
    return problems


def purposes_of(text: str) -> dict[str, str]:
    """``一般公共预算支出用途``: function code (项) -> what it is mainly used for, as written."""
    found: dict[str, str] = {}
    for line in text.splitlines():
        match = _PURPOSE.match(line)
        if match and match.group(2) and match.group(1) not in found:
            found[match.group(1)] = match.group(2).rstrip("。；;")
    return found


def reasons_of(text: str) -> dict[str, str]:
    """``三公经费变动原因``: 三公 column key -> reason; text not under an item is the total's."""
    found: dict[str, str] = {}
    general: list[str] = []
    for line in text.splitlines():
        match = _ITEM_REASON.match(line)
        key = three_public_key(match.group(1)) if match else None
        if match and key is not None:
            found.setdefault(key, match.group(2).rstrip("。；;"))
        elif line.strip():
            general.append(re.sub(r"^\s*[-*]\s*", "", line).strip())
    if general and THREE_PUBLIC_TOTAL not in found:
        found[THREE_PUBLIC_TOTAL] = "".join(general).rstrip("。；;")
    return found


def paragraphs_of(text: str) -> tuple[str, ...]:
    """Paragraphs separated by blank lines, each exactly as written (outer whitespace removed)."""
    return tuple(p.strip() for p in re.split(r"\n[ \t　]*\n", text.strip()) if p.strip())


# ---------------------------------------------------------------------------------------------
# Reading figures from the tables


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else ZERO


def cell_value(table: Table, row_ref: str, column: str) -> Decimal | None:
    """The value a row reference (``CODE``, ``CODE1+CODE2``, ``PREFIX*``) names in a column."""
    if row_ref.endswith("*"):
        prefix = row_ref[:-1]
        rows = [r for r in table.rows if r.kind == DETAIL and r.code.startswith(prefix)]
        return sum((_decimal(r.values.get(column)) for r in rows), ZERO)
    if "+" in row_ref:
        parts = (table.row(code) for code in row_ref.split("+"))
        return sum((_decimal(r.values.get(column)) for r in parts if r is not None), ZERO)
    row = table.row(row_ref)
    value = row.values.get(column) if row is not None else None
    return value if isinstance(value, Decimal) else None


def prior_value(dataset: Dataset, category: str, key_ref: str) -> Decimal | None:
    """A prior-year figure (or the sum of ``KEY1+KEY2``); None when any part is missing."""
    total = ZERO
    for key in key_ref.split("+"):
        found = next(
            (p for p in dataset.prior_year if p.category == category and p.key == key), None
        )
        if found is None:
            return None
        total += found.amount
    return total


def has_targets(form: ProjectForm) -> bool:
    """A project has performance targets when its form has indicators or an overall goal."""
    project = form.project
    return bool(
        form.period_indicators
        or form.year_indicators
        or project.year_goal.strip()
        or project.period_goal.strip()
    )


def target_forms(dataset: Dataset) -> list[ProjectForm]:
    return [form for form in forms_of(dataset) if has_targets(form)]


def figure_source_value(
    figure: Figure, tables: Mapping[str, Table], dataset: Dataset
) -> Decimal | None:
    """The value at a figure's source. For a ``change`` figure this is this year's value."""
    if figure.table_id == PRIOR_SOURCE:
        return prior_or_zero(dataset, figure.column, figure.row_code)
    if figure.table_id == FORMS_SOURCE:
        forms = target_forms(dataset)
        if figure.column == FORMS_COUNT:
            return Decimal(len(forms))
        return sum((f.project.year_funds.total for f in forms), ZERO)
    table = tables.get(figure.table_id)
    return cell_value(table, figure.row_code, figure.column) if table is not None else None


# ---------------------------------------------------------------------------------------------
# Writing figures


WAN = MoneyUnit.WAN
HUNDRED = Decimal(100)


def wan(amount: Decimal | None) -> str:
    """An amount in 元 written in 万元 with two decimals, 四舍五入: ``12,347.83万元``."""
    return f"{format_amount(to_unit(amount if amount is not None else ZERO, WAN))}万元"


def percent(ratio: Decimal) -> str:
    """An exact ratio written as a percentage with two decimals: ``52.02%``."""
    return f"{format_amount(ratio * HUNDRED)}%"


def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or whole is None or whole == 0:
        return None
    return part / whole


def shown_percent(share: Decimal) -> Decimal:
    """The percentage as displayed (rounded 四舍五入 to two decimals)."""
    return round_display(share * HUNDRED)


def _amount(figure: Figure) -> Decimal:
    return figure.amount if figure.amount is not None else ZERO


def with_share(figure: Figure) -> str:
    text = f"{figure.label}{wan(figure.amount)}"
    return f"{text}，占{percent(figure.share)}" if figure.share is not None else text


def rounding_remarks(parts: Sequence[Figure], whole: Figure) -> list[str]:
    """Say so when 四舍五入 makes the shown amounts miss the shown whole; never adjust a figure.

    Shares are not remarked on: a published explanation does not announce that its rounded
    percentages add up to 99.99% (the check's rounding note reports such differences to the
    department instead)."""
    if not parts or sum((_amount(p) for p in parts), ZERO) != _amount(whole):
        return []
    remarks = []
    shown = sum((round_display(to_unit(_amount(p), WAN)) for p in parts), ZERO)
    gap = shown - round_display(to_unit(_amount(whole), WAN))
    if gap:
        remarks.append(f"因四舍五入，上述各项金额之和与合计相差{format_amount(abs(gap))}万元。")
    return remarks


def _rounding_note(remarks: Sequence[str]) -> str:
    return "".join(remarks)


def _clause(text: str) -> str:
    """A user's sentence as a clause: without its final full stop."""
    return text.strip().rstrip("。；;.")


# ---------------------------------------------------------------------------------------------
# The sections


@dataclass(frozen=True)
class _Context:
    dataset: Dataset
    tables: Mapping[str, Table]
    texts: Mapping[str, str]
    # the changes from last year stated so far (ChangeStatement), in order
    changes: list[ChangeStatement] = field(default_factory=list)

    def change(
        self, section: str, current: Figure, category: str, key: str, names: Sequence[str] = ()
    ) -> tuple[str, tuple[Figure, ...]] | None:
        """The sentence on how ``current`` changed from last year (``_context_change``)."""
        return _context_change(self, section, current, category, key, names)

    @property
    def name(self) -> str:
        return self.dataset.manifest.department.name

    @property
    def year(self) -> int:
        return self.dataset.year

    @property
    def itself(self) -> str:
        """How a sentence names the body: 本部门, or 本单位 in a 单位预算 (scopes.toml)."""
        from yusuan.consolidation.scope import words_of

        return words_of(self.dataset).self

    def table(self, table_id: str) -> Table:
        return self.tables[table_id]

    def figure(
        self,
        label: str,
        table_id: str,
        row_ref: str,
        column: str,
        whole: Decimal | None = None,
        note: str = "",
    ) -> Figure:
        amount = cell_value(self.table(table_id), row_ref, column)
        return Figure(label, amount, ratio(amount, whole), table_id, row_ref, column, note=note)


@dataclass(frozen=True)
class _Part:
    """A section before numbering."""

    key: str
    title: str
    paragraphs: tuple[str, ...]
    figures: tuple[Figure, ...] = ()


def _total_row(table: Table) -> Row | None:
    total = table.total_row()
    return total if total is not None else (table.rows[0] if table.rows else None)


def _total_ref(table: Table) -> str:
    row = _total_row(table)
    return row.code if row is not None else ""


def _strip_number(label: str) -> str:
    """``一、一般公共预算`` -> ``一般公共预算``."""
    return re.sub(r"^[一二三四五六七八九十]+、", "", label)


def _joined(items: Sequence[str], sep: str = "；") -> str:
    return sep.join(items)


def duties_part(ctx: _Context) -> _Part:
    text = ctx.texts.get(TEXT_DUTIES, "")
    return _Part("duties", TEXT_DUTIES, paragraphs_of(text) or (NO_DUTIES,))


def overview_part(ctx: _Context) -> _Part:
    """收支预算总体情况: the 收支总表's totals, income lines and expenditure by 类."""
    table_id = income_expenditure.ID
    table = ctx.table(table_id)
    total_ref = _total_ref(table)
    income_total = ctx.figure("本年收入合计", table_id, total_ref, "income")
    spending_total = ctx.figure("本年支出合计", table_id, total_ref, "expenditure")
    sources = _income_lines(ctx, table)
    classes = [
        ctx.figure(row.name, table_id, row.code, "expenditure")
        for row in table.rows
        if row.kind != TOTAL and row.code and _decimal(row.values.get("expenditure"))
    ]
    sources_shown = [f for f in sources if _amount(f)]
    paragraphs = [
        f"{ctx.name}{ctx.year}年收入预算合计{wan(income_total.amount)}，"
        f"支出预算合计{wan(spending_total.amount)}。"
    ]
    if sources_shown:
        remarks = rounding_remarks(sources_shown, income_total)
        paragraphs.append(f"收入预算包括：{_listed(sources_shown)}。{_rounding_note(remarks)}")
        income_total = _with_note(income_total, remarks)
    if classes:
        remarks = rounding_remarks(classes, spending_total)
        paragraphs.append(
            f"支出预算按支出功能分类“类”级科目包括：{_listed(classes)}。{_rounding_note(remarks)}"
        )
        spending_total = _with_note(spending_total, remarks)
    figures = (income_total, spending_total, *sources, *classes)
    return _Part("overview", "收支预算总体情况", tuple(paragraphs), figures)


def _listed(figures: Sequence[Figure]) -> str:
    """``一般公共预算6,423.83万元，政府性基金5,924.00万元``."""
    return "，".join(f"{f.label}{wan(f.amount)}" for f in figures)


def _income_lines(ctx: _Context, table: Table) -> list[Figure]:
    """The income side of a two-sided 收支总表: each labelled income line (numbering removed)."""
    return [
        ctx.figure(_strip_number(str(row.values["income_item"])), table.id, row.code, "income")
        for row in table.rows
        if row.kind != TOTAL and isinstance(row.values.get("income_item"), str)
    ]


def _share_paragraph(
    lead: str, whole: Figure, parts: Sequence[Figure], *, always: bool = False
) -> tuple[str, tuple[Figure, ...]]:
    """``lead`` + the whole, then each part with its share; parts not written lose their share."""
    shown = [p for p in parts if always or _amount(p)]
    remarks = rounding_remarks(shown, whole)
    text = f"{lead}{wan(whole.amount)}"
    if shown:
        text += f"，其中：{_joined([with_share(p) for p in shown])}"
    figures = (
        _with_note(whole, remarks),
        *(p if p in shown else dataclasses.replace(p, share=None, note="") for p in parts),
    )
    return f"{text}。{_rounding_note(remarks)}", figures


def income_part(ctx: _Context) -> _Part:
    """收入预算情况: each source of the 收入总表 with its share of 本年收入合计."""
    table_id = income.ID
    table = ctx.table(table_id)
    ref = _total_ref(table)
    total = ctx.figure("本年收入合计", table_id, ref, "total")
    columns = [
        c
        for c in table.value_columns()
        if c.key != "total" and comparison_base(c.key) is None  # not 上年预算数 / 增减
    ]
    note = "占本年收入合计"
    parts = [ctx.figure(c.label, table_id, ref, c.key, total.amount, note) for c in columns]
    paragraph, figures = _share_paragraph(f"{ctx.name}本年收入预算合计", total, parts)
    paragraphs = [paragraph]
    absent = [p.label for p in parts if not _amount(p)]
    if absent and _amount(total):
        paragraphs.append(f"{ctx.itself}无{'、'.join(absent)}收入。")
    changes = [
        ctx.change("income", total, PRIOR_TOTALS, "本年收入合计"),
        *(ctx.change("income", p, PRIOR_SOURCES, p.label) for p in parts),
    ]
    paragraphs += [c[0] for c in changes if c is not None]
    figures += tuple(f for c in changes if c is not None for f in c[1])
    return _Part("income", "收入预算情况", tuple(paragraphs), figures)


def _with_note(figure: Figure, remarks: Sequence[str]) -> Figure:
    """The figure with rounding remarks added to its note."""
    if not remarks:
        return figure
    note = "；".join(n for n in (figure.note, _rounding_note(remarks)) if n)
    return dataclasses.replace(figure, note=note)


def expenditure_part(ctx: _Context) -> _Part:
    """支出预算情况: 基本支出 and 项目支出 with their shares of 本年支出合计."""
    table_id = expenditure.ID
    ref = _total_ref(ctx.table(table_id))
    total = ctx.figure("本年支出合计", table_id, ref, "total")
    note = "占本年支出合计"
    parts = [
        ctx.figure("基本支出", table_id, ref, "basic", total.amount, note),
        ctx.figure("项目支出", table_id, ref, "project", total.amount, note),
    ]
    paragraph, figures = _share_paragraph(f"{ctx.name}本年支出预算合计", total, parts, always=True)
    paragraphs = [paragraph]
    changes = [
        ctx.change("expenditure", total, PRIOR_TOTALS, "本年支出合计"),
        *(ctx.change("expenditure", p, PRIOR_TOTALS, p.label) for p in parts),
    ]
    more_paragraphs, more_figures = _function_changes(ctx)
    paragraphs += [c[0] for c in changes if c is not None] + more_paragraphs
    figures += tuple(f for c in changes if c is not None for f in c[1]) + more_figures
    return _Part("expenditure", "支出预算情况", tuple(paragraphs), figures)


def _spending_total(ctx: _Context) -> Figure:
    table_id = income_expenditure.ID
    ref = _total_ref(ctx.table(table_id))
    return ctx.figure("本年支出合计", table_id, ref, "expenditure")


def fiscal_part(ctx: _Context) -> _Part:
    """财政拨款收支预算总体情况: the 财政拨款收支总表's income lines and totals."""
    table_id = fiscal.ID
    table = ctx.table(table_id)
    ref = _total_ref(table)
    title = "财政拨款收支预算总体情况"
    income_total = ctx.figure("财政拨款收入合计", table_id, ref, "income")
    spending = _spending_total(ctx)
    spending_total = ctx.figure(
        "财政拨款支出合计", table_id, ref, "subtotal", spending.amount, "占本年支出合计"
    )
    sources = _income_lines(ctx, table)
    if not _amount(income_total) and not _amount(spending_total):
        text = f"{ctx.name}{ctx.year}年无财政拨款收支预算。"
        unshared = dataclasses.replace(spending_total, share=None, note="")
        return _Part("fiscal", title, (text,), (income_total, unshared))
    shown = [f for f in sources if _amount(f)]
    remarks = rounding_remarks(shown, income_total)
    text = f"{ctx.name}{ctx.year}年财政拨款收入预算合计{wan(income_total.amount)}"
    text += f"，其中：{_listed(shown)}。" if shown else "。"
    text += _rounding_note(remarks)
    text += f"财政拨款支出预算合计{wan(spending_total.amount)}"
    if spending_total.share is not None:
        text += f"，占本年支出合计的{percent(spending_total.share)}"
    figures = (_with_note(income_total, remarks), spending_total, spending, *sources)
    return _Part("fiscal", title, (f"{text}。",), figures)


def general_budget_part(ctx: _Context) -> _Part:
    """一般公共预算支出情况: the total, the 类 with their shares, and every 项."""
    table_id = general_budget.ID
    table = ctx.table(table_id)
    ref = _total_ref(table)
    spending = _spending_total(ctx)
    total = ctx.figure(
        "一般公共预算支出合计", table_id, ref, "total", spending.amount, "占本年支出合计"
    )
    basic = ctx.figure("基本支出", table_id, ref, "basic")
    project = ctx.figure("项目支出", table_id, ref, "project")
    title = "一般公共预算支出情况"
    if not _amount(total):
        text = f"{ctx.name}{ctx.year}年无一般公共预算拨款安排的支出。"
        return _Part("general_budget", title, (text,), (dataclasses.replace(total, share=None),))
    lead = f"{ctx.name}{ctx.year}年一般公共预算支出预算{wan(total.amount)}"
    if total.share is not None:
        lead += f"，占本年支出合计的{percent(total.share)}"
    lead += f"。其中：基本支出{wan(basic.amount)}，项目支出{wan(project.amount)}。"
    note = "占一般公共预算支出合计"
    classes = [
        ctx.figure(row.name, table_id, row.code, "total", total.amount, note)
        for row in table.rows
        if row.level == 1 and row.code
    ]
    remarks = rounding_remarks(classes, total)
    structure = (
        "按支出功能分类，各“类”级科目支出及其占一般公共预算支出的比重为："
        f"{_joined([with_share(f) for f in classes])}。{_rounding_note(remarks)}"
    )
    paragraphs = [lead, structure, "按“项”级科目，具体支出情况如下："]
    items = _item_paragraphs(ctx, table, purposes_of(ctx.texts.get(TEXT_PURPOSES, "")))
    paragraphs += [text for text, _ in items]
    figures = (
        _with_note(total, remarks),
        spending,
        basic,
        project,
        *classes,
        *(f for _, f in items if f is not None),
    )
    return _Part("general_budget", title, tuple(paragraphs), figures)


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1..99 as Chinese numerals: 1 一, 10 十, 13 十三, 20 二十, 21 二十一."""
    tens, ones = divmod(n, 10)
    if n < 10:
        return CHINESE_DIGITS[n]
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return f"{head}十{CHINESE_DIGITS[ones] if ones else ''}"


def _item_paragraphs(
    ctx: _Context, table: Table, purposes: Mapping[str, str]
) -> list[tuple[str, Figure | None]]:
    """One paragraph per 类 heading, then one per 项 with code, official names and amount."""
    result: list[tuple[str, Figure | None]] = []
    names = {row.code: row.name for row in table.rows if row.code}
    class_number = item_number = 0
    for row in table.rows:
        if row.level == 1 and row.code:
            class_number += 1
            item_number = 0
            result.append((f"（{chinese_number(class_number)}）{row.name}（类）", None))
        elif row.level == 3 and row.code:
            item_number += 1
            figure = ctx.figure(f"{row.code} {row.name}", table.id, row.code, "total")
            text = (
                f"{item_number}．{row.code} {names.get(row.code[:5], '')}（款）{row.name}（项）："
                f"{wan(figure.amount)}"
            )
            purpose = purposes.get(row.code)
            text += f"，{_clause(purpose)}。" if purpose else "。"
            result.append((text, figure))
    return result


def basic_part(ctx: _Context) -> _Part:
    """一般公共预算基本支出情况: 人员经费 (301 + 303) and 公用经费 (the other 类) with their 款."""
    table_id = basic_economic.ID
    table = ctx.table(table_id)
    ref = _total_ref(table)
    total = ctx.figure("一般公共预算基本支出合计", table_id, ref, "amount")
    title = "一般公共预算基本支出情况"
    if not _amount(total):
        text = f"{ctx.name}{ctx.year}年无一般公共预算安排的基本支出。"
        return _Part("basic", title, (text,), (total,))
    classes = [r.code for r in table.rows if r.level == 1 and r.code]
    public_classes = [c for c in classes if c not in PERSONNEL_CLASSES] or ["302", "310"]
    groups = (
        ("人员经费", list(PERSONNEL_CLASSES)),
        ("公用经费", public_classes),
    )
    parts = [ctx.figure(label, table_id, "+".join(codes), "amount") for label, codes in groups]
    paragraphs = [f"{ctx.name}{ctx.year}年一般公共预算基本支出{wan(total.amount)}，其中："]
    for number, ((label, codes), figure) in enumerate(zip(groups, parts, strict=True), start=1):
        names = [
            r.name
            for r in table.rows
            if r.level == 2 and r.code[:3] in codes and _decimal(r.values.get("amount"))
        ]
        text = f"（{chinese_number(number)}）{label}{wan(figure.amount)}"
        text += f"，主要包括：{'、'.join(names)}。" if names else "。"
        paragraphs.append(text)
    remarks = rounding_remarks(parts, total)
    paragraphs.append(
        "人员经费按部门预算支出经济分类的工资福利支出、对个人和家庭的补助计列，"
        "公用经费按商品和服务支出等其余经济分类计列。" + _rounding_note(remarks)
    )
    return _Part("basic", title, tuple(paragraphs), (_with_note(total, remarks), *parts))


def _prior_three_public(dataset: Dataset) -> dict[str, str]:
    """三公 column key -> the prior-year 编码 that gives it (first one wins)."""
    keys: dict[str, str] = {}
    for figure in dataset.prior_year:
        if figure.category != PRIOR_THREE_PUBLIC:
            continue
        column = three_public_key(figure.key)
        if column is not None:
            keys.setdefault(column, figure.key)
    return keys


def _prior_ref(keys: Mapping[str, str], column: str) -> str | None:
    """The prior-year reference of a 三公 column, adding up its parts when only they are given."""
    if column in keys:
        return keys[column]
    parts: tuple[str, ...] = ()
    if column == "vehicle_subtotal":
        parts = tuple(key for key, _ in VEHICLE_PARTS)
    elif column == THREE_PUBLIC_TOTAL:
        parts = tuple(key for key, _ in THREE_PUBLIC_ITEMS)
    refs = [_prior_ref(keys, part) for part in parts]
    if not parts or any(r is None for r in refs):
        return None
    return "+".join(r for r in refs if r is not None)


def change_phrase(current: Decimal, prior: Decimal) -> str:
    """比上年预算增加/减少…万元，增长/下降…%, or 与上年预算持平; no rate on a zero base."""
    diff = current - prior
    if diff == 0:
        return "与上年预算持平"
    word, rate_word = ("增加", "增长") if diff > 0 else ("减少", "下降")
    text = f"比上年预算{word}{wan(abs(diff))}"
    if prior > 0:
        return f"{text}，{rate_word}{percent(abs(diff) / prior)}"
    return f"{text}（上年预算数为{wan(prior)}，不计算增减率）"


def _reason_phrase(reason: str | None, changed: bool) -> str:
    if reason:
        clause = _clause(reason)
        return f"，{clause}" if clause.startswith("主要原因") else f"，主要原因是{clause}"
    return NO_REASON if changed else ""


def _comparison(
    ctx: _Context, current: Figure, prior_ref: str, reason: str | None
) -> tuple[str, tuple[Figure, ...]]:
    prior = prior_value(ctx.dataset, PRIOR_THREE_PUBLIC, prior_ref)
    if prior is None:  # not reached: the reference is built from existing prior-year keys
        return f"{current.label}无上年预算数，不作比较。", ()
    now = _amount(current)
    diff = now - prior
    prior_figure, change_figure = _change_figures(current, prior, PRIOR_THREE_PUBLIC, prior_ref)
    text = (
        f"{current.label}预算{wan(now)}，上年预算{wan(prior)}，{change_phrase(now, prior)}"
        f"{_reason_phrase(reason, diff != 0)}。"
    )
    return text, (prior_figure, change_figure)


def three_public_part(ctx: _Context) -> _Part:
    """“三公”经费预算情况: each item, its share, and the change from last year when known."""
    table_id = three_public.ID
    table = ctx.table(table_id)
    ref = _total_ref(table)
    total = ctx.figure(THREE_PUBLIC_LABELS[THREE_PUBLIC_TOTAL], table_id, ref, "total")
    note = "占“三公”经费合计"
    items = [
        ctx.figure(label, table_id, ref, key, total.amount, note)
        for key, label in THREE_PUBLIC_ITEMS
    ]
    vehicle = [ctx.figure(label, table_id, ref, key) for key, label in VEHICLE_PARTS]
    others = [ctx.figure(label, table_id, ref, key) for key, label in OTHER_EXPENSES]
    listed = []
    for (key, _), figure in zip(THREE_PUBLIC_ITEMS, items, strict=True):
        text = with_share(figure)
        if key == "vehicle_subtotal":
            text += f"（其中：{'，'.join(f'{v.label}{wan(v.amount)}' for v in vehicle)}）"
        listed.append(text)
    remarks = rounding_remarks(items, total)
    paragraphs = [
        f"{ctx.name}{ctx.year}年“三公”经费预算{wan(total.amount)}，其中：{_joined(listed)}。"
        + _rounding_note(remarks)
    ]
    paragraphs.append(
        f"{ctx.name}{ctx.year}年会议费预算{wan(others[0].amount)}，培训费预算{wan(others[1].amount)}。"
    )
    figures: list[Figure] = [_with_note(total, remarks), *items, *vehicle, *others]
    by_column = {f.column: f for f in (total, *items, *vehicle, *others)}
    compared = [by_column[key] for key in COMPARISON_ORDER]
    paragraphs += _three_public_changes(ctx, compared, figures)
    return _Part("three_public", "“三公”经费预算情况", tuple(paragraphs), tuple(figures))


def _three_public_changes(
    ctx: _Context, current: Sequence[Figure], figures: list[Figure]
) -> list[str]:
    """Sentences comparing each figure with last year's; adds the prior and change figures."""
    keys = _prior_three_public(ctx.dataset)
    if not keys:
        return [f"{ctx.itself}未提供上年“三公”经费预算数，无法与上年比较。"]
    reasons = reasons_of(ctx.texts.get(TEXT_THREE_PUBLIC_REASONS, ""))
    sentences = []
    for figure in current:
        prior_ref = _prior_ref(keys, figure.column)
        if prior_ref is None:
            if figure.column not in dict(OTHER_EXPENSES):
                sentences.append(f"{figure.label}无上年预算数，不作比较。")
            continue
        text, extra = _comparison(ctx, figure, prior_ref, reasons.get(figure.column))
        sentences.append(text)
        figures.extend(extra)
    return ["与上年相比：" + "".join(sentences)]


def operating_costs_part(ctx: _Context) -> _Part:
    """机关运行经费预算情况: the total and each unit, from the 机关运行经费 table."""
    table_id = operating_costs.ID
    table = ctx.table(table_id)
    ref = _total_ref(table)
    total = ctx.figure("机关运行经费合计", table_id, ref, "amount")
    units = [
        ctx.figure(row.name, table_id, row.code, "amount")
        for row in table.rows
        if row.kind == DETAIL and row.code
    ]
    text = f"{ctx.name}{ctx.year}年机关运行经费预算{wan(total.amount)}"
    if len(units) > 1:
        remarks = rounding_remarks(units, total)
        text += f"，其中：{_listed(units)}。{_rounding_note(remarks)}"
        total = _with_note(total, remarks)
    else:
        text += "。"
    paragraphs = [text]
    figures = (total, *units)
    change = ctx.change(
        "operating_costs",
        dataclasses.replace(total, label="机关运行经费"),
        PRIOR_OPERATING_COSTS,
        "合计",
        names=("机关运行经费",),
    )
    if change is not None:
        paragraphs.append(change[0])
        figures += change[1]
    return _Part("operating_costs", "机关运行经费预算情况", tuple(paragraphs), figures)


PROCUREMENT_KINDS = (("A", "货物"), ("B", "工程"), ("C", "服务"))


def procurement_part(ctx: _Context) -> _Part:
    """政府采购预算情况: the total and 货物/工程/服务 by the catalogue root letter of each item."""
    table_id = procurement.ID
    table = ctx.table(table_id)
    ref = _total_ref(table)
    total = ctx.figure("政府采购预算总额", table_id, ref, "total")
    title = "政府采购预算情况"
    letters = [r.code[:1] for r in table.rows if r.kind == DETAIL and r.code]
    if not letters:
        return _Part("procurement", title, (f"{ctx.name}{ctx.year}年无政府采购预算。",), (total,))
    kinds = [
        ctx.figure(label, table_id, f"{letter}*", "total") for letter, label in PROCUREMENT_KINDS
    ]
    known = {letter for letter, _ in PROCUREMENT_KINDS}
    others = [
        ctx.figure(f"其他（品目编码以{letter}开头）", table_id, f"{letter}*", "total")
        for letter in sorted(set(letters) - known)
    ]
    remarks = rounding_remarks([*kinds, *others], total)
    text = (
        f"{ctx.name}{ctx.year}年政府采购预算总额{wan(total.amount)}，"
        f"其中：{_listed([*kinds, *others])}。" + _rounding_note(remarks)
    )
    paragraphs = [text]
    if others:
        paragraphs.append("“其他”为品目编码不属于货物（A）、工程（B）、服务（C）类的采购品目。")
    return _Part(
        "procurement", title, tuple(paragraphs), (_with_note(total, remarks), *kinds, *others)
    )


def assets_part(ctx: _Context) -> _Part:
    text = ctx.texts.get(TEXT_ASSETS, "")
    return _Part("assets", TEXT_ASSETS, paragraphs_of(text) or (NO_ASSETS,))


def performance_part(ctx: _Context) -> _Part:
    """项目支出绩效目标情况: how many projects have targets and the money they cover."""
    forms = target_forms(ctx.dataset)
    count = Figure(
        "编报绩效目标的项目个数",
        Decimal(len(forms)),
        None,
        FORMS_SOURCE,
        "",
        FORMS_COUNT,
        KIND_COUNT,
    )
    table_id = expenditure.ID
    project_total = ctx.figure("项目支出", table_id, _total_ref(ctx.table(table_id)), "project")
    money = sum((f.project.year_funds.total for f in forms), ZERO)
    covered = Figure(
        "编报绩效目标的项目资金",
        money,
        ratio(money, project_total.amount),
        FORMS_SOURCE,
        "",
        FORMS_MONEY,
        note="占项目支出",
    )
    title = "项目支出绩效目标情况"
    if not forms:
        text = f"{ctx.name}{ctx.year}年无编报绩效目标的项目。"
        return _Part("performance", title, (text,), (count,))
    text = f"{ctx.name}{ctx.year}年共{len(forms)}个项目编报了绩效目标，涉及项目资金{wan(money)}"
    if covered.share is not None:
        text += f"，占项目支出的{percent(covered.share)}"
    text += "。"
    return _Part("performance", title, (text,), (count, covered, project_total))


def other_part(ctx: _Context) -> _Part | None:
    paragraphs = paragraphs_of(ctx.texts.get(TEXT_OTHER, ""))
    return _Part("other", TEXT_OTHER, paragraphs) if paragraphs else None


GLOSSARY = (
    (
        "财政拨款收入",
        "指本级财政当年拨付的资金，包括一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款。",
    ),
    (
        "一般公共预算",
        "是对以税收为主体的财政收入，安排用于保障和改善民生、推动经济社会发展、维护国家安全、"
        "维持国家机构正常运转等方面的收支预算。",
    ),
    (
        "政府性基金",
        "政府性基金预算是对依照法律、行政法规的规定在一定期限内向特定对象征收、收取或者以其他方式"
        "筹集的资金，专项用于特定公共事业发展的收支预算。",
    ),
    ("基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
    ("项目支出", "指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"),
    (
        "“三公”经费",
        "指部门用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。其中，"
        "因公出国（境）费反映单位公务出国（境）的国际旅费、国外城市间交通费、住宿费、伙食费、"
        "培训费、公杂费等支出；公务用车购置及运行费反映单位公务用车车辆购置支出（含车辆购置税）"
        "及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；公务接待费反映单位"
        "按规定开支的各类公务接待（含外宾接待）支出。",
    ),
    (
        "机关运行经费",
        "指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出，"
        "包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般设备购置费、"
        "办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费及其他费用。",
    ),
)


def glossary_part(ctx: _Context) -> _Part:
    paragraphs = tuple(
        f"（{chinese_number(n)}）{term}：{text}" for n, (term, text) in enumerate(GLOSSARY, start=1)
    )
    return _Part("glossary", "名词解释", paragraphs)


# ---------------------------------------------------------------------------------------------
# Changes from last year (every class and project 项; the reasons from ## 变动原因)

# prior-year categories (prior_year.csv 类别 and yusuan.tables.prior_figures)
PRIOR_TOTALS = "合计"
PRIOR_SOURCES = "收入来源"
PRIOR_FUNCTION = "功能分类"
PRIOR_PROJECT_FUNCTION = "项目支出功能分类"
PRIOR_OPERATING_COSTS = "机关运行经费"

# EXP-003: a change needs a reason when it is at least this large in both rate and amount
CHANGE_RULE = "EXP-003"
DEFAULT_MIN_RATE = Decimal("0.10")
DEFAULT_MIN_AMOUNT = Decimal(100000)  # 10万元


@dataclass(frozen=True, slots=True)
class ChangeStatement:
    """A change from last year the explanation states: what (``label``; ``keys``, the codes and
    names a ``## 变动原因`` entry may give it by), this year's and last year's amounts (元), the
    reason the department gave (None when none), and the section it is in."""

    label: str
    keys: tuple[str, ...]
    current: Decimal
    prior: Decimal
    reason: str | None
    section: str

    @property
    def difference(self) -> Decimal:
        return self.current - self.prior

    @property
    def rate(self) -> Decimal | None:
        """The rate of change; None on a zero base (新增: no rate can be stated)."""
        return self.difference / self.prior if self.prior else None


def change_threshold(manifest: Manifest) -> tuple[Decimal, Decimal]:
    """(minimum |rate|, minimum |amount| in 元) from which a change needs a reason.

    ``[rules."EXP-003"]`` in yusuan.toml may set ``min_rate`` (a percentage: ``"10"`` or
    ``"10%"``) and ``min_amount`` (元: ``"100000"``, or ``"10万元"``); defaults 10% and 10万元.
    Raises ValueError naming the setting when one cannot be read."""
    from yusuan.money import parse_amount

    settings = manifest.rules.get(CHANGE_RULE, {})
    rate, amount = DEFAULT_MIN_RATE, DEFAULT_MIN_AMOUNT
    if "min_rate" in settings:
        text = str(settings["min_rate"]).strip().rstrip("%％")
        try:
            rate = Decimal(text) / HUNDRED
        except InvalidOperation:
            raise ValueError(
                f'[rules."{CHANGE_RULE}"] min_rate = "{settings["min_rate"]}"'
            ) from None
        if not rate.is_finite() or rate < 0:
            raise ValueError(f'[rules."{CHANGE_RULE}"] min_rate = "{settings["min_rate"]}"')
    if "min_amount" in settings:
        try:
            amount = parse_amount(str(settings["min_amount"])).yuan
        except (ValueError, AttributeError):
            raise ValueError(
                f'[rules."{CHANGE_RULE}"] min_amount = "{settings["min_amount"]}"'
            ) from None
    return rate, amount


def needs_reason(change: ChangeStatement, threshold: tuple[Decimal, Decimal]) -> bool:
    """Is the change large enough to need a reason (a new item: by its amount alone)?"""
    min_rate, min_amount = threshold
    if abs(change.difference) < min_amount or change.difference == 0:
        return False
    rate = change.rate
    return rate is None or abs(rate) >= min_rate


def reason_key(text: str) -> str:
    return re.sub(r"[\s“”\"'‘’]", "", text).replace("（", "(").replace("）", ")")


def _change_reasons(ctx: _Context) -> dict[str, str]:
    text = ctx.texts.get(TEXT_CHANGE_REASONS, "")
    entries, _ = change_reasons(f"## {TEXT_CHANGE_REASONS}\n{text}")
    return {reason_key(e.key): e.reason for e in entries}


def prior_or_zero(dataset: Dataset, category: str, key: str) -> Decimal | None:
    """A prior-year figure; 0 for a key missing from a category derived from last year's
    dataset (which gives every row its tables have, so a missing row was 0); else None."""
    from yusuan.tables.prior_figures import DERIVED_NOTE

    found = prior_value(dataset, category, key)
    if found is not None:
        return found
    derived = any(p.category == category and p.note == DERIVED_NOTE for p in dataset.prior_year)
    return ZERO if derived else None


def _because(reason: str | None) -> str:
    if not reason:
        return ""
    clause = _clause(reason)
    return f"{clause}。" if clause.startswith("主要原因") else f"主要原因是：{clause}。"


def change_words(current: Decimal, prior: Decimal) -> str:
    """与上年相比增加…万元，增长…%; 新增 on a zero base (no rate: N-2); 持平 when equal."""
    diff = current - prior
    if diff == 0:
        return "与上年预算持平"
    if prior == 0:
        return f"上年无此项预算，与上年相比新增{wan(diff)}"
    word, rate_word = ("增加", "增长") if diff > 0 else ("减少", "下降")
    return f"与上年相比{word}{wan(abs(diff))}，{rate_word}{percent(abs(diff) / abs(prior))}"


def _change_figures(
    current: Figure, prior: Decimal, category: str, key: str
) -> tuple[Figure, Figure]:
    now = _amount(current)
    diff = now - prior
    return (
        Figure(current.label, prior, None, PRIOR_SOURCE, key, category, KIND_PRIOR),
        Figure(
            current.label,
            diff,
            ratio(diff, prior) if prior > 0 else None,
            current.table_id,
            current.row_code,
            current.column,
            KIND_CHANGE,
            "本年预算数减上年预算数；比率以上年预算数为基数",
        ),
    )


def _record(
    ctx: _Context, section: str, label: str, keys: Sequence[str], now: Decimal, prior: Decimal
) -> str | None:
    reasons = _change_reasons(ctx)
    reason = next((reasons[k] for k in map(reason_key, keys) if k in reasons), None)
    ctx.changes.append(
        ChangeStatement(label, tuple(dict.fromkeys(keys)), now, prior, reason, section)
    )
    return reason


def _context_change(
    self: _Context,
    section: str,
    current: Figure,
    category: str,
    key: str,
    names: Sequence[str] = (),
) -> tuple[str, tuple[Figure, ...]] | None:
    """A sentence (Jiangsu form) on how ``current`` changed from last year's ``category``/``key``:
    “一般公共预算6,000.00万元，与上年相比增加500.00万元，增长9.09%。主要原因是：…。”; None when
    there is no prior-year figure or both years are 0."""
    prior = prior_or_zero(self.dataset, category, key)
    now = _amount(current)
    if prior is None or (prior == 0 and now == 0):
        return None
    # the keys a reason may name it by: ``names`` when given (机关运行经费, not its key 合计)
    keys = tuple(names) if names else (key, current.label)
    reason = _record(self, section, current.label, keys, now, prior)
    text = f"{current.label}{wan(now)}，{change_words(now, prior)}。{_because(reason)}"
    return text, _change_figures(current, prior, category, key)


def _function_changes(ctx: _Context) -> tuple[list[str], tuple[Figure, ...]]:
    """Each 支出功能分类 类 (all funds) and the 项目支出 of each 项 against last year's."""
    paragraphs: list[str] = []
    figures: list[Figure] = []
    overview = ctx.table(income_expenditure.ID)
    spending = ctx.table(expenditure.ID)
    last_year = ctx.year - 1
    for row in overview.rows:
        if row.kind == TOTAL or not row.code:
            continue
        prior = prior_or_zero(ctx.dataset, PRIOR_FUNCTION, row.code)
        now = _decimal(row.values.get("expenditure"))
        if prior is None or (prior == 0 and now == 0):
            continue
        label = row.name
        if now == 0:
            reason = _record(ctx, "expenditure", label, (row.code, row.name), now, prior)
            paragraphs.append(
                f"{last_year}年安排的{label}{wan(prior)}，{ctx.year}年不再安排。{_because(reason)}"
            )
            current = Figure(label, ZERO, None, overview.id, row.code, "expenditure")
        else:
            current = ctx.figure(label, overview.id, row.code, "expenditure")
            reason = _record(ctx, "expenditure", label, (row.code, row.name), now, prior)
            paragraphs.append(f"{label}{wan(now)}，{change_words(now, prior)}。{_because(reason)}")
        figures += _change_figures(current, prior, PRIOR_FUNCTION, row.code)
    names = {row.code: row.name for row in spending.rows if row.code}
    codes = [r.code for r in spending.rows if r.level == 3 and r.code]
    prior_codes = [
        p.key
        for p in ctx.dataset.prior_year
        if p.category == PRIOR_PROJECT_FUNCTION and len(p.key) == 7 and p.amount
    ]
    items: list[str] = []
    for code in dict.fromkeys([*codes, *sorted(prior_codes)]):
        prior = prior_or_zero(ctx.dataset, PRIOR_PROJECT_FUNCTION, code)
        item_row = spending.row(code)
        now = _decimal(item_row.values.get("project")) if item_row is not None else ZERO
        if prior is None or (prior == 0 and now == 0):
            continue
        catalogue = _function_names(ctx, code)
        section_name = names.get(code[:5]) or catalogue.get(code[:5], "")
        item_name = names.get(code) or catalogue.get(code, "")
        label = f"{code} {section_name}（款）{item_name}（项）项目支出"
        number = f"{len(items) + 1}．"
        reason = _record(ctx, "expenditure", label, (code,), now, prior)
        if item_row is None or now == 0:
            text = (
                f"{number}{last_year}年安排的{label}{wan(prior)}，{ctx.year}年不再安排。"
                + _because(reason)
            )
            current = Figure(label, ZERO, None, spending.id, code, "project")
        else:
            current = ctx.figure(label, spending.id, code, "project")
            if prior == 0:
                detail = f"{last_year}年无此项预算，{ctx.year}年新增预算安排{wan(now)}。"
            elif now == prior:
                detail = f"{last_year}年预算数为{wan(prior)}，{ctx.year}年预算安排{wan(now)}，与{last_year}年预算数持平。"
            else:
                word, rate_word = ("增加", "增长") if now > prior else ("减少", "下降")
                detail = (
                    f"{last_year}年预算数为{wan(prior)}，{ctx.year}年预算安排{wan(now)}，"
                    f"比{last_year}年预算数{word}{wan(abs(now - prior))}，"
                    f"{rate_word}{percent(abs(now - prior) / prior)}。"
                )
            text = f"{number}{label}{wan(now)}。{detail}{_because(reason)}"
        items.append(text)
        figures += _change_figures(current, prior, PRIOR_PROJECT_FUNCTION, code)
    if items:
        paragraphs.append("按支出功能分类“项”级科目，项目支出与上年相比的情况如下：")
        paragraphs += items
    return paragraphs, tuple(figures)


def _function_names(ctx: _Context, code: str) -> dict[str, str]:
    """Official names of a code's 款 and 项 in the dataset's catalogue (a 项 no longer in the
    tables is named from it)."""
    from yusuan.catalog.loader import catalogs_of

    try:
        catalogue = catalogs_of(ctx.dataset).function
    except (LookupError, ValueError, OSError):
        return {}
    return {c: catalogue.name(c) for c in (code[:5], code) if catalogue.name(c)}


# ---------------------------------------------------------------------------------------------
# The narrative


NEEDED_TABLES = (
    income_expenditure.ID,
    income.ID,
    expenditure.ID,
    fiscal.ID,
    general_budget.ID,
    basic_economic.ID,
    procurement.ID,
    operating_costs.ID,
    three_public.ID,
)

PARTS: tuple[Callable[[_Context], _Part | None], ...] = (
    duties_part,
    overview_part,
    income_part,
    expenditure_part,
    fiscal_part,
    general_budget_part,
    basic_part,
    three_public_part,
    operating_costs_part,
    procurement_part,
    assets_part,
    performance_part,
    other_part,
    glossary_part,
)


def tables_by_id(dataset: Dataset, tables: Sequence[Table] | None = None) -> dict[str, Table]:
    """The given tables by id, with any table the narrative needs built from the dataset."""
    found = {t.id: t for t in tables or ()}
    missing = [table_id for table_id in NEEDED_TABLES if table_id not in found]
    if missing:
        found.update({t.id: t for t in build_tables(dataset, only=missing)})
    return found


def build_narrative(
    dataset: Dataset,
    tables: Sequence[Table] | None = None,
    texts: Mapping[str, str] | None = None,
) -> Narrative:
    """The 部门预算情况说明 of a dataset, every figure read from its tables."""
    ctx = _Context(dataset, tables_by_id(dataset, tables), dict(texts or {}))
    parts = [part for build in PARTS if (part := build(ctx)) is not None]
    sections = tuple(
        Section(part.key, f"{chinese_number(n)}、{part.title}", part.paragraphs, part.figures)
        for n, part in enumerate(parts, start=1)
    )
    from yusuan.consolidation.scope import words_of

    heading = words_of(dataset).explanation_heading
    return Narrative(f"{ctx.name}{ctx.year}年{heading}", sections, tuple(ctx.changes))


def render_text(narrative: Narrative) -> str:
    """The narrative as plain text: the title, then each heading and its paragraphs."""
    lines = [narrative.title, ""]
    for section in narrative.sections:
        lines.append(section.heading)
        lines += [f"　　{p}" for p in section.paragraphs]
        lines.append("")
    return "\n".join(lines)


__all__ = [
    "Figure",
    "Narrative",
    "Section",
    "build_narrative",
    "cell_value",
    "figure_source_value",
    "parse_texts",
    "read_texts",
    "render_text",
]
