"""The budget disclosure as one PDF: cover, contents, explanation, every table, every project form.

Drawn with ReportLab platypus from the same ``Table`` values as the text, JSON and CSV renderers:
the header grid becomes ``SPAN`` commands, amounts go through ``render.cells.display`` (the one
place that rounds), and the Chinese font is embedded (``render.fonts``). Tables and forms are on
A4 landscape pages, the cover, contents and explanation on A4 portrait. Every section is in the
table of contents and in the PDF outline (bookmarks); every page but the cover has "第 N 页".

Speed: cells whose text fits on one line are drawn as plain strings (fast); only text that must
wrap becomes a ``Paragraph`` (``wordWrap='CJK'``). The contents are pre-filled with the known
entries, so ``multiBuild`` needs two passes instead of three.
"""

from __future__ import annotations

import io
import itertools
import math
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus import paragraph as reportlab_paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from yusuan import __version__
from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR, Funds, Indicator
from yusuan.render.cells import display
from yusuan.render.fonts import pdf_font
from yusuan.tables.base import AMOUNT, CODE, NAME, NUMERIC_KINDS, TOTAL, Column, Table
from yusuan.tables.forms import FUND_ROWS, TEXT_FIELDS, ProjectForm

# 行首禁则 (W3C “Requirements for Chinese Text Layout” §3.1.7): closing punctuation never starts
# a line. ReportLab's CJK wrap hangs such a character in the right margin instead of pushing it to
# the next line, but knows only the Japanese set (Chinese text also needs the full-width colon,
# comma, semicolon, marks, closing quotes and brackets) and hangs one character only (“）。”
# would leave “。” at the start of a line). Its two wrap routines (one text run: textsplit; several:
# paragraph) each read their own copy of the set; the one-run routine also gets the hanging of a
# run of closers.
NO_LINE_START = "：，；？！）》」』〉”’％"
for _module in (textsplit, reportlab_paragraph):
    _module.ALL_CANNOT_START += "".join(
        c for c in NO_LINE_START if c not in _module.ALL_CANNOT_START
    )
_reportlab_word_split = textsplit.wordSplit


def _word_split_hanging(
    text: str, widths: Any, font: str, size: float, encoding: str = "utf8"
) -> list[list[Any]]:
    """``textsplit.wordSplit``, then every closing mark that still starts a line (the second of
    “）。”) is hung at the end of the line before."""
    lines: list[list[Any]] = _reportlab_word_split(text, widths, font, size, encoding)
    for previous, line in itertools.pairwise(lines):
        while line[1] and line[1][0] in textsplit.ALL_CANNOT_START:
            mark, width = line[1][0], stringWidth(line[1][0], font, size)
            previous[1], previous[0] = previous[1] + mark, previous[0] - width
            line[1], line[0] = line[1][1:], line[0] + width
    return [line for line in lines if line[1]]


reportlab_paragraph.wordSplit = _word_split_hanging

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 12 * mm
BODY_SIZE = 9.0
SMALLEST_SIZE = 6.0
PADDING_X = 3.0
PADDING_Y = 1.6
CELL_LEADING = 1.18  # line height in a cell, in units of the font size
INDENT = 1.0  # name indent per level below 类, in units of the font size (one 汉字)
MAX_POINTS_PER_HINT = 8.0  # a table of few columns is not stretched wider than this
HEADER_FILL = colors.HexColor("#E9EDF2")
GRID_COLOUR = colors.HexColor("#444444")
MUTED = colors.HexColor("#555555")

TABLES_HEADING = "部门预算公开表"
FORMS_HEADING = "项目支出绩效目标申报表"
NARRATIVE_HEADING = "部门预算情况说明"

Cell: TypeAlias = Any  # a plain string (one line, fast) or a Flowable (a Paragraph)
Command = tuple[Any, ...]


# --- the PDF's parts: entries for the contents and outline --------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A place in the outline (bookmark) and, when ``in_toc``, in the table of contents."""

    key: str
    text: str
    level: int
    in_toc: bool = True


class Anchor(Flowable):  # type: ignore[misc]
    """An invisible mark: an outline entry for the page it lands on."""

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (0.0, 0.0)

    def draw(self) -> None:
        return None


BOLD_STROKE = 0.035  # outline stroke of fake bold, in units of the font size


class BoldParagraph(Paragraph):  # type: ignore[misc]
    """A paragraph drawn bold by stroking the glyph outlines: CJK TrueType fonts have no bold face."""

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.style.fontSize * BOLD_STROKE)
        canvas.setStrokeColor(self.style.textColor)
        canvas.addLiteral("2 Tr")  # text render mode: fill, then stroke
        super().draw()
        canvas.addLiteral("0 Tr")
        canvas.restoreState()


