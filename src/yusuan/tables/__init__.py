"""The disclosure tables (公开表): each a pure function ``Facts -> Table``, in publication order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import ModuleType

from yusuan.model.records import Dataset
from yusuan.tables import (
    basic_economic,
    expenditure,
    fiscal,
    fund_expenditure,
    fund_income,
    general_budget,
    income,
    income_expenditure,
    operating_costs,
    procurement,
    state_capital,
    three_public,
)
from yusuan.tables.base import Table
from yusuan.tables.facts import Facts, facts_of
from yusuan.tables.prior import with_prior_columns

# Publication order: the eight tables 财预〔2016〕143号 requires, the fund tables, then the
# tables the Shanxi template adds.
TABLE_MODULES: tuple[ModuleType, ...] = (
    income_expenditure,
    income,
    expenditure,
    fiscal,
    general_budget,
    basic_economic,
    fund_income,
    fund_expenditure,
    state_capital,
    procurement,
    operating_costs,
    three_public,
)

TABLE_IDS: tuple[str, ...] = tuple(module.ID for module in TABLE_MODULES)


def _builder(module: ModuleType) -> Callable[[Facts], Table]:
    build: Callable[[Facts], Table] = module.build
    return build


def build_tables(
    dataset: Dataset, only: list[str] | None = None, *, facts: Facts | None = None
) -> list[Table]:
    """Build the tables (all, or those named) from one dataset; numbers follow publication order."""
    from yusuan.consolidation.scope import words_of

    facts = facts if facts is not None else facts_of(dataset)
    scope = words_of(dataset)  # a 单位预算's tables are titled as such (scopes.toml)
    tables = []
    for number, module in enumerate(TABLE_MODULES, start=1):
        if only is not None and module.ID not in only:
            continue
        table = with_prior_columns(_builder(module)(facts), dataset)
        title = scope.table_title(table.title, module.NAME_ZH)
        tables.append(replace(table, number=number, title=title))
    return tables


def resolve_table_name(name: str) -> str:
    """Accept an id (``income``), a number (``2``) or part of a Chinese title (``收入总表``)."""
    wanted = name.strip()
    if wanted in TABLE_IDS:
        return wanted
    if wanted.isdigit() and 1 <= int(wanted) <= len(TABLE_MODULES):
        return TABLE_IDS[int(wanted) - 1]
    matches = [str(m.ID) for m in TABLE_MODULES if wanted and wanted in m.NAME_ZH]
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(f"{i}={m.ID}({m.NAME_ZH})" for i, m in enumerate(TABLE_MODULES, start=1))
    raise KeyError(f"未知的表“{name}” / unknown table {name!r}; 可选 / choose from: {choices}")


__all__ = ["TABLE_IDS", "Table", "build_tables", "resolve_table_name"]
