"""文字说明: the written explanation (部门预算情况说明) the build would publish. The parts only the
department can write (部门职责及机构设置, 国有资产占用情况, the reasons for a change) come from
its 说明 (``说明.md`` or the workbook's 情况说明 sheet); where that text is missing the published
document would carry a placeholder such as “（本部门未提供…）”. Such a document cannot go out as
it is: for a section 财预〔2016〕143号 requires it blocks publication, for a reason it is a warning.

These rules build the explanation exactly as ``yusuan build`` does and read what it would say.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from yusuan.dataset.explanation import change_reasons
from yusuan.dataset.schema import EXPLANATION_FILE
from yusuan.money import MoneyUnit, format_amount, to_unit
from yusuan.publish.narrative import (
    NO_ASSETS,
    NO_DUTIES,
    NO_REASON,
    ChangeStatement,
    Narrative,
    build_narrative,
    change_threshold,
    needs_reason,
    parse_texts,
    reason_key,
)
from yusuan.rules.base import Hit, Location, MissingData, NotApplicable, Severity, rule
from yusuan.rules.subject import Subject

EXPLANATION_PLACE = "说明.md（情况说明）"
WAN = MoneyUnit.WAN

# The sections 财预〔2016〕143号 requires the department to write, and their placeholders.
REQUIRED_PLACEHOLDERS = {NO_DUTIES: "部门职责及机构设置", NO_ASSETS: "国有资产占用情况"}


# the last subject's explanation: both rules read it, and a Subject is not hashable
_LAST: list[tuple[Subject, Narrative]] = []


def _narrative_of(subject: Subject) -> Narrative:
    if _LAST and _LAST[0][0] is subject:
        return _LAST[0][1]
    dataset = subject.need_dataset()
    texts, _ = parse_texts(dataset.explanation)
    narrative = build_narrative(dataset, list(subject.tables.values()), texts)
    _LAST[:] = [(subject, narrative)]
    return narrative


def _placeholders(subject: Subject, wanted: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(section heading, placeholder) for each placeholder the published text would carry."""
    for section in _narrative_of(subject).sections:
        for placeholder in wanted:
            if any(placeholder in paragraph for paragraph in section.paragraphs):
                yield section.heading, placeholder


@rule(
    "EXP-001",
    group="text",
    severity=Severity.FATAL,
    title=(
        "情况说明缺少部门必须填写的小节",
        "The written explanation lacks a section the department must write",
    ),
    message=(
        "情况说明“{section}”没有内容，公开文件将显示“{placeholder}”；请在说明.md（或工作簿“情况说明”表）的“## {heading}”下填写",
        "the explanation's section {section!r} has no text, so the published document would show "
        "a placeholder; write it under '## {heading}' in 说明.md (or the workbook's 情况说明 sheet)",
    ),
    basis="财预〔2016〕143号: 部门预算公开应包括部门职责、机构设置及国有资产占用等情况说明",
    fix="在 说明.md 对应的“## ”标题下写明该部分（yusuan init 生成的模板已列出标题）。",
    example={
        "section": "一、部门职责及机构设置",
        "placeholder": NO_DUTIES,
        "heading": "部门职责及机构设置",
    },
)
def required_section_missing(subject: Subject) -> Iterator[Hit]:
    for section, placeholder in _placeholders(subject, tuple(REQUIRED_PLACEHOLDERS)):
        yield Hit(
            Location(file=EXPLANATION_PLACE, field=section),
            {
                "section": section,
                "placeholder": placeholder,
                "heading": REQUIRED_PLACEHOLDERS[placeholder],
            },
        )


@rule(
    "EXP-002",
    group="text",
    severity=Severity.WARNING,
    title=("情况说明缺少变动原因", "The written explanation gives no reason for a change"),
    message=(
        "情况说明“{section}”中有增减但未说明原因，公开文件将显示“{placeholder}”",
        "section {section!r} states a change without its reason; the published document would "
        "show a placeholder",
    ),
    basis="财预〔2016〕143号: “三公”经费增减变化应说明原因",
    fix="在 说明.md 的“## 三公经费变动原因”下逐项写明原因，如“- 公务接待费：……”。",
    example={"section": "八、“三公”经费预算情况", "placeholder": NO_REASON},
)
def reason_missing(subject: Subject) -> Iterator[Hit]:
    for section, placeholder in _placeholders(subject, (NO_REASON,)):
        yield Hit(
            Location(file=EXPLANATION_PLACE, field=section),
            {"section": section, "placeholder": placeholder},
        )


# --- changes from last year: EXP-003 (a large change with no reason), EXP-004 (## 变动原因) ----


def _changes_of(subject: Subject) -> tuple[ChangeStatement, ...]:
    changes = _narrative_of(subject).changes
    if not changes:
        raise MissingData(
            "没有上年数（prior_year.csv 或上年数据集 prior_dataset / --prior），无法与上年比较"
            " / no prior-year figures (prior_year.csv, or the previous year's dataset)"
        )
    return changes


