"""The synthetic city: one valid dataset folder per department and year, drifting year on year."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yusuan.analytics.query import run_query
from yusuan.cli import app
from yusuan.dataset import load_dataset
from yusuan.model.records import Dataset
from yusuan.rules import Outcome, check_dataset
from yusuan.synthetic_city import city_departments

# ARITH-090 reports rounding differences of the displayed unit: true information, not an alarm.
TOLERATED = {"ARITH-090"}


@pytest.fixture(scope="module")
def city_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city")
    result = CliRunner().invoke(
        app,
        ["synthetic", "city", "-o", str(out), "--departments", "2", "--years", "3", "--seed", "5"],
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def city(city_folder: Path) -> dict[str, Dataset]:
    return {folder.name: load_dataset(folder) for folder in sorted(city_folder.iterdir())}


def test_one_folder_per_department_and_year(city: dict[str, Dataset]) -> None:
    assert sorted(city) == ["101-2021", "101-2022", "101-2023", "102-2021", "102-2022", "102-2023"]
    for name, dataset in city.items():
        code, year = name.split("-")
        assert dataset.manifest.department.code == code
        assert dataset.year == int(year)


def test_every_dataset_checks_clean(city: dict[str, Dataset]) -> None:
    for name, dataset in city.items():
        report = check_dataset(dataset)
        alarms = [f"{f.rule} {f.message_zh}" for f in report.findings if f.rule not in TOLERATED]
        assert alarms == [], name
        # EXP-003 compares with last year: these datasets have no prior-year figures
        assert not [
            r.rule.id
            for r in report.runs
            if r.outcome is Outcome.COULD_NOT_RUN
            and not (r.rule.id == "EXP-003" and not dataset.prior_year)
        ], name
        assert dataset.projects and dataset.indicators and dataset.procurement, name


def test_each_year_drifts_from_the_one_before(city: dict[str, Dataset]) -> None:
    before, after = city["101-2021"], city["101-2022"]
    assert after.manifest.units == before.manifest.units
    # the year's growth is -5 %..+10 % and each line adds -5 %..+5 %
    old = {
        (x.unit_code, x.function_code, x.economic_code, x.project): x.amount for x in before.lines
    }
    ratios = [
        x.amount / old[(x.unit_code, x.function_code, x.economic_code, x.project)]
        for x in after.lines
        if x.project != f"{after.manifest.department.name}2022年新增项目"
    ]
    assert len(ratios) == len(before.lines)
    assert all(Decimal("0.89") < r < Decimal("1.16") for r in ratios)
    assert sum(after.lines[i].amount for i in range(len(old))) != sum(old.values())
    new = after.project(f"{after.manifest.department.name}2022年新增项目")
    assert new is not None and before.project(new.name) is None
    new_lines = [x.amount for x in after.lines if x.project == new.name]
    assert new.year_funds.total == sum(new_lines, Decimal(0))


def test_a_small_city_is_the_start_of_a_larger_one() -> None:
    assert city_departments(3, seed=9) == city_departments(30, seed=9)[:3]


def test_written_folders_are_complete_datasets(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["synthetic", "city", "-o", str(tmp_path), "--departments", "1", "--years", "1"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "101-2021").iterdir()) == [
        "budget_lines.csv",
        "indicators.csv",
        "procurement.csv",
        "projects.csv",
        "yusuan.toml",
        "说明.md",  # the department's own text of the written explanation
    ]


def test_the_city_in_the_store(city_folder: Path, city: dict[str, Dataset], tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["store", "build", "-o", str(store), str(city_folder)])
    assert result.exit_code == 0, result.output
    _, rows = run_query(
        store,
        "SELECT department_code || '-' || year, total_yuan, rank FROM departments_ranked",
    )
    stored = {name: total for name, total, _ in rows}
    # the 合计 of the 支出汇总表 is every budget line of the dataset, added here by hand
    assert stored == {
        name: sum((line.amount for line in dataset.lines), Decimal(0))
        for name, dataset in city.items()
    }
    for year in (2021, 2022, 2023):
        first, second = (stored[f"{code}-{year}"] for code in ("101", "102"))
        ranks = {name: rank for name, _, rank in rows}
        assert ranks[f"101-{year}"] == (1 if first > second else 2)
