"""The figures a narrative (部门预算情况说明) states, each with the sentence it stands in.

A published disclosure explains its tables in prose: "收入预算总计13,377.11万元，与上年相比增加
3,226.63万元，增长31.79%". The rules that compare text with tables (``rules/checks/narrative.py``)
need each such statement as data: ``StatedFigure`` — the amount in exact 元 and the unit and
precision it was printed with, its share (``占52.02%``) and the whole the share is of, the change
from last year (增加/减少/持平 with amount, rate and the prior figure when the text gives it), what
it is a figure of (``subjects``: canonical keywords such as ``收入合计`` or ``三公``, and a
``FunctionRef`` for a 支出功能分类 科目 named by code or by 类/款/项 names), the section it is
in, and its page and line.

Input is lines of text: ``(page, line, text)``. ``narrative_lines`` gets them from a PDF with
``pdftotext -layout``; ``text_lines`` from extracted text (pages separated by form feeds);
``generated_lines`` from yusuan's own ``publish.narrative.Narrative``. Layout text breaks
sentences across lines and pages, splits a number from its unit ("13,377.11\\n万元"), prints page
numbers in the middle of a paragraph and sometimes spaces out every character
("项 目 支 出 预 算 数 为"); the reader joins lines into paragraphs (a paragraph starts on an
indented line after a finished sentence or a heading), drops page numbers and removes the spaces
between Chinese characters, then reads the figures in order, so that a change ("与上年相比增加…")
or a share ("占…%") belongs to the figure stated before it, even across a full stop.

What a figure is *of* is recognised from the words before it (its ``label``), the lead of its
sentence ("本年收入预算合计…，其中：") and the section heading, by the patterns in ``SUBJECTS``
and ``TOPICS`` (data, in this module). Which table cell a subject means is the rules' business.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from yusuan.money import MoneyUnit

if TYPE_CHECKING:
    from yusuan.publish.narrative import Narrative

Line = tuple[int, int, str]  # (page, line, text); page 0 when the source has no pages

HUNDRED = Decimal(100)

# --- what a figure can be of: canonical subject keywords --------------------------------------

INCOME_TOTAL = "收入合计"
EXPENDITURE_TOTAL = "支出合计"
BOTH_TOTALS = "收支总计"
# 收入支出总计 / 收入总计 / 支出总计: the grand totals, carry-overs included (本年收入合计 +
# 上年结转 = 本年支出合计 + 结转下年), never the year's own 本年收入合计
GRAND_TOTAL = "收入支出总计"
INCOME_GRAND = "收入总计"
EXPENDITURE_GRAND = "支出总计"
FISCAL = "财政拨款"
FISCAL_INCOME = "财政拨款收入"
FISCAL_EXPENDITURE = "财政拨款支出"
FISCAL_BOTH = "财政拨款收支"
GENERAL = "一般公共预算"
GENERAL_EXPENDITURE = "一般公共预算支出"
FUND = "政府性基金"
FUND_EXPENDITURE = "政府性基金支出"
STATE_CAPITAL = "国有资本经营预算"
STATE_CAPITAL_EXPENDITURE = "国有资本经营预算支出"
SPECIAL_ACCOUNT = "财政专户管理资金"
UNIT_FUNDS = "单位资金"
OTHER_FUNDS = "其他资金"
BUSINESS_INCOME = "事业收入"
OPERATING_INCOME = "事业单位经营收入"
OTHER_INCOME = "其他收入"
SUPERIOR_GRANTS = "上级补助收入"
SUBORDINATE_PAYMENTS = "附属单位上缴收入"
CARRYOVER = "上年结转"
CARRY_FORWARD = "结转下年"
RESERVE = "单位预留机动经费"
BASIC = "基本支出"
FISCAL_BASIC = "财政拨款基本支出"
PROJECT = "项目支出"
PERSONNEL = "人员经费"
OPERATING = "公用经费"
THREE_PUBLIC = "三公"
ABROAD = "因公出国"
VEHICLE = "公务用车购置及运行"
VEHICLE_PURCHASE = "公务用车购置"
VEHICLE_OPERATION = "公务用车运行"
RECEPTION = "公务接待"
MEETING = "会议费"
TRAINING = "培训费"
OPERATING_COSTS = "机关运行经费"
PROCUREMENT = "政府采购"
GOODS = "货物"
WORKS = "工程"
SERVICES = "服务"
FUNCTION = "功能科目"

# Compound terms protected before the word 预算 is dropped from a label ("一般公共预算收入预算"
# reads as "一般公共预算收入"). Order: longest first.
_PROTECT = (
    ("一般公共预算", "Ⓖ"),
    ("国有资本经营预算", "Ⓢ"),
    ("政府性基金预算", "Ⓕ"),
    ("政府性基金", "Ⓕ"),
    ("国有资本经营", "Ⓢ"),
)

# A label's core (protected terms as Ⓖ/Ⓕ/Ⓢ, 预算 dropped, full-width brackets as ASCII) matched
# from its end: the first pattern that matches names the subject. Order matters: specific first.
_END = r"(?:总额|总计|合计|小计|金额|资金|支出|数|安排|拨款|总)*$"
# what stands before 收入/支出 when they mean the whole (the body's name, a bracket, 本年)
_WHOLE = r"(?:^|[^\u4e00-\u9fff]|部|厅|室|院|处|局|委|会|中心)"
SUBJECTS: tuple[tuple[str, str], ...] = (
    (FISCAL_BOTH, r"财政拨款(?:收入?、?支出?|收支)" + _END),
    # 总计 (not 本年…合计) is the grand total, carry-overs included
    (GRAND_TOTAL, r"(?<!本年)(?<!当年)(?:收入?、?支出?|收支)总计$"),
    (INCOME_GRAND, _WHOLE + r"收入总计$"),
    (EXPENDITURE_GRAND, _WHOLE + r"支出总计$"),
    (BOTH_TOTALS, r"收入?、支出?" + _END),
    (FISCAL_BASIC, r"(?:财政拨款|Ⓖ|Ⓖ财政拨款|Ⓖ拨款)基本支出" + _END),
    (BASIC, r"基本支出" + _END),
    (PROJECT, r"项目支出" + _END),
    (PERSONNEL, r"人员经费" + _END),
    (OPERATING, r"公用经费" + _END),
    (OPERATING_COSTS, r"机关运行经费" + _END),
    (THREE_PUBLIC, r"[“\"]?三公[”\"]?经费" + _END),
    (ABROAD, r"因公出国\(境\)费用?" + _END),
    (VEHICLE, r"公务用车(?:购置及运行(?:维护|维修)?|费)费?" + _END),
    (VEHICLE_PURCHASE, r"公务用车购置费?" + _END),
    (VEHICLE_OPERATION, r"公务用车运行(?:维护|维修)?费" + _END),
    (RECEPTION, r"公务接待费" + _END),
    (MEETING, r"会议费" + _END),
    (TRAINING, r"培训费" + _END),
    (GOODS, r"(?:拟采购|采购)?货物(?:类)?(?:采购)?" + _END),
    (WORKS, r"(?:拟采购|采购)?工程(?:类)?(?:采购)?" + _END),
    (SERVICES, r"(?:拟购买|购买|拟采购|采购)?服务(?:类)?(?:采购)?" + _END),
    (PROCUREMENT, r"政府采购(?:支出|预算)?" + _END),
    (RESERVE, r"预留机动经费" + _END),
    (CARRY_FORWARD, r"结转下年(?:资金)?" + _END),
    (CARRYOVER, r"上年结转(?:和结余|结余)?(?:资金)?" + _END),
    (GENERAL_EXPENDITURE, r"Ⓖ(?:财政)?(?:拨款)?支出" + _END),
    (FUND_EXPENDITURE, r"Ⓕ(?:财政)?(?:拨款)?支出" + _END),
    (STATE_CAPITAL_EXPENDITURE, r"Ⓢ(?:财政)?(?:拨款)?支出" + _END),
    (FISCAL_EXPENDITURE, r"财政拨款支出" + _END),
    (FISCAL_EXPENDITURE, r"财政拨款" + r"(?:总额|总计|合计|小计|金额|数|安排)*支出" + _END),
    (FISCAL_INCOME, r"财政拨款(?:收入)?" + _END),
    (GENERAL, r"Ⓖ(?:财政拨款|拨款)?(?:收入|资金)?" + _END),
    (FUND, r"Ⓕ(?:财政拨款|拨款)?(?:收入|资金)?" + _END),
    (STATE_CAPITAL, r"Ⓢ(?:财政拨款|拨款)?(?:收入|资金)?" + _END),
    (SPECIAL_ACCOUNT, r"财政专户(?:管理)?(?:资金)?(?:收入)?" + _END),
    (UNIT_FUNDS, r"单位资金(?:收入)?" + _END),
    (OTHER_FUNDS, r"其他资金(?:收入)?" + _END),
    (OPERATING_INCOME, r"(?:事业单位)?经营收入" + _END),
    (BUSINESS_INCOME, r"事业收入" + _END),
    (SUPERIOR_GRANTS, r"上级补助收入" + _END),
    (SUBORDINATE_PAYMENTS, r"附属单位上缴收入" + _END),
    (OTHER_INCOME, r"其他收入" + _END),
    (INCOME_TOTAL, r"(?:" + _WHOLE + r"|本年|当年)收入" + _END),
    (EXPENDITURE_TOTAL, r"(?:" + _WHOLE + r"|本年|当年)支出" + _END),
)
_SUBJECTS = tuple((key, re.compile(pattern)) for key, pattern in SUBJECTS)

# Section topics, from the heading (or a lead-in "…如下："): the first keyword found decides.
OVERVIEW = "overview"
TOPICS: tuple[tuple[str, str], ...] = (
    ("三公", "three-public"),
    ("机关运行", "operating-costs"),
    ("政府采购", "procurement"),
    ("绩效", "performance"),
    ("国有资产", "assets"),
    ("名词解释", "glossary"),
    ("政府性基金", "fund"),
    ("国有资本", "state-capital"),
    ("基本支出", "basic"),
    ("一般公共预算", "general-budget"),
    ("财政拨款支出", "fiscal-expenditure"),
    ("财政拨款", "fiscal"),
    ("收支", OVERVIEW),
    ("收入", "income"),
    ("支出", "expenditure"),
    ("编制说明", OVERVIEW),
)

# topics a lead-in ("财政拨款支出主要内容如下：") may set for the figures after it
LEAD_IN_TOPICS = frozenset(
    {"fiscal-expenditure", "fiscal", "general-budget", "fund", "state-capital", "basic"}
)

# what a figure measures, in a 决算's narrative: 年初预算, 全年预算 (调整预算) or 决算 ("" for the
# year's figure of a 预算); the label's words that say so, at its end
INITIAL, ADJUSTED, FINAL = "年初预算", "全年预算", "决算"
MEASURES: tuple[tuple[str, str], ...] = (
    (INITIAL, r"年初预算(?:数)?"),
    (ADJUSTED, r"(?:全年|调整后?)预算(?:数)?"),
    (FINAL, r"决算(?:数)?"),
)
_MEASURE_END = tuple(
    (measure, re.compile(words + r"(?:为|是|达到|共计)?$")) for measure, words in MEASURES
)
# a completion rate: "完成全年预算数的98.69%", "完成年初预算的95.89%", or of a budget it does not
# name as 年初 or 全年 ("完成预算的83.33%": ``share_of`` BUDGET)
BUDGET = "预算"
_COMPLETION = re.compile(
    r"完成(?P<of>" + "|".join(words for _, words in MEASURES) + r"|预算(?:数)?)的\s*$"
)
# what a completion rate can be stated against (``share_of`` of a rate, never of a share)
COMPLETED = (INITIAL, ADJUSTED, FINAL, BUDGET)

UP, DOWN, FLAT = "增加", "减少", "持平"
_UP_WORDS = ("增加", "增长", "上升", "增幅", "提高", "增")
_DOWN_WORDS = ("减少", "下降", "降低", "减幅", "降幅", "压减", "减")

# --- the records -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FunctionRef:
    """A 支出功能分类 科目 the text names: the code if printed, and the names as printed.

    ``names`` are ``(level, name)`` pairs, level 类/款/项, in the order printed; ``context`` is
    the 类 of the sub-heading the item stands under ("（一）一般公共服务支出（类）").
    """

    code: str = ""
    names: tuple[tuple[str, str], ...] = ()
    context: str = ""

    def name(self, level: str) -> str:
        return next((n for lv, n in self.names if lv == level), "")

    @property
    def level(self) -> str:
        """The most detailed level the reference names (类/款/项)."""
        if self.code:
            return {3: "类", 5: "款", 7: "项"}.get(len(self.code), "")
        return self.names[-1][0] if self.names else ""

    def describe(self) -> str:
        text = "".join(f"{n}（{lv}）" for lv, n in self.names)
        return f"{self.code} {text}".strip()


@dataclass(frozen=True, slots=True)
class Change:
    """The change from last year stated with a figure.

    ``direction`` is 增加/减少/持平; ``amount`` (元) and ``rate`` (a ratio, 0.1025 for 10.25%)
    as printed, with their printed texts and decimals; ``prior`` the last-year figure when the
    text states it ("上年预算30.00万元", "2023年当年预算执行数为60.13万元").
    """

    direction: str
    word: str
    amount: Decimal | None = None
    amount_text: str = ""
    amount_places: int = 0
    amount_unit: str = ""
    rate: Decimal | None = None
    rate_text: str = ""
    rate_places: int = 0
    prior: Decimal | None = None
    prior_text: str = ""
    prior_places: int = 0
    prior_unit: str = ""


@dataclass(frozen=True, slots=True)
class StatedFigure:
    """One amount the narrative states, with everything the rules need to check it.

    - ``text``: the figure as printed ("13,377.11万元"); ``amount`` in 元; ``unit`` as printed
      (元/万元/亿元) and ``places``, its printed decimals (the precision it can be compared to);
    - ``sentence``: the sentence it stands in; ``label``: the words that name it;
    - ``share`` (a ratio) with ``share_text`` as printed ("52.02%", or "76.23" with no sign) and
      ``share_of``, the whole it names ("本年支出合计"; "" for the sentence's lead);
    - ``subjects``: canonical keywords (``收入合计``, ``一般公共预算``, ``三公`` …), the first the
      one the figure is of; ``function``: the 科目 it is of, when it names one;
    - ``role``: ``current``, ``prior`` (last year's figure) or ``restated`` (the sentence's
      figure said again, "2024年预算安排25.77万元"); ``lead``: index of the whole the figure is
      a part of (the sentence's first figure, when this one follows 其中/包括), else -1;
    - ``section`` (heading), ``topic`` (what the section is about), ``page``, ``line``;
    - ``measure``: in a 决算's narrative, what the figure measures (``年初预算``, ``全年预算``,
      ``决算``), its subject the item it stands under; "" otherwise;
    - ``index``: position in the narrative; ``sentence_index`` and ``paragraph_index``;
      ``offset``: where the figure starts in its paragraph's text (``paragraphs``).

    A completion rate ("完成全年预算数的98.69%") is kept as the share of the figure before it,
    with ``share_of`` the measure it is of (``COMPLETED``).
    """

    text: str
    sentence: str
    label: str
    amount: Decimal
    unit: str
    places: int
    share: Decimal | None = None
    share_text: str = ""
    share_places: int = 0
    share_of: str = ""
    subjects: tuple[str, ...] = ()
    function: FunctionRef | None = None
    change: Change | None = None
    role: str = "current"
    lead: int = -1
    section: str = ""
    topic: str = ""
    lead_in: str = ""
    measure: str = ""
    page: int = 0
    line: int = 0
    index: int = 0
    sentence_index: int = 0
    paragraph_index: int = 0
    offset: int = 0

    @property
    def subject(self) -> str:
        """The main subject keyword ("" when the label names nothing known)."""
        return self.subjects[0] if self.subjects else ""

    @property
    def half_unit(self) -> Decimal:
        """Half a unit of the last printed digit, in 元: how far the printed figure may be from
        the exact amount it rounds."""
        return half_unit(self.unit, self.places)

    def where(self) -> str:
        return f"第{self.page}页第{self.line}行" if self.page else f"第{self.line}行"


def half_unit(unit: str, places: int) -> Decimal:
    factor = MoneyUnit.parse(unit).factor if unit else Decimal(1)
    return factor * Decimal(5) * Decimal(10) ** (-places - 1)


# --- lines -----------------------------------------------------------------------------------


def text_lines(text: str) -> list[Line]:
    """Lines of extracted text with their page (pages separated by form feeds) and line number
    (1-based, counted over the whole text)."""
    result: list[Line] = []
    page = 1
    for number, raw in enumerate(text.rstrip("\f\n").split("\n"), start=1):
        page += raw.count("\f")
        result.append((page, number, raw.replace("\f", "")))
    return result


def narrative_lines(pdf_path: str | Path) -> list[Line]:
    """The text lines of a PDF (``pdftotext -layout``), each with its page and line."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf_path), "-"],
        capture_output=True,
        check=True,
    )
    return text_lines(done.stdout.decode("utf-8", errors="replace"))


