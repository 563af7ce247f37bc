"""Rows pasted from Excel: tab-separated cells, with or without the header row.

The pasted rows are appended to the budget's own ``budget_lines.csv`` (written by the core) and
the whole dataset is read back by the core, so every problem is reported exactly as ``yusuan
check`` would report it for a file: row, column and what was expected, in Chinese and English.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from yusuan.dataset import read_dataset, save_dataset
from yusuan.dataset.schema import LINES
from yusuan.model.records import BudgetLine, Dataset


@dataclass(frozen=True)
class Pasted:
    lines: tuple[BudgetLine, ...]  # the new lines, in order, numbered after the existing ones
    problems: tuple[str, ...]


def cells_of(text: str) -> list[list[str]]:
    """Rows of cells from text copied out of a spreadsheet (tabs between cells)."""
    rows = [row.split("\t") for row in text.replace("\r\n", "\n").split("\n") if row.strip()]
    return [[cell.strip() for cell in row] for row in rows]


def _as_records(rows: list[list[str]]) -> tuple[list[list[str]], str]:
    """The rows in the file's column order: by the pasted header row, else in the file's order."""
    headers = list(LINES.headers)
    if rows and set(rows[0]) & set(headers) and all(c in headers for c in rows[0] if c):
        given = rows[0]
        where = {h: given.index(h) for h in headers if h in given}
        placed = [
            [row[where[h]] if h in where and where[h] < len(row) else "" for h in headers]
            for row in rows[1:]
        ]
        return placed, ""
    too_long = [n for n, row in enumerate(rows, start=1) if len(row) > len(headers)]
    if too_long:
        return [], (
            f"第{too_long[0]}行有多于{len(headers)}列；请按“{'、'.join(headers)}”的顺序粘贴，"
            "或连同标题行一起粘贴"
        )
    return [row + [""] * (len(headers) - len(row)) for row in rows], ""


def paste_lines(dataset: Dataset, text: str) -> Pasted:
    """The lines the pasted text adds to ``dataset``, or the problems that stand in the way."""
    rows, problem = _as_records(cells_of(text))
    if problem:
        return Pasted((), (problem,))
    if not rows:
        return Pasted((), ("没有可导入的行",))
    with tempfile.TemporaryDirectory(prefix="yusuan-paste-") as tmp:
        folder = Path(tmp) / "dataset"
        save_dataset(dataset, folder)
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows(rows)
        with (folder / LINES.file).open("a", encoding="utf-8", newline="") as handle:
            handle.write(out.getvalue())
        combined, problems = read_dataset(folder)
    if combined is None:
        return Pasted((), tuple(str(p) for p in problems))
    return Pasted(combined.lines[len(dataset.lines) :], ())
