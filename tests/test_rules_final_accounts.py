"""Cases for the 决算 rules (FA-*): a small hand-made 部门决算 whose figures reconcile (every sum
below is worked out in its comment), and one misprint per rule that breaks it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from rulekit import RuleCase, run, with_cell
from yusuan.audit.narrative import COMPLETED, stated_figures
from yusuan.catalog.loader import catalogs_for
from yusuan.money import MoneyUnit
from yusuan.rules import Outcome
from yusuan.rules.checks.final_accounts import statements
from yusuan.rules.consolidate import fold_superseded
from yusuan.rules.subject import DOCUMENT, Subject
from yusuan.tables.base import CODE, DETAIL, GROUP, NAME, TEXT, TOTAL, Column, Row, Table

WAN = Decimal(10000)


def wan(text: str) -> Decimal:
    return Decimal(text) * WAN


def _table(table_id: str, title: str, columns: list[Column], rows: list[Row]) -> Table:
    return Table(table_id, title, MoneyUnit.WAN, (), tuple(columns), tuple(rows))


def _values(**figures: str | None) -> dict[str, Decimal | str | None]:
    return {k: (wan(v) if v is not None and v[:1].isdigit() else v) for k, v in figures.items()}


def _summary() -> Table:
    """收入支出决算总表: 本年收入 100 + 20 = 120; 支出 90 + 25 = 115; 年初 10 + 120 − 115 = 年末
    15; 总计 120 + 10 = 130 = 115 + 15."""
    columns = [
        Column("income_item", "项目", TEXT),
        Column("income", "决算数"),
        Column("name", "项目", NAME),
        Column("expenditure", "决算数"),
    ]
    rows = [
        Row(
            "201",
            "一、一般公共服务支出",
            1,
            _values(
                income_item="一、一般公共预算财政拨款收入", income="100.00", expenditure="90.00"
            ),
        ),
        Row(
            "208",
            "二、社会保障和就业支出",
            1,
            _values(income_item="五、事业收入", income="20.00", expenditure="25.00"),
        ),
        Row(
            "",
            "本年支出合计",
            0,
            _values(income_item="本年收入合计", income="120.00", expenditure="115.00"),
            TOTAL,
        ),
        Row("", "结余分配", 0, _values(income_item="使用非财政拨款结余"), TOTAL),
        Row(
            "",
            "年末结转和结余",
            0,
            _values(income_item="年初结转和结余", income="10.00", expenditure="15.00"),
            TOTAL,
        ),
        Row(
            "", "总计", 0, _values(income_item="总计", income="130.00", expenditure="130.00"), TOTAL
        ),
    ]
    return _table("income-expenditure-final", "收入支出决算总表", columns, rows)


def _income() -> Table:
    """收入决算表: 合计 120 = 财政拨款 100 + 事业 20; 201 95 + 208 25 = 120."""
    columns = [
        Column("code", "功能分类科目编码", CODE),
        Column("name", "科目名称", NAME),
        Column("total", "本年收入合计"),
        Column("fiscal_income", "财政拨款收入"),
        Column("business_income", "事业收入"),
    ]
    rows = [
        Row(
            "",
            "合计",
            0,
            _values(total="120.00", fiscal_income="100.00", business_income="20.00"),
            TOTAL,
        ),
        Row(
            "201",
            "一般公共服务支出",
            1,
            _values(total="95.00", fiscal_income="80.00", business_income="15.00"),
            DETAIL,
        ),
        Row(
            "208",
            "社会保障和就业支出",
            1,
            _values(total="25.00", fiscal_income="20.00", business_income="5.00"),
            DETAIL,
        ),
    ]
    return _table("income-final", "收入决算表", columns, rows)


def _expenditure() -> Table:
    """支出决算表: 合计 115 = 基本 65 + 项目 50; 201 90 (40 + 50) + 208 25 (25)."""
    columns = [
        Column("code", "功能分类科目编码", CODE),
        Column("name", "科目名称", NAME),
        Column("total", "本年支出合计"),
        Column("basic", "基本支出"),
        Column("project", "项目支出"),
    ]
    rows = [
        Row("", "合计", 0, _values(total="115.00", basic="65.00", project="50.00"), TOTAL),
        Row("201", "一般公共服务支出", 1, _values(total="90.00", basic="40.00", project="50.00")),
        Row("208", "社会保障和就业支出", 1, _values(total="25.00", basic="25.00")),
    ]
    return _table("expenditure-final", "支出决算表", columns, rows)


def _fiscal() -> Table:
    """财政拨款收入支出决算总表: 收入 100; 支出 201 85 + 208 20 = 105; 年初 10 (一般公共预算 10)
    + 100 − 105 = 年末 5; 总计 100 + 10 = 110 = 105 + 5."""
    columns = [
        Column("income_item", "项目", TEXT),
        Column("income", "决算数"),
        Column("name", "项目", NAME),
        Column("subtotal", "合计"),
        Column("general", "一般公共预算财政拨款"),
    ]
    rows = [
        Row(
            "201",
            "一、一般公共服务支出",
            1,
            _values(
                income_item="一、一般公共预算财政拨款",
                income="100.00",
                subtotal="85.00",
                general="85.00",
            ),
        ),
        Row("208", "二、社会保障和就业支出", 1, _values(subtotal="20.00", general="20.00")),
        Row(
            "",
            "本年支出合计",
            0,
            _values(
                income_item="本年收入合计", income="100.00", subtotal="105.00", general="105.00"
            ),
            TOTAL,
        ),
        Row(
            "",
            "年末财政拨款结转和结余",
            0,
            _values(
                income_item="年初财政拨款结转和结余",
                income="10.00",
                subtotal="5.00",
                general="5.00",
            ),
            TOTAL,
        ),
        Row("", "", 1, _values(income_item="一、一般公共预算财政拨款", income="10.00"), TOTAL),
        Row(
            "",
            "总计",
            0,
            _values(income_item="总计", income="110.00", subtotal="110.00", general="110.00"),
            TOTAL,
        ),
    ]
    return _table("fiscal-final", "财政拨款收入支出决算总表", columns, rows)


def _general() -> Table:
    """一般公共预算财政拨款支出决算表: 合计 105 = 基本 55 + 项目 50; 201 85 (35 + 50); 208 20."""
    columns = [
        Column("code", "功能分类科目编码", CODE),
        Column("name", "科目名称", NAME),
        Column("total", "合计"),
        Column("basic", "基本支出"),
        Column("project", "项目支出"),
    ]
    rows = [
        Row("", "合计", 0, _values(total="105.00", basic="55.00", project="50.00"), TOTAL),
        Row("201", "一般公共服务支出", 1, _values(total="85.00", basic="35.00", project="50.00")),
        Row("208", "社会保障和就业支出", 1, _values(total="20.00", basic="20.00")),
    ]
    return _table("general-budget-final", "一般公共预算财政拨款支出决算表", columns, rows)


def _basic() -> Table:
    """基本支出决算表: 301 40 (30101 40) + 302 15 (30201 15) = 55; 人员经费合计 40, 公用经费合计 15."""
    columns = [
        Column("code", "经济分类科目编码", CODE),
        Column("name", "科目名称", NAME),
        Column("amount", "决算数"),
    ]
    rows = [
        Row("301", "工资福利支出", 1, _values(amount="40.00"), GROUP),
        Row("30101", "基本工资", 2, _values(amount="40.00")),
        Row("302", "商品和服务支出", 1, _values(amount="15.00"), GROUP),
        Row("30201", "办公费", 2, _values(amount="15.00")),
        Row("", "人员经费合计", 0, _values(amount="40.00"), GROUP),
        Row("", "公用经费合计", 0, _values(amount="15.00"), GROUP),
    ]
    return _table("basic-economic-final", "一般公共预算财政拨款基本支出决算表", columns, rows)


def _fund() -> Table:
    """政府性基金预算财政拨款收入支出决算表: 年初 2 + 收入 3 − 支出 4 = 年末 1."""
    columns = [
        Column("code", "功能分类科目编码", CODE),
        Column("name", "科目名称", NAME),
        Column("opening", "年初结转和结余"),
        Column("income", "本年收入"),
        Column("expenditure_total", "合计"),
        Column("basic", "基本支出"),
        Column("project", "项目支出"),
        Column("closing", "年末结转和结余"),
    ]
    figures = _values(
        opening="2.00", income="3.00", expenditure_total="4.00", project="4.00", closing="1.00"
    )
    rows = [
        Row("", "合计", 0, figures, TOTAL),
        Row("229", "其他支出", 1, figures),
    ]
    return _table("fund-final", "政府性基金预算财政拨款收入支出决算表", columns, rows)


def _three_public() -> Table:
    """“三公”经费决算表: 预算数 3.00 = 出国 0 + 公务用车 2.00 (运行维护 2.00) + 接待 1.00; 决算数
    2.50 = 0 + 1.80 (1.80) + 0.70."""
    keys = [
        ("budget_total", "合计 预算数", "3.00"),
        ("total", "合计 决算数", "2.50"),
        ("budget_abroad", "因公出国（境）费 预算数", "0.00"),
        ("abroad", "因公出国（境）费 决算数", "0.00"),
        ("budget_vehicle_subtotal", "小计 预算数", "2.00"),
        ("vehicle_subtotal", "小计 决算数", "1.80"),
        ("budget_vehicle_operation", "公务用车运行维护费 预算数", "2.00"),
        ("vehicle_operation", "公务用车运行维护费 决算数", "1.80"),
        ("budget_reception", "公务接待费 预算数", "1.00"),
        ("reception", "公务接待费 决算数", "0.70"),
    ]
    columns = [Column(key, text) for key, text, _ in keys]
    figures = _values(**{key: value for key, _, value in keys})
    return _table(
        "three-public-final", "财政拨款“三公”经费支出决算表", columns, [Row("", "", 1, figures)]
    )


# The narrative: 105 / 110 = 95.45%; 85 / 88 = 96.59%; both below budget, with their reasons.
NARRATIVE = [
    "  一、收入支出决算总体情况说明",
    "  某某局2024年度收入支出总计130.00万元。",
    "  二、收入决算情况说明",
    # 100 / 120 = 83.33%, 20 / 120 = 16.67%
    "  本年收入合计120.00万元，其中：财政拨款收入100.00万元，占83.33%；事业收入20.00万元，占16.67%。",
    "  五、一般公共预算财政拨款支出决算情况说明",
    # 85 / 105 = 80.95%, 20 / 105 = 19.05%
    "  （二）一般公共预算财政拨款支出决算结构情况",
    "  一般公共预算财政拨款支出105.00万元，主要用于以下方面：一般公共服务支出（类）85.00万元，"
    "占80.95%；社会保障和就业支出（类）20.00万元，占19.05%。",
    "  （三）一般公共预算财政拨款支出决算具体情况",
    "  一般公共预算财政拨款支出年初预算为100.00万元，全年预算为110.00万元，支出决算为105.00万元，"
    "完成全年预算的95.45%。决算数小于预算数的主要原因：人员变动。",
    "  1、一般公共服务支出（类）。主要用于：日常运转。全年预算为88.00万元，支出决算为85.00万元，"
    "完成全年预算数的96.59%。决算数小于全年预算数的主要原因：节约开支。",
    "  2、社会保障和就业支出（类）。主要用于：养老保险。全年预算为22.00万元，支出决算为20.00万元。"
    "决算数小于全年预算数的主要原因：人员减少。",
    # 2.50 / 3.00 = 83.33%
    "  七、财政拨款“三公”经费支出决算情况说明",
    "  “三公”经费财政拨款支出年初预算为3.00万元，支出决算为2.50万元，完成预算的83.33%。"
    "“三公”经费支出决算数小于预算数的主要原因：厉行节约。",
]


def final_document(narrative: list[str] | None = None) -> Subject:
    """The hand-made 决算 as a document subject."""
    tables = [
        _summary(),
        _income(),
        _expenditure(),
        _fiscal(),
        _general(),
        _basic(),
        _fund(),
        _three_public(),
    ]
    lines = tuple((1, n + 1, text) for n, text in enumerate(narrative or NARRATIVE))
    return Subject(
        year=2024,
        catalogs=catalogs_for(2024),
        tables={t.id: t for t in tables},
        kind=DOCUMENT,
        narrative=stated_figures(lines, 2024),
        narrative_lines=lines,
    )


def _line(table_id: str, name: str, key: str, value: str) -> Callable[[], Subject]:
    """The subject with one summary line's cell misprinted (the line found by its 支出 label)."""

    def spoil() -> Subject:
        return with_cell(final_document(), table_id, "", key, wan(value), row_name=name)

    return spoil


