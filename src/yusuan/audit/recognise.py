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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from yusuan.money import MoneyUnit
from yusuan.tables.base import AMOUNT, CODE, NAME, QUANTITY, TEXT

FINAL_SUFFIX = "-final"

_SPACE = re.compile(r"\s+")
_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}年(?:度)?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(亿元|万元|元)")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_MONEY = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")
# a short remark in brackets after a title: "（续）", "（功能科目）", "(经济分类)"
_CONTINUED = re.compile(r"[(（][^()（）]{1,10}[)）]$")
# cells that mean "nothing here" in an amount column
BLANK_MARKS = frozenset({"", "-", "—", "－", "--", "——", "/"})


def normalise(text: str) -> str:
    """NFKC (full-width brackets, colons and digits to ASCII) with all whitespace removed."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def label(text: str) -> str:
    """A header or field label for comparison: normalised, without a leading year or a colon."""
    return _YEAR_PREFIX.sub("", normalise(text)).rstrip(":")


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

    def key_for(self, printed: str) -> str | None:
        """The yusuan key a printed header names in this table, if any."""
        return self.aliases.get(label(printed))

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
    contents_entries: tuple[re.Pattern[str], ...]
    header_words: frozenset[str]
    total_labels: frozenset[str]
    income_total_labels: frozenset[str]
    expenditure_total_labels: frozenset[str]
    after_total_labels: frozenset[str]
    expense_kinds: frozenset[str]

    def spec(self, table_id: str) -> TableSpec:
        exact = next((t for t in self.tables if t.id == table_id), None)
        return exact or next(t for t in self.tables if t.id == table_id.removesuffix(FINAL_SUFFIX))

    def is_header_word(self, text: str) -> bool:
        """Is this cell something a header row may hold (a column label or a group heading)?"""
        word = label(text)
        if not word or word in self.header_words:
            return True
        return any(word in t.aliases for t in self.tables)

    def is_total(self, text: str) -> bool:
        return label(text) in self.total_labels


def _data(name: str) -> dict[str, Any]:
    text = resources.files("yusuan.audit").joinpath("data", name).read_text("utf-8")
    return tomllib.loads(text)


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


_KIND_NAMES = {"code": CODE, "name": NAME, "text": TEXT, "quantity": QUANTITY, "amount": AMOUNT}


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
    data = _data("tables.toml")
    shared = data.get("aliases", {})
    kinds = data.get("kinds", {})
    rows = data.get("rows", {})
    return Vocabulary(
        tables=tuple(
            _spec(t, {**shared, **f.get("aliases", {})}, {**kinds, **f.get("kinds", {})})
            for f in _table_files()
            for t in f.get("table", [])
        ),
        final_markers=_strings(data["markers"].get("final")),
        title_endings=_strings(data["markers"].get("title_endings")),
        number_labels=tuple(re.compile(p) for p in _strings(data["markers"].get("numbers"))),
        contents_entries=tuple(re.compile(p) for p in _strings(data["markers"].get("contents"))),
        header_words=_labels(data.get("header", {}).get("words")),
        total_labels=_labels(rows.get("total")),
        income_total_labels=_labels(rows.get("income_total")),
        expenditure_total_labels=_labels(rows.get("expenditure_total")),
        after_total_labels=_labels(rows.get("after_total")),
        expense_kinds=_labels(rows.get("expense_kinds")),
    )


# --- titles ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Identification:
    """What a title names: a kind of table, and whether it is the 决算 version."""

    spec: TableSpec
    final: bool
    score: int

    @property
    def table_id(self) -> str:
        if self.spec.id.endswith(FINAL_SUFFIX):
            return self.spec.id
        return self.spec.id + (FINAL_SUFFIX if self.final else "")

    @property
    def readable(self) -> bool:
        """A 预算 table, or a 决算 table with a 决算 definition of its own."""
        return not self.final or self.spec.id.endswith(FINAL_SUFFIX)


def pattern_score(pattern: str, text: str) -> int:
    """Characters matched when every ``+``-separated part appears in ``text`` in order, else 0."""
    position, score = 0, 0
    for part in (label(p) for p in pattern.split("+")):
        found = text.find(part, position)
        if not part or found < 0:
            return 0
        position, score = found + len(part), score + len(part)
    return score


def identify(title: str) -> Identification | None:
    """Which table a title names, by the best-scoring pattern of ``tables.toml``."""
    vocab = vocabulary()
    text = label(title)
    final = any(label(m) in text for m in vocab.final_markers)
    best: Identification | None = None
    for spec in vocab.tables:
        if any(label(word) in text for word in spec.excludes):
            continue
        if spec.id.endswith(FINAL_SUFFIX) and not final:
            continue  # a 决算 definition never names a 预算 table
        score = max((pattern_score(p, text) for p in spec.titles), default=0)
        # a 决算 title is read by a 决算 definition before a 预算 one
        score += 1000 if score and final and spec.id.endswith(FINAL_SUFFIX) else 0
        if score and (best is None or score > best.score):
            best = Identification(spec, final, score)
    return best


def looks_like_title(cells: Sequence[str]) -> str | None:
    """The text of a row that can be a title: one cell, ending like a table title, no sentence."""
    texts = [c.strip() for c in cells if c.strip()]
    if len(texts) != 1:
        return None
    text = _CONTINUED.sub("", texts[0]).strip()
    if len(text) > 60 or any(mark in text for mark in "。；;，,：:"):
        return None
    if is_number_label(cells):
        return None  # "公开01表": the table's number, printed above its title
    if any(p.match(normalise(text)) for p in vocabulary().contents_entries):
        return None  # "十一、…预算表": an entry of a list of contents
    return texts[0] if any(text.endswith(e) for e in vocabulary().title_endings) else None


def is_number_label(cells: Sequence[str]) -> bool:
    """Is this row only a table's number ("公开01表", "附表3"), printed above its title?"""
    texts = [c.strip() for c in cells if c.strip()]
    return len(texts) == 1 and any(p.match(normalise(texts[0])) for p in vocabulary().number_labels)


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
        key = spec.aliases.get(label(parent) + ">" + label(printed)) if parent and printed else None
        if key is not None and key not in taken:
            taken.add(key)
            found[index] = HeaderColumn(index, key, printed)
    unknown = []
    for index, printed in enumerate(leaves):
        if not printed or index in found:
            continue
        word = label(printed)
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
