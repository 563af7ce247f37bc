"""Review comments anchored to a budget line, a project or a finding, kept across versions.

A comment names its anchor by a stable key, not by a database id: a line by its classification
(unit, function, economic code, source, kind, category, project — as the version comparison
matches lines), a project by its name, a finding by its rule and place (``RULE@place``, as an
explained finding is recognised). A budget shows the comments made on it and on the versions it
was adjusted from (``based_on``); an older version's comment appears beside a line, project or
finding of this version only while the anchor still exists here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from yusuan.rules import Finding
from yusuan.rules.engine import Report
from yusuan.web.budgets import models as db
from yusuan.web.budgets.entry import finding_key

Anchor = db.Anchor


class AnchorError(ValueError):
    """The anchor named in a request is not in this budget."""


def line_key(line: db.Line) -> str:
    """A line's classification, the identity that survives a new version."""
    parts = [line.unit_code, line.function_code, line.economic_code, line.source, line.kind]
    if line.category:
        parts.append(line.category)
    if line.project:
        parts.append(line.project)
    return " · ".join(parts)


def finding_ref(finding: Finding) -> str:
    rule, place = finding_key(finding)
    return f"{rule}@{place}"


def anchor_of(budget: db.Budget, anchor: str, ref: str, report: Report | None) -> tuple[str, str]:
    """(key, label) of the anchor ``ref`` names in ``budget``: a line's or project's id, or a
    finding's ``RULE@place`` among the budget's current findings."""
    if anchor == Anchor.BUDGET:
        return "", ""
    if anchor in (Anchor.LINE, Anchor.PROJECT):
        model = db.Line if anchor == Anchor.LINE else db.Project
        # an id: ASCII digits within the database's range ("²".isdigit() is true, int() fails)
        is_id = ref.isascii() and ref.isdigit() and len(ref) <= 18
        row = model.objects.filter(budget=budget, pk=int(ref)).first() if is_id else None
        if row is None:
            raise AnchorError("没有这一行" if anchor == Anchor.LINE else "没有这个项目")
        if isinstance(row, db.Line):
            return line_key(row), f"第{row.row}行 {line_key(row)}"
        return row.name, f"项目“{row.name}”"
    if anchor == Anchor.FINDING:
        found = {finding_ref(f): f for f in (report.findings if report else ())}
        finding = found.get(ref)
        if finding is None:
            raise AnchorError("没有这项检查结果（可能已经修正）")
        return ref, f"{finding.rule} {finding.location.describe()}"
    raise AnchorError("意见的对象只能是整个预算、预算明细、项目或检查结果")


def add_comment(budget: db.Budget, author: object, anchor: str, ref: str, text: str) -> db.Comment:
    """Record a comment anchored as ``anchor_of`` finds it (``AnchorError`` when it is not in
    the budget); the caller has checked the permission to comment."""
    report = None
    if anchor == Anchor.FINDING:
        from yusuan.web.budgets.entry import report_of

        report = report_of(budget)
    key, label = anchor_of(budget, anchor, ref, report)
    return db.Comment.objects.create(
        budget=budget, author=author, anchor=anchor, key=key, target=label[:300], text=text
    )


def lineage(budget: db.Budget) -> list[int]:
    """This budget's id and those of the versions it was adjusted from, newest first."""
    ids: list[int] = []
    current: db.Budget | None = budget
    while current is not None and current.pk not in ids:
        ids.append(current.pk)
        current = current.based_on
    return ids


@dataclass
class Comments:
    """A budget's comments sorted by anchor: each list in time order."""

    general: list[db.Comment] = field(default_factory=list)
    by_line: dict[str, list[db.Comment]] = field(default_factory=dict)
    by_project: dict[str, list[db.Comment]] = field(default_factory=dict)
    by_finding: dict[str, list[db.Comment]] = field(default_factory=dict)
    # this version's own comments whose anchor is gone (a fixed finding, a changed line)
    detached: list[db.Comment] = field(default_factory=list)

    def for_line(self, line: db.Line) -> list[db.Comment]:
        return self.by_line.get(line_key(line), [])

    def for_project(self, name: str) -> list[db.Comment]:
        return self.by_project.get(name, [])

    def all(self) -> list[db.Comment]:
        """Every comment shown with the budget, in time order."""
        anchored = [
            c
            for by in (self.by_line, self.by_project, self.by_finding)
            for items in by.values()
            for c in items
        ]
        return sorted(self.general + anchored + self.detached, key=lambda c: (c.at, c.pk))

    def for_findings(self, findings: Iterable[Finding]) -> list[tuple[Finding, list[db.Comment]]]:
        """(finding, its comments) for each of ``findings`` that has comments."""
        pairs = [(f, self.by_finding.get(finding_ref(f), [])) for f in findings]
        return [(f, c) for f, c in pairs if c]


def comments_of(budget: db.Budget, report: Report | None) -> Comments:
    """The comments to show with ``budget``: its own, and its earlier versions' where the
    anchor still exists in it."""
    lines = {line_key(x) for x in budget.lines.all()}
    projects = set(budget.projects.values_list("name", flat=True))
    findings = {finding_ref(f) for f in report.findings} if report else set()
    result = Comments()
    places: dict[str, tuple[set[str], dict[str, list[db.Comment]]]] = {
        Anchor.LINE: (lines, result.by_line),
        Anchor.PROJECT: (projects, result.by_project),
        Anchor.FINDING: (findings, result.by_finding),
    }
    query = db.Comment.objects.filter(budget_id__in=lineage(budget)).select_related(
        "author", "budget"
    )
    for comment in query.order_by("at", "pk"):
        own = comment.budget_id == budget.pk
        if comment.anchor == Anchor.BUDGET or comment.anchor not in places:
            if own:
                result.general.append(comment)
            continue
        present, sorted_by = places[comment.anchor]
        if comment.key in present:
            sorted_by.setdefault(comment.key, []).append(comment)
        elif own:
            result.detached.append(comment)
    return result
