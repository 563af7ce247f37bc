"""Project performance-target forms (项目支出绩效目标申报表) read back into ``Project`` and
``Indicator`` records.

The fields, the funds and the text of a form are label/value pairs (``forms.toml``). The
indicator table is harder: each printed row holds the 实施期 half (一级, 二级, 三级, 指标值) and
the 年度 half (二级, 三级, 指标值), and a text extraction loses the columns — empty cells vanish,
a narrow column cuts names short, a value is glued to its name, a merged label lands on a
neighbouring row, a value is pushed past the last column. So each row is read as a sequence of
tokens, each token classed by what it is (a 一级 or 二级 label, a comparison value, other
text), and the halves are found from the order of the tokens, not from their columns.

Then, for each form, the groups are rebuilt from the labels of both halves:

1. a 一级 and 二级 printed together on the row above a row that prints the same 二级 again
   drifted up: they belong to the lower row;
2. a group starts where either half prints a new 二级; the half that prints nothing there takes
   its own wording of that group, as the document's other rows pair the two wordings;
3. a 二级 never crosses a 一级: at a new 一级 without a printed 二级, the next one is taken;
4. a row without labels just above a new group joins that group when this document files its
   三级 name under that group (and not under the current one) in its other rows: the group's
   label was printed one row low.

Cut labels are completed from the known wording (then from the form's own names); a name cut
short in one half takes the full name from the other half when it is a prefix; a value lost
from one half is taken from the other and marked. Every such decision is reported.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from yusuan.audit.document import ReadProblem
from yusuan.audit.grid import Block, GridRow
from yusuan.audit.recognise import label, normalise, parse_number, year_in
from yusuan.model.records import (
    PERIOD_IMPLEMENTATION,
    PERIOD_YEAR,
    Funds,
    Indicator,
    Origin,
    Project,
)
from yusuan.money import MoneyUnit
from yusuan.tables.forms import ProjectForm

L1, L2, VALUE, TEXT = "L1", "L2", "value", "text"
RESTORED_NOTE = "年度指标值在提取文本中缺失，按实施期值补录 / restored from the 实施期 half"
RESTORED_FROM_YEAR_NOTE = "实施期指标值在提取文本中缺失，按年度值补录 / restored from the 年度 half"
_FUNDS_UNIT = re.compile(r"[(（]\s*(亿元|万元|元)\s*[)）]")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})")


# --- the data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormVocabulary:
    """Everything ``forms.toml`` holds, normalised for comparison."""

    titles: tuple[str, ...]
    fields: Mapping[str, str]
    funds_heading: tuple[str, ...]
    fund_prefixes: tuple[str, ...]
    period_total: tuple[str, ...]
    year_total: tuple[str, ...]
    fund_rows: tuple[tuple[str, tuple[str, ...]], ...]
    goal_labels: frozenset[str]
    goal_year_heading: frozenset[str]
    section: frozenset[str]
    halves: frozenset[str]
    header: frozenset[str]
    value_header: str
    level1: tuple[str, ...]
    level1_2021: tuple[str, ...]
    level2_2021: frozenset[str]
    level2: tuple[str, ...]
    min_cut: int
    footer: frozenset[str]
    operators: tuple[str, ...]

    def is_title(self, text: str) -> bool:
        wanted = normalise(text)
        return any(normalise(t) in wanted for t in self.titles)

    @functools.cached_property
    def value_pattern(self) -> re.Pattern[str]:
        ops = "|".join(re.escape(o) for o in sorted(self.operators, key=len, reverse=True))
        return re.compile(rf"^(?:({ops})\s*)?(-?\d+(?:\.\d+)?)(.*)$", re.S)

    @functools.cached_property
    def glued_pattern(self) -> re.Pattern[str]:
        ops = "|".join(
            re.escape(o) for o in sorted(self.operators, key=len, reverse=True) if o != "+"
        )
        return re.compile(rf"^(.*?[^\s<>=≤≥＜＞＝≠])\s*((?:{ops})\s*-?\d.*)$", re.S)


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


@functools.cache
def form_vocabulary() -> FormVocabulary:
    text = resources.files("yusuan.audit").joinpath("data/forms.toml").read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    funds, indicators = data["funds"], data["indicators"]
    return FormVocabulary(
        titles=_strings(data["titles"]),
        fields={label(k): str(v) for k, v in data["fields"].items()},
        funds_heading=tuple(label(w) for w in _strings(funds["heading"])),
        fund_prefixes=tuple(label(w) for w in _strings(funds["prefixes"])),
        period_total=tuple(label(w) for w in _strings(funds["period_total"])),
        year_total=tuple(label(w) for w in _strings(funds["year_total"])),
        fund_rows=tuple(
            (str(r["key"]), tuple(label(w) for w in _strings(r["words"]))) for r in funds["rows"]
        ),
        goal_labels=frozenset(label(w) for w in _strings(data["goals"]["labels"])),
        goal_year_heading=frozenset(label(w) for w in _strings(data["goals"]["year_heading"])),
        section=frozenset(label(w) for w in _strings(indicators["section"])),
        halves=frozenset(label(w) for w in _strings(indicators["halves"])),
        header=frozenset(label(w) for w in _strings(indicators["header"])),
        value_header=label(str(indicators["value_header"])),
        level1=tuple(label(w) for w in _strings(indicators["level1"])),
        level1_2021=tuple(label(w) for w in _strings(indicators["level1_2021"])),
        level2_2021=frozenset(label(w) for w in _strings(indicators["level2_2021"])),
        level2=tuple(label(w) for w in _strings(indicators["level2"])),
        min_cut=int(indicators["min_cut"]),
        footer=frozenset(label(w) for w in _strings(indicators["footer"])),
        operators=_strings(indicators["operators"]),
    )


# --- small readers ---------------------------------------------------------------------------


def complete(text: str, known: Iterable[str], min_cut: int) -> str | None:
    """The shortest known wording that ``text`` is, or begins (when cut to ``min_cut`` chars or
    more); None when it is neither."""
    wanted = label(text)
    words = [label(k) for k in known]
    if wanted in words:
        return wanted
    longer = [w for w in words if len(wanted) >= min_cut and w.startswith(wanted)]
    return min(longer, key=len) if longer else None


def extend(text: str, names: Iterable[str]) -> str:
    """The shortest of ``names`` that continues ``text`` (a label cut short), else the text."""
    wanted = label(text)
    longer = [
        label(n) for n in names if label(n).startswith(wanted) and len(label(n)) > len(wanted)
    ]
    return min(longer, key=len) if longer else wanted


def prefix_related(a: str, b: str) -> bool:
    """Is one text the other cut short (or equal)?"""
    x, y = label(a), label(b)
    return bool(x) and bool(y) and (x.startswith(y) or y.startswith(x))


def fuller(a: str, b: str) -> str:
    """Of two texts where one is the other cut short, the full one."""
    return a if len(label(a)) >= len(label(b)) else b


def split_value(text: str) -> tuple[str, str, str]:
    """A printed indicator value as (operator, value, unit): "<=20万元" -> ("<=", "20", "万元");
    a qualitative value ("及时") is ("", "及时", "")."""
    found = form_vocabulary().value_pattern.match(text.strip())
    if not found:
        return "", text.strip(), ""
    return found.group(1) or "", found.group(2), found.group(3).strip()


def parse_date(text: str) -> date | None:
    found = _DATE.search(normalise(text))
    if not found:
        return None
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        return None


# --- tokens of an indicator row -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    kind: str  # L1, L2, VALUE or TEXT


def is_value(text: str) -> bool:
    """A quantitative value: an operator then a number ("≥90%"), or a number with a short unit
    ("100%", "12天"; not a year such as "2021年…")."""
    found = form_vocabulary().value_pattern.match(normalise(text))
    if not found:
        return False
    unit = found.group(3)
    return bool(found.group(1)) or (len(unit) <= 2 and not unit.startswith("年"))


def classify(text: str, scheme_2021: bool) -> str:
    vocab = form_vocabulary()
    if is_value(text):
        return VALUE
    level1 = vocab.level1 + (vocab.level1_2021 if scheme_2021 else ())
    if complete(text, level1, vocab.min_cut):
        return L1
    if complete(text, vocab.level2, vocab.min_cut):
        return L2
    return TEXT


def split_glued(text: str) -> list[str]:
    """A name and its value that the extraction glued together ("培训次数(=1次")."""
    if is_value(text):
        return [text]
    found = form_vocabulary().glued_pattern.match(text)
    if found and is_value(found.group(2)):
        return [found.group(1), found.group(2)]
    return [text]


def tokens_of(row: GridRow, scheme_2021: bool) -> list[Token]:
    vocab = form_vocabulary()
    tokens: list[Token] = []
    for text in row.texts():
        if label(text) in vocab.section:
            continue
        tokens.extend(Token(piece, classify(piece, scheme_2021)) for piece in split_glued(text))
    return tokens


@dataclass(frozen=True, slots=True)
class Half:
    """One half of an indicator row as printed: its labels (before the name), name and value."""

    labels: tuple[Token, ...] = ()
    name: str | None = None
    value: str | None = None


def read_half(tokens: Sequence[Token]) -> Half:
    """The value is the last token when it is a comparison value, or a text with a name before
    it; the name is the last text before the value (or a second label of the same level right
    before it); what precedes the name are labels."""
    rest = list(tokens)
    value = None
    texts = [t for t in rest if t.kind == TEXT]
    if rest and (rest[-1].kind == VALUE or (rest[-1].kind == TEXT and len(texts) >= 2)):
        value = rest.pop().text
    name_at = max((i for i, t in enumerate(rest) if t.kind == TEXT), default=-1)
    if name_at < 0 and len(rest) >= 2 and rest[-1].kind == rest[-2].kind:
        # a half prints one label of each level: the second of two in a row is the name,
        # worded as a label (三级 服务对象满意度 under 二级 服务对象满意度指标)
        name_at = len(rest) - 1
    if name_at < 0:
        return Half(tuple(t for t in rest if t.kind in (L1, L2)), None, value)
    return Half(tuple(rest[:name_at]), rest[name_at].text, value)


def split_halves(tokens: Sequence[Token]) -> tuple[list[Token], list[Token]]:
    """Where the 年度 half begins: at a label after the 实施期 content; else after the first
    value that follows a name; else by the names (the 年度 name is the 实施期 one, cut short)."""
    seen = False
    for index, token in enumerate(tokens):
        if token.kind in (L1, L2) and seen:
            return list(tokens[:index]), list(tokens[index:])
        seen = seen or token.kind in (TEXT, VALUE)
    for index, token in enumerate(tokens):
        if token.kind == VALUE and any(t.kind == TEXT for t in tokens[:index]):
            return list(tokens[: index + 1]), list(tokens[index + 1 :])
    texts = [i for i, t in enumerate(tokens) if t.kind == TEXT]
    words = [tokens[i].text for i in texts]
    if len(texts) >= 4 or (len(texts) == 3 and prefix_related(words[2], words[0])):
        cut = texts[1] + 1
    elif len(texts) >= 2 and prefix_related(words[1], words[0]):
        cut = texts[0] + 1
    else:
        cut = len(tokens)
    return list(tokens[:cut]), list(tokens[cut:])


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One printed row of the indicator table, its two halves read but not yet grouped."""

    line: int
    impl: Half
    year: Half | None


