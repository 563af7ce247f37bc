"""The PDF reader on the real published disclosures, on PDFs made here, and on yusuan's own PDF.

Every expected value below was typed by hand from the documents (``pdftotext -layout`` and the
page images): which tables each document holds and on which page, each table's unit, and a
sample of cells per document, as printed. Then each document's own totals are checked with the
ARITH rules: no fatal finding except those listed in ``RULE_GAPS``, which come from layouts the
rules do not model yet (Jiangsu's 单位预留机动经费, its 支出用途-only 财政拨款收支总表, its
机关运行经费 by 经济分类 and its procurement table without source columns) — not from figures
that disagree. A figure changed in a document produces a new finding at that table, row and
page. Undecodable pages ((cid:…) glyphs, scans) are reported, never read.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from paths import EXAMPLE, SHARED
from rulekit import arith_fatal
from yusuan.audit.document import RecognisedDocument
from yusuan.audit.pdf_reader import PdfGrid, read_grid, read_pdf, recognise_grid, running_heads
from yusuan.audit.pdf_tables import PageContent, TextLine, grid_of
from yusuan.audit.readers import UnsupportedDocument, _reader, read_document
from yusuan.dataset import load_dataset
from yusuan.money import MoneyUnit, round_display, to_unit
from yusuan.render.fonts import pdf_font
from yusuan.render.pdf import pdf_bytes
from yusuan.rules import Finding
from yusuan.rules.checks.arithmetic import hierarchy_balances
from yusuan.tables import build_tables
from yusuan.tables.base import CODE, GROUP, TOTAL, Row, Table

REALDOCS = SHARED / "realdocs"
CPPCC = REALDOCS / "jiangsu-cppcc-office-2019-budget-tables.pdf"
CPPCC_NARRATIVE = REALDOCS / "jiangsu-cppcc-office-2019-budget-narrative.pdf"
PARTY = REALDOCS / "jiangsu-party-committee-office-2018-budget-tables.pdf"
PROCURATORATE = REALDOCS / "jiangsu-procuratorate-2019-budget.pdf"
SHANGHAI = REALDOCS / "shanghai-putuo-wanli-street-2024-budget.pdf"
TABLE_DOCS = [CPPCC, PARTY, PROCURATORATE, SHANGHAI]

WAN, YUAN = MoneyUnit.WAN, MoneyUnit.YUAN

# --- what each document holds: table id -> page, typed from the documents ---------------------

JIANGSU_IDS = [
    "income-expenditure",  # 公开01表 收支预算总表
    "income",  # 02 收入预算总表 (by source)
    "expenditure",  # 03 支出预算总表 (one line)
    "fiscal",  # 04 财政拨款收支预算总表 (支出用途 only)
    "fiscal-expenditure",  # 05 财政拨款支出预算表（功能科目）
    "fiscal-basic-economic",  # 06 财政拨款基本支出预算表（经济科目）
    "general-budget",  # 07 一般公共预算支出预算表（功能科目）
    "basic-economic",  # 08 一般公共预算基本支出预算表（经济科目）
    "three-public",  # 09 “三公”经费、会议费、培训费支出预算表
    "fund-expenditure",  # 10 政府性基金 财政拨款支出预算表 (empty)
    "operating-costs",  # 11 一般公共预算机关运行经费支出预算表
    "procurement",  # 12 政府采购预算表
]
PAGES = {
    CPPCC: dict(zip(JIANGSU_IDS, range(1, 13), strict=True)),
    PARTY: dict(zip(JIANGSU_IDS, range(3, 15), strict=True)),
    PROCURATORATE: dict(
        zip(JIANGSU_IDS, (14, 15, 15, 16, 16, 17, 18, 18, 20, 20, 21, 22), strict=True)
    ),
    SHANGHAI: {
        "income-expenditure": 10,  # 2024年部门财务收支预算总表
        "income": 11,  # 部门收入预算总表 (pages 11-15)
        "expenditure": 16,  # 部门支出预算总表 (16-20)
        "fiscal": 21,  # 部门财政拨款收支预算总表
        "general-budget": 22,  # 一般公共预算支出功能分类预算表 (22-26)
        "fund-expenditure": 27,  # 政府性基金预算支出功能分类预算表 (empty)
        "state-capital": 28,  # 国有资本经营预算支出功能分类预算表 (empty)
        "basic-economic": 29,  # 一般公共预算基本支出部门预算经济分类预算表 (29-30)
        "three-public": 31,  # 部门“三公”经费和机关运行经费预算表
    },
}
YEARS = {CPPCC: 2019, PARTY: 2018, PROCURATORATE: 2019, SHANGHAI: 2024}
DEPARTMENTS = {
    CPPCC: "江苏省政协办公厅",
    PARTY: "中共江苏省委办公厅",
    PROCURATORATE: "江苏省人民检察院",
    SHANGHAI: "上海市普陀区人民政府万里街道办事处",
}

# --- hand-checked cells: (table, row, column key, amount as printed) -------------------------
# a row is named by its code, its printed name, or its income/purpose label

CELLS: dict[Path, list[tuple[str, str, str, str]]] = {
    CPPCC: [
        ("income-expenditure", "一、财政拨款", "income", "13,297.11"),
        ("income-expenditure", "1.一般公共预算", "income_detail", "13,297.11"),
        ("income-expenditure", "三、其他资金", "income", "80.00"),
        ("income-expenditure", "201", "expenditure", "10,271.56"),
        ("income-expenditure", "221", "expenditure", "2,247.04"),
        ("income-expenditure", "三、单位预留机动经费", "purpose_amount", "1,886.02"),
        ("income-expenditure", "当年支出小计", "expenditure", "13,377.11"),
        ("income", "收入总计", "total", "13,377.11"),
        ("income", "其他收入", "total", "80.00"),
        ("expenditure", "合计", "basic", "6,522.75"),
        ("expenditure", "合计", "reserve", "1,886.02"),
        ("fiscal", "一、基本支出", "purpose_amount", "6,442.75"),
        ("fiscal-expenditure", "2010204", "total", "1,282.56"),
        ("fiscal-basic-economic", "30309", "amount", "0.50"),
        ("general-budget", "2210202", "total", "1,754.17"),
        ("basic-economic", "30239", "amount", "168.64"),
        ("three-public", "江苏省政协办公厅", "all_total", "2,224.43"),
        ("three-public", "江苏省政协办公厅", "total", "660.10"),
        ("three-public", "江苏省政协办公厅", "abroad", "106.00"),
        ("three-public", "江苏省政协办公厅", "vehicle_subtotal", "156.60"),
        ("three-public", "江苏省政协办公厅", "reception", "397.50"),
        ("three-public", "江苏省政协办公厅", "meeting", "1,282.56"),
        ("three-public", "江苏省政协办公厅", "training", "281.77"),
        ("operating-costs", "30231", "amount", "156.60"),
        ("procurement", "三、服务C", "total", "1,274.42"),
        ("procurement", "车辆及其他运输机械租赁服务", "total", "60.00"),
    ],
    PARTY: [
        ("income-expenditure", "201", "expenditure", "20,153.75"),
        ("income-expenditure", "221", "expenditure", "3,015.16"),
        ("income-expenditure", "三、单位预留机动经费", "purpose_amount", "1,973.86"),
        ("income", "一般公共预算资金", "total", "24,458.43"),
        ("expenditure", "合计", "project", "12,081.46"),
        ("fiscal-expenditure", "20131", "total", "20,153.75"),
        ("fiscal-expenditure", "2013102", "total", "12,081.46"),
        ("fiscal-basic-economic", "30112", "amount", "1.31"),
        ("basic-economic", "30231", "amount", "411.20"),
        ("three-public", "中共江苏省委办公厅", "all_total", "1,471.70"),
        ("three-public", "中共江苏省委办公厅", "total", "508.20"),
        ("three-public", "中共江苏省委办公厅", "meeting", "933.50"),
        ("operating-costs", "30217", "amount", "27.00"),
        ("procurement", "三、服务C", "total", "1,359.50"),
        ("procurement", "其他办公消耗用品及类似物品", "total", "2.50"),
        ("procurement", "省委办公厅承办的会议费", "total", "872.10"),
    ],
    PROCURATORATE: [
        ("income-expenditure", "204", "expenditure", "16,593.12"),
        ("income-expenditure", "1.一般公共预算", "income_detail", "24,169.74"),
        ("income-expenditure", "三、单位预留机动经费", "purpose_amount", "3,990.40"),
        ("income", "收入总计", "total", "24169.74"),
        ("expenditure", "合计", "reserve", "3990.4"),
        ("fiscal", "二、项目支出", "purpose_amount", "4335.3"),
        ("fiscal-expenditure", "2040450", "total", "315.00"),
        ("basic-economic", "30103", "amount", "180.14"),
        ("basic-economic", "30108", "amount", "1,064.46"),
        ("three-public", "江苏省人民检察院", "all_total", "1276.7"),
        ("three-public", "江苏省人民检察院", "total", "418.26"),
        ("three-public", "江苏省人民检察院", "abroad", "80"),
        ("three-public", "江苏省人民检察院", "training", "700"),
        ("operating-costs", "30299", "amount", "603.56"),
        ("procurement", "合计", "total", "2,744.84"),
        ("procurement", "信息系统集成实施服务", "total", "150.00"),
        ("procurement", "专业技能培训服务", "total", "70.00"),
    ],
    SHANGHAI: [
        ("income-expenditure", "一、财政拨款收入", "income", "156,211,123"),
        ("income-expenditure", "212", "expenditure", "119,385,303"),
        ("income", "2120199", "fiscal_income", "54,212,362"),
        ("income", "合计", "total", "156,211,123"),
        ("expenditure", "2089999", "basic", "6,133,194"),
        ("expenditure", "2089999", "project", "1,679,200"),
        ("fiscal", "208", "general", "19,604,064"),
        ("general-budget", "2120101", "project", "250,000"),
        ("general-budget", "合计", "basic", "99,706,020"),
        ("basic-economic", "30102", "amount", "16,623,810"),
        ("basic-economic", "30107", "amount", "11,447,100"),
        ("basic-economic", "合计", "personnel", "88,537,451"),
        ("three-public", "上海市普陀区人民政府万里街道办事处", "total", "47.91"),
        ("three-public", "上海市普陀区人民政府万里街道办事处", "vehicle_purchase", "25"),
        ("three-public", "上海市普陀区人民政府万里街道办事处", "vehicle_operation", "21.56"),
        ("three-public", "上海市普陀区人民政府万里街道办事处", "operating_costs", "443.18"),
    ],
}

# --- findings that come from the rules, not from the documents --------------------------------
# (rule, table id, relation): layouts the ARITH rules do not model yet
RULE_GAPS = {
    # 合计 = 基本支出 + 项目支出 + 单位预留机动经费 in Jiangsu's 支出预算总表
    ("ARITH-002", "expenditure", "合计 = 基本支出 + 项目支出"),
    # the 财政拨款收支预算总表 lists 支出 by purpose only: no 功能分类 line to add up
    ("ARITH-003", "fiscal", "本年收入合计 = 本年支出合计"),
    # 机关运行经费 by 经济分类: the rule adds the 类 and its 款 as if they were units
    ("ARITH-006", "operating-costs", "合计 = Σ 单位"),
    # the procurement table prints 总计 only, no 资金来源 columns
    ("ARITH-005", "procurement", "预算总计 = Σ 资金来源"),
}


@pytest.fixture(scope="module")
def docs() -> dict[Path, RecognisedDocument]:
    return {path: read_pdf(path) for path in TABLE_DOCS}


def amount(printed: str, unit: MoneyUnit) -> Decimal:
    return Decimal(printed.replace(",", "")) * unit.factor


def money_of(row: Row, key: str) -> Decimal:
    """An amount of a row; a blank cell counts as 0."""
    value = row.values.get(key)
    assert value is None or isinstance(value, Decimal), (row.name, key)
    return value or Decimal(0)


def find_row(table: Table, name: str) -> Row:
    for row in table.rows:
        labels = (row.code, row.name, row.values.get("income_item"), row.values.get("purpose"))
        if name in labels or row.values.get("item") == name:
            return row
    raise AssertionError(f"{table.id}: no row {name!r}")


def table_id_of(doc: RecognisedDocument, finding: Finding) -> str:
    return next(tid for tid, t in doc.tables.items() if t.title == finding.location.table)


def rule_gap(doc: RecognisedDocument, finding: Finding) -> bool:
    key = (finding.rule, table_id_of(doc, finding), finding.values["relation"])
    return key in RULE_GAPS


# --- the documents -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", TABLE_DOCS, ids=lambda p: p.stem)
def test_every_table_recognised_at_its_page(
    docs: dict[Path, RecognisedDocument], path: Path
) -> None:
    doc = docs[path]
    assert doc.pages == PAGES[path]
    assert list(doc.tables) == list(PAGES[path])
    assert doc.unread == ()
    assert (doc.year, doc.department) == (YEARS[path], DEPARTMENTS[path])


@pytest.mark.parametrize("path", TABLE_DOCS, ids=lambda p: p.stem)
def test_units_per_table(docs: dict[Path, RecognisedDocument], path: Path) -> None:
    units = {tid: t.unit for tid, t in docs[path].tables.items()}
    if path == SHANGHAI:  # 元 everywhere, 三公 and 机关运行经费 in 万元
        expected = {tid: (WAN if tid == "three-public" else YUAN) for tid in PAGES[path]}
    else:
        expected = dict.fromkeys(PAGES[path], WAN)
    assert units == expected


@pytest.mark.parametrize("path", TABLE_DOCS, ids=lambda p: p.stem)
def test_hand_checked_cells(docs: dict[Path, RecognisedDocument], path: Path) -> None:
    doc = docs[path]
    assert len(CELLS[path]) >= 10
    for table_id, name, key, printed in CELLS[path]:
        table = doc.tables[table_id]
        row = find_row(table, name)
        assert row.values.get(key) == amount(printed, table.unit), (table_id, name, key)


@pytest.mark.parametrize("path", TABLE_DOCS, ids=lambda p: p.stem)
def test_totals_reconcile(docs: dict[Path, RecognisedDocument], path: Path) -> None:
    doc = docs[path]
    found = arith_fatal(doc)
    assert [f for f in found if not rule_gap(doc, f)] == []
    if path == SHANGHAI:
        assert found == []  # a layout the rules model entirely: nothing to excuse
    for finding in found:  # each excused finding is where its table is
        assert finding.location.page == doc.pages[table_id_of(doc, finding)]
    # the tables the rules do not cover add up too (合计 = Σ 类, 类 = Σ 款, 款 = Σ 项)
    for table_id in ("fiscal-expenditure", "fiscal-basic-economic"):
        if table_id in doc.tables:
            balances = list(hierarchy_balances(doc.tables[table_id]))
            assert balances and all(b.difference == 0 for b in balances), table_id


def test_rule_gaps_are_only_where_the_layout_has_no_place(
    docs: dict[Path, RecognisedDocument],
) -> None:
    """The excused findings of the Jiangsu documents: the figures themselves add up."""
    for path in (CPPCC, PARTY, PROCURATORATE):
        doc = docs[path]
        expenditure = doc.tables["expenditure"].rows[0]
        parts = ("basic", "project", "reserve")
        assert money_of(expenditure, "total") == sum(money_of(expenditure, k) for k in parts)
        fiscal = doc.tables["fiscal"]
        total = next(r for r in fiscal.rows if r.kind == TOTAL)
        lines = [money_of(r, "purpose_amount") for r in fiscal.rows if r.kind != TOTAL]
        assert money_of(total, "purpose_amount") == sum(lines) == money_of(total, "income")
        operating = doc.tables["operating-costs"]
        classes = [money_of(r, "amount") for r in operating.rows if r.level == 1]
        assert money_of(operating.rows[0], "amount") == sum(classes)
        procurement = doc.tables["procurement"]
        categories = [money_of(r, "total") for r in procurement.rows if r.level == 1]
        assert money_of(procurement.rows[0], "total") == sum(categories)


def test_a_real_inconsistency_is_kept_for_the_rules(docs: dict[Path, RecognisedDocument]) -> None:
    """Shanghai's 三公 table prints figures under a note saying the table is empty (page 31)."""
    table = docs[SHANGHAI].tables["three-public"]
    assert table.notes == ("注:本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。",)
    assert table.rows[0].values["total"] == amount("47.91", WAN)


