"""Department A cannot read or write department B: by guessing URLs, through the API, and
without login; CSRF on every form; login throttling."""

from __future__ import annotations

import json
from typing import Any

import pytest
from webkit import client_for, line_data

pytestmark = pytest.mark.django_db


def _urls(world: Any, budget: Any) -> list[str]:
    line = budget.lines.first()
    project = budget.projects.first()
    other = world.a if budget is world.b else world.b
    return [
        f"/work/b/{budget.pk}/",
        f"/work/b/{budget.pk}/lines/",
        f"/work/b/{budget.pk}/lines/new/",
        f"/work/b/{budget.pk}/lines/{line.pk}/",
        f"/work/b/{budget.pk}/projects/",
        f"/work/b/{budget.pk}/projects/new/",
        f"/work/b/{budget.pk}/projects/{project.pk}/",
        f"/work/b/{budget.pk}/site/index.html",
        f"/work/b/{budget.pk}/export/",
        f"/work/b/{budget.pk}/import/",
        f"/work/b/{budget.pk}/compare/{other.pk}/",
        f"/work/control/{budget.department_id}/{budget.year}/",
    ]


def test_guessing_another_departments_urls_reveals_nothing(world: Any) -> None:
    client = client_for(world.users["unit_officer"])
    for url in _urls(world, world.b):
        assert client.get(url).status_code == 404, url
    own = client_for(world.users["unit_officer"])
    assert own.get(f"/work/b/{world.a.pk}/").status_code == 200


def test_writing_into_another_department_is_refused(world: Any) -> None:
    client = client_for(world.users["unit_officer"])
    line = world.b.lines.first()
    before = line.amount_fen
    posts = {
        f"/work/b/{world.b.pk}/lines/{line.pk}/": {"amount": "1.00"},
        f"/work/b/{world.b.pk}/lines/new/": {"amount": "1.00"},
        f"/work/b/{world.b.pk}/step/submit/": {},
        f"/work/b/{world.b.pk}/comment/": {"text": "x"},
        f"/work/b/{world.b.pk}/adjust/": {"reason": "x"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    line.refresh_from_db()
    assert line.amount_fen == before
    assert not world.b.transitions.exists() and not world.b.comments.exists()


def test_without_login_the_work_area_sends_to_the_login_page(world: Any) -> None:
    for url in _urls(world, world.a):
        response = client_for().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_the_api_needs_a_login(world: Any) -> None:
    client = client_for()
    assert client.get("/api/budgets/").status_code == 401
    assert client.get(f"/api/budgets/{world.a.pk}").status_code == 401
    assert client.get(f"/api/budgets/{world.a.pk}/lines").status_code == 401


def test_the_api_shows_and_changes_only_what_the_user_may(world: Any) -> None:
    client = client_for(world.users["unit_officer"])
    listed = client.get("/api/budgets/").json()
    assert [b["id"] for b in listed] == [world.a.pk]
    for path in ("", "/lines", "/tables", "/findings"):
        assert client.get(f"/api/budgets/{world.b.pk}{path}").status_code == 404, path
    line = world.b.lines.first()
    body = line_data(line, amount="1.00")
    put = client.put(
        f"/api/budgets/{world.b.pk}/lines/{line.pk}", json.dumps(body), "application/json"
    )
    assert put.status_code == 404
    post = client.post(f"/api/budgets/{world.b.pk}/lines", json.dumps(body), "application/json")
    assert post.status_code == 404
    step = client.post(f"/api/budgets/{world.b.pk}/steps/submit", "{}", "application/json")
    assert step.status_code == 404
    line.refresh_from_db()
    assert line.amount_fen != 100


def test_a_reviewer_may_read_but_not_write_through_the_api(world: Any) -> None:
    client = client_for(world.users["business_office"])
    line = world.a.lines.first()
    assert client.get(f"/api/budgets/{world.a.pk}/lines").status_code == 200
    body = {"unit_code": "201001", "function_code": "2013201", "economic_code": "30101"}
    body |= {"source": "一般公共预算", "kind": "基本支出", "category": "人员经费", "amount": "1"}
    put = client.put(
        f"/api/budgets/{world.a.pk}/lines/{line.pk}",
        json.dumps({**body, "revision": line.revision}),
        "application/json",
    )
    assert put.status_code == 403


def test_forms_and_api_writes_need_the_csrf_token(world: Any) -> None:
    client = client_for(world.users["unit_officer"], enforce_csrf_checks=True)
    line = world.a.lines.first()
    assert client.post(f"/work/b/{world.a.pk}/lines/{line.pk}/", {}).status_code == 403
    api = client.post(f"/api/budgets/{world.a.pk}/lines", "{}", "application/json")
    assert api.status_code in (401, 403)


def test_login_is_throttled_after_repeated_failures(world: Any) -> None:
    client = client_for()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
        assert response.status_code == 200
    refused = client.post(
        "/accounts/login/", {"username": "officer", "password": "pw-officer-2026"}
    )
    assert "登录失败次数过多" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_with_the_right_password_works(world: Any) -> None:
    client = client_for()
    response = client.post("/accounts/login/", {"username": "dept", "password": "pw-dept-2026"})
    assert response.status_code == 302
    assert client.get("/api/budgets/").status_code == 200
