"""``yusuan audit DIR --tidy FILE.csv``: every figure of every document in one long table.

Read back with the csv module and checked against cells typed by hand from two real documents
(pages as printed: ``pdftotext -f N -l N -layout``): 江苏省人民检察院 2019 (万元) and 上海市普陀区
社会福利院 2024 (元).
"""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import SHARED
from yusuan.audit.tidy import FIELDS, exact_yuan
from yusuan.cli import app

REALDOCS = SHARED / "realdocs"
PROCURATORATE = "jiangsu-procuratorate-2019-budget.pdf"
WELFARE = "shanghai-putuo-welfare-home-2024-unit-budget.pdf"


@pytest.fixture(scope="module")
def tidy(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    folder = tmp_path_factory.mktemp("docs")
    for name in (PROCURATORATE, WELFARE):
        shutil.copy(REALDOCS / name, folder / name)
    target = folder / "tidy.csv"
    result = CliRunner().invoke(
        app, ["audit", str(folder), "--tidy", str(target), "-o", str(folder / "out")]
    )
    assert result.exit_code in (0, 1), result.output
    raw = target.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def cell(
    records: list[dict[str, str]], document: str, table: str, row: str, column: str
) -> dict[str, str]:
    found = [
        r
        for r in records
        if r["document"].endswith(document)
        and r["table"] == table
        and (r["row_code"] == row or (not r["row_code"] and r["row_name"] == row))
        and r["column"] == column
    ]
    assert len(found) == 1, (document, table, row, column, found)
    return found[0]


def test_the_columns_are_the_same_for_every_document(tidy: list[dict[str, str]]) -> None:
    assert list(tidy[0]) == list(FIELDS)
    documents = {r["document"].rsplit("/", 1)[-1] for r in tidy}
    assert documents == {PROCURATORATE, WELFARE}
    identity = {
        (r["document"].rsplit("/", 1)[-1], r["department"], r["year"], r["kind"], r["level"])
        for r in tidy
    }
    assert identity == {
        (PROCURATORATE, "江苏省人民检察院", "2019", "预算", "部门"),
        (WELFARE, "上海市普陀区社会福利院", "2024", "预算", "单位"),
    }


@pytest.mark.parametrize(
    ("document", "table", "row", "column", "value", "unit", "page", "level"),
    [
        # p.18 一般公共预算支出预算表（功能科目）: 2040401 行政运行 12,268.62 (万元)
        (PROCURATORATE, "general-budget", "2040401", "total", "122686200.00", "万元", "18", "项"),
        # p.14 收支预算总表: 四、公共安全支出 16,593.12; the income side 1.一般公共预算 24,169.74
        (
            PROCURATORATE,
            "income-expenditure",
            "204",
            "expenditure",
            "165931200.00",
            "万元",
            "14",
            "类",
        ),
        (
            PROCURATORATE,
            "income-expenditure",
            "1.一般公共预算",
            "income_detail",
            "241697400.00",
            "万元",
            "14",
            "",
        ),
        # p.11 一般公共预算支出功能分类预算表: 208 10 05 社会福利事业单位 6,964,796 (元)
        (WELFARE, "general-budget", "2081005", "total", "6964796.00", "元", "11", "项"),
        (WELFARE, "general-budget", "20810", "basic", "6964796.00", "元", "11", "款"),
    ],
)
def test_hand_checked_cells(
    tidy: list[dict[str, str]],
    document: str,
    table: str,
    row: str,
    column: str,
    value: str,
    unit: str,
    page: str,
    level: str,
) -> None:
    found = cell(tidy, document, table, row, column)
    assert (found["value_yuan"], found["unit"], found["page"], found["row_level"]) == (
        value,
        unit,
        page,
        level,
    )


def test_a_blank_cell_is_no_record_and_a_printed_zero_is_one(tidy: list[dict[str, str]]) -> None:
    """p.15 单位“三公”经费和机关运行经费预算表 (万元): 合计 6.4, 因公出国(境)费 0, 公务接待费 0,
    小计 6.4, 购置费 blank, 运行费 6.4; p.14 收支预算总表: 二、外交支出 prints no amount."""
    three = {
        r["column"]: r["value_yuan"]
        for r in tidy
        if r["document"].endswith(WELFARE) and r["table"] == "three-public"
    }
    assert three["abroad"] == "0.00" and three["reception"] == "0.00"
    assert three["vehicle_subtotal"] == "64000.00" and three["vehicle_operation"] == "64000.00"
    assert "vehicle_purchase" not in three
    assert not [
        r
        for r in tidy
        if r["document"].endswith(PROCURATORATE)
        and r["table"] == "income-expenditure"
        and r["row_code"] == "202"
        and r["column"] == "expenditure"
    ]
    assert all(
        Decimal(r["value_yuan"]) == Decimal(r["value_yuan"]).quantize(Decimal("0.01")) for r in tidy
    )


def test_exact_values_are_never_rounded() -> None:
    assert exact_yuan(Decimal("64238300.00")) == "64238300.00"
    assert exact_yuan(Decimal("3503499")) == "3503499.00"
    assert exact_yuan(Decimal("0.1234") * 10000) == "1234.00"
    assert exact_yuan(Decimal("1.2345")) == "1.2345"


def test_parquet_holds_the_same_records_as_the_csv(tmp_path: Path) -> None:
    """pyarrow is a dependency (the analytics store): --tidy .parquet writes the CSV's records,
    value for value."""
    import pyarrow.parquet as pq

    for name in ("t.csv", "t.parquet"):
        result = CliRunner().invoke(
            app, ["audit", str(REALDOCS / WELFARE), "--tidy", str(tmp_path / name)]
        )
        assert result.exit_code in (0, 1), result.output
    with (tmp_path / "t.csv").open(encoding="utf-8-sig") as handle:
        from_csv = list(csv.DictReader(handle))
    from_parquet = pq.read_table(tmp_path / "t.parquet").to_pylist()
    assert len(from_parquet) == len(from_csv) > 100
    assert [str(r["value_yuan"]) for r in from_parquet] == [r["value_yuan"] for r in from_csv]


def test_rows_are_named_by_their_own_side() -> None:
    """In a two-sided summary the income amount belongs to the income item printed left of it;
    in a table without a side of named rows (政府采购表: 品目, 项目, 物品 as text) the row's name."""
    from yusuan.audit.document import RecognisedDocument
    from yusuan.audit.tidy import table_records
    from yusuan.money import MoneyUnit
    from yusuan.tables.base import AMOUNT, NAME, TEXT, TOTAL, Column, Row, Table

    summary = Table(
        "income-expenditure",
        "收支预算总表",
        MoneyUnit.WAN,
        (),
        (
            Column("income_item", "项目", TEXT),
            Column("income", "金额", AMOUNT),
            Column("name", "项目", NAME),
            Column("expenditure", "金额", AMOUNT),
        ),
        (
            Row(
                "201",
                "一般公共服务支出",
                1,
                {"income_item": "一、财政拨款", "income": Decimal(5), "expenditure": Decimal(3)},
            ),
            Row(
                "",
                "支出合计",
                0,
                {"income_item": "收入合计", "income": Decimal(5), "expenditure": Decimal(5)},
                TOTAL,
            ),
        ),
    )
    procurement = Table(
        "procurement",
        "政府采购预算表",
        MoneyUnit.WAN,
        (),
        (Column("item", "采购物品名称", TEXT), Column("total", "总计", AMOUNT)),
        (Row("", "办公设备购置费", 2, {"item": "台式计算机", "total": Decimal(2)}),),
    )
    doc = RecognisedDocument("d", 2024, "某局", {"a": summary, "b": procurement})
    named = [
        (r.table, r.row_code, r.row_name, r.row_level, r.column)
        for t in (summary, procurement)
        for r in table_records(doc, "d", t)
    ]
    assert named == [
        ("income-expenditure", "", "一、财政拨款", "", "income"),
        ("income-expenditure", "201", "一般公共服务支出", "类", "expenditure"),
        ("income-expenditure", "", "收入合计", "total", "income"),
        ("income-expenditure", "", "支出合计", "total", "expenditure"),
        ("procurement", "", "办公设备购置费", "", "total"),  # no code: no 类/款/项
    ]


def test_an_existing_file_is_never_overwritten_by_tidy(tmp_path: Path) -> None:
    """``--tidy`` writes a new file: one that exists (perhaps the user's own) is refused before
    anything is read, and so is a path that is an input."""
    shutil.copy(REALDOCS / WELFARE, tmp_path / WELFARE)
    mine = tmp_path / "mine.csv"
    mine.write_text("my own notes\n", "utf-8")
    result = CliRunner().invoke(app, ["audit", str(tmp_path / WELFARE), "--tidy", str(mine)])
    assert result.exit_code == 2, result.output
    assert "已存在" in result.output
    assert mine.read_text("utf-8") == "my own notes\n"
    result = CliRunner().invoke(
        app, ["audit", str(tmp_path / WELFARE), "--tidy", str(tmp_path / WELFARE)]
    )
    assert result.exit_code == 2, result.output
    assert (tmp_path / WELFARE).read_bytes() == (REALDOCS / WELFARE).read_bytes()
