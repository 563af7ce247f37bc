"""The dataset's record kinds and their columns, described once as data.

The CSV files, the XLSX sheets, the template written by ``yusuan init`` and the format
documentation all come from these descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a record file: its Chinese header, attribute, type and meaning."""

    header: str
    attr: str
    kind: str  # text | code | amount | quantity | date | choice
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    # A column added after datasets were written without it: a writer leaves it out while every
    # record's value is blank, so those datasets are written back unchanged (the template and
    # the docs always show it).
    omit_when_blank: bool = False


@dataclass(frozen=True, slots=True)
class RecordKind:
    """A kind of record: one CSV file in the folder, one sheet in the workbook."""

    key: str
    file: str
    sheet: str
    title: str
    optional: bool
    columns: tuple[Column, ...]

    def column(self, attr: str) -> Column:
        return next(c for c in self.columns if c.attr == attr)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


EXPENSE_KINDS = ("基本支出", "项目支出")
BASIC_CATEGORIES = ("人员经费", "公用经费")
PERIODS = ("实施期", "年度")

LINES = RecordKind(
    "lines",
    "budget_lines.csv",
    "预算明细",
    "预算明细 budget lines",
    False,
    (
        Column("单位编码", "unit_code", "code", True, help="单位编码, from the manifest's units"),
        Column(
            "功能分类科目编码",
            "function_code",
            "code",
            True,
            help="支出功能分类 项 code (7 digits)",
        ),
        Column(
            "部门经济分类科目编码",
            "economic_code",
            "code",
            True,
            help="部门预算支出经济分类 款 code (5 digits)",
        ),
        Column("资金来源", "source", "text", True, help="funding source, e.g. 一般公共预算"),
        Column("支出类型", "kind", "choice", True, EXPENSE_KINDS, "基本支出 or 项目支出"),
        Column(
            "基本支出类别",
            "category",
            "choice",
            False,
            BASIC_CATEGORIES,
            "人员经费 or 公用经费 (基本支出 only)",
        ),
        Column(
            "项目名称",
            "project",
            "text",
            False,
            help="project name as in projects.csv (项目支出 only)",
        ),
        Column("金额（元）", "amount", "amount", True, help="amount in 元, at most two decimals"),
        Column(
            "备注", "note", "text", help="note; 选定 marks a split that was chosen, not published"
        ),
    ),
)

_FUND_LEVELS = (
    ("中央财政资金", "central"),
    ("省级财政资金", "provincial"),
    ("市级财政资金", "city"),
    ("县级财政资金", "county"),
    ("单位自筹", "self_raised"),
)


def _fund_columns(prefix: str, attr_prefix: str) -> tuple[Column, ...]:
    total = Column(
        f"{prefix}资金总额",
        f"{attr_prefix}_total",
        "amount",
        True,
        help=f"{prefix} funds, total (元)",
    )
    parts = tuple(
        Column(
            f"{prefix}{label}",
            f"{attr_prefix}_{attr}",
            "amount",
            help=f"{prefix} funds: {label} (元)",
        )
        for label, attr in _FUND_LEVELS
    )
    return (total, *parts)


PROJECTS = RecordKind(
    "projects",
    "projects.csv",
    "项目",
    "项目 projects and their 绩效目标申报表",
    False,
    (
        Column("项目名称", "name", "text", True, help="project name, unique"),
        Column(
            "项目代码",
            "code",
            "code",
            help="项目代码 (PRO_CODE of 预算管理一体化), optional, unique; keys the project across years",
            omit_when_blank=True,
        ),
        Column("主管部门", "department", "text", help="主管部门 as printed on the form"),
        Column("主管部门代码", "department_code", "code", help="主管部门代码"),
        Column("实施单位", "implementing_unit", "text", help="implementing unit"),
        Column("项目属性", "attribute", "text", help="新增项目 / 延续项目"),
        Column("项目期", "period", "text", help="project period as printed, e.g. 1年"),
        *_fund_columns("实施期", "period"),
        *_fund_columns("年度", "year"),
        Column("项目概况", "overview", "text"),
        Column("立项依据", "basis", "text"),
        Column("项目设立必要性", "necessity", "text"),
        Column("保证项目实施的制度措施", "measures", "text"),
        Column("项目实施计划", "plan", "text"),
        Column("实施期总体目标", "period_goal", "text"),
        Column("年度总体目标", "year_goal", "text"),
        Column("负责人", "person_in_charge", "text"),
        Column("经办人", "handler", "text"),
        Column("联系电话", "phone", "text"),
        Column("填报日期", "filled_on", "date", help="YYYY-MM-DD"),
        Column("备注", "note", "text"),
    ),
)

