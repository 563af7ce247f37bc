"""A deterministic synthetic department of any size, for benchmarks (not for tests' expectations)."""

from __future__ import annotations

import random
from decimal import Decimal

from yusuan.catalog.loader import department_economic, function_classification
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


def synthetic_dataset(lines: int, projects: int, *, year: int = 2021, seed: int = 7) -> Dataset:
    rng = random.Random(seed)
    function = function_classification(year)
    general = sorted(e.code for e in function.at_level("项") if e.budget_kind == "一般公共预算")
    fund = sorted(e.code for e in function.at_level("项") if e.budget_kind == "政府性基金预算")
    economic = sorted(e.code for e in department_economic(year).at_level("款"))
    units = [Unit("900001", "合成部门本级", UnitKind.ADMINISTRATIVE)]
    units += [
        Unit(f"90000{i + 2}", f"合成下属单位{i + 1}", rng.choice(list(UnitKind)), "900001")
        for i in range(4)
    ]
    names = [f"合成项目{i:04d}" for i in range(projects)]
    records = []
    for index in range(lines):
        is_project = bool(names) and index % 2 == 1
        source = "政府性基金预算" if is_project and rng.random() < 0.1 else "一般公共预算"
        records.append(
            BudgetLine(
                unit_code=rng.choice(units).code,
                function_code=rng.choice(fund if source == "政府性基金预算" else general),
                economic_code=rng.choice(economic),
                source=source,
                kind=ExpenseKind.PROJECT if is_project else ExpenseKind.BASIC,
                amount=Decimal(rng.randint(100, 10**9)) / 100,
                category=None if is_project else rng.choice(list(BasicCategory)),
                project=names[index % len(names)] if is_project else "",
            )
        )
    totals: dict[str, Decimal] = {}
    for line in records:
        if line.project:
            totals[line.project] = totals.get(line.project, Decimal(0)) + line.amount
    project_records = []
    indicators = []
    for name in names:
        funds = Funds(total=totals.get(name, Decimal(0)), city=totals.get(name, Decimal(0)))
        project_records.append(
            Project(name, "合成部门", "900", "合成部门本级", "延续项目", "1年", funds, funds)
        )
        for period in ("实施期", "年度"):
            indicators.append(
                Indicator(name, period, "产出指标", "数量指标", "完成数量", ">=", "10", "项")
            )
            indicators.append(
                Indicator(
                    name, period, "满意度指标", "服务对象满意度指标", "满意度", ">=", "90", "%"
                )
            )
    procurement = (
        [
            ProcurementItem(
                "900001",
                ExpenseKind.PROJECT,
                names[i % len(names)],
                "30201",
                "",
                "A0602",
                "",
                Decimal(5),
                "张",
                "一般公共预算",
                Decimal(1000),
            )
            for i in range(min(projects, 50))
        ]
        if names
        else []
    )
    manifest = Manifest(Department("900", "合成部门", "某省某市", "市级"), year, tuple(units))
    return Dataset(
        manifest, tuple(records), tuple(project_records), tuple(indicators), tuple(procurement)
    )
