"""绩效指标: each project's performance targets follow the framework (财预〔2015〕88号 classic
hierarchy and the 2021 指引, kept as data in ``catalog/data/performance/framework.csv``), and each
value is a measurable target that the project's own money can pay for.

Every period of a form should have 产出 (数量, 质量, 时效, 成本), 效益 and 满意度 indicators; a
quantitative value is an operator, a number and a unit (``≥90%``, ``≤30万元``); a cost is money and
no cost — nor all of them together — exceeds the period's funds; the implementation period and the
year of a one-year project state the same targets.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from yusuan.catalog.performance import (
    QUANTITATIVE,
    FrameworkEntry,
    Placement,
    label_key,
    performance_framework,
)
from yusuan.model.records import PERIOD_IMPLEMENTATION, PERIOD_YEAR, Indicator, Project
from yusuan.rules.base import Hit, Location, NotApplicable, Severity, money, rule
from yusuan.rules.checks.projects import TEXT_FIELDS, one_year, parse_period, project_location
from yusuan.rules.subject import Subject, half_unit
from yusuan.tables.forms import ProjectForm

ZERO = Decimal(0)
PERIODS = (PERIOD_IMPLEMENTATION, PERIOD_YEAR)

# roles of the framework's rows (catalog/data/performance/framework.csv, column ``role``)
OUTPUT, QUANTITY, QUALITY, TIMELINESS, COST = "output", "quantity", "quality", "timeliness", "cost"
BENEFIT, SATISFACTION = "benefit", "satisfaction"


# --- reading a value ----------------------------------------------------------------------

# comparison operators as printed (after NFKC, which turns ＝＞＜ into =><) -> canonical form
OPERATORS = {
    "=": "=",
    "==": "=",
    "≥": ">=",
    ">=": ">=",
    "≧": ">=",
    "⩾": ">=",
    "≤": "<=",
    "<=": "<=",
    "≦": "<=",
    "⩽": "<=",
    ">": ">",
    "<": "<",
}

MONEY_UNITS = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10_000),
    "亿元": Decimal(100_000_000),
}
# a magnitude printed without its unit (``≤1210000万``): read as the money it almost says
MAGNITUDES = {
    "十": Decimal(10),
    "百": Decimal(100),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "十万": Decimal(100_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
}
PERCENT = "%"

_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_LEADING_RE = re.compile(r"^(?P<op>[^\d\s.]{0,3}?)\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>\S{0,8})$")


@functools.lru_cache(maxsize=65536)
def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


@dataclass(frozen=True, slots=True)
class Value:
    """An indicator's value as read: operator (as printed and canonical), number, unit, text."""

    printed: str
    operator: str  # as printed, NFKC
    canonical: str | None  # =, >=, <=, >, < or None when missing or not a comparison
    number: Decimal | None
    unit: str
    text: str  # the qualitative value when there is no number

    @property
    def numeric(self) -> bool:
        return self.number is not None

    @property
    def is_percent(self) -> bool:
        return self.numeric and self.unit in (PERCENT, "％")

    def shown(self) -> str:
        return self.printed or "（空）"


@functools.lru_cache(maxsize=65536)
def read_value(operator: str, value: str, unit: str) -> Value:
    printed = f"{operator}{value}{unit}".strip()
    op, val, un = nfkc(operator), nfkc(value), nfkc(unit)
    if not op and val and not _NUMBER_RE.match(val):
        # the whole value typed into one cell: ``≥90%``, ``95%``; but ``12月底前`` is a text
        match = _LEADING_RE.match(val)
        if (
            match
            and not any("\u4e00" <= ch <= "\u9fff" for ch in match["op"])
            and (match["op"] or match["unit"] in (PERCENT, *MONEY_UNITS))
        ):
            op, val = match["op"], match["num"]
            un = un or match["unit"]
    if _NUMBER_RE.match(val):
        try:
            number: Decimal | None = Decimal(val.replace(",", ""))
        except InvalidOperation:  # pragma: no cover - the pattern guards this
            number = None
    else:
        number = None
    return Value(printed, op, OPERATORS.get(op), number, un, "" if number is not None else val)


def value_of(indicator: Indicator) -> Value:
    return read_value(indicator.operator, indicator.value, indicator.unit)


@dataclass(frozen=True, slots=True)
class CostUnit:
    factor: Decimal  # 元 per unit of the numerator
    per: tuple[str, ...]  # denominators of a unit cost (元/人·天 -> 人, 天)
    magnitude_only: bool  # ``万`` with no 元


_PER_SPLIT = re.compile(r"[·•・*×xX/]")


@functools.lru_cache(maxsize=4096)
def money_unit(unit: str) -> CostUnit | None:
    """元, 万元, 元/人, 元/人·天 …; ``万`` alone is read as 万元 but marked as such."""
    main, _, per = nfkc(unit).partition("/")
    dens = tuple(quantity_unit(d) for d in _PER_SPLIT.split(per) if d)
    if main in MONEY_UNITS:
        return CostUnit(MONEY_UNITS[main], dens, False)
    if main in MAGNITUDES and not per:
        return CostUnit(MAGNITUDES[main], (), True)
    return None


QUANTITY_ALIASES = {"名": "人", "位": "人", "日": "天", "个人": "人"}


def quantity_unit(unit: str) -> str:
    cleaned = nfkc(unit)
    return QUANTITY_ALIASES.get(cleaned, cleaned)


