"""`yusuan build`: the whole package from one dataset, refused while a fatal finding stands."""

from __future__ import annotations

import csv
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from typer.testing import CliRunner

from paths import EXAMPLE
from rulekit import clean_dataset
from yusuan.cli import app
from yusuan.dataset import save_dataset
from yusuan.publish.build import MARKER, BuildRefused, UnsafeOutput, build_package

runner = CliRunner()
NAME = "中共临汾市委组织部2021年部门预算"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    return out


def test_fatal_findings_refuse_to_publish(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (
        "CAT-006" in result.output and "31080" in result.output
    )  # the seed's invalid economic code
    assert not (tmp_path / "out").exists(), "nothing is written when the build is refused"


def test_forced_build_writes_every_part_and_the_findings(built: Path) -> None:
    for part in (
        f"{NAME}.xlsx",
        f"{NAME}.pdf",
        f"{NAME}.docx",
        "检查结果.html",
        "site/index.html",
        "data/datapackage.json",
        "data/budget-lines.csv",
        "data/tables.json",
        "data/tables.csv",
        MARKER,
    ):
        assert (built / part).is_file(), part
    findings = (built / "检查结果.html").read_text("utf-8")
    assert "CAT-006" in findings and "31080" in findings
    site_findings = [
        p for p in (built / "site").rglob("*.html") if "CAT-006" in p.read_text("utf-8")
    ]
    assert site_findings == [], "the public site never shows the internal findings"


def test_every_download_link_of_the_site_resolves(built: Path, tmp_path: Path) -> None:
    # the site is uploaded alone: every link must resolve inside it
    site = shutil.copytree(built / "site", tmp_path / "site")
    missing = []
    downloads = (site / "downloads.html").read_text("utf-8")
    for offered in (f"{NAME}.xlsx", f"{NAME}.pdf", "datapackage.json", "tables.json"):
        assert quote(offered) in downloads or offered in downloads, offered
    assert (site / "downloads" / "data" / "budget-lines.csv").is_file()
    for page in site.rglob("*.html"):
        for href in re.findall(r'href="([^"#?]+)"', page.read_text("utf-8")):
            if href.startswith("data:"):
                continue  # an inline resource (the empty favicon)
            if href.startswith(("http:", "https:", "mailto:")):
                missing.append((page.name, href))
                continue
            target = (page.parent / unquote(href)).resolve()
            if not target.exists() or site.resolve() not in target.parents:
                missing.append((page.name, href))
    assert missing == []


def test_open_data_is_a_valid_data_package(built: Path) -> None:
    from frictionless import Package

    package = Package(str(built / "data" / "datapackage.json"))
    report = package.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((built / "data" / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["amount"]["columnType"] == "value"
    assert fields["function_code"]["columnType"] == "functional-classification:generic:code"
    text = (built / "data" / "budget-lines.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert sum(float(r["amount"]) for r in rows) == pytest.approx(123478300.00)
    row = next(r for r in rows if r["function_code"] == "2013201" and r["economic_code"] == "30101")
    assert (row["function_name"], row["economic_name"], row["government_economic_code"]) == (
        "行政运行",
        "基本工资",
        "50101",
    )


def test_tables_json_in_the_package_is_the_contract(built: Path) -> None:
    document = json.loads((built / "data" / "tables.json").read_text("utf-8"))
    assert document[0]["rows"][-1]["values"]["expenditure"] == "12347.83"


def test_a_clean_budget_builds_without_force(tmp_path: Path) -> None:
    save_dataset(clean_dataset(), tmp_path / "clean")
    result = runner.invoke(
        app,
        [
            "build",
            str(tmp_path / "clean"),
            "-o",
            str(tmp_path / "out"),
            "--only",
            "xlsx",
            "--only",
            "data",
        ],
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "检查结果.html").exists()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        [MARKER, "data", "某某市委办公室2021年部门预算.xlsx"]
    )


def test_never_overwrites_a_folder_it_did_not_make(tmp_path: Path) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "report.docx").write_text("keep me", "utf-8")
    with pytest.raises(UnsafeOutput):
        build_package(clean_dataset(), precious)
    assert (precious / "report.docx").read_text("utf-8") == "keep me"


def test_build_refused_carries_the_report(tmp_path: Path) -> None:
    from yusuan.dataset import load_dataset

    with pytest.raises(BuildRefused) as refused:
        build_package(load_dataset(EXAMPLE), tmp_path / "out", formats=("data",))
    assert refused.value.report.count_fatal >= 1


def test_rebuilding_replaces_the_previous_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_package(clean_dataset(), out, formats=("data",))
    (out / "data" / "stale.csv").write_text("old", "utf-8")
    build_package(clean_dataset(), out, formats=("data",))
    assert not (out / "data" / "stale.csv").exists()


def test_open_data_stacks_across_departments(built: Path) -> None:
    """The tidy tables.csv names department, year, table id, row kind and column path, so that
    many departments' files stack and a sum over 明细 rows counts nothing twice."""
    rows = list(csv.DictReader((built / "data" / "tables.csv").open(encoding="utf-8-sig")))
    assert {(r["部门编码"], r["部门"], r["年度"]) for r in rows} == {
        ("104", "中共临汾市委组织部", "2021")
    }
    expenditure = [r for r in rows if r["表id"] == "expenditure" and r["列"] == "total"]
    details = sum(Decimal(r["值（元）"]) for r in expenditure if r["行类型"] == "明细")
    total = next(Decimal(r["值（元）"]) for r in expenditure if r["行类型"] == "合计")
    assert details == total == Decimal("123478300.00")  # seed: 12,347.83万元
    paths = {r["列路径"] for r in rows if r["表id"] == "three-public"}
    assert "2021年预算数据 / 公务用车费 / 小计" in paths
