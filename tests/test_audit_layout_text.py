"""``pdftotext -layout`` output of real disclosures read back by the layout-text reader.

The text is made here from /work/shared/realdocs with ``pdftotext -layout`` (poppler-utils).
Expected cells and amounts were read by hand from the PDF pages (``pdftoppm -png``), not from
the text: the 三公 table of the 2018 中共江苏省委办公厅 document (page 11), its 政府采购预算表
(pages 14-15, cells wrapped over two lines), its 收支预算总表 (page 3); the 财政拨款支出预算表
(功能科目) of the 2019 江苏省政协办公厅 document (page 5) and its 政府采购预算表 (page 12).

What this reader gets right and wrong on these two documents (the grid it hands the shared
recognition layer; which tables that layer turns into data is the layer's business):

- right: every table's title, unit and page; the function and economic tables (公开05–08 and
  the 机关运行经费 table) cell for cell; the 政府采购预算表 of both, wrapped cells joined
  (其他办公消耗用品及类似物品, 文印、机要及办公自动化经费, 车辆及其他运输机械租赁服务) and
  continued across the page break; the 2018 收支预算总表 (three sides, nine columns) and the
  2018 三公 table (nine leaf columns under two levels of group headings, the blank 公务用车购置费
  column kept, wrapped labels 因公出国（境）费 and 公务用车运行维护费 joined); both 支出预算总表.
- wrong (2019 document, whose lines have no blank line between rows and whose text drifts by a
  few characters where CJK text crowds a line): in the 收支预算总表 the 功能分类 金额 column and
  the 支出用途 项目名称 column fall together ("10,271.56一、基本支出"); in the 三公 table the
  header labels 公务接待费 and 会议费 drift one column left and 公务用车购置费 one column right
  of their figures, so the figures are right but two labels stand over the wrong ones.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from paths import SHARED
from rulekit import arith_fatal
from yusuan.audit.document import RecognisedDocument
from yusuan.audit.grid import GridRow
from yusuan.audit.layout_text import grid_rows, join_texts, read_layout, read_layout_text
from yusuan.money import MoneyUnit

REALDOCS = SHARED / "realdocs"
PARTY = "jiangsu-party-committee-office-2018-budget-tables"
CPPCC = "jiangsu-cppcc-office-2019-budget-tables"

# table ids in the order printed, and the page of each title (typed from the PDFs)
PARTY_PAGES = {
    "income-expenditure": 3,
    "income": 4,
    "expenditure": 5,
    "fiscal": 6,
    "fiscal-expenditure": 7,
    "fiscal-basic-economic": 8,
    "general-budget": 9,
    "basic-economic": 10,
    "three-public": 11,
    "fund-expenditure": 12,
    "operating-costs": 13,
    "procurement": 14,
}
CPPCC_PAGES = {
    "income-expenditure": 1,
    "income": 2,
    "expenditure": 3,
    "fiscal": 4,
    "fiscal-expenditure": 5,
    "fiscal-basic-economic": 6,
    "general-budget": 7,
    "basic-economic": 8,
    "three-public": 9,
    "fund-expenditure": 10,
    "operating-costs": 11,
    "procurement": 12,
}


def layout_text(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (scripts/system-packages.sh)")
    out = tmp_path_factory.mktemp("layout") / f"{name}.txt"
    subprocess.run(
        ["pdftotext", "-layout", str(REALDOCS / f"{name}.pdf"), str(out)],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def party_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return layout_text(PARTY, tmp_path_factory)


@pytest.fixture(scope="module")
def cppcc_text(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return layout_text(CPPCC, tmp_path_factory)


@pytest.fixture(scope="module")
def party(party_text: Path) -> RecognisedDocument:
    return read_layout_text(party_text)


@pytest.fixture(scope="module")
def cppcc(cppcc_text: Path) -> RecognisedDocument:
    return read_layout_text(cppcc_text)


def rows_of(path: Path) -> list[GridRow]:
    rows, pages = grid_rows(path.read_text("utf-8"))
    PAGE_OF.clear()
    PAGE_OF.update(pages)
    return rows


def row_with(rows: list[GridRow], *texts: str, page: int = 0) -> tuple[str, ...]:
    """The cells of the one row (on ``page``, when given) that holds all these whole cells."""
    found = [r for r in rows if all(t in r.cells for t in texts)]
    if page:
        found = [r for r in found if PAGE_OF[r.line] == page]
    assert len(found) == 1, (texts, found)
    return tuple(c.strip() for c in found[0].cells)


PAGE_OF: dict[int, int] = {}


def wan(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) * 10000


# --- tables recognised -----------------------------------------------------------------------


def test_every_table_recognised_on_its_page(
    party: RecognisedDocument, cppcc: RecognisedDocument
) -> None:
    assert party.year == 2018 and cppcc.year == 2019
    assert dict(party.pages) == PARTY_PAGES and list(party.tables) == list(PARTY_PAGES)
    assert dict(cppcc.pages) == CPPCC_PAGES and list(cppcc.tables) == list(CPPCC_PAGES)
    for doc in (party, cppcc):
        assert {t.unit for t in doc.tables.values()} == {MoneyUnit.WAN}
        assert all("单位：万元" in t.meta["unit_text"] for t in doc.tables.values())
        # the cover (2018) is the only block not read; contents lines and 公开NN表 are no titles
        assert [u.title for u in doc.unread] in ([], ["省级部门预算公开报表"])
    assert "公开02表" in [t.text for t in cppcc.narrative]


# --- hand-checked cells of the grid --------------------------------------------------------


def test_party_grid_cells(party_text: Path) -> None:
    rows = rows_of(party_text)
    # 收支预算总表 (page 3): nine columns, three sides
    assert [c for c in row_with(rows, "一、财政拨款") if c] == [
        "一、财政拨款",
        "24,458.43",
        "一、一般公共服务支出",
        "20,153.75",
        "一、基本支出",
        "10,403.11",
    ]
    assert [c for c in row_with(rows, "八、社会保障和就业支出") if c] == [
        "八、社会保障和就业支出",
        "1,289.52",
    ]
    # 三公 (page 11): the figures under their leaf labels, the blank 购置费 column kept
    figures = row_with(rows, "1,471.70")
    assert figures == (
        "1,471.70",
        "508.20",
        "70.00",
        "411.20",
        "",
        "411.20",
        "27.00",
        "933.50",
        "30.00",
    )
    header = next(r for r in rows if "公务用车购置费" in r.cells)
    assert header.cells.index("公务用车购置费") == 4
    assert header.cells.index("公务用车运行维护费") == 5
    assert row_with(rows, "因公出国（境）费").index("因公出国（境）费") == 2
    assert row_with(rows, "公务接待费", page=11).index("公务接待费") == 6
    # 政府采购预算表 (pages 14-15): wrapped cells joined, the page break crossed
    assert row_with(rows, "其他办公消耗用品及类似物品", "2.50")[3:] == (
        "其他办公消耗用品及类似物品",
        "分散自行组织",
        "2.50",
    )
    assert row_with(rows, "文印、机要及办公自动化经费")[1:] == (
        "文印、机要及办公自动化经费",
        "印刷费",
        "",
        "",
        "152.00",
    )
    assert row_with(rows, "省委办公厅承办的会议费")[1:3] == ("省委办公厅承办的会议费", "会议费")
    assert row_with(rows, "空调机（总预算20万以下）")[3:] == (
        "空调机（总预算20万以下）",
        "分散自行组织",
        "0.90",
    )
    assert row_with(rows, "行政运转保障经费")[-1] == "210.00"  # on page 15
    # 支出预算总表 (page 5): a header over one row of figures; the last column blank
    assert row_with(rows, "24,458.43", "10,403.11", "12,081.46", "1,973.86")[-1] == ""


def test_cppcc_grid_cells(cppcc_text: Path) -> None:
    rows = rows_of(cppcc_text)
    assert row_with(rows, "2010204", page=5) == ("2010204", "政协会议", "1,282.56")
    assert row_with(rows, "功能科目编码", page=5) == ("功能科目编码", "功能科目名称", "金额")
    assert row_with(rows, "车辆及其他运输机械租赁服务")[3:] == (
        "车辆及其他运输机械租赁服务",
        "分散自行组织",
        "60.00",
    )
    assert row_with(rows, "便携式计算机（20万以下）")[3:] == (
        "便携式计算机（20万以下）",
        "分散自行组织",
        "12.00",
    )
    assert row_with(rows, "交通运行费") == ("", "交通运行费", "公务用车运行维护费", "", "", "50.00")
    assert row_with(rows, "三、服务C")[-1] == "1,274.42"
    # 三公 (page 9): the nine figures in nine columns, 购置费 blank
    assert row_with(rows, "2,224.43") == (
        "2,224.43",
        "660.10",
        "106.00",
        "156.60",
        "",
        "156.60",
        "397.50",
        "1,282.56",
        "281.77",
    )
    assert row_with(rows, "因公出国（境）费").index("因公出国（境）费") == 2
    # the 2019 收入预算总表's two label columns
    assert row_with(rows, "公共财政拨款(补助)资金") == (
        "一般公共预算资金",
        "公共财政拨款(补助)资金",
        "13,297.11",
    )


# --- amounts of the tables the shared layer reads ------------------------------------------


def test_party_amounts(party: RecognisedDocument) -> None:
    fiscal = party.tables["fiscal-expenditure"]
    assert fiscal.rows[0].values["total"] == wan("24,458.43")
    assert fiscal.row("2013101") is not None
    assert fiscal.row("2013101").values["total"] == wan("8,072.29")  # type: ignore[union-attr]
    assert fiscal.row("2210202").values["total"] == wan("2,299.88")  # type: ignore[union-attr]
    assert fiscal.row("2080504").name == "未归口管理的行政单位离退休"  # type: ignore[union-attr]
    economic = party.tables["basic-economic"]
    assert economic.rows[0].values["amount"] == wan("10,403.11")
    assert economic.row("30231").values["amount"] == wan("411.20")  # type: ignore[union-attr]
    assert economic.row("30112").values["amount"] == wan("1.31")  # type: ignore[union-attr]
    assert economic.row("303").values["amount"] == wan("1,000.26")  # type: ignore[union-attr]


def test_cppcc_amounts(cppcc: RecognisedDocument) -> None:
    general = cppcc.tables["general-budget"]
    assert general.rows[0].values["total"] == wan("13,297.11")
    assert general.row("2010204").values["total"] == wan("1,282.56")  # type: ignore[union-attr]
    assert general.row("2080505").values["total"] == wan("415.33")  # type: ignore[union-attr]
    assert [r.code for r in general.rows[1:4]] == ["201", "20102", "2010201"]
    economic = cppcc.tables["fiscal-basic-economic"]
    assert economic.rows[0].values["amount"] == wan("6,442.75")
    assert economic.row("30309").values["amount"] == wan("0.50")  # type: ignore[union-attr]
    assert economic.row("30299").values["amount"] == wan("175.50")  # type: ignore[union-attr]
    assert economic.row("30213").name == "维修（护）费"  # type: ignore[union-attr]


# --- totals reconcile; a changed figure is found -------------------------------------------

# Tables whose Jiangsu layout the shared layer reads in yusuan's own shape, so that the ARITH
# rules apply as they are: the tables by function and by economic class.
CLASSIFIED = ("fiscal-expenditure", "fiscal-basic-economic", "general-budget", "basic-economic")


def only(doc: RecognisedDocument, ids: tuple[str, ...]) -> RecognisedDocument:
    return replace(
        doc,
        tables={k: v for k, v in doc.tables.items() if k in ids},
        first_lines={k: v for k, v in doc.first_lines.items() if k in ids},
    )


def test_classified_tables_reconcile(party: RecognisedDocument, cppcc: RecognisedDocument) -> None:
    assert arith_fatal(only(party, CLASSIFIED)) == []
    assert arith_fatal(only(cppcc, CLASSIFIED)) == []


def figures(cells: tuple[str, ...]) -> list[Decimal]:
    return [Decimal(c.replace(",", "")) for c in cells if c and c[0].isdigit() and "." in c]


def tree_sums(rows: list[tuple[str, ...]], depth_of: dict[int, int]) -> list[tuple[str, ...]]:
    """Rows of a table laid out by indentation (procurement: category | 专项 | 经济科目 | 品目)
    whose figure is not the sum of the figures of the rows one level below it."""
    wrong = []
    depths = [depth_of[next(i for i, c in enumerate(r) if c)] for r in rows]
    for index, row in enumerate(rows):
        children = []
        for below in range(index + 1, len(rows)):
            if depths[below] <= depths[index]:
                break
            if depths[below] == depths[index] + 1:
                children.append(figures(rows[below])[-1])
        if children and sum(children) != figures(row)[-1]:
            wrong.append(row)
    return wrong


def test_the_other_tables_reconcile_as_printed(party_text: Path, cppcc_text: Path) -> None:
    """The tables of the Jiangsu template that yusuan's shapes do not hold as they are (三公 with
    合计 over 会议费 and 培训费, 支出预算总表 with 单位预留机动经费, 收支预算总表 with three
    sides, 政府采购 by category) reconcile by the template's own relations, on the figures
    this reader put in each cell (hand-checked above)."""
    for path, three, spend in (
        (party_text, "1,471.70", "24,458.43"),
        (cppcc_text, "2,224.43", "13,377.11"),
    ):
        rows = rows_of(path)
        total, small, abroad, car, buy, run, host, meeting, training = (
            Decimal(c.replace(",", "") or "0") for c in row_with(rows, three)
        )
        assert total == small + meeting + training
        assert small == abroad + car + host and car == buy + run
        summary = figures(  # 支出预算总表: 合计 = 基本支出 + 项目支出 + 单位预留机动经费 (+ 结转)
            next(r.cells for r in rows if r.texts()[:1] == [spend] and len(figures(r.cells)) == 4)
        )
        assert summary[0] == sum(summary[1:])
        table = [
            tuple(c.strip() for c in r.cells)
            for r in rows
            if len(r.cells) == 6 and figures(r.cells) and PAGE_OF[r.line] >= 12
        ]
        assert table[0][0] == "合计"
        depth = {0: 1, 1: 2, 2: 2, 3: 3}
        assert tree_sums(table[1:], depth) == []
        assert figures(table[0])[-1] == sum(
            figures(r)[-1] for r in table[1:] if r[0]
        )  # 合计 = Σ categories


def test_a_changed_figure_is_reported_at_its_page_and_row(
    party: RecognisedDocument, party_text: Path
) -> None:
    before = {(f.rule, f.location.describe()) for f in arith_fatal(party)}
    lines = party_text.read_text("utf-8").split("\n")
    # 一般公共预算支出预算表, page 9: 2013101 行政运行 8,072.29 -> 8,072.92
    index = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("2013101") and "8,072.29" in line and i > 240
    )
    lines[index] = lines[index].replace("8,072.29", "8,072.92")
    found = [
        f
        for f in arith_fatal(read_layout("\n".join(lines)))
        if (f.rule, f.location.describe()) not in before
    ]
    assert [(f.location.table, f.location.page, f.location.row) for f in found] == [
        ("一般公共预算支出预算表", 9, "20131 党委办公厅（室）及相关机构事务")
    ]


def test_join_texts() -> None:
    assert join_texts(["合", "计"]) == "合计"
    assert join_texts(["PC", "server"]) == "PC server"
    assert join_texts(["PC", "服务器"]) == "PC服务器"


def test_read_layout_text_takes_a_path_or_the_text(party_text: Path) -> None:
    text = party_text.read_text("utf-8")
    by_path = read_layout_text(str(party_text))
    by_text = read_layout_text(text)
    assert by_path.source == str(party_text) and by_text.source == "<layout text>"
    assert list(by_path.tables) == list(by_text.tables)
