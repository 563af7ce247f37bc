"""The recognition layer every reader of a published disclosure shares.

A reader (tab-separated text, pdfplumber tables, ``pdftotext -layout``, an XLSX workbook) turns
its source into grid rows: cells of text with the source line they came from. This module says
what such cells mean, from the data in ``audit/data/tables.toml``:

- which table a title names — by what it is, whatever its number, exact wording or order — and
  whether it is the 决算 counterpart (id suffix ``-final``);
- which yusuan column each printed header names, and the template's order of those columns;
- the unit of a table (``单位：万元``) and the exact amount in 元 of a printed figure.

Everything here is a pure function of its arguments and the data files.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from yusuan.money import MoneyUnit
from yusuan.tables.base import AMOUNT, CODE, NAME, PERCENT, QUANTITY, TEXT

FINAL_SUFFIX = "-final"

_SPACE = re.compile(r"\s+")
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年(?:度)?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|元)")
_UNIT_IN_LABEL = re.compile(r"\((?:单位:)?(亿元|万元|元)\)$")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_MONEY = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")
# a short remark in brackets after a title: "（续）", "（功能科目）", "(经济分类)"
_CONTINUED = re.compile(r"[(（][^()（）]{1,10}[)）]$")
# cells that mean "nothing here" in an amount column
BLANK_MARKS = frozenset({"", "-", "—", "－", "--", "——", "/", "无"})


def normalise(text: str) -> str:
    """NFKC (full-width brackets, colons and digits to ASCII) with all whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def label(text: str) -> str:
    """A header or field label for comparison: normalised, without a leading year or a colon."""
    return _YEAR_PREFIX.sub("", normalise(text)).rstrip(":")


def header_label(text: str) -> str:
    """A column header for comparison: its ``label`` without a unit in brackets ("合计（万元）"
    is 合计)."""
    return _UNIT_IN_LABEL.sub("", label(text))


def unit_in_label(text: str) -> MoneyUnit | None:
    """The money unit a header label or title names in brackets ("预算数（万元）")."""
    found = _UNIT_IN_LABEL.search(normalise(text))
    return MoneyUnit.parse(found.group(1)) if found else None


def year_in(text: str) -> int | None:
    """The year a title or heading names (``2021年…``, ``(2021 年度)``)."""
    found = _YEAR.search(unicodedata.normalize("NFKC", text))
    return int(found.group(1)) if found else None


def find_unit(text: str) -> MoneyUnit | None:
    """The money unit a line declares (``单位：万元``, ``单位:元``, ``金额单位：亿元``)."""
    found = _UNIT.search(unicodedata.normalize("NFKC", text).replace(" ", ""))
    return MoneyUnit.parse(found.group(1)) if found else None


def is_amount(text: str) -> bool:
    """Does the cell hold a figure (``6,423.83``, ``373``, ``-1.5``)?"""
    return bool(_AMOUNT.match(normalise(text)))


def is_money(text: str) -> bool:
    """Does the cell hold a figure with decimals, the way amounts are printed (``43.00``)?"""
    return bool(_MONEY.match(normalise(text)))


def parse_number(text: str) -> Decimal | None:
    """A printed figure as an exact Decimal; None for a blank cell. ValueError otherwise."""
    cleaned = normalise(text)
    if cleaned in BLANK_MARKS:
        return None
    if not _AMOUNT.match(cleaned):
        raise ValueError(f"{text!r} is not a figure")
    try:
        return Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"{text!r} is not a figure") from exc


def parse_amount(text: str, unit: MoneyUnit) -> Decimal | None:
    """A printed amount in ``unit`` converted exactly to 元 ("6,423.83" 万元 -> 64238300.00)."""
    number = parse_number(text)
    return None if number is None else number * unit.factor


# --- the data ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One kind of disclosure table, as ``tables.toml`` describes it."""

    id: str
    name: str
    shape: str
    titles: tuple[str, ...]
    excludes: tuple[str, ...]
    columns: tuple[str, ...]
    income: tuple[str, ...]
    expenditure: tuple[str, ...]
    aliases: Mapping[str, str]  # label(alias) -> key; the table's own before the shared ones
    kinds: Mapping[str, str]  # key -> column kind, for the keys that are not amounts
    # label(alias) -> further keys the same label names, tried in order when the first key is
    # already taken by another column ("合计" is the 三公 total, or the grand total beside it)
    alternates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    own_aliases: tuple[str, ...] = ()  # the words of the table's own [table.aliases]

    def key_for(self, printed: str) -> str | None:
        """The yusuan key a printed header names in this table, if any."""
        return self.aliases.get(header_label(printed))

    def kind_of(self, key: str) -> str:
        """CODE, NAME, TEXT, QUANTITY or (by default) AMOUNT."""
        return self.kinds.get(key, AMOUNT)


