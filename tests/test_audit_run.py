"""``yusuan audit``: the run over documents and folders, its text, JSON and HTML reports, the
summary CSV, and the export of a read document back into a dataset.

Expected values are the seed's, typed by hand in ``tests/golden/`` (titles, amounts, the
published defects, the forms' funds) — never taken from yusuan's own output.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from golden import seed_tables as gold
from golden.seed_forms import FORMS
from paths import SHARED
from strategies import datasets
from yusuan.audit.document import RecognisedDocument
from yusuan.audit.export import compare_tables, dataset_of, export_dataset
from yusuan.audit.report import audit_object, render_html, render_text
from yusuan.audit.run import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    AuditResult,
    audit_command,
    audit_file,
    audit_paths,
    expand_paths,
)
from yusuan.audit.seed_text import read_seed_text
from yusuan.dataset import load_dataset
from yusuan.model.records import BasicCategory, Dataset, ExpenseKind
from yusuan.money import MoneyUnit, to_unit
from yusuan.render.json_out import form_object, table_object
from yusuan.rules.base import Severity
from yusuan.rules.report import report_object
from yusuan.tables import build_tables
from yusuan.tables.base import Table
from yusuan.tables.forms import forms_of

SEED = SHARED / "seed" / gold.SEED_FILE

# the seed's tables in order: (title as printed, yusuan id), typed from the seed
SEED_TABLES = [
    ("2021年预算收支总表", "income-expenditure"),
    ("2021年预算收入总表", "income"),
    ("2021年预算支出汇总表", "expenditure"),
    ("2021年财政拨款收支总表", "fiscal"),
    ("2021年一般公共预算支出预算表", "general-budget"),
    ("一般公共预算安排基本支出分经济科目表", "basic-economic"),
    ("2021年政府性基金预算收入表", "fund-income"),
    ("2021年政府性基金预算支出预算表", "fund-expenditure"),
    ("政府采购预算资金明细表", "procurement"),
    ("2021年机关运行经费预算财政拨款情况统计表", "operating-costs"),
    ("2021年“三公”经费预算表", "three-public"),
]

# the blank 类/款 subtotals of the 支出汇总表 (published defects): (code, column label)
BLANK_SUBTOTALS = [
    (d["row"], d["field"])
    for d in gold.PUBLISHED_DEFECTS
    if d["table"] == "EXPENDITURE_TABLE" and d["printed"] is None
]

AUDIT_KEYS = {"type", "contract", "documents", "summary"}
DOCUMENT_KEYS = {
    "source",
    "status",
    "body",
    "year",
    "kind",
    "totals",
    "tables",
    "locations",
    "projects",
    "findings",
    "check",
    "unread",
    "unreadable_pages",
    "problems",
}
TABLE_KEYS = {"type", "contract", "id", "number", "title", "unit", "columns", "header", "rows"}
TABLE_KEYS |= {"notes"}


@pytest.fixture(scope="module")
def result() -> AuditResult:
    return audit_file(SEED)


@pytest.fixture(scope="module")
def doc(result: AuditResult) -> RecognisedDocument:
    assert result.document is not None
    return result.document


def broken_pdf(folder: Path) -> Path:
    """A file named .pdf that is not a PDF."""
    path = folder / "broken.pdf"
    path.write_bytes(b"this is not a PDF, only text\n")
    return path


# --- the run ---------------------------------------------------------------------------------


def test_the_seed_is_read_and_checked(result: AuditResult) -> None:
    assert result.readable and result.status == "fatal"
    assert (result.body, result.year, result.kind) == ("中共临汾市委组织部", 2021, "预算")
    assert result.title == "中共临汾市委组织部2021年部门预算"
    assert result.report is not None and result.report.subject_kind == "document"
    assert result.problems == ()


def test_a_missing_or_unreadable_file_is_a_result_not_a_crash(tmp_path: Path) -> None:
    missing = audit_file(tmp_path / "nowhere.txt")
    assert missing.status == "unreadable" and missing.problems[0].message_zh == "文件不存在"
    broken = audit_file(broken_pdf(tmp_path))
    assert broken.status == "unreadable" and broken.report is None
    assert broken.problems  # why it could not be read is said
    empty = tmp_path / "empty.txt"
    empty.write_text("这不是公开文件\n没有任何表\n", "utf-8")
    nothing = audit_file(empty)
    assert nothing.status == "unreadable"
    assert "没有识别出" in nothing.problems[0].message_zh


def test_folders_are_expanded_recursively(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text("x", "utf-8")
    (tmp_path / "a.PDF").write_bytes(b"x")
    (tmp_path / "c.xlsx").write_bytes(b"x")
    (tmp_path / "notes.md").write_text("x", "utf-8")
    files = expand_paths([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["a.PDF", "c.xlsx", "sub/b.txt"]
    seen: list[str] = []
    results = audit_paths([tmp_path], lambda i, n, p: seen.append(f"{i + 1}/{n} {p.name}"))
    assert seen == ["1/3 a.PDF", "2/3 c.xlsx", "3/3 b.txt"]
    assert [r.status for r in results] == ["unreadable"] * 3


# --- text ------------------------------------------------------------------------------------


def test_text_names_the_tables_and_the_real_defects(result: AuditResult) -> None:
    text = render_text([result])
    lines = text.splitlines()
    listed = [line for line in lines if re.match(r"^\s+\d+\s{2}", line)]
    assert len(listed) == 11
    for (title, table_id), line in zip(SEED_TABLES, listed, strict=True):
        assert title in line and f"[{table_id}]" in line and "万元" in line
    assert "   1  2021年预算收支总表  [income-expenditure]  万元  第3行  31 行" in lines
    assert "项目绩效目标表 / project forms: 24" in lines
    # the wrong name printed for 201 in the 收入总表
    assert any(
        "[CAT-004] 201 的名称为“一般公共预算支出”" in line and "一般公共服务支出" in line
        for line in lines
    )
    # the blank subtotals of the 支出汇总表: one presentation choice, one note for the table
    assert any(
        "[ARITH-007] 2021年预算支出汇总表有 " + f"{len(BLANK_SUBTOTALS)} 处汇总数" in line
        for line in lines
    )
    # the invalid economic code of a procurement item
    assert any("[CAT-006]" in line and "[31080]" in line for line in lines)
    # fatal: only real contradictions, one per fact: CAT-006 and the cost target IND-008 (seed
    # line 639 prints “≤1210000万” in both halves of one form: one finding at two places)
    assert "致命 2 · 警告" in text


def test_exit_status_1_with_fatal_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert audit_command([SEED], "text", None, None, False) == EXIT_FINDINGS
    out = capsys.readouterr().out
    assert out.startswith(f"══ {SEED}")
    assert "【致命 fatal】2 项" in out


# --- JSON ------------------------------------------------------------------------------------


def test_json_follows_the_contract(
    result: AuditResult, doc: RecognisedDocument, capsys: pytest.CaptureFixture[str]
) -> None:
    assert audit_command([SEED], "json", None, None, False) == EXIT_FINDINGS
    data = json.loads(capsys.readouterr().out)
    assert set(data) == AUDIT_KEYS
    assert (data["type"], data["contract"]) == ("audit", 1)
    assert data["summary"] == {
        "documents": 1,
        "unreadable": 0,
        "fatal": 2,
        "warning": result.count(Severity.WARNING),
        "info": result.count(Severity.INFO),
        "exit_status": 1,
    }
    (document,) = data["documents"]
    assert set(document) == DOCUMENT_KEYS
    assert (document["body"], document["year"], document["kind"]) == (
        "中共临汾市委组织部",
        2021,
        "预算",
    )
    assert document["status"] == "fatal" and document["source"] == str(SEED)
    assert document["totals"] == {"income": "12347.83", "expenditure": "12347.83", "unit": "万元"}
    # the tables in exactly the shape of `yusuan tables --format json`
    assert [t["id"] for t in document["tables"]] == [table_id for _, table_id in SEED_TABLES]
    assert [t["title"] for t in document["tables"]] == [title for title, _ in SEED_TABLES]
    for printed, table in zip(document["tables"], doc.tables.values(), strict=True):
        assert set(printed) == TABLE_KEYS == set(table_object(table))
        assert printed == json.loads(json.dumps(table_object(table), ensure_ascii=False))
    income = document["tables"][1]
    assert income["unit"] == "万元"
    assert income["rows"][0]["values"]["total"] == "12347.83"  # typed from seed line 47
    assert income["rows"][5]["code"] == "2013201"
    assert income["rows"][5]["values"]["general"] == "700.08"  # seed line 52
    assert document["locations"]["income"] == {"page": None, "line": 41}
    assert len(document["projects"]) == 24
    assert document["projects"][0] == json.loads(
        json.dumps(form_object(doc.forms[0]), ensure_ascii=False)
    )
    assert document["projects"][0]["funds"]["year"]["total"] == "40.00"
    # the findings as `yusuan check --format json` gives them
    assert result.report is not None
    check = json.loads(json.dumps(report_object(result.report), ensure_ascii=False))
    assert document["findings"] == check.pop("findings")
    assert document["check"] == check
    assert len(document["problems"]) == 14 and {p["origin"] for p in document["problems"]} == {
        "reader"
    }


# --- a folder with an unreadable file --------------------------------------------------------


def test_folder_with_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    broken_pdf(folder)
    out = tmp_path / "out"
    assert audit_command([folder], "json", out, None, True) == EXIT_INPUT
    written = capsys.readouterr().out
    assert "无法读取 1" in written and "summary.csv" in written
    data = json.loads((out / "audit.json").read_text("utf-8"))
    assert [Path(d["source"]).name for d in data["documents"]] == [SEED.name, "broken.pdf"]
    assert [d["status"] for d in data["documents"]] == ["fatal", "unreadable"]
    assert data["summary"]["exit_status"] == 2
    raw = (out / "summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:11] == [
        "文件",
        "部门",
        "年度",
        "类型",
        "识别表数",
        "收入合计（万元）",
        "支出合计（万元）",
        "致命",
        "警告",
        "提示",
        "无法读取的页",
    ]
    assert len(rows) == 3
    seed_row, broken_row = rows[1], rows[2]
    assert Path(seed_row[0]).name == SEED.name
    assert seed_row[1:8] == [
        "中共临汾市委组织部",
        "2021",
        "预算",
        "11",
        "12347.83",
        "12347.83",
        "2",
    ]
    assert Path(broken_row[0]).name == "broken.pdf"
    assert broken_row[4] == "0" and broken_row[7:10] == ["0", "0", "0"]
    assert broken_row[11]  # why it could not be read


# --- HTML ------------------------------------------------------------------------------------


def seed_with_a_hostile_name(folder: Path) -> Path:
    """The seed with the first project renamed to text that must be escaped in HTML."""
    lines = SEED.read_text("utf-8").split("\n")
    line = 273 - 1
    assert "党员教育中心工作经费" in lines[line]
    lines[line] = lines[line].replace(
        "党员教育中心工作经费", '党员<script>alert("x")</script>&经费'
    )
    copy = folder / "hostile.txt"
    copy.write_text("\n".join(lines), "utf-8")
    return copy


def test_html_pages_show_findings_beside_their_figures(tmp_path: Path) -> None:
    source = seed_with_a_hostile_name(tmp_path)
    # and a misprint: 2013102 of the 一般公共预算支出表 printed 1,450.00 (the 支出汇总表 says 1,440.00)
    lines = source.read_text("utf-8").split("\n")
    assert lines[153 - 1].endswith("1,440.00\t\t1,440.00")
    lines[153 - 1] = lines[153 - 1].replace("1,440.00", "1,450.00")
    source.write_text("\n".join(lines), "utf-8")
    broken = broken_pdf(tmp_path)
    out = tmp_path / "html"
    assert audit_command([source, broken], "html", out, None, False) == EXIT_INPUT
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == ["001-hostile.html", "002-broken.html", "index.html"]
    assert (out / "summary.csv").exists()
    index = (out / "index.html").read_text("utf-8")
    assert "href='001-hostile.html'" in index and "href='002-broken.html'" in index
    html = (out / "001-hostile.html").read_text("utf-8")
    for text in [(out / p).read_text("utf-8") for p in pages]:
        assert not re.search(r"https?:", text)
        assert "<script>alert" not in text and "<link" not in text and " src=" not in text
    assert "党员&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;经费" in html
    # the blank subtotals: one note for the 支出汇总表, beside its row, the blank cell highlighted
    notes = [n.split("<tr class='f'")[0] for n in html.split("data-rule='ARITH-007'")[1:]]
    note = next(n for n in notes if "2021年预算支出汇总表有" in n)
    assert "<td>201</td>" in note
    assert "<td class='num hit'><span class='blank'>（空白）</span></td>" in note
    # a disagreement between tables shows both tables' rows
    xt = html.split("data-rule='XT-011'")[1].split("<tr class='f'")[0]
    assert "2021年一般公共预算支出预算表（单位：万元；第144行）" in xt
    assert "2021年预算支出汇总表（单位：万元；第73行）" in xt
    assert "<td class='num hit'>1,450.00</td>" in xt and "<td class='num hit'>1,440.00</td>" in xt


def test_html_without_a_folder_is_one_page(result: AuditResult) -> None:
    one = render_html([result])
    assert one.startswith("<!doctype html>") and one.count("<html") == 1
    assert "审计 中共临汾市委组织部2021年部门预算" in one
    both = render_html([result, result])
    assert both.count("<section id='d") == 2 and "href='#d2'" in both


# --- export ----------------------------------------------------------------------------------


def wan(text: str | None) -> Decimal:
    return Decimal(text) if text is not None else Decimal(0)


def shown(value: object) -> Decimal:
    """A dataset table's amount in 万元 (exact)."""
    assert value is None or isinstance(value, Decimal)
    return to_unit(value or Decimal(0), MoneyUnit.WAN)


