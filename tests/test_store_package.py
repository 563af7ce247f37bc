"""``yusuan store export``: a store as a Frictionless Data Package, stacked across departments
and years, valid, with the seed's figures exact to the 分."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from paths import EXAMPLE
from yusuan.analytics.package import amount_name, relative_sources, resource_name, yuan_text
from yusuan.cli import app
from yusuan.dataset import load_dataset
from yusuan.synthetic_city import write_city

runner = CliRunner()
TWO_DECIMALS = re.compile(r"-?\d+\.\d{2}")


def _export(store: Path, out: Path) -> None:
    result = runner.invoke(app, ["store", "export", str(store), "-o", str(out)])
    assert result.exit_code == 0, result.output


def _build(out: Path, *inputs: Path) -> Path:
    result = runner.invoke(app, ["store", "build", "-o", str(out), *map(str, inputs)])
    assert result.exit_code == 0, result.output
    return out


def _rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text("utf-8-sig")
    return list(csv.DictReader(text.splitlines()))


def _validate(package: Path) -> None:
    from frictionless import Package

    report = Package(str(package / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    assert report.stats["errors"] == 0


@pytest.fixture(scope="module")
def example_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("package")
    store = _build(root / "store", EXAMPLE)
    _export(store, root / "package")
    return root / "package"


def test_the_example_package_is_valid(example_package: Path) -> None:
    _validate(example_package)


def test_the_descriptor_declares_every_resource_with_its_schema(example_package: Path) -> None:
    descriptor = json.loads((example_package / "datapackage.json").read_text("utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    # the facts table and the twelve disclosure tables of a dataset, each a file of the package
    assert len(resources) == 13
    assert {p.relative_to(example_package).as_posix() for p in example_package.rglob("*.csv")} == {
        r["path"] for r in resources.values()
    }
    facts = resources["facts"]["schema"]
    assert facts["primaryKey"] == ["source", "table_id", "row_number", "column_key"]
    fields = {f["name"]: f for f in facts["fields"]}
    assert fields["value_yuan"]["type"] == "number"
    assert fields["year"]["type"] == "integer"
    assert fields["row_kind"]["constraints"]["enum"] == ["total", "group", "detail"]
    for field in facts["fields"]:
        # Chinese, then English
        assert re.search(r"[\u4e00-\u9fff]", field["description"]), field
        assert re.search(r"/ [A-Za-z]", field["description"]), field
    three = resources["three-public"]
    assert three["path"] == "tables/three-public.csv"
    assert three["schema"]["primaryKey"] == ["source", "row_number"]
    names = [f["name"] for f in three["schema"]["fields"]]
    assert names[:8] == [
        "department_code",
        "department",
        "year",
        "kind",
        "row_number",
        "row_code",
        "row_name",
        "row_kind",
    ]
    # the amount columns in the order the table prints them, with their printed labels
    assert names[8:16] == [
        "total",
        "abroad",
        "reception",
        "vehicle_subtotal",
        "vehicle_operation",
        "vehicle_purchase",
        "meeting",
        "training",
    ]
    labels = {f["name"]: f["title"] for f in three["schema"]["fields"]}
    assert labels["reception"] == "公务接待费"
    assert names[-2:] == ["source_kind", "source"]
    assert descriptor["sources"] == [{"title": "linfen-2021", "kind": "dataset"}]


def test_the_seed_figures_are_in_the_package(example_package: Path) -> None:
    facts = {
        (r["table_id"], r["row_code"], r["row_name"], r["column_key"]): r["value_yuan"]
        for r in _rows(example_package / "facts.csv")
    }
    # the seed: 预算支出汇总表 合计 12,347.83 = 992.27 (基本) + 11,355.56 (项目) 万元
    assert facts["expenditure", "", "合计", "total"] == "123478300.00"
    assert facts["expenditure", "", "合计", "basic"] == "9922700.00"
    assert facts["expenditure", "", "合计", "project"] == "113555600.00"
    # 2013201 行政运行: 700.08 万元 基本支出
    assert facts["expenditure", "2013201", "行政运行", "basic"] == "7000800.00"
    (three,) = _rows(example_package / "tables" / "three-public.csv")
    # the seed's 三公 table: 合计 31.06 = 接待 22.05 + 用车运行 9.01; 会议费 31.32, 培训费 129.12 万元
    assert three["total"] == "310600.00"
    assert three["reception"] == "220500.00"
    assert three["vehicle_operation"] == "90100.00"
    assert three["meeting"] == "313200.00"
    assert three["training"] == "1291200.00"
    assert (three["department_code"], three["department"], three["year"], three["kind"]) == (
        "104",
        "中共临汾市委组织部",
        "2021",
        "预算",
    )
    assert three["source"] == "linfen-2021"


def test_every_amount_has_exactly_two_decimals(example_package: Path) -> None:
    descriptor = json.loads((example_package / "datapackage.json").read_text("utf-8"))
    checked = 0
    for resource in descriptor["resources"]:
        amounts = [f["name"] for f in resource["schema"]["fields"] if f["type"] == "number"]
        for row in _rows(example_package / resource["path"]):
            for name in amounts:
                if row[name] != "":
                    assert TWO_DECIMALS.fullmatch(row[name]), (resource["name"], name, row[name])
                    checked += 1
    assert checked == 2 * 580  # each of the store's 580 amounts, in facts and in its table


def test_the_wide_tables_hold_the_same_amounts_as_the_facts(example_package: Path) -> None:
    descriptor = json.loads((example_package / "datapackage.json").read_text("utf-8"))
    from_facts = {
        (r["table_id"], r["row_number"], r["column_key"]): Decimal(r["value_yuan"])
        for r in _rows(example_package / "facts.csv")
    }
    from_tables: dict[tuple[str, str, str], Decimal] = {}
    for resource in descriptor["resources"][1:]:
        table_id = next(
            k for k in {t for t, _, _ in from_facts} if resource_name(k) == resource["name"]
        )
        amounts = [f["name"] for f in resource["schema"]["fields"] if f["type"] == "number"]
        for row in _rows(example_package / resource["path"]):
            for name in amounts:
                if row[name] != "":
                    from_tables[table_id, row["row_number"], name] = Decimal(row[name])
    assert from_tables == from_facts


def test_a_city_stacks_departments_and_years(tmp_path: Path) -> None:
    city = tmp_path / "city"
    written = write_city(city, departments=3, years=2, seed=5)
    assert len(written) == 6
    store = _build(tmp_path / "store", city)
    _export(store, tmp_path / "package")
    _validate(tmp_path / "package")
    # each dataset's total spending, summed from its budget lines here, is the 合计 of its
    # 预算支出汇总表 in the stacked table
    expected = {}
    for folder in written:
        dataset = load_dataset(folder)
        department = dataset.manifest.department
        expected[department.code, str(dataset.year)] = sum(
            (line.amount for line in dataset.lines), Decimal(0)
        )
    rows = _rows(tmp_path / "package" / "tables" / "expenditure.csv")
    totals = {
        (r["department_code"], r["year"]): r["total"] for r in rows if r["row_kind"] == "total"
    }
    assert totals == {key: f"{value:.2f}" for key, value in expected.items()}
    assert {r["source"] for r in rows} == {f.name for f in written}
    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text("utf-8"))
    assert descriptor["fiscalPeriod"] == {"start": "2021-01-01", "end": "2022-12-31"}
    assert len(descriptor["sources"]) == 6


def test_a_broken_row_fails_validation(example_package: Path, tmp_path: Path) -> None:
    """The validation above can fail: a duplicated key and a text amount are errors."""
    import shutil

    from frictionless import Package

    copy = tmp_path / "copy"
    shutil.copytree(example_package, copy)
    facts = copy / "facts.csv"
    lines = facts.read_text("utf-8-sig").splitlines()
    lines.append(lines[1])  # the same key twice
    lines.append(lines[2].replace(",dataset,", ",spreadsheet,"))  # not a source kind
    facts.write_text("\ufeff" + "\r\n".join(lines) + "\r\n", "utf-8")
    report = Package(str(copy / "datapackage.json")).validate()
    kinds = {error["type"] for error in _errors(report)}
    assert {"primary-key", "constraint-error"} <= kinds


def _errors(report: Any) -> list[dict[str, Any]]:
    return [error.to_dict() for task in report.tasks for error in task.errors]


def test_export_refuses_a_folder_it_did_not_make(example_package: Path, tmp_path: Path) -> None:
    store = _build(tmp_path / "store", EXAMPLE)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", "utf-8")
    result = runner.invoke(app, ["store", "export", str(store), "-o", str(mine)])
    assert result.exit_code == 2
    assert (mine / "notes.txt").read_text("utf-8") == "keep me"
    # a folder it made is replaced whole
    _export(store, tmp_path / "again")
    _export(store, tmp_path / "again")
    assert not store.joinpath("facts.csv").exists()


def test_a_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["store", "export", str(tmp_path / "none"), "-o", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    assert "不是分析库" in result.output
    assert not (tmp_path / "p").exists()


def test_amounts_and_source_names() -> None:
    assert yuan_text(12345) == "123.45"
    assert yuan_text(0) == "0.00"
    assert yuan_text(-5) == "-0.05"
    assert yuan_text(100) == "1.00"
    assert relative_sources(["/a/city/101-2021", "/a/city/102-2021"]) == {
        "/a/city/101-2021": "101-2021",
        "/a/city/102-2021": "102-2021",
    }
    assert relative_sources(["/a/x/linfen-2021"]) == {"/a/x/linfen-2021": "linfen-2021"}
    assert relative_sources(["/a/reports/x.pdf", "/a/city/101-2021", "yusuan-web:104/2021"]) == {
        "/a/reports/x.pdf": "reports/x.pdf",
        "/a/city/101-2021": "city/101-2021",
        "yusuan-web:104/2021": "yusuan-web:104/2021",
    }
    assert resource_name("Three Public/决算") == "three-public"
    assert (amount_name("total"), amount_name("year"), amount_name("source")) == (
        "total",
        "year_yuan",
        "source_yuan",
    )


def test_export_under_faults_ends_in_a_status_without_partial_output(tmp_path: Path) -> None:
    """A full disk, a read-only folder, an I/O error, MemoryError or ValueError at the first and
    the last of each kind of low-level call: a documented status, a message, no traceback,
    nothing half-written, no leftovers, the store untouched (as tests/test_reliability_cli.py
    holds every command)."""
    from faultkit import FAULTS, POINTS, Case, Injector, clear_outputs, run_case

    _build(tmp_path / "in" / "store", EXAMPLE)
    case = Case(
        "store-export",
        lambda w: ["store", "export", str(w / "in" / "store"), "-o", str(w / "out")],
        "out",
    )
    clean = run_case(case, tmp_path, Injector())
    assert clean.status == 0, clean.stderr
    reference = clean.output
    clear_outputs(tmp_path)
    faults = list(FAULTS)
    plan = [
        (point, nth) for point in POINTS for nth in sorted({1, clean.counts.get(point, 0)} - {0})
    ]
    assert len(plan) >= 4
    for index, (point, nth) in enumerate(plan):
        fault = faults[index % len(faults)]
        outcome = run_case(case, tmp_path, Injector(point, nth, fault), reference=reference)
        where = f"{fault} at {point} #{nth}"
        assert outcome.status in (0, 2, 3), where  # 0: a read whose failure is handled
        assert not outcome.traceback, (where, outcome.stderr)
        if outcome.status:
            assert outcome.stderr.strip(), where
            assert outcome.output is None, where  # nothing at -o when it failed
        assert not outcome.stray, (where, outcome.stray)
        assert not outcome.partial, (where, outcome.output)
        assert not outcome.input_changed, where
        clear_outputs(tmp_path)
