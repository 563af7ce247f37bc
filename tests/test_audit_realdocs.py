"""Every real disclosure in ../shared/realdocs read back: the tables of each, and cells checked
by hand.

The figures below were typed from ``pdftotext -layout`` output of each PDF (not from yusuan):
each is (table id, row, column key, the figure as printed). A row is named by its code, by its
printed label (收支总表 lines, procurement groups) or by "合计" for the table's total row.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from paths import SHARED
from yusuan.audit.document import RecognisedDocument
from yusuan.audit.readers import read_document
from yusuan.audit.recognise import label
from yusuan.tables.base import TOTAL, Row, Table

REALDOCS = SHARED / "realdocs"
WAN, YUAN = Decimal(10000), Decimal(1)


@cache
def document(name: str) -> RecognisedDocument:
    return read_document(REALDOCS / f"{name}.pdf")


# --- the tables read, per document: id -> rows ---------------------------------------------

JIANGSU_2017 = (
    "income-expenditure",
    "income",
    "expenditure",
    "fiscal",
    "fiscal-expenditure",
    "fiscal-basic-economic",
    "fund-expenditure",
    "general-budget",
    "basic-economic",
    "operating-costs",
    "three-public",
    "procurement",
)
SHANGHAI = (
    "income-expenditure",
    "income",
    "expenditure",
    "fiscal",
    "general-budget",
    "fund-expenditure",
    "state-capital",
    "basic-economic",
    "three-public",
)

TABLES: dict[str, dict[str, int]] = {
    "jiangsu-cppcc-office-2019-budget-narrative": {},
    "jiangsu-party-committee-office-2017-budget": {},
    "jiangsu-high-court-2017-budget": dict(
        zip(JIANGSU_2017, (21, 13, 1, 4, 16, 33, 1, 16, 33, 18, 1, 53), strict=True)
    ),
    "jiangsu-procuratorate-2017-budget": dict(
        zip(JIANGSU_2017, (21, 15, 1, 4, 16, 28, 1, 16, 28, 16, 1, 46), strict=True)
    ),
    "jiangsu-party-committee-office-2017-budget-tables": dict(
        zip(JIANGSU_2017, (21, 15, 1, 4, 12, 31, 1, 12, 31, 18, 1, 47), strict=True)
    ),
    "jiangsu-npc-office-2017-budget": {
        "income-expenditure": 21,
        "income": 14,
        "expenditure": 1,
        "fiscal-expenditure": 19,
        "fiscal": 4,
        "fiscal-basic-economic": 24,
        "fund-expenditure": 1,
        "general-budget": 19,
        "basic-economic": 24,
        "operating-costs": 16,
        "three-public": 1,
        "procurement": 26,
    },
    "jiangsu-cppcc-office-2019-budget-tables": {
        "income-expenditure": 21,
        "income": 12,
        "expenditure": 1,
        "fiscal": 4,
        "fiscal-expenditure": 17,
        "fiscal-basic-economic": 26,
        "general-budget": 17,
        "basic-economic": 26,
        "three-public": 1,
        "fund-expenditure": 1,
        "operating-costs": 12,
        "procurement": 20,
    },
    "jiangsu-party-committee-office-2018-budget-tables": {
        "income-expenditure": 21,
        "income": 15,
        "expenditure": 1,
        "fiscal": 4,
        "fiscal-expenditure": 14,
        "fiscal-basic-economic": 31,
        "general-budget": 14,
        "basic-economic": 31,
        "three-public": 1,
        "fund-expenditure": 1,
        "operating-costs": 16,
        "procurement": 39,
    },
    "jiangsu-procuratorate-2019-budget": {
        "income-expenditure": 22,
        "income": 14,
        "expenditure": 1,
        "fiscal": 4,
        "fiscal-expenditure": 17,
        "fiscal-basic-economic": 31,
        "general-budget": 17,
        "basic-economic": 31,
        "three-public": 1,
        "fund-expenditure": 1,
        "operating-costs": 17,
        "procurement": 41,
    },
    "shanghai-finance-bureau-2025-unit-budget": dict(
        zip(SHANGHAI, (8, 24, 24, 5, 24, 1, 1, 35, 1), strict=True)
    ),
    "shanghai-putuo-commerce-2025-budget": dict(
        zip(SHANGHAI, (8, 31, 31, 8, 31, 1, 1, 31, 1), strict=True)
    ),
    "shanghai-putuo-commerce-2025-unit-budget": dict(
        zip(SHANGHAI, (8, 31, 31, 8, 31, 1, 1, 31, 1), strict=True)
    ),
    "shanghai-putuo-justice-2026-budget": dict(
        zip(SHANGHAI, (8, 22, 22, 5, 22, 1, 1, 30, 1), strict=True)
    ),
    "shanghai-putuo-wanli-street-2024-budget": dict(
        zip(SHANGHAI, (10, 67, 67, 10, 67, 1, 1, 32, 1), strict=True)
    ),
    "shanghai-putuo-welfare-home-2024-unit-budget": dict(
        zip(SHANGHAI, (8, 15, 15, 5, 15, 1, 1, 27, 1), strict=True)
    ),
}


def identified(doc: RecognisedDocument) -> dict[str, int]:
    return {t: len(table.rows) for t, table in doc.tables.items() if "unidentified" not in t}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_tables_each_document_prints_are_read(name: str) -> None:
    doc = document(name)
    assert identified(doc) == TABLES[name]
    # every table the contents (目录) announce is read (a narrative published apart from its
    # tables announces them too: below), none is left unidentified
    if TABLES[name]:
        assert [t for t in doc.announced if t not in doc.tables] == []
    assert [t for t in doc.tables if "unidentified" in t] == []


@pytest.mark.parametrize(
    "name", ["shanghai-putuo-social-work-2024-final", "shanghai-final-accounts-template-2024"]
)
def test_final_accounts_tables_without_a_definition_are_read_as_grids(name: str) -> None:
    """Every 决算 table the contents announce is read: as its table where a 决算 definition
    exists, else as the grid it prints, with what its title suggests. None is dropped."""
    doc = document(name)
    read_as = {t.meta.get("guess", t.id) for t in doc.tables.values()}
    assert set(doc.announced) <= read_as
    assert {"income-expenditure-final", "fiscal-final"} <= read_as


@pytest.mark.parametrize(
    "name",
    ["jiangsu-cppcc-office-2019-budget-narrative", "jiangsu-party-committee-office-2017-budget"],
)
def test_a_narrative_announces_the_tables_published_apart(name: str) -> None:
    doc = document(name)
    assert doc.tables == {} and len(doc.announced) == 12
    assert doc.announced[:3] == ("income-expenditure", "income", "expenditure")


# --- cells checked by hand -----------------------------------------------------------------

Cell = tuple[str, str, str, str]

CELLS: dict[str, tuple[Decimal, Sequence[Cell]]] = {
    "jiangsu-high-court-2017-budget": (
        WAN,
        (
            ("expenditure", "合计", "total", "28,849.38"),
            ("expenditure", "合计", "basic", "17,123.19"),
            ("expenditure", "合计", "project", "11,543.27"),
            ("expenditure", "合计", "reserve", "182.92"),
            # the first row continued on page 12 and 14 has no top rule
            ("income-expenditure", "四、公共安全支出", "expenditure", "23,513.11"),
            ("fiscal-expenditure", "2210201", "total", "1,029.15"),
            ("fiscal-expenditure", "2040502", "total", "6,432.89"),
            ("fiscal-expenditure", "2080504", "total", "2,347.13"),
            ("fiscal-basic-economic", "30312", "amount", "1,959.99"),
            ("fiscal-basic-economic", "302", "amount", "3,528.37"),
            ("general-budget", "2040599", "total", "910.00"),
            ("general-budget", "20405", "total", "23,513.11"),
            ("general-budget", "合计", "total", "28,849.38"),
            ("basic-economic", "303", "amount", "5,907.17"),
            ("basic-economic", "30206", "amount", "235.00"),
            ("basic-economic", "30101", "amount", "2,509.00"),
            ("operating-costs", "合计", "amount", "9,193.40"),
            ("operating-costs", "30209", "amount", "470.00"),
            ("operating-costs", "30211", "amount", "1,022.00"),
            ("three-public", "", "all_total", "2,599.37"),
            ("three-public", "", "total", "670.12"),
            ("three-public", "", "training", "1,701.25"),
            ("procurement", "合计", "total", "3,742.40"),
            ("procurement", "三、服务 C", "total", "2,717.00"),
        ),
    ),
    "jiangsu-npc-office-2017-budget": (
        WAN,
        (
            ("expenditure", "合计", "total", "13,649.07"),
            ("expenditure", "合计", "basic", "7,666.68"),
            ("expenditure", "合计", "project", "5,853.96"),
            ("expenditure", "合计", "reserve", "128.43"),
            ("fiscal-expenditure", "2010104", "total", "1,305.25"),
            ("fiscal-expenditure", "2210202", "total", "1,018.01"),
            ("fiscal-expenditure", "2010109", "total", "47.50"),
            ("fiscal-basic-economic", "30103", "amount", "83.60"),
            ("fiscal-basic-economic", "303", "amount", "3,151.74"),
            ("fiscal-basic-economic", "30312", "amount", "1,018.01"),
            ("general-budget", "2080504", "total", "1,608.51"),
            ("general-budget", "221", "total", "1,512.23"),
            ("general-budget", "201", "total", "10,528.33"),
            ("basic-economic", "30231", "amount", "183.60"),
            ("basic-economic", "30309", "amount", "0.76"),
            ("basic-economic", "302", "amount", "1,585.96"),
            ("operating-costs", "合计", "amount", "5,619.31"),
            ("operating-costs", "30211", "amount", "1,293.36"),
            ("operating-costs", "31002", "amount", "59.00"),
            # the title of this table is wrapped over two lines ("…支出预算" / "表")
            ("three-public", "", "all_total", "2,542.60"),
            ("three-public", "", "total", "833.60"),
            ("three-public", "", "abroad", "222.50"),
            ("three-public", "", "reception", "427.50"),
            ("three-public", "", "training", "403.75"),
        ),
    ),
    "jiangsu-procuratorate-2017-budget": (
        WAN,
        (
            ("expenditure", "合计", "total", "17,996.68"),
            ("expenditure", "合计", "basic", "12,323.48"),
            ("expenditure", "合计", "project", "5,533.00"),
            ("expenditure", "合计", "reserve", "140.20"),
            ("fiscal-expenditure", "2040401", "total", "7,968.14"),
            ("fiscal-expenditure", "2040405", "total", "150.00"),
            ("fiscal-expenditure", "2210202", "total", "1,534.94"),
            ("fiscal-expenditure", "204", "total", "13,641.34"),
            ("fiscal-expenditure", "合计", "total", "17,981.68"),
            ("fiscal-basic-economic", "合计", "amount", "12,308.48"),
            ("fiscal-basic-economic", "30102", "amount", "3,090.82"),
            ("fiscal-basic-economic", "30104", "amount", "75.64"),
            ("fiscal-basic-economic", "30206", "amount", "243.00"),
            ("three-public", "", "all_total", "1,452.35"),
            ("three-public", "", "total", "584.35"),
            ("three-public", "", "abroad", "110.00"),
            ("three-public", "", "vehicle_subtotal", "317.80"),
            ("three-public", "", "vehicle_purchase", "50.00"),
            ("three-public", "", "vehicle_operation", "267.80"),
            ("three-public", "", "reception", "156.55"),
            ("three-public", "", "meeting", "168.00"),
            ("three-public", "", "training", "700.00"),
            ("procurement", "合计", "total", "2,889.80"),
            ("procurement", "一、货物 A", "total", "334.00"),
        ),
    ),
    "jiangsu-party-committee-office-2017-budget-tables": (
        WAN,
        (
            ("expenditure", "合计", "total", "20,849.45"),
            ("expenditure", "合计", "basic", "9,964.07"),
            ("expenditure", "合计", "project", "10,688.66"),
            ("expenditure", "合计", "reserve", "196.72"),
            ("fiscal-expenditure", "合计", "total", "20,702.25"),
            ("fiscal-expenditure", "2013102", "total", "10,738.18"),
            ("fiscal-expenditure", "2210201", "total", "621.28"),
            ("fiscal-expenditure", "20131", "total", "16,845.17"),
            ("fiscal-basic-economic", "30101", "amount", "1,309.12"),
            ("fiscal-basic-economic", "30231", "amount", "411.20"),
            ("fiscal-basic-economic", "303", "amount", "3,899.25"),
            ("fiscal-basic-economic", "30309", "amount", "1.61"),
            ("general-budget", "2013101", "total", "6,106.99"),
            ("general-budget", "208", "total", "2,000.39"),
            ("general-budget", "2210202", "total", "1,235.41"),
            ("basic-economic", "30104", "amount", "1.50"),
            ("basic-economic", "30215", "amount", "50.00"),
            ("basic-economic", "合计", "amount", "9,964.07"),
            ("basic-economic", "30302", "amount", "1,676.33"),
            ("three-public", "", "all_total", "1,467.70"),
            ("three-public", "", "total", "509.20"),
            ("three-public", "", "abroad", "70.00"),
            ("three-public", "", "vehicle_operation", "411.20"),
            ("three-public", "", "meeting", "933.50"),
            ("three-public", "", "training", "25.00"),
            ("procurement", "合计", "total", "1,774.70"),
        ),
    ),
    "shanghai-putuo-welfare-home-2024-unit-budget": (
        YUAN,
        (
            # the 支出 half keyed by 合计 | 人员经费 | 公用经费 | 项目支出 (单位预算)
            ("income-expenditure", "二、社会保障和就业支出", "expenditure", "11,281,624"),
            ("income-expenditure", "二、社会保障和就业支出", "personnel", "6,540,674"),
            ("income-expenditure", "二、社会保障和就业支出", "operating", "2,120,950"),
            ("income-expenditure", "二、社会保障和就业支出", "project", "2,620,000"),
            ("income-expenditure", "四、住房保障支出", "expenditure", "335,816"),
            ("income-expenditure", "支出总计", "expenditure", "12,121,164"),
            ("income-expenditure", "支出总计", "personnel", "7,380,214"),
            ("income-expenditure", "二、事业收入", "income", "2,620,000"),
            ("income", "2081005", "total", "9,584,796"),
            ("income", "2081005", "fiscal_income", "6,964,796"),
            ("income", "2081005", "business_income", "2,620,000"),
            ("income", "合计", "total", "12,121,164"),
            ("expenditure", "2080505", "total", "767,579"),
            ("expenditure", "合计", "basic", "9,501,164"),
            ("expenditure", "2210201", "total", "335,816"),
            ("general-budget", "2080599", "total", "7,020"),
            ("general-budget", "210", "total", "503,724"),
            # the economic table's header printed 部门经济分类科目名称, a label once unknown
            ("basic-economic", "301", "amount", "6,958,414"),
            ("basic-economic", "合计", "amount", "9,501,164"),
            ("basic-economic", "合计", "personnel", "7,380,214"),
            ("basic-economic", "合计", "operating", "2,120,950"),
            ("basic-economic", "30107", "amount", "3,580,522"),
            ("basic-economic", "30209", "amount", "1,206,000"),
            ("basic-economic", "30301", "amount", "421,800"),
        ),
    ),
    "shanghai-putuo-commerce-2025-budget": (
        YUAN,
        (
            ("expenditure", "2011301", "total", "9,389,913.00"),
            ("expenditure", "2011301", "basic", "9,389,913.00"),
            ("expenditure", "2011399", "project", "4,765,000.00"),
            ("expenditure", "2060503", "total", "17,200,000.00"),
            ("expenditure", "2080506", "total", "705,443.00"),
            ("expenditure", "2080502", "total", "17,280.00"),
            ("basic-economic", "30102", "amount", "7,533,376.00"),
            ("basic-economic", "302", "operating", "1,632,062.00"),
            ("basic-economic", "30201", "amount", "273,900.00"),
            ("basic-economic", "30211", "amount", "80,000.00"),
            ("basic-economic", "30213", "amount", "10,000.00"),
            ("basic-economic", "30112", "amount", "36,918.00"),
            ("income-expenditure", "五、资源勘探工业信息等支出", "expenditure", "293,810,000.00"),
            ("income-expenditure", "七、住房保障支出", "expenditure", "2,849,034.00"),
            ("income-expenditure", "收入总计", "income", "371,514,655.00"),
            ("income", "2011350", "total", "2,901,820.00"),
            ("income", "2011350", "fiscal_income", "2,901,820.00"),
            ("income", "20605", "total", "17,200,000.00"),
            ("fiscal", "六、商业服务业等支出", "general", "31,364,000.00"),
            ("fiscal", "六、商业服务业等支出", "subtotal", "31,364,000.00"),
        ),
    ),
    "shanghai-putuo-justice-2026-budget": (
        YUAN,
        (
            ("expenditure", "2040601", "total", "16726725.44"),
            ("expenditure", "2040601", "basic", "16726725.44"),
            ("expenditure", "2040601", "project", "0.00"),
            ("expenditure", "2040604", "total", "21703947.00"),
            ("expenditure", "2040604", "project", "21703947.00"),
            ("expenditure", "2040699", "total", "38454900.00"),
            ("expenditure", "2080501", "total", "578040.00"),
            ("expenditure", "204", "project", "70540547.00"),
            ("fiscal", "三、卫生健康支出", "subtotal", "1,149,678.00"),
            ("fiscal", "四、住房保障支出", "general", "4,521,559.00"),
            ("fiscal", "一、一般公共预算", "income", "96,282,213.44"),
            ("basic-economic", "301", "amount", "23084662.00"),
            ("basic-economic", "30102", "amount", "12971818.00"),
            ("basic-economic", "30112", "amount", "29881.00"),
            ("basic-economic", "302", "operating", "2141724.44"),
            ("basic-economic", "30201", "amount", "120000.00"),
        ),
    ),
    "shanghai-finance-bureau-2025-unit-budget": (
        YUAN,
        (
            ("income-expenditure", "一、一般公共服务支出", "expenditure", "127,886,849"),
            ("income-expenditure", "一、一般公共服务支出", "personnel", "60,330,260"),
            ("income-expenditure", "一、一般公共服务支出", "operating", "24,531,459"),
            ("income-expenditure", "一、一般公共服务支出", "project", "43,025,130"),
            ("income-expenditure", "三、卫生健康支出", "project", "48,000"),
            ("income-expenditure", "三、卫生健康支出", "personnel", "4,620,000"),
            ("income-expenditure", "支出总计", "expenditure", "171,915,169"),
            ("income-expenditure", "支出总计", "personnel", "102,464,260"),
            ("income-expenditure", "支出总计", "operating", "25,177,779"),
            ("income-expenditure", "支出总计", "project", "44,273,130"),
            ("income-expenditure", "一、财政拨款收入", "income", "171,915,169"),
            ("expenditure", "2010601", "total", "84,861,719"),
            ("expenditure", "2010605", "project", "14,111,000"),
            ("expenditure", "2080505", "total", "8,000,000"),
            ("expenditure", "208", "basic", "16,360,320"),
            ("basic-economic", "30103", "amount", "1,200,000"),
            ("basic-economic", "30111", "amount", "1,320,000"),
            ("basic-economic", "301", "personnel", "98,950,260"),
        ),
    ),
}

# the 三公 tables print 万元 in documents whose other tables print 元
THREE_PUBLIC_WAN: dict[str, Sequence[tuple[str, str]]] = {
    "shanghai-putuo-welfare-home-2024-unit-budget": (
        ("total", "6.4"),
        ("abroad", "0"),
        ("reception", "0"),
        ("vehicle_subtotal", "6.4"),
        ("vehicle_operation", "6.4"),
        ("operating_costs", "0"),
    ),
    "shanghai-putuo-commerce-2025-budget": (
        ("total", "1.00"),
        ("reception", "1.00"),
        ("operating_costs", "171.01"),
    ),
    "shanghai-putuo-commerce-2025-unit-budget": (
        ("total", "1.00"),
        ("reception", "1.00"),
        ("operating_costs", "171.01"),
    ),
    "shanghai-putuo-justice-2026-budget": (
        ("total", "10.81"),
        ("abroad", "0"),
        ("reception", "0.83"),
        ("vehicle_subtotal", "9.98"),
        ("vehicle_purchase", "0"),
        ("vehicle_operation", "9.98"),
        ("operating_costs", "217.83"),
    ),
    "shanghai-finance-bureau-2025-unit-budget": (
        ("total", "346.30"),
        ("abroad", "288.70"),
        ("reception", "25.40"),
        ("vehicle_operation", "32.20"),
        ("operating_costs", "2,517.78"),
    ),
}

# the 单位预算 of the commerce commission prints the same figures as its 部门预算
CELLS["shanghai-putuo-commerce-2025-unit-budget"] = CELLS["shanghai-putuo-commerce-2025-budget"]


def find_row(table: Table, key: str) -> Row:
    """A row by code, by printed label (any text cell), or the total row ("合计", or "" for a
    table of one line)."""
    if key == "" and len(table.rows) == 1:
        return table.rows[0]
    if key.isdigit():
        found = [r for r in table.rows if r.code == key]
    else:
        wanted = label(key)
        found = [
            r
            for r in table.rows
            if label(r.name) == wanted
            or any(isinstance(v, str) and label(v) == wanted for v in r.values.values())
        ]
        if not found and key == "合计":
            found = [r for r in table.rows if r.kind == TOTAL]
    assert len(found) >= 1, (table.id, key)
    return found[0]


def amount(printed: str, unit: Decimal) -> Decimal:
    return Decimal(printed.replace(",", "")) * unit


@pytest.mark.parametrize("name", sorted(CELLS))
def test_cells_checked_by_hand(name: str) -> None:
    unit, cells = CELLS[name]
    doc = document(name)
    wrong = []
    for table_id, key, column, printed in cells:
        row = find_row(doc.tables[table_id], key)
        if row.values.get(column) != amount(printed, unit):
            wrong.append((table_id, key, column, printed, row.values.get(column)))
    extra = THREE_PUBLIC_WAN.get(name, ())
    three = doc.tables["three-public"].rows[-1]
    for column, printed in extra:
        if three.values.get(column) != amount(printed, WAN):
            wrong.append(("three-public", "", column, printed, three.values.get(column)))
    assert wrong == []
    assert len(cells) + len(extra) >= 20


def test_a_class_printed_under_its_former_name_is_read_by_that_name() -> None:
    # 2024: 210 is 卫生健康支出; the 单位预算 prints 医疗卫生与计划生育支出 (its name until 2018)
    table = document("shanghai-putuo-welfare-home-2024-unit-budget").tables["income-expenditure"]
    row = find_row(table, "三、医疗卫生与计划生育支出")
    assert row.code == "210" and row.values["expenditure"] == Decimal(503724)


def test_an_item_bought_two_ways_is_each_rows_item() -> None:
    # 物业管理服务 printed once over two rows (部门集中采购 430, 分散自行组织 40)
    table = document("jiangsu-high-court-2017-budget").tables["procurement"]
    rows = [r for r in table.rows if r.values.get("item") == "物业管理服务"]
    assert [(r.values["method"], r.values["total"]) for r in rows] == [
        ("部门集中采购", amount("430.00", WAN)),
        ("分散自行组织", amount("40.00", WAN)),
    ]


def test_the_documents_are_all_here() -> None:
    assert {p.stem for p in Path(REALDOCS).glob("*.pdf")} == {
        *TABLES,
        "shanghai-putuo-social-work-2024-final",
        "shanghai-final-accounts-template-2024",
    }


def test_a_document_announcing_tables_and_yielding_none_is_not_ok() -> None:
    from yusuan.audit.run import INCOMPLETE, audit_file, exit_status

    result = audit_file(REALDOCS / "jiangsu-cppcc-office-2019-budget-narrative.pdf")
    assert result.status == INCOMPLETE and exit_status([result]) == 2
    assert [p.message_zh for p in result.problems] == ["目录列出12张表，一张也没有读到"]