@pytest.fixture(scope="module")
def exported(
    doc: RecognisedDocument, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Table]]:
    folder = tmp_path_factory.mktemp("export") / "linfen"
    export_dataset(doc, folder)
    dataset = load_dataset(folder)  # it loads: every cross-check of a dataset holds
    return folder, {t.id: t for t in build_tables(dataset)}


def by_code(table: Table) -> dict[str, dict[str, Decimal]]:
    return {
        row.code: {k: shown(v) for k, v in row.values.items() if not isinstance(v, str)}
        for row in table.rows
    }


GOLD_KEYS = {"合计": "total", "基本支出": "basic", "项目支出": "project", "本年收入合计": "total"}
GOLD_KEYS |= {
    "一般公共预算": "general",
    "政府性基金": "fund",
    "财政专户管理资金": "special_account",
}
GOLD_KEYS |= {"国有资本经营预算资金": "state_capital", "单位资金": "unit_funds"}


@pytest.mark.parametrize(
    ("name", "table_id"),
    [
        ("INCOME_TABLE", "income"),
        ("EXPENDITURE_TABLE", "expenditure"),
        ("GENERAL_BUDGET_EXPENDITURE", "general-budget"),
        ("FUND_INCOME", "fund-income"),
        ("FUND_EXPENDITURE", "fund-expenditure"),
    ],
)
def test_exported_dataset_reproduces_the_tables_by_function(
    exported: tuple[Path, dict[str, Table]], name: str, table_id: str
) -> None:
    expected = getattr(gold, name)
    ours = by_code(exported[1][table_id])
    keys = [GOLD_KEYS[c] for c in expected["columns"]]
    blanks = {
        (d["row"], GOLD_KEYS[d["field"]]): d["expected"]
        for d in gold.PUBLISHED_DEFECTS
        if d["table"] == name and d["printed"] is None
    }
    assert len(ours) == len(expected["rows"])
    for code, _, amounts in expected["rows"]:
        for key, printed in zip(keys, amounts, strict=True):
            # a subtotal the document left blank is what its 项 add up to
            want = wan(blanks.get((code, key), printed))
            assert ours[code][key] == want, (code, key)


