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

import importlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import cast

from yusuan.audit.document import ReadProblem
from yusuan.audit.grid import Block, GridRow, cells_of
from yusuan.audit.pdf_tables import join_lines
from yusuan.audit.recognise import (
    BLANK_MARKS,
    HeaderColumn,
    TableSpec,
    Vocabulary,
    find_unit,
    header_label,
    is_amount,
    label,
    leaf_labels,
    leaf_parents,
    map_header,
    normalise,
    parse_amount,
    parse_number,
    template_order,
    unit_in_label,
    vocabulary,
)
from yusuan.catalog.loader import Catalogs, Classification, function_classification
from yusuan.money import MoneyUnit
from yusuan.tables.base import (
    AMOUNT,
    CODE,
    DETAIL,
    GROUP,
    NAME,
    PERCENT,
    QUANTITY,
    TEXT,
    TOTAL,
    Column,
    Row,
    Table,
    Value,
    simple_header,
)
from yusuan.tables.prior import comparison_base

FUNCTION_SEGMENTS = (3, 2, 2)
# keys of a code printed over 类 | 款 | 项 columns (tables.toml), joined into one code
CODE_SEGMENT_KEYS = ("code_class", "code_kuan", "code_xiang")
ECONOMIC_SEGMENTS = (3, 2)
DEFAULT_UNIT = MoneyUnit.WAN

_LEADING_CODE = re.compile(r"^\[?(\d{3,7})\]?\s*(.*)$")
_ITEM_CODE = re.compile(r"^([A-Z]\d+)\s*[-—－]")
_DEPARTMENT = re.compile(r"^(?:编制|预算主管)?部门(?:名称)?\s*[:：]\s*(\S.*)$")
_SENTENCE = re.compile(r"[。；]|^(?:注|说明|备注)[:：]|(?:本|此|该)表为空|空表")


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
    department: str = ""  # as a line before the header names it ("部门：江苏省政协办公厅")


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
    """Header rows hold column labels and group headings, no figures: every cell a known
    label, or (a row of several cells) at least half of them — a header's other cells are
    labels this vocabulary does not know yet, reported as such, not a reason to lose the
    header and every column under it."""
    texts = row.texts()
    if not texts or any(is_amount(t) for t in texts):
        return False
    known = sum(1 for t in texts if vocab.is_header_word(t))
    return known == len(texts) or (len(texts) > 1 and 2 * known >= len(texts))


def is_note(row: GridRow) -> bool:
    """A sentence under or inside a table (注：…, 本表为空表。)."""
    texts = row.texts()
    return len(texts) == 1 and bool(_SENTENCE.search(texts[0]))


def split_parts(block: Block, vocab: Vocabulary) -> Parts:
    """Unit line and other lines before the header, the header rows, the body and the notes."""
    rows = block.content()
    unit, unit_text, index, department = None, "", 0, ""
    while index < len(rows) and not is_header_row(rows[index], vocab):
        found = find_unit(" ".join(rows[index].texts()))
        if found is None and any(is_amount(t) for t in rows[index].texts()):
            break
        if found is not None:
            unit, unit_text = found, " ".join(rows[index].texts())
        for text in rows[index].texts():
            named = _DEPARTMENT.match(text)
            department = named.group(1).strip() if named and not department else department
        index += 1
    start = index
    while index < len(rows) and is_header_row(rows[index], vocab):
        if index > start and all(vocab.is_total(t) for t in rows[index].texts()):
            break  # the 合计 row of a table with no figures, not a header row
        index += 1
    header = list(rows[start:index])
    while header and index < len(rows) and wrapped_header_tail(header[-1], rows[index], vocab):
        header[-1] = GridRow(
            header[-1].line,
            tuple(
                join_lines([header[-1].cell(i), rows[index].cell(i)])
                for i in range(max(header[-1].width, rows[index].width))
            ),
        )
        index += 1
    if unit is None:  # on the title's line, or in brackets in the title or a header label
        unit, unit_text = unit_elsewhere(block.title, header)
    body = [r for r in rows[index:] if not is_note(r)]
    notes = tuple(r.texts()[0] for r in rows[index:] if is_note(r))
    return Parts(unit, unit_text, tuple(header), tuple(body), notes, department)