def read_indicator_row(row: GridRow, two_halves: bool, scheme_2021: bool) -> IndicatorRow:
    tokens = tokens_of(row, scheme_2021)
    if not two_halves:
        return IndicatorRow(row.line, read_half(tokens), None)
    first, second = split_halves(tokens)
    return IndicatorRow(row.line, read_half(first), read_half(second) if second else Half())


# --- a form's parts -------------------------------------------------------------------------


@dataclass
class FormDraft:
    """A form read as printed, before its indicators are grouped (phase one)."""

    block: Block
    year: int | None = None
    unit: MoneyUnit = MoneyUnit.WAN
    fields: dict[str, str] = field(default_factory=dict)
    name_line: int = 0
    period_funds: dict[str, Decimal] = field(default_factory=dict)
    year_funds: dict[str, Decimal] = field(default_factory=dict)
    goals: list[str] = field(default_factory=lambda: ["", ""])
    two_halves: bool = True
    rows: list[IndicatorRow] = field(default_factory=list)
    problems: list[ReadProblem] = field(default_factory=list)

    def problem(self, line: int, zh: str, en: str) -> None:
        self.problems.append(ReadProblem(line, zh, en, self.fields.get("name", "")))


def field_label(text: str) -> tuple[str, str | None] | None:
    """The attribute a cell labels, and the value it carries after its colon ("联系电话: 131…"),
    or None when the cell is no field label."""
    fields = form_vocabulary().fields
    if label(text) in fields:
        return fields[label(text)], None
    head, colon, _ = normalise(text).partition(":")
    if colon and head in fields:
        return fields[head], re.split(r"[:：]", text, maxsplit=1)[1].strip()
    return None


