"""Grid rows: what every reader produces and the recognition layer consumes.

A grid row is the cells of one printed row as text, with the source line it came from (the
line of a text extraction, or a row number in a workbook). Blocks are the rows from one title
to the next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GridRow:
    """One printed row: its cells as extracted and its 1-based source line."""

    line: int
    cells: tuple[str, ...]

    def cell(self, index: int) -> str:
        """The stripped text of a cell; "" beyond the row's end."""
        return self.cells[index].strip() if 0 <= index < len(self.cells) else ""

    def texts(self) -> list[str]:
        """The non-empty cells, stripped, in order."""
        return [c.strip() for c in self.cells if c.strip()]

    def indexed(self) -> list[tuple[int, str]]:
        """The non-empty cells with their column index."""
        return [(i, c.strip()) for i, c in enumerate(self.cells) if c.strip()]

    @property
    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)

    @property
    def width(self) -> int:
        return len(self.cells)


@dataclass(frozen=True, slots=True)
class Block:
    """The rows from one title to the next: a table, a form, or something not recognised."""

    title: GridRow
    rows: tuple[GridRow, ...]

    @property
    def title_text(self) -> str:
        texts = self.title.texts()
        return texts[0] if texts else ""

    @property
    def last_line(self) -> int:
        return self.rows[-1].line if self.rows else self.title.line

    def content(self) -> list[GridRow]:
        """The rows that are not blank."""
        return [r for r in self.rows if not r.is_blank]


def cells_of(rows: Sequence[GridRow]) -> list[tuple[str, ...]]:
    """The cell texts of some rows, for the header functions that work on plain text."""
    return [r.cells for r in rows]
