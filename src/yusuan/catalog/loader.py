"""Load the catalogue data files for a fiscal year.

Files (all UTF-8 CSV under ``catalog/data``):

- ``function/<year>.csv``: 支出功能分类 for a base year; ``function/history.csv`` overlays the
  names a code had in other years;
- ``economic/department.csv``, ``economic/government.csv``: the two economic classifications,
  with ``valid_from``/``valid_to``; ``economic/mapping.csv``: the crosswalk by unit kind;
- ``procurement/<edition>.csv``: 政府采购品目分类目录 by edition (2013, 2022); ``editions.csv``
  says from which budget year each edition is used;
- ``funding/sources.csv`` and ``funding/expense_groups.csv``.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources

from yusuan.model.records import Dataset, UnitKind

LEVELS_BY_LENGTH = {3: "类", 5: "款", 7: "项"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One code of a classification, with where it came from."""

    code: str
    name: str
    level: str
    parent: str
    source: str = ""
    confidence: str = ""
    budget_kind: str = ""


@dataclass(frozen=True)
class Classification:
    """A code tree (类/款/项 or catalogue levels) for one year or edition."""

    title: str
    version: str
    entries: dict[str, Entry]
    _children: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, title: str, version: str, entries: Iterable[Entry]) -> Classification:
        by_code = {e.code: e for e in entries}
        children: dict[str, list[str]] = {}
        for entry in by_code.values():
            children.setdefault(entry.parent, []).append(entry.code)
        return cls(title, version, by_code, {k: tuple(v) for k, v in children.items()})

    def __contains__(self, code: object) -> bool:
        return code in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, code: str) -> Entry | None:
        return self.entries.get(code)

    def name(self, code: str, default: str = "") -> str:
        entry = self.entries.get(code)
        return entry.name if entry else default

    def roots(self) -> tuple[str, ...]:
        return self._children.get("", ())

    def children(self, code: str) -> tuple[str, ...]:
        return self._children.get(code, ())

    def ancestors(self, code: str) -> list[str]:
        """Codes from the root down to ``code``'s parent."""
        chain: list[str] = []
        entry = self.entries.get(code)
        while entry is not None and entry.parent:
            chain.append(entry.parent)
            entry = self.entries.get(entry.parent)
        return list(reversed(chain))

    def at_level(self, level: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.level == level]


@dataclass(frozen=True, slots=True)
class FundingSource:
    """资金来源: a funding source and the names it is known by."""

    key: str
    name: str
    group: str
    budget_kind: str
    is_fiscal: bool
    order: int
    aliases: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True, slots=True)
class ExpenseGroupMember:
    """An economic code counted in an expense group (三公经费, 会议费, 培训费, 机关运行经费)."""

    group: str
    item: str
    department_code: str
    note: str = ""


def _data_text(path: str) -> str:
    return resources.files("yusuan.catalog").joinpath("data", path).read_text("utf-8-sig")


def _data_exists(path: str) -> bool:
    return resources.files("yusuan.catalog").joinpath("data", path).is_file()


def _rows(path: str) -> Iterator[dict[str, str]]:
    for row in csv.DictReader(io.StringIO(_data_text(path))):
        yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def _function_base_years() -> list[int]:
    folder = resources.files("yusuan.catalog").joinpath("data", "function")
    years = []
    for item in folder.iterdir():
        stem = item.name.removesuffix(".csv")
        if item.name.endswith(".csv") and stem.isdigit():
            years.append(int(stem))
    return sorted(years)


def _year_in(year: int, start: str, end: str) -> bool:
    return (not start or int(start) <= year) and (not end or year <= int(end))


