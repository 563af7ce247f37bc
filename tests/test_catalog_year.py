"""目录年度 (``[budget] catalog_year``): a dataset read against another year's catalogues.

The names expected below are those of ``catalog/data/function/2021.csv`` (20805
行政事业单位养老支出, 2080501 行政单位离退休) and of ``function/history.csv`` (the names valid up
to 2019: 行政事业单位离退休, 归口管理的行政单位离退休); the procurement editions are those of
``procurement/editions.csv`` (2013 before 2023, 2022 from 2023)."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

from paths import EXAMPLE
from yusuan.catalog.loader import catalogs_of, missing_catalogs
from yusuan.dataset import load_dataset, read_dataset, save_dataset
from yusuan.model.records import Dataset
from yusuan.rules import check_dataset
from yusuan.tables import build_tables


def _as_year(year: int, catalog_year: int = 0) -> Dataset:
    dataset = load_dataset(EXAMPLE)
    manifest = dataclasses.replace(dataset.manifest, year=year, catalog_year=catalog_year)
    return dataclasses.replace(dataset, manifest=manifest)


def _names(dataset: Dataset) -> dict[str, str]:
    table = next(t for t in build_tables(dataset) if t.id == "expenditure")
    return {row.code: row.name for row in table.rows if row.code}


def test_the_tables_use_the_catalogue_years_names() -> None:
    own = _names(_as_year(2022))
    assert own["20805"] == "行政事业单位养老支出"
    assert own["2080501"] == "行政单位离退休"
    older = _names(_as_year(2022, catalog_year=2019))
    assert older["20805"] == "行政事业单位离退休"
    assert older["2080501"] == "归口管理的行政单位离退休"
    # the same year given as catalog_year changes nothing
    assert _names(_as_year(2022, catalog_year=2022)) == own


def test_the_rules_read_the_catalogue_year() -> None:
    dataset = _as_year(2023, catalog_year=2022)
    assert dataset.catalog_year == 2022
    assert catalogs_of(dataset).procurement_edition == "2013"
    assert catalogs_of(_as_year(2023)).procurement_edition == "2022"
    # the example's procurement codes are of the 2013 edition: read against the 2023
    # catalogues (the 2022 edition) they are reported, against 2022's they are as in 2021
    own = {f.rule for f in check_dataset(_as_year(2021)).findings}
    older = {f.rule for f in check_dataset(dataset).findings}
    newer = {f.rule for f in check_dataset(_as_year(2023)).findings}
    assert older == own
    assert newer != own


def test_catalog_year_round_trips_through_folder_and_workbook(tmp_path: Path) -> None:
    dataset = _as_year(2022, catalog_year=2021)
    save_dataset(dataset, tmp_path / "folder")
    assert "catalog_year = 2021" in (tmp_path / "folder" / "yusuan.toml").read_text("utf-8")
    assert load_dataset(tmp_path / "folder").manifest.catalog_year == 2021
    save_dataset(dataset, tmp_path / "book.xlsx")
    assert load_dataset(tmp_path / "book.xlsx").manifest.catalog_year == 2021
    # absent: not written, 0 read back (the budget year is used)
    save_dataset(_as_year(2022), tmp_path / "plain")
    assert "catalog_year" not in (tmp_path / "plain" / "yusuan.toml").read_text("utf-8")
    assert load_dataset(tmp_path / "plain").catalog_year == 2022


def _with_line(tmp_path: Path, line: str) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(EXAMPLE, folder)
    manifest = folder / "yusuan.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace("[budget]\n", f"[budget]\n{line}\n", 1), "utf-8")
    return folder


def test_a_year_without_catalogue_data_is_a_located_error(tmp_path: Path) -> None:
    assert missing_catalogs(2017)  # the economic classifications start in 2018
    assert not missing_catalogs(2021)
    folder = _with_line(tmp_path, "catalog_year = 2017")
    dataset, problems = read_dataset(folder)
    assert dataset is None
    (problem,) = problems
    assert problem.file == "yusuan.toml"
    text = (folder / "yusuan.toml").read_text("utf-8").splitlines()
    assert text[problem.row - 1].startswith("catalog_year")
    assert "目录年度2017年没有分类目录数据" in problem.message_zh
    assert "部门预算支出经济分类科目" in problem.message_zh
    assert "no catalogue data" in problem.message_en


def test_a_catalog_year_that_is_not_a_year_is_a_located_error(tmp_path: Path) -> None:
    dataset, problems = read_dataset(_with_line(tmp_path, 'catalog_year = "二〇二一"'))
    assert dataset is None
    assert [p.code for p in problems] == ["manifest"]
    assert "目录年度应为" in problems[0].message_zh
