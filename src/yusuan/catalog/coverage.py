"""Catalogue coverage and code look-up, for ``yusuan catalog``."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from yusuan.catalog.loader import (
    Classification,
    catalogs_for,
    procurement_catalog,
    procurement_editions,
)

Hit = tuple[str, str, str, str, str, str, str]


def source_key(source: str) -> str:
    """The short key of a free-text source note: ``realdoc:jiangsu (page 3)`` -> ``realdoc``."""
    return re.split(r"[\s:(（]", source.strip(), maxsplit=1)[0] or "?"


def _sources(classification: Classification, level: str) -> str:
    counts: Counter[str] = Counter()
    for entry in classification.entries.values():
        if entry.level == level:
            for key in {source_key(part) for part in entry.source.split(";") if part.strip()}:
                counts[key] += 1
    return " ".join(f"{k}×{n}" for k, n in counts.most_common(3))


def _catalogues(year: int) -> list[tuple[str, Classification]]:
    cats = catalogs_for(year)
    result = [
        ("支出功能分类", cats.function),
        ("部门预算支出经济分类", cats.department_economic),
        ("政府预算支出经济分类", cats.government_economic),
        (f"政府采购品目（{cats.procurement_edition}版）", cats.procurement),
    ]
    for other in procurement_editions():
        if other != cats.procurement_edition:
            result.append((f"政府采购品目（{other}版）", procurement_catalog(other)))
    return result


def coverage_rows(year: int) -> list[tuple[str, ...]]:
    """One row per catalogue and level: entries, how many are confirmed (high/medium/low), sources."""
    rows: list[tuple[str, ...]] = []
    for title, classification in _catalogues(year):
        levels = Counter(e.level for e in classification.entries.values())
        for level in sorted(
            levels, key=lambda lv: min(len(e.code) for e in classification.at_level(lv))
        ):
            sure = Counter(e.confidence or "high" for e in classification.at_level(level))
            confidence = f"{sure['high']}/{sure['medium']}/{sure['low']}"
            sources = _sources(classification, level)
            rows.append(
                (title, classification.version, level, str(levels[level]), confidence, sources)
            )
    return rows


def edition_note(year: int) -> str:
    """Which editions the catalogues of ``year`` are, said plainly when a year has none of its own."""
    cats = catalogs_for(year)
    version = cats.function.version  # "2027 (base 2021)"
    base = re.search(r"base (\d{4})", version)
    parts = []
    if base and int(base.group(1)) != year:
        parts.append(
            f"{year}年没有单独的支出功能分类科目表，使用{base.group(1)}年版及其后的更名记录"
            f" / no function classification of its own for {year}: the {base.group(1)} edition"
            " with later renames is used"
        )
    parts.append(
        f"政府采购品目：{cats.procurement_edition}版 / procurement catalogue:"
        f" {cats.procurement_edition} edition"
    )
    return "；".join(parts)


def _hit(title: str, classification: Classification, code: str) -> Hit:
    entry = classification.entries[code]
    return (
        title,
        entry.code,
        entry.name,
        entry.level,
        entry.parent,
        entry.source,
        entry.confidence,
    )


def _folded(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def looks_like_code(query: str) -> bool:
    """A code is digits, or a procurement code (a letter and digits: A0605, C0814)."""
    return bool(re.fullmatch(r"[A-Za-z]?\d+", query.strip()))


def lookup(code: str, year: int) -> list[Hit]:
    """The entries with exactly this code, in every catalogue of the year."""
    return [
        _hit(title, classification, code.strip())
        for title, classification in _catalogues(year)
        if code.strip() in classification
    ]


def search(query: str, year: int) -> list[Hit]:
    """Entries whose name contains ``query`` (full/half width and spaces ignored), by catalogue
    and code, so an officer who knows the name but not the code finds it (``小学教育``)."""
    wanted = _folded(query)
    if not wanted:
        return []
    hits = []
    for title, classification in _catalogues(year):
        codes = [code for code, e in classification.entries.items() if wanted in _folded(e.name)]
        hits += [_hit(title, classification, code) for code in sorted(codes)]
    return hits