def unit_elsewhere(title: GridRow, header: Sequence[GridRow]) -> tuple[MoneyUnit | None, str]:
    """The unit of a table that prints no unit line: "单位：万元" on the title's line, or one
    unit in brackets in the title or the header labels ("预算数（元）")."""
    for text in title.texts():
        found = find_unit(text) or unit_in_label(text)
        if found is not None:
            return found, text
    named = {u: t for r in header for t in r.texts() if (u := unit_in_label(t)) is not None}
    if len(named) == 1:
        found, text = next(iter(named.items()))
        return found, text
    return None, ""


def wrapped_header_tail(above: GridRow, row: GridRow, vocab: Vocabulary) -> bool:
    """Is a row under the header the rest of header cells wrapped onto a line of their own
    ("采购组织形" / "式")? No figure; every cell under a header cell of the row above (the
    same column: their x-ranges overlap); and each joined label is one the vocabulary knows,
    or each piece is a short tail (two characters at most) that starts no item."""
    cells = row.indexed()
    if not cells or any(is_amount(t) or vocab.is_total(t) for _, t in cells):
        return False  # figures, or the 合计 row of a table with no figures
    if not all(above.cell(i) for i, _ in cells):
        return False
    joined = [join_lines([above.cell(i), t]) for i, t in cells]
    if all(vocab.is_header_word(j) for j in joined):
        return True
    return all(
        len(t) <= WRAPPED_TAIL and unnumbered(t) == t and not vocab.is_header_word(t)
        for _, t in cells
    )


WRAPPED_TAIL = 2  # characters: the most a wrapped header cell's last line holds on its own


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
        elif kind in (QUANTITY, PERCENT):  # a count or a rate: a number as printed
            values[column.key] = read_quantity(ctx, row, column.index)
        elif kind == TEXT:
            values[column.key] = row.cell(column.index) or None
    return values


def header_columns(ctx: Context) -> list[HeaderColumn]:
    """The header mapped to keys, in the template's order when the figures say so."""
    header = cells_of(ctx.parts.header)
    leaves = leaf_labels(header)
    columns, unknown = map_header(ctx.spec, leaves, leaf_parents(header))
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
        meta={
            "unit_text": ctx.parts.unit_text,
            "first_line": str(ctx.block.title.line),
            **({"department": ctx.parts.department} if ctx.parts.department else {}),
        },
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
            if resolved.level > 1 and len(path) > 1:  # (a 项 printed without its 款)
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
    """Rows 合计 and 类/款/项 (or 类/款), each with its rebuilt full code.

    The code is printed in one column, or split over 类 | 款 | 项 columns (the printed segments
    joined: "201" "31" "01" -> 2013101; a row printing only "31" is resolved like the seed's
    segment-per-row codes), or in front of the name.
    """
    vocab = vocabulary()
    code_col, name_col = column(columns, "code"), column(columns, "name")
    segment_cols = [c for c in columns if c.key in CODE_SEGMENT_KEYS]
    value_cols = [c for c in columns if c.key not in ("code", "name", *CODE_SEGMENT_KEYS)]
    amount_keys = [c.key for c in value_cols if ctx.spec.kind_of(c.key) == AMOUNT]
    if (
        by_name is None
        and name_col is not None
        and not code_col
        and not segment_cols
        and not any(split_code(r.cell(name_col.index))[0] for r in ctx.parts.body)
    ):
        return _labelled_rows(ctx, columns)
    totals: list[tuple[Row, int]] = []
    coded: list[tuple[GridRow, str, str, dict[str, Value]]] = []
    for row in ctx.parts.body:
        name = row.cell(name_col.index) if name_col else ""
        printed = row.cell(code_col.index) if code_col else ""
        if not code_col and segment_cols:
            printed = _joined_segments(ctx, row, segment_cols, segments)
        elif not code_col:
            printed, name = split_code(name)
        values = read_values(ctx, row, value_cols)
        report_stray(ctx, row, (c.index for c in columns))
        first = row.texts()[0] if row.texts() else ""
        if normalise(printed) in BLANK_MARKS:
            printed = ""  # "无" where a code would stand: a row of an empty table
        if not printed.strip("[] ").isdigit() and (vocab.is_total(name) or vocab.is_total(first)):
            totals.append((Row("", name or first, 0, values, TOTAL), row.line))
        elif printed or name:
            coded.append((row, printed.strip("[] "), name, values))
        elif any(v is not None for v in values.values()) and not (name_col or segment_cols):
            # a table of one line of figures (支出预算总表: 合计 | 基本支出 | 项目支出 …)
            totals.append((Row("", "合计", 0, values, TOTAL), row.line))
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
    table_cols = table_columns(ctx.spec, [c for c in columns if c.key not in CODE_SEGMENT_KEYS])
    if not code_col:
        table_cols = (Column("code", "科目编码", CODE), *table_cols)
    return make_table(ctx, table_cols, totals + body)


