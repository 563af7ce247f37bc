"""Reader for a published disclosure as a PDF with a text layer (pdfplumber).

Each page is read by ``pdf_tables`` into text lines and table grids in reading order. This
module turns a whole document's pages into grid rows and blocks for the shared recognition
layer (``assemble.recognise_blocks``):

- every printed row gets a running ``line`` number, and ``line_pages`` maps each line to its
  PDF page, so that every table, row and problem is located by page;
- a block is a title line, the lines under it (部门, 单位), its table and the notes printed
  right under the table; a title that no table follows (a table of contents) is narrative;
- a table that continues on the next page (the next page starts with a table of the same
  width, no title between) is joined to it: its columns are mapped onto the first part's by
  position and its repeated header rows are dropped; a part laid out more finely than the
  first (two of its cells in one row would fall into one column: a form's indicator grid under
  its field grid) keeps its own columns;
- text inside a table's extent that no cell holds (a label in a column ruled only at its ends)
  is narrative and does not end the table;
- a form's sign-off line (负责人 … 填报日期) printed under its grid, or at the top of the next
  page, belongs to the form;
- page numbers and table numbers printed on their own (``公开01表``, ``表3``) are not rows;
- every other line is narrative (``RecognisedDocument.narrative``), with its line number;
- a page whose text cannot be decoded, or that has no text layer, is reported as unreadable
  (``ReadProblem`` with the page) and contributes nothing.

``read_grid`` stops before recognition, so that a test can change a cell and recognise again
(``recognise_grid``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pdfplumber

from yusuan.audit.assemble import recognise_blocks, title_of
from yusuan.audit.document import ReadProblem, RecognisedDocument
from yusuan.audit.forms import form_vocabulary, is_footer
from yusuan.audit.grid import Block, GridRow
from yusuan.audit.pdf_tables import PageContent, TablePart, TextLine, join_lines, read_page
from yusuan.audit.recognise import (
    find_unit,
    identify,
    is_amount,
    is_number_label,
    looks_like_title,
)

_PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[-—–－\s]*$")
# a note: 注/说明/备注 or a numbered line, or a statement that the table is empty (本表为空表)
_NOTE = re.compile(r"^\s*(?:注|说明|备注|[0-9０-９]+[.．、])|^.*本表为空表")
# what a row of its own starts with: a code or figure, or an ordinal (一、 1. (一))
_ITEM_START = re.compile(
    r"^\s*(?:\d|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）])"
)
# a label and its value ("部门：…", "单位：万元"): printed above a table, never in it
_LABELLED = re.compile(r"^[^:：\d]{1,8}[:：]")
SHORT_LINE = 20  # characters: a line this short under a title may still be part of it
MARGIN = 0.1  # share of the page height at the top and bottom where page numbers stand
NOTE_GAP = 2.5  # a line further below the table than this many line heights is not its note
SAME_EDGE = 8.0  # points: tables whose left and right edges are this close have the same width


@dataclass
class _Reference:
    """The first part of a table: its columns and header rows, for the parts that follow."""

    columns: tuple[tuple[float, float], ...]
    x0: float
    x1: float
    headers: list[tuple[str, ...]]


@dataclass
class _Open:
    """The block being built."""

    title: GridRow
    rows: list[GridRow] = field(default_factory=list)
    table: _Reference | None = None
    last_bottom: float = 0.0  # bottom of the last table part or note, on ``last_page``
    part_top: float = 0.0  # top of the last table part, on ``last_page``
    last_page: int = 0
    last_height: float = 10.0
    note: bool = False  # the last row is a note under the table


@dataclass(frozen=True)
class PdfGrid:
    """A PDF read into grid rows, before recognition.

    ``narrative`` holds the lines outside every table block; ``blocks`` the tables, each with
    its title; ``line_pages`` the page of every line; ``problems`` the unreadable pages.
    """

    source: str
    page_count: int
    narrative: tuple[GridRow, ...]
    blocks: tuple[Block, ...]
    line_pages: Mapping[int, int]
    problems: tuple[ReadProblem, ...]

    def rows(self) -> list[GridRow]:
        """Every row in line order."""
        every = [*self.narrative, *(r for b in self.blocks for r in (b.title, *b.rows))]
        return sorted(every, key=lambda r: r.line)

    def replace_cell(self, line: int, index: int, text: str) -> PdfGrid:
        """A copy with one cell's text changed (for tests that mutate a document)."""

        def change(row: GridRow) -> GridRow:
            if row.line != line:
                return row
            cells = list(row.cells)
            cells[index] = text
            return GridRow(row.line, tuple(cells))

        blocks = tuple(
            Block(change(b.title), tuple(change(r) for r in b.rows)) for b in self.blocks
        )
        return replace(self, narrative=tuple(change(r) for r in self.narrative), blocks=blocks)


