"""Reading 上年预算数 / 增减额 / 增减% back (issue 11): yusuan's own PDF with the columns on reads
back and audits with no contradiction; a hand-made table in another layout is read by its header
words, and a printed change that does not follow from its figures is a finding."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from paths import EXAMPLE
from rulekit import arith_fatal, run
from yusuan.audit.document import RecognisedDocument, to_subject
from yusuan.audit.pdf_reader import read_pdf
from yusuan.audit.seed_text import read_text
from yusuan.audit.xlsx_reader import read_xlsx
from yusuan.dataset import load_dataset
from yusuan.model.records import PriorYearFigure
from yusuan.render.cells import display
from yusuan.render.pdf import pdf_bytes
from yusuan.render.xlsx import workbook_bytes
from yusuan.rules import Outcome
from yusuan.tables import build_tables
from yusuan.tables.base import Table
from yusuan.tables.prior import comparison_base

# Hand-chosen prior-year figures for the example (元): 合计 = Σ 类 = Σ 收入来源; 230 has none
# (its row is noted), 213 is 0 (no rate).
EXAMPLE_PRIOR = (
    ("功能分类", "201", "36000000.00"),
    ("功能分类", "20132", "25000000.00"),
    ("功能分类", "2013201", "7000000.00"),
    ("功能分类", "208", "1500000.00"),
    ("功能分类", "212", "60000000.00"),
    ("功能分类", "213", "0"),
    ("功能分类", "221", "600000.00"),
    ("合计", "支出合计", "98100000.00"),
    ("合计", "收入合计", "98100000.00"),
    ("收入来源", "一般公共预算", "38100000.00"),
    ("收入来源", "政府性基金预算", "60000000.00"),
    ("三公经费", "合计", "300000.00"),
    ("机关运行经费", "合计", "1300000.00"),
)


@pytest.fixture(scope="module")
def built_and_read(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[Table], RecognisedDocument]:
    dataset = load_dataset(EXAMPLE)
    records = tuple(PriorYearFigure(c, k, Decimal(a)) for c, k, a in EXAMPLE_PRIOR)
    manifest = replace(dataset.manifest, prior_columns=("prior", "change", "change_pct"))
    dataset = replace(dataset, manifest=manifest, prior_year=records)
    tables = build_tables(dataset)
    path: Path = tmp_path_factory.mktemp("prior") / "budget.pdf"
    path.write_bytes(pdf_bytes(tables, [], title="2021年部门预算"))
    return tables, read_pdf(path)


def compared_keys(table: Table) -> list[str]:
    return [c.key for c in table.columns if comparison_base(c.key) is not None]


def test_own_pdf_reads_back_every_comparison_cell(
    built_and_read: tuple[list[Table], RecognisedDocument],
) -> None:
    tables, doc = built_and_read
    compared = [t for t in tables if compared_keys(t)]
    assert {t.id for t in compared} == {
        "income-expenditure",
        "income",
        "expenditure",
        "fiscal",
        "operating-costs",
        "three-public",
    }
    for table in compared:
        read = doc.tables[table.id]
        assert compared_keys(read) == compared_keys(table), table.id
        for key in compared_keys(table):
            built_col = next(c for c in table.columns if c.key == key)
            read_col = next(c for c in read.columns if c.key == key)
            assert read_col.kind == built_col.kind
            built_cells = [display(built_col, r.cell(built_col), table.unit) for r in table.rows]
            read_cells = [display(read_col, r.cell(read_col), read.unit) for r in read.rows]
            assert read_cells == built_cells, (table.id, key)


def test_own_pdf_audits_with_no_contradiction(
    built_and_read: tuple[list[Table], RecognisedDocument],
) -> None:
    _, doc = built_and_read
    subject = to_subject(doc)
    for rule in ("PY-010", "PY-011"):
        result = run(rule, subject)
        assert result.outcome is Outcome.PASSED, (rule, result.reason, result.findings)
    assert arith_fatal(doc) == []


def test_own_workbook_reads_back_and_audits_clean(
    built_and_read: tuple[list[Table], RecognisedDocument], tmp_path: Path
) -> None:
    tables, _ = built_and_read
    path = tmp_path / "budget.xlsx"
    path.write_bytes(workbook_bytes(tables, [], title="2021年部门预算"))
    doc = read_xlsx(path)
    for table in tables:
        if compared_keys(table):
            assert compared_keys(doc.tables[table.id]) == compared_keys(table), table.id
    subject = to_subject(doc)
    for rule in ("PY-010", "PY-011"):
        assert run(rule, subject).outcome is Outcome.PASSED
    assert arith_fatal(doc) == []


# A hand-made 一般公共预算支出表 in the central layout: 上年预算数 before this year's figures, the
# change at the end; 2013202 prints 90.00 for a change of 100.00, 201 a rate of 9.00 for 10.00.
HAND_MADE = "\n".join(
    "\t".join(cells)
    for cells in [
        ("2022年一般公共预算支出表",),
        ("单位：万元",),
        ("科目编码", "科目名称", "上年预算数", "本年预算数", "", "", "比上年增减", ""),
        ("", "", "", "合计", "基本支出", "项目支出", "增减额", "增减%"),
        ("", "合计", "1,000.00", "1,100.00", "800.00", "300.00", "100.00", "10.00"),
        ("201", "一般公共服务支出", "1,000.00", "1,100.00", "800.00", "300.00", "100.00", "{rate}"),
        ("20132", "组织事务", "1,000.00", "1,100.00", "800.00", "300.00", "100.00", "10.00"),
        ("2013201", "行政运行", "800.00", "800.00", "800.00", "", "", "0.00"),
        ("2013202", "一般行政管理事务", "200.00", "300.00", "", "300.00", "{change}", "50.00"),
    ]
)


def hand_made(change: str = "100.00", rate: str = "10.00") -> RecognisedDocument:
    return read_text(HAND_MADE.format(change=change, rate=rate), "hand-made.txt")


def test_a_hand_made_layout_is_read_by_its_header_words() -> None:
    table = hand_made().tables["general-budget"]
    assert [c.key for c in table.columns] == [
        "code",
        "name",
        "prior_total",
        "total",
        "basic",
        "project",
        "change_total",
        "change_pct_total",
    ]
    row = table.row("2013202")
    assert row is not None
    assert row.values["prior_total"] == Decimal("2000000.00")
    assert row.values["change_pct_total"] == Decimal("50.00")  # a rate: not converted from 万元
    subject = to_subject(hand_made())
    for rule in ("PY-010", "PY-011"):
        assert run(rule, subject).outcome is Outcome.PASSED
    assert arith_fatal(hand_made()) == []


def test_a_wrong_change_and_a_wrong_rate_are_findings() -> None:
    changed = run("PY-010", to_subject(hand_made(change="90.00")))
    assert changed.outcome is Outcome.FAILED
    (finding,) = changed.findings
    assert finding.location.row == "2013202 一般行政管理事务"
    assert "应为 100.00万元" in finding.message_zh
    rated = run("PY-011", to_subject(hand_made(rate="9.00")))
    (finding,) = rated.findings
    assert finding.location.row == "201 一般公共服务支出"
    assert "应为 10.00" in finding.message_zh
