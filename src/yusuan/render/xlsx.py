"""Tables and project forms as one Excel workbook, laid out like the published documents.

The workbook has a contents sheet (目录) with links, one sheet per disclosure table (title, unit
line, the merged multi-row header drawn from ``Table.header``, then the rows) and one sheet per
项目支出绩效目标申报表. Amounts are written as numbers in the table's unit: the exact value (a
float only at this last step), not the rounded display, so that a reader can add them up in Excel.
The number format shows two decimals (Excel, WPS and LibreOffice round half up on display, like
``render.cells``) and leaves zero blank, the way the published tables print it.

Layout and writing are kept apart: ``table_plan``, ``form_plan`` and ``contents_plan`` are pure
functions that place values and styles on a grid (a ``SheetPlan``); ``workbook_bytes`` hands the
plans to XlsxWriter. Text is written as text, never guessed at (an indicator value like ``=3部``
must not become a formula): single cells with ``write_string``/``write_number``, merged ranges
through a workbook opened with every ``strings_to_*`` conversion off.
"""

from __future__ import annotations

import difflib
import functools
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

import xlsxwriter

from yusuan.consolidation.scope import ScopeWords, words
from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR
from yusuan.money import round_display, to_unit
from yusuan.render.cells import display, text_width
from yusuan.tables.base import (
    AMOUNT,
    CODE,
    NAME,
    NUMERIC_KINDS,
    PERCENT,
    QUANTITY,
    TOTAL,
    Column,
    Row,
    Table,
)
from yusuan.tables.forms import FUND_ROWS, TEXT_FIELDS, IndicatorBranch, ProjectForm

# ---------------------------------------------------------------------------------------------
# Styles: a style is a sorted tuple of XlsxWriter format properties, so that it can be a dict key
# and each distinct style becomes exactly one workbook format.
# ---------------------------------------------------------------------------------------------

Style = tuple[tuple[str, Any], ...]

FONT = "宋体"  # the font of the published templates; LibreOffice substitutes a CJK 宋体
FONT_SIZE = 10
MIN_PRINTED_SIZE = 8  # points: a wide sheet is never shrunk below this when printed
LINE_HEIGHT = 13.5  # points per line of 10 pt 宋体 (Excel's default row height for it)
ROW_PADDING = 1.5  # points above and below the text
ROW_HEIGHT = LINE_HEIGHT + ROW_PADDING  # every sheet's default row height
MAX_COLUMN_WIDTH = 60  # wider data wraps instead of stretching the page
HEADER_LINE = 10  # a header column is at least five CJK characters wide
MAX_ROW_HEIGHT = 409.0  # Excel's limit in points; taller text is cut off on screen, not in the file
MAX_SHEET_NAME = 31  # Excel's limit
MAX_CELL_TEXT = 32_767  # Excel's limit per cell

# Zero is written as 0 but shown blank (third section of the format empty), as published.
AMOUNT_FORMAT = "#,##0.00;-#,##0.00;;@"
QUANTITY_FORMAT = "#,##0;-#,##0;;@"
FRACTION_QUANTITY_FORMAT = "#,##0.######;-#,##0.######;;@"
PERCENT_FORMAT = "0.00;-0.00;0.00;@"
FUNDS_FORMAT = "#,##0.00"  # the form prints every fund row, zeros included

# A4 (595 x 842 pt) less the margins set in set_up_page, and how wide a column of width 1 prints
PRINT_WIDTH = 842 - 2 * 0.4 * 72
PRINT_HEIGHT = 595 - 2 * 0.6 * 72
# printed width of one unit of column width in the workbook's 10 pt font, as LibreOffice prints
# it (measured: a sheet of 112 units printed 688 pt wide at 100 %)
POINTS_PER_CHARACTER = 6.0
CELL_PADDING = 3.75  # 5 px per column
ALMOST_ONE_PAGE = 1.25  # up to this many pages tall, shrink to one page instead

INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
LEADING_YEAR = re.compile(r"^\d{4}\s*年度?")


def style(**properties: Any) -> Style:
    return tuple(sorted(properties.items()))


