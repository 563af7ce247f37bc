"""Shared views of a dataset that several tables need: lines with their funding source and unit
resolved, and roll-ups of amounts along a classification (类 → 款 → 项).

Everything here is a pure function of the dataset and the catalogues of its year.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple, cast

from yusuan.catalog.loader import (
    Catalogs,
    Classification,
    FundingSource,
    catalogs_of,
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


class Line(NamedTuple):
    """A budget line with what the tables need resolved (a tuple: built once per line, fast)."""

    line: BudgetLine
    source: FundingSource
    source_column: str
    unit: Unit
    is_basic: bool
    cents: int | None  # the amount in 分 when it is whole 分 (it always is, once loaded)

    @property
    def amount(self) -> Decimal:
        return self.line.amount

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

    @cached_property
    def by_function(self) -> tuple[Line, ...]:
        """The lines summed by (function code, source column, basic/project): all that the tables
        by function look at, so they roll up a few thousand groups instead of every line."""
        return aggregate(self.lines, lambda x: (x.line.function_code, x.source_column, x.is_basic))

    @cached_property
    def by_economic(self) -> tuple[Line, ...]:
        """The lines summed by (economic code, source column, basic/project)."""
        return aggregate(self.lines, lambda x: (x.line.economic_code, x.source_column, x.is_basic))


def aggregate(lines: Iterable[Line], key: Callable[[Line], Hashable]) -> tuple[Line, ...]:
    """One line per key with the summed amount (the first line of the group stands for it).

    Only measures that look at the key's fields may be applied to the result.
    """
    groups: dict[Hashable, list[Line]] = {}
    for line in lines:
        k = key(line)
        group = groups.get(k)
        if group is None:
            groups[k] = [line]
        else:
            group.append(line)
    return tuple(_merged(group) for group in groups.values())


def _merged(group: list[Line]) -> Line:
    """The group as one line: its amount summed in whole 分 when every line is (exact and fast)."""
    first = group[0]
    if len(group) == 1:
        return first
    cents = [x.cents for x in group]
    if None in cents:
        amount = sum((x.amount for x in group), ZERO)
        total_cents = None
    else:
        total_cents = sum(cast(list[int], cents))  # no None: checked just above
        amount = Decimal(total_cents).scaleb(-2)
    return first._replace(line=replace(first.line, amount=amount), cents=total_cents)


def facts_of(dataset: Dataset) -> Facts:
    """Resolve every line (the loader guarantees sources and units exist)."""
    units = {u.code: u for u in dataset.manifest.units}
    # each funding source (as written) resolved once, with its template column
    sources: dict[str, tuple[FundingSource, str]] = {}
    resolved = []
    basic = ExpenseKind.BASIC
    for line in dataset.lines:
        found = sources.get(line.source)
        if found is None:
            source = funding_source(line.source)
            if source is None:  # the loader rejects these
                raise ValueError(f"unknown funding source {line.source!r} at {line.origin}")
            found = sources[line.source] = (source, source_column(source))
        scaled = line.amount * 100
        resolved.append(
            Line(
                line,
                found[0],
                found[1],
                units.get(line.unit_code, _UNKNOWN_UNIT),
                line.kind is basic,
                int(scaled) if scaled == scaled.to_integral_value() else None,
            )
        )
    return Facts(dataset, catalogs_of(dataset), tuple(resolved))


Measure = Callable[[Line], bool]


def sums(lines: Iterable[Line], measures: Mapping[str, Measure]) -> dict[str, Decimal]:
    """Sum line amounts into each column whose measure accepts the line."""
    return group_sums(lines, measures, lambda _line: "").get("", dict.fromkeys(measures, ZERO))


def group_sums(
    lines: Iterable[Line], measures: Mapping[str, Measure], key: Callable[[Line], str]
) -> dict[str, dict[str, Decimal]]:
    """One pass over the lines: per group key, the sum of each measured column."""
    columns = list(measures.items())
    # Sum whole 分 as integers (exact and several times faster than Decimal); any amount
    # finer than 分 sends the whole sum down the Decimal path.
    lines = list(lines)
    in_cents = all(line.cents is not None for line in lines)
    groups: dict[str, list[Any]] = {}
    for line in lines:
        group = key(line)
        totals = groups.get(group)
        if totals is None:
            totals = groups[group] = [0 if in_cents else ZERO] * len(columns)
        amount = line.cents if in_cents else line.amount
        for index, (_column, accepts) in enumerate(columns):
            if accepts(line):
                totals[index] += amount
    return {
        group: {
            column: (Decimal(total).scaleb(-2) if in_cents else total)
            for (column, _), total in zip(columns, totals, strict=True)
        }
        for group, totals in groups.items()
    }


def class_of(line: Line) -> str:
    """The 功能分类 类 (first three digits) of a line."""
    return line.line.function_code[:3]


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
    leaves = group_sums(lines, measures, code_of)
    by_code: dict[str, dict[str, Decimal]] = {}
    for leaf, totals in leaves.items():
        for segment in segments(leaf):
            target = by_code.setdefault(segment, dict.fromkeys(measures, ZERO))
            for column, amount in totals.items():
                target[column] += amount
    grand = dict.fromkeys(measures, ZERO)
    for totals in leaves.values():
        for column, amount in totals.items():
            grand[column] += amount
    rows = [Row("", total_name, 0, grand, TOTAL)]
    parents = {segment for code in by_code for segment in segments(code)[:-1]}
    for code in sorted(by_code, key=lambda c: tuple(segments(c))):
        kind = GROUP if code in parents else DETAIL
        rows.append(Row(code, classification.name(code), len(segments(code)), by_code[code], kind))
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
