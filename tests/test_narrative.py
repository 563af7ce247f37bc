"""The written explanation (部门预算情况说明): its figures agree with the seed and with the tables."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from paths import EXAMPLE, ROOT
from strategies import datasets
from yusuan.model.records import (
    BasicCategory,
    BudgetLine,
    Dataset,
    Department,
    ExpenseKind,
    Manifest,
    PriorYearFigure,
    Unit,
    UnitKind,
)
from yusuan.money import round_display
from yusuan.publish.narrative import (
    FORMS_SOURCE,
    KIND_AMOUNT,
    KIND_CHANGE,
    KIND_COUNT,
    KIND_PRIOR,
    NO_ASSETS,
    NO_DUTIES,
    NO_REASON,
    PRIOR_SOURCE,
    TEXT_FILE,
    Figure,
    Narrative,
    Section,
    build_narrative,
    chinese_number,
    figure_source_value,
    parse_texts,
    read_texts,
    render_text,
)
from yusuan.tables import build_tables
from yusuan.tables.base import DETAIL, Table

ZERO = Decimal(0)
WAN = Decimal(10_000)


def wan(text: str) -> Decimal:
    """An amount typed in 万元 (as the seed prints it), in 元."""
    return Decimal(text) * WAN


def section(narrative: Narrative, key: str) -> Section:
    found = narrative.section(key)
    assert found is not None, key
    return found


def figure(sec: Section, label: str, kind: str = KIND_AMOUNT) -> Figure:
    matches = [f for f in sec.figures if f.label == label and f.kind == kind]
    assert len(matches) == 1, (sec.key, label, kind, [f.label for f in sec.figures])
    return matches[0]


def text_of(sec: Section) -> str:
    return "".join(sec.paragraphs)


def shown(share: Decimal | None) -> str:
    assert share is not None
    return f"{round_display(share * 100)}%"


@pytest.fixture(scope="module")
def narrative(example: Dataset) -> Narrative:
    return build_narrative(example)


# --- the seed's published figures, typed by hand ---------------------------------------------


def test_totals_and_income_shares_equal_the_seed(narrative: Narrative) -> None:
    overview = section(narrative, "overview")
    assert figure(overview, "本年收入合计").amount == wan("12347.83")
    assert figure(overview, "本年支出合计").amount == wan("12347.83")
    assert "收入预算合计12,347.83万元" in text_of(overview)
    income = section(narrative, "income")
    general = figure(income, "一般公共预算")
    fund = figure(income, "政府性基金")
    assert figure(income, "本年收入合计").amount == wan("12347.83")
    assert general.amount == wan("6423.83")
    assert fund.amount == wan("5924.00")
    # 6,423.83 / 12,347.83 = 0.520239… -> 52.02%; 5,924.00 / 12,347.83 = 0.479761… -> 47.98%;
    # 52.02 + 47.98 = 100.00, so no rounding remark.
    assert shown(general.share) == "52.02%"
    assert shown(fund.share) == "47.98%"
    assert general.share is not None and fund.share is not None
    assert general.share + fund.share == 1
    text = text_of(income)
    assert "一般公共预算6,423.83万元，占52.02%" in text
    assert "政府性基金5,924.00万元，占47.98%" in text
    assert "四舍五入" not in text


def test_basic_and_project_shares_equal_the_seed(narrative: Narrative) -> None:
    spending = section(narrative, "expenditure")
    basic = figure(spending, "基本支出")
    project = figure(spending, "项目支出")
    assert figure(spending, "本年支出合计").amount == wan("12347.83")
    assert basic.amount == wan("992.27")
    assert project.amount == wan("11355.56")
    # 992.27 / 12,347.83 = 0.080360… -> 8.04%; 11,355.56 / 12,347.83 = 0.919640… -> 91.96%
    assert shown(basic.share) == "8.04%"
    assert shown(project.share) == "91.96%"
    text = text_of(spending)
    assert "基本支出992.27万元，占8.04%" in text
    assert "项目支出11,355.56万元，占91.96%" in text


def test_general_budget_classes_and_items_equal_the_seed(narrative: Narrative) -> None:
    general = section(narrative, "general_budget")
    total = figure(general, "一般公共预算支出合计")
    assert total.amount == wan("6423.83")
    assert shown(total.share) == "52.02%"  # of 本年支出合计 12,347.83
    # by 类, of 6,423.83: 3,918.30 -> 61.00%, 143.35 -> 2.23%, 1,200.00 -> 18.68%,
    # 62.62 -> 0.97%, 1,099.56 -> 17.12%; together 100.00%
    expected = {
        "一般公共服务支出": ("3918.30", "61.00%"),
        "社会保障和就业支出": ("143.35", "2.23%"),
        "农林水支出": ("1200.00", "18.68%"),
        "住房保障支出": ("62.62", "0.97%"),
        "转移性支出": ("1099.56", "17.12%"),
    }
    for label, (amount, share) in expected.items():
        found = figure(general, label)
        assert (found.amount, shown(found.share)) == (wan(amount), share), label
    assert figure(general, "2013201 行政运行").amount == wan("700.08")
    assert figure(general, "2210201 住房公积金").amount == wan("62.62")
    assert "2．2013201 组织事务（款）行政运行（项）：700.08万元。" in general.paragraphs


def test_basic_expenditure_by_economic_class_equals_the_seed(narrative: Narrative) -> None:
    basic = section(narrative, "basic")
    assert figure(basic, "一般公共预算基本支出合计").amount == wan("992.27")
    # 人员经费 = 301 工资福利支出 826.94 + 303 对个人和家庭的补助 18.41 = 845.35
    assert figure(basic, "人员经费").amount == wan("845.35")
    assert figure(basic, "公用经费").amount == wan("146.92")  # 302 商品和服务支出
    text = text_of(basic)
    assert "人员经费845.35万元，主要包括：基本工资、津贴补贴" in text
    assert "公用经费146.92万元，主要包括：办公费、印刷费" in text


def test_three_public_operating_costs_and_procurement_equal_the_seed(
    narrative: Narrative,
) -> None:
    three = section(narrative, "three_public")
    assert figure(three, "“三公”经费").amount == wan("31.06")
    assert figure(three, "公务接待费").amount == wan("22.05")
    assert figure(three, "公务用车运行维护费").amount == wan("9.01")
    assert figure(three, "公务用车购置及运行费").amount == wan("9.01")
    assert figure(three, "因公出国（境）费").amount == ZERO
    assert figure(three, "会议费").amount == wan("31.32")
    assert figure(three, "培训费").amount == wan("129.12")
    # 22.05 + 9.01 = 31.06; 22.05 / 31.06 = 0.709916… -> 70.99%; 9.01 / 31.06 = 0.290083… -> 29.01%
    assert shown(figure(three, "公务接待费").share) == "70.99%"
    assert shown(figure(three, "公务用车购置及运行费").share) == "29.01%"
    assert "本部门未提供上年“三公”经费预算数，无法与上年比较。" in three.paragraphs

    operating = section(narrative, "operating_costs")
    assert figure(operating, "机关运行经费合计").amount == wan("136.29")
    assert "机关运行经费预算136.29万元" in text_of(operating)
    assert "中共临汾市委组织部举报中心5.14万元" in text_of(operating)

    buying = section(narrative, "procurement")
    assert figure(buying, "政府采购预算总额").amount == wan("43.00")
    # 货物 = A0602 0.60 + A0605 9.40 + A09 6.50 = 16.50;
    # 服务 = C0956301 3.20 + C0956302 5.00 + C081401 (8.00 + 7.30 + 3.00) = 26.50; 工程 none
    assert figure(buying, "货物").amount == wan("16.50")
    assert figure(buying, "工程").amount == ZERO
    assert figure(buying, "服务").amount == wan("26.50")
    assert "政府采购预算总额43.00万元，其中：货物16.50万元，工程0.00万元，服务26.50万元。" in (
        text_of(buying)
    )


def test_performance_targets_cover_every_project(narrative: Narrative) -> None:
    targets = section(narrative, "performance")
    assert figure(targets, "编报绩效目标的项目个数", KIND_COUNT).amount == 24
    money = figure(targets, "编报绩效目标的项目资金")
    assert money.amount == wan("11355.56")
    assert shown(money.share) == "100.00%"


def test_sections_follow_the_customary_order(narrative: Narrative) -> None:
    assert narrative.title == "中共临汾市委组织部2021年部门预算情况说明"
    assert [s.heading for s in narrative.sections] == [
        "一、部门职责及机构设置",
        "二、收支预算总体情况",
        "三、收入预算情况",
        "四、支出预算情况",
        "五、财政拨款收支预算总体情况",
        "六、一般公共预算支出情况",
        "七、一般公共预算基本支出情况",
        "八、“三公”经费预算情况",
        "九、机关运行经费预算情况",
        "十、政府采购预算情况",
        "十一、国有资产占用情况",
        "十二、项目支出绩效目标情况",
        "十三、名词解释",
    ]
    glossary = text_of(section(narrative, "glossary"))
    for term in ("财政拨款收入", "一般公共预算", "政府性基金", "基本支出", "项目支出"):
        assert f"{term}：" in glossary
    assert "“三公”经费：" in glossary and "机关运行经费：" in glossary
    assert render_text(narrative).startswith(narrative.title)


# --- the text file ---------------------------------------------------------------------------


def test_missing_text_file_gives_plain_notes_and_no_invented_text(
    example: Dataset, narrative: Narrative
) -> None:
    assert read_texts(EXAMPLE) == ({}, [])
    assert read_texts(EXAMPLE / "no-such-folder") == ({}, [])
    assert section(narrative, "duties").paragraphs == (NO_DUTIES,)
    assert section(narrative, "assets").paragraphs == (NO_ASSETS,)
    assert narrative.section("other") is None
    everything = render_text(narrative)
    assert "主要用于" not in everything
    assert "主要原因" not in everything


def _write_texts(folder: Path, content: str) -> tuple[dict[str, str], list[object]]:
    (folder / TEXT_FILE).write_text(content, "utf-8")
    texts, problems = read_texts(folder)
    return texts, list(problems)


def test_text_file_is_used_verbatim(example: Dataset, tmp_path: Path) -> None:
    duties = (
        "中共临汾市委组织部是市委主管组织工作的职能部门。\n主要职责包括：管理干部、指导党的建设。",
        "本部门内设机构10个，下属事业单位3个。",
    )
    content = (
        "# 中共临汾市委组织部 2021 年部门预算说明\n\n"
        f"## 部门职责及机构设置\n\n{duties[0]}\n\n{duties[1]}\n\n"
        "## 一般公共预算支出用途\n\n- 2013201：主要用于机关日常运转\n"
        "- 2210201：主要用于缴纳住房公积金。\n\n"
        "## 国有资产占用情况\n\n截至2020年12月31日，本部门共有车辆2辆。\n\n"
        "## 其他重要事项\n\n无。\n"
    )
    texts, problems = _write_texts(tmp_path, content)
    assert problems == []
    narrative = build_narrative(example, texts=texts)
    assert section(narrative, "duties").paragraphs == duties
    assert section(narrative, "assets").paragraphs == ("截至2020年12月31日，本部门共有车辆2辆。",)
    assert section(narrative, "other").heading == "十三、其他重要事项"
    assert section(narrative, "glossary").heading == "十四、名词解释"
    general = section(narrative, "general_budget").paragraphs
    assert "2．2013201 组织事务（款）行政运行（项）：700.08万元，主要用于机关日常运转。" in general
    assert "1．2210201 住房改革支出（款）住房公积金（项）：62.62万元，主要用于缴纳住房公积金。" in (
        general
    )
    assert sum("主要用于" in p for p in general) == 2


def test_text_file_problems_name_the_line_and_what_was_expected(tmp_path: Path) -> None:
    content = "\n".join(
        [
            "# 标题",  # 1
            "开头的说明",  # 2: text before the first heading
            "## 部门职责",  # 3: unknown heading
            "内容",  # 4
            "## 一般公共预算支出用途",  # 5
            "- 2013201：主要用于机关日常运转",  # 6
            "- 20132：款级编码",  # 7: not a 7-digit code
            "- 2013201：重复",  # 8: repeated code
            "## 三公经费变动原因",  # 9
            "- 公务车辆：车辆减少",  # 10: unknown item
            "## 国有资产占用情况",  # 11: empty (the check's EXP-001 says so, not the file)
            "## 一般公共预算支出用途",  # 12: repeated heading
        ]
    )
    texts, problems = _write_texts(tmp_path, content)
    by_line = {p.row: p for p in problems}  # type: ignore[attr-defined]
    assert sorted(by_line) == [2, 3, 7, 8, 10, 12]
    assert all(p.file == TEXT_FILE for p in by_line.values())
    assert "部门职责及机构设置" in by_line[3].message_zh
    assert "国有资产占用情况" in by_line[3].message_zh
    assert "7位功能分类项级编码" in by_line[7].message_zh
    assert "未知的“三公”经费项目“公务车辆”" in by_line[10].message_zh
    assert "重复" in by_line[12].message_zh
    assert "部门职责" not in texts and "国有资产占用情况" not in texts
    assert texts["一般公共预算支出用途"].startswith("- 2013201")


def test_unreadable_text_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / TEXT_FILE).write_bytes(b"\xff\xfe\x00bad")
    texts, problems = read_texts(tmp_path)
    assert texts == {}
    assert len(problems) == 1 and problems[0].file == TEXT_FILE


def test_parse_texts_accepts_a_bom_free_minimal_file() -> None:
    assert parse_texts("## 国有资产占用情况\n共有车辆2辆。") == (
        {"国有资产占用情况": "共有车辆2辆。"},
        [],
    )


# --- comparisons with the prior year ---------------------------------------------------------


def _with_prior(example: Dataset, *figures: tuple[str, str]) -> Dataset:
    records = tuple(PriorYearFigure("三公经费", key, Decimal(amount)) for key, amount in figures)
    return dataclasses.replace(example, prior_year=records)


def test_prior_year_three_public_gives_increase_and_decrease(example: Dataset) -> None:
    dataset = _with_prior(
        example,
        ("因公出国（境）费", "0.00"),
        ("公务接待费", "200000.00"),
        ("公务用车购置费", "0.00"),
        ("公务用车运行维护费", "100000.00"),
    )
    texts = {"三公经费变动原因": "- 公务接待费：上级检查调研增加"}
    three = section(build_narrative(dataset, texts=texts), "three_public")
    text = text_of(three)
    # 22.05 - 20.00 = 2.05, 2.05 / 20.00 = 10.25%
    assert (
        "公务接待费预算22.05万元，上年预算20.00万元，比上年预算增加2.05万元，增长10.25%，"
        "主要原因是上级检查调研增加。"
    ) in text
    # 9.01 - 10.00 = -0.99, 0.99 / 10.00 = 9.90%; no reason given
    assert (
        "公务用车运行维护费预算9.01万元，上年预算10.00万元，比上年预算减少0.99万元，下降9.90%"
        f"{NO_REASON}。"
    ) in text
    # the total is the sum of the items given: 0 + 20.00 + (0 + 10.00) = 30.00;
    # 31.06 - 30.00 = 1.06, 1.06 / 30.00 = 3.53%
    assert "“三公”经费预算31.06万元，上年预算30.00万元，比上年预算增加1.06万元，增长3.53%" in text
    assert "因公出国（境）费预算0.00万元，上年预算0.00万元，与上年预算持平。" in text
    change = figure(three, "公务接待费", KIND_CHANGE)
    assert change.amount == wan("2.05")
    assert change.share == Decimal("0.1025")
    assert figure(three, "公务接待费", KIND_PRIOR).amount == wan("20.00")
    total_prior = figure(three, "“三公”经费", KIND_PRIOR)
    assert total_prior.row_code == "因公出国（境）费+公务用车购置费+公务用车运行维护费+公务接待费"
    assert figure(three, "公务用车运行维护费", KIND_CHANGE).amount == wan("-0.99")


def test_zero_prior_base_gives_no_growth_rate(example: Dataset) -> None:
    dataset = _with_prior(example, ("公务接待费", "0.00"), ("合计", "0.00"))
    three = section(build_narrative(dataset), "three_public")
    text = text_of(three)
    sentence = next(s for s in text.split("。") if s.startswith("公务接待费预算"))
    assert "增加22.05万元" in sentence
    assert "增长" not in sentence and "%" not in sentence  # standards N-2
    assert figure(three, "公务接待费", KIND_CHANGE).share is None
    assert "因公出国（境）费无上年预算数，不作比较" in text


def test_reason_for_the_total_may_be_free_text(example: Dataset) -> None:
    dataset = _with_prior(example, ("合计", "400000.00"))
    texts = {"三公经费变动原因": "主要原因是厉行节约、压缩公务接待。"}
    text = text_of(section(build_narrative(dataset, texts=texts), "three_public"))
    assert "比上年预算减少8.94万元，下降22.35%，主要原因是厉行节约、压缩公务接待。" in text


# --- every figure agrees with the tables -----------------------------------------------------


def _cell(table: Table, ref: str, column: str) -> Decimal | None:
    """Resolve a figure's row reference independently of the module under test."""

    def value(code: str) -> Decimal | None:
        row = next((r for r in table.rows if r.code == code), None)
        found = row.values.get(column) if row is not None else None
        return found if isinstance(found, Decimal) else None

    if ref.endswith("*"):
        rows = [r for r in table.rows if r.kind == DETAIL and r.code.startswith(ref[:-1])]
        return sum((r.values[column] for r in rows), ZERO)  # type: ignore[misc]
    if "+" in ref:
        return sum((value(code) or ZERO for code in ref.split("+")), ZERO)
    return value(ref)


