"""The permission matrix: every role × every action × own / other department, as specified."""

from __future__ import annotations

from typing import Any

import pytest

from yusuan.web.budgets.permissions import Action, can, editable_units, visible_budgets

A = Action
# What each role may do in its own department (written from the role descriptions).
OWN: dict[str, set[Action]] = {
    "unit_officer": {A.VIEW, A.EDIT},
    "unit_reviewer": {A.VIEW, A.SUBMIT, A.COMMENT},
    "department": {A.VIEW, A.DEPARTMENT_REVIEW, A.PUBLISH, A.ADJUST, A.COMMENT},
    "business_office": {A.VIEW, A.OFFICE_REVIEW, A.COMMENT},
    "performance": {A.VIEW, A.PERFORMANCE_REVIEW, A.COMMENT},
    "budget_office": {A.VIEW, A.BUDGET_REVIEW, A.PUBLISH, A.CONTROL, A.COMMENT},
    "admin": {A.VIEW},
}
# Bureau-wide roles act on every department; the others on nothing outside their scope.
OTHER: dict[str, set[Action]] = {
    "unit_officer": set(),
    "unit_reviewer": set(),
    "department": set(),
    "business_office": set(),
    "performance": OWN["performance"],
    "budget_office": OWN["budget_office"],
    "admin": OWN["admin"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize("role", sorted(OWN))
def test_permission_matrix(world: Any, role: str, where: str) -> None:
    """One role in its own or another department: exactly the expected actions, checked one
    by one over every action."""
    budget = world.a if where == "own" else world.b
    expected = (OWN if where == "own" else OTHER)[role]
    granted = {action for action in Action if can(world.users[role], action, budget)}
    assert granted == expected


@pytest.mark.django_db
def test_the_anonymous_public_may_do_nothing_internal(world: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not [action for action in Action if can(AnonymousUser(), action, world.a)]


@pytest.mark.django_db
def test_a_unit_officer_edits_its_unit_and_the_units_below_only(world: Any) -> None:
    assert editable_units(world.users["unit_officer"], world.a) == {"201001", "201002"}
    assert editable_units(world.child_officer, world.a) == {"201002"}
    assert editable_units(world.users["unit_officer"], world.b) == frozenset()
    assert editable_units(world.users["department"], world.a) == frozenset()


@pytest.mark.django_db
def test_each_user_sees_only_the_budgets_in_scope(world: Any) -> None:
    def seen(user: Any) -> set[int]:
        return set(visible_budgets(user).values_list("pk", flat=True))

    assert seen(world.users["unit_officer"]) == {world.a.pk}
    assert seen(world.users["business_office"]) == {world.a.pk}
    assert seen(world.officer_b) == {world.b.pk}
    assert seen(world.users["budget_office"]) == {world.a.pk, world.b.pk}
