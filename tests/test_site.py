"""The offline web site: pages, amounts, merged headers, CSV files, and the real browser.

The expected amounts come from ``tests/golden/seed_tables.py`` (typed from the seed by hand) and
the 三公 header below is written by hand from the seed (lines 264-266), never from yusuan.

The browser test drives Debian's Chromium (``/usr/bin/chromium``, installed by ``make system``)
through Playwright; it fails, never skips, when Chromium is missing. Screenshots go to
``tests/artifacts/`` (ignored by git).
"""

from __future__ import annotations

import csv
import functools
import html
import io
import json
import re
import threading
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from golden import seed_tables as gold
from golden.seed_forms import FORMS
from goldenkit import shown, typographic
from paths import ROOT
from yusuan.money import MoneyUnit
from yusuan.render.csv_out import render_tidy_csv
from yusuan.render.json_out import table_object
from yusuan.render.site import build_pages, write_site
from yusuan.render.site.views import SearchIndex, search_hint
from yusuan.tables.base import AMOUNT, NAME, TOTAL, Column, Row, Table, simple_header
from yusuan.tables.forms import ProjectForm

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
TITLE = "中共临汾市委组织部2021年部门预算"
EXTRA_DOWNLOAD = "yusuan-tables.csv"


# ---------------------------------------------------------------------------------------------
# Fixtures and helpers


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory,
    example_tables: dict[str, Table],
    forms: list[ProjectForm],
) -> Path:
    """The example's site in ``out/site``; ``out`` also holds the file offered for download."""
    out = tmp_path_factory.mktemp("out")
    tables = list(example_tables.values())
    (out / EXTRA_DOWNLOAD).write_text(render_tidy_csv(tables), encoding="utf-8")
    write_site(
        out,
        title=TITLE,
        tables=tables,
        forms=forms,
        narrative=[("部门职责", ["负责全市党的组织工作。"])],
        downloads=[("全部公开表（CSV 长表）", EXTRA_DOWNLOAD)],
    )
    return out / "site"


def page_of(site: Path, table: Table) -> Path:
    return site / "tables" / f"{table.number:02d}-{table.id}.html"


class TableParser(HTMLParser):
    """The first ``<table>`` of a page: header cells (text, rowspan, colspan) and body texts."""

    def __init__(self) -> None:
        super().__init__()
        self.head: list[list[tuple[str, int, int]]] = []
        self.body: list[list[str]] = []
        self.section = ""
        self.cell: dict[str, Any] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr" and self.section:
            (self.head if self.section == "thead" else self.body).append([])
        elif tag in ("th", "td") and self.section:
            self.cell = {"text": "", **{k: v for k, v in attrs}}

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.done = True
        if tag not in ("th", "td") or self.cell is None:
            return
        text = self.cell["text"].strip()
        if self.section == "thead":
            spans = (int(self.cell.get("rowspan") or 1), int(self.cell.get("colspan") or 1))
            self.head[-1].append((text, *spans))
        else:
            self.body[-1].append(text)
        self.cell = None


def parse_table(path: Path) -> TableParser:
    parser = TableParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


# ---------------------------------------------------------------------------------------------
# (1) The generated files


def test_a_page_and_csv_for_every_table_and_a_page_for_every_project(
    site: Path, example_tables: dict[str, Table], forms: list[ProjectForm]
) -> None:
    assert len(example_tables) == 12
    for table in example_tables.values():
        page = page_of(site, table)
        assert page.is_file(), page
        assert page.with_suffix(".csv").is_file()
        assert table.title in html.unescape(page.read_text(encoding="utf-8"))
    assert len(forms) == 24
    for number, form in enumerate(forms, start=1):
        page = site / "projects" / f"{number:03d}.html"
        text = html.unescape(page.read_text(encoding="utf-8"))
        assert form.project.name in text and "绩效指标" in text
    for name in (
        "index.html",
        "search.html",
        "explanation.html",
        "downloads.html",
    ):
        assert (site / name).is_file(), name
    assert "负责全市党的组织工作。" in (site / "explanation.html").read_text(encoding="utf-8")
    assert not (site / "findings.html").exists()  # the public site never shows findings
    assert 'href="downloads/yusuan-tables.csv"' in (site / "downloads.html").read_text(
        encoding="utf-8"
    )
    assert (site / "downloads" / "yusuan-tables.csv").is_file()


@pytest.mark.parametrize(
    ("table_id", "golden"),
    [("expenditure", gold.EXPENDITURE_TABLE), ("general-budget", gold.GENERAL_BUDGET_EXPENDITURE)],
)
def test_function_tables_show_every_published_amount(
    site: Path, example_tables: dict[str, Table], table_id: str, golden: dict[str, Any]
) -> None:
    rows = parse_table(page_of(site, example_tables[table_id])).body
    by_code = {cells[0]: cells for cells in rows}
    for code, _name, values in golden["rows"]:
        cells = by_code[code]
        for position, published in enumerate(values):
            if published is not None:  # the seed leaves some 类/款 subtotals blank
                assert cells[2 + position] == shown(published), (table_id, code, position)


