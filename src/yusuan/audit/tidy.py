"""Every figure of every audited document as one long table, for researchers (``--tidy``).

One record per printed amount: which document (file, body, year, 预算/决算, 部门/单位), which
table (yusuan's id and the title as printed), which row (code, name, level, position), which
column (key and label as printed), the value in 元 as an exact decimal string, the unit the
table printed it in, and where it is (page, line). Documents stack: the same columns for all,
so many departments and years make one table.

A cell printed blank is not a record (blank is not 0: a printed 0.00 is a record with value
``0.00``). In a two-sided summary (收支总表, 财政拨款收支总表) an amount belongs to the label on
its own side: the income item (``一、一般公共预算``) for the income column, the expenditure
row for the others.

CSV is UTF-8 with a BOM (Excel opens it directly), or ``.parquet`` (pyarrow).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from decimal import Decimal
from pathlib import Path

from yusuan.audit.document import RecognisedDocument
from yusuan.fsutil import atomic_write_bytes
from yusuan.render.spreadsheet_safe import csv_writer
from yusuan.tables.base import AMOUNT, NAME, TEXT, TOTAL, Column, Row, Table

TOTAL_LEVEL = "total"
LEVELS = {1: "类", 2: "款", 3: "项"}


@dataclass(frozen=True, slots=True)
class TidyRecord:
    """One printed amount. Field order is the column order of the file."""

    document: str
    department: str
    year: int
    kind: str
    level: str
    table: str
    table_title: str
    row_index: int
    row_code: str
    row_name: str
    row_level: str
    column: str
    column_label: str
    value_yuan: str
    unit: str
    page: int
    line: int


FIELDS = tuple(f.name for f in fields(TidyRecord))


CENT = Decimal("0.01")


def exact_yuan(value: Decimal) -> str:
    """An amount in 元 as an exact decimal string: two decimals, more only where the printed
    figure has them (a 万元 figure with five decimals); never rounded."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        return str(value.quantize(CENT))
    return format(value.normalize(), "f")


def row_level(row: Row) -> str:
    """类/款/项 for a classified row, ``total`` for a 合计 row, else ""."""
    if row.kind == TOTAL:
        return TOTAL_LEVEL
    return LEVELS.get(row.level, "") if row.code else ""


def labelling_column(table: Table, column: Column) -> Column | None:
    """The column that names the rows of an amount column: the nearest name or text column to
    its left (a two-sided summary prints its income items left of the income amounts). Only a
    table with a side of named rows has other sides; elsewhere the rows name themselves."""
    if not any(c.kind == NAME for c in table.columns):
        return None
    labels = None
    for candidate in table.columns:
        if candidate is column:
            return labels
        if candidate.kind in (NAME, TEXT):
            labels = candidate
    return labels


def table_records(doc: RecognisedDocument, document: str, table: Table) -> Iterator[TidyRecord]:
    """The records of one table, row by row, column by column."""
    first_page = doc.pages.get(table.id, 0)
    for index, row in enumerate(table.rows):
        line = doc.row_line(table.id, index)
        page = doc.page_of(line) or first_page
        for column in table.columns:
            value = row.values.get(column.key) if column.kind == AMOUNT else None
            if not isinstance(value, Decimal):
                continue  # a blank cell, or not an amount
            labels = labelling_column(table, column)
            side = (
                row.values.get(labels.key) if labels is not None and labels.kind == TEXT else None
            )
            code, name, level = row.code, row.name, row_level(row)
            if labels is not None and labels.kind == TEXT:
                # the side's own label; a 合计 row with none there is the row's total
                name = side if isinstance(side, str) and side else ""
                if row.kind == TOTAL:
                    name = name or row.name
                code, level = "", TOTAL_LEVEL if row.kind == TOTAL else ""
            yield TidyRecord(
                document=document,
                department=doc.department,
                year=doc.year,
                kind=doc.kind,
                level=doc.level,
                table=table.id,
                table_title=table.title,
                row_index=index + 1,
                row_code=code,
                row_name=name,
                row_level=level,
                column=column.key,
                column_label=column.label,
                value_yuan=exact_yuan(value),
                unit=table.unit.value,
                page=page,
                line=line,
            )


def tidy_records(documents: Sequence[tuple[str, RecognisedDocument]]) -> Iterator[TidyRecord]:
    """Every printed amount of the documents, ``(name, document)`` in the order given."""
    for name, doc in documents:
        for table in doc.tables.values():
            yield from table_records(doc, name, table)


def tidy_csv(records: Sequence[TidyRecord]) -> str:
    out = io.StringIO(newline="")
    writer = csv_writer(out)
    writer.writerow(FIELDS)
    for record in records:
        writer.writerow(_csv_cells(record))
    return "\ufeff" + out.getvalue()


def _csv_cells(record: TidyRecord) -> list[object]:
    """The record's cells; page and line left blank where the reader knows none (0)."""
    cells: list[object] = list(astuple(record))
    for name in ("page", "line"):
        index = FIELDS.index(name)
        cells[index] = cells[index] or ""
    return cells


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"


def tidy_parquet(records: Sequence[TidyRecord]) -> bytes:
    """The records as Parquet; values stay exact decimal strings."""
    import pyarrow as pa  # imported when used: the CSV needs none of it
    import pyarrow.parquet as pq

    columns = {name: [getattr(r, name) for r in records] for name in FIELDS}
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink)
    return bytes(sink.getvalue().to_pybytes())


def write_tidy(documents: Sequence[tuple[str, RecognisedDocument]], path: Path) -> int:
    """Write the long table to ``path`` (``.parquet`` or CSV), atomically; the record count."""
    records = list(tidy_records(documents))
    if is_parquet(path):
        atomic_write_bytes(path, tidy_parquet(records))
    else:
        atomic_write_bytes(path, tidy_csv(records).encode("utf-8"))
    return len(records)
