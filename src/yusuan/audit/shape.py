"""A recognised table block in the yusuan shape of its table.

The block's rows are split into the unit line, the header rows and the body; the header is
mapped to yusuan keys (``recognise``); then each family of tables is read its own way:

- ``function`` (收入总表, 支出总表, 一般公共预算支出表, 政府性基金 and 国有资本 tables): rows by
  支出功能分类, with the full code rebuilt from the split 类/款/项 cells ("201", "31", "02" ->
  201, 20131, 2013102), using the catalogue of the year, the printed names and the figures to
  tell a new 款 from a further 项;
- ``economic`` (基本支出 by 部门预算支出经济分类): codes as printed, or found from the printed
  names in the catalogue when the table prints names only;
- ``two-sided`` (收支总表, 财政拨款收支总表): the income half and the expenditure half of each
  printed line in one row, the 类 code found from the printed name;
- ``procurement``: total, unit, 基本/项目 group and item rows with their levels;
- ``units`` (机关运行经费, 三公): one row per unit and the 合计 row.

Names are kept exactly as printed. A blank cell stays ``None`` (not zero), so a rule can tell a
subtotal left blank from one printed as 0.00.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from yusuan.audit.document import ReadProblem
from yusuan.audit.grid import Block, GridRow, cells_of
from yusuan.audit.recognise import (
    HeaderColumn,
    TableSpec,
    Vocabulary,
    find_unit,
    is_amount,
    label,
    leaf_labels,
    map_header,
    parse_amount,
    parse_number,
    template_order,
    vocabulary,
)
from yusuan.catalog.loader import Catalogs, Classification
from yusuan.money import MoneyUnit
from yusuan.tables.base import (
    AMOUNT,
    CODE,
    DETAIL,
    GROUP,
    NAME,
    QUANTITY,
    TEXT,
    TOTAL,
    Column,
    Row,
    Table,
    Value,
    simple_header,
)

FUNCTION_SEGMENTS = (3, 2, 2)
ECONOMIC_SEGMENTS = (3, 2)
DEFAULT_UNIT = MoneyUnit.WAN

_LEADING_CODE = re.compile(r"^\[?(\d{3,7})\]?\s*(.*)$")
_ITEM_CODE = re.compile(r"^([A-Z]\d+)\s*[-—－]")
_SENTENCE = re.compile(r"[。；]|^(?:注|说明|备注)[:：]")


@dataclass(frozen=True, slots=True)
class ShapedTable:
    """A table read from a block, the source line of each of its rows, and what was noticed."""

    table: Table
    row_lines: tuple[int, ...]
    problems: tuple[ReadProblem, ...]


@dataclass(frozen=True, slots=True)
class Parts:
    """A table block split into its parts."""

    unit: MoneyUnit | None
    unit_text: str
    header: tuple[GridRow, ...]
    body: tuple[GridRow, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Context:
    """What every shape needs: the table, its block and parts, the catalogues, problems."""

    spec: TableSpec
    table_id: str
    block: Block
    parts: Parts
    catalogs: Catalogs
    number: int
    problems: list[ReadProblem]

    @property
    def unit(self) -> MoneyUnit:
        return self.parts.unit or DEFAULT_UNIT

    def problem(self, line: int, zh: str, en: str) -> None:
        self.problems.append(ReadProblem(line, zh, en, self.table_id))


# --- splitting a block ---------------------------------------------------------------------


def is_header_row(row: GridRow, vocab: Vocabulary) -> bool:
    """Header rows hold column labels and group headings only: no figures, no other words."""
    texts = row.texts()
    return bool(texts) and all(not is_amount(t) and vocab.is_header_word(t) for t in texts)


def is_note(row: GridRow) -> bool:
    """A sentence under or inside a table (注：…, 本表为空表。)."""
    texts = row.texts()
    return len(texts) == 1 and bool(_SENTENCE.search(texts[0]))


def split_parts(block: Block, vocab: Vocabulary) -> Parts:
    """Unit line and other lines before the header, the header rows, the body and the notes."""
    rows = block.content()
    unit, unit_text, index = None, "", 0
    while index < len(rows) and not is_header_row(rows[index], vocab):
        found = find_unit(" ".join(rows[index].texts()))
        if found is None and any(is_amount(t) for t in rows[index].texts()):
            break
        if found is not None:
            unit, unit_text = found, " ".join(rows[index].texts())
        index += 1
    start = index
    while index < len(rows) and is_header_row(rows[index], vocab):
        if index > start and all(vocab.is_total(t) for t in rows[index].texts()):
            break  # the 合计 row of a table with no figures, not a header row
        index += 1
    body = [r for r in rows[index:] if not is_note(r)]
    notes = tuple(r.texts()[0] for r in rows[index:] if is_note(r))
    return Parts(unit, unit_text, tuple(rows[start:index]), tuple(body), notes)


# --- cells ---------------------------------------------------------------------------------


def read_amount(ctx: Context, row: GridRow, index: int) -> Decimal | None:
    """The amount in 元 of one cell; a cell that is not a figure is reported and read as blank."""
    text = row.cell(index)
    try:
        return parse_amount(text, ctx.unit)
    except ValueError:
        ctx.problem(
            row.line, f"“{text}”不是金额，按空白读取", f"{text!r} is not an amount; read as blank"
        )
        return None


def read_quantity(ctx: Context, row: GridRow, index: int) -> Decimal | None:
    text = row.cell(index)
    try:
        return parse_number(text)
    except ValueError:
        ctx.problem(row.line, f"“{text}”不是数量", f"{text!r} is not a quantity")
        return None


def report_stray(ctx: Context, row: GridRow, used: Iterable[int]) -> None:
    """Cells outside every recognised column: a row the extraction shifted, or a header not read."""
    taken = set(used)
    for index, text in row.indexed():
        if index not in taken:
            ctx.problem(
                row.line,
                f"第{index + 1}列的“{text}”不在任何已识别的列中，未读取",
                f"cell {index + 1} ({text!r}) is under no recognised column; not read",
            )


def read_values(ctx: Context, row: GridRow, columns: Sequence[HeaderColumn]) -> dict[str, Value]:
    """The values of the text, quantity and amount columns of one row (blank -> None)."""
    values: dict[str, Value] = {}
    for column in columns:
        kind = ctx.spec.kind_of(column.key)
        if kind == AMOUNT:
            values[column.key] = read_amount(ctx, row, column.index)
        elif kind == QUANTITY:
            values[column.key] = read_quantity(ctx, row, column.index)
        elif kind == TEXT:
            values[column.key] = row.cell(column.index) or None
    return values


def header_columns(ctx: Context) -> list[HeaderColumn]:
    """The header mapped to keys, in the template's order when the figures say so."""
    leaves = leaf_labels(cells_of(ctx.parts.header))
    columns, unknown = map_header(ctx.spec, leaves)
    line = ctx.parts.header[0].line if ctx.parts.header else ctx.block.title.line
    if not ctx.parts.header:
        ctx.problem(line, "没有找到表头", "no header rows found")
    for printed in unknown:
        ctx.problem(line, f"不认识的表头“{printed}”", f"unknown column header {printed!r}")
    columns, repaired = template_order(ctx.spec, columns, cells_of(ctx.parts.body))
    if repaired:
        ctx.problem(
            line,
            "表头单元格错位，按模板列序读取：" + "、".join(c.printed for c in columns),
            "header cells out of place; read in the template's column order",
        )
    return columns