def field_pairs(row: GridRow) -> list[tuple[str, str]]:
    """(attribute, value) for each field label in a row: the value is the next non-empty cell
    that is not itself a label, or the text after the label's colon in the same cell."""
    texts = row.texts()
    pairs = []
    for index, text in enumerate(texts):
        found = field_label(text)
        if found is None:
            continue
        key, inline = found
        following = texts[index + 1] if index + 1 < len(texts) else ""
        value = inline if inline is not None else following
        pairs.append((key, "" if inline is None and field_label(following) else value))
    return pairs


def fund_key(text: str) -> str | None:
    """Which Funds attribute a row label names (garbled labels included: 金 市县(区)财政资)."""
    vocab = form_vocabulary()
    wanted = label(text)
    for prefix in vocab.fund_prefixes:
        wanted = wanted.removeprefix(prefix)
    if any(wanted.startswith(h) for h in vocab.funds_heading):
        return None
    return next((key for key, words in vocab.fund_rows if any(w in wanted for w in words)), None)


def read_fund_row(draft: FormDraft, row: GridRow, year_column: int | None) -> int | None:
    """Assign the figures of one 项目资金 row; returns the column of 年度资金总额 when found."""
    vocab = form_vocabulary()
    pending: tuple[str, int, str] | None = None  # key, column, label
    half = 0
    for index, text in row.indexed():
        key = fund_key(text)
        if key is not None:
            pending = (key, index, label(text))
            continue
        try:
            number = parse_number(text)
        except ValueError:
            continue
        if pending is None or number is None:
            continue
        key, column, printed = pending
        if any(w in printed for w in vocab.year_total):
            target, year_column = draft.year_funds, column
        elif any(w in printed for w in vocab.period_total):
            target = draft.period_funds
        elif year_column is not None:
            target = draft.year_funds if column >= year_column else draft.period_funds
        else:
            target = draft.year_funds if half else draft.period_funds
        target[key] = number * draft.unit.factor
        half, pending = half + 1, None
    return year_column