class BoldLine(Flowable):  # type: ignore[misc]
    """One line of bold text in a cell: what a one-line ``BoldParagraph`` draws, far cheaper."""

    def __init__(self, text: str, font: str, size: float, align: int) -> None:
        super().__init__()
        self.text, self.font, self.size, self.align = text, font, size, align

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return (availWidth, self.size * CELL_LEADING)

    def draw(self) -> None:
        text_width = stringWidth(self.text, self.font, self.size)
        x = {TA_RIGHT: self.width - text_width, TA_CENTER: (self.width - text_width) / 2}
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.size * BOLD_STROKE)
        line = canvas.beginText(x.get(self.align, 0.0), self.size * (CELL_LEADING - 1))
        line.setTextRenderMode(2)  # fill, then stroke
        line.setFont(self.font, self.size)
        line.textOut(self.text)
        canvas.drawText(line)
        canvas.restoreState()


class Heading(BoldParagraph):
    """A visible heading that is also an outline and contents entry."""

    def __init__(self, text: str, style: ParagraphStyle, entry: Entry) -> None:
        super().__init__(escape(text), style)
        self.entry = entry


@dataclass(slots=True)
class DrawSwitch:
    """Whether tables draw: off during the first ``multiBuild`` pass, which only finds pages."""

    on: bool = True