def _joined_segments(
    ctx: Context, row: GridRow, columns: Sequence[HeaderColumn], segments: Sequence[int]
) -> str:
    """A code printed over 类 | 款 | 项 columns as one code; a segment printed without its
    leading zero ("301" "2", a spreadsheet's number) is read with it, and reported."""
    parts = [row.cell(c.index) for c in columns]
    joined = []
    for index, part in enumerate(parts):
        size = segments[index] if index < len(segments) else len(part)
        if part.isdigit() and 0 < len(part) < size and index > 0:
            ctx.problem(
                row.line,
                f"科目编码段“{part}”少了前导零，按“{part.zfill(size)}”读取",
                f"code segment {part!r} lacks its leading zero; read as {part.zfill(size)!r}",
            )
            part = part.zfill(size)
        joined.append(part)
    return "".join(joined)


def _labelled_rows(ctx: Context, columns: Sequence[HeaderColumn]) -> ShapedTable:
    """A table whose lines are labels, not classification codes (Jiangsu's 收入预算总表 by
    source: 一般公共预算资金 | 小计, then its items one column to the right).

    A label in the name column starts a group (level 1; its figure is its 小计 when the next
    column prints 小计); a label further right is an item of the group above (level 2); a
    total label is the 合计 (level 0). Codes are empty.
    """
    vocab = vocabulary()
    name_col = column(columns, "name")
    start = name_col.index if name_col else 0
    value_cols = [c for c in columns if c.key not in ("code", "name")]
    value_indexes = {c.index for c in value_cols}
    rows: list[tuple[Row, int]] = []
    for row in ctx.parts.body:
        labels = [(i, t) for i, t in row.indexed() if i >= start and i not in value_indexes]
        values = read_values(ctx, row, value_cols)
        if not labels:
            if any(v is not None for v in values.values()):
                ctx.problem(row.line, "有金额而无项目的行未读取", "a row with figures but no label")
            continue
        first_index, first = labels[0]
        rest = [t for _, t in labels[1:]]
        if vocab.is_total(first) or label(first) in vocab.income_total_labels:
            rows.append((Row("", first, 0, values, TOTAL), row.line))
        elif first_index == start:
            subtotal = not rest or label(rest[0]) == "小计" or vocab.is_total(rest[0])
            name = first if subtotal else f"{first} {rest[0]}"
            rows.append((Row("", name, 1, values, GROUP), row.line))
        else:
            rows.append((Row("", " ".join([first, *rest]), 2, values, DETAIL), row.line))
    table_cols = (Column("code", "科目编码", CODE), *table_columns(ctx.spec, columns))
    return make_table(ctx, table_cols, rows)


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
        kids = [classification.entries[c] for c in classification.children(current)]
        # a 款 named like its 类 (399 其他支出 / 39999 其他支出) under that 类 is the 款
        own_kuan = classes.get(wanted) == current and any(label(e.name) == wanted for e in kids)
        if wanted in classes and not own_kuan:
            current = classes[wanted]
            result.append(Resolved(current, 1, "name"))
            continue
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
    """The columns where the 收入 and the 支出 halves begin (收入, 本年收入, 财政拨款收入 …)."""
    for row in header:
        found = {label(text): index for index, text in row.indexed()}
        income = next(
            (i for t, i in found.items() if t.startswith("收入") or t.endswith("收入")), None
        )
        spend = next(
            (i for t, i in found.items() if t.startswith("支出") or t.endswith("支出")), None
        )
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
    for position, (index, text) in enumerate(printed):
        if position == 0 and not _names_key_of(ctx, text, keys) and _compares(ctx, printed, keys):
            # 金额 | 上年预算数 | 增减额 | 增减%: the figure compared comes first, whatever its
            # label ("金额", "2021年"): the half's first key
            mapped.append(HeaderColumn(index, keys[0], text))
            continue
        # a label that names a column in each half (上年预算数) names the one of this half
        word = header_label(text)
        choices = (ctx.spec.aliases.get(word), *ctx.spec.alternates.get(word, ()))
        key = next((k for k in choices if k is not None and k in keys), None)
        if key is not None:
            mapped.append(HeaderColumn(index, key, text))
        else:
            line = ctx.parts.header[-1].line
            ctx.problem(line, f"不认识的表头“{text}”", f"unknown column header {text!r}")
    return Side(start, tuple(mapped))