def is_indicator_header(row: GridRow) -> bool:
    words = {label(t) for t in row.texts()}
    vocab = form_vocabulary()
    return vocab.value_header in words and len(words & vocab.header) >= 3


def is_halves_heading(row: GridRow) -> bool:
    """The row over the indicator header naming its halves (绩效指标 | 实施期指标 | 年度指标)."""
    vocab = form_vocabulary()
    words = {label(t) for t in row.texts() if t}
    return bool(words & vocab.halves) and words <= vocab.section | vocab.halves


def is_footer(row: GridRow) -> bool:
    texts = row.texts()
    vocab = form_vocabulary()
    return bool(texts) and (
        label(texts[0]) in vocab.footer or normalise(texts[0]).partition(":")[0] in vocab.footer
    )


def uses_2021_scheme(block: Block) -> bool:
    vocab = form_vocabulary()
    return any(label(t) in vocab.level2_2021 for r in block.rows for t in r.texts())


def read_draft(block: Block) -> FormDraft:
    """Phase one: the form's fields, funds, goals and indicator rows, as printed."""
    vocab = form_vocabulary()
    draft = FormDraft(block)
    scheme_2021 = uses_2021_scheme(block)
    section = "fields"
    year_column: int | None = None
    goal_column: int | None = None
    for row in block.content():
        texts = row.texts()
        first = label(texts[0])
        if section == "indicators" and is_footer(row):
            section = "footer"
        if is_halves_heading(row) or (section == "indicators" and is_indicator_header(row)):
            # the halves' headings, and the header repeated where the table continues
            section = "fields" if section == "goals" else section
            continue
        if section == "indicators":
            draft.rows.append(read_indicator_row(row, draft.two_halves, scheme_2021))
            continue
        if section != "footer" and is_indicator_header(row):
            values = [label(t) for t in texts].count(vocab.value_header)
            draft.two_halves, section = values >= 2, "indicators"
            continue
        if draft.year is None and year_in(" ".join(texts)) and len(texts) == 1:
            draft.year = year_in(texts[0])
            continue
        if any(first.startswith(h) for h in vocab.funds_heading) or (
            section == "funds" and fund_key(texts[0]) is not None
        ):
            unit = _FUNDS_UNIT.search(texts[0])
            if unit and first.startswith(vocab.funds_heading):
                draft.unit = MoneyUnit.parse(unit.group(1))
            section = "funds"
            year_column = read_fund_row(draft, row, year_column)
            continue
        if section == "funds":
            section = "fields"
        heading = [i for i, t in row.indexed() if label(t) in vocab.goal_year_heading]
        if heading:
            goal_column = heading[0]
            if first in vocab.goal_labels:  # 总体目标 printed beside the headings (a workbook)
                section = "goals"
            continue
        if first in vocab.goal_labels or (section == "goals" and not row.cell(0)):
            section = "goals"
            for index, text in row.indexed()[1 if first in vocab.goal_labels else 0 :]:
                half = 1 if goal_column is not None and index >= goal_column else 0
                draft.goals[half] += text
            continue
        for key, value in field_pairs(row):
            draft.fields.setdefault(key, value)
            if key == "name":
                draft.name_line = row.line
        if section == "goals":
            section = "fields"
    if draft.two_halves and draft.rows and all(r.year == Half() for r in draft.rows):
        # a 年度 half that prints nothing on any row is absent, not lost: nothing to restore
        draft.two_halves = False
        draft.rows = [replace(r, year=None) for r in draft.rows]
    return draft


