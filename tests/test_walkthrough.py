"""A county education bureau's officer, start to finish, as a person would do it (#12):
`yusuan init`, fill in the CSV files and 说明.md, `yusuan check`, fix what it says, `yusuan
build`, and look at what would be published. Screenshots of the site, a PDF page and the
workbook printed by LibreOffice go to tests/artifacts/ for a person to look at.

The budget (hand-made): two units, 教育 lines, one project with indicators, one procurement item.
Totals by hand: 基本支出 1,200,000 + 300,000 + 80,000 = 1,580,000 元; 项目支出 500,000 元;
本年支出合计 2,080,000 元 = 208.00 万元.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from docx import Document
from typer.testing import CliRunner

from paths import ROOT
from yusuan.cli import app

runner = CliRunner()
ARTIFACTS = ROOT / "tests" / "artifacts"

LINES = """单位编码,功能分类科目编码,部门经济分类科目编码,资金来源,支出类型,基本支出类别,项目名称,金额（元）,备注
901001,2050101,30101,一般公共预算,基本支出,人员经费,,1200000,
901001,2050101,30201,一般公共预算,基本支出,公用经费,,300000,
901002,2050202,30101,一般公共预算,基本支出,人员经费,,80000,
901002,2050202,30202,一般公共预算,项目支出,,校舍维修改造,500000,
"""
PROJECTS_ROW = (
    "校舍维修改造,,某县教育局,901,某县第一小学,新增项目,1年,500000,0,0,0,500000,0,500000,0,0,0,"
    "500000,0,维修教学楼屋面和外墙,县政府常务会议纪要〔2026〕5号,消除校舍安全隐患,"
    "按县级项目管理办法实施,暑假施工,完成教学楼维修,完成教学楼维修,李明,王芳,0355-1234567,"
    "2026-11-20,"
)
INDICATORS = """项目名称,期间,一级指标,二级指标,三级指标,运算符,指标值,计量单位,备注
校舍维修改造,年度,产出指标,数量指标,维修面积,>=,1200,平方米,
校舍维修改造,年度,产出指标,时效指标,完工时间,<=,8,月,
校舍维修改造,年度,产出指标,成本指标,项目总成本,<=,50,万元,
校舍维修改造,年度,效益指标,社会效益指标,消除校舍安全隐患,,有效消除,,
校舍维修改造,年度,满意度指标,服务对象满意度指标,师生满意度,>=,90,%,
"""
EXPLANATION = """## 部门职责及机构设置

某县教育局负责全县基础教育工作。本部门预算包括局机关和某县第一小学。

## 国有资产占用情况

截至上年末，本部门共有车辆1辆。
"""


def fill(folder: Path) -> None:
    """What the officer types, file by file."""
    (folder / "budget_lines.csv").write_text(LINES, "utf-8")
    projects = (folder / "projects.csv").read_text("utf-8")
    (folder / "projects.csv").write_text(projects + PROJECTS_ROW + "\n", "utf-8")
    (folder / "indicators.csv").write_text(INDICATORS, "utf-8")
    manifest = (folder / "yusuan.toml").read_text("utf-8")
    manifest += (
        '\n[[units]]\ncode = "901002"\nname = "某县第一小学"\nkind = "事业单位"\nparent = ""\n'
    )
    (folder / "yusuan.toml").write_text(manifest, "utf-8")


def screenshot(page: Path, target: Path, width: int = 1300, height: int = 1800) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is needed: run `make system`")
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--virtual-time-budget=3000",
            f"--screenshot={target}",
            f"--window-size={width},{height}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert target.is_file() and target.stat().st_size > 10_000, target


@pytest.mark.slow
def test_an_officer_prepares_checks_and_publishes_a_budget(tmp_path: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    budget = tmp_path / "教育局2027"
    made = runner.invoke(
        app, ["init", str(budget), "--code", "901", "--name", "某县教育局", "--year", "2027"]
    )
    assert made.exit_code == 0, made.output
    assert (budget / "说明.md").is_file() and (tmp_path / "教育局2027.xlsx").is_file()
    fill(budget)

    # the first check: the 说明 is still the template, so the required sections are missing
    first = runner.invoke(app, ["check", str(budget)])
    assert first.exit_code == 1, first.output
    assert "EXP-001" in first.output and "部门职责及机构设置" in first.output
    assert "2027年没有单独" in runner.invoke(app, ["catalog", "小学教育", "-y", "2027"]).output

    (budget / "说明.md").write_text(EXPLANATION, "utf-8")
    second = json.loads(runner.invoke(app, ["check", str(budget), "-f", "json"]).output)
    assert not [f for f in second["findings"] if f["rule"].startswith("EXP-")]

    # the tables, as the terminal shows them: the unit tree first, 208.00 万元 in total
    shown = runner.invoke(app, ["tables", str(budget), "-t", "3"]).output
    assert "208.00" in shown and "158.00" in shown and "50.00" in shown
    assert (
        runner.invoke(app, ["tables", str(budget), "-t", "校舍维修改造"]).output.count(
            "项目名称：校舍维修改造"
        )
        == 1
    )

    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(budget), "-o", str(out), "--force"])
    assert built.exit_code == 0, built.output
    name = "某县教育局2027年部门预算"
    for part in (".pdf", ".xlsx", ".docx"):
        assert (out / f"{name}{part}").is_file(), part

    # the PDF: no build stamp on the cover, ≥ not >=, the department's own 说明
    with pdfplumber.open(out / f"{name}.pdf") as pdf:
        cover = pdf.pages[0].extract_text() or ""
        text = "".join((page.extract_text() or "") for page in pdf.pages)
    assert "yusuan" not in cover and "生成" not in cover
    assert "≥1200平方米" in text.replace(" ", "") and ">=" not in text
    assert "某县教育局负责全县基础教育工作" in text and "（本部门未提供" not in text
    subprocess.run(
        [
            *("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "4"),
            *(str(out / f"{name}.pdf"), str(ARTIFACTS / "walkthrough-pdf")),
        ],
        check=True,
        timeout=120,
    )

    # the site: public (no findings), complete on its own (downloads inside), hint from own data
    site = out / "site"
    moved = shutil.copytree(site, tmp_path / "uploaded-alone")
    pages = "".join(p.read_text("utf-8") for p in moved.rglob("*.html"))
    assert "EXP-" not in pages and "检查结果" not in pages
    assert (moved / "downloads" / f"{name}.pdf").is_file()
    assert "校舍维修" in (moved / "index.html").read_text("utf-8").split("placeholder=")[1][:40]
    screenshot(moved / "index.html", ARTIFACTS / "walkthrough-site.png")

    # Word: the explanation an officer edits
    document = Document(str(out / f"{name}.docx"))
    assert "某县教育局负责全县基础教育工作。本部门预算包括局机关和某县第一小学。" in [
        p.text for p in document.paragraphs
    ]
