"""What the site's pages show, as plain values: tables, project forms, CSV text, the search index.

Pure functions from ``Table`` and ``ProjectForm`` to small frozen view records that the Jinja2
templates lay out. Amounts go through ``render.cells`` (``display()`` for people, ``exact()`` for
the CSV files), so the site shows exactly what the text, PDF and Excel renderers show.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR, Department, Funds
from yusuan.render.cells import display, exact
from yusuan.render.csv_out import PATH_SEPARATOR, row_kind
from yusuan.render.spreadsheet_safe import csv_writer
from yusuan.tables.base import (
    AMOUNT,
    CODE,
    GROUP,
    NAME,
    NUMERIC_KINDS,
    TOTAL,
    Column,
    HeaderCell,
    Row,
    Table,
    simple_header,
)
from yusuan.tables.forms import FUND_ROWS, TEXT_FIELDS, IndicatorBranch, ProjectForm

# ---------------------------------------------------------------------------------------------
# Names of the files


def table_slug(table: Table, position: int) -> str:
    """``03-expenditure``: the publication number (or the position) and the stable id."""
    return f"{table.number or position:02d}-{table.id}"


def form_slug(position: int, count: int) -> str:
    """``001``: the form's 1-based position, zero-padded to at least three digits."""
    return f"{position:0{max(3, len(str(count)))}d}"


# ---------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True, slots=True)
class HeadCell:
    text: str
    rowspan: int
    colspan: int
    scope: str  # "col" or "colgroup"


@dataclass(frozen=True, slots=True)
class BodyCell:
    text: str
    css: str
    is_row_header: bool


@dataclass(frozen=True, slots=True)
class BodyRow:
    anchor: str
    css: str
    cells: tuple[BodyCell, ...]
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class TableView:
    slug: str
    number: int
    id: str
    title: str
    unit: str
    head: tuple[tuple[HeadCell, ...], ...]
    body: tuple[BodyRow, ...]
    notes: tuple[str, ...]
    empty: bool

    @property
    def page(self) -> str:
        return f"tables/{self.slug}.html"

    @property
    def csv(self) -> str:
        return f"tables/{self.slug}.csv"


def _header(table: Table) -> tuple[HeaderCell, ...]:
    return table.header or simple_header(table.columns)


def head_rows(table: Table) -> tuple[tuple[HeadCell, ...], ...]:
    """The header grid as HTML rows: each cell in the row where it starts, left to right."""
    header = _header(table)
    height = max((c.row + c.rowspan for c in header), default=0)
    return tuple(
        tuple(
            HeadCell(c.text, c.rowspan, c.colspan, "colgroup" if c.colspan > 1 else "col")
            for c in sorted((c for c in header if c.row == r), key=lambda c: c.col)
        )
        for r in range(height)
    )


def _cell_css(column: Column, row: Row) -> str:
    if column.kind in NUMERIC_KINDS:
        return "num"
    if column.kind == NAME:
        return f"name lv{min(row.level, 6)}"
    if column.kind == CODE:
        return "code"
    return "text"


def body_row(table: Table, index: int, row: Row, header_column: int | None) -> BodyRow:
    cells = tuple(
        BodyCell(
            display(column, row.cell(column), table.unit),
            _cell_css(column, row),
            position == header_column,
        )
        for position, column in enumerate(table.columns)
    )
    css = {TOTAL: "total", GROUP: "group"}.get(row.kind, "detail")
    return BodyRow(f"r{index}", css, cells, row.code, row.name)


def table_view(table: Table, position: int) -> TableView:
    """A table as the page shows it: merged header, display texts, row anchors ``r0``, ``r1``…"""
    header_column = next((i for i, c in enumerate(table.columns) if c.kind == NAME), None)
    return TableView(
        slug=table_slug(table, position),
        number=table.number or position,
        id=table.id,
        title=table.title,
        unit=table.unit.value,
        head=head_rows(table),
        body=tuple(body_row(table, i, row, header_column) for i, row in enumerate(table.rows)),
        notes=table.notes,
        empty=table.is_empty(),
    )


# ---------------------------------------------------------------------------------------------
# CSV (wide layout: the leaf columns, then one line per row)


def csv_text(table: Table, department: Department | None = None, year: int | None = None) -> str:
    """UTF-8 text with a BOM (for Excel); amounts as exact decimal strings in the table's unit.

    Each row starts with the department, the year and the row's kind (合计 / 汇总 / 明细), and each
    column is headed by its full header path, so the files of many departments stack and a sum
    over 明细 rows counts nothing twice."""
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    paths = [PATH_SEPARATOR.join(table.column_path(i)) for i in range(len(table.columns))]
    writer.writerow(["部门编码", "部门", "年度", "行类型", *paths])
    lead = [
        department.code if department else "",
        department.name if department else "",
        year or "",
    ]
    for row in table.rows:
        cells = [exact(c, row.cell(c), table.unit) or "" for c in table.columns]
        writer.writerow([*lead, row_kind(row.kind), *cells])
    return "\ufeff" + out.getvalue()


