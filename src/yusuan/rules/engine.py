"""Run the registered rules over a subject and collect their outcomes and findings.

Every rule run records an outcome: passed, failed, not applicable, could not run (missing data),
or disabled by the dataset's settings. A rule that did not run never counts as passed.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from yusuan.model.records import Acceptance
from yusuan.rules.base import (
    REGISTRY,
    Finding,
    Hit,
    Location,
    MissingData,
    NotApplicable,
    Outcome,
    Rule,
    Severity,
    format_message,
)
from yusuan.rules.consolidate import amend, consolidate, leaves, place_matches
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
    """The result of a check run.

    ``findings`` are every finding as each rule made it; ``reported`` the findings a reader sees,
    one per fact (``rules.consolidate``), the most important first, without the consequences
    (``consequences_of``) and the findings a reviewer accepted (``accepted``). Counts, the exit
    status and ``build`` go by ``reported``.
    """

    runs: tuple[RuleRun, ...]
    subject_kind: str = "dataset"
    title: str = ""
    problems: tuple[str, ...] = field(default_factory=tuple)
    consolidated: tuple[Finding, ...] | None = None

    @property
    def findings(self) -> list[Finding]:
        found = [f for run in self.runs for f in run.findings]
        return sorted(found, key=lambda f: (f.severity.rank, f.rule, f.location.describe()))

    @cached_property
    def folded(self) -> tuple[Finding, ...]:
        """Every consolidated finding: reported, consequences and accepted ones."""
        if self.consolidated is not None:
            return self.consolidated
        return tuple(consolidate([f for run in self.runs for f in run.findings], REGISTRY))

    @property
    def reported(self) -> list[Finding]:
        return [f for f in self.folded if not f.caused_by and not f.accepted]

    @property
    def accepted(self) -> list[Finding]:
        return [f for f in self.folded if f.accepted]

    def consequences_of(self, finding: Finding) -> list[Finding]:
        return [f for f in self.folded if f.caused_by == finding.key]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.reported if f.severity is severity)

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
        accepted = f"；已接受 {len(self.accepted)} 项" if self.accepted else ""
        return (
            f"致命 {self.count(Severity.FATAL)} · 警告 {self.count(Severity.WARNING)} · "
            f"提示 {self.count(Severity.INFO)}{accepted}；规则 {len(self.runs)} 条："
            + "，".join(f"{o.chinese} {outcomes[o]}" for o in Outcome if outcomes[o])
        )

    def summary_en(self) -> str:
        outcomes = self.outcomes()
        accepted = f"; {len(self.accepted)} accepted" if self.accepted else ""
        return (
            f"{self.count(Severity.FATAL)} fatal, {self.count(Severity.WARNING)} warning, "
            f"{self.count(Severity.INFO)} info{accepted}; {len(self.runs)} rules: "
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
    accepted: Sequence[Acceptance] | None = None,
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
    if accepted is None:
        accepted = subject.dataset.manifest.accepted if subject.dataset is not None else ()
    raw = [f for run in runs for f in run.findings]
    folded, unmatched = apply_acceptances(raw, accepted, REGISTRY)
    if accepted:
        runs.append(
            RuleRun(
                ACCEPTANCE_RULE,
                ACCEPTANCE_RULE.severity,
                Outcome.FAILED if unmatched else Outcome.PASSED,
                findings=tuple(unmatched),
            )
        )
    return Report(tuple(runs), subject.kind, title, consolidated=(*folded, *unmatched))


def _unmatched_acceptance(acceptance: Acceptance) -> Hit:
    place = acceptance.place or "；".join(f"{k}={v}" for k, v in acceptance.keys)
    return Hit(
        Location(field="accepted", file="yusuan.toml"),
        {"rule": acceptance.rule, "place": place, "reason": acceptance.reason},
    )


def _no_check(subject: Subject) -> list[Hit]:
    raise NotApplicable("由检查引擎在全部规则运行后核对 / checked by the engine after the rules")


# Not in the registry (it checks the other rules' findings, not a subject): the engine runs it.
ACCEPTANCE_RULE = Rule(
    "ACC-001",
    "data",
    Severity.INFO,
    "已接受的问题没有对应的发现",
    "An accepted finding that is not found",
    "已接受的问题 [{rule}] {place}（{reason}）没有对应的发现：问题已改正或位置写错，可删去此项",
    "the accepted finding [{rule}] {place} ({reason}) matches no finding: fixed, or the place "
    "is misspelt; remove the entry",
    "yusuan.toml [[accepted]]",
    "删去这一项，或按检查报告所列位置改正",
    _no_check,
)


def apply_acceptances(
    findings: Sequence[Finding], accepted: Sequence[Acceptance], rules: Mapping[str, Rule]
) -> tuple[list[Finding], list[Finding]]:
    """Fold the findings with the reviewer's acceptances: an accepted finding (with what follows
    from it) is folded apart and carries the reason; of a pattern, only the members at the
    accepted place are accepted. Each acceptance that matches no finding becomes a 提示."""
    folded = consolidate(findings, rules)
    reasons: dict[int, str] = {}
    unmatched = []
    for acceptance in accepted:
        keys = dict(acceptance.keys)
        hits = [
            f
            for f in folded
            if acceptance.rule in f.rules
            and any(place_matches(p, acceptance.place, keys) for p in f.places)
        ]
        for hit in hits:
            following = [leaf for c in folded if c.caused_by == hit.key for leaf in leaves(c)]
            members = [
                leaf
                for leaf in leaves(hit)
                if not hit.group or place_matches(leaf.location, acceptance.place, keys)
            ]
            for leaf in [*members, *following]:
                reasons.setdefault(id(leaf), acceptance.reason)
        if not hits:
            note = _unmatched_acceptance(acceptance)
            zh, en = format_message(ACCEPTANCE_RULE, note.values)
            unmatched.append(
                Finding(ACCEPTANCE_RULE.id, Severity.INFO, zh, en, note.location, note.values)
            )
    if not reasons:
        return folded, unmatched
    kept = consolidate([f for f in findings if id(f) not in reasons], rules)
    taken = consolidate([f for f in findings if id(f) in reasons], rules)
    return [*kept, *(amend(f, accepted=reasons[id(leaves(f)[0])]) for f in taken)], unmatched
