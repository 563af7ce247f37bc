"""The work area: budgets a user may see, their review page, entry forms, workflow steps.

Every view finds the budget through ``_budget``: a budget the user may not see is a 404 (its
existence is not revealed), an action the user may not take is a 403.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from yusuan.dataset import read_dataset, save_dataset
from yusuan.dataset.schema import LINES
from yusuan.money import format_amount
from yusuan.rules import Finding
from yusuan.rules.report import render_html
from yusuan.web.budgets import models as db
from yusuan.web.budgets.comments import AnchorError, add_comment, comments_of, finding_ref
from yusuan.web.budgets.compare import compare
from yusuan.web.budgets.convert import (
    catalog_year_problem,
    dataset_of,
    explanation_in,
    line_fields,
    replace_content,
    to_fen,
    to_yuan,
)
from yusuan.web.budgets.entry import (
    CONFLICT_MESSAGE,
    Conflict,
    IndicatorChange,
    NotEditable,
    RowFindings,
    add_lines,
    finding_key,
    line_findings,
    next_row,
    project_findings,
    report_of,
    report_with_line,
    report_with_project,
    save_line,
    save_project,
    unsaved_indicators,
)
from yusuan.web.budgets.forms import (
    CommentForm,
    ControlFigureForm,
    ImportForm,
    IndicatorFormSet,
    LineForm,
    ProjectForm,
)
from yusuan.web.budgets.lastyear import last_year
from yusuan.web.budgets.paste import paste_lines
from yusuan.web.budgets.permissions import (
    Action,
    can,
    can_for_department,
    editable_units,
    may_edit_every_unit,
    visible_budgets,
)
from yusuan.web.budgets.portal import static_file
from yusuan.web.budgets.publication import site_of
from yusuan.web.budgets.workflow import STEP_BY_NAME, WorkflowError, adjust, steps_for, take


def _budget(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> db.Budget:
    budget = get_object_or_404(db.Budget.objects.select_related("department__region"), pk=pk)
    if not can(request.user, Action.VIEW, budget):
        raise Http404("没有这个预算")
    if not can(request.user, action, budget):
        raise PermissionDenied("无权执行此操作")
    return budget


def _units(request: HttpRequest, budget: db.Budget) -> list[db.Unit]:
    allowed = editable_units(request.user, budget)
    units = list(budget.department.units.order_by("code"))
    return [u for u in units if allowed is None or u.code in allowed]


def _may_edit_codes(request: HttpRequest, budget: db.Budget, codes: set[str]) -> bool:
    allowed = editable_units(request.user, budget)
    return allowed is None or codes <= allowed


@login_required
def work(request: HttpRequest) -> HttpResponse:
    budgets = visible_budgets(request.user).order_by("department__code", "-year", "-version")
    return render(request, "budgets/work.html", {"budgets": budgets})


@login_required
def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    report = report_of(budget)
    accepted = {(a.rule, a.place): a for a in budget.accepted.select_related("by")}
    open_findings = [
        (f"{f.rule}@{finding_key(f)[1]}", f)
        for f in report.findings
        if f.severity.rank > 0 and finding_key(f) not in accepted
    ]
    explained = list(accepted.values())
    notes = comments_of(budget, report)
    finding_notes = [
        (f, finding_ref(f), notes.by_finding.get(finding_ref(f), [])) for f in report.findings
    ]
    previous = budget.based_on
    comparison = compare(dataset_of(previous), dataset_of(budget)) if previous else None
    return render(
        request,
        "budgets/budget.html",
        {
            "budget": budget,
            "report": report,
            "findings_html": render_html(report, fragment=True) if report.findings else "",
            "steps": steps_for(request.user, budget),
            "transitions": budget.transitions.select_related("actor"),
            "comments": notes.general,
            "detached": notes.detached,
            "finding_notes": finding_notes,
            "line_notes": [
                (line, notes.for_line(line)) for line in budget.lines.all() if notes.for_line(line)
            ],
            "project_notes": [(name, c) for name, c in notes.by_project.items()],
            "comment_form": CommentForm(),
            "can_edit": budget.editable and can(request.user, Action.EDIT, budget),
            "can_comment": can(request.user, Action.COMMENT, budget),
            "can_adjust": can(request.user, Action.ADJUST, budget)
            and budget.status in (db.Status.APPROVED, db.Status.PUBLISHED),
            "versions": db.Budget.objects.filter(
                department=budget.department, year=budget.year
            ).exclude(pk=budget.pk),
            "comparison": comparison,
            "open_findings": open_findings,
            "over_control": over_control(budget),
            "explained": explained,
            "status_label": db.Status.LABELS[budget.status],
            # 上年: the comparison with last year's budget in the database (lastyear.py)
            "last_year": last_year(budget),
        },
    )


@login_required
def budget_site(request: HttpRequest, pk: int, path: str) -> HttpResponse:
    """The budget's site as the core renders it, with its findings page (internal preview)."""
    budget = _budget(request, pk)
    if path.startswith("static/"):
        return static_file(path.removeprefix("static/"))
    site = site_of(budget, internal=True)
    if path not in site.pages:
        raise Http404("没有这个页面")
    kind = "text/csv" if path.endswith(".csv") else "text/html"
    return HttpResponse(site.pages[path], content_type=f"{kind}; charset=utf-8")