class LayoutTable(PdfTable):  # type: ignore[misc]
    """A table that skips drawing while its switch is off (the parts of a split share it)."""

    def __init__(self, *args: Any, switch: DrawSwitch | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.switch = switch or DrawSwitch()

    def onSplit(self, T: PdfTable, byRow: int = 1) -> None:
        T.switch = self.switch

    def draw(self) -> None:
        if self.switch.on:
            super().draw()


# --- styles --------------------------------------------------------------------------------------


def paragraph_style(
    font: str, size: float, *, align: int = TA_LEFT, leading: float = 1.25, **extra: Any
) -> ParagraphStyle:
    return ParagraphStyle(
        f"yusuan-{size}-{align}-{sorted(extra.items())}",
        fontName=font,
        fontSize=size,
        leading=size * leading,
        alignment=align,
        wordWrap="CJK",
        **extra,
    )


@cache
def cell_style(font: str, size: float, align: int) -> ParagraphStyle:
    return paragraph_style(font, size, align=align, leading=CELL_LEADING)


@dataclass(frozen=True, slots=True)
class Styles:
    font: str
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_note: ParagraphStyle
    title: ParagraphStyle
    section: ParagraphStyle
    body: ParagraphStyle
    unit: ParagraphStyle
    note: ParagraphStyle
    toc_title: ParagraphStyle
    toc_levels: tuple[ParagraphStyle, ...]


@cache
def styles_for(font: str) -> Styles:
    return Styles(
        font=font,
        cover_title=paragraph_style(font, 26, align=TA_CENTER, leading=1.4),
        cover_subtitle=paragraph_style(font, 16, align=TA_CENTER, leading=1.5, spaceBefore=12),
        cover_note=paragraph_style(font, 12, align=TA_CENTER, leading=1.6, textColor=MUTED),
        title=paragraph_style(font, 15, align=TA_CENTER, leading=1.4, spaceAfter=4),
        section=paragraph_style(font, 13, leading=1.5, spaceBefore=10, spaceAfter=4),
        body=paragraph_style(
            font, 11, align=TA_JUSTIFY, leading=1.75, firstLineIndent=22, spaceAfter=4
        ),
        unit=paragraph_style(font, BODY_SIZE, align=TA_RIGHT, spaceAfter=3),
        note=paragraph_style(font, BODY_SIZE, leading=1.5, spaceBefore=4),
        toc_title=paragraph_style(font, 18, align=TA_CENTER, leading=1.4, spaceAfter=14),
        toc_levels=(
            paragraph_style(font, 12, leading=1.5, spaceBefore=6),
            paragraph_style(font, 10.5, leading=1.45, leftIndent=24),
        ),
    )


# --- cells ---------------------------------------------------------------------------------------


def text_fits(text: str, font: str, size: float, width: float) -> bool:
    """Whether ``text`` fits on one line of a cell ``width`` wide (padding included)."""
    return float(stringWidth(text, font, size)) <= width - 2 * PADDING_X


def cell(
    text: str, font: str, size: float, width: float, *, align: int = TA_LEFT, bold: bool = False
) -> Cell:
    """A plain string when it fits on one line (fast; ``BoldLine`` when bold); otherwise a
    paragraph that wraps Chinese text anywhere (``wordWrap='CJK'``)."""
    if not text:
        return ""
    if "\n" not in text and text_fits(text, font, size, width):
        return BoldLine(text, font, size, align) if bold else text
    kind = BoldParagraph if bold else Paragraph
    markup = escape(text).replace("\n", "<br/>")
    paragraph: Flowable = kind(markup, cell_style(font, size, align))
    return paragraph


def column_widths(hints: Sequence[float], needs: Sequence[float], available: float) -> list[float]:
    """Widths in points: the hints scaled to ``available``, each at least its ``need``.

    Columns widened to their need take the extra width from the others, each giving in
    proportion to what it has above its own need. The result exceeds ``available`` only when
    the needs alone do.
    """
    scale = min(available / sum(hints), MAX_POINTS_PER_HINT)
    widths = [max(hint * scale, need) for hint, need in zip(hints, needs, strict=True)]
    excess = sum(widths) - scale * sum(hints)
    slack = [width - need for width, need in zip(widths, needs, strict=True)]
    if excess <= 0 or sum(slack) <= 0:
        return widths
    share = min(1.0, excess / sum(slack))
    return [width - room * share for width, room in zip(widths, slack, strict=True)]


def is_cjk(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def longest_word(text: str) -> str:
    """The longest piece a line must not break: a run of Latin letters, digits and signs."""
    words = "".join(" " if is_cjk(ch) else ch for ch in text).split()
    return max(words, key=len, default="")


# --- disclosure tables ---------------------------------------------------------------------------


def table_texts(table: Table) -> list[list[str]]:
    """Every body cell as people see it (``display``: the table's unit, 四舍五入)."""
    return [[display(c, row.cell(c), table.unit) for c in table.columns] for row in table.rows]


def wraps(column: Column) -> bool:
    return column.kind not in (*NUMERIC_KINDS, CODE)


def name_indent(table: Table, row_index: int, column: Column, size: float) -> float:
    row = table.rows[row_index]
    if column.kind != NAME or row.level <= 1:
        return 0.0
    return (row.level - 1) * INDENT * size


def column_need(texts: Sequence[str], header: str, wrapping: bool, font: str, size: float) -> float:
    """The narrowest a column may be: its widest text if it must not wrap; else its longest
    word, its header up to 4 汉字 wide, and 4 汉字 unless all its texts are shorter."""

    def width(text: str) -> float:
        return float(stringWidth(text, font, size))

    widest = max((width(t) for t in texts), default=0.0)
    if not wrapping:
        return max(widest, min(width(header), 4 * size)) + 2 * PADDING_X + 1
    word = max((width(longest_word(t)) for t in texts), default=0.0)
    return max(word, min(width(header), 4 * size), min(widest, 4 * size)) + 2 * PADDING_X + 1


def leaf_labels(table: Table) -> list[str]:
    """The header text standing over each single column (its lowest one-column cell)."""
    labels = ["" for _ in table.columns]
    for h in sorted(table.header, key=lambda h: h.row):
        if h.colspan == 1:
            labels[h.col] = h.text
    return labels


def table_layout(
    table: Table, texts: list[list[str]], font: str, available: float
) -> tuple[float, list[float]]:
    """The largest font size (down to 6 pt) at which the table fits the page width, and widths."""
    labels = leaf_labels(table)
    columns = [[row[c] for row in texts] for c in range(len(table.columns))]
    size = BODY_SIZE
    while True:
        needs = [
            column_need(columns[c], labels[c], wraps(column), font, size)
            for c, column in enumerate(table.columns)
        ]
        widths = column_widths([c.width for c in table.columns], needs, available)
        if sum(widths) <= available + 0.5 or size <= SMALLEST_SIZE:
            return size, widths
        size -= 0.5


def header_cells(table: Table, font: str, size: float, widths: list[float]) -> list[list[Cell]]:
    grid: list[list[Cell]] = [["" for _ in table.columns] for _ in range(table.header_rows)]
    for h in table.header:
        width = sum(widths[h.col : h.col + h.colspan])
        grid[h.row][h.col] = cell(h.text, font, size, width, align=TA_CENTER, bold=True)
    return grid


def span_commands(table: Table) -> list[Command]:
    return [
        ("SPAN", (h.col, h.row), (h.col + h.colspan - 1, h.row + h.rowspan - 1))
        for h in table.header
        if h.rowspan > 1 or h.colspan > 1
    ]


def body_cells(
    table: Table, texts: list[list[str]], font: str, size: float, widths: list[float]
) -> tuple[list[list[Cell]], list[list[tuple[int, float]]]]:
    """The body rows, and each row's indented cells as ``(column, left padding)``."""
    rows: list[list[Cell]] = []
    indents: list[list[tuple[int, float]]] = []
    for r, row in enumerate(table.rows):
        bold = row.kind == TOTAL
        cells: list[Cell] = []
        padded: list[tuple[int, float]] = []
        for c, column in enumerate(table.columns):
            indent = name_indent(table, r, column, size)
            if indent:
                padded.append((c, PADDING_X + indent))
            align = TA_RIGHT if column.kind in NUMERIC_KINDS else TA_LEFT
            cells.append(cell(texts[r][c], font, size, widths[c] - indent, align=align, bold=bold))
        rows.append(cells)
        indents.append(padded)
    return rows, indents


def grid_style(font: str, size: float) -> list[Command]:
    return [
        ("FONT", (0, 0), (-1, -1), font, size, size * CELL_LEADING),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING_X),
        ("TOPPADDING", (0, 0), (-1, -1), PADDING_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING_Y),
    ]


def ruled(first_column: int = 0) -> list[Command]:
    """Lines around every cell from ``first_column`` on, and around the whole table."""
    return [
        ("GRID", (first_column, 0), (-1, -1), 0.5, GRID_COLOUR),
        ("BOX", (0, 0), (-1, -1), 0.5, GRID_COLOUR),
    ]


@dataclass(slots=True)
class TableParts:
    """A disclosure table laid out once; ``piece(a, b)`` is the header with body rows a..b-1."""

    head: list[list[Cell]]
    body: list[list[Cell]]
    indents: list[list[tuple[int, float]]]
    widths: list[float]
    style: list[Command]
    switch: DrawSwitch

    def piece(self, first: int, stop: int) -> LayoutTable:
        top = len(self.head)
        padding = [
            ("LEFTPADDING", (c, top + r - first), (c, top + r - first), pad)
            for r in range(first, stop)
            for c, pad in self.indents[r]
        ]
        return LayoutTable(
            self.head + self.body[first:stop],
            colWidths=self.widths,
            repeatRows=top,
            style=self.style + padding,
            hAlign="CENTER",
            switch=self.switch,
        )


def table_parts(table: Table, font: str, available: float, switch: DrawSwitch) -> TableParts:
    """Cells, widths and style of a disclosure table: merged header, amounts right-aligned."""
    texts = table_texts(table)
    size, widths = table_layout(table, texts, font, available)
    head = header_cells(table, font, size, widths)
    body, indents = body_cells(table, texts, font, size, widths)
    style = grid_style(font, size) + ruled()
    top = table.header_rows
    if top:
        style.append(("BACKGROUND", (0, 0), (-1, top - 1), HEADER_FILL))
    for c, column in enumerate(table.columns):
        if column.kind in NUMERIC_KINDS:
            style.append(("ALIGN", (c, top), (c, -1), "RIGHT"))
    return TableParts(head, body, indents, widths, style + span_commands(table), switch)


class PagedTable(Flowable):  # type: ignore[misc]
    """A long table cut into one ReportLab table per page.

    ReportLab splits a long table by re-measuring all the rows that remain on every page, which
    grows with the square of the length. Here the rows are measured once; each split takes the
    rows that fit and leaves the rest, and only the page's own piece is a ReportLab table.
    """

    def __init__(self, parts: TableParts, tops: list[float], first: int, stop: int) -> None:
        super().__init__()
        self.parts = parts
        self.tops = tops  # tops[i]: height of the header and body rows before row i
        self.first = first
        self.stop = stop
        self.hAlign = "CENTER"
        self.width = sum(parts.widths)

    @classmethod
    def of(cls, parts: TableParts) -> PagedTable:
        whole = parts.piece(0, len(parts.body))
        whole.wrap(sum(parts.widths), 1e9)
        heights: list[float] = list(whole._rowHeights)  # measured by ReportLab, once
        top = len(parts.head)
        tops = [sum(heights[:top])]
        for h in heights[top:]:
            tops.append(tops[-1] + h)
        return cls(parts, tops, 0, len(parts.body))

    def height_of(self, first: int, stop: int) -> float:
        return self.tops[0] + self.tops[stop] - self.tops[first]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return (self.width, self.height_of(self.first, self.stop))

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        stop = self.first
        while stop < self.stop and self.height_of(self.first, stop + 1) <= availHeight + 1e-6:
            stop += 1
        if stop == self.first:
            return []
        rest = PagedTable(self.parts, self.tops, stop, self.stop)
        return [self.parts.piece(self.first, stop), rest]

    def draw(self) -> None:
        piece = self.parts.piece(self.first, self.stop)
        piece.wrapOn(self.canv, self.width, self.height_of(self.first, self.stop))
        piece.drawOn(self.canv, 0, 0)


PAGED_ROWS = 60  # tables longer than this are cut into pages by ``PagedTable``


def disclosure_table(parts: TableParts) -> Flowable:
    """The table as one flowable: a ReportLab table, or a ``PagedTable`` when it is long."""
    if len(parts.body) > PAGED_ROWS:
        return PagedTable.of(parts)
    return parts.piece(0, len(parts.body))


def aligned(paragraph: Paragraph, width: float) -> PdfTable:
    """A paragraph as wide as a centred table, so a right-aligned unit ends where the table ends."""
    padding = [(side, (0, 0), (-1, -1), 0) for side in ("LEFTPADDING", "RIGHTPADDING")]
    return PdfTable([[paragraph]], colWidths=[width], style=padding, hAlign="CENTER")


def table_story(
    table: Table, styles: Styles, available: float, switch: DrawSwitch
) -> list[Flowable]:
    entry = Entry(f"table-{table.number}-{table.id}", table.title, 1)
    parts = table_parts(table, styles.font, available, switch)
    width = sum(parts.widths)
    story: list[Flowable] = [
        Heading(table.title, styles.title, entry),
        aligned(Paragraph(escape(f"单位：{table.unit.value}"), styles.unit), width),
        disclosure_table(parts),
    ]
    story.extend(aligned(Paragraph(escape(note), styles.note), width) for note in table.notes)
    return story


# --- project forms -------------------------------------------------------------------------------

# The form's eight columns: label | 一级 二级 三级 指标值 (实施期) | 二级 三级 指标值 (年度)
FORM_COLUMN_RATIOS = (86, 56, 86, 170, 88, 86, 170, 88)
WRAP_SLACK = 0.12  # share of a line assumed lost to wrapping when estimating heights
MAX_BLOCK_SHARE = 0.7  # an unbreakable block of rows is at most this share of a page


def form_widths(available: float) -> list[float]:
    total = sum(FORM_COLUMN_RATIOS)
    return [available * r / total for r in FORM_COLUMN_RATIOS]


def merge_runs(keys: Sequence[Hashable | None]) -> list[tuple[int, int]]:
    """Runs ``(first, last)`` of consecutive equal keys (``None`` never merges)."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] is None or keys[i] != keys[start]:
            if keys[start] is not None:
                runs.append((start, i - 1))
            start = i
    return runs


def block_cuts(runs: Sequence[tuple[int, int]], heights: Sequence[float], limit: float) -> set[int]:
    """Rows before which merged cells must be cut so no unbreakable block exceeds ``limit``.

    A table can only break between rows that no merged cell crosses, so overlapping runs (of
    every column) join rows into blocks. A block taller than ``limit`` is cut where its height
    would pass the limit; those cuts then are places where the table can break.
    """
    joined = [False] * len(heights)  # joined[i]: some run joins row i to row i + 1
    for first, last in runs:
        for i in range(first, last):
            joined[i] = True
    cuts: set[int] = set()
    height = 0.0
    for i, h in enumerate(heights):
        if height and height + h > limit:
            cuts.add(i)
            height = 0.0
        height = height + h if joined[i] else 0.0
    return cuts


def cut_runs(runs: Sequence[tuple[int, int]], cuts: set[int]) -> list[tuple[int, int]]:
    """Split every run at the cuts it crosses (the label then repeats after the cut)."""
    pieces: list[tuple[int, int]] = []
    for first, last in runs:
        start = first
        for i in range(first + 1, last + 1):
            if i in cuts:
                pieces.append((start, i - 1))
                start = i
        pieces.append((start, last))
    return pieces


def estimated_height(texts: Sequence[str], widths: Sequence[float], font: str) -> float:
    """A row's height, guessed from how many lines its widest-wrapping cell needs."""
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        if text:
            room = max(1.0, (width - 2 * PADDING_X) * (1 - WRAP_SLACK))
            lines = max(lines, math.ceil(stringWidth(text, font, BODY_SIZE) / room))
    return lines * BODY_SIZE * CELL_LEADING + 2 * PADDING_Y


FUNDS_COLUMN = Column("funds", "项目资金", AMOUNT)


def fund_text(funds: Funds, attr: str, form: ProjectForm) -> str:
    """A funds figure in the form's unit, zero shown (the form prints 0.00)."""
    value: Decimal = getattr(funds, attr)
    return display(FUNDS_COLUMN, value, form.unit, blank_zero=False)


def fund_label(period: str, index: int, label: str) -> str:
    if index == 0:
        return f"{period}{label}："
    return f"其中：{label}" if index == 1 else label


SENTENCE_ENDS = "。！？；;!?\n"


def chunks(text: str, font: str, width: float, max_lines: int = 14) -> list[str]:
    """Cut a long text into pieces of at most ``max_lines`` lines of a ``width`` cell.

    Each piece becomes a table row, so a form with pages of text can still break between rows.
    Pieces end after a sentence when one ends in the last third of the piece.
    """
    room = (width - 2 * PADDING_X) * max_lines * (1 - WRAP_SLACK)
    if stringWidth(text, font, BODY_SIZE) <= room:
        return [text]
    pieces: list[str] = []
    start, used = 0, 0.0
    for i, ch in enumerate(text):
        w = stringWidth(ch, font, BODY_SIZE)
        if used + w > room:
            cut = max(text.rfind(end, start, i) for end in SENTENCE_ENDS) + 1
            if cut <= start + (i - start) * 2 // 3:
                cut = i
            pieces.append(text[start:cut])
            used = stringWidth(text[cut:i], font, BODY_SIZE)
            start = cut
        used += w
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]


