"""Prior year from the previous year's dataset (tables/prior_figures.py, dataset/prior.py), the change
sentences of the written explanation, ``yusuan synthetic next-year``, and the done-when of issue
#11: examples/linfen-2021 and its generated 2022, built and audited, agree."""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from paths import EXAMPLE
from yusuan.cli import app
from yusuan.dataset import load_dataset, read_dataset_noticed, save_dataset
from yusuan.dataset.explanation import change_reasons
from yusuan.dataset.prior import with_prior
from yusuan.dataset.schema import PRIOR_YEAR
from yusuan.model.records import Dataset, Origin, PriorYearFigure
from yusuan.publish.narrative import build_narrative, parse_texts
from yusuan.synthetic_city import next_year_dataset
from yusuan.tables.prior_figures import DERIVED_CATEGORIES, prior_figures

runner = CliRunner()


def yuan(text: str) -> Decimal:
    return Decimal(text)


def test_prior_figures_are_the_cells_of_last_years_tables() -> None:
    figures = {(f.category, f.key): f.amount for f in prior_figures(load_dataset(EXAMPLE), "x")}
    # figures of the seed's tables (万元 as published, here in 元)
    assert figures[("合计", "本年收入合计")] == yuan("123478300.00")
    assert figures[("合计", "基本支出")] == yuan("9922700.00")
    assert figures[("合计", "项目支出")] == yuan("113555600.00")
    assert figures[("收入来源", "一般公共预算")] == yuan("64238300.00")
    assert figures[("收入来源", "政府性基金")] == yuan("59240000.00")
    assert figures[("功能分类", "201")] == yuan("39183000.00")
    assert figures[("功能分类", "2013201")] == yuan("7000800.00")
    assert figures[("项目支出功能分类", "2013202")] == yuan("16920000.00")
    assert figures[("项目支出功能分类", "2013201")] == 0
    assert figures[("一般公共预算功能分类", "201")] == yuan("39183000.00")
    assert ("一般公共预算功能分类", "212") not in figures  # 政府性基金 only
    assert figures[("经济分类", "301")] == yuan("8269400.00")
    assert figures[("三公经费", "公务接待费")] == yuan("220500.00")
    assert figures[("机关运行经费", "合计")] == yuan("1362900.00")
    assert figures[("机关运行经费", "1040010")] == yuan("1100100.00")


def test_every_derived_category_is_one_prior_year_csv_accepts() -> None:
    column = next(c for c in PRIOR_YEAR.columns if c.attr == "category")
    assert set(DERIVED_CATEGORIES) <= set(column.choices)


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("years")
    last = base / "linfen-2021"
    shutil.copytree(EXAMPLE, last)
    following = next_year_dataset(load_dataset(last), 3, "../linfen-2021")
    save_dataset(following, base / "linfen-2022")
    return last, base / "linfen-2022"


def _loaded(path: Path, prior: Path | None = None):  # type: ignore[no-untyped-def]
    return with_prior(read_dataset_noticed(path), path, prior)


def test_the_manifest_names_last_years_dataset(two_years: tuple[Path, Path]) -> None:
    _, this = two_years
    assert 'prior_dataset = "../linfen-2021"' in (this / "yusuan.toml").read_text("utf-8")
    loaded = _loaded(this)
    assert loaded.problems == [] and loaded.dataset is not None
    prior = {(p.category, p.key): p for p in loaded.dataset.prior_year}
    assert prior[("合计", "本年收入合计")].amount == yuan("123478300.00")
    assert "linfen-2021" in prior[("合计", "本年收入合计")].origin.file


def _edited(two_years: tuple[Path, Path], tmp_path: Path, old: str, new: str) -> Path:
    last, this = two_years
    shutil.copytree(last, tmp_path / "linfen-2021")
    shutil.copytree(this, tmp_path / "linfen-2022")
    manifest = tmp_path / "linfen-2022" / "yusuan.toml"
    manifest.write_text(manifest.read_text("utf-8").replace(old, new, 1), "utf-8")
    return tmp_path / "linfen-2022"


