"""Reports a person reads (summary first, lines not pages, filters), the JSON contract old and new,
accepting a finding, and the tolerance for printed figures."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import EXAMPLE, SHARED
from yusuan.cli import app
from yusuan.dataset import DatasetError, load_dataset, save_dataset
from yusuan.model.records import Acceptance
from yusuan.publish.build import build_package
from yusuan.rules import check_dataset
from yusuan.rules.base import Severity
from yusuan.rules.report import render_html, render_text
from yusuan.rules.subject import agree_as_printed, half_unit, share_agrees
from yusuan.synthetic import explanation_text

runner = CliRunner()

CAT_006_PLACE = "部门经济分类科目编码 procurement.csv:5"
IND_008_PLACE = "项目“农村（社区）党员教育培训经费” 实施期绩效指标 成本指标／对市县的补助支出 indicators.csv:222"


def with_manifest(tmp_path: Path, extra: str) -> Path:
    folder = tmp_path / "ds"
    shutil.copytree(EXAMPLE, folder)
    manifest = folder / "yusuan.toml"
    manifest.write_text(manifest.read_text("utf-8") + extra, "utf-8")
    return folder


ACCEPT_BOTH_FATALS = f"""
[[accepted]]
rule = "CAT-006"
place = "{CAT_006_PLACE}"
reason = "采购计划已按 31099 调整，待财政批复"

