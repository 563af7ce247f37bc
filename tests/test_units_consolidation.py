"""Consolidation (issue #11): a 部门 is its 本级 plus its 下属单位.

Every amount of every table by classification of a department (or of a unit) is the sum of the
same cell over the packages of the units directly under it (plus what it spends itself); the
tables by unit have one row per such unit equal to that unit's package total. Unit datasets merge
back into the department; a city's totals are checked against a hand sum of the budget lines.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from paths import EXAMPLE
from strategies import datasets, valid_datasets
from test_no_false_alarms import TOLERATED
from yusuan.cli import app
from yusuan.console import InputError
from yusuan.consolidation.merge import MergeRefused, Source, merge, read_unit_dataset
from yusuan.consolidation.restrict import part, restrict, split, top_units
from yusuan.dataset import load_dataset, save_dataset
from yusuan.model.records import UNIT_SCOPE, Dataset, Unit
from yusuan.rules import check_dataset
from yusuan.tables import build_tables, procurement, three_public
from yusuan.tables.base import AMOUNT, Table

runner = CliRunner()
BY_UNIT = {procurement.ID, three_public.ID}
ZERO = Decimal(0)


def _cells(table: Table) -> dict[tuple[str, str, int, int, str], Decimal]:
    """Every amount cell by (row code, row name, level, occurrence, column key)."""
    seen: Counter[tuple[str, str, int]] = Counter()
    cells = {}
    for row in table.rows:
        key = (row.code, row.name, row.level)
        seen[key] += 1
        for column in table.columns:
            if column.kind == AMOUNT:
                value = row.values.get(column.key)
                cells[(*key, seen[key], column.key)] = value if isinstance(value, Decimal) else ZERO
    return cells


def _tables(dataset: Dataset) -> dict[str, Table]:
    return {t.id: t for t in build_tables(dataset)}


def _own(dataset: Dataset, code: str) -> Dataset:
    """What unit ``code`` spends itself (none of the units below it), as a unit package."""
    alone = restrict(dataset, code).dataset
    return replace(
        alone,
        lines=tuple(x for x in alone.lines if x.unit_code == code),
        procurement=tuple(x for x in alone.procurement if x.unit_code == code),
    )


def assert_consolidates(whole: Dataset, parts: list[Dataset]) -> None:
    """Every amount cell of every table by classification of ``whole`` is the sum of that cell
    over ``parts`` (a cell a part lacks counts 0, a cell only parts have must sum to 0)."""
    mine = _tables(whole)
    theirs = [_tables(p) for p in parts]
    for table_id, table in mine.items():
        if table_id in BY_UNIT:
            continue
        expected: dict[tuple[str, str, int, int, str], Decimal] = {}
        for tables in theirs:
            for key, value in _cells(tables[table_id]).items():
                expected[key] = expected.get(key, ZERO) + value
        got = _cells(table)
        for key in got.keys() | expected.keys():
            assert got.get(key, ZERO) == expected.get(key, ZERO), (table_id, key)


def assert_unit_rows(department: Dataset) -> None:
    """The by-unit tables: each unit directly under the department has a row equal to its own
    package's total."""
    tables = _tables(department)
    for unit in top_units(department):
        package = _tables(restrict(department, unit.code).dataset)
        three = tables[three_public.ID]
        row = next(r for r in three.rows if r.code == unit.code)
        total = package[three_public.ID].rows[0]  # one unit: its row is the total
        assert total.code == unit.code
        for column in three.columns:
            if column.kind == AMOUNT:
                assert row.values[column.key] == total.values[column.key], column.key
        buying = tables[procurement.ID]
        found = [r for r in buying.rows if r.code == unit.code and r.values.get("unit_code")]
        unit_total = package[procurement.ID].rows[0]
        if not found:  # a unit without procurement has no row, and its package buys nothing
            assert not unit_total.values["total"]
            continue
        for column in buying.columns:
            if column.kind == AMOUNT:
                assert found[0].values[column.key] == unit_total.values[column.key]


def assert_tree_consolidates(dataset: Dataset) -> None:
    """At every level: the department = its top units' packages; each unit's package = its
    own spending + its children's packages."""
    tops = top_units(dataset)
    assert_consolidates(dataset, [restrict(dataset, u.code).dataset for u in tops])
    assert_unit_rows(dataset)
    for unit in dataset.manifest.units:
        children = [u for u in dataset.manifest.units if u.parent == unit.code]
        if children:
            assert_consolidates(
                restrict(dataset, unit.code).dataset,
                [_own(dataset, unit.code), *(restrict(dataset, c.code).dataset for c in children)],
            )


