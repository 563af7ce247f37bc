"""预算分析 (/trends/): the portal's cross-department, cross-year charts from the analytics store,
and publishing (公开) putting a budget into that store. Runs on SQLite and, through
``test_web_postgresql.py``, on PostgreSQL."""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from webkit import client_for

from paths import EXAMPLE
from yusuan.analytics.query import run_query
from yusuan.analytics.ready import ready_data
from yusuan.analytics.store import build_store
from yusuan.analytics.views import READY_VIEWS

SECTIONS = ("function-class-trends", "three-public", "project-share", "departments-ranked")


@pytest.fixture(scope="module")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("trends") / "store"
    result = build_store(store, [EXAMPLE])
    assert not result.problems
    return store


def _page(client: Any, query: str = "") -> Any:
    return client.get(f"/trends/{query}")


def test_without_a_store_the_page_says_so_plainly(settings: Any) -> None:
    settings.ANALYTICS_STORE = None
    response = _page(client_for())
    assert response.status_code == 200
    text = response.content.decode()
    assert "尚未配置分析库" in text
    assert "YUSUAN_STORE" in text
    assert "trend-chart" not in text and "echarts.min.js" not in text
    data = _page(client_for(), "?format=json").json()
    assert data["store"] is False
    assert "尚未配置分析库" in data["message"]


def test_an_empty_store_says_there_is_no_data_yet(settings: Any, tmp_path: Path) -> None:
    settings.ANALYTICS_STORE = tmp_path / "new-store"
    response = _page(client_for())
    assert response.status_code == 200
    assert "分析库中还没有数据" in response.content.decode()
    assert _page(client_for(), "?format=json").json()["store"] is True


