"""The JSON API (django-ninja; OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``).

Authentication is the Django session (with CSRF on writes); a budget the user may not see is a
404, an action the user may not take a 403, a stale revision a 409. Amounts are exact decimal
strings in 元. Input is validated by the same forms as the web pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Path, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from yusuan.render.json_out import table_object
from yusuan.rules import check_dataset
from yusuan.rules.report import report_object
from yusuan.tables import build_tables
from yusuan.web.budgets import models as db
from yusuan.web.budgets.comments import AnchorError, add_comment, comments_of
from yusuan.web.budgets.convert import dataset_of, to_yuan
from yusuan.web.budgets.entry import Conflict, NotEditable, report_of, save_line
from yusuan.web.budgets.forms import CommentForm, LineForm
from yusuan.web.budgets.permissions import Action, can, editable_units, visible_budgets
from yusuan.web.budgets.publication import published_index
from yusuan.web.budgets.workflow import STEP_BY_NAME, WorkflowError, take

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


class CommentOut(Schema):
    id: int
    version: int  # the version the comment was made on (an earlier one: carried over)
    anchor: str  # budget / line / project / finding
    key: str  # the anchor's stable key: a line's classification, a project's name, RULE@place
    target: str  # the anchor as the reviewer saw it
    author: str
    at: datetime
    text: str


class CommentIn(Schema):
    anchor: str = "budget"
    ref: str = ""  # a line's or project's id, or a finding's RULE@place
    text: str


class StepIn(Schema):
    comment: str = ""


class Message(Schema):
    """An error: ``detail`` is a Chinese message, or the form's errors by field (422)."""

    detail: Any


class PublicBudgetOut(Schema):
    department_code: str
    department_name: str
    year: int
    version: int
    url: str


# The errors every budget operation may answer (docs/web.md, API): 401 without login, 403 for an
# action the role lacks (or a write without its CSRF token), 404 for a budget out of scope.
# 422: input that does not fit the schema (or, on writes, the form's rules).
READ_ERRORS: dict[int, type[Schema]] = {401: Message, 403: Message, 404: Message, 422: Message}
# 400: a body that cannot be read at all (not JSON, a multipart body without its boundary).
WRITE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 400: Message, 409: Message}