def test_exported_dataset_reproduces_the_summary(
    exported: tuple[Path, dict[str, Table]],
) -> None:
    table = exported[1]["income-expenditure"]
    expected = gold.INCOME_EXPENDITURE_SUMMARY
    *lines, total = table.rows
    for row, (label, (_, amount)) in zip(
        lines, zip(expected["income_printed_labels"], expected["income"], strict=True), strict=False
    ):
        assert row.values["income_item"] == label and shown(row.values["income"]) == wan(amount)
    for row, (spent_name, amount) in zip(lines, expected["expenditure"], strict=True):
        assert row.name == spent_name and shown(row.values["expenditure"]) == wan(amount)
    assert shown(total.values["income"]) == Decimal(expected["income_total"])
    assert shown(total.values["expenditure"]) == Decimal(expected["expenditure_total"])


def test_exported_dataset_reproduces_the_other_tables(
    exported: tuple[Path, dict[str, Table]],
) -> None:
    tables = exported[1]
    economic = by_code(tables["basic-economic"])
    for code, _, amount in gold.BASIC_BY_ECONOMIC["rows"]:
        assert economic[code]["amount"] == Decimal(amount), code
    three = tables["three-public"].rows[0].values
    for label, key in (("合计", "total"), ("公务接待费", "reception"), ("会议费", "meeting")):
        assert shown(three[key]) == wan(gold.THREE_PUBLIC[label]), label
    assert shown(three["training"]) == Decimal("129.12")
    fiscal_total = tables["fiscal"].rows[-1].values
    assert [shown(fiscal_total[k]) for k in ("subtotal", "general", "fund")] == [
        Decimal(a) for a in gold.FISCAL_SUMMARY["expenditure_total"]
    ]


