"""预算管理一体化 flat files on the budget page: import (all or nothing) and export (issue #10).

The flat file holds budget lines only: importing one replaces the draft's lines and keeps its
projects, indicators, procurement items and 说明 (a project a line names that the budget lacks
is added with its name only). Export: whoever may see the budget (as the workbook export). Import: whoever may edit
the rows of every unit of the department, since every unit's lines are replaced.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from yusuan.dataset.problems import Notice, Problem
from yusuan.dataset.yitihua import HEADER_STYLES, flat_csv_text, import_flat, read_flat_table
from yusuan.fsutil import safe_file_name
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import dataset_of, replace_content, stored_dataset_of
from yusuan.web.budgets.permissions import Action, may_edit_every_unit
from yusuan.web.budgets.views import _budget

FLAT_SUFFIXES = (".csv", ".xlsx")


class FlatImportForm(forms.Form):
    flat = forms.FileField(label="预算管理一体化平铺文件（.csv 或 .xlsx）")

    def clean_flat(self) -> object:
        upload = self.cleaned_data["flat"]
        if Path(upload.name).suffix.lower() not in FLAT_SUFFIXES:
            raise forms.ValidationError("请上传 .csv 或 .xlsx 文件")
        return upload


def _said(item: Problem | Notice) -> str:
    """A problem or notice in Chinese, with its place (file, row, column, cell)."""
    if isinstance(item, Problem):
        return f"{item.where}：{item.message_zh}"
    place = Problem("", item.file, item.row, item.column, "", "", item.cell)
    return f"{place.where}：{item.message_zh}"


@login_required
@require_http_methods(["GET", "POST"])
def import_yitihua(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace a draft's budget lines by a flat 一体化 file (all or nothing)."""
    budget = _budget(request, pk, Action.EDIT)
    if not may_edit_every_unit(request.user, budget):
        raise PermissionDenied("导入会替换全部单位的预算明细，只有可编辑全部单位的用户可以导入")
    if not budget.editable:
        raise PermissionDenied("已提交或已批复的版本不能修改")
    problems: list[str] = []
    notices: list[str] = []
    form = FlatImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["flat"]
        with tempfile.TemporaryDirectory(prefix="yusuan-yitihua-") as folder:
            path = Path(folder) / safe_file_name(Path(upload.name).name)
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            table, found, read_notices = read_flat_table(path)
            # the rows only: figures derived from last year's budget are never stored
            base = stored_dataset_of(budget)
            if table is None or found:
                loaded_problems, loaded_notices, dataset = found, read_notices, None
            else:
                loaded = import_flat(table, base.manifest, base)
                dataset = loaded.dataset
                loaded_problems = loaded.problems
                loaded_notices = [*read_notices, *loaded.notices]
        notices = [_said(n) for n in loaded_notices]
        problems = [_said(p) for p in loaded_problems]
        if dataset is not None:
            with transaction.atomic():
                locked = db.Budget.objects.select_for_update().get(pk=budget.pk)
                if locked.status != db.Status.DRAFT:
                    raise PermissionDenied("已提交或已批复的版本不能修改")
                replace_content(locked, dataset)
                db.Budget.objects.filter(pk=pk).update(revision=locked.revision + 1)
            messages.success(request, f"已导入 {len(dataset.lines)} 行预算明细")
            for notice in notices:
                messages.info(request, notice)
            return redirect("budget", pk)
    return render(
        request,
        "budgets/import_yitihua.html",
        {"budget": budget, "form": form, "problems": problems, "notices": notices},
    )


@login_required
def export_yitihua(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget's lines as a flat 一体化 CSV file (``?headers=chinese`` for Chinese names)."""
    budget = _budget(request, pk)
    headers = request.GET.get("headers", "element")
    if headers not in HEADER_STYLES:
        headers = "element"
    text = flat_csv_text(dataset_of(budget), headers)
    name = f"{budget.department.code}-{budget.year}-v{budget.version}-yitihua.csv"
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