def test_an_unreadable_store_is_a_plain_message(
    settings: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = tmp_path / "broken"
    store.mkdir()
    (store / "facts.parquet").write_bytes(b"not parquet")
    settings.ANALYTICS_STORE = store
    with caplog.at_level(logging.ERROR, logger="yusuan.web.analytics"):
        response = _page(client_for())
    assert response.status_code == 503
    assert "分析库暂时无法读取" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_the_four_views_are_charts_with_their_tables(settings: Any, example_store: Path) -> None:
    settings.ANALYTICS_STORE = example_store
    response = _page(client_for())
    assert response.status_code == 200
    text = response.content.decode()
    assert "预算分析：跨部门、跨年度" in text
    for section in SECTIONS:
        assert f'id="{section}"' in text
        assert f'id="chart-{section}"' in text
    assert text.count("<table") == 4
    # ECharts from this server, never from elsewhere
    assert '<script src="/static/echarts/echarts.min.js">' in text
    assert "//cdn" not in text and 'src="http' not in text
    # the seed's figures in the tables (万元, as published): 支出合计 12,347.83; 三公 31.06 =
    # 接待 22.05 + 用车运行 9.01, 会议费 31.32, 培训费 129.12; 项目支出 11,355.56 of 12,347.83
    # = 91.96 %
    assert '<td class="num">12,347.83</td>' in text
    for figure in ("31.06", "22.05", "9.01", "31.32", "129.12", "11,355.56", "91.96%"):
        assert f'<td class="num">{figure}</td>' in text, figure
    # the charts' data: exact 万元 for drawing, display text for people
    charts = json.loads(text.split('id="trend-charts" type="application/json">')[1].split("<")[0])
    ranked = next(c for c in charts if c["id"] == "chart-departments-ranked")
    assert ranked["items"] == [
        {"name": "104 中共临汾市委组织部", "value": "12347.83", "text": "12,347.83"}
    ]


def test_the_same_data_as_json_exact_in_yuan(settings: Any, example_store: Path) -> None:
    settings.ANALYTICS_STORE = example_store
    data = _page(client_for(), "?format=json").json()
    assert data["store"] is True
    assert (data["source_kind"], data["kind"], data["years"]) == ("dataset", "预算", [2021])
    assert set(data["views"]) == set(READY_VIEWS)
    (ranked,) = data["views"]["departments_ranked"]["rows"]
    assert ranked["total_yuan"] == "123478300.00"
    assert ranked["rank"] == 1
    three = {
        r["column_key"]: r["amount_yuan"]
        for r in data["views"]["three_public_by_department"]["rows"]
    }
    assert three["total"] == "310600.00"
    assert three["training"] == "1291200.00"
    (share,) = data["views"]["project_spending_share"]["rows"]
    assert share["project_yuan"] == "113555600.00"
    classes = {
        r["class_code"]: r["total_yuan"] for r in data["views"]["function_class_trends"]["rows"]
    }
    assert sum(Decimal(v) for v in classes.values()) == Decimal("123478300.00")


def test_the_page_shows_what_the_analytics_module_reads(settings: Any, example_store: Path) -> None:
    """One query implementation: the JSON is ``analytics.ready`` over the store, row for row."""
    settings.ANALYTICS_STORE = example_store
    data = _page(client_for(), "?format=json").json()
    direct = ready_data(example_store)
    for name, rows in direct.views.items():
        assert len(data["views"][name]["rows"]) == len(rows)


def test_the_vendored_echarts_is_served_locally() -> None:
    response = client_for().get("/static/echarts/echarts.min.js")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"echarts" in body[:2000].lower()


# --- publishing into the store ------------------------------------------------------------------


def _approve(budget: Any) -> None:
    from yusuan.web.budgets import models as db

    budget.status = db.Status.APPROVED
    budget.save(update_fields=["status"])


def _store_totals(store: Path) -> dict[tuple[str, int], Decimal]:
    _, rows = run_query(
        store,
        "SELECT department_code, year, value_yuan FROM facts WHERE table_id = 'expenditure' "
        "AND row_kind = 'total' AND column_key = 'total'",
    )
    return {(code, year): value for code, year, value in rows}


def _line_total(budget: Any) -> Decimal:
    return sum((Decimal(line.amount_fen).scaleb(-2) for line in budget.lines.all()), Decimal(0))


def test_publishing_adds_the_budget_and_an_adjustment_replaces_it(
    world: Any, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from yusuan.web.budgets.workflow import adjust, take

    store = tmp_path / "store"
    settings.ANALYTICS_STORE = store
    budget, publisher = world.a, world.users["budget_office"]
    _approve(budget)
    with django_capture_on_commit_callbacks(execute=True):
        take(publisher, budget, "publish")
    first = _line_total(budget)
    assert _store_totals(store) == {("201", budget.year): first}
    # 预算调整: a new version with one line larger by 1,000.00 元, approved and published again
    new = adjust(world.users["department"], budget, "追加预算")
    line = new.lines.order_by("pk").first()
    line.amount_fen += 100_000
    line.save()
    _approve(new)
    with django_capture_on_commit_callbacks(execute=True):
        take(publisher, new, "publish")
    # replaced, never added: one source for the department-year, the adjusted total
    assert _store_totals(store) == {("201", budget.year): first + Decimal("1000.00")}
    settings.ANALYTICS_STORE = store
    page = _page(client_for(), "?format=json").json()
    assert [r["total_yuan"] for r in page["views"]["departments_ranked"]["rows"]] == [
        f"{first + Decimal('1000.00'):.2f}"
    ]


def test_without_a_store_publishing_writes_nothing(
    world: Any, settings: Any, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    from yusuan.web.budgets.workflow import take

    settings.ANALYTICS_STORE = None
    _approve(world.a)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        take(world.users["budget_office"], world.a, "publish")
    assert callbacks == []


def test_a_store_that_cannot_be_written_leaves_the_budget_published_and_logs(
    world: Any,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from yusuan.web.budgets import models as db
    from yusuan.web.budgets.analytics_store import sync_published
    from yusuan.web.budgets.workflow import take

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    settings.ANALYTICS_STORE = blocked
    _approve(world.a)
    with (
        caplog.at_level(logging.ERROR, logger="yusuan.web.analytics"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        take(world.users["budget_office"], world.a, "publish")
    world.a.refresh_from_db()
    assert world.a.status == db.Status.PUBLISHED
    assert "分析库写入失败" in caplog.text
    # the sync makes it good once the store can be written
    store = tmp_path / "store"
    assert sync_published(store) == [f"yusuan-web:201/{world.a.year}"]
    assert sync_published(store) == []  # up to date: nothing written again
    assert len(sync_published(store, replace=True)) == 1
    assert _store_totals(store) == {("201", world.a.year): _line_total(world.a)}


def test_the_sync_command_needs_a_store(settings: Any, db: None) -> None:
    from django.core.management import CommandError, call_command

    settings.ANALYTICS_STORE = None
    with pytest.raises(CommandError, match="YUSUAN_STORE"):
        call_command("sync_store")


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example as a dataset and the seed's published text read back as a document."""
    from paths import SHARED

    store = tmp_path_factory.mktemp("mixed") / "store"
    result = build_store(store, [EXAMPLE, SHARED / "seed" / "000_f720d2529ea36f81.txt"])
    assert not result.problems
    return store


def test_datasets_and_documents_are_shown_one_at_a_time(settings: Any, mixed_store: Path) -> None:
    settings.ANALYTICS_STORE = mixed_store
    client = client_for()
    default = _page(client, "?format=json").json()
    assert default["choices"] == [
        {"source_kind": "dataset", "kind": "预算"},
        {"source_kind": "document", "kind": "预算"},
    ]
    assert default["source_kind"] == "dataset"
    # never the two accounts of the same money added together: one department ranked, once
    assert [r["total_yuan"] for r in default["views"]["departments_ranked"]["rows"]] == [
        "123478300.00"
    ]
    document = _page(client, "?format=json&source=document").json()
    assert document["source_kind"] == "document"
    # the published text, read back: the same 12,347.83 万元; no department code is printed
    (ranked,) = document["views"]["departments_ranked"]["rows"]
    assert (ranked["department_code"], ranked["total_yuan"]) == ("", "123478300.00")
    # what the store does not hold falls back to what it does
    assert _page(client, "?format=json&source=nothing&kind=决算").json()["source_kind"] == "dataset"
    text = _page(client, "?source=document").content.decode()
    assert '<strong aria-current="true">公开文件（读回） · 预算</strong>' in text
    assert 'href="?source=dataset&amp;kind=%E9%A2%84%E7%AE%97">编制数据 · 预算</a>' in text