def test_shanghai_has_no_performance_forms_but_names_their_count(
    docs: dict[Path, RecognisedDocument],
) -> None:
    """The brief expected 50 绩效目标 tables; the PDF prints none, only their count (page 32)."""
    doc = docs[SHANGHAI]
    assert doc.forms == ()
    said = [t for t in doc.narrative if "编报绩效目标的项目50个" in t.text]
    assert len(said) == 1 and doc.page_of(said[0].line) == 32


def test_narrative_lines_reach_the_document(docs: dict[Path, RecognisedDocument]) -> None:
    doc = read_pdf(CPPCC_NARRATIVE)
    assert doc.tables == {} and doc.unread == () and doc.year == 2019
    texts = {t.text: doc.page_of(t.line) for t in doc.narrative}
    assert texts["2019年度部门预算公开表附后。"] == 9
    assert texts["（一）收入预算总计 13,377.11万元。包括："] == 9
    assert len(doc.narrative) > 300
    procuratorate = {
        t.text: docs[PROCURATORATE].page_of(t.line) for t in docs[PROCURATORATE].narrative
    }
    assert procuratorate["（一）收入预算总计 24,169.74 万元。包括："] == 25
    assert procuratorate["江苏省人民检察院2019年度收入、支出预算总计"] == 25  # spaced text joined


