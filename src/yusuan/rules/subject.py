"""What the rules look at: tables (built from a dataset or read from a published document), the
project forms, and — when checking a dataset — the dataset itself with its resolved lines.

The same rules therefore check a budget before it is published and audit a document after.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from yusuan.catalog.loader import Catalogs, catalogs_of
from yusuan.model.records import Dataset
from yusuan.rules.base import MissingData, NotApplicable
from yusuan.tables import build_tables
from yusuan.tables.base import Table
from yusuan.tables.facts import Facts, facts_of
from yusuan.tables.forms import ProjectForm, forms_of

if TYPE_CHECKING:
    from yusuan.audit.narrative import StatedFigure
    from yusuan.publish.narrative import Narrative

DATASET = "dataset"
DOCUMENT = "document"


@dataclass(frozen=True)
class Subject:
    """The input of a check run."""

    year: int
    catalogs: Catalogs
    tables: Mapping[str, Table]
    forms: Sequence[ProjectForm] = ()
    dataset: Dataset | None = None
    facts: Facts | None = None
    kind: str = DATASET
    # Where each table was found in a document (table id -> first page), for locations.
    pages: Mapping[str, int] = field(default_factory=dict)
    # The figures a narrative (情况说明) states, with their sentences, when there is one.
    narrative: tuple[StatedFigure, ...] = ()
    # The narrative's lines as printed, (page, line, text), for rules that read whole sentences.
    narrative_lines: tuple[tuple[int, int, str], ...] = ()

    @property
    def exact(self) -> bool:
        """Dataset tables hold exact amounts; a document's hold amounts rounded for display."""
        return self.kind == DATASET

    def table(self, table_id: str) -> Table:
        """A table the rule needs; its absence means the rule cannot run."""
        table = self.tables.get(table_id)
        if table is None:
            if table_id + "-final" in self.tables:  # a 决算: its tables have rules of their own
                raise NotApplicable(
                    f"决算不含预算表 {table_id}（其决算表由 FA 规则核对）/ a 决算 has no {table_id}"
                )
            raise MissingData(f"缺少表 {table_id} / table {table_id} is missing")
        return table

    def need_dataset(self) -> Dataset:
        """The dataset behind the tables; a published document has none."""
        if self.dataset is None:
            raise MissingData("需要预算明细数据 / needs the dataset's budget lines")
        return self.dataset

    def need_facts(self) -> Facts:
        if self.facts is None:
            raise MissingData("需要预算明细数据 / needs the dataset's budget lines")
        return self.facts

    @cached_property
    def _shared(self) -> dict[str, Any]:
        """What ``shared_per_subject`` functions worked out for this subject, by function."""
        return {}

    @cached_property
    def explanation_texts(self) -> dict[str, str]:
        """The department's own parts of the explanation (说明.md or the 情况说明 sheet), by
        heading, as ``publish.narrative.parse_texts`` reads them."""
        from yusuan.publish.narrative import parse_texts

        texts, _ = parse_texts(self.need_dataset().explanation)
        return texts

    @cached_property
    def written_explanation(self) -> Narrative:
        """The 部门预算情况说明 that ``yusuan build`` publishes for this dataset, built once from
        these tables and ``explanation_texts``: the EXP rules read it, and the build reuses it
        instead of building it again (``publish.build.build_package``)."""
        from yusuan.publish.narrative import build_narrative

        dataset = self.need_dataset()
        return build_narrative(dataset, list(self.tables.values()), self.explanation_texts)

    def need_forms(self) -> Sequence[ProjectForm]:
        if not self.forms:
            raise NotApplicable("没有项目绩效目标表 / no project forms")
        return self.forms

    def tolerance(self, table: Table, terms: int) -> Decimal:
        """How far a printed total may differ from the sum of ``terms`` printed parts by rounding.

        Each printed figure is within half a unit of the last shown digit (0.005 of the table's
        unit) of its exact value, so a total and its parts may differ by (terms + 1) halves.
        Exact (dataset) tables get zero: their figures must add up exactly.
        """
        if self.exact:
            return Decimal(0)
        return half_unit(table.unit.factor) * (terms + 1)

    def agree(self, table: Table, a: Decimal, b: Decimal, terms: int = 1) -> bool:
        """Whether two figures of ``table`` agree: exactly for a dataset, within the printed
        precision for a document (``agree_as_printed``)."""
        if self.exact:
            return a == b
        return agree_as_printed(a, b, unit=table.unit.factor, terms=terms)


T = TypeVar("T")


def shared_per_subject(
    work: Callable[[Subject], Iterable[T]],
) -> Callable[[Subject], list[T]]:
    """``work`` done once per subject, its results kept on the subject as a list: for what two
    rules read (a rule and DAT-006, say). ``work`` must be a pure function of the subject; what
    it raises (``MissingData``, ``NotApplicable``) is raised again on each call, never kept."""
    key = f"{work.__module__}.{work.__qualname__}"

    @functools.wraps(work)
    def once(subject: Subject) -> list[T]:
        found = subject._shared.get(key)
        if found is None:
            found = subject._shared[key] = list(work(subject))
        return list(found)  # a copy: a caller may change its list

    return once


# --- comparing printed figures ------------------------------------------------------------------

HALF = Decimal("0.5")


def half_unit(unit: Decimal = Decimal(1), decimals: int = 2) -> Decimal:
    """Half a unit of the last printed digit: 0.005 of ``unit`` for two decimals (in 元 when
    ``unit`` is the table's unit in 元: 50元 on a table in 万元)."""
    return unit * HALF * Decimal(1).scaleb(-decimals)


def agree_as_printed(
    a: Decimal, b: Decimal, *, unit: Decimal = Decimal(1), decimals: int = 2, terms: int = 1
) -> bool:
    """Whether two printed figures may be the same exact amount: each printed figure is within half
    a unit of its last digit of the exact value, so ``a`` (a total of ``terms`` printed parts, or a
    single figure) and ``b`` may differ by (terms + 1) halves. ``unit`` is the value of 1 in the
    printed unit (10000 for 万元), the amounts being in 元."""
    return abs(a - b) <= half_unit(unit, decimals) * (terms + 1)


def share_agrees(
    printed: Decimal,
    part: Decimal,
    whole: Decimal,
    *,
    unit: Decimal = Decimal(1),
    decimals: int = 2,
    share_decimals: int = 2,
) -> bool:
    """Whether a printed share (in %) follows from a printed part and whole: the amounts are
    each within half a printed unit, so the share lies between (part − h)/(whole + h) and
    (part + h)/(whole − h), and the printed share within half a unit of its own last digit
    (0.005% for two decimals) of a value in that range."""
    if whole <= 0:
        return False
    h = half_unit(unit, decimals)
    low = (part - h) / (whole + h) * 100
    high = (part + h) / (whole - h) * 100 if whole > h else Decimal("Infinity")
    slack = half_unit(Decimal(1), share_decimals)
    return low - slack <= printed <= high + slack


def subject_of_dataset(dataset: Dataset) -> Subject:
    facts = facts_of(dataset)
    tables = {t.id: t for t in build_tables(dataset, facts=facts)}
    return Subject(
        year=dataset.year,
        catalogs=catalogs_of(dataset),
        tables=tables,
        forms=forms_of(dataset),
        dataset=dataset,
        facts=facts,
        kind=DATASET,
    )