def table_columns(spec: TableSpec, columns: Sequence[HeaderColumn]) -> tuple[Column, ...]:
    return tuple(Column(c.key, c.printed, spec.kind_of(c.key)) for c in columns)


def make_table(
    ctx: Context, columns: Sequence[Column], rows: Sequence[tuple[Row, int]]
) -> ShapedTable:
    if ctx.parts.unit is None:
        ctx.problem(
            ctx.block.title.line,
            f"没有找到金额单位，按{DEFAULT_UNIT.value}读取",
            f"no unit line found; read as {DEFAULT_UNIT.value}",
        )
    table = Table(
        ctx.table_id,
        ctx.block.title_text,
        ctx.unit,
        simple_header(columns),
        tuple(columns),
        tuple(r for r, _ in rows),
        ctx.parts.notes,
        ctx.number,
        meta={"unit_text": ctx.parts.unit_text, "first_line": str(ctx.block.title.line)},
    )
    return ShapedTable(table, tuple(line for _, line in rows), tuple(ctx.problems))


def column(columns: Sequence[HeaderColumn], key: str) -> HeaderColumn | None:
    return next((c for c in columns if c.key == key), None)


# --- classification codes ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CodedEntry:
    """A body row of a table by classification, before its code is resolved."""

    printed: str  # the code as printed ("201", "31", "02", or a full code)
    name: str
    amount: Decimal | None  # the first amount column, to tell a new 款 from a further 项
    line: int


