"""Saving entries and checking them as they are typed.

Saves are optimistic: a form carries the row's revision, and a save finding another revision
is refused (nothing is lost: the user's input stays in the form). The live check puts the unsaved
row in place of the stored one and runs the core's rules over the whole budget, then sorts the
findings that point at this row by field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.db import transaction
from django.db.models import F, Max

from yusuan.dataset.schema import LINES, PROJECTS
from yusuan.model import records as core
from yusuan.rules import Finding, check_dataset
from yusuan.rules.engine import Report
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import (
    FILES,
    content_of,
    dataset_from,
    dataset_of,
    indicator_record,
    line_record,
    manifest_of,
    project_record,
    with_prior_budget,
)

CONFLICT_MESSAGE = (
    "保存失败：您打开此页后，这条记录已被他人修改并保存。为避免覆盖对方的修改，您的修改没有保存；"
    "请复制您的内容，刷新页面查看最新版本后再修改。"
)


class Conflict(Exception):
    """Another save came first (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(CONFLICT_MESSAGE)


class NotEditable(Exception):
    """The budget is not a draft, or the row is not the user's to change."""


def _key(text: str) -> str:
    return re.sub(r"[\s、，,（）()]", "", text)


LINE_FIELDS = {_key(c.header): c.attr for c in LINES.columns}
PROJECT_FIELDS = {_key(c.header): c.attr for c in PROJECTS.columns}


@dataclass
class RowFindings:
    """Findings for one form: by field name, by indicator row, and the rest."""

    by_field: dict[str, list[Finding]] = field(default_factory=dict)
    by_indicator: dict[int, list[Finding]] = field(default_factory=dict)
    general: list[Finding] = field(default_factory=list)
    fatal: int = 0

    def add(self, finding: Finding, field_name: str | None) -> None:
        if finding.severity.rank == 0:
            self.fatal += 1
        if field_name:
            self.by_field.setdefault(field_name, []).append(finding)
        else:
            self.general.append(finding)


def _field_of(finding: Finding, fields: dict[str, str]) -> str | None:
    name = finding.location.field
    if not name:
        return None
    return fields.get(_key(name)) or fields.get(_key(name.split(" ")[0]))


def line_findings(report: Report, row: int) -> RowFindings:
    found = RowFindings()
    for finding in report.findings:
        loc = finding.location
        if loc.file == FILES["line"] and loc.line == row:
            found.add(finding, _field_of(finding, LINE_FIELDS))
    return found


def project_findings(report: Report, name: str) -> RowFindings:
    found = RowFindings()
    for finding in report.findings:
        loc = finding.location
        if loc.project != name:
            continue
        if loc.file == FILES["indicator"] and loc.line:
            found.by_indicator.setdefault(loc.line, []).append(finding)
            found.fatal += finding.severity.rank == 0
        else:
            found.add(finding, _field_of(finding, PROJECT_FIELDS))
    return found


def finding_key(finding: Finding) -> tuple[str, str]:
    """How an explained finding is recognised again: its rule and the place it points at."""
    return finding.rule, finding.location.describe()


def report_of(budget: db.Budget) -> Report:
    return check_dataset(dataset_of(budget))


def next_row(rows: Iterable[int]) -> int:
    return max(rows, default=1) + 1


def report_with_line(budget: db.Budget, line: db.Line) -> Report:
    """The check as if ``line`` (saved or not) were in the budget."""
    content = content_of(budget)
    record = line_record(line)
    lines = [x for x in content.lines if x.origin.row != line.row] + [record]
    lines.sort(key=lambda x: x.origin.row)
    changed = replace(content, lines=tuple(lines))
    dataset = dataset_from(manifest_of(budget), changed, budget.narrative_text)
    return check_dataset(with_prior_budget(dataset, budget))


def report_with_project(
    budget: db.Budget,
    project: db.Project,
    old_name: str,
    indicators: Sequence[db.Indicator],
) -> Report:
    """The check as if the project and its indicators (saved or not) were in the budget."""
    content = content_of(budget)
    projects = [p for p in content.projects if p.origin.row != project.row]
    projects.append(project_record(project))
    projects.sort(key=lambda p: p.origin.row)
    kept = [i for i in content.indicators if i.project != old_name]
    renamed_lines = tuple(
        replace(x, project=project.name) if old_name and x.project == old_name else x
        for x in content.lines
    )
    indicator_records: list[core.Indicator] = kept + [indicator_record(i) for i in indicators]
    indicator_records.sort(key=lambda i: i.origin.row)
    changed = replace(
        content,
        projects=tuple(projects),
        indicators=tuple(indicator_records),
        lines=renamed_lines,
    )
    dataset = dataset_from(manifest_of(budget), changed, budget.narrative_text)
    return check_dataset(with_prior_budget(dataset, budget))


def _touch(budget: db.Budget) -> None:
    db.Budget.objects.filter(pk=budget.pk).update(revision=F("revision") + 1)
    budget.refresh_from_db(fields=["revision"])


def _lock_draft(budget: db.Budget) -> db.Budget:
    locked = db.Budget.objects.select_for_update().get(pk=budget.pk)
    if locked.status != db.Status.DRAFT:
        raise NotEditable("已提交或已批复的版本不能修改；如需修改请发起预算调整。")
    return locked


def save_line(
    budget: db.Budget, line: db.Line | None, fields: dict[str, object], revision: int | None
) -> db.Line:
    with transaction.atomic():
        locked = _lock_draft(budget)
        if line is None:
            rows = db.Line.objects.filter(budget=locked).aggregate(m=Max("row"))["m"]
            saved = db.Line(budget=locked, row=next_row([rows] if rows else []), **fields)
        else:
            saved = db.Line.objects.select_for_update().get(pk=line.pk, budget=locked)
            if revision is None or saved.revision != revision:
                raise Conflict()
            for name, value in fields.items():
                setattr(saved, name, value)
            saved.revision += 1
        saved.save()
        _touch(budget)
    return saved


def add_lines(budget: db.Budget, rows: Sequence[dict[str, object]]) -> list[db.Line]:
    """Append lines to a draft, numbered after its last row (all or nothing)."""
    with transaction.atomic():
        locked = _lock_draft(budget)
        top = db.Line.objects.filter(budget=locked).aggregate(m=Max("row"))["m"] or 1
        added = []
        for offset, fields in enumerate(rows, start=1):
            line = db.Line(budget=locked, row=top + offset, **fields)
            line.save()
            added.append(line)
        _touch(budget)
    return added


@dataclass(frozen=True)
class IndicatorChange:
    row: int | None  # None: a new indicator
    fields: dict[str, object]
    delete: bool = False


def save_project(
    budget: db.Budget,
    project: db.Project | None,
    fields: dict[str, object],
    revision: int | None,
    indicators: Sequence[IndicatorChange],
) -> db.Project:
    """Save a project and its indicators together; a rename carries its lines and indicators."""
    with transaction.atomic():
        locked = _lock_draft(budget)
        department = locked.department
        if project is None:
            top = db.Project.objects.filter(budget=locked).aggregate(m=Max("row"))["m"]
            saved = db.Project(
                budget=locked,
                row=next_row([top] if top else []),
                department_name=department.name,
                department_code=department.code,
                **fields,
            )
            old_name = ""
        else:
            saved = db.Project.objects.select_for_update().get(pk=project.pk, budget=locked)
            if revision is None or saved.revision != revision:
                raise Conflict()
            old_name = saved.name
            for name, value in fields.items():
                setattr(saved, name, value)
            saved.revision += 1
        saved.save()
        if old_name and old_name != saved.name:
            for model in (db.Line, db.Procurement, db.Indicator):
                for row in model.objects.filter(budget=locked, project=old_name):
                    row.project = saved.name
                    row.save()
        _save_indicators(locked, saved.name, indicators)
        _touch(budget)
    return saved


def _save_indicators(budget: db.Budget, project: str, changes: Sequence[IndicatorChange]) -> None:
    existing = {i.row: i for i in db.Indicator.objects.filter(budget=budget, project=project)}
    top = db.Indicator.objects.filter(budget=budget).aggregate(m=Max("row"))["m"] or 1
    for change in changes:
        current = existing.get(change.row) if change.row is not None else None
        if change.delete:
            if current is not None:
                current.delete()
            continue
        if current is None:
            top += 1
            db.Indicator.objects.create(budget=budget, row=top, **change.fields)
            continue
        if any(getattr(current, k) != v for k, v in change.fields.items()):
            for name, value in change.fields.items():
                setattr(current, name, value)
            current.revision += 1
            current.save()


def unsaved_indicators(
    budget: db.Budget, project: str, changes: Sequence[IndicatorChange]
) -> list[db.Indicator]:
    """The project's indicators as they would be after the changes (for the live check)."""
    existing = {i.row: i for i in db.Indicator.objects.filter(budget=budget, project=project)}
    top = db.Indicator.objects.filter(budget=budget).aggregate(m=Max("row"))["m"] or 1
    result = []
    for change in changes:
        if change.delete:
            continue
        if change.row is not None and change.row in existing:
            row = change.row
        else:
            top += 1
            row = top
        result.append(db.Indicator(budget=budget, row=row, **change.fields))
    return result