def _said(old: str, new: str) -> Callable[[], Subject]:
    return lambda: final_document([line.replace(old, new) for line in NARRATIVE])


CASES = [
    RuleCase(
        "FA-001",
        _line("income-expenditure-final", "年末结转和结余", "expenditure", "16.00"),
        final_document,
        expect="年末结转和结余",
    ),
    RuleCase(
        "FA-001",
        _line("fiscal-final", "年末财政拨款结转和结余", "general", "6.00"),
        final_document,
        expect="年初结转和结余",
        name="by-source",
    ),
    RuleCase(
        "FA-005",
        lambda: with_cell(final_document(), "fund-final", "229", "closing", wan("2.00")),
        final_document,
        expect="229 其他支出",
    ),
    RuleCase(
        "FA-002",
        _line("income-expenditure-final", "总计", "income", "131.00"),
        final_document,
        expect="收入总计",
    ),
    RuleCase(
        "FA-003",
        _line("basic-economic-final", "人员经费合计", "amount", "41.00"),
        final_document,
        expect="人员经费合计",
    ),
    RuleCase(
        "FA-004",
        lambda: with_cell(
            final_document(), "three-public-final", "", "budget_reception", wan("1.50")
        ),
        final_document,
        expect="公务接待费",
    ),
    RuleCase(
        "FA-020",
        _said("支出决算为2.50万元", "支出决算为2.60万元"),
        final_document,
        expect="“三公”经费支出决算表合计",
        name="three-public",
    ),
    RuleCase(
        "FA-023",
        lambda: final_document([line for line in NARRATIVE if not line.startswith("  2、")]),
        final_document,
        expect="208 社会保障和就业支出",
    ),
    RuleCase(
        "FA-013",
        lambda: with_cell(final_document(), "general-budget-final", "208", "basic", wan("26.00")),
        final_document,
        expect="≤ 支出决算表",
    ),
    RuleCase(
        "FA-024", _said("事业收入20.00万元", "事业收入21.00万元"), final_document, expect="事业收入"
    ),
    RuleCase("FA-025", _said("占19.05%", "占20.05%"), final_document, expect="20.05%"),
    RuleCase(
        "FA-010",
        lambda: with_cell(final_document(), "expenditure-final", "208", "total", wan("26.00")),
        final_document,
        expect="支出决算表类",
    ),
    RuleCase(
        "FA-011",
        _line("income-final", "合计", "business_income", "21.00"),
        final_document,
        expect="事业收入",
    ),
    RuleCase(
        "FA-012",
        lambda: with_cell(final_document(), "general-budget-final", "201", "total", wan("86.00")),
        final_document,
        expect="一般公共预算财政拨款支出决算表",
    ),
    RuleCase(
        "FA-020",
        _said("支出决算为85.00万元", "支出决算为86.00万元"),
        final_document,
        expect="86.00万元",
    ),
    RuleCase("FA-021", _said("96.59%", "97.59%"), final_document, expect="97.59%"),
    RuleCase(
        "FA-022",
        _said("决算数小于全年预算数的主要原因：人员减少", "决算数大于全年预算数"),
        final_document,
        expect="说明决算数大于预算数",
    ),
    RuleCase(
        "FA-022",
        _said("决算数小于全年预算数的主要原因：节约开支。", ""),
        final_document,
        expect="没有说明原因",
        name="no-reason",
    ),
]