def names_match(printed: str, official: str) -> bool:
    """Equal, or the printed name is the official one cut short (at least four characters)."""
    a, b = label(printed), label(official)
    return bool(a) and (a == b or (len(a) >= 4 and b.startswith(a)))


def _levels(segments: Sequence[int]) -> list[int]:
    """Code lengths by level: (3, 2, 2) -> [3, 5, 7]."""
    total, result = 0, []
    for size in segments:
        total += size
        result.append(total)
    return result


@dataclass(frozen=True, slots=True)
class Resolved:
    code: str
    level: int
    how: str  # "printed", "only", "catalogue", "name", "structure", "sums", "default", "unknown"


def _complete(parent: str, amounts: Mapping[str, Decimal | None], children: Sequence[str]) -> bool:
    """Do the children read so far add up to the parent's printed amount?"""
    stated = amounts.get(parent)
    if stated is None or not children:
        return False
    return sum((amounts.get(c) or Decimal(0) for c in children), Decimal(0)) == stated


def _choose(
    entry: CodedEntry,
    candidates: list[tuple[str, int]],
    classification: Classification,
    previous_level: int,
    amounts: Mapping[str, Decimal | None],
    children: Mapping[str, list[str]],
) -> Resolved:
    """Pick between a deeper code (a further 项) and a shallower one (a new 款)."""
    if len(candidates) == 1:
        return Resolved(*candidates[0], "only")
    known = [c for c in candidates if c[0] in classification]
    if len(known) == 1:
        return Resolved(*known[0], "catalogue")
    named = [c for c in known if names_match(entry.name, classification.name(c[0]))]
    if len(named) == 1:
        return Resolved(*named[0], "name")
    deep, shallow = candidates[0], candidates[-1]
    if deep[1] == previous_level + 1:
        return Resolved(*deep, "structure")
    parent = deep[0][: len(deep[0]) - len(entry.printed)]
    if _complete(parent, amounts, children.get(parent, [])):
        return Resolved(*shallow, "sums")
    return Resolved(*deep, "default")


def resolve_codes(
    entries: Sequence[CodedEntry], segments: Sequence[int], classification: Classification
) -> list[Resolved]:
    """Full codes for rows that print the 类 in full and each 款/项 as its own two digits.

    A two-digit code after a 款 or 项 is either a further 项 or a new 款. The first of these
    that decides wins: only one is in the catalogue of the year; only one matches the printed
    name; the row right after a 款 is its 项; the 款 already adds up (so this is a new one).
    """
    lengths = _levels(segments)
    path: list[str] = []
    amounts: dict[str, Decimal | None] = {}
    children: dict[str, list[str]] = {}
    result: list[Resolved] = []
    for entry in entries:
        printed = entry.printed
        if len(printed) in lengths and (len(printed) == lengths[0] or not path or len(printed) > 2):
            resolved = Resolved(printed, lengths.index(len(printed)) + 1, "printed")
        elif len(printed) == segments[-1] and path:
            depth = len(path)
            candidates = [
                (path[level - 2] + printed, level)
                for level in range(min(depth + 1, len(lengths)), 1, -1)
                if path[level - 2] + printed not in path
            ]
            resolved = (
                _choose(entry, candidates, classification, depth, amounts, children)
                if candidates
                else Resolved(printed, 0, "unknown")
            )
        else:
            resolved = Resolved(printed, 0, "unknown")
        if resolved.level:
            path = [*path[: resolved.level - 1], resolved.code]
            amounts[resolved.code] = entry.amount
            if resolved.level > 1:
                children.setdefault(path[-2], []).append(resolved.code)
        result.append(resolved)
    return result


def row_kinds(codes: Sequence[str]) -> list[str]:
    """GROUP for a code that the next code continues, DETAIL otherwise."""
    kinds = []
    for index, code in enumerate(codes):
        following = codes[index + 1] if index + 1 < len(codes) else ""
        parent = bool(code) and following.startswith(code) and len(following) > len(code)
        kinds.append(GROUP if parent else DETAIL)
    return kinds