# --- reading: continued tables, wrapped cells, spans --------------------------------------------


def test_tables_continued_over_pages_are_joined(docs: dict[Path, RecognisedDocument]) -> None:
    doc = docs[SHANGHAI]
    general = doc.tables["general-budget"]
    assert len(general.rows) == 67  # 66 lines on pages 22-26 and the 合计, headers not repeated
    lines = doc.row_lines["general-budget"]
    pages = [doc.page_of(line) for line in lines]
    assert sorted(set(pages)) == [22, 23, 24, 25, 26]
    assert general.rows[0].kind == TOTAL and pages[0] == 26  # printed last, on page 26
    income = doc.tables["income"]
    total_row = next(i for i, r in enumerate(income.rows) if r.kind == TOTAL)
    assert doc.page_of(doc.row_lines["income"][total_row]) == 15  # alone on its page
    basic = docs[PROCURATORATE].tables["basic-economic"]
    index = next(i for i, r in enumerate(basic.rows) if r.code == "30103")
    assert docs[PROCURATORATE].page_of(docs[PROCURATORATE].row_lines["basic-economic"][index]) == 19
    assert [r.code for r in basic.rows if r.kind == GROUP] == ["301", "302", "303"]


def test_wrapped_cells_are_joined() -> None:
    grid = read_grid(PROCURATORATE)
    texts = {c for r in grid.rows() for c in r.cells}
    assert "2.政府性基金预算" in texts  # "2.政府性基金预" / "算"
    assert "二、财政专户管理资金" in texts
    assert "网络、电子检务、实验室、机要通道、档案数字化系统运行维护费" in texts
    assert "台式计算机（20万以下）" in texts  # "（20" / "万以下）": no space
    assert "机关事业单位基本养老保险缴费" in texts