@dataclass(slots=True)
class FormGrid:
    """A form table being assembled: 8 text columns, merges, and extra style commands."""

    rows: list[list[str]]
    spans: list[tuple[int, int, int, int]]  # first col, first row, last col, last row
    bold: set[tuple[int, int]]
    right: set[tuple[int, int]]
    style: list[Command]
    lines: list[Command]

    def add(
        self, texts: Sequence[str], colspans: Sequence[int], *, bold: Sequence[int] = ()
    ) -> int:
        """Add a row whose cells (left to right) span ``colspans`` columns; returns its index."""
        r = len(self.rows)
        row = [""] * 8
        col = 0
        for i, (text, span) in enumerate(zip(texts, colspans, strict=True)):
            row[col] = text
            if span > 1:
                self.spans.append((col, r, col + span - 1, r))
            if i in bold:
                self.bold.add((col, r))
            col += span
        self.rows.append(row)
        return r


def new_grid() -> FormGrid:
    return FormGrid([], [], set(), set(), [], ruled())


def info_grid(form: ProjectForm, font: str, widths: list[float]) -> FormGrid:
    """项目名称 … 总体目标: the project's fields, funds and goals."""
    p = form.project
    g = new_grid()
    labels = (0,)
    g.add(["项目名称", p.name], [1, 7], bold=labels)
    g.add(
        ["主管部门及代码", f"{p.department}-{p.department_code}", "实施单位", p.implementing_unit],
        [1, 3, 1, 3],
        bold=(0, 2),
    )
    g.add(["项目属性", p.attribute, "项目期", p.period], [1, 3, 1, 3], bold=(0, 2))
    first = len(g.rows)
    for i, (label, attr) in enumerate(FUND_ROWS):
        r = g.add(
            [
                f"项目资金（{form.unit.value}）" if i == 0 else "",
                fund_label("实施期", i, label),
                fund_text(p.period_funds, attr, form),
                fund_label("年度", i, label),
                fund_text(p.year_funds, attr, form),
            ],
            [1, 3, 1, 2, 1],
            bold=labels,
        )
        g.right.update({(4, r), (7, r)})
    g.spans.append((0, first, 0, len(g.rows) - 1))
    for label, attr in TEXT_FIELDS:
        first = len(g.rows)
        for k, piece in enumerate(chunks(str(getattr(p, attr)), font, sum(widths[1:]))):
            g.add([label if k == 0 else "", piece], [1, 7], bold=labels)
        if len(g.rows) - 1 > first:
            g.spans.append((0, first, 0, len(g.rows) - 1))
    first = g.add(["总体目标", "实施期目标", "年度目标"], [1, 4, 3], bold=(0, 1, 2))
    period_goal = chunks(p.period_goal, font, sum(widths[1:5]))
    year_goal = chunks(p.year_goal, font, sum(widths[5:]))
    for k in range(max(len(period_goal), len(year_goal))):
        g.add(
            [
                "",
                period_goal[k] if k < len(period_goal) else "",
                year_goal[k] if k < len(year_goal) else "",
            ],
            [1, 4, 3],
        )
    g.spans.append((0, first, 0, len(g.rows) - 1))
    g.style.append(("BACKGROUND", (1, first), (-1, first), HEADER_FILL))
    return g