def merge_style(base: Style, **extra: Any) -> Style:
    return style(**{**dict(base), **extra})


GRID = style(border=1, valign="vcenter")
TITLE = style(bold=True, font_size=16, align="center", valign="vcenter")
SUBTITLE = style(align="center", valign="vcenter")
UNIT_LINE = style(align="right", valign="vcenter")
HEADER = merge_style(GRID, bold=True, align="center", text_wrap=True)
NOTE = style(align="left", valign="top", text_wrap=True)
LABEL = merge_style(GRID, align="center", text_wrap=True)
TEXT_CELL = merge_style(GRID, align="left", text_wrap=True)
FOOTER = style(align="left", valign="vcenter")
LINK = merge_style(GRID, font_color="#0563C1", underline=1)


# ---------------------------------------------------------------------------------------------
# Plans: what goes where on a sheet, before any XlsxWriter call.
# ---------------------------------------------------------------------------------------------


class Place(NamedTuple):
    """A value on the grid; ``end_row``/``end_col`` beyond ``row``/``col`` make a merged range.
    A ``url`` (an internal link) is for single cells only.

    A named tuple rather than a dataclass: a large workbook places tens of thousands of them.
    """

    row: int
    col: int
    value: str | float | None
    style: Style
    end_row: int
    end_col: int
    url: str = ""


@dataclass(slots=True)
class SheetPlan:
    """One worksheet: its places, column widths (Excel characters), row heights (points) and
    print set-up."""

    name: str
    places: list[Place] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)
    freeze_row: int = 0
    repeat_rows: tuple[int, int] | None = None
    landscape: bool = True

    def put(
        self,
        row: int,
        col: int,
        value: str | float | None,
        cell_style: Style,
        *,
        rows: int = 1,
        cols: int = 1,
        url: str = "",
    ) -> None:
        """Place a value over ``rows`` x ``cols`` cells (merged when more than one)."""
        self.places.append(Place(row, col, value, cell_style, row + rows - 1, col + cols - 1, url))

    def fit_height(self, row: int, points: float) -> None:
        """Make ``row`` at least ``points`` high (rows only ever grow, up to Excel's limit)."""
        if points > self.heights.get(row, 0.0):
            self.heights[row] = min(points, MAX_ROW_HEIGHT)


def clip(text: str) -> str:
    """Excel refuses more than 32,767 characters in a cell; longer text is cut, never lost
    silently elsewhere because the same text is in the dataset and the JSON output."""
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"


