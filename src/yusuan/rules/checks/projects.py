"""项目: each project's 绩效目标申报表 — its funds, its period, its fields — is complete and
consistent with itself and with the budget.

Funds must add up (资金总额 = Σ 来源, for the implementation period and for the year), the
implementation period cannot have less money than its own year, and a one-year project's two halves
must hold the same money. When checking a dataset, the year's funds must equal the project's budget
lines. The fields the template asks for must be filled, well formed (a person's name, a phone
number, a date of the budget year) and not copied from one another or from another project.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from yusuan.model.records import PROJECT, Funds, Project
from yusuan.rules.base import Hit, Location, Severity, excerpt, money, rule
from yusuan.rules.subject import Subject
from yusuan.tables.forms import FUND_ROWS, ProjectForm
from yusuan.tables.forms import TEXT_FIELDS as FORM_TEXT_FIELDS

ZERO = Decimal(0)

# (label on the form, Project attribute): every free-text field of the form, in form order
TEXT_FIELDS = (
    *FORM_TEXT_FIELDS,
    ("实施期总体目标", "period_goal"),
    ("年度总体目标", "year_goal"),
)
# fields written as prose (not lists of citations), whose text is the project's own
NARRATIVE_FIELDS = ("overview", "necessity", "plan", "period_goal", "year_goal")
LABELS = dict((attr, label) for label, attr in TEXT_FIELDS) | {
    "person_in_charge": "负责人",
    "handler": "经办人",
    "phone": "联系电话",
    "filled_on": "填报日期",
    "period": "项目期",
    "implementing_unit": "实施单位",
    "name": "项目名称",
}

PERIOD_IMPLEMENTATION_LABEL = "实施期"
PERIOD_YEAR_LABEL = "年度"


# --- shared helpers (the indicator and text rules use them too) ----------------------------


def project_location(project: Project, field: str = "") -> Location:
    """A form field of a project, with the dataset row when the project came from a file."""
    origin = project.origin
    return Location(
        project=project.name,
        field=field,
        file=origin.file if origin.row else "",
        line=origin.row,
    )


def field_text(project: Project, attr: str) -> str:
    value = getattr(project, attr)
    return "" if value is None else str(value)


_NOT_WORD_RE = re.compile(r"[\W_]+")


def normalise_text(text: str) -> str:
    """Text reduced for comparison: NFKC, letters, digits and CJK only."""
    return _NOT_WORD_RE.sub("", unicodedata.normalize("NFKC", text))


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_number(text: str) -> int | None:
    """Arabic digits or a Chinese numeral up to 99 (``三``, ``十二``, ``二十``)."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


@dataclass(frozen=True, slots=True)
class ProjectPeriod:
    """项目期 as read: a number of years, and the calendar years when the text names them."""

    years: int | None
    start: int | None = None
    end: int | None = None


_YEARS_RE = re.compile(r"^(?P<n>\d{1,2}|[一二两三四五六七八九十]+)(?:个)?(?:年|年度|周年)(?:期)?$")
_MONTHS_RE = re.compile(r"^(?P<n>\d{1,3}|[一二两三四五六七八九十]+)个?月$")
_RANGE_RE = re.compile(
    r"^(?P<a>(?:19|20)\d{2})\s*(?:年)?(?:\d{1,2}\s*月?(?:\d{1,2}\s*日?)?)?\s*"
    r"(?:[-—–~～至到]|－)+\s*"
    r"(?P<b>(?:19|20)\d{2})\s*(?:年)?(?:\d{1,2}\s*月?(?:\d{1,2}\s*日?)?)?(?:止)?$"
)
_SINGLE_YEAR_RE = re.compile(r"^(?P<a>(?:19|20)\d{2})\s*年(?:度)?(?:全年)?$")