def indicator_columns(
    form: ProjectForm,
) -> tuple[list[Indicator | None], list[Indicator | None]]:
    """The two halves (实施期, 年度) side by side, padded with ``None`` to the same length."""
    period = [i for b in form.tree(PERIOD_IMPLEMENTATION) for i in b.indicators]
    year = [i for b in form.tree(PERIOD_YEAR) for i in b.indicators]
    n = max(len(period), len(year), 1)
    pad: list[Indicator | None] = [None] * n
    return (list(period) + pad)[:n], (list(year) + pad)[:n]


def indicator_grid(form: ProjectForm) -> FormGrid:
    """绩效指标: 一级|二级|三级|指标值 for 实施期 and 二级|三级|指标值 for 年度, labels merged."""
    g = new_grid()
    g.add(["绩效指标", "实施期指标", "年度指标"], [1, 4, 3], bold=(0, 1, 2))
    g.add(
        ["", "一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值"],
        [1] * 8,
        bold=range(8),
    )
    g.spans.append((0, 0, 0, 1))
    g.style.append(("BACKGROUND", (1, 0), (-1, 1), HEADER_FILL))
    # the label column reads as one cell (label on top) yet lets the table break between rows
    g.lines = ruled(first_column=1)
    period, year = indicator_columns(form)
    if not any(period) and not any(year):
        g.add(["", "（未填报绩效指标）"], [1, 7])
        return g
    level1: list[Hashable | None] = [
        either.level1 if (either := p or y) else None for p, y in zip(period, year, strict=True)
    ]
    level2: list[Hashable | None] = [(p.level1, p.level2) if p else None for p in period]
    year2: list[Hashable | None] = [(y.level1, y.level2) if y else None for y in year]
    bodies: list[list[str]] = []
    for p, y in zip(period, year, strict=True):
        bodies.append(
            [
                "",
                "",
                "",
                p.name if p else "",
                p.published_value if p else "",
                "",
                y.name if y else "",
                y.published_value if y else "",
            ]
        )
    top = len(g.rows)
    for column, keys in ((1, level1), (2, level2), (5, year2)):
        for first, last in merge_runs(keys):
            key = keys[first]
            bodies[first][column] = key[1] if isinstance(key, tuple) else str(key)
            if last > first:
                g.spans.append((column, top + first, column, top + last))
    for texts in bodies:
        g.add(texts, [1] * 8)
    return g


