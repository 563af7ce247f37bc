"""Turn raw rows (header -> text) into records and back, collecting every problem.

Shared by the folder (CSV) and workbook (XLSX) readers, so both report the same problems in the
same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from yusuan.dataset.problems import Notice, Problem, cell_name
from yusuan.dataset.schema import (
    INDICATORS,
    LINES,
    PRIOR_YEAR,
    PROCUREMENT,
    PROJECTS,
    REVENUE,
    Column,
    RecordKind,
)
from yusuan.model.records import (
    BasicCategory,
    BudgetLine,
    ExpenseKind,
    Funds,
    Indicator,
    Origin,
    PriorYearFigure,
    ProcurementItem,
    Project,
    RevenueItem,
)
from yusuan.money import ZERO, AmountError, MoneyUnit, ParsedAmount, excerpt, parse_amount

_CODE_RE = re.compile(r"^[0-9A-Za-z]+$")
_QUANTITY_RE = re.compile(r"^\d+(\.\d+)?$", re.ASCII)


@dataclass(frozen=True, slots=True)
class RawRow:
    """A row as read: its 1-based row number and its cells in file order (at least one per
    header; the readers refuse shorter rows)."""

    number: int
    cells: Sequence[str]


def check_headers(kind: RecordKind, file: str, headers: Sequence[str]) -> list[Problem]:
    """Every required column present; no unknown column (so nothing is silently dropped)."""
    problems = []
    present = [h.strip() for h in headers]
    for column in kind.columns:
        if column.required and column.header not in present:
            problems.append(
                Problem(
                    "missing-column",
                    file,
                    1,
                    column.header,
                    f"缺少必填列“{column.header}”",
                    f"required column {column.header!r} is missing",
                )
            )
    known = set(kind.headers)
    for header in present:
        if header and header not in known:
            problems.append(
                Problem(
                    "unknown-column",
                    file,
                    1,
                    header,
                    f"未知列“{header}”；可用的列：{'、'.join(kind.headers)}",
                    f"unknown column {header!r}; known columns: {', '.join(kind.headers)}",
                )
            )
    return problems


_EMPTY = {"amount": ZERO, "quantity": None, "date": None}


def _parse_cell(column: Column, text: str) -> tuple[Any, tuple[str, str] | None]:
    """Parse one cell; return (value, None) or (None, (message_zh, message_en))."""
    if not text.strip():
        if column.required:
            return None, (f"“{column.header}”不能为空", f"{column.header!r} must not be empty")
        return _EMPTY.get(column.kind, ""), None
    if column.kind == "text":
        return text.strip(), None
    text = text.strip()
    if column.kind == "amount":
        try:
            return parse_amount(text), None
        except AmountError as error:
            return None, (error.message_zh, error.message_en)
    shown = excerpt(text)  # for messages: a cell may hold a whole swallowed file
    if column.kind == "quantity":
        if not _QUANTITY_RE.match(text) or len(text.replace(".", "").lstrip("0")) > 15:
            return None, (
                f"应为数量（非负数，最多15位有效数字），实际为“{shown}”",
                f"expected a quantity (at most 15 significant digits), got {shown!r}",
            )
        return Decimal(text), None
    if column.kind == "code":
        if not _CODE_RE.match(text):
            return None, (
                f"应为编码（字母和数字），实际为“{shown}”",
                f"expected a code (letters and digits), got {shown!r}",
            )
        return text, None
    if column.kind == "choice":
        if text not in column.choices:
            return None, (
                f"应为 {' / '.join(column.choices)} 之一，实际为“{shown}”",
                f"expected one of {', '.join(column.choices)}, got {shown!r}",
            )
        return text, None
    if column.kind == "date":
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, (
                f"应为日期（YYYY-MM-DD），实际为“{shown}”",
                f"expected a date YYYY-MM-DD, got {shown!r}",
            )
    return text, None


def parse_rows(
    kind: RecordKind, file: str, rows: Sequence[RawRow], headers: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], list[Problem], list[Notice]]:
    """Parse cells of every row; a row with any problem yields no record (it is reported).

    ``headers`` (in file order) name each problem's cell (H5). An amount written in 万元 is
    converted exactly and said in a notice. Parsing goes column by column and each distinct
    text is parsed once (codes, sources and kinds repeat on every line).
    """
    positions = {h.strip(): i for i, h in enumerate(headers)}
    row_ok = [True] * len(rows)
    columns: list[list[Any]] = []
    problems: list[Problem] = []
    notices: list[Notice] = []
    for column in kind.columns:
        header = column.header
        at = positions.get(header)
        texts = [""] * len(rows) if at is None else [raw.cells[at] for raw in rows]
        outcomes = {text: _parse_cell(column, text) for text in set(texts)}
        if any(error for _, error in outcomes.values()):
            position = positions.get(header, -1)
            for index, text in enumerate(texts):
                error = outcomes[text][1]
                if error:
                    row_ok[index] = False
                    number = rows[index].number
                    cell = cell_name(number, position) if position >= 0 else ""
                    problems.append(Problem("bad-value", file, number, header, *error, cell=cell))
        values = [outcomes[text][0] for text in texts]
        if column.kind == "amount":
            values = _amounts_in_yuan(file, column, positions, rows, texts, values, notices)
        columns.append(values)
    attrs = ["_row", *(c.attr for c in kind.columns)]
    numbers = [raw.number for raw in rows]
    parsed = [
        dict(zip(attrs, values, strict=True))
        for ok, values in zip(row_ok, zip(numbers, *columns, strict=True), strict=True)
        if ok
    ]
    order = {c.header: i for i, c in enumerate(kind.columns)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, 0)))
    return parsed, problems, notices


_NOTICE_LIMIT = 20  # conversion notices listed per file; the rest are counted


def _amounts_in_yuan(
    file: str,
    column: Column,
    positions: Mapping[str, int],
    rows: Sequence[RawRow],
    texts: list[str],
    values: list[Any],
    notices: list[Notice],
) -> list[Any]:
    """Amounts as Decimal 元; each one written in 万元 (or 亿元) is said in a notice."""
    converted = [
        i
        for i, v in enumerate(values)
        if isinstance(v, ParsedAmount) and v.written_unit is not MoneyUnit.YUAN
    ]
    position = positions.get(column.header, -1)
    for index in converted[:_NOTICE_LIMIT]:
        number, yuan = rows[index].number, values[index].yuan
        shown = excerpt(texts[index].strip())
        notices.append(
            Notice(
                file,
                f"“{shown}”已按 {yuan:,.2f} 元读入（精确换算）",
                f"{shown!r} was read as {yuan:,.2f} 元 (converted exactly)",
                number,
                column.header,
                cell_name(number, position) if position >= 0 else "",
            )
        )
    if len(converted) > _NOTICE_LIMIT:
        more = len(converted) - _NOTICE_LIMIT
        notices.append(
            Notice(
                file,
                f"另有 {more} 个金额同样由万元（或亿元）换算为元",
                f"{more} more amounts were converted the same way from 万元 (or 亿元) to 元",
            )
        )
    return [v.yuan if isinstance(v, ParsedAmount) else v for v in values]


def _funds(values: Mapping[str, Any], prefix: str) -> Funds:
    return Funds(
        values[f"{prefix}_total"],
        values[f"{prefix}_central"],
        values[f"{prefix}_provincial"],
        values[f"{prefix}_city"],
        values[f"{prefix}_county"],
        values[f"{prefix}_self_raised"],
    )


_EXPENSE_KINDS = {k.value: k for k in ExpenseKind}
_BASIC_CATEGORIES = {c.value: c for c in BasicCategory}


def build_line(v: Mapping[str, Any], origin: Origin) -> BudgetLine:
    return BudgetLine(
        unit_code=v["unit_code"],
        function_code=v["function_code"],
        economic_code=v["economic_code"],
        source=v["source"],
        kind=_EXPENSE_KINDS[v["kind"]],
        amount=v["amount"],
        category=_BASIC_CATEGORIES[v["category"]] if v["category"] else None,
        project=v["project"],
        note=v["note"],
        origin=origin,
    )


def build_project(v: Mapping[str, Any], origin: Origin) -> Project:
    return Project(
        name=v["name"],
        department=v["department"],
        department_code=v["department_code"],
        implementing_unit=v["implementing_unit"],
        attribute=v["attribute"],
        period=v["period"],
        period_funds=_funds(v, "period"),
        year_funds=_funds(v, "year"),
        overview=v["overview"],
        basis=v["basis"],
        necessity=v["necessity"],
        measures=v["measures"],
        plan=v["plan"],
        period_goal=v["period_goal"],
        year_goal=v["year_goal"],
        person_in_charge=v["person_in_charge"],
        handler=v["handler"],
        phone=v["phone"],
        filled_on=v["filled_on"],
        note=v["note"],
        code=v["code"],
        origin=origin,
    )


def build_indicator(v: Mapping[str, Any], origin: Origin) -> Indicator:
    return Indicator(
        project=v["project"],
        period=v["period"],
        level1=v["level1"],
        level2=v["level2"],
        name=v["name"],
        operator=v["operator"],
        value=v["value"],
        unit=v["unit"],
        note=v["note"],
        origin=origin,
    )


def build_procurement(v: Mapping[str, Any], origin: Origin) -> ProcurementItem:
    return ProcurementItem(
        unit_code=v["unit_code"],
        kind=ExpenseKind(v["kind"]),
        project=v["project"],
        economic_code=v["economic_code"],
        economic_name=v["economic_name"],
        item_code=v["item_code"],
        item_name=v["item_name"],
        quantity=v["quantity"],
        quantity_unit=v["quantity_unit"],
        source=v["source"],
        amount=v["amount"],
        note=v["note"],
        origin=origin,
    )


def build_revenue(v: Mapping[str, Any], origin: Origin) -> RevenueItem:
    return RevenueItem(v["source"], v["category"], v["amount"], v["note"], origin)


def build_prior_year(v: Mapping[str, Any], origin: Origin) -> PriorYearFigure:
    return PriorYearFigure(v["category"], v["key"], v["amount"], v["note"], origin)


BUILDERS: dict[str, Callable[[Mapping[str, Any], Origin], Any]] = {
    LINES.key: build_line,
    PROJECTS.key: build_project,
    INDICATORS.key: build_indicator,
    PROCUREMENT.key: build_procurement,
    REVENUE.key: build_revenue,
    PRIOR_YEAR.key: build_prior_year,
}


# --- records back to cells -------------------------------------------------------------------


def _amount_text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _cell_text(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind == "amount":
        return _amount_text(value)
    if column.kind == "quantity":
        return format(value, "f")
    if column.kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if isinstance(value, ExpenseKind | BasicCategory):
        return str(value.value)
    return str(value)


def record_values(kind: RecordKind, record: Any) -> dict[str, Any]:
    """The attribute values of a record, flattened as the columns describe them."""
    if kind is PROJECTS:
        flat: dict[str, Any] = {}
        for prefix, funds in (("period", record.period_funds), ("year", record.year_funds)):
            flat[f"{prefix}_total"] = funds.total
            flat[f"{prefix}_central"] = funds.central
            flat[f"{prefix}_provincial"] = funds.provincial
            flat[f"{prefix}_city"] = funds.city
            flat[f"{prefix}_county"] = funds.county
            flat[f"{prefix}_self_raised"] = funds.self_raised
        return {c.attr: flat.get(c.attr, getattr(record, c.attr, None)) for c in kind.columns}
    return {c.attr: getattr(record, c.attr) for c in kind.columns}


def written_columns(
    kind: RecordKind, records: Sequence[Any], *, every_column: bool = False
) -> tuple[Column, ...]:
    """The columns a writer writes for ``records``: all of them, except a column marked
    ``omit_when_blank`` that no record fills (unless ``every_column``, as for the template)."""
    if every_column:
        return kind.columns
    return tuple(
        c
        for c in kind.columns
        if not c.omit_when_blank or any(getattr(r, c.attr, None) for r in records)
    )


def record_cells(
    kind: RecordKind, record: Any, columns: Sequence[Column] | None = None
) -> list[str]:
    """A record as the text cells of its CSV row, in column order (of ``columns``, by default
    every column of ``kind``)."""
    values = record_values(kind, record)
    return [_cell_text(c, values[c.attr]) for c in (kind.columns if columns is None else columns)]
