"""Flat 预算管理一体化 files: hand-made files in, the same format out (issue #10)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from paths import EXAMPLE
from yusuan.cli import app
from yusuan.dataset import load_dataset
from yusuan.dataset.yitihua import (
    element_of,
    flat_csv_text,
    flat_table,
    fund_type_source,
    read_flat,
)
from yusuan.model.records import BasicCategory, ExpenseKind

runner = CliRunner()

MANIFEST = """format_version = 1

[department]
code = "901"
name = "测试局"

[budget]
year = 2021

[[units]]
code = "901001"
name = "测试局本级"
kind = "行政单位"
parent = ""

[[units]]
code = "901002"
name = "测试局服务中心"
kind = "事业单位"
parent = ""
"""


def _manifest(tmp_path: Path) -> Path:
    path = tmp_path / "yusuan.toml"
    path.write_text(MANIFEST, encoding="utf-8")
    return path


def _csv(tmp_path: Path, rows: list[list[str]], name: str = "flat.csv") -> Path:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


CHINESE = [
    " 预算年度 ",
    "单位代码",
    "支出功能分类科目代码",
    "部门预算支出经济分类代码",
    "资金性质代码",
    "项目类别名称",
    "项目名称",
    "金额",
    "备注",
]


def test_chinese_headers_read_every_line_exactly(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            CHINESE,
            ["2021", "901001", "2013201", "30101", "111", "人员类项目", "", "1234567.89", ""],
            ["2021", "901001", "2013201", "30201", "11111", "公用经费项目", "", "1,000.50", "x"],
            [
                "2021",
                "901002",
                "2013202",
                "30201",
                "121",
                "特定目标类项目",
                "会议经费",
                "3万元",
                "",
            ],
        ],
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert loaded.problems == []
    assert loaded.dataset is not None
    first, second, third = loaded.dataset.lines
    assert (first.unit_code, first.function_code, first.economic_code) == (
        "901001",
        "2013201",
        "30101",
    )
    assert first.amount == Decimal("1234567.89")
    assert (first.source, first.kind, first.category) == (
        "一般公共预算",
        ExpenseKind.BASIC,
        BasicCategory.PERSONNEL,
    )
    assert second.source == "一般公共预算", "11111 lies under 111"
    assert second.category is BasicCategory.OPERATING
    assert second.amount == Decimal("1000.50") and second.note == "x"
    assert (third.source, third.kind, third.project) == (
        "政府性基金预算",
        ExpenseKind.PROJECT,
        "会议经费",
    )
    assert third.amount == Decimal("30000.00")
    assert [p.name for p in loaded.dataset.projects] == ["会议经费"]
    said = " ".join(str(n) for n in loaded.notices)
    assert "第4行 “金额”列 （单元格 H4）：“3万元”已按 30,000.00 元读入" in said, said
    assert "新建了 1 个只有名称的项目" in said


def test_element_headers_in_any_case_with_spaces_and_code_name_cells(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            [
                "agency_code ",
                " Exp_Func_Code",
                "DEP_BGT_ECO_CODE",
                "fund_type_name",
                "PRO_KIND_NAME",
                "PRO_NAME",
                "REPLY_AMT",
            ],
            ["901001", "2013201", "30101", "122-专项债券", "3-特定目标类", "债券项目", "500"],
            ["901001", "2013201", "30101", "一般公共预算资金", "人员类", "工资", "7.10"],
        ],
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert loaded.problems == []
    assert loaded.dataset is not None
    bond, salary = loaded.dataset.lines
    assert (bond.source, bond.kind, bond.project, bond.amount) == (
        "政府性基金预算",
        ExpenseKind.PROJECT,
        "债券项目",
        Decimal("500"),
    )
    assert (salary.source, salary.category, salary.project) == (
        "一般公共预算",
        BasicCategory.PERSONNEL,
        "",
    )
    said = " ".join(str(n) for n in loaded.notices)
    assert "1 行人员类或公用经费项目的项目名称未保存" in said


def test_each_bad_cell_is_one_located_problem(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            [
                "AGENCY_CODE",
                "EXP_FUNC_CODE",
                "DEP_BGT_ECO_CODE",
                "FUND_TYPE_CODE",
                "PRO_KIND_NAME",
                "AMT",
            ],
            ["901001", "2013201", "30101", "999", "人员类项目", "100"],
            ["901001", "20132", "30101", "111", "人员类项目", "12.345"],
            ["909999", "2013201", "30101", "111", "宣传类", "100"],
            ["901001", "2013201", "30101", "111", "人员类项目", "100"],
        ],
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert loaded.dataset is None
    places = [(p.file, p.row, p.column, p.cell) for p in loaded.problems]
    assert places == [
        ("flat.csv", 2, "FUND_TYPE_CODE", "D2"),
        ("flat.csv", 3, "EXP_FUNC_CODE", "B3"),
        ("flat.csv", 3, "AMT", "F3"),
        ("flat.csv", 4, "AGENCY_CODE", "A4"),
        ("flat.csv", 4, "PRO_KIND_NAME", "E4"),
    ]
    text = [str(p) for p in loaded.problems]
    assert "资金性质代码“999”不在对照表" in text[0]
    assert "功能分类科目应为7位项级编码" in text[1]
    assert "12.345" in text[2]
    assert "单位编码“909999”不在清单的单位列表中" in text[3]
    assert "项目类别“宣传类”无法识别" in text[4]


def test_a_missing_required_column_and_an_unknown_one(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            ["AGENCY_CODE", "EXP_FUNC_CODE", "FUND_TYPE_CODE", "PRO_KIND_NAME", "AMT", "经办人"],
            ["901001", "2013201", "111", "人员类项目", "100", "张三"],
        ],
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert loaded.dataset is None
    assert [(p.code, p.row, p.column) for p in loaded.problems] == [
        ("missing-column", 1, "DEP_BGT_ECO_CODE")
    ]
    assert "缺少必填列 DEP_BGT_ECO_CODE（部门预算支出经济分类代码）" in str(loaded.problems[0])
    unknown = [n for n in loaded.notices if "未识别的列" in str(n)]
    assert len(unknown) == 1 and "经办人" in str(unknown[0])


def test_unknown_column_alone_is_a_notice_not_a_problem(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            [
                "AGENCY_CODE",
                "EXP_FUNC_CODE",
                "DEP_BGT_ECO_CODE",
                "FUND_TYPE_CODE",
                "PRO_KIND_NAME",
                "AMT",
                "经办人",
                "MOF_DIV_CODE",
            ],
            ["901001", "2013201", "30101", "111", "人员类项目", "100", "张三", "141000"],
        ],
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert loaded.problems == [] and loaded.dataset is not None
    said = [str(n) for n in loaded.notices]
    assert sum("未识别的列，未读取：经办人" in n for n in said) == 1
    assert sum("不保存：MOF_DIV_CODE" in n for n in said) == 1


def test_a_file_with_a_header_only_imports_nothing(tmp_path: Path) -> None:
    path = _csv(tmp_path, [CHINESE])
    loaded = read_flat(path, _manifest(tmp_path))
    assert loaded.dataset is None
    assert [(p.code, p.file) for p in loaded.problems] == [("empty-file", "flat.csv")]


def test_year_differences_and_several_amount_columns(tmp_path: Path) -> None:
    header = [
        "FISCAL_YEAR",
        "AGENCY_CODE",
        "EXP_FUNC_CODE",
        "DEP_BGT_ECO_CODE",
        "FUND_TYPE_CODE",
        "PRO_KIND_NAME",
        "AMT",
    ]
    path = _csv(
        tmp_path, [header, ["2020", "901001", "2013201", "30101", "111", "人员类项目", "1"]]
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert [(p.code, p.cell) for p in loaded.problems] == [("year-mismatch", "A2")]
    path = _csv(
        tmp_path,
        [
            [*header, "REPLY_AMT"],
            ["2021", "901001", "2013201", "30101", "111", "人员类项目", "1", "2"],
        ],
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert [(p.code, p.column) for p in loaded.problems] == [("several-amounts", "REPLY_AMT")]


def test_a_fund_type_name_that_disagrees_with_its_code(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            [
                "AGENCY_CODE",
                "EXP_FUNC_CODE",
                "DEP_BGT_ECO_CODE",
                "FUND_TYPE_CODE",
                "FUND_TYPE_NAME",
                "PRO_KIND_NAME",
                "AMT",
            ],
            ["901001", "2013201", "30101", "111", "政府性基金预算资金", "人员类项目", "1"],
        ],
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert [(p.column, p.cell) for p in loaded.problems] == [("FUND_TYPE_NAME", "E2")]


def test_government_code_that_differs_from_the_derived_one_is_said(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            [
                "AGENCY_CODE",
                "EXP_FUNC_CODE",
                "DEP_BGT_ECO_CODE",
                "GOV_BGT_ECO_CODE",
                "FUND_TYPE_CODE",
                "PRO_KIND_NAME",
                "AMT",
            ],
            ["901001", "2013201", "30101", "50101", "111", "人员类项目", "1"],
            ["901002", "2013250", "30101", "50101", "111", "人员类项目", "1"],
        ],
    )
    loaded = read_flat(path, _manifest(tmp_path))
    assert loaded.problems == []
    notes = [n for n in loaded.notices if "政府预算经济分类" in str(n)]
    # 30101 in a 事业单位 is 50501 (the catalogue's mapping); the 机关 row agrees
    assert [(n.row, n.cell) for n in notes] == [(3, "D3")]
    assert "50501" in str(notes[0])


def test_mappings_are_data() -> None:
    element = element_of("  资金性质代码 ")
    assert element is not None and element.element == "FUND_TYPE_CODE"
    assert element_of("fund_type_code") is element
    assert element_of("经办人") is None
    found = fund_type_source("1219")
    assert found is not None and found.source == "政府性基金预算"
    assert fund_type_source("999") is None


@pytest.mark.parametrize("headers", ["element", "chinese"])
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_example_round_trips_through_a_flat_file(tmp_path: Path, headers: str, suffix: str) -> None:
    dataset = load_dataset(EXAMPLE)
    target = tmp_path / f"flat{suffix}"
    result = runner.invoke(
        app, ["convert", str(EXAMPLE), str(target), "--to", "yitihua", "--headers", headers]
    )
    assert result.exit_code == 0, result.output
    loaded = read_flat(target, EXAMPLE / "yusuan.toml")
    assert loaded.problems == []
    assert loaded.dataset is not None
    assert loaded.dataset.lines == dataset.lines
    projects = {line.project for line in dataset.lines if line.project}
    assert {p.name for p in loaded.dataset.projects} == projects
    whole = read_flat(target, EXAMPLE)
    assert whole.dataset is not None
    assert whole.dataset.lines == dataset.lines
    assert whole.dataset.projects == dataset.projects
    assert whole.dataset.indicators == dataset.indicators
    assert whole.dataset.procurement == dataset.procurement


def test_export_values_of_the_first_example_line() -> None:
    names, rows = flat_table(load_dataset(EXAMPLE))
    first = dict(zip(names, rows[0], strict=True))
    # budget_lines.csv row 2: 1040010 (行政单位), 2013201, 30101, 一般公共预算, 人员经费, 2766900.00
    assert first["AGENCY_CODE"] == "1040010"
    assert first["EXP_FUNC_NAME"] == "行政运行"
    assert first["DEP_BGT_ECO_NAME"] == "基本工资"
    assert first["GOV_BGT_ECO_CODE"] == "50101"
    assert (first["FUND_TYPE_CODE"], first["FUND_TYPE_NAME"]) == ("111", "一般公共预算资金")
    assert first["PRO_KIND_NAME"] == "人员类项目"
    assert first["AMT"] == "2766900.00"
    chinese, _ = flat_table(load_dataset(EXAMPLE), "chinese")
    assert chinese[:2] == ["预算年度", "单位代码"]
    assert flat_csv_text(load_dataset(EXAMPLE)).startswith("FISCAL_YEAR,AGENCY_CODE,")


def test_flat_workbook_reads_its_first_sheet(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(
        [
            "单位代码",
            "支出功能分类科目代码",
            "部门预算支出经济分类代码",
            "资金性质代码",
            "项目类别名称",
            "金额",
        ]
    )
    sheet.append([901001, 2013201, 30101, 111, "人员类项目", 2766900.07])
    sheet.append([901001, 2013201, 30101, 111, "人员类项目", "abc"])
    path = tmp_path / "flat.xlsx"
    book.save(path)
    loaded = read_flat(path, _manifest(tmp_path))
    assert [(p.row, p.cell) for p in loaded.problems] == [(3, "F3")]
    book.remove(book.active)  # type: ignore[arg-type]
    sheet = book.create_sheet("s")
    sheet.append(
        [
            "单位代码",
            "支出功能分类科目代码",
            "部门预算支出经济分类代码",
            "资金性质代码",
            "项目类别名称",
            "金额",
        ]
    )
    sheet.append([901001, 2013201, 30101, 111, "人员类项目", 2766900.07])
    book.save(path)
    loaded = read_flat(path, _manifest(tmp_path))
    assert loaded.dataset is not None
    assert loaded.dataset.lines[0].amount == Decimal("2766900.07")
    assert loaded.dataset.lines[0].unit_code == "901001"


def test_cli_import_needs_a_manifest_and_reports_problems(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [
            [
                "AGENCY_CODE",
                "EXP_FUNC_CODE",
                "DEP_BGT_ECO_CODE",
                "FUND_TYPE_CODE",
                "PRO_KIND_NAME",
                "AMT",
            ],
            ["901001", "2013201", "30101", "111", "人员类项目", "1.5"],
        ],
    )
    result = runner.invoke(app, ["convert", str(path), str(tmp_path / "ds"), "--from", "yitihua"])
    assert result.exit_code == 2 and "--manifest" in result.output
    manifest = _manifest(tmp_path)
    args = ["convert", str(path), str(tmp_path / "ds"), "--from", "yitihua", "--manifest"]
    result = runner.invoke(app, [*args, str(manifest)])
    assert result.exit_code == 0, result.output
    written = load_dataset(tmp_path / "ds")
    assert [line.amount for line in written.lines] == [Decimal("1.50")]
    bad = _csv(tmp_path, [["AGENCY_CODE"], ["901001"]], "bad.csv")
    result = runner.invoke(
        app,
        [
            "convert",
            str(bad),
            str(tmp_path / "ds2"),
            "--from",
            "yitihua",
            "--manifest",
            str(manifest),
        ],
    )
    assert result.exit_code == 2
    assert "缺少必填列" in result.output
    assert not (tmp_path / "ds2").exists()
    result = runner.invoke(
        app, ["convert", str(EXAMPLE), str(tmp_path / "x.xlsx"), "--headers", "chinese"]
    )
    assert result.exit_code == 2 and "--headers" in result.output
