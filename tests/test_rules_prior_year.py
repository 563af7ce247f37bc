"""上年数 rules: PY-001..003 on a dataset's prior-year figures, PY-010/011 on printed comparisons.

The figures are ``test_prior_columns.PRIOR`` (hand-chosen, adding up) on ``rulekit.clean_dataset``.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rulekit import RuleCase, clean_dataset, clean_subject, document, run, with_cell
from test_prior_columns import PRIOR, with_prior
from yusuan.rules import Outcome, Subject, subject_of_dataset


def prior_subject(figures: tuple[tuple[str, str, str], ...] = PRIOR) -> Subject:
    return subject_of_dataset(with_prior(clean_dataset(), figures))


def prior_document() -> Subject:
    """The clean dataset's tables with the comparison columns, as a published document."""
    return document(with_prior(clean_dataset()))


def replaced(category: str, key: str, amount: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((c, k, amount if (c, k) == (category, key) else a) for c, k, a in PRIOR)


CASES = [
    RuleCase(
        "PY-001",
        # 合计 says 5,400,000 but the 类 add up to 5,350,000
        lambda: prior_subject(replaced("合计", "支出合计", "5400000.00")),
        prior_subject,
        expect="相差 5.00万元",
    ),
    RuleCase(
        "PY-001",
        lambda: prior_subject(replaced("收入来源", "一般公共预算", "3300000.00")),
        prior_subject,
        expect="收入来源各项相加为 530.00万元",
        name="revenue",
    ),
    RuleCase(
        "PY-002",
        # 20132 (2,900,000) above its 类 201
        lambda: prior_subject(replaced("功能分类", "201", "2800000.00")),
        prior_subject,
        expect="超过上级 10.00万元",
    ),
    RuleCase(
        "PY-003",
        lambda: prior_subject((*PRIOR, ("收入来源", "某某收入", "1.00"))),
        prior_subject,
        expect="不是已知的资金来源",
    ),
    RuleCase(
        "PY-003",
        lambda: prior_subject((*PRIOR, ("功能分类", "208", "1.00"))),
        prior_subject,
        expect="重复",
        name="repeated",
    ),
    RuleCase(
        "PY-010",
        # 201 printed 30.00 instead of 30.50 (万元): more than the rounding of three figures
        lambda: with_cell(
            prior_document(), "expenditure", "201", "change_total", Decimal("300000")
        ),
        prior_document,
        expect="应为 30.50万元",
    ),
    RuleCase(
        "PY-011",
        lambda: with_cell(
            prior_document(), "expenditure", "201", "change_pct_total", Decimal("10.00")
        ),
        prior_document,
        expect="应为 10.17",
    ),
]


def test_without_prior_figures_the_input_rules_do_not_apply_or_could_not_run() -> None:
    """No prior_year.csv: nothing to check (it is optional); but a dataset that chose the
    comparison columns and gave no figures, or a document, could not be checked."""
    chosen = subject_of_dataset(with_prior(clean_dataset(), figures=()))
    none = subject_of_dataset(replace(clean_dataset(), prior_year=()))
    for rule in ("PY-001", "PY-002", "PY-003"):
        assert run(rule, none).outcome is Outcome.NOT_APPLICABLE
        assert run(rule, chosen).outcome is Outcome.COULD_NOT_RUN
        assert run(rule, prior_document()).outcome is Outcome.COULD_NOT_RUN


def test_without_the_columns_the_printed_rules_do_not_apply() -> None:
    for rule in ("PY-010", "PY-011"):
        assert run(rule, clean_subject()).outcome is Outcome.NOT_APPLICABLE


def test_a_rounded_document_passes_within_half_a_unit() -> None:
    """A printed change one cent of a 万元 off (rounding) is no finding; a rate printed from the
    rounded figures is none either."""
    doc = with_cell(prior_document(), "expenditure", "201", "change_total", Decimal("305050"))
    assert run("PY-010", doc).outcome is Outcome.PASSED
    doc = with_cell(prior_document(), "expenditure", "201", "change_pct_total", Decimal("10.17"))
    assert run("PY-011", doc).outcome is Outcome.PASSED


def test_on_a_dataset_the_computed_columns_pass() -> None:
    for rule in ("PY-010", "PY-011"):
        assert run(rule, prior_subject()).outcome is Outcome.PASSED


def test_a_misprinted_prior_figure_is_one_finding() -> None:
    """上年 printed 310.00 for 300.00 (万元) on 201: 增减额 and 增减% then both disagree with it, but
    it is one fact: PY-010 reports the row, PY-011 leaves it."""
    doc = with_cell(prior_document(), "expenditure", "201", "prior_total", Decimal("3100000"))
    assert run("PY-010", doc).outcome is Outcome.FAILED
    assert run("PY-011", doc).outcome is Outcome.PASSED
