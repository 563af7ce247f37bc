"""Synthetic departments: valid budgets of any size, for benchmarks, demos and property tests.

``synthetic_dataset(rng, lines=…, projects=…)`` builds a budget that a careful finance officer
could have written: codes from the catalogues of the year, 人员经费 on 301/303, 机关运行经费 on the
catalogue's group, 行政运行 only for 机关 and 事业运行 only for 事业单位, government-fund money only
on fund codes, complete and consistent project forms, procurement within the project's lines.
Every rule should stay silent on it (rounding differences aside), which the property tests check.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from yusuan.catalog.loader import (
    PERSONNEL_CLASSES,
    department_economic,
    economic_function_pairs,
    expense_group_codes,
    function_classification,
    procurement_catalog,
    procurement_edition,
)
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
from yusuan.money import MoneyUnit, to_unit

GENERAL = "一般公共预算"
FUND = "政府性基金预算"
PEOPLE = ("张明", "李华", "王芳", "赵强", "刘洋", "陈静", "杨帆", "周敏")
THINGS = ("培训", "调研", "宣传", "信息化建设", "档案管理", "考核评估", "课题研究", "服务保障")


def year_codes(year: int) -> dict[str, list[str]]:
    function = function_classification(year)
    economic = department_economic(year)
    leaves = [e for e in function.at_level("项")]
    general = sorted(e.code for e in leaves if e.budget_kind == "一般公共预算")
    operating = sorted(c for c in expense_group_codes("机关运行经费") if c in economic)
    kuan = sorted(e.code for e in economic.at_level("款"))
    return {
        "general": general,
        "organ": [c for c in general if function.name(c) != "事业运行"],
        "institution": [c for c in general if function.name(c) != "行政运行"],
        "fund": sorted(e.code for e in leaves if e.budget_kind == "政府性基金预算"),
        "personnel": [c for c in kuan if c[:3] in PERSONNEL_CLASSES],
        "organ_operating": operating,
        "other_operating": [c for c in kuan if c[:3] in ("302", "310")],
        "project": [c for c in kuan if c[:3] in ("302", "303", "310", "399")],
        "procured": [c for c in operating if c.startswith("302")],
    }


def _amount(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(1_000, 500_000_000)) / 100


def function_code(rng: random.Random, codes: dict[str, list[str]], unit: Unit, source: str) -> str:
    if source == FUND:
        return rng.choice(codes["fund"])
    if unit.kind.is_organ:
        return rng.choice(codes["organ"])
    if unit.kind is UnitKind.INSTITUTION:
        return rng.choice(codes["institution"])
    return rng.choice(codes["general"])


def _basic_line(rng: random.Random, codes: dict[str, list[str]], unit: Unit) -> BudgetLine:
    personnel = rng.random() < 0.6
    if personnel:
        economic = rng.choice(codes["personnel"])
    elif unit.kind.is_organ:
        economic = rng.choice(codes["organ_operating"])  # 机关运行经费 is exactly these codes
    else:
        economic = rng.choice(codes["other_operating"])
    category = BasicCategory.PERSONNEL if personnel else BasicCategory.OPERATING
    function = function_code(rng, codes, unit, GENERAL)
    # an item that belongs to one function item goes there, and that function item holds no
    # other item (职业年金缴费 on 2080506 …: catalogue economic/function_pairs.csv)
    pairs = dict(economic_function_pairs())
    paired = {f: e for e, f in pairs.items()}
    if economic in pairs:
        function = pairs[economic]
    elif function in paired:
        economic = paired[function]
        category = BasicCategory.PERSONNEL if economic[:3] in PERSONNEL_CLASSES else category
    return BudgetLine(
        unit.code,
        function,
        economic,
        GENERAL,
        ExpenseKind.BASIC,
        _amount(rng),
        category,
    )


def project_line(
    rng: random.Random, codes: dict[str, list[str]], unit: Unit, project: str
) -> BudgetLine:
    """A project line of ``unit`` (one in ten from the government fund, when the year has fund
    codes)."""
    source = FUND if codes["fund"] and rng.random() < 0.1 else GENERAL
    return BudgetLine(
        unit.code,
        function_code(rng, codes, unit, source),
        rng.choice(codes["project"]),
        source,
        ExpenseKind.PROJECT,
        _amount(rng),
        project=project,
    )


def _project_texts(name: str, index: int, thing: str) -> dict[str, str]:
    # Each field says something different, so that no two fields (or projects) read alike.
    return {
        "overview": f"{name}由本部门组织实施，第{index}号专项主要围绕{thing}开展，覆盖全系统各业务处室。",
        "basis": f"依据《关于加强{thing}工作的实施意见》第{index}条和部门年度工作计划立项。",
        "necessity": f"不安排{name}将影响{thing}任务按期完成，设立该项目确有必要（编号{index}）。",
        "measures": f"执行部门财务管理制度和政府采购制度，{name}资金专款专用，按进度支付（{index}）。",
        "plan": f"{name}一季度启动{thing}，二、三季度全面实施，四季度完成验收，共分{index % 4 + 2}个阶段推进。",
        "period_goal": f"按期完成{name}确定的{thing}任务，质量达到验收标准（序号{index}）。",
        "year_goal": f"本年度完成{name}全部{thing}工作量，资金支出进度符合要求（序号{index}）。",
    }


def _indicators(name: str, funds: Decimal) -> list[Indicator]:
    wan = to_unit(funds, MoneyUnit.WAN)
    # the cost target is the funds, rounded down so that it never exceeds them
    cost = (
        (f"{wan.quantize(Decimal('0.01'), ROUND_FLOOR)}", "万元")
        if wan >= 1
        else (f"{funds:.2f}", "元")
    )
    rows = []
    for period in ("实施期", "年度"):
        rows += [
            Indicator(name, period, "产出指标", "数量指标", "完成工作任务数量", ">=", "20", "项"),
            Indicator(name, period, "产出指标", "质量指标", "验收合格率", ">=", "95", "%"),
            Indicator(name, period, "产出指标", "时效指标", "任务完成及时性", "", "及时", ""),
            Indicator(name, period, "产出指标", "成本指标", "项目总成本", "<=", *cost),
            Indicator(name, period, "效益指标", "社会效益指标", "工作效能提升", "", "明显提升", ""),
            Indicator(
                name, period, "满意度指标", "服务对象满意度指标", "服务对象满意度", ">=", "90", "%"
            ),
        ]
    return rows


SYNTHETIC_DEPARTMENT = Department("900", "合成部门", "某省某市", "市级")


def synthetic_dataset(
    rng: random.Random,
    *,
    lines: int = 1_000,
    projects: int = 100,
    units: int = 5,
    year: int = 2021,
    department: Department = SYNTHETIC_DEPARTMENT,
) -> Dataset:
    """A valid departmental budget with about ``lines`` budget lines and ``projects`` projects."""
    codes = year_codes(year)
    own = f"{department.code}001"
    unit_list = [Unit(own, f"{department.name}本级", UnitKind.ADMINISTRATIVE)]
    for index in range(1, units):
        kind = rng.choice(
            [UnitKind.CIVIL_SERVICE_MANAGED, UnitKind.INSTITUTION, UnitKind.ADMINISTRATIVE]
        )
        unit_list.append(Unit(f"{own}{index}", f"{department.name}下属单位{index}", kind, own))
    names = [f"合成项目{i:04d}" for i in range(projects)]
    budget: list[BudgetLine] = []
    seen: set[tuple[object, ...]] = set()
    for index in range(lines):
        unit = rng.choice(unit_list)
        if names and index % 2 == 1:
            line = project_line(rng, codes, unit_list[0], names[(index // 2) % len(names)])
        else:
            line = _basic_line(rng, codes, unit)
        key = (
            line.unit_code,
            line.function_code,
            line.economic_code,
            line.kind,
            line.category,
            line.project,
        )
        if key in seen:  # an exact repeat would be a duplicate line; merge it instead
            continue
        seen.add(key)
        budget.append(line)
    manifest = Manifest(department, year, tuple(unit_list), display_unit=MoneyUnit.WAN)
    return complete_dataset(rng, manifest, budget, names)


def complete_dataset(
    rng: random.Random, manifest: Manifest, budget: Sequence[BudgetLine], names: Sequence[str]
) -> Dataset:
    """The dataset around budget lines: a complete form for each project named in ``names`` that
    has lines (funds = its lines, indicators, texts) and procurement within the project lines."""
    department, year = manifest.department, manifest.year
    codes = year_codes(year)
    totals: dict[str, Decimal] = {}
    for line in budget:
        if line.project:
            totals[line.project] = totals.get(line.project, Decimal(0)) + line.amount
    project_records, indicators = [], []
    for index, name in enumerate(n for n in names if n in totals):
        funds = Funds(total=totals[name], city=totals[name])
        person, handler = rng.sample(PEOPLE, 2)
        texts = _project_texts(name, index + 1, THINGS[index % len(THINGS)])
        project_records.append(
            Project(
                name,
                department.name,
                department.code,
                department.name,
                "延续项目",
                "1年",
                funds,
                funds,
                overview=texts["overview"],
                basis=texts["basis"],
                necessity=texts["necessity"],
                measures=texts["measures"],
                plan=texts["plan"],
                period_goal=texts["period_goal"],
                year_goal=texts["year_goal"],
                person_in_charge=person,
                handler=handler,
                phone=f"0351-{rng.randint(2_000_000, 8_999_999)}",
                filled_on=date(year - 1, 12, 15),
            )
        )
        indicators += _indicators(name, totals[name])
    catalog = procurement_catalog(procurement_edition(year))
    item = "C081401" if "C081401" in catalog else sorted(catalog.entries)[-1]
    procurement = [
        ProcurementItem(
            line.unit_code,
            ExpenseKind.PROJECT,
            line.project,
            line.economic_code,
            "",
            item,
            "",
            Decimal(rng.randint(1, 50)),
            "批次",
            line.source,
            (line.amount / 2).quantize(Decimal("0.01")),
        )
        for line in budget
        if line.project and line.economic_code in codes["procured"] and line.amount >= 1
    ][:50]
    return Dataset(
        manifest,
        tuple(budget),
        tuple(project_records),
        tuple(indicators),
        tuple(procurement),
        explanation=explanation_text(department.name),
    )


def explanation_text(department: str) -> str:
    """The parts of a written explanation only a department can write (说明.md), so that a valid
    budget publishes no placeholder."""
    return (
        "## 部门职责及机构设置\n\n"
        f"{department}负责本行业的政策研究、规划和管理工作。本部门预算包括部门本级及所属单位。\n\n"
        "## 国有资产占用情况\n\n"
        "截至上年末，本部门共有车辆2辆，单位价值50万元以上的设备1台（套）。\n"
    )
