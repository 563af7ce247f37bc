"""The 两上两下 workflow: which step moves a budget from which state to which, who may take it,
and what each step records (who, when, why). Returns go back to 编制 with a required comment.
A submitted or approved version never changes; 预算调整 makes a new draft version from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from yusuan.rules import check_dataset
from yusuan.web.budgets import models as db
from yusuan.web.budgets.analytics_store import on_published
from yusuan.web.budgets.convert import dataset_of, replace_content, stored_dataset_of
from yusuan.web.budgets.models import Status
from yusuan.web.budgets.permissions import Action, can


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    label: str
    source: str
    target: str
    action: Action
    returns: bool = False  # a return needs a comment

    @property
    def needs_comment(self) -> bool:
        return self.returns


S = Status
STEPS: tuple[Step, ...] = (
    Step("submit", "单位提交", S.DRAFT, S.UNIT_SUBMITTED, Action.SUBMIT),
    Step(
        "department_approve",
        "主管部门审核通过",
        S.UNIT_SUBMITTED,
        S.DEPARTMENT_REVIEWED,
        Action.DEPARTMENT_REVIEW,
    ),
    Step(
        "department_return",
        "主管部门退回",
        S.UNIT_SUBMITTED,
        S.DRAFT,
        Action.DEPARTMENT_REVIEW,
        True,
    ),
    Step(
        "office_approve",
        "业务处审核通过",
        S.DEPARTMENT_REVIEWED,
        S.OFFICE_REVIEWED,
        Action.OFFICE_REVIEW,
    ),
    Step("office_return", "业务处退回", S.DEPARTMENT_REVIEWED, S.DRAFT, Action.OFFICE_REVIEW, True),
    Step(
        "performance_approve",
        "绩效处审核通过",
        S.OFFICE_REVIEWED,
        S.PERFORMANCE_REVIEWED,
        Action.PERFORMANCE_REVIEW,
    ),
    Step(
        "performance_return",
        "绩效处退回",
        S.OFFICE_REVIEWED,
        S.DRAFT,
        Action.PERFORMANCE_REVIEW,
        True,
    ),
    Step("approve", "预算处批复", S.PERFORMANCE_REVIEWED, S.APPROVED, Action.BUDGET_REVIEW),
    Step(
        "budget_return", "预算处退回", S.PERFORMANCE_REVIEWED, S.DRAFT, Action.BUDGET_REVIEW, True
    ),
    Step("publish", "公开", S.APPROVED, S.PUBLISHED, Action.PUBLISH),
)
STEP_BY_NAME = {s.name: s for s in STEPS}
ADJUSTABLE = (S.APPROVED, S.PUBLISHED)


class WorkflowError(Exception):
    """A step that cannot be taken; the message is for the user (Chinese)."""


def steps_for(user: object, budget: db.Budget) -> list[Step]:
    """The steps this user may take on the budget now."""
    return [s for s in STEPS if s.source == budget.status and can(user, s.action, budget)]


def take(user: object, budget: db.Budget, name: str, comment: str = "") -> db.Transition:
    """Take one step: checked against the state and the user's role, recorded, all or nothing."""
    step = STEP_BY_NAME.get(name)
    if step is None:
        raise WorkflowError(f"未知的操作：{name}")
    if not can(user, step.action, budget):
        raise WorkflowError(f"无权执行“{step.label}”")
    comment = comment.strip()
    if step.needs_comment and not comment:
        raise WorkflowError(f"“{step.label}”须填写退回意见")
    with transaction.atomic():
        locked = db.Budget.objects.select_for_update().get(pk=budget.pk)
        if locked.status != step.source:
            raise WorkflowError(
                f"预算当前状态为“{locked.get_status_display()}”，不能执行“{step.label}”"
            )
        if step.name == "submit":
            report = check_dataset(dataset_of(locked))
            if report.has_fatal:
                raise WorkflowError(
                    f"存在 {report.count_fatal} 项致命问题，不能提交；请先修正（见检查结果）"
                )
        locked.status = step.target
        locked.save(update_fields=["status"])
        budget.status = step.target
        transition = db.Transition.objects.create(
            budget=locked,
            action=step.name,
            from_status=step.source,
            to_status=step.target,
            actor=user,
            comment=comment,
        )
        if step.target == S.PUBLISHED:  # into the analytics store once this commits
            on_published(locked)
        return transition


def adjust(user: object, budget: db.Budget, reason: str) -> db.Budget:
    """预算调整: a new draft version holding a copy of an approved or published version."""
    if not can(user, Action.ADJUST, budget):
        raise WorkflowError("无权发起预算调整")
    if budget.status not in ADJUSTABLE:
        raise WorkflowError("只有已批复或已公开的版本可以调整")
    if not reason.strip():
        raise WorkflowError("预算调整须说明理由")
    with transaction.atomic():
        # the rows only: figures from last year's budget are derived again for the new version
        dataset = stored_dataset_of(budget)
        latest = (
            db.Budget.objects.select_for_update()
            .filter(department=budget.department, year=budget.year)
            .order_by("-version")
            .first()
        )
        version = (latest.version if latest else budget.version) + 1
        new = db.Budget.objects.create(
            department=budget.department,
            year=budget.year,
            version=version,
            kind=budget.kind,
            display_unit=budget.display_unit,
            prior_columns=budget.prior_columns,
            narrative_text=budget.narrative_text,
            rule_settings=budget.rule_settings,
            based_on=budget,
        )
        replace_content(new, dataset)
        db.AcceptedFinding.objects.bulk_create(
            db.AcceptedFinding(budget=new, rule=a.rule, place=a.place, reason=a.reason, by=a.by)
            for a in budget.accepted.all()
        )
        db.Transition.objects.create(
            budget=new,
            action="adjust",
            from_status=budget.status,
            to_status=S.DRAFT,
            actor=user,
            comment=f"由第{budget.version}版调整：{reason.strip()}",
        )
    return new
