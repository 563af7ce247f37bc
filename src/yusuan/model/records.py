"""The records: department, units, budget lines, projects, indicators, procurement items."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from yusuan.money import ZERO, MoneyUnit


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: a file (or sheet) and a 1-based row number (header = row 1)."""

    file: str
    row: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.row}" if self.row else self.file


NO_ORIGIN = Origin("<code>")


class UnitKind(enum.Enum):
    """单位性质: the kind of a budget unit, which decides economic mappings and 机关运行经费."""

    ADMINISTRATIVE = "行政单位"
    CIVIL_SERVICE_MANAGED = "参照公务员法管理事业单位"
    INSTITUTION = "事业单位"
    OTHER = "其他"

    @property
    def is_organ(self) -> bool:
        """行政单位 and 参公事业单位 count as 机关 (organs of state)."""
        return self in (UnitKind.ADMINISTRATIVE, UnitKind.CIVIL_SERVICE_MANAGED)


class ExpenseKind(enum.Enum):
    """支出类型: basic expenditure (基本支出) or project expenditure (项目支出)."""

    BASIC = "基本支出"
    PROJECT = "项目支出"


BASIC = ExpenseKind.BASIC
PROJECT = ExpenseKind.PROJECT


class BasicCategory(enum.Enum):
    """基本支出类别: personnel (人员经费) or operating (公用经费) expenditure."""

    PERSONNEL = "人员经费"
    OPERATING = "公用经费"


@dataclass(frozen=True, slots=True)
class Department:
    """部门: the department that publishes the budget."""

    code: str
    name: str
    region: str = ""
    level: str = ""


@dataclass(frozen=True, slots=True)
class Unit:
    """单位: a budget unit or a subordinate body of the department."""

    code: str
    name: str
    kind: UnitKind
    parent: str = ""
    origin: Origin = field(default=NO_ORIGIN, compare=False)


# 口径: whose disclosure a dataset is (see ``Scope``)
DEPARTMENT_SCOPE, UNIT_SCOPE = "部门", "单位"


@dataclass(frozen=True, slots=True)
class Scope:
    """口径: whose disclosure this is — a 部门预算 (the department: its 本级 and 下属单位
    consolidated) or a 单位预算 (one budget unit and the units below it); for a 单位, ``within``
    is the department it belongs to. The words each scope prints are data
    (``consolidation/data/scopes.toml``)."""

    level: str = DEPARTMENT_SCOPE
    within: Department | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    """清单: what the dataset is about."""

    department: Department
    year: int
    units: tuple[Unit, ...]
    kind: str = "预算"
    display_unit: MoneyUnit = MoneyUnit.WAN
    format_version: int = 1
    rules: dict[str, dict[str, str]] = field(default_factory=dict)
    accepted: tuple[Acceptance, ...] = ()
    # 上年数据集: the previous year's dataset, as written in yusuan.toml ([budget] prior_dataset),
    # a path relative to this dataset's folder (docs/dataset-format.md); "" when none
    prior_dataset: str = ""
    # 上年比较列: the comparison columns the tables print (keys of tables/data/prior_columns.toml:
    # prior, change, change_pct, in printing order); empty: none
    prior_columns: tuple[str, ...] = ()
    scope: Scope = Scope()
    # 目录年度: the fiscal year whose catalogues (科目) the dataset is read against, when it is not
    # the budget year ([budget] catalog_year; docs/dataset-format.md); 0: the budget year
    catalog_year: int = 0


# The keys an acceptance may name a place by (those of a finding's location).
ACCEPTANCE_KEYS = ("table", "row", "column", "project", "field")


@dataclass(frozen=True, slots=True)
class Acceptance:
    """已接受: a reviewer accepted one finding (``[[accepted]]`` in yusuan.toml), with the reason.

    ``place`` is the place as a check report prints it (位置); ``keys`` name it instead by some of
    table/row/column/project/field.
    """

    rule: str
    reason: str
    place: str = ""
    keys: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """预算明细: one amount of expenditure, the atom every table is computed from."""

    unit_code: str
    function_code: str
    economic_code: str
    source: str
    kind: ExpenseKind
    amount: Decimal
    category: BasicCategory | None = None
    project: str = ""
    note: str = ""
    origin: Origin = field(default=NO_ORIGIN, compare=False)


@dataclass(frozen=True, slots=True)
class Funds:
    """Funds by level of government (万元 on the form, 元 here)."""

    total: Decimal = ZERO
    central: Decimal = ZERO
    provincial: Decimal = ZERO
    city: Decimal = ZERO
    county: Decimal = ZERO
    self_raised: Decimal = ZERO

    def parts(self) -> tuple[Decimal, ...]:
        return (self.central, self.provincial, self.city, self.county, self.self_raised)


