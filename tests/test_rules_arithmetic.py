"""Cases for the 表内平衡 rules (ARITH-*): a misprinted figure fires, a clean table does not."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rulekit import (
    RuleCase,
    clean_dataset,
    clean_document,
    finding_texts,
    run,
    with_cell,
    with_row,
    with_table,
)
from yusuan.rules import Outcome, Subject, subject_of_dataset

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
        "ARITH-007",
        lambda: blank_subtotals(clean_document()),
        clean_document,
        expect="2021年一般公共预算支出预算表有 6 处汇总数（其下各项有金额）留空",
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


def blank_subtotals(subject: Subject) -> Subject:
    """The 一般公共预算支出表 with its 类 201 and 款 20132 rows printed blank (a presentation
    choice some documents make)."""
    for code in ("201", "20132"):
        subject = with_row(
            subject,
            "general-budget",
            code,
            lambda row: replace(row, values=dict.fromkeys(row.values)),
        )
    return subject


def test_a_blank_subtotal_is_one_note_not_a_failed_sum() -> None:
    subject = blank_subtotals(clean_document())
    for rule_id in ("ARITH-001", "ARITH-002"):
        result = run(rule_id, subject)
        assert result.outcome is Outcome.PASSED, finding_texts(result)
    (note,) = run("ARITH-007", subject).findings
    assert note.values["count"] == 2 * 3  # two rows, three amount columns
    assert "0.00元" not in note.message_zh


def test_the_total_is_still_checked_through_a_blank_subtotal() -> None:
    # 合计 against the printed 项 below the blank 类 and 款: a misprinted 项 still fails
    subject = with_cell(
        blank_subtotals(clean_document()), "general-budget", "2013202", "total", Decimal("1.00")
    )
    assert run("ARITH-001", subject).outcome is Outcome.FAILED


def test_a_partly_blank_sum_says_so() -> None:
    subject = with_cell(clean_document(), "expenditure", "201", "project", None)
    (finding,) = run("ARITH-002", subject).findings
    assert "（其中 1 项留空）" in finding.message_zh and "0.00元" not in finding.message_zh


def test_a_column_not_read_cannot_run_and_is_never_zero() -> None:
    # a 收支总表 whose expenditure column the reader did not find: no 本年支出合计 of 0
    document = clean_document()
    summary = document.tables["income-expenditure"]
    unread = with_table(
        document,
        "income-expenditure",
        columns=tuple(c for c in summary.columns if c.key != "expenditure"),
        rows=tuple(
            replace(r, values={k: v for k, v in r.values.items() if k != "expenditure"})
            for r in summary.rows
        ),
    )
    assert run("ARITH-003", unread).outcome is Outcome.COULD_NOT_RUN
    assert run("XT-002", unread).outcome is Outcome.COULD_NOT_RUN
    assert run("XT-003", unread).outcome is Outcome.COULD_NOT_RUN


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
