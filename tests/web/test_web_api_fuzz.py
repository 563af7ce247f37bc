"""The API fuzzed from its own schema (schemathesis, in process through the WSGI application).

Every operation of ``/api/openapi.json`` gets generated requests, valid and invalid, once as the
anonymous public and once as a logged-in officer (session cookie and CSRF token as a browser
sends them). Each answer must not be a server error and must conform to the schema: a status the
operation declares, its content type, its body's schema. Without login every ``/api/budgets/…``
operation answers 401. Half of the generated cases aim at a budget the officer may edit (the path's
``budget_id`` replaced), so the fuzzing reaches past the 404 of an unknown id.

Bounded and deterministic: few examples per operation, generated with a fixed seed
(``derandomize``), so CI sees the same requests every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from yusuan.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
BOUNDED = settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Django's handler closes the database connection after each request; in a test that would
    close the test's transaction (Django's test client keeps it open the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _aim(case: Any, world: Any) -> None:
    """Point half of the cases (chosen by the generated id's parity) at budget A and one of its
    lines, the rest keep the generated, mostly unknown, ids. A valid (positive) write aimed so
    also gets a real line's codes under its generated text and revision, and a real step name,
    so that it reaches the form, the lock and the workflow rather than stopping at 422."""
    from webkit import line_data

    from yusuan.web.budgets.workflow import STEP_BY_NAME

    parameters = case.path_parameters or {}
    budget_id = parameters.get("budget_id")
    if not (isinstance(budget_id, int) and budget_id % 2 == 0):
        return
    parameters["budget_id"] = world.a.pk
    line = world.a.lines.get(row=2)
    if "line_id" in parameters:
        parameters["line_id"] = line.pk
    positive = case.meta is not None and not case.meta.generation.mode.is_negative
    if not positive:
        return
    if "name" in parameters:
        names = sorted(STEP_BY_NAME)
        parameters["name"] = names[len(str(parameters["name"])) % len(names)]
    elif case.method.upper() in ("POST", "PUT") and isinstance(case.body, dict):
        codes = line_data(line)
        for field in ("unit_code", "function_code", "economic_code", "source", "kind"):
            case.body[field] = codes[field]
        case.body["category"] = codes["category"]
        case.body["project"] = codes["project"]
        case.body["amount"] = f"{len(str(case.body.get('amount', ''))) * 1000}.50"
        if case.method.upper() == "PUT" and budget_id % 4 == 0:
            case.body["revision"] = line.revision  # the current revision: a real change


def _session_cookie_mutated(case: Any) -> bool:
    """Whether this negative case is about the session cookie (the security scheme's)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_negative:
        return False
    data = meta.phase.data
    named = [getattr(data, "parameter", None)]
    named += [getattr(m, "parameter", None) for m in getattr(data, "mutations", ()) or ()]
    return "sessionid" in named or "sessionid" in (getattr(data, "description", "") or "")


def _csrf() -> tuple[dict[str, str], dict[str, str]]:
    """A CSRF cookie and its header, as a browser that opened a page of the site sends them."""
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    return {"csrftoken": token}, {"X-CSRFToken": token}


def _officer_session(world: Any) -> tuple[dict[str, str], dict[str, str]]:
    """Cookies and headers of the logged-in officer, with a CSRF token for writes."""
    from django.test import Client

    client = Client()
    client.force_login(world.users["unit_officer"])
    cookies, headers = _csrf()
    return {**cookies, "sessionid": client.cookies["sessionid"].value}, headers


def _expect_anonymous(case: Any, response: Any) -> None:
    """Without login: 401 on every budget operation (405 for a method the path does not have)."""
    if not case.path.startswith("/api/budgets"):
        return
    wrong_method = case.method.upper() != case.operation.method.upper()
    # a write whose body cannot even be read is refused as such (400) before the login is asked
    expected = {405} if wrong_method else {400, 401} if case.method.upper() != "GET" else {401}
    assert response.status_code in expected, (case.method, case.formatted_path, response.text[:200])


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_the_api_as_the_anonymous_public(case: Any, world: Any) -> None:
    _aim(case, world)
    cookies, headers = _csrf()
    response = case.call(cookies=cookies, headers=headers)
    case.validate_response(response, checks=CHECKS)
    _expect_anonymous(case, response)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@BOUNDED
def test_the_api_as_a_logged_in_officer(case: Any, world: Any) -> None:
    _aim(case, world)
    if _session_cookie_mutated(case):
        # the generator left out or broke the session cookie: this request is anonymous
        cookies, headers = _csrf()
        response = case.call(cookies={**(case.cookies or {}), **cookies}, headers=headers)
        case.validate_response(response, checks=CHECKS)
        _expect_anonymous(case, response)
        return
    cookies, headers = _officer_session(world)
    response = case.call(cookies=cookies, headers=headers)
    case.validate_response(response, checks=CHECKS)
    assert response.status_code != 401, (case.method, case.formatted_path, response.text[:200])


@pytest.mark.django_db
def test_a_line_the_form_refuses_is_a_422_with_the_errors_by_field(world: Any) -> None:
    """Found by the fuzzing: ninja's ``HttpError`` takes a string, so the form's errors (a dict)
    made every refused write a server error."""
    from webkit import client_for, line_data

    line = world.a.lines.get(row=2)
    client = client_for(world.users["unit_officer"])
    url = f"/api/budgets/{world.a.pk}/lines"
    response = client.post(
        url, line_data(line, economic_code="301"), content_type="application/json"
    )
    assert response.status_code == 422
    assert "经济分类科目应为5位款级编码" in str(response.json()["detail"]["economic_code"])
    assert world.a.lines.count() == 21


@pytest.mark.django_db
def test_an_unreadable_body_is_a_400_in_json_not_an_html_page(world: Any) -> None:
    from webkit import client_for

    client = client_for(world.users["unit_officer"], enforce_csrf_checks=True)
    cookies, headers = _csrf()
    client.cookies["csrftoken"] = cookies["csrftoken"]
    response = client.post(
        f"/api/budgets/{world.a.pk}/lines",
        b"x",
        content_type="multipart/form-data",  # no boundary: the CSRF check cannot read it
        headers=headers,
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_an_id_beyond_the_database_range_is_not_found(world: Any) -> None:
    from webkit import client_for

    client = client_for(world.users["unit_officer"])
    assert client.get(f"/api/budgets/{2**70}").status_code == 404