def test_exported_forms_keep_the_published_funds(
    exported: tuple[Path, dict[str, Table]],
) -> None:
    forms = {f.project.name: f for f in forms_of(load_dataset(exported[0]))}
    assert len(forms) == len(FORMS) == 24
    keys = {"total": "total", "central": "central", "provincial": "provincial"}
    keys |= {"city": "city", "county": "county", "self": "self_raised"}
    for expected in FORMS:
        project = forms[expected["name"]].project
        for half, funds in (
            ("period_funds", project.period_funds),
            ("year_funds", project.year_funds),
        ):
            for key, attr in keys.items():
                assert shown(getattr(funds, attr)) == Decimal(expected[half][key]), (
                    expected["name"],
                    half,
                    key,
                )
        assert len(forms[expected["name"]].year_indicators) == len(expected["year_indicators"])


def test_exported_lines_say_what_was_chosen(
    doc: RecognisedDocument, exported: tuple[Path, dict[str, Table]]
) -> None:
    folder = exported[0]
    dataset = load_dataset(folder)
    assert dataset.manifest.department.name == "中共临汾市委组织部"
    assert [u.code for u in dataset.manifest.units] == ["104001", "1040010"]
    basic = [x for x in dataset.lines if x.kind is ExpenseKind.BASIC]
    assert all("选定" in x.note for x in basic)  # function × economic was chosen
    pension = [x for x in basic if x.function_code == "2080505"]
    assert [(x.economic_code, x.amount) for x in pension] == [("30108", Decimal("835000.00"))]
    assert {x.category for x in basic if x.economic_code.startswith("302")} == {
        BasicCategory.OPERATING
    }
    # 人才专项资金 is the only project of 1,440.00 万元, as is 2013102
    talent = [x for x in dataset.lines if x.project == "人才专项资金"]
    assert {x.function_code for x in talent} == {"2013102"}
    assert (folder / "EXPORT.md").read_text("utf-8").count("选定") >= 3
    differences = compare_tables(doc, dataset)
    for table_id in ("income-expenditure", "income", "expenditure", "general-budget"):
        assert [d for d in differences[table_id] if d.kind != "blank"] == [], table_id
    blanks = {(d.row.split(" ")[0], d.column) for d in differences["expenditure"]}
    keys = {"基本支出": "basic", "项目支出": "project"}
    assert blanks == {(code, keys[column]) for code, column in BLANK_SUBTOTALS}


