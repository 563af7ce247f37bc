"""Organisations, budgets and the budget's rows.

A budget's content is stored as rows that mirror the core's records one to one (money as integer
分), so that ``convert.dataset_of`` gives the core a ``Dataset`` and every table, finding and page
is computed there. ``row`` is the record's row number as in the dataset's CSV file (header = row
1), so a finding located at ``indicators.csv:17`` points at the indicator with ``row == 17``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from yusuan.model.records import UnitKind


class Region(models.Model):
    """行政区划: a region of the tree (province, city, county)."""

    code = models.CharField("区划编码", max_length=12, blank=True)
    name = models.CharField("名称", max_length=100, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        return self.name


class FinanceOffice(models.Model):
    """财政业务处: the finance-bureau office that reviews a set of departments."""

    name = models.CharField("名称", max_length=100, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "财政业务处"

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """部门 (主管部门): publishes one budget a year; its units prepare their parts."""

    region = models.ForeignKey(Region, verbose_name="行政区划", on_delete=models.PROTECT)
    code = models.CharField("部门编码", max_length=20, unique=True)
    name = models.CharField("部门名称", max_length=100)
    level = models.CharField("级次", max_length=20, blank=True)
    office = models.ForeignKey(
        FinanceOffice,
        verbose_name="归口业务处",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments",
    )

    class Meta:
        verbose_name = verbose_name_plural = "部门"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Unit(models.Model):
    """单位: a budget unit of a department; ``parent`` makes the unit tree."""

    KIND_CHOICES = [(k.value, k.value) for k in UnitKind]

    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.CASCADE, related_name="units"
    )
    code = models.CharField("单位编码", max_length=20)
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField("单位性质", max_length=30, choices=KIND_CHOICES)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["department__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "code"], name="unit_code_per_department")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def subtree_codes(self) -> set[str]:
        """This unit's code and those of every unit below it."""
        codes = {self.code}
        children: dict[int | None, list[Unit]] = {}
        for unit in Unit.objects.filter(department_id=self.department_id):
            children.setdefault(unit.parent_id, []).append(unit)
        pending = [self.pk]
        while pending:
            for child in children.get(pending.pop(), []):
                codes.add(child.code)
                pending.append(child.pk)
        return codes


class Role:
    """The roles (plain strings, so that code and the type checker see them as such)."""

    UNIT_OFFICER = "unit_officer"
    UNIT_REVIEWER = "unit_reviewer"
    DEPARTMENT = "department"
    BUSINESS_OFFICE = "business_office"
    PERFORMANCE = "performance"
    BUDGET_OFFICE = "budget_office"
    ADMIN = "admin"
    LABELS = {
        UNIT_OFFICER: "单位填报",
        UNIT_REVIEWER: "单位审核",
        DEPARTMENT: "主管部门",
        BUSINESS_OFFICE: "财政业务处",
        PERFORMANCE: "绩效处",
        BUDGET_OFFICE: "预算处",
        ADMIN: "管理员",
    }
    choices = list(LABELS.items())


