"""Reader for ``pdftotext -layout`` output: the fallback for a PDF whose tables have no ruling
lines for a table extractor to follow.

``pdftotext -layout`` keeps the page's geometry in character columns: a cell's text starts
(text) or ends (figures) at about the same column on every line of a table, and columns are
apart by runs of spaces. This reader finds those columns again and hands the shared
recognition layer grid rows, with every cell in its column (empty cells kept, so a header
still stands over its figures):

1. The text is cut into regions at page breaks (``\\f``, kept as page numbers) and at titles
   (a line whose only text, spaces removed, is a table or form title; ``公开01表`` above a
   title is a line of its own).
2. In each region the lines that declare the unit or the department (``单位：万元``) and
   notes (``注：…``) are kept whole; the other lines are the table: header lines down to the
   first line with a printed amount, body lines from there.
3. Column spans come from the body: the character ranges of its tokens (text between spaces),
   overlapping ranges merged. A header token above exactly one span labels it; a header token
   above no span is a label printed off-centre or a column with no figures: it joins the
   nearest unlabelled span beside it, or becomes a column of its own. A header token over
   several spans is a group heading and stays on its own line.
4. Each line's tokens go to the span they overlap most (the nearest when none), tokens in one
   column joined (CJK without a space: ``合     计`` is 合计).
5. Wrapped cells are joined again: a header label broken over lines (因公出国 / （境）费) is
   joined when the joined words name a known column; a body line without amounts next to a
   line with amounts, filling only cells that line leaves empty, is part of it (pdftotext
   prints a one-line cell beside the middle of its wrapped neighbour).

Each grid row's line is its line in the text (1-based, ``\\f`` does not start a new line); each
table's page is the page of its title.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from yusuan.audit.assemble import recognise_rows, title_of
from yusuan.audit.document import RecognisedDocument
from yusuan.audit.grid import GridRow
from yusuan.audit.recognise import find_unit, is_money, is_number_label, vocabulary

_TOKEN = re.compile(r"\S+")
_META = re.compile(r"^(?:部门|单位|预算单位|单位名称|编制单位|填报单位)\s*[:：]")
_NOTE = re.compile(r"^(?:注|说明|备注)\s*\d*\s*[:：.、]")
WIDE_GAP = 2  # spaces that separate two cells on one line (one space may sit inside a cell)


# --- tokens and lines ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    """Text between spaces, at character columns [start, end)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the text: its number, its page, its tokens."""

    number: int
    page: int
    tokens: tuple[Token, ...]

    @property
    def blank(self) -> bool:
        return not self.tokens

    def phrases(self) -> list[str]:
        """The line's text cut at runs of two or more spaces."""
        result: list[list[Token]] = []
        for token in self.tokens:
            if result and token.start - result[-1][-1].end < WIDE_GAP:
                result[-1].append(token)
            else:
                result.append([token])
        return [join_texts([t.text for t in phrase]) for phrase in result]

    def joined(self) -> str:
        return join_texts([t.text for t in self.tokens])

    @property
    def has_amount(self) -> bool:
        return any(is_money(t.text) for t in self.tokens)


def is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def join_texts(parts: Sequence[str]) -> str:
    """Pieces of one cell joined: nothing between CJK characters, a space between Latin words."""
    text = ""
    for part in parts:
        if text and not (is_cjk(text[-1]) or is_cjk(part[0])):
            text += " "
        text += part
    return text


