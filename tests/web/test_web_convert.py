"""The database holds a budget exactly: the core computes the same tables and findings from the
rows as from the dataset folder, and an export reads back to the same dataset."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from paths import EXAMPLE
from yusuan.dataset import load_dataset, save_dataset
from yusuan.rules import check_dataset
from yusuan.tables import build_tables
from yusuan.web.budgets import models as db
from yusuan.web.budgets.convert import dataset_of, to_fen, to_yuan


@pytest.mark.django_db
def test_the_tests_run_on_the_database_chosen_for_them() -> None:
    from django.db import connection

    expected = "postgresql" if os.environ.get("YUSUAN_TEST_DATABASE_URL") else "sqlite"
    assert connection.vendor == expected


def test_money_is_exact_fen_both_ways() -> None:
    assert to_fen(Decimal("2766900.00")) == 276690000
    assert to_fen(Decimal("0.01")) == 1
    assert to_yuan(276690001) == Decimal("2766900.01")
    with pytest.raises(ValueError, match="两位小数"):
        to_fen(Decimal("1.005"))


@pytest.mark.django_db
def test_seed_rows_are_stored_in_fen(seed_budget: Any) -> None:
    # examples/linfen-2021/budget_lines.csv row 2: 1040010, 2013201, 30101, 2766900.00
    line = seed_budget.lines.get(row=2)
    assert (line.unit_code, line.function_code, line.economic_code) == (
        "1040010",
        "2013201",
        "30101",
    )
    assert line.amount_fen == 276690000
    assert seed_budget.lines.count() == 118
    assert seed_budget.projects.count() == 24
    assert seed_budget.indicators.count() == 487
    assert seed_budget.procurement.count() == 8
    assert seed_budget.department.units.count() == 5


@pytest.mark.django_db
def test_the_core_sees_the_same_dataset_from_the_rows(seed_budget: Any) -> None:
    folder = load_dataset(EXAMPLE)
    stored = dataset_of(seed_budget)
    assert stored == folder
    assert build_tables(stored) == build_tables(folder)
    found = [(f.rule, f.location) for f in check_dataset(stored).findings]
    assert found == [(f.rule, f.location) for f in check_dataset(folder).findings]


@pytest.mark.django_db
def test_export_reads_back_unchanged(seed_budget: Any, tmp_path: Path) -> None:
    save_dataset(dataset_of(seed_budget), tmp_path / "out")
    assert load_dataset(tmp_path / "out") == load_dataset(EXAMPLE)


@pytest.mark.django_db
def test_changes_to_rows_are_kept_in_the_history(seed_budget: Any) -> None:
    line = seed_budget.lines.get(row=2)
    line.amount_fen = 276690100
    line.save()
    assert [h.amount_fen for h in line.history.all()] == [276690100]
    assert db.Line.history.filter(id=line.pk).count() == 1


@pytest.mark.django_db
def test_the_comparison_layout_and_prior_figures_survive_the_database() -> None:
    """A dataset's prior_columns choice and prior-year figures come back from the web's rows."""
    from dataclasses import replace

    from yusuan.model.records import PriorYearFigure
    from yusuan.web.budgets.convert import create_budget

    folder = load_dataset(EXAMPLE)
    chosen = replace(
        folder,
        manifest=replace(folder.manifest, prior_columns=("prior", "change_pct")),
        prior_year=(PriorYearFigure("合计", "支出合计", Decimal("98100000.00")),),
    )
    budget = create_budget(chosen)
    assert budget.prior_columns == "上年预算数、增减%"
    stored = dataset_of(budget)
    assert stored.manifest.prior_columns == ("prior", "change_pct")
    assert build_tables(stored) == build_tables(chosen)
