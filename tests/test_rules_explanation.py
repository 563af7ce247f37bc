"""Cases for the 情况说明 rules (EXP-*): a required section with no text of the department's own
fires as fatal, a change in 三公 with no reason as a warning; the clean dataset (which has its
说明) stays quiet."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rulekit import RuleCase, clean_dataset, document, finding_texts, run
from yusuan.model.records import Dataset, PriorYearFigure
from yusuan.rules import Outcome, Subject, subject_of_dataset
from yusuan.rules.base import Severity
from yusuan.tables import build_tables


def without_explanation() -> Subject:
    return subject_of_dataset(replace(clean_dataset(), explanation=""))


def only_duties() -> Subject:
    text = "## 部门职责及机构设置\n\n负责全市教育工作。\n"
    return subject_of_dataset(replace(clean_dataset(), explanation=text))


def three_public_changed_without_reason() -> Subject:
    # last year's 三公 total differs from this year's: the explanation must say why
    prior = (PriorYearFigure("三公经费", "合计", Decimal("1.00")),)
    return subject_of_dataset(replace(clean_dataset(), prior_year=prior))


CASES = [
    RuleCase("EXP-001", without_explanation, expect="部门职责及机构设置"),
    RuleCase("EXP-001", only_duties, expect="国有资产占用情况", name="assets"),
    RuleCase("EXP-002", three_public_changed_without_reason, expect="未提供变动原因"),
]


def test_every_missing_required_section_is_one_fatal_finding() -> None:
    result = run("EXP-001", without_explanation())
    assert result.outcome is Outcome.FAILED and result.severity is Severity.FATAL
    sections = sorted(f.location.field for f in result.findings)
    assert sections == ["一、部门职责及机构设置", "十一、国有资产占用情况"]


def test_comments_in_the_template_are_not_text() -> None:
    template = "## 部门职责及机构设置\n\n<!-- 必填：本部门的主要职责 -->\n"
    result = run("EXP-001", subject_of_dataset(replace(clean_dataset(), explanation=template)))
    assert "一、部门职责及机构设置" in {f.location.field for f in result.findings}


def test_a_document_without_a_dataset_cannot_be_judged() -> None:
    assert run("EXP-001", document(clean_dataset())).outcome is Outcome.COULD_NOT_RUN


# --- EXP-003 / EXP-004: changes from last year and their reasons ------------------------------


def _income_total(dataset: Dataset) -> Decimal:
    table = next(t for t in build_tables(dataset, ["income"]))
    value = table.rows[0].values["total"]
    assert isinstance(value, Decimal)
    return value


def with_prior_income(amount: Decimal | None = None, reasons: str = "") -> Dataset:
    """The clean dataset with last year's 本年收入合计 (this year's when ``amount`` is None) and
    ``reasons`` as its ## 变动原因."""
    dataset = clean_dataset()
    prior = amount if amount is not None else _income_total(dataset)
    text = dataset.explanation + (f"\n## 变动原因\n\n{reasons}\n" if reasons else "")
    return replace(
        dataset,
        prior_year=(PriorYearFigure("合计", "本年收入合计", prior),),
        explanation=text,
    )


def income_doubled_without_reason() -> Subject:
    return subject_of_dataset(with_prior_income(Decimal("1.00")))


def income_unchanged() -> Subject:
    return subject_of_dataset(with_prior_income())


def reason_for_a_code_not_in_the_budget() -> Subject:
    return subject_of_dataset(with_prior_income(reasons="- 2019999：新增工作任务"))


def reason_for_the_income_total() -> Subject:
    return subject_of_dataset(with_prior_income(reasons="- 本年收入合计：新增工作任务"))


CASES += [
    RuleCase("EXP-003", income_doubled_without_reason, income_unchanged, expect="本年收入合计"),
    RuleCase(
        "EXP-004",
        reason_for_a_code_not_in_the_budget,
        reason_for_the_income_total,
        expect="2019999",
    ),
]


def test_a_change_below_the_threshold_needs_no_reason() -> None:
    dataset = clean_dataset()
    total = _income_total(dataset)
    # 5% and more than 10万元 (the clean total is far above 2,000,000 元): below the 10% rate
    assert total * Decimal("0.05") >= Decimal(100000)
    small = with_prior_income((total / Decimal("1.05")).quantize(Decimal("0.01")))
    assert run("EXP-003", subject_of_dataset(small)).outcome is Outcome.PASSED
    # the dataset may lower the threshold: 1% makes the same change need its reason
    rules = {"EXP-003": {"min_rate": "1%", "min_amount": "10万元"}}
    lowered = replace(small, manifest=replace(small.manifest, rules=rules))
    result = run("EXP-003", subject_of_dataset(lowered))
    assert result.outcome is Outcome.FAILED
    assert "≥1.00%且≥10.00万元" in finding_texts(result)[0]


def test_a_reason_given_silences_the_finding() -> None:
    dataset = with_prior_income(Decimal("1.00"), "- 本年收入合计：新增工作任务")
    assert run("EXP-003", subject_of_dataset(dataset)).outcome is Outcome.PASSED


def test_without_prior_year_figures_the_change_rules_cannot_run() -> None:
    for rule_id in ("EXP-003",):
        result = run(rule_id, subject_of_dataset(replace(clean_dataset(), prior_year=())))
        assert result.outcome is Outcome.COULD_NOT_RUN
        assert "上年" in result.reason


def test_an_unreadable_threshold_is_said_not_passed() -> None:
    dataset = with_prior_income(Decimal("1.00"))
    rules = {"EXP-003": {"min_rate": "十"}}
    spoiled = replace(dataset, manifest=replace(dataset.manifest, rules=rules))
    result = run("EXP-003", subject_of_dataset(spoiled))
    assert result.outcome is Outcome.COULD_NOT_RUN and "min_rate" in result.reason


def test_the_reason_names_its_line_in_the_explanation() -> None:
    dataset = with_prior_income(reasons="- 2019999：新增工作任务")
    result = run("EXP-004", subject_of_dataset(dataset))
    line = dataset.explanation.splitlines().index("- 2019999：新增工作任务") + 1
    assert [f.location.line for f in result.findings] == [line]