def _depth_first(units: list[Unit], parent: str = "") -> list[Unit]:
    """Each unit followed by the units below it (as a manifest lists them, and as the parts of a
    split come back in a merge)."""
    ordered = []
    for unit in (u for u in units if u.parent == parent):
        ordered += [unit, *_depth_first(units, unit.code)]
    return ordered


@st.composite
def trees(draw: st.DrawFn) -> Dataset:
    """A valid dataset whose units form a tree of three levels under two or three units
    directly under the department, each line and procurement item at a random unit."""
    base = draw(datasets(max_lines=30))
    tops = draw(st.integers(2, 3))
    units = [Unit(f"20{i}", f"直属单位{i}", base.manifest.units[0].kind) for i in range(tops)]
    for i in range(draw(st.integers(1, 3))):
        units.append(Unit(f"20{i % tops}{i}", f"二级单位{i}", units[0].kind, f"20{i % tops}"))
    units.append(Unit("2000x", "三级单位", units[0].kind, units[tops].code))
    units = _depth_first(units)
    codes = [u.code for u in units]
    lines = tuple(replace(x, unit_code=draw(st.sampled_from(codes))) for x in base.lines)
    buying = tuple(replace(x, unit_code=draw(st.sampled_from(codes))) for x in base.procurement)
    manifest = replace(base.manifest, units=tuple(units))
    return replace(base, manifest=manifest, lines=lines, procurement=buying)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees())
def test_department_tables_are_the_sum_of_unit_packages(dataset: Dataset) -> None:
    assert_tree_consolidates(dataset)


def test_example_consolidates(example: Dataset) -> None:
    assert_tree_consolidates(example)
    # 104001 spends nothing itself: its package is its four units' packages added up
    assert not [x for x in example.lines if x.unit_code == "104001"]
    children = [u.code for u in example.manifest.units if u.parent == "104001"]
    assert children == ["1040010", "1040011", "1040012", "1040013"]
    assert_consolidates(example, [restrict(example, c).dataset for c in children])


def test_a_unit_package_is_its_subtree_titled_as_a_unit(example: Dataset) -> None:
    unit = restrict(example, "1040012").dataset
    assert unit.manifest.scope.level == UNIT_SCOPE
    assert unit.manifest.scope.within == example.manifest.department
    assert unit.manifest.department.name == "中共临汾市委组织部党员教育中心"
    assert [u.code for u in unit.manifest.units] == ["1040012"]
    assert {x.unit_code for x in unit.lines} == {"1040012"}
    tables = build_tables(unit)
    assert tables[0].title == "2021年单位预算收支总表"
    assert tables[9].title == "单位政府采购预算资金明细表"
    # every project line of the example is 1040010's: its package has the 24 forms, 1040012 none
    assert unit.projects == () and unit.indicators == ()
    office = restrict(example, "1040010").dataset
    assert office.projects == example.projects and office.indicators == example.indicators
    state_capital = next(t for t in tables if t.id == "state-capital")
    assert state_capital.notes == ("本单位2021年无国有资本经营预算拨款安排的支出，故本表为空表。",)
    # the department's own tables keep the department's words
    assert build_tables(example)[0].title == "2021年预算收支总表"


def test_unknown_unit_is_a_located_input_error(example: Dataset) -> None:
    with pytest.raises(InputError) as raised:
        restrict(example, "999", source="examples/linfen-2021/yusuan.toml")
    assert "examples/linfen-2021/yusuan.toml" in raised.value.zh and "“999”" in raised.value.zh
    result = runner.invoke(app, ["tables", str(EXAMPLE), "--unit", "999"])
    assert result.exit_code == 2
    assert "没有单位编码“999”" in result.output and "Traceback" not in result.output


def test_cli_tables_of_one_unit() -> None:
    result = runner.invoke(app, ["tables", str(EXAMPLE), "--unit", "1040011", "-f", "json"])
    assert result.exit_code == 0, result.output
    titles = [d["title"] for d in json.loads(result.output) if d["type"] == "table"]
    assert titles[0] == "2021年单位预算收支总表"