@dataclass(frozen=True)
class Vocabulary:
    """Everything ``tables.toml`` holds."""

    tables: tuple[TableSpec, ...]
    final_markers: tuple[str, ...]
    title_endings: tuple[str, ...]
    number_labels: tuple[re.Pattern[str], ...]
    numbering: tuple[re.Pattern[str], ...]
    header_words: frozenset[str]
    total_labels: frozenset[str]
    income_total_labels: frozenset[str]
    expenditure_total_labels: frozenset[str]
    after_total_labels: frozenset[str]
    expense_kinds: frozenset[str]

    def spec(self, table_id: str) -> TableSpec:
        """The table of this id; a ``-final`` id without a definition of its own names the
        budget table it mirrors."""
        found = next((t for t in self.tables if t.id == table_id), None)
        if found is None:
            found = next(t for t in self.tables if t.id == table_id.removesuffix(FINAL_SUFFIX))
        return found

    def is_final_title(self, text: str) -> bool:
        """Does a title name a 决算 (final accounts) table?"""
        wanted = label(text)
        return any(label(m) in wanted for m in self.final_markers)

    def is_header_word(self, text: str) -> bool:
        """Is this cell something a header row may hold (a column label or a group heading)?"""
        word = header_label(text)
        if not word or word in self.header_words:
            return True
        return any(word in t.aliases for t in self.tables)

    def is_total(self, text: str) -> bool:
        return label(text) in self.total_labels


def _data(name: str) -> dict[str, Any]:
    text = resources.files("yusuan.audit").joinpath("data", name).read_text("utf-8")
    return tomllib.loads(text)


MAIN_DATA = "tables.toml"


def table_files() -> list[str]:
    """The data files that declare tables: ``tables.toml`` first, then every other ``*.toml``
    under ``audit/data/`` with ``[[table]]`` entries, by name (so another file's tables, such as
    the 决算 tables, plug in without editing this one). A later file's ``[aliases]`` and
    ``[kinds]`` apply to its own tables, over the shared ones; its ``[header] words`` and
    ``[rows]`` labels add to the shared ones."""
    folder = resources.files("yusuan.audit").joinpath("data")
    others = sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and entry.name != MAIN_DATA
    )
    return [MAIN_DATA, *(n for n in others if "table" in _data(n))]


def _words(files: Sequence[Mapping[str, Any]], section: str, key: str) -> list[str]:
    """A list of words that every table file may add to (``[header] words``, ``[rows]``)."""
    return [w for f in files for w in _strings(f.get(section, {}).get(key))]


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(str(v) for v in value)


def alias_label(word: str) -> str:
    """An alias for comparison; "parent>leaf" names a leaf under a given group heading."""
    return ">".join(label(part) for part in word.split(">"))


def _alias_map(*layers: Mapping[str, object]) -> dict[str, str]:
    """label(alias) -> key, the earlier layers taking precedence."""
    result: dict[str, str] = {}
    for layer in layers:
        for key, words in layer.items():
            for word in _strings(words):
                result.setdefault(alias_label(word), key)
    return result


