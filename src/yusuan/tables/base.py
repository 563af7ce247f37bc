"""The ``Table``: a disclosure table as data, with its header described once.

A table has a title, a display unit, a header grid (cells with row/col spans, the way the
published templates merge them), the leaf columns, and rows. Values are exact ``Decimal`` in 元;
renderers convert them to the display unit. Excel, PDF, HTML and text are all drawn from this one
description.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from yusuan.money import MoneyUnit

# Column kinds: "code" and "name" read the row's own code and name; "text" and "amount" and
# "quantity" read ``row.values[key]``.
CODE, NAME, TEXT, AMOUNT, QUANTITY = "code", "name", "text", "amount", "quantity"
# A rate in per cent (增减%): an exact Decimal, shown with two decimals (四舍五入), never converted
# to the display unit.
PERCENT = "percent"
# Numeric kinds: right-aligned, one figure a cell.
NUMERIC_KINDS = (AMOUNT, QUANTITY, PERCENT)

# Row kinds
TOTAL, GROUP, DETAIL = "total", "group", "detail"

Value = Decimal | str | None


@dataclass(frozen=True, slots=True)
class HeaderCell:
    """A cell of the header grid; ``row`` and ``col`` are 0-based within the header."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True, slots=True)
class Column:
    """A leaf column: a stable key (for JSON and CSV), a label, a kind and a width hint."""

    key: str
    label: str
    kind: str = AMOUNT
    width: int = 12


@dataclass(frozen=True, slots=True)
class Row:
    """A row: code, name, hierarchy level (0 = total, 1 = 类, 2 = 款, 3 = 项) and values in 元."""

    code: str
    name: str
    level: int
    values: Mapping[str, Value]
    kind: str = DETAIL

    def cell(self, column: Column) -> Value:
        if column.kind == CODE:
            return self.code
        if column.kind == NAME:
            return self.name
        return self.values.get(column.key)


@dataclass(frozen=True, slots=True)
class Table:
    """A disclosure table."""

    id: str
    title: str
    unit: MoneyUnit
    header: tuple[HeaderCell, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    number: int = 0
    name_en: str = ""
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def header_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.header), default=0)

    def column_path(self, index: int) -> tuple[str, ...]:
        """The header texts standing over leaf column ``index``, top to bottom (its full name:
        ``("资金来源", "政府预算资金", "一般公共预算资金")``)."""
        over = sorted(
            (c for c in self.header if c.col <= index < c.col + c.colspan), key=lambda c: c.row
        )
        path = tuple(dict.fromkeys(c.text for c in over if c.text))
        return path or (self.columns[index].label,)

    def value_columns(self) -> list[Column]:
        return [c for c in self.columns if c.kind in (AMOUNT, QUANTITY, PERCENT, TEXT)]

    def row(self, code: str, name: str | None = None) -> Row | None:
        """The first row with this code (and name, when given)."""
        return next(
            (r for r in self.rows if r.code == code and (name is None or r.name == name)), None
        )

    def total_row(self) -> Row | None:
        """The first 合计 row (kind ``total``), when the table has one."""
        return next((r for r in self.rows if r.kind == TOTAL), None)

    def is_empty(self) -> bool:
        return all(
            not v for r in self.rows for c in self.columns if c.kind == AMOUNT for v in [r.cell(c)]
        )


def simple_header(columns: Sequence[Column]) -> tuple[HeaderCell, ...]:
    """A one-row header: each column's label."""
    return tuple(HeaderCell(c.label, 0, i) for i, c in enumerate(columns))


def header_grid(spec: Sequence[tuple[str, int, int, int, int]]) -> tuple[HeaderCell, ...]:
    """Build header cells from ``(text, row, col, rowspan, colspan)`` tuples."""
    return tuple(HeaderCell(text, r, c, rs, cs) for text, r, c, rs, cs in spec)


def check_header(header: Sequence[HeaderCell], width: int) -> None:
    """Every grid position covered exactly once: guards the layout data of every table."""
    height = max((c.row + c.rowspan for c in header), default=0)
    covered: dict[tuple[int, int], str] = {}
    for cell in header:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if (r, c) in covered:
                    raise ValueError(f"header cell {cell.text!r} overlaps {covered[(r, c)]!r}")
                covered[(r, c)] = cell.text
    missing = [(r, c) for r in range(height) for c in range(width) if (r, c) not in covered]
    if missing:
        raise ValueError(f"header grid has holes at {missing[:5]}")
