"""部门决算 (final accounts): the shapes of the 决算 tables, and what a 决算 narrative states
about each 科目's budget and outturn.

The 决算 tables are defined in ``audit/data/final_tables.toml`` (ids ``…-final``). Most are read
by the 预算 shapes (``shape.py``) once their printed header is made explicit:

- ``final-summary`` (收入支出决算总表, 财政拨款收入支出决算总表): the two-sided summary, plus the
  lines printed after 本年收入合计 (使用非财政拨款结余, 年初结转和结余, 年末结转和结余, 总计 …),
  read as rows of kind ``total`` so that the carry-over rules can see them;
- ``final-economic`` (基本支出决算表): the template prints the 经济分类 in two panels side by side
  (工资福利支出 … | 商品和服务支出 …) with 人员经费合计 | 公用经费合计 under them; the panels are
  stacked and read as one economic table, the two footers kept as rows of their own;
- ``final-function`` (政府性基金/国有资本经营预算 收入支出决算表) and ``final-units`` (三公,
  机关运行经费): headers of three rows whose merged cells name a group (本年支出 over 合计 |
  基本支出 | 项目支出; 因公出国(境)费 over 预算数 | 决算数). Each merged cell is written out over
  the columns it spans, so every leaf knows its group heading ("公务接待费>预算数").

``budget_statements`` reads the narrative's statements of one 科目 each ("1、一般公共服务支出
（类）…行政运行（项）。…全年预算为52.00万元，支出决算为51.32万元，完成全年预算数的98.69%。决算数
小于全年预算数的主要原因：…") for the rules in ``rules/checks/final_accounts.py``: it groups the
figures the narrative reader (``narrative.stated_figures``) found, with their measures, and reads
only the words the reader has no field for (大于/小于/持平, a reason).
"""

from __future__ import annotations

import functools
import itertools
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from typing import Any

from yusuan.audit.grid import GridRow
from yusuan.audit.narrative import (
    ADJUSTED,
    COMPLETED,
    FINAL,
    INITIAL,
    FunctionRef,
    StatedFigure,
    paragraphs,
)
from yusuan.audit.recognise import (
    HeaderColumn,
    label,
    leaf_labels,
    leaf_parents,
    map_header,
    parse_amount,
    vocabulary,
)
from yusuan.audit.shape import (
    Context,
    ShapedTable,
    shape_economic,
    shape_function,
    shape_two_sided,
    shape_units,
)
from yusuan.tables.base import GROUP, TOTAL, Row

FINAL_SUFFIX = "-final"


# --- the data ------------------------------------------------------------------------------


@functools.cache
def final_data() -> dict[str, Any]:
    """The ``[final.*]`` sections of final_tables.toml (row labels, 经济分类 groups, wording)."""
    text = resources.files("yusuan.audit").joinpath("data", "final_tables.toml").read_text("utf-8")
    found = tomllib.loads(text).get("final", {})
    return found if isinstance(found, dict) else {}


def words(section: str, key: str) -> tuple[str, ...]:
    """A list of words of a ``[final.SECTION]`` table."""
    value = final_data().get(section, {}).get(key, [])
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def labels(section: str, key: str) -> frozenset[str]:
    """The same words normalised for comparison with printed labels."""
    return frozenset(label(w) for w in words(section, key))


def is_final(table_id: str) -> bool:
    return table_id.endswith(FINAL_SUFFIX)


# --- headers written out -----------------------------------------------------------------


def filled_header(rows: Sequence[Sequence[str]]) -> list[tuple[str, ...]]:
    """The header with every merged cell written out over the columns it spans.

    A printed cell spans to the right up to the next printed cell of its row, but never beyond
    the cell above it (a group heading bounds its sub-headings); a column with no cell of its
    own in a row takes the cell above it (a heading merged downwards).
    """
    width = max((len(r) for r in rows), default=0)
    filled: list[tuple[str, ...]] = []
    starts_above = [0] * width
    above = [""] * width
    for row in rows:
        cells = [row[c].strip() if c < len(row) else "" for c in range(width)]
        texts, starts = [""] * width, [0] * width
        for col in range(width):
            own = next(
                (j for j in range(col, starts_above[col] - 1, -1) if cells[j]),
                None,
            )
            if own is not None:
                texts[col], starts[col] = cells[own], own
            else:
                texts[col], starts[col] = above[col], starts_above[col]
        filled.append(tuple(texts))
        above, starts_above = texts, starts
    return filled


