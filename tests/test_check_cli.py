"""`yusuan check` as a user runs it: exit status, formats, per-dataset settings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from paths import EXAMPLE
from rulekit import clean_dataset
from yusuan.cli import app
from yusuan.dataset import load_dataset, save_dataset
from yusuan.synthetic import explanation_text

runner = CliRunner()


def test_fatal_findings_give_exit_1_and_the_json_contract() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLE), "-f", "json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["contract"] == 1 and report["subject"] == "dataset"
    assert report["summary"]["fatal"] >= 1
    assert {o["outcome"] for o in report["outcomes"]} <= {
        "passed",
        "failed",
        "not_applicable",
        "could_not_run",
        "disabled",
    }
    finding = next(f for f in report["findings"] if f["rule"] == "CAT-006")
    assert finding["severity"] == "fatal" and "31080" in finding["message"]
    assert finding["location"] == {
        "field": "部门经济分类科目编码",
        "file": "procurement.csv",
        "line": 5,
    }
    assert report["findings"][0]["severity"] == "fatal", "sorted by severity"


def test_clean_budget_exit_0(tmp_path: Path) -> None:
    save_dataset(clean_dataset(), tmp_path / "clean")
    result = runner.invoke(app, ["check", str(tmp_path / "clean")])
    assert result.exit_code == 0, result.output
    assert "致命 0 · 警告 0 · 提示 0" in result.output


def test_unreadable_input_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["check", str(tmp_path / "missing")]).exit_code == 2


def test_rules_switched_off_or_relevelled_in_the_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "ds"
    shutil.copytree(EXAMPLE, folder)
    # the seed publishes no 说明 of its own (EXP-001): give the copy one
    (folder / "说明.md").write_text(explanation_text("中共临汾市委组织部"), "utf-8")
    manifest = folder / "yusuan.toml"
    manifest.write_text(
        manifest.read_text("utf-8")
        + '\n[rules."CAT-006"]\nseverity = "警告"\n\n[rules."IND-008"]\nenabled = "false"\n',
        "utf-8",
    )
    assert load_dataset(folder).manifest.rules["IND-008"] == {"enabled": "false"}
    result = runner.invoke(app, ["check", str(folder), "-f", "json"])
    report = json.loads(result.output)
    outcomes = {o["rule"]: o for o in report["outcomes"]}
    assert outcomes["IND-008"]["outcome"] == "disabled"
    assert not [f for f in report["findings"] if f["rule"] == "IND-008"]
    assert {f["severity"] for f in report["findings"] if f["rule"] == "CAT-006"} == {"warning"}
    assert report["summary"]["fatal"] == 0 and result.exit_code == 0


def test_rule_settings_survive_the_workbook(tmp_path: Path) -> None:
    from dataclasses import replace

    dataset = load_dataset(EXAMPLE)
    settings = {"PRJ-006": {"enabled": "false"}}
    relevelled = replace(dataset, manifest=replace(dataset.manifest, rules=settings))
    save_dataset(relevelled, tmp_path / "book.xlsx")
    assert load_dataset(tmp_path / "book.xlsx").manifest.rules == settings


def test_text_and_html_reports() -> None:
    text = runner.invoke(app, ["check", str(EXAMPLE)]).output
    assert "【致命 fatal】" in text and "位置：" in text and "致命 " in text.splitlines()[-2]
    html = runner.invoke(app, ["check", str(EXAMPLE), "-f", "html"]).output
    assert html.startswith("<!doctype html>") and "CAT-006" in html and " src=" not in html


def test_rules_command_lists_every_rule() -> None:
    from yusuan.rules import load_rules

    output = runner.invoke(app, ["rules"]).output
    for rule_id in load_rules():
        assert rule_id in output