def test_merged_header_read_by_its_spans(docs: dict[Path, RecognisedDocument]) -> None:
    # 合计 | “三公”经费 (小计 | 因公出国 | 公务用车购置及运行维护费 (小计 | 购置费 | 运行维护费)
    # | 公务接待费) | 会议费 | 培训费: the first 小计 is the 三公 total, the second the vehicles'
    table = docs[PROCURATORATE].tables["three-public"]
    labels = [(c.key, c.label) for c in table.columns]
    assert labels == [
        ("all_total", "合计"),
        ("total", "小计"),
        ("abroad", "因公出国（境）费"),
        ("vehicle_subtotal", "小计"),
        ("vehicle_purchase", "公务用车购置费"),
        ("vehicle_operation", "公务用车运行维护费"),
        ("reception", "公务接待费"),
        ("meeting", "会议费"),
        ("training", "培训费"),
    ]


def test_table_numbers_and_page_numbers_are_not_rows() -> None:
    grid = read_grid(PROCURATORATE)
    texts = [" ".join(r.texts()) for r in grid.rows()]
    assert not any(t.replace(" ", "").startswith("公开") and t.endswith("表") for t in texts)
    assert "18" not in texts and "19" not in texts


def test_party_committee_special_account_lines(docs: dict[Path, RecognisedDocument]) -> None:
    """财政专户管理资金 is printed, with no figure, in both summaries (pages 3 and 4)."""
    doc = docs[PARTY]
    summary = find_row(doc.tables["income-expenditure"], "二、财政专户管理资金")
    assert summary.values["income"] is None
    income = doc.tables["income"]
    group = find_row(income, "财政专户管理资金")
    assert (group.level, group.kind, group.values["total"]) == (1, GROUP, None)
    assert [r.name for r in income.rows[income.rows.index(group) + 1 :][:2]] == [
        "专户管理教育收费",
        "其他非税收入",
    ]


