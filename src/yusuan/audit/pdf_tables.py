"""One PDF page as text lines and tables with their spans, from pdfplumber's objects.

Nothing here knows about budgets: a page becomes a list of items in reading order (top to
bottom), each a ``TextLine`` (text outside every table, split into cells at wide gaps) or a
``TablePart`` (a table's grid: the text of each cell at its top-left position, with row and
column spans). How they are used is ``pdf_reader``'s business.

- Tables are found with pdfplumber's ``lines`` strategy on the page's *visible* rules only:
  white-filled rectangles (cell shading that Word and WPS draw behind every cell) are dropped
  first, because they make phantom rows and columns. A page with no ruled table but rows of
  figures falls back to pdfplumber's ``text`` strategy on that region (unruled tables).
- Spans are recovered from the cells' bounding boxes: the distinct x and y edges of the
  table's cells form the grid, and a cell covers the grid positions between its edges.
  Columns that no row ever prints text in separately (a Word table whose header row and body
  rows put their inner borders at different places) are merged into one — unless two header
  cells with text meet at their edge and nothing with text crosses it (an empty table).
- Cell text is rebuilt from the characters whose centre falls in the cell: lines of a wrapped
  cell are joined without a space when either side is Chinese, with one between Latin words.
- Pages whose text cannot be decoded — ``(cid:NNN)`` glyphs of a font with no ToUnicode map,
  or no text layer at all (a scan) — are reported as unreadable, never read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a type only: the rules import join_lines, and need not load pdfplumber
    from pdfplumber.page import Page

Obj = dict[str, Any]

# a glyph the text layer cannot name: pdfminer prints "(cid:123)"; U+FFFD and private-use
# code points are no better
_CID = re.compile(r"^\(cid:\d+\)$")
UNDECODABLE_SHARE = 0.05  # a page with more of its glyphs undecodable than this is not read
CELL_GAP = 2.0  # a gap wider than this many character heights separates two cells of a line
WORD_GAP = 0.25  # a gap wider than this many character heights is a space (not in Chinese)
SNAP = 1.5  # points: cell edges closer than this are one grid line
LINE_TOLERANCE = 0.45  # characters whose centres differ by less than this (× height) share a line
TEXT_STRATEGY = {"vertical_strategy": "text", "horizontal_strategy": "text"}
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


# --- characters and lines ------------------------------------------------------------------


def is_cjk(ch: str) -> bool:
    """Chinese characters and full-width punctuation: joined without spaces."""
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x3000 <= code <= 0x303F
        or 0x2018 <= code <= 0x201F  # curly quotes, used as Chinese quotes
        or 0x2026 <= code <= 0x2026
    )


def undecodable(text: str) -> bool:
    """A glyph whose text the PDF does not give: (cid:NNN), U+FFFD or a private-use point."""
    if _CID.match(text):
        return True
    return any(ch == "\ufffd" or 0xE000 <= ord(ch) <= 0xF8FF for ch in text)


def _height(ch: Obj) -> float:
    return max(float(ch["bottom"]) - float(ch["top"]), 1.0)


def _centre(ch: Obj) -> float:
    return (float(ch["top"]) + float(ch["bottom"])) / 2


def group_lines(chars: Iterable[Obj]) -> list[list[Obj]]:
    """Characters grouped into printed lines (top to bottom), each line left to right.

    A character joins the line whose vertical centre is nearest its own, within
    ``LINE_TOLERANCE`` of the line's height; glyphs printed twice at the same place (fake
    bold) are kept once.
    """
    ordered = sorted(chars, key=_centre)
    lines: list[list[Obj]] = []
    centres: list[float] = []
    for ch in ordered:
        centre = _centre(ch)
        if lines and centre - centres[-1] <= LINE_TOLERANCE * _height(lines[-1][0]):
            lines[-1].append(ch)
        else:
            lines.append([ch])
            centres.append(centre)
    result = []
    for line in lines:
        line.sort(key=lambda c: float(c["x0"]))
        kept: list[Obj] = []
        for ch in line:
            if (
                kept
                and ch["text"] == kept[-1]["text"]
                and abs(float(ch["x0"]) - float(kept[-1]["x0"])) < 0.3 * _height(ch)
            ):
                continue
            kept.append(ch)
        result.append(kept)
    return result


def join_chars(chars: Sequence[Obj]) -> str:
    """The text of one line of characters: a space where the gap is wide, unless Chinese."""
    parts: list[str] = []
    previous: Obj | None = None
    for ch in chars:
        text = str(ch["text"])
        if previous is not None:
            gap = float(ch["x0"]) - float(previous["x1"])
            if gap > WORD_GAP * _height(ch) and not (
                is_cjk(str(previous["text"])[-1:] or "a") and is_cjk(text[:1] or "a")
            ):
                parts.append(" ")
        parts.append(text)
        previous = ch
    return "".join(parts)


def join_lines(lines: Sequence[str]) -> str:
    """The lines of a wrapped cell as one text: Chinese joined directly, Latin words with a
    space, and a figure broken after a digit or a comma joined directly."""
    text = ""
    for line in (s.strip() for s in lines):
        if not line:
            continue
        if text:
            last, first = text[-1], line[0]
            glue = is_cjk(last) or is_cjk(first) or (last in "0123456789,." and first.isdigit())
            text += "" if glue else " "
        text += line
    return text


def split_cells(chars: Sequence[Obj]) -> list[list[Obj]]:
    """A line of characters cut into cells at gaps wider than ``CELL_GAP`` heights."""
    cells: list[list[Obj]] = []
    for ch in chars:
        if cells and float(ch["x0"]) - float(cells[-1][-1]["x1"]) <= CELL_GAP * _height(ch):
            cells[-1].append(ch)
        else:
            cells.append([ch])
    return cells


# --- page items ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextLine:
    """A printed line outside every table: its cells (split at wide gaps) and its position."""

    top: float
    bottom: float
    x0: float
    x1: float
    cells: tuple[str, ...]
    starts: tuple[float, ...]  # x0 of each cell
    ends: tuple[float, ...] = ()  # x1 of each cell

    @property
    def text(self) -> str:
        return " ".join(self.cells)


@dataclass(frozen=True, slots=True)
class GridCell:
    """A table cell: its text and the grid positions it covers."""

    text: str
    row: int
    col: int
    rowspan: int
    colspan: int
    x0: float
    x1: float


@dataclass(frozen=True, slots=True)
class TablePart:
    """A table (or the part of one on this page) as a grid.

    ``cells`` are the cells that print text; ``columns`` the x-range of each grid column;
    ``ruled`` is False for a table found by the text strategy.
    """

    top: float
    bottom: float
    x0: float
    x1: float
    n_rows: int
    columns: tuple[tuple[float, float], ...]
    cells: tuple[GridCell, ...]
    ruled: bool = True

    def rows(self) -> list[list[GridCell]]:
        """The cells of each grid row, left to right (rows that print nothing included)."""
        result: list[list[GridCell]] = [[] for _ in range(self.n_rows)]
        for cell in self.cells:
            result[cell.row].append(cell)
        for row in result:
            row.sort(key=lambda c: c.col)
        return result


@dataclass(frozen=True, slots=True)
class PageContent:
    """One page: its items in reading order, or why it cannot be read."""

    number: int
    width: float
    height: float
    items: tuple[TextLine | TablePart, ...]
    unreadable_zh: str = ""
    unreadable_en: str = ""
    undecodable: int = 0  # glyphs without text on a page still read


def _white(colour: object) -> bool:
    if colour is None:
        return False
    if isinstance(colour, int | float):
        return float(colour) >= 0.95
    if isinstance(colour, list | tuple):
        values = [float(v) for v in colour if isinstance(v, int | float)]
        if len(values) in (1, 3):
            return min(values) >= 0.95
        if len(values) == 4:  # CMYK
            return max(values) <= 0.05
    return False


def visible_rule(obj: Obj) -> bool:
    """Keep every object but the graphics that draw nothing a reader sees: rectangles and
    lines filled or stroked only in white (cell shading), which make phantom cells."""
    kind = obj.get("object_type")
    if kind not in ("rect", "line", "curve"):
        return True
    if obj.get("stroke") and not _white(obj.get("stroking_color")):
        return True
    return bool(obj.get("fill")) and not _white(obj.get("non_stroking_color"))


def _snap(values: Iterable[float]) -> list[float]:
    """Distinct coordinates, those closer than ``SNAP`` merged into the first."""
    result: list[float] = []
    for value in sorted(values):
        if not result or value - result[-1] > SNAP:
            result.append(value)
    return result


def _index(edges: Sequence[float], value: float) -> int:
    """The position of the edge nearest ``value``."""
    i = bisect.bisect_left(edges, value)
    if i == len(edges):
        return i - 1
    if i > 0 and value - edges[i - 1] < edges[i] - value:
        return i - 1
    return i


@dataclass(slots=True)
class _Box:
    r0: int
    c0: int
    r1: int
    c1: int
    chars: list[Obj]


def _cell_text(chars: Sequence[Obj]) -> str:
    return join_lines([join_chars(line) for line in group_lines(chars)])


def grid_of(
    cells: Sequence[tuple[float, float, float, float]], chars: Sequence[Obj], ruled: bool = True
) -> tuple[TablePart | None, list[Obj]]:
    """A table's grid from its cells' bounding boxes, and the characters left outside it.

    Rows at the top or the bottom whose only text is one cell as wide as the table (a title
    and its unit line drawn inside the table's border, as Excel prints them) are not part of
    the grid: their characters are returned with those in no cell, to be read as text lines.
    """
    xs = _snap(v for c in cells for v in (c[0], c[2]))
    ys = _snap(v for c in cells for v in (c[1], c[3]))
    width = len(xs) - 1
    boxes: list[_Box] = []
    owner: dict[tuple[int, int], int] = {}
    for x0, top, x1, bottom in cells:
        box = _Box(_index(ys, top), _index(xs, x0), _index(ys, bottom), _index(xs, x1), [])
        if box.r1 <= box.r0 or box.c1 <= box.c0:
            continue
        for r in range(box.r0, box.r1):
            for c in range(box.c0, box.c1):
                owner.setdefault((r, c), len(boxes))
        boxes.append(box)
    stray: list[Obj] = []
    for ch in chars:
        cx = (float(ch["x0"]) + float(ch["x1"])) / 2
        found = owner.get(
            (bisect.bisect_right(ys, _centre(ch)) - 1, bisect.bisect_right(xs, cx) - 1)
        )
        if found is None:
            stray.append(ch)
        else:
            boxes[found].chars.append(ch)
    texts = [_cell_text(b.chars) for b in boxes]
    printed = [(b, t) for b, t in zip(boxes, texts, strict=True) if t]
    by_row: dict[int, list[_Box]] = {}
    for box, _ in printed:
        by_row.setdefault(box.r0, []).append(box)
    order = sorted(by_row)
    while order and _banner(by_row[order[0]], width):
        stray.extend(by_row.pop(order.pop(0))[0].chars)
    while order and _banner(by_row[order[-1]], width):
        stray.extend(by_row.pop(order.pop())[0].chars)
    kept = [(b, t) for b, t in printed if b.r0 in by_row]
    if not kept:
        return None, stray
    with_text = {
        i for i, (b, t) in enumerate(zip(boxes, texts, strict=True)) if t and b.r0 in by_row
    }
    groups = _column_groups(boxes, with_text, owner, width)
    columns = tuple((xs[m[0]], xs[m[-1] + 1]) for m in _members(groups, width))
    first, last = order[0], max(b.r1 for b, _ in kept)
    grid_cells = tuple(
        GridCell(
            text,
            box.r0 - first,
            groups[box.c0],
            box.r1 - box.r0,
            groups[box.c1 - 1] - groups[box.c0] + 1,
            xs[box.c0],
            xs[box.c1],
        )
        for box, text in kept
    )
    part = TablePart(ys[first], ys[last], xs[0], xs[-1], last - first, columns, grid_cells, ruled)
    return part, stray


def _banner(boxes: Sequence[_Box], width: int) -> bool:
    """A row whose only text is one cell spanning the whole table."""
    return len(boxes) == 1 and boxes[0].c0 == 0 and boxes[0].c1 == width


def _column_groups(
    boxes: Sequence[_Box], printed: set[int], owner: dict[tuple[int, int], int], width: int
) -> list[int]:
    """For each grid column, its logical column.

    A column is merged into the one on its left (a phantom column: a Word table whose header
    row and body rows put their inner borders at different places) unless some row separates
    them: text starts in both, or a cell with text begins exactly at this column right beside
    another cell with text that begins in the column on its left, or two cells with text meet
    at the column's left edge and no cell with text crosses that edge (``_drawn_edges``: the
    header cells' own extents, which is all an empty table shows of its columns).
    """
    starts: dict[int, set[int]] = {}
    for index in printed:
        starts.setdefault(boxes[index].r0, set()).add(boxes[index].c0)
    edges = _drawn_edges(boxes, printed, owner)
    rows = sorted({r for r, _ in owner})
    groups: list[int] = []
    members: set[int] = set()
    current = -1
    for col in range(width):
        clash = current < 0 or col in edges
        clash = clash or any(col in cols and cols & members for cols in starts.values())
        for r in rows if not clash else ():
            here, left = owner.get((r, col)), owner.get((r, col - 1))
            if (
                here is not None
                and left is not None
                and here != left
                and here in printed
                and left in printed
                and boxes[here].c0 == col
                and boxes[left].c0 in members
            ):
                clash = True
                break
        if clash:
            current += 1
            members = set()
        members.add(col)
        groups.append(current)
    return groups


def _drawn_edges(
    boxes: Sequence[_Box], printed: set[int], owner: dict[tuple[int, int], int]
) -> set[int]:
    """Grid edges where a cell with text ends and the next cell of the same row, with text,
    begins, while no cell with text spans across the edge.

    Such an edge is a column boundary both cells draw: a phantom column's edge is always
    crossed by some cell with text (the header row's, or the body rows'), so this never
    separates a phantom column; it separates the columns of a table whose header is all it
    prints (an empty template, where no body row puts text on both sides).
    """
    crossed = {col for i in printed for col in range(boxes[i].c0 + 1, boxes[i].c1)}
    edges: set[int] = set()
    for (row, col), here in owner.items():
        left = owner.get((row, col - 1))
        if (
            col not in crossed
            and left is not None
            and left != here
            and here in printed
            and left in printed
            and boxes[here].c0 == col
            and boxes[left].c1 == col
        ):
            edges.add(col)
    return edges


def _members(groups: Sequence[int], width: int) -> list[list[int]]:
    result: list[list[int]] = []
    for col in range(width):
        if groups[col] >= len(result):
            result.append([])
        result[groups[col]].append(col)
    return result


def _inside(ch: Obj, box: tuple[float, float, float, float]) -> bool:
    cx = (float(ch["x0"]) + float(ch["x1"])) / 2
    cy = _centre(ch)
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def text_lines(chars: Iterable[Obj]) -> list[TextLine]:
    """Characters outside tables as printed lines, each cut into cells at wide gaps."""
    result = []
    for line in group_lines(chars):
        pieces = split_cells(line)
        texts = [join_chars(p) for p in pieces]
        result.append(
            TextLine(
                top=min(float(c["top"]) for c in line),
                bottom=max(float(c["bottom"]) for c in line),
                x0=float(line[0]["x0"]),
                x1=float(line[-1]["x1"]),
                cells=tuple(texts),
                starts=tuple(float(p[0]["x0"]) for p in pieces),
                ends=tuple(float(p[-1]["x1"]) for p in pieces),
            )
        )
    return result


def _has_figure(line: TextLine) -> bool:
    return any(_AMOUNT.match(c.replace(" ", "")) for c in line.cells)


def _unruled_region(lines: Sequence[TextLine]) -> tuple[float, float] | None:
    """The vertical extent of the longest run of lines laid out as a table (several cells,
    figures in at least three of them), for the text strategy."""
    best: tuple[int, float, float] | None = None
    run: list[TextLine] = []
    for line in [*lines, None]:
        if line is not None and len(line.cells) >= 2:
            run.append(line)
            continue
        figures = sum(1 for r in run if _has_figure(r))
        if figures >= 3 and (best is None or figures > best[0]):
            best = (figures, run[0].top, run[-1].bottom)
        run = []
    return None if best is None else (best[1], best[2])


def read_page(page: Page) -> PageContent:
    """One page as text lines and tables in reading order, or why it cannot be read."""
    number = int(page.page_number)
    width, height = float(page.width), float(page.height)
    chars = [c for c in page.chars if str(c["text"]).strip()]
    if not chars:
        if page.images or page.curves or len(page.rects) > 50:
            return PageContent(
                number,
                width,
                height,
                (),
                f"第{number}页没有文字层（扫描或图片），未读取",
                f"page {number} has no text layer (a scan or an image); not read",
            )
        return PageContent(number, width, height, ())
    bad = sum(1 for c in chars if undecodable(str(c["text"])))
    if bad > UNDECODABLE_SHARE * len(chars):
        return PageContent(
            number,
            width,
            height,
            (),
            f"第{number}页有{bad}个无法解码的字形（(cid:…)），未读取",
            f"page {number}: {bad} glyphs cannot be decoded ((cid:…)); not read",
            bad,
        )
    visible = page.filter(visible_rule)
    tables = visible.find_tables()
    items: list[TextLine | TablePart] = []
    outside = chars
    for table in tables:
        box = table.bbox
        inside = [c for c in outside if _inside(c, box)]
        outside = [c for c in outside if not _inside(c, box)]
        part, stray = grid_of(table.cells, inside)
        outside.extend(stray)
        if part is not None:
            items.append(part)
    lines = text_lines(outside)
    if not tables:
        region = _unruled_region(lines)
        if region is not None:
            crop = page.crop((0, max(region[0] - 1, 0), width, min(region[1] + 1, height)))
            for table in crop.find_tables(TEXT_STRATEGY):
                box = table.bbox
                inside = [c for c in chars if _inside(c, box)]
                part, _ = grid_of(table.cells, inside, ruled=False)
                if part is not None:
                    items.append(part)
                lines = [ln for ln in lines if not (box[1] <= ln.top and ln.bottom <= box[3])]
    items.extend(lines)
    items.sort(key=lambda item: (item.top, item.x0))
    return PageContent(number, width, height, tuple(items), undecodable=bad)