def _names_key_of(ctx: Context, text: str, keys: Sequence[str]) -> bool:
    word = header_label(text)
    choices = (ctx.spec.aliases.get(word), *ctx.spec.alternates.get(word, ()))
    return any(k in keys for k in choices if k is not None)


def _compares(ctx: Context, printed: Sequence[tuple[int, str]], keys: Sequence[str]) -> bool:
    """Does a half print a comparison with last year after its first column (上年预算数 …)?"""
    for _, text in printed[1:]:
        word = header_label(text)
        choices = (ctx.spec.aliases.get(word), *ctx.spec.alternates.get(word, ()))
        if any(k in keys and comparison_base(k) is not None for k in choices if k):
            return True
    return False


def _label_columns(ctx: Context, leaves: Sequence[str], start: int, end: int) -> list[int]:
    """The label columns of the 支出 half: its first column, and every further column whose
    header names line labels (项目名称 beside 功能科目名称: the 支出用途 lines of Jiangsu)."""
    found = [start]
    for index in range(start + 1, min(end, len(leaves))):
        if leaves[index] and ctx.spec.key_for(leaves[index]) == "name":
            found.append(index)
    return found


_NUMBERING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[.．、]|[(（][一二三四五六七八九十\d]+[)）])\s*"
)
_SUB_ITEM = re.compile(r"^\s*(?:\d+[.．、]|[(（]\d+[)）])")


def unnumbered(name: str) -> str:
    """A line label without its numbering ("一、一般公共服务支出" -> "一般公共服务支出")."""
    return _NUMBERING.sub("", name)


def _is_purpose(ctx: Context, index: int) -> bool:
    """Does this label column list expenses by purpose (基本支出, 项目支出 …)?"""
    kinds = vocabulary().expense_kinds
    return any(label(unnumbered(r.cell(index))) in kinds for r in ctx.parts.body)


def class_code(name: str, classification: Classification) -> str:
    """The 功能分类 类 a summary line names (a name cut short matches the one it begins)."""
    name = unnumbered(name)
    classes = classification.at_level("类")
    exact = [e.code for e in classes if label(e.name) == label(name)]
    cut = [e.code for e in classes if names_match(name, e.name)]
    return (exact or cut or [""])[0] if len(exact) == 1 or len(cut) == 1 else ""


