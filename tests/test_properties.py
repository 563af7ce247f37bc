"""Property tests: for any valid dataset the tables agree with each other and with themselves."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings

from strategies import datasets
from yusuan.dataset import load_dataset, save_dataset
from yusuan.model.records import Dataset
from yusuan.render.json_out import render_json
from yusuan.tables import build_tables
from yusuan.tables.base import Table

ZERO = Decimal(0)
CHECKS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _by_id(dataset: Dataset) -> dict[str, Table]:
    return {t.id: t for t in build_tables(dataset)}


def _value(table: Table, code: str, key: str) -> Decimal:
    row = table.row(code)
    if row is None:
        return ZERO
    value = row.values.get(key)
    return value if isinstance(value, Decimal) else ZERO


def _assert_hierarchy_adds_up(table: Table, keys: list[str]) -> None:
    """合计 = Σ 类, 类 = Σ 款, 款 = Σ 项, in every column."""
    coded = [r for r in table.rows if r.code]
    for key in keys:
        total = next(r for r in table.rows if r.level == 0).values[key]
        assert total == sum((r.values[key] for r in coded if r.level == 1), ZERO), (table.id, key)  # type: ignore[misc]
        for parent in coded:
            children = [
                r for r in coded if r.level == parent.level + 1 and r.code.startswith(parent.code)
            ]
            if children:
                assert parent.values[key] == sum((c.values[key] for c in children), ZERO), (
                    table.id,
                    parent.code,
                    key,
                )  # type: ignore[misc]


@CHECKS
@given(datasets())
def test_income_equals_expenditure(dataset: Dataset) -> None:
    tables = _by_id(dataset)
    everything = sum((x.amount for x in dataset.lines), ZERO)
    summary = tables["income-expenditure"].rows[-1].values
    assert summary["income"] == summary["expenditure"] == everything
    income_rows = [
        r for r in tables["income-expenditure"].rows if r.values.get("income_item") and r.level == 1
    ]
    assert sum((r.values["income"] for r in income_rows), ZERO) == everything  # type: ignore[misc]
    assert (
        _value(tables["income"], "", "total")
        == _value(tables["expenditure"], "", "total")
        == everything
    )


@CHECKS
@given(datasets())
def test_every_total_is_the_sum_of_its_parts(dataset: Dataset) -> None:
    tables = _by_id(dataset)
    _assert_hierarchy_adds_up(
        tables["income"],
        ["total", "general", "fund", "special_account", "state_capital", "unit_funds"],
    )
    for table_id in ("expenditure", "general-budget", "fund-expenditure", "state-capital"):
        _assert_hierarchy_adds_up(tables[table_id], ["total", "basic", "project"])
        for row in tables[table_id].rows:
            assert row.values["total"] == row.values["basic"] + row.values["project"]  # type: ignore[operator]
    _assert_hierarchy_adds_up(tables["fund-income"], ["total"])
    for row in tables["income"].rows:
        parts = ("general", "fund", "special_account", "state_capital", "unit_funds")
        assert row.values["total"] == sum((row.values[k] for k in parts), ZERO)  # type: ignore[misc]
    economic = tables["basic-economic"]
    _assert_hierarchy_adds_up(economic, ["amount"])
    for row in tables["three-public"].rows:
        v = row.values
        assert v["vehicle_subtotal"] == v["vehicle_operation"] + v["vehicle_purchase"]  # type: ignore[operator]
        assert v["total"] == v["abroad"] + v["reception"] + v["vehicle_subtotal"]  # type: ignore[operator]


@CHECKS
@given(datasets())
def test_the_same_figure_is_equal_in_every_table(dataset: Dataset) -> None:
    tables = _by_id(dataset)
    summary, income, expenditure = (
        tables["income-expenditure"],
        tables["income"],
        tables["expenditure"],
    )
    fiscal, general, fund = tables["fiscal"], tables["general-budget"], tables["fund-expenditure"]
    for row in summary.rows:
        if row.code:  # each 类 on the 收支总表 equals the 类 row of the 收入总表 and 支出总表
            assert (
                row.values["expenditure"]
                == _value(expenditure, row.code, "total")
                == _value(income, row.code, "total")
            )
    for row in income.rows:  # income mirrors expenditure by function code
        assert row.values["total"] == _value(expenditure, row.code, "total")
        assert row.values["general"] == _value(general, row.code, "total")
        assert row.values["fund"] == _value(fund, row.code, "total")
    for row in fiscal.rows:
        if row.code:
            assert row.values.get("general", ZERO) == _value(general, row.code, "total")
            assert row.values.get("fund", ZERO) == _value(fund, row.code, "total")
    fiscal_total = fiscal.rows[-1].values
    assert fiscal_total["general"] == _value(general, "", "total")
    assert (
        fiscal_total["fund"]
        == _value(fund, "", "total")
        == _value(tables["fund-income"], "", "total")
    )
    assert fiscal_total["subtotal"] == fiscal_total["income"]
    assert _value(general, "", "basic") == _value(tables["basic-economic"], "", "amount")
    operating = tables["operating-costs"]
    assert operating.rows[0].values["amount"] == sum(
        (r.values["amount"] for r in operating.rows[1:]), ZERO
    )  # type: ignore[misc]
    assert operating.rows[0].values["amount"] <= _value(general, "", "basic") + _value(
        fund, "", "basic"
    ) + _value(tables["state-capital"], "", "basic")  # type: ignore[operator]
    procurement = tables["procurement"]
    assert procurement.rows[0].values["total"] == sum((i.amount for i in dataset.procurement), ZERO)


@CHECKS
@given(datasets())
def test_json_amounts_are_exact_and_add_up(dataset: Dataset) -> None:
    document = json.loads(render_json(build_tables(dataset), []))
    summary = next(t for t in document if t["id"] == "income-expenditure")
    total = Decimal(summary["rows"][-1]["values"]["expenditure"])
    assert total * 10000 == sum((x.amount for x in dataset.lines), ZERO)
    for table in document:
        for row in table["rows"]:
            for value in row["values"].values():
                assert not isinstance(value, float)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(max_lines=15))
def test_any_dataset_round_trips_through_folder_and_workbook(dataset: Dataset) -> None:
    with TemporaryDirectory() as tmp:
        folder, book = Path(tmp) / "ds", Path(tmp) / "ds.xlsx"
        save_dataset(dataset, folder)
        assert load_dataset(folder) == dataset
        save_dataset(dataset, book)
        assert load_dataset(book) == dataset