def test_the_hand_made_final_accounts_pass_every_arithmetic_rule() -> None:
    subject = final_document()
    for rule_id in ("ARITH-001", "ARITH-002", "ARITH-003"):
        assert run(rule_id, subject).outcome is Outcome.PASSED, rule_id


def test_a_budget_is_not_checked_as_final_accounts() -> None:
    budget = replace(final_document(), tables={})
    assert run("FA-001", budget).outcome is Outcome.NOT_APPLICABLE


def test_a_missing_carry_over_column_means_could_not_run() -> None:
    subject = final_document()
    fund = subject.tables["fund-final"]
    narrowed = replace(fund, columns=tuple(c for c in fund.columns if c.key != "closing"))
    tables = {"fund-final": narrowed}
    result = run("FA-005", replace(subject, tables=tables))
    assert result.outcome is Outcome.COULD_NOT_RUN
    assert "closing" in result.reason


def test_a_rounding_within_half_a_printed_unit_is_not_a_finding() -> None:
    # 年末 15.01: 10 + 120 − 115 = 15, the four printed figures allow (4 + 1) × 0.005万元
    subject = with_cell(
        final_document(),
        "income-expenditure-final",
        "",
        "expenditure",
        wan("15.01"),
        row_name="年末结转和结余",
    )
    assert run("FA-001", subject).outcome is Outcome.PASSED


