"""Problems and notices found while reading a dataset.

A problem names file, row (or manifest block), column, spreadsheet cell and what was expected; it
stops the dataset from loading. A notice says something the reader did that the user should know
(an encoding other than UTF-8, an amount converted from 万元) and does not stop anything. The
loader never prints: it returns both, and the command line shows them.
"""

from __future__ import annotations

from dataclasses import dataclass


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_name(row: int, column_index: int) -> str:
    """The spreadsheet name of a cell (row 1-based, column 0-based), e.g. ``H5``."""
    return f"{column_letter(column_index)}{row}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input. Messages are Chinese first, with English after."""

    code: str
    file: str
    row: int  # 1-based; the header is row 1; 0 when the whole file is meant
    column: str
    message_zh: str
    message_en: str
    cell: str = ""  # spreadsheet cell name (H5) when one cell is meant
    # A manifest section: "[budget]" (then ``row`` is a line) or an array of blocks "[[units]]"
    # (then ``row`` counts the blocks: the 2nd [[units]] block, not line 2).
    block: str = ""

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.row and self.block.startswith("[["):
            parts.append(f"第{self.row}个{self.block}块")
        else:
            if self.row:
                parts.append(f"第{self.row}行")
            if self.block:
                parts.append(self.block)
        if self.column:
            parts.append(f"“{self.column}”" if self.block else f"“{self.column}”列")
        if self.cell:
            parts.append(f"（单元格 {self.cell}）")
        return " ".join(parts)

    @property
    def where_en(self) -> str:
        parts = [self.file]
        if self.row and self.block.startswith("[["):
            parts.append(f"{self.block} block {self.row}")
        else:
            if self.row:
                is_line = self.block or self.file.endswith(".toml")
                parts.append(f"line {self.row}" if is_line else f"row {self.row}")
            if self.block:
                parts.append(self.block)
        if self.column:
            parts.append(f"key {self.column}" if self.block else f"column {self.column}")
        if self.cell:
            parts.append(f"cell {self.cell}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}：{self.message_zh} / {self.where_en}: {self.message_en}"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the reader did that the user should know; the dataset still loads."""

    file: str
    message_zh: str
    message_en: str
    row: int = 0
    column: str = ""
    cell: str = ""

    def __str__(self) -> str:
        place = Problem("", self.file, self.row, self.column, "", "", self.cell)
        return f"{place.where}：{self.message_zh} / {place.where_en}: {self.message_en}"


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value sits: row (or line, or block number), column, cell and manifest section."""

    row: int = 0
    column: str = ""
    cell: str = ""
    block: str = ""

    def problem(self, code: str, file: str, message_zh: str, message_en: str) -> Problem:
        return Problem(
            code, file, self.row, self.column, message_zh, message_en, self.cell, self.block
        )


class DatasetError(Exception):
    """Raised when a dataset cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"数据集有 {len(problems)} 处错误 / dataset has {len(problems)} problem(s):\n{lines}"
        )
