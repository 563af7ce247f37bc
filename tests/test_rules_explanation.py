"""Cases for the 情况说明 rules (EXP-*): a required section with no text of the department's own
fires as fatal, a change in 三公 with no reason as a warning; the clean dataset (which has its
说明) stays quiet."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rulekit import RuleCase, clean_dataset, document, run
from yusuan.model.records import PriorYearFigure
from yusuan.rules import Outcome, Subject, subject_of_dataset
from yusuan.rules.base import Severity


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