def test_a_footer_whose_classes_are_not_printed_is_not_compared_with_zero() -> None:
    subject = final_document()
    basic = subject.tables["basic-economic-final"]
    without_302 = tuple(r for r in basic.rows if not r.code.startswith("302"))
    tables = {**subject.tables, "basic-economic-final": replace(basic, rows=without_302)}
    assert run("FA-003", replace(subject, tables=tables)).outcome is Outcome.PASSED
    footers_only = tuple(r for r in basic.rows if not r.code)
    tables = {**subject.tables, "basic-economic-final": replace(basic, rows=footers_only)}
    assert run("FA-003", replace(subject, tables=tables)).outcome is Outcome.COULD_NOT_RUN


def _with_full_budget(subject: Subject, budgets: dict[str, str]) -> Subject:
    """The 一般公共预算 table with a 全年预算数 column: the given 类 (and the 合计) filled."""
    general = subject.tables["general-budget-final"]
    columns = (*general.columns, Column("budget_full", "全年预算数"))
    rows = tuple(
        replace(r, values={**r.values, "budget_full": wan(budgets[r.code or "total"])})
        for r in general.rows
    )
    tables = {**subject.tables, general.id: replace(general, columns=columns, rows=rows)}
    return replace(subject, tables=tables)


BUDGETS = {"total": "110.00", "201": "88.00", "208": "22.00"}


