"""Hypothesis strategies: valid datasets of any shape, built from the catalogues' real codes."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from yusuan.catalog.loader import department_economic, function_classification, funding_sources
from yusuan.model.records import (
    BasicCategory,
    BudgetLine,
    Dataset,
    Department,
    ExpenseKind,
    Funds,
    Indicator,
    Manifest,
    ProcurementItem,
    Project,
    Unit,
    UnitKind,
)
from yusuan.money import MoneyUnit
from yusuan.synthetic import explanation_text

YEAR = 2021
_function = function_classification(YEAR)
GENERAL_CODES = sorted(e.code for e in _function.at_level("项") if e.budget_kind == "一般公共预算")
FUND_CODES = sorted(e.code for e in _function.at_level("项") if e.budget_kind == "政府性基金预算")
ECONOMIC_CODES = sorted(e.code for e in department_economic(YEAR).at_level("款"))
SOURCES = [s.name for s in funding_sources()]

amounts = st.integers(min_value=1, max_value=10**11).map(lambda cents: Decimal(cents) / 100)


@st.composite
def datasets(draw: st.DrawFn, max_lines: int = 40) -> Dataset:
    unit_count = draw(st.integers(1, 4))
    units = [Unit("100001", "测试单位", draw(st.sampled_from(list(UnitKind))))]
    for index in range(1, unit_count):
        parent = draw(st.sampled_from([u.code for u in units]))
        units.append(
            Unit(
                f"10000{index + 1}",
                f"下属单位{index}",
                draw(st.sampled_from(list(UnitKind))),
                parent,
            )
        )
    project_names = [f"项目{i}" for i in range(draw(st.integers(0, 5)))]
    lines = []
    for _ in range(draw(st.integers(1, max_lines))):
        source = draw(st.sampled_from(SOURCES))
        codes = FUND_CODES if source == "政府性基金预算" else GENERAL_CODES
        kind = ExpenseKind.PROJECT if project_names and draw(st.booleans()) else ExpenseKind.BASIC
        lines.append(
            BudgetLine(
                unit_code=draw(st.sampled_from([u.code for u in units])),
                function_code=draw(st.sampled_from(codes)),
                economic_code=draw(st.sampled_from(ECONOMIC_CODES)),
                source=source,
                kind=kind,
                amount=draw(amounts),
                category=draw(st.sampled_from(list(BasicCategory)))
                if kind is ExpenseKind.BASIC
                else None,
                project=draw(st.sampled_from(project_names)) if kind is ExpenseKind.PROJECT else "",
            )
        )
    projects = []
    indicators = []
    for name in project_names:
        year_total = sum((x.amount for x in lines if x.project == name), Decimal(0))
        funds = Funds(total=year_total, city=year_total)
        projects.append(
            Project(name, "测试部门", "100", "测试单位", "新增项目", "1年", funds, funds)
        )
        for period in ("实施期", "年度"):
            indicators.append(
                Indicator(name, period, "产出指标", "数量指标", "完成数量", ">=", "1", "项")
            )
    procurement = []
    for _ in range(draw(st.integers(0, 3))):
        kind = ExpenseKind.PROJECT if project_names and draw(st.booleans()) else ExpenseKind.BASIC
        procurement.append(
            ProcurementItem(
                unit_code=draw(st.sampled_from([u.code for u in units])),
                kind=kind,
                project=draw(st.sampled_from(project_names))
                if kind is ExpenseKind.PROJECT
                else "公用经费",
                economic_code=draw(st.sampled_from(ECONOMIC_CODES)),
                economic_name="",
                item_code="A0602",
                item_name="",
                quantity=draw(st.one_of(st.none(), st.integers(1, 999).map(Decimal))),
                quantity_unit="张",
                source=draw(st.sampled_from(SOURCES)),
                amount=draw(amounts),
            )
        )
    manifest = Manifest(
        Department("100", "测试部门"), YEAR, tuple(units), display_unit=MoneyUnit.WAN
    )
    return Dataset(
        manifest,
        tuple(lines),
        tuple(projects),
        tuple(indicators),
        tuple(procurement),
        explanation=explanation_text(manifest.department.name),
    )


@st.composite
def valid_datasets(draw: st.DrawFn, max_lines: int = 300) -> Dataset:
    """Budgets a careful officer could have written (yusuan.synthetic): every rule should pass."""
    import random

    from yusuan.synthetic import synthetic_dataset

    seed = draw(st.integers(0, 2**32 - 1))
    lines = draw(st.integers(1, max_lines))
    projects = draw(st.integers(0, 30))
    units = draw(st.integers(1, 5))
    return synthetic_dataset(random.Random(seed), lines=lines, projects=projects, units=units)