def _assert_figures_match(dataset: Dataset, narrative: Narrative) -> None:
    tables = {t.id: t for t in build_tables(dataset)}
    with_targets = [
        p for p in dataset.projects if any(i.project == p.name for i in dataset.indicators)
    ]
    for sec in narrative.sections:
        for fig in sec.figures:
            where = (sec.key, fig.label, fig.kind)
            if fig.table_id == FORMS_SOURCE:
                expected = (
                    Decimal(len(with_targets))
                    if fig.kind == KIND_COUNT
                    else sum((p.year_funds.total for p in with_targets), ZERO)
                )
            elif fig.table_id == PRIOR_SOURCE:
                keys = fig.row_code.split("+")
                expected = sum(
                    (p.amount for p in dataset.prior_year if p.key in keys), ZERO
                )  # keys are distinct in these tests
            elif fig.kind == KIND_CHANGE:
                prior = figure(sec, fig.label, KIND_PRIOR).amount
                current = _cell(tables[fig.table_id], fig.row_code, fig.column)
                assert current is not None and prior is not None, where
                expected = current - prior
                if prior:
                    assert fig.share == expected / prior, where
            else:
                cell = _cell(tables[fig.table_id], fig.row_code, fig.column)
                assert cell is not None, where
                expected = cell
            assert fig.amount == expected, where
            if fig.kind != KIND_CHANGE:
                assert figure_source_value(fig, tables, dataset) == fig.amount, where