def test_build_each_unit_writes_every_package(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["build", str(EXAMPLE), "-o", str(out), "--each-unit", "--force", "--only", "xlsx"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "部门预算" / "中共临汾市委组织部2021年部门预算.xlsx").is_file()
    units = sorted(p.name for p in (out / "单位预算").iterdir())
    assert units == [
        "104001-中共临汾市委组织部",
        "1040010-中共临汾市委组织部",
        "1040011-中共临汾市委组织部网络宣传中心",
        "1040012-中共临汾市委组织部党员教育中心",
        "1040013-中共临汾市委组织部举报中心",
    ]
    assert (
        out / "单位预算" / units[3] / "中共临汾市委组织部党员教育中心2021年单位预算.xlsx"
    ).is_file()
    # a second run replaces the whole folder it made
    again = runner.invoke(
        app, ["build", str(EXAMPLE), "-o", str(out), "--each-unit", "--force", "--only", "xlsx"]
    )
    assert again.exit_code == 0, again.output


# --- merging unit datasets into a department ----------------------------------------------


def _saved(dataset: Dataset, folder: Path) -> Path:
    save_dataset(dataset, folder)
    return folder


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), st.booleans())
def test_split_then_merge_gives_the_department_back(dataset: Dataset, every_unit: bool) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        parts = split(dataset, every_unit=every_unit)
        cut = dataset.manifest.units if every_unit else top_units(dataset)
        assert list(parts) == [u.code for u in cut]
        loaded = []
        for code, piece in parts.items():
            read = read_unit_dataset(_saved(piece, Path(tmp) / code))
            assert read.dataset is not None, read.problems
            loaded.append(Source(code, read.dataset))
        merged = merge(loaded)
    assert build_tables(merged) == build_tables(dataset)
    assert {u.code: u.parent for u in merged.manifest.units} == {
        u.code: u.parent for u in dataset.manifest.units
    }


@pytest.mark.parametrize("every_unit", [[], ["--every-unit"]])
def test_cli_split_and_consolidate_round_trip(tmp_path: Path, every_unit: list[str]) -> None:
    parts = tmp_path / "parts"
    result = runner.invoke(
        app, ["consolidate", "split", str(EXAMPLE), "-o", str(parts), *every_unit]
    )
    assert result.exit_code == 0, result.output
    inputs = sorted(str(p) for p in parts.iterdir() if p.is_dir())
    assert len(inputs) == (5 if every_unit else 1)
    merged = tmp_path / "merged"
    result = runner.invoke(app, ["consolidate", "department", *inputs, "-o", str(merged)])
    assert result.exit_code == 0, result.output
    before = runner.invoke(app, ["tables", str(EXAMPLE), "-f", "json"]).output
    after = runner.invoke(app, ["tables", str(merged), "-f", "json"]).output
    assert json.loads(before) == json.loads(after)


def _two_units(example: Dataset) -> tuple[Dataset, Dataset]:
    """The example cut in two unit datasets: 1040011 alone, and the rest."""
    single = part(example, "1040011", root=False)
    rest = replace(
        example,
        manifest=replace(
            example.manifest,
            units=tuple(u for u in example.manifest.units if u.code != "1040011"),
        ),
        lines=tuple(x for x in example.lines if x.unit_code != "1040011"),
        procurement=tuple(x for x in example.procurement if x.unit_code != "1040011"),
    )
    return rest, single


def test_merge_of_two_unit_datasets_equals_the_department(example: Dataset) -> None:
    rest, single = _two_units(example)
    merged = merge([Source("rest", rest), Source("single", single)])
    assert merged.manifest.units[-1].code == "1040011"  # its input came last

    def unordered(dataset: Dataset) -> list[tuple[str, list[str]]]:
        # rows of a table by unit follow the manifest's order, which the inputs' order decides
        return [(t.title, sorted(map(repr, t.rows))) for t in build_tables(dataset)]

    assert unordered(merged) == unordered(example)


