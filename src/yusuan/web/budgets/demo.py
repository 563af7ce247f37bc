"""The first start: the example budget (published, as it was) and one demo user per role.

Passwords are random and printed once; nothing secret is stored in the repository.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.db import transaction

from yusuan.dataset import load_dataset
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import create_budget, narrative_text_in
from yusuan.web.budgets.models import Role

EXAMPLE = Path(__file__).resolve().parents[4] / "examples" / "linfen-2021"
DEMO_OFFICE = "行政政法处"


@dataclass(frozen=True)
class DemoUser:
    name: str
    password: str
    role: str
    scope: str


def _user(name: str, role: str, scope: str, **where: object) -> DemoUser:
    password = secrets.token_urlsafe(9)
    user = User.objects.create_user(name, password=password, is_staff=role == Role.ADMIN)
    if role == Role.ADMIN:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    db.RoleAssignment.objects.create(user=user, role=role, **where)
    return DemoUser(name, password, Role.LABELS[role], scope)


def load_demo(example: Path = EXAMPLE) -> list[DemoUser]:
    """Load the example and make the demo users, once: nothing happens when budgets exist."""
    if db.Budget.objects.exists() or User.objects.exists():
        return []
    dataset = load_dataset(example)
    with transaction.atomic():
        budget = create_budget(
            dataset, narrative_text=narrative_text_in(example), status=db.Status.PUBLISHED
        )
        db.Transition.objects.create(
            budget=budget,
            action="import",
            from_status=db.Status.DRAFT,
            to_status=db.Status.PUBLISHED,
            comment=f"导入已公开的数据集 {example.name}",
        )
        department = budget.department
        office, _ = db.FinanceOffice.objects.get_or_create(name=DEMO_OFFICE)
        department.office = office
        department.save(update_fields=["office"])
        unit = department.units.exclude(parent=None).order_by("code").first()
        return [
            _user("admin", Role.ADMIN, "全部"),
            _user("officer", Role.UNIT_OFFICER, str(unit), unit=unit),
            _user("unitreview", Role.UNIT_REVIEWER, str(unit), unit=unit),
            _user("dept", Role.DEPARTMENT, str(department), department=department),
            _user("office", Role.BUSINESS_OFFICE, office.name, office=office),
            _user("perf", Role.PERFORMANCE, "全部部门"),
            _user("budget", Role.BUDGET_OFFICE, "全部部门"),
        ]