# --- tables by classification --------------------------------------------------------------


def split_code(name: str) -> tuple[str, str]:
    """A code printed in front of the name ("201 一般公共服务支出", "[30101]基本工资")."""
    found = _LEADING_CODE.match(name.strip())
    return (found.group(1), found.group(2).strip()) if found else ("", name)


def _first_amount(values: Mapping[str, Value], keys: Sequence[str]) -> Decimal | None:
    for key in keys:
        value = values.get(key)
        if isinstance(value, Decimal):
            return value
    return None


def _classified_rows(
    ctx: Context,
    columns: Sequence[HeaderColumn],
    classification: Classification,
    segments: Sequence[int],
    by_name: Callable[[list[tuple[GridRow, str]]], list[Resolved]] | None = None,
) -> ShapedTable:
    """Rows 合计 and 类/款/项 (or 类/款), each with its rebuilt full code."""
    vocab = vocabulary()
    code_col, name_col = column(columns, "code"), column(columns, "name")
    value_cols = [c for c in columns if c.key not in ("code", "name")]
    amount_keys = [c.key for c in value_cols if ctx.spec.kind_of(c.key) == AMOUNT]
    totals: list[tuple[Row, int]] = []
    coded: list[tuple[GridRow, str, str, dict[str, Value]]] = []
    for row in ctx.parts.body:
        name = row.cell(name_col.index) if name_col else ""
        printed = row.cell(code_col.index) if code_col else ""
        if not code_col:
            printed, name = split_code(name)
        values = read_values(ctx, row, value_cols)
        report_stray(ctx, row, (c.index for c in columns))
        first = row.texts()[0] if row.texts() else ""
        if not printed.strip("[] ").isdigit() and (vocab.is_total(name) or vocab.is_total(first)):
            totals.append((Row("", name or first, 0, values, TOTAL), row.line))
        elif printed or name:
            coded.append((row, printed.strip("[] "), name, values))
        elif any(v is not None for v in values.values()):
            ctx.problem(
                row.line, "有金额而无科目的行未读取", "a row with figures but no code or name"
            )
    if by_name is not None and not any(p for _, p, _, _ in coded):
        resolved = by_name([(r, n) for r, _, n, _ in coded])
    else:
        entries = [CodedEntry(p, n, _first_amount(v, amount_keys), r.line) for r, p, n, v in coded]
        resolved = resolve_codes(entries, segments, classification)
    for (row, printed, name, _), how in zip(coded, resolved, strict=True):
        _report_code(ctx, row.line, printed or name, how, classification)
    kinds = row_kinds([r.code for r in resolved])
    body = [
        (Row(res.code, name, res.level, values, kind), row.line)
        for (row, _, name, values), res, kind in zip(coded, resolved, kinds, strict=True)
    ]
    table_cols = table_columns(ctx.spec, columns)
    if not code_col:
        table_cols = (Column("code", "科目编码", CODE), *table_cols)
    return make_table(ctx, table_cols, totals + body)


def _report_code(
    ctx: Context, line: int, printed: str, how: Resolved, classification: Classification
) -> None:
    if how.how == "unknown":
        ctx.problem(
            line, f"无法确定“{printed}”的科目编码", f"cannot resolve the code of {printed!r}"
        )
    elif how.how in ("sums", "default"):
        ctx.problem(
            line,
            f"科目编码“{printed}”按{'金额' if how.how == 'sums' else '默认'}判定为 {how.code}",
            f"code {printed!r} read as {how.code} by {how.how}",
        )
    elif how.how != "printed" and how.code not in classification:
        ctx.problem(line, f"科目 {how.code} 不在目录中", f"code {how.code} is not in the catalogue")


def shape_function(ctx: Context) -> ShapedTable:
    return _classified_rows(ctx, header_columns(ctx), ctx.catalogs.function, FUNCTION_SEGMENTS)


