"""The review page's comparison with last year: which budget the prior-year figures come from,
the changes the written explanation states (the core's ``build_narrative``) and the notices of
merging the typed prior-year rows. The figures and findings themselves are the core's; this
module only puts them in a shape a template can print (amounts in 万元, rounded half up)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from yusuan.money import MoneyUnit, format_amount, to_unit
from yusuan.publish.narrative import build_narrative
from yusuan.tables import build_tables
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import (
    DECIDED,
    PriorYear,
    prior_year_of,
    stored_dataset_of,
    texts_of,
)


@dataclass(frozen=True)
class ChangeRow:
    """One change as the review page prints it (万元)."""

    label: str
    current: str
    prior: str
    difference: str
    rate: str
    reason: str


@dataclass(frozen=True)
class LastYear:
    prior: PriorYear
    changes: tuple[ChangeRow, ...]
    notices: tuple[str, ...]

    @property
    def decided(self) -> bool:
        """Last year's version is approved or published (else it may still change)."""
        return self.prior.budget.status in DECIDED


def _wan(amount: Decimal) -> str:
    return format_amount(to_unit(amount, MoneyUnit.WAN))


def last_year(budget: db.Budget) -> LastYear | None:
    """The comparison with last year's budget in the database (None: there is none)."""
    dataset = stored_dataset_of(budget)
    prior = prior_year_of(budget, dataset.prior_year)
    if prior is None:
        return None
    compared = replace(dataset, prior_year=prior.figures)
    narrative = build_narrative(compared, build_tables(compared), texts_of(budget))
    rows = tuple(
        ChangeRow(
            c.label,
            _wan(c.current),
            _wan(c.prior),
            _wan(c.difference),
            "新增" if c.rate is None else f"{format_amount(c.rate * 100)}%",
            c.reason or "",
        )
        for c in narrative.changes
    )
    notices = tuple(str(n) for n in prior.notices)
    return LastYear(prior, rows, notices)
