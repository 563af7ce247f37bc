"""Who may do what to which budget: roles, their actions, and their scope.

A user holds role assignments; each grants a set of actions within a scope (one unit's
department, one department, one office's departments, or every department). ``allowed`` is pure
so the whole permission matrix can be tested without a request; ``can`` reads the user's grants.
Whether an action fits the budget's state is the workflow's business (``workflow.py``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from yusuan.web.budgets import models as db
from yusuan.web.budgets.models import Role


class Action(enum.Enum):
    VIEW = "view"  # the internal budget: rows, tables, findings, comments
    EDIT = "edit"  # change rows of a draft (unit roles: only their unit's rows)
    SUBMIT = "submit"  # 单位提交
    DEPARTMENT_REVIEW = "department_review"  # 主管部门审核/汇总 (approve or return)
    OFFICE_REVIEW = "office_review"  # 财政业务处审核
    PERFORMANCE_REVIEW = "performance_review"  # 绩效处审核
    BUDGET_REVIEW = "budget_review"  # 预算处审核与批复
    PUBLISH = "publish"  # 公开
    ADJUST = "adjust"  # 预算调整: a new version
    COMMENT = "comment"
    CONTROL = "control"  # set 控制数


A = Action
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.UNIT_OFFICER: frozenset({A.VIEW, A.EDIT}),
    Role.UNIT_REVIEWER: frozenset({A.VIEW, A.SUBMIT, A.COMMENT}),
    Role.DEPARTMENT: frozenset({A.VIEW, A.DEPARTMENT_REVIEW, A.PUBLISH, A.ADJUST, A.COMMENT}),
    Role.BUSINESS_OFFICE: frozenset({A.VIEW, A.OFFICE_REVIEW, A.COMMENT}),
    Role.PERFORMANCE: frozenset({A.VIEW, A.PERFORMANCE_REVIEW, A.COMMENT}),
    Role.BUDGET_OFFICE: frozenset({A.VIEW, A.BUDGET_REVIEW, A.PUBLISH, A.CONTROL, A.COMMENT}),
    Role.ADMIN: frozenset({A.VIEW}),
}


@dataclass(frozen=True, slots=True)
class Grant:
    """One role within its scope: ``departments is None`` means every department; ``unit_codes``
    limits row edits to a unit and the units below it (unit roles only)."""

    role: str
    departments: frozenset[int] | None
    unit_codes: frozenset[str] | None = None


def allowed(grants: Iterable[Grant], action: Action, department_id: int) -> bool:
    return any(
        action in ROLE_ACTIONS[g.role] and (g.departments is None or department_id in g.departments)
        for g in grants
    )


def grant_of(assignment: db.RoleAssignment) -> Grant:
    role = assignment.role
    if role in (Role.UNIT_OFFICER, Role.UNIT_REVIEWER):
        unit = assignment.unit
        if unit is None:
            return Grant(role, frozenset())
        return Grant(role, frozenset({unit.department_id}), frozenset(unit.subtree_codes()))
    if role == Role.DEPARTMENT:
        ids = {assignment.department_id} if assignment.department_id else set()
        return Grant(role, frozenset(ids))
    if role == Role.BUSINESS_OFFICE:
        if assignment.office_id is None:
            return Grant(role, frozenset())
        ids = db.Department.objects.filter(office_id=assignment.office_id).values_list(
            "pk", flat=True
        )
        return Grant(role, frozenset(ids))
    return Grant(role, None)


def grants_of(user: object) -> list[Grant]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached: list[Grant] | None = getattr(user, "_yusuan_grants", None)
    if cached is None:
        assignments = db.RoleAssignment.objects.filter(user=user).select_related("unit")
        cached = [grant_of(a) for a in assignments]
        if getattr(user, "is_superuser", False):
            cached.append(Grant(Role.ADMIN, None))
        user._yusuan_grants = cached  # type: ignore[attr-defined]
    return cached


def can(user: object, action: Action, budget: db.Budget) -> bool:
    return allowed(grants_of(user), action, budget.department_id)


def can_for_department(user: object, action: Action, department_id: int) -> bool:
    return allowed(grants_of(user), action, department_id)


def editable_units(user: object, budget: db.Budget) -> frozenset[str] | None:
    """The unit codes whose rows the user may edit in this budget; ``None``: every unit."""
    codes: set[str] = set()
    for grant in grants_of(user):
        if A.EDIT not in ROLE_ACTIONS[grant.role]:
            continue
        if grant.departments is not None and budget.department_id not in grant.departments:
            continue
        if grant.unit_codes is None:
            return None
        codes |= grant.unit_codes
    return frozenset(codes)


def may_edit_every_unit(user: object, budget: db.Budget) -> bool:
    """The user may edit the rows of every unit of the department (no unit limit, or a unit
    whose subtree is the whole department): what replacing all rows (an import) needs."""
    allowed = editable_units(user, budget)
    if allowed is None:
        return True
    return set(budget.department.units.values_list("code", flat=True)) <= allowed


def visible_budgets(user: object) -> QuerySet[db.Budget]:
    """The budgets the user may see inside the work area (none for the anonymous public)."""
    grants = [g for g in grants_of(user) if A.VIEW in ROLE_ACTIONS[g.role]]
    budgets = db.Budget.objects.select_related("department")
    if any(g.departments is None for g in grants):
        return budgets.all()
    ids = set().union(*(g.departments or frozenset() for g in grants)) if grants else set()
    return budgets.filter(Q(department_id__in=ids))
