"""The portal's cross-department and cross-year charts (/trends/, 预算分析), drawn from the
analytics store (``settings.ANALYTICS_STORE``) through ``yusuan.analytics.ready``: the four ready
views, each as a chart (ECharts, served from /static/echarts/) with its figures in a table beneath
it, and the same data as JSON (``?format=json``, the portal's convention). Without a store, the
page says so.

Amounts: JSON carries the views' exact values (元, decimal strings); people see 万元 rounded
四舍五入 at display (``money.format_amount``); the charts draw the exact 万元 values.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from yusuan.analytics.ready import ReadyData, ready_data, ready_json
from yusuan.money import MoneyUnit, exact_string, format_amount, round_display, to_unit
from yusuan.web.budgets.analytics_store import configured_store
from yusuan.web.budgets.portal import wants_json

UNIT = MoneyUnit.WAN
logger = logging.getLogger("yusuan.web.analytics")

NO_STORE = (
    "本站尚未配置分析库，暂无跨部门、跨年度图表。"
    "管理员可用 yusuan serve --store 文件夹 或环境变量 YUSUAN_STORE 指定分析库。"
)
EMPTY_STORE = "分析库中还没有数据：部门预算公开后，或用 yusuan store build 入库后，这里会显示图表。"
UNREADABLE_STORE = "分析库暂时无法读取，请稍后再试或联系管理员。"
SOURCE_LABELS = {"dataset": "编制数据", "document": "公开文件（读回）"}
# the 三公 table's columns shown in the table beneath the chart (stable keys of the JSON
# contract; their printed labels come from the store)
THREE_PUBLIC_KEYS = (
    "total",
    "abroad",
    "reception",
    "vehicle_purchase",
    "vehicle_operation",
    "meeting",
    "training",
)


@dataclass(frozen=True)
class Section:
    """One ready view on the page: heading, what it shows, its chart and its table."""

    id: str
    title: str
    about: str
    chart: dict[str, Any]
    header: list[str]
    rows: list[list[str]]
    numeric_from: int  # columns from here on are figures (aligned right)


def _wan(yuan: Decimal | None) -> str:
    return format_amount(to_unit(yuan, UNIT)) if yuan is not None else ""


def _item(yuan: Decimal | None) -> dict[str, str] | None:
    """A chart point: the exact value in 万元 (drawn) and its display text (shown)."""
    if yuan is None:
        return None
    return {"value": exact_string(to_unit(yuan, UNIT)), "text": _wan(yuan)}


def _percent(percent: Decimal | None) -> str:
    return f"{round_display(percent, 2)}%" if percent is not None else ""


def _department(row: dict[str, Any]) -> str:
    code = row.get("department_code") or ""
    return f"{code} {row['department']}".strip()


def _years_label(years: tuple[int, ...]) -> list[str]:
    return [f"{y}年" for y in years]


def _trends(data: ReadyData) -> Section:
    rows = data.views["function_class_trends"]
    classes: dict[str, dict[int, dict[str, Any]]] = {}
    names: dict[str, str] = {}
    for row in rows:
        classes.setdefault(row["class_code"], {})[row["year"]] = row
        names[row["class_code"]] = f"{row['class_code']} {row['class_name']}"
    years = data.years
    series = [
        {
            "name": names[code],
            "items": [_item(by_year[y]["total_yuan"]) if y in by_year else None for y in years],
        }
        for code, by_year in classes.items()
    ]
    last = years[-1] if years else None
    table = [
        [names[code]]
        + [_wan(by_year[y]["total_yuan"]) if y in by_year else "—" for y in years]
        + [_wan(by_year[last]["change_yuan"]) if last in by_year else "—"]
        for code, by_year in classes.items()
    ]
    return Section(
        "function-class-trends",
        "支出功能分类（类）各年支出",
        "各部门支出汇总表中每个“类”的支出合计，逐年比较（万元）。",
        {
            "id": "chart-function-class-trends",
            "type": "line",
            "unit": UNIT.value,
            "categories": _years_label(years),
            "series": series,
        },
        [
            "支出功能分类（类）",
            *_years_label(years),
            f"{last}年比上年增减" if last else "比上年增减",
        ],
        table,
        1,
    )


def _by_department_and_year(
    rows: list[dict[str, Any]], value: str
) -> tuple[list[str], dict[str, dict[int, Any]]]:
    departments: dict[str, dict[int, Any]] = {}
    for row in rows:
        departments.setdefault(_department(row), {})[row["year"]] = row[value]
    return list(departments), departments


def _three_public(data: ReadyData) -> Section:
    rows = data.views["three_public_by_department"]
    totals = [r for r in rows if r["column_key"] == "total"]
    names, by_department = _by_department_and_year(totals, "amount_yuan")
    series = [
        {"name": f"{y}年", "items": [_item(by_department[d].get(y)) for d in names]}
        for y in data.years
    ]
    labels: dict[str, str] = {}
    cells: dict[tuple[str, int], dict[str, Decimal]] = {}
    for row in rows:
        labels.setdefault(row["column_key"], row["column_label"])
        cells.setdefault((_department(row), row["year"]), {})[row["column_key"]] = row[
            "amount_yuan"
        ]
    keys = [k for k in THREE_PUBLIC_KEYS if k in labels]
    table = [
        [department, f"{year}年", *(_wan(values.get(k)) for k in keys)]
        for (department, year), values in cells.items()
    ]
    return Section(
        "three-public",
        "各部门“三公”经费",
        "各部门各年“三公”经费合计（万元）；表中列出各项及会议费、培训费。",
        {
            "id": "chart-three-public",
            "type": "grouped-bar",
            "unit": UNIT.value,
            "categories": names,
            "series": series,
        },
        ["部门", "年度", *(labels[k] for k in keys)],
        table,
        2,
    )


def _share(row: dict[str, Any]) -> Decimal | None:
    """项目支出 / 支出合计 in per cent, exact from the view's two amounts (the view's own
    ``project_share`` is DuckDB's rounded floating-point quotient: JSON carries it as it is)."""
    total, project = row["total_yuan"], row["project_yuan"]
    if total is None or project is None or total == 0:
        return None
    return Decimal(project) * 100 / Decimal(total)


