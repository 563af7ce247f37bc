"""The catalogues are data: well formed, sourced, versioned by year and edition."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from yusuan.catalog.loader import (
    catalogs_for,
    department_economic,
    economic_mapping,
    expense_group_codes,
    function_classification,
    funding_source,
    funding_sources,
    government_code_for,
    government_economic,
    procurement_catalog,
    procurement_edition,
    short_procurement_code,
)
from yusuan.model.records import UnitKind

DATA = resources.files("yusuan.catalog").joinpath("data")


def _rows(path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(DATA.joinpath(path).open(encoding="utf-8")))


@pytest.mark.parametrize(
    "path",
    [
        "function/2021.csv",
        "economic/department.csv",
        "economic/government.csv",
        "procurement/2013.csv",
    ],
)
def test_every_entry_has_a_parent_a_source_and_a_confidence(path: str) -> None:
    rows = _rows(path)
    codes = {r["code"] for r in rows}
    assert len(codes) == len(rows), "codes are unique"
    for row in rows:
        assert row["name"].strip(), row
        assert row["source"].strip(), row
        assert row["confidence"] in ("high", "medium", "low"), row
        assert not row["parent"] or row["parent"] in codes, row


def test_function_levels_follow_code_length() -> None:
    for row in _rows("function/2021.csv"):
        assert {3: "类", 5: "款", 7: "项"}[len(row["code"])] == row["level"]
        assert row["code"].startswith(row["parent"])


def test_function_classes_of_2021_are_the_30_the_seed_lists() -> None:
    # the seed's 收支总表 lists these 30 classes in this order (seed lines 13-42)
    classes = [
        e.name for e in sorted(function_classification(2021).at_level("类"), key=lambda e: e.code)
    ]
    assert classes == [
        "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
        "文化旅游体育与传媒支出", "社会保障和就业支出", "社会保险基金支出", "卫生健康支出", "节能环保支出",
        "城乡社区支出", "农林水支出", "交通运输支出", "资源勘探工业信息等支出", "商业服务业等支出", "金融支出",
        "援助其他地区支出", "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出", "国有资本经营预算支出",
        "灾害防治及应急管理支出", "预备费", "其他支出", "转移性支出", "债务还本支出", "债务付息支出",
        "债务发行费用支出", "抗疫特别国债安排的支出",
    ]  # fmt: skip


def test_names_are_those_of_the_year() -> None:
    assert function_classification(2021).name("210") == "卫生健康支出"
    assert function_classification(2018).name("210") == "医疗卫生与计划生育支出"
    assert function_classification(2021).name("207") == "文化旅游体育与传媒支出"
    assert function_classification(2018).name("207") == "文化体育与传媒支出"


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("2013102", "一般行政管理事务"),
        ("20131", "党委办公厅（室）及相关机构事务"),
        ("2013250", "事业运行"),
        ("2080505", "机关事业单位基本养老保险缴费支出"),
        ("2120899", "其他国有土地使用权出让收入安排的支出"),
        ("21208", "国有土地使用权出让收入安排的支出"),
        ("2300301", "一般公共服务"),
        ("2210201", "住房公积金"),
    ],
)
def test_seed_function_codes(code: str, name: str) -> None:
    assert function_classification(2021).name(code) == name


def test_government_fund_codes_are_marked() -> None:
    function = function_classification(2021)
    entry = function.get("2120899")
    assert entry is not None and entry.budget_kind == "政府性基金预算"
    general = function.get("2013201")
    assert general is not None and general.budget_kind == "一般公共预算"


def test_economic_classifications_complete_at_class_level() -> None:
    department = department_economic(2021)
    assert {e.code for e in department.at_level("类")} >= {
        "301",
        "302",
        "303",
        "307",
        "309",
        "310",
        "312",
        "399",
    }
    assert department.name("30217") == "公务接待费"
    assert department.name("31013") == "公务用车购置"
    government = government_economic(2021)
    assert government.name("501") == "机关工资福利支出"
    assert government.name("50101") == "工资奖金津补贴"


def test_every_department_code_maps_for_both_unit_kinds() -> None:
    mapping = economic_mapping()
    government = government_economic(2021)
    for entry in department_economic(2021).at_level("款"):
        for kind in (UnitKind.ADMINISTRATIVE, UnitKind.INSTITUTION):
            target = government_code_for(entry.code, kind)
            assert target is not None, (entry.code, kind)
            assert target in government, (entry.code, target)
    assert mapping[("30101", "机关")] == "50101"
    assert government_code_for("30101", UnitKind.CIVIL_SERVICE_MANAGED) == "50101"
    assert government_code_for("30101", UnitKind.INSTITUTION) == "50501"


def test_procurement_editions() -> None:
    assert procurement_edition(2021) == "2013"
    assert procurement_edition(2022) == "2013"  # 财库〔2022〕31号 applies from 2023
    assert procurement_edition(2023) == "2022"
    assert procurement_edition(2017) == "2013"
    assert catalogs_for(2021).procurement_edition == "2013"
    old = procurement_catalog("2013")
    new = procurement_catalog("2022")
    assert old.name("A0602") == "台、桌类"
    assert old.name("A0605") == "柜类"
    assert len(new) == 4304
    assert new.name("A0201") != "" and new.get("A02010104") is not None
    assert short_procurement_code("A02010104") == "A02010104"
    assert short_procurement_code("A02000000") == "A02"


def test_funding_sources_resolve_by_alias() -> None:
    assert [s.name for s in funding_sources()][:2] == ["一般公共预算", "政府性基金预算"]
    general = funding_source("一般公共预算拨款收入")
    assert general is not None and general.is_fiscal and general.budget_kind == "一般公共预算"
    fund = funding_source("纳入预算管理的政府性基金")
    assert fund is not None and fund.budget_kind == "政府性基金预算"
    assert funding_source("事业收入") is not None
    assert funding_source("事业收入").is_fiscal is False  # type: ignore[union-attr]
    assert funding_source("天上掉的钱") is None


def test_expense_groups() -> None:
    assert expense_group_codes("三公经费", "公务接待费") == {"30217"}
    assert "30231" in expense_group_codes("三公经费", "公务用车运行维护费")
    assert "31013" in expense_group_codes("三公经费", "公务用车购置费")
    assert expense_group_codes("会议费") == {"30215"}
    assert expense_group_codes("培训费") == {"30216"}
