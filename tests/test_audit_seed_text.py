"""The seed's tab-separated text read back into data by the audit reader.

Every amount of its 11 tables and every row and column is compared with the hand transcription
in ``tests/golden/seed_tables.py`` (names as printed, cut short and wrong included); every
form's fields, funds and indicators with ``tests/golden/seed_forms.py``. Then the tables' own
totals are checked with the ARITH rules: the only fatal findings are the seed's published
defects, and a figure changed in a copy of the seed produces a new finding at that row.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import goldenkit
from golden import seed_tables as gold
from golden.seed_forms import FORMS
from paths import SHARED
from rulekit import arith_fatal, run
from yusuan.audit.document import RecognisedDocument, to_subject
from yusuan.audit.seed_text import read_seed_text
from yusuan.money import MoneyUnit, to_unit
from yusuan.rules.subject import DOCUMENT
from yusuan.tables.base import GROUP, TOTAL, Row, Table

SEED = SHARED / "seed" / gold.SEED_FILE

# golden table constant -> yusuan table id, in the seed's order
TABLE_IDS = {
    "INCOME_EXPENDITURE_SUMMARY": "income-expenditure",
    "INCOME_TABLE": "income",
    "EXPENDITURE_TABLE": "expenditure",
    "FISCAL_SUMMARY": "fiscal",
    "GENERAL_BUDGET_EXPENDITURE": "general-budget",
    "BASIC_BY_ECONOMIC": "basic-economic",
    "FUND_INCOME": "fund-income",
    "FUND_EXPENDITURE": "fund-expenditure",
    "PROCUREMENT": "procurement",
    "OPERATING_EXPENSES": "operating-costs",
    "THREE_PUBLIC": "three-public",
}

# the golden column headings -> yusuan keys (written out here, independently of tables.toml)
FUNCTION_KEYS = {
    "合计": "total",
    "基本支出": "basic",
    "项目支出": "project",
    "本年收入合计": "total",
    "一般公共预算": "general",
    "政府性基金": "fund",
    "财政专户管理资金": "special_account",
    "国有资本经营预算资金": "state_capital",
    "单位资金": "unit_funds",
}
PROCUREMENT_KEYS = {"government_total": "gov_total", "general_budget": "general"}
THREE_PUBLIC_KEYS = {**goldenkit.THREE_PUBLIC_KEYS, "备注": "note"}


def wan(text: str | None) -> Decimal | None:
    """A golden amount (万元 as printed) in 元."""
    return None if text is None else Decimal(text) * 10000


@pytest.fixture(scope="module")
def doc() -> RecognisedDocument:
    return read_seed_text(SEED)


def table(doc: RecognisedDocument, name: str) -> Table:
    found = doc.table(TABLE_IDS[name])
    assert found is not None, name
    return found


# --- the document ------------------------------------------------------------------------


def test_every_table_recognised_in_order_at_its_line(doc: RecognisedDocument) -> None:
    assert list(doc.tables) == list(TABLE_IDS.values())
    for name, table_id in TABLE_IDS.items():
        assert doc.first_lines[table_id] == gold.TABLE_LINES[name]["title"], name
    assert [t.title for t in doc.tables.values()] == [title for title, _ in gold.TITLES]
    assert [t.number for t in doc.tables.values()] == list(range(1, 12))


def test_units_read_per_table(doc: RecognisedDocument) -> None:
    for t, (_, unit_line) in zip(doc.tables.values(), gold.TITLES, strict=True):
        assert t.unit is MoneyUnit.WAN
        assert t.meta["unit_text"] == unit_line


def test_year_department_and_nothing_left_unread(doc: RecognisedDocument) -> None:
    assert doc.year == 2021
    assert doc.department == "中共临汾市委组织部"
    assert doc.unread == ()
    assert doc.narrative == ()  # the seed has no 部门预算说明 text
    assert len(doc.forms) == 24


def test_amounts_are_exact_yuan(doc: RecognisedDocument) -> None:
    total = table(doc, "INCOME_TABLE").rows[0]
    assert total.values["general"] == Decimal("64238300.00")  # "6,423.83" 万元
    assert str(total.values["total"]) == "123478300.00"


# --- the tables, row by row ----------------------------------------------------------------


def assert_row(row: Row, code: str, name: str, values: dict[str, Decimal | str | None]) -> None:
    assert (row.code, row.name) == (code, name)
    for key, expected in values.items():
        assert row.values.get(key) == expected, (code, name, key)


FUNCTION_TABLES = [
    "INCOME_TABLE",
    "EXPENDITURE_TABLE",
    "GENERAL_BUDGET_EXPENDITURE",
    "FUND_INCOME",
    "FUND_EXPENDITURE",
]


@pytest.mark.parametrize("name", FUNCTION_TABLES)
def test_function_tables_every_row_and_column(doc: RecognisedDocument, name: str) -> None:
    expected = getattr(gold, name)
    read = table(doc, name)
    keys = [FUNCTION_KEYS[c] for c in expected["columns"]]
    assert [c.key for c in read.value_columns()] == keys
    assert len(read.rows) == len(expected["rows"])
    for row, (code, row_name, amounts) in zip(read.rows, expected["rows"], strict=True):
        assert_row(row, code, row_name, {k: wan(a) for k, a in zip(keys, amounts, strict=True)})
    assert read.rows[0].kind == TOTAL
    assert [r.level for r in read.rows[1:]] == [len(r[0]) // 2 for r in expected["rows"][1:]]


@pytest.mark.parametrize("name", FUNCTION_TABLES)
def test_row_lines_point_at_the_seed(doc: RecognisedDocument, name: str) -> None:
    start, end = gold.TABLE_LINES[name]["body"]
    assert doc.row_lines[TABLE_IDS[name]] == tuple(range(start, end + 1))


def test_income_expenditure_summary(doc: RecognisedDocument) -> None:
    expected = gold.INCOME_EXPENDITURE_SUMMARY
    read = table(doc, "INCOME_EXPENDITURE_SUMMARY")
    *lines, total = read.rows
    assert len(lines) == len(expected["expenditure"]) == 30
    for index, row in enumerate(lines):
        spent_name, spent = expected["expenditure"][index]
        assert row.name == spent_name and row.values["expenditure"] == wan(spent)
        assert row.code == class_codes()[index]
        if index < len(expected["income"]):
            assert row.values["income_item"] == expected["income_printed_labels"][index]
            assert row.values["income"] == wan(expected["income"][index][1])
        else:
            assert row.values["income_item"] is None and row.values["income"] is None
    assert total.kind == TOTAL and total.name == expected["expenditure_total_label"]
    assert total.values["income_item"] == expected["income_total_label"]
    assert total.values["income"] == wan(expected["income_total"])
    assert total.values["expenditure"] == wan(expected["expenditure_total"])


def class_codes() -> list[str]:
    """The 30 类 of 2021 in code order, as both summaries list them (they print names only)."""
    return [
        *("201", "202", "203", "204", "205", "206", "207", "208", "209", "210"),
        *("211", "212", "213", "214", "215", "216", "217", "219", "220", "221"),
        *("222", "223", "224", "227", "229", "230", "231", "232", "233", "234"),
    ]


def test_fiscal_summary(doc: RecognisedDocument) -> None:
    expected = gold.FISCAL_SUMMARY
    read = table(doc, "FISCAL_SUMMARY")
    *lines, total = read.rows
    assert [c.key for c in read.value_columns()] == [
        "income_item",
        "income",
        "subtotal",
        "general",
        "fund",
    ]
    assert len(lines) == len(expected["expenditure"])
    for index, (row, (spent_name, subtotal, general, fund)) in enumerate(
        zip(lines, expected["expenditure"], strict=True)
    ):
        assert row.name == spent_name and row.code == class_codes()[index]
        assert [row.values[k] for k in ("subtotal", "general", "fund")] == [
            wan(subtotal),
            wan(general),
            wan(fund),
        ]
        if index < len(expected["income"]):
            assert row.values["income_item"] == expected["income_printed_labels"][index]
            assert row.values["income"] == wan(expected["income"][index][1])
    assert total.kind == TOTAL
    assert total.values["income_item"] == expected["income_total_label"]
    assert total.values["income"] == wan(expected["income_total"])
    assert [total.values[k] for k in ("subtotal", "general", "fund")] == [
        wan(a) for a in expected["expenditure_total"]
    ]


def test_basic_expenditure_by_economic_class(doc: RecognisedDocument) -> None:
    read = table(doc, "BASIC_BY_ECONOMIC")
    rows = gold.BASIC_BY_ECONOMIC["rows"]
    assert len(read.rows) == len(rows)
    for row, (code, name, amount) in zip(read.rows, rows, strict=True):
        assert_row(row, code, name, {"amount": wan(amount), "note": None})
    assert [r.kind for r in read.rows if len(r.code) == 3] == [GROUP] * 3


def test_procurement(doc: RecognisedDocument) -> None:
    read = table(doc, "PROCUREMENT")
    expected = gold.PROCUREMENT
    assert len(read.rows) == len(expected["rows"])
    amounts = {"total", "government_total", "general_budget", "state_capital"}
    amounts |= {"special_account", "unit_funds"}
    for row, printed in zip(read.rows, expected["rows"], strict=True):
        for key, value in printed.items():
            ours = row.values.get(PROCUREMENT_KEYS.get(key, key))
            if key in amounts:
                assert ours == wan(value), (row.name, key)
            elif key == "quantity":
                assert ours == (None if value is None else Decimal(value)), (row.name, key)
            else:
                assert ours == value, (row.name, key)
    # levels: 合计, department, unit, sub-unit, then 基本/项目 groups and their items
    assert [r.level for r in read.rows] == [0, 1, 2, 3, 4, 5, 5, 4, 5, 5, 5, 5, 5, 5]
    kinds = {"total": TOTAL, "department": GROUP, "unit": GROUP, "group": GROUP, "item": "detail"}
    assert [r.kind for r in read.rows] == [kinds[k] for k in expected["row_kinds"]]


def test_operating_costs(doc: RecognisedDocument) -> None:
    read = table(doc, "OPERATING_EXPENSES")
    assert [(r.name, r.values["amount"]) for r in read.rows] == [
        (name, wan(amount)) for name, amount in gold.OPERATING_EXPENSES
    ]
    assert read.rows[0].kind == TOTAL


def test_three_public_read_by_the_position_of_the_amounts(doc: RecognisedDocument) -> None:
    read = table(doc, "THREE_PUBLIC")
    (row,) = read.rows
    expected = gold.THREE_PUBLIC
    assert (row.code, row.values["unit_code"]) == (expected["unit_code"], expected["unit_code"])
    assert row.name == row.values["unit_name"] == expected["unit_name"]
    for label, key in THREE_PUBLIC_KEYS.items():
        value = expected[label]
        assert row.values[key] == (value if key == "note" else wan(value)), label
    # the misplaced header cells (备注 over 培训费's figure) are reported, not silently read
    assert any("表头" in p.message_zh for p in doc.problems_of("three-public"))


# --- the forms -----------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(24), ids=[g["name"] for g in FORMS])
def test_form_fields_and_funds(doc: RecognisedDocument, index: int) -> None:
    expected = FORMS[index]
    project = doc.forms[index].project
    for key in ("name", "department", "department_code", "implementing_unit", "attribute"):
        assert getattr(project, key) == expected[key], key
    for key in ("period", "person_in_charge", "phone", "handler"):
        assert getattr(project, key) == expected[key], key
    assert (project.filled_on.isoformat() if project.filled_on else "") == expected["date"]
    for gold_key, funds in (
        ("period_funds", project.period_funds),
        ("year_funds", project.year_funds),
    ):
        for key, attr in goldenkit.FUND_KEYS.items():
            published = Decimal(expected[gold_key][key])
            assert to_unit(getattr(funds, attr), MoneyUnit.WAN) == published, (gold_key, key)
    assert project.origin.row == expected["line"]
    assert project.origin.file == SEED.name


@pytest.mark.parametrize("index", range(24), ids=[g["name"] for g in FORMS])
def test_form_indicators(doc: RecognisedDocument, index: int) -> None:
    expected = FORMS[index]
    form = doc.forms[index]
    for period, key in (("实施期", "period_indicators"), ("年度", "year_indicators")):
        ours = [(i.level1, i.level2, i.name, i.display_value) for i in form.indicators(period)]
        assert ours == [tuple(x) for x in expected[key]], period


def test_forms_keep_the_year_unit_and_title(doc: RecognisedDocument) -> None:
    assert {f.year for f in doc.forms} == {2021}
    assert {f.unit for f in doc.forms} == {MoneyUnit.WAN}
    assert doc.forms[0].title == "临汾市市级预算部门（单位）项目支出绩效目标申报表"
    assert doc.forms[6].title == "临汾市市级预算部门(单位)项目支出绩效目标申报表"  # as printed


def test_restored_year_values_are_marked_and_reported(doc: RecognisedDocument) -> None:
    restored = [(i.origin.row, i.name) for f in doc.forms for i in f.year_indicators if i.note]
    # the nine year values pushed past the last column of the extraction
    assert [line for line, _ in restored] == [308, 407, 414, 446, 511, 512, 513, 514, 887]
    reported = {p.line for p in doc.problems if "补录" in p.message_zh}
    assert reported == {line for line, _ in restored}


def test_every_decision_of_the_reader_is_reported(doc: RecognisedDocument) -> None:
    # 264: the 三公 header read in the template's order; 307/886: 一级+二级 labels one row
    # early; 886: a 年度 label that is a copy of the name; 994: a 二级 label one row low;
    # the rest: 年度 values restored from the 实施期 half
    lines = sorted(p.line for p in doc.problems)
    assert lines == [264, 307, 308, 407, 414, 446, 511, 512, 513, 514, 886, 886, 887, 994]


def test_indicator_origins_are_seed_lines(doc: RecognisedDocument) -> None:
    first = doc.forms[0].period_indicators[0]
    assert (first.origin.file, first.origin.row) == (SEED.name, 290)
    assert doc.forms[-1].year_indicators[-1].origin.row == 1069


def test_year_sums_of_the_forms_are_the_project_expenditure(doc: RecognisedDocument) -> None:
    years = sum((f.project.year_funds.total for f in doc.forms), Decimal(0))
    expenditure = table(doc, "EXPENDITURE_TABLE").rows[0].values["project"]
    assert years == expenditure == Decimal("113555600.00")


# --- the tables' own totals ----------------------------------------------------------------


def test_subject_of_the_document(doc: RecognisedDocument) -> None:
    subject = to_subject(doc)
    assert subject.kind == DOCUMENT and not subject.exact
    assert subject.year == 2021 and set(subject.tables) == set(TABLE_IDS.values())
    assert len(subject.forms) == 24
    assert subject.pages == dict(doc.first_lines)  # text: first line of each table


def test_totals_reconcile_and_blank_subtotals_are_one_note_per_table(
    doc: RecognisedDocument,
) -> None:
    # the seed's tables add up; its blank 类/款 subtotals (支出汇总表) and its blank 一般公共预算资金
    # column (政府采购表) are presentation choices: one note per table, never a fatal finding
    assert arith_fatal(doc) == []
    blank_rows = [
        d
        for d in gold.PUBLISHED_DEFECTS
        if d["table"] == "EXPENDITURE_TABLE" and d["printed"] is None
    ]
    notes = {f.location.table: f for f in run("ARITH-007", to_subject(doc)).findings}
    assert set(notes) == {"2021年预算支出汇总表", "政府采购预算资金明细表"}
    assert notes["2021年预算支出汇总表"].values["count"] == len(blank_rows)
    assert any(
        d["table"] == "PROCUREMENT" and d["field"] == "general_budget"
        for d in gold.PUBLISHED_DEFECTS
    )
    assert "留空" in notes["政府采购预算资金明细表"].message_zh
    # blanks stay blank (None), so a rule can tell them from a printed 0.00
    assert table(doc, "EXPENDITURE_TABLE").rows[1].values["basic"] is None


def mutated(tmp_path: Path, line: int, old: str, new: str) -> RecognisedDocument:
    """A copy of the seed with one figure changed on one line."""
    lines = SEED.read_text("utf-8").split("\n")
    assert lines[line - 1].count(old) >= 1
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    copy = tmp_path / SEED.name
    copy.write_text("\n".join(lines), "utf-8")
    return read_seed_text(copy)


@pytest.mark.parametrize(
    ("line", "old", "new", "title", "row"),
    [
        (52, "700.08", "700.18", "2021年预算收入总表", "2013201 行政运行"),
        (267, "22.05", "22.50", "2021年“三公”经费预算表", "104001 临汾市委组织部"),
        (190, "19.70", "19.07", "一般公共预算安排基本支出分经济科目表", "302 商品和服务支出"),
    ],
    ids=["income-table", "three-public", "economic-table"],
)
def test_a_changed_figure_is_reported_at_its_table_and_row(
    doc: RecognisedDocument, tmp_path: Path, line: int, old: str, new: str, title: str, row: str
) -> None:
    before = {(f.rule, f.location.describe()) for f in arith_fatal(doc)}
    changed = mutated(tmp_path, line, old, new)
    new_findings = [
        f for f in arith_fatal(changed) if (f.rule, f.location.describe()) not in before
    ]
    assert new_findings
    assert all(f.location.table == title for f in new_findings)
    assert row in {f.location.row for f in new_findings}
    table_id = next(t.id for t in changed.tables.values() if t.title == title)
    assert {f.location.page for f in new_findings} == {changed.first_lines[table_id]}
