"""Tables and forms as aligned plain text, laid out like the published tables."""

from __future__ import annotations

from collections.abc import Sequence

from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR, Unit
from yusuan.money import format_amount, to_unit
from yusuan.render.cells import display, pad, text_width
from yusuan.tables.base import NAME, NUMERIC_KINDS, Table
from yusuan.tables.forms import FUND_ROWS, TEXT_FIELDS, ProjectForm

SEPARATOR = "  "


def _cell_text(table: Table, row_index: int, col_index: int) -> str:
    row = table.rows[row_index]
    column = table.columns[col_index]
    text = display(column, row.cell(column), table.unit)
    if column.kind == NAME and row.level > 1:
        text = "  " * (row.level - 1) + text
    return text


def _widths(table: Table, grid: list[list[str]]) -> list[int]:
    widths = [max([4] + [text_width(row[c]) for row in grid]) for c in range(len(table.columns))]
    # widen columns so that every header cell fits over the columns it spans
    for cell in table.header:
        span = sum(widths[cell.col : cell.col + cell.colspan]) + len(SEPARATOR) * (cell.colspan - 1)
        need = text_width(cell.text) - span
        if need > 0:
            widths[cell.col + cell.colspan - 1] += need
    return widths


def _line_width(widths: list[int], columns: list[int]) -> int:
    return sum(widths[c] for c in columns) + len(SEPARATOR) * (len(columns) - 1)


def column_blocks(table: Table, widths: list[int], limit: int | None) -> list[list[int]]:
    """The leaf columns in blocks no wider than ``limit``, each block repeating the leading text
    columns (codes, names: what identifies a row) within half the width, so a wide table wraps in
    a terminal instead of running off it."""
    everything = list(range(len(table.columns)))
    if limit is None or _line_width(widths, everything) <= limit:
        return [everything]
    keys: list[int] = []
    for c, column in enumerate(table.columns):
        if column.kind in NUMERIC_KINDS or _line_width(widths, [*keys, c]) > limit // 2:
            break
        keys.append(c)
    blocks: list[list[int]] = []
    block = list(keys)
    for c in everything[len(keys) :]:
        if len(block) > len(keys) and _line_width(widths, [*block, c]) > limit:
            blocks.append(block)
            block = list(keys)
        block.append(c)
    blocks.append(block)
    return blocks


def _header_lines(table: Table, widths: list[int], columns: list[int]) -> list[str]:
    """The header rows over ``columns``: a cell spanning columns outside the block shows over the
    part inside it."""
    lines = []
    for header_row in range(table.header_rows):
        parts: list[str] = []
        position = 0
        while position < len(columns):
            col = columns[position]
            cell = next(
                (
                    h
                    for h in table.header
                    if h.row <= header_row < h.row + h.rowspan and h.col <= col < h.col + h.colspan
                ),
                None,
            )
            covered = [col]
            if cell is not None:
                while (
                    position + len(covered) < len(columns)
                    and columns[position + len(covered)] == covered[-1] + 1
                    and columns[position + len(covered)] < cell.col + cell.colspan
                ):
                    covered.append(columns[position + len(covered)])
            span = _line_width(widths, covered)
            text = cell.text if cell is not None and cell.row == header_row else ""
            parts.append(pad(text, span, "^"))
            position += len(covered)
        lines.append(SEPARATOR.join(parts).rstrip())
    return lines


def render_table(table: Table, width: int | None = None) -> str:
    """The table as aligned text; with ``width``, wider tables wrap into blocks of columns."""
    grid = [
        [_cell_text(table, r, c) for c in range(len(table.columns))] for r in range(len(table.rows))
    ]
    widths = _widths(table, grid)
    blocks = column_blocks(table, widths, width)
    total_width = max(_line_width(widths, block) for block in blocks)
    out = [pad(table.title, total_width, "^").rstrip(), f"单位：{table.unit.value}"]
    for number, block in enumerate(blocks, start=1):
        if len(blocks) > 1:
            out.append(f"（第{number}/{len(blocks)}部分 part {number} of {len(blocks)}）")
        line = _line_width(widths, block)
        out += ["=" * line, *_header_lines(table, widths, block), "-" * line]
        for row in grid:
            cells = []
            for c in block:
                align = ">" if table.columns[c].kind in NUMERIC_KINDS else "<"
                cells.append(pad(row[c], widths[c], align))
            out.append(SEPARATOR.join(cells).rstrip())
        out.append("=" * line)
    out.extend(table.notes)
    return "\n".join(out)


def render_form(form: ProjectForm) -> str:
    p = form.project
    unit = form.unit
    out = [form.title, f"（{form.year}年度）", ""]
    out.append(f"项目名称：{p.name}")
    out.append(
        f"主管部门及代码：{p.department}-{p.department_code}    实施单位：{p.implementing_unit}"
    )
    out.append(f"项目属性：{p.attribute}    项目期：{p.period}")
    out.append(f"项目资金（{unit.value}）{'':8}{pad('实施期', 14, '>')}{pad('年度', 14, '>')}")
    for label, attr in FUND_ROWS:
        period_value = format_amount(to_unit(getattr(p.period_funds, attr), unit))
        year_value = format_amount(to_unit(getattr(p.year_funds, attr), unit))
        out.append(f"  {pad(label, 20)}{pad(period_value, 14, '>')}{pad(year_value, 14, '>')}")
    for label, attr in TEXT_FIELDS:
        out.append(f"{label}：{getattr(p, attr)}")
    out.append(f"实施期总体目标：{p.period_goal}")
    out.append(f"年度总体目标：{p.year_goal}")
    for period in (PERIOD_IMPLEMENTATION, PERIOD_YEAR):
        out.append(f"绩效指标（{period}）：")
        for branch in form.tree(period):
            for indicator in branch.indicators:
                out.append(
                    f"  {pad(branch.level1, 12)}{pad(branch.level2, 20)}{pad(indicator.name, 40)}"
                    f"{indicator.published_value}"
                )
    filled = p.filled_on.isoformat() if p.filled_on else ""
    out.append(
        f"负责人：{p.person_in_charge}  经办人：{p.handler}  联系电话：{p.phone}  填报日期：{filled}"
    )
    return "\n".join(out)


def render_units(units: Sequence[Unit]) -> str:
    """The unit tree (单位层级): each unit under its ``parent``, as the per-unit tables group them."""
    children: dict[str, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent, []).append(unit)
    known = {unit.code for unit in units}
    out = [
        "单位层级 / units（下属单位计入其上级单位所在行 / units are counted in their parent's row）"
    ]

    def walk(parent: str, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda u: u.code):
            out.append(
                f"{'  ' * depth}{'└ ' if depth else ''}{unit.code}  {unit.name}（{unit.kind.value}）"
            )
            walk(unit.code, depth + 1)

    walk("", 0)
    for unit in units:  # a parent that is not a unit of the dataset
        if unit.parent and unit.parent not in known:
            out.append(f"{unit.code}  {unit.name}（上级单位 {unit.parent} 不在本数据集中）")
    return "\n".join(out)