def economic_codes_by_name(
    ctx: Context, rows: list[tuple[GridRow, str]], classification: Classification
) -> list[Resolved]:
    """Codes for an economic table that prints names only: each 类 by its name, each 款 by its
    name under the 类 above it (a name cut short matches the one name it begins)."""
    classes = {label(e.name): e.code for e in classification.at_level("类")}
    current = ""
    result = []
    for row, name in rows:
        wanted = label(name)
        if wanted in classes:
            current = classes[wanted]
            result.append(Resolved(current, 1, "name"))
            continue
        kids = [classification.entries[c] for c in classification.children(current)]
        exact = [e.code for e in kids if label(e.name) == wanted]
        cut = [e.code for e in kids if names_match(name, e.name)]
        elsewhere = [e.code for e in classification.at_level("款") if label(e.name) == wanted]
        if len(exact) == 1 or len(cut) == 1:
            result.append(Resolved((exact or cut)[0], 2, "name"))
        elif len(elsewhere) == 1:
            result.append(Resolved(elsewhere[0], 2, "name"))
            ctx.problem(
                row.line,
                f"“{name}”不属于其上的类 {current}，按目录读作 {elsewhere[0]}",
                f"{name!r} is not under class {current}; read as {elsewhere[0]}",
            )
        else:
            result.append(Resolved("", 0, "unknown"))
    return result


def shape_economic(ctx: Context) -> ShapedTable:
    classification = ctx.catalogs.department_economic
    return _classified_rows(
        ctx,
        header_columns(ctx),
        classification,
        ECONOMIC_SEGMENTS,
        lambda rows: economic_codes_by_name(ctx, rows, classification),
    )


# --- two-sided summaries -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Side:
    """One half of a two-sided summary: its label column and its amount columns."""

    label_index: int
    amounts: tuple[HeaderColumn, ...]


def _side_starts(header: Sequence[GridRow]) -> tuple[int, int] | None:
    """The columns where the 收入 and the 支出 halves begin."""
    for row in header:
        found = {label(text): index for index, text in row.indexed()}
        income = next((i for t, i in found.items() if t.startswith("收入")), None)
        spend = next((i for t, i in found.items() if t.startswith("支出")), None)
        if income is not None and spend is not None and income < spend:
            return income, spend
    return None


def _side(ctx: Context, leaves: Sequence[str], start: int, end: int, keys: Sequence[str]) -> Side:
    """A half's amount columns: its only amount column is its first key; several are mapped by
    their printed labels."""
    printed = [(i, leaves[i]) for i in range(start + 1, end) if i < len(leaves) and leaves[i]]
    if len(printed) <= 1:
        amounts = tuple(HeaderColumn(i, keys[0], text) for i, text in printed)
        return Side(start, amounts)
    mapped = []
    for index, text in printed:
        key = ctx.spec.key_for(text)
        if key is not None and key in keys:
            mapped.append(HeaderColumn(index, key, text))
        else:
            line = ctx.parts.header[-1].line
            ctx.problem(line, f"不认识的表头“{text}”", f"unknown column header {text!r}")
    return Side(start, tuple(mapped))


def class_code(name: str, classification: Classification) -> str:
    """The 功能分类 类 a summary line names (a name cut short matches the one it begins)."""
    classes = classification.at_level("类")
    exact = [e.code for e in classes if label(e.name) == label(name)]
    cut = [e.code for e in classes if names_match(name, e.name)]
    return (exact or cut or [""])[0] if len(exact) == 1 or len(cut) == 1 else ""