INDICATORS = RecordKind(
    "indicators",
    "indicators.csv",
    "绩效指标",
    "绩效指标 performance indicators",
    False,
    (
        Column("项目名称", "project", "text", True, help="project name as in projects.csv"),
        Column("期间", "period", "choice", True, PERIODS, "实施期 or 年度"),
        Column("一级指标", "level1", "text", True, help="产出指标 / 效益指标 / 满意度指标 …"),
        Column("二级指标", "level2", "text", help="数量指标 / 质量指标 / 时效指标 / 成本指标 …"),
        Column("三级指标", "name", "text", True, help="indicator name"),
        Column(
            "运算符", "operator", "text", help="=, >=, <=, >, < or blank for a qualitative value"
        ),
        Column("指标值", "value", "text", help="the number or the qualitative text"),
        Column("计量单位", "unit", "text", help="unit of the value"),
        Column("备注", "note", "text"),
    ),
)

PROCUREMENT = RecordKind(
    "procurement",
    "procurement.csv",
    "政府采购",
    "政府采购 procurement items",
    True,
    (
        Column("单位编码", "unit_code", "code", True),
        Column("支出类型", "kind", "choice", True, EXPENSE_KINDS),
        Column("项目名称", "project", "text", True, help="project, or the basic-expenditure item"),
        Column("部门经济分类科目编码", "economic_code", "code", True),
        Column("经济分类科目名称", "economic_name", "text", help="economic name as declared"),
        Column("采购品目编码", "item_code", "code", True, help="政府采购品目 code"),
        Column("采购品目名称", "item_name", "text", help="item name as declared"),
        Column("数量", "quantity", "quantity"),
        Column("计量单位", "quantity_unit", "text"),
        Column("资金来源", "source", "text", True),
        Column("金额（元）", "amount", "amount", True),
        Column("备注", "note", "text"),
    ),
)

REVENUE = RecordKind(
    "revenue",
    "revenue.csv",
    "收入",
    "收入 revenue not derived from the lines",
    True,
    (
        Column("资金来源", "source", "text", True),
        Column("收入类别", "category", "choice", True, ("本年收入", "上年结转")),
        Column("金额（元）", "amount", "amount", True),
        Column("备注", "note", "text"),
    ),
)

PRIOR_YEAR = RecordKind(
    "prior_year",
    "prior_year.csv",
    "上年数",
    "上年数 prior-year figures",
    True,
    (
        Column(
            "类别",
            "category",
            "choice",
            True,
            (
                "收入来源",
                "功能分类",
                "经济分类",
                "三公经费",
                "机关运行经费",
                "合计",
                # added with prior_dataset (tables/prior_figures.py)
                "项目支出功能分类",
                "一般公共预算功能分类",
            ),
        ),
        Column("编码", "key", "text", True, help="code or item key"),
        Column("金额（元）", "amount", "amount", True),
        Column("备注", "note", "text"),
    ),
)

RECORD_KINDS: tuple[RecordKind, ...] = (
    LINES,
    PROJECTS,
    INDICATORS,
    PROCUREMENT,
    REVENUE,
    PRIOR_YEAR,
)

MANIFEST_FILE = "yusuan.toml"
MANIFEST_SHEET = "基本信息"
LEGACY_MANIFEST_SHEETS = ("说明",)  # the manifest sheet's name before the 情况说明 sheet existed
EXPLANATION_FILE = "说明.md"  # the written explanation's own text, in a dataset folder
EXPLANATION_SHEET = "情况说明"  # the same text in a workbook: one line of 说明.md per row
UNITS_SHEET = "单位"
RULES_SHEET = "规则设置"
UNIT_KINDS = ("行政单位", "参照公务员法管理事业单位", "事业单位", "其他")
