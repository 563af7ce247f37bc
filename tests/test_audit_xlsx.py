"""Workbooks read back into data by the audit's XLSX reader.

Two kinds of workbook:

- yusuan's own (``render.xlsx.workbook_bytes``): the round trip of the issue's "Done when".
  For the example dataset and for generated datasets, the workbook built from the dataset's
  tables and forms is read back, and every cell of every table shows the same figure as the
  built table (万元, two decimals) — exactly the same amount, in fact, because the workbook
  stores exact values, not the rounded display. The rules run on the read-back document then
  give no finding the dataset's own check does not also give, except the two that only a
  document can produce (see ``DOCUMENT_ONLY``).
- workbooks laid out like the official templates, made here with openpyxl: a 公开NN表 line
  above the title, amounts in 元, columns in another order than yusuan's, codes split over
  类 | 款 | 项 columns (one of them stored as a number shown "00"), merged header cells.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.styles import Alignment

from goldenkit import typographic
from paths import EXAMPLE
from rulekit import arith_fatal, new_findings
from strategies import datasets
from yusuan.audit.document import RecognisedDocument
from yusuan.audit.xlsx_reader import cell_text, read_sheets, read_workbook, read_xlsx
from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.money import MoneyUnit
from yusuan.render.cells import display
from yusuan.render.xlsx import workbook_bytes
from yusuan.tables import build_tables
from yusuan.tables.base import CODE, TOTAL, Table
from yusuan.tables.forms import forms_of

# Findings a read-back document may give that its dataset's check does not, and why:
# - ARITH-090 (提示): on a document a total that differs from its parts by no more than the
#   rounding of the printed figures is a rounding difference; a dataset's exact figures either
#   add up or not. (yusuan's workbooks store exact amounts, so it does not occur in practice;
#   it is tolerated because a document checked for rounding is allowed to report it.)
# - XT-015 (提示): 机关运行经费 against the 公用经费 items of the 基本支出 economic table, the
#   approximation a document allows; a dataset is checked exactly by XT-014 on its budget lines
#   instead (XT-015 is not applicable to a dataset), so the two never report the same finding.
# Every other finding of the document must be one the dataset's check gives, with the same
# values (the location differs: the dataset's points at its CSV records, the document's at the
# table row). Findings are compared as a set: the document may report one defect in each table
# that prints it (CAT-010 on the 国有资本 table and on the 收入总表) where the dataset reports it
# once, on its budget lines. The set and the comparison live in rulekit (DOCUMENT_ONLY,
# new_findings), shared with the PDF round trip.

TITLE = "2021年部门预算"


def workbook_of(dataset: Dataset) -> tuple[list[Table], RecognisedDocument]:
    tables = build_tables(dataset)
    data = workbook_bytes(tables, forms_of(dataset), title=TITLE)
    return tables, read_workbook(io.BytesIO(data), "budget.xlsx")


def assert_same_figures(built: Iterable[Table], doc: RecognisedDocument) -> None:
    """Every table read back, every row in order, every printed cell as displayed and exact."""
    for table in built:
        read = doc.tables.get(table.id)
        assert read is not None, table.id
        assert (read.title, read.unit) == (table.title, table.unit)
        assert len(read.rows) == len(table.rows), table.id
        by_key = {c.key: c for c in read.columns}
        for a, b in zip(table.rows, read.rows, strict=True):
            where = (table.id, a.code, a.name)
            assert (b.name, b.kind, b.level) == (a.name, a.kind, a.level), where
            if any(c.kind == CODE for c in table.columns) or table.id == "basic-economic":
                assert b.code == a.code, where  # printed, or found from the printed name
            for column in table.columns:
                twin = by_key[column.key]
                shown = display(column, a.cell(column), table.unit)
                assert display(twin, b.cell(twin), read.unit) == shown, (*where, column.key)
                if a.cell(column) not in (None, ""):
                    # the workbook stores the exact amount: it comes back exactly
                    assert b.cell(twin) == a.cell(column), (*where, column.key)


# --- yusuan's own workbook: the example ---------------------------------------------------


@pytest.fixture(scope="module")
def example_dataset() -> Dataset:
    return load_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def example_read(example_dataset: Dataset) -> tuple[list[Table], RecognisedDocument]:
    return workbook_of(example_dataset)


def test_example_every_table_and_sheet(
    example_read: tuple[list[Table], RecognisedDocument],
) -> None:
    built, doc = example_read
    assert list(doc.tables) == [t.id for t in built]
    assert doc.year == 2021 and doc.department == "中共临汾市委组织部"
    assert doc.unread == ()
    # sheet 1 is the contents (目录): its lines are text outside the tables
    assert doc.narrative[0].text == TITLE
    # each table's page is its sheet: 目录 is sheet 1, the tables follow in order
    assert [doc.pages[t.id] for t in built] == list(range(2, 2 + len(built)))


def test_example_same_figures(example_read: tuple[list[Table], RecognisedDocument]) -> None:
    built, doc = example_read
    assert_same_figures(built, doc)
    income = doc.tables["income"]
    assert income.rows[0].kind == TOTAL
    assert income.rows[0].values["general"] == Decimal("64238300.00")  # 6,423.83 万元


def test_example_forms(
    example_dataset: Dataset, example_read: tuple[list[Table], RecognisedDocument]
) -> None:
    """Projects and indicators as the dataset has them; notes and origins are not printed."""
    _, doc = example_read
    expected = forms_of(example_dataset)
    assert [f.project.name for f in doc.forms] == [f.project.name for f in expected]
    skip = {"note", "origin"}
    for want, got in zip(expected, doc.forms, strict=True):
        assert (got.title, got.year, got.unit) == (want.title, want.year, want.unit)
        for name in want.project.__dataclass_fields__:
            if name not in skip:
                assert getattr(got.project, name) == getattr(want.project, name), name
        for period in ("period_indicators", "year_indicators"):
            mine, theirs = getattr(got, period), getattr(want, period)
            assert len(mine) == len(theirs), (want.project.name, period)
            for a, b in zip(theirs, mine, strict=True):
                for name in a.__dataclass_fields__:
                    if name not in skip:
                        printed = getattr(a, name)
                        if name == "operator":  # published as ≥ ≤ whatever the dataset typed
                            printed = typographic(printed)
                        assert getattr(b, name) == printed, (a.project, a.name, name)
    # a form whose dataset has no 年度 indicators prints that half blank: read as none
    no_year = next(f for f in expected if not f.year_indicators)
    read = next(f for f in doc.forms if f.project.name == no_year.project.name)
    assert read.year_indicators == () and read.period_indicators


def test_example_rules_find_nothing_new(
    example_dataset: Dataset, example_read: tuple[list[Table], RecognisedDocument]
) -> None:
    _, doc = example_read
    assert new_findings(doc, example_dataset) == []


def test_read_xlsx_from_a_file(tmp_path: Path, example_dataset: Dataset) -> None:
    path = tmp_path / "budget.xlsx"
    tables = build_tables(example_dataset)
    path.write_bytes(workbook_bytes(tables, forms_of(example_dataset), title=TITLE))
    doc = read_xlsx(path)
    assert doc.source == str(path)
    assert list(doc.tables) == [t.id for t in tables]
    assert len(doc.forms) == len(forms_of(example_dataset))


# --- yusuan's own workbook: generated datasets ---------------------------------------------


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(max_lines=25))
def test_generated_datasets_round_trip(dataset: Dataset) -> None:
    built, doc = workbook_of(dataset)
    assert_same_figures(built, doc)
    assert [f.project.name for f in doc.forms] == [p.name for p in dataset.projects]
    assert new_findings(doc, dataset) == []


# --- workbooks laid out like the official templates ---------------------------------------


def template_general_budget(path: Path) -> None:
    """公开05表: 一般公共预算支出预算表 in 元, codes over 类 | 款 | 项, 项目支出 before 基本支出."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "公开05表"
    sheet["A1"] = "公开05表"
    sheet["A2"] = "2022年某某局一般公共预算支出预算表"
    sheet.merge_cells("A2:G2")
    sheet["A3"] = "部门：某某局"
    sheet["G3"] = "单位：元"
    sheet["A4"] = "科目编码"
    sheet.merge_cells("A4:C4")
    for cell, text in (("D4", "科目名称"), ("E4", "合计"), ("F4", "项目支出"), ("G4", "基本支出")):
        sheet[cell] = text
        sheet.merge_cells(f"{cell}:{cell[0]}5")
    sheet["A5"], sheet["B5"], sheet["C5"] = "类", "款", "项"
    rows = [
        ("", "", "", "合计", 1234567.89, 200000, 1034567.89),
        ("201", "", "", "一般公共服务支出", 1034567.89, 200000, 834567.89),
        ("201", 3, "", "政府办公厅（室）及相关机构事务", 1034567.89, 200000, 834567.89),
        ("201", "03", "01", "行政运行", 834567.89, None, 834567.89),
        ("201", "03", "02", "一般行政管理事务", 200000, 200000, None),
        ("208", "", "", "社会保障和就业支出", 200000, None, 200000),
        ("208", "05", "", "行政事业单位养老支出", 200000, None, 200000),
        ("208", "05", "05", "机关事业单位基本养老保险缴费支出", 200000, None, 200000),
    ]
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(6 + offset, col, value if value != "" else None)
            if col == 2 and isinstance(value, int):
                cell.number_format = "00"  # a 款 stored as the number 3, shown "03"
            elif col >= 5:
                cell.number_format = "#,##0.00"
    sheet["A6"].alignment = Alignment(horizontal="center")
    book.save(path)


