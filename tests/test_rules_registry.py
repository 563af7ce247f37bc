"""Every rule is registered with complete metadata, and has a case where it fires and one where
it stays quiet; the clean dataset passes every rule; the rules page in the docs is current."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from paths import ROOT
from rulekit import RuleCase, clean_dataset, finding_texts, run
from yusuan.dataset import load_dataset, save_dataset
from yusuan.rules import Outcome, check_dataset, load_rules
from yusuan.rules.base import GROUPS, format_message
from yusuan.rules.docs import rules_markdown

RULES = load_rules()


def _cases() -> list[RuleCase]:
    cases: list[RuleCase] = []
    for path in sorted(Path(__file__).parent.glob("test_rules_*.py")):
        if path.stem == "test_rules_registry":
            continue
        cases.extend(importlib.import_module(path.stem).CASES)
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_fires(case: RuleCase) -> None:
    result = run(case.rule, case.fires())
    assert result.outcome is Outcome.FAILED, (
        f"{case.rule} did not fire ({result.outcome}: {result.reason})"
    )
    assert all(f.rule == case.rule for f in result.findings)
    if case.expect:
        assert any(case.expect in text for text in finding_texts(result)), finding_texts(result)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_stays_quiet(case: RuleCase) -> None:
    result = run(case.rule, case.quiet())
    assert result.outcome is Outcome.PASSED, (result.outcome, result.reason, finding_texts(result))


def test_every_rule_has_a_case() -> None:
    covered = {c.rule for c in CASES}
    assert set(RULES) <= covered, f"rules without a test case: {sorted(set(RULES) - covered)}"


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_metadata(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert re.fullmatch(r"[A-Z]+-\d{3}", rule.id)
    assert rule.group in GROUPS
    assert rule.title_zh and rule.title_en and rule.basis and rule.fix_zh
    assert rule.fields() <= set(rule.example), f"example lacks {rule.fields() - set(rule.example)}"
    zh, _en = format_message(rule, rule.example)
    assert "?" not in zh.replace("？", "") or "?" in str(rule.example)


def test_clean_dataset_loads_and_passes_every_rule(tmp_path: Path) -> None:
    dataset = clean_dataset()
    save_dataset(dataset, tmp_path / "clean")
    assert load_dataset(tmp_path / "clean") == dataset, "the clean dataset is a valid dataset"
    report = check_dataset(dataset)
    assert [f"{f.rule} {f.message_zh} {f.location.describe()}" for f in report.findings] == []
    assert not [r.rule.id for r in report.runs if r.outcome is Outcome.COULD_NOT_RUN]


def test_rules_page_is_generated_from_the_registry() -> None:
    page = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert page == rules_markdown(), (
        "docs/rules.md is stale: run `yusuan rules --format markdown > docs/rules.md`"
    )