def test_merge_refuses_what_does_not_belong_together(example: Dataset) -> None:
    rest, single = _two_units(example)
    next_year = replace(single, manifest=replace(single.manifest, year=2022))
    with pytest.raises(MergeRefused) as raised:
        merge([Source("rest", rest), Source("next", next_year)])
    assert "next/yusuan.toml [budget] year：2022年" in raised.value.zh

    other = replace(
        single,
        manifest=replace(
            single.manifest, department=replace(single.manifest.department, code="105")
        ),
    )
    with pytest.raises(MergeRefused) as raised:
        merge([Source("rest", rest), Source("other", other)])
    assert "other/yusuan.toml [department] code：部门编码“105”" in raised.value.zh

    with pytest.raises(MergeRefused) as raised:
        merge([Source("a", example), Source("b", single)])
    assert "单位编码“1040011”已在 a/" in raised.value.zh

    # one project declared identically in two inputs is one project; declared otherwise, a clash
    project = rest.projects[0]
    same = replace(single, projects=(project,))
    assert merge([Source("rest", rest), Source("same", same)]).projects == rest.projects
    changed = replace(single, projects=(replace(project, overview="另一个项目"),))
    with pytest.raises(MergeRefused) as raised:
        merge([Source("rest", rest), Source("changed", changed)])
    assert f"项目“{project.name}”与 rest/" in raised.value.zh

    orphan = replace(
        single,
        manifest=replace(
            single.manifest, units=(replace(single.manifest.units[0], parent="1049999"),)
        ),
    )
    with pytest.raises(MergeRefused) as raised:
        merge([Source("rest", rest), Source("orphan", orphan)])
    assert "上级单位“1049999”不在任何输入中" in raised.value.zh