def template_two_sheets(path: Path) -> None:
    """Sheet 1: 三公 table in 万元 with its own column order and a merged 公务用车 group;
    sheet 2: 收入总表 with 科目名称 before 科目编码 and full codes stored as text."""
    book = openpyxl.Workbook()
    three = book.active
    assert three is not None
    three.title = "三公"
    three["A1"] = "2022年“三公”经费预算表"
    three.merge_cells("A1:G1")
    three["G2"] = "单位：万元"
    for cell, text in (
        ("A3", "单位名称"),
        ("B3", "合计"),
        ("C3", "公务接待费"),
        ("D3", "因公出国（境）费"),
    ):
        three[cell] = text
        three.merge_cells(f"{cell}:{cell[0]}4")
    three["E3"] = "公务用车购置及运行费"
    three.merge_cells("E3:G3")
    three["E4"], three["F4"], three["G4"] = "小计", "公务用车运行维护费", "公务用车购置费"
    for row in (
        ("合计", 12.5, 3.2, 2, 7.3, 5.3, 2),
        ("某某局本级", 12.5, 3.2, 2, 7.3, 5.3, 2),
    ):
        three.append(row)
    income = book.create_sheet("收入")
    income["A1"] = "2022年部门收入总表"
    income.merge_cells("A1:E1")
    income["A2"] = "单位：万元"
    income.append(("科目名称", "科目编码", "合计", "单位资金", "一般公共预算拨款收入"))
    for row in (
        ("合计", None, 1580.25, 80, 1500.25),
        ("一般公共服务支出", "201", 1580.25, 80, 1500.25),
        ("政府办公厅（室）及相关机构事务", "20103", 1580.25, 80, 1500.25),
        ("行政运行", "2010301", 1580.25, 80, 1500.25),
    ):
        income.append(row)
    book.save(path)