def test_basic_economic_operating_and_three_public_pages(
    site: Path, example_tables: dict[str, Table]
) -> None:
    economic = parse_table(page_of(site, example_tables["basic-economic"])).body
    assert [(c[0], c[1]) for c in economic] == [
        (name, shown(amount)) for _code, name, amount in gold.BASIC_BY_ECONOMIC["rows"]
    ]
    operating = parse_table(page_of(site, example_tables["operating-costs"])).body
    assert operating == [[name, shown(amount)] for name, amount in gold.OPERATING_EXPENSES]
    three = parse_table(page_of(site, example_tables["three-public"])).body
    g = gold.THREE_PUBLIC
    keys = ["合计", "因公出国(境)费", "公务接待费", "公务用车费小计", "公务用车运行维护费"]
    keys += ["公务用车购置费", "会议费", "培训费"]
    assert three[0][0] == g["unit_code"]
    assert three[0][2:10] == [shown(g[k]) if g[k] else "" for k in keys]
    assert "129.12" in three[0] and "31.06" in three[0]


def test_overview_key_figures(site: Path) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    for label, amount in (
        ("收入合计", "12,347.83"),
        ("基本支出", "992.27"),
        ("项目支出", "11,355.56"),
        ("“三公”经费", "31.06"),
        ("机关运行经费", "136.29"),
        ("政府采购预算", "43.00"),
    ):
        assert re.search(f"<dt>{label}</dt>\\s*<dd>.*?{re.escape(amount)}", text), label


def test_chart_data_are_the_json_contract_values(
    site: Path, example_tables: dict[str, Table]
) -> None:
    text = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', text)
    assert found is not None
    charts = {c["id"]: c for c in json.loads(found.group(1))}
    assert list(charts) == [
        "chart-revenue",
        "chart-basic-project",
        "chart-function",
        "chart-economic",
        "chart-three-public",
    ]
    assert [(i["name"], i["value"]) for i in charts["chart-revenue"]["items"]] == [
        ("一般公共预算", "6423.83"),
        ("政府性基金", "5924.00"),
    ]
    contract = table_object(example_tables["expenditure"])["rows"]
    totals = {row["code"]: row["values"]["total"] for row in contract}

    def walk(items: list[dict[str, Any]]) -> int:
        for item in items:
            assert item["value"] == totals[item["code"]], item["code"]
        return len(items) + sum(walk(item.get("children", [])) for item in items)

    assert walk(charts["chart-function"]["items"]) == len(totals) - 1  # every row but 合计
    assert [i["text"] for i in charts["chart-three-public"]["items"]] == [
        "0.00",
        "22.05",
        "9.01",
        "0.00",
        "31.32",
        "129.12",
    ]


def runs(labels: list[str]) -> list[tuple[str, int]]:
    """Consecutive equal labels as (label, count): how the form merges its cells."""
    result: list[tuple[str, int]] = []
    for label in labels:
        if result and result[-1][0] == label:
            result[-1] = (label, result[-1][1] + 1)
        else:
            result.append((label, 1))
    return result


def test_project_page_merges_indicator_levels(site: Path) -> None:
    gold = FORMS[0]  # 党员教育中心工作经费, typed from the seed
    text = (site / "projects" / "001.html").read_text(encoding="utf-8")
    sections = text.split("<tbody>")[-2:]  # 实施期, then 年度 (after the two smaller tables)
    for section, key in zip(sections, ("period_indicators", "year_indicators"), strict=True):
        indicators = gold[key]
        for level, css in ((0, "level1"), (1, "level2")):
            cells = re.findall(
                rf'<th scope="row" class="{css}"(?: rowspan="(\d+)")?>([^<]*)</th>', section
            )
            if level == 0:
                expected = runs([i[0] for i in indicators])
            else:
                expected = runs([f"{i[0]}|{i[1]}" for i in indicators])
                expected = [(label.split("|")[1], n) for label, n in expected]
            assert [(html.unescape(t), int(n or 1)) for n, t in cells] == expected, key
        values = re.findall(r'<td class="value">([^<]*)</td>', section)
        assert [html.unescape(v) for v in values] == [typographic(i[3]) for i in indicators]