def test_cli_consolidate_refuses_another_year(tmp_path: Path, example: Dataset) -> None:
    rest, _ = _two_units(example)
    _saved(rest, tmp_path / "rest")
    # saved alone, a unit dataset names no parent outside it (the loader checks parents)
    alone = part(example, "1040011")
    _saved(replace(alone, manifest=replace(alone.manifest, year=2022)), tmp_path / "late")
    result = runner.invoke(
        app,
        [
            "consolidate",
            "department",
            str(tmp_path / "rest"),
            str(tmp_path / "late"),
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2
    assert "late/yusuan.toml [budget] year：2022年" in result.output
    assert not (tmp_path / "out").exists()


# --- a city's totals ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("city")
    result = runner.invoke(
        app,
        ["synthetic", "city", "-o", str(out), "--departments", "5", "--years", "1", "--seed", "1"],
    )
    assert result.exit_code == 0, result.output
    return sorted(p for p in out.iterdir() if p.is_dir())


def _hand_sums(folders: list[Path], width: tuple[int, ...], economic: bool) -> dict[str, Decimal]:
    """The amount of every budget line added into each prefix of its code (an independent sum)."""
    sums: dict[str, Decimal] = {}
    for folder in folders:
        for line in load_dataset(folder).lines:
            code = line.economic_code if economic else line.function_code
            for n in width:
                sums[code[:n]] = sums.get(code[:n], ZERO) + line.amount
            sums[""] = sums.get("", ZERO) + line.amount
    return sums


def test_city_totals_equal_a_hand_sum(city: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "city.json"
    args = ["consolidate", "city", *map(str, city), "-o", str(out), "-f", "json"]
    result = runner.invoke(app, [*args, "--by-department"])
    assert result.exit_code == 0, result.output
    tables = json.loads(out.read_text("utf-8"))
    assert [t["title"] for t in tables] == [
        "2021年本级部门预算支出功能分类汇总表",
        "2021年本级部门预算支出经济分类汇总表",
    ]
    for table, width, economic in ((tables[0], (3, 5, 7), False), (tables[1], (3, 5), True)):
        expected = _hand_sums(city, width, economic)
        assert table["unit"] == "万元"  # exact decimal strings in 万元: back to 元
        got = {row["code"]: Decimal(row["values"]["total"]) * 10000 for row in table["rows"]}
        assert got == expected
        for row in table["rows"]:  # the department columns add up to the total
            parts = [Decimal(row["values"][f"d{i}"]) for i in range(1, 6)]
            assert sum(parts) == Decimal(row["values"]["total"])


def test_city_count_and_formats(city: list[Path], tmp_path: Path) -> None:
    for fmt in ("xlsx", "csv", "text"):
        out = tmp_path / f"city.{fmt}"
        result = runner.invoke(
            app, ["consolidate", "city", *map(str, city), "-o", str(out), "-f", fmt]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    text = (tmp_path / "city.text").read_text("utf-8")
    assert "部门数" in text and "本级部门预算支出功能分类汇总表" in text


def test_city_refuses_two_years(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synthetic", "city", "-o", str(tmp_path / "c"), "--departments", "1", "--years", "2"]
    )
    assert result.exit_code == 0, result.output
    folders = sorted(str(p) for p in (tmp_path / "c").iterdir())
    result = runner.invoke(
        app, ["consolidate", "city", *folders, "-o", str(tmp_path / "x.csv"), "-f", "csv"]
    )
    assert result.exit_code == 2
    assert "[budget] year：2022年，应与" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_a_unit_workbook_reads_back_as_that_units_budget(example: Dataset) -> None:
    """The audit reads yusuan's 单位预算 workbook back as a 单位 document of that unit, every
    table recognised with the same figures."""
    import io

    from test_audit_xlsx import assert_same_figures
    from yusuan.audit.document import with_identity
    from yusuan.audit.xlsx_reader import read_workbook
    from yusuan.consolidation.scope import words_of
    from yusuan.publish.build import package_name
    from yusuan.render.xlsx import workbook_bytes
    from yusuan.tables.forms import forms_of

    unit = restrict(example, "1040012").dataset
    tables = build_tables(unit)
    title = package_name(unit)
    assert title == "中共临汾市委组织部党员教育中心2021年单位预算"
    data = workbook_bytes(tables, forms_of(unit), title=title, scope=words_of(unit))
    doc = with_identity(read_workbook(io.BytesIO(data), "unit.xlsx"))
    assert (doc.department, doc.year, doc.kind, doc.level) == (
        "中共临汾市委组织部党员教育中心",
        2021,
        "预算",
        "单位",
    )
    assert_same_figures(tables, doc)


def test_cli_consolidate_refuses_a_parent_in_no_input(tmp_path: Path) -> None:
    parts = tmp_path / "parts"
    result = runner.invoke(
        app, ["consolidate", "split", str(EXAMPLE), "-o", str(parts), "--every-unit"]
    )
    assert result.exit_code == 0, result.output
    # 1040012 names its parent 104001, whose dataset is not given
    alone = next(parts.glob("1040012-*"))
    result = runner.invoke(
        app, ["consolidate", "department", str(alone), "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert "第1个[[units]]块 parent：单位“1040012”的上级单位“104001”不在任何输入中" in result.output
    assert not (tmp_path / "out").exists()
    # the ordinary loader still refuses such a dataset on its own
    assert runner.invoke(app, ["tables", str(alone)]).exit_code == 2


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_datasets(max_lines=150))
def test_no_rule_fires_on_a_valid_budgets_unit_packages(dataset: Dataset) -> None:
    """A unit cut from a valid budget is a valid 单位预算: no rule fires but the rounding note
    (its department's name and code are still its own: PRJ-013, DAT rules, TXT names)."""
    for unit in dataset.manifest.units:
        report = check_dataset(restrict(dataset, unit.code).dataset)
        alarms = [f"{f.rule} {f.message_zh}" for f in report.findings if f.rule not in TOLERATED]
        assert alarms == [], unit.code


def test_a_unit_compares_with_its_own_last_year(tmp_path: Path) -> None:
    """With last year's dataset named, a unit's 上年预算数 are that unit's last year (its
    restriction of last year's dataset), not the department's."""
    following = tmp_path / "next"
    result = runner.invoke(
        app, ["synthetic", "next-year", str(EXAMPLE), "-o", str(following), "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    manifest = following / "yusuan.toml"
    text = manifest.read_text("utf-8")
    manifest.write_text(
        text.replace("[budget]\n", '[budget]\nprior_columns = "上年预算数、增减额、增减%"\n', 1),
        "utf-8",
    )
    result = runner.invoke(
        app, ["tables", str(following), "--unit", "1040011", "-t", "5", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    (table,) = [d for d in json.loads(result.stdout) if d["type"] == "table"]
    last_unit = restrict(load_dataset(EXAMPLE), "1040011").dataset
    last_general = next(t for t in build_tables(last_unit) if t.id == "general-budget")
    last_total = last_general.rows[0].values["total"]
    assert isinstance(last_total, Decimal) and last_total > 0
    total = table["rows"][0]
    assert total["name"] == "合计"
    assert Decimal(total["values"]["prior_total"]) * 10000 == last_total
    # the department's own 合计 compares with the department's last year, a larger figure
    department = runner.invoke(app, ["tables", str(following), "-t", "5", "-f", "json"])
    (whole,) = [d for d in json.loads(department.stdout) if d["type"] == "table"]
    assert Decimal(whole["rows"][0]["values"]["prior_total"]) * 10000 > last_total
