"""Tables in a terminal: wide tables wrap into blocks of columns that fit, CJK stays aligned, and
one project form can be picked by name (#12)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from paths import EXAMPLE
from yusuan.cli import app
from yusuan.render.cells import text_width
from yusuan.render.text import render_table
from yusuan.tables.base import Table

runner = CliRunner()


@pytest.mark.parametrize("width", [60, 100, 140])
def test_a_wide_table_wraps_into_blocks_that_fit(
    example_tables: dict[str, Table], width: int
) -> None:
    text = render_table(example_tables["procurement"], width)
    body = text.splitlines()[1:]  # the centred title may be wider than a narrow block
    assert max(text_width(line) for line in body) <= width
    assert "（第1/" in text
    # every amount of the published table is still printed (seed: 8.20, 34.80, 9.40 …)
    for amount in ("43.00", "8.20", "34.80", "3.20", "5.00", "8.00", "0.60", "9.40", "7.30"):
        assert amount in text, amount
    # each block repeats the columns that identify a row
    assert text.count("中共临汾市委组织部") >= 2 * 3


def test_a_table_that_fits_is_not_split(example_tables: dict[str, Table]) -> None:
    text = render_table(example_tables["basic-economic"], 200)
    assert "部分 part" not in text
    assert render_table(example_tables["procurement"]) == render_table(
        example_tables["procurement"], None
    )


def test_cjk_columns_stay_aligned(example_tables: dict[str, Table]) -> None:
    lines = render_table(example_tables["expenditure"]).splitlines()
    rows = [line for line in lines if re.match(r"^\d{3,7}\s", line)]
    # the 合计 column ends at the same display column on every coded row
    ends = {text_width(re.match(r"^(.*?\d[\d,]*\.\d\d)", row).group(1)) for row in rows}  # type: ignore[union-attr]
    assert len(ends) == 1, ends


def test_tables_picks_one_project_form_by_name() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "-t", "人才专项资金"])
    assert result.exit_code == 0, result.output
    assert "项目名称：人才专项资金" in result.stdout
    assert result.stdout.count("项目名称：") == 1
    assert "预算收支总表" not in result.stdout


def test_tables_picks_a_table_and_a_form_together() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "-t", "三公", "-t", "人才专项"])
    assert result.exit_code == 0, result.output
    assert "“三公”经费预算表" in result.stdout and "项目名称：人才专项资金" in result.stdout


def test_an_unknown_name_is_a_usage_error() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "-t", "没有这个表"])
    assert result.exit_code == 2
    assert "项目名称" in result.output


def test_width_option_wraps() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "-t", "procurement", "--width", "80"])
    assert result.exit_code == 0
    assert "（第1/" in result.stdout


def test_tables_show_the_unit_tree_first() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "--no-forms"])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("单位层级")
    # the example's four 二级 units sit under 104001, as its manifest says
    assert lines[1] == "104001  中共临汾市委组织部（行政单位）"
    assert "  └ 1040012  中共临汾市委组织部党员教育中心（参照公务员法管理事业单位）" in lines