def test_three_public_header_keeps_the_published_merges(
    site: Path, example_tables: dict[str, Table]
) -> None:
    # seed lines 264-266: (text, rowspan, colspan) of each header row, left to right
    assert parse_table(page_of(site, example_tables["three-public"])).head == [
        [("单位编码", 3, 1), ("单位名称", 3, 1), ("2021年预算数据", 1, 8), ("备注", 3, 1)],
        [
            ("合计", 2, 1),
            ("因公出国(境)费", 2, 1),
            ("公务接待费", 2, 1),
            ("公务用车费", 1, 3),
            ("会议费", 2, 1),
            ("培训费", 2, 1),
        ],
        [("小计", 1, 1), ("公务用车运行维护费", 1, 1), ("公务用车购置费", 1, 1)],
    ]
    text = page_of(site, example_tables["three-public"]).read_text(encoding="utf-8")
    assert '<th scope="colgroup" colspan="8">2021年预算数据</th>' in text
    assert "<caption" in text


NETWORK = re.compile(
    rb"""(?:\b(?:src|href|action|srcset)\s*=\s*["']?\s*(?:https?:)?//)|(?:url\(\s*["']?\s*(?:https?:)?//)|(?:@import\s+["']?(?:https?:)?//)""",
    re.IGNORECASE,
)


def test_nothing_is_loaded_from_the_network(site: Path) -> None:
    files = [p for p in site.rglob("*") if p.is_file()]
    assert any(p.name == "echarts.min.js" for p in files)
    offenders = [str(p.relative_to(site)) for p in files if NETWORK.search(p.read_bytes())]
    assert offenders == []
    for page in site.rglob("*.html"):
        assert "fetch(" not in page.read_text(encoding="utf-8")
    assert b"fetch(" not in (site / "static" / "site.js").read_bytes()