def parse_period(text: str) -> ProjectPeriod | None:
    """``1年``, ``三年``, ``6个月``, ``2021-2023``, ``2021年1月-2021年12月``, ``2021年度``."""
    cleaned = unicodedata.normalize("NFKC", text).replace(" ", "").replace(".", "")
    if not cleaned:
        return None
    match = _YEARS_RE.match(cleaned)
    if match:
        years = chinese_number(match["n"])
        return ProjectPeriod(years) if years else None
    match = _MONTHS_RE.match(cleaned)
    if match:
        months = chinese_number(match["n"])
        return ProjectPeriod(max(1, -(-months // 12))) if months else None
    match = _RANGE_RE.match(cleaned)
    if match:
        start, end = int(match["a"]), int(match["b"])
        return ProjectPeriod(end - start + 1, start, end) if end >= start else None
    match = _SINGLE_YEAR_RE.match(cleaned)
    if match:
        return ProjectPeriod(1, int(match["a"]), int(match["a"]))
    return None


def one_year(project: Project) -> bool:
    period = parse_period(project.period)
    return period is not None and period.years == 1


# --- funds --------------------------------------------------------------------------------


@rule(
    "PRJ-001",
    group="project",
    severity=Severity.FATAL,
    title=("项目年度资金与预算明细不符", "A project's year funds differ from its budget lines"),
    message=(
        "项目“{project}”的年度资金总额为 {stated}，预算明细中该项目的项目支出合计 {lines}，相差 {difference}",
        "project “{project}”: 年度资金总额 {stated}, but its budget lines add up to {lines} "
        "(difference {difference})",
    ),
    basis="standards §3.5: 申报表 total = the project's budget amount; 财预〔2016〕143号 项目支出公开",
    fix="核对申报表的年度资金总额与预算明细中该项目的金额，使两者一致。",
    example={
        "project": "干部培训经费",
        "stated": "50.00万元",
        "lines": "45.00万元",
        "difference": "5.00万元",
    },
)
def year_funds_equal_budget_lines(subject: Subject) -> Iterator[Hit]:
    dataset = subject.need_dataset()
    forms = subject.need_forms()
    by_project: dict[str, Decimal] = defaultdict(Decimal)
    for line in dataset.lines:
        if line.kind is PROJECT:
            by_project[line.project] += line.amount
    for form in forms:
        project = form.project
        lines = by_project.get(project.name, ZERO)
        if project.year_funds.total != lines:
            yield Hit(
                project_location(project, "年度资金总额"),
                {
                    "project": project.name,
                    "stated": money(project.year_funds.total),
                    "lines": money(lines),
                    "difference": money(project.year_funds.total - lines),
                },
            )


@rule(
    "PRJ-002",
    group="project",
    severity=Severity.WARNING,
    title=(
        "一年期项目的实施期资金与年度资金不同",
        "A one-year project's implementation-period funds differ from its year funds",
    ),
    message=(
        "项目“{project}”的项目期为“{period}”，实施期资金总额 {period_funds} 却不等于年度资金总额 "
        "{year_funds}（{ratio}倍）",
        "project “{project}”: 项目期 is “{period}” yet 实施期资金总额 {period_funds} is not the "
        "year's 年度资金总额 {year_funds} ({ratio} times)",
    ),
    basis="绩效目标申报表: 实施期 covers the 项目期; for a one-year project 实施期 and 年度 are the "
    "same year (standards §3.3)",
    fix="核对项目期与实施期资金：一年期项目的实施期资金应等于年度资金；跨年度项目应填写实际项目期。",
    example={
        "project": "干部培训经费",
        "period": "1年",
        "period_funds": "150.00万元",
        "year_funds": "50.00万元",
        "ratio": "3",
    },
)
def one_year_period_funds(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        whole, year = project.period_funds.total, project.year_funds.total
        # less money for the period than for its year is PRJ-003
        if one_year(project) and whole > year:
            ratio = (whole / year).normalize() if year else "∞"
            yield Hit(
                project_location(project, "项目期 / 实施期资金总额"),
                {
                    "project": project.name,
                    "period": project.period,
                    "period_funds": money(whole),
                    "year_funds": money(year),
                    "ratio": f"{ratio:f}" if isinstance(ratio, Decimal) else ratio,
                },
            )


@rule(
    "PRJ-003",
    group="project",
    severity=Severity.FATAL,
    title=(
        "实施期资金少于年度资金",
        "Implementation-period funds are less than the year's",
    ),
    message=(
        "项目“{project}”的实施期{row} {period_funds} 少于年度{row} {year_funds}",
        "project “{project}”: implementation-period {row} {period_funds} is less than the "
        "year's {year_funds}",
    ),
    basis="绩效目标申报表: the implementation period contains the budget year, so its funds "
    "cannot be smaller (standards §3.3)",
    fix="核对实施期与年度资金，实施期资金应不少于年度资金。",
    example={
        "project": "干部培训经费",
        "row": "资金总额",
        "period_funds": "30.00万元",
        "year_funds": "50.00万元",
    },
)
def period_funds_not_below_year(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        for label, attr in FUND_ROWS:
            whole, year = getattr(project.period_funds, attr), getattr(project.year_funds, attr)
            if whole < year:
                yield Hit(
                    project_location(project, f"实施期{label}"),
                    {
                        "project": project.name,
                        "row": label,
                        "period_funds": money(whole),
                        "year_funds": money(year),
                    },
                )


def _funds_tolerance(subject: Subject, form: ProjectForm) -> Decimal:
    """Printed funds are rounded to the form's unit (two decimals at most)."""
    if subject.exact:
        return ZERO
    return form.unit.factor * Decimal("0.005") * (len(FUND_ROWS))


@rule(
    "PRJ-004",
    group="project",
    severity=Severity.FATAL,
    title=("项目资金来源合计不平", "A project's funds do not add up by source"),
    message=(
        "项目“{project}”{half}资金总额 {stated} 不等于中央、省级、市级、县级财政资金与单位自筹之和 "
        "{parts}（相差 {difference}）",
        "project “{project}”: {half} 资金总额 {stated} is not the sum of its sources {parts} "
        "(difference {difference})",
    ),
    basis="绩效目标申报表 项目资金: 资金总额 = 中央 + 省级 + 市级 + 县级财政资金 + 单位自筹 "
    "(standards §3.3)",
    fix="核对各级财政资金与单位自筹，使其合计等于资金总额。",
    example={
        "project": "干部培训经费",
        "half": "年度",
        "stated": "50.00万元",
        "parts": "45.00万元",
        "difference": "5.00万元",
    },
)
def funds_add_up(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        tolerance = _funds_tolerance(subject, form)
        halves: tuple[tuple[str, Funds], ...] = (
            (PERIOD_IMPLEMENTATION_LABEL, project.period_funds),
            (PERIOD_YEAR_LABEL, project.year_funds),
        )
        for half, funds in halves:
            parts = sum(funds.parts(), ZERO)
            if abs(funds.total - parts) > tolerance:
                yield Hit(
                    project_location(project, f"{half}资金总额"),
                    {
                        "project": project.name,
                        "half": half,
                        "stated": money(funds.total),
                        "parts": money(parts),
                        "difference": money(funds.total - parts),
                    },
                )


# --- required fields ----------------------------------------------------------------------

REQUIRED_FIELDS = (*(attr for _, attr in TEXT_FIELDS), "person_in_charge", "phone")
OPTIONAL_FOOTER = ("handler", "filled_on")


def _empty_fields(subject: Subject, attrs: Sequence[str]) -> Iterator[Hit]:
    """Each of these fields that a form leaves empty."""
    for form in subject.need_forms():
        project = form.project
        for attr in attrs:
            if not field_text(project, attr).strip():
                yield Hit(
                    project_location(project, LABELS[attr]),
                    {"project": project.name, "field": LABELS[attr]},
                )


@rule(
    "PRJ-005",
    group="project",
    severity=Severity.WARNING,
    title=("申报表必填内容为空", "A required field of the form is empty"),
    message=(
        "项目“{project}”的申报表未填写“{field}”",
        "project “{project}”: the form's “{field}” is empty",
    ),
    basis="绩效目标申报表 fields (standards §3.3): 项目概况, 立项依据, 必要性, 保证措施, 实施计划, "
    "实施期/年度总体目标, 负责人, 联系电话",
    fix="补充填写该栏目。",
    example={"project": "干部培训经费", "field": "年度总体目标"},
)
def required_fields_filled(subject: Subject) -> Iterator[Hit]:
    return _empty_fields(subject, REQUIRED_FIELDS)


@rule(
    "PRJ-006",
    group="project",
    severity=Severity.INFO,
    title=("经办人或填报日期为空", "Person handling or date left empty"),
    message=(
        "项目“{project}”的申报表未填写“{field}”",
        "project “{project}”: the form's “{field}” is empty",
    ),
    basis="绩效目标申报表 footer: 负责人, 经办人, 联系电话, 填报日期 (standards §3.3)",
    fix="补充填写经办人和填报日期。",
    example={"project": "干部培训经费", "field": "填报日期"},
)
def footer_filled(subject: Subject) -> Iterator[Hit]:
    return _empty_fields(subject, OPTIONAL_FOOTER)


# --- well-formed fields -------------------------------------------------------------------

_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff]"
_NAME_RE = re.compile(rf"^(?:{_CJK}{{2,4}}|{_CJK}{{1,8}}(?:[·•・.]{_CJK}{{1,10}})+)$")
_SEPARATORS_RE = re.compile(r"[、,，;；/／]|或")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def looks_like_name(text: str) -> bool:
    parts = [p for p in _SEPARATORS_RE.split(_squeeze(text)) if p]
    return bool(parts) and all(_NAME_RE.match(p) for p in parts)


_MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(
    r"^(?:\+?86-?)?(?:\(0\d{2,3}\)|0\d{2,3})-?\d{7,8}(?:(?:-|转|ext\.?)\d{1,6})?$"
)
_SERVICE_RE = re.compile(r"^[48]00-?\d{3}-?\d{4}$")
_LOCAL_RE = re.compile(r"^[2-9]\d{6,7}$")

PHONE_OK, PHONE_LOCAL, PHONE_BAD = "ok", "local", "bad"


def phone_kind(part: str) -> str:
    cleaned = _squeeze(part)
    if _MOBILE_RE.match(cleaned.replace("-", "")) or _SERVICE_RE.match(cleaned):
        return PHONE_OK
    if _LANDLINE_RE.match(cleaned):
        return PHONE_OK
    if _LOCAL_RE.match(cleaned.replace("-", "")):
        return PHONE_LOCAL
    return PHONE_BAD


def phone_parts(text: str) -> list[str]:
    return [p for p in _SEPARATORS_RE.split(_squeeze(text)) if p]


def _swap_hint(name: str, phone: str) -> str:
    if name and phone and looks_like_name(phone) and any(ch.isdigit() for ch in name):
        return "（负责人与联系电话可能填反）"
    return ""


@rule(
    "PRJ-007",
    group="project",
    severity=Severity.WARNING,
    title=("负责人不是人名", "The person in charge is not a person's name"),
    message=(
        "项目“{project}”的负责人“{value}”不像人名{hint}",
        "project “{project}”: 负责人 “{value}” is not a person's name{hint}",
    ),
    basis="绩效目标申报表 footer: 负责人 names the person answerable for the project "
    "(standards §3.3)",
    fix="填写项目负责人的姓名（2–4个汉字，少数民族姓名可含“·”），电话填入联系电话栏。",
    example={
        "project": "干部培训经费",
        "value": "2090681",
        "hint": "（负责人与联系电话可能填反）",
    },
)
def person_is_a_name(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        value = project.person_in_charge.strip()
        if value and not looks_like_name(value):
            yield Hit(
                project_location(project, "负责人"),
                {
                    "project": project.name,
                    "value": value,
                    "hint": _swap_hint(value, project.phone.strip()),
                },
            )


@rule(
    "PRJ-008",
    group="project",
    severity=Severity.WARNING,
    title=("联系电话不是电话号码", "The phone field is not a phone number"),
    message=(
        "项目“{project}”的联系电话“{value}”不是电话号码{hint}",
        "project “{project}”: 联系电话 “{value}” is not a phone number{hint}",
    ),
    basis="绩效目标申报表 footer: 联系电话; mainland numbers are 0XXX-XXXXXXX(X) or 1XXXXXXXXXX",
    fix="填写带区号的固定电话（如 0357-2090242）或11位手机号码。",
    example={"project": "干部培训经费", "value": "景星", "hint": "（负责人与联系电话可能填反）"},
)
def phone_is_a_number(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        value = project.phone.strip()
        if value and any(phone_kind(p) == PHONE_BAD for p in phone_parts(value)):
            yield Hit(
                project_location(project, "联系电话"),
                {
                    "project": project.name,
                    "value": value,
                    "hint": _swap_hint(project.person_in_charge.strip(), value),
                },
            )


@rule(
    "PRJ-009",
    group="project",
    severity=Severity.INFO,
    title=("联系电话缺少区号", "Phone number without area code"),
    message=(
        "项目“{project}”的联系电话“{value}”没有区号",
        "project “{project}”: 联系电话 “{value}” has no area code",
    ),
    basis="a published number is dialled from anywhere: landlines carry the area code (0XXX-)",
    fix="在固定电话前加区号，如 0357-2090588。",
    example={"project": "干部培训经费", "value": "2090588"},
)
def phone_has_area_code(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        value = project.phone.strip()
        parts = phone_parts(value)
        kinds = {phone_kind(p) for p in parts}
        if PHONE_LOCAL in kinds and PHONE_BAD not in kinds:
            yield Hit(
                project_location(project, "联系电话"),
                {"project": project.name, "value": value},
            )


@rule(
    "PRJ-010",
    group="project",
    severity=Severity.WARNING,
    title=("填报日期不在预算编制期内", "Date filled in is outside the budget's preparation"),
    message=(
        "项目“{project}”的填报日期 {value} 不在 {start} 至 {end} 之间（{year}年预算）",
        "project “{project}”: 填报日期 {value} is not between {start} and {end} (budget {year})",
    ),
    basis="预算编制 (两上两下, standards §4.1): a budget is prepared in the year before the budget "
    "year and adjusted within it",
    fix="核对填报日期的年份。",
    example={
        "project": "干部培训经费",
        "value": "2019-01-15",
        "start": "2020-01-01",
        "end": "2021-12-31",
        "year": 2021,
    },
)
def filled_on_in_budget_year(subject: Subject) -> Iterator[Hit]:
    start, end = date(subject.year - 1, 1, 1), date(subject.year, 12, 31)
    for form in subject.need_forms():
        project = form.project
        filled = project.filled_on
        if filled is not None and not start <= filled <= end:
            yield Hit(
                project_location(project, "填报日期"),
                {
                    "project": project.name,
                    "value": filled.isoformat(),
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                    "year": subject.year,
                },
            )


@rule(
    "PRJ-014",
    group="project",
    severity=Severity.INFO,
    title=("项目期无法识别或不含预算年度", "Project period unreadable or not covering the year"),
    message=(
        "项目“{project}”的项目期“{value}”{problem}",
        "project “{project}”: 项目期 “{value}” {problem_en}",
    ),
    basis="绩效目标申报表 项目期 / 项目起止时间 (standards §3.3): a duration (N年) or a range of "
    "years that contains the budget year",
    fix="项目期填写“1年”“3年”或“2021年-2023年”等形式，并应包含预算年度。",
    example={
        "project": "干部培训经费",
        "value": "2018-2020",
        "problem": "不包含预算年度2021年",
        "problem_en": "does not contain the budget year 2021",
    },
)
def period_readable(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        value = project.period.strip()
        period = parse_period(value)
        values = {"project": project.name, "value": value}
        if period is None:
            yield Hit(
                project_location(project, "项目期"),
                {
                    **values,
                    "problem": "无法识别为年数或起止年份" if value else "为空",
                    "problem_en": "cannot be read as years or a range of years"
                    if value
                    else "is empty",
                },
            )
        elif (
            period.start is not None
            and period.end is not None
            and not period.start <= subject.year <= period.end
        ):
            yield Hit(
                project_location(project, "项目期"),
                {
                    **values,
                    "problem": f"不包含预算年度{subject.year}年",
                    "problem_en": f"does not contain the budget year {subject.year}",
                },
            )


# --- copies -------------------------------------------------------------------------------

MIN_COPY = 8  # normalised characters below which two equal texts say nothing
MIN_CONTAINED = 20
NEAR = 0.9
# pairs that may legitimately hold the same text
ALLOWED_SAME = frozenset({frozenset({"period_goal", "year_goal"})})


def _similar(
    a: str, b: str, counts_a: Counter[str] | None = None, counts_b: Counter[str] | None = None
) -> bool:
    """Whether two texts are the same or nearly (difflib's ratio at least ``NEAR``).

    ``counts_a`` / ``counts_b`` are the texts' character counts when the caller has them (a
    text is compared with every other field of its form: counted once, not once per pair)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 2 * MIN_COPY or min(len(a), len(b)) < NEAR * max(len(a), len(b)):
        return False
    # cheapest bound first (lengths only), then character counts, then the real ratio; the
    # bounds are difflib's real_quick_ratio and quick_ratio, worked out without a SequenceMatcher
    # (making one indexes b, which costs more than the bounds themselves)
    length = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / length < NEAR:
        return False
    ca = counts_a if counts_a is not None else Counter(a)
    cb = counts_b if counts_b is not None else Counter(b)
    matches = sum(min(n, cb[ch]) for ch, n in ca.items() if ch in cb)
    if 2.0 * matches / length < NEAR:
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR


def _holds(outer: str, outer_attr: str, inner: str, inner_attr: str) -> bool:
    """``outer`` holds the whole of ``inner``: a narrative text anywhere in it, or any text as the
    beginning of a narrative (a field copied and then extended). Citations quoted by another
    field are not copies: 立项依据 and 保证措施 may name the same documents."""
    if len(inner) < MIN_CONTAINED:
        return False
    if inner_attr in NARRATIVE_FIELDS:
        return inner in outer
    return outer_attr in NARRATIVE_FIELDS and outer.startswith(inner)


@rule(
    "PRJ-011",
    group="project",
    severity=Severity.WARNING,
    title=("申报表栏目内容相互复制", "Form fields copied into each other"),
    message=(
        "项目“{project}”的“{field}”{relation}（“{excerpt}”）",
        "project “{project}”: “{field}” {relation_en} (“{excerpt}”)",
    ),
    basis="绩效目标申报表 (standards §3.3): each field answers its own question — 概况 what, 依据 "
    "on what authority, 必要性 why, 措施 how it is secured, 计划 when",
    fix="按栏目要求分别填写，不要把同一段文字复制到不同栏目。",
    example={
        "project": "干部培训经费",
        "field": "立项依据",
        "relation": "与“保证项目实施的制度、措施”相同",
        "relation_en": "is the same text as “保证项目实施的制度、措施”",
        "excerpt": "《关于进一步落实党建工作经费的通知》",
    },
)
def fields_not_copied(subject: Subject) -> Iterator[Hit]:
    for form in subject.need_forms():
        project = form.project
        texts = [
            (attr, label, normalise_text(field_text(project, attr))) for label, attr in TEXT_FIELDS
        ]
        counts = [Counter(text) if len(text) >= 2 * MIN_COPY else None for _, _, text in texts]
        for index, (attr, label, text) in enumerate(texts):
            if len(text) < MIN_COPY:
                continue
            for index2 in range(index + 1, len(texts)):
                attr2, label2, text2 = texts[index2]
                if frozenset({attr, attr2}) in ALLOWED_SAME or len(text2) < MIN_COPY:
                    continue
                if _similar(text, text2, counts[index], counts[index2]):
                    first, second, inner = label, label2, attr2
                    relation = f"与“{second}”相同"
                    relation_en = f"is the same text as “{second}”"
                else:
                    if _holds(text, attr, text2, attr2):
                        first, second, inner = label, label2, attr2
                    elif _holds(text2, attr2, text, attr):
                        first, second, inner = label2, label, attr
                    else:
                        continue
                    relation = f"包含了“{second}”的全部文字"
                    relation_en = f"contains the whole text of “{second}”"
                yield Hit(
                    project_location(project, f"{first} / {second}"),
                    {
                        "project": project.name,
                        "field": first,
                        "relation": relation,
                        "relation_en": relation_en,
                        "excerpt": excerpt(field_text(project, inner).strip(), 30),
                    },
                )


MIN_SHARED = 20


@rule(
    "PRJ-015",
    group="project",
    severity=Severity.WARNING,
    title=("与其他项目的文字相同", "Text identical to another project's"),
    message=(
        "项目“{project}”的“{field}”与项目“{other}”的“{other_field}”相同（“{excerpt}”）",
        "project “{project}”: “{field}” is the same text as “{other_field}” of project "
        "“{other}” (“{excerpt}”)",
    ),
    basis="绩效目标申报表 (standards §3.3): 概况, 必要性, 计划 and 目标 describe this project; "
    "identical text in two projects is usually a copy left unedited",
    fix="按本项目的实际情况改写该栏目。",
    example={
        "project": "干部培训经费",
        "field": "年度总体目标",
        "other": "村级组织运转补助经费",
        "other_field": "年度总体目标",
        "excerpt": "使党组织有钱办事,抓好党建工作",
    },
)
def text_not_shared_between_projects(subject: Subject) -> Iterator[Hit]:
    first_seen: dict[str, tuple[Project, str]] = {}
    for form in subject.need_forms():
        project = form.project
        for attr in NARRATIVE_FIELDS:
            text = normalise_text(field_text(project, attr))
            if len(text) < MIN_SHARED:
                continue
            earlier = first_seen.get(text)
            if earlier is None:
                first_seen[text] = (project, attr)
            elif earlier[0].name != project.name:
                yield Hit(
                    project_location(project, LABELS[attr]),
                    {
                        "project": project.name,
                        "field": LABELS[attr],
                        "other": earlier[0].name,
                        "other_field": LABELS[earlier[1]],
                        "excerpt": excerpt(field_text(project, attr), 30),
                    },
                )


# --- names and units ----------------------------------------------------------------------


@rule(
    "PRJ-012",
    group="project",
    severity=Severity.WARNING,
    title=("项目名称重复", "Project name used twice"),
    message=(
        "项目名称“{project}”有 {count} 张申报表",
        "project name “{project}” appears on {count} forms",
    ),
    basis="绩效目标申报表: 项目名称 must match the 部门预算 project, one form per project "
    "(standards §3.3)",
    fix="合并重复的申报表，或为不同项目使用不同名称。",
    example={"project": "干部培训经费", "count": 2},
)
def project_names_unique(subject: Subject) -> Iterator[Hit]:
    forms: Sequence[ProjectForm] = subject.need_forms()
    seen: dict[str, list[Project]] = defaultdict(list)
    for form in forms:
        seen[_squeeze(form.project.name)].append(form.project)
    for projects in seen.values():
        if len(projects) > 1:
            yield Hit(
                project_location(projects[1], "项目名称"),
                {"project": projects[0].name, "count": len(projects)},
            )


def _unit_key(name: str) -> str:
    return normalise_text(name)


@rule(
    "PRJ-013",
    group="project",
    severity=Severity.INFO,
    title=("实施单位不在单位清单中", "Implementing unit is not a unit of the department"),
    message=(
        "项目“{project}”的实施单位“{value}”不是清单中的单位",
        "project “{project}”: implementing unit “{value}” is not a unit of the manifest",
    ),
    basis="部门预算: a project is carried out by one of the department's budget units "
    "(yusuan.toml [[units]])",
    fix="实施单位填写清单中单位的全称，或在清单中补充该单位。",
    example={"project": "干部培训经费", "value": "某某培训中心"},
)
def implementing_unit_known(subject: Subject) -> Iterator[Hit]:
    dataset = subject.need_dataset()
    forms = subject.need_forms()
    known = {_unit_key(u.name) for u in dataset.manifest.units}
    known.add(_unit_key(dataset.manifest.department.name))
    within = dataset.manifest.scope.within
    if within is not None:  # a 单位预算: the department it belongs to may carry its projects
        known.add(_unit_key(within.name))
    for form in forms:
        project = form.project
        value = project.implementing_unit.strip()
        if value and _unit_key(value) not in known:
            yield Hit(
                project_location(project, "实施单位"),
                {"project": project.name, "value": value},
            )