def _alternate_map(*layers: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    """label(alias) -> the keys after the first that list the same alias, in order."""
    every: dict[str, list[str]] = {}
    for layer in layers:
        for key, words in layer.items():
            for word in _strings(words):
                keys = every.setdefault(alias_label(word), [])
                if key not in keys:
                    keys.append(key)
    return {word: tuple(keys[1:]) for word, keys in every.items() if len(keys) > 1}


_KIND_NAMES = {
    "code": CODE,
    "name": NAME,
    "text": TEXT,
    "quantity": QUANTITY,
    "amount": AMOUNT,
    "percent": PERCENT,
}


def _kind_map(*layers: Mapping[str, object]) -> dict[str, str]:
    """key -> column kind, the later layers overriding the earlier."""
    return {
        key: _KIND_NAMES[kind]
        for layer in layers
        for kind, keys in layer.items()
        for key in _strings(keys)
    }


def _spec(
    raw: Mapping[str, Any], shared: Mapping[str, object], kinds: Mapping[str, object]
) -> TableSpec:
    own = raw.get("aliases", {})
    return TableSpec(
        id=str(raw["id"]),
        name=str(raw.get("name", raw["id"])),
        shape=str(raw["shape"]),
        titles=_strings(raw.get("titles")),
        excludes=_strings(raw.get("not")),
        columns=_strings(raw.get("columns")),
        income=_strings(raw.get("income")),
        expenditure=_strings(raw.get("expenditure")),
        aliases=_alias_map(own, shared),
        alternates=_alternate_map(own, shared),
        kinds=_kind_map(kinds, raw.get("kinds", {})),
        own_aliases=tuple(w for words in own.values() for w in _strings(words)),
    )


def _labels(words: object) -> frozenset[str]:
    return frozenset(label(w) for w in _strings(words))


def _table_files() -> list[dict[str, Any]]:
    """Every data file that declares ``[[table]]`` entries (tables.toml first, then the others
    by name: final_tables.toml holds the 决算 tables)."""
    folder = resources.files("yusuan.audit").joinpath("data")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".toml"))
    names.sort(key=lambda n: n != "tables.toml")
    loaded = [_data(name) for name in names]
    return [data for data in loaded if data.get("table")]


@functools.cache
def vocabulary() -> Vocabulary:
    """The recognition data, loaded once."""
    files = [_data(name) for name in table_files()]
    data = files[0]
    shared = data.get("aliases", {})
    kinds = data.get("kinds", {})
    rows = {key: _words(files, "rows", key) for key in data.get("rows", {})}
    return Vocabulary(
        # a file's own [aliases] and [kinds] apply to its tables, over the shared ones
        tables=tuple(
            _spec(t, {**shared, **f.get("aliases", {})}, {**kinds, **f.get("kinds", {})})
            for f in files
            for t in f.get("table", [])
        ),
        final_markers=_strings(data["markers"].get("final")),
        title_endings=_strings(data["markers"].get("title_endings")),
        number_labels=tuple(re.compile(p) for p in _strings(data["markers"].get("numbers"))),
        numbering=tuple(re.compile(p) for p in _strings(data["markers"].get("numbering"))),
        header_words=_labels(_words(files, "header", "words")),
        total_labels=_labels(rows.get("total")),
        income_total_labels=_labels(rows.get("income_total")),
        expenditure_total_labels=_labels(rows.get("expenditure_total")),
        after_total_labels=_labels(rows.get("after_total")),
        expense_kinds=_labels(rows.get("expense_kinds")),
    )


# --- titles ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identification:
    """What a table is: its kind, whether it is the 决算 version, and how sure that is.

    ``score`` is the evidence for it (title characters matched, header labels and rows that
    fit); ``defined`` is False for a 决算 title whose table has no definition of its own (the
    budget table it mirrors is ``spec``): such a table is read as a grid.
    """

    spec: TableSpec
    final: bool
    score: int
    defined: bool = True
    signals: tuple[str, ...] = ()

    @property
    def readable(self) -> bool:
        """A 预算 table, or a 决算 table with a 决算 definition of its own."""
        return self.defined

    @property
    def table_id(self) -> str:
        if self.spec.id.endswith(FINAL_SUFFIX) or not self.final:
            return self.spec.id
        return self.spec.id + FINAL_SUFFIX


def pattern_score(pattern: str, text: str) -> int:
    """Characters matched when every ``+``-separated part appears in ``text`` in order, else 0."""
    position, score = 0, 0
    for part in (label(p) for p in pattern.split("+")):
        found = text.find(part, position)
        if not part or found < 0:
            return 0
        position, score = found + len(part), score + len(part)
    return score


def title_score(spec: TableSpec, title: str) -> int:
    """How much of a title names this table (0: not at all, or a ``not`` word vetoes it)."""
    text = label(title)
    if any(label(word) in text for word in spec.excludes):
        return 0
    return max((pattern_score(p, text) for p in spec.titles), default=0)


def _is_final_spec(spec: TableSpec) -> bool:
    return spec.id.endswith(FINAL_SUFFIX)