def doubled_unit(unit: str) -> bool:
    """``个个``, ``元元``, ``万元万元``: a unit printed twice."""
    size = len(unit)
    return size >= 2 and size % 2 == 0 and unit[: size // 2] == unit[size // 2 :]


# --- placing an indicator in the framework --------------------------------------------------


@functools.lru_cache(maxsize=16384)
def _place(scheme: str, level1: str, level2: str) -> Placement:
    return performance_framework().place(scheme, level1, level2)


@functools.lru_cache(maxsize=4096)
def _scheme_for(year: int, pairs: frozenset[tuple[str, str]]) -> str:
    return performance_framework().scheme_for(year, pairs)


_SCHEMES: dict[int, tuple[ProjectForm, str]] = {}


def scheme_of(form: ProjectForm) -> str:
    """The scheme a form follows: the one that places most of its distinct 一级/二级 pairs
    (remembered per form while the same forms are checked)."""
    known = _SCHEMES.get(id(form))
    if known is not None and known[0] is form:
        return known[1]
    pairs = frozenset(
        (i.level1, i.level2) for i in (*form.period_indicators, *form.year_indicators)
    )
    scheme = _scheme_for(form.year, pairs)
    if len(_SCHEMES) > 100_000:
        _SCHEMES.clear()
    _SCHEMES[id(form)] = (form, scheme)
    return scheme


def placement(scheme: str, indicator: Indicator) -> Placement:
    """Where an indicator falls in the framework, its 一级 resolved from its 二级 or name when
    the printed 一级 cannot be its own (see ``_resolve``)."""
    return _resolve(scheme, indicator.level1, indicator.level2, indicator.name)


@functools.lru_cache(maxsize=16384)
def satisfaction_name(scheme: str, name: str) -> bool:
    """A 二级/三级 name that measures satisfaction: it contains a name the framework gives its
    satisfaction entries (满意度, 服务对象满意度 …)."""
    key = label_key(name)
    return any(
        label_key(alias) in key
        for entry in performance_framework().entries
        if entry.scheme == scheme and entry.role == SATISFACTION
        for alias in entry.names()
    )


@functools.lru_cache(maxsize=16384)
def _resolve(scheme: str, level1: str, level2: str, name: str) -> Placement:
    """The 一级 column of a form is a merged cell: a row printed without its label inherits the
    one above, in the reader and in a transcription alike. So a 二级 the framework has under one
    other 一级 only (服务对象满意度 under 满意度指标) places the row there, and a row whose 二级 is
    not in the framework but whose 二级 or 三级 name measures satisfaction belongs to 满意度指标."""
    framework = performance_framework()
    placed = _place(scheme, level1, level2)
    if placed.known:
        return placed
    elsewhere = framework.level2_anywhere(scheme, level2)
    if elsewhere is not None:
        return Placement(scheme, framework.level1(scheme, elsewhere.level1), elsewhere)
    if satisfaction_name(scheme, level2) or satisfaction_name(scheme, name):
        first = next(
            (
                e
                for e in framework.entries
                if e.scheme == scheme and e.is_level1 and e.role == SATISFACTION
            ),
            None,
        )
        if first is not None:
            return Placement(scheme, first, None)
    return placed


def entry_of(scheme: str, indicator: Indicator) -> FrameworkEntry | None:
    """The framework entry an indicator's value is judged by: its second level when it is placed,
    else its first level."""
    placed = placement(scheme, indicator)
    return placed.level2 or placed.level1


def role_of(scheme: str, indicator: Indicator) -> str:
    entry = entry_of(scheme, indicator)
    return entry.role if entry is not None else ""


# --- locations ----------------------------------------------------------------------------


def indicator_location(project: Project, indicator: Indicator) -> Location:
    """An indicator row of a form; the dataset row when it came from ``indicators.csv``."""
    origin = indicator.origin
    return Location(
        project=project.name,
        field=f"{indicator.period}绩效指标 {indicator.level2 or indicator.level1}／{indicator.name}",
        file=origin.file if origin.row else "",
        line=origin.row,
    )


def _indicator_values(project: Project, indicator: Indicator, **more: object) -> dict[str, object]:
    return {
        "project": project.name,
        "period": indicator.period,
        "indicator": indicator.name,
        "value": value_of(indicator).shown(),
        **more,
    }


def _periods(form: ProjectForm) -> Iterator[tuple[str, tuple[Indicator, ...]]]:
    for period in PERIODS:
        indicators = form.indicators(period)
        if indicators:
            yield period, indicators


def period_funds(project: Project, period: str) -> Decimal:
    return (
        project.period_funds.total if period == PERIOD_IMPLEMENTATION else project.year_funds.total
    )


def _forms_with_indicators(subject: Subject) -> list[ProjectForm]:
    forms = [f for f in subject.need_forms() if f.period_indicators or f.year_indicators]
    if not forms:
        raise NotApplicable("没有绩效指标 / no performance indicators")
    return forms


def _each_indicator(subject: Subject) -> Iterator[tuple[ProjectForm, Indicator]]:
    """Every indicator of every form, with its form (implementation period first, then year)."""
    for form in _forms_with_indicators(subject):
        for _period, indicators in _periods(form):
            for indicator in indicators:
                yield form, indicator


def _funded_periods(
    subject: Subject,
) -> Iterator[tuple[ProjectForm, str, str, tuple[Indicator, ...], Decimal]]:
    """Each period of each form with indicators: form, scheme, period, indicators, the funds."""
    for form in _forms_with_indicators(subject):
        scheme = scheme_of(form)
        for period, indicators in _periods(form):
            yield form, scheme, period, indicators, period_funds(form.project, period)


def more_than_funds(subject: Subject, form: ProjectForm, amount: Decimal, funds: Decimal) -> bool:
    """Whether ``amount`` is more than the funds can be: a document prints its forms' funds
    rounded (0.02万元 may be up to 249.99元), a dataset gives them exactly."""
    slack = Decimal(0) if subject.exact else half_unit(form.unit.factor)
    return amount > funds + slack


def _hit(project: Project, indicator: Indicator, **more: object) -> Hit:
    """A finding on one indicator row, with the usual values and ``more``."""
    return Hit(
        indicator_location(project, indicator), _indicator_values(project, indicator, **more)
    )


_EXAMPLE = {
    "project": "干部培训经费",
    "period": "年度",
    "indicator": "培训人数",
    "value": "=60个个",
}


# --- completeness -------------------------------------------------------------------------


@rule(
    "IND-001",
    group="indicator",
    severity=Severity.WARNING,
    title=("缺少必设的绩效指标类别", "A required kind of performance indicator is missing"),
    message=(
        "项目“{project}”的{period}绩效指标中没有“{category}”",
        "project “{project}”: the {period} targets have no “{category}” indicator",
    ),
    basis="财预〔2015〕88号 申报表 / 财预〔2021〕101号 指引 (standards §3.4, §3.5: at least one "
    "indicator in each first-level category); framework.csv column required",
    fix="按指标体系补充该类指标；放在其他一级指标下的满意度、成本指标应移到相应一级指标下。",
    example={"project": "干部培训经费", "period": "年度", "category": "满意度指标"},
)
def required_categories(subject: Subject) -> Iterator[Hit]:
    framework = performance_framework()
    for form in _forms_with_indicators(subject):
        scheme = scheme_of(form)
        required = framework.required(scheme)
        for period, indicators in _periods(form):
            covered: set[str] = set()
            for indicator in indicators:
                covered |= placement(scheme, indicator).roles()
            missing_first = {e.level1 for e in required if e.is_level1 and e.role not in covered}
            for entry in required:
                if entry.role in covered:
                    continue
                if not entry.is_level1 and entry.level1 in missing_first:
                    continue  # the whole first level is missing: said once
                yield Hit(
                    Location(project=form.project.name, field=f"{period}绩效指标"),
                    {"project": form.project.name, "period": period, "category": entry.label},
                )


@rule(
    "IND-002",
    group="indicator",
    severity=Severity.WARNING,
    title=("申报表缺少某一期间的绩效指标", "The form has no indicators for a period"),
    message=(
        "项目“{project}”的申报表没有{missing}绩效指标",
        "project “{project}”: the form has no {missing_en} performance indicators",
    ),
    basis="绩效目标申报表 (standards §3.3): targets for the implementation period and for the "
    "year (a one-year project's implementation period is its year: one set is enough); "
    "standards §3.5: at least one indicator in each first-level category",
    fix="补充填写该期间的绩效目标和指标。",
    example={"project": "干部培训经费", "missing": "年度", "missing_en": "年度 (year)"},
)
def both_periods_have_indicators(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        present = [p for p in PERIODS if form.indicators(p)]
        if len(present) == len(PERIODS) or (present and one_year(form.project)):
            continue  # a one-year project's period is its year: one set of targets is enough
        if present:
            missing = next(p for p in PERIODS if p not in present)
            english = f"{missing} ({'year' if missing == PERIOD_YEAR else 'implementation period'})"
        else:
            missing, english = "任何", "any"
        yield Hit(
            Location(project=form.project.name, field=f"{missing}绩效指标"),
            {"project": form.project.name, "missing": missing, "missing_en": english},
        )


@rule(
    "IND-003",
    group="indicator",
    severity=Severity.INFO,
    title=("指标层级不在指标体系中", "Indicator levels not in the framework"),
    message=(
        "项目“{project}”{period}指标“{indicator}”的一级/二级指标“{levels}”不在指标体系中",
        "project “{project}”: {period} indicator “{indicator}” is filed under “{levels}”, "
        "which is not in the framework",
    ),
    basis="财预〔2015〕88号 / 财预〔2021〕101号 indicator hierarchy (standards §3.4; "
    "catalog/data/performance/framework.csv). A 二级 the framework has under another 一级 places "
    "the row there: the 一级 column is a merged cell a row may not have printed",
    fix="按指标体系选择一级、二级指标（如 满意度指标—服务对象满意度指标）。",
    example={
        "project": "干部培训经费",
        "period": "年度",
        "indicator": "工作能力提升",
        "levels": "效益指标／工作成效",
    },
)
def levels_in_framework(subject: Subject) -> Iterator[Hit]:
    framework = performance_framework()
    for form in _forms_with_indicators(subject):
        scheme = scheme_of(form)
        reported: set[tuple[str, str, str]] = set()
        for period, indicators in _periods(form):
            for indicator in indicators:
                placed = placement(scheme, indicator)
                if placed.level2 is not None or any(
                    _place(s, indicator.level1, indicator.level2).known for s in framework.schemes
                ):
                    continue
                level1 = placed.level1.level1 if placed.level1 is not None else indicator.level1
                key = (period, level1, indicator.level2)
                if key in reported:
                    continue
                reported.add(key)
                yield Hit(
                    indicator_location(form.project, indicator),
                    {
                        "project": form.project.name,
                        "period": period,
                        "indicator": indicator.name,
                        "levels": f"{level1}／{indicator.level2}",
                    },
                )


# --- the value ----------------------------------------------------------------------------


@rule(
    "IND-004",
    group="indicator",
    severity=Severity.INFO,
    title=("指标值的运算符无效", "Indicator value without a valid comparison operator"),
    message=(
        "项目“{project}”{period}指标“{indicator}”的指标值“{value}”{problem}",
        "project “{project}”: {period} indicator “{indicator}” value “{value}” {problem_en}",
    ),
    basis="standards §3.5: a quantitative value is an operator (＝ ≥ ≤ ＞ ＜), a number and a unit",
    fix="运算符只用 =、≥、≤、>、<（或 >=、<=）。",
    example={
        **_EXAMPLE,
        "value": "+100%",
        "problem": "的运算符“+”不是比较符号",
        "problem_en": "has “+”, which is not a comparison",
    },
)
def valid_operator(subject: Subject) -> Iterator[Hit]:
    for form, indicator in _each_indicator(subject):
        value = value_of(indicator)
        if value.operator and value.canonical is None:
            problem = f"的运算符“{value.operator}”不是比较符号"
            problem_en = f"has “{value.operator}”, which is not a comparison"
        elif value.numeric and not value.operator:
            problem, problem_en = "缺少运算符", "has no operator"
        else:
            continue
        yield _hit(form.project, indicator, problem=problem, problem_en=problem_en)


@rule(
    "IND-005",
    group="indicator",
    severity=Severity.WARNING,
    title=("计量单位缺失或有误", "Unit missing or malformed"),
    message=(
        "项目“{project}”{period}指标“{indicator}”的指标值“{value}”{problem}",
        "project “{project}”: {period} indicator “{indicator}” value “{value}” {problem_en}",
    ),
    basis="standards §3.5: a quantitative value needs a number and a unit",
    fix="填写计量单位（如 人、次、%、万元），数量级“万”“亿”后应写明单位（万元、万人）。",
    example={
        **_EXAMPLE,
        "problem": "的计量单位“个个”重复",
        "problem_en": "repeats its unit “个个”",
    },
)
def unit_well_formed(subject: Subject) -> Iterator[Hit]:
    for form, indicator in _each_indicator(subject):
        value = value_of(indicator)
        if not value.numeric:
            continue
        unit = value.unit
        if not unit:
            problem, problem_en = "缺少计量单位", "has no unit"
        elif doubled_unit(unit):
            problem = f"的计量单位“{unit}”重复"
            problem_en = f"repeats its unit “{unit}”"
        elif unit in MAGNITUDES:
            problem = f"只有数量级“{unit}”，没有计量单位（如 {unit}元、{unit}人）"
            problem_en = f"has only the magnitude “{unit}”, no unit (e.g. {unit}元)"
        else:
            continue
        yield _hit(form.project, indicator, problem=problem, problem_en=problem_en)


@rule(
    "IND-006",
    group="indicator",
    severity=Severity.WARNING,
    title=("计量单位与指标类别不符", "Unit does not fit the kind of indicator"),
    message=(
        "项目“{project}”{period}{category}“{indicator}”的指标值“{value}”{problem}",
        "project “{project}”: {period} {category} “{indicator}” value “{value}” {problem_en}",
    ),
    basis="standards §3.5: 成本指标 are measured in money against the 预算支出标准; 数量指标 count "
    "outputs, not money (no input amounts as 产出 targets, dybbs8)",
    fix="成本指标用货币单位（元、万元、元/人等）；数量指标填写产出的数量，不填资金额。",
    example={
        **_EXAMPLE,
        "category": "成本指标",
        "value": "≤7031人",
        "problem": "不是货币单位",
        "problem_en": "is not in money",
    },
)
def unit_fits_category(subject: Subject) -> Iterator[Hit]:
    for form, indicator in _each_indicator(subject):
        value = value_of(indicator)
        if not value.numeric or not value.unit or value.unit in MAGNITUDES:
            continue  # missing or magnitude-only units are IND-005
        role = role_of(scheme_of(form), indicator)
        unit = money_unit(value.unit)
        if role == COST and unit is None:
            problem, problem_en = "不是货币单位", "is not in money"
        elif role == QUANTITY and unit is not None and not unit.per:
            problem, problem_en = "是资金额，不是产出数量", "is money, not a quantity of output"
        else:
            continue
        yield _hit(
            form.project,
            indicator,
            category=indicator.level2 or indicator.level1,
            problem=problem,
            problem_en=problem_en,
        )


_GROWTH_RE = re.compile(r"增长|增幅|增速|提高|提升|同比|环比|倍")


@rule(
    "IND-007",
    group="indicator",
    severity=Severity.WARNING,
    title=("百分比超出0–100", "Percentage outside 0–100"),
    message=(
        "项目“{project}”{period}指标“{indicator}”的百分比“{value}”不在0–100%之间",
        "project “{project}”: {period} indicator “{indicator}” percentage “{value}” is not "
        "within 0–100%",
    ),
    basis="standards §3.5: percentages lie in 0–100 (growth rates excepted)",
    fix="核对百分比数值。",
    example={**_EXAMPLE, "indicator": "培训合格率", "value": "≥950%"},
)
def percentages_in_range(subject: Subject) -> Iterator[Hit]:
    for form, indicator in _each_indicator(subject):
        value = value_of(indicator)
        if (
            value.is_percent
            and value.number is not None
            and not ZERO <= value.number <= 100
            and not _GROWTH_RE.search(indicator.name)
        ):
            yield _hit(form.project, indicator)


# --- costs against the funds --------------------------------------------------------------

_PER_UNIT_NAME_RE = re.compile(
    r"人均|户均|生均|次均|村均|单价|单位成本|平均|每(?:个|名|位)?(?:人次|人|天|日|次|期|场|户|村|"
    r"名|件|份|册|台|套|班|月|年|课时|学时|个|批)"
)
_PER_NAME_RE = re.compile(
    r"每(个|名|位)?(人次|人|天|日|次|期|场|户|村|名|件|份|册|台|套|班|月|年|课时|学时|批)?|"
    r"(人|户|次|村)均"
)
_TOTAL_NAME_RE = re.compile(r"总成本|总费用|总额|总计|合计|总支出|总投入|总经费|资金总")


@dataclass(frozen=True, slots=True)
class Cost:
    indicator: Indicator
    yuan: Decimal
    per: tuple[str, ...]  # what one unit of the cost is for (人, 天 …); () for a total


def per_unit_of(indicator: Indicator, unit: CostUnit) -> tuple[str, ...] | None:
    """What a unit cost is per (``元/人·天`` or a name like ``每人每天培训费``); None for a total.

    A name that states a rate inside a sentence about a total (``按照每村20万元标准…``) is a total.
    """
    if unit.per:
        return unit.per
    name = nfkc(indicator.name)
    if "标准" in name or not _PER_UNIT_NAME_RE.search(name):
        return None
    dens: list[str] = []
    for match in _PER_NAME_RE.finditer(name):
        if match.group(3):
            dens.append(quantity_unit(match.group(3)))
        elif match.group(2):
            dens.append(quantity_unit(match.group(2)))
        elif match.group(1):
            dens.append("个")
    return tuple(dens) if dens else ("?",)


def costs(scheme: str, indicators: Sequence[Indicator]) -> list[Cost]:
    """The money of each cost indicator in 元 (missing units and non-money units left out)."""
    found = []
    for indicator in indicators:
        if role_of(scheme, indicator) != COST:
            continue
        value = value_of(indicator)
        unit = money_unit(value.unit) if value.numeric else None
        if unit is None or value.number is None:
            continue
        per = per_unit_of(indicator, unit)
        found.append(Cost(indicator, value.number * unit.factor, per or ()))
    return found


@rule(
    "IND-008",
    group="indicator",
    severity=Severity.FATAL,
    title=("成本指标超过项目资金", "A cost indicator exceeds the project's funds"),
    message=(
        "项目“{project}”{period}成本指标“{indicator}”为“{value}”（{amount}），超过{period}资金总额 "
        "{funds}",
        "project “{project}”: {period} cost indicator “{indicator}” is “{value}” ({amount}), "
        "more than the {period} funds {funds}",
    ),
    basis="standards §3.5: a cost indicator ≤ the budget standard; the form's funds are the "
    "project's money for the period (exact 元 conversion: 1万元 = 10000元)",
    fix="核对成本指标的数值和单位（元与万元），成本不能超过项目资金。",
    example={
        **_EXAMPLE,
        "indicator": "对市县的补助支出",
        "value": "≤1210000万",
        "amount": "1,210,000.00万元",
        "funds": "166.00万元",
    },
)
def cost_within_funds(subject: Subject) -> Iterator[Hit]:
    for form, scheme, _period, indicators, funds in _funded_periods(subject):
        for cost in costs(scheme, indicators):
            if not cost.per and more_than_funds(subject, form, cost.yuan, funds):
                yield _hit(
                    form.project, cost.indicator, amount=money(cost.yuan), funds=money(funds)
                )


@rule(
    "IND-009",
    group="indicator",
    severity=Severity.FATAL,
    title=("成本指标合计超过项目资金", "Cost indicators together exceed the project's funds"),
    message=(
        "项目“{project}”{period}的{count}项成本指标合计 {amount}，超过{period}资金总额 {funds}"
        "（{items}）",
        "project “{project}”: the {count} {period} cost indicators add up to {amount}, more than "
        "the {period} funds {funds} ({items})",
    ),
    basis="standards §3.5: cost indicators are parts of the project's cost; together they cannot "
    "exceed its funds. A cost named as a total (总成本, 合计) is not added to its parts",
    fix="核对各项成本指标的数值和单位，使其合计不超过项目资金。",
    example={
        "project": "干部培训经费",
        "period": "年度",
        "count": 3,
        "amount": "60.00万元",
        "funds": "50.00万元",
        "items": "培训费 ≤30万元、资料费 ≤20万元、场地费 ≤10万元",
    },
)
def costs_together_within_funds(subject: Subject) -> Iterator[Hit]:
    for form, scheme, period, indicators, funds in _funded_periods(subject):
        totals = [c for c in costs(scheme, indicators) if not c.per]
        if any(more_than_funds(subject, form, c.yuan, funds) for c in totals):
            continue  # IND-008 says it
        parts = [c for c in totals if not _TOTAL_NAME_RE.search(c.indicator.name)]
        if len(parts) < 2:
            continue
        amount = sum((c.yuan for c in parts), ZERO)
        if more_than_funds(subject, form, amount, funds):
            yield Hit(
                Location(project=form.project.name, field=f"{period}绩效指标 成本指标"),
                {
                    "project": form.project.name,
                    "period": period,
                    "count": len(parts),
                    "amount": money(amount),
                    "funds": money(funds),
                    "items": "、".join(
                        f"{c.indicator.name} {value_of(c.indicator).shown()}" for c in parts
                    ),
                },
            )


TIME_UNITS = {"年": Decimal(1), "月": Decimal(12)}


def _years_of(project: Project, period: str) -> Decimal | None:
    if period == PERIOD_YEAR:
        return Decimal(1)
    parsed = parse_period(project.period)
    return Decimal(parsed.years) if parsed and parsed.years else None


@rule(
    "IND-010",
    group="indicator",
    severity=Severity.WARNING,
    title=("数量×单位成本超过项目资金", "Quantity times unit cost exceeds the funds"),
    message=(
        "项目“{project}”{period}指标 {terms} = {amount}，超过{period}资金总额 {funds}",
        "project “{project}”: {period} indicators {terms} = {amount}, more than the {period} "
        "funds {funds}",
    ),
    basis="standards §3.5: quantity and unit-cost targets of one form describe the same spending; "
    "their product cannot exceed the project's money",
    fix="核对数量指标、单位成本指标与项目资金，使三者相符。",
    example={
        "project": "新录用人员培训经费",
        "period": "年度",
        "terms": "培训人数 ≤500人 × 培训天数 =12天 × 每人每天培训费 ≤380元",
        "amount": "228.00万元",
        "funds": "175.00万元",
    },
)
def quantity_times_unit_cost(subject: Subject) -> Iterator[Hit]:
    for form, scheme, period, indicators, funds in _funded_periods(subject):
        by_unit: dict[str, dict[str, Indicator]] = defaultdict(dict)
        for indicator in indicators:
            value = value_of(indicator)
            if (
                value.numeric
                and value.unit
                and not value.is_percent
                and role_of(scheme, indicator) != COST
                and money_unit(value.unit) is None
            ):
                by_unit[quantity_unit(value.unit)].setdefault(indicator.name, indicator)
        for cost in costs(scheme, indicators):
            if not cost.per or "?" in cost.per:
                continue
            amount = cost.yuan
            terms = []
            for per in cost.per:
                candidates = by_unit.get(per, {})
                if len(candidates) == 1:
                    (quantity,) = candidates.values()
                    number = value_of(quantity).number
                    assert number is not None
                    amount *= number
                    terms.append(f"{quantity.name} {value_of(quantity).shown()}")
                elif not candidates and per in TIME_UNITS:
                    years = _years_of(form.project, period)
                    if years is None:
                        break
                    amount *= TIME_UNITS[per] * years
                    count = TIME_UNITS[per] * years
                    terms.append(f"{count:f}{'个月' if per == '月' else '年'}")
                else:
                    break  # no quantity, or more than one: the product is not clear
            else:
                if more_than_funds(subject, form, amount, funds):
                    terms.append(f"{cost.indicator.name} {value_of(cost.indicator).shown()}")
                    yield Hit(
                        indicator_location(form.project, cost.indicator),
                        {
                            "project": form.project.name,
                            "period": period,
                            "terms": " × ".join(terms),
                            "amount": money(amount),
                            "funds": money(funds),
                        },
                    )


# --- repeated and contradicting indicators ------------------------------------------------

_TRAILING_UNIT_RE = re.compile(r"[(（][^()（）]{1,6}[)）]$")


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """An indicator name for comparison: NFKC, no spaces, no trailing ``(单位)``."""
    cleaned = "".join(nfkc(name).split())
    return _TRAILING_UNIT_RE.sub("", cleaned)


@rule(
    "IND-011",
    group="indicator",
    severity=Severity.WARNING,
    title=("同一指标重复列出", "Indicator listed twice"),
    message=(
        "项目“{project}”{period}指标“{indicator}”列出了 {count} 次",
        "project “{project}”: {period} indicator “{indicator}” is listed {count} times",
    ),
    basis="standards §3.5: indicator names must be unique within the project",
    fix="删除重复的指标行，或改为不同的指标。",
    example={**_EXAMPLE, "indicator": "培训合格率", "count": 2},
)
def no_repeated_indicator(subject: Subject) -> Iterator[Hit]:
    for form in _forms_with_indicators(subject):
        for _period, indicators in _periods(form):
            counts = Counter(name_key(i.name) for i in indicators)
            reported: set[str] = set()
            for indicator in indicators:
                key = name_key(indicator.name)
                if counts[key] > 1 and key not in reported:
                    reported.add(key)
                    yield _hit(form.project, indicator, count=counts[key])


def _same(a: Value, b: Value) -> bool:
    if a.numeric != b.numeric:
        return False
    if a.numeric:
        return (a.canonical or a.operator, a.number, a.unit) == (
            b.canonical or b.operator,
            b.number,
            b.unit,
        )
    return a.text == b.text


@rule(
    "IND-012",
    group="indicator",
    severity=Severity.INFO,
    title=(
        "一年期项目的实施期与年度指标值不一致",
        "One-year project: period and year targets differ",
    ),
    message=(
        "项目“{project}”项目期为“{term}”，指标“{indicator}”实施期为“{period_value}”，年度却为"
        "“{year_value}”",
        "project “{project}” runs “{term}”, yet indicator “{indicator}” is “{period_value}” "
        "for the implementation period and “{year_value}” for the year",
    ),
    basis="绩效目标申报表: for a one-year project the implementation period is the year, so its "
    "targets are the year's (standards §3.5: the same indicator must not carry two values)",
    fix="统一实施期与年度的指标值（运算符、数值和单位）。",
    example={
        "project": "干部培训经费",
        "term": "1年",
        "indicator": "每人每天培训费",
        "period_value": "≤380元",
        "year_value": "=380元",
    },
)
def one_year_targets_agree(subject: Subject) -> Iterator[Hit]:
    for form in _forms_with_indicators(subject):
        parsed = parse_period(form.project.period)
        if parsed is None or parsed.years != 1:
            continue
        whole = Counter(name_key(i.name) for i in form.period_indicators)
        year = {name_key(i.name): i for i in form.year_indicators}
        year_count = Counter(name_key(i.name) for i in form.year_indicators)
        for indicator in form.period_indicators:
            key = name_key(indicator.name)
            other = year.get(key)
            if other is None or whole[key] > 1 or year_count[key] > 1:
                continue
            a, b = value_of(indicator), value_of(other)
            if not _same(a, b):
                yield Hit(
                    indicator_location(form.project, other),
                    {
                        "project": form.project.name,
                        "term": form.project.period,
                        "indicator": indicator.name,
                        "period_value": a.shown(),
                        "year_value": b.shown(),
                    },
                )


# --- qualitative values -------------------------------------------------------------------

_RATE_NAME_RE = re.compile(r"(?:率|比例|占比|比重)(?:[(（]%[)）])?$|[(（]%[)）]$")
_MEASURE_VALUE_RE = re.compile(r"(?:性|率|指标)$")


@rule(
    "IND-013",
    group="indicator",
    severity=Severity.WARNING,
    title=("应为定量的指标填了文字", "A text value where a number is expected"),
    message=(
        "项目“{project}”{period}指标“{indicator}”{why}，指标值却是文字“{value}”",
        "project “{project}”: {period} indicator “{indicator}” {why_en}, yet its value is the "
        "text “{value}”",
    ),
    basis="standards §3.5: quantitative indicators (数量, 成本; rates) carry an operator, a number "
    "and a unit; framework.csv column kind",
    fix="改为可衡量的数值目标（如 ≥90%、≤30万元），或改用定性的指标。",
    example={
        **_EXAMPLE,
        "indicator": "项目成本核算",
        "value": "低",
        "why": "属于定量的“成本指标”",
        "why_en": "is a quantitative “成本指标”",
    },
)
def quantitative_needs_number(subject: Subject) -> Iterator[Hit]:
    for form, indicator in _each_indicator(subject):
        value = value_of(indicator)
        if value.numeric or not value.text:
            continue
        entry = entry_of(scheme_of(form), indicator)
        if entry is not None and entry.role == SATISFACTION:
            continue  # IND-015
        if entry is not None and entry.kind == QUANTITATIVE:
            why, why_en = f"属于定量的“{entry.name}”", f"is a quantitative “{entry.name}”"
        elif _RATE_NAME_RE.search(nfkc(indicator.name)):
            why, why_en = "是一个比率", "is a rate"
        else:
            continue
        yield _hit(form.project, indicator, why=why, why_en=why_en)


@rule(
    "IND-014",
    group="indicator",
    severity=Severity.WARNING,
    title=("指标值是指标名称而非目标值", "The value is an indicator's name, not a target"),
    message=(
        "项目“{project}”{period}指标“{indicator}”的指标值“{value}”是一个指标名称，不是目标值",
        "project “{project}”: {period} indicator “{indicator}” has the value “{value}”, which "
        "names a measure instead of giving its target",
    ),
    basis="standards §3.5: a qualitative value states the expected result (及时, 达成, 明显提升 …)",
    fix="填写该指标的目标值，如“及时”“≥95%”。",
    example={**_EXAMPLE, "indicator": "考核及时性", "value": "各项工作完成及时性"},
)
def value_not_a_name(subject: Subject) -> Iterator[Hit]:
    for form in _forms_with_indicators(subject):
        names = {name_key(i.name) for i in (*form.period_indicators, *form.year_indicators)}
        for _period, indicators in _periods(form):
            for indicator in indicators:
                value = value_of(indicator)
                text = value.text
                if not text or value.numeric:
                    continue
                key = name_key(text)
                if (len(text) >= 3 and _MEASURE_VALUE_RE.search(text)) or (
                    key in names and key != name_key(indicator.name)
                ):
                    yield _hit(form.project, indicator)


@rule(
    "IND-015",
    group="indicator",
    severity=Severity.WARNING,
    title=("满意度指标值不是百分比下限", "A satisfaction target is not a minimum percentage"),
    message=(
        "项目“{project}”{period}满意度指标“{indicator}”的指标值“{value}”{problem}",
        "project “{project}”: {period} satisfaction indicator “{indicator}” value “{value}” "
        "{problem_en}",
    ),
    basis="standards §3.5: 满意度 usually “≥ 90%” or “≥ 85%”",
    fix="满意度指标填写百分比下限，如“≥90%”。",
    example={
        **_EXAMPLE,
        "indicator": "服务对象满意度",
        "value": "增强",
        "problem": "不是百分比",
        "problem_en": "is not a percentage",
    },
)
def satisfaction_is_percentage(subject: Subject) -> Iterator[Hit]:
    for form, indicator in _each_indicator(subject):
        if role_of(scheme_of(form), indicator) != SATISFACTION:
            continue
        value = value_of(indicator)
        if misfiling(SATISFACTION, nfkc(indicator.name), value) is not None:
            continue  # not a satisfaction measure at all: IND-016 says so, not how it is measured
        if not value.is_percent:
            problem, problem_en = "不是百分比", "is not a percentage"
        elif value.canonical in ("<", "<="):
            problem, problem_en = "是上限而非下限", "is a maximum, not a minimum"
        else:
            continue
        yield _hit(form.project, indicator, problem=problem, problem_en=problem_en)


# --- filing -------------------------------------------------------------------------------

_TIME_WORDS_RE = re.compile(
    r"及时|按时|准时|按期|如期|时间|时限|期限|时效|进度|周期|工作日|季度|月底|年底|月末|年末|"
    r"[前内]完成|\d+\s*[月日天]|[前内]$|截止|当年|年内|月内"
)
_COUNT_NAME_RE = re.compile(r"(?:数量|人数|个数|次数|场次|户数|件数)$")


def misfiling(role: str, name: str, value: Value) -> tuple[str, str] | None:
    """Why an indicator seems filed under the wrong kind (Chinese, English), or None."""
    has_satisfaction = "满意" in name
    if role == SATISFACTION and not has_satisfaction:
        return "不是满意度的度量", "does not measure satisfaction"
    if role and role != SATISFACTION and has_satisfaction:
        return "是满意度，应列入满意度指标", "is a satisfaction measure, filed elsewhere"
    if role in (QUALITY, QUANTITY, COST) and re.search(r"及时|按时|按期", name):
        return "是时效，应列入时效指标", "is a timeliness measure, filed elsewhere"
    if role == TIMELINESS and not (
        _TIME_WORDS_RE.search(name) or _TIME_WORDS_RE.search(value.text)
    ):
        return "与时间无关，不是时效指标", "has nothing to do with time"
    if role == QUALITY and _COUNT_NAME_RE.search(name_key(name)):
        return "是数量，应列入数量指标", "is a quantity, filed under quality"
    return None


@rule(
    "IND-016",
    group="indicator",
    severity=Severity.INFO,
    title=("指标归类可疑", "Indicator probably filed under the wrong kind"),
    message=(
        "项目“{project}”{period}指标“{indicator}”列在“{category}”下，但它{problem}",
        "project “{project}”: {period} indicator “{indicator}” is filed under “{category}” but "
        "{problem_en}",
    ),
    basis="standards §3.4: 数量/质量/时效/成本 measure outputs, 满意度 the beneficiaries' "
    "approval (pinweizhan definitions)",
    fix="把指标移到相应的二级指标下。",
    example={
        **_EXAMPLE,
        "indicator": "人员到位率",
        "category": "服务对象满意度指标",
        "problem": "不是满意度的度量",
        "problem_en": "does not measure satisfaction",
    },
)
def filed_under_right_kind(subject: Subject) -> Iterator[Hit]:
    for form, indicator in _each_indicator(subject):
        role = role_of(scheme_of(form), indicator)
        found = misfiling(role, nfkc(indicator.name), value_of(indicator))
        if found is not None:
            yield _hit(
                form.project,
                indicator,
                category=indicator.level2 or indicator.level1,
                problem=found[0],
                problem_en=found[1],
            )


_NAME_UNIT_RE = re.compile(r"[(（](?P<unit>[^()（）\d]{1,4})[)）]$")
_EVENT_NAME_RE = re.compile(r"(?:次数|班次|场次|期数|批次|培训班|班)$")
EVENT_UNITS_WRONG = frozenset({"人", "人次", "份", "元", "万元"})
PERSON_UNITS = frozenset({"人", "人次", "万人", "人/次"})


def name_unit_conflict(name: str, value: Value) -> str | None:
    """The unit a name implies, when the value's unit contradicts it."""
    if not value.numeric or not value.unit:
        return None
    unit = quantity_unit(value.unit)
    cleaned = "".join(nfkc(name).split())
    match = _NAME_UNIT_RE.search(cleaned)
    if match and quantity_unit(match["unit"]) != unit and match["unit"] not in ("%", "％"):
        return match["unit"]
    if match and match["unit"] in ("%", "％") and not value.is_percent:
        return "%"
    bare = _TRAILING_UNIT_RE.sub("", cleaned)
    if _EVENT_NAME_RE.search(bare) and unit in EVENT_UNITS_WRONG:
        return "次、期或班"
    if bare.endswith("人数") and unit not in PERSON_UNITS:
        return "人"
    return None


@rule(
    "IND-017",
    group="indicator",
    severity=Severity.INFO,
    title=("指标名称与计量单位不符", "Indicator name and unit disagree"),
    message=(
        "项目“{project}”{period}指标“{indicator}”的指标值“{value}”用“{unit}”计量，名称却应以"
        "“{expected}”计",
        "project “{project}”: {period} indicator “{indicator}” is measured in “{unit}” "
        "(“{value}”) but its name calls for “{expected}”",
    ),
    basis="standards §3.5: quantitative 三级指标 carry 指标性质 and 单位 that fit what is measured",
    fix="使计量单位与指标名称一致（如 培训班次 用“期”或“次”，培训人数 用“人”）。",
    example={
        **_EXAMPLE,
        "indicator": "轮训班次",
        "value": "=2400人",
        "unit": "人",
        "expected": "次、期或班",
    },
)
def name_fits_unit(subject: Subject) -> Iterator[Hit]:
    for form, indicator in _each_indicator(subject):
        value = value_of(indicator)
        expected = name_unit_conflict(indicator.name, value)
        if expected is not None:
            yield _hit(form.project, indicator, unit=value.unit, expected=expected)


# --- a rate stated in words against the funds -------------------------------------------------

# A rate is an amount "每 + object" (每个社区补助1万元, 每人每年5000元, 每期预计30万元) or an
# amount per unit (40000元/月). Its objects are counted by the figures the form gives for them
# (180个社区, 补助社区个数 ≥179个, 符合市派第一书记人数 =266人); times (年, 月) by the period.
_CLAUSE_SPLIT_RE = re.compile(r"[，,。；;：:\n]")
_AMOUNT_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[万千]?元)(?P<per>(?:\s*[/／]\s*[\u4e00-\u9fff]{1,3})*)"
)
_PER_SLASH_RE = re.compile(r"[/／]\s*([\u4e00-\u9fff]{1,3})")
# a bound on some other sum (不低于10万元), not the rate the funds pay
_BOUND_RE = re.compile(r"不低于|不少于|至少|最低|最高|不超过|不高于|以上|以内|上限|下限|达到")
CLASSIFIERS = "个名位户家所"
PER_YEAR = {"年": Decimal(1), "月": Decimal(12)}
_RATE_OBJECT_MAX = 4  # characters of an object after 每 (社区, 行政村, 党组织)


