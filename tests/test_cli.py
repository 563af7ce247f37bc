"""The command line as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from paths import EXAMPLE
from yusuan.cli import app

runner = CliRunner()


def test_tables_text_prints_every_table_and_form() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    out = result.output
    for title in (
        "2021年预算收支总表",
        "2021年“三公”经费预算表",
        "政府采购预算资金明细表",
        "2021年国有资本经营预算支出预算表",
    ):
        assert title in out
    assert "12,347.83" in out and "129.12" in out
    assert out.count("临汾市市级预算部门（单位）项目支出绩效目标申报表") == 24
    assert "本部门2021年无国有资本经营预算拨款安排的支出，故本表为空表。" in out


def test_tables_json_contract() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "--format", "json"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    tables = [d for d in document if d["type"] == "table"]
    forms = [d for d in document if d["type"] == "form"]
    assert len(tables) == 12 and len(forms) == 24
    summary = tables[0]
    assert (summary["title"], summary["unit"]) == ("2021年预算收支总表", "万元")
    assert summary["rows"][-1]["values"]["expenditure"] == "12347.83"
    general = next(t for t in tables if t["id"] == "general-budget")
    row = next(r for r in general["rows"] if r["code"] == "2013201")
    assert (row["name"], row["values"]["basic"]) == ("行政运行", "700.08")
    assert forms[0]["project"]["name"] == "党员教育中心工作经费"
    assert forms[0]["indicators"]["implementation"][0]["display"] == "=3部"


def test_one_table_by_number_id_or_name() -> None:
    for name in ("11", "operating-costs", "机关运行经费"):
        result = runner.invoke(app, ["tables", str(EXAMPLE), "-t", name, "-f", "json"])
        assert result.exit_code == 0, result.output
        document = json.loads(result.output)
        assert [d["id"] for d in document] == ["operating-costs"]
        assert document[0]["rows"][0]["values"]["amount"] == "136.29"


def test_unknown_table_is_exit_2_with_choices() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "-t", "不存在"])
    assert result.exit_code == 2
    assert "income-expenditure" in result.output


def test_tidy_csv_opens_in_excel_and_sums() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "-t", "general-budget", "-f", "csv"])
    assert result.exit_code == 0
    assert result.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    basic = [Decimal(r["值"]) for r in rows if r["列"] == "basic" and r["层级"] == "3"]
    assert sum(basic) == Decimal("992.27")


def test_bad_dataset_is_exit_2_with_the_problems(tmp_path: Path) -> None:
    (tmp_path / "yusuan.toml").write_text("format_version = 1\n", "utf-8")
    result = runner.invoke(app, ["tables", str(tmp_path)])
    assert result.exit_code == 2
    assert "部门编码" in result.output and "budget_lines.csv" in result.output


def test_catalog_coverage_and_lookup() -> None:
    result = runner.invoke(app, ["catalog"])
    assert result.exit_code == 0
    assert "支出功能分类" in result.output and "项" in result.output
    result = runner.invoke(app, ["catalog", "2080505"])
    assert result.exit_code == 0 and "机关事业单位基本养老保险缴费支出" in result.output
    result = runner.invoke(app, ["catalog", "A0605"])
    assert "柜类" in result.output
    assert runner.invoke(app, ["catalog", "9999999"]).exit_code == 1


def test_init_and_convert(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["init", str(tmp_path / "new"), "--code", "321", "--name", "某某局", "--year", "2025"],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "yusuan.toml").is_file() and (tmp_path / "new.xlsx").is_file()
    assert runner.invoke(app, ["init", str(tmp_path / "new")]).exit_code == 2, (
        "refuses to overwrite"
    )
    result = runner.invoke(app, ["convert", str(EXAMPLE), str(tmp_path / "linfen.xlsx")])
    assert result.exit_code == 0
    result = runner.invoke(app, ["tables", str(tmp_path / "linfen.xlsx"), "-t", "1", "-f", "json"])
    assert json.loads(result.output)[0]["rows"][-1]["values"]["income"] == "12347.83"


def test_help_is_bilingual() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "部门预算" in result.output and "tables" in result.output
