"""A synthetic city: every department's budget for several years, for benchmarks and tests.

``city_datasets(departments=…, years=…, seed=…)`` yields one valid dataset per department and
year (``yusuan.synthetic`` makes each department's first year). Each later year drifts from the
one before the way budgets do: the department grows or shrinks by a few per cent, each line by
a little more or less, and one new project starts. Project forms, indicators and procurement are
rebuilt from the new lines (``synthetic.complete_dataset``), so every year is as valid as the
first. ``write_city(out, …)`` writes them as dataset folders ``<department code>-<year>``.

The same seed gives the same city; department ``n``'s budgets do not depend on how many
departments the city has, so a city of 30 is the first 30 departments of a city of 300.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from yusuan.model.records import BudgetLine, Dataset, Department, Manifest
from yusuan.synthetic import (
    complete_dataset,
    function_code,
    project_line,
    synthetic_dataset,
    year_codes,
)

CENT = Decimal("0.01")
REGION = "合成市"


@dataclass(frozen=True)
class CityDepartment:
    """One department of the city and the size of its budget."""

    department: Department
    lines: int
    projects: int
    units: int
    seed: int


def city_departments(departments: int, seed: int) -> list[CityDepartment]:
    """The city's departments: codes 101, 102, …; sizes drawn per department from ``seed``."""
    members = []
    for index in range(departments):
        rng = random.Random(f"{seed}/{index}")
        lines = rng.randint(100, 600)
        members.append(
            CityDepartment(
                Department(str(101 + index), f"{REGION}第{index + 1}部门", "某省合成市", "市级"),
                lines,
                projects=max(1, lines // rng.randint(8, 15)),
                units=rng.randint(1, 5),
                seed=rng.randint(0, 2**32 - 1),
            )
        )
    return members


def _drifted(amount: Decimal, factor: Decimal) -> Decimal:
    return max(CENT, (amount * factor).quantize(CENT, ROUND_HALF_UP))


def next_year(dataset: Dataset, rng: random.Random) -> Dataset:
    """The department's budget a year later: amounts drift, a new project starts, codes the
    new year's catalogue no longer has are drawn again."""
    year = dataset.year + 1
    codes = year_codes(year)
    known = set(codes["general"]) | set(codes["fund"])
    units = {u.code: u for u in dataset.manifest.units}
    growth = Decimal(rng.randint(-5, 10)) / 100
    lines: list[BudgetLine] = []
    for line in dataset.lines:
        factor = 1 + growth + Decimal(rng.randint(-5, 5)) / 100
        code = line.function_code
        if code not in known:
            code = function_code(rng, codes, units[line.unit_code], line.source)
        lines.append(replace(line, function_code=code, amount=_drifted(line.amount, factor)))
    names = list(dict.fromkeys(line.project for line in dataset.lines if line.project))
    new_project = f"{dataset.manifest.department.name}{year}年新增项目"
    names.append(new_project)
    own = dataset.manifest.units[0]
    seen = {_key(line) for line in lines}
    for _ in range(2):
        line = project_line(rng, codes, own, new_project)
        if _key(line) not in seen:
            seen.add(_key(line))
            lines.append(line)
    manifest = replace(dataset.manifest, year=year)
    return complete_dataset(rng, manifest, lines, names)


def _key(line: BudgetLine) -> tuple[object, ...]:
    return (line.unit_code, line.function_code, line.economic_code, line.kind, line.project)


def department_years(member: CityDepartment, years: int, first_year: int) -> Iterator[Dataset]:
    """One department's budgets for ``years`` consecutive years from ``first_year``."""
    rng = random.Random(member.seed)
    dataset = synthetic_dataset(
        rng,
        lines=member.lines,
        projects=member.projects,
        units=member.units,
        year=first_year,
        department=member.department,
    )
    yield dataset
    for _ in range(years - 1):
        dataset = next_year(dataset, rng)
        yield dataset


def city_datasets(
    *, departments: int, years: int, seed: int, first_year: int = 2021
) -> Iterator[Dataset]:
    """Every department's budget for every year, department by department."""
    for member in city_departments(departments, seed):
        yield from department_years(member, years, first_year)


def dataset_folder_name(manifest: Manifest) -> str:
    """``<department code>-<year>``, e.g. ``101-2021``."""
    return f"{manifest.department.code}-{manifest.year}"


def write_city(
    out: Path,
    *,
    departments: int,
    years: int,
    seed: int,
    first_year: int = 2021,
    on_dataset: Callable[[Path], None] | None = None,
) -> list[Path]:
    """Write the city as dataset folders under ``out`` (each atomically); their paths."""
    from yusuan.dataset import save_dataset

    written = []
    for dataset in city_datasets(
        departments=departments, years=years, seed=seed, first_year=first_year
    ):
        folder = out / dataset_folder_name(dataset.manifest)
        save_dataset(dataset, folder)
        written.append(folder)
        if on_dataset is not None:
            on_dataset(folder)
    return written