# --- undecodable pages -------------------------------------------------------------------------


def minimal_pdf(contents: list[bytes]) -> bytes:
    """A PDF written by hand, one page per content stream: font F1 is a CID font with no
    ToUnicode map (its glyphs cannot be named), F2 is Helvetica."""
    objects: list[bytes] = [b"", b""]
    objects.append(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /NoUnicode /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R] >>"
    )
    objects.append(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /NoUnicode /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 "
        b"/FontDescriptor 6 0 R >>"
    )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objects.append(
        b"<< /Type /FontDescriptor /FontName /NoUnicode /Flags 4 /FontBBox [0 -200 1000 800] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>"
    )
    kids = []
    for content in contents:
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        stream = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 5 0 R >> >> >>" % stream
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def test_cid_glyphs_are_reported_not_read(tmp_path: Path) -> None:
    readable = b"BT /F2 12 Tf 72 700 Td (2021 budget notes) Tj ET"
    garbled = b"BT /F1 12 Tf 72 700 Td <004100420043004400450046> Tj ET"
    path = tmp_path / "cid.pdf"
    path.write_bytes(minimal_pdf([readable, garbled, readable]))
    doc = read_pdf(path)
    unreadable = [p for p in doc.problems if p.page == 2]
    assert len(unreadable) == 1
    assert "(cid:" in unreadable[0].message_zh and unreadable[0].message_en.endswith("not read")
    assert [t.text for t in doc.narrative] == ["2021 budget notes", "2021 budget notes"]
    assert [doc.page_of(t.line) for t in doc.narrative] == [1, 3]
    assert not any("cid" in t.text for t in doc.narrative)