def breakable(grid: FormGrid, font: str, widths: list[float], limit: float) -> FormGrid:
    """The grid with its merged cells cut where rows joined by them would exceed ``limit``.

    The first row of every piece repeats the merged cell's text (its label).
    """
    starts = {(c0, r0): sum(widths[c0 : c1 + 1]) for c0, r0, c1, _ in grid.spans}
    heights = [
        estimated_height(texts, [starts.get((c, r), widths[c]) for c in range(8)], font)
        for r, texts in enumerate(grid.rows)
    ]
    tall = [span for span in grid.spans if span[3] > span[1]]
    cuts = block_cuts([(r0, r1) for _, r0, _, r1 in tall], heights, limit)
    if not cuts:
        return grid
    rows = [list(texts) for texts in grid.rows]
    spans = [span for span in grid.spans if span[3] == span[1]]
    bold = set(grid.bold)
    for c0, r0, c1, r1 in tall:
        for first, last in cut_runs([(r0, r1)], cuts):
            rows[first][c0] = rows[r0][c0]
            if (c0, r0) in bold:
                bold.add((c0, first))
            spans.append((c0, first, c1, last))
    return FormGrid(rows, spans, bold, grid.right, grid.style, grid.lines)


def footer_grid(form: ProjectForm) -> FormGrid:
    p = form.project
    filled = p.filled_on.isoformat() if p.filled_on else ""
    g = new_grid()
    g.lines = []
    g.add(
        [
            *("负责人：", p.person_in_charge, "经办人：", p.handler),
            *("联系电话：", p.phone, "填报日期：", filled),
        ],
        [1] * 8,
    )
    return g


