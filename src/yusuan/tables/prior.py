"""上年预算数 / 增减额 / 增减%: the comparison with last year, added to a built table.

A dataset chooses the columns (``Manifest.prior_columns``, from ``prior_columns`` under
``[budget]``); ``tables/data/prior_columns.toml`` says which table compares which column and
which prior-year record (``Dataset.prior_year``) each row reads. The columns become part of the
``Table`` itself (columns, header grid, values, notes), so every renderer shows them without
knowing about them.

增减额 is this year's figure minus last year's; 增减% is 增减额 / 上年 × 100, kept exact (a
``Decimal`` division) until a renderer shows it with two decimals 四舍五入. A row without a prior
figure gets empty cells and the table says so in a note; a rate on a base of 0 (or less) is
left empty, not infinite, and noted too.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib import resources
from typing import Any

from yusuan.catalog.loader import funding_source
from yusuan.model.records import Dataset, PriorYearFigure
from yusuan.money import ZERO, format_amount, to_unit
from yusuan.tables.base import (
    AMOUNT,
    PERCENT,
    TOTAL,
    Column,
    HeaderCell,
    Row,
    Table,
    Value,
    check_header,
)
from yusuan.tables.facts import source_column

PRIOR, CHANGE, CHANGE_PCT = "prior", "change", "change_pct"
PARTS = (PRIOR, CHANGE, CHANGE_PCT)
HUNDRED = Decimal(100)
# how many row names a note lists before "等N行"
NOTE_NAMES = 5


@dataclass(frozen=True, slots=True)
class TotalSource:
    """What a 合计 row reads: the first of ``keys`` in ``category``, or (``from_rows``) the sum of
    the body rows' figures."""

    category: str = ""
    keys: tuple[str, ...] = ()
    from_rows: bool = False


@dataclass(frozen=True, slots=True)
class Compare:
    """One compared column of one table (a ``[[compare]]`` of the data file)."""

    table: str
    column: str
    after: str
    depth: int
    rows: str
    category: str
    total: TotalSource
    single_row_total: bool = False


@dataclass(frozen=True, slots=True)
class PriorSum:
    """A prior-year total record and the records it adds up (a ``[[sum]]`` of the data file)."""

    total_category: str
    total_keys: tuple[str, ...]  # the first of them found is the total
    parts_category: str
    code_length: int = 0  # only 编码 of this length (3: the 类), 0: every 编码

    def is_part(self, record: PriorYearFigure) -> bool:
        return record.category == self.parts_category and (
            not self.code_length or len(record.key.strip()) == self.code_length
        )


@dataclass(frozen=True, slots=True)
class Layout:
    """The data file: the choosable columns (key -> label), the heading, the comparisons."""

    labels: Mapping[str, str]
    change_heading: str
    compares: tuple[Compare, ...]
    sums: tuple[PriorSum, ...] = ()

    def for_table(self, table_id: str) -> tuple[Compare, ...]:
        return tuple(c for c in self.compares if c.table == table_id)


ROW_MODES = ("code", "source", "none")


def _total(raw: object) -> TotalSource:
    if raw == "rows":
        return TotalSource(from_rows=True)
    if isinstance(raw, dict):
        return TotalSource(str(raw["category"]), tuple(str(k) for k in raw.get("keys", [])))
    return TotalSource()


@functools.cache
def layout() -> Layout:
    """``tables/data/prior_columns.toml``, loaded once."""
    text = (
        resources.files("yusuan.tables").joinpath("data", "prior_columns.toml").read_text("utf-8")
    )
    data: dict[str, Any] = tomllib.loads(text)
    labels = {str(k): str(v) for k, v in data["columns"].items()}
    if tuple(labels) != PARTS:
        raise ValueError(f"prior_columns.toml: [columns] must be {PARTS}, got {tuple(labels)}")
    compares = []
    for raw in data.get("compare", []):
        mode = str(raw["rows"])
        if mode not in ROW_MODES:
            raise ValueError(f"prior_columns.toml: rows must be one of {ROW_MODES}, got {mode!r}")
        compares.append(
            Compare(
                str(raw["table"]),
                str(raw["column"]),
                str(raw["after"]),
                int(raw.get("depth", 0)),
                mode,
                str(raw.get("category", "")),
                _total(raw.get("total")),
                bool(raw.get("single_row_total", False)),
            )
        )
    sums = tuple(
        PriorSum(
            str(raw["total"]["category"]),
            tuple(str(k) for k in raw["total"]["keys"]),
            str(raw["parts"]["category"]),
            int(raw["parts"].get("code_length", 0)),
        )
        for raw in data.get("sum", [])
    )
    return Layout(labels, str(data["header"]["change_heading"]), tuple(compares), sums)


# --- the dataset's choice -------------------------------------------------------------------

_SEPARATORS = re.compile(r"[、，,;；\s]+")