def test_export_from_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "dataset"
    assert audit_command([SEED], "text", None, target, False) == EXIT_FINDINGS
    assert "已导出数据集" in capsys.readouterr().err
    assert (target / "yusuan.toml").exists() and (target / "budget_lines.csv").exists()
    assert load_dataset(target).year == 2021


def test_the_report_object_of_an_unreadable_file_has_every_key(tmp_path: Path) -> None:
    data = audit_object([audit_file(broken_pdf(tmp_path))])
    (document,) = data["documents"]
    assert set(document) == DOCUMENT_KEYS
    assert document["tables"] == [] and document["check"] is None
    assert document["problems"][0]["origin"] == "audit"


def test_the_seed_reader_is_used_for_text(doc: RecognisedDocument) -> None:
    direct = read_seed_text(SEED)
    assert list(direct.tables) == list(doc.tables) and len(direct.forms) == len(doc.forms)


def test_a_changed_figure_is_a_new_finding_in_the_report(
    result: AuditResult, tmp_path: Path
) -> None:
    lines = SEED.read_text("utf-8").split("\n")
    assert "700.08" in lines[52 - 1]  # 2013201 行政运行 of the 收入总表
    lines[52 - 1] = lines[52 - 1].replace("700.08", "700.18", 1)
    copy = tmp_path / "changed.txt"
    copy.write_text("\n".join(lines), "utf-8")

    def table_findings(found: AuditResult) -> set[tuple[str, str, str, str, int]]:
        document = audit_object([found])["documents"][0]
        return {
            (
                f["rule"],
                f["location"]["table"],
                f["location"]["row"],
                f["location"]["column"],
                f["location"]["page"],
            )
            for top in document["findings"]
            for f in [top, *top["consequences"]]  # a comparison of the same cell follows
            if "table" in f["location"]
        }

    new = table_findings(audit_file(copy)) - table_findings(result)
    assert {table for _, table, _, _, _ in new} == {"2021年预算收入总表"}
    assert ("ARITH-002", "2021年预算收入总表", "2013201 行政运行", "本年收入合计", 41) in new
    assert ("XT-004", "2021年预算收入总表", "2013201 行政运行", "本年收入合计", 41) in new


