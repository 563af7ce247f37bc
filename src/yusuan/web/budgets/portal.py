"""The public portal: departments × years of published budgets, each served as the site the core
renders, downloads built by the core, every page also as JSON (``?format=json``)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from yusuan.render.site import STATIC
from yusuan.web.budgets import models as db
from yusuan.web.budgets.publication import (
    latest_published,
    package_dir,
    package_files,
    published_index,
    site_of,
)

SITE_DOWNLOADS = "downloads/"
_TYPES = {".html": "text/html; charset=utf-8", ".csv": "text/csv; charset=utf-8"}


def wants_json(request: HttpRequest) -> bool:
    return request.GET.get("format") == "json"


def _entry(budget: db.Budget) -> dict[str, object]:
    url = reverse("portal-page", args=[budget.department.code, budget.year, "index.html"])
    return {
        "department": {"code": budget.department.code, "name": budget.department.name},
        "year": budget.year,
        "version": budget.version,
        "url": url,
        "json": f"{url}?format=json",
    }


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    budgets = [
        b
        for b in published_index()
        if not query or query in b.department.name or query in b.department.code
    ]
    if wants_json(request):
        return JsonResponse(
            {"query": query, "budgets": [_entry(b) for b in budgets]},
            json_dumps_params={"ensure_ascii": False},
        )
    years = sorted({b.year for b in budgets}, reverse=True)
    by_department: dict[int, dict[int, db.Budget]] = {}
    departments: dict[int, db.Department] = {}
    for budget in budgets:
        departments[budget.department_id] = budget.department
        by_department.setdefault(budget.department_id, {})[budget.year] = budget
    rows = [(departments[d], [by_department[d].get(year) for year in years]) for d in departments]
    return render(
        request, "budgets/portal_index.html", {"years": years, "rows": rows, "query": query}
    )


def _published(code: str, year: int) -> db.Budget:
    budget = latest_published(code, year)
    if budget is None:
        raise Http404("没有已公开的预算")
    return budget


@require_safe
def home(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return redirect("portal-page", code, year, "index.html")


@require_safe
def page(request: HttpRequest, code: str, year: int, path: str) -> HttpResponse:
    budget = _published(code, year)
    if path.startswith("static/"):
        return static_file(path.removeprefix("static/"))
    if path.startswith(SITE_DOWNLOADS):  # site renderers that link downloads inside the site
        return download(request, code, year, path.removeprefix(SITE_DOWNLOADS))
    site = site_of(budget)
    if path not in site.pages:
        raise Http404("没有这个页面")
    if wants_json(request):
        if path not in site.objects:
            raise Http404("这个页面没有 JSON")
        return JsonResponse(
            site.objects[path], safe=False, json_dumps_params={"ensure_ascii": False}
        )
    return HttpResponse(
        site.pages[path], content_type=_TYPES.get(Path(path).suffix, "text/plain; charset=utf-8")
    )


def _inside(root: Path, relative: str) -> Path:
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()) or not target.is_file():
        raise Http404("没有这个文件")
    return target


def static_file(relative: str) -> HttpResponse:
    """One of the site renderer's assets (stylesheet, script, vendored charts)."""
    target = _inside(STATIC, relative)
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    return FileResponse(target.open("rb"), content_type=kind)


@require_safe
def download(request: HttpRequest, code: str, year: int, path: str) -> HttpResponse:
    budget = _published(code, year)
    if path not in package_files(budget):
        raise Http404("没有这个文件")
    target = _inside(package_dir(budget), path)
    return FileResponse(target.open("rb"), as_attachment=not path.endswith(".json"))
