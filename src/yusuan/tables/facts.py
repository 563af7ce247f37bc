"""Shared views of a dataset that several tables need: lines with their funding source and unit
resolved, and roll-ups of amounts along a classification (类 → 款 → 项).

Everything here is a pure function of the dataset and the catalogues of its year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from yusuan.catalog.loader import (
    Catalogs,
    Classification,
    FundingSource,
    catalogs_for,
    funding_source,
)
from yusuan.model.records import BudgetLine, Dataset, ExpenseKind, Unit, UnitKind
from yusuan.money import ZERO
from yusuan.tables.base import DETAIL, GROUP, TOTAL, Row

# Funding-source columns of the disclosure templates, by the catalogue's group and budget kind.
GENERAL = "general"
FUND = "fund"
STATE_CAPITAL = "state_capital"
SPECIAL_ACCOUNT = "special_account"
UNIT_FUNDS = "unit_funds"
SOURCE_COLUMNS = (GENERAL, FUND, SPECIAL_ACCOUNT, STATE_CAPITAL, UNIT_FUNDS)


def source_column(source: FundingSource) -> str:
    """Which template column (一般公共预算 / 政府性基金 / … / 单位资金) a funding source falls in."""
    if source.group == "财政专户":
        return SPECIAL_ACCOUNT
    if not source.is_fiscal:
        return UNIT_FUNDS
    return {"一般公共预算": GENERAL, "政府性基金预算": FUND, "国有资本经营预算": STATE_CAPITAL}.get(
        source.budget_kind, UNIT_FUNDS
    )


@dataclass(frozen=True, slots=True)
class Line:
    """A budget line with what the tables need resolved."""

    line: BudgetLine
    source: FundingSource
    source_column: str
    unit: Unit

    @property
    def amount(self) -> Decimal:
        return self.line.amount

    @property
    def is_basic(self) -> bool:
        return self.line.kind is ExpenseKind.BASIC

    @property
    def is_fiscal(self) -> bool:
        return self.source.is_fiscal


_UNKNOWN_UNIT = Unit("", "", UnitKind.OTHER)


@dataclass(frozen=True)
class Facts:
    """The dataset with its catalogues and resolved lines."""

    dataset: Dataset
    catalogs: Catalogs
    lines: tuple[Line, ...]

    @property
    def year(self) -> int:
        return self.dataset.year


def facts_of(dataset: Dataset) -> Facts:
    """Resolve every line (the loader guarantees sources and units exist)."""
    units = {u.code: u for u in dataset.manifest.units}
    resolved = []
    for line in dataset.lines:
        source = funding_source(line.source)
        if source is None:  # the loader rejects these; keep the tables total anyway
            raise ValueError(f"unknown funding source {line.source!r} at {line.origin}")
        resolved.append(
            Line(line, source, source_column(source), units.get(line.unit_code, _UNKNOWN_UNIT))
        )
    return Facts(dataset, catalogs_for(dataset.year), tuple(resolved))


Measure = Callable[[Line], bool]


def sums(lines: Iterable[Line], measures: Mapping[str, Measure]) -> dict[str, Decimal]:
    """Sum line amounts into each column whose measure accepts the line."""
    totals = dict.fromkeys(measures, ZERO)
    for line in lines:
        for key, accepts in measures.items():
            if accepts(line):
                totals[key] += line.amount
    return totals


def function_segments(code: str) -> list[str]:
    """2013102 -> ['201', '20131', '2013102']."""
    return [code[:n] for n in (3, 5, 7) if len(code) >= n]


def classification_rollup(
    lines: Sequence[Line],
    measures: Mapping[str, Measure],
    code_of: Callable[[Line], str],
    segments: Callable[[str], list[str]],
    classification: Classification,
    total_name: str = "合计",
) -> list[Row]:
    """Rows 合计, then every code on the path of every line, parents before children, in code order.

    Each row's values are the sums of the lines below it, so every level adds up by construction.
    """
    by_code: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        for segment in segments(code_of(line)):
            by_code[segment].append(line)
    rows = [Row("", total_name, 0, sums(lines, measures), TOTAL)]
    parents = {segment for code in by_code for segment in segments(code)[:-1]}
    for code in sorted(by_code, key=lambda c: tuple(segments(c))):
        kind = GROUP if code in parents else DETAIL
        rows.append(
            Row(
                code,
                classification.name(code),
                len(segments(code)),
                sums(by_code[code], measures),
                kind,
            )
        )
    return rows


def function_rollup(
    facts: Facts, lines: Sequence[Line], measures: Mapping[str, Measure]
) -> list[Row]:
    """Roll lines up the 支出功能分类 (类/款/项)."""
    return classification_rollup(
        lines, measures, lambda x: x.line.function_code, function_segments, facts.catalogs.function
    )


def economic_segments(code: str) -> list[str]:
    """30101 -> ['301', '30101']."""
    return [code[:n] for n in (3, 5) if len(code) >= n]


def economic_rollup(
    facts: Facts, lines: Sequence[Line], measures: Mapping[str, Measure]
) -> list[Row]:
    """Roll lines up the 部门预算支出经济分类 (类/款)."""
    return classification_rollup(
        lines,
        measures,
        lambda x: x.line.economic_code,
        economic_segments,
        facts.catalogs.department_economic,
    )


def descendants(units: Sequence[Unit], code: str) -> set[str]:
    """A unit's code and the codes of every unit below it."""
    found = {code}
    changed = True
    while changed:
        changed = False
        for unit in units:
            if unit.parent in found and unit.code not in found:
                found.add(unit.code)
                changed = True
    return found


def title(year: int, name: str, with_year: bool = True) -> str:
    return f"{year}年{name}" if with_year else name