# ---------------------------------------------------------------------------------------------
# Project forms


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    rowspan: int


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    level1: Span | None  # None where a cell above spans this row
    level2: Span | None
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class IndicatorSection:
    period: str
    rows: tuple[IndicatorRow, ...]


@dataclass(frozen=True, slots=True)
class FundRow:
    label: str
    period: str
    year: str


@dataclass(frozen=True, slots=True)
class FormView:
    slug: str
    name: str
    title: str
    year: int
    unit: str
    fields: tuple[tuple[str, str], ...]
    funds: tuple[FundRow, ...]
    texts: tuple[tuple[str, str], ...]
    indicators: tuple[IndicatorSection, ...]
    signature: tuple[tuple[str, str], ...]

    @property
    def page(self) -> str:
        return f"projects/{self.slug}.html"

    @property
    def year_total(self) -> str:
        return self.funds[0].year if self.funds else ""


FUND_COLUMN = Column("funds", "资金", AMOUNT)


def fund_rows(form: ProjectForm) -> tuple[FundRow, ...]:
    """The 项目资金 block: each level of government, 实施期 and 年度, zeros shown as 0.00."""
    p = form.project

    def shown(funds: Funds, attr: str) -> str:
        value: Decimal = getattr(funds, attr)
        return display(FUND_COLUMN, value, form.unit, blank_zero=False)

    return tuple(
        FundRow(label, shown(p.period_funds, attr), shown(p.year_funds, attr))
        for label, attr in FUND_ROWS
    )


def indicator_rows(branches: Sequence[IndicatorBranch]) -> tuple[IndicatorRow, ...]:
    """One row per 三级 indicator; 一级 and 二级 cells span their run, as the form merges them."""
    rows: list[IndicatorRow] = []
    for index, branch in enumerate(branches):
        starts_level1 = index == 0 or branches[index - 1].level1 != branch.level1
        level1_span = 0
        if starts_level1:
            for later in branches[index:]:
                if later.level1 != branch.level1:
                    break
                level1_span += len(later.indicators)
        for position, indicator in enumerate(branch.indicators):
            first = position == 0
            rows.append(
                IndicatorRow(
                    Span(branch.level1, level1_span) if first and starts_level1 else None,
                    Span(branch.level2, len(branch.indicators)) if first else None,
                    indicator.name,
                    indicator.published_value,
                )
            )
    return tuple(rows)


def form_view(form: ProjectForm, position: int, count: int) -> FormView:
    p = form.project
    return FormView(
        slug=form_slug(position, count),
        name=p.name,
        title=form.title,
        year=form.year,
        unit=form.unit.value,
        fields=(
            ("项目名称", p.name),
            ("主管部门及代码", f"{p.department}-{p.department_code}"),
            ("实施单位", p.implementing_unit),
            ("项目属性", p.attribute),
            ("项目期", p.period),
        ),
        funds=fund_rows(form),
        texts=(
            *((label, str(getattr(p, attr))) for label, attr in TEXT_FIELDS),
            ("实施期总体目标", p.period_goal),
            ("年度总体目标", p.year_goal),
        ),
        indicators=tuple(
            IndicatorSection(period, indicator_rows(form.tree(period)))
            for period in (PERIOD_IMPLEMENTATION, PERIOD_YEAR)
        ),
        signature=(
            ("负责人", p.person_in_charge),
            ("经办人", p.handler),
            ("联系电话", p.phone),
            ("填报日期", p.filled_on.isoformat() if p.filled_on else ""),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Search index: groups (项目, then one per table) and entries [group, code, name, page#anchor]

SearchIndex = dict[str, list[str] | list[tuple[int, str, str, str]]]


def search_hint(index: SearchIndex) -> str:
    """The search box's example, from this department's own entries: a project, a 项 code and
    a row name (so the hint never names another department's things)."""
    entries = [entry for entry in index["entries"] if isinstance(entry, tuple)]
    projects = [name for group, _, name, _ in entries if group == 0]
    coded = [(code, name) for group, code, name, _ in entries if group and len(code) == 7]
    examples = []
    if projects:
        examples.append(projects[0] if len(projects[0]) <= 6 else projects[0][:4])
    if coded:
        examples += [coded[0][0], coded[0][1]]
    return "例如：" + "、".join(examples) if examples else ""


def search_index(tables: Sequence[TableView], forms: Sequence[FormView]) -> SearchIndex:
    """Projects, then every named row of every table; pages are relative to the site's root."""
    groups = ["项目", *(f"表{view.number} {view.title}" for view in tables)]
    entries = [(0, "", f.name, f.page) for f in forms]
    for group, view in enumerate(tables, start=1):
        seen: set[tuple[str, str]] = set()
        for row in view.body:
            identity = (row.code, row.name)
            if row.css == "total" or not (row.code or row.name) or identity in seen:
                continue
            seen.add(identity)
            entries.append((group, row.code, row.name, f"{view.page}#{row.anchor}"))
    return {"groups": groups, "entries": entries}