def test_a_scanned_page_is_reported_not_read(tmp_path: Path) -> None:
    from PIL import Image

    path = tmp_path / "scan.pdf"
    drawing = canvas.Canvas(str(path), pagesize=A4)
    drawing.drawImage(ImageReader(Image.new("RGB", (400, 200), "white")), 72, 400, 400, 200)
    drawing.showPage()
    drawing.save()
    doc = read_pdf(path)
    assert [p.page for p in doc.problems if p.message_en.endswith("not read")] == [1]
    assert "扫描" in doc.problems[0].message_zh
    assert doc.tables == {} and doc.narrative == ()


def test_an_unruled_table_is_read_by_its_text(tmp_path: Path) -> None:
    font = pdf_font().name
    path = tmp_path / "unruled.pdf"
    width, height = landscape(A4)
    drawing = canvas.Canvas(str(path), pagesize=(width, height))
    drawing.setFont(font, 16)
    drawing.drawCentredString(width / 2, height - 60, "2023年一般公共预算支出预算表")
    drawing.setFont(font, 10)
    drawing.drawRightString(width - 60, height - 90, "单位：万元")
    lines = [
        ("科目编码", "科目名称", "合计", "基本支出", "项目支出"),
        ("", "合计", "300.00", "200.00", "100.00"),
        ("201", "一般公共服务支出", "300.00", "200.00", "100.00"),
        ("20103", "政府办公厅（室）及相关机构事务", "300.00", "200.00", "100.00"),
        ("2010301", "行政运行", "200.00", "200.00", ""),
        ("2010302", "一般行政管理事务", "100.00", "", "100.00"),
    ]
    for index, line in enumerate(lines):
        for x, text in zip((60, 160, 420, 520, 620), line, strict=True):
            if text:
                drawing.drawString(x, height - 130 - 22 * index, text)
    drawing.showPage()
    drawing.save()
    doc = read_pdf(path)
    table = doc.tables["general-budget"]
    assert [(r.code, r.values["total"]) for r in table.rows] == [
        ("", amount("300.00", WAN)),
        ("201", amount("300.00", WAN)),
        ("20103", amount("300.00", WAN)),
        ("2010301", amount("200.00", WAN)),
        ("2010302", amount("100.00", WAN)),
    ]
    assert table.rows[-1].values["basic"] is None
    assert arith_fatal(doc) == []


