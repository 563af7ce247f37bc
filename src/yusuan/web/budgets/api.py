"""The JSON API (django-ninja; OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``).

Authentication is the Django session (with CSRF on writes); a budget the user may not see is a
404, an action the user may not take a 403, a stale revision a 409. Amounts are exact decimal
strings in 元. Input is validated by the same forms as the web pages.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from yusuan.render.json_out import table_object
from yusuan.rules import check_dataset
from yusuan.rules.report import report_object
from yusuan.tables import build_tables
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import dataset_of, to_yuan
from yusuan.web.budgets.entry import Conflict, NotEditable, save_line
from yusuan.web.budgets.forms import LineForm
from yusuan.web.budgets.permissions import Action, can, editable_units, visible_budgets
from yusuan.web.budgets.publication import published_index
from yusuan.web.budgets.workflow import WorkflowError, take

api = NinjaAPI(
    title="预算 yusuan API",
    version="1",
    description="部门预算的编制、审核与公开 / departmental budgets: entry, review, publication",
    urls_namespace="api",
)


class BudgetOut(Schema):
    id: int
    department_code: str
    department_name: str
    year: int
    version: int
    status: str
    status_label: str
    revision: int


class LineOut(Schema):
    id: int
    row: int
    revision: int
    unit_code: str
    function_code: str
    economic_code: str
    source: str
    kind: str
    category: str
    project: str
    amount: str
    note: str


class LineIn(Schema):
    unit_code: str
    function_code: str
    economic_code: str
    source: str
    kind: str
    category: str = ""
    project: str = ""
    amount: str
    note: str = ""
    revision: int | None = None


class StepIn(Schema):
    comment: str = ""


class Message(Schema):
    detail: Any


def _budget_out(b: db.Budget) -> BudgetOut:
    return BudgetOut(
        id=b.pk,
        department_code=b.department.code,
        department_name=b.department.name,
        year=b.year,
        version=b.version,
        status=b.status,
        status_label=db.Status.LABELS[b.status],
        revision=b.revision,
    )


def _line_out(line: db.Line) -> LineOut:
    return LineOut(
        id=line.pk,
        row=line.row,
        revision=line.revision,
        unit_code=line.unit_code,
        function_code=line.function_code,
        economic_code=line.economic_code,
        source=line.source,
        kind=line.kind,
        category=line.category,
        project=line.project,
        amount=str(to_yuan(line.amount_fen)),
        note=line.note,
    )


def _visible(request: HttpRequest, budget_id: int, action: Action = Action.VIEW) -> db.Budget:
    budget = visible_budgets(request.user).filter(pk=budget_id).first()
    if budget is None:
        raise HttpError(404, "没有这个预算")
    if not can(request.user, action, budget):
        raise HttpError(403, "无权执行此操作")
    return budget


@api.get("/budgets/", response=list[BudgetOut], auth=django_auth)
def list_budgets(request: HttpRequest) -> list[BudgetOut]:
    """The budgets the logged-in user may see."""
    budgets = visible_budgets(request.user).order_by("department__code", "-year", "-version")
    return [_budget_out(b) for b in budgets]


@api.get("/budgets/{budget_id}", response=BudgetOut, auth=django_auth)
def get_budget(request: HttpRequest, budget_id: int) -> BudgetOut:
    return _budget_out(_visible(request, budget_id))


@api.get("/budgets/{budget_id}/tables", auth=django_auth)
def get_tables(request: HttpRequest, budget_id: int) -> list[dict[str, Any]]:
    """The disclosure tables computed by the core (the ``yusuan tables -f json`` contract)."""
    return [table_object(t) for t in build_tables(dataset_of(_visible(request, budget_id)))]


@api.get("/budgets/{budget_id}/findings", auth=django_auth)
def get_findings(request: HttpRequest, budget_id: int) -> dict[str, Any]:
    """The check report (the ``yusuan check --format json`` contract); internal only."""
    return report_object(check_dataset(dataset_of(_visible(request, budget_id))))


@api.get("/budgets/{budget_id}/lines", response=list[LineOut], auth=django_auth)
def get_lines(request: HttpRequest, budget_id: int) -> list[LineOut]:
    return [_line_out(x) for x in _visible(request, budget_id).lines.all()]


def _validated(request: HttpRequest, budget: db.Budget, payload: LineIn) -> dict[str, object]:
    allowed = editable_units(request.user, budget)
    units = [u for u in budget.department.units.all() if allowed is None or u.code in allowed]
    form = LineForm(payload.dict(), units=units)
    if not form.is_valid():
        raise HttpError(422, form.errors.get_json_data())
    return form.row_fields()


def _save(
    request: HttpRequest, budget: db.Budget, line: db.Line | None, payload: LineIn
) -> db.Line:
    fields = _validated(request, budget, payload)
    try:
        return save_line(budget, line, fields, payload.revision)
    except Conflict as conflict:
        raise HttpError(409, str(conflict)) from conflict
    except NotEditable as error:
        raise HttpError(409, str(error)) from error


@api.post("/budgets/{budget_id}/lines", response={201: LineOut}, auth=django_auth)
def add_line(request: HttpRequest, budget_id: int, payload: LineIn) -> tuple[int, LineOut]:
    budget = _visible(request, budget_id, Action.EDIT)
    return 201, _line_out(_save(request, budget, None, payload))


@api.put("/budgets/{budget_id}/lines/{line_id}", response=LineOut, auth=django_auth)
def change_line(request: HttpRequest, budget_id: int, line_id: int, payload: LineIn) -> LineOut:
    budget = _visible(request, budget_id, Action.EDIT)
    line = budget.lines.filter(pk=line_id).first()
    if line is None:
        raise HttpError(404, "没有这一行")
    allowed = editable_units(request.user, budget)
    if allowed is not None and line.unit_code not in allowed:
        raise HttpError(403, "只能修改本单位的预算明细")
    return _line_out(_save(request, budget, line, payload))


@api.post("/budgets/{budget_id}/steps/{name}", response=BudgetOut, auth=django_auth)
def take_step(request: HttpRequest, budget_id: int, name: str, payload: StepIn) -> BudgetOut:
    """Take a workflow step (``submit``, ``department_approve``, ``department_return`` …)."""
    budget = _visible(request, budget_id)
    try:
        take(request.user, budget, name, payload.comment)
    except WorkflowError as error:
        status = 403 if str(error).startswith("无权") else 409
        raise HttpError(status, str(error)) from error
    budget.refresh_from_db()
    return _budget_out(budget)


@api.get("/public/budgets", auth=None)
def public_budgets(request: HttpRequest) -> list[dict[str, Any]]:
    """Every published budget (latest version per department and year); no login needed."""
    return [
        {
            "department_code": b.department.code,
            "department_name": b.department.name,
            "year": b.year,
            "version": b.version,
            "url": f"/p/{b.department.code}/{b.year}/site/index.html",
        }
        for b in published_index()
    ]


# --- projects (read only): name, 项目代码 and the year's funds --------------------------------


class ProjectOut(Schema):
    id: int
    row: int
    revision: int
    name: str
    code: str  # 项目代码 (一体化 PRO_CODE); "" when not given
    implementing_unit: str
    attribute: str
    period: str
    year_total: str  # 年度资金总额, exact 元


@api.get("/budgets/{budget_id}/projects", response=list[ProjectOut], auth=django_auth)
def get_projects(request: HttpRequest, budget_id: int) -> list[ProjectOut]:
    """The budget's projects, each with its 项目代码 (blank when not given)."""
    return [
        ProjectOut(
            id=p.pk,
            row=p.row,
            revision=p.revision,
            name=p.name,
            code=p.code,
            implementing_unit=p.implementing_unit,
            attribute=p.attribute,
            period=p.period,
            year_total=str(to_yuan(p.year_total)),
        )
        for p in _visible(request, budget_id).projects.all()
    ]
