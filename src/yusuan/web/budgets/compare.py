"""What changed between two versions of a budget: lines, projects and indicators, by their keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TypeVar

from yusuan.model.records import BudgetLine, Dataset, Indicator, Project

T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    kind: str  # 新增 / 删除 / 修改
    key: str
    before: str = ""
    after: str = ""


def _line_key(line: BudgetLine) -> str:
    parts = [line.unit_code, line.function_code, line.economic_code, line.source, line.kind.value]
    if line.category:
        parts.append(line.category.value)
    if line.project:
        parts.append(line.project)
    return " · ".join(parts)


def _line_totals(lines: tuple[BudgetLine, ...]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in lines:
        key = _line_key(line)
        totals[key] = totals.get(key, Decimal(0)) + line.amount
    return totals


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:,.2f}元"


def _differences(
    before: Mapping[str, T], after: Mapping[str, T], shown: Callable[[T | None], str]
) -> list[Change]:
    """Keys added, removed or with another value, in key order."""
    changes = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        kind = "新增" if a is None else "删除" if b is None else "修改"
        changes.append(Change(kind, key, shown(a), shown(b)))
    return changes


def line_changes(old: Dataset, new: Dataset) -> list[Change]:
    return _differences(_line_totals(old.lines), _line_totals(new.lines), _amount)


def _project_fields(project: Project) -> dict[str, str]:
    skipped = {"origin", "name"}
    return {f.name: str(getattr(project, f.name)) for f in fields(project) if f.name not in skipped}


def project_changes(old: Dataset, new: Dataset) -> list[Change]:
    before = {p.name: p for p in old.projects}
    after = {p.name: p for p in new.projects}
    changes = []
    for name in sorted(before.keys() | after.keys()):
        a, b = before.get(name), after.get(name)
        if a is None:
            changes.append(Change("新增", name))
        elif b is None:
            changes.append(Change("删除", name))
        else:
            fa, fb = _project_fields(a), _project_fields(b)
            for key in fa:
                if fa[key] != fb[key]:
                    changes.append(Change("修改", f"{name} · {key}", fa[key], fb[key]))
    return changes


def _indicator_key(i: Indicator) -> str:
    return f"{i.project} · {i.period} · {i.level1}／{i.level2} · {i.name}"


def indicator_changes(old: Dataset, new: Dataset) -> list[Change]:
    before = {_indicator_key(i): i.display_value for i in old.indicators}
    after = {_indicator_key(i): i.display_value for i in new.indicators}
    return _differences(before, after, lambda value: value or "")


@dataclass(frozen=True)
class Comparison:
    lines: list[Change]
    projects: list[Change]
    indicators: list[Change]

    @property
    def empty(self) -> bool:
        return not (self.lines or self.projects or self.indicators)


def compare(old: Dataset, new: Dataset) -> Comparison:
    return Comparison(
        line_changes(old, new), project_changes(old, new), indicator_changes(old, new)
    )