class RoleAssignment(models.Model):
    """A user's role and its scope: a unit (单位 roles), a department (主管部门) or an office."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="roles",
    )
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="单位", null=True, blank=True, on_delete=models.CASCADE
    )
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.CASCADE
    )
    office = models.ForeignKey(
        FinanceOffice, verbose_name="业务处", null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = verbose_name_plural = "角色分配"

    def __str__(self) -> str:
        scope = self.unit or self.department or self.office or "全局"
        return f"{self.user} · {self.get_role_display()} · {scope}"


class Status:
    """The 两上两下 workflow states (docs/web.md has the diagram)."""

    DRAFT = "draft"
    UNIT_SUBMITTED = "unit_submitted"
    DEPARTMENT_REVIEWED = "department_reviewed"
    OFFICE_REVIEWED = "office_reviewed"
    PERFORMANCE_REVIEWED = "performance_reviewed"
    APPROVED = "approved"
    PUBLISHED = "published"
    LABELS = {
        DRAFT: "编制中",
        UNIT_SUBMITTED: "单位已提交（待主管部门审核）",
        DEPARTMENT_REVIEWED: "主管部门已审核（待业务处审核）",
        OFFICE_REVIEWED: "业务处已审核（待绩效处审核）",
        PERFORMANCE_REVIEWED: "绩效处已审核（待预算处审核）",
        APPROVED: "已批复",
        PUBLISHED: "已公开",
    }
    choices = list(LABELS.items())


class Budget(models.Model):
    """One version of a department's budget for a year; only a draft can be changed."""

    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveIntegerField("预算年度")
    version = models.PositiveIntegerField("版本", default=1)
    kind = models.CharField("类型", max_length=20, default="预算")
    display_unit = models.CharField("公开金额单位", max_length=10, default="万元")
    # 上年比较列 (the manifest's prior_columns: "上年预算数、增减额、增减%"); blank: none
    prior_columns = models.CharField("上年比较列", max_length=60, blank=True, default="")
    status = models.CharField("状态", max_length=30, choices=Status.choices, default=Status.DRAFT)
    narrative_text = models.TextField("说明文字（说明.md）", blank=True)
    rule_settings = models.JSONField("规则设置", default=dict, blank=True)
    based_on = models.ForeignKey(
        "self", verbose_name="调整自", null=True, blank=True, on_delete=models.PROTECT
    )
    revision = models.PositiveIntegerField("修订号", default=0)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "部门预算"
        ordering = ["department__code", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year", "version"], name="one_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department.name}{self.year}年部门预算（第{self.version}版）"

    @property
    def editable(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def state_key(self) -> str:
        """Names one state of this budget's own rows: a submitted or decided version never
        changes, a draft's revision does (the creation time tells a reused id apart)."""
        return f"{self.pk}|{self.created_at.isoformat()}|{self.revision}"


class Row(models.Model):
    """What every content row shares: its budget, its row number and an edit counter."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField("行号")
    revision = models.PositiveIntegerField("修订号", default=0)

    class Meta:
        abstract = True
        ordering = ["row"]


class Line(Row):
    """预算明细 (core: ``BudgetLine``)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    unit_code = models.CharField("单位编码", max_length=20)
    function_code = models.CharField("功能分类科目编码", max_length=7)
    economic_code = models.CharField("部门经济分类科目编码", max_length=5)
    source = models.CharField("资金来源", max_length=50)
    kind = models.CharField("支出类型", max_length=10)
    category = models.CharField("基本支出类别", max_length=10, blank=True)
    project = models.CharField("项目名称", max_length=200, blank=True)
    amount_fen = models.BigIntegerField("金额（分）")
    note = models.CharField("备注", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "预算明细"


FUND_PARTS = ("total", "central", "provincial", "city", "county", "self_raised")
FUND_LABELS = (
    "资金总额",
    "中央财政资金",
    "省级财政资金",
    "市级财政资金",
    "县级财政资金",
    "单位自筹",
)


class Project(Row):
    """项目 with its 绩效目标申报表 fields (core: ``Project``); funds in 分."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField("项目名称", max_length=200)
    # 项目代码 (一体化 PRO_CODE; core: Project.code): optional; one code on two projects is DAT-007
    code = models.CharField("项目代码", max_length=50, blank=True, default="")
    department_name = models.CharField("主管部门", max_length=100)
    department_code = models.CharField("主管部门代码", max_length=20)
    implementing_unit = models.CharField("实施单位", max_length=100)
    attribute = models.CharField("项目属性", max_length=20)
    period = models.CharField("项目期", max_length=20)
    period_total = models.BigIntegerField("实施期资金总额（分）", default=0)
    period_central = models.BigIntegerField("实施期中央财政资金（分）", default=0)
    period_provincial = models.BigIntegerField("实施期省级财政资金（分）", default=0)
    period_city = models.BigIntegerField("实施期市级财政资金（分）", default=0)
    period_county = models.BigIntegerField("实施期县级财政资金（分）", default=0)
    period_self_raised = models.BigIntegerField("实施期单位自筹（分）", default=0)
    year_total = models.BigIntegerField("年度资金总额（分）", default=0)
    year_central = models.BigIntegerField("年度中央财政资金（分）", default=0)
    year_provincial = models.BigIntegerField("年度省级财政资金（分）", default=0)
    year_city = models.BigIntegerField("年度市级财政资金（分）", default=0)
    year_county = models.BigIntegerField("年度县级财政资金（分）", default=0)
    year_self_raised = models.BigIntegerField("年度单位自筹（分）", default=0)
    overview = models.TextField("项目概况", blank=True)
    basis = models.TextField("立项依据", blank=True)
    necessity = models.TextField("项目设立必要性", blank=True)
    measures = models.TextField("保证项目实施的制度措施", blank=True)
    plan = models.TextField("项目实施计划", blank=True)
    period_goal = models.TextField("实施期总体目标", blank=True)
    year_goal = models.TextField("年度总体目标", blank=True)
    person_in_charge = models.CharField("负责人", max_length=50, blank=True)
    handler = models.CharField("经办人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    filled_on = models.DateField("填报日期", null=True, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "项目"


class Indicator(Row):
    """绩效指标 (core: ``Indicator``), attached to its project by name as in the dataset."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="indicators")
    project = models.CharField("项目名称", max_length=200)
    period = models.CharField("期间", max_length=10)
    level1 = models.CharField("一级指标", max_length=50)
    level2 = models.CharField("二级指标", max_length=50)
    name = models.CharField("三级指标", max_length=300)
    operator = models.CharField("运算符", max_length=10, blank=True)
    value = models.CharField("指标值", max_length=200, blank=True)
    unit = models.CharField("计量单位", max_length=50, blank=True)
    note = models.CharField("备注", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "绩效指标"


class Procurement(Row):
    """政府采购 (core: ``ProcurementItem``); the quantity kept as its exact text."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="procurement")
    unit_code = models.CharField("单位编码", max_length=20)
    kind = models.CharField("支出类型", max_length=10)
    project = models.CharField("项目名称", max_length=200, blank=True)
    economic_code = models.CharField("部门经济分类科目编码", max_length=5)
    economic_name = models.CharField("经济分类科目名称", max_length=100, blank=True)
    item_code = models.CharField("采购品目编码", max_length=20)
    item_name = models.CharField("采购品目名称", max_length=200)
    quantity = models.CharField("数量", max_length=30, blank=True)
    quantity_unit = models.CharField("计量单位", max_length=20, blank=True)
    source = models.CharField("资金来源", max_length=50)
    amount_fen = models.BigIntegerField("金额（分）")
    note = models.CharField("备注", max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "政府采购"


class Revenue(Row):
    """收入 declared outside the lines (core: ``RevenueItem``)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="revenue")
    source = models.CharField("资金来源", max_length=50)
    category = models.CharField("类别", max_length=50)
    amount_fen = models.BigIntegerField("金额（分）")
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "收入"


class PriorYear(Row):
    """上年数 (core: ``PriorYearFigure``)."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="prior_year")
    category = models.CharField("类别", max_length=50)
    key = models.CharField("项目", max_length=100)
    amount_fen = models.BigIntegerField("金额（分）")
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta(Row.Meta):
        verbose_name = verbose_name_plural = "上年数"


class Transition(models.Model):
    """One step of the workflow: who moved the budget from which state to which, when and why."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField("操作", max_length=30)
    from_status = models.CharField("原状态", max_length=30, choices=Status.choices)
    to_status = models.CharField("新状态", max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "流转记录"
        ordering = ["at", "pk"]


class Anchor:
    """What a comment is anchored to (``Comment.anchor``); ``Comment.key`` names it stably."""

    BUDGET = "budget"  # the budget as a whole (key "")
    LINE = "line"  # a budget line: its classification key (``comments.line_key``)
    PROJECT = "project"  # a project: its name
    FINDING = "finding"  # a finding: ``RULE@place`` (``entry.finding_key``)
    LABELS = {BUDGET: "整个预算", LINE: "预算明细", PROJECT: "项目", FINDING: "检查结果"}
    choices = list(LABELS.items())


class Comment(models.Model):
    """A reviewer's comment on the budget, a line, a project or a finding; ``target`` is the
    anchor as the reviewer saw it (e.g. ``第12行 …``), ``key`` finds it again in later versions."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    target = models.CharField("对象", max_length=300, blank=True)
    text = models.TextField("意见")
    # comment anchors (a line, project or finding, kept across versions)
    anchor = models.CharField("针对", max_length=10, choices=Anchor.choices, default=Anchor.BUDGET)
    key = models.CharField("对象标识", max_length=600, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见"
        ordering = ["at", "pk"]


class ControlFigure(models.Model):
    """控制数: the ceiling 预算处 sets for a department's year, by funding source; its history is
    the revision trail (who, when, before/after)."""

    department = models.ForeignKey(
        Department, verbose_name="部门", on_delete=models.CASCADE, related_name="control_figures"
    )
    year = models.PositiveIntegerField("预算年度")
    source = models.CharField("资金来源", max_length=50)
    amount_fen = models.BigIntegerField("控制数（分）")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "控制数"
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year", "source"], name="one_control_figure"
            )
        ]


class AcceptedFinding(models.Model):
    """A finding the department explains rather than fixes: the reason travels with the budget
    (and into its adjusted versions). A fatal finding still blocks submission."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="accepted")
    rule = models.CharField("规则", max_length=20)
    place = models.CharField("位置", max_length=500)
    reason = models.TextField("理由")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="说明人", null=True, on_delete=models.PROTECT
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "已说明的问题"
        ordering = ["rule", "place"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "rule", "place"], name="accept_once")
        ]


# --- 目录年度: the catalogue year of each budget year (docs/web.md) ----------------------------


def _validate_catalog_year(year: int) -> None:
    from django.core.exceptions import ValidationError

    from yusuan.catalog.loader import missing_catalogs

    missing = missing_catalogs(year)
    if missing:
        raise ValidationError(
            f"{year}年没有分类目录数据（{'、'.join(missing)}），请选择有目录数据的年度"
        )


class CatalogYear(models.Model):
    """目录年度: which year's catalogues (科目) the budgets of a budget year are read against
    (the manifest's ``catalog_year``); a budget year without a row uses its own catalogues."""

    budget_year = models.PositiveIntegerField("预算年度", unique=True)
    catalog_year = models.PositiveIntegerField(
        "目录年度", validators=[_validate_catalog_year], help_text="该预算年度选用哪一年的分类科目"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "目录年度"
        ordering = ["-budget_year"]

    def __str__(self) -> str:
        return f"{self.budget_year}年预算 → {self.catalog_year}年目录"
