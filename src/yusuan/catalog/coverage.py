"""Catalogue coverage and code look-up, for ``yusuan catalog``."""

from __future__ import annotations

import re
from collections import Counter

from yusuan.catalog.loader import Classification, catalogs_for, procurement_catalog


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
    other = "2022" if cats.procurement_edition == "2013" else "2013"
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


def lookup(code: str, year: int) -> list[tuple[str, str, str, str, str, str, str]]:
    hits = []
    for title, classification in _catalogues(year):
        entry = classification.get(code.strip())
        if entry:
            hits.append(
                (
                    title,
                    entry.code,
                    entry.name,
                    entry.level,
                    entry.parent,
                    entry.source,
                    entry.confidence,
                )
            )
    return hits
