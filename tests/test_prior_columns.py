"""上年预算数 / 增减额 / 增减% (issue 11): the comparison columns a dataset may choose.

Expected figures are computed by hand from ``rulekit.clean_dataset`` (its lines are listed there):
201 一般公共服务支出 3,305,000.00 元 (2013201 2,385,000 + 2013202 500,000 + 2013250 420,000),
208 280,000, 212 2,000,000 (政府性基金), 221 120,000; 合计 5,705,000; “三公” 50,000 (公务接待费
20,000 + 公务用车运行维护费 30,000).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from rulekit import clean_dataset
from yusuan.dataset import load_dataset, read_dataset, save_dataset
from yusuan.model.records import Dataset, PriorYearFigure
from yusuan.render.cells import display
from yusuan.render.docx import docx_bytes
from yusuan.render.json_out import render_json
from yusuan.render.pdf import pdf_bytes
from yusuan.render.text import render_table
from yusuan.render.xlsx import workbook_bytes
from yusuan.tables import build_tables
from yusuan.tables.base import PERCENT, Table, check_header
from yusuan.tables.prior import parse_choice

ALL = ("prior", "change", "change_pct")

# Hand-chosen prior-year figures that add up (合计 = Σ 类 = Σ 收入来源).
PRIOR = (
    ("功能分类", "201", "3000000.00"),
    ("功能分类", "20132", "2900000.00"),
    ("功能分类", "2013201", "2200000.00"),
    ("功能分类", "208", "250000.00"),
    ("功能分类", "212", "2000000.00"),
    ("功能分类", "221", "100000.00"),
    ("合计", "支出合计", "5350000.00"),
    ("合计", "收入合计", "5350000.00"),
    ("收入来源", "一般公共预算", "3350000.00"),
    ("收入来源", "政府性基金预算", "2000000.00"),
    ("三公经费", "合计", "12800.00"),
    ("机关运行经费", "合计", "200000.00"),
)


def with_prior(
    dataset: Dataset,
    figures: tuple[tuple[str, str, str], ...] = PRIOR,
    columns: tuple[str, ...] = ALL,
) -> Dataset:
    records = tuple(PriorYearFigure(c, k, Decimal(a)) for c, k, a in figures)
    manifest = replace(dataset.manifest, prior_columns=columns)
    return replace(dataset, manifest=manifest, prior_year=records)


def tables_of(dataset: Dataset) -> dict[str, Table]:
    return {t.id: t for t in build_tables(dataset)}


def shown(table: Table, code: str, key: str, name: str | None = None) -> str:
    row = table.row(code, name)
    assert row is not None, code
    column = next(c for c in table.columns if c.key == key)
    return display(column, row.cell(column), table.unit)


def test_default_output_is_unchanged_by_prior_figures() -> None:
    """Prior-year records alone change no table: the columns are a layout choice."""
    plain = tables_of(clean_dataset())
    figures_only = tables_of(with_prior(clean_dataset(), columns=()))
    assert plain == figures_only


def test_expenditure_table_compares_every_row_with_a_figure() -> None:
    table = tables_of(with_prior(clean_dataset()))["expenditure"]
    keys = [c.key for c in table.columns]
    assert keys[-3:] == ["prior_total", "change_total", "change_pct_total"]
    row = table.row("201")
    assert row is not None
    assert row.values["prior_total"] == Decimal("3000000.00")
    assert row.values["change_total"] == Decimal("305000.00")
    # 305,000 / 3,000,000 = 10.1666…%: exact until shown, then 10.17
    assert row.values["change_pct_total"] != Decimal("10.17")
    assert shown(table, "201", "change_pct_total") == "10.17"
    assert shown(table, "20132", "change_total") == "40.50"  # 3,305,000 − 2,900,000 in 万元
    assert shown(table, "20132", "change_pct_total") == "13.97"  # 13.9655…
    assert shown(table, "2013201", "change_pct_total") == "8.41"  # 185,000 / 2,200,000
    assert shown(table, "212", "change_pct_total") == "0.00"  # unchanged: a rate of 0, shown
    total = table.total_row()
    assert total is not None
    assert total.values["change_total"] == Decimal("355000.00")
    assert shown(table, "", "change_pct_total", "合计") == "6.64"  # 355,000 / 5,350,000


def test_rows_without_a_figure_are_blank_and_noted() -> None:
    table = tables_of(with_prior(clean_dataset()))["expenditure"]
    row = table.row("2013202")
    assert row is not None
    assert "prior_total" not in row.values and "change_total" not in row.values
    assert any("本部门未提供上年预算数的行" in n and "2013202" in n for n in table.notes)


def test_a_zero_base_gives_no_rate_and_a_note() -> None:
    figures = (*PRIOR[:5], ("功能分类", "221", "0"))
    table = tables_of(with_prior(clean_dataset(), figures))["expenditure"]
    row = table.row("221")
    assert row is not None
    assert row.values["prior_total"] == 0
    assert row.values["change_total"] == Decimal("120000.00")
    assert "change_pct_total" not in row.values
    assert "上年预算数为0的行：221 住房保障支出，不计算增减%。" in table.notes


def test_the_rate_is_rounded_half_up_when_shown() -> None:
    """“三公” 50,000 against 12,800: 290.625% exactly, shown 290.63 (half up, not half even)."""
    table = tables_of(with_prior(clean_dataset()))["three-public"]
    (row,) = table.rows  # one top unit: its row is the total, and reads the 合计 figure
    assert row.values["change_pct_total"] == Decimal("290.625")
    assert shown(table, row.code, "change_pct_total") == "290.63"


def test_header_grid_holds_the_columns() -> None:
    tables = tables_of(with_prior(clean_dataset()))
    for table in tables.values():
        check_header(table.header, len(table.columns))
    expenditure = tables["expenditure"]
    cells = {c.text: c for c in expenditure.header}
    assert (cells["上年预算数"].row, cells["上年预算数"].rowspan) == (0, 2)
    assert (cells["比上年增减"].row, cells["比上年增减"].colspan) == (0, 2)
    assert cells["增减额"].row == 1 and cells["增减%"].row == 1
    summary = tables["income-expenditure"]
    income = next(c for c in summary.header if c.text == "收入")
    assert income.colspan == 5  # 项目 | 2021年 | 上年预算数 | 增减额 | 增减%
    assert summary.column_path(2) == ("收入", "上年预算数")


def test_two_sided_summary_reads_sources_and_classes() -> None:
    table = tables_of(with_prior(clean_dataset()))["income-expenditure"]
    general = next(r for r in table.rows if r.values.get("income_item") == "一、一般公共预算")
    assert general.values["prior_income"] == Decimal("3350000.00")
    assert general.values["change_income"] == Decimal("355000.00")  # 3,705,000 − 3,350,000
    assert general.values["prior_expenditure"] == Decimal("3000000.00")  # its 类 201
    fiscal = tables_of(with_prior(clean_dataset()))["fiscal"]
    total = fiscal.total_row()
    assert total is not None
    assert total.values["prior_income"] == Decimal("5350000.00")  # Σ of the rows' figures


def test_a_subset_of_columns() -> None:
    table = tables_of(with_prior(clean_dataset(), columns=("prior", "change_pct")))["expenditure"]
    assert [c.key for c in table.columns][-2:] == ["prior_total", "change_pct_total"]
    assert next(c for c in table.columns if c.key == "change_pct_total").kind == PERCENT
    assert "增减额" not in {c.text for c in table.header}


def test_every_format_prints_the_columns(tmp_path: Path) -> None:
    dataset = with_prior(clean_dataset())
    tables = build_tables(dataset)
    expenditure = next(t for t in tables if t.id == "expenditure")
    assert "增减%" in render_table(expenditure) and "10.17" in render_table(expenditure)
    data = json.loads(render_json([expenditure], []))
    (table_json,) = [t for t in data if t.get("id") == "expenditure"]
    assert {"key": "change_pct_total", "label": "增减%", "kind": "percent"} in table_json["columns"]
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(tables, [], title="t")))
    texts = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert {"上年预算数", "增减额", "增减%", "比上年增减"} <= texts
    with zipfile.ZipFile(io.BytesIO(docx_bytes(tables, [], title="t"))) as word:
        assert "上年预算数" in word.read("word/document.xml").decode("utf-8")
    assert pdf_bytes(tables, [], title="t").startswith(b"%PDF")


def test_parse_choice() -> None:
    assert parse_choice("上年预算数、增减额、增减%") == (ALL, [])
    assert parse_choice("增减% 上年预算数") == (("prior", "change_pct"), [])
    assert parse_choice("") == ((), [])
    assert parse_choice("上年预算数、同比") == (("prior",), ["同比"])


@pytest.mark.parametrize("suffix", ["", ".xlsx"])
def test_the_choice_survives_folder_and_workbook(tmp_path: Path, suffix: str) -> None:
    dataset = with_prior(clean_dataset(), columns=("prior", "change"))
    path = tmp_path / f"budget{suffix}"
    save_dataset(dataset, path)
    assert load_dataset(path).manifest.prior_columns == ("prior", "change")


def test_an_unknown_column_is_a_located_problem(tmp_path: Path) -> None:
    folder = tmp_path / "budget"
    save_dataset(with_prior(clean_dataset()), folder)
    manifest = folder / "yusuan.toml"
    text = manifest.read_text("utf-8")
    assert 'prior_columns = "上年预算数、增减额、增减%"' in text
    manifest.write_text(text.replace("增减额、", "同比、"), "utf-8")
    dataset, problems = read_dataset(folder)
    assert dataset is None
    (problem,) = problems
    assert problem.file == "yusuan.toml" and problem.row > 0
    assert "上年比较列" in problem.message_zh and "同比" in problem.message_zh


def test_columns_inserted_inside_a_heading_widen_it() -> None:
    """Inserted after a column that is not the last under its heading, the new columns stand
    under that heading too, and the grid stays whole."""
    from yusuan.tables.base import header_grid
    from yusuan.tables.prior import _insert_header

    header = header_grid(
        [("本年", 0, 0, 1, 2), ("项目", 0, 2, 2, 1), ("合计", 1, 0, 1, 1), ("其中", 1, 1, 1, 1)]
    )
    labels = [("prior", "上年预算数"), ("change", "增减额")]
    grid = _insert_header(header, 1, 0, labels, "比上年增减")
    check_header(grid, 5)
    assert next(c for c in grid if c.text == "本年").colspan == 4
    assert next(c for c in grid if c.text == "项目").col == 4


def test_full_width_percent_sign_is_accepted() -> None:
    assert parse_choice("上年预算数，增减％") == (("prior", "change_pct"), [])


def test_a_tiny_fall_shows_as_zero_not_minus_zero() -> None:
    from yusuan.money import MoneyUnit
    from yusuan.tables.base import Column

    rate = Column("change_pct_total", "增减%", PERCENT)
    assert display(rate, Decimal("-0.004"), MoneyUnit.WAN) == "0.00"
    assert display(rate, Decimal("-0.005"), MoneyUnit.WAN) == "-0.01"  # half away from zero
    assert display(rate, Decimal("12.345"), MoneyUnit.WAN) == "12.35"


def test_a_prior_figure_without_a_row_is_noted() -> None:
    """213 had 150,000.00 last year and has no line this year: the tables by function say so
    (15.00 万元), the 收支总表 too (its 类 rows are every 类 of the year, so 213 has a row there)."""
    figures = (*PRIOR, ("功能分类", "213", "150000.00"), ("功能分类", "2139999", "150000.00"))
    tables = tables_of(with_prior(clean_dataset(), figures))
    note = "上年预算数中另有本表未列的行：213（15.00）、2139999（15.00）。"
    assert note in tables["expenditure"].notes and note in tables["income"].notes
    summary = tables["income-expenditure"]
    assert not any("另有本表未列" in n for n in summary.notes)
    row = summary.row("213")
    assert row is not None and row.values["prior_expenditure"] == Decimal("150000.00")