def parse_choice(text: str) -> tuple[tuple[str, ...], list[str]]:
    """The columns a manifest value names ("上年预算数、增减额、增减%"), as keys in printing
    order, and the words that name none. Blank: no columns."""
    by_label = {unicodedata.normalize("NFKC", label): key for key, label in layout().labels.items()}
    words = [w for w in _SEPARATORS.split(unicodedata.normalize("NFKC", text).strip()) if w]
    unknown = [w for w in words if w not in by_label and w not in PARTS]
    chosen = {by_label.get(w, w) for w in words}
    return tuple(k for k in PARTS if k in chosen), unknown


def choice_text(keys: Sequence[str]) -> str:
    """The manifest value for a choice (the labels joined by 、)."""
    return "、".join(layout().labels[k] for k in keys)


# --- prior figures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PriorFigures:
    """The dataset's prior-year records, indexed: (category, 编码) -> amount (the first record of
    a key; a repeated key is a rule's finding, PY-003)."""

    by_key: Mapping[tuple[str, str], Decimal]
    by_source: Mapping[str, Mapping[str, Decimal]]  # category -> template column -> sum
    # categories read off last year's own tables (tables/prior_figures.py): complete, so a code
    # they do not list was 0 last year (a new 项), not a figure nobody gave
    complete: frozenset[str] = frozenset()

    @classmethod
    def of(cls, records: Sequence[PriorYearFigure]) -> PriorFigures:
        from yusuan.tables.prior_figures import DERIVED_NOTE  # it builds tables: import late

        complete = frozenset(r.category for r in records if r.note == DERIVED_NOTE)
        by_key: dict[tuple[str, str], Decimal] = {}
        by_source: dict[str, dict[str, Decimal]] = {}
        for record in records:
            key = (record.category, record.key.strip())
            if key in by_key:
                continue
            by_key[key] = record.amount
            source = funding_source(record.key)
            if source is not None:
                column = source_column(source)
                sums = by_source.setdefault(record.category, {})
                sums[column] = sums.get(column, ZERO) + record.amount
        return cls(by_key, by_source, complete)

    def first(self, category: str, keys: Sequence[str]) -> Decimal | None:
        return next(
            (self.by_key[(category, k)] for k in keys if (category, k) in self.by_key), None
        )


_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[.．、])\s*")


def income_source_column(label: str) -> str | None:
    """The template column an income line names ("二、纳入预算管理的政府性基金" -> fund)."""
    source = funding_source(_NUMBERING.sub("", label))
    return source_column(source) if source is not None else None


def _row_prior(compare: Compare, row: Row, figures: PriorFigures) -> Decimal | None:
    missing = ZERO if compare.category in figures.complete else None
    if compare.rows == "code" and row.code:
        return figures.by_key.get((compare.category, row.code), missing)
    if compare.rows == "source":
        item = row.values.get("income_item")
        column = income_source_column(item) if isinstance(item, str) else None
        if column is None:
            return None
        return figures.by_source.get(compare.category, {}).get(column, missing)
    return None


# --- the table ----------------------------------------------------------------------------------


def _insert_header(
    header: Sequence[HeaderCell],
    at: int,
    depth: int,
    labels: Sequence[tuple[str, str]],
    heading: str,
) -> tuple[HeaderCell, ...]:
    """The header with the new leaf columns inserted at leaf index ``at``: cells right of it
    move, the cells above ``depth`` over the column before it widen over the new ones, and the
    new ones fill the rows from ``depth`` down (增减额 and 增减% under one heading when there is
    a row for it)."""
    n = len(labels)
    height = max((c.row + c.rowspan for c in header), default=1)
    # a heading that spans across the insertion point stands over the new columns too
    across = [c.row + c.rowspan for c in header if c.col < at < c.col + c.colspan]
    depth = max([depth, *across])
    cells: list[HeaderCell] = []
    for cell in header:
        end = cell.col + cell.colspan
        if cell.col >= at:
            cells.append(replace(cell, col=cell.col + n))
        elif end > at or (cell.row < depth and end == at):  # a heading over the new columns
            cells.append(replace(cell, colspan=cell.colspan + n))
        else:
            cells.append(cell)
    rows = height - depth
    changes = [(i, text) for i, (key, text) in enumerate(labels) if key != PRIOR]
    for i, (key, text) in enumerate(labels):
        if key == PRIOR or rows < 2:
            cells.append(HeaderCell(text, depth, at + i, rows, 1))
    if changes and rows >= 2:
        first = changes[0][0]
        cells.append(HeaderCell(heading, depth, at + first, 1, len(changes)))
        cells.extend(HeaderCell(text, depth + 1, at + i, rows - 1, 1) for i, text in changes)
    return tuple(cells)


def _names(rows: Sequence[str]) -> str:
    shown = "、".join(rows[:NOTE_NAMES])
    return shown + (f"等{len(rows)}行" if len(rows) > NOTE_NAMES else "")


def _row_label(row: Row, compare: Compare) -> str:
    if compare.rows == "source":
        item = row.values.get("income_item")
        if isinstance(item, str) and item:
            return _NUMBERING.sub("", item)
    if row.kind == TOTAL:
        return (
            row.name if compare.rows != "source" else str(row.values.get("income_item") or "合计")
        )
    if compare.rows == "code" and row.code:
        return f"{row.code} {row.name}"
    return row.name or row.code


