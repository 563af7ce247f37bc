"""Reading and writing datasets: exact round trips, every problem reported at once, no partial writes."""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from paths import EXAMPLE
from yusuan.dataset import (
    DatasetError,
    load_dataset,
    read_dataset,
    read_dataset_noticed,
    save_dataset,
)
from yusuan.dataset.problems import Problem
from yusuan.dataset.template import write_template
from yusuan.model.records import Dataset


def test_example_files_are_canonical(tmp_path: Path, example: Dataset) -> None:
    """Writing the example back gives the very same CSV files (so git diffs stay meaningful)."""
    save_dataset(example, tmp_path / "out")
    for name in ("budget_lines.csv", "projects.csv", "indicators.csv", "procurement.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_folder_workbook_folder_round_trip_is_exact(tmp_path: Path, example: Dataset) -> None:
    save_dataset(example, tmp_path / "a")
    save_dataset(load_dataset(tmp_path / "a"), tmp_path / "a.xlsx")
    from_workbook = load_dataset(tmp_path / "a.xlsx")
    assert from_workbook == example
    save_dataset(from_workbook, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes(), path.name


def test_records_remember_where_they_came_from(example: Dataset) -> None:
    first = example.lines[0]
    assert (first.origin.file, first.origin.row) == ("budget_lines.csv", 2)
    assert example.indicators[-1].origin.file == "indicators.csv"


def _copy_example(tmp_path: Path) -> Path:
    target = tmp_path / "ds"
    shutil.copytree(EXAMPLE, target)
    return target


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    import csv

    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _find(problems: list[Problem], file: str, row: int, column: str) -> Problem:
    for problem in problems:
        if (problem.file, problem.row, problem.column) == (file, row, column):
            return problem
    raise AssertionError(f"no problem at {file}:{row} {column}; got {[str(p) for p in problems]}")


def test_every_problem_is_reported_at_once_with_its_place(tmp_path: Path) -> None:
    folder = _copy_example(tmp_path)
    lines = folder / "budget_lines.csv"
    _edit_csv(lines, 2, "金额（元）", "12,3")
    _edit_csv(lines, 3, "单位编码", "999")
    _edit_csv(lines, 4, "支出类型", "其他支出")
    _edit_csv(lines, 5, "资金来源", "天上掉的钱")
    _edit_csv(folder / "indicators.csv", 7, "项目名称", "不存在的项目")
    dataset, problems = read_dataset(folder)
    assert dataset is None, "nothing is loaded partially"
    amount = _find(problems, "budget_lines.csv", 2, "金额（元）")
    assert (
        "12,3" in amount.message_zh and "元" in amount.message_zh and "amount" in amount.message_en
    )
    assert "999" in _find(problems, "budget_lines.csv", 3, "单位编码").message_zh
    assert "基本支出 / 项目支出" in _find(problems, "budget_lines.csv", 4, "支出类型").message_zh
    assert "天上掉的钱" in _find(problems, "budget_lines.csv", 5, "资金来源").message_zh
    assert "不存在的项目" in _find(problems, "indicators.csv", 7, "项目名称").message_zh
    assert len(problems) == 5


def test_missing_column_and_unknown_column(tmp_path: Path) -> None:
    folder = _copy_example(tmp_path)
    path = folder / "procurement.csv"
    text = path.read_text("utf-8").replace("金额（元）", "金额（万元）", 1)
    path.write_text(text, "utf-8")
    _, problems = read_dataset(folder)
    assert _find(problems, "procurement.csv", 1, "金额（元）").code == "missing-column"
    assert _find(problems, "procurement.csv", 1, "金额（万元）").code == "unknown-column"


def test_a_gbk_file_reads_as_gb18030_with_a_notice(tmp_path: Path, example: Dataset) -> None:
    """What WPS and Excel save on Chinese Windows is GBK: it loads, and the notice says so."""
    folder = _copy_example(tmp_path)
    path = folder / "procurement.csv"
    path.write_bytes(path.read_text("utf-8").encode("gbk"))
    loaded = read_dataset_noticed(folder)
    assert loaded.problems == []
    assert loaded.dataset == example
    [notice] = loaded.notices
    assert notice.file == "procurement.csv" and "GB18030" in notice.message_zh


def test_manifest_problems(tmp_path: Path) -> None:
    folder = _copy_example(tmp_path)
    manifest = folder / "yusuan.toml"
    text = (
        manifest.read_text("utf-8")
        .replace("year = 2021", 'year = "明年"')
        .replace('kind = "行政单位"', 'kind = "部队"', 1)
    )
    manifest.write_text(text, "utf-8")
    _, problems = read_dataset(folder)
    messages = " ".join(p.message_zh for p in problems)
    assert "预算年度" in messages and "明年" in messages
    assert "部队" in messages


def test_load_dataset_raises_with_all_problems(tmp_path: Path) -> None:
    with pytest.raises(DatasetError) as info:
        load_dataset(tmp_path / "nowhere")
    assert "找不到数据集" in str(info.value)


def test_workbook_typed_by_hand_reads_numbers_exactly(tmp_path: Path, example: Dataset) -> None:
    """An officer types codes and amounts as numbers in Excel; they still read exactly."""
    save_dataset(example, tmp_path / "book.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "book.xlsx")
    ws = wb["预算明细"]
    ws["A2"].value = 1040010  # a code typed as a number
    ws["B2"].value = 2013201
    ws["H2"].value = 2766900.07  # an amount with cents typed as a number
    wb.save(tmp_path / "book.xlsx")
    dataset = load_dataset(tmp_path / "book.xlsx")
    assert dataset.lines[0].unit_code == "1040010"
    assert dataset.lines[0].function_code == "2013201"
    assert dataset.lines[0].amount == Decimal("2766900.07")


def test_workbook_problems_name_the_sheet(tmp_path: Path, example: Dataset) -> None:
    save_dataset(example, tmp_path / "book.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "book.xlsx")
    wb["预算明细"]["H3"].value = "三千元"
    wb.save(tmp_path / "book.xlsx")
    _, problems = read_dataset(tmp_path / "book.xlsx")
    assert _find(problems, "book.xlsx:预算明细", 3, "金额（元）")


def test_a_failed_write_leaves_the_old_folder_whole(tmp_path: Path, example: Dataset) -> None:
    target = tmp_path / "ds"
    save_dataset(example, target)
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    broken = replace(example, lines=(replace(example.lines[0], amount="oops"),))  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        save_dataset(broken, target)
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["ds"], "no temporary folder left behind"


def test_init_template_loads_empty(tmp_path: Path) -> None:
    workbook = write_template(tmp_path / "new", code="321", name="某某局", year=2024)
    for path in (tmp_path / "new", workbook):
        dataset = load_dataset(path)
        assert dataset.year == 2024
        assert dataset.manifest.department.name == "某某局"
        assert dataset.lines == () and dataset.projects == ()
    assert "金额以“元”为单位" in (tmp_path / "new" / "README.md").read_text("utf-8")


def test_empty_workbook_is_a_clear_error(tmp_path: Path) -> None:
    wb = Workbook()
    wb.save(tmp_path / "empty.xlsx")
    _, problems = read_dataset(tmp_path / "empty.xlsx")
    messages = " ".join(p.message_zh for p in problems)
    assert "基本信息" in messages and "预算明细" in messages
