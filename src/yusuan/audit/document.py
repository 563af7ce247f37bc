"""A published disclosure read back into data: ``RecognisedDocument``, and ``to_subject`` to
check it with the same rules that check a budget before publication.

Amounts are exact ``Decimal`` in 元 (converted from each table's printed unit); names and
labels are kept as printed, cut short or wrong as they may be, because that is what the rules
check. Every part remembers where in the source it was found.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

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
    - ``unread``: blocks not turned into data, with why; ``problems``: what the reader noticed;
    - ``kind`` (预算/决算) and ``level`` (部门/单位), from ``identify``.
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
    # 预算 or 决算, and 部门 or 单位 (a 部门预算 or a 单位预算): what the document says it is
    # (``identify``); "" until identified
    kind: str = ""
    level: str = ""
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
        narrative_lines=tuple((doc.page_of(t.line), t.line, t.text) for t in doc.narrative),
    )


# --- identity: which body, which year, 预算 or 决算, 部门 or 单位 ---------------------------------

BUDGET, FINAL = "预算", "决算"
DEPARTMENT_LEVEL, UNIT_LEVEL = "部门", "单位"

_YEAR_WORD = r"(?:19|20)\d{2}年度?"
# "预算单位：上海市财政局", "预算主管部门：…", "部门：江苏省政协办公厅", "编制单位：…", "单位名称：…"
_NAMED = re.compile(
    r"(?:^|\s)(?:编制|预算主管|主管|预算|填报)?(?:部门|单位)(?:名称)?\s*[:：]\s*"
    r"(?P<name>[^:：，。；、,;\s]{2,40})(?=\s|$)"
)
# the cover's title: "上海市普陀区社会福利院2024年单位预算", "2017年度江苏省高级人民法院部门预算公开"
_COVER_TITLE = re.compile(
    r"(?P<before>[^:：，。；、]*?)(?P<year>(?:19|20)\d{2})年度?"
    r"(?P<after>[^:：，。；、]*?)(?P<level>部门|单位)?(?P<kind>预算|决算)"
)
# "第一部分 中共上海市普陀区委社会工作部概况", "第二部分江苏省高级人民法院2017年度部门预算表"
_PART_TITLE = re.compile(
    r"^第[一二三四五六七八九十]+部分(?P<name>[^:：，。；、]+?)(?:概况|" + _YEAR_WORD + ")"
)
# a paragraph that opens with the body's name: "江苏省政协办公厅2019年度收入、支出预算总计…"
_OPENING = re.compile(r"^(?P<name>[\u4e00-\u9fff（）()]{4,30}?)" + _YEAR_WORD)
# words that make a name a description rather than a body
_NOT_A_NAME = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|本|我|全)|[元%]$"
)
# an administrative area alone ("上海市普陀区", "江苏省") is where the body is, not the body
_AREA_ONLY = re.compile(r"(?:省|市|区|县|州|旗)$")
_CONTENTS = re.compile(r"^目录$")

# how much one sighting of a name counts, by where it was printed: the cover's title is the
# document's own name for itself; 部门/预算单位 lines repeat on every table page
_WEIGHT_COVER, _WEIGHT_LABEL, _WEIGHT_PART = 10, 3, 2


@dataclass(frozen=True, slots=True)
class Identity:
    """What a document says it is: the body (as printed), the year it is about (a 决算's is the
    year accounted for), 预算 or 决算, and 部门 or 单位 ("" where nothing says)."""

    department: str
    year: int
    kind: str
    level: str


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _body_name(text: str) -> str:
    """A printed name cleaned for comparison, or "" when it cannot be a body's name."""
    name = re.sub(r"[(（][^()（）]*[)）]$", "", _squeeze(text)).strip("“”\"'")
    name = re.sub(r"(?:部门|单位)?(?:预算|决算)(?:公开)?(?:表|报表)?$", "", name)
    if len(name) < 3 or _NOT_A_NAME.search(name) or _AREA_ONLY.search(name):
        return ""
    return name


def cover_lines(doc: RecognisedDocument) -> list[str]:
    """The document's first lines up to its table of contents (目录), while they are short and
    not sentences: its cover."""
    lines: list[str] = []
    for text_line in doc.narrative[:8]:
        text = _squeeze(text_line.text)
        if _CONTENTS.match(text) or len(text) > 40 or re.search(r"[，。；,;]", text):
            break
        lines.append(text)
    return lines[:4]


