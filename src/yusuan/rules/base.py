"""The rule registry: each rule a small function with a stable id, a severity, bilingual message
templates, its basis and a fix hint (after frictionless-py's checks and GovBudgetChecker's rule
metadata).

A rule's check function receives a ``Subject`` and yields ``Hit``s (a location and the values to
fill the message template). It raises ``NotApplicable`` when the rule does not concern the input
and ``MissingData`` when the input lacks what the rule needs: such a rule never counts as passed.
"""

from __future__ import annotations

import enum
import hashlib
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yusuan.rules.subject import Subject


class Severity(enum.Enum):
    """致命 (blocks publication) / 警告 / 提示."""

    FATAL = "致命"
    WARNING = "警告"
    INFO = "提示"

    @property
    def english(self) -> str:
        return {"致命": "fatal", "警告": "warning", "提示": "info"}[self.value]

    @property
    def rank(self) -> int:
        return {"致命": 0, "警告": 1, "提示": 2}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        wanted = text.strip().lower()
        for severity in cls:
            if wanted in (severity.value, severity.english, severity.name.lower()):
                return severity
        raise ValueError(
            f"unknown severity {text!r}; expected 致命/警告/提示 or fatal/warning/info"
        )


class Outcome(enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"
    COULD_NOT_RUN = "could_not_run"
    DISABLED = "disabled"

    @property
    def chinese(self) -> str:
        return {
            "passed": "通过",
            "failed": "未通过",
            "not_applicable": "不适用",
            "could_not_run": "无法运行",
            "disabled": "已停用",
        }[self.value]


GROUPS: dict[str, str] = {
    "arithmetic": "表内平衡 within a table",
    "cross-table": "表间一致 between tables",
    "catalogue": "科目与目录 against the catalogues",
    "project": "项目 projects",
    "indicator": "绩效指标 performance targets",
    "text": "文字质量 text quality",
    "procurement": "政府采购 procurement",
    "data": "数据质量 data quality",
}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding points: a table cell, a project field, or a file row (any that apply)."""

    table: str = ""
    row: str = ""
    column: str = ""
    project: str = ""
    field: str = ""
    file: str = ""
    line: int = 0
    page: int = 0

    def describe(self) -> str:
        parts = []
        if self.page:
            parts.append(f"第{self.page}页")
        if self.table:
            parts.append(f"表 {self.table}")
        if self.row:
            parts.append(f"行 {self.row}")
        if self.column:
            parts.append(f"列 {self.column}")
        if self.project:
            parts.append(f"项目“{self.project}”")
        if self.field:
            parts.append(f"{self.field}")
        if self.file:
            parts.append(f"{self.file}:{self.line}" if self.line else self.file)
        return " ".join(parts) or "（整体）"

    def as_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in (
                ("table", self.table),
                ("row", self.row),
                ("column", self.column),
                ("project", self.project),
                ("field", self.field),
                ("file", self.file),
                ("line", self.line),
                ("page", self.page),
            )
            if v
        }


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check yields: where, and the values for the message template."""

    location: Location
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found: which rule, how severe, the message in Chinese and English, and where.

    A rule yields one finding per place; the engine then folds the findings that state one fact
    (``rules.consolidate``) so that a finding names every place it applies to (``places``, the
    first of which is ``location``), the other rules that said the same thing at its place
    (``also``), the finding it follows from (``caused_by``, a ``key``), the number of projects or
    rows of a grouped pattern (``group``) and, when a reviewer accepted it, the reason
    (``accepted``). ``parts`` keeps the findings folded into this one, so nothing is lost.
    """

    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    location: Location
    values: Mapping[str, object] = field(default_factory=dict)
    other_places: tuple[Location, ...] = ()
    also: tuple[str, ...] = ()
    caused_by: str = ""
    group: int = 0
    accepted: str = ""
    parts: tuple[Finding, ...] = ()

    @property
    def places(self) -> tuple[Location, ...]:
        """Every place the finding applies to, ``location`` first."""
        return (self.location, *self.other_places)

    @property
    def fact(self) -> tuple[tuple[str, str], ...]:
        """The values that make the message, minus those naming its place."""
        return tuple(sorted((k, str(v)) for k, v in self.values.items() if k not in PLACE_VALUES))

    @property
    def key(self) -> str:
        """Rule + place + fact: stable across runs, what ``caused_by`` and acceptance refer to."""
        digest = hashlib.sha1(repr(self.fact).encode()).hexdigest()[:6]
        return f"{self.rule}@{self.location.describe()}#{digest}"

    @property
    def rules(self) -> tuple[str, ...]:
        """This finding's rule and the rules folded into it."""
        return (self.rule, *self.also)

    def where(self) -> str:
        """Every place, as a report prints them."""
        return "；".join(place.describe() for place in self.places)


# Values that name where a finding is rather than what it says (the place half of a key).
PLACE_VALUES = frozenset({"project", "row", "file", "line", "page", "table", "column"})


class _Lenient(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


def format_message(rule: Rule, values: Mapping[str, object]) -> tuple[str, str]:
    """Fill the rule's templates; a missing value shows as ``?`` rather than failing the check."""
    filled = _Lenient(values)
    return (
        string.Formatter().vformat(rule.message_zh, (), filled),
        string.Formatter().vformat(rule.message_en, (), filled),
    )


class NotApplicable(Exception):
    """The rule does not concern this input (e.g. no 政府性基金 money)."""


class MissingData(Exception):
    """The input lacks what the rule needs (e.g. a table is missing from a document)."""


Check = Callable[["Subject"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A rule and everything needed to explain its findings."""

    id: str
    group: str
    severity: Severity
    title_zh: str
    title_en: str
    message_zh: str
    message_en: str
    basis: str
    fix_zh: str
    check: Check
    example: Mapping[str, object] = field(default_factory=dict)

    def fields(self) -> set[str]:
        """The placeholders the message templates use."""
        names = set()
        for template in (self.message_zh, self.message_en):
            names |= {name for _, name, _, _ in string.Formatter().parse(template) if name}
        return names


REGISTRY: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    group: str,
    severity: Severity,
    title: tuple[str, str],
    message: tuple[str, str],
    basis: str,
    fix: str,
    example: Mapping[str, object] | None = None,
) -> Callable[[Check], Check]:
    """Register a check function as a rule. Ids are stable: never reuse or renumber one."""
    if group not in GROUPS:
        raise ValueError(f"unknown rule group {group!r}")

    def register(check: Check) -> Check:
        if rule_id in REGISTRY:
            raise ValueError(f"rule id {rule_id} registered twice")
        REGISTRY[rule_id] = Rule(
            rule_id,
            group,
            severity,
            title[0],
            title[1],
            message[0],
            message[1],
            basis,
            fix,
            check,
            example or {},
        )
        return check

    return register


def money(yuan: object) -> str:
    """An amount in 元 as a message shows it: 万元 with two decimals, or 元 when it is small."""
    from decimal import Decimal

    from yusuan.money import MoneyUnit, format_amount, to_unit

    if not isinstance(yuan, Decimal):
        return str(yuan)
    if abs(yuan) < 100:
        return f"{yuan:.2f}元"
    return f"{format_amount(to_unit(yuan, MoneyUnit.WAN))}万元"


def excerpt(text: str, size: int) -> str:
    """A text as a message quotes it: white space folded, cut after ``size`` characters (…)."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size] + "…"