def identify(title: str, evidence: Evidence | None = None) -> Identification | None:
    """Which table a block is, from its title and (when given) its header and rows.

    Every table whose title pattern matches, and whose header and rows do not contradict it,
    is a candidate; the title's score decides, the header and rows break ties. A title naming
    no table leaves the header and rows to decide alone, when they name one table clearly.
    A 决算 title is matched against the 决算 tables; when none is defined, against the budget
    tables, and the result is marked ``defined=False``.
    """
    vocab = vocabulary()
    final = vocab.is_final_title(title)
    pool = [t for t in vocab.tables if _is_final_spec(t) == final]
    found = _best(pool, title, evidence, final)
    if final and (found is None or "title" not in found.signals):
        # a title that names a table (政府采购决算表) outweighs a 决算 table that only the
        # header resembles (项目 | 决算数 fits many): it is that table, without a definition
        guess = _best([t for t in vocab.tables if not _is_final_spec(t)], title, evidence, final)
        if guess is not None and (found is None or "title" in guess.signals):
            return replace(guess, defined=False)
    return found


def _best(
    specs: Sequence[TableSpec], title: str, evidence: Evidence | None, final: bool
) -> Identification | None:
    scored = []
    for spec in specs:
        fit = evidence.fit(spec) if evidence is not None else Fit(0, ())
        if fit.contradicts:
            continue
        scored.append((title_score(spec, title), fit, spec))
    titled = [s for s in scored if s[0]]
    if titled:
        score, fit, spec = max(titled, key=lambda s: (s[0], s[1].points))
        return Identification(spec, final, score, signals=("title", *fit.signals))
    ranked = sorted(scored, key=lambda s: s[1].points, reverse=True)
    if not ranked or ranked[0][1].points < MIN_CONTENT_POINTS:
        return None
    if len(ranked) > 1 and ranked[1][1].points == ranked[0][1].points:
        return None  # the header and rows fit two tables equally: not identified
    _, fit, spec = ranked[0]
    return Identification(spec, final, 0, signals=fit.signals)


# --- what a block's header and rows say ----------------------------------------------------

# a header and rows identify a table on their own only with this much evidence: at least two
# of the table's own column labels, or one with rows of the table's kind of codes
MIN_CONTENT_POINTS = 4
_FUNCTION_CODE = re.compile(r"^2\d{2}(?:\d{2}){0,2}$")
_ECONOMIC_CODE = re.compile(r"^3\d{2}(?:\d{2})?$")
_CODE_IN_NAME = re.compile(r"^\[?(\d{3,7})\]?")
# the shapes that list rows by a classification, and the codes each expects
CODED_SHAPES = {"function": _FUNCTION_CODE, "economic": _ECONOMIC_CODE}