def _cover_title(cover: Sequence[str]) -> re.Match[str] | None:
    return _COVER_TITLE.search("".join(cover))


def name_sightings(doc: RecognisedDocument) -> tuple[Counter[str], Counter[str]]:
    """Every place the document names its body: where it says so plainly (cover, 部门/预算单位
    lines, part titles, forms), weighted by how plainly; and the paragraphs that open with a
    name ("江苏省政协办公厅2019年度…"), counted."""
    seen: Counter[str] = Counter()
    openings: Counter[str] = Counter()

    def add(text: str, weight: int) -> None:
        name = _body_name(text)
        if name:
            seen[name] += weight

    cover = cover_lines(doc)
    title = _cover_title(cover)
    if title is not None:
        add(title.group("before"), _WEIGHT_COVER)
        add(title.group("after"), _WEIGHT_COVER)
    printed = [t.text for t in doc.narrative] + [u.title for u in doc.unread]
    for raw in printed:
        for named in _NAMED.finditer(unicodedata.normalize("NFKC", raw)):
            add(named.group("name"), _WEIGHT_LABEL)
        text = _squeeze(raw)
        part = _PART_TITLE.match(text)
        if part is not None:
            add(part.group("name"), _WEIGHT_PART)
        opening = _OPENING.match(text)
        name = _body_name(opening.group("name")) if opening is not None else ""
        if name:
            openings[name] += 1
    for table in doc.tables.values():
        add(table.meta.get("department", ""), _WEIGHT_LABEL)
    for form in doc.forms:
        add(form.project.department, _WEIGHT_LABEL)
    return seen, openings


def _department(doc: RecognisedDocument) -> str:
    """The name printed most plainly and most often; else the name two or more paragraphs
    open with; else what the reader found."""
    seen, openings = name_sightings(doc)
    if seen:
        return seen.most_common(1)[0][0]
    common = openings.most_common(1)
    if common and common[0][1] >= 2:
        return common[0][0]
    return doc.department


def _kind(doc: RecognisedDocument, title: re.Match[str] | None) -> str:
    if title is not None:
        return title.group("kind")
    finals = sum(1 for t in doc.tables if t.endswith("-final"))
    finals += sum(1 for u in doc.unread if u.table_id.endswith("-final"))
    budgets = len(doc.tables) - sum(1 for t in doc.tables if t.endswith("-final"))
    budgets += 1 if doc.forms else 0
    if not finals and not budgets:
        text = "".join(line.text for line in doc.narrative)
        finals, budgets = text.count(FINAL), text.count(BUDGET)
        if not finals and not budgets:
            return ""
    return FINAL if finals > budgets else BUDGET


def _level(doc: RecognisedDocument, title: re.Match[str] | None) -> str:
    if title is not None and title.group("level"):
        return title.group("level")
    words = [_squeeze(t.title) for t in doc.tables.values()]
    words += [_squeeze(t.text) for t in doc.narrative[:8]]
    units = sum(1 for w in words if re.search(r"预算单位|单位预算|单位决算", w))
    departments = sum(1 for w in words if re.search(r"部门(?:预算|决算)|主管部门|^部门[:：]", w))
    # a table headed "部门：…" is a 部门's table
    departments += sum(1 for t in doc.tables.values() if t.meta.get("department"))
    if not units and not departments:
        return ""
    return UNIT_LEVEL if units > departments else DEPARTMENT_LEVEL


def identify(doc: RecognisedDocument) -> Identity:
    """Which body, year, kind and level the document is, from its cover, its 部门/预算单位 lines,
    its part titles and the agreement between them (see docs/audit.md, "Identity")."""
    title = _cover_title(cover_lines(doc))
    year = int(title.group("year")) if title is not None else doc.year
    return Identity(_department(doc), year, _kind(doc, title), _level(doc, title))


def with_identity(doc: RecognisedDocument) -> RecognisedDocument:
    """The document with its body, year, kind and level as ``identify`` finds them."""
    found = identify(doc)
    return replace(
        doc,
        department=found.department,
        year=found.year or doc.year,
        kind=found.kind,
        level=found.level,
    )