# --- phase two: grouping the indicators ----------------------------------------------------


@dataclass
class Labels:
    """The labels of one row: printed (after drift and completion) and assigned."""

    l1: str | None = None
    impl_l2: str | None = None
    year_l2: str | None = None
    year_unknown: str | None = None  # a non-standard 年度 label, kept only if it mirrors the 实施期


@dataclass(frozen=True)
class Pairings:
    """What the whole document shows: which 年度 wording goes with which 实施期 wording of a
    group, and under which 二级 each 三级 name is filed."""

    pairs: Counter[tuple[str, str]]
    filed: Counter[tuple[str, str]]

    def year_for(self, impl: str) -> str:
        found = [(n, y) for (i, y), n in self.pairs.items() if i == impl]
        return max(found)[1] if found else impl

    def impl_for(self, year: str) -> str:
        found = [(n, i) for (i, y), n in self.pairs.items() if y == year]
        return max(found)[1] if found else year


def _names_of(draft: FormDraft) -> list[str]:
    names = []
    for row in draft.rows:
        for half in (row.impl, row.year):
            if half is not None and half.name:
                names.append(half.name)
    return names


def printed_labels(draft: FormDraft) -> list[Labels]:
    """Each row's labels as printed, completed from the known wording (then the form's names)."""
    vocab = form_vocabulary()
    names = _names_of(draft)
    result = []
    for row in draft.rows:
        labels = Labels()
        for token in row.impl.labels:
            if token.kind == L1:
                labels.l1 = complete(token.text, vocab.level1 + vocab.level1_2021, vocab.min_cut)
            else:
                known = complete(token.text, vocab.level2, vocab.min_cut)
                labels.impl_l2 = known or extend(token.text, names)
        for token in row.year.labels if row.year else ():
            known = complete(token.text, vocab.level2, vocab.min_cut)
            if known:
                labels.year_l2 = known
            else:
                labels.year_unknown = label(token.text)
        result.append(labels)
    return result


