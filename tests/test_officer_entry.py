"""What a finance officer meets when starting a budget (#12): `yusuan init` asks for what it
cannot guess, writes the 说明 with its headings, and the template workbook has drop-down lists,
a 科目代码 sheet and Chinese help; the 说明 travels with the dataset in both of its forms."""

from __future__ import annotations

import datetime
from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from paths import EXAMPLE
from yusuan.cli import app
from yusuan.dataset import load_dataset, save_dataset
from yusuan.dataset.template import write_template
from yusuan.publish.narrative import NO_DUTIES, build_narrative, parse_texts

runner = CliRunner()
EXPLANATION = "## 部门职责及机构设置\n\n负责全县教育工作。\n\n## 国有资产占用情况\n\n=车辆2辆。\n"


def test_init_needs_a_department_code_and_defaults_to_next_year(tmp_path: Path) -> None:
    refused = runner.invoke(app, ["init", str(tmp_path / "a")])
    assert refused.exit_code == 2 and "--code" in refused.output
    assert not (tmp_path / "a").exists()
    made = runner.invoke(app, ["init", str(tmp_path / "b"), "--code", "321"])
    assert made.exit_code == 0, made.output
    dataset = load_dataset(tmp_path / "b")
    assert dataset.year == datetime.date.today().year + 1
    assert dataset.manifest.department.code == "321"


def test_init_writes_the_explanation_with_its_headings(tmp_path: Path) -> None:
    workbook = write_template(tmp_path / "new", code="321", name="某某局", year=2027)
    text = (tmp_path / "new" / "说明.md").read_text("utf-8")
    texts, problems = parse_texts(text)
    assert problems == []
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "部门职责及机构设置",
        "一般公共预算支出用途",
        "三公经费变动原因",
        "国有资产占用情况",
        "其他重要事项",
        "变动原因",
    ]
    assert texts == {}, "the guidance in comments is never published"
    # the same text is in the workbook's 情况说明 sheet
    assert load_dataset(workbook).explanation == text
    assert "docs/" not in (tmp_path / "new" / "yusuan.toml").read_text("utf-8")


def test_template_workbook_helps_the_officer(tmp_path: Path) -> None:
    workbook = write_template(tmp_path / "new", code="321", name="某某局", year=2021)
    wb = load_workbook(workbook)
    assert wb.sheetnames[:2] == ["填写说明", "基本信息"]
    assert {"科目代码", "情况说明", "预算明细", "单位"} <= set(wb.sheetnames)
    guide = {(r[0], r[1]): r[3] for r in wb["填写说明"].iter_rows(min_row=2, values_only=True)}
    assert "7位数字" in guide[("预算明细", "功能分类科目编码")]
    codes = {r[0]: r[1] for r in wb["科目代码"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert codes["2050202"] == "小学教育" and codes["2013201"] == "行政运行"
    lines = wb["预算明细"]
    headers = {cell.value: cell.column_letter for cell in lines[1]}
    lists = {
        str(check.sqref).split(":")[0].rstrip("0123456789"): check.formula1
        for check in lines.data_validations.dataValidation
    }
    assert lists[headers["支出类型"]] == '"基本支出,项目支出"'
    assert lists[headers["资金来源"]].startswith("'选项'!")
    assert lists[headers["功能分类科目编码"]].startswith("'科目代码'!$A$2")
    indicators = wb["绩效指标"]
    headers = {cell.value: cell.column_letter for cell in indicators[1]}
    lists = {
        str(check.sqref).split(":")[0].rstrip("0123456789"): check.formula1
        for check in indicators.data_validations.dataValidation
    }
    assert lists[headers["期间"]] == '"实施期,年度"' and headers["一级指标"] in lists
    options = wb["选项"]
    assert options.sheet_state == "hidden"
    first_level = [c.value for c in options["B"][1:] if c.value]
    assert {"产出指标", "效益指标", "满意度指标"} <= set(first_level)


def test_the_explanation_survives_folder_workbook_folder(tmp_path: Path) -> None:
    dataset = replace(load_dataset(EXAMPLE), explanation=EXPLANATION)
    save_dataset(dataset, tmp_path / "a")
    save_dataset(load_dataset(tmp_path / "a"), tmp_path / "b.xlsx")
    save_dataset(load_dataset(tmp_path / "b.xlsx"), tmp_path / "c")
    assert (tmp_path / "c" / "说明.md").read_bytes() == EXPLANATION.encode()
    cell = load_workbook(tmp_path / "b.xlsx")["情况说明"]["B8"]
    assert cell.value == "=车辆2辆。" and cell.data_type == "s", "text, never a formula"


def test_a_workbook_with_the_old_manifest_sheet_name_still_loads(tmp_path: Path) -> None:
    save_dataset(load_dataset(EXAMPLE), tmp_path / "new.xlsx")
    wb = load_workbook(tmp_path / "new.xlsx")
    wb["基本信息"].title = "说明"
    wb.save(tmp_path / "old.xlsx")
    assert load_dataset(tmp_path / "old.xlsx").manifest.department.name == "中共临汾市委组织部"


def test_the_build_publishes_the_datasets_own_explanation(tmp_path: Path) -> None:
    dataset = replace(load_dataset(EXAMPLE), explanation=EXPLANATION)
    texts, _ = parse_texts(dataset.explanation)
    duties = build_narrative(dataset, texts=texts).sections[0]
    assert duties.paragraphs == ("负责全县教育工作。",)
    assert NO_DUTIES not in duties.paragraphs
