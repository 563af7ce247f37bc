"""A published disclosure read back into data: ``RecognisedDocument``, and ``to_subject`` to
check it with the same rules that check a budget before publication.

Amounts are exact ``Decimal`` in 元 (converted from each table's printed unit); names and
labels are kept as printed, cut short or wrong as they may be, because that is what the rules
check. Every part remembers where in the source it was found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from yusuan.audit.narrative import stated_figures
from yusuan.catalog.loader import catalogs_for
from yusuan.rules.subject import DOCUMENT, Subject
from yusuan.tables.base import Table
from yusuan.tables.forms import ProjectForm


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Something the reader noticed or had to decide: where, and what, in Chinese and English.

    ``table`` is the table id or the project name the problem concerns ("" for the document);
    ``page`` is the PDF page, for readers that know pages (0 otherwise).
    """

    line: int
    message_zh: str
    message_en: str
    table: str = ""
    page: int = 0

    def __str__(self) -> str:
        where = f"第{self.line}行" if self.line else "（文档）"
        if self.page:
            where = f"第{self.page}页" + (f"第{self.line}行" if self.line else "")
        scope = f" {self.table}" if self.table else ""
        return f"{where}{scope}：{self.message_zh} / {self.message_en}"


@dataclass(frozen=True, slots=True)
class UnreadBlock:
    """A block of the source the reader did not turn into data, and why.

    ``table_id`` names what the title was recognised as, when it was (a 决算 table is
    recognised, ``income-final``, but not read yet); it is "" for a title nobody knows.
    """

    first_line: int
    last_line: int
    title: str
    why_zh: str
    why_en: str
    table_id: str = ""


@dataclass(frozen=True, slots=True)
class TextLine:
    """A line of narrative text (部门预算说明 and the like), outside any table or form."""

    line: int
    text: str


@dataclass(frozen=True)
class RecognisedDocument:
    """Everything read from one published disclosure.

    - ``tables``: yusuan table id -> ``Table`` in the yusuan shape of that table;
    - ``first_lines``: table id -> source line of the table's title;
    - ``row_lines``: table id -> source line of each row, parallel to ``table.rows``;
    - ``pages``: table id -> page, for readers that know pages (PDF); empty for text readers;
    - ``line_pages``: source line -> page, for the same readers (every row, note and problem
      is located by page through its line);
    - ``forms``: the project performance-target forms, their records' origins at source lines;
    - ``narrative``: text outside tables and forms (the seed has none);
    - ``unread``: blocks not turned into data, with why; ``problems``: what the reader noticed.
    """

    source: str
    year: int
    department: str
    tables: Mapping[str, Table]
    first_lines: Mapping[str, int] = field(default_factory=dict)
    row_lines: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    pages: Mapping[str, int] = field(default_factory=dict)
    line_pages: Mapping[int, int] = field(default_factory=dict)
    forms: tuple[ProjectForm, ...] = ()
    narrative: tuple[TextLine, ...] = ()
    unread: tuple[UnreadBlock, ...] = ()
    problems: tuple[ReadProblem, ...] = ()
    announced: tuple[str, ...] = ()  # table ids the contents (目录) list, in order

    def table(self, table_id: str) -> Table | None:
        return self.tables.get(table_id)

    def row_line(self, table_id: str, index: int) -> int:
        """The source line of row ``index`` of a table (0 when unknown)."""
        lines = self.row_lines.get(table_id, ())
        return lines[index] if 0 <= index < len(lines) else 0

    def page_of(self, line: int) -> int:
        """The page a source line is on (0 when the reader knows no pages)."""
        return self.line_pages.get(line, 0)

    def problems_of(self, table: str) -> list[ReadProblem]:
        return [p for p in self.problems if p.table == table]


def table_positions(doc: RecognisedDocument) -> dict[str, int]:
    """Where each table is, for finding locations: its page when the reader knows pages, else
    the source line of its title.

    Text readers know lines, not pages, so until a PDF reader supplies pages the number a
    finding shows as its page (``Location.page``) is the first source line of the table.
    """
    return {table_id: doc.pages.get(table_id, line) for table_id, line in doc.first_lines.items()}


def to_subject(doc: RecognisedDocument) -> Subject:
    """The document as the input of a check run (kind ``document``: figures rounded for display,
    no budget lines behind them), with the catalogues of its year."""
    if not doc.year:
        raise ValueError(f"{doc.source}: 没有找到年度 / no year found in the document")
    return Subject(
        year=doc.year,
        catalogs=catalogs_for(doc.year),
        tables=dict(doc.tables),
        forms=tuple(doc.forms),
        kind=DOCUMENT,
        pages=table_positions(doc),
        narrative=stated_figures(
            [(doc.page_of(t.line), t.line, t.text) for t in doc.narrative], doc.year
        ),
    )
