"""文字说明: the written explanation (部门预算情况说明) the build would publish. The parts only the
department can write (部门职责及机构设置, 国有资产占用情况, the reasons for a change) come from
its 说明 (``说明.md`` or the workbook's 情况说明 sheet); where that text is missing the published
document would carry a placeholder such as “（本部门未提供…）”. Such a document cannot go out as
it is: for a section 财预〔2016〕143号 requires it blocks publication, for a reason it is a warning.

These rules build the explanation exactly as ``yusuan build`` does and read what it would say.
"""

from __future__ import annotations

from collections.abc import Iterator

from yusuan.publish.narrative import NO_ASSETS, NO_DUTIES, NO_REASON, Narrative
from yusuan.rules.base import Hit, Location, Severity, rule
from yusuan.rules.subject import Subject

EXPLANATION_PLACE = "说明.md（情况说明）"

# The sections 财预〔2016〕143号 requires the department to write, and their placeholders.
REQUIRED_PLACEHOLDERS = {NO_DUTIES: "部门职责及机构设置", NO_ASSETS: "国有资产占用情况"}


def _narrative_of(subject: Subject) -> Narrative:
    """The explanation the build would publish, built once per subject and shared with the
    build (``Subject.written_explanation``)."""
    return subject.written_explanation


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