def test_csv_files_have_a_bom_and_exact_amounts(
    site: Path, example_tables: dict[str, Table]
) -> None:
    for table in example_tables.values():
        assert page_of(site, table).with_suffix(".csv").read_bytes().startswith(b"\xef\xbb\xbf")
    path = page_of(site, example_tables["expenditure"]).with_suffix(".csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    # each column under its full header path; each row with its department, year and kind
    assert rows[0] == [
        "部门编码",
        "部门",
        "年度",
        "行类型",
        "项目 / 科目编码",
        "项目 / 科目名称",
        "2021年预算数 / 合计",
        "2021年预算数 / 基本支出",
        "2021年预算数 / 项目支出",
    ]
    assert rows[1] == ["", "", "", "合计", "", "合计", "12347.83", "992.27", "11355.56"]
    assert ["", "", "", "明细", "2013201", "行政运行", "700.08", "700.08", "0.00"] in rows
    assert ["", "", "", "汇总", "20132", "组织事务", "2478.30", "786.30", "1692.00"] in rows
    path = page_of(site, example_tables["three-public"]).with_suffix(".csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0][4 + 5] == "2021年预算数据 / 公务用车费 / 小计"
    expected = ["104001", "中共临汾市委组织部", "31.06", "0.00", "22.05", "9.01", "9.01", "0.00"]
    assert rows[1][4:14] == [*expected, "31.32", "129.12"]


def tiny_table(name: str, yuan: str, table_id: str = "expenditure") -> Table:
    columns = (Column("name", "名称", NAME), Column("total", "合计", AMOUNT))
    rows = (
        Row("", "合计", 0, {"total": Decimal(yuan)}, TOTAL),
        Row("201", name, 1, {"total": Decimal(yuan)}),
    )
    return Table(table_id, "小表", MoneyUnit.WAN, simple_header(columns), columns, rows, number=1)


def test_csv_is_exact_where_the_page_rounds() -> None:
    pages = build_pages(title="t", tables=[tiny_table("行政运行", "1234.5")], forms=[])
    assert "0.12345" in pages["tables/01-expenditure.csv"]
    assert ">0.12<" in pages["tables/01-expenditure.html"]
    assert "0.12345" not in pages["tables/01-expenditure.html"]


def test_everything_is_escaped() -> None:
    evil = "</script><script>alert(1)</script>"
    pages = build_pages(
        title="<i>部门</i>",
        tables=[tiny_table(evil, "100.00")],
        forms=[],
        narrative=[("<b>说明</b>", ["a < b & c"])],
    )
    for path, text in pages.items():
        if not path.endswith(".html"):
            continue  # CSV and JSON data hold the name as it is
        assert "<script>alert(1)" not in text
        assert "<i>部门</i>" not in text
    assert "&lt;b&gt;说明&lt;/b&gt;" in pages["explanation.html"]
    assert "a &lt; b &amp; c" in pages["explanation.html"]
    assert "\\u003c/script\\u003e" in pages["index.html"]  # in the embedded JSON


@pytest.mark.parametrize("path", ["https://example.com/a.pdf", "/etc/passwd", "../x.pdf", "//h/x"])
def test_downloads_must_stay_inside_the_output_folder(path: str) -> None:
    with pytest.raises(ValueError):
        build_pages(title="t", tables=[], forms=[], downloads=[("文件", path)])


def test_writing_again_replaces_the_site(tmp_path: Path) -> None:
    first = write_site(tmp_path, title="t", tables=[tiny_table("甲", "1.00")], forms=[])
    assert all(p.is_file() for p in first)
    stale = tmp_path / "site" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    write_site(tmp_path, title="t", tables=[tiny_table("乙", "2.00")], forms=[])
    assert not stale.exists()
    assert "乙" in (tmp_path / "site" / "tables" / "01-expenditure.html").read_text(
        encoding="utf-8"
    )


# ---------------------------------------------------------------------------------------------
# (2) The real browser

CHART_PIXELS = """
() => Array.from(document.querySelectorAll('.chart')).map((box) => {
  const canvas = box.querySelector('canvas');
  if (!canvas) return {id: box.id, width: 0, height: 0, inked: 0};
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 0; i < data.length; i += 16) {
    if (data[i + 3] > 0 && (data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235)) inked += 1;
  }
  return {id: box.id, width: canvas.width, height: canvas.height, inked};
})
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    """``out/`` served on 127.0.0.1 (an ephemeral port) from a thread."""
    handler = functools.partial(QuietHandler, directory=str(site.parent))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make system` (Debian package chromium); "
            "the site's browser test needs the real browser and is never skipped"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_checked(browser: Any, url: str, allowed: str, **context: Any) -> tuple[Any, list[str]]:
    """A page at ``url`` that records console errors, page errors and any foreign request."""
    page = browser.new_context(**context).new_page()
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith((allowed, "data:")) else problems.append(f"request: {r.url}")
        ),
    )
    page.goto(url)
    return page, problems


def check_overview(page: Any, problems: list[str]) -> None:
    count = page.locator(".chart").count()
    assert count == 5
    page.wait_for_function(
        f"() => document.body.dataset.chartsRendered === '{count}'", timeout=20_000
    )
    for chart in page.evaluate(CHART_PIXELS):
        assert chart["width"] > 0 and chart["height"] > 0, chart
        assert chart["inked"] > 200, chart  # something was drawn, not a blank canvas
    page.fill("#search-input", "党员")
    hit = page.locator("#search-results a", has_text="党员教育中心工作经费")
    hit.first.wait_for(timeout=5_000)
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert problems == []


@pytest.mark.parametrize("via", ["file", "http"])
def test_overview_in_chromium(site: Path, browser: Any, server: str, via: str) -> None:
    if via == "file":
        url, allowed = (site / "index.html").as_uri(), "file://"
    else:
        url, allowed = f"{server}site/index.html", server
    page, problems = open_checked(browser, url, allowed, viewport={"width": 1280, "height": 800})
    check_overview(page, problems)
    if via == "file":
        ARTIFACTS.mkdir(exist_ok=True)
        page.fill("#search-input", "")
        page.screenshot(path=str(ARTIFACTS / "site-overview.png"))
        page.screenshot(path=str(ARTIFACTS / "site-overview-full.png"), full_page=True)
    page.fill("#search-input", "党员")
    page.locator("#search-results a", has_text="党员教育中心工作经费").first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "党员教育中心工作经费"
    assert problems == []
    page.context.close()


def test_phone_layout_and_other_pages_in_chromium(
    site: Path, browser: Any, example_tables: dict[str, Table]
) -> None:
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    page, problems = open_checked(browser, (site / "index.html").as_uri(), "file://", **phone)
    check_overview(page, problems)
    ARTIFACTS.mkdir(exist_ok=True)
    page.fill("#search-input", "")
    page.screenshot(path=str(ARTIFACTS / "site-overview-phone.png"), full_page=True)
    for path in (
        page_of(site, example_tables["procurement"]),
        site / "projects" / "001.html",
        site / "search.html",
    ):
        page.goto(path.as_uri())
        # wide tables scroll inside their container; the page itself never scrolls sideways
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), path
    page.screenshot(path=str(ARTIFACTS / "site-search-phone.png"), full_page=True)
    page.goto((site / "search.html").as_uri() + "?q=2013201")
    page.locator("#search-results a", has_text="行政运行").first.wait_for(timeout=5_000)
    assert problems == []
    page.context.close()


def test_artifacts_folder_keeps_screenshots_out_of_git() -> None:
    ignore = (ARTIFACTS / ".gitignore").read_text(encoding="utf-8").split()
    assert "*.png" in ignore


def test_the_search_hint_comes_from_the_departments_own_data() -> None:
    index: SearchIndex = {
        "groups": ["项目", "表1 支出表"],
        "entries": [
            (0, "", "校舍维修改造工程", "projects/001.html"),
            (1, "205", "教育支出", "tables/01.html#r1"),
            (1, "2050202", "小学教育", "tables/01.html#r2"),
        ],
    }
    assert search_hint(index) == "例如：校舍维修、2050202、小学教育"
    assert search_hint({"groups": [], "entries": []}) == ""