def test_a_class_figure_is_compared_in_the_column_of_its_measure() -> None:
    # "全年预算为88.00万元，支出决算为85.00万元，完成全年预算数的96.59%": 88.00 is the 全年预算数
    # and 85.00 the 决算数 of 201; 96.59% is the completion rate, no share of the 类
    assert run("FA-024", _with_full_budget(final_document(), BUDGETS)).outcome is Outcome.PASSED
    assert run("FA-025", _with_full_budget(final_document(), BUDGETS)).outcome is Outcome.PASSED
    misstated = final_document([line.replace("为88.00万元", "为89.00万元") for line in NARRATIVE])
    [found] = run("FA-024", _with_full_budget(misstated, BUDGETS)).findings
    assert found.location.column == "全年预算数" and found.values["table_value"] == "88.00万元"
    assert found.values["stated"] == "89.00万元" and found.location.row == "201 一般公共服务支出"


def test_an_outturn_stated_as_a_statement_and_as_a_figure_is_one_finding() -> None:
    # FA-020 reads "支出决算为86.00万元" as the outturn of 201 stated against its budget, FA-024
    # as a figure of the table's 201 row: one misstatement, one finding
    misstated = _said("支出决算为85.00万元", "支出决算为86.00万元")()
    both = [*run("FA-020", misstated).findings, *run("FA-024", misstated).findings]
    assert sorted(f.rule for f in both) == ["FA-020", "FA-024"]
    [one] = fold_superseded(both)
    assert one.rule == "FA-020" and one.rules == ("FA-020", "FA-024")


def test_the_statements_are_the_narrative_readers_figures() -> None:
    # one reading of the narrative: each statement FA-020 … FA-022 check is made of the figures
    # FA-024 compares (by measure), with the rate the reader attached to the outturn
    subject = final_document()
    found = statements(subject)
    assert [(s.outturn, s.full, s.initial, s.rate, s.rate_of) for s in found] == [
        (wan("105.00"), wan("110.00"), wan("100.00"), Decimal("0.9545"), "full"),
        (wan("85.00"), wan("88.00"), None, Decimal("0.9659"), "full"),
        (wan("20.00"), wan("22.00"), None, None, ""),
        # "完成预算的83.33%": a budget named neither 年初 nor 全年
        (wan("2.50"), None, wan("3.00"), Decimal("0.8333"), ""),
    ]
    # the rates are the shares the reader gave the outturns ("完成…的" after them)
    rated = [f.amount for f in subject.narrative if f.share_of in COMPLETED]
    assert rated == [s.outturn for s in found if s.rate is not None]
    assert [s.function.describe() if s.function else "" for s in found] == [
        "",
        "一般公共服务支出（类）",
        "社会保障和就业支出（类）",
        "",
    ]
    [reworded] = statements(_said("完成预算的83.33%", "完成年初预算的83.33%")())[3:]
    assert reworded.rate_of == "initial"