@dataclass(frozen=True, slots=True)
class Rate:
    """An amount per objects as a form states it, and where."""

    text: str  # the words, as quoted
    yuan: Decimal
    objects: tuple[str, ...]  # what one amount is for, e.g. ("社区",) or ("人", "月")
    field: str
    location: Location


def _objects(prefix: str, per: str) -> tuple[str, ...] | None:
    """The objects a rate is per: each 每 of the words before the amount (its classifier
    dropped), then each /unit after it; None when there is none."""
    found = []
    for segment in prefix.split("每")[1:]:
        segment = segment.lstrip(CLASSIFIERS)
        if segment[:1] in PER_YEAR:
            found.append(segment[0])  # 每年安排…, 每月…: a time, not a noun to count
        elif segment:
            found.append(segment[:_RATE_OBJECT_MAX])
    found += [quantity_unit(u) for u in _PER_SLASH_RE.findall(per)]
    return tuple(found) or None


def stated_rates(text: str, field: str, location: Location) -> Iterator[Rate]:
    """The rates a text states, clause by clause; a bound (不低于10万元) is none."""
    for clause in _CLAUSE_SPLIT_RE.split(nfkc(text)):
        for match in _AMOUNT_RE.finditer(clause):
            prefix = clause[: match.start()]
            first, last = prefix.find("每"), prefix.rfind("每")
            if first < 0 and not match["per"]:
                continue
            if _BOUND_RE.search(prefix[last + 1 :] if last >= 0 else prefix[-6:]):
                continue
            objects = _objects(prefix[first:] if first >= 0 else "", match["per"])
            if objects is None:
                continue
            amount = Decimal(match["num"]) * MONEY_UNITS[match["unit"]]
            shown = clause[first if first >= 0 else match.start() : match.end()]
            yield Rate(shown, amount, objects, field, location)


