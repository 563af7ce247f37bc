"""Turn raw rows (header -> text) into records and back, collecting every problem.

Shared by the folder (CSV) and workbook (XLSX) readers, so both report the same problems in the
same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from yusuan.dataset.problems import Problem
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
from yusuan.money import ZERO, parse_yuan

_CODE_RE = re.compile(r"^[0-9A-Za-z]+$")
_QUANTITY_RE = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class RawRow:
    """A row as read: its 1-based row number and its cells by header."""

    number: int
    cells: Mapping[str, str]


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


def _parse_cell(column: Column, text: str) -> tuple[Any, tuple[str, str] | None]:
    """Parse one cell; return (value, None) or (None, (message_zh, message_en))."""
    text = text.strip() if column.kind != "text" else text
    if not text.strip():
        if column.required:
            return None, (f"“{column.header}”不能为空", f"{column.header!r} must not be empty")
        return {"amount": ZERO, "quantity": None, "date": None}.get(column.kind, ""), None
    if column.kind == "amount":
        try:
            return parse_yuan(text), None
        except ValueError:
            return None, (
                f"应为金额（元，最多两位小数，不带千分位），实际为“{text}”",
                f"expected an amount in 元 (at most two decimals, no separators), got {text!r}",
            )
    if column.kind == "quantity":
        if not _QUANTITY_RE.match(text):
            return None, (
                f"应为数量（非负数），实际为“{text}”",
                f"expected a quantity, got {text!r}",
            )
        return Decimal(text), None
    if column.kind == "code":
        if not _CODE_RE.match(text):
            return None, (
                f"应为编码（字母和数字），实际为“{text}”",
                f"expected a code (letters and digits), got {text!r}",
            )
        return text, None
    if column.kind == "choice":
        if text not in column.choices:
            return None, (
                f"应为 {' / '.join(column.choices)} 之一，实际为“{text}”",
                f"expected one of {', '.join(column.choices)}, got {text!r}",
            )
        return text, None
    if column.kind == "date":
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, (
                f"应为日期（YYYY-MM-DD），实际为“{text}”",
                f"expected a date YYYY-MM-DD, got {text!r}",
            )
    return text.strip(), None


def parse_rows(
    kind: RecordKind, file: str, rows: Sequence[RawRow]
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Parse cells of every row; a row with any problem yields no record (it is reported)."""
    parsed: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for raw in rows:
        values: dict[str, Any] = {"_row": raw.number}
        row_ok = True
        for column in kind.columns:
            value, error = _parse_cell(column, raw.cells.get(column.header, ""))
            if error:
                row_ok = False
                problems.append(Problem("bad-value", file, raw.number, column.header, *error))
            values[column.attr] = value
        if row_ok:
            parsed.append(values)
    return parsed, problems


def _funds(values: Mapping[str, Any], prefix: str) -> Funds:
    return Funds(
        values[f"{prefix}_total"],
        values[f"{prefix}_central"],
        values[f"{prefix}_provincial"],
        values[f"{prefix}_city"],
        values[f"{prefix}_county"],
        values[f"{prefix}_self_raised"],
    )


def build_line(v: Mapping[str, Any], origin: Origin) -> BudgetLine:
    return BudgetLine(
        unit_code=v["unit_code"],
        function_code=v["function_code"],
        economic_code=v["economic_code"],
        source=v["source"],
        kind=ExpenseKind(v["kind"]),
        amount=v["amount"],
        category=BasicCategory(v["category"]) if v["category"] else None,
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


def record_cells(kind: RecordKind, record: Any) -> list[str]:
    """A record as the text cells of its CSV row, in column order."""
    values = record_values(kind, record)
    return [_cell_text(c, values[c.attr]) for c in kind.columns]


def amount_or_text(value: Any) -> str:
    """Normalise a spreadsheet cell value (number, date, text) to the text the parser reads."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # repr gives the shortest text that round-trips; exact for amounts typed with 2 decimals
        try:
            return format(Decimal(repr(value)), "f")
        except InvalidOperation:  # pragma: no cover - inf / nan
            return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