@login_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    budget = _budget(request, pk)
    try:
        transition = take(request.user, budget, name, request.POST.get("comment", ""))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        label = STEP_BY_NAME[transition.action].label
        messages.success(
            request, f"已完成“{label}”，当前状态：{db.Status.LABELS[transition.to_status]}"
        )
    return redirect("budget", pk)


@login_required
@require_POST
def adjust_budget(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk, Action.ADJUST)
    try:
        new = adjust(request.user, budget, request.POST.get("reason", ""))
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("budget", pk)
    messages.success(request, f"已创建第{new.version}版（预算调整）")
    return redirect("budget", new.pk)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment on the budget or anchored to a line, project or finding (who and when kept)."""
    budget = _budget(request, pk, Action.COMMENT)
    form = CommentForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if not form.is_valid():
        wrong_anchor = "anchor" in form.errors
        messages.error(
            request,
            "意见的对象只能是整个预算、预算明细、项目或检查结果"
            if wrong_anchor
            else "意见不能为空，且不超过5000字",
        )
        return redirect(back or reverse("budget", args=[pk]))
    anchor = form.cleaned_data["anchor"] or db.Anchor.BUDGET
    ref = form.cleaned_data["ref"].strip()
    try:
        saved = add_comment(budget, request.user, anchor, ref, form.cleaned_data["text"])
    except AnchorError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "意见已保存" + (f"（{saved.target}）" if saved.target else ""))
    return redirect(back or reverse("budget", args=[pk]))


@login_required
@require_POST
def accept_finding(request: HttpRequest, pk: int) -> HttpResponse:
    """Explain a warning or note instead of fixing it; the reason stays with the budget."""
    budget = _budget(request, pk, Action.COMMENT)
    rule, _, place = request.POST.get("finding", "").partition("@")
    reason = request.POST.get("reason", "").strip()
    current = {finding_key(f): f for f in report_of(budget).findings}
    finding = current.get((rule, place))
    if finding is None or not reason:
        messages.error(request, "请选择一项检查结果并填写理由")
    elif finding.severity.rank == 0:
        messages.error(request, "致命问题必须修正，不能以说明代替")
    else:
        db.AcceptedFinding.objects.update_or_create(
            budget=budget,
            rule=rule,
            place=place,
            defaults={"reason": reason, "by": request.user},
        )
        messages.success(request, f"已说明 {rule}（{place}）")
    return redirect("budget", pk)


@login_required
def compare_versions(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    budget = _budget(request, pk)
    old = _budget(request, other)
    if (old.department_id, old.year) != (budget.department_id, budget.year):
        raise Http404("只能比较同一部门同一年度的版本")
    return render(
        request,
        "budgets/compare.html",
        {"budget": budget, "old": old, "comparison": compare(dataset_of(old), dataset_of(budget))},
    )


@login_required
def lines(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    allowed = editable_units(request.user, budget)
    editable = budget.editable and can(request.user, Action.EDIT, budget)
    notes = comments_of(budget, None)
    rows = [
        (
            line,
            format_amount(to_yuan(line.amount_fen)),
            editable and (allowed is None or line.unit_code in allowed),
            notes.for_line(line),
        )
        for line in budget.lines.all()
    ]
    return render(
        request,
        "budgets/lines.html",
        {
            "budget": budget,
            "rows": rows,
            "can_add": editable,
            "can_comment": can(request.user, Action.COMMENT, budget),
        },
    )


def _live_check(
    request: HttpRequest,
    form: Any,
    found: RowFindings,
    indicators: list[tuple[list[str], list[Finding]]] | None = None,
) -> HttpResponse:
    """The live check's answer (htmx): the general findings for the form's box, and every
    field's and indicator's box again out of band, with its input errors and findings (an empty
    box clears what an earlier check put there)."""
    fields = [
        (
            f"findings-{field.name}",
            form.errors.get(field.name, []) if form.is_bound else [],
            found.by_field.get(field.name, []),
        )
        for field in form.visible_fields()
    ]
    boxes = fields + [
        (f"findings-ind-{index}", errors, items)
        for index, (errors, items) in enumerate(indicators or [])
    ]
    context = {
        "general": found.general,
        "errors": form.non_field_errors() if form.is_bound else [],
        "boxes": boxes,
        "fatal": found.fatal,
    }
    return render(request, "budgets/live_check.html", context)


def _all_findings(found: RowFindings) -> list[Finding]:
    """Every finding of one form: general, beside a field, beside an indicator."""
    beside = [f for items in found.by_field.values() for f in items]
    indicators = [f for items in found.by_indicator.values() for f in items]
    return found.general + beside + indicators


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request: HttpRequest, pk: int, line_id: int | None = None) -> HttpResponse:
    budget = _budget(request, pk, Action.EDIT)
    if not budget.editable:
        raise PermissionDenied("已提交或已批复的版本不能修改")
    line = get_object_or_404(db.Line, pk=line_id, budget=budget) if line_id else None
    if line is not None and not _may_edit_codes(request, budget, {line.unit_code}):
        raise PermissionDenied("只能修改本单位的预算明细")
    units = _units(request, budget)
    if request.method == "POST":
        form = LineForm(request.POST, units=units)
        checking = request.POST.get("_check") == "1"
        if form.is_valid():
            fields = form.row_fields()
            row = line.row if line else next_row(budget.lines.values_list("row", flat=True))
            candidate = db.Line(budget=budget, row=row, **fields)
            found = line_findings(report_with_line(budget, candidate), row)
            if checking:
                return _live_check(request, form, found)
            try:
                saved = save_line(budget, line, fields, form.cleaned_data["revision"])
            except Conflict:
                form.add_error(None, CONFLICT_MESSAGE)
            except NotEditable as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"第{saved.row}行已保存")
                return redirect("line-edit", pk, saved.pk)
        elif checking:
            return _live_check(request, form, RowFindings())
    else:
        form = LineForm(initial=LineForm.initial_of(line) if line else {}, units=units)
    report = report_of(budget)
    found = line_findings(report, line.row) if line else RowFindings()
    notes = comments_of(budget, report)
    return render(
        request,
        "budgets/line_form.html",
        {
            "budget": budget,
            "line": line,
            "form": form,
            "found": found,
            "projects": budget.projects.values_list("name", flat=True),
            "notes": notes.for_line(line) if line else [],
            "finding_notes": notes.for_findings(_all_findings(found)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def paste(request: HttpRequest, pk: int) -> HttpResponse:
    """Rows pasted from Excel, read by the core together with the budget; all or nothing."""
    budget = _budget(request, pk, Action.EDIT)
    if not budget.editable:
        raise PermissionDenied("已提交或已批复的版本不能修改")
    text = request.POST.get("rows", "") if request.method == "POST" else ""
    problems: list[str] = []
    if request.method == "POST":
        pasted = paste_lines(dataset_of(budget), text)
        problems = list(pasted.problems)
        codes = {line.unit_code for line in pasted.lines}
        if not problems and not _may_edit_codes(request, budget, codes):
            problems = ["只能粘贴本单位（及下级单位）的预算明细：" + "、".join(sorted(codes))]
        if not problems:
            try:
                added = add_lines(budget, [line_fields(x) for x in pasted.lines])
            except NotEditable as error:
                problems = [str(error)]
            else:
                messages.success(
                    request, f"已添加 {len(added)} 行（第{added[0].row}–{added[-1].row}行）"
                )
                return redirect("lines", pk)
    return render(
        request,
        "budgets/paste.html",
        {
            "budget": budget,
            "text": text,
            "problems": problems,
            "headers": LINES.headers,
            "first_row": budget.lines.count() + 2,
        },
    )


def _project_codes(budget: db.Budget, project: db.Project) -> set[str]:
    """The units a project belongs to: those of its lines, else its implementing unit."""
    codes = set(budget.lines.filter(project=project.name).values_list("unit_code", flat=True))
    if not codes:
        codes = set(
            budget.department.units.filter(name=project.implementing_unit).values_list(
                "code", flat=True
            )
        )
    return codes


def _indicator_changes(formset: Any) -> list[tuple[int, IndicatorChange]]:
    """(form index, change) for every indicator form that holds one (not the blank extra)."""
    changes = []
    for index, form in enumerate(formset.forms):
        if not form.has_changed() and not form.initial:
            continue
        row = form.cleaned_data.get("row")
        if form.cleaned_data.get("DELETE"):
            changes.append((index, IndicatorChange(row, {}, delete=True)))
        else:
            changes.append((index, IndicatorChange(row, form.row_fields(""))))
    return changes


def _with_project(changes: list[IndicatorChange], name: str) -> list[IndicatorChange]:
    return [
        IndicatorChange(c.row, {**c.fields, "project": name} if c.fields else {}, c.delete)
        for c in changes
    ]


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk: int, project_id: int | None = None) -> HttpResponse:
    budget = _budget(request, pk, Action.EDIT)
    if not budget.editable:
        raise PermissionDenied("已提交或已批复的版本不能修改")
    project = get_object_or_404(db.Project, pk=project_id, budget=budget) if project_id else None
    if project is not None and not _may_edit_codes(
        request, budget, _project_codes(budget, project)
    ):
        raise PermissionDenied("只能修改本单位的项目")
    units = _units(request, budget)
    existing = list(budget.indicators.filter(project=project.name)) if project is not None else []
    if request.method == "POST":
        form = ProjectForm(request.POST, units=units)
        formset = IndicatorFormSet(request.POST, prefix="ind")
        checking = request.POST.get("_check") == "1"
        if form.is_valid() and formset.is_valid():
            fields = form.row_fields()
            indexed = _indicator_changes(formset)
            changes = _with_project([c for _, c in indexed], str(fields["name"]))
            old_name = project.name if project else ""
            row = (
                project.row if project else next_row(budget.projects.values_list("row", flat=True))
            )
            candidate = db.Project(
                budget=budget,
                row=row,
                department_name=budget.department.name,
                department_code=budget.department.code,
                **fields,
            )
            indicators = unsaved_indicators(budget, old_name, changes)
            report = report_with_project(budget, candidate, old_name, indicators)
            found = project_findings(report, candidate.name)
            if checking:
                # which row each indicator form holds (new ones are numbered here)
                kept = [index for index, c in indexed if not c.delete]
                row_of = {index: i.row for index, i in zip(kept, indicators, strict=True)}
                beside: list[tuple[list[str], list[Finding]]] = [
                    ([], found.by_indicator.get(row_of.get(index, -1), []))
                    for index in range(len(formset.forms))
                ]
                return _live_check(request, form, found, beside)
            try:
                saved = save_project(
                    budget, project, fields, form.cleaned_data["revision"], changes
                )
            except Conflict:
                form.add_error(None, CONFLICT_MESSAGE)
            except NotEditable as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"项目“{saved.name}”已保存")
                return redirect("project-edit", pk, saved.pk)
        elif checking:
            errors: list[tuple[list[str], list[Finding]]] = [
                (
                    [
                        f"{f.fields[k].label}：{m}" if k in f.fields else m
                        for k, ms in f.errors.items()
                        for m in ms
                    ],
                    [],
                )
                for f in formset.forms
            ]
            return _live_check(request, form, RowFindings(), errors)
    else:
        form = ProjectForm(initial=ProjectForm.initial_of(project) if project else {}, units=units)
        formset = IndicatorFormSet(
            initial=[IndicatorFormSet.form.initial_of(i) for i in existing], prefix="ind"
        )
    report = report_of(budget)
    found = project_findings(report, project.name) if project else RowFindings()
    notes = comments_of(budget, report)
    rows = [(f, found.by_indicator.get(f.initial.get("row") or -1, [])) for f in formset.forms]
    return render(
        request,
        "budgets/project_form.html",
        {
            "budget": budget,
            "project": project,
            "form": form,
            "formset": formset,
            "indicator_rows": rows,
            "found": found,
            "notes": notes.for_project(project.name) if project else [],
            "finding_notes": notes.for_findings(_all_findings(found)),
        },
    )


@login_required
def projects(request: HttpRequest, pk: int) -> HttpResponse:
    budget = _budget(request, pk)
    editable = budget.editable and can(request.user, Action.EDIT, budget)
    notes = comments_of(budget, None)
    rows = [
        (
            p,
            format_amount(to_yuan(p.year_total)),
            editable and _may_edit_codes(request, budget, _project_codes(budget, p)),
            notes.for_project(p.name),
        )
        for p in budget.projects.all()
    ]
    return render(
        request,
        "budgets/projects.html",
        {
            "budget": budget,
            "rows": rows,
            "can_add": editable,
            "can_comment": can(request.user, Action.COMMENT, budget),
        },
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget as a dataset workbook, written by the core."""
    budget = _budget(request, pk)
    folder = Path(tempfile.mkdtemp(prefix="yusuan-export-"))
    path = folder / f"{budget.department.code}-{budget.year}-v{budget.version}.xlsx"
    save_dataset(dataset_of(budget), path)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
