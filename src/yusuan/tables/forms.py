"""项目支出绩效目标申报表: each project's performance-target form as a structured document.

The form carries the project's fields, its funds for the implementation period and the year by
level of government, and the indicator tree (一级 → 二级 → 三级) for each period, in form order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yusuan.model.records import (
    PERIOD_IMPLEMENTATION,
    PERIOD_YEAR,
    Dataset,
    Funds,
    Indicator,
    Project,
)
from yusuan.money import MoneyUnit

# (label on the form, Funds attribute): the template's rows of the 项目资金 block
FUND_ROWS = (
    ("资金总额", "total"),
    ("中央财政资金", "central"),
    ("省级财政资金", "provincial"),
    ("市级财政资金", "city"),
    ("县级财政资金", "county"),
    ("单位自筹", "self_raised"),
)

# (label on the form, Project attribute): the text fields in form order
TEXT_FIELDS = (
    ("项目概况", "overview"),
    ("立项依据", "basis"),
    ("项目设立必要性", "necessity"),
    ("保证项目实施的制度、措施", "measures"),
    ("项目实施计划", "plan"),
)


@dataclass(frozen=True, slots=True)
class IndicatorBranch:
    """A run of indicators under one 一级 / 二级 pair, in form order."""

    level1: str
    level2: str
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True, slots=True)
class ProjectForm:
    title: str
    year: int
    unit: MoneyUnit
    project: Project
    period_indicators: tuple[Indicator, ...]
    year_indicators: tuple[Indicator, ...]

    def indicators(self, period: str) -> tuple[Indicator, ...]:
        return self.period_indicators if period == PERIOD_IMPLEMENTATION else self.year_indicators

    def tree(self, period: str) -> list[IndicatorBranch]:
        """Consecutive indicators with the same 一级/二级 grouped, as the form merges their labels."""
        branches: list[IndicatorBranch] = []
        for indicator in self.indicators(period):
            last = branches[-1] if branches else None
            if last and (last.level1, last.level2) == (indicator.level1, indicator.level2):
                branches[-1] = IndicatorBranch(
                    last.level1, last.level2, (*last.indicators, indicator)
                )
            else:
                branches.append(IndicatorBranch(indicator.level1, indicator.level2, (indicator,)))
        return branches


def form_title(dataset: Dataset) -> str:
    """E.g. 临汾市市级预算部门（单位）项目支出绩效目标申报表."""
    department = dataset.manifest.department
    region = department.region
    for marker in ("自治区", "省"):
        if marker in region:
            region = region.split(marker, 1)[1]
    return f"{region}{department.level}预算部门（单位）项目支出绩效目标申报表"


def forms_of(dataset: Dataset) -> list[ProjectForm]:
    title = form_title(dataset)
    by_project: dict[tuple[str, str], list[Indicator]] = {}
    for indicator in dataset.indicators:  # one pass, keeping form order
        by_project.setdefault((indicator.project, indicator.period), []).append(indicator)
    return [
        ProjectForm(
            title,
            dataset.year,
            dataset.manifest.display_unit,
            project,
            tuple(by_project.get((project.name, PERIOD_IMPLEMENTATION), ())),
            tuple(by_project.get((project.name, PERIOD_YEAR), ())),
        )
        for project in dataset.projects
    ]


def funds_rows(funds: Funds) -> list[tuple[str, object]]:
    return [(label, getattr(funds, attr)) for label, attr in FUND_ROWS]


def find_forms(name: str, forms: Sequence[ProjectForm]) -> list[ProjectForm]:
    """The form of the project named ``name``, or of the one project whose name contains it."""
    wanted = name.strip()
    exact = [f for f in forms if f.project.name == wanted]
    if exact or not wanted:
        return exact
    partial = [f for f in forms if wanted in f.project.name]
    return partial if len(partial) == 1 else []