def compare_table(
    table: Table, compare: Compare, chosen: Sequence[str], figures: PriorFigures
) -> Table:
    """The table with ``chosen`` comparison columns for one compared column."""
    keys = [c.key for c in table.columns]
    if compare.column not in keys or compare.after not in keys:
        return table
    labels = [(part, layout().labels[part]) for part in chosen]
    new_columns = tuple(
        Column(
            f"{part}_{compare.column}",
            text,
            PERCENT if part == CHANGE_PCT else AMOUNT,
            8 if part == CHANGE_PCT else 12,
        )
        for part, text in labels
    )
    at = keys.index(compare.after) + 1
    header = _insert_header(table.header, at, compare.depth, labels, layout().change_heading)
    columns = (*table.columns[:at], *new_columns, *table.columns[at:])
    check_header(header, len(columns))
    priors: list[Decimal | None] = []
    compared: list[Row] = []
    for row in table.rows:
        if not isinstance(row.values.get(compare.column), Decimal) or row.kind == TOTAL:
            priors.append(None)
            continue
        priors.append(_row_prior(compare, row, figures))
        compared.append(row)
    lone = compare.single_row_total and not any(r.kind == TOTAL for r in table.rows)
    lone = lone and len(compared) == 1
    for index, row in enumerate(table.rows):
        if row.kind == TOTAL or (lone and row is compared[0]):
            priors[index] = _total_prior(compare, table, priors, figures)
    rows, missing, no_base = [], [], []
    for row, prior in zip(table.rows, priors, strict=True):
        current = row.values.get(compare.column)
        if not isinstance(current, Decimal):
            rows.append(row)
            continue
        values: dict[str, Value] = dict(row.values)
        if prior is None:
            if current:  # a row printed blank (0) this year has nothing to compare
                missing.append(_row_label(row, compare))
        else:
            change = current - prior
            values[f"{PRIOR}_{compare.column}"] = prior
            values[f"{CHANGE}_{compare.column}"] = change
            if prior > 0:
                values[f"{CHANGE_PCT}_{compare.column}"] = change * HUNDRED / prior
            elif CHANGE_PCT in chosen:
                no_base.append(_row_label(row, compare))
        rows.append(replace(row, values=values))
    notes = list(table.notes)
    side = f"（{table.column_path(keys.index(compare.column))[0]}）" if compare.depth else ""
    if missing:
        notes.append(
            f"本部门未提供上年预算数的行{side}：{_names(missing)}，其上年预算数及增减留空。"
        )
    if no_base:
        notes.append(f"上年预算数为0的行{side}：{_names(no_base)}，不计算增减%。")
    unlisted = _unlisted(table, compare, figures)
    if unlisted:
        notes.append(f"上年预算数中另有本表未列的行{side}：{_names(unlisted)}。")
    return replace(table, header=header, columns=columns, rows=tuple(rows), notes=tuple(notes))


def _unlisted(table: Table, compare: Compare, figures: PriorFigures) -> list[str]:
    """The prior figures of codes like the table's rows (the same length: 类, 款, 项, units) that
    no row has (spending last year, none this year): named in a note, never dropped silently."""
    if compare.rows != "code":
        return []
    codes = {r.code for r in table.rows if r.code}
    lengths = {len(c) for c in codes}
    return [
        f"{key}（{format_amount(to_unit(amount, table.unit))}）"
        for (category, key), amount in sorted(figures.by_key.items())
        if category == compare.category and len(key) in lengths and key not in codes
    ]


def _total_prior(
    compare: Compare, table: Table, priors: Sequence[Decimal | None], figures: PriorFigures
) -> Decimal | None:
    if compare.total.from_rows:
        body = [
            p
            for row, p in zip(table.rows, priors, strict=True)
            if row.kind != TOTAL and isinstance(row.values.get(compare.column), Decimal)
        ]
        if not body or any(p is None for p in body):
            return None
        return sum((p for p in body if p is not None), ZERO)
    return figures.first(compare.total.category, compare.total.keys)


def with_prior_columns(table: Table, dataset: Dataset) -> Table:
    """The table with the dataset's chosen comparison columns (itself when none are chosen or
    the table compares nothing)."""
    chosen = dataset.manifest.prior_columns
    compares = layout().for_table(table.id)
    if not chosen or not compares:
        return table
    figures = PriorFigures.of(dataset.prior_year)
    for compare in compares:
        if figures.by_key and not _covers(figures, compare):
            continue  # the figures given are of other tables' scope: no column of blanks here
        table = compare_table(table, compare, chosen, figures)
    return table


def _covers(figures: PriorFigures, compare: Compare) -> bool:
    """Whether any prior-year record is of the comparison's category or is its total."""
    total = compare.total
    return any(category == compare.category for category, _ in figures.by_key) or any(
        (total.category, key) in figures.by_key for key in total.keys
    )


def comparison_base(key: str) -> tuple[str, str] | None:
    """(part, compared column) of a comparison column's key ("change_pct_total" ->
    ("change_pct", "total")), None for any other key."""
    for part in (CHANGE_PCT, CHANGE, PRIOR):  # the longest prefix first
        if key.startswith(part + "_"):
            return part, key[len(part) + 1 :]
    return None
