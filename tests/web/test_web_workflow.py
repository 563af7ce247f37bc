"""两上两下: each step by its role, returns with a comment, fatal findings block submission,
submitted versions never change, 预算调整 makes a new version, versions compare."""

from __future__ import annotations

from typing import Any

import pytest

from yusuan.web.budgets import models as db
from yusuan.web.budgets.compare import compare
from yusuan.web.budgets.convert import dataset_of
from yusuan.web.budgets.entry import NotEditable, save_line
from yusuan.web.budgets.workflow import WorkflowError, adjust, take

pytestmark = pytest.mark.django_db


def test_the_whole_way_with_a_return(world: Any) -> None:
    u, budget = world.users, world.a
    take(u["unit_reviewer"], budget, "submit")
    with pytest.raises(WorkflowError, match="退回意见"):
        take(u["department"], budget, "department_return", "  ")
    take(u["department"], budget, "department_return", "培训费测算依据不足")
    assert budget.status == db.Status.DRAFT
    take(u["unit_reviewer"], budget, "submit", "已补充测算依据")
    take(u["department"], budget, "department_approve")
    take(u["business_office"], budget, "office_approve")
    take(u["performance"], budget, "performance_approve")
    take(u["budget_office"], budget, "approve", "同意")
    take(u["department"], budget, "publish")
    budget.refresh_from_db()
    assert budget.status == db.Status.PUBLISHED
    steps = [
        (t.action, t.actor.username, t.from_status, t.to_status, t.comment)
        for t in budget.transitions.all()
    ]
    assert steps == [
        ("submit", "unitreview", "draft", "unit_submitted", ""),
        ("department_return", "dept", "unit_submitted", "draft", "培训费测算依据不足"),
        ("submit", "unitreview", "draft", "unit_submitted", "已补充测算依据"),
        ("department_approve", "dept", "unit_submitted", "department_reviewed", ""),
        ("office_approve", "office", "department_reviewed", "office_reviewed", ""),
        ("performance_approve", "perf", "office_reviewed", "performance_reviewed", ""),
        ("approve", "budget", "performance_reviewed", "approved", "同意"),
        ("publish", "dept", "approved", "published", ""),
    ]
    assert all(t.at is not None for t in budget.transitions.all())


@pytest.mark.parametrize(
    ("role", "step"),
    [
        ("unit_officer", "submit"),
        ("department", "submit"),
        ("business_office", "submit"),
        ("budget_office", "submit"),
    ],
)
def test_only_the_unit_reviewer_submits(world: Any, role: str, step: str) -> None:
    with pytest.raises(WorkflowError, match="无权"):
        take(world.users[role], world.a, step)


def test_a_step_out_of_turn_is_refused(world: Any) -> None:
    with pytest.raises(WorkflowError, match="当前状态"):
        take(world.users["department"], world.a, "department_approve")


def test_another_departments_officer_cannot_act(world: Any, make_user: Any) -> None:
    take(world.users["unit_reviewer"], world.a, "submit")
    dept_b = make_user("dept_b", "department", department=world.b.department)
    with pytest.raises(WorkflowError, match="无权"):
        take(dept_b, world.a, "department_approve")


def test_a_budget_with_a_fatal_finding_cannot_be_submitted(
    seed_budget: Any, make_user: Any
) -> None:
    # the example reproduces the published document's fatal defects (CAT-006, IND-008 …)
    from yusuan.rules import check_dataset

    fatal = check_dataset(dataset_of(seed_budget)).count_fatal
    assert fatal >= 3
    unit = seed_budget.department.units.get(code="1040010")
    reviewer = make_user("r", "unit_reviewer", unit=unit)
    with pytest.raises(WorkflowError, match=f"存在 {fatal} 项致命问题"):
        take(reviewer, seed_budget, "submit")
    seed_budget.refresh_from_db()
    assert seed_budget.status == db.Status.DRAFT
    assert not seed_budget.transitions.exists()


def test_a_submitted_version_cannot_change(world: Any) -> None:
    take(world.users["unit_reviewer"], world.a, "submit")
    line = world.a.lines.first()
    with pytest.raises(NotEditable):
        save_line(world.a, line, {"amount_fen": 1}, line.revision)
    line.refresh_from_db()
    assert line.amount_fen != 1


def _approve(world: Any) -> None:
    u = world.users
    for user, name in (
        (u["unit_reviewer"], "submit"),
        (u["department"], "department_approve"),
        (u["business_office"], "office_approve"),
        (u["performance"], "performance_approve"),
        (u["budget_office"], "approve"),
    ):
        take(user, world.a, name)


def test_an_adjustment_is_a_new_draft_version_that_compares_with_the_old(world: Any) -> None:
    with pytest.raises(WorkflowError, match="已批复"):
        adjust(world.users["department"], world.a, "追加培训")
    _approve(world)
    new = adjust(world.users["department"], world.a, "追加培训")
    assert (new.version, new.status, new.based_on_id) == (2, db.Status.DRAFT, world.a.pk)
    assert dataset_of(new) == dataset_of(world.a)
    assert compare(dataset_of(world.a), dataset_of(new)).empty
    line = new.lines.get(row=2)  # clean budget line 2: 201001 2013201 30101, 1,200,000.00
    save_line(new, line, {"amount_fen": 130000000}, line.revision)
    changes = compare(dataset_of(world.a), dataset_of(new)).lines
    assert [(c.kind, c.before, c.after) for c in changes] == [
        ("修改", "1,200,000.00元", "1,300,000.00元")
    ]
    assert changes[0].key.startswith("201001 · 2013201 · 30101")
    world.a.refresh_from_db()
    assert world.a.status == db.Status.APPROVED
    assert world.a.lines.get(row=2).amount_fen == 120000000


def test_an_accepted_warning_keeps_its_reason_into_the_adjusted_version(
    seed_budget: Any, make_user: Any
) -> None:
    from webkit import client_for

    from yusuan.web.budgets.entry import finding_key, report_of

    dept = make_user("d", "department", department=seed_budget.department)
    findings = report_of(seed_budget).findings
    warning = next(
        f for f in findings if f.severity.rank > 0 and f.location.describe() != "（整体）"
    )
    fatal = next(f for f in findings if f.severity.rank == 0)
    client = client_for(dept)
    url = f"/work/b/{seed_budget.pk}/accept/"
    rule, place = finding_key(warning)
    client.post(url, {"finding": f"{rule}@{place}", "reason": "经财政同意，按现行口径列支"})
    client.post(url, {"finding": "@".join(finding_key(fatal)), "reason": "不改"})
    accepted = [(a.rule, a.place, a.reason) for a in seed_budget.accepted.all()]
    assert accepted == [(rule, place, "经财政同意，按现行口径列支")]
    page = client.get(f"/work/b/{seed_budget.pk}/").content.decode()
    assert "经财政同意，按现行口径列支" in page
    seed_budget.status = db.Status.APPROVED
    seed_budget.save()
    new = adjust(dept, seed_budget, "年中调整")
    assert [(a.rule, a.place, a.reason) for a in new.accepted.all()] == accepted