def read_lines(text: str) -> list[Line]:
    """Every line with its page (a form feed starts a new page) and its tokens."""
    lines = []
    page = 1
    for number, raw in enumerate(text.split("\n"), start=1):
        page += raw.count("\f")
        clean = raw.replace("\f", "").rstrip("\r")
        tokens = tuple(Token(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(clean))
        lines.append(Line(number, page, tokens))
    return lines


# --- regions -------------------------------------------------------------------------------


def is_title_line(line: Line) -> bool:
    """A line with one phrase (or letters spaced out) that reads as a title, or a table number."""
    if line.blank:
        return False
    phrases = line.phrases()
    spaced = all(len(t.text) == 1 for t in line.tokens)
    if len(phrases) != 1 and not spaced:
        return False
    cells = (line.joined(),)
    return title_of(GridRow(line.number, cells)) is not None or is_number_label(cells)


def regions(lines: Sequence[Line]) -> Iterator[list[Line]]:
    """Runs of lines cut before titles (a table continued on the next page stays one region)."""
    current: list[Line] = []
    for line in lines:
        if current and is_title_line(line):
            yield current
            current = []
        current.append(line)
    if current:
        yield current


def is_kept_whole(line: Line) -> bool:
    """Lines outside the table's columns: unit and department lines, notes, titles."""
    text = line.joined()
    return (
        is_title_line(line)
        or find_unit(text) is not None
        or bool(_META.match(text))
        or is_note(line)
    )


def is_note(line: Line) -> bool:
    return bool(_NOTE.match(line.joined()))


def whole_lines(region: Sequence[Line]) -> set[int]:
    """The numbers of the lines of a region kept whole: see ``is_kept_whole``; a note's further
    lines ("2. 采购品目名称…") too."""
    kept: set[int] = set()
    in_note = False
    for line in region:
        in_note = in_note or is_note(line)
        if not line.blank and (in_note or is_kept_whole(line)):
            kept.add(line.number)
    return kept


# --- columns -------------------------------------------------------------------------------


@dataclass(slots=True)
class Span:
    """A column: the character range its cells take, and whether a header labels it."""

    start: int
    end: int
    labelled: bool = False

    def overlap(self, token: Token) -> int:
        return min(self.end, token.end) - max(self.start, token.start)

    def distance(self, token: Token) -> int:
        if token.end <= self.start:
            return self.start - token.end
        if token.start >= self.end:
            return token.start - self.end
        return 0


def merge_ranges(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping [start, end) ranges merged, in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def column_spans(header: Sequence[Line], body: Sequence[Line]) -> list[Span]:
    """The columns of a table (see the module docstring, step 3)."""
    body_tokens = [(t.start, t.end) for line in body for t in line.tokens]
    spans = [Span(s, e) for s, e in merge_ranges(body_tokens)]
    orphans: list[tuple[int, int]] = []
    for line in header:
        for token in line.tokens:
            hits = [s for s in spans if s.overlap(token) > 0]
            if len(hits) == 1:
                hits[0].labelled = True
            elif not hits:
                orphans.append((token.start, token.end))
        orphans.extend(spaced_words(line))
    for start, end in merge_ranges(orphans):
        token = Token(start, end, "")
        left = max((s for s in spans if s.end <= start), key=lambda s: s.end, default=None)
        right = min((s for s in spans if s.start >= end), key=lambda s: s.start, default=None)
        free = [s for s in (left, right) if s is not None and not s.labelled]
        if free:
            nearest = min(free, key=lambda s: s.distance(token))
            nearest.start, nearest.end = min(nearest.start, start), max(nearest.end, end)
            nearest.labelled = True
        else:
            spans.append(Span(start, end, True))
    return sorted(spans, key=lambda s: s.start)


def spaced_words(line: Line) -> list[tuple[int, int]]:
    """The ranges of words printed with their characters spaced out ("金   额"): runs of single
    CJK characters at most four spaces apart."""
    runs: list[tuple[int, int]] = []
    previous: Token | None = None
    for token in line.tokens:
        single = len(token.text) == 1 and is_cjk(token.text)
        if single and previous is not None and token.start - previous.end <= 4:
            runs[-1] = (runs[-1][0], token.end)
        elif single:
            runs.append((token.start, token.end))
        previous = token if single else None
    return [r for r in runs if r[1] - r[0] > 1]


def column_of(spans: Sequence[Span], token: Token) -> int:
    """The span a token overlaps most; the nearest when it overlaps none."""
    best = max(range(len(spans)), key=lambda i: spans[i].overlap(token))
    if spans[best].overlap(token) > 0:
        return best
    return min(range(len(spans)), key=lambda i: spans[i].distance(token))


def line_cells(spans: Sequence[Span], line: Line) -> list[list[str]]:
    """The pieces of text of one line in each column."""
    cells: list[list[str]] = [[] for _ in spans]
    for token in line.tokens:
        cells[column_of(spans, token)].append(token.text)
    return cells


def spanning(spans: Sequence[Span], token: Token) -> bool:
    return sum(1 for s in spans if s.overlap(token) > 0) > 1


# --- header --------------------------------------------------------------------------------


def header_rows(spans: Sequence[Span], header: Sequence[Line]) -> list[GridRow]:
    """One grid row per header line; a label wrapped over lines in one column (nothing else in
    that column between its pieces) is joined into its lowest line when the joined words name a
    column (因公出国 + （境）费)."""
    vocab = vocabulary()
    grid = [[join_texts(c) for c in line_cells(spans, line)] for line in header]
    wide = [{column_of(spans, t) for t in line.tokens if spanning(spans, t)} for line in header]
    for col in range(len(spans)):
        pieces = [i for i in range(len(header)) if grid[i][col] and col not in wide[i]]
        end = len(pieces) - 1
        while end > 0:
            lowest = pieces[end]
            joined, best_start = grid[lowest][col], end
            for start in range(end - 1, -1, -1):
                if any(col in wide[i] for i in range(pieces[start], lowest)):
                    break
                joined = grid[pieces[start]][col] + joined
                if vocab.is_header_word(joined):
                    best_start = start
            if best_start < end:
                grid[lowest][col] = "".join(
                    grid[pieces[i]][col] for i in range(best_start, end + 1)
                )
                for i in range(best_start, end):
                    grid[pieces[i]][col] = ""
            end = best_start - 1
    return [GridRow(line.number, tuple(cells)) for line, cells in zip(header, grid, strict=True)]


# --- body ----------------------------------------------------------------------------------


def filled(cells: Sequence[Sequence[str]]) -> set[int]:
    return {i for i, c in enumerate(cells) if c}


def body_rows(spans: Sequence[Span], body: Sequence[Line]) -> list[GridRow]:
    """One grid row per body line, a wrapped neighbour without amounts joined into its row."""
    cells = [line_cells(spans, line) for line in body]
    claims: dict[int, list[int]] = {}  # a line without amounts -> the rows that may own it
    upper: dict[int, list[int]] = {}  # a row -> the lines just above it that it may own
    for index, line in enumerate(body):
        if not line.has_amount:
            continue
        taken = filled(cells[index])
        for step in (-1, 1):
            near = index + step
            while 0 <= near < len(body):
                other = body[near]
                if other.has_amount or abs(other.number - body[near - step].number) != 1:
                    break
                if filled(cells[near]) & taken:
                    break
                claims.setdefault(near, []).append(index)
                if step == -1:
                    upper.setdefault(index, []).append(near)
                near += step
    owner: dict[int, int] = {}
    for near, rows in claims.items():
        first = rows[0]
        if len(rows) > 1:  # the lower part of one row or the upper part of the next
            wrapped = set().union(*(filled(cells[i]) for i in upper.get(first, [])))
            first = first if filled(cells[near]) <= wrapped else rows[-1]
        owner[near] = first
    result = []
    for index, line in enumerate(body):
        if index in owner:
            continue
        parts = sorted([index, *(i for i, o in owner.items() if o == index)])
        merged = [
            join_texts([piece for part in parts for piece in cells[part][col]])
            for col in range(len(spans))
        ]
        result.append(GridRow(line.number, tuple(merged)))
    return result


# --- the document --------------------------------------------------------------------------


def region_rows(region: Sequence[Line]) -> list[GridRow]:
    """Grid rows of one region: whole lines as single rows, the table's lines in columns."""
    kept = whole_lines(region)
    table = [line for line in region if not line.blank and line.number not in kept]
    first = next((i for i, line in enumerate(table) if line.has_amount), len(table))
    header, body = table[:first], table[first:]
    spans = column_spans(header, body)
    by_number: dict[int, GridRow] = {}
    if spans:
        by_number.update((r.line, r) for r in header_rows(spans, header))
        by_number.update((r.line, r) for r in body_rows(spans, body))
    rows = []
    for line in region:
        if line.blank:
            rows.append(GridRow(line.number, ()))
        elif is_title_line(line):
            rows.append(GridRow(line.number, (line.joined(),)))
        elif line.number in kept:
            rows.append(GridRow(line.number, tuple(line.phrases())))
        elif line.number in by_number:
            rows.append(by_number[line.number])
    return rows


def grid_rows(text: str) -> tuple[list[GridRow], dict[int, int]]:
    """Grid rows of a whole text, and the page of every line."""
    lines = read_lines(text)
    rows = [row for region in regions(lines) for row in region_rows(region)]
    return rows, {line.number: line.page for line in lines}


def read_layout(text: str, source: str = "<layout text>") -> RecognisedDocument:
    """Read ``pdftotext -layout`` output given as a string."""
    rows, pages = grid_rows(text)
    doc = recognise_rows(rows, source)
    return replace(
        doc, pages={table_id: pages.get(line, 0) for table_id, line in doc.first_lines.items()}
    )


def read_layout_text(path_or_text: str | Path) -> RecognisedDocument:
    """Read ``pdftotext -layout`` output from a file (a ``Path``, or a string naming an
    existing file) or given as the text itself."""
    if isinstance(path_or_text, Path):
        return read_layout(path_or_text.read_text("utf-8"), str(path_or_text))
    if "\n" not in path_or_text and "\f" not in path_or_text and Path(path_or_text).is_file():
        file = Path(path_or_text)
        return read_layout(file.read_text("utf-8"), str(file))
    return read_layout(path_or_text)
