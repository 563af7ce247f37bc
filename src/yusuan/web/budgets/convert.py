"""Between the database rows and the core's ``Dataset``: the only place that knows both.

Money is integer 分 in the database and ``Decimal`` 元 (two places) in the core; the conversion is
exact both ways and refuses an amount with fractions of a 分. Each record's ``Origin`` is the
dataset file of its kind and the row's ``row``, so the core's findings point back at rows.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from django.db import transaction

from yusuan.dataset.prior import merge_prior
from yusuan.dataset.problems import Notice
from yusuan.dataset.schema import INDICATORS, LINES, PRIOR_YEAR, PROCUREMENT, PROJECTS, REVENUE
from yusuan.model import records as core
from yusuan.money import MoneyUnit
from yusuan.publish.narrative import TEXT_FILE, parse_texts
from yusuan.tables.prior import choice_text, parse_choice
from yusuan.tables.prior_figures import prior_figures
from yusuan.web.budgets import models as db

FILES = {
    "line": LINES.file,
    "project": PROJECTS.file,
    "indicator": INDICATORS.file,
    "procurement": PROCUREMENT.file,
    "revenue": REVENUE.file,
    "prior_year": PRIOR_YEAR.file,
}
T = TypeVar("T")
FIRST_ROW = 2  # row 1 of every file is its header


def to_fen(yuan: Decimal) -> int:
    """Exact 元 -> 分; an amount with a fraction of a 分 is refused, never rounded."""
    fen = yuan.scaleb(2)
    if fen != fen.to_integral_value():
        raise ValueError(f"金额“{yuan}”超过两位小数 / amount {yuan} has more than two decimals")
    return int(fen)


def to_yuan(fen: int) -> Decimal:
    return Decimal(fen).scaleb(-2)


def _origin(kind: str, row: int) -> core.Origin:
    return core.Origin(FILES[kind], row)


def _funds(project: db.Project, period: str) -> core.Funds:
    return core.Funds(*(to_yuan(getattr(project, f"{period}_{part}")) for part in db.FUND_PARTS))


def _acceptances(budget: db.Budget) -> tuple[core.Acceptance, ...]:
    """The explained findings as the core's acceptances."""
    return tuple(core.Acceptance(a.rule, a.reason, a.place) for a in budget.accepted.order_by("pk"))


def manifest_of(budget: db.Budget) -> core.Manifest:
    department = budget.department
    units = list(department.units.select_related("parent").order_by("code"))
    return core.Manifest(
        department=core.Department(
            department.code, department.name, department.region.name, department.level
        ),
        year=budget.year,
        units=tuple(
            core.Unit(u.code, u.name, core.UnitKind(u.kind), u.parent.code if u.parent else "")
            for u in units
        ),
        kind=budget.kind,
        display_unit=MoneyUnit(budget.display_unit),
        prior_columns=parse_choice(budget.prior_columns)[0],
        rules={key: dict(value) for key, value in budget.rule_settings.items()},
        accepted=_acceptances(budget),
        catalog_year=catalog_year_for(budget.year),
    )


def line_record(line: db.Line) -> core.BudgetLine:
    return core.BudgetLine(
        unit_code=line.unit_code,
        function_code=line.function_code,
        economic_code=line.economic_code,
        source=line.source,
        kind=core.ExpenseKind(line.kind),
        amount=to_yuan(line.amount_fen),
        category=core.BasicCategory(line.category) if line.category else None,
        project=line.project,
        note=line.note,
        origin=_origin("line", line.row),
    )


def project_record(p: db.Project) -> core.Project:
    return core.Project(
        name=p.name,
        department=p.department_name,
        department_code=p.department_code,
        implementing_unit=p.implementing_unit,
        attribute=p.attribute,
        period=p.period,
        period_funds=_funds(p, "period"),
        year_funds=_funds(p, "year"),
        overview=p.overview,
        basis=p.basis,
        necessity=p.necessity,
        measures=p.measures,
        plan=p.plan,
        period_goal=p.period_goal,
        year_goal=p.year_goal,
        person_in_charge=p.person_in_charge,
        handler=p.handler,
        phone=p.phone,
        filled_on=p.filled_on,
        note=p.note,
        code=p.code,
        origin=_origin("project", p.row),
    )


def indicator_record(i: db.Indicator) -> core.Indicator:
    return core.Indicator(
        project=i.project,
        period=i.period,
        level1=i.level1,
        level2=i.level2,
        name=i.name,
        operator=i.operator,
        value=i.value,
        unit=i.unit,
        note=i.note,
        origin=_origin("indicator", i.row),
    )


