"""One unit's dataset cut from a department's: the unit, the units below it, their lines,
procurement and projects. The same tables and renderers then make its 单位预算.

What belongs to the department as a whole and names no unit — ``revenue.csv`` (收入 declared
outside the lines) and ``prior_year.csv`` (上年数) — cannot be divided among units: ``restrict``
leaves them out and says so (``Restricted.left_out``), and ``with_unit_prior`` derives a unit's
own prior-year figures from last year's dataset restricted to it; ``split`` gives them to the
first unit directly under the department (the 本级), so that merging the parts gives the
department back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from yusuan.console import InputError
from yusuan.model.records import (
    UNIT_SCOPE,
    Dataset,
    Department,
    Project,
    Scope,
    Unit,
)
from yusuan.tables.facts import descendants


@dataclass(frozen=True, slots=True)
class Restricted:
    """A unit's dataset and what of the department's it could not take (for a notice)."""

    dataset: Dataset
    left_out: tuple[str, ...] = ()
    # the department's prior-year figures left out (a unit's own come from last year's dataset)
    prior_left_out: str = ""


def unknown_unit(dataset: Dataset, code: str, source: str = "") -> InputError:
    where = source or (dataset.manifest.units[0].origin.file if dataset.manifest.units else "")
    known = "、".join(u.code for u in dataset.manifest.units)
    return InputError(
        f"{where}：[[units]] 中没有单位编码“{code}”；已有：{known}",
        f"{where}: no unit with code {code!r} in [[units]]; known: {known}",
    )


def subtree(units: Sequence[Unit], code: str) -> tuple[Unit, ...]:
    """The unit ``code`` and every unit below it, in manifest order."""
    below = descendants(units, code)
    return tuple(u for u in units if u.code in below)


def _projects_of(dataset: Dataset, codes: set[str]) -> tuple[Project, ...]:
    """The projects these units spend on (by their lines or procurement items)."""
    named = {x.project for x in dataset.lines if x.unit_code in codes and x.project}
    named |= {x.project for x in dataset.procurement if x.unit_code in codes and x.project}
    return tuple(p for p in dataset.projects if p.name in named)


def part(dataset: Dataset, code: str, *, root: bool = True) -> Dataset:
    """The records of unit ``code`` and its subtree, the manifest otherwise unchanged; with
    ``root`` the unit is made the top of its tree (its ``parent`` emptied)."""
    units = subtree(dataset.manifest.units, code)
    codes = {u.code for u in units}
    if root:
        units = tuple(replace(u, parent="") if u.code == code else u for u in units)
    projects = _projects_of(dataset, codes)
    names = {p.name for p in projects}
    return replace(
        dataset,
        manifest=replace(dataset.manifest, units=units),
        lines=tuple(x for x in dataset.lines if x.unit_code in codes),
        procurement=tuple(x for x in dataset.procurement if x.unit_code in codes),
        projects=projects,
        indicators=tuple(i for i in dataset.indicators if i.project in names),
        revenue=(),
        prior_year=(),
    )


def restrict(dataset: Dataset, code: str, *, source: str = "") -> Restricted:
    """Unit ``code``'s 单位预算 dataset: the unit and its subtree, the unit as the body (its code
    and name where the department's were), scope 单位 within the department."""
    unit = dataset.unit(code)
    if unit is None:
        raise unknown_unit(dataset, code, source)
    department = dataset.manifest.department
    cut = part(dataset, code)
    body = Department(unit.code, unit.name, department.region, department.level)
    within = dataset.manifest.scope.within or department  # a unit of a unit: the same department
    manifest = replace(cut.manifest, department=body, scope=Scope(UNIT_SCOPE, within=within))
    left_out = []
    if dataset.revenue:
        left_out.append(
            f"revenue.csv 的 {len(dataset.revenue)} 行收入未标明单位，单位预算不含 / "
            f"{len(dataset.revenue)} revenue row(s) name no unit: not in the unit's budget"
        )
    prior = ""
    if dataset.prior_year:
        prior = (
            f"{len(dataset.prior_year)} 个上年数是部门的，单位预算不含 / "
            f"{len(dataset.prior_year)} prior-year figure(s) are the department's: left out"
        )
    return Restricted(replace(cut, manifest=manifest), tuple(left_out), prior)


def notices_of(restricted: Restricted) -> tuple[str, ...]:
    """What a restriction says it left out."""
    prior = (restricted.prior_left_out,) if restricted.prior_left_out else ()
    return (*restricted.left_out, *prior)


def top_units(dataset: Dataset) -> tuple[Unit, ...]:
    """The units directly under the department (``parent`` empty), in manifest order."""
    return tuple(u for u in dataset.manifest.units if not u.parent)


def _alone(dataset: Dataset, code: str) -> Dataset:
    """Unit ``code`` by itself: its own records, no unit below it, its ``parent`` kept."""
    unit = dataset.unit(code)
    assert unit is not None
    projects = _projects_of(dataset, {code})
    names = {p.name for p in projects}
    return replace(
        dataset,
        manifest=replace(dataset.manifest, units=(unit,)),
        lines=tuple(x for x in dataset.lines if x.unit_code == code),
        procurement=tuple(x for x in dataset.procurement if x.unit_code == code),
        projects=projects,
        indicators=tuple(i for i in dataset.indicators if i.project in names),
        revenue=(),
        prior_year=(),
    )


def split(dataset: Dataset, *, every_unit: bool = False) -> dict[str, Dataset]:
    """One dataset per unit directly under the department, each holding that unit and its
    subtree (parents kept) — or, with ``every_unit``, one per unit holding that unit alone (its
    ``parent`` then names a unit of another part). All keep the department's manifest. What names
    no unit — revenue, prior-year figures, projects no line spends on, the explanation (说明.md)
    — goes with the first part (the 本级); a project several parts spend on is in each of them."""
    units = dataset.manifest.units if every_unit else top_units(dataset)
    parts = {
        u.code: _alone(dataset, u.code) if every_unit else part(dataset, u.code, root=False)
        for u in units
    }
    if not parts:
        return parts
    first = next(iter(parts))
    spent = {p.name for piece in parts.values() for p in piece.projects}
    spare = {p.name for p in dataset.projects if p.name not in spent}
    names = {p.name for p in parts[first].projects} | spare
    parts[first] = replace(
        parts[first],
        projects=tuple(p for p in dataset.projects if p.name in names),
        indicators=tuple(x for x in dataset.indicators if x.project in names),
        revenue=dataset.revenue,
        prior_year=dataset.prior_year,
    )
    for code in list(parts)[1:]:
        parts[code] = replace(parts[code], explanation="")
    return parts


def _codes(dataset: Dataset, code: str) -> set[str]:
    return descendants(dataset.manifest.units, code)


def with_unit_prior(
    restricted: Restricted, last_year: Dataset, code: str, label: str
) -> Restricted:
    """A unit's 单位预算 with its own prior-year figures: those of last year's dataset restricted
    to the same unit (``tables.prior_figures``, as a department's are derived); when last year
    had no such unit, none, and a notice says so."""
    from yusuan.tables.prior_figures import prior_figures

    if last_year.unit(code) is None:
        missing = (
            f"上年数据集“{label}”中没有单位“{code}”，单位预算无上年数 / the previous year's "
            f"dataset {label!r} has no unit {code!r}: no prior-year figures"
        )
        return replace(restricted, prior_left_out=missing)
    last_unit = restrict(last_year, code).dataset
    figures = tuple(prior_figures(last_unit, label))
    return replace(
        restricted, dataset=replace(restricted.dataset, prior_year=figures), prior_left_out=""
    )