def drifted_labels(draft: FormDraft, labels: list[Labels]) -> None:
    """A 一级 and 二级 printed together on the row above a row that prints the same 二级 again
    belong to that lower row (rule 1)."""
    for index in range(len(labels) - 1):
        here, below = labels[index], labels[index + 1]
        if here.l1 and here.impl_l2 and here.impl_l2 == below.impl_l2:
            below.l1 = below.l1 or here.l1
            here.l1 = here.impl_l2 = None
            draft.problem(
                draft.rows[index].line,
                "一级、二级指标标签印在了下一行的上方，归入下一行",
                "一级/二级 labels printed one row early; moved to the row below",
            )


def mirrored(labels: Labels, current_impl: str | None) -> str | None:
    """A non-standard 年度 label counts only when it is the 实施期 label of the row, cut short."""
    if labels.year_unknown is None:
        return None
    impl = labels.impl_l2 or current_impl or ""
    return impl if impl.startswith(labels.year_unknown) else None


@dataclass(frozen=True, slots=True)
class Grouped:
    """The assigned 一级 and 二级 of every row, and which rows printed a 二级 themselves."""

    l1: tuple[str, ...]
    impl: tuple[str, ...]
    year: tuple[str, ...]
    printed: tuple[bool, ...]
    new_l1: tuple[bool, ...]


def _look_ahead(labels: Sequence[Labels], start: int, pairings: Pairings, impl: bool) -> str:
    """The first 二级 printed from ``start`` on, before the next 一级 (rule 3)."""
    for index in range(start, len(labels)):
        if index > start and labels[index].l1:
            break
        own = labels[index].impl_l2 if impl else labels[index].year_l2
        other = labels[index].year_l2 if impl else labels[index].impl_l2
        if own:
            return own
        if other:
            return pairings.impl_for(other) if impl else pairings.year_for(other)
    return ""


def assign_groups(draft: FormDraft, labels: list[Labels], pairings: Pairings) -> Grouped:
    """Rules 2 and 3: a group starts where either half prints a new 二级."""
    l1s, impls, years, printed, new_l1 = [], [], [], [], []
    first_l1 = next((x.l1 for x in labels if x.l1), "")
    level1, impl, year = first_l1, None, None
    for index, row in enumerate(labels):
        row.year_l2 = row.year_l2 or mirrored(row, impl)
        if row.year_unknown and row.year_l2 is None:
            draft.problem(
                draft.rows[index].line,
                f"年度二级指标“{row.year_unknown}”与实施期不对应，视为提取错位",
                f"年度 二级 label {row.year_unknown!r} does not match the 实施期 one; ignored",
            )
        if row.l1 and index:
            impl = year = None
        level1 = row.l1 or level1
        changed_impl = row.impl_l2 is not None and row.impl_l2 != impl
        changed_year = row.year_l2 is not None and row.year_l2 != year
        impl, year = row.impl_l2 or impl, row.year_l2 or year
        if changed_impl and row.year_l2 is None:
            year = pairings.year_for(row.impl_l2 or "")
        if changed_year and row.impl_l2 is None:
            impl = pairings.impl_for(row.year_l2 or "")
        impl = impl or _look_ahead(labels, index, pairings, impl=True)
        year = year or _look_ahead(labels, index, pairings, impl=False)
        l1s.append(level1)
        impls.append(impl)
        years.append(year)
        printed.append(bool(row.impl_l2 or row.year_l2))
        new_l1.append(bool(row.l1))
    return Grouped(tuple(l1s), tuple(impls), tuple(years), tuple(printed), tuple(new_l1))