def generated_lines(narrative: Narrative) -> list[Line]:
    """yusuan's own narrative as lines: the title, each heading, each paragraph indented.

    Page 0 (no pages); the line number counts these lines from 1, as ``render_text`` lays them
    out (title, blank, heading, paragraphs, blank, …).
    """
    lines = [narrative.title, ""]
    for section in narrative.sections:
        lines.append(section.heading)
        lines += [f"　　{p}" for p in section.paragraphs]
        lines.append("")
    return [(0, number, text) for number, text in enumerate(lines, start=1)]


# --- paragraphs ------------------------------------------------------------------------------

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’"
_SPACE_AROUND_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")
_PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*\d{1,3}\s*[-—–]?\s*$")
_ENUMERATOR = re.compile(
    r"^(?:[（(](?:[一二三四五六七八九十]+|\d{1,2})[)）]|\d{1,2}\s*[.．、]|[一二三四五六七八九十]+、)"
)
_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")
_SENTENCE_END = "。！？!?"
_TABLE_GAP = re.compile(r"\S\s{2,}[-\d,.]+(?:\s|$)")
_DIGITS = str.maketrans("０１２３４５６７８９％．", "0123456789%.")


@dataclass
class _Paragraph:
    text: str = ""
    # (offset in text, page, line) where each joined piece starts
    marks: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, piece: str, page: int, line: int) -> None:
        self.marks.append((len(self.text), page, line))
        self.text += piece

    def where(self, offset: int) -> tuple[int, int]:
        page, line = (self.marks[0][1], self.marks[0][2]) if self.marks else (0, 0)
        for start, p, n in self.marks:
            if start > offset:
                break
            page, line = p, n
        return page, line


