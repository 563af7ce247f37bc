"""预算分析 (/trends/) in a real browser (Playwright on Debian's Chromium): the four charts are
drawn from the store (ECharts served by the app itself), with Chinese text and their tables.

Screenshot: ``tests/artifacts/web-trends.png``. Fails, never skips, when Chromium is missing.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from test_web_browser import ARTIFACTS, browser  # noqa: F401  (the fixture)

from paths import EXAMPLE
from yusuan.analytics.store import build_store
from yusuan.synthetic_city import write_city


@pytest.fixture
def city_store(tmp_path: Path) -> Path:
    """The example (104, 2021) and a synthetic city of 3 departments over 2021–2022."""
    city = write_city(tmp_path / "city", departments=3, years=2, seed=7)
    store = tmp_path / "store"
    result = build_store(store, [EXAMPLE, *city])
    assert not result.problems
    return store


def _colours(png: bytes) -> int:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return len(image.convert("RGB").getcolors(1 << 24) or ())


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_trends_page_draws_four_charts(
    browser: Any,  # noqa: F811
    live_server: Any,
    settings: Any,
    city_store: Path,
) -> None:
    settings.ANALYTICS_STORE = city_store
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/trends/")
    page.wait_for_function("document.body.getAttribute('data-charts-rendered') === '4'")
    assert errors == []
    assert outside == []  # nothing from a CDN or anywhere else
    assert page.get_by_role("heading", name="预算分析：跨部门、跨年度").is_visible()
    for section in ("function-class-trends", "three-public", "project-share", "departments-ranked"):
        chart = page.locator(f"#chart-{section}")
        assert chart.locator("canvas").count() == 1
        box = chart.bounding_box()
        assert box is not None and box["height"] > 200
        # a drawn chart, not an empty box: axes, bars or lines in several colours
        assert _colours(chart.screenshot()) > 20, section
    # the ranking of the latest year (2022): the city's three departments, with their figures
    ranked = page.locator("#departments-ranked table tbody tr")
    assert ranked.count() == 3
    assert page.locator("#departments-ranked h2").inner_text() == "2022年各部门支出合计排名"
    # the example is in 2021: its 三公 row in the table beneath the chart (seed: 31.06 万元)
    row = page.locator("#three-public tbody tr", has_text="104 中共临汾市委组织部")
    assert row.locator("td").nth(1).inner_text() == "31.06"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-trends.png"), full_page=True)
    # another year's ranking through the form
    page.select_option("#ranked-year", "2021")
    page.get_by_role("button", name="查看").click()
    page.wait_for_function("document.body.getAttribute('data-charts-rendered') === '4'")
    assert page.locator("#departments-ranked table tbody tr").count() == 4