def shape_two_sided(ctx: Context) -> ShapedTable:
    vocab = vocabulary()
    leaves = leaf_labels(cells_of(ctx.parts.header))
    starts = _side_starts(ctx.parts.header)
    if starts is None:
        starts = (0, max(len(leaves) // 2, 2))
        ctx.problem(
            ctx.block.title.line,
            "表头没有“收入”“支出”，按左右两半读取",
            "no 收入/支出 header; read as left and right halves",
        )
    width = max(len(leaves), max((r.width for r in ctx.parts.body), default=0))
    income = _side(ctx, leaves, starts[0], starts[1], ctx.spec.income)
    spend = _side(ctx, leaves, starts[1], width, ctx.spec.expenditure)
    columns = (
        Column("income_item", leaves[income.label_index] or "项目", TEXT),
        *table_columns(ctx.spec, income.amounts),
        Column(
            "name", leaves[spend.label_index] if spend.label_index < len(leaves) else "项目", NAME
        ),
        *table_columns(ctx.spec, spend.amounts),
    )
    rows: list[tuple[Row, int]] = []
    done = False
    for row in ctx.parts.body:
        item, name = row.cell(income.label_index), row.cell(spend.label_index)
        if done and (
            label(item) in vocab.after_total_labels or label(name) in vocab.after_total_labels
        ):
            ctx.problem(
                row.line,
                f"合计之后的行“{item or name}”未读取",
                f"line after the total ({item or name}) not read",
            )
            continue
        values: dict[str, Value] = {"income_item": item or None}
        values.update(read_values(ctx, row, (*income.amounts, *spend.amounts)))
        amounts = (c.index for c in (*income.amounts, *spend.amounts))
        report_stray(ctx, row, (income.label_index, spend.label_index, *amounts))
        is_total = (
            label(item) in vocab.income_total_labels
            or label(name) in vocab.expenditure_total_labels
        )
        if is_total:
            rows.append((Row("", name, 0, values, TOTAL), row.line))
            done = True
            continue
        code = class_code(name, ctx.catalogs.function) if name else ""
        if name and not code:
            ctx.problem(row.line, f"“{name}”不是功能分类的类", f"{name!r} is not a function class")
        rows.append((Row(code, name, 1, values), row.line))
    return make_table(ctx, columns, rows)


# --- procurement ---------------------------------------------------------------------------


def item_code(item: str) -> str:
    """The catalogue code in front of a 采购品目 ("C081401-印刷费" -> "C081401")."""
    found = _ITEM_CODE.match(item.strip())
    return found.group(1) if found else ""


def shape_procurement(ctx: Context) -> ShapedTable:
    """Rows: 合计 (level 0), each unit (nested by code), 基本支出/项目支出 groups, items."""
    vocab = vocabulary()
    columns = header_columns(ctx)
    text_cols = [c for c in columns if ctx.spec.kind_of(c.key) == TEXT]
    units: list[str] = []  # codes of the units above, outermost first
    group_level = 0
    rows: list[tuple[Row, int]] = []
    for row in ctx.parts.body:
        values = read_values(ctx, row, columns)
        report_stray(ctx, row, (c.index for c in columns))
        text = {c.key: row.cell(c.index) for c in text_cols}
        code, project = text.get("unit_code", ""), text.get("project", "")
        described = text.get("economic") or text.get("item")
        if not code and any(vocab.is_total(t) for t in text.values()):
            units, group_level = [], 0
            rows.append((Row("", "合计", 0, values, TOTAL), row.line))
        elif code:
            while units and not code.startswith(units[-1]):
                units.pop()
            units.append(code)
            group_level = len(units)
            rows.append(
                (Row(code, text.get("unit_name", ""), group_level, values, GROUP), row.line)
            )
        elif label(project) in vocab.expense_kinds and not described:
            level = len(units) + 1
            group_level = level
            rows.append((Row("", project, level, values, GROUP), row.line))
        else:
            item = text.get("item", "")
            rows.append((Row(item_code(item), project, group_level + 1, values, DETAIL), row.line))
    return make_table(ctx, table_columns(ctx.spec, columns), rows)


# --- tables by unit ------------------------------------------------------------------------


def shape_units(ctx: Context) -> ShapedTable:
    """One row per unit, and the 合计 row (机关运行经费, 三公)."""
    vocab = vocabulary()
    columns = header_columns(ctx)
    code_col = column(columns, "unit_code")
    name_col = column(columns, "unit_name") or column(columns, "name")
    rows: list[tuple[Row, int]] = []
    for row in ctx.parts.body:
        code = row.cell(code_col.index) if code_col else ""
        name = row.cell(name_col.index) if name_col else ""
        values = read_values(ctx, row, columns)
        report_stray(ctx, row, (c.index for c in columns))
        if vocab.is_total(name) or vocab.is_total(code):
            rows.append((Row("", name or code, 0, values, TOTAL), row.line))
        elif code or name:
            rows.append((Row(code, name, 1, values, DETAIL), row.line))
    return make_table(ctx, table_columns(ctx.spec, columns), rows)


SHAPES: dict[str, Callable[[Context], ShapedTable]] = {
    "function": shape_function,
    "economic": shape_economic,
    "two-sided": shape_two_sided,
    "procurement": shape_procurement,
    "units": shape_units,
}


def shape_table(
    block: Block, spec: TableSpec, table_id: str, catalogs: Catalogs, number: int
) -> ShapedTable:
    """Read one recognised table block in the yusuan shape of its table."""
    parts = split_parts(block, vocabulary())
    ctx = Context(spec, table_id, block, parts, catalogs, number, [])
    return SHAPES[spec.shape](ctx)
