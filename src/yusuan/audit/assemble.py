"""Grid rows of a whole document -> ``RecognisedDocument``: shared by every reader.

The rows are split into blocks at titles (a single cell naming a table or a form); each block
is recognised and read (``shape`` for tables, ``forms`` for project forms); what cannot be read
is kept with the reason. The year is the one the titles name; the department is the one the
forms name (or the procurement table's department row).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date

from yusuan.audit.document import ReadProblem, RecognisedDocument, TextLine, UnreadBlock
from yusuan.audit.forms import form_vocabulary, read_forms
from yusuan.audit.grid import Block, GridRow, cells_of
from yusuan.audit.recognise import (
    Identification,
    evidence_of,
    identify,
    is_amount,
    is_number_label,
    looks_like_title,
    vocabulary,
    year_in,
)
from yusuan.audit.shape import ShapedTable, shape_grid, shape_table, split_parts
from yusuan.catalog.loader import Catalogs, catalogs_for
from yusuan.tables.base import GROUP, Table


def title_of(row: GridRow) -> str | None:
    """The title a row prints, if it is one: a form title, or a single cell ending like one."""
    texts = row.texts()
    if len(texts) == 1 and form_vocabulary().is_title(texts[0]):
        return texts[0]
    return looks_like_title(row.cells)


def is_tabular(row: GridRow) -> bool:
    """A row a table or form prints: two cells or more, or a figure."""
    texts = row.texts()
    return len(texts) > 1 or any(is_amount(t) for t in texts)


def split_blocks(rows: Iterable[GridRow]) -> tuple[list[GridRow], list[Block]]:
    """The rows outside every block, and one block per title (up to the next title).

    A table's number printed above its title ("公开02表") ends the block before it; it and any
    rows up to the next title are outside every block, like the rows before the first title.
    A title under which nothing tabular follows before the next title (an entry of the
    contents, a heading) is no block: it stays outside, where ``announced_tables`` finds it.
    """
    before: list[GridRow] = []
    blocks: list[Block] = []
    title: GridRow | None = None
    body: list[GridRow] = []

    def close() -> None:
        if title is None:
            return
        if any(is_tabular(r) for r in body) or is_form_title(title):
            blocks.append(Block(title, tuple(body)))
        else:
            before.extend([title, *body])

    for row in rows:
        if is_number_label(row.cells):
            close()
            title, body = None, []
            before.append(row)
        elif title_of(row) is not None:
            close()
            title, body = row, []
        elif title is None:
            before.append(row)
        else:
            body.append(row)
    close()
    before.sort(key=lambda r: r.line)
    return before, blocks


def is_form_title(row: GridRow) -> bool:
    texts = row.texts()
    return len(texts) == 1 and form_vocabulary().is_title(texts[0])


def announced_tables(rows: Sequence[GridRow]) -> list[str]:
    """The tables a document's contents (目录) announce: lines outside every block that are
    titles of known tables ("一、收支预算总表", "公开05表：财政拨款支出表"), in order, once each."""
    found: list[str] = []
    for row in rows:
        title = looks_like_title(row.cells)
        known = identify(title) if title is not None else None
        if known is not None and known.table_id not in found:
            found.append(known.table_id)
    return found


def is_form(block: Block) -> bool:
    return form_vocabulary().is_title(block.title_text)


def document_year(blocks: Sequence[Block]) -> int:
    """The year most titles (and the forms' year lines) name; 0 when none does."""
    years: Counter[int] = Counter()
    for block in blocks:
        found = year_in(block.title_text)
        if found is None and is_form(block):
            first = next((r for r in block.content()), None)
            found = year_in(" ".join(first.texts())) if first else None
        if found:
            years[found] += 1
    return years.most_common(1)[0][0] if years else 0


def department_of(forms_departments: Sequence[str], tables: dict[str, Table]) -> str:
    """The department the forms name most often; else the one the tables' 部门 lines name;
    else the procurement table's first unit."""
    named = Counter(d for d in forms_departments if d)
    if named:
        return named.most_common(1)[0][0]
    printed = Counter(t.meta.get("department", "") for t in tables.values())
    printed.pop("", None)
    if printed:  # the department the tables' 部门 lines name ("部门：江苏省政协办公厅")
        return printed.most_common(1)[0][0]
    procurement = tables.get("procurement")
    if procurement is not None:
        first = next(
            (r for r in procurement.rows if r.kind == GROUP and r.level == 1 and r.code), None
        )
        if first is not None:
            return first.name
    return ""


UNIDENTIFIED = "unidentified"


def identify_block(block: Block) -> Identification | None:
    """Which table a block is, from its title, its header and its rows (``identify``)."""
    parts = split_parts(block, vocabulary())
    evidence = evidence_of(cells_of(parts.header), cells_of(parts.body))
    return identify(block.title_text, evidence)


def read_table(
    block: Block, found: Identification | None, catalogs: Catalogs, number: int, grid_id: str
) -> tuple[ShapedTable, list[ReadProblem]]:
    """A block read as the table it was identified as; as a grid (``grid_id``) when it was
    not, when it is a 决算 table with no definition, or when reading it as its table fails (one
    table's failure must not lose the document). Also what the reader notes about how."""
    if found is None or not found.defined:
        guess = found.table_id if found is not None else ""
        return shape_grid(block, grid_id, number, guess), []
    try:
        result = shape_table(block, found.spec, found.table_id, catalogs, number)
    except Exception as failure:  # any failure falls back to the grid
        return shape_grid(block, grid_id, number, found.table_id), [
            ReadProblem(
                block.title.line,
                f"按{found.spec.name}读取时出错（{failure}），按网格读取",
                f"reading it as {found.table_id} failed ({failure!r}); read as a grid",
                grid_id,
            )
        ]
    if "title" in found.signals:
        return result, []
    return result, [
        ReadProblem(
            block.title.line,
            "表名不认识，按表头和行识别为" + found.spec.name,
            f"title names no known table; identified as {found.table_id} "
            f"from its {' and '.join(found.signals)}",
            found.table_id,
        )
    ]


def has_grid(block: Block) -> bool:
    """Does a block print a table: header rows, or body rows under them?"""
    parts = split_parts(block, vocabulary())
    return bool(parts.header or parts.body)


def _unread(block: Block, why_zh: str, why_en: str, table_id: str = "") -> UnreadBlock:
    return UnreadBlock(
        block.title.line, block.last_line, block.title_text, why_zh, why_en, table_id
    )


def recognise_rows(rows: Sequence[GridRow], source: str) -> RecognisedDocument:
    """Read a whole document from its grid rows."""
    before, blocks = split_blocks(rows)
    return recognise_blocks(before, blocks, source)


# a line naming the document itself: "2024年度部门决算", "2019年部门预算公开"
_DOCUMENT_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?\s*(?:部门|单位)\s*(?:预算|决算)")


def narrative_year(rows: Sequence[GridRow]) -> int:
    """The year the first line naming the document ("2024年度部门决算": the year a 决算 accounts
    for, not the year it is published) names; else the first line about the budget
    ("2019年度部门预算公开"), for a document whose table titles name none; 0 when no line does."""
    texts = [unicodedata.normalize("NFKC", " ".join(row.texts())) for row in rows]
    for text in texts:
        named = _DOCUMENT_YEAR.search(text)
        if named:
            return int(named.group(1))
    for text in texts:
        found = year_in(text) if "预算" in text else None
        if found:
            return found
    return 0


def recognise_blocks(
    before: Sequence[GridRow], blocks: Sequence[Block], source: str
) -> RecognisedDocument:
    """Read a whole document already split into blocks (a reader that knows where its blocks
    end, such as one sheet of a workbook, splits them itself); ``before`` is the text outside
    every block."""
    year = document_year(blocks) or narrative_year(before)
    problems: list[ReadProblem] = []
    if not year:
        problems.append(
            ReadProblem(
                0,
                "没有找到预算年度，按当年目录读取",
                "no year found; read with this year's catalogues",
            )
        )
    catalogs = catalogs_for(year or date.today().year)
    shaped: dict[str, ShapedTable] = {}
    unread: list[UnreadBlock] = []
    first_lines: dict[str, int] = {}
    form_blocks: list[Block] = []
    unidentified = 0
    for block in blocks:
        if is_form(block):
            form_blocks.append(block)
            continue
        found = identify_block(block)
        number = len(shaped) + 1
        if found is not None and found.defined and found.table_id in shaped:
            unread.append(
                _unread(
                    block,
                    "同一张表再次出现，未读取",
                    "the same table again; not read",
                    found.table_id,
                )
            )
            continue
        if found is None and not has_grid(block):
            unread.append(_unread(block, "不认识的表名，其下没有表格", "no known title, no grid"))
            continue
        grid_id = f"{UNIDENTIFIED}-{unidentified + 1}"
        result, notes = read_table(block, found, catalogs, number, grid_id)
        table_id = result.table.id
        unidentified += table_id == grid_id
        problems.extend(notes)
        shaped[table_id] = result
        first_lines[table_id] = block.title.line
        problems.extend(result.problems)
    announced = announced_tables(before)
    missing = [t for t in announced if t not in shaped]
    for table_id in missing:
        name = vocabulary().spec(table_id).name
        problems.append(
            ReadProblem(
                0,
                f"目录列出的表未读到：{name}（{table_id}）",
                f"a table the contents announce was not read: {table_id}",
                table_id,
            )
        )
    forms, form_problems = read_forms(form_blocks, source, year)
    problems.extend(form_problems)
    tables = {table_id: s.table for table_id, s in shaped.items()}
    return RecognisedDocument(
        source=source,
        year=year,
        department=department_of([f.project.department for f in forms], tables),
        tables=tables,
        first_lines=first_lines,
        row_lines={table_id: s.row_lines for table_id, s in shaped.items()},
        forms=tuple(forms),
        narrative=tuple(TextLine(r.line, " ".join(r.texts())) for r in before if not r.is_blank),
        unread=tuple(unread),
        problems=tuple(problems),
        announced=tuple(announced),
    )