@dataclass(frozen=True, slots=True)
class Fit:
    """How well a block's header and rows fit one table: points, and what they were."""

    points: int
    signals: tuple[str, ...]
    contradicts: bool = False


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a block's header and rows show, whatever its title says.

    ``leaves`` are the header's leaf labels, ``parents`` the group heading above each;
    ``codes`` the classification codes its rows print (in a code column or before a name);
    ``two_sided``: a header row names a 收入 half left of a 支出 half.
    """

    leaves: tuple[str, ...]
    parents: tuple[str, ...]
    codes: tuple[str, ...]
    two_sided: bool

    def coded(self, pattern: re.Pattern[str]) -> int:
        return sum(1 for c in self.codes if pattern.match(c))

    def fit(self, spec: TableSpec) -> Fit:
        """Header labels this table has its own alias for count 2, shared ones 1; rows of the
        codes its shape lists count 2 more, a 收入 | 支出 header under a two-sided table 2 more;
        rows of another classification's codes contradict it (a 收入 | 支出 header does not
        contradict a one-sided table: 本年收入 | 本年支出 may be two of its columns)."""
        signals: list[str] = []
        points = 0
        own = {alias_label(w) for w in spec.own_aliases}
        keys: set[str] = set()
        for leaf, parent in zip(self.leaves, self.parents, strict=False):
            word = header_label(leaf)
            key = spec.aliases.get(header_label(parent) + ">" + word) or spec.aliases.get(word)
            if not word or key is None or key in keys:
                continue
            keys.add(key)
            points += 2 if word in own else 1
        if keys:
            signals.append("header")
        function, economic = self.coded(_FUNCTION_CODE), self.coded(_ECONOMIC_CODE)
        expected = CODED_SHAPES.get(shape_family(spec))
        if expected is not None and self.codes:
            mine = self.coded(expected)
            other = (function + economic) - mine
            if other > mine:
                return Fit(points, tuple(signals), contradicts=True)
            if mine:
                points += 2
                signals.append("codes")
        if shape_family(spec) == "two-sided" and self.two_sided:
            points += 2
            signals.append("收入/支出")
        return Fit(points, tuple(signals))


def shape_family(spec: TableSpec) -> str:
    """What a table's rows are, whatever its shape is called: "two-sided" for a table with a
    收入 and a 支出 half (it declares ``income``), "function" or "economic" for a shape of that
    name or ending in it ("final-function"), else its shape."""
    if spec.income or spec.shape == "two-sided":
        return "two-sided"
    for family in CODED_SHAPES:
        if spec.shape == family or spec.shape.endswith("-" + family):
            return family
    return spec.shape


def row_codes(body: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """The classification codes the rows print: a cell of 3 to 7 digits alone, or in front of a
    name ("[30101]基本工资", "201 一般公共服务支出")."""
    codes = []
    for row in body:
        for cell in row:
            text = normalise(cell)
            found = _CODE_IN_NAME.match(text)
            if found and (found.group(0) == text or not text[found.end() :][:1].isdigit()):
                if not is_money(text):
                    codes.append(found.group(1))
                break
    return tuple(codes)


def is_two_sided(header: Sequence[Sequence[str]]) -> bool:
    """Does a header row name a 收入 half left of a 支出 half (收入 | 支出, 本年收入 | 本年支出)?"""
    for row in header:
        words = [label(c) for c in row if c.strip()]
        income = next((i for i, w in enumerate(words) if _side_word(w, "收入")), None)
        spend = next((i for i, w in enumerate(words) if _side_word(w, "支出")), None)
        if income is not None and spend is not None and income < spend:
            return True
    return False


def _side_word(word: str, side: str) -> bool:
    return (
        word == side
        or (word.startswith(side) and len(word) <= 4)
        or word
        in (
            "本年" + side,
            "财政拨款" + side,
        )
    )


def evidence_of(header: Sequence[Sequence[str]], body: Sequence[Sequence[str]]) -> Evidence:
    return Evidence(
        tuple(leaf_labels(header)),
        tuple(leaf_parents(header)),
        row_codes(body),
        is_two_sided(header),
    )


# --- title lines ---------------------------------------------------------------------------

_SENTENCE_MARKS = "。；;，,"
_COLONS = re.compile(r"[:：]")


def core_title(text: str) -> str | None:
    """The title a line prints, without its number, or None when the line is not a title.

    A title is short, ends like one (…表), holds no sentence, and may be numbered in any way:
    "公开01表：收支预算总表" (number and title joined by a colon), "一、2018年度…收支预算总表"
    (a Chinese ordinal), "表3-1 …", "(一)…". The numbers and ordinals are data
    (``[markers]`` of ``tables.toml``); a colon after anything but a table number is a label
    ("部门：…"), not a title.
    """
    text = _CONTINUED.sub("", unicodedata.normalize("NFKC", text).strip()).strip()
    head, colon, rest = text.partition(":") if ":" in text else text.partition("：")
    if colon:
        if not _is_number(head):
            return None
        text = rest.strip()
    first, _, after = text.partition(" ")
    if after and _is_number(first):
        text = after.strip()
    compact = normalise(text)
    for pattern in vocabulary().numbering:
        found = pattern.match(compact)
        if found:
            compact = compact[found.end() :]
            break
    compact = _CONTINUED.sub("", compact)
    if not compact or len(compact) > 60 or any(m in compact for m in _SENTENCE_MARKS):
        return None
    if _COLONS.search(compact):
        return None
    return compact if any(compact.endswith(e) for e in vocabulary().title_endings) else None


def _is_number(text: str) -> bool:
    compact = normalise(text)
    return any(p.match(compact) for p in vocabulary().number_labels)


def looks_like_title(cells: Sequence[str]) -> str | None:
    """The text of a row that can be a title: one cell, shaped like a title (``core_title``),
    not a table's number alone."""
    texts = [c.strip() for c in cells if c.strip()]
    if len(texts) > 1 and all(find_unit(t) is not None for t in texts[1:]):
        texts = texts[:1]  # the unit printed on the title's line ("收支总表    单位：万元")
    if len(texts) != 1:
        return None
    if is_number_label(texts):
        return None  # "公开01表": the table's number, printed above its title
    return texts[0] if core_title(texts[0]) is not None else None


def is_number_label(cells: Sequence[str]) -> bool:
    """Is this row only a table's number ("公开01表", "附表3"), printed above its title?"""
    texts = [c.strip() for c in cells if c.strip()]
    return len(texts) == 1 and _is_number(texts[0])


