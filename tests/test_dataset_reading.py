"""Reading bad input: every fault of issue #13 (items 2, 4, 5, 6, 11) and #12 (entry) is a located
problem or an exact reading, never a traceback, a hang or a silently different number."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference

from paths import EXAMPLE
from yusuan.dataset import read_dataset, read_dataset_noticed, save_dataset
from yusuan.dataset.problems import Problem
from yusuan.model.records import Dataset

LINES = "budget_lines.csv"
AMOUNT = "金额（元）"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "ds"
    shutil.copytree(EXAMPLE, target)
    return target


def _csv_total(path: Path) -> Decimal:
    """The exact sum of the amount column, computed here from the file's text."""
    rows = list(csv.DictReader(io.StringIO(path.read_text("utf-8"), newline="")))
    return sum((Decimal(r[AMOUNT]) for r in rows), Decimal(0))


def _only(problems: list[Problem], code: str) -> Problem:
    assert [p.code for p in problems] == [code], [str(p) for p in problems]
    return problems[0]


def _edit_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), "utf-8")


# --- CSV syntax and shape (#13 items 2, 4, 6) --------------------------------------------------


def test_an_unclosed_quote_is_located_not_swallowing_the_file(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_line(folder / LINES, 10, ",选定", ',"选定')  # the repro of #13 item 2
    dataset, problems = read_dataset(folder)
    assert dataset is None
    problem = _only(problems, "unclosed-quote")
    assert (problem.file, problem.row, problem.column, problem.cell) == (LINES, 10, "备注", "I10")
    assert "引号" in problem.message_zh and "quote" in problem.message_en


def test_a_quote_closed_rows_later_is_located(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_line(folder / LINES, 10, ",选定", ',"选定')
    _edit_line(folder / LINES, 20, ",选定", ',"选定')
    _, problems = read_dataset(folder)
    problem = _only(problems, "bad-quote")
    assert (problem.row, problem.cell) == (10, "I10")


def test_a_duplicated_header_is_one_problem_and_no_number_changes(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_line(folder / LINES, 1, "金额（元）,备注", "金额（元）,金额（元）")
    _, problems = read_dataset(folder)
    problem = _only(problems, "duplicate-column")
    assert (problem.row, problem.column, problem.cell) == (1, AMOUNT, "I1")
    assert "H列和I列" in problem.message_zh


def test_a_blank_header_over_data_is_located(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_line(folder / LINES, 1, ",备注", ",")
    _, problems = read_dataset(folder)
    assert problems and all(p.code == "blank-header" for p in problems)
    assert (problems[0].row, problems[0].cell) == (2, "I2")


def test_trailing_empty_columns_as_excel_saves_them_are_harmless(
    tmp_path: Path, example: Dataset
) -> None:
    folder = _copy(tmp_path)
    path = folder / LINES
    path.write_text("\n".join(f"{line},," for line in path.read_text("utf-8").split("\n")[:-1]))
    dataset, problems = read_dataset(folder)
    assert problems == [] and dataset == example


def test_a_short_row_is_located_never_defaulted(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / LINES
    lines = path.read_text("utf-8").split("\n")
    lines[4] = lines[4].rsplit(",", 2)[0]  # row 5 loses its amount and note
    path.write_text("\n".join(lines), "utf-8")
    _, problems = read_dataset(folder)
    problem = _only(problems, "short-row")
    assert (problem.row, problem.column, problem.cell) == (5, AMOUNT, "H5")


def test_a_long_row_is_located(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_line(folder / LINES, 7, "published", "published,多出的一格")
    _, problems = read_dataset(folder)
    problem = _only(problems, "extra-cells")
    assert (problem.row, problem.cell) == (7, "J7")


def test_a_cell_over_the_csv_limit_is_located(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    _edit_line(folder / LINES, 3, "选定", "选" * 140_000)
    _, problems = read_dataset(folder)
    problem = _only(problems, "cell-too-long")
    assert (problem.row, problem.cell) == (3, "I3")
    assert "131,072" in problem.message_zh


def test_an_unreadable_file_is_located_and_not_called_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(tmp_path)
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == "projects.csv":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)  # root ignores chmod; the OS answer is faked
    _, problems = read_dataset(folder)
    problem = _only(problems, "unreadable")
    assert problem.file == "projects.csv" and "权限" in problem.message_zh


@pytest.mark.parametrize("name", [LINES, "book.xlsx"])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, name: str) -> None:
    folder = _copy(tmp_path)
    target = folder / name if name == LINES else tmp_path / name
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    _, problems = read_dataset(folder if name == LINES else target)
    assert [p.code for p in problems] == ["not-a-file"]


# --- encodings (#12 entry, #13 item 6) -----------------------------------------------------------


def test_a_gbk_manifest_and_csv_load_with_notices(tmp_path: Path, example: Dataset) -> None:
    folder = _copy(tmp_path)
    for name in ("yusuan.toml", LINES):
        path = folder / name
        path.write_bytes(path.read_text("utf-8").encode("gbk"))
    loaded = read_dataset_noticed(folder)
    assert loaded.problems == [] and loaded.dataset == example
    assert sorted(n.file for n in loaded.notices) == [LINES, "yusuan.toml"]
    assert all("GB18030" in n.message_zh and "GB18030" in n.message_en for n in loaded.notices)


def test_a_bom_is_not_a_notice(tmp_path: Path, example: Dataset) -> None:
    folder = _copy(tmp_path)
    path = folder / LINES
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    loaded = read_dataset_noticed(folder)
    assert loaded.dataset == example and loaded.notices == []


def test_damaged_utf8_is_located_not_reread_as_gbk(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / LINES
    data = path.read_bytes()
    line_start = data.index(b"\n", data.index(b"\n") + 1) + 1  # line 3
    path.write_bytes(data[: line_start + 2] + b"\xff" + data[line_start + 2 :])
    _, problems = read_dataset(folder)
    problem = _only(problems, "encoding")
    assert (problem.file, problem.row) == (LINES, 3)


# --- the manifest (#12 entry, #13 item 6) -------------------------------------------------------


def test_a_missing_quote_is_one_located_problem_in_chinese_and_english(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    manifest = folder / "yusuan.toml"
    text = manifest.read_text("utf-8")
    line = text.split("\n").index('name = "中共临汾市委组织部"') + 1
    manifest.write_text(
        text.replace('name = "中共临汾市委组织部"', 'name = "中共临汾市委组织部', 1)
    )
    _, problems = read_dataset(folder)
    problem = _only(problems, "manifest-syntax")  # no follow-on "missing name" problems
    assert (problem.file, problem.row) == ("yusuan.toml", line)
    assert "引号" in problem.message_zh and "Illegal character" in problem.message_en


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (("year = 2021", 'year = "²⁰²¹"'), "[budget] “year（预算年度）”"),
        (("[department]", 'department = "x"\n[old-department]'), "“department”"),
        (("[[units]]", 'units = "x"\n[[old-units]]'), "“units”"),
        (("[[units]]", "rules = 1\n[[old-units]]"), "“rules”"),
    ],
)
def test_values_of_the_wrong_type_are_located_problems(
    tmp_path: Path, edit: tuple[str, str], where: str
) -> None:
    folder = _copy(tmp_path)
    manifest = folder / "yusuan.toml"
    text = manifest.read_text("utf-8")
    if edit[0] == "[[units]]":  # a top-level key: before every section, the units dropped
        text = text.split("\n[department]")[0] + "\n" + edit[1].split("\n")[0] + "\n[department]"
        text += manifest.read_text("utf-8").split("[department]")[1].split("[[units]]")[0]
    else:
        text = text.replace(*edit, 1)
    manifest.write_text(text, "utf-8")
    dataset, problems = read_dataset(folder)
    assert dataset is None
    assert any(where in p.where and p.row > 0 for p in problems), [str(p) for p in problems]


def test_a_unit_problem_names_its_block_not_a_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    manifest = folder / "yusuan.toml"
    text = manifest.read_text("utf-8")
    blocks = text.split("[[units]]")
    blocks[2] = blocks[2].replace('kind = "行政单位"', 'kind = "部队"', 1)
    manifest.write_text("[[units]]".join(blocks), "utf-8")
    _, problems = read_dataset(folder)
    problem = _only(problems, "manifest")
    assert problem.where == "yusuan.toml 第2个[[units]]块 “kind（单位性质）”"
    assert problem.where_en == "yusuan.toml, [[units]] block 2, key kind（单位性质）"


# --- amounts (#12 entry, #13 item 11) ------------------------------------------------------------


def test_formatted_amounts_read_exactly_and_the_conversion_is_said(
    tmp_path: Path, example: Dataset
) -> None:
    folder = _copy(tmp_path)
    _edit_line(folder / LINES, 2, ",2766900.00,", ',"2,766,900.00",')
    _edit_line(folder / LINES, 3, ",2307700.00,", ",230.77万元,")
    loaded = read_dataset_noticed(folder)
    assert loaded.problems == [] and loaded.dataset == example
    [notice] = loaded.notices
    assert (notice.file, notice.row, notice.column, notice.cell) == (LINES, 3, AMOUNT, "H3")
    assert "2,307,700.00 元" in notice.message_zh


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1.2E+06", "科学计数法"),
        ("2766900.001", "不足一分"),
        ("0.0000001万元", "不足一分"),
        ("1,000000", "应为金额"),
        ("1000000000000000", "上限"),
        ("-1000000000000000.00", "上限"),
        ("9" * 30, "上限"),
    ],
)
def test_ambiguous_or_out_of_range_amounts_name_the_cell(
    tmp_path: Path, text: str, reason: str
) -> None:
    folder = _copy(tmp_path)
    _edit_line(folder / LINES, 5, ",178600.00,", f',"{text}",')
    _, problems = read_dataset(folder)
    problem = _only(problems, "bad-value")
    assert (problem.row, problem.column, problem.cell) == (5, AMOUNT, "H5")
    assert reason in problem.message_zh


@pytest.mark.parametrize(
    "amount", ["999999999999999.99", "100000000000000.01", "-999999999999999.99", "0.01"]
)
def test_folder_workbook_folder_keeps_amounts_up_to_the_bound(
    tmp_path: Path, example: Dataset, amount: str
) -> None:
    line = replace(example.lines[0], amount=Decimal(amount))
    dataset = replace(example, lines=(line, *example.lines[1:]))
    save_dataset(dataset, tmp_path / "a")
    first, problems = read_dataset(tmp_path / "a")
    assert problems == [] and first is not None
    save_dataset(first, tmp_path / "a.xlsx")
    from_book, problems = read_dataset(tmp_path / "a.xlsx")
    assert problems == [] and from_book is not None
    assert from_book.lines[0].amount == Decimal(amount)
    save_dataset(from_book, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes(), path.name


# --- workbooks (#13 items 5, 6) -------------------------------------------------------------------


def _rewrite_part(book: Path, part: str, edit: object) -> None:
    """Rewrite one part of an xlsx zip through ``edit(bytes) -> bytes``."""
    with zipfile.ZipFile(book) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, edit(data) if info.filename == part else data)  # type: ignore[operator]


def _lines_part(book: Path) -> str:
    with zipfile.ZipFile(book) as source:
        names = [n for n in source.namelist() if n.startswith("xl/worksheets/sheet")]
    return sorted(names)[2]  # 说明, 单位, 预算明细


def test_a_stale_dimension_does_not_stop_reading(tmp_path: Path, example: Dataset) -> None:
    book = tmp_path / "book.xlsx"
    save_dataset(example, book)
    _rewrite_part(
        book,
        _lines_part(book),
        lambda data: re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:I50"', data),
    )
    dataset, problems = read_dataset(book)
    assert problems == [] and dataset is not None
    assert len(dataset.lines) == len(example.lines) == 118
    assert sum(x.amount for x in dataset.lines) == _csv_total(EXAMPLE / LINES)


def test_a_formula_without_a_saved_value_is_located_never_zero(
    tmp_path: Path, example: Dataset
) -> None:
    book = tmp_path / "book.xlsx"
    save_dataset(example, book)
    wb = load_workbook(book)
    wb["预算明细"]["H5"] = "=H3+H4"  # openpyxl saves formulas without a value, as Excel never does
    wb.save(book)
    _, problems = read_dataset(book)
    problem = _only(problems, "formula-without-value")
    assert (problem.file, problem.row, problem.cell) == ("book.xlsx:预算明细", 5, "H5")


def test_a_formula_with_its_saved_value_reads_the_value(tmp_path: Path, example: Dataset) -> None:
    book = tmp_path / "book.xlsx"
    save_dataset(example, book)
    _rewrite_part(
        book,
        _lines_part(book),
        lambda data: re.sub(rb'(<c r="H5"[^>]*>)<v>', rb"\1<f>H3-H4+H4</f><v>", data),
    )
    dataset, problems = read_dataset(book)
    assert problems == [] and dataset == example


def test_damaged_xml_inside_the_workbook_is_located(tmp_path: Path, example: Dataset) -> None:
    book = tmp_path / "book.xlsx"
    save_dataset(example, book)
    _rewrite_part(book, _lines_part(book), lambda data: data[: len(data) // 2])
    dataset, problems = read_dataset(book)
    assert dataset is None and problems
    assert all(p.file.startswith("book.xlsx") for p in problems)
    assert any("损坏" in p.message_zh for p in problems)


def test_a_chartsheet_named_like_a_data_sheet_is_located(tmp_path: Path, example: Dataset) -> None:
    book = tmp_path / "book.xlsx"
    save_dataset(example, book)
    wb = load_workbook(book)
    del wb["预算明细"]
    chart = BarChart()
    chart.add_data(Reference(wb["项目"], min_col=7, min_row=1, max_row=5), titles_from_data=True)
    wb.create_chartsheet("预算明细").add_chart(chart)
    wb.save(book)
    _, problems = read_dataset(book)
    problem = _only(problems, "not-a-worksheet")
    assert problem.file == "book.xlsx:预算明细" and "图表" in problem.message_zh


@pytest.mark.parametrize("content", [b"%PDF-1.7 not a workbook", b"", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_located(tmp_path: Path, content: bytes) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(content)
    _, problems = read_dataset(book)
    problem = _only(problems, "workbook")
    assert problem.file == "book.xlsx" and "xlsx" in problem.message_zh


def test_text_starting_with_equals_is_written_as_text_never_a_formula(
    tmp_path: Path, example: Dataset
) -> None:
    line = replace(example.lines[0], note='=HYPERLINK("http://example.invalid")')
    dataset = replace(example, lines=(line, *example.lines[1:]))
    save_dataset(dataset, tmp_path / "book.xlsx")
    with zipfile.ZipFile(tmp_path / "book.xlsx") as book:
        assert not any(b"<f>" in book.read(n) for n in book.namelist() if "worksheets" in n)
    again, problems = read_dataset(tmp_path / "book.xlsx")
    assert problems == [] and again == dataset


def test_the_command_line_prints_the_notices_and_still_succeeds(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from yusuan.cli import app

    folder = _copy(tmp_path)
    path = folder / LINES
    text = path.read_text("utf-8").replace(",2307700.00,", ",230.77万元,", 1)
    path.write_bytes(text.encode("gbk"))
    result = CliRunner().invoke(app, ["tables", str(folder), "-t", "1", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "GB18030" in result.stderr and "2,307,700.00 元" in result.stderr
    total = json.loads(result.stdout)[0]["rows"][-1]["values"]["expenditure"]
    assert total == "12347.83"  # the seed's published 合计 (万元)


def test_a_bad_cell_on_a_project_is_one_problem_not_one_per_line_naming_it(
    tmp_path: Path,
) -> None:
    folder = _copy(tmp_path)
    path = folder / "projects.csv"
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
    rows[1][rows[0].index("年度资金总额")] = "一百万"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    _, problems = read_dataset(folder)
    problem = _only(problems, "bad-value")
    assert (problem.file, problem.row, problem.column) == ("projects.csv", 2, "年度资金总额")


def test_a_sheet_that_starts_lower_and_further_right_is_located_as_excel_shows_it(
    tmp_path: Path, example: Dataset
) -> None:
    book = tmp_path / "book.xlsx"
    save_dataset(example, book)
    wb = load_workbook(book)
    sheet = wb["预算明细"]
    sheet.insert_rows(1, 2)  # two empty rows above the header, one empty column before it
    sheet.insert_cols(1)
    sheet["I7"] = "三千元"  # the amount of the 5th row of the sheet as written
    wb.save(book)
    _, problems = read_dataset(book)
    problem = _only(problems, "bad-value")
    assert (problem.row, problem.column, problem.cell) == (7, AMOUNT, "I7")