FORMER_NAME_YEARS = 10  # how far back a 类 printed under a former name is looked up


def former_class_code(name: str, year: int) -> tuple[str, int]:
    """The 类 a line names by a name of an earlier year (医疗卫生与计划生育支出, 210 until 2018),
    and that year; ("", 0) when no earlier catalogue has it."""
    for earlier in range(year - 1, year - 1 - FORMER_NAME_YEARS, -1):
        code = class_code(name, function_classification(earlier))
        if code:
            return code, earlier
    return "", 0


def shape_two_sided(ctx: Context) -> ShapedTable:
    """Both halves of each printed line in one row.

    The 支出 half may list the lines by 功能分类 (name and amounts, the yusuan shape), by purpose
    (基本支出, 项目支出, 单位预留机动经费: ``purpose`` and ``purpose_amount``), or both side by
    side. An income line numbered "1." under "一、" is a part of it (``income_detail``). The
    total line's 支出 figure, printed once across both 支出 lists, is the total of each.
    """
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
    labels = _label_columns(ctx, leaves, starts[1], width)
    bounds = [*labels, width]
    halves = [(labels[i], bounds[i + 1]) for i in range(len(labels))]
    purpose: Side | None = None
    spend = Side(width, ())
    for start, end in halves:
        if _is_purpose(ctx, start) and purpose is None:
            purpose = _side(ctx, leaves, start, end, ("purpose_amount",))
        elif spend.label_index == width:
            spend = _side(ctx, leaves, start, end, ctx.spec.expenditure)
    used = [c for side in (income, spend, purpose) if side is not None for c in side.amounts]
    label_indexes = [c for c in (income.label_index, spend.label_index) if c < width]
    if purpose is not None:
        label_indexes.append(purpose.label_index)
    rows: list[tuple[Row, int]] = []
    details = False
    done = False
    for row in ctx.parts.body:
        item, name = row.cell(income.label_index), row.cell(spend.label_index)
        use = row.cell(purpose.label_index) if purpose is not None else ""
        texts = [label(t) for t in (item, name, use)]
        after = (
            vocab.after_total_labels | vocab.income_total_labels | vocab.expenditure_total_labels
        )
        if done and any(t in after for t in texts if t):
            ctx.problem(
                row.line,
                f"合计之后的行“{item or name or use}”未读取",
                f"line after the total ({item or name or use}) not read",
            )
            continue
        values: dict[str, Value] = {"income_item": item or None}
        values.update(read_values(ctx, row, used))
        if purpose is not None:
            values["purpose"] = use or None
        report_stray(ctx, row, (*label_indexes, *(c.index for c in used)))
        if item and _SUB_ITEM.match(item):
            values["income_detail"] = values.pop("income", None)
            details = True
        is_total = (
            label(item) in vocab.income_total_labels
            or label(name) in vocab.expenditure_total_labels
            or label(use) in vocab.expenditure_total_labels
        )
        if is_total:
            _fill_spend_total(values, spend, purpose)
            rows.append((Row("", name or use, 0, values, TOTAL), row.line))
            done = True
            continue
        code = class_code(name, ctx.catalogs.function) if name else ""
        if name and not code:
            code, earlier = former_class_code(name, ctx.catalogs.year)
            if code:
                ctx.problem(
                    row.line,
                    f"“{name}”是{earlier}年的类名，按 {code} 读取",
                    f"{name!r} is the name of class {code} in {earlier}; read as {code}",
                )
            else:
                ctx.problem(
                    row.line, f"“{name}”不是功能分类的类", f"{name!r} is not a function class"
                )
        rows.append((Row(code, name or use, 1, values), row.line))
    spend_label = leaves[spend.label_index] if spend.label_index < len(leaves) else "项目"
    columns = [
        Column("income_item", leaves[income.label_index] or "项目", TEXT),
        *table_columns(ctx.spec, income.amounts),
    ]
    if details:
        printed = income.amounts[0].printed if income.amounts else "金额"
        columns.append(Column("income_detail", f"{printed}（其中）", AMOUNT))
    columns.append(Column("name", spend_label, NAME))
    columns.extend(table_columns(ctx.spec, spend.amounts))
    if purpose is not None:
        columns.append(Column("purpose", leaves[purpose.label_index] or "项目", TEXT))
        columns.extend(Column(c.key, c.printed, AMOUNT) for c in purpose.amounts)
    return make_table(ctx, columns, rows)


