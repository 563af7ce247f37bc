"""Looking a catalogue entry up by name, and saying which edition a year uses (#12)."""

from __future__ import annotations

from typer.testing import CliRunner

from yusuan.catalog.coverage import edition_note, looks_like_code, search
from yusuan.cli import app

runner = CliRunner()


def test_a_name_finds_its_code() -> None:
    hits = search("小学教育", 2021)
    assert [(h[1], h[2], h[3]) for h in hits] == [("2050202", "小学教育", "项")]


def test_search_ignores_width_and_spaces() -> None:
    assert [h[1] for h in search(" 小学 教育 ", 2021)] == ["2050202"]
    assert "30109" in {h[1] for h in search("职业年金", 2021)}


def test_codes_and_names_are_told_apart() -> None:
    assert looks_like_code("2050202") and looks_like_code("A0605")
    assert not looks_like_code("小学教育") and not looks_like_code("A06-05x")


def test_a_year_without_its_own_catalogue_says_which_edition_is_used() -> None:
    assert "2027年没有单独的支出功能分类科目表，使用2021年版" in edition_note(2027)
    assert "没有单独" not in edition_note(2021)


def test_catalog_command_searches_by_name() -> None:
    result = runner.invoke(app, ["catalog", "小学教育", "-y", "2021"])
    assert result.exit_code == 0
    assert "2050202" in result.stdout
    missing = runner.invoke(app, ["catalog", "没有这个名称", "-y", "2021"])
    assert missing.exit_code == 1
