"""A department's dataset assembled from its units' datasets (``yusuan consolidate department``).

In practice each 预算单位 prepares its own dataset (its unit, or its unit and the units below it);
the department puts them together. The merged dataset takes the manifest (department, year,
display unit, rules, accepted findings) and the 说明 of a given department dataset, or of the
first input; every unit keeps its ``parent``. Records are concatenated in input order; a project
declared identically in two inputs (one project two units spend on) is kept once, with the
indicators of the first input that declares it; prior-year figures (上年数) of the same 类别 and
编码 are added up.

A unit's ``parent`` may name a unit of another input (``read_unit_dataset`` reads such a
dataset); it must then be a unit of some input.

Refused, every problem located (input, file, block or row) in Chinese and English: a different
fiscal year or department than the manifest's, a unit code in two inputs, two different projects
under one name, a ``parent`` that is no unit of any input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from yusuan.console import InputError
from yusuan.dataset.assemble import Loaded
from yusuan.model.records import (
    Dataset,
    Indicator,
    Origin,
    PriorYearFigure,
    Project,
    Unit,
)


@dataclass(frozen=True, slots=True)
class Source:
    """One input: where it was read from (a folder or workbook) and its dataset."""

    path: str
    dataset: Dataset


class MergeRefused(InputError):
    """The inputs cannot make one department: every reason, located."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = tuple(problems)
        zh = "；".join(p[0] for p in problems)
        en = "; ".join(p[1] for p in problems)
        super().__init__(
            f"无法合并为一个部门（{len(problems)} 处）：{zh}",
            f"cannot consolidate into one department ({len(problems)} problem(s)): {en}",
        )
        # printed one problem a line, each in Chinese then English
        self.args = (
            f"无法合并为一个部门 / cannot consolidate into one department"
            f"（{len(problems)} 处 / problem(s)）："
            + "".join(f"\n  • {p[0]} / {p[1]}" for p in problems),
        )


def _at(source: Source, origin: Origin) -> str:
    """``INPUT/yusuan.toml 第2个[[units]]块`` or ``INPUT/budget_lines.csv:12``."""
    return f"{source.path}/{origin}" if origin.file else source.path


def _unit_at(source: Source, unit: Unit) -> str:
    if unit.origin.row and unit.origin.file.endswith(".toml"):
        return f"{source.path}/{unit.origin.file} 第{unit.origin.row}个[[units]]块"
    return _at(source, unit.origin)


def _same_project(a: Project, b: Project) -> bool:
    return a == b  # origins do not compare


def merge(sources: Sequence[Source], base: Source | None = None) -> Dataset:
    """One department's dataset from its units' datasets; raise ``MergeRefused`` with every
    reason when they do not belong together."""
    if not sources:
        raise InputError("没有输入数据集", "no input dataset")
    head = base or sources[0]
    manifest = head.dataset.manifest
    problems: list[tuple[str, str]] = []
    for source in sources:
        other = source.dataset.manifest
        where = f"{source.path}/yusuan.toml"
        if other.year != manifest.year:
            problems.append(
                (
                    f"{where} [budget] year：{other.year}年，应与 {head.path} 相同（{manifest.year}年）",
                    f"{where} [budget] year: {other.year}, expected {manifest.year} as in {head.path}",
                )
            )
        if other.department.code != manifest.department.code:
            problems.append(
                (
                    f"{where} [department] code：部门编码“{other.department.code}”，应与 "
                    f"{head.path} 相同（“{manifest.department.code}”）",
                    f"{where} [department] code: {other.department.code!r}, expected "
                    f"{manifest.department.code!r} as in {head.path}",
                )
            )
    units: list[Unit] = []
    unit_from: dict[str, tuple[Source, Unit]] = {}
    for source in sources:
        for unit in source.dataset.manifest.units:
            if unit.code in unit_from:
                first, earlier = unit_from[unit.code]
                problems.append(
                    (
                        f"{_unit_at(source, unit)} code：单位编码“{unit.code}”已在 "
                        f"{_unit_at(first, earlier)} 中",
                        f"{_unit_at(source, unit)} code: unit {unit.code!r} is also in "
                        f"{_unit_at(first, earlier)}",
                    )
                )
                continue
            unit_from[unit.code] = (source, unit)
            units.append(unit)
    for code, (source, unit) in unit_from.items():
        if unit.parent and unit.parent not in unit_from:
            problems.append(
                (
                    f"{_unit_at(source, unit)} parent：单位“{code}”的上级单位“{unit.parent}”"
                    "不在任何输入中",
                    f"{_unit_at(source, unit)} parent: the parent {unit.parent!r} of unit "
                    f"{code!r} is in no input",
                )
            )
    projects: list[Project] = []
    project_from: dict[str, tuple[Source, Project]] = {}
    indicators: list[Indicator] = []
    for source in sources:
        own: set[str] = set()
        for project in source.dataset.projects:
            if project.name in project_from:
                first, declared = project_from[project.name]
                if not _same_project(project, declared):
                    problems.append(
                        (
                            f"{_at(source, project.origin)} 项目名称：项目“{project.name}”与 "
                            f"{_at(first, declared.origin)} 的同名项目内容不同",
                            f"{_at(source, project.origin)} project name: {project.name!r} "
                            f"differs from the project of that name in "
                            f"{_at(first, declared.origin)}",
                        )
                    )
                continue
            project_from[project.name] = (source, project)
            projects.append(project)
            own.add(project.name)
        indicators += [i for i in source.dataset.indicators if i.project in own]
    if problems:
        raise MergeRefused(problems)
    everything = [s.dataset for s in sources]
    return replace(
        head.dataset,
        manifest=replace(manifest, units=tuple(units)),
        lines=tuple(x for d in everything for x in d.lines),
        projects=tuple(projects),
        indicators=tuple(indicators),
        procurement=tuple(x for d in everything for x in d.procurement),
        revenue=tuple(x for d in everything for x in d.revenue),
        prior_year=_added_up([x for d in everything for x in d.prior_year]),
        explanation=head.dataset.explanation,
    )


def _added_up(figures: Sequence[PriorYearFigure]) -> tuple[PriorYearFigure, ...]:
    """Prior-year figures of the same 类别 and 编码 added up (the first keeps its place)."""
    sums: dict[tuple[str, str], Decimal] = {}
    first: dict[tuple[str, str], PriorYearFigure] = {}
    for figure in figures:
        key = (figure.category, figure.key)
        sums[key] = sums.get(key, Decimal(0)) + figure.amount
        first.setdefault(key, figure)
    return tuple(replace(first[key], amount=total) for key, total in sums.items())


def read_unit_dataset(path: Path) -> Loaded:
    """Read a unit dataset as ``read_dataset`` does, except that a unit's ``parent`` may name a
    unit of another input (a 三级单位's dataset names its 二级单位): such a parent is put aside
    while the dataset is checked and given back after; ``merge`` then requires it somewhere."""
    from yusuan.dataset import read_raw
    from yusuan.dataset.assemble import assemble_loaded

    raw = read_raw(path)
    codes = {u.code for u in raw.units}
    outside: dict[str, str] = {}
    for raw_unit in raw.units:
        if raw_unit.parent and raw_unit.parent not in codes:
            outside[raw_unit.code] = raw_unit.parent
            raw_unit.parent = ""
    loaded = assemble_loaded(raw)
    if loaded.dataset is None or not outside:
        return loaded
    dataset = loaded.dataset
    units = tuple(replace(u, parent=outside.get(u.code, u.parent)) for u in dataset.manifest.units)
    return replace(
        loaded, dataset=replace(dataset, manifest=replace(dataset.manifest, units=units))
    )