# --- headers -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeaderColumn:
    """A leaf column of a printed header: where it is, what it is, and how it was printed."""

    index: int
    key: str
    printed: str


def leaf_labels(header: Sequence[Sequence[str]]) -> list[str]:
    """For each column, the lowest non-empty header cell (merged group headings sit above)."""
    width = max((len(r) for r in header), default=0)
    leaves = []
    for col in range(width):
        cells = [r[col].strip() for r in header if col < len(r) and r[col].strip()]
        leaves.append(cells[-1] if cells else "")
    return leaves


def leaf_parents(header: Sequence[Sequence[str]]) -> list[str]:
    """For each column, the group heading right above its leaf: the nearest non-empty cell at
    or left of the column in the header row above the leaf's ("" for a leaf in the top row).

    A merged group heading stands at the left of the columns it spans, so the nearest heading
    to the left is the one spanning the column (exact for headers whose groups are contiguous).
    """
    rows = [[c.strip() for c in r] for r in header]
    width = max((len(r) for r in rows), default=0)
    parents = []
    for col in range(width):
        depth = max((i for i, r in enumerate(rows) if col < len(r) and r[col]), default=-1)
        parent = ""
        if depth > 0:
            above = rows[depth - 1]
            parent = next(
                (above[c] for c in range(min(col, len(above) - 1), -1, -1) if above[c]), ""
            )
        parents.append(parent)
    return parents


def map_header(
    spec: TableSpec, leaves: Sequence[str], parents: Sequence[str] = ()
) -> tuple[list[HeaderColumn], list[str]]:
    """The columns a header names, and the printed labels this table has no key for.

    An alias "group>leaf" names a leaf under that group heading and is matched first; then
    each leaf by its own label, or by the label's further keys when its first is taken.
    """
    found: dict[int, HeaderColumn] = {}
    taken: set[str] = set()
    for index, printed in enumerate(leaves):
        parent = parents[index] if index < len(parents) else ""
        key = (
            spec.aliases.get(header_label(parent) + ">" + header_label(printed))
            if parent and printed
            else None
        )
        if key is not None and key not in taken:
            taken.add(key)
            found[index] = HeaderColumn(index, key, printed)
    unknown = []
    for index, printed in enumerate(leaves):
        if not printed or index in found:
            continue
        word = header_label(printed)
        choices = [k for k in (spec.aliases.get(word), *spec.alternates.get(word, ())) if k]
        key = next((k for k in choices if k not in taken), None)
        if key is None:
            unknown.append(printed)
            continue
        taken.add(key)
        found[index] = HeaderColumn(index, key, printed)
    return [found[i] for i in sorted(found)], unknown


def _misfits(
    spec: TableSpec, columns: Sequence[HeaderColumn], body: Sequence[Sequence[str]]
) -> int:
    """Cells whose content contradicts their column: printed amounts under a free-text column,
    or words under an amount column."""
    count = 0
    for column in columns:
        kind = spec.kind_of(column.key)
        for row in body:
            cell = row[column.index].strip() if column.index < len(row) else ""
            if not cell:
                continue
            count += _misfit(kind, cell)
    return count


def _misfit(kind: str, cell: str) -> bool:
    if kind == TEXT:
        return is_money(cell)
    return kind == AMOUNT and not is_amount(cell) and normalise(cell) not in BLANK_MARKS


def template_order(
    spec: TableSpec, columns: Sequence[HeaderColumn], body: Sequence[Sequence[str]]
) -> tuple[list[HeaderColumn], bool]:
    """Re-read misplaced header cells in the template's column order, when the figures agree.

    Extraction can shift merged header cells (the seed's 三公 table prints 备注 over the 培训费
    figures). When the printed keys are the template's keys out of order, and reading them in
    the template's order leaves fewer contradicting cells, that reading is taken.
    """
    printed = sorted(columns, key=lambda c: c.index)
    keys = [c.key for c in printed]
    canonical = [k for k in spec.columns if k in keys]
    if keys == canonical or len(canonical) != len(keys):
        return printed, False
    labels = {c.key: c.printed for c in printed}
    reordered = [
        HeaderColumn(c.index, key, labels[key]) for c, key in zip(printed, canonical, strict=True)
    ]
    if _misfits(spec, reordered, body) < _misfits(spec, printed, body):
        return reordered, True
    return printed, False
