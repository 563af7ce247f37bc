"""Tables and forms as aligned plain text, laid out like the published tables."""

from __future__ import annotations

from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR
from yusuan.money import format_amount, to_unit
from yusuan.render.cells import display, pad, text_width
from yusuan.tables.base import AMOUNT, NAME, QUANTITY, Table
from yusuan.tables.forms import FUND_ROWS, TEXT_FIELDS, ProjectForm

SEPARATOR = "  "


def _cell_text(table: Table, row_index: int, col_index: int) -> str:
    row = table.rows[row_index]
    column = table.columns[col_index]
    text = display(column, row.cell(column), table.unit)
    if column.kind == NAME and row.level > 1:
        text = "  " * (row.level - 1) + text
    return text


def render_table(table: Table) -> str:
    grid = [
        [_cell_text(table, r, c) for c in range(len(table.columns))] for r in range(len(table.rows))
    ]
    widths = [max([4] + [text_width(row[c]) for row in grid]) for c in range(len(table.columns))]
    # widen columns so that every header cell fits over the columns it spans
    for cell in table.header:
        span = sum(widths[cell.col : cell.col + cell.colspan]) + len(SEPARATOR) * (cell.colspan - 1)
        need = text_width(cell.text) - span
        if need > 0:
            widths[cell.col + cell.colspan - 1] += need
    total_width = sum(widths) + len(SEPARATOR) * (len(widths) - 1)
    out = [pad(table.title, total_width, "^"), f"单位：{table.unit.value}", "=" * total_width]
    for header_row in range(table.header_rows):
        parts: list[str] = []
        col = 0
        starts = sorted((c for c in table.header if c.row == header_row), key=lambda c: c.col)
        for cell in starts:
            while col < cell.col:  # a column covered by a cell from an earlier header row
                parts.append(" " * widths[col])
                col += 1
            span = sum(widths[cell.col : cell.col + cell.colspan]) + len(SEPARATOR) * (
                cell.colspan - 1
            )
            parts.append(pad(cell.text, span, "^"))
            col = cell.col + cell.colspan
        while col < len(widths):
            parts.append(" " * widths[col])
            col += 1
        out.append(SEPARATOR.join(parts).rstrip())
    out.append("-" * total_width)
    for row in grid:
        cells = []
        for c, text in enumerate(row):
            align = ">" if table.columns[c].kind in (AMOUNT, QUANTITY) else "<"
            cells.append(pad(text, widths[c], align))
        out.append(SEPARATOR.join(cells).rstrip())
    out.append("=" * total_width)
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
                    f"{indicator.display_value}"
                )
    filled = p.filled_on.isoformat() if p.filled_on else ""
    out.append(
        f"负责人：{p.person_in_charge}  经办人：{p.handler}  联系电话：{p.phone}  填报日期：{filled}"
    )
    return "\n".join(out)