def regroup_by_names(draft: FormDraft, grouped: Grouped, pairings: Pairings) -> Grouped:
    """Rule 4: a row without labels just above a new group (under the same 一级) joins that
    group when the document files its 三级 name there, and not where it stands."""
    impls, years = list(grouped.impl), list(grouped.year)
    for index in range(len(draft.rows) - 1):
        below = index + 1
        if grouped.printed[index] or grouped.new_l1[index] or grouped.new_l1[below]:
            continue
        if not grouped.printed[below] or impls[below] == impls[index]:
            continue
        name = label(draft.rows[index].impl.name or "")
        here = pairings.filed[(name, impls[index])] - 1
        there = pairings.filed[(name, impls[below])]
        if there > max(here, 0):
            draft.problem(
                draft.rows[index].line,
                f"“{name}”的二级指标标签印在下一行，归入“{impls[below]}”",
                f"the 二级 label of {name!r} was printed one row low; read as {impls[below]}",
            )
            impls[index], years[index] = impls[below], years[below]
    return replace(grouped, impl=tuple(impls), year=tuple(years))


def _indicator(
    project: str, period: str, printed: tuple[str, str, str, str], origin: Origin, note: str
) -> Indicator:
    """An Indicator from (一级, 二级, 三级, value as printed)."""
    level1, level2, name, value = printed
    operator, amount, unit = split_value(value)
    return Indicator(project, period, level1, level2, name, operator, amount, unit, note, origin)


@dataclass(frozen=True, slots=True)
class RowReading:
    """The name and value of each half of a row, completed from the other half."""

    impl_name: str
    impl_value: str
    year_name: str
    year_value: str
    impl_note: str = ""
    year_note: str = ""


def complete_halves(draft: FormDraft, row: IndicatorRow) -> RowReading | None:
    """A name cut short takes the full name from the other half (when it is a prefix of it); a
    name or value lost from one half is taken from the other, marked and reported."""
    year = row.year or Half()
    impl_name, year_name = row.impl.name or "", year.name or ""
    impl_value, year_value = row.impl.value or "", year.value or ""
    if not (impl_name or impl_value or year_name or year_value):
        return None  # a row that prints labels only
    if prefix_related(impl_name, year_name):
        impl_name = year_name = fuller(impl_name, year_name)
    impl_name, year_name = impl_name or year_name, year_name or impl_name
    impl_note = year_note = ""
    if not year_value and impl_value:
        year_value, year_note = impl_value, RESTORED_NOTE
        draft.problem(
            row.line,
            f"“{impl_name}”的年度指标值缺失，按实施期补录",
            f"{impl_name!r}: 年度 value missing; restored from 实施期",
        )
    if not impl_value and year_value:
        impl_value, impl_note = year_value, RESTORED_FROM_YEAR_NOTE
        draft.problem(
            row.line,
            f"“{impl_name}”的实施期指标值缺失，按年度补录",
            f"{impl_name!r}: 实施期 value missing; restored from 年度",
        )
    return RowReading(impl_name, impl_value, year_name, year_value, impl_note, year_note)


def build_indicators(
    draft: FormDraft, grouped: Grouped, source: str
) -> tuple[list[Indicator], list[Indicator]]:
    """The two indicator lists, row by row."""
    project = draft.fields.get("name", "")
    period, year = [], []
    for index, row in enumerate(draft.rows):
        reading = complete_halves(draft, row) if row.year is not None else None
        if row.year is None and (row.impl.name or row.impl.value):
            reading = RowReading(row.impl.name or "", row.impl.value or "", "", "")
        if reading is None:
            continue
        origin, level1 = Origin(source, row.line), grouped.l1[index]
        period.append(
            _indicator(
                project,
                PERIOD_IMPLEMENTATION,
                (level1, grouped.impl[index], reading.impl_name, reading.impl_value),
                origin,
                reading.impl_note,
            )
        )
        if row.year is not None:
            year.append(
                _indicator(
                    project,
                    PERIOD_YEAR,
                    (level1, grouped.year[index], reading.year_name, reading.year_value),
                    origin,
                    reading.year_note,
                )
            )
    return period, year