@functools.cache
def function_classification(year: int) -> Classification:
    """支出功能分类科目 for ``year``: the nearest base table, with the year's names overlaid."""
    bases = _function_base_years()
    if not bases:
        raise LookupError("no function classification data file")
    earlier = [y for y in bases if y <= year]
    base = earlier[-1] if earlier else bases[0]
    entries = {
        r["code"]: Entry(
            r["code"],
            r["name"],
            r["level"],
            r["parent"],
            r.get("source", ""),
            r.get("confidence", ""),
            r.get("budget_kind", ""),
        )
        for r in _rows(f"function/{base}.csv")
    }
    if _data_exists("function/history.csv"):
        for r in _rows("function/history.csv"):
            if not _year_in(year, r["from_year"], r["to_year"]):
                continue
            code = r["code"]
            old = entries.get(code)
            parent = old.parent if old else _parent_by_length(code)
            entries[code] = Entry(
                code,
                r["name"],
                old.level if old else LEVELS_BY_LENGTH.get(len(code), ""),
                parent,
                r.get("source", ""),
                r.get("confidence", ""),
                old.budget_kind if old else "",
            )
    return Classification.build("支出功能分类科目", f"{year} (base {base})", entries.values())


def _parent_by_length(code: str) -> str:
    return {5: code[:3], 7: code[:5]}.get(len(code), "")


def _economic(path: str, title: str, year: int) -> Classification:
    entries = [
        Entry(r["code"], r["name"], r["level"], r["parent"], r["source"], r["confidence"])
        for r in _rows(path)
        if _year_in(year, r.get("valid_from", ""), r.get("valid_to", ""))
    ]
    return Classification.build(title, str(year), entries)


@functools.cache
def department_economic(year: int) -> Classification:
    """部门预算支出经济分类科目 in force in ``year``."""
    return _economic("economic/department.csv", "部门预算支出经济分类科目", year)


@functools.cache
def government_economic(year: int) -> Classification:
    """政府预算支出经济分类科目 in force in ``year``."""
    return _economic("economic/government.csv", "政府预算支出经济分类科目", year)


# 基本支出 人员经费 is paid from these 部门预算支出经济分类 classes (301 工资福利支出, 303 对个人和
# 家庭的补助; standards §2.2 IN-T6-2); 公用经费 from every other class (302 商品和服务支出, 310 …).
PERSONNEL_CLASSES = ("301", "303")

MAPPING_ORGAN = "机关"
MAPPING_INSTITUTION = "事业单位"


@functools.cache
def economic_mapping() -> dict[tuple[str, str], str]:
    """(部门经济分类 code, 机关|事业单位|*) -> 政府经济分类 code."""
    return {
        (r["department_code"], r["unit_kind"]): r["government_code"]
        for r in _rows("economic/mapping.csv")
    }


def government_code_for(department_code: str, unit_kind: UnitKind) -> str | None:
    """Derive the 政府预算支出经济分类 code of a line through the official mapping."""
    mapping = economic_mapping()
    group = MAPPING_ORGAN if unit_kind.is_organ else MAPPING_INSTITUTION
    return mapping.get((department_code, group)) or mapping.get((department_code, "*"))


@functools.cache
def procurement_editions() -> tuple[str, ...]:
    """Every edition of the procurement catalogue the data holds (``procurement/editions.csv``)."""
    return tuple(sorted(r["edition"] for r in _rows("procurement/editions.csv")))


@functools.cache
def procurement_edition(year: int) -> str:
    """The 政府采购品目分类目录 edition a disclosure of ``year`` uses: the latest edition in
    force by then (``procurement/editions.csv``: an edition's ``first_year``; blank = always)."""
    in_force = [
        (int(r["first_year"] or 0), r["edition"])
        for r in _rows("procurement/editions.csv")
        if not r["first_year"] or int(r["first_year"]) <= year
    ]
    if not in_force:
        raise LookupError(f"no procurement catalogue edition in force in {year}")
    return max(in_force)[1]


@functools.cache
def procurement_catalog(edition: str) -> Classification:
    """政府采购品目分类目录 of an edition, keyed by short code (trailing ``00`` pairs removed)."""
    entries = []
    for r in _rows(f"procurement/{edition}.csv"):
        code = r.get("short_code") or short_procurement_code(r["code"])
        parent = r.get("parent_code", r.get("parent", ""))
        entries.append(
            Entry(
                code,
                r["name"],
                r["level"],
                short_procurement_code(parent) if parent else "",
                r.get("source", ""),
                r.get("confidence", "high"),
            )
        )
    return Classification.build("政府采购品目分类目录", edition, entries)