def _counts(noun: str, texts: Sequence[str], indicators: Sequence[Indicator]) -> set[Decimal]:
    """The figures a form gives for how many of ``noun`` there are: "180个社区" in its texts, a
    quantity indicator named for it (补助社区个数) or measured in it (266人)."""
    found: set[Decimal] = set()
    pattern = re.compile(r"(\d[\d,]*)\s*[" + CLASSIFIERS + r"]?" + re.escape(noun))
    for text in texts:
        for match in pattern.finditer(nfkc(text)):
            found.add(Decimal(match.group(1).replace(",", "")))
    for indicator in indicators:
        value = value_of(indicator)
        if value.number is None or value.is_percent or money_unit(value.unit) is not None:
            continue
        if noun in nfkc(indicator.name) or quantity_unit(value.unit) == quantity_unit(noun):
            found.add(value.number)
    return {n for n in found if n > 0}


def _count_of(
    objects: tuple[str, ...], texts: Sequence[str], indicators: Sequence[Indicator]
) -> tuple[Decimal, Decimal, list[str]] | None:
    """The least and the most the objects multiply to (a form may give two counts), with the
    terms as the message shows them; None when some object is not counted anywhere."""
    low = high = Decimal(1)
    terms = []
    for noun in objects:
        if noun in PER_YEAR:
            low, high = low * PER_YEAR[noun], high * PER_YEAR[noun]
            if PER_YEAR[noun] != 1:
                terms.append(f"{PER_YEAR[noun]:f}个{noun}")
            continue
        counts: set[Decimal] = set()
        for size in range(len(noun), 0, -1):  # 社区补助 → 社区补 → 社区
            counts = _counts(noun[:size], texts, indicators)
            if counts:
                noun = noun[:size]
                break
        if not counts:
            return None
        low, high = low * min(counts), high * max(counts)
        terms.append("或".join(f"{c:f}" for c in sorted(counts)) + noun)
    return low, high, terms