def test_template_codes_split_over_columns_in_yuan(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    template_general_budget(path)
    doc = read_xlsx(path)
    assert list(doc.tables) == ["general-budget"]
    assert doc.unread == () and doc.year == 2022
    assert [t.text for t in doc.narrative] == ["公开05表"]  # the number, not a title
    table = doc.tables["general-budget"]
    assert table.unit is MoneyUnit.YUAN and table.title == "2022年某某局一般公共预算支出预算表"
    assert [c.key for c in table.columns] == ["code", "name", "total", "project", "basic"]
    rows = [(r.code, r.level, r.values["total"], r.values["project"]) for r in table.rows]
    assert rows == [
        ("", 0, Decimal("1234567.89"), Decimal("200000")),
        ("201", 1, Decimal("1034567.89"), Decimal("200000")),
        ("20103", 2, Decimal("1034567.89"), Decimal("200000")),
        ("2010301", 3, Decimal("834567.89"), None),
        ("2010302", 3, Decimal("200000"), Decimal("200000")),
        ("208", 1, Decimal("200000"), None),
        ("20805", 2, Decimal("200000"), None),
        ("2080505", 3, Decimal("200000"), None),
    ]
    assert table.rows[3].values["basic"] == Decimal("834567.89")
    assert table.rows[4].values["basic"] is None
    assert doc.problems == ()
    assert arith_fatal(doc) == []


def test_template_other_column_orders_and_units(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    template_two_sheets(path)
    doc = read_xlsx(path)
    assert list(doc.tables) == ["three-public", "income"]
    assert doc.pages == {"three-public": 1, "income": 2}
    three = doc.tables["three-public"]
    assert three.unit is MoneyUnit.WAN
    assert [c.key for c in three.columns] == [
        "unit_name",
        "total",
        "reception",
        "abroad",
        "vehicle_subtotal",
        "vehicle_operation",
        "vehicle_purchase",
    ]
    unit = three.rows[1]
    assert unit.name == "某某局本级"
    assert unit.values["reception"] == Decimal("32000.0")  # 3.2 万元
    assert unit.values["abroad"] == Decimal("20000")
    assert unit.values["vehicle_purchase"] == Decimal("20000")
    assert unit.values["total"] == Decimal("125000.0")
    income = doc.tables["income"]
    assert [c.key for c in income.columns] == ["name", "code", "total", "unit_funds", "general"]
    assert [r.code for r in income.rows] == ["", "201", "20103", "2010301"]
    assert income.rows[3].values["general"] == Decimal("15002500.00")  # 1500.25 万元
    assert income.rows[3].values["unit_funds"] == Decimal("800000")
    assert arith_fatal(doc) == []
    # a changed figure is reported at its sheet, table and row
    book = openpyxl.load_workbook(path)
    book["收入"]["E7"] = 1500.52
    book.save(path)
    found = arith_fatal(read_xlsx(path))
    assert found and {f.location.page for f in found} == {2}
    assert "2010301 行政运行" in {f.location.row for f in found}


# --- the cell values ---------------------------------------------------------------------


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(6423.83) == "6423.83"
    assert cell_text(0.1 + 0.2) == "0.30000000000000004"  # exactly what the file holds
    assert cell_text(1e-7) == "0.0000001"  # never in exponent form
    assert cell_text(12) == "12"
    assert cell_text(3, "00") == "03" and cell_text(1.0, "000") == "001"
    assert cell_text("=3部") == "=3部"


def test_merged_cells_are_empty_but_the_first(tmp_path: Path) -> None:
    path = tmp_path / "merged.xlsx"
    template_two_sheets(path)
    sheets = read_sheets(path)
    assert [s.name for s in sheets] == ["三公", "收入"]
    first = sheets[0].rows
    assert first[0].cells[0] == "2022年“三公”经费预算表" and first[0].texts() == [first[0].cells[0]]
    # 单位名称 over A3:A4 and 公务用车购置及运行费 over E3:G3
    assert first[2].cells[:5] == (
        "单位名称",
        "合计",
        "公务接待费",
        "因公出国（境）费",
        "公务用车购置及运行费",
    )
    assert first[2].cells[5:] in ((), ("",), ("", ""))
    assert first[3].cells[:4] == ("", "", "", "")
    # lines run on across sheets
    assert sheets[1].rows[0].line == first[-1].line + 1