# --- projects ------------------------------------------------------------------------------


def _funds(values: Mapping[str, Decimal]) -> Funds:
    return Funds(**{k: v for k, v in values.items() if k in Funds.__dataclass_fields__})


def department_and_code(text: str) -> tuple[str, str]:
    """ "中共临汾市委组织部-104001" -> ("中共临汾市委组织部", "104001")."""
    name, dash, code = text.rpartition("-")
    return (name.strip(), code.strip()) if dash and code.strip().isdigit() else (text.strip(), "")


def project_of(draft: FormDraft, source: str) -> Project:
    values = draft.fields
    department, code = department_and_code(values.get("department", ""))
    filled = values.get("filled_on", "")
    if filled and parse_date(filled) is None:
        draft.problem(
            draft.name_line, f"填报日期“{filled}”无法识别", f"cannot read the date {filled!r}"
        )
    return Project(
        name=values.get("name", ""),
        department=department,
        department_code=code,
        implementing_unit=values.get("implementing_unit", ""),
        attribute=values.get("attribute", ""),
        period=values.get("period", ""),
        period_funds=_funds(draft.period_funds),
        year_funds=_funds(draft.year_funds),
        overview=values.get("overview", ""),
        basis=values.get("basis", ""),
        necessity=values.get("necessity", ""),
        measures=values.get("measures", ""),
        plan=values.get("plan", ""),
        period_goal=draft.goals[0],
        year_goal=draft.goals[1],
        person_in_charge=values.get("person_in_charge", ""),
        handler=values.get("handler", ""),
        phone=values.get("phone", ""),
        filled_on=parse_date(filled) if filled else None,
        origin=Origin(source, draft.name_line or draft.block.title.line),
    )


def pairings_of(
    drafts: Sequence[FormDraft], labelled: Sequence[list[Labels]], grouped: Sequence[Grouped] = ()
) -> Pairings:
    """Across the document: wordings of the two halves printed on the same row, and (once
    grouped) the 二级 each 三级 name is filed under."""
    pairs: Counter[tuple[str, str]] = Counter()
    for labels in labelled:
        for printed in labels:
            if printed.impl_l2 and printed.year_l2:
                pairs[(printed.impl_l2, printed.year_l2)] += 1
    filed: Counter[tuple[str, str]] = Counter()
    for draft, groups in zip(drafts, grouped, strict=False):
        for row, group in zip(draft.rows, groups.impl, strict=True):
            filed[(label(row.impl.name or ""), group)] += 1
    return Pairings(pairs, filed)


def read_forms(
    blocks: Sequence[Block], source: str, default_year: int
) -> tuple[list[ProjectForm], list[ReadProblem]]:
    """Every form of a document; the indicator groups use what the whole document shows."""
    drafts = [read_draft(b) for b in blocks]
    labelled = [printed_labels(d) for d in drafts]
    for draft, labels in zip(drafts, labelled, strict=True):
        drifted_labels(draft, labels)
    first = pairings_of(drafts, labelled)
    grouped = [assign_groups(d, labels, first) for d, labels in zip(drafts, labelled, strict=True)]
    pairings = pairings_of(drafts, labelled, grouped)
    grouped = [regroup_by_names(d, g, pairings) for d, g in zip(drafts, grouped, strict=True)]
    forms, problems = [], []
    origin_file = Path(source).name
    for draft, groups in zip(drafts, grouped, strict=True):
        period, year = build_indicators(draft, groups, origin_file)
        forms.append(
            ProjectForm(
                draft.block.title_text,
                draft.year or default_year,
                draft.unit,
                project_of(draft, origin_file),
                tuple(period),
                tuple(year),
            )
        )
        problems.extend(draft.problems)
    return forms, problems