@rule(
    "IND-018",
    group="indicator",
    severity=Severity.WARNING,
    title=("所述单价×数量与项目资金不符", "A stated rate times its count differs from the funds"),
    message=(
        "项目“{project}”的{field}所述“{rate}”，按{terms}计为 {amount}，{relation}年度资金总额 {funds}",
        "project “{project}”: {field} states “{rate}”; for {terms} that is {amount}, "
        "{relation_en} the year funds {funds}",
    ),
    basis="standards §3.5: the quantity and unit-cost a form states (in its texts, indicator names "
    "or values) describe the same spending as its funds; a rate times its count that exceeds the "
    "funds, or (the form's only rate) falls short of them, cannot both be right",
    fix="核对所述标准、数量和年度资金：三者应一致，或说明差额的来源与用途。",
    example={
        "project": "社区服务群众专项经费补助",
        "field": "“项目概况”",
        "rate": "每个社区补助1万元",
        "terms": "179或180社区",
        "amount": "179.00万元",
        "relation": "多于",
        "relation_en": "more than",
        "funds": "174.00万元",
    },
)
def stated_rate_against_funds(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        funds = project.year_funds.total
        if funds <= 0:
            continue
        indicators = (*form.period_indicators, *form.year_indicators)
        texts = [getattr(project, attr) or "" for _label, attr in TEXT_FIELDS]
        texts += [i.name for i in indicators]
        rates: dict[tuple[Decimal, tuple[str, ...]], Rate] = {}
        for label, attr in TEXT_FIELDS:
            where = project_location(project, label)
            for found in stated_rates(getattr(project, attr) or "", label, where):
                rates.setdefault((found.yuan, found.objects), found)
        for indicator in indicators:
            where = indicator_location(project, indicator)
            label = f"{indicator.period}指标“{indicator.name}”"
            for found in stated_rates(indicator.name, label, where):
                rates.setdefault((found.yuan, found.objects), found)
        usable = [r for r in rates.values() if set(r.objects) != {"年"}]  # a yearly total
        tolerance = max(funds * Decimal("0.005"), Decimal(100))
        for found in usable:
            counted = _count_of(found.objects, texts, indicators)
            if counted is None:
                continue
            low, high, terms = counted
            if found.yuan * low > funds + tolerance:
                amount, relation = found.yuan * low, ("多于", "more than")
            elif len(usable) == 1 and found.yuan * high < funds - tolerance:
                amount, relation = found.yuan * high, ("少于", "less than")
            else:
                continue
            yield Hit(
                found.location,
                {
                    "project": project.name,
                    "field": f"“{found.field}”" if "指标" not in found.field else found.field,
                    "rate": found.text,
                    "terms": "×".join(terms),
                    "amount": money(amount),
                    "relation": relation[0],
                    "relation_en": relation[1],
                    "funds": money(funds),
                },
            )
