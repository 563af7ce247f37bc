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


# --- one department's next year, for a demonstration of the comparison with last year ---------

# what the demonstration's 说明.md says it is (its text is made up, and says so)
DEMO_NOTE = "（合成演示数据：由 yusuan synthetic next-year 生成，文字仅供演示。）"


def next_year_dataset(dataset: Dataset, seed: int, prior_dataset: str) -> Dataset:
    """``dataset``'s department a year later (``next_year``'s drift), naming ``dataset`` as
    its ``prior_dataset`` (a path relative to the new dataset), with a 说明.md whose
    ``## 变动原因`` gives reasons for about half of the changes, chosen by ``seed``, and not
    for the others (so the check has something to say)."""
    rng = random.Random(f"next-year/{seed}")
    following = next_year(dataset, rng)
    following = replace(
        following, manifest=replace(following.manifest, prior_dataset=prior_dataset)
    )
    return replace(following, explanation=demo_explanation(dataset, following, rng))


def demo_explanation(last: Dataset, this: Dataset, rng: random.Random) -> str:
    """A demonstration 说明.md: the required sections, labelled as made up, and reasons for a
    random half of the changes (at least one given and, when there are two, one left out)."""
    from yusuan.tables.prior_figures import (
        BASIC_TOTAL,
        EXPENDITURE_TOTAL,
        FUNCTION,
        INCOME_TOTAL,
        PROJECT_FUNCTION,
        PROJECT_TOTAL,
        SOURCES,
        TOTALS,
        prior_figures,
    )

    narrated_totals = (INCOME_TOTAL, EXPENDITURE_TOTAL, BASIC_TOTAL, PROJECT_TOTAL)

    before = {(f.category, f.key): f.amount for f in prior_figures(last, "")}
    after = {(f.category, f.key): f.amount for f in prior_figures(this, "")}
    changed = [
        key
        for key in sorted(set(before) | set(after))
        if before.get(key, CENT * 0) != after.get(key, CENT * 0)
        and (
            key[0] == SOURCES
            or (key[0] == TOTALS and key[1] in narrated_totals)
            or (key[0] == FUNCTION and len(key[1]) == 3)
            or (key[0] == PROJECT_FUNCTION and len(key[1]) == 7)
        )
    ]
    given = [key for key in changed if rng.random() < 0.5]
    if changed and not given:
        given = [changed[0]]
    if len(changed) >= 2 and len(given) == len(changed):
        given = given[:-1]
    reasons = []
    for category, key in given:
        up = after.get((category, key), CENT * 0) > before.get((category, key), CENT * 0)
        reasons.append(
            f"- {key}：{this.year}年相关工作任务{'增加' if up else '减少'}，"
            f"预算相应{'增加' if up else '压减'}"
        )
    name = this.manifest.department.name
    return "\n".join(
        [
            f"# {name}{this.year}年部门预算说明",
            "",
            "## 部门职责及机构设置",
            "",
            f"{name}的职责与机构设置与{last.year}年相同。{DEMO_NOTE}",
            "",
            "## 国有资产占用情况",
            "",
            f"截至{last.year}年12月31日的资产情况从略。{DEMO_NOTE}",
            "",
            "## 变动原因",
            "",
            *reasons,
            "",
        ]
    )