def procurement_record(p: db.Procurement) -> core.ProcurementItem:
    return core.ProcurementItem(
        unit_code=p.unit_code,
        kind=core.ExpenseKind(p.kind),
        project=p.project,
        economic_code=p.economic_code,
        economic_name=p.economic_name,
        item_code=p.item_code,
        item_name=p.item_name,
        quantity=Decimal(p.quantity) if p.quantity else None,
        quantity_unit=p.quantity_unit,
        source=p.source,
        amount=to_yuan(p.amount_fen),
        note=p.note,
        origin=_origin("procurement", p.row),
    )


@dataclass(frozen=True)
class Content:
    """A budget's rows as the core's records (lets a form check an unsaved row in place)."""

    lines: tuple[core.BudgetLine, ...]
    projects: tuple[core.Project, ...]
    indicators: tuple[core.Indicator, ...]
    procurement: tuple[core.ProcurementItem, ...]
    revenue: tuple[core.RevenueItem, ...]
    prior_year: tuple[core.PriorYearFigure, ...]


def content_of(budget: db.Budget) -> Content:
    return Content(
        lines=tuple(line_record(x) for x in budget.lines.all()),
        projects=tuple(project_record(x) for x in budget.projects.all()),
        indicators=tuple(indicator_record(x) for x in budget.indicators.all()),
        procurement=tuple(procurement_record(x) for x in budget.procurement.all()),
        revenue=tuple(
            core.RevenueItem(
                x.source, x.category, to_yuan(x.amount_fen), x.note, _origin("revenue", x.row)
            )
            for x in budget.revenue.all()
        ),
        prior_year=tuple(
            core.PriorYearFigure(
                x.category, x.key, to_yuan(x.amount_fen), x.note, _origin("prior_year", x.row)
            )
            for x in budget.prior_year.all()
        ),
    )


def dataset_from(manifest: core.Manifest, content: Content, explanation: str = "") -> core.Dataset:
    return core.Dataset(
        manifest=manifest,
        lines=content.lines,
        projects=content.projects,
        indicators=content.indicators,
        procurement=content.procurement,
        revenue=content.revenue,
        prior_year=content.prior_year,
        explanation=explanation,
    )


def stored_dataset_of(budget: db.Budget) -> core.Dataset:
    """The budget's own rows as the core's dataset (no figures from last year's budget)."""
    return dataset_from(manifest_of(budget), content_of(budget), budget.narrative_text)


def dataset_of(budget: db.Budget) -> core.Dataset:
    """The budget as the core's dataset: what every table, finding and page is made from
    (with the prior-year figures of last year's budget, ``with_prior_budget``)."""
    return with_prior_budget(stored_dataset_of(budget), budget)


def explanation_in(dataset: core.Dataset) -> str:
    """The dataset's own explanation text (说明.md), where the core carries it."""
    return str(getattr(dataset, "explanation", ""))


def texts_of(budget: db.Budget) -> dict[str, str]:
    """The written parts of the explanation (说明.md), parsed by the core."""
    texts, _problems = parse_texts(budget.narrative_text)
    return texts


# --- records -> rows -------------------------------------------------------------------------


def _numbered(records: Iterable[T]) -> Iterable[tuple[int, T]]:
    return enumerate(records, start=FIRST_ROW)


def line_fields(line: core.BudgetLine) -> dict[str, object]:
    return {
        "unit_code": line.unit_code,
        "function_code": line.function_code,
        "economic_code": line.economic_code,
        "source": line.source,
        "kind": line.kind.value,
        "category": line.category.value if line.category else "",
        "project": line.project,
        "amount_fen": to_fen(line.amount),
        "note": line.note,
    }


def project_fields(p: core.Project) -> dict[str, object]:
    funds: dict[str, object] = {}
    for period, values in (("period", p.period_funds), ("year", p.year_funds)):
        for part in db.FUND_PARTS:
            funds[f"{period}_{part}"] = to_fen(getattr(values, part))
    return {
        "name": p.name,
        "code": p.code,
        "department_name": p.department,
        "department_code": p.department_code,
        "implementing_unit": p.implementing_unit,
        "attribute": p.attribute,
        "period": p.period,
        **funds,
        "overview": p.overview,
        "basis": p.basis,
        "necessity": p.necessity,
        "measures": p.measures,
        "plan": p.plan,
        "period_goal": p.period_goal,
        "year_goal": p.year_goal,
        "person_in_charge": p.person_in_charge,
        "handler": p.handler,
        "phone": p.phone,
        "filled_on": p.filled_on,
        "note": p.note,
    }


def indicator_fields(i: core.Indicator) -> dict[str, object]:
    return {
        "project": i.project,
        "period": i.period,
        "level1": i.level1,
        "level2": i.level2,
        "name": i.name,
        "operator": i.operator,
        "value": i.value,
        "unit": i.unit,
        "note": i.note,
    }