def grid_table(
    grid: FormGrid,
    font: str,
    widths: list[float],
    switch: DrawSwitch,
    *,
    repeat: int = 0,
) -> PdfTable:
    data: list[list[Cell]] = []
    spans = {(c0, r0): sum(widths[c0 : c1 + 1]) for c0, r0, c1, _ in grid.spans}
    for r, texts in enumerate(grid.rows):
        row: list[Cell] = []
        for c, text in enumerate(texts):
            width = spans.get((c, r), widths[c])
            align = TA_RIGHT if (c, r) in grid.right else TA_LEFT
            row.append(cell(text, font, BODY_SIZE, width, align=align, bold=(c, r) in grid.bold))
        data.append(row)
    style = grid_style(font, BODY_SIZE) + grid.lines
    style += [("ALIGN", (c, r), (c, r), "RIGHT") for c, r in grid.right]
    style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in grid.spans]
    return LayoutTable(
        data, colWidths=widths, repeatRows=repeat, style=style + grid.style, switch=switch
    )


def form_story(
    form: ProjectForm,
    index: int,
    styles: Styles,
    frame: tuple[float, float],
    switch: DrawSwitch,
) -> list[Flowable]:
    available, page_height = frame
    widths = form_widths(available)
    font = styles.font
    entry = Entry(f"form-{index}", form.project.name, 1)
    limit = page_height * MAX_BLOCK_SHARE
    info = breakable(info_grid(form, font, widths), font, widths, limit)
    indicators = breakable(indicator_grid(form), font, widths, limit)
    return [
        Heading(form.title, styles.title, entry),
        Paragraph(escape(f"（{form.year}年度）"), cell_style(font, 11, TA_CENTER)),
        Spacer(1, 6),
        grid_table(info, font, widths, switch),
        grid_table(indicators, font, widths, switch, repeat=2),
        grid_table(footer_grid(form), font, widths, switch),
    ]


# --- the document --------------------------------------------------------------------------------


class Document(BaseDocTemplate):  # type: ignore[misc]
    """Cover and text pages in portrait, tables and forms in landscape; outline as it goes."""

    def __init__(
        self, buffer: io.BytesIO, *, title: str, subject: str, font: str, switch: DrawSwitch
    ) -> None:
        super().__init__(
            buffer,
            pagesize=PORTRAIT,
            title=title,
            author="yusuan",
            subject=subject,
            creator=f"yusuan {__version__}",
            lang="zh-CN",
            initialFontName=font,
            displayDocTitle=1,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN,
        )
        self.heading = title
        self.font = font
        self.section = ""  # the last heading placed so far
        self.page_section = ""  # what the running head of the current page names
        self.page_has_content = False
        self.switch = switch
        self.passes = 0
        self.addPageTemplates(
            [
                page_template("cover", PORTRAIT, None),
                page_template("portrait", PORTRAIT, self.decorate),
                page_template("landscape", LANDSCAPE, self.decorate),
            ]
        )

    def build(self, flowables: list[Flowable], *args: Any, **kwargs: Any) -> None:
        """One ``multiBuild`` pass; the first only finds the pages, so its tables are not drawn."""
        self.passes += 1
        self.switch.on = self.passes > 1
        self.section = ""
        self.page_section = ""
        super().build(flowables, *args, **kwargs)

    def handle_pageBegin(self) -> None:
        super().handle_pageBegin()
        # a page continuing a section is headed by that section ...
        self.page_section = self.section
        self.page_has_content = False

    def afterFlowable(self, flowable: Flowable) -> None:
        entry = getattr(flowable, "entry", None)
        if not isinstance(entry, Entry):
            # page breaks and template switches are not content of the page they open
            self.page_has_content |= not isinstance(flowable, ActionFlowable)
            return
        if not self.page_has_content:
            # ... and a page that opens with headings by the last of them (its own table)
            self.page_section = entry.text
        self.canv.bookmarkPage(entry.key)
        self.canv.addOutlineEntry(entry.text, entry.key, entry.level)
        if entry.in_toc:
            self.notify("TOCEntry", (entry.level, escape(entry.text), self.page, entry.key))
        self.section = entry.text

    def decorate(self, canvas: Any, doc: BaseDocTemplate) -> None:
        """Running head (document and section) and the page number, drawn when a page ends."""
        width, height = doc.pageTemplate.pagesize
        canvas.saveState()
        canvas.setFont(self.font, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, height - MARGIN + 12, self.heading)
        canvas.drawRightString(width - MARGIN, height - MARGIN + 12, self.page_section)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, height - MARGIN + 8, width - MARGIN, height - MARGIN + 8)
        canvas.setFont(self.font, 9)
        canvas.drawCentredString(width / 2, MARGIN / 2, f"第 {doc.page} 页")
        canvas.restoreState()