def test_every_figure_equals_its_table_cell(example: Dataset, narrative: Narrative) -> None:
    _assert_figures_match(example, narrative)
    dataset = _with_prior(example, ("公务接待费", "200000.00"), ("公务用车运行维护费", "0.00"))
    _assert_figures_match(dataset, build_narrative(dataset))


def test_given_tables_are_used(example: Dataset, example_tables: dict[str, Table]) -> None:
    built = build_narrative(example, list(example_tables.values()))
    assert built == build_narrative(example)


# --- properties over other datasets ----------------------------------------------------------


def _synthetic() -> Callable[..., Dataset]:
    bench = str(ROOT / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    from synthetic import synthetic_dataset

    return synthetic_dataset  # type: ignore[no-any-return]


# (section, the figure that is the whole, the note its parts' shares carry)
SHARE_GROUPS = (
    ("income", "本年收入合计", "占本年收入合计"),
    ("expenditure", "本年支出合计", "占本年支出合计"),
    ("general_budget", "一般公共预算支出合计", "占一般公共预算支出合计"),
    ("three_public", "“三公”经费", "占“三公”经费合计"),
)

# (section, figure label, table id, row code, column): totals the text states
TOTALS = (
    ("overview", "本年收入合计", "income-expenditure", "", "income"),
    ("overview", "本年支出合计", "income-expenditure", "", "expenditure"),
    ("income", "本年收入合计", "income", "", "total"),
    ("expenditure", "本年支出合计", "expenditure", "", "total"),
    ("fiscal", "财政拨款收入合计", "fiscal", "", "income"),
    ("general_budget", "一般公共预算支出合计", "general-budget", "", "total"),
    ("basic", "一般公共预算基本支出合计", "basic-economic", "", "amount"),
    ("operating_costs", "机关运行经费合计", "operating-costs", "", "amount"),
    ("procurement", "政府采购预算总额", "procurement", "", "total"),
)


def _assert_shares_and_totals(dataset: Dataset) -> None:
    narrative = build_narrative(dataset)
    tables = {t.id: t for t in build_tables(dataset)}
    for sec in narrative.sections:
        text = text_of(sec)
        for fig in sec.figures:
            if fig.share is None or fig.kind != KIND_AMOUNT:
                continue
            displayed = round_display(fig.share * 100)
            assert abs(displayed - fig.share * 100) <= Decimal("0.01"), (sec.key, fig.label)
            assert f"{displayed:,.2f}%" in text, (sec.key, fig.label)
    for key, label, table_id, row_code, column in TOTALS:
        sec = section(narrative, key)
        if not any(f.label == label for f in sec.figures):
            continue  # a section that says there is nothing states no total but this one
        assert figure(sec, label).amount == tables[table_id].row(row_code).values[column], label  # type: ignore[union-attr]
    three = tables["three-public"]
    total_row = next((r for r in three.rows if r.kind == "total"), three.rows[0])
    assert (
        figure(section(narrative, "three_public"), "“三公”经费").amount
        == (total_row.values["total"])
    )
    for key, _whole, note in SHARE_GROUPS:
        sec = section(narrative, key)
        parts = [f for f in sec.figures if f.share is not None and f.note == note]
        if not parts:
            continue
        # a published explanation never announces that its rounded shares miss 100%
        assert "占比之和" not in text_of(sec), key


@pytest.mark.parametrize(("lines", "projects", "seed"), [(40, 5, 1), (300, 20, 7), (1000, 60, 11)])
def test_synthetic_shares_are_shown_within_a_cent_and_totals_equal_the_tables(
    lines: int, projects: int, seed: int
) -> None:
    dataset = _synthetic()(lines, projects, seed=seed)
    _assert_shares_and_totals(dataset)
    _assert_figures_match(dataset, build_narrative(dataset))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_any_dataset_gives_consistent_shares_and_figures(dataset: Dataset) -> None:
    _assert_shares_and_totals(dataset)
    _assert_figures_match(dataset, build_narrative(dataset))


def _three_sources(amount: str) -> Dataset:
    unit = Unit("100001", "测试单位", UnitKind.ADMINISTRATIVE)
    lines = tuple(
        BudgetLine(
            "100001",
            code,
            "30201",
            source,
            ExpenseKind.BASIC,
            Decimal(amount),
            BasicCategory.OPERATING,
        )
        for code, source in (
            ("2013201", "一般公共预算"),
            ("2120899", "政府性基金预算"),
            ("2013201", "单位资金"),
        )
    )
    return Dataset(Manifest(Department("100", "测试部门"), 2021, (unit,)), lines)


def test_rounding_is_reported_not_fudged() -> None:
    income = section(build_narrative(_three_sources("100.00")), "income")
    shares = [f.share for f in income.figures if f.share]
    assert shares == [Decimal(1) / 3] * 3  # exact, each shown as 33.33%
    text = text_of(income)
    assert text.count("占33.33%") == 3
    assert "占比之和" not in text and "99.99%" not in text  # not announced to the public
    # 3 × 50.00 元: each shows 0.01万元 (0.005 rounded half up); together 0.03 against 0.02
    income = section(build_narrative(_three_sources("50.00")), "income")
    assert "因四舍五入，上述各项金额之和与合计相差0.01万元" in text_of(income)


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 9, 10, 11, 13, 20, 21, 99)] == [
        "一",
        "九",
        "十",
        "十一",
        "十三",
        "二十",
        "二十一",
        "九十九",
    ]
