"""Every project form of the seed (funds, fields, every indicator value) comes out of yusuan as
published, mistakes included.

The expected values are in ``tests/golden/seed_forms.py``, transcribed from the seed by hand and
independently of the example dataset.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from golden.seed_forms import FORMS
from goldenkit import FUND_KEYS
from yusuan.model.records import Dataset
from yusuan.money import MoneyUnit, to_unit
from yusuan.render.json_out import form_object
from yusuan.tables.forms import ProjectForm


def test_all_24_forms_in_published_order(forms: list[ProjectForm]) -> None:
    assert [f.project.name for f in forms] == [g["name"] for g in FORMS]
    assert len(forms) == 24


def test_form_title_from_the_manifest(forms: list[ProjectForm]) -> None:
    assert forms[0].title == "临汾市市级预算部门（单位）项目支出绩效目标申报表"
    assert forms[0].year == 2021


@pytest.mark.parametrize("index", range(24), ids=[g["name"] for g in FORMS])
def test_form_funds_and_fields(forms: list[ProjectForm], index: int) -> None:
    gold = FORMS[index]
    project = forms[index].project
    for gold_key, funds in (
        ("period_funds", project.period_funds),
        ("year_funds", project.year_funds),
    ):
        for key, attr in FUND_KEYS.items():
            published = Decimal(gold[gold_key][key])
            assert to_unit(getattr(funds, attr), MoneyUnit.WAN) == published, f"{gold_key} {key}"
    assert project.department == gold["department"]
    assert project.department_code == gold["department_code"]
    assert project.implementing_unit == gold["implementing_unit"]
    assert project.attribute == gold["attribute"]
    assert project.period == gold["period"]
    assert project.person_in_charge == gold["person_in_charge"]
    assert project.phone == gold["phone"]
    assert project.handler == gold["handler"]
    assert (project.filled_on.isoformat() if project.filled_on else "") == gold["date"]


@pytest.mark.parametrize("index", range(24), ids=[g["name"] for g in FORMS])
def test_form_indicators(forms: list[ProjectForm], index: int) -> None:
    gold = FORMS[index]
    form = forms[index]
    for period, key in (("实施期", "period_indicators"), ("年度", "year_indicators")):
        ours = [(i.level1, i.level2, i.name, i.display_value) for i in form.indicators(period)]
        assert ours == [tuple(x) for x in gold[key]], f"{form.project.name} {period}"


def test_published_mistakes_are_kept(example: Dataset) -> None:
    # 组织部效能建设支出 prints the person's name and the phone swapped; the example keeps it so
    project = example.project("组织部效能建设支出")
    assert project is not None
    assert (project.person_in_charge, project.phone) == ("2090681", "景星")
    # 扶持壮大村级集体经济发展经费: the year value "=60个个" (unit doubled) as printed
    values = [
        i.display_value for i in example.indicators_of("扶持壮大村级集体经济发展经费", "年度")
    ]
    assert "=60个个" in values


def test_form_json_is_exact(forms: list[ProjectForm]) -> None:
    document = form_object(forms[11])  # 非公和社会组织党建工作指导员补助经费: 234.16 万元
    assert document["funds"]["year"]["total"] == "234.16"
    assert document["funds"]["implementation"]["total"] == "702.48"
    text = json.dumps(document, ensure_ascii=False)
    assert "234.16" in text and "e+" not in text