def _project_share(data: ReadyData) -> Section:
    rows = data.views["project_spending_share"]
    names: dict[str, dict[int, Decimal | None]] = {}
    for row in rows:
        names.setdefault(_department(row), {})[row["year"]] = _share(row)
    series = [
        {
            "name": f"{y}年",
            "items": [
                {"value": str(round_display(share, 4)), "text": _percent(share)}
                if (share := by_year.get(y)) is not None
                else None
                for by_year in names.values()
            ],
        }
        for y in data.years
    ]
    table = [
        [
            _department(r),
            f"{r['year']}年",
            _wan(r["total_yuan"]),
            _wan(r["project_yuan"]),
            _percent(_share(r)),
        ]
        for r in rows
    ]
    return Section(
        "project-share",
        "项目支出占支出合计的比重",
        "各部门各年项目支出占支出合计的百分比。",
        {
            "id": "chart-project-share",
            "type": "grouped-bar",
            "unit": "%",
            "categories": list(names),
            "series": series,
        },
        ["部门", "年度", "支出合计（万元）", "项目支出（万元）", "项目支出占比"],
        table,
        2,
    )


def _ranked(data: ReadyData, year: int | None) -> Section:
    rows = [r for r in data.views["departments_ranked"] if r["year"] == year]
    items = [{"name": _department(r), **(_item(r["total_yuan"]) or {})} for r in rows]
    table = [[str(r["rank"]), _department(r), _wan(r["total_yuan"])] for r in rows]
    return Section(
        "departments-ranked",
        f"{year}年各部门支出合计排名" if year else "各部门支出合计排名",
        "按支出汇总表的支出合计由高到低排列（万元）。",
        {
            "id": "chart-departments-ranked",
            "type": "bar",
            "name": f"{year}年支出合计",
            "unit": UNIT.value,
            "items": items,
        },
        ["排名", "部门", "支出合计（万元）"],
        table,
        2,
    )


def _year(request: HttpRequest, years: tuple[int, ...]) -> int | None:
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    return years[-1] if years else None


def _message(
    request: HttpRequest, text: str, *, configured: bool = True, status: int = 200
) -> HttpResponse:
    """A page (or JSON) that says plainly why there are no charts."""
    if wants_json(request):
        return JsonResponse(
            {"store": configured, "message": text},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "budgets/trends.html", {"message": text}, status=status)


@require_safe
def page(request: HttpRequest) -> HttpResponse:
    store = configured_store()
    if store is None:
        return _message(request, NO_STORE, configured=False)
    try:
        data = ready_data(
            store,
            source_kind=request.GET.get("source") or None,
            kind=request.GET.get("kind") or None,
        )
    except FileNotFoundError:
        return _message(request, EMPTY_STORE)
    except (duckdb.Error, OSError):
        logger.exception("分析库无法读取 / the store %s cannot be read", store)
        return _message(request, UNREADABLE_STORE, status=503)
    if data.empty:
        return _message(request, EMPTY_STORE)
    if wants_json(request):
        return JsonResponse(
            {"store": True, **ready_json(data)}, json_dumps_params={"ensure_ascii": False}
        )
    year = _year(request, data.years)
    sections = [_trends(data), _three_public(data), _project_share(data), _ranked(data, year)]
    choices = [
        {
            "source": source,
            "kind": kind,
            "label": f"{SOURCE_LABELS.get(source, source)} · {kind or '未标明'}",
            "current": (source, kind) == (data.source_kind, data.kind),
        }
        for source, kind in data.choices
    ]
    return render(
        request,
        "budgets/trends.html",
        {
            "sections": sections,
            "charts": [s.chart for s in sections],
            "choices": choices if len(choices) > 1 else [],
            "years": data.years,
            "year": year,
            "source": data.source_kind,
            "kind": data.kind,
            "source_label": SOURCE_LABELS.get(data.source_kind, data.source_kind),
        },
    )