def short_procurement_code(code: str) -> str:
    """A0201010400 -> A02010104: drop trailing ``00`` pairs of a padded catalogue code."""
    code = code.strip()
    while len(code) > 1 and (len(code) - 1) % 2 == 0 and code.endswith("00"):
        code = code[:-2]
    return code


@functools.cache
def funding_sources() -> tuple[FundingSource, ...]:
    sources = [
        FundingSource(
            r["key"],
            r["name"],
            r["group"],
            r["budget_kind"],
            r["is_fiscal"] in ("yes", "是", "true", "1"),
            int(r["order"]),
            tuple(a for a in r["aliases"].split("|") if a),
            r.get("source", ""),
        )
        for r in _rows("funding/sources.csv")
    ]
    return tuple(sorted(sources, key=lambda s: s.order))


def funding_source(name_or_key: str) -> FundingSource | None:
    """Find a funding source by key, catalogue name or alias."""
    return _funding_index().get(name_or_key.strip())


@functools.cache
def _funding_index() -> dict[str, FundingSource]:
    """Each key, name and alias -> its funding source, the first in catalogue order when two
    share one (as a search through ``funding_sources()`` finds it): looked up once per line."""
    index: dict[str, FundingSource] = {}
    for src in funding_sources():
        for known in (src.key, src.name, *src.aliases):
            index.setdefault(known, src)
    return index


@functools.cache
def expense_groups() -> tuple[ExpenseGroupMember, ...]:
    return tuple(
        ExpenseGroupMember(r["group"], r["item"], r["department_code"], r.get("note", ""))
        for r in _rows("funding/expense_groups.csv")
    )


def expense_group_codes(group: str, item: str | None = None) -> frozenset[str]:
    """Economic codes of an expense group (and item), e.g. ('三公经费', '公务接待费')."""
    return frozenset(
        m.department_code
        for m in expense_groups()
        if m.group == group and (item is None or m.item == item)
    )


@functools.cache
def economic_function_pairs() -> tuple[tuple[str, str], ...]:
    """Economic items whose whole amount belongs to one function item (30109 职业年金缴费 ↔
    2080506 机关事业单位职业年金缴费支出 …): ``economic/function_pairs.csv``."""
    return tuple(
        (r["economic_code"].strip(), r["function_code"].strip())
        for r in _rows("economic/function_pairs.csv")
    )


@dataclass(frozen=True)
class Catalogs:
    """Every catalogue a dataset of one fiscal year is read against."""

    year: int
    function: Classification
    department_economic: Classification
    government_economic: Classification
    procurement: Classification
    procurement_edition: str


@functools.cache
def catalogs_for(year: int) -> Catalogs:
    edition = procurement_edition(year)
    return Catalogs(
        year=year,
        function=function_classification(year),
        department_economic=department_economic(year),
        government_economic=government_economic(year),
        procurement=procurement_catalog(edition),
        procurement_edition=edition,
    )


# --- the catalogue year of a dataset (目录年度) ------------------------------------------------


def catalogs_of(dataset: Dataset) -> Catalogs:
    """The catalogues a dataset is read against: those of its ``catalog_year`` (the budget year
    unless the manifest names another, ``[budget] catalog_year``). Every table and rule that
    looks up a 科目 of a dataset comes here, so the choice is made in one place."""
    return catalogs_for(dataset.catalog_year)


def missing_catalogs(year: int) -> list[str]:
    """The catalogues that have no data for ``year`` (empty: every catalogue has some).

    The function classification has data from its earliest base table or the earliest year its
    history names; the economic classifications from their ``valid_from``; the procurement
    catalogue from its first edition in force."""
    missing = []
    history = [
        int(r[key])
        for r in (_rows("function/history.csv") if _data_exists("function/history.csv") else ())
        for key in ("from_year", "to_year")
        if r.get(key, "").isdigit()
    ]
    if not [y for y in _function_base_years() + history if y <= year]:
        missing.append("支出功能分类科目")
    if not len(department_economic(year)):
        missing.append("部门预算支出经济分类科目")
    if not len(government_economic(year)):
        missing.append("政府预算支出经济分类科目")
    try:
        procurement_edition(year)
    except LookupError:
        missing.append("政府采购品目分类目录")
    return missing