def procurement_fields(p: core.ProcurementItem) -> dict[str, object]:
    return {
        "unit_code": p.unit_code,
        "kind": p.kind.value,
        "project": p.project,
        "economic_code": p.economic_code,
        "economic_name": p.economic_name,
        "item_code": p.item_code,
        "item_name": p.item_name,
        "quantity": str(p.quantity) if p.quantity is not None else "",
        "quantity_unit": p.quantity_unit,
        "source": p.source,
        "amount_fen": to_fen(p.amount),
        "note": p.note,
    }


def sync_units(department: db.Department, units: Iterable[core.Unit]) -> None:
    """Add the manifest's units to the department's unit tree (names and kinds updated)."""
    units = list(units)
    by_code = {u.code: u for u in department.units.all()}
    for unit in units:
        row = by_code.get(unit.code)
        if row is None:
            by_code[unit.code] = db.Unit.objects.create(
                department=department, code=unit.code, name=unit.name, kind=unit.kind.value
            )
        elif (row.name, row.kind) != (unit.name, unit.kind.value):
            row.name, row.kind = unit.name, unit.kind.value
            row.save(update_fields=["name", "kind"])
    for unit in units:
        parent = by_code.get(unit.parent) if unit.parent else None
        row = by_code[unit.code]
        if row.parent_id != (parent.pk if parent else None):
            row.parent = parent
            row.save(update_fields=["parent"])


def department_for(manifest: core.Manifest) -> db.Department:
    """The department a dataset belongs to, made (with its region) when first seen."""
    region, _ = db.Region.objects.get_or_create(name=manifest.department.region or "未指定")
    department, _ = db.Department.objects.get_or_create(
        code=manifest.department.code,
        defaults={
            "name": manifest.department.name,
            "region": region,
            "level": manifest.department.level,
        },
    )
    sync_units(department, manifest.units)
    return department


def replace_content(budget: db.Budget, dataset: core.Dataset) -> None:
    """Replace every row of a budget by the dataset's records (in one transaction)."""
    with transaction.atomic():
        for manager in (
            budget.lines,
            budget.projects,
            budget.indicators,
            budget.procurement,
            budget.revenue,
            budget.prior_year,
        ):
            manager.all().delete()
        db.Line.objects.bulk_create(
            db.Line(budget=budget, row=n, **line_fields(x)) for n, x in _numbered(dataset.lines)
        )
        db.Project.objects.bulk_create(
            db.Project(budget=budget, row=n, **project_fields(x))
            for n, x in _numbered(dataset.projects)
        )
        db.Indicator.objects.bulk_create(
            db.Indicator(budget=budget, row=n, **indicator_fields(x))
            for n, x in _numbered(dataset.indicators)
        )
        db.Procurement.objects.bulk_create(
            db.Procurement(budget=budget, row=n, **procurement_fields(x))
            for n, x in _numbered(dataset.procurement)
        )
        db.Revenue.objects.bulk_create(
            db.Revenue(
                budget=budget,
                row=n,
                source=x.source,
                category=x.category,
                amount_fen=to_fen(x.amount),
                note=x.note,
            )
            for n, x in _numbered(dataset.revenue)
        )
        db.PriorYear.objects.bulk_create(
            db.PriorYear(
                budget=budget,
                row=n,
                category=x.category,
                key=x.key,
                amount_fen=to_fen(x.amount),
                note=x.note,
            )
            for n, x in _numbered(dataset.prior_year)
        )


def create_budget(
    dataset: core.Dataset, *, narrative_text: str = "", status: str = db.Status.DRAFT
) -> db.Budget:
    """A new version of the dataset's department-year holding the dataset's records.

    A dataset naming a catalogue year other than the bureau's for its year is refused
    (``ValueError``): the bureau's 目录年度 is what the stored budget is read against."""
    problem = catalog_year_problem(dataset)
    if problem:
        raise ValueError(problem)
    with transaction.atomic():
        department = department_for(dataset.manifest)
        latest = (
            db.Budget.objects.filter(department=department, year=dataset.year)
            .order_by("-version")
            .first()
        )
        budget = db.Budget.objects.create(
            department=department,
            year=dataset.year,
            version=latest.version + 1 if latest else 1,
            kind=dataset.manifest.kind,
            display_unit=dataset.manifest.display_unit.value,
            prior_columns=choice_text(dataset.manifest.prior_columns),
            status=status,
            narrative_text=narrative_text or explanation_in(dataset),
            rule_settings=dataset.manifest.rules,
            based_on=latest,
        )
        replace_content(budget, dataset)
        db.AcceptedFinding.objects.bulk_create(
            db.AcceptedFinding(budget=budget, rule=a.rule, place=a.place, reason=a.reason)
            for a in getattr(dataset.manifest, "accepted", ())
        )
    return budget


