"""文字质量: the forms' text reads as finished writing — no runaway repetition, no sentence cut
off, no template remnant, no garbled doubling, no broken numbering.

Every text field of every project form is checked (项目概况 … 年度总体目标), and the indicator names
and qualitative values. (The narrative of a published document will be checked the same way once
documents carry it.)
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from yusuan.model.records import Project
from yusuan.rules.base import Hit, Location, Severity, excerpt, rule
from yusuan.rules.checks.indicators import indicator_location, read_value
from yusuan.rules.checks.projects import NARRATIVE_FIELDS, TEXT_FIELDS, project_location
from yusuan.rules.subject import Subject
from yusuan.tables.forms import ProjectForm

CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class TextField:
    """One piece of text on a form, where it is, and what kind of text it is."""

    form: ProjectForm
    label: str
    text: str
    location: Location
    kind: str  # "narrative" (prose), "citation" (依据, 措施), "name" (indicator names, values)

    @property
    def project(self) -> Project:
        return self.form.project


NARRATIVE, CITATION, NAME = "narrative", "citation", "name"


_CACHE: dict[int, tuple[object, tuple[TextField, ...]]] = {}


def text_fields(subject: Subject) -> tuple[TextField, ...]:
    """Every text of every form, in form order (collected once per subject for all TXT rules)."""
    forms = subject.need_forms()
    cached = _CACHE.get(id(forms))
    if cached is not None and cached[0] is forms:
        return cached[1]
    fields = tuple(_collect(forms))
    _CACHE.clear()  # one subject at a time
    _CACHE[id(forms)] = (forms, fields)
    return fields


def _collect(forms: Sequence[ProjectForm]) -> Iterator[TextField]:
    for form in forms:
        project = form.project
        for label, attr in TEXT_FIELDS:
            text = getattr(project, attr) or ""
            if text.strip():
                kind = NARRATIVE if attr in NARRATIVE_FIELDS else CITATION
                yield TextField(form, label, text, project_location(project, label), kind)
        for indicator in (*form.period_indicators, *form.year_indicators):
            where = indicator_location(project, indicator)
            if indicator.name.strip():
                yield TextField(form, f"{indicator.period}指标名称", indicator.name, where, NAME)
            value = read_value(indicator.operator, indicator.value, indicator.unit)
            if value.text:
                yield TextField(form, f"{indicator.period}指标值", value.text, where, NAME)


def _hit(field: TextField, **more: object) -> Hit:
    """A finding on one text field: its project and label, and ``more``."""
    return Hit(field.location, {"project": field.project.name, "field": field.label, **more})


def _around(text: str, index: int) -> str:
    """The excerpt shown for what was found at ``index``: a little context before it."""
    return excerpt(text[max(0, index - 8) :], 24)


_EXAMPLE = {"project": "干部培训经费", "field": "项目概况"}


# --- repetition ---------------------------------------------------------------------------

MIN_REPEAT = 8  # characters of a phrase repeated back to back
MAX_PERIOD = 400  # longest phrase looked for
TANDEM_TIMES = 3  # a short phrase must come three times in a row …
TANDEM_LONG = 24  # … a phrase this long twice
RUNAWAY_ITEMS = 12  # items of one list differing only by a number
SEPARATORS = set("、，,；;。 ")
_NUMERALS_RE = re.compile(r"[0-9零〇一二两三四五六七八九十百千]+")
_CLAUSE_RE = re.compile(r"[，,。；;：:！!？?\n]")
_TITLE_RE = re.compile(r"《([^《》]{2,80})》")
_DOC_NUMBER_RE = re.compile(
    r"\s*[（(][^（()）]{0,20}[〔\[［(（]?\d{4}[〕\]］)）]?[^（()）]{0,8}号[）)]"
)


@dataclass(frozen=True, slots=True)
class Repetition:
    problem: str
    problem_en: str


def tandem_repeat(text: str) -> tuple[str, int] | None:
    """A phrase of at least ``MIN_REPEAT`` characters written two or more times back to back
    (``《A》、《A》、《A》``), the copies separated at most by punctuation."""
    size = MIN_REPEAT
    if len(text) < 2 * size:
        return None
    count = len(text) - size + 1
    if len({text[i : i + size] for i in range(count)}) == count:
        return None  # no phrase occurs twice: the common case, decided fast
    positions: dict[str, list[int]] = {}
    for i in range(len(text) - size + 1):
        positions.setdefault(text[i : i + size], []).append(i)
    for gram, starts in positions.items():
        if len(starts) < 2 or len(CJK_RE.findall(gram)) < 4:
            continue
        for a, b in itertools.pairwise(starts):
            period = b - a
            if period < size or period > MAX_PERIOD:
                continue
            block = text[a:b]
            count, at = 0, a
            while text.startswith(block, at):
                count += 1
                at += period
            last = block.rstrip("".join(SEPARATORS))
            if last != block and text.startswith(last, at):
                count += 1  # the last copy ends the sentence instead of the separator
            if count < 2 or (count < TANDEM_TIMES and period < TANDEM_LONG):
                continue  # two short copies may be two parallel titles meeting by chance
            if "《" in block:  # show it as written: from the start of a title
                cut = block.index("《")
                block = block[cut:] + block[:cut]
            return block.strip("".join(SEPARATORS)), count
    return None


def citations(text: str) -> dict[str, list[str]]:
    """The documents a text cites with their numbers: title -> each 文号 it is cited with."""
    cited: dict[str, list[str]] = {}
    if text.count("《") < 2:
        return cited
    for match in _TITLE_RE.finditer(text):
        number = _DOC_NUMBER_RE.match(text, match.end())
        if number:
            cited.setdefault(match.group(1), []).append(_doc_number(number.group()))
    return cited


def _doc_number(printed: str) -> str:
    """A 文号 as compared: NFKC, no spaces or enclosing brackets."""
    return "".join(unicodedata.normalize("NFKC", printed).split()).strip("()")


def repeated_citation(text: str) -> tuple[str, int] | None:
    """The same document (《title》 with the same number) cited more than once. One title with
    different numbers is two documents, or a wrong number: ``differing_numbers`` says that."""
    for title, numbers in citations(text).items():
        count = max(Counter(numbers).values())
        if count >= 2:
            return f"《{title}》", count
    return None


def differing_numbers(text: str) -> tuple[str, list[str]] | None:
    """A title cited with two or more different 文号 (the title and the numbers, in order)."""
    for title, numbers in citations(text).items():
        distinct = list(dict.fromkeys(numbers))
        if len(distinct) >= 2:
            return f"《{title}》", distinct
    return None


def list_items(text: str) -> Iterator[list[str]]:
    """The enumerations (``A、B、C``) of a text, one list per clause."""
    for clause in _CLAUSE_RE.split(text):
        items = [i.strip() for i in clause.split("、")]
        if len(items) >= 3:
            yield items


def repeated_list(text: str) -> Repetition | None:
    """A list that repeats a run of its items, or runs away counting (干部六科 … 干部一百科)."""
    if text.count("、") < 3:
        return None
    for items in list_items(text):
        pairs = Counter(itertools.pairwise(items))
        for (a, b), count in pairs.items():
            if count >= 2 and a and b and a != b:
                return Repetition(
                    f"的列举中“{a}、{b}”重复出现 {count} 次",
                    f"lists “{a}、{b}” {count} times",
                )
        numbered = [i for i in items if _NUMERALS_RE.search(i)]
        skeletons = Counter(_NUMERALS_RE.sub("#", i) for i in numbered)
        for skeleton, count in skeletons.items():
            if count >= RUNAWAY_ITEMS:
                same = [i for i in numbered if _NUMERALS_RE.sub("#", i) == skeleton]
                return Repetition(
                    f"的列举失控：“{same[0]}”到“{same[-1]}”共 {count} 项",
                    f"runs away listing {count} items from “{same[0]}” to “{same[-1]}”",
                )
    return None


def repetition(text: str) -> Repetition | None:
    found = tandem_repeat(text)
    if found is not None:
        phrase, count = found
        return Repetition(
            f"中“{excerpt(phrase, 40)}”连续重复 {count} 次",
            f"repeats “{excerpt(phrase, 40)}” {count} times in a row",
        )
    found = repeated_citation(text)
    if found is not None:
        title, count = found
        return Repetition(
            f"把文件{excerpt(title, 40)}引用了 {count} 次",
            f"cites {excerpt(title, 40)} {count} times",
        )
    return repeated_list(text)


@rule(
    "TXT-001",
    group="text",
    severity=Severity.WARNING,
    title=("文字失控重复", "Runaway repetition in a text"),
    message=(
        "项目“{project}”的“{field}”{problem}",
        "project “{project}”: “{field}” {problem_en}",
    ),
    basis="standards §2.5 N-11: no repeated words or punctuation; a phrase written twice in a "
    "row, a document cited twice, or a list repeating its items is a copy-paste error",
    fix="删除重复的文字，只保留一次。",
    example={
        **_EXAMPLE,
        "problem": "中“《市委组织部加强管理细则》”连续重复 4 次",
        "problem_en": "repeats “《市委组织部加强管理细则》” 4 times in a row",
    },
)
def no_runaway_repetition(subject: Subject) -> Iterator[Hit]:
    for field in text_fields(subject):
        found = repetition(field.text)
        if found is not None:
            yield _hit(field, problem=found.problem, problem_en=found.problem_en)


@rule(
    "TXT-006",
    group="text",
    severity=Severity.WARNING,
    title=("同名文件的文号不一致", "One document title cited with different numbers"),
    message=(
        "项目“{project}”的“{field}”把文件{title}分别标注为 {numbers}：请核对文号，或写明是两份文件",
        "project “{project}”: “{field}” cites {title} with the numbers {numbers}: check the "
        "number, or say that these are two documents",
    ),
    basis="standards §2.5 N-11 (披露表达): a cited document is named by its title and its 文号; one "
    "title with two numbers is a wrong number or two documents that need telling apart",
    fix="核对文号；确为两份文件的，注明发文机关或年份以示区别。",
    example={
        **_EXAMPLE,
        "field": "立项依据",
        "title": "《关于进一步落实党建工作经费的通知》",
        "numbers": "晋组通字〔2017〕71号、收组通字〔2019〕01号",
    },
)
def one_number_per_title(subject: Subject) -> Iterator[Hit]:
    for field in text_fields(subject):
        found = differing_numbers(field.text)
        if found is not None:
            title, numbers = found
            yield _hit(field, title=excerpt(title, 40), numbers="、".join(numbers))


# --- what the dataset chose -----------------------------------------------------------------

CHOSEN = "选定"
_NOTE_CLAUSE_RE = re.compile(r"[；;\n]")


START, END = "start", "end"


def chosen_edges(project: Project) -> dict[str, frozenset[str]]:
    """Where the dataset chose a text field's boundaries: a 备注 clause starting with 选定 names
    the fields of one run of text that it split (two columns run together in the source), in
    order: the first field's end, the last field's start and every edge between are the
    dataset's, not the published text's. Field label -> {start, end}."""
    edges: dict[str, set[str]] = {}
    for clause in _NOTE_CLAUSE_RE.split(project.note):
        if not clause.strip().startswith(CHOSEN):
            continue
        named = sorted(
            (clause.index(label), label) for label, _attr in TEXT_FIELDS if label in clause
        )
        for position, (_at, label) in enumerate(named):
            edge = edges.setdefault(label, set())
            if position < len(named) - 1 or len(named) == 1:
                edge.add(END)
            if position > 0 or len(named) == 1:
                edge.add(START)
    return {label: frozenset(e) for label, e in edges.items()}


def chosen_fields(project: Project) -> frozenset[str]:
    """The text fields some boundary of which the dataset chose (see ``chosen_edges``)."""
    return frozenset(chosen_edges(project))


# --- truncation ---------------------------------------------------------------------------

PAIRS = (("《", "》"), ("（", "）"), ("(", ")"), ("“", "”"), ("〈", "〉"))
_BRACKETS_RE = re.compile("[" + re.escape("".join(a + b for a, b in PAIRS)) + "]")
FINAL = set("。！？!?；;…）)》〉>”」』】.%")
DANGLING = set("、，,：:（(《“〈")
LEADING = set("，,、；;：:。）)》〉”")
LONG_SENTENCE = 20  # characters of prose that should end with punctuation
SHORT_CLAUSE = 3  # a last clause this short after a comma is a fragment
NAME_SENTENCE = 8  # an indicator name this long is a phrase that may have been cut
SENTENCE_END = set("。！？!?")
# a text that ends on a figure in money, a percentage or a rate is complete (预计40000元/月,
# 不低于10万元, 95%, 500人/次); a bare number (…毕业生,1000) is not
_FIGURE_END_RE = re.compile(
    r"\d(?:[\d,.]*\d)?\s*(?:[%％‰]|[万亿千]?元(?:[/／][^\W\d_]{1,3})*|[^\W\d_]{1,2}[/／][^\W\d_]{1,3})$"
)
# characters a Chinese sentence does not end on (conjunctions, prepositions, 的)
DANGLING_CHARS = set("和及与或的并且在对为把将由从向被给让使而但之以于至")


def truncation(field: TextField, chosen: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """Why a text looks cut off (Chinese, English), or None. ``chosen`` says which edges
    (``START``, ``END``) the dataset chose: those are not judged."""
    text = field.text.strip()
    if not text:
        return None
    for opening, closing in PAIRS if _BRACKETS_RE.search(text) else ():
        opened, closed = text.count(opening), text.count(closing)
        first_open = text.find(opening)
        if START not in chosen and (
            closed > opened or (closed and (first_open < 0 or text.index(closing) < first_open))
        ):
            return f"有“{closing}”而无“{opening}”，开头可能残缺", (
                f"has “{closing}” without “{opening}”: the start may be missing"
            )
        if END not in chosen and opened > closed and text[-1] not in SENTENCE_END:
            # a text that ends its sentence is complete, whatever mark it left open
            return f"“{opening}”未闭合，文字可能被截断", f"leaves “{opening}” open: cut off"
    if START not in chosen and text[0] in LEADING:
        return f"以“{text[0]}”开头，开头残缺", f"begins with “{text[0]}”: the start is missing"
    if END in chosen:
        return None
    if text[-1] in DANGLING:
        return f"以“{text[-1]}”结尾，句子未完", f"ends with “{text[-1]}”: unfinished"
    if field.kind == NARRATIVE and len(text) >= LONG_SENTENCE and text[-1] not in FINAL:
        return None if _FIGURE_END_RE.search(text) else _unfinished(text)
    if field.kind == NAME and len(text) >= NAME_SENTENCE and text[-1] in DANGLING_CHARS:
        return (
            f"以虚词“{text[-1]}”结尾，名称未完",
            f"ends on the function word “{text[-1]}”: cut off",
        )
    return None


def _unfinished(text: str) -> tuple[str, str] | None:
    """Prose without final punctuation that shows where it broke off. (Forms often leave out the
    last 。, so a missing stop alone is not enough.)"""
    last_clause = re.split(r"[，,；;。！？!?]", text)[-1]
    if text[-1] in DANGLING_CHARS:
        why = f"以虚词“{text[-1]}”结尾", f"ends on the function word “{text[-1]}”"
    elif len(last_clause) <= SHORT_CLAUSE and len(last_clause) < len(text):
        why = f"最后一句只有“{last_clause}”", f"its last clause is only “{last_clause}”"
    elif "。" in text[:-1]:
        why = "前文有句号而最后一句没有", "earlier sentences end with 。 but the last does not"
    else:
        return None
    return f"{why[0]}，句子未完", f"{why[1]}: unfinished"


@rule(
    "TXT-002",
    group="text",
    severity=Severity.INFO,
    title=("文字可能被截断", "Text probably cut off"),
    message=(
        "项目“{project}”的“{field}”{problem}（“{excerpt}”）",
        "project “{project}”: “{field}” {problem_en} (“{excerpt}”)",
    ),
    basis="standards §2.5 N-11 (披露表达); a field that stops mid-title, mid-list or mid-sentence "
    "was cut when typed or pasted",
    fix="补全被截断的文字。",
    example={
        **_EXAMPLE,
        "field": "保证项目实施的制度、措施",
        "problem": "“《”未闭合，文字可能被截断",
        "problem_en": "leaves “《” open: cut off",
        "excerpt": "…《市委组织部预算",
    },
)
def not_truncated(subject: Subject) -> Iterator[Hit]:
    for field in text_fields(subject):
        found = truncation(field, chosen_edges(field.project).get(field.label, frozenset()))
        if found is not None:
            tail = field.text.strip()
            shown = tail if len(tail) <= 24 else "…" + tail[-24:]
            yield _hit(field, problem=found[0], problem_en=found[1], excerpt=shown)


# --- template remnants --------------------------------------------------------------------

_REMNANT_RE = re.compile(
    r"[XxＸｘ]{2,}|[×＊*]{2,}|[○□]{2,}|某某|待填写|待补充|请填写|此处填写|填写说明|"
    r"\{[^{}]{0,20}\}|｛[^｛｝]{0,20}｝|"
    r"增加[（(]减少[）)]|增长[（(]下降[）)]|增加/减少|增长/下降|上升[（(]下降[）)]"
)


# A part starts at the beginning or right after a level word: without the anchor a region with
# no level word is rescanned from every position (quadratic: minutes for 10,000 characters).
_REGION_PART_RE = re.compile(r"(?:^|(?<=[省市县区州盟旗]))[^省市县区州盟旗]+[省市县区州盟旗]")
_TITLE_REGION_RE = re.compile(r"^(?P<region>.+?)(?:省级|市级|县级|区级|乡级|中央)?预算部门")


def own_names(subject: Subject, form: ProjectForm) -> list[str]:
    """Names the input declares about itself (department, units, region, the form's title):
    never a template remnant, whatever they look like."""
    project = form.project
    names = {project.department, project.implementing_unit}
    regions = []
    match = _TITLE_REGION_RE.match(form.title)
    if match:
        regions.append(match["region"])
    if subject.dataset is not None:
        manifest = subject.dataset.manifest
        names |= {manifest.department.name} | {u.name for u in manifest.units}
        if manifest.scope.within is not None:  # a 单位预算 also names its department
            names.add(manifest.scope.within.name)
        regions.append(manifest.department.region)
    for region in regions:
        names.add(region)
        names |= set(_REGION_PART_RE.findall(region))
    return sorted((n for n in names if n), key=len, reverse=True)


@rule(
    "TXT-003",
    group="text",
    severity=Severity.WARNING,
    title=("模板残留文字", "Template placeholder left in the text"),
    message=(
        "项目“{project}”的“{field}”中有模板占位文字“{remnant}”（“{excerpt}”）",
        "project “{project}”: “{field}” holds the template placeholder “{remnant}” (“{excerpt}”)",
    ),
    basis="standards §2.5 N-11: no template remnants (XX, ××, 某某, 待填写, {单位}, 增加（减少）)",
    fix="用实际内容替换占位文字。",
    example={**_EXAMPLE, "remnant": "XX", "excerpt": "举办XX培训班"},
)
def no_template_remnants(subject: Subject) -> Iterator[Hit]:
    names: dict[int, list[str]] = {}
    for field in text_fields(subject):
        key = id(field.form)
        if key not in names:
            names[key] = own_names(subject, field.form)
        text = field.text
        for name in names[key]:
            text = text.replace(name, "")
        match = _REMNANT_RE.search(text)
        if match:
            yield _hit(field, remnant=match.group(), excerpt=_around(text, match.start()))


# --- garbled doubling ---------------------------------------------------------------------

_ECHO_RE = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]{2,8})[（(]\1[）)]")
_DOUBLE_WORD_RE = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff]{2,8})\1")
_DOUBLE_PUNCT_RE = re.compile(r"([，,。、；;：:！!？?])\1")


def garbled(text: str) -> str | None:
    text = unicodedata.normalize("NFC", text)
    for pattern in (_ECHO_RE, _DOUBLE_WORD_RE, _DOUBLE_PUNCT_RE):
        match = pattern.search(text)
        if match:
            return match.group()
    return None


@rule(
    "TXT-004",
    group="text",
    severity=Severity.INFO,
    title=("文字重叠错乱", "Garbled doubling in a text"),
    message=(
        "项目“{project}”的“{field}”中“{garble}”重叠错乱（“{excerpt}”）",
        "project “{project}”: “{field}” has the garbled doubling “{garble}” (“{excerpt}”)",
    ),
    basis="standards §2.5 N-11: repeated words or punctuation",
    fix="删除重叠的字词或标点。",
    example={**_EXAMPLE, "garble": "干部(干部)", "excerpt": "《市委组织部干部(干部)干部管理"},
)
def no_garbled_doubling(subject: Subject) -> Iterator[Hit]:
    for field in text_fields(subject):
        found = garbled(field.text)
        if found is not None:
            yield _hit(field, garble=found, excerpt=_around(field.text, field.text.find(found)))


# --- numbering ----------------------------------------------------------------------------

_ITEM_RE = re.compile(r"(?:^|(?<=[;；。，,\s]))(?:目标)?(?P<n>\d{1,2})(?:[.．、:：)）](?!\d))")


def numbering_problem(text: str) -> tuple[str, str] | None:
    numbers = [int(m["n"]) for m in _ITEM_RE.finditer(text)]
    if not numbers:
        return None
    if numbers[0] != 1:
        listed = "、".join(str(n) for n in numbers)
        return f"编号从{numbers[0]}开始（{listed}），前面的内容缺失", (
            f"numbering starts at {numbers[0]} ({listed}): the beginning is missing"
        )
    for before, after in itertools.pairwise(numbers):
        if after != before + 1:
            listed = "、".join(str(n) for n in numbers)
            return f"编号不连续（{listed}）", f"numbering skips or repeats ({listed})"
    return None


@rule(
    "TXT-005",
    group="text",
    severity=Severity.INFO,
    title=("分项编号不连续", "Numbered items out of sequence"),
    message=(
        "项目“{project}”的“{field}”{problem}",
        "project “{project}”: “{field}” {problem_en}",
    ),
    basis="standards §3.3: 总体目标 are often listed as 目标1/目标2/…; a list that starts at 2 "
    "or skips lost its items when typed or pasted",
    fix="补全缺失的分项，或重新编号。",
    example={
        **_EXAMPLE,
        "field": "年度总体目标",
        "problem": "编号从2开始（2），前面的内容缺失",
        "problem_en": "numbering starts at 2 (2): the beginning is missing",
    },
)
def numbering_in_sequence(subject: Subject) -> Iterator[Hit]:
    for field in text_fields(subject):
        if field.kind != NARRATIVE or START in chosen_edges(field.project).get(field.label, ()):
            continue  # a text that starts where the dataset chose may start mid-list
        found = numbering_problem(field.text)
        if found is not None:
            yield _hit(field, problem=found[0], problem_en=found[1])
