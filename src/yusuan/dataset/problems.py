"""Problems found while reading a dataset, each naming file, row, column and what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input. Messages are Chinese first, with English after."""

    code: str
    file: str
    row: int  # 1-based; the header is row 1; 0 when the whole file is meant
    column: str
    message_zh: str
    message_en: str

    @property
    def where(self) -> str:
        parts = [self.file]
        if self.row:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}：{self.message_zh} / {self.message_en}"


class DatasetError(Exception):
    """Raised when a dataset cannot be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(
            f"数据集有 {len(problems)} 处错误 / dataset has {len(problems)} problem(s):\n{lines}"
        )
