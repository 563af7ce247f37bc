"""The disclosure as a Word document (.docx), for officers who edit and send the 说明 as Word.

The same content as the PDF, in the same order: the written explanation (headings and
paragraphs), then every table with its merged header built from the table's header grid (the one
description every renderer reads), then each project's performance-target form. Amounts go
through ``render.cells.display`` like everywhere else. The body font is 宋体 (SimSun, set for East
Asian text so Word and WPS use it), headings 黑体; tables are landscape sections.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from yusuan import __version__
from yusuan.consolidation.scope import ScopeWords, words
from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR
from yusuan.money import format_amount, to_unit
from yusuan.render.cells import display
from yusuan.tables.base import NAME, NUMERIC_KINDS, TOTAL, Table
from yusuan.tables.forms import FUND_ROWS, TEXT_FIELDS, ProjectForm

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_SIZE = Pt(12)
TABLE_SIZE = Pt(9)
A4 = (Cm(21.0), Cm(29.7))


def _east_asian(run_or_style: Any, font: str) -> None:
    """Name ``font`` for both Latin and East Asian text (python-docx sets only the former)."""
    run_or_style.font.name = font
    properties = run_or_style.element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def _styles(document: Any) -> None:
    normal = document.styles["Normal"]
    _east_asian(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    for name, size in (("Title", 20), ("Heading 1", 16), ("Heading 2", 14)):
        style = document.styles[name]
        _east_asian(style, HEADING_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)  # as printed: black, not the theme's blue


def _orient(section: Any, landscape: bool) -> None:
    short, long = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))


def _cell_text(cell: Any, text: str, *, bold: bool = False, align: Any = None) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.text = ""
    run = paragraph.add_run(text)
    run.font.size = TABLE_SIZE
    run.bold = bold
    if align is not None:
        paragraph.alignment = align


def _table(document: Any, table: Table) -> None:
    document.add_heading(table.title, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    unit = document.add_paragraph(f"单位：{table.unit.value}")
    unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    grid = document.add_table(rows=table.header_rows + len(table.rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for header in table.header:  # merge first: the cells of a row are read once after
        if header.rowspan > 1 or header.colspan > 1:
            grid.cell(header.row, header.col).merge(
                grid.cell(header.row + header.rowspan - 1, header.col + header.colspan - 1)
            )
    cells = [row.cells for row in grid.rows]  # grid.cell(r, c) re-reads the whole table
    for header in table.header:
        _cell_text(
            cells[header.row][header.col], header.text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER
        )
    for offset, row in enumerate(table.rows, start=table.header_rows):
        for index, column in enumerate(table.columns):
            text = display(column, row.cell(column), table.unit)
            if column.kind == NAME and row.level > 1:
                text = "　" * (row.level - 1) + text
            right = column.kind in NUMERIC_KINDS
            _cell_text(
                cells[offset][index],
                text,
                bold=row.kind == TOTAL,
                align=WD_ALIGN_PARAGRAPH.RIGHT if right else None,
            )
    for note in table.notes:
        document.add_paragraph(note)


def _grid(document: Any, rows: int, cols: int) -> list[list[Any]]:
    """A bordered table, as its cells by row (read once: ``table.cell`` re-reads them all)."""
    table = document.add_table(rows=rows, cols=cols)
    table.style = "Table Grid"
    return [row.cells for row in table.rows]


def _form(document: Any, form: ProjectForm) -> None:
    project = form.project
    document.add_heading(project.name, level=1)
    document.add_paragraph(f"{form.title}（{form.year}年度）")
    facts = [
        ("项目名称", project.name),
        ("主管部门及代码", f"{project.department}-{project.department_code}"),
        ("实施单位", project.implementing_unit),
        ("项目属性", project.attribute),
        ("项目期", project.period),
    ]
    funds = _grid(document, 1 + len(FUND_ROWS), 3)
    for index, text in enumerate((f"项目资金（{form.unit.value}）", "实施期", "年度")):
        _cell_text(funds[0][index], text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row, (label, attr) in enumerate(FUND_ROWS, start=1):
        _cell_text(funds[row][0], label)
        for col, funds_of in ((1, project.period_funds), (2, project.year_funds)):
            amount = format_amount(to_unit(getattr(funds_of, attr), form.unit))
            _cell_text(funds[row][col], amount, align=WD_ALIGN_PARAGRAPH.RIGHT)
    texts = [*facts, *((label, getattr(project, attr)) for label, attr in TEXT_FIELDS)]
    texts += [("实施期总体目标", project.period_goal), ("年度总体目标", project.year_goal)]
    fields = _grid(document, len(texts), 2)
    for row, (label, value) in enumerate(texts):
        _cell_text(fields[row][0], label, bold=True)
        _cell_text(fields[row][1], str(value))
    for period in (PERIOD_IMPLEMENTATION, PERIOD_YEAR):
        branches = form.tree(period)
        if not branches:
            continue
        document.add_paragraph(f"绩效指标（{period}）")
        indicators = [(b, i) for b in branches for i in b.indicators]
        grid = _grid(document, 1 + len(indicators), 4)
        for index, text in enumerate(("一级指标", "二级指标", "三级指标", "指标值")):
            _cell_text(grid[0][index], text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for row, (branch, indicator) in enumerate(indicators, start=1):
            for col, text in enumerate(
                (branch.level1, branch.level2, indicator.name, indicator.published_value)
            ):
                _cell_text(grid[row][col], text)
    filled = project.filled_on.isoformat() if project.filled_on else ""
    document.add_paragraph(
        f"负责人：{project.person_in_charge}　经办人：{project.handler}　"
        f"联系电话：{project.phone}　填报日期：{filled}"
    )


def docx_bytes(
    tables: Sequence[Table],
    forms: Sequence[ProjectForm],
    *,
    title: str,
    subtitle: str = "",
    narrative: Sequence[tuple[str, Sequence[str]]] = (),
    scope: ScopeWords | None = None,
) -> bytes:
    """The whole disclosure as a .docx: explanation (portrait), tables and forms (landscape);
    ``scope`` gives the headings of a 单位预算 (default: a 部门预算's)."""
    scope = scope or words()
    document = Document()
    _styles(document)
    properties = document.core_properties
    properties.title = title
    properties.subject = subtitle
    properties.author = title
    properties.comments = f"yusuan {__version__}"  # the build stamp, never on a page
    _orient(document.sections[0], landscape=False)
    heading = document.add_heading(title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if subtitle:
        document.add_paragraph(subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if narrative:
        document.add_heading(scope.explanation_heading, level=1)
        for section_heading, paragraphs in narrative:
            document.add_heading(section_heading, level=2)
            for text in paragraphs:
                paragraph = document.add_paragraph(text)
                paragraph.paragraph_format.first_line_indent = Pt(24)
    for index, table in enumerate(tables):
        section = document.add_section()
        _orient(section, landscape=True)
        if index == 0:
            document.add_heading(scope.tables_heading, level=1)
        _table(document, table)
    for index, form in enumerate(forms):
        section = document.add_section()
        _orient(section, landscape=True)
        if index == 0:
            document.add_heading("项目支出绩效目标申报表", level=1)
        _form(document, form)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