class InvalidInput(Exception):
    """The form's errors by field; answered as 422 ``{"detail": {field: [errors]}}``."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("invalid input")
        self.errors = errors


@api.exception_handler(MultiPartParserError)
def _unreadable_body(request: HttpRequest, error: MultiPartParserError) -> HttpResponse:
    # raised while the CSRF check reads the form body; Django would answer with an HTML page
    return api.create_response(
        request, {"detail": "无法读取请求内容 / unreadable body"}, status=400
    )


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    # ninja's HttpError takes a string only: a dict of errors there ends as a server error
    return api.create_response(request, {"detail": error.errors}, status=422)


# Database ids are 64-bit: a larger number in the path is no budget (404), not a server error.
MAX_ID = 2**63 - 1
BudgetId = Annotated[int, Path(description="预算编号")]
LineId = Annotated[int, Path(description="预算明细编号")]


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
    in_range = 0 < budget_id <= MAX_ID
    budget = visible_budgets(request.user).filter(pk=budget_id).first() if in_range else None
    if budget is None:
        raise HttpError(404, "没有这个预算")
    if not can(request.user, action, budget):
        raise HttpError(403, "无权执行此操作")
    return budget


@api.get("/budgets/", response={200: list[BudgetOut], 401: Message}, auth=django_auth)
def list_budgets(request: HttpRequest) -> list[BudgetOut]:
    """The budgets the logged-in user may see."""
    budgets = visible_budgets(request.user).order_by("department__code", "-year", "-version")
    return [_budget_out(b) for b in budgets]


@api.get("/budgets/{budget_id}", response={200: BudgetOut, **READ_ERRORS}, auth=django_auth)
def get_budget(request: HttpRequest, budget_id: BudgetId) -> BudgetOut:
    return _budget_out(_visible(request, budget_id))


@api.get(
    "/budgets/{budget_id}/tables",
    response={200: list[dict[str, Any]], **READ_ERRORS},
    auth=django_auth,
)
def get_tables(request: HttpRequest, budget_id: BudgetId) -> list[dict[str, Any]]:
    """The disclosure tables computed by the core (the ``yusuan tables -f json`` contract)."""
    return [table_object(t) for t in build_tables(dataset_of(_visible(request, budget_id)))]


@api.get(
    "/budgets/{budget_id}/findings", response={200: dict[str, Any], **READ_ERRORS}, auth=django_auth
)
def get_findings(request: HttpRequest, budget_id: BudgetId) -> dict[str, Any]:
    """The check report (the ``yusuan check --format json`` contract); internal only."""
    return report_object(check_dataset(dataset_of(_visible(request, budget_id))))


@api.get(
    "/budgets/{budget_id}/lines", response={200: list[LineOut], **READ_ERRORS}, auth=django_auth
)
def get_lines(request: HttpRequest, budget_id: BudgetId) -> list[LineOut]:
    return [_line_out(x) for x in _visible(request, budget_id).lines.all()]


def _validated(request: HttpRequest, budget: db.Budget, payload: LineIn) -> dict[str, object]:
    allowed = editable_units(request.user, budget)
    units = [u for u in budget.department.units.all() if allowed is None or u.code in allowed]
    form = LineForm(payload.dict(), units=units)
    if not form.is_valid():
        raise InvalidInput(form.errors.get_json_data())
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


@api.post("/budgets/{budget_id}/lines", response={201: LineOut, **WRITE_ERRORS}, auth=django_auth)
def add_line(request: HttpRequest, budget_id: BudgetId, payload: LineIn) -> tuple[int, LineOut]:
    budget = _visible(request, budget_id, Action.EDIT)
    return 201, _line_out(_save(request, budget, None, payload))


@api.put(
    "/budgets/{budget_id}/lines/{line_id}",
    response={200: LineOut, **WRITE_ERRORS},
    auth=django_auth,
)
def change_line(
    request: HttpRequest, budget_id: BudgetId, line_id: LineId, payload: LineIn
) -> LineOut:
    budget = _visible(request, budget_id, Action.EDIT)
    line = budget.lines.filter(pk=line_id).first() if 0 < line_id <= MAX_ID else None
    if line is None:
        raise HttpError(404, "没有这一行")
    allowed = editable_units(request.user, budget)
    if allowed is not None and line.unit_code not in allowed:
        raise HttpError(403, "只能修改本单位的预算明细")
    return _line_out(_save(request, budget, line, payload))


def _comment_out(comment: db.Comment) -> CommentOut:
    return CommentOut(
        id=comment.pk,
        version=comment.budget.version,
        anchor=comment.anchor,
        key=comment.key,
        target=comment.target,
        author=comment.author.username,
        at=comment.at,
        text=comment.text,
    )


@api.get(
    "/budgets/{budget_id}/comments",
    response={200: list[CommentOut], **READ_ERRORS},
    auth=django_auth,
)
def get_comments(request: HttpRequest, budget_id: BudgetId) -> list[CommentOut]:
    """The review comments shown with the budget (its own, and its earlier versions' where the
    line, project or finding still exists)."""
    budget = _visible(request, budget_id)
    return [_comment_out(c) for c in comments_of(budget, report_of(budget)).all()]


@api.post(
    "/budgets/{budget_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    auth=django_auth,
)
def post_comment(
    request: HttpRequest, budget_id: BudgetId, payload: CommentIn
) -> tuple[int, CommentOut]:
    """Comment on the budget, a line, a project or a finding (roles with ``comment`` only)."""
    budget = _visible(request, budget_id, Action.COMMENT)
    form = CommentForm(payload.dict())
    if not form.is_valid():
        raise InvalidInput(form.errors.get_json_data())
    anchor = form.cleaned_data["anchor"] or db.Anchor.BUDGET
    try:
        saved = add_comment(
            budget,
            request.user,
            anchor,
            form.cleaned_data["ref"].strip(),
            form.cleaned_data["text"],
        )
    except AnchorError as error:
        raise InvalidInput({"ref": [{"message": str(error), "code": "anchor"}]}) from error
    return 201, _comment_out(saved)


@api.post(
    "/budgets/{budget_id}/steps/{name}",
    response={200: BudgetOut, **WRITE_ERRORS},
    auth=django_auth,
)
def take_step(request: HttpRequest, budget_id: BudgetId, name: str, payload: StepIn) -> BudgetOut:
    """Take a workflow step (``submit``, ``department_approve``, ``department_return`` …)."""
    budget = _visible(request, budget_id)
    if name not in STEP_BY_NAME:
        raise HttpError(404, f"没有这个操作：{name}")
    try:
        take(request.user, budget, name, payload.comment)
    except WorkflowError as error:
        status = 403 if str(error).startswith("无权") else 409
        raise HttpError(status, str(error)) from error
    budget.refresh_from_db()
    return _budget_out(budget)


@api.get("/public/budgets", response=list[PublicBudgetOut], auth=None)
def public_budgets(request: HttpRequest) -> list[PublicBudgetOut]:
    """Every published budget (latest version per department and year); no login needed."""
    return [
        PublicBudgetOut(
            department_code=b.department.code,
            department_name=b.department.name,
            year=b.year,
            version=b.version,
            url=f"/p/{b.department.code}/{b.year}/site/index.html",
        )
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


@api.get(
    "/budgets/{budget_id}/projects",
    response={200: list[ProjectOut], **READ_ERRORS},
    auth=django_auth,
)
def get_projects(request: HttpRequest, budget_id: BudgetId) -> list[ProjectOut]:
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