# how comparison operators typed in ASCII are printed
TYPOGRAPHIC_OPERATORS = {">=": "≥", "<=": "≤", "!=": "≠", "<>": "≠"}


@dataclass(frozen=True, slots=True)
class Indicator:
    """绩效指标: one third-level indicator with its first- and second-level parents."""

    project: str
    period: str  # 实施期 or 年度
    level1: str
    level2: str
    name: str
    operator: str
    value: str
    unit: str
    note: str = ""
    origin: Origin = field(default=NO_ORIGIN, compare=False)

    @property
    def display_value(self) -> str:
        """The value as recorded: operator + value + unit (e.g. ``>=90%``)."""
        return f"{self.operator}{self.value}{self.unit}"

    @property
    def published_value(self) -> str:
        """The value as yusuan publishes it: typographic operators (``≥90%``, never ``>=90%``)."""
        operator = TYPOGRAPHIC_OPERATORS.get(self.operator.strip(), self.operator)
        return f"{operator}{self.value}{self.unit}"


PERIOD_IMPLEMENTATION = "实施期"
PERIOD_YEAR = "年度"


@dataclass(frozen=True, slots=True)
class Project:
    """项目 with everything on its 绩效目标申报表 (performance-target declaration form)."""

    name: str
    department: str
    department_code: str
    implementing_unit: str
    attribute: str
    period: str
    period_funds: Funds
    year_funds: Funds
    overview: str = ""
    basis: str = ""
    necessity: str = ""
    measures: str = ""
    plan: str = ""
    period_goal: str = ""
    year_goal: str = ""
    person_in_charge: str = ""
    handler: str = ""
    phone: str = ""
    filled_on: date | None = None
    note: str = ""
    # 项目代码: the project's code in 预算管理一体化 (data element PRO_CODE), which keys a project
    # across years; "" when not given. Budget lines, indicators and procurement items refer to
    # the project by its name; the code is a fact of the project only.
    code: str = ""
    origin: Origin = field(default=NO_ORIGIN, compare=False)


@dataclass(frozen=True, slots=True)
class ProcurementItem:
    """政府采购: one procurement item, as declared."""

    unit_code: str
    kind: ExpenseKind
    project: str
    economic_code: str
    economic_name: str
    item_code: str
    item_name: str
    quantity: Decimal | None
    quantity_unit: str
    source: str
    amount: Decimal
    note: str = ""
    origin: Origin = field(default=NO_ORIGIN, compare=False)


@dataclass(frozen=True, slots=True)
class RevenueItem:
    """收入: revenue declared outside the lines (e.g. 上年结转)."""

    source: str
    category: str
    amount: Decimal
    note: str = ""
    origin: Origin = field(default=NO_ORIGIN, compare=False)


@dataclass(frozen=True, slots=True)
class PriorYearFigure:
    """上年数: a prior-year figure for comparison columns and the written explanation."""

    category: str
    key: str
    amount: Decimal
    note: str = ""
    origin: Origin = field(default=NO_ORIGIN, compare=False)


@dataclass(frozen=True, slots=True)
class Dataset:
    """One department's budget for one year: the single fact base of every table."""

    manifest: Manifest
    lines: tuple[BudgetLine, ...] = ()
    projects: tuple[Project, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    procurement: tuple[ProcurementItem, ...] = ()
    revenue: tuple[RevenueItem, ...] = ()
    prior_year: tuple[PriorYearFigure, ...] = ()
    # the department's own text of the written explanation (说明.md, Markdown): the parts the
    # figures cannot give (部门职责, 国有资产占用情况, reasons for changes)
    explanation: str = ""

    @property
    def year(self) -> int:
        return self.manifest.year

    @property
    def catalog_year(self) -> int:
        """The year whose catalogues the tables and rules use: ``catalog_year`` or the year."""
        return self.manifest.catalog_year or self.manifest.year

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.manifest.units if u.code == code), None)

    def project(self, name: str) -> Project | None:
        return next((p for p in self.projects if p.name == name), None)

    def project_by_code(self, code: str) -> Project | None:
        """The first project with the 项目代码 ``code`` (``None`` for a blank code)."""
        if not code:
            return None
        return next((p for p in self.projects if p.code == code), None)

    def indicators_of(self, project: str, period: str) -> Iterator[Indicator]:
        return (i for i in self.indicators if i.project == project and i.period == period)
