"""Cases for the 表内平衡 rules (ARITH-*): a misprinted figure fires, a clean table does not."""

from __future__ import annotations

from decimal import Decimal

from rulekit import RuleCase, clean_dataset, clean_document, run, with_cell
from yusuan.rules import Outcome, subject_of_dataset

CASES = [
    RuleCase(
        "ARITH-001",
        lambda: with_cell(
            clean_document(), "general-budget", "201", "total", Decimal("5000000.00")
        ),
        clean_document,
        expect="= Σ 下级科目",
        name="class-row",
    ),
    RuleCase(
        "ARITH-001",
        lambda: with_cell(clean_document(), "basic-economic", "", "amount", Decimal("1.00")),
        expect="合计 = Σ 类",
        name="grand-total",
    ),
    RuleCase(
        "ARITH-002",
        lambda: with_cell(clean_document(), "expenditure", "2013202", "basic", Decimal("10000.00")),
        clean_document,
        expect="合计 = 基本支出 + 项目支出",
    ),
    RuleCase(
        "ARITH-003",
        lambda: with_cell(
            clean_document(),
            "income-expenditure",
            "",
            "income",
            Decimal("1.00"),
            row_name="本年支出合计",
        ),
        clean_document,
        expect="本年收入合计",
    ),
    RuleCase(
        "ARITH-004",
        lambda: with_cell(
            clean_document(), "three-public", "201001", "reception", Decimal("90000.00")
        ),
        clean_document,
        expect="公务接待费",
    ),
    RuleCase(
        "ARITH-005",
        lambda: with_cell(clean_document(), "procurement", "C081401", "total", Decimal("40000.00")),
        clean_document,
        expect="预算总计",
    ),
    RuleCase(
        "ARITH-006",
        lambda: with_cell(clean_document(), "operating-costs", "201001", "amount", Decimal("1.00")),
        clean_document,
        expect="合计 = Σ 单位",
    ),
    RuleCase(
        "ARITH-090",
        # printed figures off by 30 元 (under the 万元 rounding of the figures involved)
        lambda: with_cell(
            clean_document(), "general-budget", "2013201", "total", Decimal("2385030.00")
        ),
        clean_document,
        expect="四舍五入",
        name="document",
    ),
]


def test_a_rounding_sized_difference_is_info_not_fatal() -> None:
    subject = with_cell(
        clean_document(), "general-budget", "2013201", "total", Decimal("2385030.00")
    )
    assert run("ARITH-001", subject).outcome is Outcome.PASSED
    assert run("ARITH-090", subject).outcome is Outcome.FAILED


def test_exact_tables_must_add_up_exactly() -> None:
    subject = subject_of_dataset(clean_dataset())
    spoiled = with_cell(subject, "general-budget", "2013201", "total", Decimal("2385000.01"))
    result = run("ARITH-001", spoiled)
    assert result.outcome is Outcome.FAILED
    assert "0.01元" in result.findings[0].message_zh


def test_missing_table_means_could_not_run() -> None:
    from rulekit import without_table

    subject = without_table(clean_document(), "three-public")
    assert run("ARITH-004", subject).outcome is Outcome.COULD_NOT_RUN