HEAD_GRID = 4.0  # points: lines whose tops differ by less are at the same place on the page
MIN_HEAD_PAGES = 3  # a line repeated on fewer pages is no running head


def head_key(item: TextLine, page: PageContent) -> tuple[str, int] | None:
    """A top-margin line's text and place, for comparing pages; None for any other line."""
    if item.bottom >= MARGIN * page.height:
        return None
    return "".join(item.cells), round(item.top / HEAD_GRID)


def running_heads(pages: Sequence[PageContent]) -> frozenset[tuple[str, int]]:
    """The top-margin lines printed at the same place on most pages (at least three) that
    print anything, except titles: running heads, whatever their text."""
    counts: Counter[tuple[str, int]] = Counter()
    for page in pages:
        keys = {head_key(i, page) for i in page.items if isinstance(i, TextLine)}
        counts.update(k for k in keys if k is not None)
    printed = sum(1 for p in pages if p.items)
    return frozenset(
        key
        for key, n in counts.items()
        if n >= MIN_HEAD_PAGES and 2 * n > printed and looks_like_title((key[0],)) is None
    )


def _page_furniture(item: TextLine, page: PageContent) -> bool:
    """A page number in the top or bottom margin, or a table number on its own line."""
    text = "".join(item.cells)
    if is_number_label(item.cells):
        return True
    in_margin = item.top > (1 - MARGIN) * page.height or item.bottom < MARGIN * page.height
    return in_margin and bool(_PAGE_NUMBER.match(text))


def _cells_at(
    part: TablePart, columns: Sequence[tuple[float, float]] | None
) -> Callable[[float, float, int], int]:
    """Where a cell of ``part`` goes among the reference columns (its own, for a first part)."""
    if columns is None:
        return lambda x0, x1, col: col

    def place(x0: float, x1: float, col: int) -> int:
        best, best_overlap = 0, -1.0
        for index, (left, right) in enumerate(columns):
            overlap = min(x1, right) - max(x0, left)
            if overlap >= 0.5 * min(right - left, x1 - x0):
                return index
            if overlap > best_overlap:
                best, best_overlap = index, overlap
        return best

    return place


def column_at(columns: Sequence[tuple[float, float]], x0: float, x1: float) -> int:
    """The column a piece of text from x0 to x1 falls in: the one it overlaps most."""
    overlaps = [min(x1, right) - max(x0, left) for left, right in columns]
    return max(range(len(columns)), key=lambda i: overlaps[i]) if columns else 0


def _placed(line: TextLine, reference: _Reference) -> list[str]:
    """A text line's cells placed in a table's columns by alignment."""
    cells = [""] * len(reference.columns)
    for text, x0, x1 in zip(line.cells, line.starts, line.ends, strict=False):
        index = column_at(reference.columns, x0, x1)
        cells[index] = join_lines([cells[index], text])
    return cells


def _wrapped_rest(above: Sequence[str], cells: Sequence[str]) -> bool:
    """Is a row the rest of a cell wrapped from the row above: one cell of text, under a cell
    the row above fills, that starts no item of its own (no figure, code or ordinal)?"""
    filled = [(i, c) for i, c in enumerate(cells) if c]
    if len(filled) != 1:
        return False
    index, text = filled[0]
    return (
        index < len(above)
        and bool(above[index].strip())
        and not _ITEM_START.match(text)
        and not is_amount(text)
    )


def _table_rows(part: TablePart, reference: _Reference | None) -> list[tuple[str, ...]]:
    """The printed rows of a table part as cell texts, in the reference's columns."""
    columns = reference.columns if reference is not None else None
    width = len(columns) if columns is not None else len(part.columns)
    place = _cells_at(part, columns)
    result = []
    for cells in part.rows():
        if not cells:
            continue
        texts = [""] * width
        for cell in cells:
            index = min(place(cell.x0, cell.x1, cell.col), width - 1)
            texts[index] = f"{texts[index]} {cell.text}".strip() if texts[index] else cell.text
        result.append(tuple(texts))
    return result


