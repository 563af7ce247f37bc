"""The analytics store: the example's tables as facts, exact to the 分, queried with SQL."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import EXAMPLE, SHARED
from yusuan.analytics.query import run_query
from yusuan.analytics.store import (
    DATASET,
    SourceInfo,
    StoreError,
    build_store,
    fact_columns,
)
from yusuan.cli import app
from yusuan.money import MoneyUnit
from yusuan.tables.base import Column, Row, Table

SEED_TEXT = SHARED / "seed" / "000_f720d2529ea36f81.txt"
runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("store")
    result = runner.invoke(app, ["store", "build", "-o", str(out), str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    return out


def _facts(store: Path, where: str) -> dict[tuple[str, str, str], Decimal]:
    _, rows = run_query(
        store,
        "SELECT table_id, row_code || '/' || row_name, column_key, value_yuan FROM facts "
        f"WHERE {where}",
    )
    return {(t, r, c): v for t, r, c, v in rows}


def test_the_example_totals_as_published(store: Path) -> None:
    # the seed: 12,347.83 = 992.27 (基本) + 11,355.56 (项目) 万元; 一般公共预算 6,423.83
    facts = _facts(store, "row_kind = 'total'")
    assert facts["expenditure", "/合计", "total"] == Decimal("123478300.00")
    assert facts["expenditure", "/合计", "basic"] == Decimal("9922700.00")
    assert facts["expenditure", "/合计", "project"] == Decimal("113555600.00")
    assert facts["general-budget", "/合计", "total"] == Decimal("64238300.00")
    assert facts["fund-expenditure", "/合计", "total"] == Decimal("59240000.00")
    detail = _facts(store, "table_id = 'expenditure'")
    assert detail["expenditure", "2013201/行政运行", "basic"] == Decimal("7000800.00")
    assert detail["expenditure", "2120899/其他国有土地使用权出让收入安排的支出", "project"] == (
        Decimal("59240000.00")
    )


def test_every_amount_of_the_tables_is_a_fact(store: Path) -> None:
    """The store holds exactly the amount cells of ``yusuan tables --format json``."""
    result = runner.invoke(app, ["tables", str(EXAMPLE), "-f", "json", "--no-forms"])
    expected = {}
    for table in json.loads(result.output):
        amounts = [c["key"] for c in table["columns"] if c["kind"] == "amount"]
        assert table["unit"] == "万元"
        for number, row in enumerate(table["rows"], start=1):
            for key in amounts:
                if row["values"].get(key) is not None:
                    yuan = Decimal(row["values"][key]) * 10_000
                    expected[table["id"], number, row["code"], row["kind"], key] = yuan
    _, rows = run_query(
        store,
        "SELECT table_id, row_number, row_code, row_kind, column_key, value_yuan FROM store",
    )
    assert {(t, n, c, k, key): v for t, n, c, k, key, v in rows} == expected
    assert len(rows) == len(expected)


def test_building_again_replaces_never_duplicates(tmp_path: Path) -> None:
    first = build_store(tmp_path, [EXAMPLE])
    again = build_store(tmp_path, [EXAMPLE])
    assert first.problems == again.problems == []
    _, [(count,)] = run_query(tmp_path, "SELECT count(*) FROM facts")
    assert count == first.values == again.values
    copy = tmp_path / "copy"
    shutil.copytree(EXAMPLE, copy)
    build_store(tmp_path, [copy])  # another source: its own rows
    _, [(both,)] = run_query(tmp_path, "SELECT count(*) FROM facts")
    assert both == 2 * count


def test_query_csv_of_a_ready_view(store: Path) -> None:
    result = runner.invoke(
        app,
        [
            "query",
            str(store),
            "-f",
            "csv",
            "SELECT department_code, year, total_yuan, project_yuan, project_share "
            "FROM project_spending_share",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output.lstrip("\ufeff"))))
    # 11,355.56 / 12,347.83 = 0.91964… 万元
    assert rows == [
        ["department_code", "year", "total_yuan", "project_yuan", "project_share"],
        ["104", "2021", "123478300.00", "113555600.00", "0.9196"],
    ]


def test_three_public_by_department(store: Path) -> None:
    _, rows = run_query(
        store,
        "SELECT column_key, amount_yuan FROM three_public_by_department ORDER BY column_key",
    )
    figures = dict(rows)
    # the seed's 三公 table: 合计 31.06 = 接待 22.05 + 用车运行 9.01; 会议费 31.32, 培训费 129.12 万元
    assert figures["total"] == Decimal("310600.00")
    assert figures["reception"] == Decimal("220500.00")
    assert figures["vehicle_operation"] == Decimal("90100.00")
    assert figures["meeting"] == Decimal("313200.00")
    assert figures["training"] == Decimal("1291200.00")


def test_a_published_document_goes_in_beside_the_dataset(store: Path, tmp_path: Path) -> None:
    shutil.copytree(store, tmp_path / "s")
    result = build_store(tmp_path / "s", [SEED_TEXT])
    assert result.problems == []
    _, rows = run_query(
        tmp_path / "s",
        "SELECT source_kind, department_code, department, year, kind, total_yuan "
        "FROM departments_ranked ORDER BY source_kind",
    )
    assert rows == [
        ("dataset", "104", "中共临汾市委组织部", 2021, "预算", Decimal("123478300.00")),
        ("document", "", "中共临汾市委组织部", 2021, "预算", Decimal("123478300.00")),
    ]


def test_an_unreadable_source_is_named_and_the_rest_stored(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "yusuan.toml").write_text("not toml [", encoding="utf-8")
    result = runner.invoke(
        app, ["store", "build", "-o", str(tmp_path / "s"), str(broken), str(EXAMPLE)]
    )
    assert result.exit_code == 2
    assert "broken" in result.output and "stored: 1 sources" in result.output


def test_a_fraction_of_a_fen_is_refused() -> None:
    table = Table(
        "expenditure",
        "t",
        MoneyUnit.YUAN,
        (),
        (Column("total", "合计"),),
        (Row("", "合计", 0, {"total": Decimal("0.001")}),),
    )
    info = SourceInfo("x", DATASET, "", "", "1", "d", 2021, "预算")
    with pytest.raises(StoreError, match="不是整分"):
        fact_columns(info, [table])


def test_the_project_share_is_an_exact_decimal_rounded_half_up(store: Path) -> None:
    _, rows = run_query(
        store, "SELECT project_share, typeof(project_share) FROM project_spending_share"
    )
    # 113,555,600.00 / 123,478,300.00 = 0.919640…: 0.9196, a DECIMAL (never a float)
    assert rows == [(Decimal("0.9196"), "DECIMAL(18,4)")]