# --- a changed figure --------------------------------------------------------------------------


def mutated(grid: PdfGrid, table_title: str, code: str, old: str, new: str) -> PdfGrid:
    block = next(b for b in grid.blocks if b.title.texts() == [table_title])
    row = next(r for r in block.rows if r.cell(0) == code)
    return grid.replace_cell(row.line, list(row.cells).index(old), new)


def test_a_changed_figure_is_found_at_its_table_row_and_page() -> None:
    grid = read_grid(CPPCC)
    before = arith_fatal(recognise_grid(grid))
    title = "一般公共预算支出预算表（功能科目）"
    changed = recognise_grid(mutated(grid, title, "2010202", "3,159.78", "3,169.78"))
    new = [f for f in arith_fatal(changed) if f not in before]
    assert new, "the changed figure must be found"
    assert {f.rule for f in new} == {"ARITH-001"}
    assert {(f.location.table, f.location.page) for f in new} == {(title, 7)}
    assert {f.location.row for f in new} == {"20102 政协事务"}  # 款 ≠ Σ 项 after the change
    read = changed.tables["general-budget"].row("2010202")
    assert read is not None and read.values["total"] == amount("3,169.78", WAN)


def test_a_changed_figure_in_shanghai_is_found() -> None:
    grid = read_grid(SHANGHAI)
    title = "2024年部门一般公共预算基本支出部门预算经济分类预算表"
    block = next(b for b in grid.blocks if b.title.texts() == [title])
    row = next(r for r in block.rows if r.cell(2) == "办公费")
    changed = recognise_grid(grid.replace_cell(row.line, 3, "4,755,519"))
    found = arith_fatal(changed)
    rows = {(f.location.row, f.location.page, f.values["relation"]) for f in found}
    assert rows == {("302 商品和服务支出", 29, "= Σ 下级科目")}  # 类 ≠ Σ 款 after the change


# --- yusuan's own PDF --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_tables() -> dict[str, Table]:
    return {t.id: t for t in build_tables(load_dataset(EXAMPLE))}


def prints_codes(table: Table) -> bool:
    return any(c.kind == CODE or c.key in ("code", "unit_code") for c in table.columns)


def displayed(table: Table, codes: bool) -> list[tuple[str, str, dict[str, object]]]:
    """Each row's code (when the table prints codes), name and non-blank values as shown."""
    result = []
    for row in table.rows:
        shown: dict[str, object] = {}
        for key, value in row.values.items():
            if isinstance(value, Decimal):
                value = round_display(to_unit(value, table.unit))
            if value not in (None, "", Decimal(0)):
                shown[key] = value
        result.append((row.code if codes else "", row.name, shown))
    return result


def test_round_trip_of_yusuans_pdf(tmp_path: Path, example_tables: dict[str, Table]) -> None:
    path = tmp_path / "linfen-2021.pdf"
    path.write_bytes(pdf_bytes(list(example_tables.values()), [], title="中共临汾市委组织部"))
    doc = read_pdf(path)
    assert list(doc.tables) == list(example_tables)
    for table_id, built in example_tables.items():
        read = doc.tables[table_id]
        assert read.title == built.title and read.unit == built.unit, table_id
        codes = prints_codes(built)  # 科目 found from the names are compared too, when printed
        assert displayed(read, codes) == displayed(built, codes), table_id
    assert arith_fatal(doc) == []
    assert doc.problems == ()