def test_a_prior_dataset_of_the_wrong_year_is_a_located_error(
    two_years: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = _edited(two_years, tmp_path, "year = 2022", "year = 2023")
    loaded = _loaded(folder)
    assert loaded.dataset is None
    [problem] = loaded.problems
    line = (folder / "yusuan.toml").read_text("utf-8").splitlines().index(
        'prior_dataset = "../linfen-2021"'
    ) + 1
    assert (problem.code, problem.file, problem.row) == ("prior-dataset-year", "yusuan.toml", line)
    assert "应为2022年" in problem.message_zh


def test_a_prior_dataset_of_another_department_is_a_located_error(
    two_years: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = _edited(two_years, tmp_path, 'code = "104"', 'code = "105"')
    [problem] = _loaded(folder).problems
    assert problem.code == "prior-dataset-department" and "105" in problem.message_zh


def test_a_missing_prior_dataset_is_reported_with_its_problems(
    two_years: tuple[Path, Path], tmp_path: Path
) -> None:
    folder = _edited(two_years, tmp_path, "../linfen-2021", "../nowhere")
    loaded = _loaded(folder)
    assert loaded.dataset is None
    assert loaded.problems[0].code == "prior-dataset" and "../nowhere" in str(loaded.problems[0])


def test_a_typed_figure_that_disagrees_is_a_notice_and_the_dataset_wins(
    two_years: tuple[Path, Path],
) -> None:
    _, this = two_years
    loaded = read_dataset_noticed(this)
    assert loaded.dataset is not None
    typed = (
        PriorYearFigure("合计", "本年收入合计", yuan("1.00"), origin=Origin("prior_year.csv", 2)),
        PriorYearFigure(
            "三公经费", "公务接待费", yuan("220500.00"), origin=Origin("prior_year.csv", 3)
        ),
        PriorYearFigure("功能分类", "2999999", yuan("5.00"), origin=Origin("prior_year.csv", 4)),
    )
    loaded = dataclasses.replace(
        loaded, dataset=dataclasses.replace(loaded.dataset, prior_year=typed)
    )
    result = with_prior(loaded, this)
    assert result.dataset is not None
    [notice] = result.notices
    assert (notice.file, notice.row) == ("prior_year.csv", 2)
    assert "采用上年数据集的数" in notice.message_zh
    prior = {(p.category, p.key): p.amount for p in result.dataset.prior_year}
    assert prior[("合计", "本年收入合计")] == yuan("123478300.00")
    assert prior[("功能分类", "2999999")] == yuan("5.00")  # a key the dataset does not give


def test_the_prior_option_wins_and_is_checked(two_years: tuple[Path, Path]) -> None:
    last, this = two_years
    wrong = runner.invoke(app, ["tables", str(this), "-t", "1", "--prior", str(this)])
    assert wrong.exit_code == 2
    assert "--prior" in wrong.output and "应为2021年" in wrong.output
    right = runner.invoke(app, ["tables", str(this), "-t", "1", "--prior", str(last)])
    assert right.exit_code == 0, right.output


# --- the change sentences, by hand ------------------------------------------------------------


def _example_with(*figures: tuple[str, str, str]) -> Dataset:
    records = tuple(PriorYearFigure(c, k, Decimal(a)) for c, k, a in figures)
    return dataclasses.replace(load_dataset(EXAMPLE), prior_year=records)


def test_each_change_is_stated_with_amount_rate_and_reason() -> None:
    dataset = _example_with(
        ("合计", "本年收入合计", "100000000.00"),
        ("收入来源", "一般公共预算", "0"),
        ("收入来源", "政府性基金", "59240000.00"),
        ("项目支出功能分类", "2013202", "15000000.00"),
        ("项目支出功能分类", "2010302", "500000.00"),
        ("功能分类", "201", "40000000.00"),
    )
    texts = {"变动原因": "- 本年收入合计：人员增加\n- 201：压减一般性支出"}
    narrative = build_narrative(dataset, texts=texts)
    text = "\n".join(p for s in narrative.sections for p in s.paragraphs)
    # 12,347.83 - 10,000.00 = 2,347.83; 2,347.83 / 10,000.00 = 23.48%
    assert (
        "本年收入合计12,347.83万元，与上年相比增加2,347.83万元，增长23.48%。主要原因是：人员增加。"
    ) in text
    # a zero base: 新增, never a rate (standards N-2)
    assert "一般公共预算6,423.83万元，上年无此项预算，与上年相比新增6,423.83万元。" in text
    assert "政府性基金5,924.00万元，与上年预算持平。" in text
    # 3,918.30 - 4,000.00 = -81.70; 81.70 / 4,000.00 = 2.04% (2.0425)
    assert (
        "一般公共服务支出3,918.30万元，与上年相比减少81.70万元，下降2.04%。主要原因是：压减一般性支出。"
    ) in text
    # Shanghai form for each 项 of 项目支出: 1,692.00 - 1,500.00 = 192.00, 12.80%
    assert (
        "2013202 组织事务（款）一般行政管理事务（项）项目支出1,692.00万元。2020年预算数为1,500.00万元，"
        "2021年预算安排1,692.00万元，比2020年预算数增加192.00万元，增长12.80%。"
    ) in text
    assert "2020年安排的2010302" in text and "项目支出50.00万元，2021年不再安排。" in text
    changes = {c.label: c for c in narrative.changes}
    assert changes["本年收入合计"].reason == "人员增加"
    assert changes["一般公共预算"].rate is None
    assert changes["2013202 组织事务（款）一般行政管理事务（项）项目支出"].reason is None


def test_the_reasons_section_is_checked_line_by_line() -> None:
    text = "# 说明\n\n## 变动原因\n\n- 201：原因\n不是条目\n- 201：再写一次\n- 项目支出：\n"
    entries, problems = change_reasons(text)
    assert [(e.key, e.line) for e in entries] == [("201", 5)]
    assert [p.row for p in problems] == [6, 7, 8]
    _, found = parse_texts(text)
    assert [p.row for p in found] == [6, 7, 8]


# --- done when: linfen-2021, its generated 2022, built and audited -----------------------------


def test_next_year_demo_built_and_audited(tmp_path: Path) -> None:
    from yusuan.audit.narrative import narrative_lines, stated_figures
    from yusuan.audit.run import audit_file
    from yusuan.publish.narrative import change_threshold, needs_reason
    from yusuan.rules import check_dataset
    from yusuan.tables import build_tables

    shutil.copytree(EXAMPLE, tmp_path / "linfen-2021")
    made = runner.invoke(
        app,
        [
            "synthetic",
            "next-year",
            str(tmp_path / "linfen-2021"),
            "-o",
            str(tmp_path / "linfen-2022"),
            "--seed",
            "7",
        ],
    )
    assert made.exit_code == 0, made.output
    this = tmp_path / "linfen-2022"
    built = runner.invoke(app, ["build", str(this), "-o", str(tmp_path / "out"), "--only", "pdf"])
    assert built.exit_code == 0, built.output
    loaded = _loaded(this)
    assert loaded.dataset is not None
    dataset = loaded.dataset
    texts, _ = parse_texts(dataset.explanation)
    narrative = build_narrative(dataset, texts=texts)
    stated = {c.label for c in narrative.changes}
    # every 类 and every 项 of 项目支出 in either year, and the totals and sources
    last = {(p.category, p.key): p.amount for p in dataset.prior_year}
    spending = {r.code: r for t in build_tables(dataset, ["expenditure"]) for r in t.rows}
    classes = {k for (c, k), a in last.items() if c == "功能分类" and len(k) == 3 and a}
    classes |= {code for code, r in spending.items() if len(code) == 3 and r.values.get("total")}
    items = {k for (c, k), a in last.items() if c == "项目支出功能分类" and len(k) == 7 and a}
    items |= {code for code, r in spending.items() if len(code) == 7 and r.values.get("project")}
    keyed = {k for c in narrative.changes for k in c.keys}
    assert classes <= keyed and items <= keyed
    assert {"本年收入合计", "本年支出合计", "基本支出", "项目支出"} <= stated
    # a reason, or the finding for a missing one
    report = check_dataset(dataset, only=["EXP-003"])
    missing = {f.location.field for f in report.findings}
    threshold = change_threshold(dataset.manifest)
    for change in narrative.changes:
        if change.reason is None and needs_reason(change, threshold):
            assert change.label in missing
    assert any(c.reason for c in narrative.changes)
    # the audit of the built PDF finds no contradiction between the sentences and the tables
    pdf = next((tmp_path / "out").glob("*.pdf"))
    figures = stated_figures(narrative_lines(pdf))
    assert sum(1 for f in figures if f.change is not None) >= len(narrative.changes)
    result = audit_file(pdf)
    assert result.report is not None
    contradictions = [f for f in result.report.findings if f.rule.startswith(("TT-", "NR-"))]
    assert contradictions == [], [f.message_zh for f in contradictions]


# --- the audit reads change sentences and checks their own arithmetic ---------------------------


def _problems(sentence: str) -> list[str]:
    from yusuan.audit.narrative import stated_figures, text_lines
    from yusuan.rules.checks.narrative import rate_problems

    figures = stated_figures(text_lines("四、支出预算情况\n　　" + sentence + "\n"), 2022)
    changed = [f for f in figures if f.change is not None]
    assert changed, sentence
    return [zh for f in changed for zh, _ in rate_problems(f)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # consistent (hand-checked): 1,035.07 / 6,423.83 = 16.113%
        ("一般公共预算7,458.90万元，与上年相比增加1,035.07万元，增长16.11%。", ""),
        ("一般公共预算7,458.90万元，与上年相比增加1,035.07万元，增长18.11%。", "重算应为16.11%"),
        (
            "1．2013202 组织事务（款）一般行政管理事务（项）项目支出1,749.73万元。2021年预算数为"
            "1,692.00万元，2022年预算安排1,749.73万元，比2021年预算数减少57.73万元，下降3.41%。",
            "称减少",
        ),
        (
            "1．2013202 组织事务（款）一般行政管理事务（项）项目支出1,749.73万元。2021年预算数为"
            "1,692.00万元，2022年预算安排1,749.73万元，比2021年预算数增加67.73万元，增长3.41%。",
            "两年数之差为57.73万元",
        ),
        (
            "2．2040801 强制隔离戒毒（款）行政运行（项）项目支出25.00万元。2021年预算执行数为0.00万元，"
            "2022年预算安排25.00万元，比2021年预算执行数增加100.00%。",
            "上年数为0",
        ),
        ("机关运行经费144.91万元，上年无此项预算，与上年相比新增144.91万元。", ""),
    ],
)
def test_change_sentences_are_checked(sentence: str, expected: str) -> None:
    found = _problems(sentence)
    if expected:
        assert any(expected in text for text in found), found
    else:
        assert found == []


def test_a_project_item_is_compared_with_its_project_column() -> None:
    from yusuan.audit.narrative import PROJECT, stated_figures, text_lines

    text = "四、支出预算情况\n　　1．2013202 组织事务（款）一般行政管理事务（项）项目支出1,749.73万元。\n"
    [figure] = stated_figures(text_lines(text), 2022)
    assert figure.subjects == ("功能科目", PROJECT)
    assert figure.function is not None and figure.function.code == "2013202"


def test_a_workbook_names_last_year_relative_to_its_folder(
    two_years: tuple[Path, Path], tmp_path: Path
) -> None:
    last, this = two_years
    shutil.copytree(last, tmp_path / "linfen-2021")
    dataset = load_dataset(this)
    book = tmp_path / "linfen-2022.xlsx"
    save_dataset(
        dataclasses.replace(
            dataset, manifest=dataclasses.replace(dataset.manifest, prior_dataset="linfen-2021")
        ),
        book,
    )
    assert load_dataset(book).manifest.prior_dataset == "linfen-2021"
    loaded = _loaded(book)
    assert loaded.problems == [] and loaded.dataset is not None
    assert any(p.category == "项目支出功能分类" for p in loaded.dataset.prior_year)


def test_a_wrong_figure_in_a_change_sentence_is_found_against_the_table(
    two_years: tuple[Path, Path],
) -> None:
    from yusuan.audit.narrative import generated_lines, stated_figures
    from yusuan.rules import subject_of_dataset
    from yusuan.rules.checks.narrative import with_narrative
    from yusuan.rules.engine import load_rules, run_rule

    _, this = two_years
    dataset = _loaded(this).dataset
    assert dataset is not None
    texts, _ = parse_texts(dataset.explanation)
    narrative = build_narrative(dataset, texts=texts)
    item = next(c for c in narrative.changes if "（项）" in c.label and c.current)
    code = item.label.split()[0]
    lines = generated_lines(narrative)
    rules = load_rules()

    def findings(old: str, new: str) -> list[str]:
        spoiled = [(p, n, t.replace(old, new, 1) if code in t else t) for p, n, t in lines]
        subject = with_narrative(subject_of_dataset(dataset), stated_figures(spoiled, dataset.year))
        return [
            f"{rule_id} {f.message_zh}"
            for rule_id in sorted(r for r in rules if r.startswith(("TT-", "NR-")))
            for f in run_rule(rules[rule_id], subject).findings
        ]

    assert findings("", "") == []
    shown = f"{item.current / 10000:,.2f}万元"  # exact: a whole number of 分 over 10000
    wrong = f"{(item.current + 100000) / 10000:,.2f}万元"  # 10万元 more
    found = findings(f"项目支出{shown}。", f"项目支出{wrong}。")
    assert any(code in text and "相差10.00万元" in text for text in found), found


def test_a_code_last_years_dataset_did_not_have_was_0_in_the_comparison_columns() -> None:
    """Figures read off last year's tables are complete: a 项 absent last year is 上年 0 (增减额 =
    this year's amount, no 增减%), not a row without a prior figure."""
    from yusuan.tables import build_tables

    this = load_dataset(EXAMPLE)
    last = dataclasses.replace(
        this, lines=tuple(x for x in this.lines if x.function_code != "2013250")
    )
    dataset = dataclasses.replace(
        this,
        manifest=dataclasses.replace(
            this.manifest, prior_columns=("prior", "change", "change_pct")
        ),
        prior_year=tuple(prior_figures(last, "上年")),
    )
    table = next(t for t in build_tables(dataset) if t.id == "general-budget")
    rows = {r.code: r.values for r in table.rows if r.code}
    new = rows["2013250"]
    assert new["total"] > 0
    assert new["prior_total"] == 0
    assert new["change_total"] == new["total"]
    assert new.get("change_pct_total") is None
    kept = rows["2013201"]  # unchanged: the same amount last year
    assert kept["prior_total"] == kept["total"] and kept["change_total"] == 0
    assert any("2013250" in note and "不计算增减%" in note for note in table.notes)