def _threshold(subject: Subject) -> tuple[Decimal, Decimal]:
    try:
        return change_threshold(subject.need_dataset().manifest)
    except ValueError as exc:
        raise MissingData(
            f"yusuan.toml 中 {exc} 无法读取：min_rate 应为百分数（如 10 或 10%），"
            f"min_amount 应为金额（元，如 100000 或 10万元） / {exc} cannot be read"
        ) from None


def _pct(rate: Decimal | None) -> str:
    return "新增" if rate is None else f"{format_amount(rate * 100)}%"


@rule(
    "EXP-003",
    group="text",
    severity=Severity.WARNING,
    title=(
        "较大的预算变动未说明原因",
        "A large change from last year is given no reason",
    ),
    message=(
        "“{what}”本年{current}万元，上年{prior}万元，变动{change}万元（{rate}），"
        "达到说明原因的标准（{threshold}），但说明.md 的“## 变动原因”没有给出原因",
        "{what!r} changes by {change} (10k yuan; {rate}) from last year, at or above the "
        "threshold ({threshold}), but '## 变动原因' in 说明.md gives no reason",
    ),
    basis="财预〔2016〕143号及各地部门预算公开模板：收支增减变化较大的应说明原因；阈值为"
    '数据集设置 [rules."EXP-003"] min_rate（默认10%）与 min_amount（默认10万元），两者同时达到才需说明',
    fix="在 说明.md 的“## 变动原因”下写一行“- 科目编码或名称：原因”，如“- 2013202：新增专项工作经费”。",
    example={
        "what": "2013202 组织事务（款）一般行政管理事务（项）项目支出",
        "current": "1,749.73",
        "prior": "1,500.00",
        "change": "249.73",
        "rate": "16.65%",
        "threshold": "≥10%且≥10万元",
    },
)
def change_without_reason(subject: Subject) -> Iterator[Hit]:
    changes = _changes_of(subject)
    threshold = _threshold(subject)
    shown = (
        f"≥{format_amount(threshold[0] * 100)}%且≥{format_amount(to_unit(threshold[1], WAN))}万元"
    )
    for change in changes:
        if change.reason is None and needs_reason(change, threshold):
            yield Hit(
                Location(file=EXPLANATION_PLACE, field=change.label),
                {
                    "what": change.label,
                    "current": format_amount(to_unit(change.current, WAN)),
                    "prior": format_amount(to_unit(change.prior, WAN)),
                    "change": format_amount(to_unit(change.difference, WAN)),
                    "rate": _pct(change.rate),
                    "threshold": shown,
                },
            )


@rule(
    "EXP-004",
    group="text",
    severity=Severity.WARNING,
    title=(
        "变动原因所写的科目或项目不在预算中",
        "A reason for a change names a code or item that is not in the budget",
    ),
    message=(
        "说明.md 第{line}行的变动原因写给“{key}”，但{why}；该原因不会公开",
        "line {line} of 说明.md gives a reason for {key!r}, but {why_en}; it is not published",
    ),
    basis="变动原因应对应情况说明中与上年比较的收支项目（docs/narrative.md “## 变动原因”）",
    fix="改正编码或名称（功能分类“类”或“项”的编码，或本年收入合计、本年支出合计、基本支出、"
    "项目支出、收入来源、机关运行经费），或删除该行。",
    example={
        "line": 12,
        "key": "2019999",
        "why": "本年与上年预算中都没有这个科目",
        "why_en": "neither this year's budget nor last year's has that code",
    },
)
def reason_for_nothing(subject: Subject) -> Iterator[Hit]:
    dataset = subject.need_dataset()
    entries, _ = change_reasons(dataset.explanation)
    if not entries:
        raise NotApplicable("说明.md 没有“## 变动原因” / no reasons for changes")
    changes = _changes_of(subject)
    keys = {reason_key(k) for change in changes for k in change.keys}
    codes = {r.code for t in subject.tables.values() for r in t.rows if r.code.isdigit()}
    codes |= {p.key for p in dataset.prior_year if p.key.isdigit()}
    for entry in entries:
        if reason_key(entry.key) in keys:
            continue
        if entry.is_code and entry.key not in codes:
            why = (
                "本年与上年预算中都没有这个科目",
                "neither this year's budget nor last year's has that code",
            )
        elif entry.is_code:
            why = (
                "情况说明没有比较这个科目（只比较功能分类“类”和项目支出的“项”）",
                "the explanation compares no such code (only 类 and the 项 of 项目支出)",
            )
        else:
            why = ("情况说明中没有与上年比较的这一项", "the explanation compares no such item")
        yield Hit(
            Location(file=EXPLANATION_FILE, line=entry.line),
            {"line": entry.line, "key": entry.key, "why": why[0], "why_en": why[1]},
        )
