"""控制数: only 预算处 sets them; every change is kept (who, when, the amount before and after);
entry beyond the figure shows on the control page and the review page."""

from __future__ import annotations

from typing import Any

import pytest
from webkit import client_for

from yusuan.web.budgets import models as db

pytestmark = pytest.mark.django_db


def test_only_the_budget_office_sets_control_figures_and_every_change_is_kept(world: Any) -> None:
    url = f"/work/control/{world.a.department_id}/2021/"
    for role in ("unit_officer", "department", "business_office", "performance"):
        post = client_for(world.users[role]).post(url, {"source": "一般公共预算", "amount": "1"})
        assert post.status_code == 403, role
    assert client_for(world.officer_b).get(url).status_code == 404
    bureau = client_for(world.users["budget_office"])
    bureau.post(url, {"source": "一般公共预算", "amount": "4000000.00"})
    bureau.post(url, {"source": "一般公共预算", "amount": "3500000.00"})
    figure = db.ControlFigure.objects.get(department=world.a.department, year=2021)
    assert figure.amount_fen == 350000000
    trail = [
        (h.amount_fen, h.history_user.username) for h in figure.history.order_by("history_date")
    ]
    assert trail == [(400000000, "budget"), (350000000, "budget")]


def test_entry_beyond_the_control_figure_is_shown_where_it_is_reviewed(world: Any) -> None:
    # a figure equal to what is entered is kept; one 分 less is exceeded
    entered = sum(world.a.lines.filter(source="一般公共预算").values_list("amount_fen", flat=True))
    bureau = client_for(world.users["budget_office"])
    url = f"/work/control/{world.a.department_id}/2021/"
    bureau.post(url, {"source": "一般公共预算", "amount": f"{entered / 100:.2f}"})
    page = client_for(world.users["department"]).get(f"/work/b/{world.a.pk}/").content.decode()
    assert "超出控制数" not in page
    bureau.post(url, {"source": "一般公共预算", "amount": f"{(entered - 1) / 100:.2f}"})
    page = client_for(world.users["department"]).get(f"/work/b/{world.a.pk}/").content.decode()
    assert "超出控制数：一般公共预算" in page
    assert "超出控制数" in bureau.get(url).content.decode()
