"""Catalogue coverage and code look-up, for ``yusuan catalog``."""

from __future__ import annotations

from collections import Counter

from yusuan.catalog.loader import Classification, catalogs_for, procurement_catalog


def _sources(classification: Classification, level: str) -> str:
    counts: Counter[str] = Counter()
    for entry in classification.entries.values():
        if entry.level == level:
            for key in entry.source.split(";"):
                counts[key.strip().split(":")[0] or "?"] += 1
    return ", ".join(f"{k} {n}" for k, n in counts.most_common(4))


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


def coverage_rows(year: int) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for title, classification in _catalogues(year):
        levels = Counter(e.level for e in classification.entries.values())
        for level in sorted(
            levels, key=lambda lv: min(len(e.code) for e in classification.at_level(lv))
        ):
            rows.append(
                (
                    title,
                    classification.version,
                    level,
                    str(levels[level]),
                    _sources(classification, level),
                )
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