def narrative_text_in(folder: Path) -> str:
    path = folder / TEXT_FILE
    return path.read_text("utf-8-sig") if folder.is_dir() and path.is_file() else ""


# --- last year from the database (上年数据) --------------------------------------------------

# the states whose version is last year's budget as decided (批复 or 公开)
DECIDED = (db.Status.APPROVED, db.Status.PUBLISHED)


def prior_budget(budget: db.Budget) -> db.Budget | None:
    """Last year's budget of the same department in the database: its latest approved or
    published version (批复/公开: what was decided and disclosed), else its latest version of
    any state (a year still being prepared compares with its current draft); None when the
    database holds no budget of the department for ``year - 1``."""
    earlier = db.Budget.objects.filter(department_id=budget.department_id, year=budget.year - 1)
    decided = earlier.filter(status__in=DECIDED).order_by("-version").first()
    return decided or earlier.order_by("-version").first()


def prior_label(prior: db.Budget) -> str:
    """How last year's budget is named in the figures' origins and on the review page."""
    return f"{prior.year}年部门预算第{prior.version}版（{db.Status.LABELS[prior.status]}）"


@dataclass(frozen=True)
class PriorYear:
    """Last year's budget as this budget's prior dataset: its figures, merged with the typed
    ones by the core (``dataset.prior.merge_prior``), and the notices of the merge."""

    budget: db.Budget
    label: str
    figures: tuple[core.PriorYearFigure, ...]
    notices: tuple[Notice, ...]


def prior_year_of(budget: db.Budget, typed: tuple[core.PriorYearFigure, ...]) -> PriorYear | None:
    """The prior-year figures of ``budget`` from last year's budget (None: there is none).

    The figures are the core's (``tables.prior_figures.prior_figures`` on last year's budget
    converted as any budget is); typed figures (``PriorYear`` rows) are merged as ``yusuan check
    --prior`` merges them: the derived figure wins a conflict (a notice names the row), a typed
    figure of another key is kept."""
    prior = prior_budget(budget)
    if prior is None:
        return None
    label = prior_label(prior)
    derived = _prior_figures(prior.pk, prior.state_key, label, catalog_year_for(prior.year))
    merged, notices = merge_prior(list(derived), typed, label)
    return PriorYear(prior, label, tuple(merged), tuple(notices))


@functools.lru_cache(maxsize=64)
def _prior_figures(
    prior_pk: int, state_key: str, label: str, catalog_year: int
) -> tuple[core.PriorYearFigure, ...]:
    """Last year's figures, worked out once per state of last year's budget (``state_key``),
    its label and the catalogue year its tables are read against, instead of on every live
    check of this year's."""
    prior = db.Budget.objects.get(pk=prior_pk)
    return tuple(prior_figures(stored_dataset_of(prior), label))


def with_prior_budget(dataset: core.Dataset, budget: db.Budget) -> core.Dataset:
    """``dataset`` (``budget``'s rows, saved or not) with the figures of last year's budget."""
    found = prior_year_of(budget, dataset.prior_year)
    return dataset if found is None else replace(dataset, prior_year=found.figures)


def context_stamp(budget: db.Budget) -> str:
    """What outside the budget's own rows its tables depend on: last year's budget (version,
    state and revision) and the catalogue year; part of a built package's fingerprint."""
    prior = prior_budget(budget)
    last = f"{prior.pk}.{prior.status}.{prior.revision}" if prior else "-"
    return f"{last}|{catalog_year_for(budget.year)}"


# --- 目录年度: the catalogue year of a budget year ----------------------------------------------


def catalog_year_for(year: int) -> int:
    """The catalogue year the finance bureau set for budget year ``year`` (0: none, the budget
    year's own catalogues are used)."""
    row = db.CatalogYear.objects.filter(budget_year=year).first()
    return row.catalog_year if row is not None else 0


def catalog_year_problem(dataset: core.Dataset) -> str:
    """Why a dataset cannot be stored as it is: it names a catalogue year other than the one
    the finance bureau set for its budget year ("" when it agrees or names none)."""
    named = dataset.manifest.catalog_year
    own = catalog_year_for(dataset.year) or dataset.year
    if not named or named == own:
        return ""
    return (
        f"数据集的目录年度为{named}年，财政部门为{dataset.year}年预算设定的目录年度为{own}年；"
        f"请改为{own}年或删除该项 / the dataset's catalog_year {named} differs from the "
        f"catalogue year {own} set for {dataset.year}"
    )