def _fill_spend_total(values: dict[str, Value], spend: Side, purpose: Side | None) -> None:
    """The 支出 total printed once for both lists (its label merged across them): each list
    without a figure of its own on the total line gets the one printed."""
    if purpose is None or not spend.amounts or not purpose.amounts:
        return
    first, other = spend.amounts[0].key, purpose.amounts[0].key
    if values.get(first) is None:
        values[first] = values.get(other)
    elif values.get(other) is None:
        values[other] = values.get(first)


# --- procurement ---------------------------------------------------------------------------


def item_code(item: str) -> str:
    """The catalogue code in front of a 采购品目 ("C081401-印刷费" -> "C081401")."""
    found = _ITEM_CODE.match(item.strip())
    return found.group(1) if found else ""


@dataclass(slots=True)
class _OpenUnit:
    """A unit row of the procurement table whose parts are still being read."""

    code: str
    stated: Decimal | None
    parts: Decimal = Decimal(0)

    def room_for(self, amount: Decimal | None) -> bool:
        """Can a further part of ``amount`` still belong here (the parts read so far fall short
        of the unit's stated total by at least that much)?"""
        if self.stated is None or amount is None:
            return False
        return Decimal(0) < amount <= self.stated - self.parts


def _total_of(values: Mapping[str, Value]) -> Decimal | None:
    value = values.get("total")
    return value if isinstance(value, Decimal) else None


def shape_procurement(ctx: Context) -> ShapedTable:
    """Rows: 合计 (level 0), each unit, 基本支出/项目支出 groups, items.

    A unit is nested under the unit above it when its code continues that unit's code; when
    the codes do not nest (100001, 100002), when the unit above still falls short of its stated
    total by at least this unit's total (its 基本/项目 groups and subordinate units read so far
    do not add up to it yet).
    """
    vocab = vocabulary()
    columns = header_columns(ctx)
    text_cols = [c for c in columns if ctx.spec.kind_of(c.key) == TEXT]
    units: list[_OpenUnit] = []  # the units above, outermost first
    group_level = 0
    rows: list[tuple[Row, int]] = []
    by_category = column(columns, "category") is not None
    for row in ctx.parts.body:
        values = read_values(ctx, row, columns)
        report_stray(ctx, row, (c.index for c in columns))
        text = {c.key: row.cell(c.index) for c in text_cols}
        code, project = text.get("unit_code", ""), text.get("project", "")
        described = text.get("economic") or text.get("item")
        if not code and any(vocab.is_total(t) for t in text.values()):
            units, group_level = [], 0
            rows.append((Row("", "合计", 0, values, TOTAL), row.line))
        elif by_category:
            group_level = _by_category(rows, row, text, values, group_level)
        elif code:
            amount = _total_of(values)
            while units and not code.startswith(units[-1].code) and not units[-1].room_for(amount):
                units.pop()
            if units:
                units[-1].parts += amount or Decimal(0)
            units.append(_OpenUnit(code, amount))
            group_level = len(units)
            rows.append(
                (Row(code, text.get("unit_name", ""), group_level, values, GROUP), row.line)
            )
        elif label(project) in vocab.expense_kinds and not described:
            level = len(units) + 1
            group_level = level
            if units:
                units[-1].parts += _total_of(values) or Decimal(0)
            rows.append((Row("", project, level, values, GROUP), row.line))
        else:
            item = text.get("item", "")
            rows.append((Row(item_code(item), project, group_level + 1, values, DETAIL), row.line))
    return make_table(ctx, table_columns(ctx.spec, columns), rows)