def _clean(text: str) -> str:
    text = text.translate(_DIGITS)
    text = _SPACE_AROUND_CJK.sub("", text.strip())
    text = re.sub(r"(?<=\d)\s+(?=%|万元|亿元|元)", "", text)
    return re.sub(r"\s+", " ", text)


def _is_table_line(raw: str) -> bool:
    """A line of a table laid out in columns: figures apart by wide gaps, no sentence marks."""
    if re.search(r"[，。；：,;]", raw):
        return False
    return len(_TABLE_GAP.findall(raw)) >= 2


def is_heading_like(text: str) -> bool:
    """A short line that is not a sentence: a heading or a sub-heading."""
    return (
        0 < len(text) <= 40
        and text[-1] not in "。，；：,;:！？"
        and not _FIGURE.search(text)
        and bool(_HEADING.match(text) or text.endswith(("说明", "情况", "(类)", "（类）")))
    )


def paragraphs(lines: Iterable[Line]) -> list[_Paragraph]:
    """Join layout lines into paragraphs (see the module doc)."""
    result: list[_Paragraph] = []
    current: _Paragraph | None = None
    for page, number, raw in lines:
        if not raw.strip() or _PAGE_NUMBER.match(raw) or _is_table_line(raw):
            continue
        indented = raw[:1] in (" ", "\t", "\u3000")
        text = _clean(raw)
        if not text:
            continue
        finished = current is not None and current.text.rstrip("）)”\"’'")[-1:] in _SENTENCE_END
        starts = (
            current is None
            or (not indented and bool(_HEADING.match(text)) and is_heading_like(text))
            # text that lost its indentation: an enumerated item after a finished sentence
            or (not indented and finished and bool(_ENUMERATOR.match(text)))
            or (indented and (finished or is_heading_like(current.text) or is_heading_like(text)))
        )
        if starts or current is None:
            current = _Paragraph()
            result.append(current)
        current.add(text, page, number)
    return result


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences of a paragraph with their start offsets (split after 。！？)."""
    result: list[tuple[int, str]] = []
    start = 0
    for found in re.finditer(rf"[{_SENTENCE_END}]", text):
        result.append((start, text[start : found.end()]))
        start = found.end()
    if start < len(text):
        result.append((start, text[start:]))
    return result


# --- figures ---------------------------------------------------------------------------------

_NUMBER = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_FIGURE = re.compile(_NUMBER + r"\s*(亿元|万元|元|%|(?=[，。；,;）)]|$))")
_SHARE_BEFORE = re.compile(
    r"占(?P<of>[^，。；,;：:占]{0,24}?)(?:的)?(?:比重|比例|比重为|比例为)?\s*$"
)
_CHANGE_BEFORE = re.compile(
    r"(?P<word>" + "|".join(sorted(_UP_WORDS + _DOWN_WORDS, key=len, reverse=True)) + r")"
    r"(?:了|为|幅度为|幅为)?\s*$"
)
_FLAT = re.compile(r"持平|(?:与|同|和)上年[^，。；]{0,8}?一致|保持不变|没有变化|无变化")
_CLAUSE_BREAK = re.compile(r"[，。；：,;:!?！？]")
_BOOK_TITLE = re.compile(r"《[^》]*》")
_YEAR_WORD = re.compile(r"(?:19|20)\d{2}\s*年(?:度)?")
_CODE = re.compile(r"^(\d{7}|\d{5}|\d{3})(?!\d)\s*")
_PRIOR_MARK = re.compile(r"上年|上一年|去年|执行数|上年度")
_LEAD_WORDS = re.compile(r"其中|包括|如下|以下|分别为|具体情况")
# a clause giving reasons: figures in it are asides, not statements of the budget's figures
_REASON = re.compile(r"原因|一是|二是|三是|四是")
_ASIDE_END = re.compile(
    r"如下[:：]|[:：；;]\s*(?:\d{1,2}\s*[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）])"
)


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None


def _places(number: str) -> int:
    return len(number.split(".", 1)[1]) if "." in number else 0


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


def _core(label: str) -> str:
    """A label reduced to what names the figure: no enumerator, year, book title, 预算."""
    text = unicodedata.normalize("NFKC", label).replace(" ", "")
    text = _BOOK_TITLE.sub("", text)
    text = _YEAR_WORD.sub("", text)
    for term, mark in _PROTECT:
        text = text.replace(term, mark)
    text = text.replace("预算", "")
    text = re.sub(r"(?:为|是|共计|达到|达|约)$", "", text)
    text = re.sub(r"(?:为|是)$", "", text)
    return text


def measure_of(label: str) -> tuple[str, str]:
    """The measure a label ends with (年初预算/全年预算/决算) and the words before it."""
    text = label.strip()
    for measure, pattern in _MEASURE_END:
        found = pattern.search(text)
        if found is not None:
            return measure, text[: found.start()]
    return "", text


def subjects_of(label: str) -> tuple[str, ...]:
    """The canonical subject keywords a label names, the main one first."""
    core = _core(label)
    return next(((key,) for key, pattern in _SUBJECTS if pattern.search(core)), ())


def _strip_enumerator(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _ENUMERATOR.sub("", text).strip()
        text = text.lstrip('“"')
    return text


def function_ref(label: str, context: str, class_names: frozenset[str]) -> FunctionRef | None:
    """The 科目 a label names: by a leading code, by names marked (类)/(款)/(项), or by the
    exact name of a 类 ("社会保障和就业支出1,890.27万元")."""
    text = unicodedata.normalize("NFKC", _strip_enumerator(label)).replace(" ", "")
    text = text.strip('“”"')
    code_match = _CODE.match(text)
    code = code_match.group(1) if code_match else ""
    rest = text[code_match.end() :] if code_match else text
    # "行政运行（项）", or with the level's code digits inside: "公共安全支出（204类）司法（06款）"
    pieces = re.split(r"[(（](\d{0,3})(类|款|项)[)）]", rest)
    names = tuple(
        (pieces[i + 2], pieces[i].strip('“”"、,，'))
        for i in range(0, len(pieces) - 2, 3)
        if pieces[i].strip('“”"、,，')
    )
    digits = "".join(pieces[i + 1] for i in range(0, len(pieces) - 2, 3))
    if not code and _is_function_code(digits):
        code = digits
    if names or code:
        return FunctionRef(code, names, context)
    # a 类 named bare, "社会保障和就业支出1,890.27万元", also as a total: "…支出合计"
    whole = re.sub(r"(?:合计|总计|小计|总额)$", "", rest)
    bare = re.sub(r"支出$", "", whole)
    named = next((x for x in (rest, whole, bare, f"{bare}支出") if x in class_names), "")
    return FunctionRef("", (("类", named),), context) if named else None


# what part of a 科目 a label names after it ("…（项）项目支出"): the subject of that column
_FUNCTION_PART = re.compile(r"(项目支出|基本支出)(?:预算)?(?:数|安排)?(?:为|是)?$")


def function_part(label: str) -> tuple[str, ...]:
    """(PROJECT,) or (BASIC,) when a label naming a 科目 ends with 项目支出 / 基本支出."""
    found = _FUNCTION_PART.search(label.strip())
    if found is None:
        return ()
    return (PROJECT,) if found.group(1) == PROJECT else (BASIC,)


def _is_function_code(digits: str) -> bool:
    """Digits pieced together from "（204类）（06款）（01项）": a 类, 款 or 项 code."""
    return len(digits) in (3, 5, 7) and digits.isdigit()


def topic_of(text: str) -> str:
    return next((topic for word, topic in TOPICS if word in text), "")


@dataclass
class _Working:
    """A figure while its paragraph is read (frozen into ``StatedFigure`` at the end)."""

    figure: StatedFigure
    change: dict[str, object] = field(default_factory=dict)


class _Reader:
    def __init__(self, year: int | None, class_names: frozenset[str]) -> None:
        self.year = year
        self.class_names = class_names
        self.section = ""
        self.topic = ""
        self.lead_in = ""
        self.class_context = ""
        self.figures: list[_Working] = []
        self.sentence_count = 0
        # the item a paragraph is about, for the 决算 figures that do not name it again
        self.item: tuple[tuple[str, ...], FunctionRef | None] | None = None

    def _item_heading(self, text: str) -> tuple[tuple[str, ...], FunctionRef | None] | None:
        """The 科目 an enumerated sentence names without an amount, the item the 决算 figures
        after it are of ("1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。")."""
        first = re.sub(r"^(?:其中|包括|具体如下|如下)[:：]?", "", text.strip())
        if not _ENUMERATOR.match(first) or _FIGURE.search(first):
            return None
        ref = function_ref(first.rstrip("。.；;，, "), self.class_context, self.class_names)
        return ((FUNCTION,), ref) if ref is not None else None

    def heading(self, text: str) -> None:
        if "(类)" in unicodedata.normalize("NFKC", text):
            ref = function_ref(text, "", self.class_names)
            self.class_context = ref.name("类") if ref else ""
            return
        self.section = text
        self.topic = topic_of(text) or self.topic
        self.lead_in = ""
        self.class_context = ""

    def paragraph(self, para_index: int, para: _Paragraph) -> None:
        text = para.text
        if is_heading_like(text):
            self.heading(text)
            return
        # a lead-in ("财政拨款支出主要内容如下：") sets the topic of the figures after it
        lead_ins = [
            (found.end(), found.group(1))
            for found in re.finditer(r"([^。：:，,；;]*?)如下[:：]", text)
            if topic_of(found.group(1)) in LEAD_IN_TOPICS
        ]
        last: _Working | None = None  # the figure a change or share belongs to
        self.item = None
        for start, sentence in split_sentences(text):
            self.item = self._item_heading(sentence) or self.item
            self.sentence_count += 1
            prior: _Working | None = None  # last year's figure stated in this sentence
            sentence_first: _Working | None = None
            # a sentence that begins "其中：" lists the parts of the figure before it
            opening = _FIGURE.split(sentence, maxsplit=1)[0]
            lead_open = bool(_LEAD_WORDS.match(opening.strip(" ，,：:")))
            if lead_open and last is not None:
                sentence_first = last
            # a change belongs to the figure before it only while no other subject is named:
            # a new sentence with figures of its own starts afresh unless it begins "与上年…"
            if (
                last is not None
                and not lead_open
                and _FIGURE.search(sentence)
                and not re.match(r"^[，,]?(?:与|同|比|较)", sentence)
            ):
                last = None
            cursor = 0  # end of the previous figure within the sentence
            aside = False
            for found in _FIGURE.finditer(sentence):
                number, unit = found.group(1), found.group(2)
                before = sentence[cursor : found.start()]
                offset = start + found.start()
                page, line = para.where(offset)
                while lead_ins and lead_ins[0][0] <= offset:
                    self.lead_in = lead_ins.pop(0)[1]
                flat = _FLAT.search(before)
                if flat and last is not None and "direction" not in last.change:
                    last.change.update(direction=FLAT, word=flat.group(0))
                reason = _last(_REASON, before)
                if reason is not None:
                    aside = True
                # the reasons end where a list of figures begins ("…如下：1、…")
                if aside and _ASIDE_END.search(before, reason.end() if reason else 0):
                    aside = False
                if aside:
                    cursor = found.end()
                    continue
                if unit in ("%", ""):
                    # a percentage; a bare number only when it stands where one should
                    last = self._percent(last, prior, before, number, unit, page, line)
                    cursor = found.end()
                    continue
                change = _CHANGE_BEFORE.search(before)
                if change and last is not None:
                    self._change_amount(last, change.group("word"), number, unit)
                    cursor = found.end()
                    continue
                label = _CLAUSE_BREAK.split(before)[-1].strip()
                if not re.search(r"[\u4e00-\u9fff]", _BOOK_TITLE.sub("", label)):
                    parts = [p for p in _CLAUSE_BREAK.split(before) if p.strip()]
                    label = parts[-1].strip() if parts else label
                if _LEAD_WORDS.search(before) and sentence_first is not None:
                    lead_open = True
                figure = self._figure(
                    number,
                    unit,
                    label,
                    sentence,
                    page,
                    line,
                    len(self.figures),
                    lead=sentence_first if lead_open else None,
                    paragraph_index=para_index,
                    offset=offset,
                )
                working = _Working(figure)
                self.figures.append(working)
                if figure.role == "prior":
                    prior = working
                    if last is not None and "prior" not in last.change:
                        last.change.update(
                            prior=figure.amount,
                            prior_text=figure.text,
                            prior_places=figure.places,
                            prior_unit=figure.unit,
                        )
                else:
                    if figure.role == "restated" and prior is not None:
                        working.change.update(
                            prior=prior.figure.amount,
                            prior_text=prior.figure.text,
                            prior_places=prior.figure.places,
                            prior_unit=prior.figure.unit,
                        )
                    last = working
                    if sentence_first is None:
                        sentence_first = working
                cursor = found.end()
            flat = _FLAT.search(sentence[cursor:])
            if last is not None and flat and "direction" not in last.change:
                last.change.update(direction=FLAT, word=flat.group(0))

    def _percent(
        self,
        last: _Working | None,
        prior: _Working | None,
        before: str,
        number: str,
        unit: str,
        page: int,
        line: int,
    ) -> _Working | None:
        share = _SHARE_BEFORE.search(before)
        change = _CHANGE_BEFORE.search(before)
        completion = _COMPLETION.search(before)
        if completion is not None and last is not None and share is None:
            # "完成全年预算数的98.69%": the 决算 as a share of the measure named
            of = measure_of(completion.group("of"))[0] or BUDGET
            last.figure = _replace(
                last.figure,
                share=_decimal(number) / HUNDRED,
                share_text=f"{number}{unit}",
                share_places=_places(number),
                share_of=of,
            )
            return last
        if last is None or (share is None and change is None):
            return last
        if not unit and (change is not None and last.change.get("amount") is None):
            return last  # "增加3" with no unit is not a rate
        text = f"{number}{unit}"
        ratio = _decimal(number) / HUNDRED
        if share is not None:
            of = re.sub(r"[“”\"]", "", share.group("of")).strip()
            last.figure = _replace(
                last.figure,
                share=ratio,
                share_text=text,
                share_places=_places(number),
                share_of=of,
            )
        elif change is not None:
            word = change.group("word")
            last.change.setdefault("direction", _direction(word))
            last.change.setdefault("word", word)
            last.change.update(rate=ratio, rate_text=text, rate_places=_places(number))
            if prior is not None and "prior" not in last.change and prior is not last:
                last.change.update(
                    prior=prior.figure.amount,
                    prior_text=prior.figure.text,
                    prior_places=prior.figure.places,
                    prior_unit=prior.figure.unit,
                )
        return last

    def _change_amount(self, last: _Working, word: str, number: str, unit: str) -> None:
        last.change.setdefault("direction", _direction(word))
        last.change.setdefault("word", word)
        last.change.update(
            amount=_decimal(number) * MoneyUnit.parse(unit).factor,
            amount_text=f"{number}{unit}",
            amount_places=_places(number),
            amount_unit=unit,
        )

    def _figure(
        self,
        number: str,
        unit: str,
        label: str,
        sentence: str,
        page: int,
        line: int,
        index: int,
        lead: _Working | None,
        paragraph_index: int,
        offset: int = 0,
    ) -> StatedFigure:
        role = "current"
        clean_label = label.replace("上年结转", "").replace("上年结余", "")
        if _PRIOR_MARK.search(clean_label) or self._earlier_year(label):
            role = "prior"
        core = _core(_strip_enumerator(label))
        core = re.sub(r"^(?:本年|今年|当年)", "", core)
        if role == "current" and not re.sub(r"(?:安排|数)", "", core):
            role = "restated"
        subjects: tuple[str, ...] = ()
        function = None
        measure, rest = measure_of(label)
        if measure and role != "prior":
            role = "current"
            subjects, function = self._measured(rest)
        elif role != "prior":
            function = function_ref(label, self.class_context, self.class_names)
            subjects = (FUNCTION,) if function else subjects_of(label)
            if function is not None:
                # "2013202 …（项）项目支出1,749.73万元": that 科目's 项目支出 (or 基本支出)
                subjects += function_part(label)
            if self._class_total(label, subjects):
                # "支出合计" under the heading of a 类 is that 类's total, not the document's
                function = FunctionRef("", (("类", self.class_context),), self.class_context)
                subjects = (FUNCTION,)
            if role == "restated":
                subjects = ()
        return StatedFigure(
            text=f"{number}{unit}",
            sentence=sentence,
            label=label,
            amount=_decimal(number) * MoneyUnit.parse(unit).factor,
            unit=unit,
            places=_places(number),
            subjects=subjects,
            function=function,
            role=role,
            lead=lead.figure.index if lead is not None else -1,
            section=self.section,
            topic=topic_of(self.lead_in) or self.topic,
            lead_in=self.lead_in,
            measure=measure if role != "prior" else "",
            page=page,
            line=line,
            index=index,
            sentence_index=self.sentence_count,
            paragraph_index=paragraph_index,
            offset=offset,
        )

    def _measured(self, rest: str) -> tuple[tuple[str, ...], FunctionRef | None]:
        """What a 决算 figure ("…支出年初预算为", "全年预算为", "支出决算为") is of: the words
        before its measure, else the item it stands under (the paragraph's 科目 heading, or
        the figure before it that named one)."""
        function = function_ref(rest, self.class_context, self.class_names) if rest else None
        subjects: tuple[str, ...] = (FUNCTION,) if function else ()
        if not subjects and re.sub(r"^(?:支出|收入)", "", _core(_strip_enumerator(rest))):
            subjects = subjects_of(rest)
        if subjects:
            self.item = (subjects, function)
        elif self.item is not None:
            subjects, function = self.item
        return subjects, function

    def _class_total(self, label: str, subjects: tuple[str, ...]) -> bool:
        """A bare total ("支出合计") stated under a 类 heading, without 本年/部门 wording."""
        if not self.class_context or subjects not in ((INCOME_TOTAL,), (EXPENDITURE_TOTAL,)):
            return False
        core = _core(_strip_enumerator(label))
        return bool(re.fullmatch(r"(?:支出|收入)" + _END, core))

    def _earlier_year(self, label: str) -> bool:
        if self.year is None:
            return False
        years = [int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", label)]
        return any(y < self.year for y in years)

    def result(self) -> tuple[StatedFigure, ...]:
        figures: list[StatedFigure] = []
        by_index: dict[int, StatedFigure] = {}
        for working in self.figures:
            figure = working.figure
            if working.change.get("direction"):
                values = working.change
                figure = _replace(
                    figure,
                    change=Change(
                        direction=str(values["direction"]),
                        word=str(values.get("word", "")),
                        amount=_opt_decimal(values.get("amount")),
                        amount_text=str(values.get("amount_text", "")),
                        amount_places=int(str(values.get("amount_places", 0))),
                        amount_unit=str(values.get("amount_unit", "")),
                        rate=_opt_decimal(values.get("rate")),
                        rate_text=str(values.get("rate_text", "")),
                        rate_places=int(str(values.get("rate_places", 0))),
                        prior=_opt_decimal(values.get("prior")),
                        prior_text=str(values.get("prior_text", "")),
                        prior_places=int(str(values.get("prior_places", 0))),
                        prior_unit=str(values.get("prior_unit", "")),
                    ),
                )
            if figure.role == "restated":
                # a figure said again has the subject of the sentence's figure before it
                previous = next(
                    (
                        f
                        for f in reversed(figures)
                        if f.paragraph_index == figure.paragraph_index and f.role == "current"
                    ),
                    None,
                )
                if previous is not None:
                    figure = _replace(
                        figure,
                        subjects=previous.subjects,
                        function=previous.function,
                        lead=previous.index,
                    )
            by_index[figure.index] = figure
            figures.append(figure)
        return tuple(figures)


def _opt_decimal(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


def _direction(word: str) -> str:
    return UP if word in _UP_WORDS else DOWN


def _replace(figure: StatedFigure, **changes: object) -> StatedFigure:
    import dataclasses

    return dataclasses.replace(figure, **changes)  # type: ignore[arg-type]


def _class_names(year: int | None) -> frozenset[str]:
    from yusuan.catalog.loader import catalogs_for

    names: set[str] = set()
    for y in {year or 2021, 2021}:
        try:
            names |= {e.name for e in catalogs_for(y).function.at_level("类")}
        except (ValueError, KeyError, OSError):  # pragma: no cover - no catalogue that year
            continue
    return frozenset(unicodedata.normalize("NFKC", n) for n in names)


def guess_year(lines: Sequence[Line]) -> int | None:
    """The budget year a narrative is about: the year it names most often."""
    counts = Counter(
        int(y)
        for _, _, text in lines
        for y in re.findall(r"((?:19|20)\d{2})\s*年", text.translate(_DIGITS))
    )
    return counts.most_common(1)[0][0] if counts else None


def stated_figures(lines: Sequence[Line], year: int | None = None) -> tuple[StatedFigure, ...]:
    """Every figure the lines state, in order (``year``: the budget year, guessed if None)."""
    year = year or guess_year(lines)
    reader = _Reader(year, _class_names(year))
    for number, para in enumerate(paragraphs(lines)):
        reader.paragraph(number, para)
    return reader.result()


__all__ = [
    "Change",
    "FunctionRef",
    "StatedFigure",
    "generated_lines",
    "narrative_lines",
    "stated_figures",
    "text_lines",
]