@require_http_methods(["GET", "POST"])
def import_workbook(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a draft's rows by a dataset workbook read by the core (all or nothing)."""
    budget = _budget(request, pk, Action.EDIT)
    if not may_edit_every_unit(request.user, budget):
        raise PermissionDenied("导入会替换全部单位的数据，只有可编辑全部单位的用户可以导入")
    problems: list[str] = []
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        folder = Path(tempfile.mkdtemp(prefix="yusuan-import-"))
        path = folder / "upload.xlsx"
        with path.open("wb") as handle:
            for chunk in form.cleaned_data["workbook"].chunks():
                handle.write(chunk)
        dataset, found = read_dataset(path)
        if dataset is None:
            problems = [str(p) for p in found]
        elif (dataset.manifest.department.code, dataset.year) != (
            budget.department.code,
            budget.year,
        ):
            problems = ["工作簿的部门编码或年度与本预算不符"]
        elif catalog_year_problem(dataset):
            problems = [catalog_year_problem(dataset)]
        else:
            with transaction.atomic():
                locked = db.Budget.objects.select_for_update().get(pk=budget.pk)
                if locked.status != db.Status.DRAFT:
                    raise PermissionDenied("已提交或已批复的版本不能修改")
                replace_content(locked, dataset)
                text = explanation_in(dataset) or locked.narrative_text
                db.Budget.objects.filter(pk=pk).update(
                    revision=locked.revision + 1, narrative_text=text
                )
            messages.success(request, "已导入")
            return redirect("budget", pk)
    return render(
        request, "budgets/import.html", {"budget": budget, "form": form, "problems": problems}
    )


@login_required
@require_http_methods(["GET", "POST"])
def control_figures(request: HttpRequest, department: int, year: int) -> HttpResponse:
    """控制数 by 预算处, with the revision trail kept by the change history."""
    dept = get_object_or_404(db.Department, pk=department)
    if not can_for_department(request.user, Action.VIEW, dept.pk):
        raise Http404("没有这个部门")
    may_set = can_for_department(request.user, Action.CONTROL, dept.pk)
    form = ControlFigureForm(request.POST or None)
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied("只有预算处可以下达控制数")
        if form.is_valid():
            db.ControlFigure.objects.update_or_create(
                department=dept,
                year=year,
                source=form.cleaned_data["source"],
                defaults={"amount_fen": to_fen(form.cleaned_data["amount"])},
            )
            messages.success(request, "控制数已保存")
            return redirect("control-figures", department, year)
    figures = db.ControlFigure.objects.filter(department=dept, year=year).order_by("source")
    trail = (
        db.ControlFigure.history.filter(department_id=dept.pk, year=year)
        .select_related("history_user")
        .order_by("-history_date")
    )
    latest = db.Budget.objects.filter(department=dept, year=year).order_by("-version").first()
    spent = _spent_by_source(latest)
    rows = [
        (
            f,
            to_yuan(f.amount_fen),
            spent.get(f.source),
            (spent.get(f.source) or 0) > to_yuan(f.amount_fen),
        )
        for f in figures
    ]
    return render(
        request,
        "budgets/control.html",
        {
            "department": dept,
            "year": year,
            "rows": rows,
            "trail": [(h, to_yuan(h.amount_fen)) for h in trail],
            "form": form,
            "may_set": may_set,
        },
    )


def _spent_by_source(budget: db.Budget | None) -> dict[str, Any]:
    """A version's entered amount per funding source (元), to compare with 控制数."""
    if budget is None:
        return {}
    totals: dict[str, int] = {}
    for source, amount in budget.lines.values_list("source", "amount_fen"):
        totals[source] = totals.get(source, 0) + amount
    return {source: to_yuan(fen) for source, fen in totals.items()}


def over_control(budget: db.Budget) -> list[tuple[str, Any, Any]]:
    """(source, 控制数, entered) for every funding source entered beyond its 控制数."""
    spent = _spent_by_source(budget)
    figures = db.ControlFigure.objects.filter(department=budget.department, year=budget.year)
    return [
        (f.source, to_yuan(f.amount_fen), spent[f.source])
        for f in figures.order_by("source")
        if f.source in spent and spent[f.source] > to_yuan(f.amount_fen)
    ]


# --- budget settings: the comparison columns (上年比较列) ---------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def budget_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's layout choices (the comparison columns), saved on the budget; the built tables
    show them. Anyone who may edit the draft may change them (optimistic locking as rows)."""
    from yusuan.tables.prior import choice_text, parse_choice
    from yusuan.web.budgets.forms import BudgetSettingsForm

    budget = _budget(request, pk, Action.EDIT)
    if not budget.editable:
        raise PermissionDenied("已提交或已批复的版本不能修改")
    initial = {"prior_columns": list(parse_choice(budget.prior_columns)[0])}
    form = BudgetSettingsForm(
        request.POST or None, initial={**initial, "revision": budget.revision}
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = db.Budget.objects.select_for_update().get(pk=budget.pk)
            if not locked.editable:
                raise PermissionDenied("已提交或已批复的版本不能修改")
            if form.cleaned_data.get("revision") not in (None, locked.revision):
                conflict = CONFLICT_MESSAGE
            else:
                chosen = parse_choice(" ".join(form.cleaned_data["prior_columns"]))[0]
                locked.prior_columns = choice_text(chosen)
                locked.revision += 1
                locked.save(update_fields=["prior_columns", "revision"])
        if not conflict:
            messages.success(request, "设置已保存")
            return redirect("budget", pk)
    return render(
        request,
        "budgets/settings.html",
        {"budget": budget, "form": form, "conflict": conflict},
    )