def _collides(part: TablePart, reference: _Reference) -> bool:
    """Whether two cells that print text in one row of ``part`` fall into the same column of
    ``reference``: the part is laid out more finely than the table it continues (a form's
    indicator grid under its field grid), and mapping it would glue its cells together."""
    place = _cells_at(part, reference.columns)
    for cells in part.rows():
        seen: set[int] = set()
        for cell in cells:
            index = place(cell.x0, cell.x1, cell.col)
            if index in seen:
                return True
            seen.add(index)
    return False


def _leading_headers(rows: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The rows before the first row that prints a figure (the header, as printed)."""
    headers = []
    for row in rows:
        if any(is_amount(c) for c in row if c):
            break
        headers.append(row)
    return headers


def _labelled_line(item: TextLine) -> bool:
    """A unit line or a 部门/单位 label line."""
    return find_unit("".join(item.cells)) is not None or any(_LABELLED.match(c) for c in item.cells)


def _between_title_and_table(item: TextLine) -> bool:
    """A line printed between a title and its table: the unit, a 部门/单位 label and its value,
    or a short remark ("（2024年度）"); a sentence of narrative is none of these."""
    return _labelled_line(item) or len("".join(item.cells)) <= SHORT_LINE


def _form_footer(block: _Open, row: GridRow) -> bool:
    return form_vocabulary().is_title(" ".join(block.title.cells)) and is_footer(row)


def _normalised(row: Sequence[str]) -> tuple[str, ...]:
    return tuple("".join(c.split()) for c in row)


class _Builder:
    """Turns pages into narrative rows and blocks, numbering lines as it goes."""

    def __init__(self) -> None:
        self.line = 0
        self.line_pages: dict[int, int] = {}
        self.narrative: list[GridRow] = []
        self.blocks: list[Block] = []
        self.problems: list[ReadProblem] = []
        self.open: _Open | None = None
        self.last_head: str | None = None  # first cell of the previous page's top-margin line
        self.repeated: frozenset[tuple[str, int]] = frozenset()  # running heads (head_key)

    def row(self, cells: Sequence[str], page: int) -> GridRow:
        self.line += 1
        self.line_pages[self.line] = page
        return GridRow(self.line, tuple(cells))

    def close(self) -> None:
        block, self.open = self.open, None
        if block is None:
            return
        if block.table is None:  # a title no table follows: a contents line, or a heading
            self.narrative.append(block.title)
            self.narrative.extend(block.rows)
        else:
            self.blocks.append(Block(block.title, tuple(block.rows)))

    def page(self, page: PageContent) -> None:
        if page.unreadable_zh:
            self.close()
            self.problems.append(
                ReadProblem(self.line, page.unreadable_zh, page.unreadable_en, page=page.number)
            )
            return
        if page.undecodable:
            self.problems.append(
                ReadProblem(
                    self.line,
                    f"第{page.number}页有{page.undecodable}个字形无法解码",
                    f"page {page.number}: {page.undecodable} glyphs cannot be decoded",
                    page=page.number,
                )
            )
        # a running head: the first line of the page, in the top margin, that begins as the
        # previous page's did (the document's title beside the section's), or a line printed
        # at the same place on most pages. A title is no running head: a form's title repeated
        # on the next page starts the next form
        first = page.items[0] if page.items else None
        head = (
            first if isinstance(first, TextLine) and first.bottom < MARGIN * page.height else None
        )
        running = (
            head is not None
            and head.cells[0] == self.last_head
            and title_of(GridRow(0, head.cells)) is None
        )
        self.last_head = head.cells[0] if head is not None else None
        items = [
            i
            for i in page.items
            if not (
                isinstance(i, TextLine)
                and (
                    _page_furniture(i, page)
                    or (running and i is head)
                    or head_key(i, page) in self.repeated
                )
            )
        ]
        items = self._continued_lines(items, page)
        for position, item in enumerate(items):
            if isinstance(item, TablePart):
                self.table(item, page, first_on_page=position == 0)
            else:
                self.text(item, page)

    def _continued_lines(
        self, items: list[TextLine | TablePart], page: PageContent
    ) -> list[TextLine | TablePart]:
        """Lines at the top of a page that continue the table of the page before, when the
        first row continued has no top rule: the lines above a table part continuing the
        table (same edges), inside its width, become its rows, their cells placed in its
        columns by alignment; a line of text only, in cells the row above fills, is the rest
        of those cells (a cell wrapped over the page break). The items left are returned."""
        block = self.open
        first = next((i for i, item in enumerate(items) if isinstance(item, TablePart)), None)
        if block is None or block.table is None or block.note or first in (None, 0):
            return items
        reference, part = block.table, items[first]
        assert isinstance(part, TablePart)
        leading = items[:first]
        if (
            block.last_page != page.number - 1
            or abs(part.x0 - reference.x0) > SAME_EDGE
            or abs(part.x1 - reference.x1) > SAME_EDGE
            or not all(
                isinstance(line, TextLine)
                and line.x0 >= reference.x0 - SAME_EDGE
                and line.x1 <= reference.x1 + SAME_EDGE
                for line in leading
            )
        ):
            return items
        placed = [_placed(line, reference) for line in leading if isinstance(line, TextLine)]
        previous_cells = block.rows[-1].cells if block.rows else ()
        for line, cells in zip(leading, placed, strict=True):
            assert isinstance(line, TextLine)
            tabular = sum(1 for c in cells if c) > 1 or any(is_amount(c) for c in cells if c)
            labelled = any(_LABELLED.match(c) for c in line.cells)
            if (
                title_of(GridRow(0, line.cells)) is not None
                or labelled
                or not (tabular or _wrapped_rest(previous_cells, cells))
            ):
                return items  # a title, a 部门/单位 line or a sentence: not rows of the table
            previous_cells = tuple(cells)
        for cells in placed:
            previous = block.rows[-1] if block.rows else None
            if previous is not None and _wrapped_rest(previous.cells, cells):
                merged = [
                    join_lines([a, b]) if b else a
                    for a, b in zip(previous.cells, cells, strict=False)
                ]
                block.rows[-1] = GridRow(previous.line, tuple(merged))
                continue
            block.rows.append(self.row(cells, page.number))
        return items[first:]

    def text(self, item: TextLine, page: PageContent) -> None:
        row = self.row(item.cells, page.number)
        block = self.open
        if title_of(row) is not None:
            row = self._wrapped_title(row, page)
            self.close()
            self.open = _Open(row, last_page=page.number, last_bottom=item.bottom)
            return
        if block is not None and block.table is None:
            next_page = block.last_page == page.number - 1 and _labelled_line(item)
            if next_page or (block.last_page == page.number and _between_title_and_table(item)):
                block.rows.append(row)  # 部门, 单位 and the like between a title and its table
                block.last_bottom = item.bottom
                return
            self.close()  # a title no table follows (a contents entry, a heading)
            self.narrative.append(row)
            return
        height = item.bottom - item.top
        if (
            block is not None
            and block.table is not None
            and not block.note
            and block.last_page == page.number
            and block.part_top <= item.top
            and item.bottom <= block.last_bottom
        ):
            # text inside the table's extent that no cell holds (a label in a column ruled only
            # at its ends, on a page the table continues from): not the table's end
            self.narrative.append(row)
            return
        near = (
            block is not None
            and block.last_page == page.number
            and item.top - block.last_bottom <= NOTE_GAP * max(height, block.last_height)
        )
        # a 注： line on the page of the table belongs to it even when the page leaves space above
        # it (a note at the foot of an otherwise empty table)
        footnote = (
            block is not None
            and block.last_page == page.number
            and bool(_NOTE.match(item.cells[0]))
        )
        if (
            block is not None
            and (near or block.last_page == page.number - 1)
            and not block.note
            and _form_footer(block, row)
        ):
            # a form's sign-off line (负责人 … 填报日期) printed under its grid, or at the top of
            # the next page when the grid filled its page
            block.rows.append(row)
            block.last_bottom, block.last_height = item.bottom, height
            return
        if block is not None and (near or footnote):
            if _NOTE.match(item.cells[0]):
                block.rows.append(row)
            elif block.note:  # the next line of a note wrapped over several lines
                last = block.rows[-1]
                block.rows[-1] = GridRow(last.line, (join_lines([*last.cells, *item.cells]),))
            else:
                self.close()
                self.narrative.append(row)
                return
            block.note = True
            block.last_bottom, block.last_height = item.bottom, height
            return
        self.close()
        self.narrative.append(row)

    def table(self, part: TablePart, page: PageContent, first_on_page: bool) -> None:
        block = self.open
        if block is not None and block.table is not None:
            reference = block.table
            continues = (
                first_on_page
                and not block.note
                and block.last_page == page.number - 1
                and abs(part.x0 - reference.x0) <= SAME_EDGE
                and abs(part.x1 - reference.x1) <= SAME_EDGE
            )
            if continues and not _collides(part, reference):
                rows = _table_rows(part, reference)
                headers = {_normalised(h) for h in reference.headers}
                while rows and _normalised(rows[0]) in headers:
                    rows.pop(0)
                last = block.rows[-1] if block.rows else None
                if rows and last is not None and _wrapped_rest(last.cells, rows[0]):
                    # the rest of a cell wrapped over the page break, in a row of its own
                    merged = [
                        join_lines([a, b]) for a, b in zip(last.cells, rows.pop(0), strict=False)
                    ]
                    block.rows[-1] = GridRow(last.line, tuple(merged))
                self._extend(block, part, page, rows)
                return
            if continues:  # a finer grid continuing the block: its own columns from here on
                self._extend(block, part, page, _table_rows(part, None), reference=True)
                return
            self.close()
            block = None
        if block is None:
            # a table with no title above it: the line right above, if any, names it
            title = self._untitled(part, page)
            block = self.open = _Open(title)
        self._extend(block, part, page, _table_rows(part, None), reference=True)

    def _extend(
        self,
        block: _Open,
        part: TablePart,
        page: PageContent,
        rows: list[tuple[str, ...]],
        reference: bool = False,
    ) -> None:
        """Add a table part's rows to the block; ``reference``: its columns are the block's."""
        if reference:
            block.table = _Reference(part.columns, part.x0, part.x1, _leading_headers(rows))
        block.rows.extend(self.row(r, page.number) for r in rows)
        block.last_page, block.last_bottom, block.note = page.number, part.bottom, False
        block.part_top = part.top

    def _wrapped_title(self, row: GridRow, page: PageContent) -> GridRow:
        """A title wrapped over two lines ("…培训费支出预算" / "表"): the narrative line right
        above (on this page or at the foot of the one before), that is no title itself, joined
        to it when this line alone names no table and the two together do."""
        previous = self.narrative[-1] if self.narrative else None
        if (
            previous is None
            or previous.line != row.line - 1
            or self.line_pages.get(previous.line, 0) < page.number - 1
            or len(previous.texts()) != 1
            or title_of(previous) is not None
        ):
            return row
        joined = GridRow(previous.line, (join_lines([*previous.texts(), *row.texts()]),))
        if title_of(joined) is None or identify(row.texts()[0]) or not identify(joined.texts()[0]):
            return row  # joined only when the line alone names no table and the two do
        self.narrative.pop()
        return joined

    def _untitled(self, part: TablePart, page: PageContent) -> GridRow:
        previous = self.narrative[-1] if self.narrative else None
        if previous is not None and self.line_pages.get(previous.line) == page.number:
            self.narrative.pop()
            return previous
        return self.row(("",), page.number)


def read_grid(path: str | Path) -> PdfGrid:
    """A PDF's pages as narrative rows and table blocks, before recognition."""
    file = Path(path)
    builder = _Builder()
    with pdfplumber.open(file) as pdf:
        count = len(pdf.pages)
        pages = []
        for page in pdf.pages:
            pages.append(read_page(page))
            page.close()
    builder.repeated = running_heads(pages)
    for content in pages:
        builder.page(content)
    builder.close()
    return PdfGrid(
        source=str(file),
        page_count=count,
        narrative=tuple(builder.narrative),
        blocks=tuple(builder.blocks),
        line_pages=dict(builder.line_pages),
        problems=tuple(builder.problems),
    )


def recognise_grid(grid: PdfGrid) -> RecognisedDocument:
    """Recognise the tables and forms of a PDF read into grid rows; locate them by page."""
    doc = recognise_blocks(list(grid.narrative), list(grid.blocks), grid.source)
    pages = {table_id: grid.line_pages.get(line, 0) for table_id, line in doc.first_lines.items()}
    problems = tuple(
        p if p.page or not p.line else replace(p, page=grid.line_pages.get(p.line, 0))
        for p in doc.problems
    )
    return replace(
        doc,
        pages=pages,
        line_pages=grid.line_pages,
        problems=(*grid.problems, *problems),
    )


def read_pdf(path: str | Path) -> RecognisedDocument:
    """Read a published disclosure from a PDF with a text layer."""
    return recognise_grid(read_grid(path))
