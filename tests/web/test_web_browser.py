"""The whole way in a real browser (Playwright on Debian's Chromium): an officer adds a
performance indicator, sees the finding appear beside it, fixes it and saves; the unit submits;
the 主管部门 returns it with a comment and comments beside the project, which the officer sees
above the project's form; the officer corrects, the unit resubmits; the bureau's
offices approve, 预算处 批复, the department publishes; the public page shows the tables.

Screenshots go to ``tests/artifacts/web-*.png``. Fails, never skips, when Chromium is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paths import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system` (Debian chromium)")
    from playwright.sync_api import sync_playwright

    # the test body reads the database while Playwright's event loop runs in this thread
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Session:
    """One user's browser context, logged in through the login page."""

    def __init__(self, browser: Any, base: str, name: str) -> None:
        self.base = base
        self.page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        self.page.goto(f"{base}/accounts/login/")
        self.page.fill("#id_username", name)
        self.page.fill("#id_password", f"pw-{name}-2026")
        self.page.click("button[type=submit]")
        self.page.wait_for_url(f"{base}/work/")

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        return self.page

    def step(self, budget: Any, label: str, comment: str = "") -> None:
        page = self.open(f"/work/b/{budget.pk}/")
        form = page.locator("form.step", has=page.get_by_role("button", name=label))
        if comment:
            form.locator("textarea").fill(comment)
        form.get_by_role("button", name=label).click()
        page.wait_for_selector(".messages")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_prepare_return_resubmit_approve_publish(
    browser: Any, live_server: Any, world: Any
) -> None:
    from yusuan.web.budgets import models as db

    base, budget = live_server.url, world.a
    project = budget.projects.get(name="干部培训经费")  # 年度资金总额 50.00万元

    officer = Session(browser, base, "officer")
    page = officer.open(f"/work/b/{budget.pk}/projects/{project.pk}/")
    last = page.locator("tr.indicator").last
    last.locator("select[name$=-period]").select_option("年度")
    last.locator("select[name$=-level]").select_option("产出指标／成本指标")
    last.locator("input[name$=-name]").fill("教材印制费")
    last.locator("input[name$=-operator]").fill("<=")
    last.locator("input[name$=-unit]").fill("万元")
    last.locator("input[name$=-value]").fill("80")
    beside = page.locator("tr.indicator-findings").last
    beside.locator('[data-rule="IND-008"]').wait_for()
    assert "超过年度资金总额" in beside.inner_text()
    officer.shot("1-finding-beside-the-indicator")
    last.locator("input[name$=-value]").fill("8")
    beside.locator('[data-rule="IND-008"]').wait_for(state="detached")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".messages")
    assert "已保存" in page.locator(".messages").inner_text()
    officer.shot("2-saved")

    reviewer = Session(browser, base, "unitreview")
    reviewer.step(budget, "单位提交")
    department = Session(browser, base, "dept")
    department.step(budget, "主管部门退回", "请补充教材印制费的测算依据")
    department.shot("3-returned")
    # the 主管部门 comments beside the project; the officer sees it above the project's form
    page = department.open(f"/work/b/{budget.pk}/projects/")
    row = page.locator(f"#project-{project.pk}")
    row.locator("summary", has_text="发表意见").click()
    row.locator("textarea").fill("教材印制费请按期数列明")
    row.get_by_role("button", name="发表意见").click()
    page.wait_for_selector(".messages")
    assert "教材印制费请按期数列明" in page.locator(f"#project-{project.pk} .comments").inner_text()
    department.shot("3a-comment-beside-the-project")
    page = officer.open(f"/work/b/{budget.pk}/projects/{project.pk}/")
    assert "教材印制费请按期数列明" in page.locator("#notes").inner_text()
    officer.shot("3b-comment-above-the-form")

    page = officer.open(f"/work/b/{budget.pk}/")
    assert "请补充教材印制费的测算依据" in page.locator("#transitions").inner_text()
    assert "编制中" in page.locator("#status").inner_text()
    page = officer.open(f"/work/b/{budget.pk}/projects/{project.pk}/")
    page.fill("#id_basis", "教材印制费按40期、每期0.2万元测算")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector(".messages")

    reviewer.step(budget, "单位提交")
    department.step(budget, "主管部门审核通过")
    Session(browser, base, "office").step(budget, "业务处审核通过")
    Session(browser, base, "perf").step(budget, "绩效处审核通过")
    bureau = Session(browser, base, "budget")
    bureau.step(budget, "预算处批复")
    bureau.shot("4-approved")
    department.step(budget, "公开")
    budget.refresh_from_db()
    assert budget.status == db.Status.PUBLISHED
    actions = list(budget.transitions.values_list("action", flat=True))
    assert actions[:3] == ["submit", "department_return", "submit"]
    assert actions[-1] == "publish"

    public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    public.goto(f"{base}/")
    public.get_by_role("link", name="2021年部门预算").click()
    public.wait_for_load_state()
    public.goto(f"{base}/p/201/2021/site/tables/index.html")
    public.get_by_role("link", name="一般公共预算支出预算表").first.click()
    public.wait_for_load_state()
    text = public.locator("body").inner_text()
    assert "2013201" in text and "行政运行" in text
    assert "检查结果" not in text
    public.screenshot(path=str(ARTIFACTS / "web-5-public-table.png"), full_page=True)
    saved = budget.indicators.get(name="教材印制费")
    assert (saved.value, saved.unit) == ("8", "万元")