def test_a_changed_figure_in_yusuans_pdf_is_found(
    tmp_path: Path, example_tables: dict[str, Table]
) -> None:
    """The PDF itself prints a wrong figure (10 万元 more on one 项): the audit finds it."""
    from dataclasses import replace

    general = example_tables["general-budget"]
    index = next(i for i, r in enumerate(general.rows) if len(r.code) == 7)
    row = general.rows[index]
    wrong = replace(row, values={**row.values, "total": money_of(row, "total") + 100000})
    rows = (*general.rows[:index], wrong, *general.rows[index + 1 :])
    tables = {**example_tables, "general-budget": replace(general, rows=rows)}
    path = tmp_path / "wrong.pdf"
    path.write_bytes(pdf_bytes(list(tables.values()), [], title="中共临汾市委组织部"))
    doc = read_pdf(path)
    found = arith_fatal(doc)
    assert found
    assert {f.location.table for f in found} == {general.title}
    assert {f.location.page for f in found} == {doc.pages["general-budget"]}
    assert any(f.location.row == f"{row.code} {row.name}" for f in found)


# --- the dispatcher ----------------------------------------------------------------------------


def test_read_document_chooses_by_suffix(tmp_path: Path) -> None:
    assert list(read_document(CPPCC).tables) == JIANGSU_IDS
    seed = next((SHARED / "seed").glob("*.txt"))
    assert len(read_document(seed).tables) == 11
    with pytest.raises(UnsupportedDocument, match="不支持"):
        read_document(tmp_path / "budget.doc")
    with pytest.raises(UnsupportedDocument, match="not available"):
        _reader("yusuan.audit.no_such_reader", "read")


def test_running_heads_are_lines_at_the_same_place_on_most_pages_never_titles() -> None:
    def line(text: str, top: float) -> TextLine:
        return TextLine(top, top + 10, 50, 300, (text,), (50,))

    def page(number: int, *items: TextLine) -> PageContent:
        return PageContent(number, 600, 800, items)

    pages = [
        page(
            n,
            line("某某局2022年部门预算", 20),
            line("某某项目绩效目标填报表", 40),
            line("正文", 300),
        )
        for n in range(1, 5)
    ]
    heads = running_heads(pages)
    assert {text for text, _ in heads} == {"某某局2022年部门预算"}


# --- column geometry: phantom columns against columns only a header shows ------------------


def _glyphs(text: str, x: float, top: float) -> list[dict[str, object]]:
    """Characters 8 points wide and 10 high, as pdfplumber gives them."""
    return [
        {"text": ch, "x0": x + 8 * i, "x1": x + 8 * i + 8, "top": top, "bottom": top + 10}
        for i, ch in enumerate(text)
    ]


def test_an_empty_table_keeps_the_columns_its_header_cells_draw() -> None:
    # 支出 over 基本 | 项目 and 结余 beside it (the template's 本年支出 and 年末结转和结余, two
    # rows high); the row of 基本 | 项目 prints nothing under 结余 and no body row prints a
    # figure, so only the header's own cells say that 结余 is a column of its own
    cells = [
        (0, 0, 200, 40),
        (200, 0, 300, 40),
        *((x0, 40, x1, 60) for x0, x1 in ((0, 100), (100, 200), (200, 300))),
    ]
    chars = [
        *_glyphs("支出", 10, 15),
        *_glyphs("结余", 210, 15),
        *_glyphs("基本", 10, 45),
        *_glyphs("项目", 110, 45),
    ]
    part, stray = grid_of(cells, chars)
    assert part is not None and stray == []
    assert part.columns == ((0, 100), (100, 200), (200, 300))
    assert [(c.text, c.col, c.colspan) for c in part.cells if c.row == 0] == [
        ("支出", 0, 2),
        ("结余", 2, 1),
    ]


def test_a_phantom_column_is_still_merged() -> None:
    # the header's inner border at 200, the body's at 195 (a Word table): the sliver between
    # is no column, since the body's 10.00 crosses 200 and the header's 项目 crosses 195
    cells = [(0, 0, 200, 20), (200, 0, 300, 20), (0, 20, 195, 40), (195, 20, 300, 40)]
    chars = [
        *_glyphs("项目", 10, 5),
        *_glyphs("金额", 210, 5),
        *_glyphs("合计", 10, 25),
        *_glyphs("10.00", 230, 25),
    ]
    part, _ = grid_of(cells, chars)
    assert part is not None
    assert part.columns == ((0, 195), (195, 300))