[[accepted]]
rule = "IND-008"
project = "农村（社区）党员教育培训经费"
reason = "成本指标按元填报，单位笔误已告知项目单位"
"""


# --- text and HTML ---------------------------------------------------------------------------------


def test_text_opens_with_a_summary_and_has_lines_not_pages() -> None:
    report = check_dataset(load_dataset(EXAMPLE))
    text = render_text(report)
    lines = text.splitlines()
    # fatal: IND-008 (both halves, one fact), CAT-006, and EXP-001 for each of the two sections
    # the example's missing 说明 must give (部门职责及机构设置, 国有资产占用情况)
    assert lines[1] == "概要 / summary" and lines[2].startswith("  致命 4 · 警告")
    assert lines.index("  按规则 / by rule:") < lines.index("  成组的问题 / patterns:")
    start = lines.index("  按规则 / by rule:") + 1
    by_rule = lines[start : lines.index("  成组的问题 / patterns:")]
    assert [line.split("]")[0].split("[")[1] for line in by_rule[:3]] == [
        "EXP-001",
        "IND-008",
        "CAT-006",
    ]
    assert all(line.startswith("    致命 [") for line in by_rule[:3]), "fatal first"
    assert not by_rule[3].startswith("    致命 [")
    assert "\f" not in text and not any(line.strip() == "" and len(line) > 0 for line in lines)
    assert "  [PRJ-006] 24个项目的申报表未填写“经办人”、“填报日期”" in lines


def test_rules_that_could_not_run_are_one_line_unless_verbose() -> None:
    seed_text = next((SHARED / "seed").glob("*.txt"))
    brief = runner.invoke(app, ["audit", str(seed_text), "--no-progress"]).output
    lines = [line for line in brief.splitlines() if "rules that could not run" in line]
    assert len(lines) == 1 and "--verbose" in lines[0]
    count = int(lines[0].split(":")[1].split("条")[0])
    assert count >= 1
    full = runner.invoke(app, ["audit", str(seed_text), "--no-progress", "--verbose"]).output
    listed = full.split("rules that could not run")[1].split("\n\n")[0].splitlines()[1:]
    assert len(listed) == count and all(line.startswith("  [") for line in listed)


def test_html_filters_toggles_language_and_keeps_columns_from_wrapping() -> None:
    page = render_html(check_dataset(load_dataset(EXAMPLE)))
    for select in ("by-sev", "by-rule", "by-table", "by-project", "group"):
        assert f"id='{select}'" in page
    assert (
        "<span class='zh' title=" in page
        and "<span class='en' title=" in page
        and "id='lang'" in page
    )
    assert ".lang-zh .en" in page and "white-space:nowrap" in page
    assert "data-rule='PRJ-006'" in page and " src=" not in page and "http" not in page


def test_cli_html_shows_each_finding_beside_the_dataset_figures() -> None:
    page = runner.invoke(app, ["check", str(EXAMPLE), "-f", "html"]).output
    cost = page.split("data-rule='IND-008'")[1].split("<tr class='f'")[0]
    assert "<td class='hit'>≤1210000万</td>" in cost  # the indicator row of the form


def test_cli_verbose_option() -> None:
    result = runner.invoke(app, ["check", str(EXAMPLE), "--verbose"])
    assert result.exit_code == 1 and "概要 / summary" in result.output


# --- JSON ------------------------------------------------------------------------------------------


def test_json_keeps_the_old_keys_and_adds_places_also_and_groups() -> None:
    data = json.loads(runner.invoke(app, ["check", str(EXAMPLE), "-f", "json"]).output)
    assert data["contract"] == 1
    old = {"rule", "severity", "severity_zh", "message", "message_en", "location", "values"}
    for finding in data["findings"]:
        assert old <= set(finding)
        assert finding["location"] == finding["places"][0]
    assert data["summary"]["fatal"] == sum(f["severity"] == "fatal" for f in data["findings"])
    # a script of contract 1 still finds CAT-006 where it was
    cat = next(f for f in data["findings"] if f["rule"] == "CAT-006")
    assert cat["location"] == {
        "field": "部门经济分类科目编码",
        "file": "procurement.csv",
        "line": 5,
    }
    cost = next(f for f in data["findings"] if f["rule"] == "IND-008")
    assert cost["also"] == ["IND-005"] and [p["line"] for p in cost["places"]] == [222, 230]
    signoff = next(f for f in data["findings"] if f["rule"] == "PRJ-006")
    assert signoff["group"]["count"] == 24 and len(signoff["group"]["members"]) == 48
    assert signoff["group"]["members"][0]["message"].startswith("项目“")
    assert {"rule": "PRJ-006", "count": 24}.items() <= data["summary"]["patterns"][
        -1
    ].items() or any(
        p["rule"] == "PRJ-006" and p["count"] == 24 for p in data["summary"]["patterns"]
    )
    # the example chose to file 30229 福利费 (10.63万元) as personnel (备注 选定): CAT-011 rests on
    # that choice (DAT-006), and so does the gap of 10.63万元 XT-014 finds in 机关运行经费
    misfiled = next(
        f for f in data["findings"] if f["rule"] == "DAT-006" and f["values"]["rule"] == "CAT-011"
    )
    assert [(c["rule"], c["values"]["rule"]) for c in misfiled["consequences"]] == [
        ("DAT-006", "XT-014")
    ]
    assert misfiled["consequences"][0]["caused_by"] == misfiled["key"]
    assert data["summary"]["by_rule"][0]["severity"] == "fatal"


# --- accepting a finding ---------------------------------------------------------------------------


def test_accepted_findings_stay_listed_apart_and_do_not_block(tmp_path: Path) -> None:
    folder = with_manifest(tmp_path, ACCEPT_BOTH_FATALS)
    # the seed publishes no 说明 of its own (EXP-001, fatal until written): give the copy one
    (folder / "说明.md").write_text(explanation_text("中共临汾市委组织部"), "utf-8")
    dataset = load_dataset(folder)
    assert dataset.manifest.accepted == (
        Acceptance("CAT-006", "采购计划已按 31099 调整，待财政批复", CAT_006_PLACE),
        Acceptance(
            "IND-008",
            "成本指标按元填报，单位笔误已告知项目单位",
            "",
            (("project", "农村（社区）党员教育培训经费"),),
        ),
    )
    report = check_dataset(dataset)
    assert not report.has_fatal and report.count(Severity.FATAL) == 0
    assert {f.rule for f in report.accepted} == {"CAT-006", "IND-008"}
    assert all(f not in report.reported for f in report.accepted)
    text = render_text(report)
    assert "已接受的问题 / accepted findings: 2 项" in text
    assert "已接受 / accepted：采购计划已按 31099 调整，待财政批复" in text
    result = runner.invoke(app, ["check", str(folder), "-f", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["summary"]["accepted"] == 2
    assert {f["accepted"]["reason"] for f in data["accepted"]} >= {
        "采购计划已按 31099 调整，待财政批复"
    }
    build_package(dataset, tmp_path / "out", formats=("xlsx",))  # not refused
    assert (tmp_path / "out").is_dir()


def test_accepting_one_member_of_a_pattern_or_a_cause(tmp_path: Path) -> None:
    folder = with_manifest(
        tmp_path,
        '\n[[accepted]]\nrule = "PRJ-006"\nproject = "人才专项资金"\nreason = "纸质件已签"\n'
        '\n[[accepted]]\nrule = "DAT-006"\nplace = "budget_lines.csv:9"\nreason = "福利费按规定列支"\n',
    )
    report = check_dataset(load_dataset(folder))
    [signoff] = [f for f in report.reported if f.rule == "PRJ-006"]
    assert signoff.group == 23 and signoff.message_zh.startswith("23个项目")
    [one] = [f for f in report.accepted if f.rule == "PRJ-006"]
    assert one.location.project == "人才专项资金" and len(one.places) == 2
    assert one.accepted == "纸质件已签"
    # what is listed under an accepted finding is accepted with it
    misfiled = [f for f in report.accepted if f.rule == "DAT-006"]
    assert {f.rule for f in report.accepted} == {"PRJ-006", "DAT-006"}
    assert [f.values["rule"] for f in misfiled] == ["CAT-011", "XT-014"]
    assert not [f for f in report.reported if f.values.get("rule") in ("CAT-011", "XT-014")]


def test_an_acceptance_that_matches_nothing_is_a_note(tmp_path: Path) -> None:
    folder = with_manifest(
        tmp_path,
        '\n[[accepted]]\nrule = "CAT-006"\nplace = "procurement.csv:99"\nreason = "旧的"\n',
    )
    report = check_dataset(load_dataset(folder))
    [note] = [f for f in report.reported if f.rule == "ACC-001"]
    assert note.severity is Severity.INFO and "procurement.csv:99" in note.message_zh
    assert report.has_fatal, "CAT-006 at line 5 is not accepted"


def test_an_acceptance_without_a_reason_is_an_input_error(tmp_path: Path) -> None:
    folder = with_manifest(tmp_path, '\n[[accepted]]\nrule = "CAT-006"\nplace = "x"\n')
    with pytest.raises(DatasetError) as error:
        load_dataset(folder)
    assert "reason" in str(error.value)


def test_acceptances_survive_the_folder_and_the_workbook(tmp_path: Path) -> None:
    dataset = load_dataset(with_manifest(tmp_path, ACCEPT_BOTH_FATALS))
    save_dataset(dataset, tmp_path / "again")
    assert load_dataset(tmp_path / "again").manifest.accepted == dataset.manifest.accepted
    save_dataset(dataset, tmp_path / "book.xlsx")
    assert load_dataset(tmp_path / "book.xlsx").manifest.accepted == dataset.manifest.accepted


# --- tolerance -------------------------------------------------------------------------------------


def test_half_a_printed_unit() -> None:
    assert half_unit(Decimal(10000)) == Decimal(50)  # 0.005万元
    assert half_unit(Decimal(1), 2) == Decimal("0.005")  # 0.005% on a share in %


def test_printed_figures_agree_within_half_a_unit_each() -> None:
    wan = Decimal(10000)
    # 87.70 and 87.71万元 (the Shanghai PDF): both may print the same exact amount
    assert agree_as_printed(Decimal("877000"), Decimal("877100"), unit=wan)
    assert not agree_as_printed(Decimal("877000"), Decimal("877200"), unit=wan)
    # a total of 3 printed parts may be off by 4 halves: 0.02万元
    assert agree_as_printed(Decimal("877200"), Decimal("877000"), unit=wan, terms=3)


def test_a_printed_share_that_follows_from_printed_amounts_agrees() -> None:
    wan = Decimal(10000)
    part, whole = Decimal("1000000"), Decimal("1525500")  # 100.00 / 152.55万元 = 65.5523%
    assert share_agrees(Decimal("65.55"), part, whole, unit=wan)
    assert share_agrees(Decimal("65.56"), part, whole, unit=wan)  # (100.005/152.545 = 65.5577%)
    assert not share_agrees(Decimal("65.57"), part, whole, unit=wan)
