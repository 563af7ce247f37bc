"""Reader for workbooks (.xlsx): yusuan's own output and workbooks laid out like the templates.

Every sheet becomes grid rows, cell by cell and column by column as the sheet has them, so the
shared recognition layer sees the same columns a person sees:

- a cell's value becomes text exactly: a number through ``repr`` to ``Decimal`` (the shortest
  text that round-trips, so an amount typed or written with two decimals comes back with them
  and nothing else), an integer as written, a date as ``YYYY-MM-DD``, text as it is (line
  breaks included). A whole number shown zero-padded (number format ``00``: a 款 code ``01``
  stored as the number 1) keeps its printed digits;
- a merged range holds its text in the top-left cell; the cells it covers are empty, whatever
  stale values the file keeps in them;
- a formula gives its cached value (the workbook as last calculated); a formula never
  calculated gives an empty cell.

Sheets are kept apart: each sheet is split into blocks at its own titles (its title row, as
``assemble.title_of`` tells), so rows of one sheet never run into the table of the sheet before
it. Rows of a sheet before its first title (a contents sheet, a cover, ``公开01表`` above a
title) are text outside the tables. Line numbers run on across sheets in workbook order, as
if the sheets were printed one after another; each table's ``page`` is the number of its sheet
(1-based, in workbook order).

openpyxl reads the cells (read-only mode: rows are streamed, never the whole sheet at once);
merged ranges, which read-only mode does not give, are read from the sheet's own XML.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import IO, Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.cell import range_boundaries

from yusuan.audit.assemble import recognise_blocks, split_blocks
from yusuan.audit.document import RecognisedDocument
from yusuan.audit.grid import Block, GridRow

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)\"")
_ZERO_PADDED = re.compile(r"^0+$")


# --- cell values -----------------------------------------------------------------------------


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell's value as the text the recognition layer reads (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        if _ZERO_PADDED.match(number_format) and value >= 0:
            return str(value).zfill(len(number_format))
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and _ZERO_PADDED.match(number_format) and value >= 0:
            return str(int(value)).zfill(len(number_format))
        try:
            return format(Decimal(repr(value)), "f")
        except InvalidOperation:  # inf, nan
            return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- merged ranges -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged range, 1-based inclusive bounds."""

    min_col: int
    min_row: int
    max_col: int
    max_row: int


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> the path of its XML part inside the package."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        r.get("Id", ""): r.get("Target", "") for r in rels.iter(f"{_PACKAGE_REL}Relationship")
    }
    paths = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id", ""), "")
        if not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        paths[sheet.get("name", "")] = path
    return paths


def merged_ranges(xml: bytes) -> list[Merged]:
    """The merged ranges a sheet's XML declares (``<mergeCell ref="A1:H1"/>``)."""
    start = xml.rfind(b"mergeCells")
    if start < 0:
        return []
    found = []
    for ref in _MERGE.findall(xml, max(xml.rfind(b"<", 0, start), 0)):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        if min_col and min_row and max_col and max_row:  # a whole row or column has no bound
            found.append(Merged(min_col, min_row, max_col, max_row))
    return found


def covered_cells(ranges: Iterable[Merged]) -> set[tuple[int, int]]:
    """(row, column) of every cell a merged range covers, its top-left cell excepted."""
    covered: set[tuple[int, int]] = set()
    for m in ranges:
        for row in range(m.min_row, m.max_row + 1):
            for col in range(m.min_col, m.max_col + 1):
                if (row, col) != (m.min_row, m.min_col):
                    covered.add((row, col))
    return covered


# --- sheets --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet as grid rows: its name, its number in the workbook (1-based), its rows."""

    name: str
    number: int
    rows: tuple[GridRow, ...]


def _sheet_rows(sheet: Any, covered: set[tuple[int, int]], first_line: int) -> list[GridRow]:
    """The sheet's rows from its first row to its last non-blank one, one grid row each."""
    rows: list[GridRow] = []
    blank_since = 0
    for row in sheet.iter_rows():
        cells: list[str] = []
        number = 0
        for cell in row:
            if getattr(cell, "row", None) is None:  # EmptyCell padding of read-only rows
                cells.append("")
                continue
            number = cell.row
            if (cell.row, cell.column) in covered:
                cells.append("")
            else:
                cells.append(cell_text(cell.value, cell.number_format or "General"))
        if not number:
            continue
        while cells and not cells[-1].strip():
            cells.pop()
        while len(rows) < number - 1:  # rows the file leaves out are blank rows
            rows.append(GridRow(first_line + len(rows), ()))
        rows.append(GridRow(first_line + number - 1, tuple(cells)))
        blank_since = len(rows) if cells else blank_since
    return rows[:blank_since]


def read_sheets(source: str | Path | IO[bytes]) -> list[Sheet]:
    """Every worksheet of a workbook as grid rows (line numbers running on across sheets)."""
    with zipfile.ZipFile(source) as archive:
        paths = sheet_paths(archive)
        merges = {name: merged_ranges(archive.read(path)) for name, path in paths.items()}
    if not isinstance(source, (str, Path)):
        source.seek(0)
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        sheets = []
        line = 1
        for number, sheet in enumerate(book.worksheets, start=1):
            if not hasattr(sheet, "iter_rows"):  # a chartsheet
                continue
            covered = covered_cells(merges.get(sheet.title, []))
            rows = _sheet_rows(sheet, covered, line)
            sheets.append(Sheet(sheet.title, number, tuple(rows)))
            line += len(rows)
        return sheets
    finally:
        book.close()


# --- the document --------------------------------------------------------------------------


def sheet_blocks(sheets: Sequence[Sheet]) -> tuple[list[GridRow], list[Block], dict[int, int]]:
    """The rows outside every block, the blocks of every sheet (each sheet split at its own
    titles), and the sheet number of each block's title line."""
    before: list[GridRow] = []
    blocks: list[Block] = []
    sheet_of: dict[int, int] = {}
    for sheet in sheets:
        outside, found = split_blocks(sheet.rows)
        before.extend(outside)
        blocks.extend(found)
        sheet_of.update({b.title.line: sheet.number for b in found})
    return before, blocks, sheet_of


def read_workbook(source: str | Path | IO[bytes], name: str = "") -> RecognisedDocument:
    """Read a workbook given as a path or a binary file object."""
    label = name or (str(source) if isinstance(source, (str, Path)) else "<workbook>")
    before, blocks, sheet_of = sheet_blocks(read_sheets(source))
    doc = recognise_blocks(before, blocks, label)
    pages = {table_id: sheet_of.get(line, 0) for table_id, line in doc.first_lines.items()}
    return replace(doc, pages=pages)


def read_xlsx(path: str | Path) -> RecognisedDocument:
    """Read a workbook (.xlsx) file: tables and project forms of every sheet."""
    return read_workbook(Path(path))