def test_unreadable_pages_reach_the_summary(doc: RecognisedDocument) -> None:
    from dataclasses import replace

    from yusuan.audit.document import ReadProblem
    from yusuan.audit.report import summary_rows

    scanned = ReadProblem(
        0,
        "第7页没有文字层（扫描或图片），未读取",
        "page 7 has no text layer (a scan or an image); not read",
        page=7,
    )
    with_scan = replace(doc, problems=(*doc.problems, scanned))
    row = summary_rows([AuditResult(SEED, with_scan, None)])[0]
    assert row[10] == "7"
    assert audit_object([AuditResult(SEED, with_scan, None)])["documents"][0][
        "unreadable_pages"
    ] == [7]


# --- export of any budget's tables -----------------------------------------------------------

REPRODUCIBLE = (
    "income-expenditure",
    "income",
    "expenditure",
    "fiscal",
    "general-budget",
    "basic-economic",
    "fund-income",
    "fund-expenditure",
    "procurement",
    "three-public",
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(max_lines=25))
def test_the_tables_of_any_budget_export_back_to_the_same_tables(dataset: Dataset) -> None:
    """A document holding the tables yusuan computes from a dataset exports to a dataset whose
    tables are the same, figure for figure (the lines themselves may be split differently)."""
    tables = {t.id: t for t in build_tables(dataset)}
    document = RecognisedDocument(
        "generated", dataset.year, "测试部门", tables, forms=tuple(forms_of(dataset))
    )
    exported = dataset_of(document)
    for table_id in REPRODUCIBLE:
        assert exported.differences[table_id] == (), table_id
    assert sum((x.amount for x in exported.dataset.lines), Decimal(0)) == sum(
        (x.amount for x in dataset.lines), Decimal(0)
    )
    funds = {p.name: p.year_funds.total for p in dataset.projects}
    on_lines: dict[str, Decimal] = {}
    for line in exported.dataset.lines:
        if line.project:
            on_lines[line.project] = on_lines.get(line.project, Decimal(0)) + line.amount
    assert {name: total for name, total in on_lines.items() if name in funds} == {
        name: total for name, total in funds.items() if total
    }


def test_procurement_never_moves_project_money_into_a_code_the_three_public_table_states() -> None:
    """Found by the property above: a project's procurement item filed under 31013 公务用车购置
    (while its budget line is 30101) made the export put the project's money on 31013, so the
    exported 三公 table showed 0.02 where the printed one shows 0.01 元 (出国 only)."""
    from yusuan.model.records import (
        BasicCategory,
        BudgetLine,
        Department,
        ExpenseKind,
        Funds,
        Manifest,
        ProcurementItem,
        Project,
        Unit,
        UnitKind,
    )
    from yusuan.money import MoneyUnit

    cent = Decimal("0.01")

    def line(economic: str, project: str = "") -> BudgetLine:
        kind = ExpenseKind.PROJECT if project else ExpenseKind.BASIC
        category = None if project else BasicCategory.PERSONNEL
        return BudgetLine(
            "100001", "2010101", economic, "一般公共预算", kind, cent, category, project
        )

    funds = Funds(total=cent, city=cent)
    dataset = Dataset(
        Manifest(
            Department("100", "测试部门"),
            2021,
            (Unit("100001", "测试单位", UnitKind.ADMINISTRATIVE),),
            display_unit=MoneyUnit.WAN,
        ),
        (line("30101"), line("30212"), line("30101", "项目0")),
        (Project("项目0", "测试部门", "100", "测试单位", "新增项目", "1年", funds, funds),),
        (),
        (
            ProcurementItem(
                "100001", ExpenseKind.PROJECT, "项目0", "31013", "", "A0602", "", None, "辆",
                "一般公共预算", cent,
            ),
        ),
    )  # fmt: skip
    tables = {t.id: t for t in build_tables(dataset)}
    document = RecognisedDocument(
        "generated", 2021, "测试部门", tables, forms=tuple(forms_of(dataset))
    )  # the forms name the project, so the procurement item can be matched to its lines
    exported = dataset_of(document)
    assert exported.differences["three-public"] == ()
    assert sorted((x.economic_code, x.amount) for x in exported.dataset.lines) == [
        ("30101", cent),
        ("30212", cent),
        ("30299", cent),  # the project's economic class is not published
    ]