def _with_header(ctx: Context, header: Sequence[GridRow]) -> Context:
    return replace(ctx, parts=replace(ctx.parts, header=tuple(header)))


def measures_last(rows: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """A written-out header with its row of measures (预算数 | 决算数) moved to the bottom.

    The 上海 template prints the items above (因公出国（境）费 > 预算数 | 决算数), the 财政部
    template the measures above (决算数 > 因公出国（境）费 …): with the measures last, every
    column reads "item > measure" whichever way it was printed.
    """
    measures = labels("layout", "measures")
    upper = [
        i
        for i, row in enumerate(rows[:-1])
        if any(c.strip() for c in row) and all(label(c) in measures for c in row if c.strip())
    ]
    if not upper:
        return list(rows)
    return [r for i, r in enumerate(rows) if i not in upper] + [rows[i] for i in upper]


def _written_out(ctx: Context) -> Context:
    rows = ctx.parts.header
    filled = measures_last(filled_header([r.cells for r in rows]))
    return _with_header(
        ctx, [GridRow(r.line, tuple(cells)) for r, cells in zip(rows, filled, strict=True)]
    )


def _total_in_header(ctx: Context) -> Context:
    """A 合计 line printed in the header's last row (the template's empty 收入支出决算表 prints
    本年支出's 合计 | 基本支出 | 项目支出 on the line of the table's 合计): the 合计 label is the
    table's total line, the other cells are header cells."""
    header = list(ctx.parts.header)
    if len(header) < 2:
        return ctx
    last = header[-1]
    first = next(((i, t) for i, t in last.indexed()), None)
    if first is None or first[0] != 0 or not vocabulary().is_total(first[1]):
        return ctx
    cells = ("", *last.cells[1:])
    header[-1] = GridRow(last.line, cells)
    total = GridRow(last.line, (first[1],))
    return replace(
        ctx, parts=replace(ctx.parts, header=tuple(header), body=(total, *ctx.parts.body))
    )


def _group_labels(ctx: Context, shaped: ShapedTable) -> ShapedTable:
    """Columns printed under one label (预算数 | 决算数 under each item) named with their group
    heading ("因公出国（境）费 预算数"), so that a finding names the column a reader sees."""
    header = [r.cells for r in ctx.parts.header]
    columns, _ = map_header(ctx.spec, leaf_labels(header), leaf_parents(header))
    groups = {
        c.key: parent for c, parent in zip(columns, _parents_of(header, columns), strict=True)
    }
    counts = Counter(c.label for c in shaped.table.columns)
    renamed = tuple(
        replace(c, label=f"{groups[c.key]} {c.label}")
        if counts[c.label] > 1 and groups.get(c.key)
        else c
        for c in shaped.table.columns
    )
    return replace(shaped, table=replace(shaped.table, columns=renamed))


def _parents_of(header: Sequence[Sequence[str]], columns: Sequence[HeaderColumn]) -> list[str]:
    parents = leaf_parents(header)
    return [parents[c.index] if c.index < len(parents) else "" for c in columns]


def shape_final_function(ctx: Context) -> ShapedTable:
    """A table by 功能分类 whose header groups columns (本年支出 > 合计 | 基本支出 | 项目支出)."""
    written = _written_out(_total_in_header(ctx))
    return _group_labels(written, shape_function(written))


def shape_final_units(ctx: Context) -> ShapedTable:
    """A table by unit whose header pairs 预算数 | 决算数 under each item (三公)."""
    written = _written_out(ctx)
    return _group_labels(written, shape_units(written))


# --- two panels side by side ---------------------------------------------------------------


def _panels(ctx: Context) -> list[tuple[int, int]]:
    """The column ranges of panels printed side by side: a new panel starts where the header
    names a key again (经济分类科目编码 | 科目名称 | 决算数 | 经济分类科目编码 | …)."""
    header = ctx.parts.header[-1] if ctx.parts.header else None
    if header is None:
        return []
    starts: list[int] = []
    seen: set[str] = set()
    for index, text in header.indexed():
        key = ctx.spec.key_for(text)
        if key is None:
            continue
        if key in seen or not starts:
            starts.append(index)
            seen = set()
        seen.add(key)
    ends = [*starts[1:], max(header.width, max((r.width for r in ctx.parts.body), default=0))]
    return list(zip(starts, ends, strict=True))


def shape_final_economic(ctx: Context) -> ShapedTable:
    """The basic-expenditure table by 经济分类, its panels stacked (left panel first), and the
    footers 人员经费合计 | 公用经费合计 kept as rows of level 0 (not totals of the table: each
    adds up only its own 类)."""
    panels = _panels(ctx)
    if len(panels) < 2:
        return shape_economic(ctx)
    footers_labels = labels("economic", "personnel_total") | labels("economic", "operating_total")
    body: list[GridRow] = []
    footers: list[tuple[GridRow, str, str]] = []
    for start, end in panels:
        for row in ctx.parts.body:
            cells = row.cells[start:end]
            part = GridRow(row.line, cells)
            if part.is_blank:
                continue
            texts = part.texts()
            if label(texts[0]) in footers_labels:
                footers.append((row, texts[0], texts[-1] if len(texts) > 1 else ""))
            else:
                body.append(part)
    first, end = panels[0]
    header = [GridRow(r.line, r.cells[first:end]) for r in ctx.parts.header]
    shaped = shape_economic(
        replace(ctx, parts=replace(ctx.parts, header=tuple(header), body=tuple(body)))
    )
    extra: list[tuple[Row, int]] = []
    for row, name, figure in footers:
        try:
            amount = parse_amount(figure, ctx.unit) if figure else None
        except ValueError:
            amount = None
        extra.append((Row("", name, 0, {"amount": amount}, GROUP), row.line))
    table = replace(shaped.table, rows=(*shaped.table.rows, *(r for r, _ in extra)))
    return ShapedTable(table, (*shaped.row_lines, *(line for _, line in extra)), shaped.problems)


# --- summaries with carry-overs ------------------------------------------------------------


def _is_total_line(row: GridRow) -> bool:
    totals = labels("rows", "income_total") | labels("rows", "expenditure_total")
    return any(label(t) in totals for t in row.texts())


def shape_final_summary(ctx: Context) -> ShapedTable:
    """A two-sided 决算 summary: the lines up to 本年收入合计 / 本年支出合计 as the 预算 shape
    reads them, then the lines after it (结余, 结转和结余, 总计), each a row of kind total:
    level 0 for a line the data names, level 1 for a part of the line above it (一、一般公共预算
    财政拨款 under 年初财政拨款结转和结余)."""
    body = list(ctx.parts.body)
    cut = next((i + 1 for i, r in enumerate(body) if _is_total_line(r)), len(body))
    head = shape_two_sided(replace(ctx, parts=replace(ctx.parts, body=tuple(body[:cut]))))
    if cut >= len(body):
        return head
    after_problems: list[Any] = []
    tail = shape_two_sided(
        replace(ctx, parts=replace(ctx.parts, body=tuple(body[cut:])), problems=after_problems)
    )
    named = (
        labels("rows", "opening")
        | labels("rows", "closing")
        | labels("rows", "grand_total")
        | labels("rows", "balance_used")
        | labels("rows", "distribution")
    )
    rows = []
    for row in tail.table.rows:
        item = row.values.get("income_item")
        texts = [label(t) for t in (item if isinstance(item, str) else "", row.name) if t]
        level = 0 if any(t in named for t in texts) else 1
        rows.append(replace(row, code="", level=level, kind=TOTAL))
    lines = set(tail.row_lines)
    kept = [
        p
        for p in tail.problems
        if not (p.line in lines and p.message_en.endswith("is not a function class"))
    ]
    table = replace(head.table, rows=(*head.table.rows, *rows))
    problems = (*head.problems, *(p for p in kept if p not in head.problems))
    return ShapedTable(table, (*head.row_lines, *tail.row_lines), problems)


# --- line and column numbers ----------------------------------------------------------------


def without_numbering(ctx: Context) -> Context:
    """The table without the numbers some layouts print to cite a cell: a column of line
    numbers (行次) and a row of column numbers (栏次 | 1 | 2 | …). Neither is an amount."""
    numbering = labels("layout", "line_numbers")
    columns = {i for r in ctx.parts.header for i, t in r.indexed() if label(t) in numbering}
    numbered_rows = labels("layout", "column_numbers")

    def blanked(row: GridRow) -> GridRow:
        return GridRow(row.line, tuple("" if i in columns else c for i, c in enumerate(row.cells)))

    body = tuple(
        blanked(r)
        for r in ctx.parts.body
        if not (r.texts() and label(r.texts()[0]) in numbered_rows)
    )
    if not columns and len(body) == len(ctx.parts.body):
        return ctx
    line = ctx.parts.header[0].line if ctx.parts.header else ctx.block.title.line
    ctx.problem(
        line,
        "行次、栏次是编号，不读作金额",
        "line and column numbers (行次, 栏次) not read as amounts",
    )
    header = tuple(blanked(r) for r in ctx.parts.header)
    return replace(ctx, parts=replace(ctx.parts, header=header, body=body))


def _plain(shape: Callable[[Context], ShapedTable]) -> Callable[[Context], ShapedTable]:
    """A shape that reads the table without its line and column numbers."""

    def read(ctx: Context) -> ShapedTable:
        return shape(without_numbering(ctx))

    return read


FINAL_SHAPES: dict[str, Callable[[Context], ShapedTable]] = {
    "final-summary": _plain(shape_final_summary),
    "final-economic": _plain(shape_final_economic),
    "final-function": _plain(shape_final_function),
    "final-units": _plain(shape_final_units),
}


# --- the narrative: budget against outturn, 科目 by 科目 -----------------------------------------

Line = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class BudgetStatement:
    """What the narrative says of one 科目 (or of the whole 一般公共预算财政拨款支出): its budget
    (年初 and/or 全年), its outturn (决算), the completion rate, whether the outturn is said to be
    above, below or equal to the budget, and whether a reason is given.

    Amounts in 元 with ``half`` the half unit of their printed precision; ``None`` when the text
    does not state it. ``function`` is the 科目 the item names (None for the overall statement);
    ``table`` the table of the section it stands in ("" when the section names none).
    """

    text: str
    page: int
    line: int
    function: FunctionRef | None
    initial: Decimal | None
    full: Decimal | None
    outturn: Decimal | None
    rate: Decimal | None  # a ratio, 0.9869 for 98.69%
    rate_of: str  # "initial", "full" or "" (the budget the rate is stated against)
    rate_places: int
    table: str  # the 决算 table the section is about (general-budget-final, three-public-final …)
    direction: str  # "more", "less", "equal" or ""
    reasoned: bool
    half: Decimal  # of the outturn
    half_initial: Decimal = Decimal(0)
    half_full: Decimal = Decimal(0)

    @property
    def budget(self) -> Decimal | None:
        """The budget the outturn is measured against: 全年 when stated, else 年初."""
        return self.full if self.full is not None else self.initial

    @property
    def budget_half(self) -> Decimal:
        return self.half_full if self.full is not None else self.half_initial


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _direction(text: str) -> str:
    """大于/小于/持平 as said of the 决算数 against the 预算数."""
    found = re.search(
        r"决算数?(?:与[^，。；]{0,8})?([^，。；]{0,4}?)(?:全年|年初|调整)?预算数?", text
    )
    said = found.group(1) if found else ""
    if not said:
        tail = re.search(r"决算数[^，。；]{0,12}", text)
        said = tail.group(0) if tail else ""
    for key in ("more", "less", "equal"):
        if any(w in said for w in words("narrative", key)):
            return key
    return ""


_ITEM = re.compile(r"^\s*\d{1,2}\s*[、.．]")
# an enumerated item inside a paragraph ("…其中：1、一般公共服务支出（类）…")
_ITEM_START = re.compile(r"(?<=[。：:；;])(?=\d{1,2}[、.．](?!\d))")


_SECTION = re.compile(r"^[一二三四五六七八九十]+、")


def section_table(heading: str) -> str:
    """The 决算 table a section of the narrative explains, by the words of its heading
    (``[final.narrative.sections]``; the first that matches)."""
    sections = final_data().get("narrative", {}).get("sections", {})
    for table_id, cues in sections.items():
        if any(_normal(c) in heading for c in cues):
            return str(table_id)
    return ""


def section_starts(lines: Sequence[Line]) -> list[tuple[int, str]]:
    """(line, table) where each section of the narrative starts, in order."""
    found = []
    for para in paragraphs(lines):
        text = _normal(para.text)
        if _SECTION.match(text):
            found.append((para.where(0)[1], section_table(text[:40])))
    return found


def section_at(starts: Sequence[tuple[int, str]], line: int) -> str:
    """The table of the section a line is in ("" before the first section)."""
    return next((table for start, table in reversed(starts) if start <= line), "")


@dataclass(frozen=True, slots=True)
class FigureCell:
    """Which table cell a stated figure is (``[[final.narrative.figure]]``)."""

    words: str
    table: str
    row: str
    column: str


def figure_cell(figure_label: str) -> FigureCell | None:
    """The cell a figure's label names by the words it ends with (the longest that fits)."""
    text = _normal(figure_label)
    best: FigureCell | None = None
    for entry in final_data().get("narrative", {}).get("figure", []):
        for word in entry.get("words", []):
            if text.endswith(_normal(word)) and (best is None or len(word) > len(best.words)):
                best = FigureCell(word, entry["table"], entry["row"], entry["column"])
    return best


def _segments(lines: Sequence[Line]) -> Iterator[tuple[int, Any, int, int, str, str]]:
    """Each paragraph, cut before every enumerated item it runs on into: (the paragraph's
    index, the paragraph, where the segment starts and ends in its normalised text, that text,
    the table of the section it is in)."""
    table = ""
    for index, para in enumerate(paragraphs(lines)):
        text = _normal(para.text)
        if _SECTION.match(text):
            table = section_table(text[:40])
        starts = [0, *(m.start() for m in _ITEM_START.finditer(text)), len(text)]
        for start, end in itertools.pairwise(starts):
            if end > start:
                yield index, para, start, end, text[start:end], table


# the budget each completion rate is of, by the measure the narrative reader names it with
_RATE_OF = {INITIAL: "initial", ADJUSTED: "full"}


def budget_statements(
    lines: Sequence[Line], figures: Sequence[StatedFigure]
) -> list[BudgetStatement]:
    """Every paragraph (or enumerated item of one) that states an outturn against a budget
    (支出决算为 … with 全年预算为 or 年初预算为 …), in order; an enumerated item ("1、…（项）。")
    names its 科目.

    The amounts, their measures, the 科目 and the completion rate are the narrative reader's
    (``figures``: ``narrative.stated_figures`` of the same ``lines``), the same figures the
    rules compare one by one with the tables; what the item says of them — 大于/小于/持平, a
    reason — is read from its words (``[final.narrative]``).
    """
    by_paragraph: dict[int, list[StatedFigure]] = {}
    for figure in figures:
        if figure.role == "current":
            by_paragraph.setdefault(figure.paragraph_index, []).append(figure)
    result = []
    for index, para, start, end, text, table in _segments(lines):
        inside = [
            f
            for f in by_paragraph.get(index, ())
            if start <= len(_normal(para.text[: f.offset])) < end
        ]
        measured: dict[str, StatedFigure] = {}
        for figure in inside:
            measured.setdefault(figure.measure, figure)
        outturn = measured.get(FINAL)
        initial, full = measured.get(INITIAL), measured.get(ADJUSTED)
        if outturn is None or (initial is None and full is None):
            continue
        rated = next((f for f in inside if f.share is not None and f.share_of in COMPLETED), None)
        page, line = para.where(start)
        result.append(
            BudgetStatement(
                text=text,
                page=page,
                line=line,
                function=outturn.function if _ITEM.match(text) else None,
                initial=initial.amount if initial is not None else None,
                full=full.amount if full is not None else None,
                outturn=outturn.amount,
                rate=rated.share if rated is not None else None,
                rate_of=_RATE_OF.get(rated.share_of, "") if rated is not None else "",
                rate_places=rated.share_places if rated is not None else 0,
                table=table,
                direction=_direction(text),
                reasoned=any(w in text for w in words("narrative", "reason")),
                half=outturn.half_unit,
                half_initial=initial.half_unit if initial is not None else Decimal(0),
                half_full=full.half_unit if full is not None else Decimal(0),
            )
        )
    return result