def _by_category(
    rows: list[tuple[Row, int]],
    row: GridRow,
    text: Mapping[str, str],
    values: dict[str, Value],
    level: int,
) -> int:
    """A row of a procurement table by 采购品目大类 (Jiangsu): a category (一、货物A) at level 1,
    a project and its 经济科目 at level 2 (a project printed once over several lines is
    carried down), an item (采购物品名称) at level 3. Returns the level of the group above."""
    project = text.get("project", "")
    carried = next((r.name for r, _ in reversed(rows) if r.level == 2), "")
    if text.get("category"):
        rows.append((Row("", text["category"], 1, values, GROUP), row.line))
        return 1
    above = rows[-1][0] if rows else None
    if (
        not text.get("item")
        and not project
        and text.get("method")
        and above
        and above.kind == DETAIL
    ):
        # an item cell merged over several rows (one item bought by two methods): the item
        # above, once for each method
        values["item"] = above.values.get("item")
        rows.append((replace(above, values=values), row.line))
        return level
    if not text.get("item"):
        rows.append((Row("", project or carried, 2, values, GROUP), row.line))
        return 2
    name = project or (carried if level == 2 else "")
    rows.append((Row(item_code(text["item"]), name, level + 1, values, DETAIL), row.line))
    return level


# --- tables by unit ------------------------------------------------------------------------


def shape_units(ctx: Context) -> ShapedTable:
    """One row per unit, and the 合计 row (机关运行经费, 三公).

    A table listing 经济分类 codes instead of units (Jiangsu's 机关运行经费 by 302 and its 款)
    nests them by code: 类 at level 1, 款 at level 2. A table of one line of figures and no
    unit column (Jiangsu's 三公 table) is the department's own line, named as the line above
    the header names the department.
    """
    vocab = vocabulary()
    columns = header_columns(ctx)
    code_col = column(columns, "unit_code") or column(columns, "code")
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
        elif not (code_col or name_col) and any(v is not None for v in values.values()):
            rows.append((Row("", ctx.parts.department, 1, values, DETAIL), row.line))
    if code_col is not None and code_col.key == "code":
        rows = _nested_by_code(rows)
    return make_table(ctx, table_columns(ctx.spec, columns), rows)


def _nested_by_code(rows: Sequence[tuple[Row, int]]) -> list[tuple[Row, int]]:
    """Rows by classification code: a code's level is its rank among the printed code lengths
    (302 -> 1, 30201 -> 2), and a code the next one continues is a group."""
    lengths = sorted({len(r.code) for r, _ in rows if r.code})
    kinds = row_kinds([r.code for r, _ in rows])
    return [
        (
            replace(row, level=lengths.index(len(row.code)) + 1, kind=kind) if row.code else row,
            line,
        )
        for (row, line), kind in zip(rows, kinds, strict=True)
    ]


# --- a table nobody identified ------------------------------------------------------------


def grid_columns(parts: Parts) -> list[Column]:
    """One column per printed column: labelled by its header leaf (or 第N列), an amount column
    when most of its filled body cells are figures, a text column otherwise."""
    leaves = leaf_labels(cells_of(parts.header))
    width = max([len(leaves), *(r.width for r in parts.body)], default=0)
    columns = []
    for index in range(width):
        filled = [r.cell(index) for r in parts.body if r.cell(index)]
        figures = sum(1 for t in filled if is_amount(t) or label(t) in BLANK_LABELS)
        amounts = bool(filled) and 2 * figures > len(filled) and not is_row_numbers(filled)
        kind = AMOUNT if amounts else TEXT
        printed = leaves[index] if index < len(leaves) and leaves[index] else f"第{index + 1}列"
        columns.append(Column(f"c{index + 1}", printed, kind))
    return columns