def page_template(
    name: str, size: tuple[float, float], decorate: Callable[[Any, Any], None] | None
) -> PageTemplate:
    width, height = size
    frame = Frame(MARGIN, MARGIN, width - 2 * MARGIN, height - 2 * MARGIN, id=name, showBoundary=0)
    if decorate is None:
        return PageTemplate(id=name, frames=[frame], pagesize=size)
    return PageTemplate(id=name, frames=[frame], pagesize=size, onPageEnd=decorate)


def frame_size(size: tuple[float, float]) -> tuple[float, float]:
    return size[0] - 2 * MARGIN, size[1] - 2 * MARGIN


def cover_story(title: str, subtitle: str, styles: Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Anchor(Entry("cover", "封面", 0, in_toc=False)),
        Spacer(1, 200),
        BoldParagraph(escape(title), styles.cover_title),
    ]
    if subtitle:
        story.append(Paragraph(escape(subtitle), styles.cover_subtitle))
    # a build stamp belongs in the file's metadata (creator, creation date), not on the page a
    # department publishes
    return story


def contents(styles: Styles, planned: Sequence[Entry]) -> TableOfContents:
    toc = TableOfContents(levelStyles=list(styles.toc_levels), dotsMinLevel=0)
    # the titles are known before the first pass: with them in place the pages do not move
    toc.addEntries([(e.level, escape(e.text), 888, e.key) for e in planned if e.in_toc])
    return toc


def narrative_story(
    narrative: Sequence[tuple[str, Sequence[str]]], styles: Styles
) -> list[Flowable]:
    story: list[Flowable] = [
        Heading(NARRATIVE_HEADING, styles.toc_title, Entry("narrative", NARRATIVE_HEADING, 0))
    ]
    for i, (heading, paragraphs) in enumerate(narrative):
        story.append(Heading(heading, styles.section, Entry(f"narrative-{i}", heading, 1)))
        story.extend(Paragraph(escape(text), styles.body) for text in paragraphs)
    return story


def entries_of(flowables: Sequence[Flowable]) -> list[Entry]:
    return [f.entry for f in flowables if isinstance(getattr(f, "entry", None), Entry)]


def pdf_bytes(
    tables: Sequence[Table],
    forms: Sequence[ProjectForm],
    *,
    title: str,
    subtitle: str = "",
    narrative: Sequence[tuple[str, Sequence[str]]] = (),
) -> bytes:
    """The whole disclosure as PDF bytes (font embedded when a TrueType CJK font is found)."""
    font = pdf_font()
    styles = styles_for(font.name)
    frame = frame_size(LANDSCAPE)
    switch = DrawSwitch()
    body: list[Flowable] = []
    if narrative:
        body += [NextPageTemplate("portrait"), PageBreak(), *narrative_story(narrative, styles)]
    body.append(NextPageTemplate("landscape"))
    for i, table in enumerate(tables):
        body.append(PageBreak())
        if i == 0:
            body.append(Anchor(Entry("tables", TABLES_HEADING, 0)))
        body += table_story(table, styles, frame[0], switch)
    for i, form in enumerate(forms):
        body.append(PageBreak())
        if i == 0:
            body.append(Anchor(Entry("forms", FORMS_HEADING, 0)))
        body += form_story(form, i, styles, frame, switch)
    planned = entries_of(body)
    front: list[Flowable] = []
    if any(entry.in_toc for entry in planned):
        front = [
            NextPageTemplate("portrait"),
            PageBreak(),
            Heading("目录", styles.toc_title, Entry("contents", "目录", 0, in_toc=False)),
            contents(styles, planned),
        ]
    story = [*cover_story(title, subtitle, styles), *front, *body]
    buffer = io.BytesIO()
    subject = subtitle or f"{title}：{TABLES_HEADING}与{FORMS_HEADING}"
    document = Document(buffer, title=title, subject=subject, font=font.name, switch=switch)
    document.multiBuild(story)
    return buffer.getvalue()
