"""Run the registered rules over a subject and collect their outcomes and findings.

Every rule run records an outcome: passed, failed, not applicable, could not run (missing data),
or disabled by the dataset's settings. A rule that did not run never counts as passed.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from yusuan.rules.base import (
    REGISTRY,
    Finding,
    MissingData,
    NotApplicable,
    Outcome,
    Rule,
    Severity,
    format_message,
)
from yusuan.rules.subject import Subject


@dataclass(frozen=True, slots=True)
class RuleRun:
    rule: Rule
    severity: Severity  # after the dataset's re-levelling
    outcome: Outcome
    reason: str = ""
    findings: tuple[Finding, ...] = ()
    seconds: float = 0.0


@dataclass(frozen=True)
class Report:
    """The result of a check run."""

    runs: tuple[RuleRun, ...]
    subject_kind: str = "dataset"
    title: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def findings(self) -> list[Finding]:
        found = [f for run in self.runs for f in run.findings]
        return sorted(found, key=lambda f: (f.severity.rank, f.rule, f.location.describe()))

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def count_fatal(self) -> int:
        return self.count(Severity.FATAL)

    @property
    def has_fatal(self) -> bool:
        return self.count(Severity.FATAL) > 0

    def outcomes(self) -> Counter[Outcome]:
        return Counter(run.outcome for run in self.runs)

    def summary_zh(self) -> str:
        outcomes = self.outcomes()
        return (
            f"致命 {self.count(Severity.FATAL)} · 警告 {self.count(Severity.WARNING)} · "
            f"提示 {self.count(Severity.INFO)}；规则 {len(self.runs)} 条："
            + "，".join(f"{o.chinese} {outcomes[o]}" for o in Outcome if outcomes[o])
        )

    def summary_en(self) -> str:
        outcomes = self.outcomes()
        return (
            f"{self.count(Severity.FATAL)} fatal, {self.count(Severity.WARNING)} warning, "
            f"{self.count(Severity.INFO)} info; {len(self.runs)} rules: "
            + ", ".join(f"{outcomes[o]} {o.value}" for o in Outcome if outcomes[o])
        )


def load_rules() -> dict[str, Rule]:
    """Import every module of ``yusuan.rules.checks`` so that its rules register themselves."""
    import yusuan.rules.checks as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return REGISTRY


def _settings_for(rule: Rule, settings: Mapping[str, Mapping[str, str]]) -> tuple[bool, Severity]:
    own = settings.get(rule.id, {})
    enabled = str(own.get("enabled", "true")).strip().lower() not in (
        "false",
        "no",
        "0",
        "否",
        "停用",
    )
    severity = Severity.parse(own["severity"]) if own.get("severity") else rule.severity
    return enabled, severity


def run_rule(rule: Rule, subject: Subject, severity: Severity | None = None) -> RuleRun:
    """Run one rule; its exceptions become outcomes, never a crash of the whole check."""
    level = severity or rule.severity
    start = time.perf_counter()
    try:
        hits = list(rule.check(subject))
    except NotApplicable as reason:
        return RuleRun(
            rule, level, Outcome.NOT_APPLICABLE, str(reason), seconds=time.perf_counter() - start
        )
    except MissingData as reason:
        return RuleRun(
            rule, level, Outcome.COULD_NOT_RUN, str(reason), seconds=time.perf_counter() - start
        )
    findings = tuple(
        Finding(rule.id, level, *format_message(rule, hit.values), hit.location, dict(hit.values))
        for hit in hits
    )
    outcome = Outcome.FAILED if findings else Outcome.PASSED
    return RuleRun(rule, level, outcome, findings=findings, seconds=time.perf_counter() - start)


def run_rules(
    subject: Subject,
    *,
    settings: Mapping[str, Mapping[str, str]] | None = None,
    only: Iterable[str] | None = None,
    title: str = "",
) -> Report:
    """Run every registered rule (or those in ``only``) with the dataset's per-rule settings."""
    load_rules()
    settings = (
        settings
        if settings is not None
        else (subject.dataset.manifest.rules if subject.dataset is not None else {})
    )
    wanted = set(only) if only is not None else None
    runs = []
    for rule_id in sorted(REGISTRY):
        if wanted is not None and rule_id not in wanted:
            continue
        rule = REGISTRY[rule_id]
        enabled, severity = _settings_for(rule, settings)
        if not enabled:
            runs.append(
                RuleRun(
                    rule, severity, Outcome.DISABLED, "数据集设置停用 / disabled in the manifest"
                )
            )
            continue
        runs.append(run_rule(rule, subject, severity))
    return Report(tuple(runs), subject.kind, title)