def is_row_numbers(cells: Sequence[str]) -> bool:
    """Is a column the rows' numbers (行次: 1, 2, 3 …), not amounts?"""
    numbers = [int(t) for t in cells if t.isdigit()]
    return len(numbers) == len(cells) > 1 and numbers == list(
        range(numbers[0], numbers[0] + len(numbers))
    )


BLANK_LABELS = frozenset(label(m) for m in BLANK_MARKS if m)


def grid_header(block: Block, parts: Parts) -> tuple[GridRow, ...]:
    """The header of a table whose labels nobody knows: the rows of several cells without a
    figure right above its first row of figures."""
    rows = block.content()
    first = parts.body[0].line if parts.body else None
    above = [r for r in rows if first is not None and r.line < first]
    header: list[GridRow] = []
    for row in reversed(above):
        texts = row.texts()
        if len(texts) < 2 or any(is_amount(t) for t in texts) or find_unit(" ".join(texts)):
            break
        header.insert(0, row)
    return tuple(header)


def shape_grid(block: Block, table_id: str, number: int, guess: str = "") -> ShapedTable:
    """A table nobody identified, read as the grid it prints: every row, every column (figures
    converted from the table's unit), reported as 未识别的表 with its number of rows. ``guess``
    names what its title suggests (a 决算 table without a definition of its own)."""
    parts = split_parts(block, vocabulary())
    if not parts.header:
        parts = replace(parts, header=grid_header(block, parts))
    unit = parts.unit or DEFAULT_UNIT
    columns = grid_columns(parts)
    problems: list[ReadProblem] = []
    rows: list[tuple[Row, int]] = []
    for row in parts.body:
        values: dict[str, Value] = {}
        for index, col in enumerate(columns):
            text = row.cell(index)
            if col.kind == TEXT:
                values[col.key] = text or None
                continue
            try:
                values[col.key] = parse_amount(text, unit)
            except ValueError:
                values[col.key] = None
                problems.append(
                    ReadProblem(
                        row.line,
                        f"“{text}”不是金额，按空白读取",
                        f"{text!r} is not an amount",
                        table_id,
                    )
                )
        name = next((t for t in row.texts() if not is_amount(t)), "")
        rows.append((Row("", name, 1, values, DETAIL), row.line))
    about = f"（标题像{guess}，但没有它的定义）" if guess else ""
    about_en = f" (its title suggests {guess}, which has no definition)" if guess else ""
    problems.insert(
        0,
        ReadProblem(
            block.title.line,
            f"未识别的表，{len(rows)}行{about}",
            f"unidentified table, {len(rows)} rows{about_en}",
            table_id,
        ),
    )
    meta = {"unit_text": parts.unit_text, "first_line": str(block.title.line)}
    if guess:
        meta["guess"] = guess
    table = Table(
        table_id,
        block.title_text,
        unit,
        simple_header(columns),
        tuple(columns),
        tuple(r for r, _ in rows),
        parts.notes,
        number,
        meta=meta,
    )
    return ShapedTable(table, tuple(line for _, line in rows), tuple(problems))


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
    return shape_function_named(spec.shape)(ctx)


def shape_function_named(name: str) -> Callable[[Context], ShapedTable]:
    """The shape a table definition names: one of ``SHAPES``; ``"module:function"`` for a
    shape defined elsewhere; or one of the 决算 shapes (``FINAL_SHAPES`` of
    ``yusuan.audit.final_accounts``, where the 决算 tables live)."""
    if name in SHAPES:
        return SHAPES[name]
    module, _, function = name.partition(":")
    found: object = None
    try:
        if function:
            found = getattr(importlib.import_module(module), function, None)
        else:
            final = importlib.import_module(FINAL_SHAPES_MODULE)
            found = getattr(final, "FINAL_SHAPES", {}).get(name)
    except ModuleNotFoundError:
        found = None
    if not callable(found):
        raise ValueError(f"audit/data: unknown table shape {name!r}")
    return cast(Callable[[Context], ShapedTable], found)


FINAL_SHAPES_MODULE = "yusuan.audit.final_accounts"
