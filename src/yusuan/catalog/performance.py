"""The performance-target framework (绩效指标体系) as data: which 一级/二级 indicators a project's
绩效目标申报表 may use, under which scheme, and what the rules may expect of them.

The data is ``catalog/data/performance/framework.csv`` (see its ``SOURCES.md``). Two schemes are
kept side by side because local systems still use the older placement:

- ``2015``: 产出 (数量, 质量, 时效, 成本) / 效益 (经济, 社会, 生态, 可持续影响) / 满意度;
- ``2021`` (财预〔2021〕101号 指引): 成本 becomes a first level (经济成本, 社会成本, 生态环境成本).

A row with an empty ``level2`` describes the first level itself (its aliases, its role). ``role``
says what the rules may expect of an indicator filed there (a ``cost`` is money, a ``quantity`` a
count, a ``satisfaction`` a percentage …); ``required`` marks what every form should contain;
``kind`` whether values are ``quantitative``, ``qualitative`` or ``either``.
"""

from __future__ import annotations

import csv
import functools
import io
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources

FRAMEWORK_FILE = "performance/framework.csv"

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
EITHER = "either"


@functools.lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A printed 一级/二级 label reduced for comparison: NFKC, no whitespace, no trailing colon."""
    cleaned = unicodedata.normalize("NFKC", text)
    return "".join(cleaned.split()).rstrip(":")


@dataclass(frozen=True, slots=True)
class FrameworkEntry:
    """One first-level (``level2 == ""``) or second-level indicator of one scheme."""

    scheme: str
    level1: str
    level2: str
    aliases: tuple[str, ...]
    kind: str
    role: str
    required: bool
    source: str
    confidence: str

    @property
    def is_level1(self) -> bool:
        return not self.level2

    @property
    def name(self) -> str:
        return self.level2 or self.level1

    @property
    def label(self) -> str:
        """``产出指标—数量指标`` or ``满意度指标``: how messages name it."""
        return f"{self.level1}—{self.level2}" if self.level2 else self.level1

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a printed 一级/二级 pair falls in one scheme (``level2`` only if the pair is known)."""

    scheme: str
    level1: FrameworkEntry | None
    level2: FrameworkEntry | None

    @property
    def known(self) -> bool:
        return self.level1 is not None and self.level2 is not None

    def roles(self) -> frozenset[str]:
        """The roles this placement counts for (both levels when the pair is known)."""
        return frozenset(e.role for e in (self.level1, self.level2) if e is not None)


@dataclass(frozen=True)
class Framework:
    """The framework's entries, indexed for look-up by scheme and printed label."""

    entries: tuple[FrameworkEntry, ...]
    schemes: tuple[str, ...]
    _level1: Mapping[tuple[str, str], FrameworkEntry] = field(repr=False)
    _level2: Mapping[tuple[str, str, str], FrameworkEntry] = field(repr=False)
    _level2_any: Mapping[tuple[str, str], FrameworkEntry | None] = field(repr=False)

    @classmethod
    def build(cls, entries: Iterable[FrameworkEntry]) -> Framework:
        rows = tuple(entries)
        level1: dict[tuple[str, str], FrameworkEntry] = {}
        level2: dict[tuple[str, str, str], FrameworkEntry] = {}
        anywhere: dict[tuple[str, str], FrameworkEntry | None] = {}
        for entry in rows:
            for name in entry.names():
                key = label_key(name)
                if entry.is_level1:
                    level1[(entry.scheme, key)] = entry
                else:
                    level2[(entry.scheme, label_key(entry.level1), key)] = entry
                    seen = anywhere.get((entry.scheme, key), entry)
                    # a second-level name used under two first levels is ambiguous on its own
                    anywhere[(entry.scheme, key)] = entry if seen == entry else None
        return cls(rows, tuple(sorted({e.scheme for e in rows})), level1, level2, anywhere)

    def level1(self, scheme: str, printed: str) -> FrameworkEntry | None:
        return self._level1.get((scheme, label_key(printed)))

    def place(self, scheme: str, level1: str, level2: str) -> Placement:
        first = self.level1(scheme, level1)
        if first is None:
            return Placement(scheme, None, None)
        second = self._level2.get((scheme, label_key(first.level1), label_key(level2)))
        return Placement(scheme, first, second)

    def level2_anywhere(self, scheme: str, printed: str) -> FrameworkEntry | None:
        """The second level of this name under whichever first level has it (if only one does)."""
        return self._level2_any.get((scheme, label_key(printed)))

    def required(self, scheme: str) -> tuple[FrameworkEntry, ...]:
        """The required entries of a scheme, one per role (a first level before its children)."""
        seen: dict[str, FrameworkEntry] = {}
        for entry in self.entries:
            if entry.scheme == scheme and entry.required:
                seen.setdefault(entry.role, entry)
        return tuple(seen.values())

    def children(self, entry: FrameworkEntry) -> tuple[FrameworkEntry, ...]:
        return tuple(
            e
            for e in self.entries
            if e.scheme == entry.scheme and e.level1 == entry.level1 and not e.is_level1
        )

    def scheme_for(self, year: int, pairs: Iterable[tuple[str, str]]) -> str:
        """The scheme that places most of these 一级/二级 pairs; ties go to the newest scheme
        issued before the budget year (a budget is prepared the year before), else the oldest."""
        pairs = list(pairs)
        ordered = sorted(
            self.schemes, key=lambda s: (s.isdigit() and int(s) < year, s), reverse=True
        )
        return max(
            ordered,
            key=lambda s: sum(1 for a, b in pairs if self.place(s, a, b).known),
        )


def _rows() -> list[dict[str, str]]:
    text = resources.files("yusuan.catalog").joinpath("data", FRAMEWORK_FILE).read_text("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@functools.cache
def performance_framework() -> Framework:
    """The framework of ``catalog/data/performance/framework.csv``."""
    return Framework.build(
        FrameworkEntry(
            scheme=row["scheme"].strip(),
            level1=row["level1"].strip(),
            level2=row["level2"].strip(),
            aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
            kind=row["kind"].strip(),
            role=row["role"].strip(),
            required=row["required"].strip().lower() in ("yes", "true", "1", "是"),
            source=row["source"].strip(),
            confidence=row["confidence"].strip(),
        )
        for row in _rows()
    )
