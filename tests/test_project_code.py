"""项目代码 (project code, 一体化 PRO_CODE) in a dataset: read, written back, checked."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook

from paths import EXAMPLE
from yusuan.dataset import load_dataset, read_dataset, save_dataset
from yusuan.dataset.template import write_template

PROJECTS = "projects.csv"


def _with_codes(tmp_path: Path, codes: list[str]) -> Path:
    """The example with a 项目代码 column after 项目名称, its cells ``codes`` (then blank)."""
    folder = tmp_path / "ds"
    shutil.copytree(EXAMPLE, folder)
    rows = list(csv.reader(io.StringIO((folder / PROJECTS).read_text("utf-8"), newline="")))
    for index, row in enumerate(rows):
        cell = "项目代码" if index == 0 else (codes[index - 1] if index <= len(codes) else "")
        row.insert(1, cell)
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / PROJECTS).write_text(out.getvalue(), "utf-8")
    return folder


def test_a_dataset_without_the_column_reads_with_blank_codes_and_writes_back_unchanged(
    tmp_path: Path,
) -> None:
    dataset = load_dataset(EXAMPLE)
    assert dataset.projects and all(p.code == "" for p in dataset.projects)
    save_dataset(dataset, tmp_path / "out")
    header = (tmp_path / "out" / PROJECTS).read_text("utf-8").partition("\n")[0]
    assert "项目代码" not in header
    save_dataset(dataset, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["项目"]
    assert "项目代码" not in [c.value for c in sheet[1]]


def test_codes_are_read_and_kept_through_folder_and_workbook(tmp_path: Path) -> None:
    folder = _with_codes(tmp_path, ["141000210001", "", "14100021A002"])
    dataset = load_dataset(folder)
    assert [p.code for p in dataset.projects[:4]] == ["141000210001", "", "14100021A002", ""]
    assert dataset.project_by_code("14100021A002") == dataset.projects[2]
    assert dataset.project_by_code("") is None
    save_dataset(dataset, tmp_path / "out.xlsx")
    from_workbook = load_dataset(tmp_path / "out.xlsx")
    assert [p.code for p in from_workbook.projects] == [p.code for p in dataset.projects]
    save_dataset(from_workbook, tmp_path / "back")
    assert load_dataset(tmp_path / "back").projects == dataset.projects
    header = (tmp_path / "back" / PROJECTS).read_text("utf-8").partition("\n")[0]
    assert header.startswith("项目名称,项目代码,")
    # the amounts and everything else as before: only the code was added
    plain = load_dataset(EXAMPLE)
    assert [replace(p, code="") for p in dataset.projects] == list(plain.projects)


def test_one_code_on_two_projects_is_a_located_problem(tmp_path: Path) -> None:
    folder = _with_codes(tmp_path, ["P01", "P02", "P01", "P-4"])
    dataset, problems = read_dataset(folder)
    assert dataset is None
    found = sorted((p.code, p.file, p.row, p.column) for p in problems)
    assert found == [
        ("bad-value", PROJECTS, 5, "项目代码"),
        ("duplicate-project-code", PROJECTS, 4, "项目代码"),
    ], [str(p) for p in problems]
    first = load_dataset(EXAMPLE).projects[0].name
    text = next(str(p) for p in problems if p.code == "duplicate-project-code")
    assert f"项目代码“P01”重复：第2行的项目“{first}”已使用" in text
    assert "project code 'P01' repeated" in text


def test_the_template_has_the_code_column_with_its_help(tmp_path: Path) -> None:
    workbook = write_template(tmp_path / "tpl", code="901", year=2021)
    header = (tmp_path / "tpl" / PROJECTS).read_text("utf-8").partition("\n")[0]
    assert header.startswith("项目名称,项目代码,")
    book = load_workbook(workbook)
    assert [c.value for c in book["项目"][1]][:2] == ["项目名称", "项目代码"]
    guide = [
        [c.value for c in row] for row in book["填写说明"].iter_rows(min_row=2) if row[0].value
    ]
    help_text = next(row[3] for row in guide if row[:2] == ["项目", "项目代码"])
    assert "预算管理一体化" in str(help_text)
    assert "项目代码" in (tmp_path / "tpl" / "README.md").read_text("utf-8")