def lines_needed(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a cell ``width`` Excel characters wide (CJK count 2)."""
    usable = max(width - 1.5, 1.0)  # cell padding on both sides
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n"))


def height_for(lines: int) -> float:
    return lines * LINE_HEIGHT + ROW_PADDING


def span_width(widths: Sequence[float], col: int, cols: int) -> float:
    return sum(widths[col : col + cols])


# ---------------------------------------------------------------------------------------------
# Sheet names
# ---------------------------------------------------------------------------------------------


def short_title(title: str) -> str:
    """The table's title without its leading year: 2021年预算收支总表 -> 预算收支总表."""
    return LEADING_YEAR.sub("", title).strip() or title


def clean_sheet_name(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, no apostrophe at either end."""
    cleaned = INVALID_SHEET_CHARS.sub("_", name).strip().strip("'")
    return cleaned[:MAX_SHEET_NAME].rstrip().strip("'") or "Sheet"


def unique_sheet_names(wanted: Iterable[str]) -> list[str]:
    """Valid names, unique ignoring case as Excel compares them; clashes get (2), (3) …."""
    used = {"history"}  # Excel reserves "History" for change tracking
    names = []
    for raw in wanted:
        base = clean_sheet_name(raw)
        name, count = base, 1
        while name.lower() in used:
            count += 1
            suffix = f"({count})"
            name = base[: MAX_SHEET_NAME - len(suffix)].rstrip() + suffix
        used.add(name.lower())
        names.append(name)
    return names


def table_sheet_name(table: Table) -> str:
    return f"{table.number:02d} {short_title(table.title)}"


def form_sheet_name(index: int, form: ProjectForm) -> str:
    return f"项目{index:02d} {form.project.name}"


def internal_link(sheet: str) -> str:
    return "internal:'{}'!A1".format(sheet.replace("'", "''"))


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

TABLE_TOP = 2  # row 0: title, row 1: unit line; the header starts here


def indent_of(column: Column, row: Row) -> int:
    """类 flush left, 款 one step in, 项 two: the indent the published tables show."""
    return max(row.level - 1, 0) if column.kind == NAME else 0


@functools.cache
def data_style(kind: str, bold: bool, indent: int = 0, whole: bool = True) -> Style:
    """The style of a body cell; cached because a large table asks for the same few thousands
    of times."""
    if kind == AMOUNT:
        return merge_style(GRID, align="right", num_format=AMOUNT_FORMAT, bold=bold)
    if kind == PERCENT:
        return merge_style(GRID, align="right", num_format=PERCENT_FORMAT, bold=bold)
    if kind == QUANTITY:
        number_format = QUANTITY_FORMAT if whole else FRACTION_QUANTITY_FORMAT
        return merge_style(GRID, align="right", num_format=number_format, bold=bold)
    if kind == CODE:
        return merge_style(GRID, align="left", num_format="@", bold=bold)
    if indent:
        return merge_style(TEXT_CELL, bold=bold, indent=indent)
    return merge_style(TEXT_CELL, bold=bold)


def cell_style(column: Column, row: Row, value: object) -> Style:
    whole = (
        column.kind != QUANTITY
        or not isinstance(value, Decimal)
        or value == value.to_integral_value()
    )
    return data_style(column.kind, row.kind == TOTAL, indent_of(column, row), whole)


def cell_value(table: Table, column: Column, value: object) -> str | float | None:
    """Amounts and quantities as numbers in the table's unit, exact until this last conversion
    to float; everything else as text."""
    if value is None or value == "":
        return None
    if column.kind == AMOUNT and isinstance(value, Decimal):
        # zero needs no conversion, and about half the cells of a wide table are zero
        return float(to_unit(value, table.unit)) if value else 0.0
    if column.kind == QUANTITY and isinstance(value, Decimal):
        return float(value)
    if column.kind == PERCENT and isinstance(value, Decimal):
        return float(round_display(value))  # 四舍五入 on the exact rate, not on a float
    return clip(str(value))


def width_of(text: str) -> int:
    """``text_width`` with a fast path: most cells (amounts, codes) are ASCII."""
    return len(text) if text.isascii() else text_width(text)


def wider_than(text: str, width: float) -> bool:
    """Whether ``text`` overflows a column ``width`` wide; the length test first spares measuring
    the many short cells (no character is wider than 2)."""
    return 2 * len(text) + 2 > width and width_of(text) + 2 > width


def data_width(table: Table, column: Column) -> int:
    """The widest cell of a column as displayed (e.g. 12,347.83), two more per indent step."""
    values = [row.cell(column) for row in table.rows]
    if column.kind in NUMERIC_KINDS:
        # the widest number is the largest or the most negative: display only those two
        numbers = [v for v in values if isinstance(v, Decimal)]
        values = [max(numbers), min(numbers)] if numbers else []
    widths = [width_of(display(column, v, table.unit)) for v in values]
    if column.kind == NAME:
        widths = [w + 2 * indent_of(column, r) for w, r in zip(widths, table.rows, strict=True)]
    return max(widths, default=0)


def column_widths(table: Table) -> list[float]:
    """Widest displayed value + padding, at least the column's hint, at most MAX_COLUMN_WIDTH."""
    widths = [
        float(min(max(column.width, data_width(table, column) + 2), MAX_COLUMN_WIDTH))
        for column in table.columns
    ]
    # a one-column header may wrap, as the published headers do, but keeps 5 characters a line
    for cell in table.header:
        if cell.colspan == 1:
            need = min(text_width(cell.text), HEADER_LINE) + 2
            widths[cell.col] = max(widths[cell.col], float(need))
    return widths


def place_header(plan: SheetPlan, table: Table) -> None:
    for cell in table.header:
        plan.put(
            TABLE_TOP + cell.row,
            cell.col,
            cell.text,
            HEADER,
            rows=cell.rowspan,
            cols=cell.colspan,
        )
    # every header row fits its single-row cells; a taller spanning cell grows its last row
    for cell in sorted(table.header, key=lambda c: c.rowspan):
        need = height_for(lines_needed(cell.text, span_width(plan.widths, cell.col, cell.colspan)))
        rows = range(TABLE_TOP + cell.row, TABLE_TOP + cell.row + cell.rowspan)
        have = sum(plan.heights.get(r, ROW_HEIGHT) for r in rows)
        if need > have:
            last = rows[-1]
            plan.fit_height(last, plan.heights.get(last, ROW_HEIGHT) + need - have)


def place_rows(plan: SheetPlan, table: Table, first_row: int) -> None:
    for offset, row in enumerate(table.rows):
        grid_row = first_row + offset
        for col, column in enumerate(table.columns):
            raw = row.cell(column)
            value = cell_value(table, column, raw)
            style_ = cell_style(column, row, raw)
            plan.places.append(Place(grid_row, col, value, style_, grid_row, col))
            # only text wider than its (capped) column wraps and needs a taller row
            if isinstance(value, str) and wider_than(value, plan.widths[col]):
                lines = lines_needed(value, plan.widths[col] - 2 * indent_of(column, row))
                plan.fit_height(grid_row, height_for(lines))


def table_plan(table: Table, name: str) -> SheetPlan:
    """The official layout: title, 单位 line, merged header, rows, notes below."""
    width = max(len(table.columns), 1)
    plan = SheetPlan(name, widths=column_widths(table))
    plan.put(0, 0, table.title, TITLE, cols=width)
    plan.heights[0] = 30.0
    plan.put(1, 0, f"单位：{table.unit.value}", UNIT_LINE, cols=width)
    place_header(plan, table)
    body = TABLE_TOP + table.header_rows
    place_rows(plan, table, body)
    notes_row = body + len(table.rows)
    total_width = sum(plan.widths)
    for offset, note in enumerate(table.notes):
        plan.put(notes_row + offset, 0, clip(note), NOTE, cols=width)
        plan.fit_height(notes_row + offset, height_for(lines_needed(note, total_width)))
    plan.freeze_row = body
    if table.header_rows:
        plan.repeat_rows = (TABLE_TOP, body - 1)
    return plan


# ---------------------------------------------------------------------------------------------
# Project forms (项目支出绩效目标申报表), eight columns as in the published form:
#   A 绩效指标/总体目标 label | B 一级指标 | C 二级 | D 三级 | E 指标值 (实施期) | F 二级 | G 三级 |
#   H 指标值 (年度); the upper labels (项目名称 …) span A:B.
# ---------------------------------------------------------------------------------------------

FORM_WIDTHS = (10.0, 12.0, 16.0, 30.0, 13.0, 16.0, 30.0, 13.0)
FORM_COLUMNS = len(FORM_WIDTHS)
PERIOD_COL, YEAR_COL = 1, 5  # first column of each half of the indicator table


@dataclass(frozen=True, slots=True)
class Level1Group:
    """Rows of the indicator table under one 一级指标: the branches of each half side by side."""

    level1: str
    period: tuple[IndicatorBranch, ...]
    year: tuple[IndicatorBranch, ...]

    @property
    def height(self) -> int:
        return max(1, *(sum(len(b.indicators) for b in side) for side in (self.period, self.year)))


def level1_runs(branches: Sequence[IndicatorBranch]) -> list[tuple[str, list[IndicatorBranch]]]:
    """Consecutive branches with the same 一级 label, in form order."""
    runs: list[tuple[str, list[IndicatorBranch]]] = []
    for branch in branches:
        if runs and runs[-1][0] == branch.level1:
            runs[-1][1].append(branch)
        else:
            runs.append((branch.level1, [branch]))
    return runs


def level1_groups(form: ProjectForm) -> list[Level1Group]:
    """Pair the halves' 一级 groups so one 一级 cell serves both halves; a group one half lacks
    is blank on that side. ``difflib`` aligns the label sequences when they differ."""
    period = level1_runs(form.tree(PERIOD_IMPLEMENTATION))
    year = level1_runs(form.tree(PERIOD_YEAR))
    matcher = difflib.SequenceMatcher(
        a=[label for label, _ in period], b=[label for label, _ in year], autojunk=False
    )
    groups: list[Level1Group] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            groups += [
                Level1Group(period[i][0], tuple(period[i][1]), tuple(year[j][1]))
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
        else:
            groups += [Level1Group(label, tuple(bs), ()) for label, bs in period[i1:i2]]
            groups += [Level1Group(label, (), tuple(bs)) for label, bs in year[j1:j2]]
    return groups


def place_half(
    plan: SheetPlan, branches: Sequence[IndicatorBranch], top: int, height: int, col: int
) -> None:
    """One half (二级 | 三级 | 指标值) of a 一级 group; rows it does not use stay blank."""
    row = top
    for branch in branches:
        count = len(branch.indicators)
        plan.put(row, col, branch.level2, LABEL, rows=count)
        for indicator in branch.indicators:
            plan.put(row, col + 1, clip(indicator.name), TEXT_CELL)
            plan.put(row, col + 2, clip(indicator.published_value), LABEL)
            lines = max(
                lines_needed(indicator.name, FORM_WIDTHS[col + 1]),
                lines_needed(indicator.published_value, FORM_WIDTHS[col + 2]),
            )
            plan.fit_height(row, height_for(lines))
            row += 1
    for blank in range(row, top + height):
        for offset in range(3):
            plan.put(blank, col + offset, None, GRID)


def place_indicators(plan: SheetPlan, form: ProjectForm, top: int) -> int:
    """The 绩效指标 table; returns the row after it."""
    headings = ("一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值")
    for offset, heading in enumerate(headings, start=1):
        plan.put(top, offset, heading, HEADER)
    row = top + 1
    for group in level1_groups(form):
        plan.put(row, 1, group.level1, LABEL, rows=group.height)
        place_half(plan, group.period, row, group.height, PERIOD_COL + 1)
        place_half(plan, group.year, row, group.height, YEAR_COL)
        row += group.height
    plan.put(top, 0, "绩效指标", LABEL, rows=row - top)
    return row


def place_labelled(plan: SheetPlan, row: int, label: str, text: str) -> None:
    """A label over A:B and its text over C:H, the row tall enough for the wrapped text."""
    plan.put(row, 0, label, LABEL, cols=2)
    plan.put(row, 2, clip(text), TEXT_CELL, cols=FORM_COLUMNS - 2)
    lines = max(
        lines_needed(label, span_width(FORM_WIDTHS, 0, 2)),
        lines_needed(text, span_width(FORM_WIDTHS, 2, FORM_COLUMNS - 2)),
    )
    plan.fit_height(row, height_for(lines))


def place_pairs(plan: SheetPlan, row: int, pairs: Sequence[tuple[str, str]]) -> None:
    """Two label/value pairs on one row: A:B C:D | E:F G:H (主管部门及代码 … 实施单位 …)."""
    for index, (label, value) in enumerate(pairs):
        col = 4 * index
        plan.put(row, col, label, LABEL, cols=2)
        plan.put(row, col + 2, clip(value), TEXT_CELL, cols=2)
        lines = lines_needed(value, span_width(FORM_WIDTHS, col + 2, 2))
        plan.fit_height(row, height_for(max(lines, 1)))


def fund_label(index: int, label: str, period: str) -> str:
    """实施期资金总额： / 其中：中央财政资金 / 省级财政资金 …, as the form labels its rows."""
    if index == 0:
        return f"{period}{label}："
    return f"其中：{label}" if index == 1 else label


def place_funds(plan: SheetPlan, form: ProjectForm, top: int) -> int:
    """The 项目资金 block: A:B label over six rows, then 实施期 (C:D label, E) and 年度 (F:G, H)."""
    p = form.project
    plan.put(top, 0, f"项目资金（{form.unit.value}）", LABEL, rows=len(FUND_ROWS), cols=2)
    money = merge_style(GRID, align="right", num_format=FUNDS_FORMAT)
    for index, (label, attr) in enumerate(FUND_ROWS):
        row = top + index
        for col, period, funds in ((2, "实施期", p.period_funds), (5, "年度", p.year_funds)):
            plan.put(row, col, fund_label(index, label, period), TEXT_CELL, cols=2)
            plan.put(row, col + 2, float(to_unit(getattr(funds, attr), form.unit)), money)
    return top + len(FUND_ROWS)


def place_goals(plan: SheetPlan, form: ProjectForm, top: int) -> int:
    p = form.project
    plan.put(top, 0, "总体目标", LABEL, rows=2)
    plan.put(top, 1, "实施期目标", HEADER, cols=4)
    plan.put(top, 5, "年度目标", HEADER, cols=3)
    plan.put(top + 1, 1, clip(p.period_goal), TEXT_CELL, cols=4)
    plan.put(top + 1, 5, clip(p.year_goal), TEXT_CELL, cols=3)
    lines = max(
        lines_needed(p.period_goal, span_width(FORM_WIDTHS, 1, 4)),
        lines_needed(p.year_goal, span_width(FORM_WIDTHS, 5, 3)),
        2,  # a goal cell never looks cramped, even when short
    )
    plan.fit_height(top + 1, height_for(lines))
    return top + 2


def place_footer(plan: SheetPlan, form: ProjectForm, row: int) -> None:
    p = form.project
    filled = p.filled_on.isoformat() if p.filled_on else ""
    fields = (
        ("负责人：", p.person_in_charge),
        ("经办人：", p.handler),
        ("联系电话：", p.phone),
        ("填报日期：", filled),
    )
    for index, (label, value) in enumerate(fields):
        plan.put(row, 2 * index, label, FOOTER)
        plan.put(row, 2 * index + 1, clip(value), FOOTER)
    plan.fit_height(row, 20.0)


def form_plan(form: ProjectForm, name: str) -> SheetPlan:
    """The 绩效目标申报表 laid out as published."""
    p = form.project
    plan = SheetPlan(name, widths=list(FORM_WIDTHS))
    plan.put(0, 0, form.title, TITLE, cols=FORM_COLUMNS)
    plan.heights[0] = 30.0
    plan.put(1, 0, f"（{form.year}年度）", SUBTITLE, cols=FORM_COLUMNS)
    place_labelled(plan, 2, "项目名称", p.name)
    place_pairs(
        plan,
        3,
        (
            ("主管部门及代码", f"{p.department}-{p.department_code}"),
            ("实施单位", p.implementing_unit),
        ),
    )
    place_pairs(plan, 4, (("项目属性", p.attribute), ("项目期", p.period)))
    row = place_funds(plan, form, 5)
    for label, attr in TEXT_FIELDS:
        place_labelled(plan, row, label, getattr(p, attr))
        row += 1
    row = place_goals(plan, form, row)
    indicators_top = row
    row = place_indicators(plan, form, row)
    place_footer(plan, form, row)
    # a form that runs over a page continues under the indicator table's heading
    plan.repeat_rows = (indicators_top, indicators_top)
    return plan


# ---------------------------------------------------------------------------------------------
# Contents
# ---------------------------------------------------------------------------------------------

CONTENTS = "目录"


EXPLANATION = "说明"
EXPLANATION_WIDTH = 100.0  # one wide column: the text wraps inside it
HEADING = style(bold=True, font_size=12, valign="vcenter")


def explanation_plan(title: str, narrative: Sequence[tuple[str, Sequence[str]]]) -> SheetPlan:
    """The written explanation (部门预算情况说明): its headings and paragraphs, one per row,
    wrapped in one wide column and printed portrait, as the PDF's explanation pages."""
    plan = SheetPlan(EXPLANATION, widths=[EXPLANATION_WIDTH], landscape=False)
    plan.put(0, 0, clip(title), TITLE)
    plan.heights[0] = 30.0
    row = 1
    for heading, paragraphs in narrative:
        row += 1
        plan.put(row, 0, clip(heading), HEADING)
        for text in paragraphs:
            row += 1
            shown = "　　" + text  # first-line indent, as printed
            plan.put(row, 0, clip(shown), NOTE)
            lines = lines_needed(shown, EXPLANATION_WIDTH)
            plan.heights[row] = min(MAX_ROW_HEIGHT, LINE_HEIGHT * lines + ROW_PADDING)
    return plan


def contents_plan(title: str, entries: Sequence[tuple[str, str]]) -> SheetPlan:
    """序号 | 名称 (a link to the sheet) | 工作表, one line per sheet."""
    # as wide as the longest label and sheet name (within bounds), so it prints at full size
    name_width = min(70.0, max((width_of(label) for label, _ in entries), default=20.0) + 2)
    sheet_width = min(34.0, max((width_of(sheet) for _, sheet in entries), default=10.0) + 2)
    plan = SheetPlan(CONTENTS, widths=[6.0, name_width, sheet_width], landscape=False)
    plan.put(0, 0, clip(title), TITLE, cols=3)
    plan.heights[0] = 30.0
    plan.put(1, 0, CONTENTS, SUBTITLE, cols=3)
    for col, heading in enumerate(("序号", "名称", "工作表")):
        plan.put(2, col, heading, HEADER)
    for index, (label, sheet) in enumerate(entries, start=1):
        row = 2 + index
        plan.put(row, 0, float(index), merge_style(GRID, align="center"))
        plan.put(row, 1, clip(label), LINK, url=internal_link(sheet))
        plan.put(row, 2, sheet, TEXT_CELL)
    plan.freeze_row = 3
    plan.repeat_rows = (2, 2)
    return plan


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class Formats:
    """One XlsxWriter format per distinct style, made on first use."""

    def __init__(self, book: Any) -> None:
        self._book = book
        self._made: dict[Style, Any] = {}

    def __call__(self, cell_style: Style) -> Any:
        made = self._made.get(cell_style)
        if made is None:
            made = self._book.add_format(dict(cell_style))
            self._made[cell_style] = made
        return made


def write_place(sheet: Any, formats: Formats, place: Place) -> None:
    """One place; a merged range also gets the format on every covered cell (XlsxWriter pads it),
    which is what draws its borders."""
    cell_format = formats(place.style)
    if place.end_row != place.row or place.end_col != place.col:  # merged
        # merge_range writes with write(); with every strings_to_* option off (see
        # workbook_bytes) a str stays a string, a float a number, None a blank
        sheet.merge_range(
            place.row, place.col, place.end_row, place.end_col, place.value, cell_format
        )
    elif place.url:
        sheet.write_url(place.row, place.col, place.url, cell_format, str(place.value or ""))
    elif place.value.__class__ is str:
        sheet.write_string(place.row, place.col, place.value, cell_format)
    elif place.value.__class__ is float:
        sheet.write_number(place.row, place.col, place.value, cell_format)
    else:
        sheet.write_blank(place.row, place.col, None, cell_format)


def page_size(plan: SheetPlan) -> tuple[float, float]:
    return (PRINT_WIDTH, PRINT_HEIGHT) if plan.landscape else (PRINT_HEIGHT, PRINT_WIDTH)


def sheet_size(plan: SheetPlan) -> tuple[float, float]:
    """The printed width and height of a sheet at 100 %, in points."""
    width = sum(w * POINTS_PER_CHARACTER + CELL_PADDING for w in plan.widths)
    last_row = max((p.end_row for p in plan.places), default=0)
    return width, sum(plan.heights.get(r, ROW_HEIGHT) for r in range(last_row + 1))


def fit_scale(plan: SheetPlan) -> float:
    """How much a sheet must shrink to print one page wide (1.0: it fits as it is)."""
    width, _ = sheet_size(plan)
    return min(1.0, page_size(plan)[0] / width) if width else 1.0


def pages_tall(plan: SheetPlan) -> int:
    """0 (as many pages as needed) for long sheets; 1 for a sheet that would spill only a few rows
    onto a second page, so that a 收支总表 prints on one page as published."""
    _, height = sheet_size(plan)
    return 1 if height * fit_scale(plan) <= ALMOST_ONE_PAGE * page_size(plan)[1] else 0


def one_page_scale(plan: SheetPlan) -> float:
    """The scale at which a sheet prints one page wide and ``pages_tall`` pages tall."""
    _, height = sheet_size(plan)
    scale = fit_scale(plan)
    if pages_tall(plan) == 1 and height:
        scale = min(scale, page_size(plan)[1] / height)
    return scale


def set_up_page(sheet: Any, plan: SheetPlan) -> None:
    """A4, landscape for tables and forms, one page wide, header rows on every page."""
    sheet.set_paper(9)
    if plan.landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    if one_page_scale(plan) * FONT_SIZE >= MIN_PRINTED_SIZE:
        sheet.fit_to_pages(1, pages_tall(plan))
    elif fit_scale(plan) * FONT_SIZE >= MIN_PRINTED_SIZE:
        sheet.fit_to_pages(1, 0)  # one page wide, as many tall as it needs
    else:
        # shrinking so wide a sheet onto one page would print it unreadably small: print it at
        # the smallest readable size across as many pages as it needs, in reading order
        sheet.set_print_scale(math.floor(100 * MIN_PRINTED_SIZE / FONT_SIZE))
        sheet.print_across()
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.center_horizontally()
    sheet.set_footer("&C第 &P 页，共 &N 页")
    if plan.repeat_rows is not None:
        sheet.repeat_rows(*plan.repeat_rows)
    if plan.freeze_row:
        sheet.freeze_panes(plan.freeze_row, 0)
    sheet.hide_gridlines(2)  # the borders are the grid, as on paper


def write_sheet(book: Any, formats: Formats, plan: SheetPlan) -> None:
    sheet = book.add_worksheet(plan.name)
    sheet.set_default_row(ROW_HEIGHT)
    for col, width in enumerate(plan.widths):
        sheet.set_column(col, col, width)
    for row, height in plan.heights.items():
        sheet.set_row(row, height)
    for place in plan.places:
        write_place(sheet, formats, place)
    set_up_page(sheet, plan)


def department_of(forms: Sequence[ProjectForm]) -> str:
    return forms[0].project.department if forms else ""


def workbook_bytes(
    tables: Sequence[Table],
    forms: Sequence[ProjectForm],
    *,
    title: str,
    department: str | None = None,
    narrative: Sequence[tuple[str, Sequence[str]]] = (),
    scope: ScopeWords | None = None,
) -> bytes:
    """The whole workbook (目录, 说明 when there is a written explanation, one sheet per table,
    one per project form) as .xlsx bytes; ``scope`` gives a 单位预算's words (default: 部门预算).

    ``department`` goes into the workbook's company property; it defaults to the department
    named on the forms.
    """
    scope = scope or words()
    front = [CONTENTS, EXPLANATION] if narrative else [CONTENTS]
    names = unique_sheet_names(
        front
        + [table_sheet_name(t) for t in tables]
        + [form_sheet_name(i, f) for i, f in enumerate(forms, start=1)]
    )
    first = len(front)
    table_names, form_names = names[first : first + len(tables)], names[first + len(tables) :]
    entries = [(scope.explanation_heading, EXPLANATION)] if narrative else []
    entries += [(t.title, n) for t, n in zip(tables, table_names, strict=True)]
    entries += [
        (f"项目支出绩效目标申报表：{f.project.name}", n)
        for f, n in zip(forms, form_names, strict=True)
    ]
    plans = [contents_plan(title, entries)]
    if narrative:
        plans.append(
            explanation_plan(title.replace(scope.budget, scope.explanation_heading), narrative)
        )
    plans += [table_plan(t, n) for t, n in zip(tables, table_names, strict=True)]
    plans += [form_plan(f, n) for f, n in zip(forms, form_names, strict=True)]

    output = io.BytesIO()
    options = {
        "in_memory": True,
        # no guessing from text: merge_range relies on these (see write_place)
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE},
    }
    book = xlsxwriter.Workbook(output, options)
    book.set_properties(
        {
            "title": title,
            "subject": f"{scope.budget}公开",
            "author": "yusuan",
            "company": department if department is not None else department_of(forms),
            "comments": "由 yusuan 生成",
        }
    )
    formats = Formats(book)
    for plan in plans:
        write_sheet(book, formats, plan)
    book.close()
    return output.getvalue()
